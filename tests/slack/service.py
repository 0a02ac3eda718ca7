"""The Slack side assembled as the service assembles it: store, outbox worker, Bolt app, runner."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Literal

from pydantic import SecretStr

from bot.settings import SlackSettings
from bot.slack.app import build_slack_app
from bot.slack.outbox import OutboxWorker
from bot.slack.poster import SlackCardPoster
from bot.slack.runner import EVENTS_PATH, SlackRunner
from store.records import LeadRecord
from store.repository import Store
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.leads import new_lead

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@dataclass
class SlackSide:
    store: Store
    fake: FakeSlackApi
    worker: OutboxWorker
    runner: SlackRunner

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.runner.port}{EVENTS_PATH}"

    async def posted_lead(self, name: str = "Dana Whitaker", channel: str = "C_SALES") -> LeadRecord:
        """A new lead whose card the outbox has posted to ``channel``."""
        lead = await self.store.add_lead(new_lead(name, post_to=channel))
        self.worker.wake()
        for _ in range(500):
            stored = await self.store.get_lead(lead.id)
            if stored is not None and stored.slack_ts:
                return stored
            await asyncio.sleep(0.01)
        raise AssertionError(f"lead {lead.id} was never posted")


def slack_settings(fake: FakeSlackApi, mode: Literal["http", "socket"]) -> SlackSettings:
    return SlackSettings(
        mode=mode,
        bot_token=SecretStr(fake.bot_token),
        app_token=SecretStr(fake.app_token),
        signing_secret=SecretStr(SIGNING_SECRET),
        api_base_url=fake.base_url,
        http_port=0,
        post_interval_seconds=0,
    )


@contextlib.asynccontextmanager
async def running_slack_side(
    store: Store, fake: FakeSlackApi, mode: Literal["http", "socket"]
) -> AsyncIterator[SlackSide]:
    settings = slack_settings(fake, mode)
    app = build_slack_app(settings, store, wake_outbox=lambda: worker.wake())
    worker = OutboxWorker(store, SlackCardPoster(app.client), min_interval=settings.post_interval_seconds)
    runner = SlackRunner(settings, app)
    task = asyncio.create_task(worker.run())
    await runner.start()
    try:
        yield SlackSide(store, fake, worker, runner)
    finally:
        await runner.stop()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
