"""The App Home tab: the rep's open leads and how many cards wait unclaimed, published when opened."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.deps import SlackDeps
from bot.slack.views import home_view

HOME_LEADS = 80


def register(app: AsyncApp, deps: SlackDeps) -> None:
    async def home_opened(event: dict[str, Any], client: AsyncWebClient, logger: logging.Logger) -> None:
        if event.get("tab") != "home" or not event.get("user"):
            return
        user = str(event["user"])
        leads = await deps.store.leads.open_of(user, limit=HOME_LEADS)
        unclaimed = await deps.store.leads.unclaimed_count()
        try:
            await client.views_publish(user_id=user, view=home_view(leads, unclaimed, now=deps.clock()))
        except SlackApiError as exc:
            logger.warning("could not publish %s's App Home: %s", user, exc.response.get("error"))

    app.event("app_home_opened")(home_opened)
