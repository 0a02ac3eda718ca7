"""Chat intake end to end: a lead typed into Slack is stored first, read by the real extractor, answered
in its thread with Confirm / Edit / Discard, and a confirmed lead is scored and posted as a card.

Driven by Events API callbacks, shortcuts and button clicks over signed HTTP and over Socket Mode.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.intake.chat import chat_dedup_key
from bot.settings import SlackIntakeSettings
from nlp.extractor import Extractor
from tests.fakes.slack_api import BOT_USER_ID, FakeSlackApi, Message
from tests.fakes.slack_requests import (
    app_mention,
    button_payload,
    event_callback,
    message_event,
    shortcut_payload,
    view_submission,
)
from tests.slack.service import INTAKE, NURTURE, SALES, SlackSide

REP, OTHER = "U0REP0001", "U0REP0002"
VENDOR_BOT = "B0VENDOR1"
LEAD_TEXT = (
    "New lead from the trade show\n"
    "Name: Maria Lopez\n"
    "Email: maria.lopez@brightwave.example\n"
    "Phone: 415-555-0199\n"
    "Company: Brightwave Dental\n"
    "Interested in: 3 dental chairs, budget $20,000, this month"
)


@pytest.fixture
def side_options(extractor: Extractor) -> dict[str, Any]:
    intake = SlackIntakeSettings(bot_ids=(VENDOR_BOT,))
    return {"extractor": extractor, "intake": intake, "answer_after_listeners": True}


def replies(fake: FakeSlackApi, channel: str = INTAKE) -> list[Message]:
    return [m for m in fake.channel_messages(channel) if m.thread_ts]


def block_text(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(str((b.get("text") or {}).get("text", "")) for b in blocks)


def button_values(message: Message) -> dict[str, str]:
    return {e["action_id"]: e["value"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]}


async def quiet(side: SlackSide) -> None:
    """Everything the requests sent so far did is done: each was answered only after its listener returned
    (``answer_after_listeners``), and what they queued for Slack is delivered."""
    await side.settled()


async def draft_reply(side: SlackSide, count: int = 1, channel: str = INTAKE) -> Message:
    await side.fake.wait_for(lambda: len(replies(side.fake, channel)) >= count, what="the draft in the thread")
    return replies(side.fake, channel)[-1]


async def press(side: SlackSide, action: str, reply: Message, user: str = REP, value: str | None = None) -> None:
    payload = button_payload(
        action,
        value or button_values(reply)[action],
        user_id=user,
        channel=reply.channel,
        message_ts=reply.ts,
        response_url=side.fake.response_url(),
    )
    await side.driver.interactive(payload)


async def test_a_message_in_the_intake_channel_becomes_a_confirmed_card(side: SlackSide) -> None:
    event = message_event(LEAD_TEXT, user=REP, channel=INTAKE)
    await side.driver.event(event_callback(event))

    reply = await draft_reply(side)
    assert reply.thread_ts == event["ts"]
    shown = block_text(reply.blocks)
    assert "*Name:* Maria Lopez" in shown and "*Email:* maria.lopez@brightwave.example" in shown
    assert set(button_values(reply)) == {"draft_confirm", "draft_edit", "draft_discard"}
    # stored first: the raw text, as typed, waiting as a draft (never processed behind the rep's back)
    (stored,) = await side.store.messages.recent()
    assert (stored.channel, stored.raw, stored.status, stored.sender) == ("slack", LEAD_TEXT.encode(), "draft", REP)
    assert await side.store.messages.unprocessed_ids() == []

    draft_id = button_values(reply)["draft_confirm"]
    await press(side, "draft_confirm", reply)

    await side.fake.wait_for(lambda: bool(side.fake.channel_messages(SALES) or side.fake.channel_messages(NURTURE)))
    (lead,) = await side.store.leads.recent()
    assert lead.message_id == stored.id and lead.channel == "slack" and lead.fields["full_name"] == "Maria Lopez"
    assert lead.grade in ("A", "B")
    assert lead.vendor == "chat"  # credited to its way in: a note typed into chat names no vendor
    posted = await side.wait_posted(lead.id)
    assert posted.slack_channel == (SALES if lead.grade == "A" else NURTURE)
    await side.fake.wait_for(lambda: reply.edits == 1, what="the draft marked confirmed")
    assert block_text(reply.blocks).startswith(f":white_check_mark: Confirmed by <@{REP}>: lead #{lead.id}")
    assert f"card posted to <#{posted.slack_channel}>" in block_text(reply.blocks)
    message = await side.store.messages.get(stored.id)
    assert message is not None and message.status == "processed"

    await press(side, "draft_confirm", reply, user=OTHER, value=draft_id)  # a late second click changes nothing
    await side.fake.wait_for(lambda: bool(side.fake.ephemerals), what="the note")
    assert side.fake.ephemerals[0].text == "That draft was already confirmed or discarded."
    assert len(await side.store.leads.recent()) == 1


async def test_edit_opens_a_prefilled_modal_and_the_edit_is_what_gets_confirmed(side: SlackSide) -> None:
    await side.driver.event(event_callback(message_event(LEAD_TEXT, user=REP, channel=INTAKE)))
    reply = await draft_reply(side)

    await press(side, "draft_edit", reply)
    await side.fake.wait_for(lambda: bool(side.fake.views), what="the Edit modal")
    view = side.fake.views[-1]
    prefilled = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]}
    assert prefilled["f_full_name"] == "Maria Lopez" and prefilled["f_phone"] == "415-555-0199"

    values = {
        block: {"type": "plain_text_input", "value": value} for block, value in prefilled.items() if value is not None
    }
    values["f_full_name"] = {"type": "plain_text_input", "value": "María López-Ortega"}
    assert await side.driver.interactive(view_submission(view, values, user_id=REP)) == {}

    await side.fake.wait_for(lambda: reply.edits == 1, what="the draft re-rendered")
    assert "*Name:* María López-Ortega" in block_text(reply.blocks)
    await press(side, "draft_confirm", reply)
    await side.fake.wait_for(lambda: reply.edits == 2, what="the draft confirmed")
    (lead,) = await side.store.leads.recent()
    assert lead.fields["full_name"] == "María López-Ortega"
    assert lead.fields["email"] == "maria.lopez@brightwave.example"


async def test_discard_keeps_the_message_and_makes_no_lead(side: SlackSide) -> None:
    await side.driver.event(event_callback(message_event(LEAD_TEXT, user=REP, channel=INTAKE)))
    reply = await draft_reply(side)

    await press(side, "draft_discard", reply)

    await side.fake.wait_for(lambda: reply.edits == 1, what="the draft discarded")
    assert block_text(reply.blocks) == f":wastebasket: Discarded by <@{REP}>."
    assert await side.store.leads.recent() == []
    (message,) = await side.store.messages.recent()
    assert message.status == "discarded"


async def test_app_mention_anywhere_and_the_same_message_twice_make_one_draft(side: SlackSide) -> None:
    mention = app_mention(f"<@{BOT_USER_ID}> {LEAD_TEXT}", user=REP, channel=INTAKE)
    # In the intake channel Slack delivers the message twice: as a message and as an app mention.
    plain = {**mention, "type": "message", "channel_type": "channel"}
    await side.driver.event(event_callback(mention))
    await side.driver.event(event_callback(plain))
    elsewhere = app_mention(f"<@{BOT_USER_ID}> Name: Tom Baker, tom@bakerbuilds.example", user=REP, channel="C0RANDOM")
    await side.driver.event(event_callback(elsewhere))

    await draft_reply(side, channel="C0RANDOM")
    await draft_reply(side)
    await quiet(side)
    assert len(replies(side.fake)) == 1
    (stored,) = [
        m for m in await side.store.messages.recent() if m.dedup_key == chat_dedup_key("C0RANDOM", elsewhere["ts"])
    ]
    assert stored.raw == b"Name: Tom Baker, tom@bakerbuilds.example"  # the mention itself is not the lead
    assert len(await side.store.messages.recent()) == 2


async def test_a_retried_event_is_handled_once(side: SlackSide) -> None:
    callback = event_callback(message_event(LEAD_TEXT, user=REP, channel=INTAKE), event_id="Ev0RETRY01")
    await side.driver.event(callback)
    await draft_reply(side)
    await side.driver.event(callback)  # Slack's retry: same event_id
    await side.driver.event(callback)

    await quiet(side)
    assert len(replies(side.fake)) == 1
    assert await side.store.events.seen_slack_event("Ev0RETRY01") is True


@pytest.mark.parametrize(
    ("event", "read"),
    [
        (message_event(LEAD_TEXT, user=None, channel=INTAKE, bot_id=VENDOR_BOT, subtype="bot_message"), True),
        (message_event(LEAD_TEXT, user="U0OTHERBOT", channel=INTAKE, bot_id="B0STRANGER"), False),
        (message_event(LEAD_TEXT, user=BOT_USER_ID, channel=INTAKE, bot_id="B0LEADBOT"), False),
        (message_event(LEAD_TEXT, user=REP, channel="C0RANDOM"), False),
        (message_event(LEAD_TEXT, user=REP, channel=INTAKE, thread_ts="1700000000.000001"), False),
        (message_event(LEAD_TEXT, user=REP, channel=INTAKE, subtype="channel_join"), False),
    ],
    ids=["allow-listed vendor bot", "other bot", "our own message", "other channel", "thread reply", "join"],
)
async def test_which_messages_are_intake(side: SlackSide, event: dict[str, Any], read: bool) -> None:
    await side.driver.event(event_callback(dict(event)))
    if read:
        reply = await draft_reply(side)
        assert "*Name:* Maria Lopez" in block_text(reply.blocks)
        (stored,) = await side.store.messages.recent()
        assert stored.sender == VENDOR_BOT
    else:
        await quiet(side)
        assert replies(side.fake) == [] and await side.store.messages.recent() == []


async def test_the_message_shortcut_reads_any_message(side: SlackSide) -> None:
    payload = shortcut_payload(
        LEAD_TEXT,
        user_id=REP,
        author=OTHER,
        channel="C0GENERAL",
        message_ts="1700000100.000200",
        response_url=side.fake.response_url(),
    )
    assert await side.driver.interactive(payload) == {}

    reply = await draft_reply(side, channel="C0GENERAL")
    assert reply.thread_ts == "1700000100.000200"
    assert "*Email:* maria.lopez@brightwave.example" in block_text(reply.blocks)
    (stored,) = await side.store.messages.recent()
    assert stored.sender == OTHER and stored.raw == LEAD_TEXT.encode()


async def test_a_message_without_a_lead_offers_edit_and_discard(side: SlackSide) -> None:
    await side.driver.event(event_callback(message_event("lunch at noon, anyone?", user=REP, channel=INTAKE)))
    reply = await draft_reply(side)
    assert "I could not find a lead in that message" in block_text(reply.blocks)
    assert set(button_values(reply)) == {"draft_edit", "draft_discard"}
