"""Serving the Bolt app: an aiohttp server for Slack's HTTP requests, or a Socket Mode connection."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp

from bot.settings import SlackSettings

logger = logging.getLogger(__name__)

#: the request URL to configure in the Slack app (Interactivity and Event Subscriptions)
EVENTS_PATH = "/slack/events"


class SlackRunner:
    """Start and stop serving ``app``: mode "http" listens on ``http_host:http_port`` (``port`` is the
    port actually bound, useful with 0), mode "socket" connects to Slack with the app-level token."""

    def __init__(self, settings: SlackSettings, app: AsyncApp) -> None:
        self._settings = settings
        self._app = app
        self._web: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self.port: int = settings.http_port

    async def start(self) -> None:
        if self._settings.mode == "http":
            await self._start_http()
        else:
            await self._start_socket()

    async def stop(self) -> None:
        if self._web is not None:
            await self._web.cleanup()
            self._web = None
        if self._socket is not None:
            await self._socket.close_async()  # type: ignore[no-untyped-call]
            self._socket = None

    async def _start_http(self) -> None:
        server = web.Application()
        server.router.add_post(EVENTS_PATH, self._handle)
        server.router.add_get("/healthz", _healthz)
        runner = web.AppRunner(server, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self._settings.http_host, self._settings.http_port)
        try:
            await site.start()
        except OSError:
            await runner.cleanup()
            raise
        self._web = runner
        address = runner.addresses[0]
        self.port = int(address[1])
        logger.info("Slack HTTP endpoint on http://%s:%d%s", self._settings.http_host, self.port, EVENTS_PATH)

    async def _handle(self, request: web.Request) -> web.Response:
        # Bolt verifies X-Slack-Signature / X-Slack-Request-Timestamp and answers 401 when they are wrong,
        # but raises on some malformed ones (a 500); those are refused here first.
        if malformed_signature(request.headers):
            logger.info("Slack request refused: malformed X-Slack-Signature or X-Slack-Request-Timestamp")
            return web.json_response({"error": "invalid request"}, status=401)
        bolt_response = await self._app.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(bolt_response)

    async def _start_socket(self) -> None:
        token = self._settings.app_token.get_secret_value() if self._settings.app_token else ""
        if not token:
            raise ValueError('mode = "socket" needs [slack] app_token (an xapp- app-level token)')
        handler = AsyncSocketModeHandler(self._app, token)
        await handler.connect_async()  # type: ignore[no-untyped-call]
        self._socket = handler
        logger.info("Slack Socket Mode connected")


def malformed_signature(headers: Mapping[str, str]) -> bool:
    """A timestamp that is not decimal digits or a signature that is not ASCII: nothing Slack sends.

    Bolt's verifier calls ``int(timestamp)`` and ``hmac.compare_digest`` on them as given, which raise
    (ValueError, TypeError) instead of saying no.
    """
    timestamp = headers.get("X-Slack-Request-Timestamp")
    signature = headers.get("X-Slack-Signature")
    if timestamp is not None and not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return True
    return signature is not None and not signature.isascii()


async def _healthz(_request: web.Request) -> web.Response:
    return web.Response(text="ok")
