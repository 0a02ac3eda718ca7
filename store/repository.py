"""The store's one door: an async repository over SQLAlchemy 2 (SQLite via aiosqlite, or PostgreSQL).

Every method is one short transaction. On SQLite, writes go through a single asyncio lock (one writer,
as SQLite allows one anyway: queueing in Python beats "database is locked" after a busy timeout).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, and_, cast, delete, event, func, or_, select, update
from sqlalchemy import insert as sa_insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from parsers.errors import RequestRefused
from parsers.lead import RawMessage
from parsers.verify import contact_phone
from store.matching import NAME_THRESHOLD, name_similarity, names_compatible, normalise_postal
from store.records import (
    AcceptedMessage,
    ClaimResult,
    ContactHistory,
    ContactRecord,
    DraftRecord,
    EventRecord,
    ImportCandidate,
    ImportOutcome,
    IntakeKeyClaim,
    LeadRecord,
    MessageRecord,
    NewLead,
    OutboxRecord,
    OutcomeSample,
    SlaTimerRecord,
)
from store.tables import (
    ChatDraft,
    Contact,
    Event,
    ImportBatch,
    ImportRow,
    InboundMessage,
    IntakeKey,
    Lead,
    OutboxItem,
    RepStatus,
    SlackEvent,
    SlaTimer,
)

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


class LeadNotFound(RequestRefused, LookupError):
    pass


class WorkRefused(RequestRefused):
    """A rep may not do that to this lead: ``reason`` is "not_yours", "not_claimed" or "closed" (issue 4)."""

    def __init__(self, reason: str, lead: LeadRecord) -> None:
        super().__init__(f"lead {lead.id}: {reason}")
        self.reason = reason
        self.lead = lead


@dataclass(frozen=True, slots=True)
class PipelineCounts:
    """Totals for `leadbot leads` and the demo's closing summary."""

    messages: int
    failed_messages: int
    leads: int
    by_grade: dict[str, int]
    by_status: dict[str, int]
    outbox_pending: int


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    # WAL: readers never block the writer; NORMAL sync is durable across process crashes in WAL mode.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Other processes (the CLI while the service runs) wait instead of failing at once.
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def create_engine(url: str) -> AsyncEngine:
    engine = create_async_engine(url, pool_pre_ping=not url.startswith("sqlite"))
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


class Store:
    """Repository for inbound messages, leads, contacts, events and the Slack outbox."""

    def __init__(self, engine: AsyncEngine, *, clock: Clock = utcnow) -> None:
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        self._clock = clock
        self._write_lock: asyncio.Lock | None = asyncio.Lock() if engine.dialect.name == "sqlite" else None

    @classmethod
    def open(cls, url: str, *, clock: Clock = utcnow) -> Store:
        return cls(create_engine(url), clock=clock)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision."""
        from store.migrate import upgrade

        async with self.engine.begin() as conn:
            await conn.run_sync(upgrade)

    async def close(self) -> None:
        await self.engine.dispose()

    @asynccontextmanager
    async def _write(self) -> AsyncIterator[AsyncSession]:
        if self._write_lock is None:
            async with self._sessions.begin() as session:
                yield session
            return
        async with self._write_lock, self._sessions.begin() as session:
            yield session

    @asynccontextmanager
    async def _read(self) -> AsyncIterator[AsyncSession]:
        async with self._sessions() as session:
            yield session

    # ---- inbound messages -------------------------------------------------------------------------

    async def accept_message(
        self, message: RawMessage, *, dedup_key: str, subject: str | None = None
    ) -> AcceptedMessage:
        """Store raw input durably. A resend (same dedup key) is recorded once and reported duplicate.

        One statement, one commit: ``INSERT … ON CONFLICT (dedup_key) DO NOTHING RETURNING id``.
        """
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = (
            insert(InboundMessage)
            .values(
                channel=message.channel,
                sender=message.sender,
                recipients=list(message.recipients),
                received_at=message.received_at or self._clock(),
                dedup_key=dedup_key,
                raw=message.raw,
                size=len(message.raw),
                subject=subject[:998] if subject else None,
                status="received",
                attempts=0,
            )
            .on_conflict_do_nothing(index_elements=["dedup_key"])
            .returning(InboundMessage.id)
        )
        async with self._write() as session:
            new_id = await session.scalar(statement)
            if new_id is not None:
                return AcceptedMessage(new_id, duplicate=False)
            existing = await session.scalar(select(InboundMessage.id).where(InboundMessage.dedup_key == dedup_key))
            assert existing is not None, "conflicting row vanished inside the transaction"
            return AcceptedMessage(existing, duplicate=True)

    async def get_message(self, message_id: int) -> MessageRecord | None:
        async with self._read() as session:
            row = await session.get(InboundMessage, message_id)
            return _message_record(row) if row else None

    async def list_messages(self, *, status: str | None = None, limit: int = 100) -> list[MessageRecord]:
        query = select(InboundMessage).order_by(InboundMessage.id.desc()).limit(limit)
        if status:
            query = query.where(InboundMessage.status == status)
        async with self._read() as session:
            return [_message_record(r) for r in await session.scalars(query)]

    async def unprocessed_message_ids(self) -> list[int]:
        """Messages accepted but not yet turned into leads (after a crash, these are re-run)."""
        async with self._read() as session:
            rows = await session.scalars(
                select(InboundMessage.id)
                .where(InboundMessage.status == "received")
                .order_by(InboundMessage.id)
            )
            return list(rows)

    async def mark_message_failed(self, message_id: int, error: str) -> None:
        async with self._write() as session:
            await session.execute(
                update(InboundMessage)
                .where(InboundMessage.id == message_id)
                .values(
                    status="failed",
                    error=error[:20000],
                    attempts=InboundMessage.attempts + 1,
                    processed_at=self._clock(),
                )
            )

    async def reset_message(self, message_id: int) -> MessageRecord:
        """Put a message back to "received" so it is processed again (`leadbot replay`)."""
        async with self._write() as session:
            row = await session.get(InboundMessage, message_id)
            if row is None:
                raise LookupError(f"no message with id {message_id}")
            row.status, row.error = "received", None
            return _message_record(row)

    async def complete_message(
        self, message_id: int, leads: Sequence[NewLead], *, vendor: str | None, actor: str = "leadbot"
    ) -> list[LeadRecord]:
        """Store the message's leads, their intake events and card posts, and mark it processed.

        One transaction, and only for a message still "received": a message is turned into leads exactly
        once, even if two workers (or a restarted process) race on it.
        """
        now = self._clock()
        async with self._write() as session:
            taken = await session.execute(
                update(InboundMessage)
                .where(InboundMessage.id == message_id, InboundMessage.status == "received")
                .values(
                    status="processed" if leads else "no_lead",
                    processed_at=now,
                    vendor=vendor,
                    attempts=InboundMessage.attempts + 1,
                    error=None,
                )
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                return []
            rows = [await self._insert_lead(session, lead, message_id, actor, now) for lead in leads]
            return [_lead_record(r) for r in rows]

    async def add_lead(self, lead: NewLead, *, actor: str = "leadbot", message_id: int | None = None) -> LeadRecord:
        """Store a lead that did not come from an inbound message (chat intake, import)."""
        now = self._clock()
        async with self._write() as session:
            return _lead_record(await self._insert_lead(session, lead, message_id, actor, now))

    async def _insert_lead(
        self, session: AsyncSession, lead: NewLead, message_id: int | None, actor: str, now: datetime
    ) -> Lead:
        """File one lead under its contact (issue 5: one contact per person).

        A repeat inquiry from a person whose earlier lead is still open is stored with status
        "duplicate" and gets no card of its own: the earlier card's thread hears about it, and its owner
        (if someone works it) gets a DM. The vendor's duplicate is counted (event ``duplicate``).
        """
        contact, how, similarity = await self._find_or_create_contact(session, lead, now)
        open_lead = None
        if how is not None:
            open_lead = await session.scalar(
                select(Lead)
                .where(
                    Lead.contact_id == contact.id,
                    Lead.grade.in_(("A", "B")),
                    Lead.status.in_(("new", "posted", "claimed")),
                    Lead.closed_at.is_(None),
                )
                .order_by(Lead.id.desc())
                .limit(1)
            )
        row = Lead(
            message_id=message_id,
            contact_id=contact.id,
            vendor=lead.vendor,
            channel=lead.channel,
            fields=dict(lead.fields),
            provenance=dict(lead.provenance),
            score=lead.score,
            grade=lead.grade,
            reasons=list(lead.reasons),
            status="new" if open_lead is None else "duplicate",
            owner=None if open_lead is None else open_lead.owner,
            created_at=now,
        )
        session.add(row)
        await session.flush()
        session.add(
            Event(
                lead_id=row.id,
                contact_id=contact.id,
                kind="intake",
                actor=actor,
                at=now,
                data={
                    "vendor": lead.vendor,
                    "channel": lead.channel,
                    "grade": lead.grade,
                    "score": lead.score,
                    "contact_match": how,
                },
            )
        )
        if how == "name+postal":
            # A fuzzy match is a judgement: record it as a merge, so `leadbot contacts unmerge` can undo it.
            session.add(
                Event(
                    lead_id=row.id,
                    contact_id=contact.id,
                    kind="merged",
                    actor=actor,
                    at=now,
                    data={"how": how, "into": contact.id, "from": None, "leads": [row.id], "similarity": similarity},
                )
            )
        if open_lead is not None:
            await self._tell_about_repeat(session, row, open_lead, lead, now)
            return row
        if lead.post_to:
            session.add(_outbox("post_card", row.id, lead.post_to, {}, now))
            if lead.claim_due_at is not None:
                session.add(
                    SlaTimer(lead_id=row.id, kind="claim", step=0, started_at=now, due_at=lead.claim_due_at,
                             status="pending")
                )
        return row

    async def _tell_about_repeat(
        self, session: AsyncSession, row: Lead, original: Lead, lead: NewLead, now: datetime
    ) -> None:
        notice = lead.notice or f"{lead.vendor or lead.channel} sent this person again"
        session.add(
            Event(
                lead_id=row.id,
                contact_id=row.contact_id,
                kind="duplicate",
                actor="leadbot",
                at=now,
                data={"of_lead": original.id, "vendor": lead.vendor, "owner": original.owner, "post_to": lead.post_to},
            )
        )
        channel = original.slack_channel or await session.scalar(
            select(OutboxItem.channel)
            .where(OutboxItem.lead_id == original.id, OutboxItem.kind == "post_card")
            .order_by(OutboxItem.id)
            .limit(1)
        )
        if channel:
            text = f"Repeat inquiry (lead #{row.id}): {notice}"
            session.add(_outbox("post_text", original.id, channel, {"text": text, "in_thread": True}, now))
        if original.owner:
            text = f"A lead you are working (#{original.id}) asked again (lead #{row.id}): {notice}"
            session.add(_outbox("dm", original.id, None, {"user": original.owner, "text": text}, now))

    async def _find_or_create_contact(
        self, session: AsyncSession, lead: NewLead, now: datetime
    ) -> tuple[Contact, str | None, float | None]:
        """The person this lead is from: (contact, how it matched or None for a new one, name similarity)."""
        name = lead.fields.get("full_name") or " ".join(
            p for p in (lead.fields.get("first_name"), lead.fields.get("last_name")) if p
        )
        postal = normalise_postal(lead.fields.get("postal_code"))
        active = Contact.merged_into.is_(None)
        contact: Contact | None = None
        how: str | None = None
        similarity: float | None = None
        if lead.contact_email:
            contact = await session.scalar(
                select(Contact).where(Contact.email == lead.contact_email, active).order_by(Contact.id).limit(1)
            )
            how = "email" if contact else None
        if contact is None and lead.contact_phone:
            # A shared number (a company's switchboard) must not merge two people: the names must agree.
            for candidate in await session.scalars(
                select(Contact).where(Contact.phone == lead.contact_phone, active).order_by(Contact.id).limit(50)
            ):
                if names_compatible(candidate.name, name):
                    contact, how = candidate, "phone"
                    break
        if contact is None and name and postal:
            best = 0.0
            for candidate in await session.scalars(
                select(Contact)
                .where(Contact.postal_code == postal, Contact.name.is_not(None), active)
                .order_by(Contact.id)
                .limit(500)
            ):
                score = name_similarity(candidate.name or "", name)
                if score >= NAME_THRESHOLD and score > best:
                    contact, how, best = candidate, "name+postal", score
            similarity = best or None
        if contact is None:
            contact = Contact(
                email=lead.contact_email,
                phone=lead.contact_phone,
                name=name or None,
                postal_code=postal,
                created_at=now,
            )
            session.add(contact)
            await session.flush()
        else:
            contact.email = contact.email or lead.contact_email
            contact.phone = contact.phone or lead.contact_phone
            contact.name = contact.name or name or None
            contact.postal_code = contact.postal_code or postal
        return contact, how, similarity

    # ---- leads --------------------------------------------------------------------------------------

    async def get_lead(self, lead_id: int) -> LeadRecord | None:
        async with self._read() as session:
            row = await session.get(Lead, lead_id)
            return _lead_record(row) if row else None

    async def list_leads(
        self,
        *,
        grade: str | None = None,
        status: str | None = None,
        owner: str | None = None,
        limit: int = 50,
    ) -> list[LeadRecord]:
        query = select(Lead).order_by(Lead.id.desc()).limit(limit)
        if grade:
            query = query.where(Lead.grade == grade)
        if status:
            query = query.where(Lead.status == status)
        if owner:
            query = query.where(Lead.owner == owner)
        async with self._read() as session:
            return [_lead_record(r) for r in await session.scalars(query)]

    async def claim_lead(self, lead_id: int, user: str) -> ClaimResult:
        """Atomic compare-and-set: the lead goes to ``user`` only if nobody holds it.

        Exactly one of any number of racing claims wins; the winner's card update is queued in the same
        transaction. A repeated claim by the owner is not a second win.
        """
        now = self._clock()
        async with self._write() as session:
            taken = await session.execute(
                update(Lead)
                .where(Lead.id == lead_id, Lead.owner.is_(None), Lead.status.in_(("new", "posted")))
                .values(owner=user, status="claimed", claimed_at=now)
            )
            won = taken.rowcount == 1  # type: ignore[attr-defined]
            row = await session.get(Lead, lead_id, populate_existing=True)
            if row is None:
                raise LeadNotFound(lead_id)
            if won:
                session.add(Event(lead_id=lead_id, contact_id=row.contact_id, kind="claimed", actor=user, at=now))
                if row.slack_channel:
                    session.add(_outbox("update_card", lead_id, row.slack_channel, {}, now))
            return ClaimResult(won, _lead_record(row))

    async def mark_posted(self, lead_id: int, channel: str, ts: str) -> None:
        now = self._clock()
        async with self._write() as session:
            row = await session.get(Lead, lead_id)
            if row is None:
                raise LeadNotFound(lead_id)
            row.slack_channel, row.slack_ts = channel, ts
            if row.status == "new":
                row.status = "posted"
            # The card is out: its post item is finished in the same transaction, so the cards queued behind
            # it in the lane are free at once and a crash before outbox_done cannot post it again.
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.lead_id == lead_id, OutboxItem.kind == "post_card", OutboxItem.status == "pending")
                .values(status="done", done_at=now, attempts=OutboxItem.attempts + 1)
            )
            session.add(
                Event(
                    lead_id=lead_id,
                    contact_id=row.contact_id,
                    kind="posted",
                    actor="leadbot",
                    at=now,
                    data={"channel": channel, "ts": ts},
                )
            )

    async def record_event(
        self, lead_id: int, kind: str, *, actor: str | None, data: dict[str, Any] | None = None
    ) -> EventRecord:
        now = self._clock()
        async with self._write() as session:
            row = await session.get(Lead, lead_id)
            if row is None:
                raise LeadNotFound(lead_id)
            ev = Event(lead_id=lead_id, contact_id=row.contact_id, kind=kind, actor=actor, at=now, data=data or {})
            session.add(ev)
            await session.flush()
            return _event_record(ev)

    async def events_for_lead(self, lead_id: int) -> list[EventRecord]:
        async with self._read() as session:
            rows = await session.scalars(select(Event).where(Event.lead_id == lead_id).order_by(Event.id))
            return [_event_record(e) for e in rows]

    async def counts(self) -> PipelineCounts:
        async with self._read() as session:
            messages = await session.scalar(select(func.count()).select_from(InboundMessage)) or 0
            failed = (
                await session.scalar(
                    select(func.count()).select_from(InboundMessage).where(InboundMessage.status == "failed")
                )
                or 0
            )
            grades = dict((await session.execute(select(Lead.grade, func.count()).group_by(Lead.grade))).all())
            statuses = dict(
                (await session.execute(select(Lead.status, func.count()).group_by(Lead.status))).all()
            )
            pending = (
                await session.scalar(
                    select(func.count()).select_from(OutboxItem).where(OutboxItem.status == "pending")
                )
                or 0
            )
        return PipelineCounts(
            messages=messages,
            failed_messages=failed,
            leads=sum(grades.values()),
            by_grade=grades,
            by_status=statuses,
            outbox_pending=pending,
        )

    # ---- outbox -------------------------------------------------------------------------------------

    async def enqueue(
        self, kind: str, *, lead_id: int | None, channel: str | None, payload: dict[str, Any] | None = None
    ) -> int:
        now = self._clock()
        async with self._write() as session:
            item = _outbox(kind, lead_id, channel, payload or {}, now)
            session.add(item)
            await session.flush()
            return item.id

    async def due_outbox(self, *, limit: int = 50) -> list[OutboxRecord]:
        """Pending items whose time has come, oldest first (the order cards were queued in)."""
        async with self._read() as session:
            rows = await session.scalars(
                select(OutboxItem)
                .where(OutboxItem.status == "pending", OutboxItem.next_attempt_at <= self._clock())
                .order_by(OutboxItem.id)
                .limit(limit)
            )
            return [_outbox_record(r) for r in rows]

    async def pending_outbox_count(self) -> int:
        async with self._read() as session:
            return (
                await session.scalar(
                    select(func.count()).select_from(OutboxItem).where(OutboxItem.status == "pending")
                )
                or 0
            )

    async def outbox_done(self, item_id: int) -> None:
        async with self._write() as session:
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == item_id)
                .values(status="done", done_at=self._clock(), attempts=OutboxItem.attempts + 1)
            )

    async def outbox_retry(self, item_id: int, error: str, *, delay: timedelta, give_up: bool = False) -> None:
        async with self._write() as session:
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == item_id)
                .values(
                    status="dead" if give_up else "pending",
                    attempts=OutboxItem.attempts + 1,
                    last_error=error[:4000],
                    next_attempt_at=self._clock() + delay,
                )
            )

    # ---- lead work: activity, outcomes, release, reassign, search, stats (issue 4) -----------------

    async def _lead_for_work(self, session: AsyncSession, lead_id: int, actor: str, manager: bool) -> Lead:
        """The lead, locked for this transaction, if ``actor`` may work it (its owner, or a manager)."""
        row = await session.get(Lead, lead_id, with_for_update=True, populate_existing=True)
        if row is None:
            raise LeadNotFound(lead_id)
        if not manager and row.owner != actor:
            raise WorkRefused("not_yours" if row.owner else "not_claimed", _lead_record(row))
        return row

    def _work_event(
        self, session: AsyncSession, row: Lead, kind: str, actor: str, now: datetime, data: dict[str, Any]
    ) -> None:
        session.add(Event(lead_id=row.id, contact_id=row.contact_id, kind=kind, actor=actor, at=now, data=data))
        if row.slack_channel:
            session.add(_outbox("update_card", row.id, row.slack_channel, {}, now))

    async def release_lead(self, lead_id: int, actor: str, *, manager: bool = False) -> LeadRecord:
        """Give a claimed lead back: unclaimed again, its card restored (an ``update_card`` is queued).

        Raises `WorkRefused` ("not_yours", "not_claimed", "closed") or `LeadNotFound`.
        """
        now = self._clock()
        async with self._write() as session:
            row = await self._lead_for_work(session, lead_id, actor, manager)
            if row.status == "closed":
                raise WorkRefused("closed", _lead_record(row))
            if row.owner is None:
                raise WorkRefused("not_claimed", _lead_record(row))
            previous = row.owner
            row.owner, row.claimed_at = None, None
            row.status = "posted" if row.slack_ts else "new"
            self._work_event(session, row, "released", actor, now, {"from": previous})
            return _lead_record(row)

    async def reassign_lead(self, lead_id: int, to_user: str, actor: str) -> LeadRecord:
        """Hand a lead (claimed or not) to ``to_user``. The caller checks that ``actor`` is a manager."""
        now = self._clock()
        async with self._write() as session:
            row = await self._lead_for_work(session, lead_id, actor, manager=True)
            if row.status == "closed":
                raise WorkRefused("closed", _lead_record(row))
            previous = row.owner
            row.owner, row.status, row.claimed_at = to_user, "claimed", now
            self._work_event(session, row, "reassigned", actor, now, {"from": previous, "to": to_user})
            return _lead_record(row)

    async def log_activity(
        self, lead_id: int, actor: str, activity: str, text: str, *, manager: bool = False
    ) -> LeadRecord:
        """Record a follow-up (call, email, meeting, note): a ``follow_up`` event; the first one sets
        ``first_touch_at``."""
        now = self._clock()
        async with self._write() as session:
            row = await self._lead_for_work(session, lead_id, actor, manager)
            if row.first_touch_at is None:
                row.first_touch_at = now
            self._work_event(session, row, "follow_up", actor, now, {"activity": activity, "text": text[:3000]})
            return _lead_record(row)

    async def set_outcome(
        self,
        lead_id: int,
        actor: str,
        outcome: str,
        *,
        amount: float | None = None,
        reason: str | None = None,
        manager: bool = False,
    ) -> LeadRecord:
        """Close the lead with its outcome (won with an amount, lost/disqualified with a reason, nurture)."""
        now = self._clock()
        async with self._write() as session:
            row = await self._lead_for_work(session, lead_id, actor, manager)
            row.status, row.outcome, row.closed_at = "closed", outcome, now
            row.outcome_amount = amount if outcome == "won" else None
            data: dict[str, Any] = {"outcome": outcome, "amount": row.outcome_amount, "reason": reason}
            self._work_event(session, row, "outcome", actor, now, data)
            return _lead_record(row)

    async def search_leads(self, text: str, *, limit: int = 20) -> list[LeadRecord]:
        """Leads whose fields or vendor contain ``text`` (case-insensitive), newest first."""
        needle = "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        haystack = func.lower(cast(Lead.fields, String))
        query = (
            select(Lead)
            .where(or_(haystack.like(needle, escape="\\"), func.lower(Lead.vendor).like(needle, escape="\\")))
            .order_by(Lead.id.desc())
            .limit(limit)
        )
        async with self._read() as session:
            return [_lead_record(r) for r in await session.scalars(query)]

    async def find_lead(self, ref: str) -> LeadRecord | None:
        """A lead by id ("42" or "#42") or by email (that contact's newest lead)."""
        ref = ref.strip().lstrip("#")
        async with self._read() as session:
            if ref.isascii() and ref.isdigit() and len(ref) <= 18:
                row = await session.get(Lead, int(ref))
                return _lead_record(row) if row else None
            row = await session.scalar(
                select(Lead)
                .join(Contact, Contact.id == Lead.contact_id)
                .where(func.lower(Contact.email) == ref.lower())
                .order_by(Lead.id.desc())
                .limit(1)
            )
            return _lead_record(row) if row else None

    async def unclaimed_count(self) -> int:
        async with self._read() as session:
            query = select(func.count()).select_from(Lead).where(Lead.owner.is_(None), Lead.status == "posted")
            return await session.scalar(query) or 0

    async def unclaimed_leads(self, *, limit: int = 20) -> list[LeadRecord]:
        """Posted cards nobody has claimed, oldest first (the ones waiting longest)."""
        query = (
            select(Lead).where(Lead.owner.is_(None), Lead.status == "posted").order_by(Lead.id).limit(limit)
        )
        async with self._read() as session:
            return [_lead_record(r) for r in await session.scalars(query)]

    async def open_leads_of(self, owner: str, *, limit: int = 20) -> list[LeadRecord]:
        """``owner``'s claimed, not yet closed leads, oldest claim first."""
        query = (
            select(Lead).where(Lead.owner == owner, Lead.status == "claimed").order_by(Lead.claimed_at).limit(limit)
        )
        async with self._read() as session:
            return [_lead_record(r) for r in await session.scalars(query)]

    async def seen_event(self, event_id: str) -> bool:
        """Remember a Slack ``event_id``; True if it was seen before (a retry to ignore)."""
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = (
            insert(SlackEvent)
            .values(event_id=event_id[:64], seen_at=self._clock())
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(SlackEvent.event_id)
        )
        async with self._write() as session:
            return await session.scalar(statement) is None

    async def forget_events(self, *, older_than: timedelta) -> int:
        """Drop remembered event ids past Slack's retry window (it retries within minutes)."""
        async with self._write() as session:
            result = await session.execute(delete(SlackEvent).where(SlackEvent.seen_at < self._clock() - older_than))
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

    async def due_lane_heads(self, *, limit: int = 500) -> list[OutboxRecord]:
        """The outbox items to do now, oldest first: due, and each the head of its channel's lane.

        A channel is a lane delivered in queue order: an item is not handed out while an earlier item of its
        channel is still pending (waiting out a backoff, say), so no card overtakes another, and a retry can
        be written with its real delay.
        """
        query = (
            select(OutboxItem)
            .where(_lane_head(), OutboxItem.next_attempt_at <= self._clock())
            .order_by(OutboxItem.id)
            .limit(limit)
        )
        async with self._read() as session:
            return [_outbox_record(r) for r in await session.scalars(query)]

    async def revive_card_updates(self) -> int:
        """Give every card whose last update went dead one more update (pending, attempt count reset).

        The card is rendered from the lead as it is when the update runs, so one fresh attempt repairs a
        card that missed any number of changes (Slack was down longer than the retries lasted).
        """
        now = self._clock()
        async with self._write() as session:
            dead = select(OutboxItem.lead_id).where(
                OutboxItem.kind == "update_card", OutboxItem.status == "dead", OutboxItem.lead_id.is_not(None)
            )
            pending = select(OutboxItem.lead_id).where(
                OutboxItem.kind == "update_card", OutboxItem.status == "pending", OutboxItem.lead_id.is_not(None)
            )
            rows = (
                await session.execute(
                    select(Lead.id, Lead.slack_channel).where(
                        Lead.id.in_(dead), Lead.id.not_in(pending), Lead.slack_ts.is_not(None)
                    )
                )
            ).all()
            for lead_id, channel in rows:
                session.add(_outbox("update_card", lead_id, channel, {"repair": True}, now))
            # the dead items are answered: keep them for the record, but do not revive them again
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.kind == "update_card", OutboxItem.status == "dead")
                .values(status="repaired")
            )
            return len(rows)

    async def card_channel(self, lead_id: int) -> str | None:
        """Where the lead's card was posted, or is queued to be (None: it gets no card)."""
        async with self._read() as session:
            posted = await session.scalar(select(Lead.slack_channel).where(Lead.id == lead_id))
            if posted:
                return posted
            return await session.scalar(
                select(OutboxItem.channel)
                .where(OutboxItem.lead_id == lead_id, OutboxItem.kind == "post_card")
                .order_by(OutboxItem.id.desc())
                .limit(1)
            )

    async def next_outbox_at(self) -> datetime | None:
        """When the next lane head falls due (None: nothing pending)."""
        async with self._read() as session:
            return await session.scalar(select(func.min(OutboxItem.next_attempt_at)).where(_lane_head()))

    async def create_draft(
        self,
        *,
        message_id: int | None,
        author: str | None,
        channel: str | None,
        vendor: str | None,
        fields: dict[str, str],
        provenance: dict[str, dict[str, Any]],
    ) -> DraftRecord:
        """Keep a lead read from chat until someone confirms it. Its stored message leaves "received" (so a
        restart's recovery does not turn it into a lead behind the confirming person's back)."""
        now = self._clock()
        async with self._write() as session:
            if message_id is not None:
                await session.execute(
                    update(InboundMessage)
                    .where(InboundMessage.id == message_id, InboundMessage.status == "received")
                    .values(status="draft", processed_at=now, vendor=vendor, attempts=InboundMessage.attempts + 1)
                )
            row = ChatDraft(
                message_id=message_id,
                author=author,
                channel=channel,
                vendor=vendor,
                fields=dict(fields),
                provenance=dict(provenance),
                status="pending",
                created_at=now,
            )
            session.add(row)
            await session.flush()
            return _draft_record(row)

    async def get_draft(self, draft_id: int) -> DraftRecord | None:
        async with self._read() as session:
            row = await session.get(ChatDraft, draft_id)
            return _draft_record(row) if row else None

    async def draft_for_message(self, message_id: int) -> DraftRecord | None:
        async with self._read() as session:
            row = await session.scalar(select(ChatDraft).where(ChatDraft.message_id == message_id).limit(1))
            return _draft_record(row) if row else None

    async def set_draft_reply(self, draft_id: int, channel: str, reply_ts: str) -> None:
        async with self._write() as session:
            await session.execute(
                update(ChatDraft).where(ChatDraft.id == draft_id).values(channel=channel, reply_ts=reply_ts)
            )

    async def edit_draft(self, draft_id: int, fields: dict[str, str]) -> DraftRecord | None:
        """Replace a pending draft's fields (the Edit modal); None if it is no longer pending."""
        async with self._write() as session:
            row = await session.get(ChatDraft, draft_id, with_for_update=True)
            if row is None or row.status != "pending":
                return None
            row.fields = dict(fields)
            row.provenance = {**(row.provenance or {}), **{name: {"source": "edited"} for name in fields}}
            return _draft_record(row)

    async def confirm_draft(self, draft_id: int, user: str, lead: NewLead) -> LeadRecord | None:
        """Compare-and-set pending → confirmed, storing ``lead`` (and its card post) in the same
        transaction; None if the draft was already confirmed or discarded (a double click)."""
        now = self._clock()
        async with self._write() as session:
            taken = await session.execute(
                update(ChatDraft)
                .where(ChatDraft.id == draft_id, ChatDraft.status == "pending")
                .values(status="confirmed", decided_at=now, decided_by=user)
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                return None
            draft = await session.get(ChatDraft, draft_id, populate_existing=True)
            assert draft is not None
            row = await self._insert_lead(session, lead, draft.message_id, user, now)
            draft.lead_id = row.id
            if draft.message_id is not None:
                await session.execute(
                    update(InboundMessage).where(InboundMessage.id == draft.message_id).values(status="processed")
                )
            return _lead_record(row)

    async def discard_draft(self, draft_id: int, user: str) -> bool:
        """Compare-and-set pending → discarded; False if it was no longer pending."""
        now = self._clock()
        async with self._write() as session:
            taken = await session.execute(
                update(ChatDraft)
                .where(ChatDraft.id == draft_id, ChatDraft.status == "pending")
                .values(status="discarded", decided_at=now, decided_by=user)
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                return False
            draft = await session.get(ChatDraft, draft_id, populate_existing=True)
            if draft is not None and draft.message_id is not None:
                await session.execute(
                    update(InboundMessage).where(InboundMessage.id == draft.message_id).values(status="discarded")
                )
            return True


    # ---- assessment: contacts, SLA timers, reps' availability, learning (issue 5) -------------------

    async def find_contact(self, text: str, *, region: str = "US") -> int | None:
        """A contact's id from its id ("42", "#42"), email or phone (any format); merged ones lead on."""
        text = text.strip()
        async with self._read() as session:
            contact: Contact | None = None
            if text.lstrip("#").isdigit() and len(text.lstrip("#")) < 10:
                contact = await session.get(Contact, int(text.lstrip("#")))
            elif "@" in text:
                contact = await session.scalar(
                    select(Contact).where(func.lower(Contact.email) == text.lower()).order_by(Contact.id).limit(1)
                )
            else:
                phone = contact_phone(text, region)
                if phone:
                    contact = await session.scalar(
                        select(Contact).where(Contact.phone == phone).order_by(Contact.id).limit(1)
                    )
            seen = 0
            while contact is not None and contact.merged_into is not None and seen < 20:
                contact, seen = await session.get(Contact, contact.merged_into), seen + 1
            return contact.id if contact else None

    async def get_contact(self, contact_id: int) -> ContactRecord | None:
        async with self._read() as session:
            row = await session.get(Contact, contact_id)
            return _contact_record(row) if row else None

    async def contact_history(self, contact_id: int) -> ContactHistory | None:
        """The 360° view: the contact, every lead and every event about them, newest first."""
        async with self._read() as session:
            row = await session.get(Contact, contact_id)
            if row is None:
                return None
            leads = await session.scalars(
                select(Lead).where(Lead.contact_id == contact_id).order_by(Lead.created_at.desc(), Lead.id.desc())
            )
            events = await session.scalars(
                select(Event).where(Event.contact_id == contact_id).order_by(Event.at.desc(), Event.id.desc())
            )
            return ContactHistory(
                contact=_contact_record(row),
                leads=tuple(_lead_record(r) for r in leads),
                events=tuple(_event_record(e) for e in events),
            )

    async def merge_contacts(self, into_id: int, from_id: int, *, actor: str) -> EventRecord:
        """Make two contacts one: ``from_id``'s leads and events move to ``into_id``. Undo with `unmerge`."""
        if into_id == from_id:
            raise ValueError("a contact cannot be merged into itself")
        now = self._clock()
        async with self._write() as session:
            into, other = await session.get(Contact, into_id), await session.get(Contact, from_id)
            for cid, c in ((into_id, into), (from_id, other)):
                if c is None:
                    raise LookupError(f"no contact with id {cid}")
                if c.merged_into is not None:
                    raise ValueError(f"contact {cid} was already merged into {c.merged_into}")
            assert into is not None and other is not None
            lead_ids = list(await session.scalars(select(Lead.id).where(Lead.contact_id == from_id)))
            event_ids = list(await session.scalars(select(Event.id).where(Event.contact_id == from_id)))
            filled = {}
            for attr in ("email", "phone", "name", "postal_code"):
                if getattr(into, attr) is None and getattr(other, attr) is not None:
                    filled[attr] = getattr(other, attr)
                    setattr(into, attr, getattr(other, attr))
            await session.execute(update(Lead).where(Lead.contact_id == from_id).values(contact_id=into_id))
            await session.execute(update(Event).where(Event.contact_id == from_id).values(contact_id=into_id))
            other.merged_into = into_id
            ev = Event(
                lead_id=None,
                contact_id=into_id,
                kind="merged",
                actor=actor,
                at=now,
                data={"how": "manual", "into": into_id, "from": from_id, "leads": lead_ids, "events": event_ids,
                      "filled": filled},
            )
            session.add(ev)
            await session.flush()
            return _event_record(ev)

    async def unmerge(self, event_id: int, *, actor: str) -> EventRecord:
        """Undo a merge (manual, or a fuzzy match made at intake): the leads go back to a contact of their own."""
        now = self._clock()
        async with self._write() as session:
            merged = await session.get(Event, event_id)
            if merged is None or merged.kind != "merged":
                raise LookupError(f"event {event_id} is not a merge")
            undone = await session.scalars(select(Event).where(Event.kind == "unmerged"))
            if any((e.data or {}).get("undoes") == event_id for e in undone):
                raise ValueError(f"merge {event_id} was already undone")
            data = dict(merged.data or {})
            into_id = int(data["into"])
            lead_ids = [int(i) for i in data.get("leads", [])]
            event_ids = [int(i) for i in data.get("events", [])]
            requeued: list[int] = []
            if data.get("from") is not None:
                target = await session.get(Contact, int(data["from"]))
                if target is None:
                    raise LookupError(f"contact {data['from']} is gone")
                target.merged_into = None
                into = await session.get(Contact, into_id)
                if into is not None:
                    for attr, value in (data.get("filled") or {}).items():
                        if getattr(into, attr) == value:
                            setattr(into, attr, None)
            else:
                # A fuzzy match at intake: the lead becomes a person of its own again.
                first = await session.get(Lead, lead_ids[0]) if lead_ids else None
                fields = dict(first.fields or {}) if first else {}
                target = Contact(
                    email=(fields.get("email") or "").strip().lower() or None,
                    phone=contact_phone(fields.get("phone"), "US"),
                    name=fields.get("full_name")
                    or " ".join(p for p in (fields.get("first_name"), fields.get("last_name")) if p)
                    or None,
                    postal_code=normalise_postal(fields.get("postal_code")),
                    created_at=now,
                )
                session.add(target)
                await session.flush()
                event_ids = list(
                    await session.scalars(select(Event.id).where(Event.lead_id.in_(lead_ids), Event.id != event_id))
                )
                requeued = await self._requeue_duplicates(session, lead_ids, now)
            if lead_ids:
                await session.execute(update(Lead).where(Lead.id.in_(lead_ids)).values(contact_id=target.id))
            if event_ids:
                await session.execute(update(Event).where(Event.id.in_(event_ids)).values(contact_id=target.id))
            ev = Event(
                lead_id=None,
                contact_id=target.id,
                kind="unmerged",
                actor=actor,
                at=now,
                data={"undoes": event_id, "from": into_id, "to": target.id, "leads": lead_ids, "requeued": requeued},
            )
            session.add(ev)
            await session.flush()
            return _event_record(ev)

    async def _requeue_duplicates(self, session: AsyncSession, lead_ids: list[int], now: datetime) -> list[int]:
        """Leads filed as repeats of a person they turned out not to be get the card they never had."""
        requeued = []
        for lead_id in lead_ids:
            row = await session.get(Lead, lead_id)
            if row is None or row.status != "duplicate":
                continue
            dup = await session.scalar(
                select(Event).where(Event.lead_id == lead_id, Event.kind == "duplicate").order_by(Event.id).limit(1)
            )
            row.status, row.owner = "new", None
            post_to = (dup.data or {}).get("post_to") if dup else None
            if post_to:
                session.add(_outbox("post_card", lead_id, str(post_to), {}, now))
                requeued.append(lead_id)
        return requeued

    # reps' availability

    async def set_rep_away(self, user_id: str, away: bool) -> None:
        """Mark a rep away (skipped by auto-assignment) or back."""
        now = self._clock()
        async with self._write() as session:
            row = await session.get(RepStatus, user_id)
            if row is None:
                session.add(RepStatus(user_id=user_id, away=away, changed_at=now))
            else:
                row.away, row.changed_at = away, now

    async def away_reps(self) -> set[str]:
        async with self._read() as session:
            return set(await session.scalars(select(RepStatus.user_id).where(RepStatus.away.is_(True))))

    async def open_lead_counts(self, users: Sequence[str]) -> dict[str, int]:
        """How many open (claimed, not closed) leads each rep holds (least-loaded assignment)."""
        async with self._read() as session:
            rows = await session.execute(
                select(Lead.owner, func.count())
                .where(Lead.owner.in_(list(users)), Lead.status == "claimed", Lead.closed_at.is_(None))
                .group_by(Lead.owner)
            )
            counts = {str(owner): int(n) for owner, n in rows.all()}
        return {user: counts.get(user, 0) for user in users}

    async def last_auto_assigned(self) -> str | None:
        """The rep the most recent auto-assignment went to (round robin continues after them)."""
        async with self._read() as session:
            ev = await session.scalar(
                select(Event).where(Event.kind == "auto_assigned").order_by(Event.id.desc()).limit(1)
            )
            return str((ev.data or {}).get("user")) if ev else None

    # SLA timers

    async def add_sla_timer(self, lead_id: int, kind: str, *, started_at: datetime, due_at: datetime,
                            step: int = 0) -> SlaTimerRecord:
        async with self._write() as session:
            row = SlaTimer(lead_id=lead_id, kind=kind, step=step, started_at=started_at, due_at=due_at,
                           status="pending")
            session.add(row)
            await session.flush()
            return _timer_record(row)

    async def due_sla_timers(self, now: datetime, *, limit: int = 200) -> list[SlaTimerRecord]:
        async with self._read() as session:
            rows = await session.scalars(
                select(SlaTimer)
                .where(SlaTimer.status == "pending", SlaTimer.due_at <= now)
                .order_by(SlaTimer.due_at, SlaTimer.id)
                .limit(limit)
            )
            return [_timer_record(r) for r in rows]

    async def sla_timers(self, *, lead_id: int | None = None, status: str | None = "pending") -> list[SlaTimerRecord]:
        query = select(SlaTimer).order_by(SlaTimer.due_at, SlaTimer.id)
        if lead_id is not None:
            query = query.where(SlaTimer.lead_id == lead_id)
        if status is not None:
            query = query.where(SlaTimer.status == status)
        async with self._read() as session:
            return [_timer_record(r) for r in await session.scalars(query)]

    async def fire_sla_timer(
        self,
        timer: SlaTimerRecord,
        *,
        events: Sequence[tuple[str, dict[str, Any]]] = (),
        outbox: Sequence[tuple[str, str | None, dict[str, Any]]] = (),
        next_timer: tuple[str, int, datetime, datetime] | None = None,
        assign_to: str | None = None,
    ) -> bool:
        """Do what a due timer calls for, all or nothing, at most once across any number of workers.

        The timer is taken with a compare-and-set; with ``assign_to`` the lead is assigned only if it is
        still unclaimed (else nothing happens and the timer stays for the next look). ``next_timer`` is
        (kind, step, started_at, due_at).
        """
        now = self._clock()
        async with self._write() as session:
            taken = await session.execute(
                update(SlaTimer)
                .where(SlaTimer.id == timer.id, SlaTimer.status == "pending")
                .values(status="done", fired_at=now)
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                return False
            lead = await session.get(Lead, timer.lead_id)
            if lead is None:
                return True
            if assign_to is not None:
                assigned = await session.execute(
                    update(Lead)
                    .where(Lead.id == lead.id, Lead.owner.is_(None), Lead.status.in_(("new", "posted")))
                    .values(owner=assign_to, status="claimed", claimed_at=now)
                )
                if assigned.rowcount != 1:  # type: ignore[attr-defined]
                    await session.rollback()
                    return False
                await session.refresh(lead)
            for kind, data in events:
                session.add(Event(lead_id=lead.id, contact_id=lead.contact_id, kind=kind, actor="leadbot", at=now,
                                  data=data))
            for kind, channel, payload in outbox:
                session.add(_outbox(kind, lead.id, channel, payload, now))
            if next_timer is not None:
                kind, step, started, due = next_timer
                session.add(SlaTimer(lead_id=lead.id, kind=kind, step=step, started_at=started, due_at=due,
                                     status="pending"))
            return True

    # learning and re-scoring

    async def outcome_samples(self, *, limit: int = 50000) -> list[OutcomeSample]:
        """Every lead with a recorded outcome (newest first), as learning reads them."""
        async with self._read() as session:
            rows = await session.scalars(
                select(Lead).where(Lead.outcome.is_not(None)).order_by(Lead.id.desc()).limit(limit)
            )
            return [
                OutcomeSample(r.id, r.vendor, dict(r.fields or {}), dict(r.provenance or {}), str(r.outcome))
                for r in rows
            ]

    async def update_assessment(
        self, lead_id: int, *, score: int, grade: str, reasons: Sequence[str], actor: str
    ) -> None:
        """Store a new score and grade for a lead (`leadbot rescore`), with a ``rescored`` event."""
        now = self._clock()
        async with self._write() as session:
            row = await session.get(Lead, lead_id)
            if row is None:
                raise LeadNotFound(lead_id)
            before = {"score": row.score, "grade": row.grade}
            row.score, row.grade, row.reasons = score, grade, list(reasons)
            session.add(Event(lead_id=lead_id, contact_id=row.contact_id, kind="rescored", actor=actor, at=now,
                              data={"before": before, "after": {"score": score, "grade": grade}}))

    async def leads_since(self, since: datetime, *, grade: str | None = None, limit: int = 500) -> list[LeadRecord]:
        query = select(Lead).where(Lead.created_at >= since).order_by(Lead.id).limit(limit)
        if grade:
            query = query.where(Lead.grade == grade)
        async with self._read() as session:
            return [_lead_record(r) for r in await session.scalars(query)]

    async def last_event_at(self, kind: str) -> datetime | None:
        async with self._read() as session:
            return await session.scalar(select(func.max(Event.at)).where(Event.kind == kind))

    async def record_service_event(self, kind: str, data: dict[str, Any]) -> None:
        """An event about no single lead (a digest sent), optionally with an outbox item in the same commit."""
        now = self._clock()
        async with self._write() as session:
            session.add(Event(lead_id=None, contact_id=None, kind=kind, actor="leadbot", at=now, data=data))
            post = data.get("post")
            if isinstance(post, dict):
                session.add(_outbox("post_text", None, str(post["channel"]), {"text": post["text"], "in_thread": False},
                                    now))


    # ---- more ways in: HTTP intake, forms, imports, IMAP (issue 6) ---------------------------------

    async def claim_intake_key(self, source: str, key: str) -> IntakeKeyClaim:
        """Record a webhook's Idempotency-Key before its body is stored; a key seen before is not new."""
        statement = (
            (pg_insert if self.dialect == "postgresql" else sqlite_insert)(IntakeKey)
            .values(source=source, key=key, created_at=self._clock())
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(IntakeKey.id)
        )
        async with self._write() as session:
            if await session.scalar(statement) is not None:
                return IntakeKeyClaim(new=True, message_id=None)
            earlier = await session.scalar(select(IntakeKey.message_id).where(IntakeKey.key == key))
            return IntakeKeyClaim(new=False, message_id=earlier)

    async def link_intake_key(self, key: str, message_id: int) -> None:
        async with self._write() as session:
            await session.execute(update(IntakeKey).where(IntakeKey.key == key).values(message_id=message_id))

    async def release_intake_key(self, key: str) -> None:
        """Forget a key whose request could not be stored, so the provider's retry is taken."""
        async with self._write() as session:
            await session.execute(delete(IntakeKey).where(IntakeKey.key == key, IntakeKey.message_id.is_(None)))

    async def leads_for_message(self, message_id: int) -> list[LeadRecord]:
        async with self._read() as session:
            rows = await session.scalars(select(Lead).where(Lead.message_id == message_id).order_by(Lead.id))
            return [_lead_record(r) for r in rows]

    async def start_import(self, file_name: str, source: str | None) -> int:
        async with self._write() as session:
            batch = ImportBatch(file_name=file_name[-500:], source=source, started_at=self._clock(),
                                rows=0, imported=0, duplicates=0, invalid=0)
            session.add(batch)
            await session.flush()
            return batch.id

    async def import_rows(
        self, batch_id: int, rows: Sequence[ImportCandidate], *, actor: str = "leadbot import"
    ) -> list[ImportOutcome]:
        """Store a batch of imported rows and make leads of the valid, new ones, in one transaction.

        Every row is kept as read. A valid row whose key an earlier row (this file or an earlier import)
        already holds is a duplicate and makes no lead; the others go through the same lead insertion as
        mail (contact matching, intake event, card in the outbox).
        """
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        now = self._clock()
        outcomes: dict[int, ImportOutcome] = {}
        kept: list[dict[str, Any]] = []
        fresh: list[tuple[int, ImportCandidate]] = []
        keys: set[str] = set()
        duplicate = "already imported (same contact and request)"

        def keep(index: int, row: ImportCandidate, status: str, reason: str | None) -> None:
            kept.append({"batch_id": batch_id, "row_number": row.row_number, "data": row.data, "lead_id": None,
                         "row_key": None, "status": status, "reason": reason})
            outcomes[index] = ImportOutcome(row.row_number, status, reason)

        for index, row in enumerate(rows):
            if row.lead is None or row.key is None:
                keep(index, row, "invalid", row.reason)
            elif row.key in keys:
                keep(index, row, "duplicate", duplicate)
            else:
                keys.add(row.key)
                fresh.append((index, row))
        async with self._write() as session:
            taken: dict[str, int] = {}
            if fresh:
                # One statement claims every new key; keys an earlier import holds are not returned.
                result = await session.execute(
                    insert(ImportRow)
                    .values([{"batch_id": batch_id, "row_number": row.row_number, "data": row.data, "lead_id": None,
                              "row_key": row.key, "status": "imported", "reason": None} for _, row in fresh])
                    .on_conflict_do_nothing(index_elements=["row_key"])
                    .returning(ImportRow.id, ImportRow.row_key)
                )
                taken = {str(key): int(row_id) for row_id, key in result.all()}
            links: list[dict[str, Any]] = []
            for index, row in fresh:
                row_id = taken.get(row.key or "")
                if row_id is None:
                    keep(index, row, "duplicate", duplicate)
                    continue
                assert row.lead is not None
                lead = await self._insert_lead(session, row.lead, None, actor, now)
                links.append({"id": row_id, "lead_id": lead.id})
                outcomes[index] = ImportOutcome(row.row_number, "imported", lead_id=lead.id, grade=lead.grade)
            if links:
                await session.execute(update(ImportRow), links)
            if kept:
                await session.execute(sa_insert(ImportRow), kept)
        return [outcomes[i] for i in range(len(rows))]

    async def known_import_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these row keys earlier imports already hold (for a dry run)."""
        if not keys:
            return set()
        async with self._read() as session:
            found = await session.scalars(select(ImportRow.row_key).where(ImportRow.row_key.in_(list(keys))))
            return {k for k in found if k is not None}

    async def finish_import(self, batch_id: int, *, rows: int, imported: int, duplicates: int, invalid: int) -> None:
        async with self._write() as session:
            await session.execute(
                update(ImportBatch)
                .where(ImportBatch.id == batch_id)
                .values(finished_at=self._clock(), rows=rows, imported=imported, duplicates=duplicates,
                        invalid=invalid)
            )


def _outbox(kind: str, lead_id: int | None, channel: str | None, payload: dict[str, Any], now: datetime) -> OutboxItem:
    return OutboxItem(
        kind=kind,
        lead_id=lead_id,
        channel=channel,
        payload=payload,
        status="pending",
        attempts=0,
        created_at=now,
        next_attempt_at=now,
    )


def _message_record(row: InboundMessage) -> MessageRecord:
    return MessageRecord(
        id=row.id,
        channel=row.channel,
        sender=row.sender,
        recipients=tuple(row.recipients or ()),
        received_at=row.received_at,
        dedup_key=row.dedup_key,
        raw=row.raw,
        size=row.size,
        subject=row.subject,
        status=row.status,
        error=row.error,
        attempts=row.attempts,
        processed_at=row.processed_at,
        vendor=row.vendor,
    )


def _lead_record(row: Lead) -> LeadRecord:
    return LeadRecord(
        id=row.id,
        message_id=row.message_id,
        contact_id=row.contact_id,
        vendor=row.vendor,
        channel=row.channel,
        fields=dict(row.fields or {}),
        provenance=dict(row.provenance or {}),
        score=row.score,
        grade=row.grade,
        reasons=tuple(row.reasons or ()),
        status=row.status,
        owner=row.owner,
        created_at=row.created_at,
        claimed_at=row.claimed_at,
        first_touch_at=row.first_touch_at,
        closed_at=row.closed_at,
        outcome=row.outcome,
        outcome_amount=row.outcome_amount,
        slack_channel=row.slack_channel,
        slack_ts=row.slack_ts,
    )


def _event_record(row: Event) -> EventRecord:
    return EventRecord(
        id=row.id,
        lead_id=row.lead_id,
        contact_id=row.contact_id,
        kind=row.kind,
        actor=row.actor,
        at=row.at,
        data=dict(row.data or {}),
    )


def _outbox_record(row: OutboxItem) -> OutboxRecord:
    return OutboxRecord(
        id=row.id,
        kind=row.kind,
        lead_id=row.lead_id,
        channel=row.channel,
        payload=dict(row.payload or {}),
        attempts=row.attempts,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
    )


# ---- assessment (issue 5) ---------------------------------------------------------------------------


def _contact_record(row: Contact) -> ContactRecord:
    return ContactRecord(
        id=row.id,
        email=row.email,
        phone=row.phone,
        name=row.name,
        postal_code=row.postal_code,
        created_at=row.created_at,
        merged_into=row.merged_into,
    )


def _timer_record(row: SlaTimer) -> SlaTimerRecord:
    return SlaTimerRecord(
        id=row.id,
        lead_id=row.lead_id,
        kind=row.kind,
        step=row.step,
        started_at=row.started_at,
        due_at=row.due_at,
        status=row.status,
        fired_at=row.fired_at,
    )


def _lane_head() -> ColumnElement[bool]:
    """A pending outbox item with no earlier pending item in its channel (issue 4)."""
    earlier = OutboxItem.__table__.alias("earlier")
    blocked = (
        select(earlier.c.id)
        .where(
            earlier.c.status == "pending",
            func.coalesce(earlier.c.channel, "") == func.coalesce(OutboxItem.channel, ""),
            earlier.c.id < OutboxItem.id,
        )
        .exists()
    )
    return and_(OutboxItem.status == "pending", ~blocked)


def _draft_record(row: ChatDraft) -> DraftRecord:
    return DraftRecord(
        id=row.id,
        message_id=row.message_id,
        author=row.author,
        channel=row.channel,
        reply_ts=row.reply_ts,
        vendor=row.vendor,
        fields=dict(row.fields or {}),
        provenance=dict(row.provenance or {}),
        status=row.status,
        lead_id=row.lead_id,
        created_at=row.created_at,
        decided_by=row.decided_by,
    )
