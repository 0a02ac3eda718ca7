"""store/imports.py: webhook keys taken once; imported rows deduplicated by key across files."""

from __future__ import annotations

from store.contacts import LOAD_CHUNK
from store.records import ImportCandidate, IntakeKeyClaim
from store.store import Store
from tests.store.helpers import new_lead, raw_message


async def test_an_intake_key_is_new_once_then_names_its_message(store: Store) -> None:
    first = await store.imports.claim_key("portal", "key-1")
    again = await store.imports.claim_key("portal", "key-1")
    assert first.new and not again.new and again.message_id is None
    await store.imports.release_key("key-1")  # the first request could not be stored: a retry is taken
    assert (await store.imports.claim_key("portal", "key-1")).new
    accepted = await store.messages.accept(raw_message(), dedup_key="hook-1")
    await store.imports.link_key("key-1", accepted.id)
    await store.imports.release_key("key-1")  # a stored request's key is kept
    assert await store.imports.claim_key("portal", "key-1") == IntakeKeyClaim(new=False, message_id=accepted.id)


async def test_rows_are_imported_once_by_key(store: Store) -> None:
    rows = [
        ImportCandidate(2, {"email": "ada@park.test"}, "k-ada", new_lead("ada@park.test")),
        ImportCandidate(3, {"email": "ada@park.test"}, "k-ada", new_lead("ada@park.test")),
        ImportCandidate(4, {"email": ""}, None, None, reason="no email or phone"),
    ]
    batch = await store.imports.start("leads.csv", "fair")
    outcomes = await store.imports.add_rows(batch, rows)
    assert [(o.row_number, o.status) for o in outcomes] == [(2, "imported"), (3, "duplicate"), (4, "invalid")]
    assert outcomes[0].lead_id is not None and outcomes[0].grade == "A"
    assert await store.imports.known_keys(["k-ada", "k-bo"]) == {"k-ada"}
    second = await store.imports.start("leads-again.csv", "fair")
    [repeat] = await store.imports.add_rows(second, rows[:1])
    assert repeat.status == "duplicate" and repeat.lead_id is None
    await store.imports.finish(second, rows=1, imported=0, duplicates=1, invalid=0)
    assert len(await store.leads.recent()) == 1


async def test_a_batch_beyond_one_contact_query_finds_known_people_in_every_chunk(store: Store) -> None:
    first = await store.leads.add(new_lead("aa-known@park.test"))
    last = await store.leads.add(new_lead("zz-known@park.test"))
    emails = ["aa-known@park.test", *(f"row{n:04d}@park.test" for n in range(LOAD_CHUNK + 20)), "zz-known@park.test"]
    rows = [ImportCandidate(n + 2, {"email": email}, f"k-{email}", new_lead(email)) for n, email in enumerate(emails)]
    outcomes = await store.imports.add_rows(await store.imports.start("big.csv", "fair"), rows)
    assert all(o.status == "imported" and o.lead_id is not None for o in outcomes)
    filed = await store.leads.get_many([o.lead_id for o in outcomes if o.lead_id is not None])
    contacts = [filed[o.lead_id].contact_id for o in outcomes if o.lead_id is not None]
    assert (contacts[0], contacts[-1]) == (first.contact_id, last.contact_id)  # the known, in both chunks
    assert len(set(contacts[1:-1])) == LOAD_CHUNK + 20 and not {first.contact_id, last.contact_id} & set(contacts[1:-1])
