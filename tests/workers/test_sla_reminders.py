"""Reminders (issue 14) as the SLA worker fires them: from the database, on an injected clock, SQLite and
PostgreSQL. A reminder survives a restart (a new process opens the same database), is sent once however many
instances look, and falls inside business hours."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.assess.sla import BusinessCalendar
from bot.assess.work import work_check
from bot.settings import RoutingSettings, SlackChannels
from bot.slack.reminders import REMIND, Scheduled, schedule
from bot.workers.sla import SlaWorker
from store.records import OutboxRecord
from store.store import Store
from tests.assess.helpers import Clock
from tests.conftest import migrated_store
from tests.slack.leads import new_lead

REP = "U0REP0001"
OFFICE = RoutingSettings(
    timezone="America/New_York", business_days=("mon", "tue", "wed", "thu", "fri"),
    business_open="08:30", business_close="17:30",
)
#: Friday 4 December 2026, 16:45 in New York
FRIDAY_LATE = datetime(2026, 12, 4, 21, 45, tzinfo=UTC)


async def dms(store: Store) -> list[OutboxRecord]:
    return [i for i in await store.outbox.due(limit=100) if i.kind == "dm"]


async def test_a_reminder_survives_a_restart_and_is_sent_once_by_many_instances(store_url: str) -> None:
    clock = Clock(FRIDAY_LATE)
    calendar = BusinessCalendar.of(OFFICE)
    async with migrated_store(store_url, clock=clock) as store:
        lead = await store.leads.add(new_lead(post_to=None))
        await store.leads.claim(lead.id, REP)
        scheduled = await schedule(store, calendar, lead.id, REP, "in 2h", now=clock(), note="call back re: financing")
        assert isinstance(scheduled, Scheduled)
        # 18:45 is after closing: Monday's opening, 08:30 in New York
        assert scheduled.moment.at == datetime(2026, 12, 7, 13, 30, tzinfo=UTC) and scheduled.moment.moved
        assert scheduled.confirmation().endswith(" (moved into business hours)")

    clock.now = datetime(2026, 12, 7, 13, 29, tzinfo=UTC)
    async with migrated_store(store_url, clock=clock) as store:  # the next process, the same database
        workers = [SlaWorker(store, OFFICE, SlackChannels(), clock=clock, instance=f"sla:{n}") for n in range(4)]
        assert await workers[0].tick() == []  # a minute early
        assert await dms(store) == []

        clock.advance(minutes=1)
        fired = await asyncio.gather(*(worker.tick() for worker in workers))
        assert sorted(note for notes in fired for note in notes) == [f"lead {lead.id}: reminded {REP}"]
        (dm,) = await dms(store)
        assert dm.lead_id == lead.id and dm.payload["user"] == REP
        assert dm.payload["text"].endswith("2024 Ford Transit 350 cargo van).\nYour note: call back re: financing")
        assert "Dana Whitaker" in dm.payload["text"]  # the rep owns the lead: its full name
        clock.advance(hours=1)
        assert await workers[1].tick() == []  # done is done
        (timer,) = await store.timers.query(lead_id=lead.id, status=None)
        assert (timer.kind, timer.status) == (REMIND, "done")
        assert [e.kind for e in await store.events.for_lead(lead.id)][-1] == "reminded"


async def test_a_reminder_about_a_lead_closed_since_says_so_and_names_only_the_first_name(store: Store) -> None:
    calendar = BusinessCalendar.of(RoutingSettings())
    now = datetime.now(UTC)
    lead = await store.leads.add(new_lead(post_to=None))
    await store.leads.claim(lead.id, "U0OTHER01")
    asked = await schedule(store, calendar, lead.id, REP, "in 30 minutes", now=now)
    assert isinstance(asked, Scheduled)
    await store.leads.set_outcome(lead.id, "U0OTHER01", "won", amount=900.0, check=work_check("set_outcome",
                                                                                              manager=False))

    worker = SlaWorker(store, RoutingSettings(), SlackChannels(), clock=lambda: now + timedelta(minutes=30))
    assert await worker.tick() == [f"lead {lead.id}: reminded {REP}"]
    (dm,) = await dms(store)
    assert dm.payload["text"] == (
        f":alarm_clock: Reminder: lead #{lead.id} (Dana, grade A, AutoLeads, 2024 Ford Transit 350 cargo van). "
        "It is closed now (Won)."
    )


async def test_sla_timers_and_reminders_share_the_worker_without_mixing(store: Store) -> None:
    """A claim timer still escalates by its plan; a reminder on the same lead is only a DM."""
    now = datetime.now(UTC)
    lead = await store.leads.add(new_lead(post_to=None))
    await store.leads.mark_posted(lead.id, "C0SALES", "1700000000.000001")
    await store.timers.add(lead.id, "claim", started_at=now, due_at=now)
    asked = await schedule(store, BusinessCalendar.of(RoutingSettings()), lead.id, REP, "in 1 minute", now=now)
    assert isinstance(asked, Scheduled)
    worker = SlaWorker(store, RoutingSettings(), SlackChannels(), clock=lambda: now + timedelta(minutes=1))
    assert sorted(await worker.tick()) == [f"lead {lead.id}: reminded {REP}", f"lead {lead.id}: reminder"]
    kinds = sorted((i.kind, bool(i.payload.get("in_thread"))) for i in await store.outbox.due(limit=100))
    assert kinds == [("dm", False), ("post_text", True)]
