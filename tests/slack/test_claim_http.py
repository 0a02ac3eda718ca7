"""Claiming over HTTP: a real SlackRunner on a free port, the real Bolt app, signed requests, the fake Slack.

The store fixture runs each test on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
from sqlalchemy import update

from store.records import LeadRecord
from store.store import Store
from store.tables import Lead
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import block_actions_payload, form_body, signed_block_actions, signed_headers
from tests.slack.leads import WORK_ACTIONS
from tests.slack.service import SIGNING_SECRET, SlackSide, running_slack_side


@pytest.fixture
async def side(store: Store, slack_api: FakeSlackApi) -> AsyncIterator[SlackSide]:
    async with running_slack_side(store, slack_api, "http") as running:
        yield running


async def click(
    side: SlackSide, lead: LeadRecord, user: str, *, value: str | None = None, secret: str = SIGNING_SECRET
) -> int:
    body, headers = signed_block_actions(secret, lead, user_id=user, value=value)
    async with aiohttp.ClientSession() as http, http.post(side.events_url, data=body, headers=headers) as response:
        return response.status


def card_text(side: SlackSide, lead: LeadRecord) -> str:
    message = side.fake.message(str(lead.slack_channel), str(lead.slack_ts))
    assert message is not None
    return "\n".join(str(b.get("text", {}).get("text", "")) for b in message.blocks)


async def test_signed_claim_updates_the_card(side: SlackSide) -> None:
    lead = await side.posted_lead()

    assert await click(side, lead, "U0REP0001") == 200

    fake = side.fake
    await fake.wait_for(lambda: bool(fake.calls("chat.update")), what="the card update")
    claimed = await side.store.leads.get(lead.id)
    assert claimed is not None and claimed.owner == "U0REP0001" and claimed.status == "claimed"
    assert "Claimed by <@U0REP0001>" in card_text(side, lead)
    message = fake.message(str(lead.slack_channel), str(lead.slack_ts))
    assert message is not None
    actions = [e["action_id"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]]
    assert actions == WORK_ACTIONS  # no Claim
    assert fake.ephemerals == []


async def test_the_click_is_answered_while_its_claim_waits_for_the_database(side: SlackSide) -> None:
    """Slack's answer does not wait for the claim (issue 11): another connection holds the lead's row in a
    write transaction (SQLite: the database's write lock; PostgreSQL: the row lock), and the 200 still comes."""
    lead = await side.store.leads.get((await side.posted_lead()).id)
    assert lead is not None
    async with side.store.engine.connect() as other:
        held = await other.begin()
        await other.execute(update(Lead).where(Lead.id == lead.id).values(status=Lead.status))
        assert await click(side, lead, "U0REP0001") == 200
        unclaimed = await side.store.leads.get(lead.id)
        assert unclaimed is not None and unclaimed.owner is None  # the claim is still waiting
        await held.rollback()
    fake = side.fake
    await fake.wait_for(lambda: bool(fake.calls("chat.update")), what="the card update once the row is free")
    claimed = await side.store.leads.get(lead.id)
    assert claimed is not None and claimed.owner == "U0REP0001"


FORGERIES = ["wrong secret", "tampered body", "replayed 10 minutes later", "unsigned"]


def forge(case: str, lead: LeadRecord) -> tuple[str, dict[str, str]]:
    payload = block_actions_payload(lead, user_id="U0MALLORY")
    body = form_body(payload)
    if case == "wrong secret":
        return body, signed_headers("not-the-signing-secret", body)
    if case == "tampered body":
        signed = form_body({**payload, "actions": [{**payload["actions"][0], "value": "0"}]})
        return body, signed_headers(SIGNING_SECRET, signed)
    if case == "replayed 10 minutes later":
        return body, signed_headers(SIGNING_SECRET, body, timestamp=int(time.time()) - 600)
    return body, {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize("case", FORGERIES)
async def test_forged_request_gets_401_and_changes_nothing(side: SlackSide, case: str) -> None:
    lead = await side.posted_lead()
    body, headers = forge(case, lead)
    async with aiohttp.ClientSession() as http, http.post(side.events_url, data=body, headers=headers) as response:
        assert response.status == 401

    await side.settled()  # a claim that slipped through would have queued its card update: delivered now
    stored = await side.store.leads.get(lead.id)
    assert stored is not None and stored.owner is None and stored.status == "posted"
    assert [c.method for c in side.fake.calls] == ["chat.postMessage"]


async def test_twenty_concurrent_claims_one_winner_one_update(side: SlackSide) -> None:
    lead = await side.posted_lead()
    reps = [f"U0REP{i:04d}" for i in range(20)]

    statuses = await asyncio.gather(*(click(side, lead, rep) for rep in reps))

    assert statuses == [200] * 20
    fake = side.fake
    await fake.wait_for(
        lambda: len(fake.ephemerals) == 19 and len(fake.calls("chat.update")) == 1,
        what="19 ephemerals and 1 card update",
    )
    # every one of the 20 handlers has shown its one answer (19 refusals, 1 update): none is still running
    await side.worker.drain(timeout=2)

    claimed = await side.store.leads.get(lead.id)
    assert claimed is not None and claimed.owner in reps
    winner = claimed.owner
    updates = fake.calls("chat.update")
    assert len(updates) == 1
    assert (updates[0].params["channel"], updates[0].params["ts"]) == (lead.slack_channel, lead.slack_ts)
    assert f"Claimed by <@{winner}>" in card_text(side, lead)
    assert sorted(e.user for e in fake.ephemerals) == sorted(r for r in reps if r != winner)
    assert {e.text for e in fake.ephemerals} == {f"Already claimed by <@{winner}>."}
    assert {e.channel for e in fake.ephemerals} == {lead.slack_channel}
    events = await side.store.events.for_lead(lead.id)
    assert [e.actor for e in events if e.kind == "claimed"] == [winner]


async def test_owner_clicking_again_is_told_it_is_theirs(side: SlackSide) -> None:
    lead = await side.posted_lead()
    fake = side.fake
    assert await click(side, lead, "U0REP0001") == 200
    await fake.wait_for(lambda: bool(fake.calls("chat.update")), what="the card update")

    assert await click(side, lead, "U0REP0001") == 200

    await fake.wait_for(lambda: bool(fake.ephemerals), what="the ephemeral")
    assert [(e.user, e.text) for e in fake.ephemerals] == [("U0REP0001", "You already have this lead.")]
    await side.settled()  # the ephemeral is the second click's last act; any card update it queued is out now
    assert len(fake.calls("chat.update")) == 1


@pytest.mark.parametrize("value", ["999999", "abc", "-1", "1; DROP TABLE leads", "", "٣"])
async def test_a_bad_or_unknown_lead_id_is_answered_politely(side: SlackSide, value: str) -> None:
    lead = await side.posted_lead()
    fake = side.fake

    assert await click(side, lead, "U0REP0001", value=value) == 200

    await fake.wait_for(lambda: bool(fake.ephemerals), what="the ephemeral")
    assert [(e.user, e.text) for e in fake.ephemerals] == [("U0REP0001", "That lead no longer exists.")]
    stored = await side.store.leads.get(lead.id)
    assert stored is not None and stored.owner is None
