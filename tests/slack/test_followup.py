"""Follow-up in the conversation (issue 14), end to end: signed HTTP requests and Socket Mode envelopes to
the real Bolt app, the real store (SQLite; PostgreSQL too where the store does something new), the outbox
delivering to the Slack stand-in on loopback.

Logged work echoes in the card's thread (masked while cards are); a closed lead is re-opened by its owner or
a manager; a reassign tells the previous owner; DMs to the bot answer like `/leads`; the escalation post's
Claim button claims; `/leads remind` and "Remind me" become a DM at the time named, sent once.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from bot.settings import PrivacySettings, RoutingSettings, SlackChannels, SlackRoles
from bot.settings.routing import EscalationStep
from bot.slack.standin import BOT_USER_ID, Message
from bot.workers.sla import SlaWorker
from store.db import utcnow
from store.records import LeadRecord
from tests.conftest import migrated_store
from tests.e2e.test_slack_work import actions, claimed_lead, click, opened_view, text_input
from tests.fakes.slack_api import FakeSlackApi, Response
from tests.fakes.slack_requests import button_payload, event_callback, message_event, slash_command, view_submission
from tests.slack.service import SALES, SIDES, SlackSide, running_slack_side, side_store

BOSS, REP, OTHER = "U0BOSS01", "U0REP0001", "U0REP0002"
WIDER = "C0SALESALL"
ROLES = SlackRoles(managers=(BOSS,))


@pytest.fixture(params=SIDES)
async def side(request: pytest.FixtureRequest, slack_api: FakeSlackApi) -> AsyncIterator[SlackSide]:
    async with side_store(request) as (mode, store), running_slack_side(store, slack_api, mode, roles=ROLES) as running:
        yield running


@pytest.fixture
async def open_side(sqlite_url: str, slack_api: FakeSlackApi) -> AsyncIterator[SlackSide]:
    """Cards unmasked (``[privacy] mask_unclaimed = false``): the thread may quote what was logged."""
    async with migrated_store(sqlite_url) as store, running_slack_side(
        store, slack_api, "http", roles=ROLES, privacy=PrivacySettings(mask_unclaimed=False)
    ) as running:
        yield running


async def leads(side: SlackSide, text: str, user: str = REP, channel: str = SALES) -> Response:
    key = f"r{len(side.fake.responses)}"
    ack = await side.driver.command(slash_command(text, user_id=user, channel=channel,
                                                 response_url=side.fake.response_url(key)))
    assert ack == {}
    await side.fake.wait_for(lambda: any(r.key == key for r in side.fake.responses), what=f"the answer to {text!r}")
    return next(r for r in side.fake.responses if r.key == key)


def thread(side: SlackSide, lead: LeadRecord) -> list[Message]:
    return [m for m in side.fake.channel_messages(str(lead.slack_channel)) if m.thread_ts == lead.slack_ts]


def dms(side: SlackSide, user: str) -> list[Message]:
    return side.fake.channel_messages(side.fake.dm_channels.get(user, "-"))


async def wait_thread(side: SlackSide, lead: LeadRecord, count: int) -> list[Message]:
    await side.fake.wait_for(lambda: len(thread(side, lead)) >= count, what=f"{count} note(s) in the card's thread")
    return thread(side, lead)


# ---- activity in the thread ---------------------------------------------------------------------------------


async def test_logged_work_appears_in_the_cards_thread_without_its_text_while_cards_are_masked(
    side: SlackSide,
) -> None:
    lead = await claimed_lead(side)
    await click(side, "log_activity", lead, REP)
    view = await opened_view(side, "log_activity")
    values = {"activity": {"type": "static_select", "selected_option": {"value": "call"}},
              "text": text_input("Spoke to Dana on 617-555-0134, wants a quote")}
    assert await side.driver.interactive(view_submission(view, values, user_id=REP)) == {}
    await wait_thread(side, lead, 1)  # the modal acknowledges before it logs: the call's note first, then type
    assert (await leads(side, f"note {lead.id} sent the brochure to dana@whitaker.test")).text == (
        f"Noted on lead #{lead.id}."
    )

    call, note = await wait_thread(side, lead, 2)
    assert call.text == (
        f":telephone_receiver: *Call* logged by <@{REP}> (the text is in `/leads show {lead.id}` for its owner "
        "and managers)."
    )
    assert note.text.startswith(f":memo: *Note* logged by <@{REP}> (")
    assert "617" not in call.text + note.text and "dana@" not in note.text
    kinds = [e.kind for e in await side.store.events.for_lead(lead.id)]
    assert kinds.count("follow_up") == 2


async def test_unmasked_the_thread_quotes_what_was_logged_made_inert(open_side: SlackSide) -> None:
    lead = await claimed_lead(open_side)
    await leads(open_side, f"note {lead.id} Called <!channel>, back on Friday\nasked for <https://x.test|a link>")

    (note,) = await wait_thread(open_side, lead, 1)
    assert note.text == (
        f":memo: *Note* logged by <@{REP}>:\nCalled &lt;!channel&gt;, back on Friday\n"
        "asked for &lt;https://x.test|a link&gt;"
    )


# ---- re-open --------------------------------------------------------------------------------------------------


async def test_the_owner_reopens_a_closed_lead_from_its_card(side: SlackSide) -> None:
    lead = await claimed_lead(side)
    assert (await leads(side, f"outcome {lead.id} lost went with a rival")).text == f"Lead #{lead.id} closed as Lost."
    await side.settled()
    assert actions(side.card(lead))[0] == "reopen"

    await click(side, "reopen", lead, OTHER)  # neither the owner nor a manager
    await side.fake.wait_for(lambda: bool(side.fake.ephemerals), what="the refusal")
    refusal = f"Sorry, lead #{lead.id} belongs to <@{REP}>; only they or a manager can do that."
    assert side.fake.ephemerals[-1].text == refusal

    await click(side, "reopen", lead, REP)
    (note,) = await wait_thread(side, lead, 1)
    assert note.text == f":arrows_counterclockwise: Re-opened by <@{REP}> (it was Lost)."
    await side.settled()
    stored = await side.store.leads.get(lead.id)
    assert stored is not None
    assert (stored.status, stored.owner, stored.outcome, stored.closed_at) == ("claimed", REP, None, None)
    assert actions(side.card(lead))[:3] == ["log_activity", "set_outcome", "remind"]
    reopened = [e for e in await side.store.events.for_lead(lead.id) if e.kind == "reopened"]
    assert [(e.actor, e.data["outcome"]) for e in reopened] == [(REP, "lost")]
    history = (await leads(side, f"show {lead.id}")).body["blocks"][-1]["text"]["text"]
    assert f"reopened by <@{REP}> (it was Lost) · lead #{lead.id}" in history
    not_closed = f"Lead #{lead.id} is not closed; there is nothing to re-open."
    assert (await leads(side, f"reopen {lead.id}")).text == not_closed


async def test_a_manager_reopens_by_command_and_an_unowned_lead_is_up_for_grabs(side: SlackSide) -> None:
    lead = await side.posted_lead(channel=SALES)
    assert (await leads(side, f"outcome {lead.id} disqualified spam", user=BOSS)).text.endswith("Disqualified.")
    assert (await leads(side, f"reopen {lead.id}", user=REP)).text == (
        f"Lead #{lead.id} is not claimed yet; claim it first."
    )
    assert (await leads(side, f"reopen {lead.id}", user=BOSS)).text == f"Lead #{lead.id} is open again."

    await side.settled()
    stored = await side.store.leads.get(lead.id)
    assert stored is not None and (stored.status, stored.owner, stored.outcome) == ("posted", None, None)
    assert actions(side.card(lead))[0] == "claim"
    (timer,) = await side.store.timers.query(lead_id=lead.id)  # a fresh claim clock, as after a release
    assert timer.kind == "claim" and timedelta(minutes=14) < timer.due_at - utcnow() <= timedelta(minutes=15)


# ---- reassign -------------------------------------------------------------------------------------------------


async def test_the_previous_owner_hears_of_a_reassign(side: SlackSide) -> None:
    lead = await claimed_lead(side)
    await click(side, "reassign", lead, BOSS)
    view = await opened_view(side, "reassign")
    chosen = {"user": {"type": "users_select", "selected_user": OTHER}}
    assert await side.driver.interactive(view_submission(view, chosen, user_id=BOSS)) == {}

    await side.fake.wait_for(lambda: any("reassigned" in m.text for m in dms(side, REP)), what="the DM to REP")
    told = [m.text for m in dms(side, REP) if "reassigned" in m.text]
    assert told == [f"<@{BOSS}> reassigned lead #{lead.id} (Dana Whitaker, grade A, AutoLeads, 2024 Ford Transit 350 "
                    f"cargo van), which you had, to <@{OTHER}>."]
    assert dms(side, OTHER)[0].text == f"<@{BOSS}> assigned you lead #{lead.id}."


# ---- DMs to the bot -------------------------------------------------------------------------------------------

#: the DM the person writes in (the outbox's DMs to them go through conversations.open, another channel here)
DM = "D0CHAT0001"


def dm_event(text: str, user: str = REP) -> dict[str, Any]:
    return event_callback(message_event(text, user=user, channel=DM, channel_type="im"))


async def dm_answers(side: SlackSide, count: int) -> list[Message]:
    await side.fake.wait_for(lambda: len(side.fake.channel_messages(DM)) >= count, what=f"{count} DM answer(s)")
    return side.fake.channel_messages(DM)


def shown(message: Message) -> str:
    return message.text + "\n" + "\n".join(str((b.get("text") or {}).get("text", "")) for b in message.blocks)


async def test_a_dm_to_the_bot_is_a_command_without_the_slash(side: SlackSide) -> None:
    lead = await claimed_lead(side)
    await side.driver.event(dm_event(f"show {lead.id}"))
    (contact,) = await dm_answers(side, 1)
    assert contact.text == "Contact: Dana Whitaker"  # the owner sees it all
    assert "dana.whitaker@example.org" in shown(contact)

    # the bot's own message in the DM is no command; the next one is answered, and only it
    await side.driver.event(event_callback(message_event("Contact: Dana", user=BOT_USER_ID, channel=DM,
                                                         channel_type="im")))
    await side.driver.event(dm_event("/leads mine share"))
    mine = (await dm_answers(side, 2))[1]
    assert mine.text == "*Your open leads* (1)" and "Whitaker Logistics" in shown(mine)  # never "shared": unmasked

    await side.driver.event(dm_event("good morning!"))
    help_ = (await dm_answers(side, 3))[2]
    assert help_.text.startswith("I did not understand that.") and "`/leads remind <id> <when>`" in help_.text

    await side.driver.event(dm_event("outcome 12"))
    usage = (await dm_answers(side, 4))[3]
    assert usage.text.startswith("Usage: `/leads outcome <id> won <amount>")
    assert len(side.fake.channel_messages(DM)) == 4


async def test_a_dm_stats_and_a_slash_command_from_a_dm(side: SlackSide) -> None:
    await claimed_lead(side)
    await side.driver.event(dm_event("stats 7d", user=BOSS))
    (stats,) = await dm_answers(side, 1)
    assert stats.text.startswith("Pipeline") and stats.blocks  # the stats answer, as `/leads stats 7d` gives it

    answer = await leads(side, "unclaimed", channel=DM)  # /leads typed in the DM with the bot
    assert answer.text == "Every card is claimed. :tada:" and answer.ephemeral


# ---- the escalation's Claim button ----------------------------------------------------------------------------


async def test_the_escalation_post_claims_like_the_card(side: SlackSide) -> None:
    lead = await side.posted_lead(channel=SALES)
    routing = RoutingSettings(escalation=(EscalationStep(after_minutes=30, channel=WIDER),))
    sla = SlaWorker(side.store, routing, SlackChannels(sales=SALES), on_outbox=side.worker.wake)
    await side.store.timers.add(lead.id, "claim", step=1, started_at=lead.created_at, due_at=utcnow())
    assert await sla.tick() == [f"lead {lead.id}: escalation 1"]
    await side.fake.wait_for(lambda: bool(side.fake.channel_messages(WIDER)), what="the escalation post")
    (post,) = side.fake.channel_messages(WIDER)
    claim = next(e for b in post.blocks if b["type"] == "actions" for e in b["elements"])
    assert (claim["action_id"], claim["value"], claim["style"]) == ("claim", str(lead.id), "primary")
    assert post.text.startswith(f"🚨 lead #{lead.id} (Dana, grade A")  # first name only: a channel reads it

    clicked = button_payload("claim", str(lead.id), user_id=OTHER, channel=WIDER, message_ts=post.ts,
                             response_url=side.fake.response_url())
    await side.driver.interactive(clicked)
    await side.fake.wait_for(lambda: post.edits == 1, what="the escalation marked claimed")
    assert (post.text, post.blocks) == (f":white_check_mark: Lead #{lead.id} was claimed by <@{OTHER}>.", [])
    await side.settled()
    stored = await side.store.leads.get(lead.id)
    assert stored is not None and stored.owner == OTHER
    assert actions(side.card(lead))[0] == "log_activity"  # the card itself shows the claim


# ---- reminders --------------------------------------------------------------------------------------------------


async def test_remind_by_command_becomes_one_dm_at_that_time(side: SlackSide) -> None:
    lead = await claimed_lead(side)
    wrong = await leads(side, f"remind {lead.id} whenever")
    assert wrong.text.startswith("I could not read “whenever” as a time.")
    answer = await leads(side, f"remind {lead.id} in 2h")
    assert answer.text.startswith(f":alarm_clock: I will remind you about lead #{lead.id} <!date^")
    (timer,) = await side.store.timers.query(lead_id=lead.id)
    assert (timer.kind, timer.data) == ("remind", {"user": REP})
    assert timedelta(hours=1, minutes=59) < timer.due_at - utcnow() <= timedelta(hours=2)

    early = SlaWorker(side.store, RoutingSettings(), SlackChannels(), on_outbox=side.worker.wake)
    assert await early.tick() == []  # not yet
    later = [SlaWorker(side.store, RoutingSettings(), SlackChannels(), on_outbox=side.worker.wake,
                       clock=lambda: utcnow() + timedelta(hours=2, seconds=1), instance=f"sla:{n}") for n in range(3)]
    fired = await asyncio.gather(*(worker.tick() for worker in later))
    assert sorted(note for notes in fired for note in notes) == [f"lead {lead.id}: reminded {REP}"]
    await side.settled()
    reminders = [m.text for m in dms(side, REP) if "Reminder" in m.text]
    assert reminders == [f":alarm_clock: Reminder: lead #{lead.id} (Dana Whitaker, grade A, AutoLeads, 2024 Ford "
                         "Transit 350 cargo van)."]


async def test_remind_me_button_asks_when_in_a_modal(side: SlackSide) -> None:
    lead = await claimed_lead(side)
    await click(side, "remind", lead, OTHER)  # a rep who does not own it: the first name only
    view = await opened_view(side, "remind")
    assert view["blocks"][0]["text"]["text"] == f"*Dana* (lead #{lead.id})"
    quick = next(b for b in view["blocks"] if b.get("block_id") == "quick")["element"]
    assert [o["value"] for o in quick["options"]] == ["in 1 hour", "in 3 hours", "tomorrow", "monday"]
    none = await side.driver.interactive(view_submission(view, {}, user_id=OTHER))
    assert none == {"response_action": "errors", "errors": {"quick": "Choose when, or write it."}}
    bad = await side.driver.interactive(view_submission(view, {"when": text_input("someday")}, user_id=OTHER))
    assert bad["response_action"] == "errors" and bad["errors"]["when"].startswith("I could not read “someday”")

    chosen = {"type": "static_select", "selected_option": {"value": "tomorrow"}}  # a quick choice: its opening
    values = {"quick": chosen, "note": text_input("ask about the trade-in")}
    assert await side.driver.interactive(view_submission(view, values, user_id=OTHER)) == {}
    await side.fake.wait_for(lambda: any("remind you" in e.text for e in side.fake.ephemerals), what="the confirmation")
    (confirmation,) = [e for e in side.fake.ephemerals if "remind you" in e.text]
    assert (confirmation.channel, confirmation.user) == (SALES, OTHER)  # where the button was clicked
    (timer,) = await side.store.timers.query(lead_id=lead.id)
    assert timer.data == {"user": OTHER, "note": "ask about the trade-in"}
    tomorrow = (utcnow() + timedelta(days=1)).date()
    assert (timer.due_at.date(), timer.due_at.hour, timer.due_at.minute) == (tomorrow, 9, 0)  # UTC business day

    sla = SlaWorker(side.store, RoutingSettings(), SlackChannels(), on_outbox=side.worker.wake,
                    clock=lambda: timer.due_at)
    assert await sla.tick() == [f"lead {lead.id}: reminded {OTHER}"]
    await side.fake.wait_for(lambda: any("Reminder" in m.text for m in dms(side, OTHER)), what="the reminder")
    (reminder,) = [m.text for m in dms(side, OTHER) if "Reminder" in m.text]
    assert reminder == (f":alarm_clock: Reminder: lead #{lead.id} (Dana, grade A, AutoLeads, 2024 Ford Transit 350 "
                        "cargo van).\nYour note: ask about the trade-in")
