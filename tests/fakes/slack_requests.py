"""Requests as Slack sends them: v0-signed HTTP bodies, and the payloads of button clicks, modal
submissions, slash commands, shortcuts and Events API callbacks (shaped like ../shared/slack-payloads)."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from bot.slack.standin import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID, block_actions_payload, form_body, signed_headers
from bot.slack.standin import slack_signature as slack_signature
from store.records import LeadRecord

__all__ = [
    "app_home_opened",
    "block_actions_payload",
    "button_payload",
    "event_callback",
    "form_body",
    "message_event",
    "shortcut_payload",
    "signed_block_actions",
    "signed_headers",
    "slack_signature",
    "slash_command",
    "view_submission",
]

_seq = itertools.count(1)


def signed_block_actions(
    secret: str, lead: LeadRecord, *, user_id: str, value: str | None = None, timestamp: int | None = None
) -> tuple[str, dict[str, str]]:
    """(body, headers) of a signed request: ``user_id`` clicked Claim on ``lead``'s card."""
    body = form_body(block_actions_payload(lead, user_id=user_id, value=value))
    return body, signed_headers(secret, body, timestamp=timestamp)


def _trigger() -> str:
    return f"{int(time.time())}.{TEAM_ID}.{uuid.uuid4().hex[:12]}"


def _user(user_id: str) -> dict[str, Any]:
    return {"id": user_id, "username": user_id.lower(), "name": user_id.lower(), "team_id": TEAM_ID}


def button_payload(
    action_id: str,
    value: str,
    *,
    user_id: str,
    channel: str,
    message_ts: str,
    response_url: str,
    ephemeral: bool = False,
) -> dict[str, Any]:
    """A ``block_actions`` click on any button (as block_actions_button_message_container.json)."""
    return {
        "type": "block_actions",
        "user": _user(user_id),
        "api_app_id": APP_ID,
        "token": "verification-token",
        "container": {"type": "message", "message_ts": message_ts, "channel_id": channel, "is_ephemeral": ephemeral},
        "trigger_id": _trigger(),
        "team": {"id": TEAM_ID, "domain": "standin"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": "leads"},
        "message": {"bot_id": BOT_ID, "type": "message", "text": "", "user": BOT_USER_ID, "ts": message_ts},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [
            {
                "action_id": action_id,
                "block_id": "b",
                "text": {"type": "plain_text", "text": action_id, "emoji": True},
                "value": value,
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }


def view_submission(view: dict[str, Any], values: dict[str, dict[str, Any]], *, user_id: str) -> dict[str, Any]:
    """A modal submitted (as view_submission.json): ``view`` as opened, ``values`` {block_id: element state}.

    An element state is ``{"type": "plain_text_input", "value": …}``, ``{"type": "static_select",
    "selected_option": {"value": …}}`` or ``{"type": "users_select", "selected_user": …}``.
    """
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "standin"},
        "user": _user(user_id),
        "api_app_id": APP_ID,
        "token": "verification-token",
        "trigger_id": _trigger(),
        "view": {
            **view,
            "id": view.get("id") or "V" + uuid.uuid4().hex[:10].upper(),
            "team_id": TEAM_ID,
            "state": {"values": {block: {"value": state} for block, state in values.items()}},
            "hash": f"{int(time.time())}.standin",
            "previous_view_id": None,
            "root_view_id": view.get("id"),
            "app_id": APP_ID,
            "bot_id": BOT_ID,
        },
        "response_urls": [],
    }


def slash_command(text: str, *, user_id: str, channel: str, response_url: str) -> dict[str, str]:
    """``/leads <text>`` as its fields (slash_command_parsed.json); form-encode it for HTTP mode."""
    return {
        "token": "verification-token",
        "team_id": TEAM_ID,
        "team_domain": "standin",
        "channel_id": channel,
        "channel_name": "leads",
        "user_id": user_id,
        "user_name": user_id.lower(),
        "command": "/leads",
        "text": text,
        "api_app_id": APP_ID,
        "response_url": response_url,
        "trigger_id": _trigger(),
    }


def slash_command_body(payload: dict[str, str]) -> str:
    return urlencode(payload)


def shortcut_payload(
    text: str, *, user_id: str, author: str, channel: str, message_ts: str, response_url: str
) -> dict[str, Any]:
    """The "Create lead from message" message shortcut on a message by ``author``."""
    return {
        "type": "message_action",
        "token": "verification-token",
        "action_ts": f"{time.time():.6f}",
        "team": {"id": TEAM_ID, "domain": "standin"},
        "user": _user(user_id),
        "channel": {"id": channel, "name": "leads"},
        "is_enterprise_install": False,
        "callback_id": "create_lead_from_message",
        "trigger_id": _trigger(),
        "response_url": response_url,
        "message_ts": message_ts,
        "message": {"type": "message", "user": author, "text": text, "ts": message_ts, "team": TEAM_ID},
    }


def message_event(
    text: str, *, user: str | None, channel: str, bot_id: str | None = None, **extra: Any
) -> dict[str, Any]:
    """A ``message`` event (event_callback_message.json; with ``bot_id``, as event_callback_message_bot_message)."""
    ts = f"{int(time.time())}.{next(_seq):06d}"
    event: dict[str, Any] = {
        "type": "message",
        "text": text,
        "ts": ts,
        "team": TEAM_ID,
        "channel": channel,
        "event_ts": ts,
        "channel_type": "channel",
    }
    if user:
        event["user"] = user
        event["client_msg_id"] = str(uuid.uuid4())
    if bot_id:
        event["bot_id"] = bot_id
        event["bot_profile"] = {"id": bot_id, "name": "vendor-app", "app_id": "A0VENDOR", "team_id": TEAM_ID}
    event.update(extra)
    return event


def app_mention(text: str, *, user: str, channel: str) -> dict[str, Any]:
    event = message_event(text, user=user, channel=channel)
    event["type"] = "app_mention"
    del event["channel_type"]
    return event


def app_home_opened(user: str) -> dict[str, Any]:
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": "D0HOME",
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }


def event_callback(event: dict[str, Any], *, event_id: str | None = None) -> dict[str, Any]:
    """The Events API envelope around ``event`` (as event_callback_*.json)."""
    return {
        "token": "verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id or "Ev" + uuid.uuid4().hex[:10].upper(),
        "event_time": int(time.time()),
        "authorizations": [
            {
                "enterprise_id": None,
                "team_id": TEAM_ID,
                "user_id": BOT_USER_ID,
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ],
        "is_ext_shared_channel": False,
        "event_context": f"1-{event['type']}-{TEAM_ID}-{event.get('channel', '')}",
    }


def json_body(payload: dict[str, Any]) -> str:
    return json.dumps(payload)
