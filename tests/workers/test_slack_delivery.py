"""What reps see in Slack: the SLA reminder as a reply under the card, the repeat inquiry as a thread reply
plus a DM to the owner. The real outbox worker and slack_sdk client against the Slack stand-in on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import load_settings
from bot.slack.poster import SlackCardPoster
from bot.workers.outbox import OutboxWorker
from bot.workers.sla import SlaWorker
from store.store import Store
from tests.assess.helpers import CHANNELS, Clock, a_lead
from tests.fakes.slack_api import BOT_TOKEN, FakeSlackApi


async def deliver(store: Store, outbox: OutboxWorker) -> None:
    """Run the outbox until nothing is pending (one item per channel per pass)."""
    for _ in range(20):
        if not await store.outbox.pending_count():
            return
        await outbox.run_once()
    raise AssertionError("the outbox did not empty")


@pytest.fixture
async def fake() -> AsyncIterator[FakeSlackApi]:
    api = FakeSlackApi()
    await api.start()
    try:
        yield api
    finally:
        await api.close()


async def test_reminder_and_repeat_inquiry_reach_slack(sqlite_url: str, fake: FakeSlackApi) -> None:
    clock = Clock()
    routing = load_settings(None, overrides={"routing.claim_sla_minutes": 15}).routing
    store = Store.open(sqlite_url, clock=clock)
    await store.migrate()
    try:
        outbox = OutboxWorker(store, SlackCardPoster(AsyncWebClient(token=BOT_TOKEN, base_url=fake.base_url)),
                              min_interval=0, clock=clock)
        sla = SlaWorker(store, routing, CHANNELS, clock=clock, on_outbox=outbox.wake)
        await store.leads.add(a_lead("Yara Haddad", "yara@haddad-studio.example", now=clock(),
                                              routing=routing))
        worked = await store.leads.add(a_lead("Bruno Costa", "bruno@costa-tiles.example", now=clock(),
                                             routing=routing))
        await deliver(store, outbox)
        [card_a, card_b] = fake.channel_messages("C0SALES")
        assert (await store.leads.claim(worked.id, "U0REP7")).won

        clock.advance(minutes=15)
        await sla.tick()
        await deliver(store, outbox)
        replies = [m for m in fake.channel_messages("C0SALES") if m.thread_ts == card_a.ts]
        assert len(replies) == 1 and "Nobody has claimed this lead for 15 min" in replies[0].text

        # Bruno writes again through another portal: his owner hears it, no new card appears
        await store.leads.add(a_lead("Bruno Costa", "Bruno@Costa-Tiles.example", interest="patio tiles, 40 m²"))
        await deliver(store, outbox)
        thread = [m for m in fake.channel_messages("C0SALES") if m.thread_ts == card_b.ts]
        assert len(thread) == 1 and "Repeat inquiry" in thread[0].text and "patio tiles" in thread[0].text
        dm_channel = fake.dm_channels["U0REP7"]
        [dm] = fake.channel_messages(dm_channel)
        assert f"#{worked.id}" in dm.text and "asked again" in dm.text
        cards = [m for m in fake.channel_messages("C0SALES") if m.thread_ts is None]
        assert len(cards) == 2
    finally:
        await store.close()
