"""store/outbox.py: items retried with their delay, finished once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from store.store import Store


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
