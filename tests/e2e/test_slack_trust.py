"""Trust through signed Slack requests (issue 14): "How was this read?" answers ephemerally, masked for
a rep who may not see the details and full for the owner; `/leads show` shows marks, the number's local
time and learned reasons."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest

from bot.settings import PrivacySettings
from bot.slack import messages
from store.records import LeadRecord
from tests.e2e.test_slack_privacy import BOSS, OTHER, REP, ROLES, answer, click, leads
from tests.fakes.slack_api import FakeSlackApi
from tests.slack.leads import new_lead
from tests.slack.service import SALES, SIDES, SlackSide, running_slack_side, side_store
from tests.slack.test_blocks import all_text

PROVENANCE = {
    "email": {"source": "template:autoleads:email", "confidence": 1.0, "normalized": "dana.whitaker@example.org"},
    "phone": {"source": "template:autoleads:phone", "confidence": 0.95, "normalized": "+16175550134"},
    "full_name": {"source": "nlp:names", "confidence": 0.5, "alternatives": ["Dana Whitmore"]},
    "region": {"source": "reader:labels:State", "confidence": 0.9},
    "postal_code": {"source": "reader:labels:Zip", "confidence": 0.9},
}
#: a ZIP of New York with the region California: the phone (+1) says the country
ADDRESS = {"city": "New York", "region": "CA", "postal_code": "10001"}
LEARNED = "+9 AutoLeads leads close 80% here (4 of 5)"


@pytest.fixture(params=SIDES)
async def side(request: pytest.FixtureRequest, slack_api: FakeSlackApi) -> AsyncIterator[SlackSide]:
    async with (
        side_store(request) as (mode, store),
        running_slack_side(store, slack_api, mode, roles=ROLES, privacy=PrivacySettings()) as running,
    ):
        yield running


async def start(side: SlackSide) -> LeadRecord:
    side.fake.user_groups["S0REPS"] = [REP, OTHER]
    made = new_lead("Dana Whitaker", post_to=SALES)
    made = dataclasses.replace(made, fields={**made.fields, **ADDRESS}, provenance=PROVENANCE,
                               reasons=(*made.reasons, LEARNED))
    lead = await side.store.leads.add(made)
    side.worker.wake()
    return await side.wait_posted(lead.id)


async def ephemeral_to(side: SlackSide, user: str, count: int) -> str:
    await side.fake.wait_for(lambda: len([e for e in side.fake.ephemerals if e.user == user]) >= count, what="a note")
    return all_text([e for e in side.fake.ephemerals if e.user == user][count - 1].blocks)


async def test_how_was_this_read_is_masked_until_claimed(side: SlackSide) -> None:
    lead = await start(side)
    card = str(side.card(lead))
    assert "how_read" in card and "Massachusetts" in card and "617" not in card
    assert LEARNED in card  # +9 learned points reach the card outside the top 3
    assert ":warning: unverified · ZIP [hidden] is in NY, not CA" in card and "10001" not in card

    await click(side, "how_read", lead, OTHER)
    masked = await ephemeral_to(side, OTHER, 1)
    assert "template:autoleads:phone" in masked and ":white_check_mark: verified" in masked
    assert "Whitmore" not in masked and "617" not in masked and "1 other value(s) set aside" in masked

    await click(side, "claim", lead, REP)
    await side.fake.wait_for(lambda: bool(side.fake.dm_channels.get(REP)), what="the owner's card")
    await click(side, "how_read", lead, REP)
    full = await ephemeral_to(side, REP, 1)
    assert "“Dana Whitmore”" in full and "+1 617-555-0134" in full

    shown = answer(await leads(side, f"show {lead.id}", REP))
    assert "+1 617-555-0134 · Massachusetts · :clock3:" in shown
    assert f"{messages.LEARNED_LABEL}: {LEARNED}" in shown and "nlp:names" in shown
    assert ":round_pushpin: :warning: unverified · ZIP 10001 is in NY, not CA" in shown


async def test_managers_mark_vendor_credit_from_leads(side: SlackSide) -> None:
    lead = await side.posted_lead()
    refused = answer(await leads(side, f"credit {lead.id} requested", REP))
    assert refused.startswith(messages.MANAGERS_ONLY.format(what="mark vendor credit"))
    assert answer(await leads(side, f"credit {lead.id} maybe", BOSS)).startswith("Usage: `/leads credit")
    for state in ("requested", "granted"):
        done = answer(await leads(side, f"credit {lead.id} {state}", BOSS))
        assert done.startswith(messages.CREDIT_MARKED.format(lead_id=lead.id, state=state))
    kinds = [(e.kind, e.actor) for e in await side.store.events.for_lead(lead.id)]
    assert ("credit_requested", BOSS) in kinds and ("credit_granted", BOSS) in kinds
    assert not [k for k, actor in kinds if k.startswith("credit") and actor == REP]
