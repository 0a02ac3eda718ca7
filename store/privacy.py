"""A person's data: erasure, export and retention (issue 13).

    erased = await store.privacy.erase(contact_id, actor="U0BOSS")   # idempotent
    held = await store.privacy.export(contact_id)                     # everything, as JSON-ready dicts
    plan = await store.privacy.retention_plan(raw_message_days=30, closed_lead_days=365, grade_c_days=90)
    await store.privacy.apply_retention(plan)

Erasing anonymises rather than deletes: the contact and its leads keep their rows (ids, vendor, grade,
score, status, owner, timestamps, outcome), so statistics still count them; every value that names the
person is removed — the contact's email, phone, name and postal code, the leads' fields, provenance and
reasons, the raw messages (bytes, subject, sender, dedup key), chat drafts, import rows, the details of
their events and of their outbox items. Every Slack message the outbox sent about the lead (its card,
thread replies, DMs, a chat draft's reply) gets an ``erase_message`` outbox item, so the Slack side is
redone after a restart or a rate limit like any other outbox work. The erasure itself is one ``erased``
event with counts only.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import Db
from store.events import add_event
from store.outbox import add_item
from store.records import LeadStatus, Outcome
from store.tables import (
    ChatDraft,
    Contact,
    Event,
    ImportRow,
    InboundMessage,
    Lead,
    OutboxItem,
    SlackPost,
    SlaTimer,
)

#: the outbox item that turns one Slack message into the neutral "erased" message
ERASE_KIND = "erase_message"
#: the pseudo-channel of cards printed to the console (nothing in Slack to erase)
CONSOLE = "console"
#: outcomes whose leads retention anonymises after ``closed_lead_days``
CLOSED_FOR_RETENTION = (Outcome.LOST.value, Outcome.DISQUALIFIED.value)


@dataclass(frozen=True, slots=True)
class Erasure:
    """What one erasure did (no personal data: ids and counts)."""

    contact_ids: tuple[int, ...]
    lead_ids: tuple[int, ...]
    messages: int
    slack_messages: int
    #: nothing was left to erase (a second erase)
    already: bool


@dataclass(frozen=True, slots=True)
class RetentionPlan:
    """What retention would remove now: message ids (raw bytes) and lead ids (anonymised)."""

    at: datetime
    raw_messages: tuple[int, ...] = ()
    closed_leads: tuple[int, ...] = ()
    grade_c_leads: tuple[int, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.raw_messages or self.closed_leads or self.grade_c_leads)


def _blank_message(row: InboundMessage, now: datetime) -> None:
    row.raw, row.subject, row.sender, row.recipients = b"", None, None, []
    row.error, row.auth_results, row.helo, row.client_ip = None, None, None, None
    row.erased_at = now


class Privacy:
    def __init__(self, db: Db) -> None:
        self._db = db

    # ---- Slack messages about a lead -----------------------------------------------------------------

    async def record_post(
        self, lead_id: int, kind: str, ts: str, *, channel: str | None = None, user: str | None = None
    ) -> None:
        """Remember a thread reply or DM the outbox sent about a lead (so erasure can reach it). Sent
        about a lead erased meanwhile (the erasure raced the post), it is erased at once."""
        now = self._db.clock()
        async with self._db.write() as session:
            lead = await session.get(Lead, lead_id)
            if lead is None:
                return
            session.add(SlackPost(lead_id=lead_id, kind=kind[:16], channel=channel, user=user, ts=ts, posted_at=now))
            if lead.erased_at is not None:
                _queue_erase(session, lead_id, channel, ts, user, now)

    # ---- erasure -------------------------------------------------------------------------------------

    async def erase(self, contact_id: int, *, actor: str) -> Erasure:
        """Erase a contact (and the contacts merged into it) with every lead of theirs; see the module."""
        now = self._db.clock()
        async with self._db.write() as session:
            contacts = await _with_merged(session, contact_id)
            if not contacts:
                return Erasure((), (), 0, 0, already=True)
            leads = list(await session.scalars(select(Lead).where(Lead.contact_id.in_([c.id for c in contacts]))))
            fresh = [lead for lead in leads if lead.erased_at is None]
            if not fresh and all(c.erased_at is not None for c in contacts):
                return Erasure(tuple(c.id for c in contacts), tuple(lead.id for lead in leads), 0, 0, already=True)
            messages, slack = await _anonymise_leads(session, fresh, now)
            contact_ids = [c.id for c in contacts]
            for contact in contacts:
                contact.email = contact.phone = contact.name = contact.postal_code = None
                contact.erased_at = now
            await session.execute(update(Event).where(Event.contact_id.in_(contact_ids)).values(data={}))
            counts = {"leads": len(fresh), "messages": messages, "slack_messages": slack}
            add_event(session, "erased", lead_id=None, contact_id=contact_id, actor=actor, at=now, data=counts)
            return Erasure(tuple(contact_ids), tuple(lead.id for lead in fresh), messages, slack, already=False)

    # ---- export --------------------------------------------------------------------------------------

    async def export(self, contact_id: int) -> dict[str, Any] | None:
        """Everything held about a contact (and the contacts merged into it), JSON-ready; None: no such
        contact."""
        async with self._db.read() as session:
            contacts = await _with_merged(session, contact_id)
            if not contacts:
                return None
            ids = [c.id for c in contacts]
            leads = list(await session.scalars(select(Lead).where(Lead.contact_id.in_(ids)).order_by(Lead.id)))
            lead_ids = [lead.id for lead in leads]
            message_ids = {lead.message_id for lead in leads if lead.message_id is not None}
            drafts = list(await session.scalars(select(ChatDraft).where(ChatDraft.lead_id.in_(lead_ids))))
            message_ids |= {d.message_id for d in drafts if d.message_id is not None}
            messages = await session.scalars(
                select(InboundMessage).where(InboundMessage.id.in_(message_ids)).order_by(InboundMessage.id)
            )
            events = await session.scalars(
                select(Event).where(Event.contact_id.in_(ids) | Event.lead_id.in_(lead_ids)).order_by(Event.id)
            )
            rows = await session.scalars(select(ImportRow).where(ImportRow.lead_id.in_(lead_ids)))
            return {
                "contact": _plain(contacts[0], exclude=()),
                "merged_contacts": [_plain(c, exclude=()) for c in contacts[1:]],
                "leads": [_plain(lead, exclude=()) for lead in leads],
                "messages": [_message(m) for m in messages],
                "chat_drafts": [_plain(d, exclude=()) for d in drafts],
                "import_rows": [_plain(r, exclude=("row_key",)) for r in rows],
                "events": [_plain(e, exclude=()) for e in events],
            }

    # ---- retention -----------------------------------------------------------------------------------

    async def retention_plan(
        self, *, raw_message_days: int = 0, closed_lead_days: int = 0, grade_c_days: int = 0
    ) -> RetentionPlan:
        """What retention removes now (0 days: that rule keeps everything)."""
        now = self._db.clock()
        raw: Sequence[int] = ()
        closed: Sequence[int] = ()
        grade_c: Sequence[int] = ()
        async with self._db.read() as session:
            if raw_message_days > 0:
                raw = (
                    await session.scalars(
                        select(InboundMessage.id)
                        .where(
                            InboundMessage.erased_at.is_(None),
                            InboundMessage.processed_at < now - timedelta(days=raw_message_days),
                        )
                        .order_by(InboundMessage.id)
                    )
                ).all()
            if closed_lead_days > 0:
                closed = (
                    await session.scalars(
                        select(Lead.id)
                        .where(
                            Lead.erased_at.is_(None),
                            Lead.status == LeadStatus.CLOSED.value,
                            Lead.outcome.in_(CLOSED_FOR_RETENTION),
                            Lead.closed_at < now - timedelta(days=closed_lead_days),
                        )
                        .order_by(Lead.id)
                    )
                ).all()
            if grade_c_days > 0:
                # a grade C lead a rep is working (claimed) is left until it is closed
                grade_c = (
                    await session.scalars(
                        select(Lead.id)
                        .where(
                            Lead.erased_at.is_(None),
                            Lead.grade == "C",
                            Lead.status != LeadStatus.CLAIMED.value,
                            Lead.created_at < now - timedelta(days=grade_c_days),
                            Lead.id.not_in(closed),
                        )
                        .order_by(Lead.id)
                    )
                ).all()
        return RetentionPlan(now, tuple(raw), tuple(closed), tuple(grade_c))

    async def apply_retention(self, plan: RetentionPlan, *, actor: str = "retention") -> int:
        """Delete the planned raw messages and anonymise the planned leads (and a contact left with no
        lead that is not anonymised). Returns how many Slack messages were queued to be erased."""
        if plan.empty:
            return 0
        now = self._db.clock()
        async with self._db.write() as session:
            for message in await session.scalars(
                select(InboundMessage).where(
                    InboundMessage.id.in_(plan.raw_messages), InboundMessage.erased_at.is_(None)
                )
            ):
                _blank_message(message, now)
            lead_ids = [*plan.closed_leads, *plan.grade_c_leads]
            leads = list(await session.scalars(select(Lead).where(Lead.id.in_(lead_ids), Lead.erased_at.is_(None))))
            _, slack = await _anonymise_leads(session, leads, now)
            await _anonymise_orphan_contacts(session, {lead.contact_id for lead in leads if lead.contact_id}, now)
            counts = {
                "raw_messages": len(plan.raw_messages),
                "closed_leads": len(plan.closed_leads),
                "grade_c_leads": len(plan.grade_c_leads),
                "slack_messages": slack,
            }
            add_event(session, "retention", lead_id=None, contact_id=None, actor=actor, at=now, data=counts)
            return slack


# ---- in one transaction ------------------------------------------------------------------------------


async def _with_merged(session: AsyncSession, contact_id: int) -> list[Contact]:
    """The contact, then every contact merged into it (at any depth)."""
    first = await session.get(Contact, contact_id)
    if first is None:
        return []
    found = [first]
    frontier = [first.id]
    while frontier:
        more = list(await session.scalars(select(Contact).where(Contact.merged_into.in_(frontier))))
        more = [c for c in more if all(c.id != seen.id for seen in found)]
        found += more
        frontier = [c.id for c in more]
    return found


def _queue_erase(
    session: AsyncSession, lead_id: int, channel: str | None, ts: str, user: str | None, now: datetime
) -> None:
    payload: dict[str, Any] = {"ts": ts}
    if user:
        payload["user"] = user
    add_item(session, ERASE_KIND, lead_id, channel, payload, now)


async def _anonymise_leads(session: AsyncSession, leads: Iterable[Lead], now: datetime) -> tuple[int, int]:
    """Remove the personal data of ``leads`` everywhere it is stored, and queue the erasure of every
    Slack message about them. Returns (raw messages blanked, Slack messages queued)."""
    leads = list(leads)
    if not leads:
        return 0, 0
    ids = [lead.id for lead in leads]
    slack = 0
    # what was queued and not sent yet is never sent; what was sent keeps no text
    await session.execute(
        update(OutboxItem)
        .where(OutboxItem.lead_id.in_(ids), OutboxItem.kind != ERASE_KIND, OutboxItem.status.in_(("pending", "dead")))
        .values(status="dropped", payload={})
    )
    await session.execute(
        update(OutboxItem).where(OutboxItem.lead_id.in_(ids), OutboxItem.kind != ERASE_KIND).values(payload={})
    )
    await session.execute(
        update(SlaTimer).where(SlaTimer.lead_id.in_(ids), SlaTimer.status == "pending").values(status="done")
    )
    # a reminder's note is a rep's words about the person
    await session.execute(update(SlaTimer).where(SlaTimer.lead_id.in_(ids)).values(data=None))
    for lead in leads:
        if lead.slack_channel and lead.slack_ts and lead.slack_channel != CONSOLE:
            _queue_erase(session, lead.id, lead.slack_channel, lead.slack_ts, None, now)
            slack += 1
    posts = select(SlackPost).where(SlackPost.lead_id.in_(ids), func.coalesce(SlackPost.channel, "") != CONSOLE)
    for post in await session.scalars(posts.order_by(SlackPost.id)):
        _queue_erase(session, post.lead_id, post.channel, post.ts, post.user, now)
        slack += 1
    message_ids = {lead.message_id for lead in leads if lead.message_id is not None}
    for draft in await session.scalars(
        select(ChatDraft).where(ChatDraft.lead_id.in_(ids) | ChatDraft.message_id.in_(message_ids))
    ):
        draft.fields, draft.provenance = {}, {}
        if draft.message_id is not None:
            message_ids.add(draft.message_id)
        if draft.channel and draft.reply_ts and draft.lead_id is not None:
            _queue_erase(session, draft.lead_id, draft.channel, draft.reply_ts, None, now)
            slack += 1
    blanked = 0
    for message in await session.scalars(select(InboundMessage).where(InboundMessage.id.in_(message_ids))):
        _blank_message(message, now)
        message.dedup_key = f"erased:{message.id}"  # a hash of the sender: a resend is a new message
        blanked += 1
    await session.execute(
        update(ImportRow).where(ImportRow.lead_id.in_(ids)).values(data={}, reason=None, row_key=None)
    )
    await session.execute(update(Event).where(Event.lead_id.in_(ids)).values(data={}))
    for lead in leads:
        lead.fields, lead.provenance, lead.reasons = {}, {}, []
        lead.erased_at = now
    return blanked, slack


async def _anonymise_orphan_contacts(session: AsyncSession, contact_ids: set[int], now: datetime) -> None:
    """Contacts none of whose leads keeps personal data any more are anonymised too."""
    for contact_id in contact_ids:
        kept = await session.scalar(
            select(Lead.id).where(Lead.contact_id == contact_id, Lead.erased_at.is_(None)).limit(1)
        )
        contact = await session.get(Contact, contact_id)
        if kept is None and contact is not None and contact.erased_at is None:
            contact.email = contact.phone = contact.name = contact.postal_code = None
            contact.erased_at = now
            await session.execute(update(Event).where(Event.contact_id == contact_id).values(data={}))


def _plain(row: Any, *, exclude: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in row.__table__.columns:
        if column.key in exclude:
            continue
        value = getattr(row, column.key)
        out[column.key] = value.isoformat() if isinstance(value, datetime) else value
    return out


def _message(row: InboundMessage) -> dict[str, Any]:
    """A raw message as text (its bytes decoded; bytes that are not UTF-8 also given as base64)."""
    out = _plain(row, exclude=("raw", "dedup_key"))
    try:
        out["raw"] = row.raw.decode("utf-8")
    except UnicodeDecodeError:
        out["raw"] = row.raw.decode("latin-1")
        out["raw_base64"] = base64.b64encode(row.raw).decode("ascii")
    return out
