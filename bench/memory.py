"""Memory of `leadbot serve` under a long run: `.venv/bin/python bench/memory.py [--messages N] [--step S]`.

Starts `leadbot serve` as a user does (SQLite, a fake Slack Web API from tests/fakes on 127.0.0.1, pacing
off), sends N generated vendor emails (default 50,000; the same three formats as bench/intake.py) over SMTP
in steps of S, waits after each step until its cards are posted, and prints the resident set of the service
process and of its reader processes, so growth shows as the count climbs. Ends with machine-readable lines
(``rss_serve_mb=``, ``rss_serve_growth_mb_per_10k=`` after the first step, ``rss_serve_peak_mb=``,
``rss_readers_mb=``). Prints numbers only; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
for folder in (BENCH.parent, BENCH):  # the fake Slack lives in tests/, bench/intake.py beside this file
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from intake import Clients, _free_port, _greeting, _proc_mb, _serve_env, _stop_service, generate  # noqa: E402

GOAL_MB = 250


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _descendants(pid: int) -> list[int]:
    out, todo = [], _children(pid)
    while todo:
        child = todo.pop()
        out.append(child)
        with contextlib.suppress(OSError):
            todo += _children(child)
    return out


def _rss(pid: int) -> float:
    with contextlib.suppress(OSError):
        return _proc_mb(pid, "VmRSS")
    return 0.0


def _cpu_s(pid: int) -> float:
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return 0.0


async def run(messages: int, step: int, connections: int) -> None:
    from tests.fakes.slack_api import FakeSlackApi

    load = os.getloadavg()
    print(f"leadbot serve memory: {messages:,} emails in steps of {step:,} over {connections} connections, "
          f"SQLite, pacing off; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    slack = FakeSlackApi()
    await slack.start()
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="leadbot-memory-") as tmp:
        workdir = Path(tmp)
        # the masking setting aside, the environment of intake.py's whole path (its fake Slack, pacing off)
        env = _serve_env(slack.base_url, slack.bot_token, port, workdir / "memory.db")
        env.pop("LEADBOT_PRIVACY__MASK_UNCLAIMED", None)
        leadbot = Path(sys.executable).with_name("leadbot")
        process = await asyncio.create_subprocess_exec(
            str(leadbot), "serve", env=env, cwd=workdir, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        run_id = f"{time.time_ns():x}"

        def posted() -> int:
            return len(slack.calls("chat.postMessage", ok_only=True))

        last_main = last_readers = 0.0
        points: list[tuple[int, float]] = []  # (emails sent, service RSS) after each step
        try:
            await _greeting(port, time.monotonic() + 120)
            print(f"{'emails':>8} {'cards':>8} {'service MB':>11} {'peak MB':>8} {'readers MB':>11} "
                  f"{'service CPU ms/mail':>20}  load")
            print(f"{0:>8,} {0:>8,} {_rss(process.pid):>11.0f} {_proc_mb(process.pid, 'VmHWM'):>8.0f} "
                  f"{sum(_rss(c) for c in _descendants(process.pid)):>11.0f}")
            async with Clients(connections) as clients:
                sent = cards = 0
                cpu_before = _cpu_s(process.pid)
                while sent < messages:
                    count = min(step, messages - sent)
                    await clients.send(port, generate(sent, count, run_id))
                    sent += count

                    with contextlib.suppress(AssertionError):  # the count printed says how many came
                        await slack.wait_for(lambda wanted=count: posted() >= wanted, timeout=600,
                                             what="the step's cards")
                    cards += posted()
                    slack.calls.clear()  # the fake's record of calls grows in this process: a step's is enough
                    cpu_now = _cpu_s(process.pid)
                    last_main, last_readers = _rss(process.pid), sum(_rss(c) for c in _descendants(process.pid))
                    points.append((sent, last_main))
                    print(f"{sent:>8,} {cards:>8,} {last_main:>11.0f} "
                          f"{_proc_mb(process.pid, 'VmHWM'):>8.0f} {last_readers:>11.0f} "
                          f"{(cpu_now - cpu_before) * 1000 / count:>20.2f}  {os.getloadavg()[0]:.2f}")
                    cpu_before = cpu_now
            peak = _proc_mb(process.pid, "VmHWM")
        finally:
            await _stop_service(process, process.pid)
            await slack.close()
    print(f"RSS of `leadbot serve` after {messages:,} mails: {last_main:.0f} MB (peak {peak:.0f}), "
          f"reader processes {last_readers:.0f} MB;  goal <= {GOAL_MB} MB after 50,000; "
          f"load average {os.getloadavg()[0]:.2f}")
    # The first step loads what the first mails need (readers' pools, a card's phone facts…); what grows after
    # it grows with the mail count: its slope, and where it would lead by the goal's 50,000.
    grown = points[1:]
    slope = statistics.linear_regression([p[0] for p in grown], [p[1] for p in grown]).slope if len(
        grown) >= 2 else 0.0
    print(f"growth after the first step: {slope * 10_000:+.1f} MB per 10,000 mails; at that rate "
          f"{last_main + slope * max(0, 50_000 - messages):.0f} MB after 50,000 (goal <= {GOAL_MB}); "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"rss_serve_mb={last_main:.0f}")
    print(f"rss_serve_growth_mb_per_10k={slope * 10_000:.1f}")
    print(f"rss_serve_peak_mb={peak:.0f}")
    print(f"rss_readers_mb={last_readers:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000, help="emails in all (default 50,000)")
    parser.add_argument("--step", type=int, default=2_500, help="emails between two measurements (default 2,500)")
    parser.add_argument("--connections", type=int, default=8, help="parallel SMTP connections (default 8)")
    args = parser.parse_args()
    asyncio.run(run(args.messages, args.step, args.connections))


if __name__ == "__main__":
    main()
