"""The Bolt app: built once by the composition root from the `[slack]` settings and the store."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.intake.chat import ChatIntake
from bot.settings import PrivacySettings, RoutingSettings, SlackSettings
from bot.slack.deps import SlackDeps
from bot.slack.listeners import register_listeners
from bot.slack.roles import Roles
from store.db import utcnow
from store.store import Store

#: the logger our Web API clients log through: slack_sdk's own, one level down
CLIENT_LOGGER = "slack_sdk.web.async_client.leadbot"


def web_client_logger() -> logging.Logger:
    """The logger to hand an `AsyncWebClient` (issue 11): slack_sdk tests ``logger.level <= DEBUG`` (the level set
    on the logger itself, NOTSET = 0 on an unconfigured one) before each call and, if so, formats the request's
    blocks and the response's headers into debug messages that are then dropped: about a tenth of a card's post.
    This logger's level is the level it logs at now (logging is configured before the service starts), so debug
    logging still shows slack_sdk's messages and everything else skips them."""
    client_logger = logging.getLogger(CLIENT_LOGGER)
    if client_logger.level == logging.NOTSET:
        client_logger.setLevel(client_logger.getEffectiveLevel())
    return client_logger


def build_slack_app(
    settings: SlackSettings,
    store: Store,
    *,
    wake_outbox: Callable[[], None],
    client: AsyncWebClient | None = None,
    intake: ChatIntake | None = None,
    clock: Callable[[], datetime] = utcnow,
    privacy: PrivacySettings | None = None,
    routing: RoutingSettings | None = None,
) -> AsyncApp:
    """An AsyncApp with every listener registered. Needs a bot token (``settings.enabled``).

    ``client`` defaults to an AsyncWebClient on ``settings.api_base_url`` with the bot token; Bolt uses it
    for auth.test and hands it to listeners. Signatures are verified in HTTP mode; Socket Mode requests
    arrive over the app-token websocket and carry none. ``intake`` reads leads from chat (messages in the
    intake channels, app mentions, the message shortcut, ``/leads new``); without it those are declined.
    ``privacy`` (default: masked cards) decides who reads contact details and originals; ``routing``
    gives the business hours reminders fall in (default: always open, UTC).
    """
    if settings.bot_token is None or not settings.bot_token.get_secret_value():
        raise ValueError("the Slack app needs [slack] bot_token (without one, cards go to the console)")
    if client is None:
        client = AsyncWebClient(
            token=settings.bot_token.get_secret_value(), base_url=settings.api_base_url, logger=web_client_logger()
        )
    http = settings.mode == "http"
    secret = settings.signing_secret.get_secret_value() if settings.signing_secret else ""
    if http and not secret:
        raise ValueError('mode = "http" needs [slack] signing_secret, to verify Slack\'s requests')
    app = AsyncApp(
        client=client,
        signing_secret=secret,
        request_verification_enabled=http,
        # auth.test happens on the first request, not at build time (no event loop work in a constructor)
    )
    deps = SlackDeps(
        store=store,
        wake_outbox=wake_outbox,
        settings=settings,
        roles=Roles(settings.roles, client, privacy=privacy),
        intake=intake,
        clock=clock,
        routing=routing or RoutingSettings(),
    )
    register_listeners(app, deps)
    return app
