"""Process scenarios where the service or its database goes away: SIGKILL mid-burst, two instances on one
PostgreSQL, and the PostgreSQL server restarted mid-burst."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from bench.chaos.common import ChaosSlack, Postgres, Result, Serve, burst, config, count, free_port, settle
from store.store import Store


async def sigkill(mails: int, folder: Path) -> Result:
    url = f"sqlite+aiosqlite:///{folder / 'sigkill.db'}"
    port = free_port()
    async with ChaosSlack() as slack:
        serve = Serve(config(folder, "sigkill", url, port, slack.base_url), port, folder / "sigkill.log")
        serve.start()
        await serve.listening()
        sending = asyncio.create_task(burst([port], "k", mails))
        kills = 0
        for _ in range(3):
            await asyncio.sleep(1.5)
            serve.kill()
            kills += 1
            serve.start()
            await serve.listening()
        accepted = await sending
        fault_over = time.monotonic()
        store = Store.open(url)
        try:
            await settle(store, slack, accepted, limit=180)
            drain = time.monotonic() - fault_over
            await serve.stop()
            return await count("sigkill", store, slack, accepted, drain, f"({kills} SIGKILLs)")
        finally:
            await serve.stop()
            await store.close()


async def two_instances(mails: int, folder: Path) -> Result:
    with Postgres() as url:
        leadbot = Path(sys.executable).with_name("leadbot")
        async with ChaosSlack() as slack:
            ports = [free_port(), free_port()]
            serves = [Serve(config(folder, f"pg{i}", url, port, slack.base_url), port, folder / f"pg{i}.log")
                      for i, port in enumerate(ports)]
            migrate = [str(leadbot), "--config", str(serves[0].cfg), "migrate"]
            await asyncio.to_thread(subprocess.run, migrate, check=True, capture_output=True)
            for serve in serves:
                serve.start()
            for serve in serves:
                await serve.listening()
            started = time.monotonic()
            accepted = await burst(ports, "p", mails)
            store = Store.open(url)
            try:
                await settle(store, slack, accepted, limit=180)
                drain = time.monotonic() - started
                for serve in serves:
                    await serve.stop()
                calls = len(slack.calls("chat.postMessage"))
                return await count("two-instances", store, slack, accepted, drain,
                                   f"(wall, from first mail; {calls} post calls)")
            finally:
                for serve in serves:
                    await serve.stop()
                await store.close()


async def pg_restart(mails: int, folder: Path, *, down: float = 5.0, sweep: float | None = None) -> Result:
    """PostgreSQL stopped (fast shutdown: every session cut) during a burst and started again ``down`` s later.

    While it is down SMTP must refuse with a 4xx (the sender keeps the mail), never 250 and lose it; once
    it is back every accepted mail must become a lead and a card in the same running process.
    """
    cluster = Postgres()
    with cluster as url:
        async with ChaosSlack() as slack:
            port = free_port()
            intake = f"[intake]\nsweep_seconds = {sweep}" if sweep else ""
            serve = Serve(config(folder, "pg-restart", url, port, slack.base_url, sections=intake), port,
                          folder / "pg-restart.log")
            serve.start()
            await serve.listening()
            assert serve.proc is not None
            pid = serve.proc.pid
            refusals: Counter[int] = Counter()
            third = mails // 3
            accepted = await burst([port], "r", third)
            await asyncio.to_thread(cluster.stop, "fast")
            stopped = time.monotonic()
            # the middle third is sent while it is down: refused (and retried) until it is back
            sending = asyncio.create_task(burst([port], "r", third, first=third, refusals=refusals))
            await asyncio.sleep(down)
            during = sum(refusals.values())
            await asyncio.to_thread(cluster.start)
            back = time.monotonic()
            accepted |= await sending
            accepted |= await burst([port], "r", mails - 2 * third, first=2 * third)
            store = Store.open(url)
            try:
                await settle(store, slack, accepted, limit=180)
                drain = time.monotonic() - back
                alive = serve.proc.poll() is None and serve.proc.pid == pid
                result = await count("pg-restart", store, slack, accepted, drain,
                                     f"(PostgreSQL down {back - stopped:.0f} s; refusals {_codes(refusals)}, "
                                     f"{during} while down; same process: {'yes' if alive else 'NO'})")
            finally:
                await serve.stop()
                await store.close()
    bounced = sorted(code for code in refusals if code >= 500)
    missed = []
    if bounced:
        missed.append(f"answered {bounced}: the sender bounces the lead")
    if not alive:
        missed.append("the service did not survive the outage")
    result.failed = "; ".join(missed)
    return result


def _codes(refusals: Counter[int]) -> str:
    if not refusals:
        return "none"
    return ", ".join(f"{code or 'cut'}×{n}" for code, n in sorted(refusals.items()))
