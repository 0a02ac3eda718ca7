"""Stopping Socket Mode: when Slack no longer answers, the runner gives the close handshake a moment, then drops
the connection, so SIGTERM stops the service within seconds (issue 12) instead of aiohttp's 10 s close wait;
listeners still running get a bounded grace to finish their store work before the store closes."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Awaitable, Callable

import pytest
from aiohttp import web
from pydantic import SecretStr
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import text

from bot.settings import SlackSettings
from bot.slack import inflight
from bot.slack.runner import SlackRunner
from bot.slack.standin import APP_ID, SlackStandIn
from tests.conftest import migrated_store
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import slash_command
from tests.slack.service import checked_out


class Unanswering(SlackStandIn):
    """Says hello over Socket Mode, then reads nothing more: a close frame is never answered."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self.socket_connections += 1
        await ws.send_str(json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": APP_ID}}))
        await self.release.wait()
        return ws


async def test_stopping_socket_mode_does_not_wait_for_a_slack_that_does_not_answer() -> None:
    slack = Unanswering()
    await slack.start()
    try:
        settings = SlackSettings(mode="socket", bot_token=SecretStr("xoxb-1"), app_token=SecretStr("xapp-1"),
                                 api_base_url=slack.base_url)
        app = AsyncApp(client=AsyncWebClient(token="xoxb-1", base_url=slack.base_url),
                       request_verification_enabled=False)
        runner = SlackRunner(settings, app)
        await runner.start()
        await asyncio.wait_for(runner.connected.wait(), 30)
        began = time.monotonic()
        await runner.stop()
        took = time.monotonic() - began
    finally:
        slack.release.set()
        await slack.close()
    assert took < runner.close_timeout + 2, f"stop took {took:.1f} s"



async def command_running(
    slack_api: FakeSlackApi, listener: Callable[[AsyncAck], Awaitable[None]]
) -> tuple[SlackRunner, inflight.InFlight]:
    """A Socket Mode runner whose tracked app runs ``listener`` for ``/leads``; one command sent to it."""
    app = AsyncApp(client=AsyncWebClient(token=slack_api.bot_token, base_url=slack_api.base_url),
                   request_verification_enabled=False)
    registering, running = inflight.track(app)
    registering.command("/leads")(listener)
    settings = SlackSettings(mode="socket", bot_token=SecretStr(slack_api.bot_token),
                             app_token=SecretStr(slack_api.app_token), api_base_url=slack_api.base_url)
    runner = SlackRunner(settings, app)
    await runner.start()
    await slack_api.wait_socket_connected()
    await slack_api.send_slash_command(slash_command("", user_id="U0REP0001", channel="C0SALES",
                                                     response_url=slack_api.response_url("r")))
    return runner, running


async def test_stop_lets_a_running_listener_finish_its_store_work(slack_api: FakeSlackApi, sqlite_url: str) -> None:
    """Bolt acks a command and runs its listener in a task of its own: a stop that only hangs up abandons the
    listener inside its store session, and the store, closed next, leaves the connection to the garbage
    collector. The runner lets listeners still running finish (bounded by ``listener_grace``)."""
    async with migrated_store(sqlite_url) as store:
        entered, finished = asyncio.Event(), asyncio.Event()

        async def slow(ack: AsyncAck) -> None:
            await ack()
            async with store.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
                entered.set()
                # still at work when Slack's connection is gone (the stop has begun)
                await slack_api.wait_for(lambda: slack_api.open_sockets == 0, what="the connection closed")
                await connection.execute(text("SELECT 2"))
            finished.set()

        runner, _ = await command_running(slack_api, slow)
        try:
            async with asyncio.timeout(10):  # bounds a failure only
                await entered.wait()
            assert checked_out(store) == 1
        finally:
            await runner.stop()
        assert finished.is_set(), "the stop returned while the listener was still at work"
        assert checked_out(store) == 0


async def test_a_listener_that_never_finishes_holds_the_stop_only_for_the_grace(
    slack_api: FakeSlackApi, caplog: pytest.LogCaptureFixture
) -> None:
    entered, release = asyncio.Event(), asyncio.Event()

    async def stuck(ack: AsyncAck) -> None:
        await ack()
        entered.set()
        await release.wait()

    runner, running = await command_running(slack_api, stuck)
    runner.listener_grace = 0.3
    try:
        async with asyncio.timeout(10):  # bounds a failure only
            await entered.wait()
    finally:
        began = time.monotonic()
        await runner.stop()
        took = time.monotonic() - began
        release.set()
    assert took < runner.close_timeout + runner.listener_grace + 2, f"stop took {took:.1f} s"
    assert "1 Slack listener(s) still running after 0.3 s at stop" in caplog.text
    async with asyncio.timeout(10):
        await running.wait()  # released: it returns
    assert len(running) == 0
