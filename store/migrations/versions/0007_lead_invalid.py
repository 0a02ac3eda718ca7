"""an ``invalid`` flag stored with the lead (statistics stop matching the reasons' text)

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invalid", sa.Boolean(), server_default=sa.false(), nullable=False))
    # Once: the leads stored before the flag were invalid when scoring had written "… is not valid"
    # (a failed email or phone check) among their reasons.
    leads = sa.table("leads", sa.column("invalid", sa.Boolean()), sa.column("reasons", sa.JSON()))
    op.execute(
        leads.update().where(sa.cast(leads.c.reasons, sa.Text()).like("%is not valid%")).values(invalid=sa.true())
    )


def downgrade() -> None:
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_column("invalid")
