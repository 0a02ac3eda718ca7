"""The Slack side assembled as the service assembles it: store, outbox worker, Bolt app, runner, and
optionally chat intake (the real extractor and pipeline) and roles; plus a `Driver` that sends Slack's
requests either way Slack does: signed HTTP to /slack/events, or Socket Mode envelopes."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from unittest import mock
from urllib.parse import urlencode

import aiohttp
import pytest
from pydantic import SecretStr
from slack_bolt.async_app import AsyncApp
from sqlalchemy.pool import QueuePool

import bot.slack.app
from bot.assess.assessor import Assessor, Routing
from bot.assess.scoring import route
from bot.intake.chat import ChatIntake
from bot.intake.pipeline import IntakePipeline
from bot.settings import (
    PrivacySettings,
    RoutingSettings,
    ScoringSettings,
    SlackChannels,
    SlackIntakeSettings,
    SlackRoles,
    SlackSettings,
)
from bot.slack.app import build_slack_app
from bot.slack.poster import SlackCardPoster
from bot.slack.runner import EVENTS_PATH, SlackRunner
from bot.workers.outbox import OutboxWorker
from nlp.extractor import Extractor
from store.db import utcnow
from store.records import LeadRecord
from store.store import Store
from tests.conftest import _create_database, migrated_store
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import form_body, signed_headers
from tests.slack.leads import new_lead

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SALES, NURTURE, INTAKE = "C0SALES", "C0NURTURE", "C0INTAKE"
Mode = Literal["http", "socket"]


#: the (mode, database) combinations the end-to-end tests run in: both modes on SQLite, and Socket Mode
#: (the default) on PostgreSQL — every store operation still runs on both backends, and the suite stays fast
SIDES = [
    pytest.param(("http", "sqlite"), id="http-sqlite"),
    pytest.param(("socket", "sqlite"), id="socket-sqlite"),
    pytest.param(("socket", "postgres"), id="socket-postgres", marks=pytest.mark.postgres),
]


@contextlib.asynccontextmanager
async def side_store(request: pytest.FixtureRequest) -> AsyncIterator[tuple[Mode, Store]]:
    """The mode and a migrated, empty store for a `SIDES` parameter (as tests/conftest.py's ``store``)."""
    mode, backend = request.param
    if backend == "sqlite":
        url = request.getfixturevalue("sqlite_url")
    else:
        url = await _create_database(request.getfixturevalue("postgres_server_url"))
    async with migrated_store(url) as store:
        yield mode, store


class Driver:
    """Sends what Slack sends, in HTTP mode (signed, to the runner's port) or over Socket Mode."""

    def __init__(self, mode: Mode, fake: FakeSlackApi, runner: SlackRunner) -> None:
        self.mode = mode
        self._fake = fake
        self._runner = runner

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._runner.port}{EVENTS_PATH}"

    async def _post(self, body: str, content_type: str) -> dict[str, Any]:
        headers = signed_headers(SIGNING_SECRET, body, content_type=content_type)
        async with aiohttp.ClientSession() as http, http.post(self.url, data=body, headers=headers) as response:
            assert response.status == 200, (response.status, await response.text())
            text = await response.text()
            return json.loads(text) if text.startswith("{") else {}

    async def interactive(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A button click, modal submission or shortcut; returns what the app acked with."""
        if self.mode == "http":
            return await self._post(form_body(payload), "application/x-www-form-urlencoded")
        ack = await self._fake.wait_for_ack(await self._fake.send_interactive(payload))
        return dict(ack.get("payload") or {})

    async def command(self, payload: dict[str, str]) -> dict[str, Any]:
        if self.mode == "http":
            return await self._post(urlencode(payload), "application/x-www-form-urlencoded")
        ack = await self._fake.wait_for_ack(await self._fake.send_slash_command(payload))
        return dict(ack.get("payload") or {})

    async def event(self, callback: dict[str, Any]) -> None:
        if self.mode == "http":
            await self._post(json.dumps(callback), "application/json")
        else:
            await self._fake.wait_for_ack(await self._fake.send_events_api(callback))


@dataclass
class SlackSide:
    store: Store
    fake: FakeSlackApi
    worker: OutboxWorker
    runner: SlackRunner
    driver: Driver

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.runner.port}{EVENTS_PATH}"

    async def posted_lead(self, name: str = "Dana Whitaker", channel: str = "C_SALES") -> LeadRecord:
        """A new lead whose card the outbox has posted to ``channel``."""
        lead = await self.store.leads.add(new_lead(name, post_to=channel))
        self.worker.wake()
        return await self.wait_posted(lead.id)

    async def wait_posted(self, lead_id: int) -> LeadRecord:
        for _ in range(500):
            stored = await self.store.leads.get(lead_id)
            if stored is not None and stored.slack_ts:
                return stored
            await asyncio.sleep(0.01)
        raise AssertionError(f"lead {lead_id} was never posted")

    async def settled(self) -> None:
        """Every queued card post, update, note and DM delivered."""
        await self.worker.drain(timeout=5)

    def card(self, lead: LeadRecord) -> list[dict[str, Any]]:
        message = self.fake.message(str(lead.slack_channel), str(lead.slack_ts))
        assert message is not None
        return message.blocks


def slack_settings(
    fake: FakeSlackApi,
    mode: Mode,
    *,
    roles: SlackRoles | None = None,
    intake: SlackIntakeSettings | None = None,
    channels: SlackChannels | None = None,
) -> SlackSettings:
    return SlackSettings(
        mode=mode,
        bot_token=SecretStr(fake.bot_token),
        app_token=SecretStr(fake.app_token),
        signing_secret=SecretStr(SIGNING_SECRET),
        api_base_url=fake.base_url,
        http_port=0,
        post_interval_seconds=0,
        roles=roles or SlackRoles(),
        intake=intake or SlackIntakeSettings(),
        channels=channels or SlackChannels(),
    )


@contextlib.asynccontextmanager
async def sqlite_slack_side(
    sqlite_url: str, fake: FakeSlackApi, mode: Mode = "http", **options: Any
) -> AsyncIterator[SlackSide]:
    """`running_slack_side` on a fresh SQLite store of its own (one backend suffices for the test)."""
    async with migrated_store(sqlite_url) as store, running_slack_side(store, fake, mode, **options) as running:
        yield running


@contextlib.contextmanager
def _bolt_answering_after_listeners(wanted: bool) -> Iterator[None]:
    """While building the app: Bolt's own ``process_before_response`` (the app module passes no such option)."""
    if not wanted:
        yield
        return
    with mock.patch.object(bot.slack.app, "AsyncApp", functools.partial(AsyncApp, process_before_response=True)):
        yield


@contextlib.asynccontextmanager
async def running_slack_side(
    store: Store,
    fake: FakeSlackApi,
    mode: Mode,
    *,
    extractor: Extractor | None = None,
    roles: SlackRoles | None = None,
    intake: SlackIntakeSettings | None = None,
    clock: Callable[[], datetime] = utcnow,
    privacy: PrivacySettings | None = None,
    routing: RoutingSettings | None = None,
    answer_after_listeners: bool = False,
) -> AsyncIterator[SlackSide]:
    """The Slack side, running. ``answer_after_listeners``: Bolt answers each request (HTTP response, Socket Mode
    ack) only once its listener has returned (`process_before_response`), so that a test can assert that a
    request did nothing as soon as it is answered, with no wait for a listener still running."""
    privacy = privacy or PrivacySettings()
    channels = SlackChannels(sales=SALES, nurture=NURTURE, intake=INTAKE)
    settings = slack_settings(fake, mode, roles=roles, intake=intake, channels=channels)
    chat = None
    if extractor is not None:
        assessor = Assessor(ScoringSettings(), Routing(channels=channels, slack_enabled=True), clock=clock)
        pipeline = IntakePipeline(store, extractor, assessor)
        chat = ChatIntake(store, pipeline, on_cards_queued=lambda: worker.wake(), clock=clock)
    with _bolt_answering_after_listeners(answer_after_listeners):
        app = build_slack_app(
            settings, store, wake_outbox=lambda: worker.wake(), intake=chat, clock=clock, privacy=privacy,
            routing=routing,
        )  # fmt: skip
    worker = OutboxWorker(
        store,
        SlackCardPoster(app.client, mask=privacy.mask_unclaimed),
        min_interval=settings.post_interval_seconds,
        reroute=lambda lead: route(lead.grade, channels),
    )
    runner = SlackRunner(settings, app)
    task = asyncio.create_task(worker.run())
    await runner.start()
    try:
        if mode == "socket":
            await fake.wait_socket_connected()
        yield SlackSide(store, fake, worker, runner, Driver(mode, fake, runner))
    finally:
        await runner.stop()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    # Stopped as `leadbot serve` stops: no listener is left inside a store session (the store is closed next,
    # and a connection still checked out is abandoned to the garbage collector).
    assert checked_out(store) == 0, "a store connection is still checked out after the Slack side stopped"


def checked_out(store: Store) -> int:
    """Connections of the store's pool in use now (its engine's pool is a QueuePool on both backends)."""
    pool = store.engine.pool
    assert isinstance(pool, QueuePool), type(pool)
    return pool.checkedout()
