"""One contact per person, on SQLite and PostgreSQL: matching, repeat inquiries, merges and their undoing."""

from __future__ import annotations

import pytest

from bot.assess.work import work_check
from bot.cli.contacts import render_history
from bot.slack.notices import outbox_text
from store.matching import name_similarity, normalise_postal, same_name
from store.store import Store
from tests.assess.helpers import a_lead


async def _contact_ids(store: Store) -> list[int | None]:
    return [lead.contact_id for lead in reversed(await store.leads.recent())]


async def test_same_email_in_another_case_is_one_contact(store: Store) -> None:
    await store.leads.add(a_lead("Priya Raman", "Priya.Raman@Fernhill.example"))
    await store.leads.add(a_lead("P. Raman", "priya.raman@fernhill.example", "503-555-0147"))
    first, second = await _contact_ids(store)
    assert first == second
    history = await store.contacts.history(first)  # type: ignore[arg-type]
    assert history is not None and history.contact.phone == "+15035550147"  # the second lead filled it in


async def test_same_phone_in_another_format_is_one_contact(store: Store) -> None:
    await store.leads.add(a_lead("Marcus Webb", "marcus@webb-roofing.example", "(415) 555-0134"))
    await store.leads.add(a_lead("Marcus Webb", "mwebb.home@gmail.com", "+1 415.555.0134"))
    first, second = await _contact_ids(store)
    assert first == second
    assert await store.contacts.find("415-555-0134") == first
    assert await store.contacts.find("+14155550134") == first


async def test_close_name_and_same_postal_code_is_one_contact_and_an_undoable_merge(store: Store) -> None:
    await store.leads.add(a_lead("Katherine Olsen", "kolsen@olsen-design.example", postal_code="97201"))
    await store.leads.add(a_lead("Kathrine Olson", "kathy.o@gmail.com", postal_code="97201-4410"))
    first, second = await _contact_ids(store)
    assert first == second
    history = await store.contacts.history(first)  # type: ignore[arg-type]
    assert history is not None
    merges = [e for e in history.events if e.kind == "merged"]
    assert len(merges) == 1 and merges[0].data["how"] == "name+postal" and merges[0].data["similarity"] >= 85
    # the second lead was filed as a repeat of the first (still open): no card of its own
    newest = history.leads[0]
    assert newest.status == "duplicate"

    undo = await store.contacts.unmerge(merges[0].id, actor="U0MANAGER")
    first_after, second_after = await _contact_ids(store)
    assert first_after == first and second_after == undo.data["to"] != first
    requeued = await store.leads.get(newest.id)
    assert requeued is not None and requeued.status == "new"
    assert undo.data["requeued"] == [newest.id]
    assert ("post_card", newest.id) in [(o.kind, o.lead_id) for o in await store.outbox.due()]
    with pytest.raises(ValueError, match="already undone"):
        await store.contacts.unmerge(merges[0].id, actor="U0MANAGER")


async def test_a_different_person_at_a_shared_company_address_is_not_merged(store: Store) -> None:
    office = {"street": "200 Harbor Way", "postal_code": "94107", "company": "Tidewater Logistics"}
    await store.leads.add(a_lead("Dana Whitfield", "dana@tidewater.example", "415-555-0100", **office))
    # same company, same postal code, same switchboard number, a different person
    await store.leads.add(a_lead("Marco Whitfield", "marco@tidewater.example", "415-555-0100", **office))
    await store.leads.add(a_lead("Tim Birch", "tim@tidewater.example", **office))
    await store.leads.add(a_lead("Tom Birch", "tom@tidewater.example", **office))
    ids = await _contact_ids(store)
    assert len(set(ids)) == 4, ids
    assert [lead.status for lead in await store.leads.recent()] == ["new"] * 4


async def test_repeat_inquiry_tells_the_owner_instead_of_a_fresh_card(store: Store) -> None:
    first = await store.leads.add(a_lead("Elena Sokolova", "elena@sokolova.example"))
    await store.leads.mark_posted(first.id, "C0SALES", "1700000000.000100")
    assert (await store.leads.claim(first.id, "U0REP1")).won
    for item in await store.outbox.due():
        await store.outbox.done(item.id)

    repeat = a_lead("Elena Sokolova", "ELENA@sokolova.example", interest="2024 Outback Wilderness")
    again = await store.leads.add(repeat)

    assert again.status == "duplicate" and again.owner == "U0REP1" and again.contact_id == first.contact_id
    due = await store.outbox.due()
    assert [(o.kind, o.lead_id, o.channel) for o in due] == [("post_text", first.id, "C0SALES"), ("dm", first.id, None)]
    thread, dm = due
    # the store queues data; the Slack side words it
    assert "text" not in thread.payload and thread.payload["repeat"]["lead_id"] == again.id
    assert thread.payload["in_thread"] is True and "Repeat inquiry" in str(outbox_text(thread.payload))
    assert "2024 Outback Wilderness" in str(outbox_text(thread.payload))
    assert dm.payload["user"] == "U0REP1" and f"#{first.id}" in str(outbox_text(dm.payload))
    events = await store.events.for_lead(again.id)
    dup = [e for e in events if e.kind == "duplicate"]
    assert len(dup) == 1 and dup[0].data["of_lead"] == first.id and dup[0].data["vendor"] == "AutoMarket"


async def test_repeat_of_an_unclaimed_lead_goes_to_its_thread_only(store: Store) -> None:
    first = await store.leads.add(a_lead("Noah Brandt", "noah@brandt.example"))
    again = await store.leads.add(a_lead("Noah Brandt", "noah@brandt.example"))
    assert again.status == "duplicate" and again.owner is None
    kinds = [(o.kind, o.lead_id, o.channel) for o in await store.outbox.due()]
    # the first card is still queued: the thread reply follows it to the same channel, and nobody is DMed
    assert kinds == [("post_card", first.id, "C0SALES"), ("post_text", first.id, "C0SALES")]


async def test_a_person_whose_lead_closed_gets_a_fresh_card(store: Store) -> None:
    first = await store.leads.add(a_lead("Ivy Chen", "ivy@chen-studio.example"))
    await store.leads.claim(first.id, "U0REP1")
    await store.leads.set_outcome(
        first.id, "U0REP1", "won", amount=31000.0, check=work_check("set_outcome", manager=False))
    again = await store.leads.add(a_lead("Ivy Chen", "ivy@chen-studio.example"))
    assert again.status == "new" and again.contact_id == first.contact_id
    assert ("post_card", again.id) in [(o.kind, o.lead_id) for o in await store.outbox.due()]


async def test_manual_merge_and_unmerge(store: Store) -> None:
    a = await store.leads.add(a_lead("Grace Okafor", "grace@okafor-law.example"))
    b = await store.leads.add(a_lead("Grace O.", "gokafor@gmail.com", "312-555-0188"))
    assert a.contact_id != b.contact_id
    assert a.contact_id is not None and b.contact_id is not None
    merged = await store.contacts.merge(a.contact_id, b.contact_id, actor="U0MANAGER")
    assert merged.data["leads"] == [b.id]
    history = await store.contacts.history(a.contact_id)
    assert history is not None
    assert [lead.id for lead in history.leads] == [b.id, a.id]  # newest first
    assert history.contact.phone == "+13125550188"
    assert await store.contacts.find(str(b.contact_id)) == a.contact_id  # a merged contact leads on
    lines = render_history(history)
    assert lines[0] == f"contact {a.contact_id}: Grace Okafor" and any("merged" in line for line in lines)

    await store.contacts.unmerge(merged.id, actor="U0MANAGER")
    restored = await store.contacts.history(b.contact_id)
    assert restored is not None and [lead.id for lead in restored.leads] == [b.id]
    assert restored.contact.merged_into is None
    back = await store.contacts.history(a.contact_id)
    assert back is not None and back.contact.phone is None and [lead.id for lead in back.leads] == [a.id]
    assert {e.kind for e in back.events} >= {"intake", "merged"} and "unmerged" in {e.kind for e in restored.events}


async def test_contact_history_has_every_lead_and_event(store: Store) -> None:
    first = await store.leads.add(a_lead("Owen Pryce", "owen@pryce.example"))
    await store.leads.mark_posted(first.id, "C0SALES", "1.1")
    await store.leads.claim(first.id, "U0REP2")
    await store.leads.add(a_lead("Owen Pryce", "owen@pryce.example"))
    contact_id = await store.contacts.find("owen@pryce.example")
    assert contact_id == first.contact_id
    assert await store.contacts.find(f"#{contact_id}") == contact_id
    history = await store.contacts.history(contact_id)  # type: ignore[arg-type]
    assert history is not None and len(history.leads) == 2
    kinds = [e.kind for e in history.events]
    assert kinds == ["duplicate", "intake", "claimed", "posted", "intake"]
    assert await store.contacts.find("nobody@nowhere.example") is None


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("Priya Raman", "Raman, Priya", True),
        ("Jon Smith", "John Smith", True),
        ("P. Raman", "Priya Raman", True),
        ("Tom Birch", "Tim Birch", False),
        ("Ann Lee", "Dan Lee", False),
        ("Dana Whitfield", "Marco Whitfield", False),
    ],
)
def test_name_matching(a: str, b: str, same: bool) -> None:
    assert same_name(a, b) is same, name_similarity(a, b)


def test_postal_codes_normalise() -> None:
    assert normalise_postal("94107-1234") == "94107"
    assert normalise_postal(" sw1a 1aa ") == "SW1A1AA"
    assert normalise_postal("") is None
