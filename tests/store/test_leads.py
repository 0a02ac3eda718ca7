"""store/leads.py: the atomic claim, and lead work under the policy's check on the locked row."""

from __future__ import annotations

import asyncio

import pytest

from bot.assess.work import work_check
from store.records import LeadRecord, WorkRefused
from store.store import Store
from tests.store.helpers import new_lead


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
