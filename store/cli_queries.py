"""Queries the command line needs beyond the repository: the schema's revision, lead statuses by id."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from store.store import Store
from store.tables import Lead


@dataclass(frozen=True, slots=True)
class SchemaState:
    """The Alembic revisions the database is at, those this code knows as newest, and any it does not know."""

    current: frozenset[str]
    heads: frozenset[str]
    unknown: frozenset[str]


async def schema_state(store: Store) -> SchemaState:
    """Read the database's revision without changing anything (no table is created)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from store.migrate import alembic_config

    script = ScriptDirectory.from_config(alembic_config())

    def read(connection: Connection) -> frozenset[str]:
        return frozenset(MigrationContext.configure(connection).get_current_heads())

    async with store.engine.connect() as connection:
        current = await connection.run_sync(read)
    known = {rev.revision for rev in script.walk_revisions()}
    return SchemaState(current, frozenset(script.get_heads()), frozenset(current - known))


async def lead_statuses(store: Store, lead_ids: Sequence[int]) -> dict[int, str]:
    """Each lead's status, for the leads named (an import's summary tells new leads from repeats)."""
    if not lead_ids:
        return {}
    async with store.engine.connect() as connection:
        rows = await connection.execute(select(Lead.id, Lead.status).where(Lead.id.in_(list(lead_ids))))
        return {int(lead_id): str(status) for lead_id, status in rows}
