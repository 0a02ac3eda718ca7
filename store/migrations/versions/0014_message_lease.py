"""a lease on "received" messages: the sweep of several instances reads each message once (issue 12)

Revision ID: 0014_message_lease
Revises: 0013_stats_rollup
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.tables

revision = "0014_message_lease"
down_revision = "0013_stats_rollup"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_owner", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("leased_until", store.tables.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.drop_column("leased_until")
        batch_op.drop_column("lease_owner")
