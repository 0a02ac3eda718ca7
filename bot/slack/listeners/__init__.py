"""Slack listeners, one module per feature, each exposing ``register(app, deps)``."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.slack.deps import SlackDeps
from bot.slack.listeners import claim

_MODULES = (claim,)


def register_listeners(app: AsyncApp, deps: SlackDeps) -> None:
    for module in _MODULES:
        module.register(app, deps)
