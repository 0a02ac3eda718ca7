"""A stand-in for Slack: the Web API and the Socket Mode websocket, served on a free loopback port.

For ``leadbot demo`` (the tour runs with no Slack workspace and no credentials) and for the tests: point
the real ``AsyncWebClient`` at it (``base_url=standin.base_url``, the ``[slack] api_base_url`` setting)
and the real Bolt app runs unchanged. Never part of serving a real workspace.

Every call is recorded (method, params, headers, the status answered); messages are kept per channel,
and ``chat.update`` edits them, so a test asserts what a rep would see. Failures are programmable
(``fail``). Slack's Block Kit limits are checked as Slack does, so a card Slack would reject with
``invalid_blocks`` is rejected here too. Response shapes follow Slack's documented samples (auth.test,
chat.postMessage, chat.update, chat.postEphemeral, users.info, views.open, views.publish, views.update,
conversations.open, usergroups.users.list, apps.connections.open; Socket Mode hello, envelopes and acks).
What an app posts to a ``response_url`` served here (``response_url()``) is kept in ``responses``.
``signed_headers`` and ``block_actions_payload`` build requests the way Slack sends them (v0 signatures;
a button click on a card).
"""

from bot.slack.standin.checks import check_message, check_view
from bot.slack.standin.server import ApiCall, CallLog, Ephemeral, Message, Response, SlackStandIn
from bot.slack.standin.signed import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    block_actions_payload,
    form_body,
    signed_headers,
    slack_signature,
)

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "TEAM_ID",
    "ApiCall",
    "CallLog",
    "Ephemeral",
    "Message",
    "Response",
    "SlackStandIn",
    "block_actions_payload",
    "check_message",
    "check_view",
    "form_body",
    "signed_headers",
    "slack_signature",
]
