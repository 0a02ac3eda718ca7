"""Stopping Socket Mode when Slack no longer answers: the runner gives the close handshake a moment, then drops
the connection, so SIGTERM stops the service within seconds (issue 12) instead of aiohttp's 10 s close wait."""

from __future__ import annotations

import asyncio
import json
import time

from aiohttp import web
from pydantic import SecretStr
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import SlackSettings
from bot.slack.runner import SlackRunner
from bot.slack.standin import APP_ID, SlackStandIn


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
