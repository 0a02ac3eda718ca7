"""store/reps.py: who is away, how loaded each rep is, who had the last auto-assignment."""

from __future__ import annotations

from store.store import Store
from tests.store.helpers import new_lead


async def test_away_and_load(store: Store) -> None:
    await store.reps.set_away("U1", True)
    await store.reps.set_away("U2", True)
    await store.reps.set_away("U2", False)
    assert await store.reps.away() == {"U1"}
    lead = await store.leads.add(new_lead(post_to=None))
    assert (await store.leads.claim(lead.id, "U2")).won
    assert await store.reps.open_lead_counts(["U1", "U2"]) == {"U1": 0, "U2": 1}
    assert await store.reps.last_auto_assigned() is None
    await store.events.record(lead.id, "auto_assigned", actor="leadbot", data={"user": "U2"})
    assert await store.reps.last_auto_assigned() == "U2"
