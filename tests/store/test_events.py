"""store/events.py: the lead's log, Slack event ids remembered for dedup, events about no single lead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from store.store import Store
from tests.store.helpers import new_lead


async def test_a_slack_event_id_is_new_once_until_forgotten(store: Store) -> None:
    assert not await store.events.seen_slack_event("Ev001")
    assert await store.events.seen_slack_event("Ev001")
    assert await store.events.forget_slack_events(older_than=timedelta(minutes=-1)) == 1
    assert not await store.events.seen_slack_event("Ev001")


async def test_lead_and_service_events(store: Store) -> None:
    lead = await store.leads.add(new_lead(post_to=None))
    note = await store.events.record(lead.id, "note", actor="U1", data={"x": 1})
    assert note.lead_id == lead.id and note.contact_id == lead.contact_id and note.data == {"x": 1}
    assert [e.kind for e in await store.events.for_lead(lead.id)] == ["intake", "note"]
    assert await store.events.last_at("c_digest") is None
    await store.events.record_service("c_digest", {"leads": 0, "post": {"channel": "C_ALERTS", "text": "3 C leads"}})
    last = await store.events.last_at("c_digest")
    assert last is not None and last <= datetime.now(UTC)
    [item] = await store.outbox.due()
    assert (item.kind, item.channel) == ("post_text", "C_ALERTS")
    assert item.payload == {"text": "3 C leads", "in_thread": False}
