"""store/timers.py: a due timer fires at most once, and an auto-assignment only takes an unclaimed lead."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from store.store import Store
from tests.store.helpers import new_lead


async def test_a_due_timer_fires_once_among_racing_workers(store: Store) -> None:
    lead = await store.leads.add(new_lead(post_to=None))
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    timer = await store.timers.add(lead.id, "claim", started_at=start, due_at=start + timedelta(minutes=5))
    assert await store.timers.due(start) == []
    [due] = await store.timers.due(start + timedelta(minutes=5))
    fired = await asyncio.gather(*(store.timers.fire(due, events=[("sla_breach", {"step": 0})]) for _ in range(5)))
    assert sorted(fired) == [False, False, False, False, True]
    assert [e.kind for e in await store.events.for_lead(lead.id)].count("sla_breach") == 1
    [done] = await store.timers.query(lead_id=lead.id, status="done")
    assert done.id == timer.id and done.fired_at is not None


async def test_auto_assignment_leaves_a_claimed_lead_alone(store: Store) -> None:
    lead = await store.leads.add(new_lead(post_to=None))
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    timer = await store.timers.add(lead.id, "claim", started_at=start, due_at=start)
    assert (await store.leads.claim(lead.id, "U_FAST")).won
    assert not await store.timers.fire(timer, assign_to="U_AUTO", events=[("auto_assigned", {"user": "U_AUTO"})])
    stored = await store.leads.get(lead.id)
    assert stored is not None and stored.owner == "U_FAST"
    assert [t.id for t in await store.timers.query(lead_id=lead.id)] == [timer.id]  # still pending
