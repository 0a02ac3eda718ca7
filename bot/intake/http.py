"""HTTP ways in: provider webhooks at ``/intake/<source>`` and lead forms at ``/form/<name>``, on ``[http]``.

    provider ── POST /intake/<source> ──> auth ─> size/type check ─> raw stored ─> read ─> 202 + lead ids
    browser  ── GET/POST /form/<name> ──> honeypot, rate limit, validation ─> raw stored ─> thank-you page

Every request is rejected at the edge when it is not ours to take (401 unknown caller, 413 too large,
415/400 unreadable body) and stored before it is acknowledged otherwise. A webhook then waits (at most
``process_timeout_seconds``) for its message to be read, so the provider gets the lead ids in the answer:

    202 {"message_id": 7, "status": "processed", "lead_ids": [12], "duplicate": false,
         "status_url": "/intake/<source>/messages/7?token=<expiry>.<signature>"}

If reading takes longer, the answer is the same with ``"status": "received"`` and no ids; the status URL
gives them later. Its token is signed with the source's secret for that message and expires (after
``status_url_ttl_seconds``), so it opens that one message's status and nothing else, for a while. A
message with no lead in it is stored and answered 422 (``"error": "no_lead"``), so an integration being
set up sees its mistake. A resend from the same source — same ``Idempotency-Key`` header, or without one
the same bytes — is answered with the first request's message and leads, ``"duplicate": true``; the same
bytes from another source are another message.

Refusals: a signature that is missing, malformed (not ASCII hex) or wrong is 401; a status token that is
missing, forged or names another message is 401, an expired one 403. While the database cannot be
reached, a request is answered 503 with ``Retry-After`` (the provider sends again; a resend of what was
stored after all is recognised).

Facebook Lead Ads and Google Ads lead forms get the answers their platforms expect (200): Facebook's
webhook only announces ``leadgen_id``s, so each lead is fetched from the Graph API with the page token
and stored as its own message; a Graph failure answers 502 so Facebook delivers again. Google's test
leads (``"is_test": true``) are stored and read but marked and never posted to reps.

The pure checks (signatures, bearer and status tokens, body types, rate limits, the client's address) are
in `bot.intake.http_checks`; this module is the aiohttp server that applies them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
import sqlalchemy.exc
from aiohttp import web

from bot.intake.forms import MESSAGES, render_form, render_message, render_thanks, submission_payload, validate
from bot.intake.http_checks import (
    FORM_TYPE,
    HttpProblem,
    RateLimiter,
    bearer_ok,
    client_address,
    idempotency_key,
    leadgen_ids,
    media_type,
    normalise_body,
    secret_equal,
    signature_ok,
    status_token,
    status_token_check,
    webhook_dedup_key,
)
from bot.intake.pipeline import IntakePipeline
from bot.settings import FormSettings, HttpSettings, IntakeSettings, IntakeSource
from parsers.lead import RawMessage
from store.records import LeadRecord
from store.store import Store

log = logging.getLogger(__name__)

#: a web form submission is small; anything bigger is not a person typing
MAX_FORM_BYTES = 64 * 1024
GRAPH_TIMEOUT = aiohttp.ClientTimeout(total=15)
TEST_LEAD_EVENT = "test_lead"
#: errors that mean "the database cannot be reached now" (answered 503, not 500: the caller retries)
STORE_DOWN: tuple[type[BaseException], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.DisconnectionError,
    sqlalchemy.exc.TimeoutError,  # no pooled connection came free
    OSError,
    TimeoutError,
)
#: seconds a caller is asked to wait when the database is away
STORE_RETRY_AFTER = 30


# ---- the server -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outcome:
    message_id: int
    duplicate: bool
    status: str
    leads: tuple[LeadRecord, ...]
    error: str | None = None


class WebIntake:
    """The aiohttp server for webhooks and forms. ``port`` is the port bound (useful with port 0).

    ``quiet`` processes messages without posting cards (Google's test leads); it is a pipeline whose
    routing sends no card, over the same store and extractor.
    """

    def __init__(
        self,
        http: HttpSettings,
        intake: IntakeSettings,
        forms: Mapping[str, FormSettings],
        pipeline: IntakePipeline,
        store: Store,
        *,
        quiet: IntakePipeline | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._sources = intake.sources
        self._forms = dict(forms)
        self._pipeline = pipeline
        self._quiet = quiet or pipeline
        self._store = store
        self._wall_clock = wall_clock
        self._limiters = {name: RateLimiter(f.rate_limit_per_hour, clock=clock) for name, f in self._forms.items()}
        self._runner: web.AppRunner | None = None
        self._reading: set[asyncio.Task[list[LeadRecord]]] = set()
        self._client: aiohttp.ClientSession | None = None
        self.port: int = http.port
        self.app = self._build()

    def _build(self) -> web.Application:
        # aiohttp's own limit is set above ours so that our handler answers oversize with JSON.
        app = web.Application(client_max_size=self._http.max_body_bytes + 1)
        app.router.add_get("/healthz", _healthz)
        app.router.add_post("/intake/{source}", self._intake)
        app.router.add_get("/intake/{source}", self._verify_subscription)
        app.router.add_get("/intake/{source}/messages/{message_id:\\d+}", self._status)
        app.router.add_get("/form/{name}", self._form_page)
        app.router.add_post("/form/{name}", self._form_post)
        return app

    async def start(self) -> None:
        self._client = aiohttp.ClientSession(timeout=GRAPH_TIMEOUT)
        self._runner = web.AppRunner(self.app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._http.host, self._http.port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        if sockets:
            self.port = int(sockets[0].getsockname()[1])
        log.info("HTTP intake on http://%s:%d (sources: %s; forms: %s)", self._http.host, self.port,
                 ", ".join(self._sources) or "none", ", ".join(self._forms) or "none")

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._reading:
            await asyncio.wait(set(self._reading), timeout=10)
        if self._client is not None:
            await self._client.close()
            self._client = None

    # ---- webhooks -----------------------------------------------------------------------------------

    async def _intake(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["source"]
        source = self._sources.get(name)
        if source is None:
            return HttpProblem(404, "unknown_source", f"no intake source named {name!r}").response()
        try:
            body = await _read_body(request, self._http.max_body_bytes)
            self._authenticate(source, request, body)
            kind, raw = normalise_body(request.content_type, body)
            if source.auth == "google":
                return await self._google(name, source, raw)
            if source.auth == "facebook" and kind == "json":
                announced = leadgen_ids(json.loads(raw))
                if announced:
                    return await self._facebook(name, source, raw, announced)
            key = request.headers.get("Idempotency-Key")
            outcome = await self._store_and_read(name, raw, key=key)
            return self._answer(name, outcome, success=200 if source.auth == "facebook" else 202)
        except HttpProblem as problem:
            log.info("intake %s refused a request: %s %s", name, problem.status, problem.detail)
            return problem.response()
        except STORE_DOWN as exc:
            log.warning("intake %s: the database cannot be reached (%s); answered 503", name, _first_line(exc))
            return _store_down().response()

    def _authenticate(self, source: IntakeSource, request: web.Request, body: bytes) -> None:
        unauthorized = HttpProblem(401, "unauthorized", "missing or wrong credentials for this source")
        if source.auth == "bearer":
            assert source.token is not None
            if not bearer_ok(source.token.get_secret_value(), request.headers.get("Authorization")):
                raise unauthorized
        elif source.auth == "hmac":
            assert source.secret is not None
            if not signature_ok(source.secret.get_secret_value(), body, request.headers.get(source.signature_header)):
                raise HttpProblem(401, "bad_signature", f"{source.signature_header} is missing or does not match")
        elif source.auth == "facebook":
            assert source.secret is not None
            if not signature_ok(source.secret.get_secret_value(), body, request.headers.get("X-Hub-Signature-256")):
                raise HttpProblem(401, "bad_signature", "X-Hub-Signature-256 is missing or does not match")
        # google: the key is inside the body, checked once it is parsed

    async def _store_and_read(
        self, source: str, raw: bytes, *, key: str | None = None, pipeline: IntakePipeline | None = None
    ) -> Outcome:
        pipeline = pipeline or self._pipeline
        message = RawMessage(raw=raw, channel="http", sender=f"http:{source}", recipients=(f"/intake/{source}",))
        idem = idempotency_key(source, key) if key else None
        if idem is not None:
            claim = await self._store.imports.claim_key(source, idem)
            if not claim.new:
                if claim.message_id is None:
                    raise HttpProblem(409, "in_progress", "a request with this Idempotency-Key is being stored")
                return await self._outcome(claim.message_id, duplicate=True)
        dedup = webhook_dedup_key(source, raw)
        try:
            if pipeline is self._pipeline:
                accepted = await pipeline.accept(message, dedup=dedup)
            else:  # never queued on the main pipeline: read below by the quiet one
                accepted = await self._store.messages.accept(message, dedup_key=dedup)
        except BaseException:
            if idem is not None:
                await self._store.imports.release_key(idem)
            raise
        if idem is not None:
            await self._store.imports.link_key(idem, accepted.id)
        if not accepted.duplicate and not pipeline.hold:
            await self._await_reading(pipeline, accepted.id)
        return await self._outcome(accepted.id, duplicate=accepted.duplicate)

    async def _await_reading(self, pipeline: IntakePipeline, message_id: int) -> None:
        """Wait (at most process_timeout_seconds) until the message is read.

        The main pipeline's worker reads it (queued by ``accept``); the quiet pipeline has no worker, so
        its message is read here, in a task held until done (an unreferenced task may be collected).
        """
        if pipeline is not self._pipeline:
            task = asyncio.create_task(pipeline.process(message_id), name=f"read message {message_id}")
            self._reading.add(task)
            task.add_done_callback(self._reading.discard)
            await asyncio.wait({task}, timeout=self._http.process_timeout_seconds)
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(self._http.process_timeout_seconds):
                delay = 0.005
                while True:
                    record = await self._store.messages.get(message_id)
                    if record is None or record.status != "received":
                        return
                    await asyncio.sleep(delay)
                    delay = min(0.1, delay * 2)

    async def _outcome(self, message_id: int, *, duplicate: bool) -> Outcome:
        record = await self._store.messages.get(message_id)
        assert record is not None
        leads = await self._store.leads.for_message(message_id)
        return Outcome(message_id, duplicate, record.status, tuple(leads), record.error)

    def _answer(self, source: str, outcome: Outcome, *, success: int = 202, **extra: Any) -> web.Response:
        body: dict[str, Any] = {
            "message_id": outcome.message_id,
            "status": outcome.status,
            "duplicate": outcome.duplicate,
            "lead_ids": [lead.id for lead in outcome.leads],
            "status_url": self._status_url(source, outcome.message_id),
            **extra,
        }
        if outcome.status == "no_lead":
            return web.json_response(
                {"error": "no_lead", "detail": "stored, but no lead (no name, email or phone) was found in it", **body},
                status=422,
            )
        if outcome.status == "failed":
            detail = (outcome.error or "").strip().splitlines()[-1:] or ["processing failed"]
            return web.json_response({"error": "unreadable", "detail": detail[0][:500], **body}, status=422)
        return web.json_response(body, status=success)

    def _status_url(self, source: str, message_id: int) -> str:
        url = f"/intake/{source}/messages/{message_id}"
        key = _status_key(self._sources[source])
        if key is None:
            return url
        expires = int(self._wall_clock()) + self._http.status_url_ttl_seconds
        return f"{url}?token={status_token(key, source, message_id, expires)}"

    async def _status(self, request: web.Request) -> web.StreamResponse:
        """A stored webhook message's status and leads, for the signed token of that message.

        A bearer source may also show its bearer token instead; a source with no secret ("none") is open.
        """
        name = request.match_info["source"]
        source = self._sources.get(name)
        if source is None or source.auth not in ("bearer", "hmac", "none"):
            return HttpProblem(404, "unknown_source", f"no intake source named {name!r} with a status URL").response()
        message_id = int(request.match_info["message_id"])
        key = _status_key(source)
        if key is not None:
            verdict = status_token_check(key, name, message_id, request.query.get("token"), self._wall_clock())
            if verdict == 401 and source.auth == "bearer" and "token" not in request.query:
                assert source.token is not None
                if bearer_ok(source.token.get_secret_value(), request.headers.get("Authorization")):
                    verdict = 200
            if verdict == 401:
                return HttpProblem(401, "bad_token", "the status token is missing or not for this message").response()
            if verdict == 403:
                return HttpProblem(403, "token_expired", "the status token has expired").response()
        try:
            record = await self._store.messages.get(message_id)
            if record is None or record.sender != f"http:{name}":
                return HttpProblem(404, "unknown_message", f"no message {message_id} from {name}").response()
            outcome = await self._outcome(message_id, duplicate=False)
        except STORE_DOWN as exc:
            log.warning("status %s: the database cannot be reached (%s); answered 503", name, _first_line(exc))
            return _store_down().response()
        return self._answer(name, outcome, success=200)

    # ---- Google Ads lead forms ----------------------------------------------------------------------

    async def _google(self, name: str, source: IntakeSource, raw: bytes) -> web.Response:
        data = json.loads(raw)
        assert source.google_key is not None
        given = str(data.get("google_key", "")) if isinstance(data, dict) else ""
        if not secret_equal(given, source.google_key.get_secret_value()):
            raise HttpProblem(401, "bad_google_key", "google_key is missing or does not match this source")
        is_test = isinstance(data, dict) and str(data.get("is_test", "")).lower() == "true"
        outcome = await self._store_and_read(name, raw, pipeline=self._quiet if is_test else None)
        if is_test:
            for lead in outcome.leads:
                if not outcome.duplicate:
                    await self._store.events.record(lead.id, TEST_LEAD_EVENT, actor="leadbot",
                                                   data={"source": name, "reason": "Google Ads is_test"})
        # Google Ads expects 200 from a lead form webhook.
        return self._answer(name, outcome, success=200, test=is_test)

    # ---- Facebook Lead Ads --------------------------------------------------------------------------

    async def _verify_subscription(self, request: web.Request) -> web.StreamResponse:
        """Meta's subscription handshake: echo ``hub.challenge`` when ``hub.verify_token`` is ours."""
        source = self._sources.get(request.match_info["source"])
        if source is None or source.auth != "facebook":
            return HttpProblem(404, "unknown_source", "no Facebook source by that name").response()
        assert source.verify_token is not None
        query = request.query
        token = query.get("hub.verify_token", "")
        if query.get("hub.mode") != "subscribe" or not secret_equal(token, source.verify_token.get_secret_value()):
            return HttpProblem(403, "bad_verify_token", "hub.mode or hub.verify_token is wrong").response()
        return web.Response(text=query.get("hub.challenge", ""), content_type="text/plain")

    async def _facebook(self, name: str, source: IntakeSource, raw: bytes, announced: list[str]) -> web.Response:
        """Store the notification, then fetch and store each announced lead; 502 on a Graph failure."""
        notification = await self._store_and_read(name, raw)
        if source.page_access_token is None:
            raise HttpProblem(
                500, "not_configured", "page_access_token is not set: the announced leads cannot be fetched",
                message_id=notification.message_id,
            )
        leads: list[LeadRecord] = []
        messages: list[int] = []
        duplicate = True
        for leadgen_id in announced:
            try:
                body = await self._fetch_lead(source, leadgen_id)
            except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
                log.warning("Facebook lead %s could not be fetched: %s (Facebook will deliver again)", leadgen_id, exc)
                raise HttpProblem(502, "graph_api_failed", f"fetching lead {leadgen_id} failed: {exc}",
                                  message_id=notification.message_id) from None
            outcome = await self._store_and_read(name, body)
            messages.append(outcome.message_id)
            leads.extend(outcome.leads)
            duplicate = duplicate and outcome.duplicate
        status = "processed" if leads else "received"
        return self._answer(
            name, Outcome(notification.message_id, duplicate, status, tuple(leads)), success=200,
            lead_messages=messages,
        )

    async def _fetch_lead(self, source: IntakeSource, leadgen_id: str) -> bytes:
        assert self._client is not None and source.page_access_token is not None
        url = source.graph_api_url.rstrip("/") + "/" + leadgen_id
        params = {"access_token": source.page_access_token.get_secret_value()}
        async with self._client.get(url, params=params) as response:
            body = await response.read()
            if response.status != 200:
                raise ValueError(f"Graph API answered {response.status}: {body[:200]!r}")
        data = json.loads(body)
        if not isinstance(data, dict) or "field_data" not in data:
            raise ValueError("Graph API answer holds no field_data")
        return body

    # ---- web forms ----------------------------------------------------------------------------------

    async def _form_page(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        form = self._forms.get(name)
        if form is None:
            return _html(render_message("Not found", "There is no form here."), status=404)
        return _html(render_form(name, form))

    async def _form_post(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        form = self._forms.get(name)
        if form is None:
            return _html(render_message("Not found", "There is no form here."), status=404)
        address = client_address(request.remote, request.headers.get("X-Forwarded-For"), self._http.trusted_proxies)
        if not self._limiters[name].allow(address):
            log.info("form %s: rate limit reached for %s", name, address)
            return _html(render_message(form.title, MESSAGES["rate_limited"]), status=429,
                         headers={"Retry-After": "3600"})
        try:
            body = await _read_body(request, MAX_FORM_BYTES)
        except HttpProblem as problem:
            return _html(render_message(form.title, problem.detail), status=problem.status)
        if media_type(request.content_type) != FORM_TYPE:
            return _html(render_message(form.title, "Please submit the form from its page."), status=415)
        try:
            posted = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        except UnicodeDecodeError:
            return _html(render_message(form.title, "The submission could not be read."), status=400)
        submission = validate(form, posted)
        if submission.honeypot_filled:
            # Answered like a success, so the bot learns nothing; nothing is stored.
            log.info("form %s: honeypot filled by %s, submission dropped", name, address)
            return _html(render_thanks(form))
        if submission.errors:
            return _html(render_form(name, form, values=submission.values, errors=submission.errors), status=400)
        message = RawMessage(
            raw=submission_payload(name, submission), channel="http", sender=f"form:{name}",
            recipients=(f"/form/{name}",),
        )
        try:
            await self._pipeline.accept(message)
        except STORE_DOWN as exc:
            log.warning("form %s: the database cannot be reached (%s); answered 503", name, _first_line(exc))
            return _html(render_message(form.title, MESSAGES["unavailable"]), status=503,
                         headers={"Retry-After": str(STORE_RETRY_AFTER)})
        return _html(render_thanks(form))


def _status_key(source: IntakeSource) -> str | None:
    """The secret a source's status tokens are signed with (none for an unauthenticated source)."""
    secret = source.secret if source.auth == "hmac" else source.token if source.auth == "bearer" else None
    return secret.get_secret_value() if secret is not None else None


def _store_down() -> HttpProblem:
    # Usually nothing was stored; if the store went away half-way, a resend is recognised as one.
    return HttpProblem(503, "unavailable", "the lead store cannot be reached now; please send again later",
                       retry_after=STORE_RETRY_AFTER)


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:300]


async def _read_body(request: web.Request, limit: int) -> bytes:
    """The body, refused with 413 past ``limit`` bytes (checked on Content-Length and while reading)."""
    too_big = HttpProblem(413, "too_large", f"the body is larger than {limit} bytes", limit=limit)
    if request.content_length is not None and request.content_length > limit:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.content.iter_chunked(65536):
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


_HTML_HEADERS = {
    # No script anywhere; styles inline; the form posts only to us.
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _html(text: str, *, status: int = 200, headers: Mapping[str, str] | None = None) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html",
                        headers={**_HTML_HEADERS, **(headers or {})})


async def _healthz(_request: web.Request) -> web.Response:
    return web.Response(text="ok")


__all__ = ["HttpProblem", "RateLimiter", "WebIntake", "leadgen_ids", "normalise_body", "signature_ok"]
