"""Requests as Slack sends them: v0-signed HTTP bodies and block_actions payloads (see bot.slack.standin)."""

from __future__ import annotations

from bot.slack.standin import block_actions_payload, form_body, signed_headers, slack_signature
from store.records import LeadRecord

__all__ = ["block_actions_payload", "form_body", "signed_block_actions", "signed_headers", "slack_signature"]


def signed_block_actions(
    secret: str, lead: LeadRecord, *, user_id: str, value: str | None = None, timestamp: int | None = None
) -> tuple[str, dict[str, str]]:
    """(body, headers) of a signed request: ``user_id`` clicked Claim on ``lead``'s card."""
    body = form_body(block_actions_payload(lead, user_id=user_id, value=value))
    return body, signed_headers(secret, body, timestamp=timestamp)
