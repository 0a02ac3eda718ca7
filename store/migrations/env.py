"""Alembic environment: always handed a live connection by store.migrate (never opens its own)."""

from __future__ import annotations

from alembic import context

from store.tables import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `leadbot migrate` or Store.migrate(), which pass a connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
