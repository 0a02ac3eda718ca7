"""Claim benchmark: how fast Slack hears back when reps click Claim, alone and while mail arrives.

    .venv/bin/python bench/claim.py [--clickers 20] [--rounds 10] [--rate 20] [--single-rounds 10]

The whole service (`bot.service.Service`) runs with its Slack app in HTTP mode against the fake Slack Web
API (tests/fakes/slack_api.py). Cards are posted first; then ``--clickers`` reps click Claim at the same
moment, round after round (every lead is clicked by two reps, so half the clicks lose the race), as signed
``block_actions`` requests to the app's endpoint. The figure is each request's time to its HTTP answer (the
acknowledgement Slack waits at most 3 s for). Measured once on an idle service and once while mail is
offered at ``--rate`` per second over SMTP. Then ``--single-rounds`` rounds one at a time on the idle
service, each waited for until decided: the time from its first click to the moment every card of the round
was updated and every losing rep told (the claim is decided after its ack), beside the same per round when
the rounds go back to back. The clickers and the SMTP senders run in other processes, so
they do not take this process's CPU. Prints numbers beside the goal and the load average; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import gc
import http.client
import io
import os
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from intake import HOST, Clients, _percentile, generate

SECRET = "bench-signing-secret"


def click_all(port: int, requests: Sequence[tuple[str, dict[str, str]]], clickers: int) -> list[float]:
    """Send ``requests`` (body, headers) in rounds of ``clickers`` at once; each one's seconds to its answer.

    Runs in the clickers' process, one thread (and keep-alive connection) per clicker.
    """
    times: list[float] = []
    for start in range(0, len(requests), clickers):
        times.extend(click_round(port, requests[start:start + clickers])[1])
    return times


def click_round(port: int, requests: Sequence[tuple[str, dict[str, str]]]) -> tuple[float, list[float]]:
    """One round: every request at once, one thread (and connection) each; (CLOCK_MONOTONIC of its first send, each
    one's seconds to its answer)."""
    sent: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(requests))
    times: list[float] = []

    def click(body: str, headers: dict[str, str]) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        connection.connect()
        barrier.wait()
        began = time.monotonic()
        connection.request("POST", "/slack/events", body=body.encode(), headers=headers)
        response = connection.getresponse()
        response.read()
        took = time.monotonic() - began
        connection.close()
        with lock:
            sent.append(began)
            times.append(took if response.status == 200 else float("inf"))

    threads = [threading.Thread(target=click, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return min(sent), times


def decided_at(calls: Sequence[ApiCallLike], since: int, card_ts: set[str], losers: int) -> float | None:
    """When the last of a round's outcomes reached Slack: an update of every card in ``card_ts`` and ``losers``
    loser notices (ephemeral) among ``calls[since:]``; None while one is missing."""
    updated: dict[str, float] = {}
    notices: list[float] = []
    for call in calls[since:]:
        if not call.ok:
            continue
        if call.method == "chat.update" and str(call.params.get("ts")) in card_ts:
            updated.setdefault(str(call.params.get("ts")), call.at)
        elif call.method == "chat.postEphemeral":
            notices.append(call.at)
    if len(updated) < len(card_ts) or len(notices) < losers:
        return None
    return max([*updated.values(), *notices[:losers]])


def _decided(calls: Sequence[ApiCallLike], since: int, card_ts: set[str], losers: int) -> bool:
    return decided_at(calls, since, card_ts, losers) is not None


class ApiCallLike(Protocol):
    """What `decided_at` reads of the fake Slack's record of a call."""

    method: str
    params: dict[str, Any]
    at: float

    @property
    def ok(self) -> bool: ...


@dataclass
class LoopProbe:
    """The service's event loop, watched from inside: a task that asks to wake every ``tick`` s and records how
    late it wakes. A late wake-up is a stall: a callback (or a run of them) holding the loop, so every request
    waiting on the loop then (a click's ack among them) waits that long too."""

    tick: float = 0.001
    lags: list[float] = field(default_factory=list)
    #: the loop thread's CPU seconds between two wake-ups: the work in a stall, whatever else the machine runs
    #: (on a loaded machine a wall-clock stall is also the time the process waited for a core)
    works: list[float] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None

    #: the garbage collector's pauses meanwhile (generation, seconds): one of the things a stall can be
    collections: list[tuple[int, float]] = field(default_factory=list)
    _gc_began: float = 0.0

    def start(self) -> None:
        self.lags, self.works, self.collections = [], [], []
        gc.callbacks.append(self._gc)
        self._task = asyncio.ensure_future(self._run())

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_began = time.perf_counter()
        else:
            self.collections.append((info["generation"], time.perf_counter() - self._gc_began))

    async def stop(self) -> tuple[list[float], list[float]]:
        assert self._task is not None
        gc.callbacks.remove(self._gc)
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        return self.lags, self.works

    async def _run(self) -> None:
        clock, cpu = time.perf_counter, time.thread_time
        while True:
            began, began_cpu = clock(), cpu()
            await asyncio.sleep(self.tick)
            self.lags.append(max(0.0, clock() - began - self.tick))
            self.works.append(cpu() - began_cpu)


@dataclass
class Phase:
    name: str
    times: list[float]
    #: the service process's CPU seconds (every thread of it) while the clicks ran
    cpu: float
    lags: list[float]
    works: list[float]
    collections: list[tuple[int, float]]
    #: seconds from the start of the service's request handler to its answer (the service's own share of a click;
    #: the rest is the wait for the loop to start the handler, the network and the clickers' process)
    in_handler: list[float]
    #: seconds of each claim in the store (after the ack): the wait for SQLite's writer, then the transaction
    in_claim: list[float]
    #: leads clicked, leads with exactly one of their two reps as owner, and the losers told who has the lead
    leads: int = 0
    winners: int = 0
    told: int = 0
    #: back to back: seconds from the first click to the last round's outcomes in Slack, per round
    decided_per_round: float = float("nan")


async def measure(args: argparse.Namespace) -> None:
    from bot.service import Service
    from bot.settings import load_settings
    from bot.slack.standin import block_actions_payload, form_body, signed_headers
    from tests.fakes.slack_api import FakeSlackApi

    load_before = os.getloadavg()
    print(f"Leadbot claim bench: {args.clickers} clickers, {args.rounds} rounds, mail at {args.rate:g}/s in the "
          f"second phase; load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    slack = FakeSlackApi()
    await slack.start()
    with tempfile.TemporaryDirectory(prefix="leadbot-bench-") as tmp:
        settings = load_settings(None, overrides={
            "smtp.host": HOST, "smtp.port": 0,
            "store.url": f"sqlite+aiosqlite:///{Path(tmp) / 'claim.db'}",
            "slack.mode": "http", "slack.bot_token": slack.bot_token, "slack.signing_secret": SECRET,
            "slack.api_base_url": slack.base_url, "slack.http_host": HOST, "slack.http_port": 0,
            "slack.post_interval_seconds": 0, "slack.channels.sales": "C0SALES", "slack.channels.nurture": "C0NURTURE",
            "scoring.grade_b": 0,
        })
        service = Service(settings, console=io.StringIO())
        from bot.slack.runner import SlackRunner
        from store.leads import Leads

        handled = _timed(SlackRunner, "_handle")  # the service's own share of a click's answer
        claimed = _timed(Leads, "claim")  # the compare-and-set: waiting for the write lock, and the transaction
        await service.start()
        gc.freeze()  # as `leadbot serve` does once started (bot.service.serve)
        try:
            assert service.smtp is not None and service.slack is not None
            smtp_port, slack_port = service.smtp.port, service.slack.port
            # two reps per lead, both phases back to back, the rounds one at a time, and a warm-up
            per_round = max(1, args.clickers // 2)
            leads_needed = args.clickers * args.rounds + per_round * args.single_rounds + 1
            run = f"{time.time_ns():x}"
            async with Clients(4) as senders, Clients(1) as clickers:
                await senders.send(smtp_port, generate(500_000, leads_needed, run))
                await service.wait_idle(120)
                leads = [lead for lead in await service.store.leads.recent(limit=leads_needed) if lead.slack_ts]
                # One click first, not counted: Bolt asks auth.test on its first request (a running app is warm).
                warm = form_body(block_actions_payload(leads[-1], user_id="U0WARMUP"))
                await clickers.call(click_all, slack_port, [(warm, signed_headers(SECRET, warm))], 1)
                leads = leads[:-1]
                single, leads = leads[:per_round * args.single_rounds], leads[per_round * args.single_rounds:]
                half = len(leads) // 2
                results: list[Phase] = []
                probe = LoopProbe()
                for phase, group in (("idle service", leads[:half]), (f"mail at {args.rate:g}/s", leads[half:])):
                    requests = []
                    for n, lead in enumerate(group):  # every lead clicked by two reps at once
                        for rep in ("A", "B"):
                            body = form_body(block_actions_payload(lead, user_id=f"U0REP{n % 10}{rep}"))
                            requests.append((body, signed_headers(SECRET, body)))
                    told_before = len(slack.ephemerals)
                    mail = None
                    if "mail" in phase:  # a stream long enough to outlast the clicks
                        steady = generate(400_000, int(args.rate * args.mail_seconds), run)
                        mail = asyncio.ensure_future(senders.send(smtp_port, steady, args.rate))
                        await asyncio.sleep(1.0)  # the stream is flowing before the first click
                    probe.start()
                    handled.clear()
                    claimed.clear()
                    cpu_before = time.process_time()
                    calls_before, began = len(slack.calls), time.monotonic()
                    times = await clickers.call(click_all, slack_port, requests, args.clickers)
                    cpu = time.process_time() - cpu_before
                    lags, works = await probe.stop()
                    if mail is not None:
                        sent = await mail
                        done = sum(1 for t in sent.replied if t is not None)
                        print(f"mail during the clicks: {done} of {len(steady)} accepted, clicks took "
                              f"{sum(times):.1f} s in all")
                    # the race's outcome: every lead has exactly one of its two reps as owner; the other was told
                    with contextlib.suppress(AssertionError):
                        await slack.wait_for(functools.partial(_told, slack.ephemerals, told_before + len(group)),
                                             timeout=30)
                    winners = 0
                    for n, lead in enumerate(group):
                        stored = await service.store.leads.get(lead.id)
                        winners += stored is not None and stored.owner in (f"U0REP{n % 10}A", f"U0REP{n % 10}B")
                    told = len(slack.ephemerals) - told_before
                    in_handler, in_claim = list(handled), list(claimed)  # the claims end after the acks
                    card_ts = {str(lead.slack_ts) for lead in group}
                    with contextlib.suppress(AssertionError):  # the card updates may come after the notices
                        await slack.wait_for(functools.partial(_decided, slack.calls, calls_before, card_ts,
                                                               len(group)), timeout=30)
                    last = decided_at(slack.calls, calls_before, card_ts, len(group))
                    per_round_s = (last - began) / max(1, args.rounds) if last is not None else float("nan")
                    results.append(Phase(phase, times, cpu, lags, works, probe.collections, in_handler, in_claim,
                                         len(group), winners, told, per_round_s))
                decisions = await _one_round_at_a_time(slack, clickers, slack_port, single, per_round)
                _report(results, load_before, decisions)  # before the clean-up, which has been seen to hang
        finally:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(service.stop(), 30)
            with contextlib.suppress(TimeoutError):  # keep-alive connections of the clickers' process
                await asyncio.wait_for(slack.close(), 10)
async def _one_round_at_a_time(
    slack: Any, clickers: Clients, port: int, leads: Sequence[Any], per_round: int
) -> list[float]:
    """Each round's decision time, one round at a time on an idle service: from its first click to the moment every
    card of the round was updated and every losing rep told (the claim is decided after its ack)."""
    from bot.slack.standin import block_actions_payload, form_body, signed_headers

    decisions: list[float] = []
    for start in range(0, len(leads) - per_round + 1, per_round):
        group = leads[start:start + per_round]
        requests = []
        for n, lead in enumerate(group):
            for rep in ("A", "B"):
                body = form_body(block_actions_payload(lead, user_id=f"U0ONE{n % 10}{rep}"))
                requests.append((body, signed_headers(SECRET, body)))
        since = len(slack.calls)
        card_ts = {str(lead.slack_ts) for lead in group}
        began, _ = await clickers.call(click_round, port, requests)
        try:
            done = functools.partial(_decided, slack.calls, since, card_ts, len(group))
            await slack.wait_for(done, timeout=30, what="a round's card updates and loser notices")
        except AssertionError:
            decisions.append(float("inf"))
            continue
        last = decided_at(slack.calls, since, card_ts, len(group))
        assert last is not None
        decisions.append(last - began)
    return decisions


def _timed(owner: type, name: str) -> list[float]:
    """Each call's seconds in ``owner.name`` (an async method, wrapped before the start: measured, not changed)."""
    seconds: list[float] = []
    method = getattr(owner, name)

    @functools.wraps(method)
    async def timed(*args: Any, **kwargs: Any) -> Any:
        began = time.perf_counter()
        try:
            return await method(*args, **kwargs)
        finally:
            seconds.append(time.perf_counter() - began)

    setattr(owner, name, timed)
    return seconds


def _told(ephemerals: Sequence[object], expected: int) -> bool:
    return len(ephemerals) >= expected


def _report(results: list[Phase], load_before: tuple[float, float, float], decisions: Sequence[float] = ()) -> None:
    load_after = os.getloadavg()
    print(f"{'figure':<52} {'p50':>9} {'p99':>9} {'max':>9}   goal")
    for phase in results:
        ms = [t * 1000 for t in phase.times]
        print(f"{'claim acknowledgement, ' + phase.name:<52} {_percentile(ms, 0.5):7.1f}ms "
              f"{_percentile(ms, 0.99):7.1f}ms {max(ms):7.1f}ms   p99 <= 50 ms  ({len(ms)} clicks)")
    if decisions:
        ms = [t * 1000 for t in decisions]
        back_to_back = ", ".join(f"{p.name} {p.decided_per_round * 1000:.1f} ms" for p in results)
        print(f"{'claim decided (cards updated, losers told), 1 round':<52} {_percentile(ms, 0.5):7.1f}ms "
              f"{_percentile(ms, 0.99):7.1f}ms {max(ms):7.1f}ms   ({len(ms)} rounds one at a time; back to back, "
              f"per round: {back_to_back})")
    for phase in results:
        ms = [t * 1000 for t in phase.in_handler] or [0.0]
        store = [t * 1000 for t in phase.in_claim] or [0.0]
        print(f"  {phase.name:<20} in the service's handler: p50 {_percentile(ms, 0.5):5.1f} ms, "
              f"p99 {_percentile(ms, 0.99):5.1f} ms, max {max(ms):5.1f} ms; the claim in the store (after the ack) "
              f"p50 {_percentile(store, 0.5):5.1f} ms, p99 {_percentile(store, 0.99):5.1f} ms")
    for phase in results:
        print(f"  {phase.name:<20} {phase.leads} leads clicked by two reps each: {phase.winners} claimed by one of "
              f"them, {phase.told} losing clicks told who has the lead (expected {phase.leads} and {phase.leads})")
    print("the service's event loop while the clicks ran (a 1 ms probe's lateness; a click waits out every stall):")
    for phase in results:
        lag = [x * 1000 for x in phase.lags] or [0.0]
        print(f"  {phase.name:<20} stalls p99 {_percentile(lag, 0.99):6.1f} ms, max {max(lag):6.1f} ms, "
              f"> 10 ms: {sum(1 for x in lag if x > 10):4d}, > 40 ms: {sum(1 for x in lag if x > 40):3d}; "
              f"service CPU {phase.cpu * 1000 / len(phase.times):5.2f} ms per click")
        work = [x * 1000 for x in phase.works] or [0.0]
        print(f"  {'':<20} loop CPU in one stall p99 {_percentile(work, 0.99):5.1f} ms, max {max(work):6.1f} ms, "
              f"> 10 ms: {sum(1 for x in work if x > 10):4d}; garbage collections {len(phase.collections)}, "
              f"longest {max((t for _, t in phase.collections), default=0.0) * 1000:.1f} ms, "
              f"of the oldest generation {sum(1 for g, _ in phase.collections if g == 2)}")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min), {load_after[1]:.2f} (5 min)")
    for phase in results:
        key = "claim_ack_p99_ms" if phase.name == "idle service" else "claim_ack_p99_under_mail_ms"
        print(f"{key}={_percentile([t * 1000 for t in phase.times], 0.99):.1f}")
    if decisions:
        print(f"claim_decided_one_round_p50_ms={_percentile([t * 1000 for t in decisions], 0.5):.1f}")
        print(f"claim_decided_one_round_p99_ms={_percentile([t * 1000 for t in decisions], 0.99):.1f}")
        print(f"claim_decided_back_to_back_per_round_ms={results[0].decided_per_round * 1000:.1f}")
    idle = results[0]
    print(f"claim_service_cpu_ms_per_click={idle.cpu * 1000 / len(idle.times):.2f}")
    for phase in results:
        key = "idle" if phase.name == "idle service" else "under_mail"
        print(f"claim_loop_stall_cpu_max_ms_{key}={max(phase.works, default=0.0) * 1000:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--clickers", type=int, default=20, help="reps clicking at the same moment (default 20)")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of clicks per phase (default 10)")
    parser.add_argument("--rate", type=float, default=20.0, help="mails/s offered in the second phase (default 20)")
    parser.add_argument("--mail-seconds", type=float, default=15.0, help="length of that mail stream (default 15)")
    parser.add_argument("--single-rounds", type=int, default=10,
                        help="rounds clicked one at a time, each waited for until decided (default 10)")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # figures survive a kill
    try:
        import uvloop
    except ImportError:
        asyncio.run(measure(args))
    else:
        uvloop.run(measure(args))


if __name__ == "__main__":
    main()
