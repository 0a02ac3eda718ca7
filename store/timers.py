"""SLA timers: the claim clock and its escalation steps, each fired at most once (issue 5), looked at by
one instance at a time (issue 12: ``lease`` picks the due timers and leases them in one statement); and
the reminders reps ask for (kind "remind", issue 14), which ride on the same leases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from store.db import Db, to_record
from store.events import add_event
from store.outbox import add_item
from store.records import CLAIMABLE, LeadStatus, SlaTimerRecord
from store.tables import Lead, SlaTimer


class Timers:
    def __init__(self, db: Db) -> None:
        self._db = db

    async def add(self, lead_id: int, kind: str, *, started_at: datetime, due_at: datetime,
                  step: int = 0, data: dict[str, Any] | None = None) -> SlaTimerRecord:
        """A pending timer; ``data`` is what a "remind" timer carries (its rep and note)."""
        async with self._db.write() as session:
            row = SlaTimer(lead_id=lead_id, kind=kind, step=step, started_at=started_at, due_at=due_at,
                           status="pending", data=data)
            session.add(row)
            await session.flush()
            return to_record(SlaTimerRecord, row)

    async def due(self, now: datetime, *, limit: int = 200) -> list[SlaTimerRecord]:
        async with self._db.read() as session:
            rows = await session.scalars(
                select(SlaTimer)
                .where(SlaTimer.status == "pending", SlaTimer.due_at <= now)
                .order_by(SlaTimer.due_at, SlaTimer.id)
                .limit(limit)
            )
            return [to_record(SlaTimerRecord, r) for r in rows]

    async def lease(self, owner: str, now: datetime, *, seconds: float, limit: int = 200) -> list[SlaTimerRecord]:
        """Take the due timers no other worker holds, for ``seconds`` (``FOR UPDATE SKIP LOCKED`` on
        PostgreSQL; on SQLite the single writer): any number of instances look at each timer once."""
        picked = (
            select(SlaTimer.id)
            .where(
                SlaTimer.status == "pending",
                SlaTimer.due_at <= now,
                or_(SlaTimer.leased_until.is_(None), SlaTimer.leased_until <= now),
            )
            .order_by(SlaTimer.due_at, SlaTimer.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(SlaTimer)
            .where(SlaTimer.id.in_(picked.scalar_subquery()))
            .values(lease_owner=owner, leased_until=now + timedelta(seconds=seconds))
            .returning(SlaTimer)
            .execution_options(synchronize_session=False)
        )
        async with self._db.write() as session:
            rows = [to_record(SlaTimerRecord, r) for r in await session.scalars(statement)]
        return sorted(rows, key=lambda t: (t.due_at, t.id))

    async def release(self, timer_ids: list[int], owner: str) -> None:
        """Hand back leased timers that stay pending (nothing to do yet), for the next look."""
        if not timer_ids:
            return
        async with self._db.write() as session:
            await session.execute(
                update(SlaTimer)
                .where(SlaTimer.id.in_(timer_ids), SlaTimer.lease_owner == owner)
                .values(lease_owner=None, leased_until=None)
            )

    async def query(self, *, lead_id: int | None = None, status: str | None = "pending") -> list[SlaTimerRecord]:
        """Timers by due time, of one lead and/or one status (None: any)."""
        statement = select(SlaTimer).order_by(SlaTimer.due_at, SlaTimer.id)
        if lead_id is not None:
            statement = statement.where(SlaTimer.lead_id == lead_id)
        if status is not None:
            statement = statement.where(SlaTimer.status == status)
        async with self._db.read() as session:
            return [to_record(SlaTimerRecord, r) for r in await session.scalars(statement)]

    async def fire(
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
        now = self._db.clock()
        async with self._db.write() as session:
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
                    .where(Lead.id == lead.id, Lead.owner.is_(None), Lead.status.in_(CLAIMABLE))
                    .values(owner=assign_to, status=LeadStatus.CLAIMED, claimed_at=now)
                )
                if assigned.rowcount != 1:  # type: ignore[attr-defined]
                    await session.rollback()
                    return False
                await session.refresh(lead)
            for kind, data in events:
                add_event(session, kind, lead_id=lead.id, contact_id=lead.contact_id, actor="leadbot", at=now,
                          data=data)
            for kind, channel, payload in outbox:
                add_item(session, kind, lead.id, channel, payload, now)
            if next_timer is not None:
                kind, step, started, due = next_timer
                session.add(SlaTimer(lead_id=lead.id, kind=kind, step=step, started_at=started, due_at=due,
                                     status="pending"))
            return True
