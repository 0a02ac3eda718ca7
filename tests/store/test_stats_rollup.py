"""store/stats.py over the daily rollups (issue 11): the same figures as counting the leads themselves,
whatever changes the leads (claims, releases, reassignments, first touches, outcomes, rescoring, a
direct UPDATE or DELETE), for whole days, partial days and all time, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import dataclasses
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic import command

from store.ledger import mark_credit
from store.migrate import alembic_config, upgrade
from store.stats import PipelineStats, compute_stats
from store.store import Store
from store.tables import Lead, SecondsBetween
from tests.conftest import migrated_store
from tests.store.helpers import new_lead, raw_message

START = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def allow(_lead: object, _actor: str) -> None:
    return None


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def figures(stats: PipelineStats) -> dict[str, object]:
    """Everything a reader sees, durations to the millisecond."""
    def ms(value: float | None) -> int | None:
        return None if value is None else round(value * 1000)

    return {
        "leads": stats.leads, "by_grade": stats.by_grade, "claimed": stats.claimed, "outcomes": stats.outcomes,
        "revenue": round(stats.revenue, 2), "breaches": stats.sla_breaches,
        "median_claim": ms(stats.median_claim_seconds), "median_touch": ms(stats.median_first_touch_seconds),
        "sources": [
            (s.vendor, s.leads, s.by_grade, s.claimed, s.won, s.decided, round(s.revenue, 2), s.duplicates,
             s.invalid, s.touched, ms(s.claim_seconds), ms(s.touch_seconds), s.credit_requested, s.credit_granted,
             s.sla_breaches)
            for s in stats.by_source
        ],
        "reps": [
            (r.rep, r.claimed, r.won, r.decided, round(r.revenue, 2), r.touched, ms(r.claim_seconds),
             ms(r.touch_seconds), r.sla_breaches) for r in stats.by_rep
        ],
    }


def periods(until: datetime) -> Iterator[tuple[datetime | None, datetime]]:
    yield None, until
    yield until - timedelta(days=7), until
    yield until - timedelta(days=2, hours=5), until  # partial first day
    yield START, START + timedelta(days=3)  # whole days only
    yield START + timedelta(hours=2), START + timedelta(hours=20)  # within one day
    yield START + timedelta(days=1, hours=3), START + timedelta(days=5, minutes=7)


async def test_rollup_figures_equal_counting_the_leads(store_url: str) -> None:
    clock = Clock()
    rng = random.Random(11)
    async with migrated_store(store_url, clock=clock) as store:
        ids = []
        for n in range(60):
            clock.now = START + timedelta(hours=7 * n, minutes=rng.randint(0, 59), seconds=rng.random() * 60)
            lead = dataclasses.replace(
                new_lead(f"p{n}@park.test", post_to=None, grade=rng.choice("ABC"), invalid=rng.random() < 0.2),
                vendor=rng.choice(["Portal", "Cars", None]),
            )
            ids.append((await store.leads.add(lead)).id)
        for lead_id in ids:
            clock.now += timedelta(minutes=rng.randint(1, 300), milliseconds=rng.randint(0, 999))
            if rng.random() < 0.75:
                rep = rng.choice(["U1", "U2", "U3"])
                await store.leads.claim(lead_id, rep)
                if rng.random() < 0.2:
                    await store.leads.release(lead_id, rep, check=allow)
                    continue
                if rng.random() < 0.2:
                    await store.leads.reassign(lead_id, rng.choice(["U1", "U4"]), "UBOSS", check=allow)
                if rng.random() < 0.8:
                    clock.now += timedelta(seconds=rng.randint(5, 9000))
                    await store.leads.log_activity(lead_id, rep, "call", "rang", check=allow)
                if rng.random() < 0.6:
                    outcome = rng.choice(["won", "lost", "nurture", "disqualified"])
                    amount = round(rng.uniform(10, 9000), 2) if outcome == "won" else None
                    await store.leads.set_outcome(lead_id, rep, outcome, amount=amount, check=allow)
            if rng.random() < 0.15:
                await store.leads.update_assessment(lead_id, score=10, grade="C", reasons=["-50 test"], actor="x")
            if rng.random() < 0.1:
                await store.events.record(lead_id, "sla_breach", actor="leadbot")
            if rng.random() < 0.1:
                await mark_credit(store, lead_id, "granted", actor="UBOSS")
                await mark_credit(store, lead_id, "granted", actor="UBOSS")  # once a lead, however often
            if rng.random() < 0.1:
                await store.events.record(lead_id, "duplicate", actor="leadbot", data={"of_lead": ids[0]})
        # a change no repository method makes: the triggers still see it
        async with store.engine.begin() as conn:
            await conn.execute(sa.text("UPDATE leads SET vendor = 'Renamed' WHERE vendor = 'Cars' AND grade = 'B'"))
            await conn.execute(sa.text("DELETE FROM events WHERE lead_id = :id"), {"id": ids[-1]})
            early_breaches = "DELETE FROM events WHERE kind = 'sla_breach' AND lead_id < :id"
            await conn.execute(sa.text(early_breaches), {"id": ids[10]})
            await conn.execute(sa.text("DELETE FROM leads WHERE id = :id"), {"id": ids[-1]})
        until = clock.now + timedelta(minutes=1)
        for since, end in periods(until):
            fast = await compute_stats(store.engine, since=since, until=end)
            slow = await compute_stats(store.engine, since=since, until=end, scan=True)
            assert figures(fast) == figures(slow), (since, end)
        everything = await compute_stats(store.engine, since=None, until=until)
        assert everything.leads == 59 and everything.claimed > 20 and everything.by_rep
        assert any(s.vendor == "Renamed" for s in everything.by_source)
        assert sum(s.credit_granted for s in everything.by_source) == everything.credit_granted > 0
        assert everything.sla_breaches > 0 and everything.duplicates > 0


async def test_figures_by_source_and_rep(sqlite_url: str) -> None:
    clock = Clock()
    async with migrated_store(sqlite_url, clock=clock) as store:
        first = await store.leads.add(new_lead("a@park.test", post_to=None))
        second = await store.leads.add(dataclasses.replace(new_lead("b@park.test", post_to=None), vendor="Cars"))
        clock.now += timedelta(minutes=10)
        await store.leads.claim(first.id, "U1")
        clock.now += timedelta(minutes=20)
        await store.leads.claim(second.id, "U2")
        await store.leads.log_activity(second.id, "U2", "call", "rang", check=allow)
        clock.now += timedelta(hours=1)
        await store.leads.log_activity(first.id, "U1", "call", "rang", check=allow)
        await store.leads.set_outcome(first.id, "U1", "won", amount=1234.56, check=allow)
        await store.events.record(first.id, "sla_breach", actor="leadbot", data={"kind": "first_touch"})
        await mark_credit(store, second.id, "requested", actor="UBOSS")
        await mark_credit(store, second.id, "granted", actor="UBOSS")
        stats = await compute_stats(store.engine, since=None, until=clock.now + timedelta(seconds=1))
    portal, cars = sorted(stats.by_source, key=lambda s: s.vendor != "Portal")
    assert (portal.vendor, portal.mean_claim_seconds, portal.mean_touch_seconds) == ("Portal", 600.0, 4800.0)
    assert (portal.win_rate, portal.revenue, portal.sla_breaches, portal.refund_rate) == (1.0, 1234.56, 1, 0.0)
    assert (cars.mean_claim_seconds, cars.mean_touch_seconds, cars.credit_requested, cars.refund_rate) == (
        1800.0, 0.0, 1, 1.0
    )
    u1, u2 = stats.by_rep
    assert (u1.rep, u1.won, u1.revenue, u1.sla_breaches, u1.mean_claim_seconds) == ("U1", 1, 1234.56, 1, 600.0)
    assert (u2.rep, u2.win_rate, u2.mean_touch_seconds) == ("U2", None, 0.0)
    assert stats.median_claim_seconds == pytest.approx(1200.0, abs=1e-3)
    assert stats.median_first_touch_seconds == pytest.approx(2400.0, abs=1e-3)


async def test_the_medians_read_an_index_not_a_sort(sqlite_store: Store) -> None:
    """The all-time median walks ix_leads_claim_seconds (no temporary B-tree for the ORDER BY)."""
    claimed = Lead.claimed_at.is_not(None)
    value = SecondsBetween(Lead.created_at, Lead.claimed_at)
    query = sa.select(value).where(Lead.created_at < START, claimed).order_by(value).offset(3).limit(1)
    async with sqlite_store.engine.connect() as conn:
        sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
        plan = " ".join(str(row[-1]) for row in (await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)).all())
    assert "ix_leads_claim_seconds" in plan and "TEMP B-TREE" not in plan, plan


async def test_concurrent_changes_from_two_instances_keep_the_rollups_exact(store_url: str) -> None:
    """Two stores (two instances) claim, reassign, release and close leads of one day at once: no update
    of a rollup row is lost, and no two transactions deadlock on them."""
    async with migrated_store(store_url) as one, migrated_store(store_url) as two:
        ids = [(await one.leads.add(new_lead(f"c{n}@park.test", post_to=None))).id for n in range(24)]

        async def churn(store: Store, mine: list[int], rep: str, other: str) -> None:
            for lead_id in mine:
                await store.leads.claim(lead_id, rep)
                await store.leads.reassign(lead_id, other, "UBOSS", check=allow)
                if lead_id % 3:
                    await store.leads.release(lead_id, other, check=allow)
                else:
                    await store.leads.set_outcome(lead_id, other, "won", amount=10.5, check=allow)

        await asyncio.gather(
            churn(one, ids[0::2], "U1", "U2"), churn(two, ids[1::2], "U2", "U1"),
        )
        until = datetime.now(UTC) + timedelta(minutes=1)
        fast = await compute_stats(one.engine, since=None, until=until)
        slow = await compute_stats(one.engine, since=None, until=until, scan=True)
    assert figures(fast) == figures(slow)
    assert fast.outcomes == {"won": 8} and fast.revenue == 84.0


async def test_the_migration_fills_the_rollups_of_leads_stored_before_it(store_url: str) -> None:
    """A database that predates the rollups: migration 0013 counts what is there, the same as a scan."""
    store = Store.open(store_url)
    try:
        async with store.engine.begin() as conn:
            await conn.run_sync(upgrade, "0012_webhooks")
        ids = [(await store.leads.add(new_lead(f"old{n}@park.test", post_to=None))).id for n in range(6)]
        for lead_id in ids[:4]:
            await store.leads.claim(lead_id, "U1")
            await store.events.record(lead_id, "sla_breach", actor="leadbot")
            await mark_credit(store, lead_id, "requested", actor="UBOSS")
        await store.leads.set_outcome(ids[0], "U1", "won", amount=99.99, check=allow)
        await store.migrate()
        until = datetime.now(UTC) + timedelta(days=2)  # today a whole day: read from the rollups
        fast = await compute_stats(store.engine, since=None, until=until)
        slow = await compute_stats(store.engine, since=None, until=until, scan=True)
    finally:
        await store.close()
    assert figures(fast) == figures(slow)
    assert (fast.leads, fast.claimed, fast.sla_breaches, fast.revenue) == (6, 4, 4, 99.99)
    assert fast.by_source[0].credit_requested == 4


async def _file_a_group(store: Store, tag: str, rng: random.Random, count: int = 30) -> None:
    """``count`` messages accepted, then completed at once (one completion group: the leads of new people filed
    in one statement, store/new_people.py), of several sources, grades and validity."""
    accepted = [await store.messages.accept(raw_message(f"Subject: {tag}{n}\r\n\r\nhi\r\n".encode()),
                                            dedup_key=f"{tag}{n}") for n in range(count)]
    leads = [dataclasses.replace(new_lead(f"{tag}{n}@park.test", post_to=None, grade=rng.choice("ABC"),
                                          invalid=rng.random() < 0.2), vendor=rng.choice(["Portal", "Cars", None]))
             for n in range(count)]
    await asyncio.gather(*(store.messages.complete(message.id, [lead], vendor=lead.vendor)
                           for message, lead in zip(accepted, leads, strict=True)))


async def test_groups_of_new_leads_from_two_instances_keep_the_rollups_exact(store_url: str) -> None:
    """Two instances file groups of new leads at once, each group's rows in one statement: every rollup row gets
    each group's sum (on PostgreSQL once per statement, the rows taken in key order: no deadlock between the two),
    the same figures as counting the leads."""
    rng = random.Random(5)
    async with migrated_store(store_url) as one, migrated_store(store_url) as two:
        for turn in range(3):
            await asyncio.gather(_file_a_group(one, f"a{turn}-", rng), _file_a_group(two, f"b{turn}-", rng))
        until = datetime.now(UTC) + timedelta(days=2)  # today a whole day: read from the rollups
        fast = await compute_stats(one.engine, since=None, until=until)
        slow = await compute_stats(one.engine, since=None, until=until, scan=True)
    assert figures(fast) == figures(slow)
    assert fast.leads == 180 and {s.vendor for s in fast.by_source} >= {"Portal", "Cars"}


async def test_the_rollup_triggers_migrate_down_and_up_with_the_same_figures(store_url: str) -> None:
    """0015 (PostgreSQL: new leads added once per statement) undone and done again: the figures stay those of
    counting the leads, with leads filed under each set of triggers."""
    rng = random.Random(9)
    async with migrated_store(store_url) as store:
        await _file_a_group(store, "head-", rng, 12)
        async with store.engine.begin() as conn:
            await conn.run_sync(lambda sync: command.downgrade(alembic_config(sync), "0014_message_lease"))
        await _file_a_group(store, "row-", rng, 12)
        await store.leads.claim((await store.leads.add(new_lead("claimed@park.test", post_to=None))).id, "U1")
        await store.migrate()
        await _file_a_group(store, "again-", rng, 12)
        until = datetime.now(UTC) + timedelta(days=2)  # today a whole day: read from the rollups
        fast = await compute_stats(store.engine, since=None, until=until)
        slow = await compute_stats(store.engine, since=None, until=until, scan=True)
    assert figures(fast) == figures(slow)
    assert (fast.leads, fast.claimed) == (37, 1)
