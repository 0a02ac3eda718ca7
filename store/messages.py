"""Inbound messages: raw input stored durably first (deduplicated), then turned into leads exactly once."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, or_, select, update

from parsers.lead import RawMessage
from store.db import Db, to_record
from store.leads import insert_lead
from store.records import AcceptedMessage, LeadRecord, MessageRecord, MessageStatus, NewLead
from store.tables import InboundMessage

#: accepts in one group commit at most (SQLite binds at most 32,766 parameters in one statement)
GROUP_LIMIT = 200


class Messages:
    def __init__(self, db: Db) -> None:
        self._db = db
        #: accepts waiting for the next group commit: their values, and who waits for the answer
        self._pending: list[tuple[dict[str, Any], asyncio.Future[AcceptedMessage]]] = []
        self._committer: asyncio.Task[None] | None = None

    def stamped(self, message: RawMessage) -> RawMessage:
        """The message with the time it was received, as `accept` would store it."""
        return message if message.received_at is not None else replace(message, received_at=self._db.clock())

    async def accept(self, message: RawMessage, *, dedup_key: str, subject: str | None = None) -> AcceptedMessage:
        """Store raw input durably. A resend (same dedup key) is recorded once and reported duplicate.

        Group commit: accepts that arrive while an earlier group waits for (or holds) the write lock join
        the next group, and each group is one transaction of one multi-row ``INSERT … ON CONFLICT
        (dedup_key) DO NOTHING RETURNING``. Every caller returns only after its own row is committed.
        """
        values = {
            "channel": message.channel,
            "sender": message.sender,
            "recipients": list(message.recipients),
            "received_at": message.received_at or self._db.clock(),
            "dedup_key": dedup_key,
            "raw": message.raw,
            "size": len(message.raw),
            "subject": subject[:998] if subject else None,
            "status": MessageStatus.RECEIVED,
            "attempts": 0,
            "client_ip": message.client_ip[:45] if message.client_ip else None,
            "helo": message.helo[:255] if message.helo else None,
        }
        waiter: asyncio.Future[AcceptedMessage] = asyncio.get_running_loop().create_future()
        self._pending.append((values, waiter))
        committer = self._committer
        if committer is None or committer.done() or committer.get_loop() is not waiter.get_loop():
            self._committer = asyncio.create_task(self._commit_groups())
        return await waiter

    async def _commit_groups(self) -> None:
        """Commit the waiting accepts, group after group, until none waits."""
        while self._pending:
            await asyncio.sleep(0)  # accepts that are ready in this turn of the loop join the group
            group, self._pending = self._pending[:GROUP_LIMIT], self._pending[GROUP_LIMIT:]
            try:
                answers = await self._insert_group([values for values, _ in group])
            except Exception as exc:  # every waiter hears of it (its sender gets a 451)
                for _, waiter in group:
                    if not waiter.done():
                        waiter.set_exception(exc)
                continue
            for (_, waiter), answer in zip(group, answers, strict=True):
                if not waiter.done():
                    waiter.set_result(answer)

    async def _insert_group(self, rows: list[dict[str, Any]]) -> list[AcceptedMessage]:
        unique: dict[str, dict[str, Any]] = {}
        for values in rows:
            unique.setdefault(values["dedup_key"], values)
        statement = (
            self._db.insert(InboundMessage)
            .values(list(unique.values()))
            .on_conflict_do_nothing(index_elements=["dedup_key"])
            .returning(InboundMessage.id, InboundMessage.dedup_key)
        )
        async with self._db.write(urgent=True) as session:
            new = {str(key): int(row_id) for row_id, key in (await session.execute(statement)).all()}
            missing = [key for key in unique if key not in new]
            existing: dict[str, int] = {}
            if missing:
                found = await session.execute(
                    select(InboundMessage.dedup_key, InboundMessage.id).where(InboundMessage.dedup_key.in_(missing))
                )
                existing = {str(key): int(row_id) for key, row_id in found.all()}
        answers = []
        for values in rows:
            key = values["dedup_key"]
            if key in new and unique[key] is values:
                answers.append(AcceptedMessage(new[key], duplicate=False))
            else:
                row_id = new.get(key, existing.get(key))
                assert row_id is not None, "conflicting row vanished inside the transaction"
                answers.append(AcceptedMessage(row_id, duplicate=True))
        return answers

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

    async def lease_received(self, owner: str, *, seconds: float, limit: int = 500) -> list[int]:
        """Lease to ``owner`` for ``seconds`` the "received" messages no other instance holds, oldest first.

        One statement picks and leases (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite's single writer),
        so two instances' sweeps never both take a message. ``owner``'s own leases are renewed; an expired
        lease (its holder died) is taken over.
        """
        now = self._db.clock()
        picked = (
            select(InboundMessage.id)
            .where(InboundMessage.status == MessageStatus.RECEIVED, self._free_for(owner, now))
            .order_by(InboundMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(InboundMessage)
            .where(InboundMessage.id.in_(picked.scalar_subquery()))
            .values(lease_owner=owner, leased_until=now + timedelta(seconds=seconds))
            .returning(InboundMessage.id)
            .execution_options(synchronize_session=False)
        )
        async with self._db.write() as session:
            return sorted(await session.scalars(statement))

    async def take(self, message_id: int, owner: str, *, seconds: float) -> bool:
        """Lease one "received" message to ``owner`` before reading it. False: it is processed already, or
        another instance holds it (and will read it)."""
        now = self._db.clock()
        async with self._db.write() as session:
            taken = await session.execute(
                update(InboundMessage)
                .where(InboundMessage.id == message_id, InboundMessage.status == MessageStatus.RECEIVED,
                       self._free_for(owner, now))
                .values(lease_owner=owner, leased_until=now + timedelta(seconds=seconds))
            )
        return bool(getattr(taken, "rowcount", 0) == 1)

    @staticmethod
    def _free_for(owner: str, now: datetime) -> ColumnElement[bool]:
        return or_(
            InboundMessage.leased_until.is_(None),
            InboundMessage.leased_until <= now,
            InboundMessage.lease_owner == owner,
        )

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
            row.lease_owner, row.leased_until = None, None
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
