"""store/outbox.py: items retried with their delay, finished once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from store.outbox import PostedCard
from store.store import Store
from tests.store.helpers import new_lead


async def test_outbox_retry_and_done(store: Store) -> None:
    now = datetime.now(UTC)
    clocked = Store(store.engine, clock=lambda: now)
    first = await clocked.outbox.enqueue("post_card", lead_id=None, channel="C1")
    second = await clocked.outbox.enqueue("post_card", lead_id=None, channel="C1")
    assert [d.id for d in await clocked.outbox.due()] == [first, second]
    await clocked.outbox.retry(first, "ratelimited", delay=timedelta(seconds=30))
    assert [d.id for d in await clocked.outbox.due()] == [second]
    await clocked.outbox.done(second)
    assert await clocked.outbox.pending_count() == 1
    later = Store(store.engine, clock=lambda: now + timedelta(seconds=31))
    due = await later.outbox.due()
    assert [(d.id, d.attempts) for d in due] == [(first, 1)]


async def test_finish_records_a_pass_in_one_write(store: Store) -> None:
    posted_lead = await store.leads.add(new_lead("one@park.test"))
    claimed_lead = await store.leads.add(new_lead("two@park.test"))
    items = await store.outbox.lease("me", seconds=60)
    assert {i.lead_id for i in items} == {posted_lead.id, claimed_lead.id}
    assert (await store.leads.claim(claimed_lead.id, "U1")).won  # clicked while its card was on the way
    await store.outbox.finish([i.id for i in items], [PostedCard(posted_lead.id, "C_SALES", "1.1"),
                                                      PostedCard(claimed_lead.id, "C_SALES", "1.2")])
    got = await store.leads.get_many([posted_lead.id, claimed_lead.id, 999_999])
    assert set(got) == {posted_lead.id, claimed_lead.id}
    assert (got[posted_lead.id].status, got[posted_lead.id].slack_ts) == ("posted", "1.1")
    assert (got[claimed_lead.id].status, got[claimed_lead.id].slack_ts) == ("claimed", "1.2")
    assert await store.outbox.pending_count() == 0
    kinds = [e.kind for e in await store.events.for_lead(posted_lead.id)]
    assert kinds == ["intake", "posted"]


async def test_lease_with_leads_reads_the_items_leads_in_the_same_write(store: Store) -> None:
    lead = await store.leads.add(new_lead("ada@park.test"))
    note = await store.outbox.enqueue("post_text", lead_id=None, channel="C_ALERTS", payload={"text": "hi"})
    items, leads = await store.outbox.lease_with_leads("me", seconds=60)
    assert {(i.lead_id, i.kind) for i in items} == {(lead.id, "post_card"), (None, "post_text")}
    assert note in {i.id for i in items}
    assert set(leads) == {lead.id}
    assert leads[lead.id].fields["email"] == "ada@park.test" and leads[lead.id].contact_id == lead.contact_id
    assert await store.outbox.lease_with_leads("other", seconds=60) == ([], {})  # leased: nobody else takes them


async def test_finish_records_each_posted_event_with_its_contact_and_skips_a_lead_that_is_gone(store: Store) -> None:
    first = await store.leads.add(new_lead("one@park.test"))
    second = await store.leads.add(new_lead("two@park.test"))
    items, _ = await store.outbox.lease_with_leads("me", seconds=60)
    await store.outbox.finish([i.id for i in items], [PostedCard(first.id, "C_SALES", "1.1"),
                                                      PostedCard(999_999, "C_SALES", "1.9"),
                                                      PostedCard(second.id, "C_NURTURE", "1.2")])
    for lead, channel, ts in ((first, "C_SALES", "1.1"), (second, "C_NURTURE", "1.2")):
        (posted,) = [e for e in await store.events.for_lead(lead.id) if e.kind == "posted"]
        assert (posted.contact_id, posted.actor, posted.data) == (lead.contact_id, "leadbot", {"channel": channel,
                                                                                               "ts": ts})
    assert await store.events.for_lead(999_999) == []
    assert await store.outbox.pending_count() == 0


async def test_finish_and_lease_records_a_pass_and_leases_the_lane_it_freed_in_one_write(store: Store) -> None:
    lead = await store.leads.add(new_lead("ada@park.test"))
    (card,) = await store.outbox.lease("me", seconds=60)
    update = await store.outbox.enqueue("update_card", lead_id=lead.id, channel="C_SALES")  # waits behind the card
    assert await store.outbox.lease("me", seconds=60) == []

    items, leads = await store.outbox.finish_and_lease([card.id], [PostedCard(lead.id, "C_SALES", "1.1")], "me",
                                                       seconds=60)

    assert [(i.id, i.kind) for i in items] == [(update, "update_card")]  # its lane freed by the card's finish
    assert (leads[lead.id].status, leads[lead.id].slack_ts) == ("posted", "1.1")  # read after the finish
    assert await store.outbox.pending_count() == 1 and await store.outbox.lease("other", seconds=60) == []
    assert [e.kind for e in await store.events.for_lead(lead.id)] == ["intake", "posted"]
