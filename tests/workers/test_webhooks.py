"""bot/workers/webhooks.py: lead events POSTed, signed, in order, to a real HTTP receiver on 127.0.0.1;
retried from the database after a failure (also across a restart); a dead receiver holds up no other;
two instances never both deliver one event."""

from __future__ import annotations

import asyncio
import io
import json
import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from pydantic import SecretStr, ValidationError

from bot.service import Service
from bot.settings import load_settings
from bot.settings.webhooks import OutboundWebhook, WebhooksSettings
from bot.workers.webhooks import (
    DELIVERY_HEADER,
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    WebhookWorker,
    sign,
    verify_signature,
)
from nlp.extractor import Extractor
from store.store import Store
from tests.conftest import migrated_store
from tests.store.helpers import new_lead

SECRET = "receiver-secret-0123456789"


def allow(_lead: object, _actor: str) -> None:
    return None


@dataclass
class Received:
    delivery: str
    kind: str
    body: dict[str, Any]


@dataclass
class Receiver:
    """A CRM's endpoint: checks every signature, answers ``status`` (200 unless told otherwise)."""

    url: str = ""
    status: int = 200
    delay: float = 0.0
    got: list[Received] = field(default_factory=list)
    bad_signatures: int = 0
    #: set when ``expected`` deliveries have arrived
    expected: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        if not verify_signature(SECRET, request.headers, body):
            self.bad_signatures += 1
            return web.Response(status=401)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.status == 200:
            self.got.append(Received(request.headers[DELIVERY_HEADER], request.headers[EVENT_HEADER], json.loads(body)))
            if len(self.got) >= self.expected:
                self.arrived.set()
        return web.Response(status=self.status)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver()
    app = web.Application()
    app.router.add_post("/hook", found.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    found.url = f"http://127.0.0.1:{port}/hook"
    try:
        yield found
    finally:
        await runner.cleanup()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def settings(**receivers: str) -> WebhooksSettings:
    return WebhooksSettings(
        outbound={
            name: OutboundWebhook(url=url, secret=SecretStr(SECRET), events=("claimed", "follow_up", "outcome"))
            for name, url in receivers.items()
        },
        settle_seconds=0,
    )


async def work_a_lead(store: Store, email: str = "ada@park.test") -> int:
    lead = await store.leads.add(new_lead(email, post_to=None))
    await store.leads.claim(lead.id, "U0REP1")
    await store.leads.log_activity(lead.id, "U0REP1", "call", "left a voicemail", check=allow)
    await store.leads.set_outcome(lead.id, "U0REP1", "won", amount=2500.0, check=allow)
    return lead.id


async def test_events_arrive_signed_and_in_order(store: Store, receiver: Receiver) -> None:
    worker = WebhookWorker(store, settings(crm=receiver.url))
    await worker.prepare()  # a new receiver starts after the newest event
    first = await work_a_lead(store)
    second = await work_a_lead(store, "bo@park.test")
    try:
        assert await worker.run_once("crm") == 6
    finally:
        await worker.close()
    assert receiver.bad_signatures == 0
    assert [(r.body["lead"]["id"], r.kind) for r in receiver.got] == [
        (lead, kind) for lead in (first, second) for kind in ("claimed", "follow_up", "outcome")
    ]
    claimed, touched, outcome = receiver.got[:3]
    assert claimed.delivery == f"crm-{claimed.body['event']['id']}" == claimed.body["delivery"]
    assert touched.body["event"]["data"] == {"activity": "call", "text": "left a voicemail"}
    assert outcome.body["event"]["data"]["amount"] == 2500.0 and outcome.body["lead"]["outcome"] == "won"
    assert claimed.body["lead"]["owner"] == "U0REP1" and claimed.body["lead"]["fields"]["email"] == "ada@park.test"
    (state,) = await store.webhooks.states()
    assert state.delivered == 6 and state.attempts == 0 and state.lease_owner is None


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now


async def test_a_failed_delivery_is_retried_from_the_database_after_a_restart(
    store_url: str, receiver: Receiver
) -> None:
    clock = Clock()
    async with migrated_store(store_url, clock=clock) as store:
        worker = WebhookWorker(store, settings(crm=receiver.url), clock=clock)
        await worker.prepare()
        lead = await work_a_lead(store)
        receiver.status = 503
        try:
            assert await worker.run_once("crm") == 0
            assert await worker.run_once("crm") == 0  # backing off: not even tried
        finally:
            await worker.close()
        (state,) = await store.webhooks.states()
        assert state.attempts == 1 and state.last_error == "HTTP 503"
        assert state.next_attempt_at == clock.now + timedelta(seconds=5)

    receiver.status = 200
    clock.now += timedelta(seconds=6)
    async with migrated_store(store_url, clock=clock) as store:  # a new process: only the database remembers
        restarted = WebhookWorker(store, settings(crm=receiver.url), clock=clock)
        await restarted.prepare()
        try:
            assert await restarted.run_once("crm") == 3
        finally:
            await restarted.close()
        (state,) = await store.webhooks.states()
    assert [(r.body["lead"]["id"], r.kind) for r in receiver.got] == [
        (lead, "claimed"), (lead, "follow_up"), (lead, "outcome")
    ]
    assert state.attempts == 0 and state.last_error is None


async def test_backoff_doubles_up_to_the_cap(sqlite_url: str) -> None:
    clock = Clock()
    hooks = settings(down=f"http://127.0.0.1:{closed_port()}/hook")
    hooks = hooks.model_copy(update={"max_backoff_seconds": 15.0})
    async with migrated_store(sqlite_url, clock=clock) as store:
        worker = WebhookWorker(store, hooks, clock=clock)
        await worker.prepare()
        await work_a_lead(store)
        waits = []
        try:
            for _ in range(4):
                await worker.run_once("down")
                (state,) = await store.webhooks.states()
                waits.append((state.next_attempt_at - clock.now).total_seconds())
                clock.now = state.next_attempt_at
        finally:
            await worker.close()
    assert waits == [5.0, 10.0, 15.0, 15.0]
    assert state.delivered == 0 and state.attempts == 4


async def test_a_dead_receiver_holds_up_no_other(sqlite_store: Store, receiver: Receiver) -> None:
    worker = WebhookWorker(sqlite_store, settings(dead=f"http://127.0.0.1:{closed_port()}/hook", crm=receiver.url))
    await worker.prepare()
    await work_a_lead(sqlite_store)
    receiver.expected = 3
    task = asyncio.create_task(worker.run())
    try:
        await asyncio.wait_for(receiver.arrived.wait(), timeout=10)
        async with asyncio.timeout(10):  # the cursors are written just after the answers
            while True:
                states = {s.name: s for s in await sqlite_store.webhooks.states()}
                if states["crm"].delivered == 3 and states["dead"].attempts:
                    break
                await asyncio.sleep(0.02)
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    assert [r.kind for r in receiver.got] == ["claimed", "follow_up", "outcome"]
    assert states["crm"].delivered == 3 and states["dead"].delivered == 0
    assert "ClientConnectorError" in (states["dead"].last_error or "")


async def test_two_instances_never_both_deliver_an_event(store: Store, receiver: Receiver) -> None:
    receiver.delay = 0.02
    workers = [WebhookWorker(store, settings(crm=receiver.url), instance=f"i{n}") for n in range(2)]
    for worker in workers:
        await worker.prepare()
    for n in range(4):
        await work_a_lead(store, f"p{n}@park.test")
    try:
        await asyncio.gather(*(w.run_once("crm") for w in workers))
        while sum([await w.run_once("crm") for w in workers]):
            pass
    finally:
        for worker in workers:
            await worker.close()
    deliveries = [r.delivery for r in receiver.got]
    assert len(deliveries) == len(set(deliveries)) == 12
    assert deliveries == sorted(deliveries, key=lambda d: int(d.rsplit("-", 1)[1]))


async def test_a_receiver_may_ask_for_the_whole_history(sqlite_store: Store, receiver: Receiver) -> None:
    await work_a_lead(sqlite_store)
    hooks = WebhooksSettings(
        outbound={"crm": OutboundWebhook(url=receiver.url, secret=SecretStr(SECRET), events=("intake",), start="all")}
    )
    worker = WebhookWorker(sqlite_store, hooks)
    await worker.prepare()
    try:
        assert await worker.run_once("crm") == 1
    finally:
        await worker.close()
    assert [r.kind for r in receiver.got] == ["intake"]


def test_the_signature_covers_the_timestamp_and_the_body() -> None:
    body = b'{"delivery":"crm-1"}'
    headers = {TIMESTAMP_HEADER: "1764489600", SIGNATURE_HEADER: sign(SECRET, 1764489600, body)}
    assert verify_signature(SECRET, headers, body, now=1764489600 + 10)
    assert not verify_signature(SECRET, headers, body + b" ", now=1764489600)
    assert not verify_signature("another-secret-0123456789", headers, body, now=1764489600)
    assert not verify_signature(SECRET, headers, body, now=1764489600 + 3600)  # a replay, an hour later
    assert not verify_signature(SECRET, {**headers, TIMESTAMP_HEADER: "1764489601"}, body, now=1764489600)
    assert not verify_signature(SECRET, {}, body)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"events": ("claimed", "signed")}, "unknown event 'signed'"),
        ({"secret": SecretStr("short")}, "at least 16 characters"),
        ({"url": "ftp://crm.example/hook"}, "not an http(s) URL"),
    ],
)
def test_receiver_settings_are_checked(changes: dict[str, Any], message: str) -> None:
    values: dict[str, Any] = {"url": "https://crm.example/hook", "secret": SecretStr(SECRET), **changes}
    with pytest.raises(ValidationError, match=re.escape(message)):
        OutboundWebhook(**values)


def test_a_receiver_from_the_file_with_its_secret_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "leadbot.toml"
    path.write_text('[webhooks.outbound.crm]\nurl = "https://crm.example/hook"\nevents = ["claimed", "outcome"]\n')
    monkeypatch.setenv("LEADBOT_WEBHOOKS__OUTBOUND__CRM__SECRET", SECRET)
    crm = load_settings(path).webhooks.outbound["crm"]
    assert (crm.url, crm.events, crm.secret.get_secret_value(), crm.start) == (
        "https://crm.example/hook", ("claimed", "outcome"), SECRET, "new"
    )


async def test_leadbot_serve_runs_the_receivers(tmp_path: Path, receiver: Receiver) -> None:
    """The composition root starts the worker for the receivers in the settings."""
    settings = load_settings(None, overrides={
        "smtp.port": 0,
        "store.url": f"sqlite+aiosqlite:///{tmp_path / 'leadbot.db'}",
        "intake.read_processes": 0,
        "webhooks.poll_seconds": 0.05,
        "webhooks.outbound": {"crm": {"url": receiver.url, "secret": SECRET, "events": ["claimed"]}},
    })
    service = Service(settings, extractor=Extractor(), console=io.StringIO())
    await service.start()
    try:
        for _ in range(500):  # the receiver's row is made when the worker starts (its cursor: the newest event)
            if await service.store.webhooks.states():
                break
            await asyncio.sleep(0.02)
        receiver.expected = 1
        lead = await service.store.leads.add(new_lead(post_to=None))
        await service.store.leads.claim(lead.id, "U0REP1")
        await asyncio.wait_for(receiver.arrived.wait(), timeout=10)
    finally:
        await service.stop()
    assert [(r.kind, r.body["lead"]["id"]) for r in receiver.got] == [("claimed", lead.id)]
