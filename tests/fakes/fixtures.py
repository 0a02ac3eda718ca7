"""Pytest fixtures for the fake Slack. Import them into a conftest: ``from tests.fakes.fixtures import *``."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import FakeSlackApi

__all__ = ["slack_api", "slack_client"]


@pytest.fixture
async def slack_api() -> AsyncIterator[FakeSlackApi]:
    """A running fake Slack Web API + Socket Mode server on a free loopback port."""
    fake = FakeSlackApi()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.close()


@pytest.fixture
def slack_client(slack_api: FakeSlackApi) -> AsyncWebClient:
    """The real AsyncWebClient, with the bot token, pointed at the fake."""
    return AsyncWebClient(token=slack_api.bot_token, base_url=slack_api.base_url)
