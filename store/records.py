"""Plain values the store hands out. Rows never leave the store: callers get these frozen records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class LeadRecord:
    """A stored lead as the rest of the service sees it (what a Slack card is rendered from)."""

    id: int
    message_id: int | None
    contact_id: int | None
    vendor: str | None
    channel: str
    #: public field name -> value (only fields that were found)
    fields: dict[str, str]
    #: field name -> {"source": ..., "confidence": ..., "flags": [...], "alternatives": [...]}
    provenance: dict[str, dict[str, Any]]
    score: int
    grade: str
    reasons: tuple[str, ...]
    status: str
    owner: str | None
    created_at: datetime
    claimed_at: datetime | None = None
    first_touch_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str | None = None
    #: where the card was posted, once it was
    slack_channel: str | None = None
    slack_ts: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def value(self, name: str) -> str | None:
        return self.fields.get(name)

    @property
    def display_name(self) -> str:
        full = self.fields.get("full_name")
        if full:
            return full
        parts = [p for p in (self.fields.get("first_name"), self.fields.get("last_name")) if p]
        return " ".join(parts) or self.fields.get("email") or self.fields.get("phone") or f"Lead #{self.id}"

