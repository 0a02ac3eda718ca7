"""`[webhooks]`: outbound webhooks, lead events POSTed to other systems (a CRM) as they happen (issue 14).

Inbound webhooks (providers POSTing leads to us) are `[intake.sources.<name>]` in bot/settings/intake.py.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator

from bot.settings.base import Section

#: the lead events a receiver may ask for (the ``kind`` of the events in the store)
LEAD_EVENT_KINDS = frozenset({
    "intake", "posted", "claimed", "released", "reassigned", "auto_assigned", "follow_up", "outcome",
    "reopened", "duplicate", "rescored", "sla_breach", "escalated", "credit_requested", "credit_granted",
})
#: what a receiver gets unless it says otherwise: the steps of a lead a CRM follows
DEFAULT_EVENTS = ("posted", "claimed", "reassigned", "follow_up", "outcome")


class OutboundWebhook(Section):
    """`[webhooks.outbound.<name>]`: one receiver. Its secret may come from the environment:
    ``LEADBOT_WEBHOOKS__OUTBOUND__<NAME>__SECRET``."""

    url: str
    #: the key of the HMAC-SHA256 signature (``X-Leadbot-Signature: v1=<hex>``); at least 16 characters
    secret: SecretStr
    #: the event kinds to send (``follow_up`` is a logged call, email, meeting or note)
    events: tuple[str, ...] = DEFAULT_EVENTS
    enabled: bool = True
    #: how long one delivery may take before it counts as failed
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    #: "new": start with the events after the receiver is first configured; "all": send the whole history
    start: str = Field(default="new", pattern="^(new|all)$")

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) URL")
        return value

    @field_validator("secret")
    @classmethod
    def _long_enough(cls, value: SecretStr) -> SecretStr:
        if len(value.get_secret_value()) < 16:
            raise ValueError("use a secret of at least 16 characters")
        return value

    @field_validator("events")
    @classmethod
    def _known_events(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [kind for kind in value if kind not in LEAD_EVENT_KINDS]
        if unknown:
            raise ValueError(f"unknown event {unknown[0]!r}; known: {', '.join(sorted(LEAD_EVENT_KINDS))}")
        if not value:
            raise ValueError("name at least one event")
        return value


class WebhooksSettings(Section):
    """`[webhooks]`: receivers of lead events, and how deliveries are retried."""

    outbound: dict[str, OutboundWebhook] = {}
    #: the first retry waits this long, each next one twice as long, up to ``max_backoff_seconds``
    backoff_seconds: float = Field(default=5.0, gt=0)
    max_backoff_seconds: float = Field(default=3600.0, gt=0)
    #: how often the worker looks for new events when nothing woke it
    poll_seconds: float = Field(default=2.0, gt=0)
    #: PostgreSQL numbers an event before its transaction commits, so a lower id can appear a moment after
    #: a higher one: an event is sent once it is this old (SQLite commits in id order: not needed there)
    settle_seconds: float = Field(default=5.0, ge=0)

    @field_validator("outbound")
    @classmethod
    def _names(cls, value: dict[str, OutboundWebhook]) -> dict[str, OutboundWebhook]:
        for name in value:
            if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", name):
                raise ValueError(f"receiver name {name!r}: use lower-case letters, digits, - and _")
        return value
