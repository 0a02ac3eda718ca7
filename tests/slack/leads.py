"""Lead values for the Slack tests: a stored-lead record to render, and a new lead to store."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from typing import Any

from store.records import LeadRecord, NewLead

FIELDS = {
    "full_name": "Dana Whitaker",
    "email": "dana@whitaker.test",
    "phone": "+1 617 555 0134",
    "company": "Whitaker Logistics",
    "interest": "2024 Ford Transit 350 cargo van",
    "budget": "$45,000",
    "timeline": "this month",
}
#: the buttons of a claimed card (a masked card's "Show details" last)
WORK_ACTIONS = ["log_activity", "set_outcome", "remind", "release", "reassign", "view_original", "show_details"]
REASONS = ("+20 phone number verified", "+20 email address", "+15 says what they want", "+10 budget stated")


def lead_record(**changes: Any) -> LeadRecord:
    base = LeadRecord(
        id=42,
        message_id=7,
        contact_id=3,
        vendor="AutoLeads",
        channel="smtp",
        fields=dict(FIELDS),
        provenance={},
        score=72,
        grade="A",
        reasons=REASONS,
        status="posted",
        owner=None,
        created_at=datetime(2024, 5, 1, 14, 30, tzinfo=UTC),
    )
    return dataclasses.replace(base, **changes)


def new_lead(name: str = "Dana Whitaker", *, post_to: str | None = "C_SALES", grade: str = "A") -> NewLead:
    email = name.lower().replace(" ", ".") + "@example.org"
    return NewLead(
        vendor="AutoLeads",
        channel="smtp",
        fields={**FIELDS, "full_name": name, "email": email},
        provenance={},
        score=72,
        grade=grade,
        reasons=REASONS,
        post_to=post_to,
        contact_email=email,
    )


def owner_line(blocks: list[dict[str, Any]]) -> str:
    """The card's "Claimed by …" / outcome line."""
    return str(next(b for b in blocks if b.get("block_id") == "owner")["text"]["text"])
