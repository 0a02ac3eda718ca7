"""Serving the Bolt app: an aiohttp server for Slack's HTTP requests, or a Socket Mode connection.

Socket Mode never holds up the start: the connection is made by a background task that retries with
capped exponential backoff and logs one line per change of state (connected, lost, cannot connect), so
mail keeps coming in and SIGTERM is honoured whatever Slack does (issue 12).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot.settings import SlackSettings
from bot.slack import inflight

if TYPE_CHECKING:  # imported by Socket Mode only: in HTTP mode its clients (3% of a serve's CPU to import) stay out
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

logger = logging.getLogger(__name__)
#: the Socket Mode client's own logger: it logs a traceback for every failed attempt and retries on its own
#: schedule; its records are demoted to DEBUG because the supervisor below reports the state instead
_client_logger = logging.getLogger(__name__ + ".client")

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
        self._supervisor: asyncio.Task[None] | None = None
        self.port: int = settings.http_port
        #: seconds between Socket Mode attempts: doubled after each failure, from the first to the second
        self.backoff: tuple[float, float] = (1.0, 60.0)
        #: one attempt (apps.connections.open + the websocket) gets this long
        self.attempt_timeout = 15.0
        #: seconds Slack gets to answer the Socket Mode close at stop before the connection is dropped
        self.close_timeout = 2.0
        #: seconds the listeners still running at stop get to finish (they are inside store sessions, and the
        #: store closes after the runner)
        self.listener_grace = 5.0
        #: set while the Socket Mode connection is up (tests and health checks wait on it)
        self.connected = asyncio.Event()

    async def start(self) -> None:
        if self._settings.mode == "http":
            await self._start_http()
        else:
            await self._start_socket()

    async def stop(self) -> None:
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
            self._supervisor = None
        if self._web is not None:
            await self._web.cleanup()
            self._web = None
        if self._socket is not None:
            await self._close_socket(self._socket)
            self._socket = None
        await self._let_listeners_finish()

    async def _let_listeners_finish(self) -> None:
        """No request comes in any more; the listeners Bolt still runs (in tasks of their own, after the
        ack) get ``listener_grace`` s to finish their store work before the store is closed."""
        running = inflight.of(self._app)
        if running is None or not len(running):
            return
        try:
            async with asyncio.timeout(self.listener_grace):
                await running.wait()
        except TimeoutError:
            logger.warning("%d Slack listener(s) still running after %g s at stop; leaving them", len(running),
                           self.listener_grace)

    async def _close_socket(self, handler: AsyncSocketModeHandler) -> None:
        """Close Socket Mode. A Slack that does not answer the close handshake (a half-open connection) gets
        ``close_timeout`` s, then the connection is dropped: aiohttp would wait 10 s, holding up SIGTERM."""
        try:
            async with asyncio.timeout(self.close_timeout):
                await handler.close_async()  # type: ignore[no-untyped-call]
        except TimeoutError:
            logger.info("Slack did not answer the Socket Mode close within %g s; dropping the connection",
                        self.close_timeout)
            client = handler.client
            for task in (client.message_processor, client.current_session_monitor, client.message_receiver):
                if task is not None:
                    task.cancel()
            if client.aiohttp_client_session is not None:
                await client.aiohttp_client_session.close()

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
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        handler = AsyncSocketModeHandler(self._app, token, logger=_client_logger)
        # Reconnecting is the supervisor's job (with backoff): the client's own loop retries every
        # ping interval forever and cannot be told to give up.
        handler.client.default_auto_reconnect_enabled = False
        self._socket = handler
        self._supervisor = asyncio.create_task(self._supervise(handler), name="slack-socket-mode")

    async def _supervise(self, handler: AsyncSocketModeHandler) -> None:
        """Keep the Socket Mode connection up until cancelled; one log line per change of state."""
        client = handler.client
        first, cap = self.backoff
        delay = first
        state = "starting"
        while True:
            if await client.is_connected():
                if state != "connected":
                    logger.info("Slack Socket Mode connected")
                    state, delay = "connected", first
                    self.connected.set()
                await asyncio.sleep(min(1.0, client.ping_interval))
                continue
            self.connected.clear()
            if state == "connected":
                logger.warning("Slack Socket Mode connection lost; reconnecting")
                state = "lost"
            try:
                async with asyncio.timeout(self.attempt_timeout):
                    client.wss_uri = await client.issue_new_wss_url()
                    await client.connect()  # type: ignore[no-untyped-call]
                continue
            except Exception as exc:  # any failure to reach Slack is retried, never fatal
                reason = _reason(exc)
            if state != "failing":
                logger.warning(
                    "Slack Socket Mode cannot connect (%s); retrying in %.0f s, backing off up to %.0f s "
                    "(mail intake goes on)", reason, delay, cap,
                )
                state = "failing"
            else:
                logger.debug("Slack Socket Mode still unreachable (%s); retrying in %.0f s", reason, delay)
            await asyncio.sleep(delay)
            delay = min(cap, delay * 2)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}"[:200] if text else type(exc).__name__


class _Demote(logging.Filter):
    """The Socket Mode client's records, at DEBUG and without their tracebacks."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not logging.getLogger(record.name).isEnabledFor(logging.DEBUG):
            return False
        record.levelno, record.levelname, record.exc_info, record.exc_text = logging.DEBUG, "DEBUG", None, None
        return True


_client_logger.addFilter(_Demote())


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
