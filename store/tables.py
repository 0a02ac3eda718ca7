"""SQLAlchemy 2 table mappings. Rows stay inside ``store``; the repository hands out records."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    and_,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

# Stable constraint names, so Alembic migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
Id = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always handed back timezone-aware (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware UTC time")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime(), dict[str, Any]: JSON(), list[Any]: JSON()}


class InboundMessage(Base):
    """Raw input exactly as received. Written before the sender is told "accepted"."""

    __tablename__ = "inbound_messages"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    sender: Mapped[str | None] = mapped_column(String(320))
    recipients: Mapped[list[Any]] = mapped_column(default=list)
    received_at: Mapped[datetime]
    #: "mid:<hash of sender + Message-ID>" or "sha256:<hash of the bytes>"
    dedup_key: Mapped[str] = mapped_column(String(80), unique=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    subject: Mapped[str | None] = mapped_column(String(998))
    #: received → processed | no_lead | failed ; duplicate (a resend of an earlier message)
    status: Mapped[str] = mapped_column(String(16), index=True)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(default=0)
    processed_at: Mapped[datetime | None]
    vendor: Mapped[str | None] = mapped_column(String(120))
    #: the SMTP session that delivered it (sender authentication needs both); None for other channels
    client_ip: Mapped[str | None] = mapped_column(String(45))
    helo: Mapped[str | None] = mapped_column(String(255))
    #: sender authentication: pass | fail | none | temperror; None: not checked
    auth_verdict: Mapped[str | None] = mapped_column(String(16))
    #: our Authentication-Results header for it (RFC 8601), the verdict's provenance
    auth_results: Mapped[str | None] = mapped_column(Text)
    #: its vendor requires authentication and it did not pass: kept, never credited to the vendor
    suspicious: Mapped[bool] = mapped_column(default=False, server_default=false(), index=True)
    #: when its bytes, subject and sender were deleted (erasure or retention, issue 13)
    erased_at: Mapped[datetime | None]
    #: the instance reading it until ``leased_until`` (issue 12: one instance reads each "received" message)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    leased_until: Mapped[datetime | None]


class Contact(Base):
    """One person, however many leads they sent."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    phone: Mapped[str | None] = mapped_column(String(32), index=True)
    name: Mapped[str | None] = mapped_column(String(300))
    postal_code: Mapped[str | None] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime]
    #: set when this contact was merged into another (issue 5); matching skips it, unmerge clears it
    merged_into: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"))
    #: when the person's data was erased (issue 13): the row stays, anonymous, for the leads that name it
    erased_at: Mapped[datetime | None]


class Lead(Base):
    __tablename__ = "leads"
    __table_args__ = (Index("ix_leads_status_created", "status", "created_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    vendor: Mapped[str | None] = mapped_column(String(120), index=True)
    channel: Mapped[str] = mapped_column(String(16))
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    score: Mapped[int]
    grade: Mapped[str] = mapped_column(String(1), index=True)
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    #: new → posted → claimed → closed
    status: Mapped[str] = mapped_column(String(16))
    owner: Mapped[str | None] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    first_touch_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(16))
    outcome_amount: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    slack_channel: Mapped[str | None] = mapped_column(String(32))
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    #: the lead's email or phone failed verification (set by the assessor; statistics count it)
    invalid: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: when its personal data was erased or anonymised by retention (issue 13); statistics still count it
    erased_at: Mapped[datetime | None]


class Event(Base):
    """Append-only log of everything that happened to a lead: who did what, when."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    #: intake, posted, claimed, released, follow_up, outcome, …
    kind: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str | None] = mapped_column(String(64))
    at: Mapped[datetime]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)


class OutboxItem(Base):
    """A pending Slack operation. Written in the same transaction as the change it announces."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    #: post_card, update_card, …
    kind: Mapped[str] = mapped_column(String(24))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"), index=True)
    channel: Mapped[str | None] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: pending → done | dead
    status: Mapped[str] = mapped_column(String(8))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    #: the instance working on the item until ``leased_until`` (issue 12: one poster per item)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    leased_until: Mapped[datetime | None]
    #: how many times a lease was taken: more than one means an earlier try may have reached Slack
    claims: Mapped[int] = mapped_column(default=0, server_default="0")


# ---- assessment (issue 5) ---------------------------------------------------------------------------


class SlaTimer(Base):
    """A lead's next deadline: "claim" (remind, escalate, auto-assign) or "first_touch" (nudge the owner).

    Timers live here, not in memory, so a restart loses none; the SLA worker fires the due ones.
    """

    __tablename__ = "sla_timers"
    __table_args__ = (Index("ix_sla_timers_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    #: claim | first_touch | remind (a rep's reminder, issue 14)
    kind: Mapped[str] = mapped_column(String(16))
    #: claim: 0 = reminder, 1..n = escalation steps, n+1 = auto-assignment
    step: Mapped[int] = mapped_column(default=0)
    #: when the clock started (arrival for claim, the claim for first_touch)
    started_at: Mapped[datetime]
    due_at: Mapped[datetime]
    #: pending → done
    status: Mapped[str] = mapped_column(String(8))
    fired_at: Mapped[datetime | None]
    #: the SLA worker looking at the timer until ``leased_until`` (issue 12)
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    leased_until: Mapped[datetime | None]
    #: what a "remind" timer carries: {"user": the rep to DM, "note": their note} (issue 14)
    data: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class RepStatus(Base):
    """A rep's availability: away reps are skipped by auto-assignment (`/leads away on|off`)."""

    __tablename__ = "rep_status"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    away: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime]


# ---- more ways in: HTTP intake, imports (issue 6) ---------------------------------------------------


class IntakeKey(Base):
    """An ``Idempotency-Key`` a provider sent with a webhook, and the message its first request stored.

    The row is written before the message (``message_id`` still empty: a request with that key is in
    progress), so two racing requests with one key store one message.
    """

    __tablename__ = "intake_keys"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    #: "idem:" + sha256 of the source and the header's value
    key: Mapped[str] = mapped_column(String(80), unique=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"))
    created_at: Mapped[datetime]


class ImportBatch(Base):
    """One `leadbot import` run: the file, and what became of its rows."""

    __tablename__ = "import_batches"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    file_name: Mapped[str] = mapped_column(String(500))
    source: Mapped[str | None] = mapped_column(String(120))
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    rows: Mapped[int] = mapped_column(default=0)
    imported: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    invalid: Mapped[int] = mapped_column(default=0)


class ImportRow(Base):
    """One row of an imported file, exactly as read (column -> cell), stored before it becomes a lead."""

    __tablename__ = "import_rows"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    row_number: Mapped[int]
    #: sha256 of the row's identity (email, phone, name, interest, message); set only on the row
    #: that made the lead, so a later row or file with the same person and request is a duplicate
    row_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: imported | duplicate | invalid
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))


# ---- lead work: Slack events, chat drafts, stats indexes (issue 4) --------------------------------


class SlackEvent(Base):
    """An Events API ``event_id`` already handled: Slack retries a delivery it thinks failed (3 s without
    an answer), and any instance may receive the retry, so the memory of it is shared."""

    __tablename__ = "slack_events"

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seen_at: Mapped[datetime] = mapped_column(index=True)


class ChatDraft(Base):
    """A lead read from a chat message, waiting for a person to confirm, edit or discard it."""

    __tablename__ = "chat_drafts"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    #: the raw chat text as stored first (inbound_messages, channel "slack")
    message_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_messages.id"), index=True)
    #: who sent the text (a Slack user or an allow-listed bot) and who asked for the lead
    author: Mapped[str | None] = mapped_column(String(32))
    #: where the draft was answered: channel and the bot's reply ts (or the response_url of a command)
    channel: Mapped[str | None] = mapped_column(String(32))
    reply_ts: Mapped[str | None] = mapped_column(String(32))
    vendor: Mapped[str | None] = mapped_column(String(120))
    #: field name -> value, as extracted and then edited
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: pending → confirmed | discarded
    status: Mapped[str] = mapped_column(String(12))
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("leads.id"))
    created_at: Mapped[datetime]
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str | None] = mapped_column(String(32))


# ---- privacy (issue 13) ----------------------------------------------------------------------------


class SlackPost(Base):
    """A Slack message the outbox sent about a lead besides its card (a thread reply, a DM), so that an
    erasure can find it again: a thread reply by channel and ts, a DM by its user and ts."""

    __tablename__ = "slack_posts"

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"), index=True)
    #: post_text | dm | card_dm
    kind: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(32))
    #: the DM's user (its channel is conversations.open's answer)
    user: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
    posted_at: Mapped[datetime]


# The statistics read leads by period and events by kind and period; the outbox finds the head of each lane.
# ix_leads_stats covers the statistics' pass over a period (created_at first), so it reads no table rows.
Index(
    "ix_leads_stats",
    Lead.created_at,
    Lead.vendor,
    Lead.grade,
    Lead.owner,
    Lead.outcome,
    Lead.claimed_at,
    Lead.first_touch_at,
    Lead.outcome_amount,
)
Index("ix_events_kind_at", Event.kind, Event.at)
# issue 12: an item waits only for earlier pending items of its own lead (a card's post before its updates)
Index("ix_outbox_lead_lane", OutboxItem.lead_id, OutboxItem.status, OutboxItem.id)


# ---- following the events table; answering the prospect (issue 14) -------------------------------


class EventCursor(Base):
    """How far one follower of the events table (acknowledgements, outbound webhooks …) has read."""

    __tablename__ = "event_cursors"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: every lead event up to this id has been looked at (the follower keeps it a little behind the newest)
    last_event_id: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[datetime]


class Acknowledgement(Base):
    """One email to the prospect about a lead: "intake" (we have your request) or "claimed" (a rep will call).

    One row per lead and kind (the unique constraint), so restarts and any number of instances send each
    at most once; a failed send waits here for its next try, leased to one instance at a time.
    """

    __tablename__ = "acknowledgements"
    __table_args__ = (
        UniqueConstraint("lead_id", "kind", name="uq_acknowledgements_lead_kind"),
        Index("ix_acknowledgements_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id"))
    #: intake | claimed
    kind: Mapped[str] = mapped_column(String(16))
    #: pending → sent | skipped (not to be sent: ``reason``) | dead (the relay kept refusing: ``last_error``)
    status: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str | None] = mapped_column(String(200))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    #: the Message-ID the email carries (the same on every try, so a repeat after a crash is recognisable)
    message_id: Mapped[str | None] = mapped_column(String(255))
    #: the instance sending it until ``leased_until``; ``claims`` counts the leases taken
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    leased_until: Mapped[datetime | None]
    claims: Mapped[int] = mapped_column(default=0, server_default="0")
# ---- out to other systems: outbound webhooks (issue 14) ------------------------------------------------


class WebhookEndpoint(Base):
    """One configured receiver of lead events and how far it has got: the id of the last event delivered
    (or passed over), its retry state, and which instance delivers to it now (a lease, so that several
    instances never both deliver). Rows are created from the settings at start-up, keyed by name."""

    __tablename__ = "webhook_endpoints"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: every event with an id up to this one was delivered or is not for this endpoint
    cursor: Mapped[int] = mapped_column(BigInteger, default=0)
    #: failed tries of the event after the cursor (0: none failing)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    delivered: Mapped[int] = mapped_column(BigInteger, default=0)
    last_delivered_at: Mapped[datetime | None]
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    leased_until: Mapped[datetime | None]


# ---- statistics rollups (issue 11): kept by database triggers on leads, in the changing transaction ------


class _Tallies:
    """The counts and sums of a rollup row."""

    leads: Mapped[int] = mapped_column(BigInteger, default=0)
    claimed: Mapped[int] = mapped_column(BigInteger, default=0)
    touched: Mapped[int] = mapped_column(BigInteger, default=0)
    claim_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    touch_ms: Mapped[int] = mapped_column(BigInteger, default=0)
    revenue_cents: Mapped[int] = mapped_column(BigInteger, default=0)
    #: the leads' sla_breach and duplicate events; the leads with credit requested, granted
    breaches: Mapped[int] = mapped_column(BigInteger, default=0)
    duplicates: Mapped[int] = mapped_column(BigInteger, default=0)
    credit_requested: Mapped[int] = mapped_column(BigInteger, default=0)
    credit_granted: Mapped[int] = mapped_column(BigInteger, default=0)


class StatsSourceDay(_Tallies, Base):
    """The leads created on one UTC day, per vendor, grade, outcome and invalid flag: counts and sums.

    Maintained by the ``leads_stats_*`` triggers (migration 0013), so every change to a lead, whichever
    code makes it, moves its contribution in the same transaction. ``''`` stands for "none" in the key
    (no vendor, no outcome). Durations are integer milliseconds and revenue integer cents, so adding and
    taking away stay exact.
    """

    __tablename__ = "stats_source_days"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    vendor: Mapped[str] = mapped_column(String(120), primary_key=True)
    grade: Mapped[str] = mapped_column(String(1), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16), primary_key=True)
    invalid: Mapped[int] = mapped_column(Integer, primary_key=True)


class StatsRepDay(_Tallies, Base):
    """The owned leads created on one UTC day, per owner and outcome (see `StatsSourceDay`)."""

    __tablename__ = "stats_rep_days"

    day: Mapped[str] = mapped_column(String(10), primary_key=True)
    owner: Mapped[str] = mapped_column(String(32), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(16), primary_key=True)


class SecondsBetween(FunctionElement[float]):
    """``end - start`` in seconds, as a float, spelt the same in the median indexes and in the queries that
    walk them (SQLite matches an index expression only to the same expression)."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(SecondsBetween, "sqlite")
def _seconds_sqlite(element: SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"(julianday({end}) - julianday({start})) * 86400.0"


@compiles(SecondsBetween, "postgresql")
def _seconds_postgresql(element: SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(EXTRACT(epoch FROM {end} - {start}) AS FLOAT)"


# The medians of time to claim and to first touch walk these to the middle value (issue 11); the times
# themselves are in them too, so the walk reads no table rows.
Index(
    "ix_leads_claim_seconds",
    SecondsBetween(Lead.created_at, Lead.claimed_at),
    Lead.created_at,
    Lead.claimed_at,
    sqlite_where=Lead.claimed_at.is_not(None),
    postgresql_where=Lead.claimed_at.is_not(None),
)
Index(
    "ix_leads_touch_seconds",
    SecondsBetween(Lead.claimed_at, Lead.first_touch_at),
    Lead.created_at,
    Lead.claimed_at,
    Lead.first_touch_at,
    sqlite_where=and_(Lead.claimed_at.is_not(None), Lead.first_touch_at.is_not(None)),
    postgresql_where=and_(Lead.claimed_at.is_not(None), Lead.first_touch_at.is_not(None)),
)
