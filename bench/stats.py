"""`/leads stats` on a big database: does the answer come within Slack's 3-second ack window?

    .venv/bin/python bench/stats.py [--leads 100000] [--runs 5]

Generates ``--leads`` leads spread over the last 180 days (vendors, grades, claims, first touches,
outcomes with amounts) and their events (intake, posted, claimed, follow_up, outcome, sla_breach,
duplicate) into a temporary SQLite file, with bulk inserts, then measures:

(a) the statistics queries alone (`store.stats.compute_stats`) for 7d, 30d, 90d and all;
(b) the command handling a manager's `/leads stats <period>` runs: parse, queries, rendering;
(c) the whole round trip through the real Bolt app in HTTP mode against the Slack stand-in on loopback:
    a signed POST to /slack/events → the ack (HTTP 200), and → the answer arriving at the response_url.

Prints numbers (median and worst of ``--runs``); asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from pydantic import SecretStr  # noqa: E402
from sqlalchemy import Table  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncConnection  # noqa: E402

from bot.settings import SlackRoles, SlackSettings  # noqa: E402
from bot.slack.app import build_slack_app  # noqa: E402
from bot.slack.commands import Command, LeadsCommands, parse  # noqa: E402
from bot.slack.roles import Roles  # noqa: E402
from bot.slack.runner import EVENTS_PATH, SlackRunner  # noqa: E402
from bot.slack.standin import SlackStandIn, signed_headers  # noqa: E402
from store.stats import compute_stats  # noqa: E402
from store.store import Store  # noqa: E402
from store.tables import Event, Lead  # noqa: E402

VENDORS = ["AutoLeads", "CarFinder", "HomeQuote", "FixItNow", "WebForm", "TradeShow", None]
REPS = [f"U0REP{i:04d}" for i in range(25)]
BOSS = "U0BOSS01"
SECRET = "bench-signing-secret"
PERIODS = ["7d", "30d", "90d", "all"]


def generate(count: int, now: datetime, seed: int = 7) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    rng = random.Random(seed)
    leads: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for lead_id in range(1, count + 1):
        created = now - timedelta(seconds=rng.uniform(0, 180 * 86400))
        grade = rng.choices("ABC", weights=(45, 35, 20))[0]
        vendor = rng.choice(VENDORS)
        reasons = ["+20 phone number verified", "+20 email address"]
        if rng.random() < 0.08:
            reasons.append("-25 email address is not valid")
        lead: dict[str, Any] = {
            "id": lead_id,
            "vendor": vendor,
            "channel": "smtp",
            "fields": {"full_name": f"Person {lead_id}", "email": f"p{lead_id}@example.org"},
            "provenance": {},
            "score": rng.randint(0, 100),
            "grade": grade,
            "reasons": reasons,
            "status": "posted",
            "owner": None,
            "created_at": created,
            "claimed_at": None,
            "first_touch_at": None,
            "closed_at": None,
            "outcome": None,
            "outcome_amount": None,
            "slack_channel": "C0SALES",
            "slack_ts": f"1700000000.{lead_id:06d}",
        }
        lead_events = [("intake", None, created, {}), ("posted", "leadbot", created + timedelta(seconds=2), {})]
        if grade != "C" and rng.random() < 0.7:
            rep = rng.choice(REPS)
            claimed = created + timedelta(seconds=rng.expovariate(1 / 900))
            lead.update(owner=rep, status="claimed", claimed_at=claimed)
            lead_events.append(("claimed", rep, claimed, {}))
            if rng.random() < 0.8:
                touched = claimed + timedelta(seconds=rng.expovariate(1 / 3600))
                lead["first_touch_at"] = touched
                lead_events.append(("follow_up", rep, touched, {"activity": "call", "text": "called"}))
            if rng.random() < 0.5:
                outcome = rng.choices(["won", "lost", "nurture", "disqualified"], weights=(30, 40, 20, 10))[0]
                closed = claimed + timedelta(days=rng.uniform(0, 20))
                amount = round(rng.uniform(500, 50000), 2) if outcome == "won" else None
                lead.update(status="closed", outcome=outcome, outcome_amount=amount, closed_at=closed)
                lead_events.append(("outcome", rep, closed, {"outcome": outcome, "amount": amount}))
        if rng.random() < 0.05:
            lead_events.append(("sla_breach", "leadbot", created + timedelta(minutes=15), {}))
        if rng.random() < 0.03:
            lead_events.append(("duplicate", "leadbot", created, {}))
        leads.append(lead)
        events += [
            {"lead_id": lead_id, "contact_id": None, "kind": kind, "actor": actor, "at": at, "data": data}
            for kind, actor, at, data in lead_events
        ]
    return leads, events


async def bulk_insert(conn: AsyncConnection, table: Table, rows: list[dict[str, Any]]) -> None:
    """One executemany of plain tuples, each value bound exactly as SQLAlchemy binds it (same storage)."""
    dialect = conn.dialect
    columns = [c for c in table.columns if c.name in rows[0]]
    binders = [c.type._cached_bind_processor(dialect) for c in columns]
    names = ", ".join(c.name for c in columns)
    marks = ", ".join("?" for _ in columns)
    values = [
        tuple(bind(row[c.name]) if bind else row[c.name] for c, bind in zip(columns, binders, strict=True))
        for row in rows
    ]
    await conn.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", values)


async def timed(runs: int, work: Callable[[], Awaitable[Any]]) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}")
        await store.migrate()
        now = datetime.now(UTC)
        started = time.perf_counter()
        leads, events = generate(args.leads, now)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        async with store.engine.begin() as conn:
            await bulk_insert(conn, Lead.__table__, leads)
            await bulk_insert(conn, Event.__table__, events)
        inserted = time.perf_counter() - started
        async with store.engine.begin() as conn:
            await conn.exec_driver_sql("ANALYZE")
        print(
            f"database: {args.leads:,} leads, {len(events):,} events (generated {generated:.1f} s, "
            f"bulk-inserted {inserted:.1f} s, SQLite {Path(tmp) / 'bench.db'})"
        )

        print("\n(a) statistics queries (compute_stats)                median    worst")
        for period in PERIODS:
            since = None if period == "all" else now - timedelta(days=int(period[:-1]))
            med, worst = await timed(args.runs, lambda s=since: compute_stats(store.engine, since=s, until=now))
            print(f"    {period:>4}{'':45}{med * 1000:6.0f} ms {worst * 1000:6.0f} ms")

        commands = LeadsCommands(store, Roles(SlackRoles(managers=(BOSS,))))
        print("\n(b) a manager's /leads stats: parse + queries + rendering")
        for period in PERIODS:
            command = parse(f"stats {period}")
            assert isinstance(command, Command)
            med, worst = await timed(args.runs, lambda c=command: commands.run(BOSS, c))
            print(f"    {period:>4}{'':45}{med * 1000:6.0f} ms {worst * 1000:6.0f} ms")

        print("\n(c) over HTTP: signed POST → ack, and → answer at the response_url (Bolt + stand-in)")
        async with SlackStandIn() as slack:
            settings = SlackSettings(
                mode="http",
                bot_token=SecretStr("xoxb-bench"),
                signing_secret=SecretStr(SECRET),
                api_base_url=slack.base_url,
                http_port=0,
                roles=SlackRoles(managers=(BOSS,)),
            )
            runner = SlackRunner(settings, build_slack_app(settings, store, wake_outbox=lambda: None))
            await runner.start()
            url = f"http://127.0.0.1:{runner.port}{EVENTS_PATH}"
            try:
                async with aiohttp.ClientSession() as http:
                    for period in PERIODS:
                        acks, answers = [], []
                        for run in range(args.runs):
                            key = f"{period}-{run}"
                            body = urlencode(
                                {
                                    "command": "/leads",
                                    "text": f"stats {period}",
                                    "user_id": BOSS,
                                    "channel_id": "C0SALES",
                                    "team_id": "T0STANDIN",
                                    "response_url": slack.response_url(key),
                                    "trigger_id": key,
                                }
                            )
                            started = time.perf_counter()
                            async with http.post(url, data=body, headers=signed_headers(SECRET, body)) as response:
                                assert response.status == 200
                            acks.append(time.perf_counter() - started)
                            await slack.wait_for(lambda k=key: any(r.key == k for r in slack.responses), timeout=30)
                            answers.append(time.perf_counter() - started)
                        ack, answer = statistics.median(acks) * 1000, statistics.median(answers) * 1000
                        print(
                            f"    {period:>4}   ack {ack:5.0f} ms (worst {max(acks) * 1000:4.0f})"
                            f"   answer {answer:5.0f} ms (worst {max(answers) * 1000:4.0f})"
                        )
            finally:
                await runner.stop()
        print("\nSlack's ack window is 3000 ms: the ack is sent before any query; the answer follows via respond().")
        await store.close()


if __name__ == "__main__":
    asyncio.run(main())
