"""Masking until claimed, and roles on reading, through signed Slack requests (issue 13).

A card shows a rep enough to decide to claim, never the email, phone, street or surname; the claimer gets
the full card privately; a manager can unmask; "View original", `/leads show` and search answer only
those allowed to read what they would show, and others get a polite refusal without the details.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator

import pytest

from bot.settings import PrivacySettings, SlackRoles
from bot.slack import messages
from parsers.lead import RawMessage
from store.records import LeadRecord
from tests.fakes.slack_api import FakeSlackApi, Response
from tests.fakes.slack_requests import block_actions_payload, button_payload, slash_command
from tests.slack.leads import new_lead
from tests.slack.received import everything_shown
from tests.slack.service import SALES, SIDES, SlackSide, running_slack_side, side_store, sqlite_slack_side

BOSS, REP, OTHER, STRANGER, AUDITOR = "U0BOSS01", "U0REP0001", "U0REP0002", "U0STRANGE", "U0AUDIT1"
EMAIL, PHONE, STREET = "dana.whitaker@example.org", "+1 617 555 0134", "12 Harbour Street"
PRIVATE = (EMAIL, PHONE, "617 555 0134", "617-555-0134", STREET, "Whitaker")
RAW = (
    b"From: AutoLeads <leads@autoleads.example>\r\nTo: leads@dealer.example\r\n"
    b"Subject: New lead: Dana Whitaker\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Name: Dana Whitaker\r\nEmail: dana.whitaker@example.org\r\nPhone: 617-555-0134\r\n"
    b"Address: 12 Harbour Street, Leeds\r\n"
)
ROLES = SlackRoles(reps=("S0REPS",), managers=(BOSS,))


def leaked(text: str) -> list[str]:
    return [value for value in PRIVATE if value.lower() in text.lower()]


async def start(side: SlackSide, fake: FakeSlackApi) -> LeadRecord:
    """A lead with its original message, its card posted to #sales."""
    fake.user_groups["S0REPS"] = [REP, OTHER]
    store = side.store
    accepted = await store.messages.accept(
        RawMessage(raw=RAW, channel="smtp", sender="leads@autoleads.example"), dedup_key="mid:privacy-1"
    )
    made = new_lead("Dana Whitaker", post_to=SALES)
    made = dataclasses.replace(
        made, fields={**made.fields, "street": STREET, "city": "Leeds", "region": "West Yorkshire"}
    )
    (lead,) = await store.messages.complete(accepted.id, [made], vendor="AutoLeads")
    side.worker.wake()
    return await side.wait_posted(lead.id)


async def leads(side: SlackSide, text: str, user: str) -> Response:
    key = f"r{len(side.fake.responses)}"
    await side.driver.command(
        slash_command(text, user_id=user, channel=SALES, response_url=side.fake.response_url(key))
    )
    await side.fake.wait_for(lambda: any(r.key == key for r in side.fake.responses), what=f"/leads {text}")
    return next(r for r in side.fake.responses if r.key == key)


def answer(response: Response) -> str:
    return "\n".join([response.text, *(str(t) for t in _texts(response.body.get("blocks") or []))])


def _texts(blocks: list[dict[str, object]]) -> list[object]:
    return [(b.get("text") or {}).get("text", "") for b in blocks if isinstance(b.get("text"), dict)]  # type: ignore[union-attr]


async def click(side: SlackSide, action: str, lead: LeadRecord, user: str) -> None:
    await side.driver.interactive(
        button_payload(
            action, str(lead.id), user_id=user, channel=SALES, message_ts=str(lead.slack_ts),
            response_url=side.fake.response_url(),
        )
    )  # fmt: skip


async def refusal_to(side: SlackSide, user: str, count: int) -> str:
    await side.fake.wait_for(lambda: len([e for e in side.fake.ephemerals if e.user == user]) >= count, what="a note")
    return [e for e in side.fake.ephemerals if e.user == user][count - 1].text


def channel_text(side: SlackSide) -> str:
    """Everything ever shown in #sales: each post and every version of each edited card."""
    return "\n".join(
        s.joined for s in everything_shown(side.fake) if s.where == SALES and s.how != "chat.postEphemeral"
    )


@pytest.fixture(params=SIDES)
async def side(request: pytest.FixtureRequest, slack_api: FakeSlackApi) -> AsyncIterator[SlackSide]:
    privacy = PrivacySettings(original_roles=(AUDITOR,))
    async with (
        side_store(request) as (mode, store),
        running_slack_side(store, slack_api, mode, roles=ROLES, privacy=privacy) as running,
    ):
        yield running


async def test_a_non_owner_never_receives_the_contact_details(side: SlackSide) -> None:
    fake = side.fake
    lead = await start(side, fake)

    card = channel_text(side)
    assert leaked(card) == [] and "*Dana*" in card and "Leeds, West Yorkshire" in card
    assert messages.MASKED_NOTE in card and "2024 Ford Transit 350 cargo van" in card

    # another rep, before anyone claims: the contact, the original and the details are not theirs
    asked_by_other = {f"r{len(fake.responses)}", f"r{len(fake.responses) + 1}"}
    shown = answer(await leads(side, f"show {lead.id}", OTHER))
    assert leaked(shown) == [] and "*Dana*" in shown and messages.MASKED_CONTACT in shown
    found = answer(await leads(side, "search Dana", OTHER))
    assert f"#{lead.id} *Dana*" in found and leaked(found) == []
    await click(side, "view_original", lead, OTHER)
    assert await refusal_to(side, OTHER, 1) == messages.NOT_ALLOWED_ORIGINAL
    await click(side, "show_details", lead, OTHER)
    assert await refusal_to(side, OTHER, 2) == messages.NOT_ALLOWED_DETAILS
    assert fake.views == []

    # REP claims: the channel card stays masked, REP gets the full card by DM and may read everything
    await side.driver.interactive(block_actions_payload(lead, user_id=REP))
    await fake.wait_for(lambda: bool(fake.channel_messages(fake.dm_channels.get(REP, "-"))), what="the DM card")
    await side.settled()
    card = channel_text(side)
    assert leaked(card) == [] and f"Claimed by <@{REP}>" in card
    (dm,) = fake.channel_messages(fake.dm_channels[REP])
    dm_text = str(dm.blocks)
    assert EMAIL in dm_text and PHONE in dm_text and "Dana Whitaker" in dm_text
    mine = answer(await leads(side, f"show {lead.id}", REP))
    assert EMAIL in mine and "Dana Whitaker" in mine
    await click(side, "view_original", lead, REP)
    await fake.wait_for(lambda: len(fake.views) == 1, what="the original, for its owner")
    assert "617-555-0134" in str(fake.views[0]["blocks"])

    # OTHER still sees no details
    asked_by_other.add(f"r{len(fake.responses)}")
    assert leaked(answer(await leads(side, f"show {lead.id}", OTHER))) == []

    # a manager unmasks: only to them
    await click(side, "show_details", lead, BOSS)
    details = await refusal_to(side, BOSS, 1)
    (shown_to_boss,) = [e for e in fake.ephemerals if e.user == BOSS]
    assert EMAIL in str(shown_to_boss.blocks) and PHONE in str(shown_to_boss.blocks) and details
    assert EMAIL in answer(await leads(side, f"show {lead.id}", BOSS))

    # shared with the channel, even the owner's answers are masked
    shared = [await leads(side, f"show {lead.id} share", REP), await leads(side, "mine share", REP)]
    assert all(not r.ephemeral and f"#{lead.id} *Dana*" in answer(r) for r in shared)

    # over the whole run, nothing OTHER could see carried a private value: the channel (every version of
    # the card, answers shared to it), OTHER's ephemerals and answers; and OTHER got no DM
    seen = [s.joined for s in everything_shown(fake) if s.where in (SALES, OTHER)]
    seen += [answer(r) for r in fake.responses if not r.ephemeral or r.key in asked_by_other]
    assert len(seen) >= 8 and [t for t in seen if leaked(t)] == []
    assert OTHER not in fake.dm_channels


async def test_reading_needs_a_role(side: SlackSide) -> None:
    fake = side.fake
    lead = await start(side, fake)

    for text in (f"show {lead.id}", f"show {EMAIL}", "search Dana", "unclaimed"):
        refused = await leads(side, text, STRANGER)
        assert refused.text == messages.NOT_ALLOWED_READ and refused.ephemeral
        assert leaked(answer(refused)) == [] and "Dana" not in answer(refused)
    await click(side, "view_original", lead, STRANGER)
    assert await refusal_to(side, STRANGER, 1) == messages.NOT_ALLOWED_ORIGINAL
    await click(side, "show_details", lead, STRANGER)
    assert await refusal_to(side, STRANGER, 2) == messages.NOT_ALLOWED_DETAILS
    assert fake.views == []

    # a configured role (an auditor) may open originals and read contact details, without being a rep
    await click(side, "view_original", lead, AUDITOR)
    await fake.wait_for(lambda: len(fake.views) == 1, what="the original, for the auditor")
    assert EMAIL in answer(await leads(side, f"show {lead.id}", AUDITOR))
    # a rep may search and list, without the details
    listed = answer(await leads(side, "unclaimed", OTHER))
    assert f"#{lead.id} *Dana*" in listed and leaked(listed) == []


@pytest.fixture
async def unmasked_side(sqlite_url: str, slack_api: FakeSlackApi) -> AsyncIterator[SlackSide]:
    privacy = PrivacySettings(mask_unclaimed=False)
    async with sqlite_slack_side(sqlite_url, slack_api, roles=ROLES, privacy=privacy) as running:
        yield running


async def test_with_masking_off_cards_and_reps_show_contacts_but_originals_stay_private(
    unmasked_side: SlackSide,
) -> None:
    side, fake = unmasked_side, unmasked_side.fake
    lead = await start(side, fake)

    card = channel_text(side)
    assert EMAIL in card and PHONE in card and "Dana Whitaker" in card
    assert "show_details" not in str(fake.message(SALES, str(lead.slack_ts)))
    assert EMAIL in answer(await leads(side, f"show {lead.id}", OTHER))
    await click(side, "view_original", lead, OTHER)
    assert await refusal_to(side, OTHER, 1) == messages.NOT_ALLOWED_ORIGINAL
    await side.driver.interactive(block_actions_payload(lead, user_id=REP))
    await fake.wait_for(lambda: bool(fake.calls("chat.update")), what="the claimed card")
    await side.settled()
    assert REP not in fake.dm_channels  # the card itself is complete: no DM card
