"""Events: the append-only log of what happened to a lead or a contact; Slack event ids seen (dedup);
events about no single lead (a digest sent)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from store.db import Db, to_record
from store.outbox import add_item
from store.records import EventRecord, LeadNotFound
from store.tables import Event, Lead, SlackEvent


def add_event(
    session: AsyncSession | Session,
    kind: str,
    *,
    lead_id: int | None,
    contact_id: int | None,
    actor: str | None,
    at: datetime,
    data: dict[str, Any] | None = None,
) -> Event:
    """Add one event to the session's transaction (flushed with it)."""
    row = Event(lead_id=lead_id, contact_id=contact_id, kind=kind, actor=actor, at=at, data=data or {})
    session.add(row)
    return row


class Events:
    def __init__(self, db: Db) -> None:
        self._db = db

    async def record(
        self, lead_id: int, kind: str, *, actor: str | None, data: dict[str, Any] | None = None
    ) -> EventRecord:
        now = self._db.clock()
        async with self._db.write() as session:
            row = await session.get(Lead, lead_id)
            if row is None:
                raise LeadNotFound(lead_id)
            ev = add_event(session, kind, lead_id=lead_id, contact_id=row.contact_id, actor=actor, at=now, data=data)
            await session.flush()
            return to_record(EventRecord, ev)

    async def for_lead(self, lead_id: int) -> list[EventRecord]:
        async with self._db.read() as session:
            rows = await session.scalars(select(Event).where(Event.lead_id == lead_id).order_by(Event.id))
            return [to_record(EventRecord, e) for e in rows]

    async def after(self, last_id: int, *, kinds: Collection[str] | None = None, limit: int = 500) -> list[EventRecord]:
        """Lead events with an id above ``last_id``, in id order (only ``kinds``, if given): how a follower of
        the log (acknowledgements, outbound webhooks) reads on from its cursor (store/event_cursors.py).

        On PostgreSQL ids are taken before commit, so an event may become visible after a higher one: a
        follower keeps its cursor a little behind the newest event and reacts idempotently.
        """
        query = select(Event).where(Event.id > last_id, Event.lead_id.is_not(None))
        if kinds is not None:
            query = query.where(Event.kind.in_(list(kinds)))
        async with self._db.read() as session:
            rows = await session.scalars(query.order_by(Event.id).limit(limit))
            return [to_record(EventRecord, e) for e in rows]

    async def high_water(self, *, before: datetime | None = None) -> int:
        """The newest event's id (0: none yet), or of the newest at or before ``before``: where a new follower
        starts, so it does not replay history."""
        query = select(func.max(Event.id))
        if before is not None:
            query = query.where(Event.at <= before)
        async with self._db.read() as session:
            return int(await session.scalar(query) or 0)

    async def last_at(self, kind: str) -> datetime | None:
        async with self._db.read() as session:
            return await session.scalar(select(func.max(Event.at)).where(Event.kind == kind))

    async def record_service(self, kind: str, data: dict[str, Any]) -> None:
        """An event about no single lead (a digest sent); with ``data["post"] = {"channel", "text"}`` (text
        already rendered by the caller) a note is queued for that channel in the same commit."""
        now = self._db.clock()
        async with self._db.write() as session:
            add_event(session, kind, lead_id=None, contact_id=None, actor="leadbot", at=now, data=data)
            post = data.get("post")
            if isinstance(post, dict):
                add_item(session, "post_text", None, str(post["channel"]), {"text": post["text"], "in_thread": False},
                         now)

    async def seen_slack_event(self, event_id: str) -> bool:
        """Remember a Slack ``event_id``; True if it was seen before (a retry to ignore)."""
        statement = (
            self._db.insert(SlackEvent)
            .values(event_id=event_id[:64], seen_at=self._db.clock())
            .on_conflict_do_nothing(index_elements=["event_id"])
            .returning(SlackEvent.event_id)
        )
        async with self._db.write() as session:
            return await session.scalar(statement) is None

    async def forget_slack_events(self, *, older_than: timedelta) -> int:
        """Drop remembered event ids past Slack's retry window (it retries within minutes)."""
        async with self._db.write() as session:
            result = await session.execute(
                delete(SlackEvent).where(SlackEvent.seen_at < self._db.clock() - older_than)
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]
