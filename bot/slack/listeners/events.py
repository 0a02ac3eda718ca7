"""Slack retries an event it thinks we missed (no 200 within 3 s), to whichever instance answers: the
``event_id``s already handled are kept in the database, and a repeat is answered 200 and dropped."""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot.slack.deps import SlackDeps

#: Slack retries within minutes; a day is plenty
KEEP_EVENT_IDS = timedelta(days=1)
_PRUNE_EVERY = 3600.0


def register(app: AsyncApp, deps: SlackDeps) -> None:
    pruned = {"at": 0.0}

    async def dedupe_events(
        body: dict[str, Any], next: Callable[[], Awaitable[None]], logger: logging.Logger
    ) -> BoltResponse | None:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            if await deps.store.events.seen_slack_event(str(event_id)):
                logger.info("event %s was handled already (a Slack retry); skipped", event_id)
                return BoltResponse(status=200, body="")
            if time.monotonic() - pruned["at"] > _PRUNE_EVERY:
                pruned["at"] = time.monotonic()
                await deps.store.events.forget_slack_events(older_than=KEEP_EVENT_IDS)
        await next()
        return None

    app.middleware(dedupe_events)
