"""Claim benchmark: how fast Slack hears back when reps click Claim, alone and while mail arrives.

    .venv/bin/python bench/claim.py [--clickers 20] [--rounds 10] [--rate 20]

The whole service (`bot.service.Service`) runs with its Slack app in HTTP mode against the fake Slack Web
API (tests/fakes/slack_api.py). Cards are posted first; then ``--clickers`` reps click Claim at the same
moment, round after round (every lead is clicked by two reps, so half the clicks lose the race), as signed
``block_actions`` requests to the app's endpoint. The figure is each request's time to its HTTP answer (the
acknowledgement Slack waits at most 3 s for). Measured once on an idle service and once while mail is
offered at ``--rate`` per second over SMTP. The clickers and the SMTP senders run in other processes, so
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from intake import HOST, Clients, _percentile, generate

SECRET = "bench-signing-secret"


def click_all(port: int, requests: Sequence[tuple[str, dict[str, str]]], clickers: int) -> list[float]:
    """Send ``requests`` (body, headers) in rounds of ``clickers`` at once; each one's seconds to its answer.

    Runs in the clickers' process, one thread (and keep-alive connection) per clicker.
    """
    times: list[float] = []
    lock = threading.Lock()
    for start in range(0, len(requests), clickers):
        batch = requests[start:start + clickers]
        barrier = threading.Barrier(len(batch))

        def click(body: str, headers: dict[str, str], barrier: threading.Barrier = barrier) -> None:
            connection = http.client.HTTPConnection(HOST, port, timeout=30)
            connection.connect()
            barrier.wait()
            began = time.perf_counter()
            connection.request("POST", "/slack/events", body=body.encode(), headers=headers)
            response = connection.getresponse()
            response.read()
            took = time.perf_counter() - began
            connection.close()
            with lock:
                times.append(took if response.status == 200 else float("inf"))

        threads = [threading.Thread(target=click, args=request) for request in batch]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return times


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
            leads_needed = args.clickers * args.rounds + 1  # two reps per lead, both phases, and a warm-up
            run = f"{time.time_ns():x}"
            async with Clients(4) as senders, Clients(1) as clickers:
                await senders.send(smtp_port, generate(500_000, leads_needed, run))
                await service.wait_idle(120)
                leads = [lead for lead in await service.store.leads.recent(limit=leads_needed) if lead.slack_ts]
                # One click first, not counted: Bolt asks auth.test on its first request (a running app is warm).
                warm = form_body(block_actions_payload(leads[-1], user_id="U0WARMUP"))
                await clickers.call(click_all, slack_port, [(warm, signed_headers(SECRET, warm))], 1)
                leads = leads[:-1]
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
                    results.append(Phase(phase, times, cpu, lags, works, probe.collections, in_handler, in_claim,
                                         len(group), winners, told))
                _report(results, load_before)  # before the clean-up, which has been seen to hang
        finally:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(service.stop(), 30)
            with contextlib.suppress(TimeoutError):  # keep-alive connections of the clickers' process
                await asyncio.wait_for(slack.close(), 10)
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


def _report(results: list[Phase], load_before: tuple[float, float, float]) -> None:
    load_after = os.getloadavg()
    print(f"{'figure':<52} {'p50':>9} {'p99':>9} {'max':>9}   goal")
    for phase in results:
        ms = [t * 1000 for t in phase.times]
        print(f"{'claim acknowledgement, ' + phase.name:<52} {_percentile(ms, 0.5):7.1f}ms "
              f"{_percentile(ms, 0.99):7.1f}ms {max(ms):7.1f}ms   p99 <= 50 ms  ({len(ms)} clicks)")
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
