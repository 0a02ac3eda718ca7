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
import http.client
import io
import os
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path

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
        await service.start()
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
                results: list[tuple[str, list[float]]] = []
                for phase, group in (("idle service", leads[:half]), (f"mail at {args.rate:g}/s", leads[half:])):
                    requests = []
                    for n, lead in enumerate(group):  # every lead clicked by two reps at once
                        for rep in ("A", "B"):
                            body = form_body(block_actions_payload(lead, user_id=f"U0REP{n % 10}{rep}"))
                            requests.append((body, signed_headers(SECRET, body)))
                    mail = None
                    if "mail" in phase:  # a stream long enough to outlast the clicks
                        steady = generate(400_000, int(args.rate * args.mail_seconds), run)
                        mail = asyncio.ensure_future(senders.send(smtp_port, steady, args.rate))
                        await asyncio.sleep(1.0)  # the stream is flowing before the first click
                    times = await clickers.call(click_all, slack_port, requests, args.clickers)
                    if mail is not None:
                        sent = await mail
                        done = sum(1 for t in sent.replied if t is not None)
                        print(f"mail during the clicks: {done} of {len(steady)} accepted, clicks took "
                              f"{sum(times):.1f} s in all")
                    results.append((phase, times))
                _report(results, load_before)  # before the clean-up, which has been seen to hang
        finally:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(service.stop(), 30)
            with contextlib.suppress(TimeoutError):  # keep-alive connections of the clickers' process
                await asyncio.wait_for(slack.close(), 10)
def _report(results: list[tuple[str, list[float]]], load_before: tuple[float, float, float]) -> None:
    load_after = os.getloadavg()
    print(f"{'figure':<52} {'p50':>9} {'p99':>9} {'max':>9}   goal")
    for phase, times in results:
        ms = [t * 1000 for t in times]
        print(f"{'claim acknowledgement, ' + phase:<52} {_percentile(ms, 0.5):7.1f}ms {_percentile(ms, 0.99):7.1f}ms "
              f"{max(ms):7.1f}ms   p99 <= 50 ms  ({len(ms)} clicks)")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min), {load_after[1]:.2f} (5 min)")
    for phase, times in results:
        key = "claim_ack_p99_ms" if phase == "idle service" else "claim_ack_p99_under_mail_ms"
        print(f"{key}={_percentile([t * 1000 for t in times], 0.99):.1f}")


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
