"""The Slack outbox: card posts, card updates, notes and DMs, written in the same transaction as the change
they announce (issue 4), handed out under a lease so that any number of instances share it (issue 12).

Ordering is kept only where it matters: the items of one lead go in queue order (its card's post before
its updates and thread notes); items of different leads, and items of no lead, never wait for each other.
``lease`` picks the due lane heads and leases them in one statement (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL; on SQLite the single writer makes the statement a compare-and-set).

Issue 11: a card filed by the intake pipeline can be stored already leased to this process's outbox worker
(`CardHandoff`) and handed to it in memory with its lead, so that it costs no lease statement and no read;
other instances skip it as they skip any leased item, and should this process die, its lease expires and
the card is taken over like any other (the next holder looks it up in Slack first).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, String, and_, bindparam, case, func, insert, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from store.db import Db, core_table, to_record
from store.one_of import one_of
from store.records import LeadRecord, LeadStatus, OutboxRecord
from store.tables import Event, Lead, OutboxItem


@dataclass(frozen=True, slots=True)
class PostedCard:
    """A lead's card as it went out: where, and its message ts."""

    lead_id: int
    channel: str
    ts: str


#: cards waiting in a `CardHandoff` at most (beyond, new cards are stored unleased, for the outbox's lease)
HANDOFF_LIMIT = 1000
#: how long a handed card's lead (as filed) stands for the stored one: after that the worker reads it again
HANDED_LEAD_SECONDS = 2.0


@dataclass(slots=True)
class _Handed:
    item: OutboxRecord
    lead: LeadRecord
    #: when it was stored leased (the store's clock)
    at: datetime


@dataclass(slots=True)
class CardHandoff:
    """New cards handed from the intake's group write to this process's outbox worker (issue 11).

    While a worker holds it open (`Outbox.hand_new_cards`), `store.leads.file_leads` stores the cards of new
    leads leased to that worker (``lease``) and `give`s them here; the worker `Outbox.take_handed`s them at its
    next pass instead of leasing them and reading their leads in a transaction.
    """

    owner: str | None = None
    seconds: float = 0.0
    notify: Callable[[], None] | None = None
    waiting: list[_Handed] = field(default_factory=list)
    #: leads whose every new card was handed (`Outbox.handed` answers from it, and forgets them)
    leads: set[int] = field(default_factory=set)

    def lease(self, now: datetime) -> tuple[str, datetime] | None:
        """(owner, until) to store new cards leased with, or None: no worker here takes them now."""
        if self.owner is None or len(self.waiting) >= HANDOFF_LIMIT:
            return None
        return self.owner, now + timedelta(seconds=self.seconds)

    def give(self, cards: Iterable[tuple[OutboxRecord, LeadRecord]], now: datetime) -> None:
        handed = [_Handed(item, lead, now) for item, lead in cards]
        if not handed:
            return
        self.waiting.extend(handed)
        if len(self.leads) > 4 * HANDOFF_LIMIT:  # never asked about (a caller other than the pipeline)
            self.leads.clear()
        self.leads.update(entry.lead.id for entry in handed)
        if self.notify is not None:
            self.notify()


def add_item(
    session: AsyncSession | Session, kind: str, lead_id: int | None, channel: str | None, payload: dict[str, Any],
    now: datetime,
) -> OutboxItem:
    """Queue one item in the session's transaction, due at once."""
    item = OutboxItem(
        kind=kind,
        lead_id=lead_id,
        channel=channel,
        payload=payload,
        status="pending",
        attempts=0,
        created_at=now,
        next_attempt_at=now,
    )
    session.add(item)
    return item


def lane_head() -> ColumnElement[bool]:
    """A pending outbox item with no earlier pending item of its lead (issue 12; index ix_outbox_lead_lane).

    Items without a lead compare ``NULL = NULL``, which is never true: they wait for nothing.
    """
    earlier = OutboxItem.__table__.alias("earlier")
    blocked = (
        select(earlier.c.id)
        .where(earlier.c.lead_id == OutboxItem.lead_id, earlier.c.status == "pending", earlier.c.id < OutboxItem.id)
        .exists()
    )
    return and_(OutboxItem.status == "pending", ~blocked)


async def pending_count(session: AsyncSession) -> int:
    query = select(func.count()).select_from(OutboxItem).where(OutboxItem.status == "pending")
    return await session.scalar(query) or 0


@functools.lru_cache(maxsize=8)
def _lease_statement(limit: int) -> Any:
    """`Outbox.lease`'s one statement, built once per limit (the outbox runs it every pass); Core rows back."""
    table = core_table(OutboxItem)
    now: Any = bindparam("lease_now")  # typed by the columns it is compared with
    picked = (
        select(OutboxItem.id)
        .where(
            lane_head(),
            OutboxItem.next_attempt_at <= now,
            or_(OutboxItem.leased_until.is_(None), OutboxItem.leased_until <= now),
        )
        .order_by(OutboxItem.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (
        update(table)
        .where(table.c.id.in_(picked.scalar_subquery()))
        .values(lease_owner=bindparam("lease_owner"), leased_until=bindparam("lease_until"),
                claims=table.c.claims + 1)
        .returning(*table.c)
    )


@functools.cache
def _leads_statement(dialect: str) -> Any:
    """The leads of ``pass_leads``, as Core rows (nothing here is changed through a session), built once."""
    leads = core_table(Lead)
    return select(leads).where(one_of(leads.c.id, "pass_leads", dialect))


@functools.cache
def _finish_statements(dialect: str) -> tuple[Any, Any, Any]:
    """`Outbox.finish`'s statements, built once (issue 11), Core throughout (no ORM bookkeeping for rows nobody
    holds as objects): the posted cards on their leads and a ``posted`` event per card (one parameter set per
    card), and the items done with every pending post of the leads posted."""
    leads, events, items = core_table(Lead), core_table(Event), core_table(OutboxItem)
    posted_leads = (
        update(leads)
        .where(leads.c.id == bindparam("card_lead"))
        .values(
            slack_channel=bindparam("card_channel"),
            slack_ts=bindparam("card_ts"),
            status=case((leads.c.status == LeadStatus.NEW, LeadStatus.POSTED), else_=leads.c.status),
        )
    )
    rows = select(
        leads.c.id, leads.c.contact_id, literal("posted", String), literal("leadbot", String),
        bindparam("event_at", type_=events.c.at.type), bindparam("event_data", type_=events.c.data.type),
    ).where(leads.c.id == bindparam("card_lead"))
    posted_events = insert(events).from_select(["lead_id", "contact_id", "kind", "actor", "at", "data"], rows)
    finished = or_(
        one_of(items.c.id, "done_items", dialect),
        and_(one_of(items.c.lead_id, "done_leads", dialect), items.c.kind == "post_card",
             items.c.status == "pending"),
    )
    done = update(items).where(finished).values(
        status="done", done_at=bindparam("done_at", type_=items.c.done_at.type), attempts=items.c.attempts + 1,
        lease_owner=None, leased_until=None,
    )
    return posted_leads, posted_events, done


class Outbox:
    def __init__(self, db: Db) -> None:
        self._db = db
        #: new cards handed to this process's outbox worker (issue 11)
        self.handoff = CardHandoff()

    def hand_new_cards(self, owner: str, *, seconds: float, notify: Callable[[], None]) -> None:
        """From now on, cards of new leads filed by the intake are stored leased to ``owner`` for ``seconds`` and
        handed to it (`take_handed`); ``notify`` is called when some are waiting."""
        self.handoff.owner, self.handoff.seconds, self.handoff.notify = owner, seconds, notify

    def stop_handing(self, owner: str) -> list[int]:
        """``owner`` takes no more new cards. Returns the ids of those handed and not taken: still leased to it
        (`release` them, or their lease expires)."""
        if self.handoff.owner != owner:
            return []
        waiting = [entry.item.id for entry in self.handoff.waiting]
        self.handoff.owner, self.handoff.notify = None, None
        self.handoff.waiting.clear()
        self.handoff.leads.clear()
        return waiting

    def has_handed(self, owner: str) -> bool:
        """Whether cards handed to ``owner`` wait to be taken."""
        return self.handoff.owner == owner and bool(self.handoff.waiting)

    async def take_handed(self, owner: str) -> tuple[list[OutboxRecord], dict[int, LeadRecord]]:
        """The cards handed to ``owner`` since the last call, with the leads of those handed in the last
        `HANDED_LEAD_SECONDS` (older ones: the worker reads them again). Cards past half their lease have their
        lease renewed first (one statement; none was tried yet, so no claim is counted), unless another instance
        has taken them over meanwhile."""
        handoff = self.handoff
        if handoff.owner != owner or not handoff.waiting:
            return [], {}
        waiting, handoff.waiting = handoff.waiting, []
        now = self._db.clock()
        items, leads, stale = [], {}, []
        for entry in waiting:
            age = (now - entry.at).total_seconds()
            if age >= handoff.seconds / 2:
                stale.append(entry.item)
                continue
            items.append(entry.item)
            if age < HANDED_LEAD_SECONDS:
                leads[entry.lead.id] = entry.lead
        if stale:
            renewed = update(OutboxItem).where(
                OutboxItem.id.in_([item.id for item in stale]), OutboxItem.lease_owner == owner,
                OutboxItem.status == "pending",
            ).values(leased_until=now + timedelta(seconds=handoff.seconds)).returning(OutboxItem.id)
            async with self._db.write() as session:
                kept = set(await session.scalars(renewed.execution_options(synchronize_session=False)))
            items.extend(item for item in stale if item.id in kept)
        return items, leads

    def handed(self, lead_ids: Iterable[int]) -> bool:
        """Whether every one of these leads' new card was handed to the outbox worker (then nothing else needs
        to wake it for them); forgets them."""
        ids = list(lead_ids)
        every = bool(ids) and all(lead_id in self.handoff.leads for lead_id in ids)
        self.handoff.leads.difference_update(ids)
        return every

    async def enqueue(
        self, kind: str, *, lead_id: int | None, channel: str | None, payload: dict[str, Any] | None = None
    ) -> int:
        now = self._db.clock()
        async with self._db.write() as session:
            item = add_item(session, kind, lead_id, channel, payload or {}, now)
            await session.flush()
            return item.id

    async def due(self, *, limit: int = 50) -> list[OutboxRecord]:
        """Pending items whose time has come, oldest first (the order cards were queued in)."""
        async with self._db.read() as session:
            rows = await session.scalars(
                select(OutboxItem)
                .where(OutboxItem.status == "pending", OutboxItem.next_attempt_at <= self._db.clock())
                .order_by(OutboxItem.id)
                .limit(limit)
            )
            return [to_record(OutboxRecord, r) for r in rows]

    async def pending_count(self) -> int:
        async with self._db.read() as session:
            return await pending_count(session)

    async def lease(self, owner: str, *, seconds: float, limit: int = 500) -> list[OutboxRecord]:
        """Take the due lane heads nobody holds, oldest first, for ``seconds``: one statement picks and leases.

        An expired lease (its holder died) is taken over; the record's ``claims`` then says an earlier try
        may have reached Slack.
        """
        # one statement: no transaction around it on PostgreSQL
        return await self._db.run_write(lambda session: self._lease(session, owner, seconds, limit), atomic=False)

    async def lease_with_leads(
        self, owner: str, *, seconds: float, limit: int = 500
    ) -> tuple[list[OutboxRecord], dict[int, LeadRecord]]:
        """`lease`, and the leased items' leads that exist (by id) read in the same transaction: an outbox pass
        is one transaction before its Slack calls instead of a lease and a read (issue 11)."""
        # the lease (one statement) and a read of its leads: no transaction around them on PostgreSQL
        return await self._db.run_write(
            lambda session: self._lease_with_leads(session, owner, seconds, limit), atomic=False)

    async def finish_and_lease(
        self, item_ids: Sequence[int], posted: Sequence[PostedCard], owner: str, *, seconds: float, limit: int = 500
    ) -> tuple[list[OutboxRecord], dict[int, LeadRecord]]:
        """`finish` a pass's work and `lease_with_leads` the next items in the same transaction (issue 11: an
        outbox that goes on at once needs one transaction per pass, not two)."""
        def finish_and_lease(session: Session) -> tuple[list[OutboxRecord], dict[int, LeadRecord]]:
            self._finish(session, item_ids, posted)
            return self._lease_with_leads(session, owner, seconds, limit)

        # nothing to finish: the lease alone, without a transaction around it on PostgreSQL
        return await self._db.run_write(finish_and_lease, atomic=bool(item_ids or posted))

    def _lease_with_leads(
        self, session: Session, owner: str, seconds: float, limit: int
    ) -> tuple[list[OutboxRecord], dict[int, LeadRecord]]:
        items = self._lease(session, owner, seconds, limit)
        lead_ids = sorted({item.lead_id for item in items if item.lead_id is not None})
        if not lead_ids:
            return items, {}
        rows = session.execute(_leads_statement(self._db.dialect), {"pass_leads": lead_ids})
        return items, {row.id: to_record(LeadRecord, row) for row in rows}

    def _lease(self, session: Session, owner: str, seconds: float, limit: int) -> list[OutboxRecord]:
        now = self._db.clock()
        parameters = {"lease_now": now, "lease_owner": owner, "lease_until": now + timedelta(seconds=seconds)}
        rows = session.execute(_lease_statement(limit), parameters).all()
        return sorted((to_record(OutboxRecord, r) for r in rows), key=lambda r: r.id)

    async def done(self, item_id: int) -> None:
        async with self._db.write() as session:
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == item_id)
                .values(
                    status="done", done_at=self._db.clock(), attempts=OutboxItem.attempts + 1,
                    lease_owner=None, leased_until=None,
                )
            )

    async def finish(self, item_ids: Sequence[int], posted: Sequence[PostedCard] = ()) -> None:
        """Finish a pass's work in one transaction: items done, and cards posted recorded on their leads.

        A posted card: its lead gets the channel and ts (status "posted" unless someone claimed it meanwhile:
        the claim listener queues that card's update), a ``posted`` event, and every pending post of the lead
        is finished (so a crash cannot post it again, and its lane is free at once).
        """
        if not item_ids and not posted:
            return
        await self._db.run_write(lambda session: self._finish(session, item_ids, posted))

    def _finish(self, session: Session, item_ids: Sequence[int], posted: Sequence[PostedCard]) -> None:
        now = self._db.clock()
        lead_ids = [card.lead_id for card in posted]
        if not item_ids and not lead_ids:
            return
        posted_leads, posted_events, done = _finish_statements(self._db.dialect)
        if posted:
            session.execute(
                posted_leads,
                [{"card_lead": card.lead_id, "card_channel": card.channel, "card_ts": card.ts} for card in posted],
            )
            # the `posted` events, each taking its contact from its lead in the same statement; a lead erased
            # meanwhile has nothing to record it on and gets none
            session.execute(
                posted_events,
                [{"card_lead": card.lead_id, "event_at": now,
                  "event_data": {"channel": card.channel, "ts": card.ts}} for card in posted],
            )
        session.execute(done, {"done_items": list(item_ids), "done_leads": lead_ids, "done_at": now})

    async def retry(
        self, item_id: int, error: str, *, delay: timedelta, give_up: bool = False,
        alert: tuple[str, dict[str, Any]] | None = None,
    ) -> None:
        """Put the item back for a later try, or (``give_up``) set it aside as dead with its reason.

        ``alert`` (channel, payload): a note queued in the same transaction, so a dead item is reported once.
        """
        now = self._db.clock()
        async with self._db.write() as session:
            changed = await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == item_id, OutboxItem.status == "pending")
                .values(
                    status="dead" if give_up else "pending",
                    attempts=OutboxItem.attempts + 1,
                    last_error=error[:4000],
                    next_attempt_at=now + delay,
                    lease_owner=None,
                    leased_until=None,
                )
            )
            if give_up and alert is not None and changed.rowcount == 1:  # type: ignore[attr-defined]
                add_item(session, "post_text", None, alert[0], alert[1], now)

    async def release(self, item_ids: list[int], owner: str) -> None:
        """Hand leased items back untried (their channel was not ready): due again at once, no claim counted."""
        async with self._db.write() as session:
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id.in_(item_ids), OutboxItem.lease_owner == owner)
                .values(lease_owner=None, leased_until=None, claims=OutboxItem.claims - 1)
            )

    async def held_elsewhere(self, owner: str) -> bool:
        """Whether another instance holds a lease on a pending item now (it may finish it at any moment)."""
        query = select(OutboxItem.id).where(
            OutboxItem.status == "pending", OutboxItem.leased_until > self._db.clock(), OutboxItem.lease_owner != owner
        )
        async with self._db.read() as session:
            return await session.scalar(query.limit(1)) is not None

    async def dead(self, *, limit: int = 1000) -> list[OutboxRecord]:
        """Items set aside as dead, oldest first, with their reason (``last_error``)."""
        query = select(OutboxItem).where(OutboxItem.status == "dead").order_by(OutboxItem.id).limit(limit)
        async with self._db.read() as session:
            return [to_record(OutboxRecord, r) for r in await session.scalars(query)]

    async def revive(self, item_id: int) -> bool:
        """Make a dead item pending again, due now, its attempts reset (False: no dead item of that id)."""
        async with self._db.write() as session:
            changed = await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == item_id, OutboxItem.status == "dead")
                .values(status="pending", attempts=0, next_attempt_at=self._db.clock(), lease_owner=None,
                        leased_until=None)
            )
            return bool(changed.rowcount == 1)  # type: ignore[attr-defined]

    async def lane_heads(self, *, limit: int = 500) -> list[OutboxRecord]:
        """The outbox items to do now, oldest first: due, and each the head of its channel's lane.

        A channel is a lane delivered in queue order: an item is not handed out while an earlier item of its
        channel is still pending (waiting out a backoff, say), so no card overtakes another, and a retry can
        be written with its real delay.
        """
        query = (
            select(OutboxItem)
            .where(lane_head(), OutboxItem.next_attempt_at <= self._db.clock())
            .order_by(OutboxItem.id)
            .limit(limit)
        )
        async with self._db.read() as session:
            return [to_record(OutboxRecord, r) for r in await session.scalars(query)]

    async def next_at(self) -> datetime | None:
        """When the next lane head falls due or its lease ends (None: nothing pending)."""
        due = case(
            (OutboxItem.leased_until > OutboxItem.next_attempt_at, OutboxItem.leased_until),
            else_=OutboxItem.next_attempt_at,
        )
        async with self._db.read() as session:
            found: datetime | None = await session.scalar(select(func.min(due)).where(lane_head()))
            return found

    async def revive_card_updates(self) -> int:
        """Give every card whose last update went dead one more update (pending, attempt count reset).

        The card is rendered from the lead as it is when the update runs, so one fresh attempt repairs a
        card that missed any number of changes (Slack was down longer than the retries lasted).
        """
        now = self._db.clock()
        async with self._db.write() as session:
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
                add_item(session, "update_card", lead_id, channel, {"repair": True}, now)
            # the dead items answered by a fresh update: keep them for the record, but do not revive them
            # again; the others (no card to update) stay dead, listed by `leadbot outbox --dead`
            await session.execute(
                update(OutboxItem)
                .where(
                    OutboxItem.kind == "update_card",
                    OutboxItem.status == "dead",
                    OutboxItem.lead_id.in_([lead_id for lead_id, _ in rows]),
                )
                .values(status="repaired")
            )
            return len(rows)

    async def card_channel(self, lead_id: int) -> str | None:
        """Where the lead's card was posted, or is queued to be (None: it gets no card)."""
        async with self._db.read() as session:
            posted = await session.scalar(select(Lead.slack_channel).where(Lead.id == lead_id))
            if posted:
                return posted
            return await session.scalar(
                select(OutboxItem.channel)
                .where(OutboxItem.lead_id == lead_id, OutboxItem.kind == "post_card")
                .order_by(OutboxItem.id.desc())
                .limit(1)
            )
