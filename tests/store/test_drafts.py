"""store/drafts.py: a chat draft is confirmed or discarded once (a double click does nothing more)."""

from __future__ import annotations

import asyncio

from store.store import Store
from tests.store.helpers import new_lead, raw_message


async def test_confirm_is_a_compare_and_set(store: Store) -> None:
    accepted = await store.messages.accept(raw_message(), dedup_key="chat-1")
    draft = await store.drafts.create(message_id=accepted.id, author="U1", channel="C1", vendor=None,
                                      fields={"full_name": "Ada Park"}, provenance={})
    message = await store.messages.get(accepted.id)
    assert message is not None and message.status == "draft"
    assert await store.messages.unprocessed_ids() == []
    edited = await store.drafts.edit(draft.id, {"full_name": "Ada Parker"})
    assert edited is not None and edited.provenance["full_name"] == {"source": "edited"}
    results = await asyncio.gather(*(store.drafts.confirm(draft.id, "U1", new_lead()) for _ in range(3)))
    leads = [r for r in results if r is not None]
    assert len(leads) == 1 and leads[0].message_id == accepted.id
    assert not await store.drafts.discard(draft.id, "U1")
    decided = await store.drafts.get(draft.id)
    assert decided is not None and decided.status == "confirmed" and decided.lead_id == leads[0].id
    message = await store.messages.get(accepted.id)
    assert message is not None and message.status == "processed"
    assert await store.drafts.edit(draft.id, {"full_name": "late"}) is None


async def test_discard_keeps_the_message_as_discarded(store: Store) -> None:
    accepted = await store.messages.accept(raw_message(), dedup_key="chat-2")
    draft = await store.drafts.create(message_id=accepted.id, author="U1", channel="C1", vendor=None,
                                      fields={}, provenance={})
    assert await store.drafts.discard(draft.id, "U2")
    assert await store.drafts.confirm(draft.id, "U1", new_lead()) is None
    message = await store.messages.get(accepted.id)
    assert message is not None and message.status == "discarded"
    assert await store.leads.recent() == []
