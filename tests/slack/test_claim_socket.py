"""Claiming over Socket Mode: the runner opens the fake's websocket; the fake sends an interactive envelope."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from store.store import Store
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import block_actions_payload
from tests.slack.leads import owner_line
from tests.slack.service import SlackSide, running_slack_side


@pytest.fixture
async def side(store: Store, slack_api: FakeSlackApi) -> AsyncIterator[SlackSide]:
    async with running_slack_side(store, slack_api, "socket") as running:
        await slack_api.wait_socket_connected()
        yield running


async def test_interactive_envelope_is_acked_and_claims(side: SlackSide) -> None:
    fake = side.fake
    lead = await side.posted_lead()
    payload = block_actions_payload(lead, user_id="U0REP0007")

    envelope_id = await fake.send_interactive(payload)

    ack = await fake.wait_for_ack(envelope_id)
    assert ack == {"envelope_id": envelope_id}
    await fake.wait_for(lambda: bool(fake.calls("chat.update")), what="the card update")
    claimed = await side.store.leads.get(lead.id)
    assert claimed is not None and claimed.owner == "U0REP0007"
    message = fake.message(str(lead.slack_channel), str(lead.slack_ts))
    assert message is not None and "Claimed by <@U0REP0007>" in owner_line(message.blocks)
    (opened,) = fake.calls("apps.connections.open")
    assert opened.headers["Authorization"] == f"Bearer {fake.app_token}"


async def test_second_click_over_socket_gets_an_ephemeral(side: SlackSide) -> None:
    fake = side.fake
    lead = await side.posted_lead()

    await fake.wait_for_ack(await fake.send_interactive(block_actions_payload(lead, user_id="U0REP0001")))
    await fake.wait_for(lambda: bool(fake.calls("chat.update")), what="the card update")
    await fake.wait_for_ack(await fake.send_interactive(block_actions_payload(lead, user_id="U0REP0002")))

    await fake.wait_for(lambda: bool(fake.ephemerals), what="the ephemeral")
    assert [(e.user, e.text) for e in fake.ephemerals] == [("U0REP0002", "Already claimed by <@U0REP0001>.")]
    assert len(fake.calls("chat.update")) == 1


async def test_reconnects_when_slack_asks_and_keeps_claiming(side: SlackSide) -> None:
    fake = side.fake
    lead = await side.posted_lead()

    await fake.send_disconnect("refresh_requested")
    await fake.wait_for(lambda: fake.socket_connections == 2, what="a second connection")
    await fake.wait_for_ack(await fake.send_interactive(block_actions_payload(lead, user_id="U0REP0003")))

    await fake.wait_for(lambda: bool(fake.calls("chat.update")), what="the card update")
    claimed = await side.store.leads.get(lead.id)
    assert claimed is not None and claimed.owner == "U0REP0003"
    assert len(fake.calls("apps.connections.open")) == 2
