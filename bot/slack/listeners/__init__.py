"""Slack listeners, one module per feature, each exposing ``register(app, deps)``."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.slack import inflight
from bot.slack.deps import SlackDeps
from bot.slack.listeners import card, chat, claim, direct, events, home, leads_command

# events first: its middleware drops retried events before any listener sees them; direct (DMs to the bot)
# before chat: Bolt hands a message event to the first listener that matches it
_MODULES = (events, claim, card, direct, chat, leads_command, home)


def register_listeners(app: AsyncApp, deps: SlackDeps) -> None:
    """Every listener, tracked while it runs (`bot.slack.inflight`: a stop lets them finish)."""
    registering, _ = inflight.track(app)
    for module in _MODULES:
        module.register(registering, deps)
