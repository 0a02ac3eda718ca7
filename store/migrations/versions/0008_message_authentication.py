"""sender authentication of inbound mail: the SMTP session's peer and HELO, the verdict, suspicious

Revision ID: 0008
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"  # re-pointed at merge time, after the revisions merged before it
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_ip", sa.String(length=45), nullable=True))
        batch_op.add_column(sa.Column("helo", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("auth_verdict", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("auth_results", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("suspicious", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.create_index(batch_op.f("ix_inbound_messages_suspicious"), ["suspicious"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_messages_suspicious"))
        batch_op.drop_column("suspicious")
        batch_op.drop_column("auth_results")
        batch_op.drop_column("auth_verdict")
        batch_op.drop_column("helo")
        batch_op.drop_column("client_ip")
