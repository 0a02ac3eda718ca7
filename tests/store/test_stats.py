"""store/stats.py: the invalid rate counts grade C leads and the leads stored with the ``invalid`` flag."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from store.stats import compute_stats
from store.store import Store
from tests.store.helpers import new_lead


async def test_invalid_leads_are_counted_from_the_flag(store: Store) -> None:
    await store.leads.add(new_lead("ok@park.test"))
    await store.leads.add(new_lead("bad@park", invalid=True, grade="B"))
    await store.leads.add(new_lead("c@park.test", grade="C"))
    await store.leads.add(new_lead("both@park", invalid=True, grade="C"))  # counted once
    stats = await compute_stats(store.engine, since=None, until=datetime.now(UTC) + timedelta(minutes=1))
    [portal] = stats.by_source
    assert portal.vendor == "Portal" and portal.leads == 4 and portal.invalid == 3
