"""The outbox worker against the fake Slack: order per lead, pacing, 429/5xx, dead items, updates.

Time is a fake clock shared by the store and the worker (its ``sleep`` advances it), so minutes of
Retry-After and backoff run in milliseconds; the Slack calls themselves are real HTTP to the fake.
"""

from __future__ import annotations

import asyncio
import io
import itertools
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.assess.work import work_check
from bot.slack.poster import ConsoleCardPoster, SlackCardPoster
from bot.workers.outbox import OutboxWorker
from store.records import LeadRecord
from store.store import Store
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.leads import new_lead, owner_line


class FakeClock:
    def __init__(self) -> None:
        self.now = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)
        await asyncio.sleep(0)


@dataclass
class Attempt:
    at: datetime
    op: str
    channel: str
    lead_id: int
    ok: bool


class TimedPoster:
    """The real SlackCardPoster, noting on the fake clock when each call was made and how it went."""

    def __init__(self, client: AsyncWebClient, clock: FakeClock) -> None:
        self._inner = SlackCardPoster(client)
        self._clock = clock
        self.attempts: list[Attempt] = []

    async def post(self, channel: str, lead: LeadRecord, *, token: str | None = None) -> str:
        attempt = Attempt(self._clock(), "post", channel, lead.id, ok=False)
        self.attempts.append(attempt)
        ts = await self._inner.post(channel, lead, token=token)
        attempt.ok = True
        return ts

    async def find(self, channel: str, token: str) -> str | None:
        return await self._inner.find(channel, token)

    async def update(self, channel: str, ts: str, lead: LeadRecord) -> None:
        attempt = Attempt(self._clock(), "update", channel, lead.id, ok=False)
        self.attempts.append(attempt)
        await self._inner.update(channel, ts, lead)
        attempt.ok = True


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def timed_store(store_url: str, clock: FakeClock) -> AsyncIterator[Store]:
    store = Store.open(store_url, clock=clock)
    await store.migrate()
    try:
        yield store
    finally:
        await store.close()


@pytest.fixture
def poster(slack_client: AsyncWebClient, clock: FakeClock) -> TimedPoster:
    return TimedPoster(slack_client, clock)


def worker_for(store: Store, poster: TimedPoster, clock: FakeClock, **options: float) -> OutboxWorker:
    return OutboxWorker(store, poster, clock=clock, sleep=clock.sleep, **options)  # type: ignore[arg-type]


def card_lead_ids(fake: FakeSlackApi, channel: str) -> list[int]:
    """The lead id on each card in the channel, in posting order (from the Claim button's value)."""
    ids = []
    for message in fake.channel_messages(channel):
        button = next(e for b in message.blocks if b["type"] == "actions" for e in b["elements"])
        ids.append(int(button["value"]))
    return ids


async def add_leads(store: Store, channels: list[str]) -> list[LeadRecord]:
    return [await store.leads.add(new_lead(f"Lead Number{i}", post_to=ch)) for i, ch in enumerate(channels)]


async def test_cards_post_in_queue_order_one_per_second_per_channel(
    timed_store: Store, slack_api: FakeSlackApi, poster: TimedPoster, clock: FakeClock
) -> None:
    leads = await add_leads(timed_store, ["C_SALES", "C_NURTURE", "C_SALES", "C_SALES", "C_NURTURE"])
    worker = worker_for(timed_store, poster, clock, min_interval=1.0)

    await worker.drain(timeout=60)

    assert card_lead_ids(slack_api, "C_SALES") == [leads[0].id, leads[2].id, leads[3].id]
    assert card_lead_ids(slack_api, "C_NURTURE") == [leads[1].id, leads[4].id]
    for lead in leads:
        stored = await timed_store.leads.get(lead.id)
        assert stored is not None and stored.status == "posted"
        assert slack_api.message(str(stored.slack_channel), str(stored.slack_ts)) is not None
    assert await timed_store.outbox.pending_count() == 0
    for channel in ("C_SALES", "C_NURTURE"):
        times = [a.at for a in poster.attempts if a.channel == channel]
        assert all(b - a >= timedelta(seconds=1) for a, b in itertools.pairwise(times))
    # two channels go side by side: the whole batch takes 2 s of clock, not 4
    assert clock.now - datetime(2024, 5, 1, 9, 0, tzinfo=UTC) <= timedelta(seconds=2.5)


async def test_rate_limit_then_outage_every_card_exactly_once_in_order(
    timed_store: Store, slack_api: FakeSlackApi, poster: TimedPoster, clock: FakeClock
) -> None:
    channels = ["C_SALES", "C_SALES", "C_NURTURE", "C_SALES", "C_NURTURE", "C_SALES"]
    leads = await add_leads(timed_store, channels)
    slack_api.fail("chat.postMessage", status=429, retry_after=7)
    slack_api.fail("chat.postMessage", status=500, times=5)
    worker = worker_for(timed_store, poster, clock, min_interval=1.0)

    await worker.drain(timeout=3600)

    sales = [lead.id for lead, ch in zip(leads, channels, strict=True) if ch == "C_SALES"]
    nurture = [lead.id for lead, ch in zip(leads, channels, strict=True) if ch == "C_NURTURE"]
    assert card_lead_ids(slack_api, "C_SALES") == sales
    assert card_lead_ids(slack_api, "C_NURTURE") == nurture
    calls = slack_api.calls("chat.postMessage")
    assert [c.status for c in calls[:6]] == [429, 500, 500, 500, 500, 500]
    assert len(calls) == 6 + 6 and all(c.ok for c in calls[6:])
    assert await timed_store.outbox.pending_count() == 0
    # nothing went to Slack during the 7 s it asked for
    limited = poster.attempts[0].at
    assert all(a.at >= limited + timedelta(seconds=7) for a in poster.attempts[1:])
    # and each failing head of a lane held back the cards behind it
    for channel, expected in (("C_SALES", sales), ("C_NURTURE", nurture)):
        firsts: list[int] = []
        for a in poster.attempts:
            if a.channel == channel and a.lead_id not in firsts:
                firsts.append(a.lead_id)
        assert firsts == expected


async def test_slack_away_is_retried_past_max_attempts_with_a_capped_backoff(
    timed_store: Store, slack_api: FakeSlackApi, poster: TimedPoster, clock: FakeClock
) -> None:
    first, second = await add_leads(timed_store, ["C_SALES", "C_SALES"])
    slack_api.fail("chat.postMessage", status=503, times=6)
    worker = worker_for(timed_store, poster, clock, min_interval=1.0, max_attempts=3, backoff_cap=5.0)

    await worker.drain(timeout=3600)

    assert card_lead_ids(slack_api, "C_SALES") == [first.id, second.id]
    failed = [a for a in poster.attempts if not a.ok]
    assert len(failed) == 6  # twice max_attempts, and still not given up
    gaps = [b.at - a.at for a, b in itertools.pairwise(failed)]
    assert gaps == [timedelta(seconds=s) for s in (2, 4, 5, 5, 5)]  # doubling, capped
    assert await timed_store.outbox.dead() == []
    assert await timed_store.outbox.pending_count() == 0


async def test_an_unknown_error_goes_dead_after_max_attempts_and_delays_no_other_card(
    timed_store: Store,
    slack_api: FakeSlackApi,
    slack_client: AsyncWebClient,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    doomed = await timed_store.outbox.enqueue("dm", lead_id=None, channel=None, payload={"user": "U1", "text": "hi"})
    (lead,) = await add_leads(timed_store, ["C_SALES"])
    slack_api.fail("conversations.open", status=200, error="something_new", times=3)
    worker = OutboxWorker(timed_store, SlackCardPoster(slack_client), clock=clock, sleep=clock.sleep, max_attempts=3)

    assert await worker.run_once() == 1  # the card goes at once, beside the failing DM
    assert card_lead_ids(slack_api, "C_SALES") == [lead.id]
    with caplog.at_level(logging.ERROR, logger="bot.workers.outbox"):
        await worker.drain(timeout=3600)

    (dead,) = await timed_store.outbox.dead()
    assert dead.id == doomed and dead.attempts == 3 and dead.last_error == "HTTP 200 something_new"
    assert len(slack_api.calls("conversations.open")) == 3
    assert any("is dead after 3 attempt(s): HTTP 200 something_new" in r.getMessage() for r in caplog.records)


async def test_a_card_slack_rejects_goes_dead_at_once(
    timed_store: Store, slack_api: FakeSlackApi, poster: TimedPoster, clock: FakeClock
) -> None:
    rejected, fine = await add_leads(timed_store, ["C_SALES", "C_SALES"])
    slack_api.fail("chat.postMessage", status=200, error="invalid_blocks")
    worker = worker_for(timed_store, poster, clock, min_interval=1.0)

    await worker.drain(timeout=60)

    assert [a.lead_id for a in poster.attempts] == [rejected.id, fine.id]
    assert card_lead_ids(slack_api, "C_SALES") == [fine.id]
    assert await timed_store.outbox.pending_count() == 0


async def test_claim_updates_the_card_once(
    timed_store: Store, slack_api: FakeSlackApi, poster: TimedPoster, clock: FakeClock
) -> None:
    (lead,) = await add_leads(timed_store, ["C_SALES"])
    worker = worker_for(timed_store, poster, clock, min_interval=1.0)
    await worker.drain(timeout=60)

    result = await timed_store.leads.claim(lead.id, "U0REP0001")
    assert result.won
    slack_api.fail("chat.update", status=500)  # one failure on the way: retried, still one edit
    await worker.drain(timeout=60)

    stored = await timed_store.leads.get(lead.id)
    assert stored is not None and stored.slack_channel and stored.slack_ts
    message = slack_api.message(stored.slack_channel, stored.slack_ts)
    assert message is not None and message.edits == 1
    assert "claim" not in [e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert "Claimed by <@U0REP0001>" in owner_line(message.blocks)
    assert len(slack_api.calls("chat.update", ok_only=True)) == 1
    assert len(slack_api.calls("chat.postMessage")) == 1


async def test_an_update_without_a_card_is_dead_at_once_reported_once_and_can_be_retried(
    timed_store: Store, slack_api: FakeSlackApi, clock: FakeClock, slack_client: AsyncWebClient
) -> None:
    lead = await timed_store.leads.add(new_lead(post_to=None))  # imported with --no-post, say
    await timed_store.outbox.enqueue("update_card", lead_id=lead.id, channel="C_SALES")
    (other,) = await add_leads(timed_store, ["C_SALES"])
    poster = SlackCardPoster(slack_client)
    worker = OutboxWorker(timed_store, poster, clock=clock, sleep=clock.sleep, alerts="C_ALERTS")

    await worker.drain(timeout=60)
    await worker.drain(timeout=60)  # a second look reports nothing new

    assert card_lead_ids(slack_api, "C_SALES") == [other.id]
    assert slack_api.calls("chat.update") == []
    (dead,) = await timed_store.outbox.dead()
    assert dead.kind == "update_card" and dead.last_error == f"no card to update: lead {lead.id} has no card"
    (alert,) = slack_api.channel_messages("C_ALERTS")
    assert f"Outbox item {dead.id} (update_card, lead {lead.id}" in alert.text
    assert f"leadbot outbox --retry {dead.id}" in alert.text

    ts = await poster.post("C_SALES", lead)
    await timed_store.leads.mark_posted(lead.id, "C_SALES", ts)
    assert await timed_store.outbox.revive(dead.id)
    assert not await timed_store.outbox.revive(dead.id)  # pending now, not dead
    await worker.drain(timeout=60)

    assert len(slack_api.calls("chat.update", ok_only=True)) == 1
    assert await timed_store.outbox.dead() == []
    assert len(slack_api.channel_messages("C_ALERTS")) == 1


async def test_a_card_already_posted_is_not_posted_again(
    timed_store: Store, slack_api: FakeSlackApi, poster: TimedPoster, clock: FakeClock
) -> None:
    (lead,) = await add_leads(timed_store, ["C_SALES"])
    await timed_store.leads.mark_posted(lead.id, "C_SALES", "1700000000.000001")  # crashed before outbox_done
    await worker_for(timed_store, poster, clock).drain(timeout=60)

    assert slack_api.calls("chat.postMessage") == []
    assert await timed_store.outbox.pending_count() == 0


async def test_run_delivers_when_woken(store: Store, slack_api: FakeSlackApi, slack_client: AsyncWebClient) -> None:
    worker = OutboxWorker(store, SlackCardPoster(slack_client), min_interval=0.0, poll_interval=30)
    task = asyncio.create_task(worker.run())
    try:
        await asyncio.sleep(0.05)  # the loop is idle, waiting out its 30 s poll
        lead = await store.leads.add(new_lead())
        worker.wake()
        await slack_api.wait_for(lambda: bool(slack_api.channel_messages("C_SALES")), what="the card")
        assert card_lead_ids(slack_api, "C_SALES") == [lead.id]
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_console_poster_prints_cards_and_updates(store: Store) -> None:
    out = io.StringIO()
    worker = OutboxWorker(store, ConsoleCardPoster(out), min_interval=0.0)
    lead = await store.leads.add(new_lead("Ada Park", post_to="console"))
    await worker.drain(timeout=5)
    await store.leads.claim(lead.id, "U0REP0001")
    await worker.drain(timeout=5)

    printed = out.getvalue()
    assert "── new lead card (console) ──\n[A] Ada Park — Whitaker Logistics" in printed
    assert "Status:   unclaimed" in printed
    assert "── card updated (console) ──" in printed and "Owner:    U0REP0001" in printed
    stored = await store.leads.get(lead.id)
    assert stored is not None and stored.slack_channel == "console" and stored.slack_ts


# ---- notes, DMs, console cards, persisted backoff (issue 4) ---------------------------------------------


async def test_post_text_in_the_cards_thread_or_the_channel(
    timed_store: Store, slack_api: FakeSlackApi, poster: TimedPoster, clock: FakeClock, slack_client: AsyncWebClient
) -> None:
    (lead,) = await add_leads(timed_store, ["C_SALES"])
    # queued behind the card in its lane: it waits for the card, then replies under it
    await timed_store.outbox.enqueue(
        "post_text",
        lead_id=lead.id,
        channel="C_SALES",
        payload={"text": "Still unclaimed after 15 min.", "in_thread": True},
    )
    await timed_store.outbox.enqueue(
        "post_text", lead_id=None, channel="C_ALERTS", payload={"text": "Daily digest: 3 leads.", "in_thread": False}
    )
    worker = OutboxWorker(timed_store, SlackCardPoster(slack_client), clock=clock, sleep=clock.sleep)
    await worker.drain(timeout=60)

    card, note = slack_api.channel_messages("C_SALES")
    assert (note.text, note.thread_ts) == ("Still unclaimed after 15 min.", card.ts)
    (digest,) = slack_api.channel_messages("C_ALERTS")
    assert (digest.text, digest.thread_ts) == ("Daily digest: 3 leads.", None)
    assert await timed_store.outbox.pending_count() == 0


async def test_a_threaded_note_for_a_lead_without_a_card_waits_then_goes_to_the_channel(
    timed_store: Store, slack_api: FakeSlackApi, clock: FakeClock, slack_client: AsyncWebClient
) -> None:
    lead = await timed_store.leads.add(new_lead(post_to=None))
    await timed_store.outbox.enqueue(
        "post_text", lead_id=lead.id, channel="C_SALES", payload={"text": "Heads up.", "in_thread": True}
    )
    worker = OutboxWorker(timed_store, SlackCardPoster(slack_client), clock=clock, sleep=clock.sleep)
    await worker.drain(timeout=600)

    (note,) = slack_api.channel_messages("C_SALES")
    assert (note.text, note.thread_ts) == ("Heads up.", None)
    assert len(slack_api.calls("chat.postMessage")) == 1


async def test_dm_opens_the_conversation_and_posts(
    store: Store, slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    await store.outbox.enqueue(
        "dm", lead_id=None, channel=None, payload={"user": "U0REP0001", "text": "Lead #7 is yours."})
    await store.outbox.enqueue("dm", lead_id=None, channel=None, payload={"text": "no user"})
    await OutboxWorker(store, SlackCardPoster(slack_client), min_interval=0).drain(timeout=5)

    (opened,) = slack_api.calls("conversations.open")
    assert opened.params["users"] == "U0REP0001"
    (dm,) = slack_api.channel_messages(slack_api.dm_channels["U0REP0001"])
    assert dm.text == "Lead #7 is yours."
    assert await store.outbox.pending_count() == 0  # the malformed one is dead, not retried for ever


async def test_console_notes_and_dms_are_printed(store: Store) -> None:
    out = io.StringIO()
    lead = await store.leads.add(new_lead("Ada Park", post_to="console"))
    await store.outbox.enqueue(
        "post_text", lead_id=lead.id, channel="console", payload={"text": "Reminder \x1b[31m!", "in_thread": True}
    )
    await store.outbox.enqueue("dm", lead_id=None, channel=None, payload={"user": "U0REP0001", "text": "Yours now."})
    await OutboxWorker(store, ConsoleCardPoster(out), min_interval=0.0).drain(timeout=5)

    printed = out.getvalue()
    stored = await store.leads.get(lead.id)
    assert stored is not None
    assert f"── note (console, thread {stored.slack_ts}) ──\nReminder [31m!" in printed
    assert "── direct message to U0REP0001 ──\nYours now." in printed


async def test_cards_queued_for_the_console_go_to_their_graded_channel_once_slack_is_on(
    store: Store, slack_api: FakeSlackApi, slack_client: AsyncWebClient, caplog: pytest.LogCaptureFixture
) -> None:
    a = await store.leads.add(new_lead("Ada Park", post_to="console", grade="A"))
    c = await store.leads.add(new_lead("Cy Oak", post_to="console", grade="C"))
    routes = {"A": "C_SALES", "B": "C_NURTURE"}
    worker = OutboxWorker(
        store, SlackCardPoster(slack_client), min_interval=0.0, reroute=lambda lead: routes.get(lead.grade)
    )
    with caplog.at_level(logging.WARNING, logger="bot.workers.outbox"):
        await worker.drain(timeout=5)

    assert card_lead_ids(slack_api, "C_SALES") == [a.id]
    posted = await store.leads.get(a.id)
    assert posted is not None and posted.slack_channel == "C_SALES"
    skipped = await store.leads.get(c.id)
    assert skipped is not None and skipped.slack_ts is None
    assert any(f"lead {c.id}'s card was queued for the console" in r.getMessage() for r in caplog.records)
    assert await store.outbox.pending_count() == 0


async def test_a_backoff_survives_a_restart_and_other_leads_do_not_wait(
    timed_store: Store, slack_api: FakeSlackApi, poster: TimedPoster, clock: FakeClock
) -> None:
    first, second = await add_leads(timed_store, ["C_SALES", "C_SALES"])
    slack_api.fail("chat.postMessage", status=503)
    await worker_for(timed_store, poster, clock).run_once()  # fails; backoff 2 s is written to the store
    assert [i.lead_id for i in await timed_store.outbox.lane_heads()] == [second.id]  # the first waits

    restarted = worker_for(timed_store, poster, clock)  # a new process: nothing in memory
    assert await restarted.run_once() == 1  # the other lead's card does not wait behind the first
    clock.now += timedelta(seconds=2)
    await restarted.drain(timeout=60)

    assert card_lead_ids(slack_api, "C_SALES") == [second.id, first.id]
    assert [a.lead_id for a in poster.attempts] == [first.id, second.id, first.id]


async def test_a_card_update_that_keeps_failing_is_repaired_later(
    timed_store: Store, slack_api: FakeSlackApi, poster: TimedPoster, clock: FakeClock
) -> None:
    (lead,) = await add_leads(timed_store, ["C_SALES"])
    worker = worker_for(timed_store, poster, clock, min_interval=1.0)
    await worker.drain(timeout=60)
    await timed_store.leads.claim(lead.id, "U0REP0001")
    await timed_store.leads.log_activity(
        lead.id, "U0REP0001", "call", "voicemail", check=work_check("log_activity", manager=False))
    slack_api.fail("chat.update", status=502, times=4)

    await worker.drain(timeout=3600)

    stored = await timed_store.leads.get(lead.id)
    assert stored is not None and stored.slack_channel and stored.slack_ts
    message = slack_api.message(stored.slack_channel, stored.slack_ts)
    assert message is not None and "Claimed by <@U0REP0001>" in owner_line(message.blocks)
    assert [c.status for c in slack_api.calls("chat.update")] == [502, 502, 502, 502, 200, 200]
    assert await timed_store.outbox.pending_count() == 0


async def test_a_card_whose_update_went_dead_is_repaired_at_the_next_start(
    store: Store, slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    lead = await store.leads.add(new_lead())
    worker = OutboxWorker(store, SlackCardPoster(slack_client), min_interval=0, max_attempts=2, backoff_base=0.01)
    await worker.drain(timeout=5)
    await store.leads.claim(lead.id, "U0REP0001")
    slack_api.fail("chat.update", status=500, times=2)
    await worker.drain(timeout=5)
    assert await store.outbox.pending_count() == 0  # the update is dead: the card still offers Claim

    restarted = OutboxWorker(store, SlackCardPoster(slack_client), min_interval=0, poll_interval=30)
    task = asyncio.create_task(restarted.run())
    try:
        await slack_api.wait_for(lambda: bool(slack_api.calls("chat.update", ok_only=True)), what="the repair")
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    stored = await store.leads.get(lead.id)
    assert stored is not None and stored.slack_channel and stored.slack_ts
    message = slack_api.message(stored.slack_channel, stored.slack_ts)
    assert message is not None and "Claimed by <@U0REP0001>" in owner_line(message.blocks)
    assert await store.outbox.revive_card_updates() == 0  # repaired once, not again at every start


class _Watched(OutboxWorker):
    """The worker with a signal when a pass ends, so the test knows it is idle (waiting to be woken)."""

    def __init__(self, *args: object, **options: object) -> None:
        super().__init__(*args, **options)  # type: ignore[arg-type]
        self.passed = asyncio.Event()

    async def run_once(self, *, linger: bool = False) -> int:
        done = await super().run_once(linger=linger)
        self.passed.set()
        return done


async def test_a_wake_in_the_same_tick_as_the_cancel_still_stops_the_worker(timed_store: Store) -> None:
    """A lead queued its card just as the service stops: the cancel must not be lost (asyncio.wait_for on 3.11
    swallowed it when the wait completed in the same tick, and the service never stopped)."""
    worker = _Watched(timed_store, ConsoleCardPoster(io.StringIO()), min_interval=0)
    task = asyncio.create_task(worker.run())
    await worker.passed.wait()
    for _ in range(5):  # let it reach its wait for a wake-up (loop turns, not time)
        await asyncio.sleep(0)
    worker.wake()
    task.cancel()
    done, _ = await asyncio.wait({task}, timeout=10)
    assert done, "the outbox worker went on after being cancelled"
    assert task.cancelled()
