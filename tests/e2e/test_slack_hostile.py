"""A hostile lead through every kind of message the bot sends, end to end (issue 13).

One web-form submission carries a broadcast (``<!channel>``), a user mention, a disguised link, a
right-to-left override, NUL and escape characters and 50,000-character values. It is posted, reminded
about, escalated, auto-assigned, nudged, repeated, digested, looked up, opened, shown, reassigned and
claimed, all through the real Bolt app, the real outbox and SLA workers and signed Slack requests, against
the Slack stand-in. Every message, update, ephemeral, modal, Home tab and command answer that reached it
must be valid (the stand-in applies Slack's Block Kit limits) and inert: no ping, no link, no reference
but the ones our own notes make, no control or bidirectional character.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from bot.assess.assessor import Routing
from bot.assess.assessor import new_lead as pipeline_lead
from bot.assess.scoring import score_lead
from bot.settings import RoutingSettings, SlackChannels, SlackRoles, load_settings
from bot.slack.notes import repeat_notice
from bot.workers.sla import SlaWorker
from nlp.extractor import Extractor
from parsers.lead import RawMessage
from store.db import utcnow
from store.records import LeadRecord, NewLead
from tests.assess.helpers import Clock, extracted
from tests.fakes.slack_api import FakeSlackApi
from tests.fakes.slack_requests import (
    app_home_opened,
    block_actions_payload,
    button_payload,
    event_callback,
    message_event,
    slash_command,
    view_submission,
)
from tests.slack.conftest import extractor as extractor
from tests.slack.leads import new_lead
from tests.slack.received import everything_shown, live_markup, unsafe_chars
from tests.slack.service import INTAKE, SALES, SlackSide, sqlite_slack_side

BOSS, REP, OTHER = "U0BOSS01", "U0REP0001", "U0REP0002"
ESCALATE, ALERTS = "C0ESCALATE", "C0ALERTS"
HUGE = 50_000

NAME = "<!channel> <@U123> Bob \u202eSmith\x00\x07"
HOSTILE = {
    "full_name": NAME,
    "email": "<mailto:bob@evil.example|bob@bank.example>",
    "phone": "+1 617 555 0199 <!here>",
    "company": "<!everyone> Corp\u2066",
    "street": "1 <#C0EVIL> Road\u200f",
    "city": "<!here> Town\u061c",
    "interest": "<https://evil.example|Verify your Slack session> " + "A" * HUGE,
    "message": "NUL\x00 escape\x1b[31m <@U123> " + "B" * HUGE,
    "budget": "``` $5 ```",
    "timeline": "<!subteam^S0ALL> this week\u202d",
}
VENDOR = "<!channel> Vendor\u202e"
REASONS = ("+20 <!channel> phone number verified", "+15 <https://evil.example|says> " + "C" * HUGE)
RAW = (
    b"From: Vendor <leads@vendor.example>\r\nTo: leads@dealer.example\r\n"
    b"Subject: =?utf-8?b?" + __import__("base64").b64encode(("<!channel> " + NAME).encode()) + b"?=\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\n"
    + f"Name: {NAME}\r\nComments: <https://evil.example|Verify your Slack session> \u202e {'D' * HUGE}\r\n".encode()
)
#: the people and channels our own notes may name (the lead's <@U123> and <#C0EVIL> are not among them)
OURS = frozenset({BOSS, REP, OTHER, SALES, ESCALATE, ALERTS, INTAKE})


def hostile_lead(**changes: object) -> NewLead:
    base = new_lead("x", post_to=SALES)
    changes = {"contact_email": "bob@evil.example", **changes}
    return dataclasses.replace(base, vendor=VENDOR, fields=dict(HOSTILE), reasons=REASONS, **changes)


def routing() -> RoutingSettings:
    values = {
        "claim_sla_minutes": 15,
        "escalation": [{"after_minutes": 30, "channel": ESCALATE}, {"after_minutes": 45, "managers": True}],
        "managers": [BOSS],
        "auto_assign": "round_robin",
        "auto_assign_after_minutes": 60,
        "reps": [REP],
        "first_touch_minutes": 60,
        "c_digest_hours": 1,
    }
    return load_settings(None, overrides={f"routing.{k}": v for k, v in values.items()}).routing


@pytest.fixture
async def side(sqlite_url: str, slack_api: FakeSlackApi) -> AsyncIterator[SlackSide]:
    # SQLite only: PostgreSQL refuses NUL in text, and what is tested here is rendering, not storing
    async with sqlite_slack_side(sqlite_url, slack_api, roles=SlackRoles(managers=(BOSS,))) as running:
        yield running


async def click(side: SlackSide, action: str, lead: LeadRecord, user: str) -> None:
    await side.driver.interactive(
        button_payload(
            action, str(lead.id), user_id=user, channel=str(lead.slack_channel), message_ts=str(lead.slack_ts),
            response_url=side.fake.response_url(),
        )
    )  # fmt: skip


async def command(side: SlackSide, text: str, user: str) -> None:
    key = f"r{len(side.fake.responses)}"
    payload = slash_command(text, user_id=user, channel=SALES, response_url=side.fake.response_url(key))
    await side.driver.command(payload)
    await side.fake.wait_for(lambda: any(r.key == key for r in side.fake.responses), what=f"/leads {text}")


async def test_a_hostile_lead_is_inert_and_valid_in_every_message(side: SlackSide) -> None:
    store, fake = side.store, side.fake
    # the lead, with its original message: a card in #sales
    accepted = await store.messages.accept(RawMessage(raw=RAW, channel="smtp", sender="leads@vendor.example"),
                                          dedup_key="mid:hostile-1")  # fmt: skip
    claim_due = utcnow() + timedelta(minutes=15)
    (lead,) = await store.messages.complete(accepted.id, [hostile_lead(claim_due_at=claim_due)], vendor=VENDOR)
    side.worker.wake()
    lead = await side.wait_posted(lead.id)
    # a grade C lead from the same vendor, for the digest
    await store.leads.add(hostile_lead(grade="C", post_to=None, contact_email="c@evil.example"))

    # the SLA: reminder (thread), escalation (channel), managers (DM), auto-assignment (thread, DM, claimed
    # card), the owner's first-touch nudge (DM), and the grade C digest (alerts channel)
    clock = Clock(utcnow())
    sla = SlaWorker(store, routing(), SlackChannels(sales=SALES, alerts=ALERTS), clock=clock)
    for minutes in (0, 16, 15, 15, 15, 61):
        clock.advance(minutes=minutes)
        await sla.tick()
        await side.settled()
    assigned = await store.leads.get(lead.id)
    assert assigned is not None and assigned.owner == REP

    # a repeat inquiry from the same person: a note in the card's thread and a DM to its owner
    again = hostile_lead(post_to=SALES, notice=repeat_notice(extracted(**HOSTILE), VENDOR))
    await store.leads.add(again)
    await side.settled()

    # what people look up: /leads show, search, unclaimed, mine, stats; the App Home; View original;
    # Show details; a reassignment (DM and full card); and a claim through the button (its DM card)
    for text, user in ((f"show {lead.id}", BOSS), ("search Bob", BOSS), ("search Bob", OTHER), ("unclaimed", OTHER),
                       ("mine", REP), ("stats all", BOSS), (f"show {lead.id} share", REP)):  # fmt: skip
        await command(side, text, user)
    await side.driver.event(event_callback(app_home_opened(REP)))
    await fake.wait_for(lambda: REP in fake.home_views, what="the App Home")
    await click(side, "view_original", assigned, BOSS)
    await fake.wait_for(lambda: bool(fake.views), what="the original")
    await click(side, "show_details", assigned, BOSS)
    await fake.wait_for(lambda: any(e.user == BOSS for e in fake.ephemerals), what="the details")
    await click(side, "reassign", assigned, BOSS)
    await fake.wait_for(lambda: len(fake.views) == 2, what="the reassign modal")
    chosen = {"user": {"type": "users_select", "selected_user": OTHER}}
    await side.driver.interactive(view_submission(fake.views[-1], chosen, user_id=BOSS))
    second = await store.leads.add(hostile_lead(contact_email="second@evil.example"))
    side.worker.wake()
    second = await side.wait_posted(second.id)
    await side.driver.interactive(block_actions_payload(second, user_id=OTHER))
    await fake.wait_for(lambda: len(fake.channel_messages(fake.dm_channels.get(OTHER, "-"))) >= 3, what="DMs")
    await side.settled()

    shown = everything_shown(fake)
    kinds = {(s.how, s.where) for s in shown}
    assert {("chat.postMessage", SALES), ("chat.update", SALES), ("chat.postMessage", ESCALATE),
            ("chat.postMessage", ALERTS), ("views.open", ""), ("views.publish", REP),
            ("chat.postEphemeral", BOSS)} <= kinds  # fmt: skip
    threaded = [c for c in fake.calls("chat.postMessage") if c.params.get("thread_ts")]
    assert len(threaded) >= 3  # reminder, auto-assignment, repeat inquiry
    dms = [c for c in fake.calls("chat.postMessage") if str(c.params.get("channel", "")).startswith("D")]
    assert len(dms) >= 6  # managers, assignee, nudge, repeat, reassignment (text and card), claim card
    assert len(fake.responses) == 7
    for item in shown:
        assert item.ok, (item.how, item.where, item.problem)
        for text in item.texts:
            assert live_markup(text, OURS) == [], (item.how, item.where, text[:300])
            assert unsafe_chars(text) == [], (item.how, item.where, text[:300])
            assert len(text) <= 40_000
    everything = "\n".join(s.joined for s in shown)
    # not vacuous: the values did arrive, as text
    assert "&lt;!channel&gt;" in everything and "&lt;@U123&gt;" in everything
    assert "&lt;https://evil.example|Verify your Slack session&gt;" in everything
    assert "Smith" in everything and "AAAA" in everything and "…" in everything


def test_the_pipeline_writes_repeat_notices_with_the_slack_renderer() -> None:
    scored = score_lead(extracted(**HOSTILE), VENDOR, load_settings(None).scoring)
    made = pipeline_lead(scored, "smtp", Routing(SlackChannels(sales=SALES), True, "US", RoutingSettings()))
    assert made.notice is not None
    assert live_markup(made.notice, OURS) == [] and unsafe_chars(made.notice) == []


@pytest.fixture
async def chat_side(sqlite_url: str, slack_api: FakeSlackApi, extractor: Extractor) -> AsyncIterator[SlackSide]:
    async with sqlite_slack_side(sqlite_url, slack_api, extractor=extractor) as running:
        yield running


async def test_a_hostile_chat_message_gets_an_inert_valid_draft_and_edit_modal(chat_side: SlackSide) -> None:
    side, fake = chat_side, chat_side.fake
    # a stray NUL or BEL is dropped and the rest read as text (issue 12): both notes get a draft with
    # Confirm / Edit / Discard, and nothing shown carries the control characters
    await side.driver.event(event_callback(message_event(f"Name: {NAME}", user=REP, channel=INTAKE)))
    text = (
        f"Name: {NAME.rstrip(chr(0) + chr(7))}\nEmail: bob@evil.example\nPhone: 617-555-0199\n"
        f"Company: <!everyone> Corp\nInterested in: <https://evil.example|Verify your Slack session> {'E' * HUGE}"
    )
    await side.driver.event(event_callback(message_event(text, user=REP, channel=INTAKE)))
    await fake.wait_for(lambda: len([m for m in fake.channel_messages(INTAKE) if m.thread_ts]) == 2, what="drafts")
    replies = [m for m in fake.channel_messages(INTAKE) if m.thread_ts]
    assert all(m.blocks for m in replies), [m.text for m in replies]
    draft = next(m for m in replies if "bob@evil.example" in json.dumps(m.blocks))
    edit = next(
        e for b in draft.blocks if b["type"] == "actions" for e in b["elements"] if e["action_id"] == "draft_edit"
    )
    await side.driver.interactive(
        button_payload("draft_edit", edit["value"], user_id=REP, channel=INTAKE, message_ts=draft.ts,
                       response_url=fake.response_url())
    )  # fmt: skip
    await fake.wait_for(lambda: bool(fake.views), what="the Edit modal")

    shown = everything_shown(fake)
    assert {s.how for s in shown} >= {"chat.postMessage", "views.open"}
    for item in shown:
        assert item.ok, (item.how, item.problem)
        for piece in item.texts:
            assert live_markup(piece, OURS) == [] and unsafe_chars(piece) == [], (item.how, piece[:300])
        assert all(unsafe_chars(value) == [] for value in item.inputs)  # editable as typed, minus bidi
    # chat intake reads Slack's own markup as markup (a broadcast is no part of a firm's name); the rest as typed
    assert any(value.endswith("Corp") for s in shown for value in s.inputs)
    assert "<https://evil.example" not in "\n".join(s.joined for s in shown)  # never a live, disguised link
