"""outbox and SLA timer leases (one instance works each item), lanes per lead instead of per channel

Revision ID: 0009_outbox
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.tables

revision = "0009_outbox"
down_revision = "0008"  # re-chained at merge time
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("leased_until", store.tables.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("claims", sa.Integer(), server_default="0", nullable=False))
        batch_op.drop_index("ix_outbox_lane")
        batch_op.create_index("ix_outbox_lead_lane", ["lead_id", "status", "id"], unique=False)
    with op.batch_alter_table("sla_timers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("leased_until", store.tables.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sla_timers", schema=None) as batch_op:
        batch_op.drop_column("leased_until")
        batch_op.drop_column("lease_owner")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_lead_lane")
        batch_op.create_index("ix_outbox_lane", ["status", "channel", "id"], unique=False)
        batch_op.drop_column("claims")
        batch_op.drop_column("leased_until")
        batch_op.drop_column("lease_owner")
