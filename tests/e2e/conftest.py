"""The end-to-end Slack side: every test asking for ``side`` runs once per mode × backend (`SIDES`).

A test module says what its side is built with (roles, chat intake, the extractor …) by overriding
``side_options``; a module needing another kind of side (one backend only) defines ``side`` itself.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.fakes.fixtures import slack_api, slack_client
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.conftest import extractor
from tests.slack.service import SIDES, SlackSide, running_slack_side, side_store

__all__ = ["extractor", "side", "side_options", "slack_api", "slack_client"]


@pytest.fixture
def side_options() -> dict[str, Any]:
    """Keyword arguments for `running_slack_side`; none by default."""
    return {}


@pytest.fixture(params=SIDES)
async def side(
    request: pytest.FixtureRequest, slack_api: FakeSlackApi, side_options: dict[str, Any]
) -> AsyncIterator[SlackSide]:
    async with (
        side_store(request) as (mode, store),
        running_slack_side(store, slack_api, mode, **side_options) as running,
    ):
        yield running
