"""Inbound messages: raw input stored durably first (deduplicated), then turned into leads exactly once."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, bindparam, or_, select, update
from sqlalchemy.orm import Session

from parsers.envelope import dedup_key, envelope, subject_of
from parsers.errors import LeadbotError
from parsers.lead import RawMessage
from store.accepted_at_once import accept_parameters, accept_statement
from store.db import Db, GroupCommit, core_table, to_record
from store.leads import file_leads
from store.outbox import CardHandoff
from store.processed_at_once import mark_processed
from store.records import AcceptedMessage, LeadRecord, MessageRecord, MessageStatus, NewLead, OutboxRecord
from store.tables import InboundMessage

#: accepts (or completions) in one group commit at most (SQLite binds at most 32,766 parameters in one
#: statement)
GROUP_LIMIT = 200
#: seconds a completion group may wait for completions on their way (`Messages.completing`, `GroupCommit`'s
#: ``gather``; issue 11: a burst's groups held 1.6 messages, each ~7 statements and a transaction in the writer
#: thread). No sender waits for it: accepts are a group commit of their own, written at once.
COMPLETION_GATHER = 0.04
#: messages in one completion transaction at most on SQLite: a gathered group is written in parts, and an accept
#: waiting for the write lock goes between two parts (issue 11: a sender's 250 waited out a whole group's transaction,
#: up to 32 messages in the writer thread). Each part costs a commit and a session (in-process at load ~12: ~5 ms CPU
#: a transaction more; parts of 8 cost 32 completions +16 ms, of 16 +5 ms, and cut accepts' p99 beside them 213 -> 92
#: ms). PostgreSQL has no write lock to wait for: a group stays one transaction.
COMPLETION_PART = 16


@dataclass(frozen=True, slots=True)
class SenderCheck:
    """A message's sender authentication as stored with it (`store.authentication` reads it back)."""

    #: pass | fail | none | temperror
    verdict: str
    #: our Authentication-Results header (RFC 8601)
    auth_results: str
    suspicious: bool


#: (owner, seconds): a message stored leased to the instance that will read it
Lease = tuple[str, float]

#: a message's id, its leads, its vendor, the actor filing them and its sender check, waiting for a group commit
_Completion = tuple[int, tuple[NewLead, ...], str | None, str, SenderCheck | None]


def _envelope(message: RawMessage) -> tuple[str, str | None]:
    return dedup_key(message), subject_of(message)


# Issue 11: the statements of every accept and completion group, built once (building one and its cache key
# cost more of the service's CPU than running it). Rows and ids are parameters.


@functools.cache
def _accept_statement(insert: Any) -> Any:
    """With the dialect's ``insert``. Rows as parameters, not in the statement: SQLAlchemy compiles it once and
    sends multi-row batches ("insertmanyvalues"); a `.values(rows)` statement was a new cache key and compilation
    per group."""
    return (
        insert(core_table(InboundMessage))
        .on_conflict_do_nothing(index_elements=["dedup_key"])
        .returning(InboundMessage.id, InboundMessage.dedup_key)
    )


@functools.cache
def _processed_statement(with_check: bool) -> Any:
    """A completed message's compare-and-set (executemany: one parameter set per message), with its sender check."""
    table = core_table(InboundMessage)
    checks: dict[str, Any] = {"auth_verdict": bindparam("m_verdict"), "auth_results": bindparam("m_results"),
                              "suspicious": bindparam("m_suspicious")} if with_check else {}
    return (
        update(table)
        .where(table.c.id == bindparam("m_id"), table.c.status == MessageStatus.RECEIVED)
        .values(status=bindparam("m_status"), vendor=bindparam("m_vendor"),
                processed_at=bindparam("m_at", type_=table.c.processed_at.type), attempts=table.c.attempts + 1,
                error=None, **checks)
    )


class _Raced(LeadbotError):
    """Some messages of a completion group were not "received" any more (SQLite): the group is written again
    message by message (`GroupCommit`'s ``alone_on_failure``)."""


class Messages:
    def __init__(self, db: Db, *, cards: CardHandoff | None = None) -> None:
        self._db = db
        #: where the cards of new leads go once stored (this process's outbox worker, when it takes them)
        self._cards = cards
        #: reads envelopes for `receive` (its threads start when first used and end with the store)
        self._envelopes = ThreadPoolExecutor(2, thread_name_prefix="envelope")
        #: accepts: a failed group fails every sender in it (each gets a 451 and sends again)
        self._accepts = GroupCommit(self._insert_group, limit=GROUP_LIMIT)
        self._completions = GroupCommit(
            self._complete_group, limit=GROUP_LIMIT, alone_on_failure=True, gather=COMPLETION_GATHER,
            part=COMPLETION_PART if db.dialect == "sqlite" else None)

    def stamped(self, message: RawMessage) -> RawMessage:
        """The message with the time it was received, as `accept` would store it."""
        return message if message.received_at is not None else replace(message, received_at=self._db.clock())

    async def receive(
        self, message: RawMessage, *, dedup: str | None = None, lease: Lease | None = None
    ) -> AcceptedMessage:
        """`accept` with the envelope read here: the dedup key (``dedup`` replaces it: a webhook's is per
        source) and the subject from the headers, the receive time stamped if it is not.

        A plain header block (printable ASCII Message-ID and Subject, within `parsers.envelope`'s quick limits)
        is read here at once (issue 11: ~30 µs, where the thread cost two hand-offs). Anything else (encoded
        words, folding, a large block) is CPU work on sender-controlled bytes: it runs in a thread of its own,
        never queued behind other work in the loop's default executor.
        """
        message = self.stamped(message)
        quick = envelope(message)
        key, subject = quick if quick is not None else (
            await asyncio.get_running_loop().run_in_executor(self._envelopes, _envelope, message))
        return await self.accept(message, dedup_key=dedup or key, subject=subject, lease=lease)

    async def close(self) -> None:
        """Let envelopes being read finish (so none answers into a closed loop), and stop their threads."""
        await asyncio.to_thread(self._envelopes.shutdown)
        self._envelopes = ThreadPoolExecutor(2, thread_name_prefix="envelope")  # a closed store reopens lazily

    async def accept(
        self, message: RawMessage, *, dedup_key: str, subject: str | None = None, lease: Lease | None = None
    ) -> AcceptedMessage:
        """Store raw input durably. A resend (same dedup key) is recorded once and reported duplicate.

        ``lease`` (owner, seconds): a new message is stored leased to ``owner`` (the instance that accepted it
        and will read it), so reading it needs no `take` first. A resend's row keeps its lease.

        Group commit: accepts that arrive while an earlier group waits for (or holds) the write lock join
        the next group, and each group is one transaction of one ``INSERT … ON CONFLICT (dedup_key) DO
        NOTHING RETURNING`` over its rows (compiled once, sent as multi-row batches). Every caller returns
        only after its own row is committed.
        """
        received_at = message.received_at or self._db.clock()
        values = {
            "channel": message.channel,
            "sender": message.sender,
            "recipients": list(message.recipients),
            "received_at": received_at,
            "dedup_key": dedup_key,
            "raw": message.raw,
            "size": len(message.raw),
            "subject": subject[:998] if subject else None,
            "status": MessageStatus.RECEIVED,
            "attempts": 0,
            "client_ip": message.client_ip[:45] if message.client_ip else None,
            "helo": message.helo[:255] if message.helo else None,
            "lease_owner": lease[0] if lease is not None else None,
            "leased_until": self._db.clock() + timedelta(seconds=lease[1]) if lease is not None else None,
        }
        return await self._accepts.submit(values)

    async def _insert_group(self, rows: list[dict[str, Any]]) -> list[AcceptedMessage]:
        unique: dict[str, dict[str, Any]] = {}
        for values in rows:
            unique.setdefault(values["dedup_key"], values)
        # PostgreSQL: the rows as one array per column, one statement text whatever their number
        statement, parameters = (
            (accept_statement(), accept_parameters(list(unique.values()))) if self._db.dialect == "postgresql"
            else (_accept_statement(self._db.insert), list(unique.values())))

        def insert(session: Session) -> tuple[dict[str, int], dict[str, int]]:
            new = {str(key): int(row_id) for row_id, key in session.execute(statement, parameters)}
            missing = [key for key in unique if key not in new]
            if not missing:
                return new, {}
            found = session.execute(
                select(InboundMessage.dedup_key, InboundMessage.id).where(InboundMessage.dedup_key.in_(missing))
            )
            return new, {str(key): int(row_id) for key, row_id in found.all()}

        # one statement (and a read of the rows it met): no transaction around it on PostgreSQL
        new, existing = await self._db.run_write(insert, urgent=True, atomic=False)
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
                    error=error.replace("\x00", "")[:20000],  # PostgreSQL takes no NUL in text
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

    def completing(self) -> contextlib.AbstractContextManager[None]:
        """A block in which the caller will `complete` (at most) one message: completion groups written meanwhile
        wait for it, up to `COMPLETION_GATHER` (issue 11: larger groups, fewer statements per message)."""
        return self._completions.expecting()

    async def complete(
        self,
        message_id: int,
        leads: Sequence[NewLead],
        *,
        vendor: str | None,
        actor: str = "leadbot",
        sender_check: SenderCheck | None = None,
    ) -> list[LeadRecord]:
        """Store the message's leads, their intake events and card posts, and mark it processed (with its
        ``sender_check``, if it was checked).

        Only for a message still "received" (a compare-and-set): a message is turned into leads exactly
        once, even if two workers (or a restarted process) race on it; [] for one taken already.

        Group commit, as for accepts: completions that arrive while an earlier group is being written share
        the next transaction (`file_leads`: a few multi-row statements for the whole group). A group that
        fails is written again message by message, so one bad message fails alone.
        """
        return await self._completions.submit((message_id, tuple(leads), vendor, actor, sender_check))

    async def _complete_group(self, jobs: list[_Completion]) -> list[list[LeadRecord]]:
        now = self._db.clock()
        # issue 11: new leads' cards stored leased to this process's outbox worker, handed to it once committed
        card_lease = self._cards.lease(now) if self._cards is not None else None
        handed: list[tuple[OutboxRecord, LeadRecord]] = []
        # one transaction, and on SQLite one hand-off to the store's writer thread for all of it (`Db.run_write`)
        answers = await self._db.run_write(
            lambda session: self._complete_in(session, jobs, now, card_lease, handed))
        if self._cards is not None:
            self._cards.give(handed, now)
        return answers

    def _complete_in(
        self, session: Session, jobs: list[_Completion], now: datetime, card_lease: tuple[str, datetime] | None,
        handed: list[tuple[OutboxRecord, LeadRecord]],
    ) -> list[list[LeadRecord]]:
        ids = [message_id for message_id, *_ in jobs]
        # One compare-and-set for the group: only messages still "received" are taken. The statements are
        # the same whatever the group (rows as parameters): built and compiled once, not once per group.
        # PostgreSQL: one UPDATE … RETURNING takes and marks them (their rows stay locked to the end, so a racing
        # instance then finds them processed; issue 11: a SELECT … FOR UPDATE and the UPDATEs were two round trips).
        # SQLite (one writer): the UPDATEs below are the compare-and-set, without a SELECT first (issue 11: four
        # hand-offs to aiosqlite's thread less per group); their row count says whether every message was
        # still "received" (the usual case), else the group is written again one by one, where it says which.
        counted = self._db.dialect == "sqlite"
        by_message = {message_id: (leads, vendor, check) for message_id, leads, vendor, _, check in reversed(jobs)}
        taken = set(ids) if counted else mark_processed(session, {
            message_id: (MessageStatus.PROCESSED if leads else MessageStatus.NO_LEAD, vendor,
                         (check.verdict, check.auth_results, check.suspicious) if check is not None else None)
            for message_id, (leads, vendor, check) in by_message.items()}, now)
        # the same id twice: the first's; on PostgreSQL marked already
        done = {message_id: job for message_id, job in by_message.items() if counted and message_id in taken}
        checked = [{"m_id": message_id, "m_status": MessageStatus.PROCESSED if leads else MessageStatus.NO_LEAD,
                    "m_vendor": vendor, "m_verdict": check.verdict[:16], "m_results": check.auth_results,
                    "m_suspicious": check.suspicious}
                   for message_id, (leads, vendor, check) in done.items() if check is not None]
        unchecked = [{"m_id": message_id, "m_status": MessageStatus.PROCESSED if leads else MessageStatus.NO_LEAD,
                      "m_vendor": vendor}
                     for message_id, (leads, vendor, check) in done.items() if check is None]
        changed = 0
        for rows, with_check in ((unchecked, False), (checked, True)):
            if rows:
                marked = session.execute(_processed_statement(with_check), [{**row, "m_at": now} for row in rows])
                changed += int(getattr(marked, "rowcount", 0))
        if counted and changed != len(done):
            if len(done) > 1:
                raise _Raced(f"{len(done) - changed} of {len(done)} messages were taken already")
            taken = set()  # the one message was taken already: nothing was changed
        answers: list[list[LeadRecord]] = []
        by_actor: dict[str, list[tuple[NewLead, int | None]]] = {}
        first = set()
        for message_id, leads, _, actor, _ in jobs:
            if message_id in taken and message_id not in first:  # the same id twice: the first takes it
                first.add(message_id)
                by_actor.setdefault(actor, []).extend((lead, message_id) for lead in leads)
        filed: dict[int, list[LeadRecord]] = {}
        for actor, batch in by_actor.items():
            for record in file_leads(session, batch, actor, now, card_lease=card_lease, handed=handed):
                assert record.message_id is not None
                filed.setdefault(record.message_id, []).append(record)
        seen = set()
        for message_id, *_ in jobs:
            answers.append(filed.get(message_id, []) if message_id in first and message_id not in seen else [])
            seen.add(message_id)
        return answers
