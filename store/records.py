"""Plain values the store takes and hands out. Rows never leave the store: callers get these records."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from parsers.errors import RequestRefused


class LeadStatus(StrEnum):
    """new → posted → claimed → closed; a repeat inquiry of an open lead is filed as duplicate."""

    NEW = "new"
    POSTED = "posted"
    CLAIMED = "claimed"
    CLOSED = "closed"
    DUPLICATE = "duplicate"


class Grade(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class Outcome(StrEnum):
    WON = "won"
    LOST = "lost"
    NURTURE = "nurture"
    DISQUALIFIED = "disqualified"


class MessageStatus(StrEnum):
    """received → processed | no_lead | failed; chat input: received → draft → processed | discarded."""

    RECEIVED = "received"
    PROCESSED = "processed"
    NO_LEAD = "no_lead"
    FAILED = "failed"
    DRAFT = "draft"
    DISCARDED = "discarded"


#: statuses a lead can be claimed from (nobody holds it and it is not closed)
CLAIMABLE = (LeadStatus.NEW, LeadStatus.POSTED)
#: statuses of a lead still being worked (a repeat inquiry joins it instead of getting a card)
OPEN = (LeadStatus.NEW, LeadStatus.POSTED, LeadStatus.CLAIMED)


class LeadNotFound(RequestRefused, LookupError):
    """A click or command names a lead that is not there."""


class WorkRefused(RequestRefused):
    """A rep may not do that to this lead: ``reason`` is "not_yours", "not_claimed" or "closed" (issue 4).

    The store raises it with the reason the caller's policy gave (bot/assess/work.py decides).
    """

    def __init__(self, reason: str, lead: LeadRecord) -> None:
        super().__init__(f"lead {lead.id}: {reason}")
        self.reason = reason
        self.lead = lead


@dataclass(frozen=True, slots=True)
class MessageRecord:
    """An inbound message as stored (raw bytes included)."""

    id: int
    channel: str
    sender: str | None
    recipients: tuple[str, ...]
    received_at: datetime
    dedup_key: str
    raw: bytes
    size: int
    subject: str | None
    status: str
    error: str | None
    attempts: int
    processed_at: datetime | None
    vendor: str | None


@dataclass(frozen=True, slots=True)
class AcceptedMessage:
    """The answer to storing raw input: its id, and whether it was a resend of one we have."""

    id: int
    duplicate: bool


@dataclass(frozen=True, slots=True)
class NewLead:
    """A scored lead ready to be stored, with where its card should go (None: no card)."""

    vendor: str | None
    channel: str
    fields: dict[str, str]
    provenance: dict[str, dict[str, Any]]
    score: int
    grade: str
    reasons: tuple[str, ...]
    post_to: str | None
    #: normalised identity used to find the contact: email (lower-case), phone (E.164)
    contact_email: str | None = None
    contact_phone: str | None = None
    #: when the claim SLA runs out (set by the pipeline's business-hours policy; None: no timer) (issue 5)
    claim_due_at: datetime | None = None
    #: one line describing the inquiry, told to whoever works the contact if this is a repeat (issue 5)
    notice: str | None = None
    #: the lead's email or phone failed verification (statistics count it; the assessor sets it)
    invalid: bool = False


@dataclass(frozen=True, slots=True)
class LeadRecord:
    """A stored lead as the rest of the service sees it (what a Slack card is rendered from)."""

    id: int
    message_id: int | None
    contact_id: int | None
    vendor: str | None
    channel: str
    #: public field name -> value (only fields that were found)
    fields: dict[str, str]
    #: field name -> {"source": ..., "confidence": ..., "flags": [...], "alternatives": [...]}
    provenance: dict[str, dict[str, Any]]
    score: int
    grade: str
    reasons: tuple[str, ...]
    status: str
    owner: str | None
    created_at: datetime
    claimed_at: datetime | None = None
    first_touch_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str | None = None
    outcome_amount: float | None = None
    #: where the card was posted, once it was
    slack_channel: str | None = None
    slack_ts: str | None = None
    invalid: bool = False

    def value(self, name: str) -> str | None:
        return self.fields.get(name)

    @property
    def display_name(self) -> str:
        full = self.fields.get("full_name")
        if full:
            return full
        parts = [p for p in (self.fields.get("first_name"), self.fields.get("last_name")) if p]
        return " ".join(parts) or self.fields.get("email") or self.fields.get("phone") or f"Lead #{self.id}"


#: the policy's answer for one lead and actor: None (allowed) or why not ("not_yours", "not_claimed", "closed");
#: the store applies it to the row it holds locked, so the decision and the write are one transaction
WorkCheck = Callable[[LeadRecord, str], str | None]


@dataclass(frozen=True, slots=True)
class PipelineCounts:
    """Totals for `leadbot leads` and the demo's closing summary."""

    messages: int
    failed_messages: int
    leads: int
    by_grade: dict[str, int]
    by_status: dict[str, int]
    outbox_pending: int


@dataclass(frozen=True, slots=True)
class ClaimResult:
    """Who holds the lead after a claim attempt; ``won`` only for the one attempt that took it."""

    won: bool
    lead: LeadRecord


@dataclass(frozen=True, slots=True)
class EventRecord:
    id: int
    lead_id: int | None
    contact_id: int | None
    kind: str
    actor: str | None
    at: datetime
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class OutboxRecord:
    id: int
    kind: str
    lead_id: int | None
    channel: str | None
    payload: dict[str, Any]
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    #: leases taken so far, this one included (issue 12: above one, an earlier try may have reached Slack)
    claims: int = 1
    status: str = "pending"
    last_error: str | None = None


# ---- assessment (issue 5) ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ContactRecord:
    id: int
    email: str | None
    phone: str | None
    name: str | None
    postal_code: str | None
    created_at: datetime
    merged_into: int | None = None


@dataclass(frozen=True, slots=True)
class ContactHistory:
    """The 360° view of one person: the contact, every lead and every event, newest first."""

    contact: ContactRecord
    leads: tuple[LeadRecord, ...]
    events: tuple[EventRecord, ...]


@dataclass(frozen=True, slots=True)
class SlaTimerRecord:
    id: int
    lead_id: int
    kind: str
    step: int
    started_at: datetime
    due_at: datetime
    status: str
    fired_at: datetime | None = None
    #: a reminder's rep and note (kind "remind")
    data: dict[str, Any] | None = None


@dataclass(frozen=True, slots=True)
class OutcomeSample:
    """A closed lead as learning sees it: where it came from, what it had, how it ended."""

    lead_id: int
    vendor: str | None
    fields: dict[str, str]
    provenance: dict[str, dict[str, Any]]
    outcome: str


# ---- more ways in: webhook keys, imports (issue 6) --------------------------------------------------


@dataclass(frozen=True, slots=True)
class IntakeKeyClaim:
    """The answer to presenting an Idempotency-Key: first use (``new``), or the earlier request's message.

    ``message_id`` is None for a key whose first request is still being stored.
    """

    new: bool
    message_id: int | None


@dataclass(frozen=True, slots=True)
class ImportCandidate:
    """One row of an imported file: the cells as read, and the lead made of them (None: invalid, why)."""

    row_number: int
    data: dict[str, str]
    key: str | None
    lead: NewLead | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    row_number: int
    #: imported | duplicate | invalid
    status: str
    reason: str | None = None
    lead_id: int | None = None
    grade: str | None = None


# ---- lead work (issue 4) ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DraftRecord:
    """A lead read from chat, waiting for Confirm / Edit / Discard."""

    id: int
    message_id: int | None
    author: str | None
    channel: str | None
    reply_ts: str | None
    vendor: str | None
    fields: dict[str, str]
    provenance: dict[str, dict[str, Any]]
    status: str
    lead_id: int | None
    created_at: datetime
    decided_by: str | None = None
