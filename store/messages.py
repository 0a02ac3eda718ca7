"""Inbound messages: raw input stored durably first (deduplicated), then turned into leads exactly once."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update

from parsers.lead import RawMessage
from store.db import Db, to_record
from store.leads import insert_lead
from store.records import AcceptedMessage, LeadRecord, MessageRecord, MessageStatus, NewLead
from store.tables import InboundMessage


class Messages:
    def __init__(self, db: Db) -> None:
        self._db = db

    async def accept(self, message: RawMessage, *, dedup_key: str, subject: str | None = None) -> AcceptedMessage:
        """Store raw input durably. A resend (same dedup key) is recorded once and reported duplicate.

        One statement, one commit: ``INSERT … ON CONFLICT (dedup_key) DO NOTHING RETURNING id``.
        """
        statement = (
            self._db.insert(InboundMessage)
            .values(
                channel=message.channel,
                sender=message.sender,
                recipients=list(message.recipients),
                received_at=message.received_at or self._db.clock(),
                dedup_key=dedup_key,
                raw=message.raw,
                size=len(message.raw),
                subject=subject[:998] if subject else None,
                status=MessageStatus.RECEIVED,
                attempts=0,
            )
            .on_conflict_do_nothing(index_elements=["dedup_key"])
            .returning(InboundMessage.id)
        )
        async with self._db.write() as session:
            new_id = await session.scalar(statement)
            if new_id is not None:
                return AcceptedMessage(new_id, duplicate=False)
            existing = await session.scalar(select(InboundMessage.id).where(InboundMessage.dedup_key == dedup_key))
            assert existing is not None, "conflicting row vanished inside the transaction"
            return AcceptedMessage(existing, duplicate=True)

    async def get(self, message_id: int) -> MessageRecord | None:
        async with self._db.read() as session:
            row = await session.get(InboundMessage, message_id)
            return to_record(MessageRecord, row) if row else None

    async def recent(self, *, status: str | None = None, limit: int = 100) -> list[MessageRecord]:
        """Messages newest first, optionally of one status."""
        query = select(InboundMessage).order_by(InboundMessage.id.desc()).limit(limit)
        if status:
            query = query.where(InboundMessage.status == status)
        async with self._db.read() as session:
            return [to_record(MessageRecord, r) for r in await session.scalars(query)]

    async def unprocessed_ids(self) -> list[int]:
        """Messages accepted but not yet turned into leads (after a crash, these are re-run)."""
        async with self._db.read() as session:
            rows = await session.scalars(
                select(InboundMessage.id)
                .where(InboundMessage.status == MessageStatus.RECEIVED)
                .order_by(InboundMessage.id)
            )
            return list(rows)

    async def mark_failed(self, message_id: int, error: str, *, only_if_received: bool = False) -> bool:
        """Mark a message failed with its error. False: nothing changed.

        ``only_if_received``: the compare-and-set twin of ``complete``, for readers — one that lost the race
        (a second instance, a sweep) must not turn a processed message into a failed one, which a replay
        would then turn into leads a second time.
        """
        statement = update(InboundMessage).where(InboundMessage.id == message_id)
        if only_if_received:
            statement = statement.where(InboundMessage.status == MessageStatus.RECEIVED)
        async with self._db.write() as session:
            done = await session.execute(
                statement.values(
                    status=MessageStatus.FAILED,
                    error=error[:20000],
                    attempts=InboundMessage.attempts + 1,
                    processed_at=self._db.clock(),
                )
            )
        return bool(getattr(done, "rowcount", 0) == 1)

    async def reset(self, message_id: int) -> MessageRecord:
        """Put a message back to "received" so it is processed again (`leadbot replay`)."""
        async with self._db.write() as session:
            row = await session.get(InboundMessage, message_id)
            if row is None:
                raise LookupError(f"no message with id {message_id}")
            row.status, row.error = MessageStatus.RECEIVED, None
            return to_record(MessageRecord, row)

    async def complete(
        self, message_id: int, leads: Sequence[NewLead], *, vendor: str | None, actor: str = "leadbot"
    ) -> list[LeadRecord]:
        """Store the message's leads, their intake events and card posts, and mark it processed.

        One transaction, and only for a message still "received" (a compare-and-set): a message is turned
        into leads exactly once, even if two workers (or a restarted process) race on it.
        """
        now = self._db.clock()
        async with self._db.write() as session:
            taken = await session.execute(
                update(InboundMessage)
                .where(InboundMessage.id == message_id, InboundMessage.status == MessageStatus.RECEIVED)
                .values(
                    status=MessageStatus.PROCESSED if leads else MessageStatus.NO_LEAD,
                    processed_at=now,
                    vendor=vendor,
                    attempts=InboundMessage.attempts + 1,
                    error=None,
                )
            )
            if taken.rowcount != 1:  # type: ignore[attr-defined]
                return []
            rows = [await insert_lead(session, lead, message_id, actor, now) for lead in leads]
            return [to_record(LeadRecord, r) for r in rows]
