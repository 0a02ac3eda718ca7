"""issue 14: the cursors of the followers of the events table; acknowledgements (one per lead and kind)

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

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
WHEN = store.tables.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "event_cursors",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("last_event_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_event_cursors")),
    )
    op.create_table(
        "acknowledgements",
        sa.Column("id", ID, nullable=False),
        sa.Column("lead_id", ID, nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", WHEN, nullable=False),
        sa.Column("next_attempt_at", WHEN, nullable=False),
        sa.Column("sent_at", WHEN, nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(length=255), nullable=True),
        sa.Column("lease_owner", sa.String(length=64), nullable=True),
        sa.Column("leased_until", WHEN, nullable=True),
        sa.Column("claims", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_acknowledgements_lead_id_leads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acknowledgements")),
        sa.UniqueConstraint("lead_id", "kind", name="uq_acknowledgements_lead_kind"),
    )
    op.create_index("ix_acknowledgements_due", "acknowledgements", ["status", "next_attempt_at"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_acknowledgements_due", table_name="acknowledgements")
    op.drop_table("acknowledgements")
    op.drop_table("event_cursors")
