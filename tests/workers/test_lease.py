"""Issue 12: the outbox and the SLA timers shared by several instances, and a crash between posting and
recording repaired without a second card. Real HTTP to the Slack stand-in, SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import itertools
from datetime import UTC, datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.poster import SlackCardPoster
from bot.workers.deliveries import client_token
from bot.workers.outbox import OutboxWorker
from store.records import LeadRecord
from store.store import Store
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.leads import new_lead
from tests.store.helpers import new_lead as store_lead
from tests.store.helpers import raw_message

CHANNELS = ("C_SALES", "C_NURTURE", "C_EAST")


async def test_two_instances_post_each_card_exactly_once(
    store_url: str, slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    first, second = Store.open(store_url), Store.open(store_url)
    await first.migrate()
    try:
        leads = [await first.leads.add(new_lead(f"Lead Number{i}", post_to=CHANNELS[i % 3])) for i in range(30)]
        workers = [
            OutboxWorker(s, SlackCardPoster(slack_client), min_interval=0, instance=name)
            for s, name in ((first, "one"), (second, "two"))
        ]
        await asyncio.gather(*(w.drain(timeout=30) for w in workers))

        assert len(slack_api.calls("chat.postMessage")) == len(leads)
        posted = [m for ch in CHANNELS for m in slack_api.channel_messages(ch)]
        assert len(posted) == len(leads)
        for lead in leads:
            stored = await first.leads.get(lead.id)
            assert stored is not None and stored.slack_ts is not None
        assert await first.outbox.pending_count() == 0
    finally:
        await first.close()
        await second.close()


async def test_a_lease_is_held_until_it_expires(store_url: str) -> None:
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    clock = [now]
    store = Store.open(store_url, clock=lambda: clock[0])
    await store.migrate()
    try:
        lead = await store.leads.add(new_lead())
        (item,) = await store.outbox.lease("one", seconds=60)
        assert item.lead_id == lead.id and item.claims == 1
        assert await store.outbox.lease("two", seconds=60) == []  # held
        clock[0] = now + timedelta(seconds=61)
        (again,) = await store.outbox.lease("two", seconds=60)  # its holder died: taken over
        assert again.id == item.id and again.claims == 2 and again.attempts == 0
    finally:
        await store.close()


async def test_a_crash_after_posting_adopts_the_card_instead_of_posting_again(
    store_url: str, slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    clock = [now]
    store = Store.open(store_url, clock=lambda: clock[0])
    await store.migrate()
    poster = SlackCardPoster(slack_client)
    try:
        lead = await store.leads.add(new_lead())
        # An instance leases the card, posts it, and dies before recording the ts.
        (item,) = await store.outbox.lease("dying", seconds=60)
        ghost_ts = await poster.post("C_SALES", lead, token=client_token(item))
        await poster.post_text("C_SALES", "a note from someone else")  # the card is not the newest message
        clock[0] = now + timedelta(seconds=61)

        await OutboxWorker(store, poster, min_interval=0, clock=lambda: clock[0]).drain(timeout=5)

        assert len(slack_api.calls("chat.postMessage")) == 2  # the card and the note: no second card
        (history,) = slack_api.calls("conversations.history")
        assert history.params["include_all_metadata"] in ("1", "true", True)
        stored = await store.leads.get(lead.id)
        assert stored is not None and stored.slack_ts == ghost_ts and stored.slack_channel == "C_SALES"
        assert await store.outbox.pending_count() == 0
    finally:
        await store.close()


async def test_a_first_try_never_looks_the_card_up(store: Store, slack_api: FakeSlackApi,
                                                   slack_client: AsyncWebClient) -> None:
    await store.leads.add(new_lead())
    await OutboxWorker(store, SlackCardPoster(slack_client), min_interval=0).drain(timeout=5)
    assert slack_api.calls("conversations.history") == []
    (message,) = slack_api.channel_messages("C_SALES")
    assert message.metadata is not None and message.metadata["event_type"] == "leadbot_outbox"


async def test_a_due_timer_is_leased_to_one_instance(store: Store) -> None:
    lead = await store.leads.add(new_lead(post_to=None))
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    timer = await store.timers.add(lead.id, "claim", started_at=start, due_at=start)
    taken = await asyncio.gather(*(store.timers.lease(f"w{i}", start, seconds=60) for i in range(4)))
    assert sorted(len(t) for t in taken) == [0, 0, 0, 1]
    assert await store.timers.lease("late", start + timedelta(seconds=30), seconds=60) == []
    holder = next(f"w{i}" for i, t in enumerate(taken) if t)
    await store.timers.release([timer.id], holder)
    (again,) = await store.timers.lease("late", start + timedelta(seconds=30), seconds=60)
    assert again.id == timer.id


# ---- issue 11: new cards stored leased to this process's outbox worker and handed over in memory ----------


async def _file_messages(store: Store, count: int, prefix: str) -> list[int]:
    """``count`` messages accepted and completed together (one group write), one new lead each; their lead ids."""
    accepted = [await store.messages.accept(raw_message(f"Subject: {n}\r\n\r\nx".encode()),
                                            dedup_key=f"{prefix}-{n}") for n in range(count)]
    filed = await asyncio.gather(*(
        store.messages.complete(a.id, [store_lead(f"{prefix}{n}@example.test", CHANNELS[n % 3])], vendor=None)
        for n, a in enumerate(accepted)
    ))
    return [lead.id for leads in filed for lead in leads]


async def test_new_cards_are_handed_to_the_writing_instance_and_no_other_takes_them(store_url: str) -> None:
    first, second = Store.open(store_url), Store.open(store_url)
    await first.migrate()
    notified: list[bool] = []
    try:
        first.outbox.hand_new_cards("one", seconds=60, notify=lambda: notified.append(True))
        lead_ids = await _file_messages(first, 12, "hand")

        assert notified and first.outbox.handed(lead_ids)
        assert await second.outbox.lease("two", seconds=60) == []  # stored leased to "one"
        items, leads = await first.outbox.take_handed("one")
        assert sorted(item.lead_id for item in items if item.lead_id is not None) == sorted(lead_ids)
        assert all(item.kind == "post_card" and item.claims == 1 and item.attempts == 0 for item in items)
        for lead_id in lead_ids:  # the lead as filed is the lead as stored
            assert leads[lead_id] == await first.leads.get(lead_id)
        assert await first.outbox.take_handed("one") == ([], {})  # handed once
        assert await first.outbox.take_handed("two") == ([], {})
    finally:
        await first.close()
        await second.close()


async def test_handed_cards_are_posted_exactly_once_by_two_instances(
    store_url: str, slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    first, second = Store.open(store_url), Store.open(store_url)
    await first.migrate()
    try:
        workers = [
            OutboxWorker(s, SlackCardPoster(slack_client), min_interval=0, instance=name, poll_interval=0.05)
            for s, name in ((first, "one"), (second, "two"))
        ]
        running = [asyncio.create_task(worker.run()) for worker in workers]
        for _ in range(100):  # until `run` has opened the handoff
            if first.outbox.handoff.owner == "one":
                break
            await asyncio.sleep(0.01)
        lead_ids = await _file_messages(first, 9, "pair") + await _file_messages(second, 9, "other")
        await asyncio.gather(*(w.drain(timeout=30) for w in workers))
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)

        assert len(slack_api.calls("chat.postMessage")) == len(lead_ids)
        for lead_id in lead_ids:
            stored = await first.leads.get(lead_id)
            assert stored is not None and stored.slack_ts is not None and stored.status == "posted"
        assert await first.outbox.pending_count() == 0
        assert first.outbox.handoff.owner is None  # a stopped worker takes no more cards
    finally:
        await first.close()
        await second.close()


async def test_cards_handed_to_an_instance_that_died_are_taken_over_once(
    store_url: str, slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    clock = [now]
    store = Store.open(store_url, clock=lambda: clock[0])
    await store.migrate()
    try:
        store.outbox.hand_new_cards("dying", seconds=60, notify=lambda: None)
        lead_ids = await _file_messages(store, 3, "died")
        store.outbox.stop_handing("dying")  # never taken: its process died
        assert await store.outbox.lease("two", seconds=60) == []
        clock[0] = now + timedelta(seconds=61)

        await OutboxWorker(store, SlackCardPoster(slack_client), min_interval=0, clock=lambda: clock[0]).drain(
            timeout=5)

        assert len(slack_api.calls("chat.postMessage")) == len(lead_ids)
        for lead_id in lead_ids:
            stored = await store.leads.get(lead_id)
            assert stored is not None and stored.slack_ts is not None
    finally:
        await store.close()


async def test_a_handed_card_past_half_its_lease_is_renewed_not_claimed_again(store_url: str) -> None:
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    clock = [now]
    store = Store.open(store_url, clock=lambda: clock[0])
    await store.migrate()
    try:
        store.outbox.hand_new_cards("one", seconds=60, notify=lambda: None)
        (lead_id,) = await _file_messages(store, 1, "late")
        clock[0] = now + timedelta(seconds=45)

        (item,), leads = await store.outbox.take_handed("one")

        assert item.lead_id == lead_id and item.claims == 1
        assert leads == {}  # its lead is read again by the worker, not taken as filed 45 s ago
        clock[0] = now + timedelta(seconds=70)  # past the first lease, within the renewed one
        assert await store.outbox.lease("two", seconds=60) == []
    finally:
        await store.close()


class _GatedPoster(SlackCardPoster):
    """Posts once ``gate`` is set (a worker held in the middle of a pass)."""

    def __init__(self, client: AsyncWebClient, gate: asyncio.Event, started: asyncio.Event) -> None:
        super().__init__(client)
        self.gate, self.started = gate, started

    async def post(self, channel: str, lead: LeadRecord, *, token: str | None = None) -> str:
        self.started.set()
        await self.gate.wait()
        return await super().post(channel, lead, token=token)


async def test_a_stopped_worker_hands_back_the_cards_it_had_not_taken(
    store_url: str, slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    first, second = Store.open(store_url), Store.open(store_url)
    await first.migrate()
    gate, started = asyncio.Event(), asyncio.Event()
    try:
        worker = OutboxWorker(first, _GatedPoster(slack_client, gate, started), min_interval=0, instance="one")
        running = asyncio.create_task(worker.run())
        for _ in range(200):  # until `run` has opened the handoff
            if first.outbox.handoff.owner == "one":
                break
            await asyncio.sleep(0.01)
        (held,) = await _file_messages(first, 1, "held")
        await asyncio.wait_for(started.wait(), 10)  # its card is being posted: the pass holds it
        waiting = await _file_messages(first, 3, "wait")  # handed while the worker is busy
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)

        items = await second.outbox.lease("two", seconds=60)  # at once, not after the lease expires

        assert sorted(item.lead_id for item in items if item.lead_id is not None) == sorted(waiting)
        assert all(item.claims == 1 for item in items)  # never tried: nothing to look up in Slack first
        assert held not in {item.lead_id for item in items}  # the one in hand keeps its lease
        assert slack_api.calls("chat.postMessage") == []
    finally:
        await first.close()
        await second.close()


async def _running(worker: OutboxWorker, store: Store, owner: str) -> asyncio.Task[None]:
    """``worker.run()`` started, once it has opened the handoff (cards filed from then on are handed to it)."""
    running = asyncio.create_task(worker.run())
    for _ in range(200):
        if store.outbox.handoff.owner == owner:
            break
        await asyncio.sleep(0.01)
    return running


async def _until_recorded(store: Store, running: asyncio.Task[None], seconds: float) -> None:
    """Until nothing is pending in the outbox (every card posted and recorded), then ``running`` is stopped."""
    try:
        async with asyncio.timeout(seconds):
            while await store.outbox.pending_count():  # noqa: ASYNC110 (the store is polled, nothing to await)
                await asyncio.sleep(0.02)
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)


async def test_cards_delivered_at_a_trickle_are_recorded_in_one_write_kept_at_stop(
    store_url: str, slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    store = Store.open(store_url)
    await store.migrate()
    try:
        worker = OutboxWorker(store, SlackCardPoster(slack_client), min_interval=0, instance="one", finish_delay=60)
        running = await _running(worker, store, "one")
        lead_ids: list[int] = []
        for n in range(3):  # one card at a time, each posted by a pass of its own
            lead_ids += await _file_messages(store, 1, f"trickle{n}")
            filed = len(lead_ids)
            await slack_api.wait_for(lambda n=filed: len(slack_api.calls("chat.postMessage")) == n,  # type: ignore[misc]
                                     what="the card")
        # posted and not recorded yet: still leased to this worker, no other instance takes them
        assert await store.outbox.lease("two", seconds=60) == []
        for lead_id in lead_ids:
            unrecorded = await store.leads.get(lead_id)
            assert unrecorded is not None and unrecorded.slack_ts is None

        running.cancel()
        await asyncio.gather(running, return_exceptions=True)

        recorded_at = set()
        for lead_id in lead_ids:  # stopping wrote them: each card recorded once, all in one transaction
            stored = await store.leads.get(lead_id)
            assert stored is not None and stored.slack_ts is not None and stored.status == "posted"
            (posted,) = [event for event in await store.events.for_lead(lead_id) if event.kind == "posted"]
            recorded_at.add(posted.at)
        assert len(recorded_at) == 1
        assert await store.outbox.pending_count() == 0
        assert len(slack_api.calls("chat.postMessage")) == len(lead_ids)
    finally:
        await store.close()


async def test_cards_left_unrecorded_are_written_when_their_delay_is_up(
    store_url: str, slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    store = Store.open(store_url)
    await store.migrate()
    try:
        worker = OutboxWorker(store, SlackCardPoster(slack_client), min_interval=0, instance="one", finish_delay=0.2,
                              poll_interval=30)
        running = await _running(worker, store, "one")
        lead_ids = await _file_messages(store, 1, "first") + await _file_messages(store, 1, "second")
        await _until_recorded(store, running, 10)  # long before the 30 s poll

        for lead_id in lead_ids:
            stored = await store.leads.get(lead_id)
            assert stored is not None and stored.slack_ts is not None
        assert len(slack_api.calls("chat.postMessage")) == len(lead_ids)
    finally:
        await store.close()


async def test_paced_cards_with_a_finish_delay_go_once_each_a_pace_apart(
    store_url: str, slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    """Pacing held items and unwritten finishes share `run`'s waits: each card once, a pace apart, all recorded."""
    store = Store.open(store_url)
    await store.migrate()
    try:
        worker = OutboxWorker(store, SlackCardPoster(slack_client), min_interval=0.3, instance="one",
                              finish_delay=0.2, poll_interval=30)
        running = await _running(worker, store, "one")
        lead_ids = [lead_id for n in range(3) for lead_id in await _file_messages(store, 1, f"paced{n}")]
        await _until_recorded(store, running, 20)  # long before the 30 s poll

        posts = slack_api.calls("chat.postMessage")
        assert len(posts) == len(lead_ids)
        assert all(later.at - earlier.at >= 0.29 for earlier, later in itertools.pairwise(posts))
        for lead_id in lead_ids:
            stored = await store.leads.get(lead_id)
            assert stored is not None and stored.slack_ts is not None
    finally:
        await store.close()
