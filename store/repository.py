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

from sqlalchemy import event, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from parsers.lead import RawMessage
from store.records import (
    AcceptedMessage,
    ClaimResult,
    EventRecord,
    LeadRecord,
    MessageRecord,
    NewLead,
    OutboxRecord,
)
from store.tables import Contact, Event, InboundMessage, Lead, OutboxItem

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


class LeadNotFound(LookupError):
    pass


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
        contact = await self._find_or_create_contact(session, lead, now)
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
            status="new",
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
                data={"vendor": lead.vendor, "channel": lead.channel, "grade": lead.grade, "score": lead.score},
            )
        )
        if lead.post_to:
            session.add(_outbox("post_card", row.id, lead.post_to, {}, now))
        return row

    async def _find_or_create_contact(self, session: AsyncSession, lead: NewLead, now: datetime) -> Contact:
        contact = None
        if lead.contact_email:
            contact = await session.scalar(
                select(Contact).where(Contact.email == lead.contact_email).order_by(Contact.id).limit(1)
            )
        if contact is None and lead.contact_phone:
            contact = await session.scalar(
                select(Contact).where(Contact.phone == lead.contact_phone).order_by(Contact.id).limit(1)
            )
        name = lead.fields.get("full_name") or " ".join(
            p for p in (lead.fields.get("first_name"), lead.fields.get("last_name")) if p
        )
        if contact is None:
            contact = Contact(
                email=lead.contact_email,
                phone=lead.contact_phone,
                name=name or None,
                postal_code=lead.fields.get("postal_code"),
                created_at=now,
            )
            session.add(contact)
            await session.flush()
        else:
            contact.email = contact.email or lead.contact_email
            contact.phone = contact.phone or lead.contact_phone
            contact.name = contact.name or name or None
        return contact

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

    # ---- assessment: contacts, SLA timers, reps' availability, learning (issue 5) -------------------

    # ---- more ways in: HTTP intake, forms, imports, IMAP (issue 6) ---------------------------------


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
