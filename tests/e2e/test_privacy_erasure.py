"""Erasing a person everywhere, Slack included (issue 13), through signed Slack requests.

A lead is posted to the Slack stand-in, claimed (the owner gets the full card by DM), noted, and the
person writes again (a reply in the card's thread and a DM to the owner); a manager runs `/leads erase`.
Afterwards no message at the stand-in and no column of any table holds any of the person's values,
the statistics still count the leads, and a second erase changes nothing.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.settings import SlackRoles
from bot.slack.erasure import ERASE_ALREADY, ERASED_TEXT
from parsers.lead import RawMessage
from store.db import utcnow
from store.records import LeadRecord
from store.stats import compute_stats
from store.store import Store
from store.tables import Base, Event, OutboxItem
from tests.fakes.slack_api import FakeSlackApi, Response
from tests.fakes.slack_requests import block_actions_payload, slash_command
from tests.slack.leads import new_lead
from tests.slack.service import SALES, SIDES, SlackSide, running_slack_side, side_store

BOSS, REP = "U0BOSS01", "U0REP0001"
EMAIL, STREET = "dana.whitaker@example.org", "12 Harbour Street"
#: every value of the person's: none may survive the erasure, in Slack or in the database
VALUES = (
    "Dana", "Whitaker", EMAIL, "+1 617 555 0134", "617-555-0134", "6175550134", STREET, "Whitaker Logistics",
)  # fmt: skip
RAW = (
    b"From: AutoLeads <leads@autoleads.example>\r\nTo: leads@dealer.example\r\n"
    b"Subject: New lead: Dana Whitaker\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Name: Dana Whitaker\r\nEmail: dana.whitaker@example.org\r\nPhone: 617-555-0134\r\n"
    b"Address: 12 Harbour Street, Leeds\r\n"
)


def found_in(text: str) -> list[str]:
    return [value for value in VALUES if value.lower() in text.lower()]


@pytest.fixture(params=SIDES)
async def side(request: pytest.FixtureRequest, slack_api: FakeSlackApi) -> AsyncIterator[SlackSide]:
    slack_api.user_groups["S0REPS"] = [REP]
    roles = SlackRoles(reps=("S0REPS",), managers=(BOSS,))
    async with side_store(request) as (mode, store), running_slack_side(store, slack_api, mode, roles=roles) as running:
        yield running


async def receive(side: SlackSide, key: str) -> LeadRecord:
    """The person's mail, stored and read into a lead (its card queued for #sales)."""
    accepted = await side.store.messages.accept(
        RawMessage(raw=RAW + key.encode(), channel="smtp", sender="leads@autoleads.example"), dedup_key=f"mid:{key}"
    )
    made = new_lead("Dana Whitaker", post_to=SALES)
    made = dataclasses.replace(made, fields={**made.fields, "street": STREET, "phone": "617-555-0134"})
    (lead,) = await side.store.messages.complete(accepted.id, [made], vendor="AutoLeads")
    side.worker.wake()
    return lead


async def leads(side: SlackSide, text: str, user: str) -> Response:
    key = f"r{len(side.fake.responses)}"
    await side.driver.command(
        slash_command(text, user_id=user, channel=SALES, response_url=side.fake.response_url(key))
    )
    await side.fake.wait_for(lambda: any(r.key == key for r in side.fake.responses), what=f"/leads {text}")
    return next(r for r in side.fake.responses if r.key == key)


def slack_now(fake: FakeSlackApi) -> dict[tuple[str, str], str]:
    """Every message at the stand-in as it reads now (text and blocks), by (channel, ts)."""
    return {
        (channel, m.ts): m.text + "\n" + json.dumps(m.blocks, ensure_ascii=False)
        for channel, messages in fake.messages.items()
        for m in messages
    }


async def database_text(side: SlackSide) -> list[tuple[str, str, str]]:
    """(table, column, value) for every text, JSON and binary value of every table."""
    out: list[tuple[str, str, str]] = []
    async with side.store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in (await conn.execute(select(table))).mappings():
                for column, value in row.items():
                    if isinstance(value, bytes):
                        text = value.decode("latin-1")
                    elif isinstance(value, dict | list):
                        text = json.dumps(value, ensure_ascii=False)
                    elif isinstance(value, str):
                        text = value
                    else:
                        continue
                    out.append((table.name, str(column), text))
    return out


async def counts(side: SlackSide) -> tuple[int, int]:
    async with side.store.engine.connect() as conn:
        items = await conn.scalar(select(func.count()).select_from(OutboxItem))
        events = await conn.scalar(select(func.count()).select_from(Event))
    return int(items or 0), int(events or 0)


def stats_view(stats: Any) -> tuple[Any, ...]:
    return stats.leads, stats.by_grade, stats.claimed, stats.outcomes, stats.by_source


async def test_erasure_reaches_every_slack_message_and_every_column(side: SlackSide) -> None:
    fake = side.fake
    first = await side.wait_posted((await receive(side, "one")).id)

    await side.driver.interactive(block_actions_payload(first, user_id=REP))
    await fake.wait_for(lambda: bool(fake.channel_messages(fake.dm_channels.get(REP, "-"))), what="the DM card")
    noted = await leads(side, f"note {first.id} called Dana Whitaker on 617-555-0134, at 12 Harbour Street", REP)
    assert str(first.id) in noted.text
    # a reminder the rep set, with a note about the person (Remind me's modal keeps it in the timer)
    await side.store.timers.add(first.id, "remind", started_at=utcnow(), due_at=utcnow() + timedelta(days=1),
                                data={"user": REP, "note": "call Dana Whitaker on 617-555-0134"})
    again = await receive(side, "two")  # the person writes again: a reply in the card's thread, a DM to REP
    await side.settled()

    before = slack_now(fake)
    about_person = {where for where, text in before.items() if found_in(text)}
    thread = [m for m in fake.channel_messages(SALES) if m.thread_ts == first.slack_ts]
    dms = fake.channel_messages(fake.dm_channels[REP])
    assert thread and len(dms) == 2, (thread, dms)  # the owner's card and the repeat notice
    assert (SALES, str(first.slack_ts)) in about_person
    assert any(found_in(text) for _, _, text in await database_text(side))
    stats_before = stats_view(await compute_stats(side.store.engine, since=None, until=utcnow()))

    contact_id = first.contact_id
    assert contact_id is not None
    erased = await leads(side, f"erase {EMAIL}", BOSS)
    assert f"contact {contact_id}" in erased.text and "2 lead(s)" in erased.text, erased.text
    await side.settled()

    # Slack: every message about the person now reads as the neutral message; nothing else was touched
    after = slack_now(fake)
    assert {where: found_in(text) for where, text in after.items() if found_in(text)} == {}
    for where in about_person:
        assert ERASED_TEXT in after[where]
    changed = {where for where, text in before.items() if after[where] != text}
    assert about_person <= changed and all(ERASED_TEXT in after[where] for where in changed)
    assert {where[0] for where in changed} == {SALES, fake.dm_channels[REP]}
    assert await side.store.outbox.pending_count() == 0

    # the database: no text, JSON or binary column of any table holds a value of theirs
    leftovers = [(table, column) for table, column, text in await database_text(side) if found_in(text)]
    assert leftovers == []

    # statistics still count both leads (grade, status, owner, outcome kept)
    stats_after = stats_view(await compute_stats(side.store.engine, since=None, until=utcnow()))
    assert stats_after == stats_before and stats_after[0] == 2
    kept = await side.store.leads.get(first.id)
    assert kept is not None and kept.owner == REP and kept.grade == first.grade and kept.fields == {}
    history = await side.store.contacts.history(contact_id)
    assert history is not None and history.contact.email is None and history.contact.name is None
    (event,) = [e for e in history.events if e.kind == "erased"]
    assert event.actor == BOSS and event.data == {"leads": 2, "messages": 2, "slack_messages": len(changed)}

    # a second erase (by contact id now: the email is gone) changes nothing
    held = await counts(side)
    assert (await leads(side, f"erase {contact_id}", BOSS)).text == ERASE_ALREADY
    assert (await leads(side, f"erase {EMAIL}", BOSS)).text.startswith("No contact matches")
    assert await counts(side) == held and slack_now(fake) == after

    # someone who writes again is a new contact
    back = await side.store.leads.add(new_lead("Dana Whitaker", post_to=None))
    assert again.contact_id == contact_id and back.contact_id is not None and back.contact_id != contact_id
    fresh = await side.store.contacts.get(back.contact_id)
    assert fresh is not None and fresh.email == EMAIL


async def test_only_managers_erase(side: SlackSide) -> None:
    lead = await side.wait_posted((await receive(side, "one")).id)
    answer = await leads(side, f"erase {EMAIL}", REP)
    assert "only managers" in answer.text
    stored = await side.store.leads.get(lead.id)
    assert stored is not None and stored.fields.get("email") == EMAIL


async def test_erasure_survives_a_restart_and_a_rate_limit(sqlite_url: str, slack_api: FakeSlackApi) -> None:
    """`leadbot erase` while the service is down: the erasure waits in the outbox, and the next start
    clears the card and the owner's DM through a rate limit."""
    slack_api.user_groups["S0REPS"] = [REP]
    roles = SlackRoles(reps=("S0REPS",), managers=(BOSS,))
    store = Store.open(sqlite_url)
    await store.migrate()
    try:
        async with running_slack_side(store, slack_api, "socket", roles=roles) as first_run:
            lead = await first_run.wait_posted((await receive(first_run, "one")).id)
            await first_run.driver.interactive(block_actions_payload(lead, user_id=REP))
            await slack_api.wait_for(
                lambda: bool(slack_api.channel_messages(slack_api.dm_channels.get(REP, "-"))), what="the DM card"
            )
            await first_run.settled()
        assert lead.contact_id is not None
        erased = await store.privacy.erase(lead.contact_id, actor="cli")
        assert erased.slack_messages == 2 and await store.outbox.pending_count() == 2
        assert any(found_in(text) for text in slack_now(slack_api).values())

        updated_before = len(slack_api.calls("chat.update"))
        slack_api.fail("chat.update", status=429, retry_after=1)
        async with running_slack_side(store, slack_api, "socket", roles=roles) as second_run:
            await second_run.settled()
        assert await store.outbox.pending_count() == 0
        statuses = [c.status for c in slack_api.calls("chat.update")[updated_before:]]
        assert statuses == [429, 200, 200]
        assert {where: found_in(text) for where, text in slack_now(slack_api).items() if found_in(text)} == {}
    finally:
        await store.close()
