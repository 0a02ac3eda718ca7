"""Working a lead from its card, end to end: the real Bolt app served over HTTP (signed requests) and over
Socket Mode (envelopes), the real store on SQLite and PostgreSQL, the Slack stand-in on loopback.

View original → modal; claim → work buttons; Log activity / Set outcome / Reassign → modals whose
submissions write events and update the card; Release → the card is claimable again; only the owner or a
manager may act, and everyone else gets a polite ephemeral.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.assess.work import work_check
from bot.settings import SlackRoles
from nlp.extractor import Extractor
from parsers.lead import RawMessage
from store.records import LeadRecord
from store.store import Store
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import block_actions_payload, button_payload, view_submission
from tests.slack.leads import WORK_ACTIONS, new_lead, owner_line
from tests.slack.service import SALES, SlackSide, running_slack_side

BOSS, REP, OTHER = "U0BOSS01", "U0REP0001", "U0REP0002"

EMAIL = (
    b"From: AutoLeads <leads@autoleads.example>\r\n"
    b"To: leads@dealer.example\r\n"
    b"Subject: New lead: Dana Whitaker <@here>\r\n"
    b"Message-ID: <lead-77@autoleads.example>\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Name: Dana Whitaker\r\nEmail: dana@whitaker.test\r\nPhone: 617-555-0134\r\n"
    b"Comments: Looking for a cargo van <!channel> & a quote by Friday.\r\n"
)


@pytest.fixture
def side_options(extractor: Extractor) -> dict[str, Any]:
    return {"extractor": extractor, "roles": SlackRoles(managers=(BOSS,))}


async def click(side: SlackSide, action: str, lead: LeadRecord, user: str) -> None:
    payload = button_payload(
        action,
        str(lead.id),
        user_id=user,
        channel=str(lead.slack_channel),
        message_ts=str(lead.slack_ts),
        response_url=side.fake.response_url(),
    )
    await side.driver.interactive(payload)


async def claimed_lead(side: SlackSide, user: str = REP) -> LeadRecord:
    lead = await side.posted_lead(channel=SALES)
    await side.driver.interactive(block_actions_payload(lead, user_id=user))
    await side.fake.wait_for(lambda: bool(side.fake.calls("chat.update")), what="the claimed card")
    stored = await side.store.leads.get(lead.id)
    assert stored is not None and stored.owner == user
    return stored


async def opened_view(side: SlackSide, callback_id: str, count: int = 1) -> dict[str, Any]:
    def opened() -> list[dict[str, Any]]:
        return [v for v in side.fake.views if v.get("callback_id") == callback_id]

    await side.fake.wait_for(lambda: len(opened()) >= count, what=f"the {callback_id} modal")
    return opened()[-1]


def actions(blocks: list[dict[str, Any]]) -> list[str]:
    return [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]


def texts(view: dict[str, Any]) -> str:
    out = []
    for block in view["blocks"]:
        if isinstance(block.get("text"), dict):
            out.append(block["text"]["text"])
        out += [e.get("text", "") for e in block.get("elements") or () if isinstance(e.get("text"), str)]
    return "\n".join(out)


def text_input(value: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def option(value: str) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value}}


async def test_view_original_shows_the_message_as_received(side: SlackSide) -> None:
    accepted = await side.store.messages.accept(
        RawMessage(raw=EMAIL, channel="smtp", sender="leads@autoleads.example"), dedup_key="mid:test-77"
    )
    (lead,) = await side.store.messages.complete(accepted.id, [new_lead(post_to=SALES)], vendor="AutoLeads")
    side.worker.wake()
    lead = await side.wait_posted(lead.id)

    await click(side, "view_original", lead, OTHER)  # not the owner, not a manager: politely refused
    await side.fake.wait_for(lambda: bool(side.fake.ephemerals), what="the refusal")
    assert [(e.user, e.text) for e in side.fake.ephemerals] == [
        (OTHER, "Sorry, only the lead's owner and managers can open the original message.")
    ]
    assert side.fake.views == []
    await click(side, "view_original", lead, BOSS)

    view = await opened_view(side, "view_original")
    shown = texts(view)
    assert view["type"] == "modal" and view["title"]["text"] == "Original message" and "submit" not in view
    assert "Looking for a cargo van &lt;!channel&gt; &amp; a quote by Friday." in shown  # escaped, inert
    assert "*Subject:* New lead: Dana Whitaker &lt;@\u2060here&gt;" in shown  # @here defused too
    assert "• +20 phone number verified" in shown  # the top reasons
    assert f"lead #{lead.id}" in shown and " old" in shown and "received <!date^" in shown
    assert len(side.fake.ephemerals) == 1


async def test_log_activity_is_an_event_sets_first_touch_and_updates_the_card(side: SlackSide) -> None:
    lead = await claimed_lead(side)
    assert actions(side.card(lead)) == WORK_ACTIONS

    await click(side, "log_activity", lead, REP)
    view = await opened_view(side, "log_activity")
    empty = await side.driver.interactive(view_submission(view, {"activity": option("call")}, user_id=REP))
    assert empty == {"response_action": "errors", "errors": {"text": "Write what happened."}}
    submission = {"activity": option("call"), "text": text_input("Left a voicemail about the van.")}
    assert await side.driver.interactive(view_submission(view, submission, user_id=REP)) == {}

    await side.fake.wait_for(lambda: len(side.fake.calls("chat.update")) == 2, what="the second card update")
    stored = await side.store.leads.get(lead.id)
    assert stored is not None and stored.first_touch_at is not None
    events = [e for e in await side.store.events.for_lead(lead.id) if e.kind == "follow_up"]
    assert [(e.actor, e.data) for e in events] == [
        (REP, {"activity": "call", "text": "Left a voicemail about the van."})
    ]


async def test_set_outcome_checks_the_input_and_closes_the_lead(side: SlackSide) -> None:
    lead = await claimed_lead(side)
    await click(side, "set_outcome", lead, REP)
    view = await opened_view(side, "set_outcome")

    def outcome(value: str, **fields: str) -> dict[str, Any]:
        values = {"outcome": {"type": "radio_buttons", "selected_option": {"value": value}}}
        values.update({k: text_input(v) for k, v in fields.items()})
        return view_submission(view, values, user_id=REP)

    assert (await side.driver.interactive(outcome("won")))["errors"] == {
        "amount": "A won deal needs its amount (a number, e.g. 12500)."
    }
    assert (await side.driver.interactive(outcome("won", amount="lots")))["errors"] == {
        "amount": "Write the amount as a number, e.g. 12500 or 12,500.50."
    }
    assert (await side.driver.interactive(outcome("lost")))["errors"] == {"reason": "Say why (a short reason)."}
    assert await side.driver.interactive(outcome("won", amount="$12,500")) == {}

    await side.fake.wait_for(lambda: len(side.fake.calls("chat.update")) == 2, what="the closed card")
    stored = await side.store.leads.get(lead.id)
    assert stored is not None and (stored.status, stored.outcome, stored.outcome_amount) == ("closed", "won", 12500.0)
    assert stored.closed_at is not None
    assert owner_line(side.card(lead)) == f":trophy: Closed: *Won* · 12,500 · Claimed by <@{REP}>"
    assert actions(side.card(lead)) == ["reopen", "view_original", "show_details"]
    (event,) = [e for e in await side.store.events.for_lead(lead.id) if e.kind == "outcome"]
    assert event.data == {"outcome": "won", "amount": 12500.0, "reason": None}


async def test_release_restores_the_card_for_anyone_to_claim(side: SlackSide) -> None:
    lead = await claimed_lead(side)

    await click(side, "release", lead, REP)

    await side.fake.wait_for(lambda: len(side.fake.calls("chat.update")) == 2, what="the restored card")
    assert actions(side.card(lead)) == ["claim", "view_original", "show_details"]
    stored = await side.store.leads.get(lead.id)
    assert stored is not None and stored.owner is None and stored.status == "posted"
    await side.driver.interactive(block_actions_payload(lead, user_id=OTHER))
    await side.fake.wait_for(lambda: len(side.fake.calls("chat.update")) == 3, what="the second claim")
    kinds = [(e.kind, e.actor) for e in await side.store.events.for_lead(lead.id)]
    assert kinds[-3:] == [("claimed", REP), ("released", REP), ("claimed", OTHER)]


@pytest.mark.parametrize("action", ["log_activity", "set_outcome", "release"])
async def test_only_the_owner_or_a_manager_may_act(side: SlackSide, action: str) -> None:
    lead = await claimed_lead(side)

    await click(side, action, lead, OTHER)

    await side.fake.wait_for(lambda: bool(side.fake.ephemerals), what="the refusal")
    assert [(e.user, e.text) for e in side.fake.ephemerals] == [
        (OTHER, f"Sorry, lead #{lead.id} belongs to <@{REP}>; only they or a manager can do that.")
    ]
    assert side.fake.views == []
    stored = await side.store.leads.get(lead.id)
    assert stored is not None and stored.owner == REP and stored.status == "claimed"

    await click(side, action, lead, BOSS)  # a manager may act on any lead
    if action == "release":
        await side.fake.wait_for(lambda: len(side.fake.calls("chat.update")) == 2, what="the released card")
        released = await side.store.leads.get(lead.id)
        assert released is not None and released.owner is None
    else:
        await opened_view(side, action)
    assert len(side.fake.ephemerals) == 1


async def test_a_modal_submitted_after_the_lead_changed_hands_is_refused(side: SlackSide) -> None:
    lead = await claimed_lead(side)
    await click(side, "log_activity", lead, REP)
    view = await opened_view(side, "log_activity")
    await side.store.leads.reassign(lead.id, OTHER, BOSS, check=work_check("reassign", manager=True))  # meanwhile

    submission = {"activity": option("note"), "text": text_input("Too late.")}
    await side.driver.interactive(view_submission(view, submission, user_id=REP))

    await side.fake.wait_for(lambda: bool(side.fake.ephemerals), what="the refusal")
    assert (
        side.fake.ephemerals[0].text
        == f"Sorry, lead #{lead.id} belongs to <@{OTHER}>; only they or a manager can do that."
    )
    assert not [e for e in await side.store.events.for_lead(lead.id) if e.kind == "follow_up"]


async def test_reassign_is_for_managers_and_tells_the_new_owner(side: SlackSide) -> None:
    lead = await claimed_lead(side)

    await click(side, "reassign", lead, REP)
    await side.fake.wait_for(lambda: bool(side.fake.ephemerals), what="the refusal")
    assert side.fake.ephemerals[0].text == "Sorry, only managers can reassign leads."

    await click(side, "reassign", lead, BOSS)
    view = await opened_view(side, "reassign")
    assert view["blocks"][-1]["element"] == {"type": "users_select", "action_id": "value", "initial_user": REP}
    chosen = {"user": {"type": "users_select", "selected_user": OTHER}}
    assert await side.driver.interactive(view_submission(view, chosen, user_id=BOSS)) == {}

    fake = side.fake
    # the new owner's DMs: the note and the full card (the claimer's own DM card came before)
    await fake.wait_for(lambda: len(fake.channel_messages(fake.dm_channels.get(OTHER, "-"))) == 2, what="the DMs")
    await side.settled()
    stored = await side.store.leads.get(lead.id)
    assert stored is not None and stored.owner == OTHER
    assert f"Claimed by <@{OTHER}>" in owner_line(side.card(lead))
    dm, card = fake.channel_messages(fake.dm_channels[OTHER])
    assert dm.text == f"<@{BOSS}> assigned you lead #{lead.id}."
    assert "dana.whitaker@example.org" in str(card.blocks)  # the new owner gets the full card
    (event,) = [e for e in await side.store.events.for_lead(lead.id) if e.kind == "reassigned"]
    assert (event.actor, event.data) == (BOSS, {"from": REP, "to": OTHER})


async def test_unknown_lead_on_a_work_button_is_answered_politely(side: SlackSide) -> None:
    lead = await claimed_lead(side)
    payload = button_payload(
        "set_outcome", "99999", user_id=REP, channel=SALES, message_ts=str(lead.slack_ts), response_url=""
    )
    await side.driver.interactive(payload)
    await side.fake.wait_for(lambda: bool(side.fake.ephemerals), what="the note")
    assert side.fake.ephemerals[0].text == "That lead no longer exists."


@pytest.fixture
async def reps_side(store: Store, slack_api: FakeSlackApi) -> AsyncIterator[SlackSide]:
    slack_api.user_groups["S0REPS"] = [REP]
    async with running_slack_side(store, slack_api, "http", roles=SlackRoles(reps=("S0REPS",))) as running:
        yield running


async def test_with_reps_configured_only_reps_claim(reps_side: SlackSide) -> None:
    side = reps_side
    lead = await side.posted_lead(channel=SALES)

    await side.driver.interactive(block_actions_payload(lead, user_id=OTHER))
    await side.fake.wait_for(lambda: bool(side.fake.ephemerals), what="the refusal")
    assert (
        side.fake.ephemerals[0].text == "Sorry, only reps can claim leads here. Ask a manager to add you to the reps."
    )

    await side.driver.interactive(block_actions_payload(lead, user_id=REP))  # a member of the S0REPS group
    await side.fake.wait_for(lambda: bool(side.fake.calls("chat.update")), what="the claim")
    stored = await side.store.leads.get(lead.id)
    assert stored is not None and stored.owner == REP
    assert len(side.fake.calls("usergroups.users.list")) == 1  # membership is cached
