"""No lead left waiting, on an injected clock and a real database (SQLite and PostgreSQL).

Each test moves the clock by hand and calls `SlaWorker.tick()`: a working day of SLA in milliseconds.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from bot.assess.sla import BusinessCalendar, choose_rep
from bot.assess.work import work_check
from bot.settings import RoutingSettings, load_settings
from bot.workers.sla import SlaWorker
from store.records import OutboxRecord
from store.store import Store
from tests.assess.helpers import CHANNELS, Clock, a_lead
from tests.conftest import migrated_store

LADDER = {
    "claim_sla_minutes": 15,
    "escalation": [
        {"after_minutes": 30, "channel": "C0SALESALL"},
        {"after_minutes": 45, "managers": True, "dm": ["U0LEAD"]},
    ],
    "managers": ["U0BOSS"],
    "auto_assign": "round_robin",
    "auto_assign_after_minutes": 60,
    "reps": ["U0ANA", "U0BEN", "U0CAT"],
    "first_touch_minutes": 60,
}


def routing(**values: object) -> RoutingSettings:
    return load_settings(None, overrides={f"routing.{k}": v for k, v in values.items()}).routing


@asynccontextmanager
async def working(url: str, clock: Clock, settings: RoutingSettings) -> AsyncIterator[tuple[Store, SlaWorker]]:
    """A migrated store on ``clock`` and the SLA worker over it."""
    async with migrated_store(url, clock=clock) as store:
        yield store, SlaWorker(store, settings, CHANNELS, clock=clock)


async def posted_lead(store: Store, clock: Clock, settings: RoutingSettings, name: str) -> int:
    """A grade A lead as the pipeline stores it, its card then posted by the outbox."""
    email = name.lower().replace(" ", ".") + "@example-firm.example"
    lead = await store.leads.add(a_lead(name, email, now=clock(), routing=settings))
    await store.leads.mark_posted(lead.id, "C0SALES", f"1700000000.{lead.id:06d}")
    return lead.id


async def drain(store: Store) -> list[OutboxRecord]:
    """What the outbox would send now (marked done, as the worker would)."""
    items = await store.outbox.due(limit=500)
    for item in items:
        await store.outbox.done(item.id)
    return [i for i in items if i.kind != "post_card"]


async def kinds(store: Store, lead_id: int) -> list[str]:
    return [e.kind for e in await store.events.for_lead(lead_id)]


async def test_reminder_then_escalation_then_round_robin_skipping_away_reps(store_url: str) -> None:
    clock, settings = Clock(), routing(**LADDER)
    async with working(store_url, clock, settings) as (store, worker):
        await store.reps.set_away("U0BEN", True)
        assert await store.reps.away() == {"U0BEN"}
        first = await posted_lead(store, clock, settings, "Hana Sato")
        await drain(store)

        clock.advance(minutes=14, seconds=59)
        assert await worker.tick() == []

        clock.advance(seconds=1)  # 15 min: the reminder, in the card's thread
        assert await worker.tick() == [f"lead {first}: reminder"]
        [reminder] = await drain(store)
        assert (reminder.kind, reminder.channel, reminder.lead_id) == ("post_text", "C0SALES", first)
        assert reminder.payload["in_thread"] is True and "15 min" in reminder.payload["text"]
        breach = [e for e in await store.events.for_lead(first) if e.kind == "sla_breach"]
        assert len(breach) == 1 and breach[0].data["sla"] == "claim"

        clock.advance(minutes=15)  # 30 min: a wider channel
        await worker.tick()
        [wider] = await drain(store)
        assert (wider.kind, wider.channel, wider.payload["in_thread"]) == ("post_text", "C0SALESALL", False)
        assert "Hana" in wider.payload["text"] and "30 min" in wider.payload["text"]
        assert "Sato" not in wider.payload["text"]  # an unclaimed lead is named by its first name

        clock.advance(minutes=15)  # 45 min: the managers, by DM
        await worker.tick()
        dms = await drain(store)
        assert sorted(d.payload["user"] for d in dms) == ["U0BOSS", "U0LEAD"]
        assert all(d.kind == "dm" for d in dms)

        clock.advance(minutes=15)  # 60 min: pushed to the first available rep
        await worker.tick()
        assigned = await store.leads.get(first)
        assert assigned is not None and assigned.owner == "U0ANA" and assigned.status == "claimed"
        out = await drain(store)
        assert [o.kind for o in out] == ["update_card", "post_text", "dm"]
        assert out[2].payload["user"] == "U0ANA"
        assert await kinds(store, first) == [
            "intake", "posted", "reminder", "sla_breach", "escalated", "escalated", "auto_assigned",
        ]

        # the next lead that nobody claims skips U0BEN (away) and goes to U0CAT
        second = await posted_lead(store, clock, settings, "Ravi Menon")
        clock.advance(minutes=60)
        await worker.tick()
        assert (await store.leads.get(second)).owner == "U0CAT"  # type: ignore[union-attr]
        # U0BEN is back: the one after U0CAT in the round is U0ANA, then U0BEN
        await store.reps.set_away("U0BEN", False)
        third = await posted_lead(store, clock, settings, "Lucia Ferri")
        fourth = await posted_lead(store, clock, settings, "Jonas Berg")
        clock.advance(minutes=60)
        await worker.tick()
        owners = [(await store.leads.get(i)).owner for i in (third, fourth)]  # type: ignore[union-attr]
        assert owners == ["U0ANA", "U0BEN"]


async def test_claiming_stops_the_ladder_and_starts_the_first_touch_clock(store_url: str) -> None:
    clock, settings = Clock(), routing(**LADDER)
    async with working(store_url, clock, settings) as (store, worker):
        lazy = await posted_lead(store, clock, settings, "Mei Tanaka")
        busy = await posted_lead(store, clock, settings, "Felix Braun")
        clock.advance(minutes=5)
        await store.leads.claim(lazy, "U0ANA")
        await store.leads.claim(busy, "U0CAT")
        await drain(store)

        clock.advance(minutes=10)  # the claim timers come due, see the claims, and hand over
        await worker.tick()
        assert await drain(store) == []
        [timer_lazy] = await store.timers.query(lead_id=lazy)
        assert timer_lazy.kind == "first_touch" and timer_lazy.due_at == datetime(2026, 3, 2, 15, 5, tzinfo=UTC)

        clock.advance(minutes=30)
        await store.leads.log_activity(
            busy, "U0CAT", "call", "Left a voicemail about the test drive",
            check=work_check("log_activity", manager=False))
        await drain(store)  # the card update that activity queues
        clock.advance(minutes=19, seconds=59)
        await worker.tick()
        assert await drain(store) == []

        clock.advance(seconds=1)  # 60 min after the claim, nothing logged on the lazy one: a nudge
        await worker.tick()
        [nudge] = await drain(store)
        assert (nudge.kind, nudge.payload["user"], nudge.lead_id) == ("dm", "U0ANA", lazy)
        assert "Mei Tanaka" in nudge.payload["text"] and "60 min" in nudge.payload["text"]
        assert "nudged" in await kinds(store, lazy) and "nudged" not in await kinds(store, busy)
        assert "reminder" not in await kinds(store, lazy)
        clock.advance(hours=5)
        await worker.tick()
        assert await drain(store) == [] and await store.timers.query() == []


async def test_a_restart_in_the_middle_keeps_every_timer(store_url: str) -> None:
    clock, settings = Clock(), routing(**LADDER)
    async with working(store_url, clock, settings) as (store, worker):
        waiting = await posted_lead(store, clock, settings, "Aiko Mori")
        claimed = await posted_lead(store, clock, settings, "Pavel Novak")
        await store.leads.claim(claimed, "U0ANA")
        clock.advance(minutes=15)
        await worker.tick()
        await drain(store)
        before = sorted((t.lead_id, t.kind, t.step, t.due_at) for t in await store.timers.query())
        assert before == [
            (waiting, "claim", 1, datetime(2026, 3, 2, 14, 30, tzinfo=UTC)),
            (claimed, "first_touch", 0, datetime(2026, 3, 2, 15, 0, tzinfo=UTC)),
        ]
    # the process dies; a new one (new Store, new worker) opens the same database later
    clock.advance(minutes=50)
    async with migrated_store(store_url, clock=clock) as store:
        assert sorted((t.lead_id, t.kind, t.step, t.due_at) for t in await store.timers.query()) == before
        worker = SlaWorker(store, settings, CHANNELS, clock=clock)
        # 65 min: every overdue step catches up in one tick, each exactly once
        notes = await worker.tick()
        assert notes == [f"lead {waiting}: escalation 1", f"lead {claimed}: nudged", f"lead {waiting}: escalation 2",
                         f"lead {waiting}: assigned to U0ANA"]
        out = await drain(store)
        assert ("post_text", "C0SALESALL") in [(o.kind, o.channel) for o in out]
        assert ("dm", "U0ANA") in [(o.kind, o.payload.get("user")) for o in out]  # the first-touch nudge
        assert await worker.tick() == []
        assert (await store.leads.get(waiting)).owner == "U0ANA"  # type: ignore[union-attr]
        events = await kinds(store, waiting)
        assert events.count("reminder") == 1 and events.count("escalated") == 2
        assert events.count("auto_assigned") == 1


async def test_two_workers_never_fire_a_timer_twice(store_url: str) -> None:
    clock = Clock()
    settings = routing(claim_sla_minutes=15)
    async with migrated_store(store_url, clock=clock) as one, migrated_store(store_url, clock=clock) as two:
        lead = await posted_lead(one, clock, settings, "Sven Dahl")
        clock.advance(minutes=15)
        workers = [SlaWorker(s, settings, CHANNELS, clock=clock) for s in (one, two)]
        await asyncio.gather(*(w.tick() for w in workers))
        assert (await kinds(one, lead)).count("reminder") == 1


async def test_least_loaded_assignment(store_url: str) -> None:
    clock = Clock()
    settings = routing(claim_sla_minutes=15, auto_assign="least_loaded", auto_assign_after_minutes=20,
                       reps=["U0ANA", "U0BEN"])
    async with working(store_url, clock, settings) as (store, worker):
        for name in ("Ada One", "Bea Two"):
            held = await posted_lead(store, clock, settings, name)
            await store.leads.claim(held, "U0ANA")
        lead = await posted_lead(store, clock, settings, "Cleo Three")
        assert await store.reps.open_lead_counts(["U0ANA", "U0BEN"]) == {"U0ANA": 2, "U0BEN": 0}
        clock.advance(minutes=15)
        await worker.tick()
        clock.advance(minutes=5)
        await worker.tick()
        assert (await store.leads.get(lead)).owner == "U0BEN"  # type: ignore[union-attr]


async def test_business_hours_hold_the_clock_over_the_weekend(store_url: str) -> None:
    # Friday 16:50 in Chicago (CST, 22:50 UTC); the office is open Mon–Fri 09:00–17:00
    clock = Clock(datetime(2026, 3, 6, 22, 50, tzinfo=UTC))
    settings = routing(claim_sla_minutes=15, timezone="America/Chicago", business_days=["mon", "tue", "wed",
                       "thu", "fri"], business_open="09:00", business_close="17:00")
    async with working(store_url, clock, settings) as (store, worker):
        lead = await posted_lead(store, clock, settings, "Nora Quinn")
        [timer] = await store.timers.query(lead_id=lead)
        # 10 minutes on Friday, 5 on Monday morning: 09:05 CDT (clocks sprang forward on Sunday) = 14:05 UTC
        assert timer.due_at == datetime(2026, 3, 9, 14, 5, tzinfo=UTC)
        clock.now = datetime(2026, 3, 7, 18, 0, tzinfo=UTC)  # Saturday noon
        assert await worker.tick() == []
        clock.now = datetime(2026, 3, 9, 14, 4, tzinfo=UTC)
        assert await worker.tick() == []
        clock.now = datetime(2026, 3, 9, 14, 5, tzinfo=UTC)
        assert await worker.tick() == [f"lead {lead}: reminder"]


async def test_grade_c_digest_goes_to_alerts_and_never_pings_reps(store_url: str) -> None:
    from tests.assess.helpers import scored_lead

    clock = Clock()
    settings = routing(c_digest_hours=24)
    async with migrated_store(store_url, clock=clock) as store:
        scrap = scored_lead(full_name="asdf asdf", email="x@mailinator.com", now=clock(), routing=settings)
        assert scrap.grade == "C" and scrap.post_to is None and scrap.claim_due_at is None
        lead = await store.leads.add(scrap)
        worker = SlaWorker(store, settings, CHANNELS, clock=clock)
        clock.advance(minutes=1)
        assert await worker.tick() == ["grade C digest"]
        [digest] = await drain(store)
        assert (digest.kind, digest.channel, digest.payload["in_thread"]) == ("post_text", "C0ALERTS", False)
        assert f"#{lead.id}" in digest.payload["text"] and "asdf" in digest.payload["text"]
        clock.advance(hours=1)
        assert await worker.tick() == []  # once per c_digest_hours
        assert await store.timers.query() == []


def test_business_calendar_and_rep_choice_are_pure() -> None:
    cal = BusinessCalendar.of(routing(timezone="Europe/Berlin", business_days=["mon", "tue", "wed", "thu", "fri"],
                                      business_open="08:00", business_close="18:00"))
    # across the spring DST change (29 March 2026): Friday 17:30 CET + 60 business minutes = Monday 08:30 CEST
    start = datetime(2026, 3, 27, 16, 30, tzinfo=UTC)
    assert cal.add_minutes(start, 60) == datetime(2026, 3, 30, 6, 30, tzinfo=UTC)
    assert cal.business_minutes_between(start, datetime(2026, 3, 30, 6, 30, tzinfo=UTC)) == 60
    assert choose_rep(["A", "B", "C"], set(), "round_robin", last="C") == "A"
    assert choose_rep(["A", "B", "C"], {"B"}, "round_robin", last="A") == "C"
    assert choose_rep(["A", "B"], {"A", "B"}, "round_robin") is None
    assert choose_rep(["A", "B", "C"], set(), "least_loaded", loads={"A": 1, "B": 0, "C": 0}, last="B") == "C"


async def test_assignment_loses_to_a_claim_made_meanwhile(store_url: str) -> None:
    clock = Clock()
    settings = routing(claim_sla_minutes=15)
    async with migrated_store(store_url, clock=clock) as store:
        lead = await posted_lead(store, clock, settings, "Tariq Aziz")
        [timer] = await store.timers.query(lead_id=lead)
        await store.leads.claim(lead, "U0REP9")  # a rep clicks Claim while the worker decides
        fired = await store.timers.fire(timer, events=(("auto_assigned", {"user": "U0ANA"}),), assign_to="U0ANA")
        assert fired is False
        assert (await store.leads.get(lead)).owner == "U0REP9"  # type: ignore[union-attr]
        assert "auto_assigned" not in await kinds(store, lead)
        assert [t.id for t in await store.timers.query(lead_id=lead)] == [timer.id]  # still pending: looked at again
