"""Small helpers the listeners share: reading ids out of payloads, and polite ephemeral notes."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncAck
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

#: a lead id from a button: digits only, and small enough for a BIGINT
_MAX_ID_DIGITS = 18


def parse_lead_id(value: object) -> int | None:
    """The lead id from a button value, which anyone able to forge a payload controls: digits or None."""
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not (value.isascii() and value.isdigit()) or len(value) > _MAX_ID_DIGITS:
        return None
    return int(value) or None


def action_value(body: dict[str, Any], action_id: str) -> object:
    for action in body.get("actions") or ():
        if isinstance(action, dict) and action.get("action_id") == action_id:
            return action.get("value")
    return None


def channel_id(body: dict[str, Any]) -> str | None:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return str(channel) if channel else None


def user_id(body: dict[str, Any]) -> str:
    return str((body.get("user") or {}).get("id") or body.get("user_id") or "")


async def tell(client: AsyncWebClient, logger: logging.Logger, channel: str | None, user: str, text: str) -> None:
    """An ephemeral note to one user; failing to deliver it is logged, never raised."""
    if not channel:
        logger.info("no channel to tell %s: %s", user, text)
        return
    try:
        await client.chat_postEphemeral(channel=channel, user=user, text=text)
    except SlackApiError as exc:
        logger.warning("could not tell %s in %s (%s): %s", user, channel, exc.response.get("error"), text)


async def ack_at_once(ack: AsyncAck, next_: Callable[[], Awaitable[None]]) -> None:
    """Listener middleware for a button whose answer is a plain acknowledgement: the ack is set before the
    listener is started, so the HTTP answer leaves with the dispatch (issue 11).

    Without it Bolt starts the listener in a task and looks for its ack every 10 ms, so a click waited those
    10 ms plus whatever the event loop was doing by then (with 20 reps clicking, the other clicks' store work).
    The listener still calls ``ack()`` as usual (again: harmless), so it behaves the same without this.
    """
    await ack()
    await next_()
