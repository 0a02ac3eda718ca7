"""Acknowledgements: the emails that answer the prospect (issue 14), one row per lead and kind.

A row is queued when its lead event is read ("intake": we have your request; "claimed": a rep will call
you); the unique (lead_id, kind) makes a second queueing, by a restart or another instance, a no-op.
Due rows are handed out under a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; the single writer on
SQLite), so one instance sends each; the outcome of a try and its lead event ("acknowledged",
"acknowledge_failed") are written in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import Db, to_record
from store.events import add_event
from store.tables import Acknowledgement, Lead

INTAKE, CLAIMED = "intake", "claimed"
KINDS = (INTAKE, CLAIMED)


@dataclass(frozen=True, slots=True)
class AcknowledgementRecord:
    id: int
    lead_id: int
    kind: str
    #: pending → sent | skipped | dead
    status: str
    reason: str | None
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None
    message_id: str | None
    claims: int


class Acknowledgements:
    def __init__(self, db: Db) -> None:
        self._db = db

    async def queue(self, wanted: Sequence[tuple[int, str]]) -> int:
        """Queue (lead_id, kind) pairs, due now; pairs queued before are left alone. Returns how many are new."""
        if not wanted:
            return 0
        now = self._db.clock()
        rows = [
            {"lead_id": lead_id, "kind": kind, "status": "pending", "attempts": 0, "created_at": now,
             "next_attempt_at": now, "claims": 0}
            for lead_id, kind in dict.fromkeys(wanted)
        ]
        statement = (
            self._db.insert(Acknowledgement)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["lead_id", "kind"])
            .returning(Acknowledgement.id)
        )
        async with self._db.write() as session:
            return len(list(await session.scalars(statement)))

    async def lease(self, owner: str, *, seconds: float, limit: int = 50) -> list[AcknowledgementRecord]:
        """Take the due rows nobody holds, oldest first, for ``seconds``; one statement picks and leases.

        A "claimed" note waits while its lead's "intake" acknowledgement is pending, so the prospect never
        hears "Anna will call you" before "we have your request".
        """
        now = self._db.clock()
        intake = Acknowledgement.__table__.alias("intake")
        waiting = (
            select(intake.c.id)
            .where(intake.c.lead_id == Acknowledgement.lead_id, intake.c.kind == INTAKE,
                   intake.c.status == "pending")
            .exists()
        )
        picked = (
            select(Acknowledgement.id)
            .where(
                Acknowledgement.status == "pending",
                Acknowledgement.next_attempt_at <= now,
                or_(Acknowledgement.leased_until.is_(None), Acknowledgement.leased_until <= now),
                or_(Acknowledgement.kind == INTAKE, ~waiting),
            )
            .order_by(Acknowledgement.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        statement = (
            update(Acknowledgement)
            .where(Acknowledgement.id.in_(picked.scalar_subquery()))
            .values(lease_owner=owner, leased_until=now + timedelta(seconds=seconds),
                    claims=Acknowledgement.claims + 1)
            .returning(Acknowledgement)
            .execution_options(synchronize_session=False)
        )
        async with self._db.write() as session:
            rows = [to_record(AcknowledgementRecord, r) for r in await session.scalars(statement)]
        return sorted(rows, key=lambda r: r.id)

    async def sent(self, ack: AcknowledgementRecord, owner: str, *, message_id: str, data: dict[str, Any]) -> bool:
        """The relay took the email: the row is done and the lead gets an "acknowledged" event (``data``)."""
        now = self._db.clock()
        async with self._db.write() as session:
            if not await _finish(session, ack, owner, status="sent", sent_at=now, message_id=message_id,
                                 attempts=Acknowledgement.attempts + 1, last_error=None):
                return False
            await _event(session, ack, "acknowledged", now, {"kind": ack.kind, "message_id": message_id, **data})
            return True

    async def skipped(self, ack: AcknowledgementRecord, owner: str, reason: str) -> bool:
        """Not to be sent (grade C, a role address …): kept with its reason, no event (nothing happened)."""
        async with self._db.write() as session:
            return await _finish(session, ack, owner, status="skipped", reason=reason[:200])

    async def failed(
        self, ack: AcknowledgementRecord, owner: str, error: str, *, retry_in: timedelta | None
    ) -> bool:
        """A try failed: due again after ``retry_in``, or (None) set aside as dead. The lead gets an
        "acknowledge_failed" event either way."""
        now = self._db.clock()
        values: dict[str, Any] = {"attempts": Acknowledgement.attempts + 1, "last_error": error[:4000]}
        if retry_in is None:
            values["status"] = "dead"
        else:
            values["next_attempt_at"] = now + retry_in
        async with self._db.write() as session:
            if not await _finish(session, ack, owner, **values):
                return False
            data: dict[str, Any] = {"kind": ack.kind, "attempt": ack.attempts + 1, "error": error[:300]}
            if retry_in is None:
                data["gave_up"] = True
            else:
                data["retry_at"] = (now + retry_in).isoformat()
            await _event(session, ack, "acknowledge_failed", now, data)
            return True

    async def release(self, ack_ids: Sequence[int], owner: str) -> None:
        """Hand leased rows back untried (the relay is unreachable): due again, no lease counted."""
        if not ack_ids:
            return
        async with self._db.write() as session:
            await session.execute(
                update(Acknowledgement)
                .where(Acknowledgement.id.in_(list(ack_ids)), Acknowledgement.lease_owner == owner)
                .values(lease_owner=None, leased_until=None, claims=Acknowledgement.claims - 1)
            )

    async def for_lead(self, lead_id: int) -> list[AcknowledgementRecord]:
        query = select(Acknowledgement).where(Acknowledgement.lead_id == lead_id).order_by(Acknowledgement.id)
        async with self._db.read() as session:
            return [to_record(AcknowledgementRecord, r) for r in await session.scalars(query)]

    async def next_at(self) -> datetime | None:
        """When the next pending row falls due (None: nothing pending)."""
        query = select(Acknowledgement.next_attempt_at).where(Acknowledgement.status == "pending")
        async with self._db.read() as session:
            found: datetime | None = await session.scalar(
                query.order_by(Acknowledgement.next_attempt_at).limit(1)
            )
            return found


async def _finish(session: AsyncSession, ack: AcknowledgementRecord, owner: str, **values: Any) -> bool:
    """Write a try's outcome if this owner still holds the row (its lease was not taken over)."""
    changed = await session.execute(
        update(Acknowledgement)
        .where(and_(Acknowledgement.id == ack.id, Acknowledgement.status == "pending",
                    Acknowledgement.lease_owner == owner))
        .values(lease_owner=None, leased_until=None, **values)
    )
    return bool(changed.rowcount == 1)  # type: ignore[attr-defined]


async def _event(session: AsyncSession, ack: AcknowledgementRecord, kind: str, now: datetime,
                 data: dict[str, Any]) -> None:
    contact_id = await session.scalar(select(Lead.contact_id).where(Lead.id == ack.lead_id))
    add_event(session, kind, lead_id=ack.lead_id, contact_id=contact_id, actor="leadbot", at=now, data=data)
