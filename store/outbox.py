"""The Slack outbox: card posts, card updates, notes and DMs, written in the same transaction as the change
they announce, handed out per channel lane in queue order (issue 4)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import Db, to_record
from store.records import OutboxRecord
from store.tables import Lead, OutboxItem


def add_item(
    session: AsyncSession, kind: str, lead_id: int | None, channel: str | None, payload: dict[str, Any], now: datetime
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


async def pending_count(session: AsyncSession) -> int:
    query = select(func.count()).select_from(OutboxItem).where(OutboxItem.status == "pending")
    return await session.scalar(query) or 0


class Outbox:
    def __init__(self, db: Db) -> None:
        self._db = db

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

    async def done(self, item_id: int) -> None:
        async with self._db.write() as session:
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == item_id)
                .values(status="done", done_at=self._db.clock(), attempts=OutboxItem.attempts + 1)
            )

    async def retry(self, item_id: int, error: str, *, delay: timedelta, give_up: bool = False) -> None:
        async with self._db.write() as session:
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.id == item_id)
                .values(
                    status="dead" if give_up else "pending",
                    attempts=OutboxItem.attempts + 1,
                    last_error=error[:4000],
                    next_attempt_at=self._db.clock() + delay,
                )
            )

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
        """When the next lane head falls due (None: nothing pending)."""
        async with self._db.read() as session:
            return await session.scalar(select(func.min(OutboxItem.next_attempt_at)).where(lane_head()))

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
            # the dead items are answered: keep them for the record, but do not revive them again
            await session.execute(
                update(OutboxItem)
                .where(OutboxItem.kind == "update_card", OutboxItem.status == "dead")
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
