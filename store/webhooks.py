"""Outbound webhook receivers (issue 14): how far each has got in the events, and who delivers to it now.

A receiver follows the events table (``Events.after``) with a cursor: the id of the last event delivered
to it or passed over. Deliveries go one at a time in id order, so a receiver sees a lead's events in the
order they happened; the cursor moves only after the receiver answered 2xx. A failure sets
``next_attempt_at`` (backoff), so a receiver that is down waits in the database, through restarts, and
holds up nobody else. One instance delivers to a receiver at a time: it holds a lease on the row
(compare-and-set), renewed at each step; a lease whose holder died expires and is taken over.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update

from store.db import Db, to_record
from store.tables import WebhookEndpoint


@dataclass(frozen=True, slots=True)
class EndpointState:
    name: str
    cursor: int
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    delivered: int
    last_delivered_at: datetime | None
    lease_owner: str | None
    leased_until: datetime | None


class Webhooks:
    def __init__(self, db: Db) -> None:
        self._db = db

    async def ensure(self, name: str, *, start_at: int) -> EndpointState:
        """The receiver's row, created with its cursor at ``start_at`` if it has none yet."""
        now = self._db.clock()
        statement = (
            self._db.insert(WebhookEndpoint)
            .values(name=name, cursor=start_at, attempts=0, next_attempt_at=now, delivered=0)
            .on_conflict_do_nothing(index_elements=["name"])
        )
        async with self._db.write() as session:
            await session.execute(statement)
            row = await session.get(WebhookEndpoint, name, populate_existing=True)
            assert row is not None
            return to_record(EndpointState, row)

    async def lease(self, name: str, owner: str, *, seconds: float) -> EndpointState | None:
        """Take the receiver for ``seconds`` if it is due and nobody else holds it (None: not now)."""
        now = self._db.clock()
        statement = (
            update(WebhookEndpoint)
            .where(
                WebhookEndpoint.name == name,
                WebhookEndpoint.next_attempt_at <= now,
                or_(
                    WebhookEndpoint.leased_until.is_(None),
                    WebhookEndpoint.leased_until <= now,
                    WebhookEndpoint.lease_owner == owner,
                ),
            )
            .values(lease_owner=owner, leased_until=now + timedelta(seconds=seconds))
            .returning(WebhookEndpoint)
            .execution_options(synchronize_session=False)
        )
        async with self._db.write() as session:
            row = await session.scalar(statement)
            return to_record(EndpointState, row) if row is not None else None

    async def advance(self, name: str, owner: str, to_id: int, *, delivered: int, seconds: float) -> bool:
        """Move the cursor to ``to_id`` (never back), clear the failure, count ``delivered`` deliveries and
        renew the lease. False: the lease was lost (another instance holds the receiver now)."""
        now = self._db.clock()
        values: dict[str, object] = {
            "cursor": to_id, "attempts": 0, "last_error": None, "delivered": WebhookEndpoint.delivered + delivered,
            "leased_until": now + timedelta(seconds=seconds),
        }
        if delivered:
            values["last_delivered_at"] = now
        statement = (
            update(WebhookEndpoint)
            .where(WebhookEndpoint.name == name, WebhookEndpoint.lease_owner == owner, WebhookEndpoint.cursor <= to_id)
            .values(**values)
        )
        async with self._db.write() as session:
            return bool((await session.execute(statement)).rowcount == 1)  # type: ignore[attr-defined]

    async def failed(self, name: str, owner: str, error: str, *, delay: timedelta) -> None:
        """Record a failed delivery: try again after ``delay``; the lease is handed back."""
        now = self._db.clock()
        async with self._db.write() as session:
            await session.execute(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.name == name, WebhookEndpoint.lease_owner == owner)
                .values(
                    attempts=WebhookEndpoint.attempts + 1, last_error=error[:2000], next_attempt_at=now + delay,
                    lease_owner=None, leased_until=None,
                )
            )

    async def release(self, name: str, owner: str) -> None:
        async with self._db.write() as session:
            await session.execute(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.name == name, WebhookEndpoint.lease_owner == owner)
                .values(lease_owner=None, leased_until=None)
            )

    async def states(self) -> list[EndpointState]:
        async with self._db.read() as session:
            rows = await session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.name))
            return [to_record(EndpointState, r) for r in rows]
