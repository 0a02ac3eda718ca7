"""What a failed Slack call says about the outbox item that made it: whether the item can ever succeed, whether
Slack itself is away, how long Slack asks us to wait, and whether the message may have been posted anyway."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError

from store.records import OutboxRecord

#: Slack errors that retrying the same item cannot fix
PERMANENT_SLACK_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "user_not_found",
        "cannot_dm_bot",
        "restricted_action",
        "thread_not_found",
        "invalid_blocks",
        "invalid_blocks_format",
        "invalid_arguments",
        "invalid_attachments",
        "msg_too_long",
        "no_text",
        "too_many_attachments",
        "message_not_found",
        "cant_update_message",
        "edit_window_closed",
    }
)
#: Slack errors that say Slack itself is away for a while: retried for as long as it lasts
SLACK_AWAY_ERRORS = frozenset({"internal_error", "fatal_error", "service_unavailable", "request_timeout"})
#: failures (the start of their recorded error) that prove the message was not posted
NOTHING_POSTED = ("HTTP 429", "ClientConnectorError", "HTTP 200")
#: how long to wait on a 429 without a usable Retry-After header
DEFAULT_RETRY_AFTER = 1.0


def may_have_reached_slack(item: OutboxRecord) -> bool:
    """Whether an earlier try of the item may have posted its message without our knowing: a holder that
    died (a lease taken but no outcome recorded) or a failure that does not prove nothing was posted."""
    if item.claims > item.attempts + 1:
        return True
    if item.attempts == 0 or item.last_error is None:
        return False
    return not item.last_error.startswith(NOTHING_POSTED)


def slack_error(exc: SlackApiError) -> str:
    data = exc.response.data
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return "no_error_code"


def retry_after(exc: SlackApiError) -> float:
    headers = exc.response.headers or {}
    raw = headers.get("Retry-After") or headers.get("retry-after")
    try:
        value = float(raw) if raw is not None else DEFAULT_RETRY_AFTER
    except (TypeError, ValueError):
        value = DEFAULT_RETRY_AFTER
    # A missing or silly header must neither hammer Slack nor stall the outbox for hours.
    return min(max(value, DEFAULT_RETRY_AFTER), 3600.0)
