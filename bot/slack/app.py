"""The Bolt app: built once by the composition root from the `[slack]` settings and the store."""

from __future__ import annotations

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
        client = AsyncWebClient(token=settings.bot_token.get_secret_value(), base_url=settings.api_base_url)
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
