"""Slack's HTTP endpoint refuses malformed signature headers with 401, never 500, over real HTTP.

Bolt's verifier raises on a timestamp that is not a number and on a signature that is not ASCII; the
runner refuses both before Bolt sees them. The request is otherwise a properly signed click.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from store.store import Store
from tests.fakes.raw_http import raw_post
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import signed_block_actions
from tests.slack.service import SIGNING_SECRET, SlackSide, running_slack_side

MALFORMED = {
    "timestamp not a number": {"X-Slack-Request-Timestamp": b"soon"},
    "timestamp in other digits": {"X-Slack-Request-Timestamp": "١٧٠٠٠٠٠٠٠٠".encode()},
    "signature with utf-8": {"X-Slack-Signature": "v0=é".encode()},
    "signature with a raw byte": {"X-Slack-Signature": b"v0=\xff"},
}


@pytest.fixture
async def side(store: Store, slack_api: FakeSlackApi) -> AsyncIterator[SlackSide]:
    async with running_slack_side(store, slack_api, "http") as running:
        yield running


@pytest.mark.parametrize("case", MALFORMED)
async def test_malformed_slack_signature_headers_get_401_and_change_nothing(side: SlackSide, case: str) -> None:
    lead = await side.posted_lead()
    body, headers = signed_block_actions(SIGNING_SECRET, lead, user_id="U0MALLORY")
    sent = {name: value.encode() for name, value in headers.items()} | MALFORMED[case]

    status, answer = await raw_post(side.runner.port, "/slack/events", body.encode(), sent)

    assert status == 401, answer
    stored = await side.store.leads.get(lead.id)
    assert stored is not None and stored.owner is None and stored.status == "posted"


async def test_the_same_click_well_signed_is_taken(side: SlackSide) -> None:
    lead = await side.posted_lead()
    body, headers = signed_block_actions(SIGNING_SECRET, lead, user_id="U0REP0001")
    status, _ = await raw_post(side.runner.port, "/slack/events", body.encode(),
                               {name: value.encode() for name, value in headers.items()})
    assert status == 200
