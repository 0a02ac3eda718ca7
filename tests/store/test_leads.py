"""store/leads.py: the atomic claim, and lead work under the policy's check on the locked row."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.assess.work import work_check
from store.leads import file_leads
from store.records import ClaimResult, LeadNotFound, LeadRecord, WorkRefused
from store.store import Store
from tests.store.helpers import new_lead, raw_message


async def test_twenty_racing_claims_have_one_winner(store: Store) -> None:
    lead = await store.leads.add(new_lead())
    await store.leads.mark_posted(lead.id, "C_SALES", "1700000000.000100")
    results = await asyncio.gather(*(store.leads.claim(lead.id, f"U{i:03d}") for i in range(20)))
    winners = [r for r in results if r.won]
    assert len(winners) == 1
    owner = winners[0].lead.owner
    assert all(r.lead.owner == owner for r in results)
    stored = await store.leads.get(lead.id)
    assert stored is not None and stored.status == "claimed" and stored.claimed_at is not None
    kinds = [e.kind for e in await store.events.for_lead(lead.id)]
    assert kinds == ["intake", "posted", "claimed"]
    updates = [d for d in await store.outbox.due() if d.kind == "update_card"]
    assert len(updates) == 1 and updates[0].channel == "C_SALES"
    # the owner clicking again is not a second win
    assert not (await store.leads.claim(lead.id, owner or "")).won


async def test_racing_claims_queue_the_winners_card_and_dm_once_in_lane_order(store: Store) -> None:
    lead = await store.leads.add(new_lead())
    await store.leads.mark_posted(lead.id, "C_SALES", "1700000000.000150")
    results = await asyncio.gather(*(store.leads.claim(lead.id, f"U{i:03d}", dm_owner=True) for i in range(8)))
    owner = next(r.lead.owner for r in results if r.won)
    queued = [(d.kind, d.lead_id, d.channel, d.payload) for d in await store.outbox.due() if d.lead_id == lead.id]
    # the card's update first, then the winner's full card: queued by the winning claim alone
    assert queued == [("update_card", lead.id, "C_SALES", {}), ("dm", lead.id, None, {"user": owner, "card": True})]


async def test_claims_clicked_together_on_several_leads_one_winner_each_and_a_missing_lead_fails_alone(
    store: Store,
) -> None:
    leads = [await store.leads.add(new_lead(f"p{n}@park.test")) for n in range(4)]
    clicks = [(lead.id, f"U{n}{rep}") for n, lead in enumerate(leads) for rep in "ABC"] + [(10**9, "U_LOST")]
    results = await asyncio.gather(*(store.leads.claim(lead_id, user) for lead_id, user in clicks),
                                   return_exceptions=True)
    assert isinstance(results[-1], LeadNotFound)
    for n, lead in enumerate(leads):
        mine = [r for r in results[3 * n:3 * n + 3] if isinstance(r, ClaimResult)]
        assert len(mine) == 3 and sum(r.won for r in mine) == 1
        owner = next(r.lead.owner for r in mine if r.won)
        assert owner in {f"U{n}A", f"U{n}B", f"U{n}C"} and all(r.lead.owner == owner for r in mine)
        stored = await store.leads.get(lead.id)
        assert stored is not None and stored.owner == owner
        assert [e.actor for e in await store.events.for_lead(lead.id) if e.kind == "claimed"] == [owner]


async def test_a_claim_before_the_card_is_posted_queues_only_the_dm(store: Store) -> None:
    lead = await store.leads.add(new_lead())
    assert (await store.leads.claim(lead.id, "U_FAST", dm_owner=True)).won
    queued = [(d.kind, d.payload) for d in await store.outbox.due() if d.lead_id == lead.id]
    assert ("dm", {"user": "U_FAST", "card": True}) in queued
    assert "update_card" not in [kind for kind, _ in queued]


async def test_a_refused_check_writes_nothing_and_names_the_reason(store: Store) -> None:
    lead = await store.leads.add(new_lead())
    assert (await store.leads.claim(lead.id, "U_OWNER")).won
    seen: list[tuple[LeadRecord, str]] = []

    def check(record: LeadRecord, actor: str) -> str | None:
        seen.append((record, actor))
        return "not_yours"

    with pytest.raises(WorkRefused) as refused:
        await store.leads.release(lead.id, "U_OTHER", check=check)
    assert refused.value.reason == "not_yours" and refused.value.lead.owner == "U_OWNER"
    assert [(r.id, r.owner, actor) for r, actor in seen] == [(lead.id, "U_OWNER", "U_OTHER")]
    stored = await store.leads.get(lead.id)
    assert stored is not None and stored.owner == "U_OWNER" and stored.status == "claimed"
    assert "released" not in [e.kind for e in await store.events.for_lead(lead.id)]


async def test_release_then_the_policy_refuses_a_second_release(store: Store) -> None:
    lead = await store.leads.add(new_lead())
    await store.leads.mark_posted(lead.id, "C_SALES", "1700000000.000200")
    assert (await store.leads.claim(lead.id, "U_OWNER")).won
    released = await store.leads.release(lead.id, "U_OWNER", check=work_check("release", manager=False))
    assert released.owner is None and released.status == "posted" and released.claimed_at is None
    with pytest.raises(WorkRefused) as refused:
        await store.leads.release(lead.id, "U_BOSS", check=work_check("release", manager=True))
    assert refused.value.reason == "not_claimed"


async def test_a_group_of_new_people_is_filed_as_given_with_their_cards_timers_and_events(store: Store) -> None:
    """`file_leads` writes new people in a few multi-row statements (one on PostgreSQL): every value as given."""
    now = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)
    due = now + timedelta(minutes=15)
    shapes = [
        replace(new_lead("one@park.test"), reasons=("+20 email address", "+15 says what they want", "-5 old"),
                claim_due_at=due, contact_phone="+13125550101"),
        replace(new_lead("two@park.test", post_to=None), reasons=(), fields={"email": "two@park.test"}),
        replace(new_lead("three@park.test"), invalid=True, vendor=None,
                provenance={"email": {"source": "x", "flags": ["a", "b"], "nested": {"k": [1, 2]}}}),
    ]
    messages = [(await store.messages.accept(raw_message(f"Subject: {n}\r\n\r\nx".encode()), dedup_key=f"f{n}")).id
                for n in range(len(shapes))]
    async with store._db.write() as session:
        filed = await session.run_sync(file_leads, list(zip(shapes, messages, strict=True)), "tester", now)

    assert [lead.message_id for lead in filed] == messages
    assert len({lead.contact_id for lead in filed}) == 3
    for given, record in zip(shapes, filed, strict=True):
        stored = await store.leads.get(record.id)
        assert stored == record
        assert (stored.fields, stored.provenance, stored.reasons) == (given.fields, given.provenance, given.reasons)
        assert (stored.vendor, stored.invalid, stored.status, stored.created_at) == (
            given.vendor, given.invalid, "new", now)
        [intake] = await store.events.for_lead(record.id)
        assert (intake.kind, intake.actor, intake.contact_id) == ("intake", "tester", record.contact_id)
        assert intake.data == {"vendor": given.vendor, "channel": "smtp", "grade": "A", "score": 70,
                               "contact_match": None}
    contact = await store.contacts.get(filed[0].contact_id or 0)
    assert contact is not None and (contact.email, contact.phone, contact.name) == (
        "one@park.test", "+13125550101", "Ada Park")
    cards = await store.outbox.due()
    assert sorted((c.lead_id, c.channel) for c in cards) == [(filed[0].id, "C_SALES"), (filed[2].id, "C_SALES")]
    timers = await store.timers.due(due + timedelta(seconds=1))
    assert [(t.lead_id, t.kind, t.due_at) for t in timers] == [(filed[0].id, "claim", due)]
