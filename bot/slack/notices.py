"""Wording of the notes the store queues as data (it never writes Slack text itself).

A repeat inquiry of a lead still open queues ``post_text`` (to the first card's thread) and ``dm`` (to its
owner) items whose payload carries ``{"repeat": {"lead_id", "of_lead", "notice", "source"}}``.

A note with ``"claim": true`` (the SLA's escalation to a wider channel) is posted with the card's Claim
button under it (`outbox_blocks`), so whoever sees it there can take the lead at once.
"""

from __future__ import annotations

from typing import Any

from bot.slack.notes import VENDOR_MAX, repeat_dm, repeat_in_thread, with_claim_button
from bot.slack.safe import inert_line


def repeat_text(repeat: dict[str, Any], *, to_owner: bool) -> str:
    """``notice`` was written by ``bot.slack.notes.repeat_notice`` (already safe); the fallback is made safe here."""
    source = inert_line(str(repeat.get("source") or "a source"), VENDOR_MAX)
    notice = repeat.get("notice") or f"{source} sent this person again"
    lead, earlier = int(repeat.get("lead_id") or 0), int(repeat.get("of_lead") or 0)
    return repeat_dm(earlier, lead, notice) if to_owner else repeat_in_thread(lead, notice)


def outbox_text(payload: dict[str, Any]) -> str | None:
    """The text of a ``post_text`` or ``dm`` item: its own, or the words for the data it carries."""
    text = payload.get("text")
    if isinstance(text, str):
        return text
    repeat = payload.get("repeat")
    if isinstance(repeat, dict):
        return repeat_text(repeat, to_owner="user" in payload)
    return None


def outbox_blocks(payload: dict[str, Any], lead_id: int | None, text: str) -> list[dict[str, Any]] | None:
    """The blocks of a ``post_text`` item (None: plain text): ``text`` with a Claim button for ``claim``."""
    if payload.get("claim") and lead_id is not None:
        return with_claim_button(text, lead_id)
    return None
