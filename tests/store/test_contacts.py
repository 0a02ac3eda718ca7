"""store/contacts.py: a lead is filed under the person it is from (the full matching cases: tests/assess)."""

from __future__ import annotations

from store.store import Store
from tests.store.helpers import new_lead


async def test_same_email_joins_one_contact(store: Store) -> None:
    first = await store.leads.add(new_lead("Ada@Park.test".lower()))
    second = await store.leads.add(new_lead("ada@park.test"))
    other = await store.leads.add(new_lead("bo@elm.test"))
    assert first.contact_id == second.contact_id != other.contact_id
