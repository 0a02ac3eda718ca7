"""The fake Slack Web API + Socket Mode server for tests: the product's stand-in, with fixed tokens.

The server lives in ``bot.slack.standin`` because ``leadbot demo`` runs against it too; tests get it with
exact tokens, so a wrong token is an ``invalid_auth`` as with real Slack.
"""

from __future__ import annotations

from bot.slack.standin import (
    APP_ID,
    BOT_USER_ID,
    TEAM_ID,
    ApiCall,
    CallLog,
    Ephemeral,
    Message,
    Response,
    SlackStandIn,
    check_message,
)

BOT_TOKEN = "xoxb-fake-bot-token"
APP_TOKEN = "xapp-fake-app-token"

__all__ = [
    "APP_ID",
    "APP_TOKEN",
    "BOT_TOKEN",
    "BOT_USER_ID",
    "TEAM_ID",
    "ApiCall",
    "CallLog",
    "Ephemeral",
    "FakeSlackApi",
    "Message",
    "Response",
    "check_message",
]


class FakeSlackApi(SlackStandIn):
    """The stand-in accepting exactly ``BOT_TOKEN`` and ``APP_TOKEN``."""

    bot_token: str
    app_token: str

    def __init__(self, *, bot_token: str = BOT_TOKEN, app_token: str = APP_TOKEN) -> None:
        super().__init__(bot_token=bot_token, app_token=app_token)
