"""Cursors of the followers of the events table: how far each has read (issue 14).

A follower (the acknowledgement worker; outbound webhooks) reads ``store.events.after(cursor)`` and moves
its cursor on with `EventCursors.advance`, which never moves it backwards, so several instances may share
one cursor: the slower one's advance changes nothing.
"""

from __future__ import annotations

from sqlalchemy import select, update

from store.db import Db
from store.tables import EventCursor


class EventCursors:
    def __init__(self, db: Db) -> None:
        self._db = db

    async def get(self, name: str, *, start: int) -> int:
        """The cursor ``name``; created at ``start`` (usually ``events.high_water()``) the first time."""
        async with self._db.read() as session:
            found = await session.scalar(select(EventCursor.last_event_id).where(EventCursor.name == name))
        if found is not None:
            return int(found)
        statement = (
            self._db.insert(EventCursor)
            .values(name=name, last_event_id=start, updated_at=self._db.clock())
            .on_conflict_do_nothing(index_elements=["name"])
        )
        async with self._db.write() as session:
            await session.execute(statement)
            return int(await session.scalar(select(EventCursor.last_event_id).where(EventCursor.name == name)) or 0)

    async def advance(self, name: str, to_id: int) -> None:
        """Move the cursor ``name`` to ``to_id`` if that is further on (never back)."""
        async with self._db.write() as session:
            await session.execute(
                update(EventCursor)
                .where(EventCursor.name == name, EventCursor.last_event_id < to_id)
                .values(last_event_id=to_id, updated_at=self._db.clock())
            )
