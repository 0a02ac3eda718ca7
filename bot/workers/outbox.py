"""The outbox worker: delivers queued card posts, card updates and notes to Slack (or the console), in order.

The store writes an outbox item in the same transaction as the change it announces (a new lead, a
claim), so nothing is announced that did not happen and nothing that happened goes unannounced. This
worker takes the due items oldest first and does them:

* ``post_card``: render the lead, post it to the item's channel, ``store.leads.mark_posted`` with the ts;
* ``update_card``: re-render the card where it was posted (dead at once if the lead has no card). A card
  whose update keeps failing stays pending with backoff and is repaired by a later attempt: the card is
  always rendered from the lead as it is *then*, so one late update shows every change;
* ``post_text``: payload ``{"text": str, "in_thread": bool}`` — a note to the item's channel, or, with
  ``in_thread``, a reply in the thread of the item's lead's card (its ``slack_channel``/``slack_ts``); if
  its lead has no card (none was posted) the note goes to the channel unthreaded;
* ``dm``: payload ``{"user": "U…", "text": str}`` — conversations.open, then chat.postMessage; with
  ``{"user": "U…", "card": true}`` instead, the item's lead's full (unmasked) card, for its owner.

* ``erase_message``: payload ``{"ts": …}`` (and ``"user"`` for a DM) — edit that message into the neutral
  "erased" message (privacy, issue 13: store/privacy.py queues them; thread replies and DMs sent above are
  recorded there so an erasure can find them).

Instead of ``text``, a note may carry data the Slack side words (``repeat``: bot/slack/notices.py).

Cards queued for the ``console`` pseudo-channel (queued while Slack was off) are, once Slack is on,
posted to the channel ``reroute`` names for the lead (its graded channel); a lead whose grade has no
channel is logged at warning and the item is finished, never retried for ever.

Any number of instances share the outbox (issue 12): each pass leases the due items it will do
(``Outbox.lease``: one statement picks and leases them, ``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so
exactly one instance posts each card; an instance that dies leaves a lease that expires, and the next
holder, seeing the item was claimed before, first looks the card up in the channel by the client token
sent in the message metadata and adopts its ts instead of posting a second card.

What a pass delivered is written in one transaction with its items' ``done``; in the service
(``finish_delay``) the passes of a trickle of cards keep it up to 0.2 s and write it with the next pass's lease
or finish (issue 11: one transaction for several cards instead of one each). Meanwhile those items stay
pending and leased to this worker, so nobody else posts them; a stop writes them, and a crash leaves them to
the next holder, who finds the card in Slack by its token as after any crash between posting and recording.

Ordering is kept only where it matters: one lead's items go in queue order (its card's post before its
updates and thread notes); nothing else waits for anything. Per channel a Slack call starts ``min_interval``
seconds after the previous one was answered (Slack allows about one message per second per channel; counting
from the answer, Slack sees them a pace apart however long the network took); an item whose channel
is not ready yet is handed back (its lease released) for the next pass. Failures:

* Slack away (connection errors, timeouts, 5xx, Slack's ``internal_error``…) and 429: retried for as long
  as it lasts, never given up. The outbox pauses for ``Retry-After`` (429) or a backoff that doubles from
  ``backoff_base`` to ``backoff_cap`` while the outage lasts; each item's next try is written in the store,
  so a restart resumes where it was. Posting resumes by itself when Slack answers again;
* errors that say the item itself can never succeed (``channel_not_found``, ``not_in_channel``,
  ``invalid_blocks``, a card update for a lead with no card, a lead that no longer exists): dead at once
  with the reason, reported once in the alerts channel; ``leadbot outbox --dead`` lists them and
  ``leadbot outbox --retry ID`` tries one again;
* anything else (an unknown Slack error, our own bug): backoff, and dead after ``max_attempts``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError

from bot.slack.poster import CardPoster
from bot.slack.safe import inert
from bot.workers.deliveries import Deliveries, Reroute, is_permanent
from bot.workers.slack_failures import (
    PERMANENT_SLACK_ERRORS,
    SLACK_AWAY_ERRORS,
    retry_after,
    slack_error,
)
from store.db import utcnow
from store.outbox import PostedCard
from store.records import LeadRecord, OutboxRecord
from store.store import Store

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

Sleep = Callable[[float], Awaitable[None]]

#: how often `drain` looks again while another instance holds items
OTHERS_POLL = 0.05
#: how long the service's outbox keeps what it delivered unwritten, to write it with a later pass's work (issue 11)
FINISH_DELAY = 0.2


def instance_name() -> str:
    """This process's lease owner name: host, pid and a random part (a restarted pid is someone else)."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass(frozen=True, slots=True)
class _Failure:
    error: str
    delay: float
    give_up: bool
    rate_limited: bool = False
    #: Slack (or the way to it) is away: pause the whole outbox, not just this item
    slack_away: bool = False


class OutboxWorker:
    """Delivers outbox items through a `CardPoster`; see the module docstring for the rules."""

    def __init__(
        self,
        store: Store,
        poster: CardPoster,
        *,
        min_interval: float = 1.0,
        clock: Clock = utcnow,
        sleep: Sleep = asyncio.sleep,
        max_attempts: int = 20,
        backoff_base: float = 2.0,
        backoff_cap: float = 300.0,
        poll_interval: float = 5.0,
        batch: int = 50,
        reroute: Reroute | None = None,
        alerts: str | None = None,
        instance: str | None = None,
        lease_seconds: float = 60.0,
        finish_delay: float = 0.0,
    ) -> None:
        self._store = store
        #: how long `run`'s passes may keep what they finished unwritten, to write it with a later pass's (issue 11)
        self._finish_delay = timedelta(seconds=finish_delay)
        #: finished by `run`'s passes and not written yet (still leased to this worker), and by when to write them
        self._unwritten: tuple[list[int], list[PostedCard]] = ([], [])
        self._unwritten_until: datetime | None = None
        #: the channel a dead item is reported in (None: the log only)
        self._alerts = alerts
        self._instance = instance or instance_name()
        self._lease_seconds = lease_seconds
        #: consecutive "Slack away" failures: the outage backoff grows with it, a success resets it
        self._outage = 0
        self._deliveries = Deliveries(store, poster, reroute)
        self._min_interval = timedelta(seconds=min_interval)
        self._clock = clock
        self._sleep = sleep
        self._max_attempts = max_attempts
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._poll_interval = poll_interval
        self._batch = batch
        self._wake = asyncio.Event()
        self._pass_lock = asyncio.Lock()
        #: lane -> when its last Slack call was made
        self._last_call: dict[str, datetime] = {}
        #: Slack said 429: no lane calls Slack before this
        self._paused_until: datetime | None = None
        #: the earliest moment a held item becomes ready (how long the loop may sleep)
        self._next_ready: datetime | None = None
        #: this pass: its items' leads (read at once), the items done and the cards posted (written at once)
        self._leads: dict[int, LeadRecord] = {}
        self._finished: list[int] = []
        self._posted: list[PostedCard] = []
        #: whether the next pass must lease from the store (issue 11): not when it has only cards handed to it
        #: by this process's intake and nothing else woke it (`wake`, the poll, a full batch, items handed back)
        self._lease_due = True
        #: `wake` was called since the pass began (not a handoff's notice): a pass that ends goes on at once
        self._woken = False
        #: items handed back untried in this round of a pass (their channel was not ready)
        self._handed_back = 0
        #: whether the last pass leased from the store
        self._leased = False

    # ---- driving -----------------------------------------------------------------------------------

    def wake(self) -> None:
        """New work was queued: run a pass now instead of at the next poll."""
        self._lease_due = True
        self._woken = True
        self._wake.set()

    async def run(self) -> None:
        """Deliver items until cancelled. A failing pass (the database away) is logged and retried.

        At start, cards whose last update went dead (Slack was away longer than the retries) get one
        fresh update: the card is rendered from the lead as it is now, so it is repaired.
        """
        try:
            repaired = await self._store.outbox.revive_card_updates()
            if repaired:
                logger.info("re-queued %d card update(s) that had failed, to repair those cards", repaired)
        except Exception:
            logger.exception("could not re-queue failed card updates")
        # issue 11: cards of new leads come stored leased to this worker and handed over in memory
        self._store.outbox.hand_new_cards(self._instance, seconds=self._lease_seconds, notify=self._wake.set)
        try:
            await self._run_passes()
        finally:
            if self._unwritten_until is not None:  # best effort: else their lease expires, Slack is asked
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(1.0):
                        await self._write_unwritten()
            untaken = self._store.outbox.stop_handing(self._instance)
            if untaken:  # free for another instance at once, not when their lease expires (best effort)
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(1.0):
                        await self._store.outbox.release(untaken, self._instance)

    async def _run_passes(self) -> None:
        while True:
            if self._lease_due or self._store.outbox.has_handed(self._instance):
                try:
                    await self.run_once(linger=True)
                except asyncio.CancelledError:
                    raise
                except Exception:
                    logger.exception("outbox pass failed; retrying in %.0f s", self._poll_interval)
                    self._next_ready = None
                    self._lease_due = True
            else:
                # the last pass had only handed cards and nothing else is due: no lease until something is
                self._next_ready = None
            await self._wait_for_work()

    async def _wait_for_work(self) -> None:
        """Until the next pass is due: a wake, the poll, a held item's time, or none (going on at once). What the
        passes left unwritten is written when its time comes, unless a pass carries it first."""
        while True:
            now = self._clock()
            delay = self._seconds_until_ready(now)
            if delay <= 0:
                if self._leased:
                    # a pass that leased from the store may have freed lanes (a lead's update after its card), or
                    # left more than a batch: look again at once
                    self._lease_due = True
                return
            if self._unwritten_until is not None:
                write_in = (self._unwritten_until - now).total_seconds()
                if write_in < delay:
                    if await self._woken_within(write_in):
                        return
                    try:
                        async with self._pass_lock:
                            await self._write_unwritten()
                    except asyncio.CancelledError:
                        raise
                    except Exception:
                        logger.exception("outbox could not record the cards it delivered; their leases will expire")
                    continue
            if not await self._woken_within(delay):
                self._lease_due = True  # the poll, or a held item's time: look in the store
            return

    async def _woken_within(self, seconds: float) -> bool:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for swallows a cancel that arrives as the wait
        # completes (a wake() in the same tick as SIGTERM), and the service never stopped
        try:
            async with asyncio.timeout(max(0.0, seconds)):
                await self._wake.wait()
        except TimeoutError:
            return False
        return True

    async def run_once(self, *, linger: bool = False) -> int:
        """One pass over the due items: do every item whose lane is ready. Returns the number done.

        ``linger`` (`run`'s passes): what the pass finished may stay unwritten for ``finish_delay``, to be
        written with a later pass's work; without it, the pass writes it and whatever earlier passes left.

        Passes never overlap (``drain`` may be called while ``run`` is going): two at once could both
        take the same item and post a card twice.
        """
        async with self._pass_lock:
            done = await self._pass(linger=linger)
            if not linger:
                await self._write_unwritten()  # what `run`'s passes left (a pass that returned early carried none)
            return done

    async def _pass(self, *, linger: bool) -> int:
        self._wake.clear()
        self._woken = False
        self._next_ready = None
        now = self._clock()
        # cards handed over by this process's intake, leased to this worker already, with their leads (issue 11)
        handed, handed_leads = await self._store.outbox.take_handed(self._instance)
        if self._paused_until is not None:
            if now < self._paused_until:
                self._hold_until(self._paused_until)
                if handed:
                    await self._store.outbox.release([item.id for item in handed], self._instance)
                return 0
            self._paused_until = None
            self._lease_due = True
        # The pass's leads read with its lease, one write for what it finished (issue 11): each lead has at most
        # one item in a pass (its lane's head), so what is read here is what its item would have read. A pass
        # with only handed cards to do needs neither.
        items: list[OutboxRecord] = []
        self._leads = {}
        self._leased = self._lease_due or not handed
        if self._leased:
            self._lease_due = False
            carried, posted = self._take_unwritten()
            items, self._leads = await self._store.outbox.finish_and_lease(
                carried, posted, self._instance, seconds=self._lease_seconds, limit=self._batch
            )
        done = 0
        while True:
            full = len(items) >= self._batch  # more may be waiting beyond this batch
            if full:
                self._hold_until(now)
            items = _merged(items, handed)
            self._leads.update(handed_leads)
            self._finished, self._posted = [], []
            try:
                done += await self._deliver(items)
            except BaseException:
                await self._finish_pass(linger=False)
                raise
            if self._paused() or self._handed_back or not (full or self._woken):
                await self._finish_pass(linger=linger)
                return done
            # going on at once: what this round finished and the next round's lease in one transaction
            self._wake.clear()
            self._woken = False
            self._lease_due = False
            self._leased = True
            now = self._clock()
            handed, handed_leads = await self._store.outbox.take_handed(self._instance)
            carried, carried_posts = self._take_unwritten()
            finished, posted = [*carried, *self._finished], [*carried_posts, *self._posted]
            self._finished, self._posted = [], []
            items, self._leads = await self._store.outbox.finish_and_lease(
                finished, posted, self._instance, seconds=self._lease_seconds, limit=self._batch
            )
            if not items and not handed:
                return done

    async def _finish_pass(self, *, linger: bool) -> None:
        """Write what the pass finished, with what earlier passes left unwritten; or, ``linger``, leave it for a
        later pass's write (its lease or its finish), at most ``finish_delay`` (issue 11: at a steady trickle
        each card had a transaction of its own). Unwritten, a card is still leased to this worker and pending in
        the store: nobody else posts it, and were this process to die, the next holder would find it in Slack."""
        until = self._unwritten_until
        carried, carried_posts = self._take_unwritten()
        finished, posted = [*carried, *self._finished], [*carried_posts, *self._posted]
        self._leads, self._finished, self._posted = {}, [], []
        if not (finished or posted):
            return
        if linger and self._finish_delay and not self._paused():
            now = self._clock()
            until = until or now + self._finish_delay
            if now < until:
                self._unwritten, self._unwritten_until = (finished, posted), until
                return
        await self._store.outbox.finish(finished, posted)

    def _take_unwritten(self) -> tuple[list[int], list[PostedCard]]:
        unwritten = self._unwritten
        self._unwritten, self._unwritten_until = ([], []), None
        return unwritten

    async def _write_unwritten(self) -> None:
        finished, posted = self._take_unwritten()
        if finished or posted:
            await self._store.outbox.finish(finished, posted)

    async def _deliver(self, items: list[OutboxRecord]) -> int:
        done = 0
        handed_back: list[int] = []
        self._handed_back = 0
        for index, item in enumerate(items):
            if self._paused_until is not None:  # Slack away or rate limited: the rest waits for the pause
                handed_back.extend(i.id for i in items[index:])
                self._hold_until(self._paused_until)
                break
            lane = item.channel or ""
            now = self._clock()
            ready_at = self._lane_ready_at(lane, now)
            if ready_at > now:  # this channel was called a moment ago: pacing, not an error
                handed_back.append(item.id)
                self._hold_until(ready_at)
                continue
            if await self._attempt(item, lane):
                done += 1
                self._hold_until(self._lane_ready_at(lane, self._clock()))  # the channel's next item
        if handed_back:
            self._handed_back = len(handed_back)
            self._lease_due = True  # they are due again: the next pass leases them from the store
            await self._store.outbox.release(handed_back, self._instance)
        return done

    async def drain(self, timeout: float) -> None:  # noqa: ASYNC109 (measured on the injected clock)
        """Run passes until nothing is pending (backoffs waited out on the clock), or ``timeout`` seconds
        have passed."""
        deadline = self._clock() + timedelta(seconds=timeout)
        while True:
            await self.run_once()
            if not await self._store.outbox.pending_count():
                return
            now = self._clock()
            if now >= deadline:
                logger.warning(
                    "outbox drain gave up after %.0f s with %d item(s) pending",
                    timeout,
                    await self._store.outbox.pending_count(),
                )
                return
            # Pending items wait out a hold of ours (pacing, a 429 pause), a backoff written in the store,
            # or arrived during the pass (look again, without spinning).
            if self._next_ready is not None:
                wait = self._seconds_until_ready(now)
            else:
                next_due = await self._store.outbox.next_at()
                wait = (next_due - now).total_seconds() if next_due is not None and next_due > now else 0.01
                if await self._store.outbox.held_elsewhere(self._instance):
                    wait = min(wait, OTHERS_POLL)  # another instance is at work: look again soon
            await self._sleep(min(wait, (deadline - now).total_seconds()))

    # ---- one item ----------------------------------------------------------------------------------

    async def _attempt(self, item: OutboxRecord, lane: str) -> bool:
        self._last_call[lane] = self._clock()
        try:
            posted = await self._deliveries.do(item, self._leads)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            self._last_call[lane] = self._clock()  # the pace counts from the answer: Slack sees calls a pace apart
            failure = self._classify(exc, item)
            delay = timedelta(seconds=failure.delay)
            await self._store.outbox.retry(
                item.id, failure.error, delay=delay, give_up=failure.give_up, alert=self._alert(item, failure)
            )
            self._after_failure(item, failure, exc)
            return False
        self._last_call[lane] = self._clock()
        self._finished.append(item.id)  # written with the rest of the pass
        if posted is not None:
            self._posted.append(posted)
        self._outage = 0
        logger.debug("outbox item %d (%s, lead %s) done", item.id, item.kind, item.lead_id)
        return True

    # ---- failures ----------------------------------------------------------------------------------

    def _classify(self, exc: Exception, item: OutboxRecord) -> _Failure:
        attempt = item.attempts + 1
        backoff = min(self._backoff_cap, self._backoff_base * 2**item.attempts)
        away = min(self._backoff_cap, self._backoff_base * 2**self._outage)
        exhausted = attempt >= self._max_attempts
        if is_permanent(exc):
            return _Failure(str(exc), 0, give_up=True)
        if isinstance(exc, SlackApiError):
            status = exc.response.status_code
            error = slack_error(exc)
            if status == 429 or error == "ratelimited":
                return _Failure(f"HTTP {status} {error}", retry_after(exc), give_up=False, rate_limited=True)
            if error in PERMANENT_SLACK_ERRORS:
                return _Failure(f"HTTP {status} {error}", 0, give_up=True)
            if status >= 500 or error in SLACK_AWAY_ERRORS:
                return _Failure(f"HTTP {status} {error}", away, give_up=False, slack_away=True)
            return _Failure(f"HTTP {status} {error}", backoff, give_up=exhausted)
        if isinstance(exc, aiohttp.ClientError | TimeoutError | OSError):
            return _Failure(f"{type(exc).__name__}: {exc}", away, give_up=False, slack_away=True)
        return _Failure(f"unexpected {type(exc).__name__}: {exc}", backoff, give_up=exhausted)

    def _alert(self, item: OutboxRecord, failure: _Failure) -> tuple[str, dict[str, Any]] | None:
        """The note that reports a dead item once in the alerts channel (never for an alert itself)."""
        if not failure.give_up or not self._alerts or item.payload.get("outbox_alert"):
            return None
        lead = f"lead {item.lead_id}" if item.lead_id is not None else "no lead"
        text = (
            f":warning: Outbox item {item.id} ({inert(item.kind)}, {lead}, channel {inert(item.channel or '-')}) "
            f"cannot be delivered and was set aside: {inert(failure.error[:300])}. "
            f"`leadbot outbox --dead` lists such items; `leadbot outbox --retry {item.id}` tries it again."
        )
        return self._alerts, {"text": text, "outbox_alert": True}

    def _after_failure(self, item: OutboxRecord, failure: _Failure, exc: Exception) -> None:
        what = f"outbox item {item.id} ({item.kind}, lead {item.lead_id}, channel {item.channel})"
        expected = is_permanent(exc) or isinstance(exc, SlackApiError | aiohttp.ClientError | TimeoutError | OSError)
        if failure.give_up:
            logger.error(
                "%s is dead after %d attempt(s): %s",
                what,
                item.attempts + 1,
                failure.error,
                exc_info=None if expected else exc,
            )
            return
        until = self._clock() + timedelta(seconds=failure.delay)
        if failure.slack_away:
            self._outage += 1
            self._paused_until = max(until, self._paused_until or until)
            logger.warning(
                "Slack is away (%s on %s): pausing the outbox for %.0f s", failure.error, what, failure.delay
            )
            return
        if failure.rate_limited:
            self._paused_until = max(until, self._paused_until or until)
            logger.warning("Slack rate limit on %s: pausing the outbox for %.1f s", what, failure.delay)
            return
        logger.warning(
            "%s failed (attempt %d of %d), retrying in %.0f s: %s",
            what,
            item.attempts + 1,
            self._max_attempts,
            failure.delay,
            failure.error,
            exc_info=None if expected else exc,
        )

    # ---- timing ------------------------------------------------------------------------------------

    def _paused(self) -> bool:
        """Slack is away or rate limited (`_after_failure` set a pause during this pass)."""
        return self._paused_until is not None

    def _lane_ready_at(self, lane: str, now: datetime) -> datetime:
        last = self._last_call.get(lane)
        return now if last is None else max(now, last + self._min_interval)

    def _hold_until(self, when: datetime) -> None:
        if self._next_ready is None or when < self._next_ready:
            self._next_ready = when

    def _seconds_until_ready(self, now: datetime) -> float:
        if self._next_ready is None:
            return self._poll_interval
        return max(0.0, min(self._poll_interval, (self._next_ready - now).total_seconds()))


def _merged(leased: list[OutboxRecord], handed: list[OutboxRecord]) -> list[OutboxRecord]:
    """A pass's items: those leased from the store and those handed over, oldest first, each once."""
    if not handed:
        return leased
    by_id = {item.id: item for item in (*handed, *leased)}
    return [by_id[item_id] for item_id in sorted(by_id)]
