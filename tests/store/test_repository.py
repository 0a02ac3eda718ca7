"""The store on SQLite and PostgreSQL: durable accept, exactly-once processing, atomic claims, outbox."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from parsers.lead import RawMessage
from store.records import NewLead
from store.store import Store
from store.tables import Base


def _raw(body: bytes = b"Subject: hi\r\n\r\nName: Ada Park\r\n") -> RawMessage:
    return RawMessage(raw=body, channel="smtp", sender="portal@example.net", recipients=("leads@acme.test",))


def _lead(email: str = "ada@park.test", post_to: str | None = "C_SALES") -> NewLead:
    return NewLead(
        vendor="Portal",
        channel="smtp",
        fields={"full_name": "Ada Park", "email": email},
        provenance={"email": {"source": "reader:labels:Email", "confidence": 0.9, "flags": [], "alternatives": []}},
        score=70,
        grade="A",
        reasons=("+20 email address",),
        post_to=post_to,
        contact_email=email,
    )


async def test_migrations_match_the_models(store: Store) -> None:
    def diff(conn):  # type: ignore[no-untyped-def]
        return compare_metadata(MigrationContext.configure(conn), Base.metadata)

    async with store.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_accept_keeps_exact_bytes_and_dedups(store: Store) -> None:
    body = b"Subject: =?utf-8?q?caf=C3=A9?=\r\n\r\n\xff\xfe binary \x00 tail"
    first = await store.messages.accept(_raw(body), dedup_key="k1", subject="café")
    again = await store.messages.accept(_raw(body), dedup_key="k1")
    assert not first.duplicate and again.duplicate and again.id == first.id
    record = await store.messages.get(first.id)
    assert record is not None
    assert record.raw == body and record.size == len(body) and record.status == "received"
    assert record.received_at.tzinfo is not None
    assert await store.messages.unprocessed_ids() == [first.id]


async def test_complete_message_makes_leads_exactly_once(store: Store) -> None:
    accepted = await store.messages.accept(_raw(), dedup_key="k2")
    results = await asyncio.gather(
        *(store.messages.complete(accepted.id, [_lead()], vendor="Portal") for _ in range(5))
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
    accepted = await store.messages.accept(_raw(), dedup_key="k3")
    await store.messages.mark_failed(accepted.id, "Traceback: boom")
    failed = await store.messages.recent(status="failed")
    assert [(m.id, m.error) for m in failed] == [(accepted.id, "Traceback: boom")]
    reset = await store.messages.reset(accepted.id)
    assert reset.status == "received" and reset.error is None
    assert await store.messages.unprocessed_ids() == [accepted.id]


async def test_same_email_joins_one_contact(store: Store) -> None:
    first = await store.leads.add(_lead("Ada@Park.test".lower()))
    second = await store.leads.add(_lead("ada@park.test"))
    other = await store.leads.add(_lead("bo@elm.test"))
    assert first.contact_id == second.contact_id != other.contact_id


async def test_twenty_racing_claims_have_one_winner(store: Store) -> None:
    lead = await store.leads.add(_lead())
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


async def test_outbox_retry_and_done(store: Store) -> None:
    now = datetime.now(UTC)
    clocked = Store(store.engine, clock=lambda: now)
    first = await clocked.outbox.enqueue("post_card", lead_id=None, channel="C1")
    second = await clocked.outbox.enqueue("post_card", lead_id=None, channel="C1")
    assert [d.id for d in await clocked.outbox.due()] == [first, second]
    await clocked.outbox.retry(first, "ratelimited", delay=timedelta(seconds=30))
    assert [d.id for d in await clocked.outbox.due()] == [second]
    await clocked.outbox.done(second)
    assert await clocked.outbox.pending_count() == 1
    later = Store(store.engine, clock=lambda: now + timedelta(seconds=31))
    due = await later.outbox.due()
    assert [(d.id, d.attempts) for d in due] == [(first, 1)]
