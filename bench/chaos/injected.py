"""In-process scenarios on an injected clock: the real OutboxWorker and SlackCardPoster against the stand-in,
Slack unreachable for hours (``outage``) or answering 429 and 5xx for a minute (``flaky``)."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bench.chaos.common import ALERTS, BOT_TOKEN, FIRST, LAST, NURTURE, SALES, ChaosSlack, Result, failing
from bot.slack.poster import SlackCardPoster
from bot.slack.standin.server import _Failure
from bot.workers.outbox import OutboxWorker
from store.records import NewLead
from store.store import Store

Plan = Callable[["Clock", datetime], Callable[[str, int], _Failure | None]]


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=max(seconds, 0.001))
        await asyncio.sleep(0)


def new_lead(i: int, channel: str) -> NewLead:
    name = f"{FIRST[i % 10]} {LAST[(i // 10) % 10]}"
    email = f"{name.lower().replace(' ', '.')}.{i}@mailbox.example"
    return NewLead(vendor="Chaos", channel="smtp", fields={"full_name": name, "email": email}, provenance={},
                   score=80, grade="A", reasons=(), post_to=channel, contact_email=email)


def make_worker(store: Store, slack: ChaosSlack, clock: Clock, **options: Any) -> OutboxWorker:
    poster = SlackCardPoster(AsyncWebClient(token=BOT_TOKEN, base_url=slack.base_url))
    known = inspect.signature(OutboxWorker).parameters  # the suite also measures older workers
    extra = {k: v for k, v in {"alerts": ALERTS, **options}.items() if k in known}
    return OutboxWorker(store, poster, clock=clock, sleep=clock.sleep, min_interval=1.0, **extra)


async def in_process(name: str, cards: int, plan: Plan, fault_seconds: float, folder: Path) -> Result:
    clock = Clock()
    start = clock.now
    store = Store.open(f"sqlite+aiosqlite:///{folder / (name + '.db')}", clock=clock)
    await store.migrate()
    try:
        async with ChaosSlack() as slack:
            slack.fault = plan(clock, start)
            worker = make_worker(store, slack, clock)
            leads = [await store.leads.add(new_lead(i, SALES if i % 2 else NURTURE)) for i in range(cards // 2)]
            await worker.drain(timeout=fault_seconds / 2)  # half the cards arrive during the fault
            leads += [await store.leads.add(new_lead(i, SALES if i % 2 else NURTURE)) for i in range(cards // 2, cards)]
            await worker.drain(timeout=fault_seconds * 2 + 3600)
            drained = (clock.now - start).total_seconds() - fault_seconds
            counts = slack.card_counts()
            lost = sum(1 for lead in leads if counts[lead.id] == 0)
            duplicated = sum(n - 1 for n in counts.values() if n > 1)
            dead = len(await store.outbox.dead()) if hasattr(store.outbox, "dead") else 0
            calls = len(slack.calls("chat.postMessage"))
            return Result(name, len(leads), len(leads), sum(counts.values()), lost, duplicated, max(drained, 0.0),
                          f"(injected clock; {calls} post calls, {dead} dead)")
    finally:
        await store.close()


def outage_plan(hours: float) -> Plan:
    def plan(clock: Clock, start: datetime) -> Callable[[str, int], _Failure | None]:
        end = start + timedelta(hours=hours)
        return lambda method, n: failing(503) if method == "chat.postMessage" and clock.now < end else None
    return plan


def flaky_plan(clock: Clock, start: datetime) -> Callable[[str, int], _Failure | None]:
    end = start + timedelta(minutes=1)

    def fault(method: str, n: int) -> _Failure | None:
        if method != "chat.postMessage" or clock.now >= end:
            return None
        if n <= 3:
            return failing(429, retry_after=5)
        return failing(500 if n % 4 == 0 else 503) if n % 2 == 0 else None
    return fault
