"""erasure and retention (issue 13): erased_at on contacts, leads and messages; the Slack posts about a lead

Revision ID: 0009_privacy
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.tables

revision = "0009_privacy"
down_revision = "0009_outbox"
branch_labels = None
depends_on = None

_ERASABLE = ("contacts", "leads", "inbound_messages")


def upgrade() -> None:
    for table in _ERASABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("erased_at", store.tables.UTCDateTime(timezone=True), nullable=True))
    op.create_table(
        "slack_posts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("lead_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("user", sa.String(length=32), nullable=True),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.Column("posted_at", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_slack_posts_lead_id_leads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_posts")),
    )
    with op.batch_alter_table("slack_posts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slack_posts_lead_id"), ["lead_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("slack_posts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slack_posts_lead_id"))
    op.drop_table("slack_posts")
    for table in _ERASABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("erased_at")
