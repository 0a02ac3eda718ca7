"""lead work: handled Slack events, chat drafts, indexes for stats and the outbox lanes (issue 4)

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import store.tables

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "slack_events",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("seen_at", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_slack_events")),
    )
    with op.batch_alter_table("slack_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_slack_events_seen_at"), ["seen_at"], unique=False)

    op.create_table(
        "chat_drafts",
        sa.Column("id", _ID, nullable=False),
        sa.Column("message_id", _ID, nullable=True),
        sa.Column("author", sa.String(length=32), nullable=True),
        sa.Column("channel", sa.String(length=32), nullable=True),
        sa.Column("reply_ts", sa.String(length=32), nullable=True),
        sa.Column("vendor", sa.String(length=120), nullable=True),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("provenance", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("lead_id", _ID, nullable=True),
        sa.Column("created_at", store.tables.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_at", store.tables.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_chat_drafts_lead_id_leads")
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["inbound_messages.id"], name=op.f("fk_chat_drafts_message_id_inbound_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chat_drafts")),
    )
    with op.batch_alter_table("chat_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_chat_drafts_message_id"), ["message_id"], unique=False)

    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.create_index(
            "ix_leads_stats",
            ["created_at", "vendor", "grade", "owner", "outcome", "claimed_at", "first_touch_at", "outcome_amount"],
            unique=False,
        )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_kind_at", ["kind", "at"], unique=False)
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_lane", ["status", "channel", "id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_lane")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_kind_at")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index("ix_leads_stats")
    with op.batch_alter_table("chat_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_chat_drafts_message_id"))
    op.drop_table("chat_drafts")
    with op.batch_alter_table("slack_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_slack_events_seen_at"))
    op.drop_table("slack_events")
