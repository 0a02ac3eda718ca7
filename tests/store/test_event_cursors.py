"""Following the events table (issue 14): lead events after an id, and a cursor per follower that only
moves forward, shared by any number of instances."""

from __future__ import annotations

from store.store import Store
from tests.slack.leads import new_lead


async def test_events_after_an_id_in_order_of_the_kinds_asked(store: Store) -> None:
    assert await store.events.high_water() == 0
    first = await store.leads.add(new_lead("Anna Becker"))
    start = await store.events.high_water()
    second = await store.leads.add(new_lead("Otto Brandt"))
    await store.leads.claim(second.id, "U0REP")
    await store.events.record_service("c_digest", {"leads": []})  # about no lead: not followed

    after = await store.events.after(start)
    assert [(e.lead_id, e.kind) for e in after] == [(second.id, "intake"), (second.id, "claimed")]
    assert [e.kind for e in await store.events.after(0, kinds={"claimed"})] == ["claimed"]
    assert [e.lead_id for e in await store.events.after(0, kinds={"intake"}, limit=1)] == [first.id]
    assert await store.events.high_water() > after[-1].id  # the service event counts for the newest id


async def test_a_cursor_starts_where_asked_once_and_never_moves_back(store: Store) -> None:
    assert await store.event_cursors.get("hooks", start=7) == 7
    assert await store.event_cursors.get("hooks", start=99) == 7  # created once
    await store.event_cursors.advance("hooks", 12)
    await store.event_cursors.advance("hooks", 10)  # a slower instance: no step back
    assert await store.event_cursors.get("hooks", start=0) == 12
    assert await store.event_cursors.get("acknowledgements", start=3) == 3  # one cursor per follower


async def test_the_high_water_before_a_moment(store: Store) -> None:
    first = await store.leads.add(new_lead("Anna Becker"))
    [intake] = [e for e in await store.events.for_lead(first.id) if e.kind == "intake"]
    assert await store.events.high_water(before=intake.at) == intake.id
    assert await store.events.high_water(before=intake.at.replace(year=2000)) == 0
