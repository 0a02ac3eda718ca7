"""Wording of the notes the store queues as data (it never writes Slack text itself).

A repeat inquiry of a lead still open queues ``post_text`` (to the first card's thread) and ``dm`` (to its
owner) items whose payload carries ``{"repeat": {"lead_id", "of_lead", "notice", "source"}}``.
"""

from __future__ import annotations

from typing import Any


def repeat_text(repeat: dict[str, Any], *, to_owner: bool) -> str:
    notice = repeat.get("notice") or f"{repeat.get('source') or 'a source'} sent this person again"
    lead, earlier = repeat.get("lead_id"), repeat.get("of_lead")
    if to_owner:
        return f"A lead you are working (#{earlier}) asked again (lead #{lead}): {notice}"
    return f"Repeat inquiry (lead #{lead}): {notice}"


def outbox_text(payload: dict[str, Any]) -> str | None:
    """The text of a ``post_text`` or ``dm`` item: its own, or the words for the data it carries."""
    text = payload.get("text")
    if isinstance(text, str):
        return text
    repeat = payload.get("repeat")
    if isinstance(repeat, dict):
        return repeat_text(repeat, to_owner="user" in payload)
    return None
