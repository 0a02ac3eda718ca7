"""reminders (issue 14): sla_timers.data carries a "remind" timer's rep and note

Revision ID: 0011_reminders
Revises: 0009_privacy
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011_reminders"
down_revision = "0010_acknowledgements"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sla_timers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("data", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sla_timers", schema=None) as batch_op:
        batch_op.drop_column("data")
