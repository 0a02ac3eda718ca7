"""Reps as assignment sees them: who is away, how many open leads each holds, who had the last auto-assignment."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from store.db import Db
from store.records import LeadStatus
from store.tables import Event, Lead, RepStatus


class Reps:
    def __init__(self, db: Db) -> None:
        self._db = db

    async def set_away(self, user_id: str, away: bool) -> None:
        """Mark a rep away (skipped by auto-assignment) or back."""
        now = self._db.clock()
        async with self._db.write() as session:
            row = await session.get(RepStatus, user_id)
            if row is None:
                session.add(RepStatus(user_id=user_id, away=away, changed_at=now))
            else:
                row.away, row.changed_at = away, now

    async def away(self) -> set[str]:
        async with self._db.read() as session:
            return set(await session.scalars(select(RepStatus.user_id).where(RepStatus.away.is_(True))))

    async def open_lead_counts(self, users: Sequence[str]) -> dict[str, int]:
        """How many open (claimed, not closed) leads each rep holds (least-loaded assignment)."""
        async with self._db.read() as session:
            rows = await session.execute(
                select(Lead.owner, func.count())
                .where(Lead.owner.in_(list(users)), Lead.status == LeadStatus.CLAIMED, Lead.closed_at.is_(None))
                .group_by(Lead.owner)
            )
            counts = {str(owner): int(n) for owner, n in rows.all()}
        return {user: counts.get(user, 0) for user in users}

    async def last_auto_assigned(self) -> str | None:
        """The rep the most recent auto-assignment went to (round robin continues after them)."""
        async with self._db.read() as session:
            ev = await session.scalar(
                select(Event).where(Event.kind == "auto_assigned").order_by(Event.id.desc()).limit(1)
            )
            return str((ev.data or {}).get("user")) if ev else None
