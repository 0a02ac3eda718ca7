"""Outbound webhooks (issue 14): lead events POSTed to the receivers in `[webhooks.outbound.<name>]`.

What a receiver gets, one event per request, in the order the events happened::

    POST <url>
    Content-Type: application/json
    X-Leadbot-Delivery: <receiver>-<event id>     the same on every retry of this event: deduplicate on it
    X-Leadbot-Event: claimed                      the event's kind
    X-Leadbot-Timestamp: 1764489600               Unix seconds when this try was signed
    X-Leadbot-Signature: v1=<hex>                 HMAC-SHA256(secret, "<timestamp>.<body>"), lower-case hex

    {"delivery": "crm-42", "event": {"id": 42, "kind": "claimed", "at": "…", "actor": "U0…", "data": {…}},
     "lead": {"id": 7, "vendor": "…", "grade": "A", "status": "claimed", "owner": "U0…", "fields": {…}, …}}

``event.data`` is the event as recorded (a follow-up's activity and text; an outcome, its amount and
reason); ``lead`` is the lead as it is when the request is made. To check a request: recompute the HMAC
over the timestamp header, a dot and the raw body, compare in constant time (`verify_signature` does it),
and refuse timestamps older than a few minutes (replays).

Any 2xx answer is a delivery. Anything else (another status, no connection, a timeout) is retried, the
same event again, after 5 s, 10 s, 20 s … up to an hour (`[webhooks]`), from the database: a restart
resumes where the receiver's cursor stands. Each receiver has its own loop, cursor and lease, so a dead
receiver holds up neither intake nor the other receivers; the events wait in the events table.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

import aiohttp

from bot.settings.webhooks import OutboundWebhook, WebhooksSettings
from bot.workers.outbox import instance_name
from parsers.errors import OutageError
from store.db import utcnow
from store.records import EventRecord, LeadRecord
from store.store import Store

logger = logging.getLogger(__name__)

SIGNATURE_HEADER = "X-Leadbot-Signature"
TIMESTAMP_HEADER = "X-Leadbot-Timestamp"
DELIVERY_HEADER = "X-Leadbot-Delivery"
EVENT_HEADER = "X-Leadbot-Event"
#: events read from the store per step
BATCH = 200
#: the lease on a receiver lasts this long past the slowest possible delivery; renewed at each step
LEASE_MARGIN = 30.0
#: the lead's stored columns a receiver gets (its provenance and Slack coordinates are ours)
LEAD_KEYS = (
    "id", "vendor", "channel", "fields", "score", "grade", "reasons", "status", "owner", "created_at",
    "claimed_at", "first_touch_at", "closed_at", "outcome", "outcome_amount", "invalid",
)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """The signature header's value for ``body`` sent at ``timestamp``: ``v1=<hex HMAC-SHA256>``."""
    digest = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256)
    return "v1=" + digest.hexdigest()


def verify_signature(
    secret: str, headers: Mapping[str, str], body: bytes, *, now: float | None = None, tolerance: float = 300.0
) -> bool:
    """What a receiver does: the signature matches the body and the timestamp, which is recent."""
    try:
        timestamp = int(headers[TIMESTAMP_HEADER])
        given = headers[SIGNATURE_HEADER]
    except (KeyError, ValueError):
        return False
    if abs((time.time() if now is None else now) - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), given)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value


def payload(receiver: str, event: EventRecord, lead: LeadRecord | None) -> dict[str, Any]:
    """The JSON a receiver gets for one event (pure: the same event and lead give the same body)."""
    shown = None if lead is None else {key: _jsonable(value) for key, value in asdict(lead).items() if key in LEAD_KEYS}
    return {
        "delivery": delivery_id(receiver, event),
        "event": {
            "id": event.id, "kind": event.kind, "at": event.at.isoformat(), "actor": event.actor,
            "data": _jsonable(event.data),
        },
        "lead": shown,
    }


def delivery_id(receiver: str, event: EventRecord) -> str:
    return f"{receiver}-{event.id}"


class DeliveryFailed(OutageError):
    """The receiver did not take the event (status, connection, timeout): retried later."""


class WebhookWorker:
    """One loop per configured receiver: read the events after its cursor, deliver them in order."""

    def __init__(
        self,
        store: Store,
        settings: WebhooksSettings,
        *,
        instance: str | None = None,
        clock: Callable[[], datetime] = utcnow,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        settle: bool | None = None,
    ) -> None:
        self._store = store
        self._settings = settings
        self._receivers = {name: r for name, r in settings.outbound.items() if r.enabled}
        self._instance = instance or instance_name()
        self._clock = clock
        self._sleep = sleep
        # SQLite commits events in id order; PostgreSQL may show a lower id after a higher one
        self._settle = timedelta(
            seconds=settings.settle_seconds if (store.dialect == "postgresql" if settle is None else settle) else 0
        )
        self._wakers = {name: asyncio.Event() for name in self._receivers}
        self._http: aiohttp.ClientSession | None = None

    async def prepare(self) -> None:
        """Give every receiver its row: a new one starts after the newest event ("new") or at the start."""
        newest = await self._store.events.high_water()
        for name, receiver in self._receivers.items():
            await self._store.webhooks.ensure(name, start_at=0 if receiver.start == "all" else newest)

    def wake(self) -> None:
        """New events may be there: every receiver's loop looks now instead of at its next poll."""
        for event in self._wakers.values():
            event.set()

    async def run(self) -> None:
        """Deliver until cancelled; each receiver in its own task."""
        await self.prepare()
        try:
            await asyncio.gather(*(self._follow(name) for name in self._receivers))
        finally:
            await self.close()

    async def close(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def _follow(self, name: str) -> None:
        waker = self._wakers[name]
        while True:
            try:
                await self.run_once(name)
            except asyncio.CancelledError:
                raise
            except Exception:  # our fault (the database away): logged, tried again at the next poll
                logger.exception("webhook receiver %s: pass failed", name)
            waker.clear()
            wait = await self._wait_seconds(name)
            # asyncio.timeout, not wait_for: on 3.11 wait_for swallows a cancel that lands as the wait ends
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(wait):
                    await waker.wait()

    async def _wait_seconds(self, name: str) -> float:
        """Until the next poll, or sooner if the receiver's backoff ends first."""
        wait = self._settings.poll_seconds
        for state in await self._store.webhooks.states():
            if state.name == name and state.attempts:
                wait = max(0.0, min(wait, (state.next_attempt_at - self._clock()).total_seconds()))
        return max(wait, 0.01)

    async def run_once(self, name: str) -> int:
        """One pass for one receiver: lease it, deliver what is due in order, stop at the first failure.
        Returns how many events were delivered."""
        receiver = self._receivers[name]
        lease = receiver.timeout_seconds + LEASE_MARGIN
        state = await self._store.webhooks.lease(name, self._instance, seconds=lease)
        if state is None:
            return 0  # backing off, or another instance delivers to it
        cursor, delivered = state.cursor, 0
        try:
            while True:
                events = await self._store.events.after(cursor, limit=BATCH)
                settled_before = self._clock() - self._settle
                moved = False
                for event in events:
                    if self._settle and event.at > settled_before:
                        break  # a lower id may still be committing (PostgreSQL): wait for it
                    if event.kind in receiver.events:
                        try:
                            await self._deliver(name, receiver, event)
                        except DeliveryFailed as exc:
                            await self._failed(name, state.attempts, event, str(exc))
                            return delivered
                        delivered += 1
                        if not await self._store.webhooks.advance(
                            name, self._instance, event.id, delivered=1, seconds=lease
                        ):
                            logger.warning("webhook receiver %s: lease lost; another instance goes on", name)
                            return delivered
                    cursor, moved = event.id, True
                if cursor > state.cursor and not await self._store.webhooks.advance(
                    name, self._instance, cursor, delivered=0, seconds=lease
                ):
                    return delivered
                if len(events) < BATCH or not moved:
                    break
        except BaseException:
            await self._store.webhooks.release(name, self._instance)
            raise
        await self._store.webhooks.release(name, self._instance)
        return delivered

    async def _failed(self, name: str, attempts: int, event: EventRecord, error: str) -> None:
        delay = min(self._settings.max_backoff_seconds, self._settings.backoff_seconds * 2**attempts)
        await self._store.webhooks.failed(name, self._instance, error, delay=timedelta(seconds=delay))
        logger.warning(
            "webhook receiver %s: event %d (%s) not delivered (attempt %d), next try in %.0f s: %s",
            name, event.id, event.kind, attempts + 1, delay, error,
        )

    async def _deliver(self, name: str, receiver: OutboundWebhook, event: EventRecord) -> None:
        lead = await self._store.leads.get(event.lead_id) if event.lead_id is not None else None
        body = json.dumps(payload(name, event, lead), separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        timestamp = int(self._clock().timestamp())
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Leadbot-Webhooks/1",
            DELIVERY_HEADER: delivery_id(name, event),
            EVENT_HEADER: event.kind,
            TIMESTAMP_HEADER: str(timestamp),
            SIGNATURE_HEADER: sign(receiver.secret.get_secret_value(), timestamp, body),
        }
        if self._http is None:
            self._http = aiohttp.ClientSession()
        try:
            async with self._http.post(
                receiver.url, data=body, headers=headers, allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=receiver.timeout_seconds),
            ) as response:
                await response.read()
                if not 200 <= response.status < 300:
                    raise DeliveryFailed(f"HTTP {response.status}")
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from None
