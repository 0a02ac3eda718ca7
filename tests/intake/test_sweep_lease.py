"""Issue 12: the sweep of "received" messages is leased like the outbox: two instances sharing one database
never read the same message, and the messages of an instance that died are taken over when its lease ends.
A real store on SQLite and PostgreSQL; two pipelines with their own store connections stand for two
instances."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from datetime import UTC, datetime, timedelta

from bot.assess.assessor import Assessor, Routing
from bot.intake.pipeline import LEASE_SECONDS, IntakePipeline
from bot.intake.reader import ThreadReader
from bot.settings import ScoringSettings, SlackChannels
from nlp.extractor import Extractor
from parsers.envelope import dedup_key
from parsers.lead import Extraction, RawMessage
from store.store import Store
from tests.conftest import migrated_store

FIRST_NAMES = ["Odile", "Rasmus", "Teodora", "Emeka", "Saoirse", "Haruto", "Ines", "Bogdan", "Yara", "Lorcan"]


def mail(index: int) -> RawMessage:
    first = FIRST_NAMES[index % len(FIRST_NAMES)]
    raw = (
        f"From: Forms <forms@quarry-hill.example>\r\nSubject: Quote\r\nMessage-ID: <sw-{index}@quarry-hill.example>\r\n"
        f"\r\nName: {first} Brightwater{index}\r\nEmail: {first.lower()}.{index}@brightwater.example\r\n"
        f"Phone: 503-555-01{index % 100:02d}\r\nMessage: A quote for a garden fence, please.\r\n"
    ).encode()
    return RawMessage(raw=raw, channel="smtp", sender="forms@quarry-hill.example")


class CountingReader(ThreadReader):
    """The real reader, counting what it read (shared by both instances: one tally)."""

    def __init__(self, extractor: Extractor, reads: Counter[bytes]) -> None:
        super().__init__(extractor)
        self.reads = reads

    async def read(self, message: RawMessage) -> Extraction:
        self.reads[message.raw] += 1
        return await super().read(message)


def pipeline(store: Store, extractor: Extractor, reads: Counter[bytes], name: str) -> IntakePipeline:
    assessor = Assessor(ScoringSettings(), Routing(SlackChannels(), slack_enabled=False))
    return IntakePipeline(store, extractor, assessor, reader=CountingReader(extractor, reads), sweep_seconds=0.02,
                          instance=name)


async def test_two_instances_sweeping_one_store_read_each_message_once(store_url: str, extractor: Extractor) -> None:
    reads: Counter[bytes] = Counter()
    async with migrated_store(store_url) as first, migrated_store(store_url) as second:
        one, two = pipeline(first, extractor, reads, "one"), pipeline(second, extractor, reads, "two")
        # half accepted while no instance ran (both sweeps race for them), half accepted by "one" as it runs
        for i in range(20):
            message = first.messages.stamped(mail(i))
            await first.messages.accept(message, dedup_key=dedup_key(message))
        running = [asyncio.create_task(p.run()) for p in (one, two)]
        try:
            for i in range(20, 40):
                await one.accept(mail(i))
            async with asyncio.timeout(60):
                # the database is the event: a sweep has no hook to wait on
                while len(await first.messages.recent(status="received")) > 0:  # noqa: ASYNC110
                    await asyncio.sleep(0.02)
                await asyncio.gather(one.wait_idle(), two.wait_idle())
        finally:
            for task in running:
                task.cancel()
            for task in running:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        leads = await first.leads.recent(limit=100)
    assert len(reads) == 40 and set(reads.values()) == {1}, [n for n in reads.values() if n != 1]
    assert len(leads) == 40


async def test_a_message_held_by_an_instance_is_left_alone_until_its_lease_ends(store_url: str) -> None:
    now = datetime(2026, 11, 30, 9, tzinfo=UTC)
    clock = [now]
    async with migrated_store(store_url, clock=lambda: clock[0]) as store:
        message = store.messages.stamped(mail(1))
        accepted = await store.messages.accept(message, dedup_key=dedup_key(message))

        assert await store.messages.lease_received("one", seconds=LEASE_SECONDS) == [accepted.id]
        assert await store.messages.lease_received("two", seconds=LEASE_SECONDS) == []
        assert not await store.messages.take(accepted.id, "two", seconds=LEASE_SECONDS)
        assert await store.messages.take(accepted.id, "one", seconds=LEASE_SECONDS)  # its holder may go on

        clock[0] = now + timedelta(seconds=LEASE_SECONDS + 1)  # "one" died: its lease ended
        assert await store.messages.lease_received("two", seconds=LEASE_SECONDS) == [accepted.id]
        assert not await store.messages.take(accepted.id, "one", seconds=LEASE_SECONDS)

        await store.messages.mark_failed(accepted.id, "unreadable: test")
        await store.messages.reset(accepted.id)  # `leadbot replay`: free for any instance again
        assert await store.messages.take(accepted.id, "one", seconds=LEASE_SECONDS)


async def test_an_instance_does_not_read_a_message_another_one_holds(
    store_url: str, extractor: Extractor
) -> None:
    reads: Counter[bytes] = Counter()
    async with migrated_store(store_url) as store:
        one = pipeline(store, extractor, reads, "one")
        message = store.messages.stamped(mail(2))
        accepted = await store.messages.accept(message, dedup_key=dedup_key(message))
        assert await store.messages.take(accepted.id, "two", seconds=LEASE_SECONDS)

        assert await one.process(accepted.id, message) == []
        assert await one.recover() == 0
        record = await store.messages.get(accepted.id)
    assert reads == Counter() and record is not None and record.status == "received"


async def test_mail_accepted_by_an_instance_is_stored_leased_to_it(store_url: str, extractor: Extractor) -> None:
    """Issue 11: the accept stores the lease with the bytes (no `take` per message): another instance's sweep
    leaves the message to the instance that took it, which reads it once; a holding instance leases nothing."""
    reads: Counter[bytes] = Counter()
    async with migrated_store(store_url) as first, migrated_store(store_url) as second:
        one, two = pipeline(first, extractor, reads, "one"), pipeline(second, extractor, reads, "two")
        accepted = await one.accept(mail(90))
        assert await two.recover() == 0  # leased to "one" by its accept
        async with asyncio.TaskGroup() as group:  # a worker cancelled by hand ends the group quietly
            worker = group.create_task(one.run())
            async with asyncio.timeout(60):
                await one.wait_idle()
            worker.cancel()
        record = await first.messages.get(accepted.id)
        assert record is not None and record.status == "processed"
        assert reads[mail(90).raw] == 1

        holding = pipeline(first, extractor, reads, "holding")
        holding.hold = True
        kept = await holding.accept(mail(91))
        assert await two.recover() == 1  # only kept, not leased: another instance may read it
        assert [message.id for message in await second.messages.recent(status="received")] == [kept.id]
