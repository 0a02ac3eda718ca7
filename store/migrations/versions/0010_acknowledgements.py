"""issue 14: the cursors of the followers of the events table

Revision ID: 0010_acknowledgements
Revises: 0009_privacy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.tables

revision = "0010_acknowledgements"
down_revision = "0009_privacy"
branch_labels = None
depends_on = None

WHEN = store.tables.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "event_cursors",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("last_event_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_event_cursors")),
    )


def downgrade() -> None:
    op.drop_table("event_cursors")
