"""Leads: filing a lead under its contact, the atomic claim, lead work (release, reassign, follow-ups,
outcomes), and the queries the Slack commands, the CLI and learning read.

**The claim** is `Leads.claim`: one ``UPDATE … WHERE owner IS NULL AND status IN ('new', 'posted')``, so
exactly one of any number of racing claims wins. Who may *work* a lead is policy (bot/assess/work.py): the
work methods take its check and apply it to the row they hold locked, in the same transaction as the write.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from store.contacts import BY_NAME_POSTAL, ContactIndex, fill, find_or_create, new_contact
from store.db import Db, GroupCommit, core_table, to_record
from store.events import add_event
from store.new_people import file_new_people_at_once, insert_contacts, insert_new_people, intake_data, lead_values
from store.outbox import add_item, pending_count
from store.records import (
    CLAIMABLE,
    OPEN,
    ClaimResult,
    Grade,
    LeadNotFound,
    LeadRecord,
    LeadStatus,
    MessageStatus,
    NewLead,
    OutboxRecord,
    Outcome,
    OutcomeSample,
    PipelineCounts,
    WorkCheck,
    WorkRefused,
)
from store.tables import Contact, Event, InboundMessage, Lead, OutboxItem, SlaTimer


def insert_lead(
    session: Session,
    lead: NewLead,
    message_id: int | None,
    actor: str,
    now: datetime,
    contacts: ContactIndex | None = None,
) -> Lead:
    """File one lead under its contact, in the caller's transaction (issue 5: one contact per person).

    A repeat inquiry from a person whose earlier lead is still open is stored with status "duplicate" and
    gets no card of its own: the earlier card's thread hears about it, and its owner (if someone works it)
    gets a DM. The vendor's duplicate is counted (event ``duplicate``).
    """
    contact, how, similarity = find_or_create(session, lead, now, contacts)
    open_lead = None
    if how is not None:
        open_lead = session.scalar(
            select(Lead)
            .where(
                Lead.contact_id == contact.id,
                Lead.grade.in_((Grade.A, Grade.B)),
                Lead.status.in_(OPEN),
                Lead.closed_at.is_(None),
            )
            .order_by(Lead.id.desc())
            .limit(1)
        )
    row = Lead(**lead_values(lead, message_id, contact.id, now))
    if open_lead is not None:
        row.status, row.owner = LeadStatus.DUPLICATE, open_lead.owner
    session.add(row)
    session.flush()
    add_event(session, "intake", lead_id=row.id, contact_id=contact.id, actor=actor, at=now,
              data=intake_data(lead, how))
    if how == BY_NAME_POSTAL:
        # A fuzzy match is a judgement: record it as a merge, so `leadbot contacts unmerge` can undo it.
        merged = {"how": how, "into": contact.id, "from": None, "leads": [row.id], "similarity": similarity}
        add_event(session, "merged", lead_id=row.id, contact_id=contact.id, actor=actor, at=now, data=merged)
    if open_lead is not None:
        _tell_about_repeat(session, row, open_lead, lead, now)
        return row
    if lead.post_to:
        add_item(session, "post_card", row.id, lead.post_to, {}, now)
        if lead.claim_due_at is not None:
            session.add(
                SlaTimer(lead_id=row.id, kind="claim", step=0, started_at=now, due_at=lead.claim_due_at,
                         status="pending")
            )
    return row


def file_leads(
    session: Session, leads: Sequence[tuple[NewLead, int | None]], actor: str, now: datetime,
    *, card_lease: tuple[str, datetime] | None = None, handed: list[tuple[OutboxRecord, LeadRecord]] | None = None,
) -> list[LeadRecord]:
    """`insert_lead` for many leads (each with its message id), in the caller's transaction and in a few
    statements instead of a dozen per lead. Returns the stored leads in the order given.

    The contacts the batch could match are fetched at once (`ContactIndex`). Leads from people nobody knows
    yet (nor an earlier lead of the batch) are filed with multi-row ``INSERT … RETURNING``: contacts, leads,
    intake events, card posts and claim timers. The others (a repeat, a match to weigh) go one by one
    through `insert_lead`, after them, exactly as a single lead is filed.

    ``card_lease`` (owner, until): the cards of the leads from new people are stored leased to ``owner`` and
    appended to ``handed`` with their leads, for the caller to hand them to that outbox worker once the
    transaction is committed (issue 11, `store.outbox.CardHandoff`).
    """
    if not leads:
        return []
    index = ContactIndex.load(session, [lead for lead, _ in leads])
    new_people: list[tuple[int, Contact]] = []
    known: list[int] = []
    for position, (lead, _) in enumerate(leads):
        contact = index.match(lead)[0]
        if contact is None:
            contact = new_contact(lead, now)
            new_people.append((position, contact))
        else:
            fill(contact, lead)  # as filing it will: a later lead may match on what it adds
            known.append(position)
        index.add(contact)
    stored: dict[int, LeadRecord] = {}
    if new_people:
        if session.get_bind().dialect.name == "postgresql":
            filed = file_new_people_at_once(session, [(leads[position][0], leads[position][1], contact)
                                                             for position, contact in new_people],
                                                   actor, now, card_lease, handed)
        else:
            contact_ids = insert_contacts(session, [c for _, c in new_people], now)
            batch = [(leads[position][0], leads[position][1], cid) for (position, _), cid in zip(
                new_people, contact_ids, strict=True)]
            filed = insert_new_people(session, batch, actor, now, card_lease, handed)
        for (position, _), record in zip(new_people, filed, strict=True):
            stored[position] = record
    if known:
        # the contacts just created are rows now: match against them, not the placeholders
        index = ContactIndex.load(session, [leads[position][0] for position in known])
        for position in known:
            lead, message_id = leads[position]
            stored[position] = to_record(LeadRecord, insert_lead(session, lead, message_id, actor, now, index))
    return [stored[position] for position in range(len(leads))]


def _tell_about_repeat(session: Session, row: Lead, original: Lead, lead: NewLead, now: datetime) -> None:
    """Queue the repeat's notes as data (``payload["repeat"]``); the Slack side words them."""
    data = {"of_lead": original.id, "vendor": lead.vendor, "owner": original.owner, "post_to": lead.post_to}
    add_event(session, "duplicate", lead_id=row.id, contact_id=row.contact_id, actor="leadbot", at=now, data=data)
    repeat = {"lead_id": row.id, "of_lead": original.id, "notice": lead.notice, "source": lead.vendor or lead.channel}
    channel = original.slack_channel or session.scalar(
        select(OutboxItem.channel)
        .where(OutboxItem.lead_id == original.id, OutboxItem.kind == "post_card")
        .order_by(OutboxItem.id)
        .limit(1)
    )
    if channel:
        add_item(session, "post_text", original.id, channel, {"repeat": repeat, "in_thread": True}, now)
    if original.owner:
        add_item(session, "dm", original.id, None, {"user": original.owner, "repeat": repeat}, now)


async def _locked_for_work(session: AsyncSession, lead_id: int, actor: str, check: WorkCheck) -> Lead:
    """The lead, locked for this transaction, if the policy's ``check`` lets ``actor`` work it."""
    row = await session.get(Lead, lead_id, with_for_update=True, populate_existing=True)
    if row is None:
        raise LeadNotFound(lead_id)
    record = to_record(LeadRecord, row)
    reason = check(record, actor)
    if reason is not None:
        raise WorkRefused(reason, record)
    return row


def _work_event(session: AsyncSession, row: Lead, kind: str, actor: str, now: datetime, data: dict[str, Any]) -> None:
    add_event(session, kind, lead_id=row.id, contact_id=row.contact_id, actor=actor, at=now, data=data)
    if row.slack_channel:
        add_item(session, "update_card", row.id, row.slack_channel, {}, now)


async def _claim_one(
    session: AsyncSession, lead_id: int, user: str, dm_owner: bool, now: datetime
) -> ClaimResult | None:
    """One claim's compare-and-set in ``session``'s transaction; None: no such lead."""
    leads = core_table(Lead)
    # Core statements (no ORM unit of work): a click waits for this, and twenty may click at once.
    row = (await session.execute(
        update(leads)
        .where(leads.c.id == lead_id, leads.c.owner.is_(None), leads.c.status.in_(CLAIMABLE))
        .values(owner=user, status=LeadStatus.CLAIMED, claimed_at=now)
        .returning(*leads.c)
    )).first()
    won = row is not None
    if row is None:
        row = (await session.execute(select(leads).where(leads.c.id == lead_id))).first()
        if row is None:
            return None
    if won:
        await session.execute(insert(core_table(Event)).values(
            lead_id=lead_id, contact_id=row.contact_id, kind="claimed", actor=user, at=now, data={}))
        # the card's update, and with dm_owner the winner's full card after it: one statement, in this
        # transaction (issue 11: not a second transaction from the listener)
        queued: list[tuple[str, str | None, dict[str, Any]]] = (
            [("update_card", row.slack_channel, {})] if row.slack_channel else [])
        if dm_owner:
            queued.append(("dm", None, {"user": user, "card": True}))
        if queued:
            await session.execute(insert(core_table(OutboxItem)).values([
                {"kind": kind, "lead_id": lead_id, "channel": channel, "payload": payload, "status": "pending",
                 "attempts": 0, "claims": 0, "created_at": now, "next_attempt_at": now}
                for kind, channel, payload in queued
            ]))
    return ClaimResult(won, to_record(LeadRecord, row))


#: claims written in one transaction at most (bounds how long a group holds SQLite's writer)
CLAIM_GROUP_LIMIT = 20


class Leads:
    def __init__(self, db: Db) -> None:
        self._db = db
        #: claims clicked together share a transaction (issue 11: twenty clicks queued twenty transactions)
        self._claims = GroupCommit(self._claim_group, limit=CLAIM_GROUP_LIMIT, alone_on_failure=True)

    async def _many(self, query: Any) -> list[LeadRecord]:
        async with self._db.read() as session:
            return [to_record(LeadRecord, r) for r in await session.scalars(query)]

    async def add(self, lead: NewLead, *, actor: str = "leadbot", message_id: int | None = None) -> LeadRecord:
        """Store a lead that did not come from an inbound message (chat intake, import)."""
        now = self._db.clock()
        async with self._db.write() as session:
            return to_record(LeadRecord, await session.run_sync(insert_lead, lead, message_id, actor, now))

    async def get(self, lead_id: int) -> LeadRecord | None:
        async with self._db.read() as session:
            row = await session.get(Lead, lead_id)
            return to_record(LeadRecord, row) if row else None

    async def get_many(self, lead_ids: Sequence[int]) -> dict[int, LeadRecord]:
        """The leads of these ids that exist, by id (one query: the outbox reads a pass's leads at once)."""
        if not lead_ids:
            return {}
        table = core_table(Lead)
        async with self._db.read() as session:
            # Core rows, not ORM objects: nothing here is changed through the session (issue 11: the outbox's
            # read per pass)
            rows = await session.execute(select(table).where(table.c.id.in_(sorted(set(lead_ids)))))
            return {row.id: to_record(LeadRecord, row) for row in rows}

    async def recent(
        self, *, grade: str | None = None, status: str | None = None, owner: str | None = None, limit: int = 50
    ) -> list[LeadRecord]:
        """Leads newest first, optionally of one grade, status or owner."""
        query = select(Lead).order_by(Lead.id.desc()).limit(limit)
        if grade:
            query = query.where(Lead.grade == grade)
        if status:
            query = query.where(Lead.status == status)
        if owner:
            query = query.where(Lead.owner == owner)
        return await self._many(query)

    async def claim(self, lead_id: int, user: str, *, dm_owner: bool = False) -> ClaimResult:
        """Atomic compare-and-set: the lead goes to ``user`` only if nobody holds it.

        Exactly one of any number of racing claims wins; the winner's card update is queued in the same
        transaction, and with ``dm_owner`` the full card for the winner's DMs after it (masked channel cards).
        A repeated claim by the owner is not a second win. Claims made at the same moment are written in one
        transaction (group commit), one compare-and-set after the other: the first of them wins.
        """
        result = await self._claims.submit((lead_id, user, dm_owner))
        if result is None:
            raise LeadNotFound(lead_id)
        return result

    async def _claim_group(self, claims: list[tuple[int, str, bool]]) -> list[ClaimResult | None]:
        now = self._db.clock()
        async with self._db.write() as session:
            return [await _claim_one(session, lead_id, user, dm_owner, now) for lead_id, user, dm_owner in claims]

    async def mark_posted(self, lead_id: int, channel: str, ts: str) -> None:
        now = self._db.clock()
        async with self._db.write() as session:
            row = await session.get(Lead, lead_id)
            if row is None:
                raise LeadNotFound(lead_id)
            row.slack_channel, row.slack_ts = channel, ts
            if row.status == LeadStatus.NEW:
                row.status = LeadStatus.POSTED
            # The card is out: its post item is finished in the same transaction, so the cards queued behind
            # it in the lane are free at once and a crash before outbox_done cannot post it again.
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.lead_id == lead_id, OutboxItem.kind == "post_card", OutboxItem.status == "pending")
                .values(status="done", done_at=now, attempts=OutboxItem.attempts + 1)
            )
            add_event(session, "posted", lead_id=lead_id, contact_id=row.contact_id, actor="leadbot", at=now,
                      data={"channel": channel, "ts": ts})

    # ---- lead work (issue 4): the policy's check runs on the locked row -------------------------------

    async def release(self, lead_id: int, actor: str, *, check: WorkCheck) -> LeadRecord:
        """Give a claimed lead back: unclaimed again, its card restored (an ``update_card`` is queued).

        Raises `WorkRefused` (the reason ``check`` gave) or `LeadNotFound`.
        """
        now = self._db.clock()
        async with self._db.write() as session:
            row = await _locked_for_work(session, lead_id, actor, check)
            previous = row.owner
            row.owner, row.claimed_at = None, None
            row.status = LeadStatus.POSTED if row.slack_ts else LeadStatus.NEW
            _work_event(session, row, "released", actor, now, {"from": previous})
            return to_record(LeadRecord, row)

    async def reassign(self, lead_id: int, to_user: str, actor: str, *, check: WorkCheck) -> LeadRecord:
        """Hand a lead (claimed or not) to ``to_user``."""
        now = self._db.clock()
        async with self._db.write() as session:
            row = await _locked_for_work(session, lead_id, actor, check)
            previous = row.owner
            row.owner, row.status, row.claimed_at = to_user, LeadStatus.CLAIMED, now
            _work_event(session, row, "reassigned", actor, now, {"from": previous, "to": to_user})
            return to_record(LeadRecord, row)

    async def log_activity(self, lead_id: int, actor: str, activity: str, text: str, *, check: WorkCheck) -> LeadRecord:
        """Record a follow-up (call, email, meeting, note): a ``follow_up`` event; the first one sets
        ``first_touch_at``."""
        now = self._db.clock()
        async with self._db.write() as session:
            row = await _locked_for_work(session, lead_id, actor, check)
            if row.first_touch_at is None:
                row.first_touch_at = now
            _work_event(session, row, "follow_up", actor, now, {"activity": activity, "text": text[:3000]})
            return to_record(LeadRecord, row)

    async def set_outcome(
        self,
        lead_id: int,
        actor: str,
        outcome: str,
        *,
        amount: float | None = None,
        reason: str | None = None,
        check: WorkCheck,
    ) -> LeadRecord:
        """Close the lead with its outcome (won with an amount, lost/disqualified with a reason, nurture)."""
        now = self._db.clock()
        async with self._db.write() as session:
            row = await _locked_for_work(session, lead_id, actor, check)
            row.status, row.outcome, row.closed_at = LeadStatus.CLOSED, outcome, now
            row.outcome_amount = amount if outcome == Outcome.WON else None
            data: dict[str, Any] = {"outcome": outcome, "amount": row.outcome_amount, "reason": reason}
            _work_event(session, row, "outcome", actor, now, data)
            return to_record(LeadRecord, row)

    async def reopen(self, lead_id: int, actor: str, *, check: WorkCheck) -> LeadRecord:
        """Re-open a closed lead (issue 14): its outcome is cleared (the ``reopened`` event keeps what it
        was); it goes back to its owner, or up for grabs if nobody held it."""
        now = self._db.clock()
        async with self._db.write() as session:
            row = await _locked_for_work(session, lead_id, actor, check)
            data = {"outcome": row.outcome, "amount": row.outcome_amount, "closed_at": _iso(row.closed_at)}
            row.outcome, row.outcome_amount, row.closed_at = None, None, None
            if row.owner:
                row.status = LeadStatus.CLAIMED
            else:
                row.status = LeadStatus.POSTED if row.slack_ts else LeadStatus.NEW
            _work_event(session, row, "reopened", actor, now, data)
            return to_record(LeadRecord, row)

    async def update_assessment(
        self, lead_id: int, *, score: int, grade: str, reasons: Sequence[str], actor: str
    ) -> None:
        """Store a new score and grade for a lead (`leadbot rescore`), with a ``rescored`` event."""
        now = self._db.clock()
        async with self._db.write() as session:
            row = await session.get(Lead, lead_id)
            if row is None:
                raise LeadNotFound(lead_id)
            before = {"score": row.score, "grade": row.grade}
            row.score, row.grade, row.reasons = score, grade, list(reasons)
            add_event(session, "rescored", lead_id=lead_id, contact_id=row.contact_id, actor=actor, at=now,
                      data={"before": before, "after": {"score": score, "grade": grade}})

    # ---- reading -------------------------------------------------------------------------------------

    async def search(self, text: str, *, limit: int = 20) -> list[LeadRecord]:
        """Leads whose fields or vendor contain ``text`` (case-insensitive), newest first."""
        needle = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        haystack = func.lower(cast(Lead.fields, String))
        return await self._many(
            select(Lead)
            .where(or_(haystack.like(needle, escape="\\"), func.lower(Lead.vendor).like(needle, escape="\\")))
            .order_by(Lead.id.desc())
            .limit(limit)
        )

    async def find(self, ref: str) -> LeadRecord | None:
        """A lead by id ("42" or "#42") or by email (that contact's newest lead)."""
        ref = ref.strip().lstrip("#")
        async with self._db.read() as session:
            if ref.isascii() and ref.isdigit() and len(ref) <= 18:
                row = await session.get(Lead, int(ref))
                return to_record(LeadRecord, row) if row else None
            row = await session.scalar(
                select(Lead)
                .join(Contact, Contact.id == Lead.contact_id)
                .where(func.lower(Contact.email) == ref.lower())
                .order_by(Lead.id.desc())
                .limit(1)
            )
            return to_record(LeadRecord, row) if row else None

    async def unclaimed_count(self) -> int:
        async with self._db.read() as session:
            query = select(func.count()).select_from(Lead).where(Lead.owner.is_(None), Lead.status == LeadStatus.POSTED)
            return await session.scalar(query) or 0

    async def unclaimed(self, *, limit: int = 20) -> list[LeadRecord]:
        """Posted cards nobody has claimed, oldest first (the ones waiting longest)."""
        return await self._many(
            select(Lead).where(Lead.owner.is_(None), Lead.status == LeadStatus.POSTED).order_by(Lead.id).limit(limit)
        )

    async def open_of(self, owner: str, *, limit: int = 20) -> list[LeadRecord]:
        """``owner``'s claimed, not yet closed leads, oldest claim first."""
        return await self._many(
            select(Lead)
            .where(Lead.owner == owner, Lead.status == LeadStatus.CLAIMED)
            .order_by(Lead.claimed_at)
            .limit(limit)
        )

    async def since(self, since: datetime, *, grade: str | None = None, limit: int = 500) -> list[LeadRecord]:
        query = select(Lead).where(Lead.created_at >= since).order_by(Lead.id).limit(limit)
        if grade:
            query = query.where(Lead.grade == grade)
        return await self._many(query)

    async def for_message(self, message_id: int) -> list[LeadRecord]:
        return await self._many(select(Lead).where(Lead.message_id == message_id).order_by(Lead.id))

    async def outcome_samples(self, *, limit: int = 50000) -> list[OutcomeSample]:
        """Every lead with a recorded outcome (newest first), as learning reads them."""
        async with self._db.read() as session:
            rows = await session.scalars(
                select(Lead).where(Lead.outcome.is_not(None)).order_by(Lead.id.desc()).limit(limit)
            )
            return [to_record(OutcomeSample, r, lead_id="id") for r in rows]

    async def counts(self) -> PipelineCounts:
        """Totals over messages, leads and the outbox (`leadbot leads`, the demo's summary)."""
        async with self._db.read() as session:
            messages = await session.scalar(select(func.count()).select_from(InboundMessage)) or 0
            failed_q = select(func.count()).select_from(InboundMessage).where(
                InboundMessage.status == MessageStatus.FAILED
            )
            failed = await session.scalar(failed_q) or 0
            grades = dict((await session.execute(select(Lead.grade, func.count()).group_by(Lead.grade))).all())
            statuses = dict((await session.execute(select(Lead.status, func.count()).group_by(Lead.status))).all())
            pending = await pending_count(session)
        return PipelineCounts(
            messages=messages,
            failed_messages=failed,
            leads=sum(grades.values()),
            by_grade=grades,
            by_status=statuses,
            outbox_pending=pending,
        )


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None
