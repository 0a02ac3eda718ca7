"""The stand-in server: the Slack Web API and the Socket Mode websocket on a free loopback port.

Every call is recorded (method, params, headers, the status answered); messages are kept per channel,
and ``chat.update`` edits them, so a test asserts what a rep would see. Failures are programmable
(``fail``). Messages, modals and Home tabs pass `bot.slack.standin.checks` or are refused as Slack would.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self

from aiohttp import WSMsgType, web

from bot.slack.standin.checks import check_message, check_view, message_blocks
from bot.slack.standin.signed import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID

_APP_TOKEN_METHODS = frozenset({"apps.connections.open"})


@dataclass
class ApiCall:
    method: str
    params: dict[str, Any]
    headers: dict[str, str]
    #: the HTTP status the stand-in answered
    status: int = 200
    #: the Slack error code answered ("" when ok)
    error: str = ""
    at: float = field(default_factory=time.monotonic)

    @property
    def ok(self) -> bool:
        return self.status == 200 and not self.error


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[dict[str, Any]]
    user: str = BOT_USER_ID
    #: how many times chat.update edited it
    edits: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)
    #: the ts of the thread's parent, for a reply in a thread
    thread_ts: str | None = None
    #: chat.postMessage's ``metadata`` ({"event_type": …, "event_payload": {…}}), if it was given
    metadata: dict[str, Any] | None = None


@dataclass
class Response:
    """What an app posted to a ``response_url`` (the answer to a slash command or a button)."""

    key: str
    body: dict[str, Any]
    #: why Slack would have refused it (Block Kit limits); None when it would be shown
    problem: str | None = None

    @property
    def text(self) -> str:
        return str(self.body.get("text") or "")

    @property
    def ephemeral(self) -> bool:
        return bool(self.body.get("response_type", "ephemeral") != "in_channel")


@dataclass
class Ephemeral:
    channel: str
    user: str
    text: str
    blocks: list[dict[str, Any]]
    message_ts: str


class CallLog(list[ApiCall]):
    """Every Web API call, in order; ``calls("chat.update")`` filters by method."""

    def __call__(self, method: str | None = None, *, ok_only: bool = False) -> list[ApiCall]:
        return [c for c in self if (method is None or c.method == method) and (c.ok or not ok_only)]


@dataclass
class _Failure:
    method: str
    remaining: int
    status: int
    error: str
    retry_after: float | None


class SlackStandIn:
    """The stand-in server: ``async with SlackStandIn() as slack``, or ``await start()`` / ``await close()``.

    With ``bot_token`` / ``app_token`` given, only those tokens are accepted (``invalid_auth`` otherwise);
    without, any token of the right kind (``xoxb-``/``xoxp-``; ``xapp-`` for apps.connections.open).
    """

    def __init__(
        self,
        *,
        bot_token: str | None = None,
        app_token: str | None = None,
        team_id: str = TEAM_ID,
        bot_user_id: str = BOT_USER_ID,
        port: int = 0,
    ) -> None:
        self.bot_token = bot_token
        self.app_token = app_token
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        #: the port to listen on (0: a free one, chosen at start); a fixed one lets Slack "come back" there
        self.port = port
        self.calls = CallLog()
        self.messages: dict[str, list[Message]] = {}
        self.ephemerals: list[Ephemeral] = []
        self.views: list[dict[str, Any]] = []
        self.users: dict[str, dict[str, Any]] = {}
        #: user group id -> member user ids (usergroups.users.list)
        self.user_groups: dict[str, list[str]] = {}
        #: user id -> the App Home view last published for them (views.publish)
        self.home_views: dict[str, dict[str, Any]] = {}
        #: user id -> the DM channel conversations.open gave them
        self.dm_channels: dict[str, str] = {}
        #: everything posted to a response_url, in order
        self.responses: list[Response] = []
        #: every frame an app sent back over Socket Mode (acks: {"envelope_id": …, "payload": …})
        self.socket_acks: list[dict[str, Any]] = []
        self.socket_connections = 0
        self._failures: list[_Failure] = []
        self._ts = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None

    # ---- lifecycle ---------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """What to pass as ``AsyncWebClient(base_url=…)`` / ``[slack] api_base_url``."""
        return f"http://127.0.0.1:{self.port}/api/"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/socket-mode/link", self._websocket)
        app.router.add_post("/respond/{key}", self._respond)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def close(self) -> None:
        for ws in list(self._sockets):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ---- programming it ----------------------------------------------------------------------------

    def fail(
        self,
        method: str,
        *,
        status: int = 500,
        times: int = 1,
        error: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Answer the next ``times`` calls of ``method`` with a failure instead of doing them.

        ``status=429`` answers Slack's rate limit (``Retry-After: retry_after``, default 1, and
        ``{"ok": false, "error": "ratelimited"}``); 5xx answers an HTML error page as Slack's edge does;
        ``status=200, error="channel_not_found"`` answers a Slack error. Rules queue up in order.
        """
        if status == 429:
            error = error or "ratelimited"
            retry_after = 1 if retry_after is None else retry_after
        self._failures.append(_Failure(method, times, status, error or "", retry_after))

    def add_user(self, user_id: str, *, name: str | None = None, real_name: str | None = None) -> dict[str, Any]:
        name = name or user_id.lower()
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "deleted": False,
            "real_name": real_name or name.title(),
            "tz": "America/New_York",
            "is_bot": False,
            "is_app_user": False,
            "profile": {"display_name": name, "real_name": real_name or name.title()},
        }
        self.users[user_id] = user
        return user

    def response_url(self, key: str | None = None) -> str:
        """A ``response_url`` served here: what the app posts to it lands in ``responses``."""
        return f"http://127.0.0.1:{self.port}/respond/{key or uuid.uuid4().hex[:12]}"

    # ---- reading what happened ---------------------------------------------------------------------

    def channel_messages(self, channel: str) -> list[Message]:
        return list(self.messages.get(channel, ()))

    def message(self, channel: str, ts: str) -> Message | None:
        return next((m for m in self.messages.get(channel, ()) if m.ts == ts), None)

    async def wait_for(self, predicate: Callable[[], bool], *, timeout: float = 30.0, what: str = "") -> None:  # noqa: ASYNC109
        """Wait until ``predicate()`` holds (checked after every call and socket frame). It returns as soon as it
        holds; ``timeout`` only bounds a failure, generously, because the first read of a run warms the reader
        (seconds on a loaded machine)."""
        try:
            async with asyncio.timeout(timeout):
                async with self._changed:
                    await self._changed.wait_for(predicate)
        except TimeoutError:
            raise AssertionError(f"fake Slack: timed out after {timeout} s waiting for {what or predicate}") from None

    # ---- Socket Mode -------------------------------------------------------------------------------

    @property
    def open_sockets(self) -> int:
        """Socket Mode connections open now (one closes when the app hangs up)."""
        return len(self._sockets)

    async def wait_socket_connected(self, *, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """``timeout`` only bounds a failure: a loaded machine took over 5 s to open the connection."""
        await self.wait_for(lambda: bool(self._sockets), timeout=timeout, what="a Socket Mode connection")

    async def send_envelope(
        self, kind: str, payload: dict[str, Any], *, accepts_response_payload: bool = False, **extra: Any
    ) -> str:
        """Send a Socket Mode envelope (``events_api``, ``interactive``, ``slash_commands``); returns its id."""
        if not self._sockets:
            raise AssertionError("no Socket Mode connection to send on")
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "payload": payload,
            "type": kind,
            "accepts_response_payload": accepts_response_payload,
            **extra,
        }
        await self._sockets[-1].send_str(json.dumps(envelope))
        return envelope_id

    async def send_interactive(self, payload: dict[str, Any]) -> str:
        return await self.send_envelope("interactive", payload)

    async def send_events_api(self, event_callback: dict[str, Any]) -> str:
        return await self.send_envelope("events_api", event_callback, retry_attempt=0, retry_reason="")

    async def send_slash_command(self, payload: dict[str, Any]) -> str:
        return await self.send_envelope("slash_commands", payload, accepts_response_payload=True)

    async def send_disconnect(self, reason: str = "refresh_requested") -> None:
        frame = {"type": "disconnect", "reason": reason, "debug_info": {"host": "fake-applink"}}
        for ws in list(self._sockets):
            await ws.send_str(json.dumps(frame))

    async def wait_for_ack(self, envelope_id: str, *, timeout: float = 5.0) -> dict[str, Any]:  # noqa: ASYNC109
        def acked() -> bool:
            return any(a.get("envelope_id") == envelope_id for a in self.socket_acks)

        await self.wait_for(acked, timeout=timeout, what=f"the ack of envelope {envelope_id}")
        return next(a for a in self.socket_acks if a.get("envelope_id") == envelope_id)

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        self.socket_connections += 1
        hello = {
            "type": "hello",
            "num_connections": len(self._sockets),
            "debug_info": {"host": "fake-applink", "build_number": 1, "approximate_connection_time": 18060},
            "connection_info": {"app_id": APP_ID},
        }
        await ws.send_str(json.dumps(hello))
        await self._notify()
        try:
            async for frame in ws:
                if frame.type == WSMsgType.TEXT:
                    self.socket_acks.append(json.loads(frame.data))
                    await self._notify()
        finally:
            self._sockets.remove(ws)
            await self._notify()
        return ws

    # ---- response_url ------------------------------------------------------------------------------

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        body = body if isinstance(body, dict) else {}
        problem = check_message(body)
        self.responses.append(Response(request.match_info["key"], body, problem))
        await self._notify()
        # Slack answers a response_url post it refuses with 400 and the error as plain text
        return web.Response(text=problem, status=400) if problem else web.Response(text="ok")

    # ---- the Web API -------------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await _read_params(request)
        call = ApiCall(method=method, params=params, headers=dict(request.headers))
        self.calls.append(call)
        try:
            return self._answer(call)
        finally:
            await self._notify()

    def _answer(self, call: ApiCall) -> web.Response:
        failure = self._take_failure(call.method)
        if failure is not None:
            call.status, call.error = failure.status, failure.error
            if failure.status == 429:
                headers = {"Retry-After": _seconds(failure.retry_after or 1)}
                return web.json_response({"ok": False, "error": failure.error}, status=429, headers=headers)
            if failure.status >= 500:
                return web.Response(
                    status=failure.status,
                    text="<html><body>Internal Server Error</body></html>",
                    content_type="text/html",
                )
            return web.json_response({"ok": False, "error": failure.error}, status=failure.status)

        token = _token(call)
        wants_app_token = call.method in _APP_TOKEN_METHODS
        if not token:
            return self._error(call, "not_authed")
        if token.startswith("xapp-") != wants_app_token:
            return self._error(call, "not_allowed_token_type")
        expected = self.app_token if wants_app_token else self.bot_token
        if (expected is not None and token != expected) or not token.startswith(("xoxb-", "xoxp-", "xapp-")):
            return self._error(call, "invalid_auth")

        handler = getattr(self, "_m_" + call.method.replace(".", "_"), None)
        if handler is None:
            return self._error(call, "unknown_method")
        result: dict[str, Any] | str = handler(call.params)
        if isinstance(result, str):
            return self._error(call, result)
        return web.json_response({"ok": True, **result})

    def _error(self, call: ApiCall, error: str) -> web.Response:
        call.error = error
        return web.json_response({"ok": False, "error": error})

    def _take_failure(self, method: str) -> _Failure | None:
        for failure in self._failures:
            if failure.method == method and failure.remaining > 0:
                failure.remaining -= 1
                return failure
        return None

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def _next_ts(self) -> str:
        return f"1700000000.{next(self._ts):06d}"

    # Each _m_<method> returns the response fields, or an error code.

    def _m_auth_test(self, _params: dict[str, Any]) -> dict[str, Any] | str:
        return {
            "url": "https://fake.slack.test/",
            "team": "Fake Workspace",
            "user": "leadbot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _m_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any] | str:
        channel = str(params.get("channel") or "")
        if not channel:
            return "channel_not_found"
        problem = check_message(params)
        if problem:
            return problem
        thread_ts = str(params["thread_ts"]) if params.get("thread_ts") else None
        message = Message(channel, self._next_ts(), str(params.get("text") or ""), message_blocks(params))
        message.thread_ts = thread_ts
        message.metadata = _metadata(params.get("metadata"))
        self.messages.setdefault(channel, []).append(message)
        return {"channel": channel, "ts": message.ts, "message": self._message_json(message)}

    def _m_chat_update(self, params: dict[str, Any]) -> dict[str, Any] | str:
        channel, ts = str(params.get("channel") or ""), str(params.get("ts") or "")
        if channel not in self.messages:
            return "channel_not_found"
        message = self.message(channel, ts)
        if message is None:
            return "message_not_found"
        problem = check_message(params)
        if problem:
            return problem
        message.history.append({"text": message.text, "blocks": message.blocks})
        message.text = str(params.get("text") or "")
        message.blocks = message_blocks(params)
        message.edits += 1
        return {"channel": channel, "ts": ts, "text": message.text, "message": self._message_json(message)}

    def _m_conversations_history(self, params: dict[str, Any]) -> dict[str, Any] | str:
        """Newest first, ``oldest``/``limit`` honoured, paged as Slack pages (``has_more``, and a
        ``next_cursor`` to pass as ``cursor``); metadata only with include_all_metadata."""
        channel = str(params.get("channel") or "")
        if not channel:
            return "channel_not_found"
        oldest = float(params.get("oldest") or 0)
        limit = int(params.get("limit") or 100)
        skip = int(str(params.get("cursor") or "0").removeprefix("page:") or 0)
        with_metadata = str(params.get("include_all_metadata") or "").lower() in ("1", "true")
        newer = [m for m in reversed(self.messages.get(channel, [])) if float(m.ts) >= oldest]
        found: list[dict[str, Any]] = []
        for message in newer[skip:skip + limit]:
            shown = self._message_json(message)
            if with_metadata and message.metadata is not None:
                shown["metadata"] = message.metadata
            found.append(shown)
        more = len(newer) > skip + limit
        return {"messages": found, "has_more": more,
                "response_metadata": {"next_cursor": f"page:{skip + limit}" if more else ""}}

    def _m_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any] | str:
        channel, user = str(params.get("channel") or ""), str(params.get("user") or "")
        if not channel:
            return "channel_not_found"
        if not user:
            return "user_not_found"
        problem = check_message(params)
        if problem:
            return problem
        ephemeral = Ephemeral(channel, user, str(params.get("text") or ""), message_blocks(params), self._next_ts())
        self.ephemerals.append(ephemeral)
        return {"message_ts": ephemeral.message_ts}

    def _m_users_info(self, params: dict[str, Any]) -> dict[str, Any] | str:
        user = self.users.get(str(params.get("user") or ""))
        return {"user": user} if user else "user_not_found"

    def _m_views_open(self, params: dict[str, Any]) -> dict[str, Any] | str:
        if not params.get("trigger_id"):
            return "invalid_arguments"
        view = params.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        problem = check_view(view)
        if problem or not isinstance(view, dict):
            return problem or "invalid_arguments"
        opened = {
            **view,
            "id": "V" + uuid.uuid4().hex[:10].upper(),
            "team_id": self.team_id,
            "app_id": APP_ID,
            "bot_id": BOT_ID,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.fake",
        }
        self.views.append(opened)
        return {"view": opened}

    def _m_views_publish(self, params: dict[str, Any]) -> dict[str, Any] | str:
        user = str(params.get("user_id") or "")
        view = params.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if not user or not isinstance(view, dict) or view.get("type") != "home":
            return "invalid_arguments"
        problem = check_view(view)
        if problem:
            return problem
        self.home_views[user] = view
        return {"view": {**view, "id": "V" + uuid.uuid4().hex[:10].upper(), "team_id": self.team_id}}

    def _m_views_update(self, params: dict[str, Any]) -> dict[str, Any] | str:
        view = params.get("view")
        if isinstance(view, str):
            view = json.loads(view)
        if not isinstance(view, dict) or not (params.get("view_id") or params.get("external_id")):
            return "invalid_arguments"
        problem = check_view(view)
        if problem:
            return problem
        self.views.append({**view, "id": params.get("view_id")})
        return {"view": view}

    def _m_conversations_open(self, params: dict[str, Any]) -> dict[str, Any] | str:
        users = str(params.get("users") or "")
        if not users or "," in users:
            return "invalid_arguments"
        channel = self.dm_channels.setdefault(users, "D" + users.lstrip("UW")[:10].upper() + "X")
        return {"channel": {"id": channel, "is_im": True, "user": users}}

    def _m_usergroups_users_list(self, params: dict[str, Any]) -> dict[str, Any] | str:
        group = str(params.get("usergroup") or "")
        if group not in self.user_groups:
            return "no_such_subteam"
        return {"users": list(self.user_groups[group])}

    def _m_apps_connections_open(self, _params: dict[str, Any]) -> dict[str, Any] | str:
        return {"url": f"ws://127.0.0.1:{self.port}/socket-mode/link?ticket={uuid.uuid4()}&app_id={APP_ID}"}

    def _message_json(self, message: Message) -> dict[str, Any]:
        return {
            "type": "message",
            "subtype": "bot_message",
            "bot_id": BOT_ID,
            "user": message.user,
            "text": message.text,
            "blocks": message.blocks,
            "ts": message.ts,
        }


def _metadata(raw: Any) -> dict[str, Any] | None:
    """chat.postMessage's metadata, sent as a JSON object or (form-encoded) as its JSON text."""
    if isinstance(raw, str) and raw:
        raw = json.loads(raw)
    return raw if isinstance(raw, dict) else None


async def _read_params(request: web.Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
        else:
            params.update(dict(await request.post()))
    return params


def _token(call: ApiCall) -> str:
    auth = call.headers.get("Authorization", "")
    if auth.startswith("Bearer "):
        return auth[len("Bearer ") :]
    return str(call.params.get("token") or "")


def _seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
