"""store/messages.py on SQLite and PostgreSQL: durable accept, exactly-once processing, failures kept."""

from __future__ import annotations

import asyncio

from sqlalchemy.exc import StatementError

from store.messages import SenderCheck
from store.records import LeadRecord
from store.store import Store
from tests.conftest import migrated_store
from tests.store.helpers import new_lead, raw_message


async def test_accept_keeps_exact_bytes_and_dedups(store: Store) -> None:
    body = b"Subject: =?utf-8?q?caf=C3=A9?=\r\n\r\n\xff\xfe binary \x00 tail"
    first = await store.messages.accept(raw_message(body), dedup_key="k1", subject="café")
    again = await store.messages.accept(raw_message(body), dedup_key="k1")
    assert not first.duplicate and again.duplicate and again.id == first.id
    record = await store.messages.get(first.id)
    assert record is not None
    assert record.raw == body and record.size == len(body) and record.status == "received"
    assert record.received_at.tzinfo is not None
    assert await store.messages.unprocessed_ids() == [first.id]


async def test_complete_message_makes_leads_exactly_once(store: Store) -> None:
    accepted = await store.messages.accept(raw_message(), dedup_key="k2")
    results = await asyncio.gather(
        *(store.messages.complete(accepted.id, [new_lead()], vendor="Portal") for _ in range(5))
    )
    assert sorted(len(r) for r in results) == [0, 0, 0, 0, 1]
    leads = await store.leads.recent()
    assert len(leads) == 1 and leads[0].fields["email"] == "ada@park.test"
    assert [e.kind for e in await store.events.for_lead(leads[0].id)] == ["intake"]
    assert await store.messages.unprocessed_ids() == []
    message = await store.messages.get(accepted.id)
    assert message is not None and message.status == "processed" and message.vendor == "Portal"
    due = await store.outbox.due()
    assert [(d.kind, d.lead_id, d.channel) for d in due] == [("post_card", leads[0].id, "C_SALES")]


async def test_failed_message_is_kept_with_error_and_can_be_reset(store: Store) -> None:
    accepted = await store.messages.accept(raw_message(), dedup_key="k3")
    await store.messages.mark_failed(accepted.id, "Traceback: boom")
    failed = await store.messages.recent(status="failed")
    assert [(m.id, m.error) for m in failed] == [(accepted.id, "Traceback: boom")]
    reset = await store.messages.reset(accepted.id)
    assert reset.status == "received" and reset.error is None
    assert await store.messages.unprocessed_ids() == [accepted.id]


async def test_records_carry_the_rows_values_as_their_own_types(store: Store) -> None:
    accepted = await store.messages.accept(raw_message(), dedup_key="k4")
    [lead] = await store.messages.complete(accepted.id, [new_lead()], vendor="Portal")
    message = await store.messages.get(accepted.id)
    assert message is not None and message.recipients == ("leads@acme.test",)  # a JSON list, handed out as a tuple
    assert lead.reasons == ("+20 email address",) and lead.invalid is False
    lead.fields["email"] = "changed@elsewhere.test"  # a record's dict is its own copy
    stored = await store.leads.get(lead.id)
    assert stored is not None and stored.fields["email"] == "ada@park.test"


async def test_concurrent_accepts_share_commits_and_each_gets_its_own_answer(store: Store) -> None:
    keys = [f"burst-{n % 40}" for n in range(60)]  # 40 distinct messages, 20 of them sent twice at once
    answers = await asyncio.gather(
        *(store.messages.accept(raw_message(f"Subject: {k}\r\n\r\nbody".encode()), dedup_key=k) for k in keys)
    )
    by_key: dict[str, set[int]] = {}
    for key, answer in zip(keys, answers, strict=True):
        by_key.setdefault(key, set()).add(answer.id)
    assert all(len(ids) == 1 for ids in by_key.values())  # a resend names the first one's id
    assert sum(not a.duplicate for a in answers) == 40
    assert len(set(await store.messages.unprocessed_ids())) == 40
    for key, (message_id,) in by_key.items():
        record = await store.messages.get(message_id)
        assert record is not None and record.raw == f"Subject: {key}\r\n\r\nbody".encode()



async def test_concurrent_completions_share_a_group_and_file_like_one_by_one(store: Store) -> None:
    ids = [(await store.messages.accept(raw_message(f"Subject: {n}\r\n\r\nx".encode()), dedup_key=f"g{n}")).id
           for n in range(12)]
    people = [new_lead(f"person{n}@park.test") for n in range(8)]
    repeats = [new_lead("person0@park.test"), new_lead("person0@park.test")]  # the first person writes again
    jobs = [[lead] for lead in people] + [[lead] for lead in repeats] + [[], []]
    answers = await asyncio.gather(
        *(store.messages.complete(message_id, leads, vendor="Portal")
          for message_id, leads in zip(ids, jobs, strict=True))
    )
    assert [len(a) for a in answers] == [1] * 10 + [0, 0]
    assert all(a[0].message_id == message_id for message_id, a in zip(ids[:10], answers[:10], strict=True))
    first, *later = [answers[0][0], answers[8][0], answers[9][0]]
    assert first.status == "new" and [lead.status for lead in later] == ["duplicate", "duplicate"]
    assert {lead.contact_id for lead in (first, *later)} == {first.contact_id}  # one person, one contact
    assert len({a[0].contact_id for a in answers[:8]}) == 8
    for answer in answers[:10]:
        assert [e.kind for e in await store.events.for_lead(answer[0].id)][:1] == ["intake"]
    cards = [d.lead_id for d in await store.outbox.due() if d.kind == "post_card" and d.lead_id is not None]
    assert sorted(cards) == sorted(a[0].id for a in answers[:8])  # repeats get no card of their own
    statuses = [(await store.messages.get(message_id)) for message_id in ids]
    assert [m.status for m in statuses if m is not None] == ["processed"] * 10 + ["no_lead"] * 2


async def test_a_completion_that_cannot_be_stored_fails_alone(store: Store) -> None:
    ids = [(await store.messages.accept(raw_message(f"Subject: {n}\r\n\r\nx".encode()), dedup_key=f"b{n}")).id
           for n in range(3)]
    good, bad = new_lead("fine@park.test"), new_lead("odd@park.test")
    bad.fields["note"] = {"not", "json"}  # type: ignore[assignment]  # a set cannot be stored as JSON
    answers = await asyncio.gather(
        store.messages.complete(ids[0], [good], vendor=None),
        store.messages.complete(ids[1], [bad], vendor=None),
        store.messages.complete(ids[2], [new_lead("also@park.test")], vendor=None),
        return_exceptions=True,
    )
    assert isinstance(answers[1], StatementError) and "not JSON serializable" in str(answers[1])
    assert [len(a) for a in (answers[0], answers[2]) if isinstance(a, list)] == [1, 1]
    assert await store.messages.unprocessed_ids() == [ids[1]]  # still "received": the sweep or a replay retries


async def test_a_group_with_a_message_taken_already_files_the_others(store: Store) -> None:
    ids = [(await store.messages.accept(raw_message(f"Subject: {n}\r\n\r\nx".encode()), dedup_key=f"t{n}")).id
           for n in range(4)]
    [earlier] = await store.messages.complete(ids[1], [new_lead("first@park.test")], vendor="Portal")
    assert await store.messages.mark_failed(ids[3], "unreadable", only_if_received=True)
    answers = await asyncio.gather(
        *(store.messages.complete(message_id, [new_lead(f"again{n}@park.test")], vendor="Other")
          for n, message_id in enumerate(ids))
    )
    assert [len(a) for a in answers] == [1, 0, 1, 0]
    assert [a[0].fields["email"] for a in answers if a] == ["again0@park.test", "again2@park.test"]
    messages = [await store.messages.get(message_id) for message_id in ids]
    assert [(m.status, m.vendor) for m in messages if m is not None] == [
        ("processed", "Other"), ("processed", "Portal"), ("processed", "Other"), ("failed", None)]
    assert sorted(lead.fields["email"] for lead in await store.leads.recent()) == [
        "again0@park.test", "again2@park.test", "first@park.test"]
    assert earlier.message_id == ids[1]


async def test_two_instances_completing_the_same_messages_file_each_once_with_its_sender_check(
    store_url: str,
) -> None:
    """Two stores (two instances) complete the same group at once, some messages with a sender check and some
    without: each message is taken by one of them and turned into leads once; a checked one keeps its verdict,
    an unchecked one none (on PostgreSQL one statement takes and marks a group: store/processed_at_once.py)."""
    async with migrated_store(store_url) as one, migrated_store(store_url) as two:
        ids = [(await one.messages.accept(raw_message(f"Subject: {n}\r\n\r\nx".encode()), dedup_key=f"r{n}")).id
               for n in range(10)]
        checks = [SenderCheck("pass" if n % 3 else "fail", f"mx.test; spf={n}", suspicious=not n % 3)
                  if n % 2 else None for n in range(10)]
        for message_id, check in zip(ids, checks, strict=True):
            if check is None:  # checked earlier: completing it without a check leaves that one
                await one.authentication.record_authentication(
                    message_id, verdict="temperror", auth_results="earlier", suspicious=False)

        async def complete_all(store: Store, tag: str) -> list[list[LeadRecord]]:
            return await asyncio.gather(*(
                store.messages.complete(message_id, [new_lead(f"{tag}{n}@park.test")] if n != 4 else [],
                                        vendor=f"V{n}", sender_check=checks[n])
                for n, message_id in enumerate(ids)))

        first, second = await asyncio.gather(complete_all(one, "one"), complete_all(two, "two"))
        messages = [await one.messages.get(message_id) for message_id in ids]
        verdicts = [await one.authentication.of_message(message_id) for message_id in ids]
        leads = await one.leads.recent()
    assert [len(a) + len(b) for a, b in zip(first, second, strict=True)] == [1, 1, 1, 1, 0, 1, 1, 1, 1, 1]
    assert len(leads) == 9 and sorted(lead.message_id for lead in leads) == sorted(ids[:4] + ids[5:])
    assert [(m.status, m.vendor, m.attempts) for m in messages if m is not None] == [
        ("no_lead" if n == 4 else "processed", f"V{n}", 1) for n in range(10)]
    assert [(v.verdict, v.auth_results, v.suspicious) for v in verdicts if v is not None] == [
        (check.verdict, check.auth_results, check.suspicious) if check else ("temperror", "earlier", False)
        for check in checks]
