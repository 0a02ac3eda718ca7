"""Requests the way Slack sends them: v0 signatures, form-encoded interactivity payloads, a button click.

Also the stand-in workspace's ids (team, bot user, bot, app), which the server answers with and the
payloads carry.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from typing import Any
from urllib.parse import urlencode

from bot.slack.blocks import CLAIM_ACTION
from store.records import LeadRecord

TEAM_ID = "T0STANDIN"
BOT_USER_ID = "U0LEADBOT"
BOT_ID = "B0LEADBOT"
APP_ID = "A0LEADBOT"


def slack_signature(secret: str, body: str, timestamp: int | str) -> str:
    """Slack's v0 request signature: ``v0=`` + hex HMAC-SHA256 of ``v0:{timestamp}:{body}``."""
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed_headers(
    secret: str,
    body: str,
    *,
    timestamp: int | None = None,
    content_type: str = "application/x-www-form-urlencoded",
) -> dict[str, str]:
    """The headers Slack sends with ``body``: X-Slack-Request-Timestamp and X-Slack-Signature."""
    ts = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(ts),
        "X-Slack-Signature": slack_signature(secret, body, ts),
    }


def form_body(payload: dict[str, Any]) -> str:
    """How Slack posts interactivity payloads: form-encoded ``payload=<json>``."""
    return urlencode({"payload": json.dumps(payload)})


def block_actions_payload(
    lead: LeadRecord,
    *,
    user_id: str,
    user_name: str | None = None,
    value: str | None = None,
    action_id: str = CLAIM_ACTION,
    team_id: str = TEAM_ID,
) -> dict[str, Any]:
    """The ``block_actions`` payload of ``user_id`` clicking Claim on ``lead``'s card (where it was posted).

    ``value`` overrides the button value (the lead id), to send what a forged request could.
    """
    channel = lead.slack_channel or ""
    ts = lead.slack_ts or ""
    name = user_name or user_id.lower()
    return {
        "type": "block_actions",
        "user": {"id": user_id, "username": name, "name": name, "team_id": team_id},
        "api_app_id": APP_ID,
        "token": "verification-token",
        "container": {"type": "message", "message_ts": ts, "channel_id": channel, "is_ephemeral": False},
        "trigger_id": f"{int(time.time())}.{team_id}.{uuid.uuid4().hex[:12]}",
        "team": {"id": team_id, "domain": "standin"},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel, "name": "leads"},
        "message": {
            "bot_id": BOT_ID,
            "type": "message",
            "text": f"lead #{lead.id}",
            "user": BOT_USER_ID,
            "ts": ts,
            "app_id": APP_ID,
            "team": team_id,
        },
        "state": {"values": {}},
        "response_url": "http://127.0.0.1:9/response-url-not-used",
        "actions": [
            {
                "action_id": action_id,
                "block_id": "claim",
                "text": {"type": "plain_text", "text": "Claim", "emoji": True},
                "value": str(lead.id) if value is None else value,
                "style": "primary",
                "type": "button",
                "action_ts": f"{time.time():.6f}",
            }
        ],
    }
