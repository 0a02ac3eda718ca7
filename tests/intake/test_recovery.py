"""Recovery without a restart: messages accepted before the store failed become leads once it heals.

A real SQLite file whose messages table goes missing while the workers run. That is deliberately not an
outage as ``store.db.unreachable`` sees one (tests/intake/test_store_outage.py cuts the connection for that):
it is the fallback for a store failing in a way not recognised as an outage (an error no rule names) —
the message cannot be read nor marked failed, so it stays "received", and the running pipeline's sweep
turns each into exactly one lead once the table is back.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.assess.assessor import Assessor, Routing
from bot.intake.pipeline import IntakePipeline
from bot.intake.reader import ThreadReader
from bot.settings import ScoringSettings, SlackChannels
from nlp.extractor import Extractor
from parsers.lead import Extraction, RawMessage
from store.store import Store

PEOPLE = [
    ("Tomasz Oyelaran", "tomasz@oyelaran-joinery.example", "503-555-0131"),
    ("Greta Vasquez-Holm", "greta@holm-dental.example", "503-555-0172"),
    ("Kwame Asante-Ruiz", "kwame@asante-freight.example", "503-555-0119"),
]


def mail(index: int) -> RawMessage:
    name, email, phone = PEOPLE[index % len(PEOPLE)]
    raw = (
        f"From: Forms <forms@fernhill.example>\r\nSubject: Quote\r\nMessage-ID: <rec-{index}@fernhill.example>\r\n\r\n"
        f"Name: {name}\r\nEmail: {email}\r\nPhone: {phone}\r\nMessage: Please call me about a quote.\r\n"
    ).encode()
    return RawMessage(raw=raw, channel="smtp", sender="forms@fernhill.example")


class CountingReader(ThreadReader):
    """The real reader, counting how often each message is read."""

    def __init__(self, extractor: Extractor) -> None:
        super().__init__(extractor)
        self.reads: Counter[bytes] = Counter()

    async def read(self, message: RawMessage) -> Extraction:
        self.reads[message.raw] += 1
        return await super().read(message)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    opened = Store.open(f"sqlite+aiosqlite:///{tmp_path / 'recovery.db'}")
    await opened.migrate()
    yield opened
    await opened.close()


def pipeline_on(store: Store, reader: CountingReader, extractor: Extractor) -> IntakePipeline:
    assessor = Assessor(ScoringSettings(), Routing(SlackChannels(), slack_enabled=False))
    return IntakePipeline(store, extractor, assessor, reader=reader, sweep_seconds=0.1)


async def wait_for_leads(store: Store, count: int, *, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    async with asyncio.timeout(timeout):
        # the database is the event: the sweep that stores the leads has no hook to wait on
        while len(await store.leads.recent(limit=100)) < count:  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def test_messages_accepted_before_an_outage_become_leads_once_it_heals(
    store: Store, extractor: Extractor
) -> None:
    reader = CountingReader(extractor)
    pipeline = pipeline_on(store, reader, extractor)
    accepted = [await pipeline.accept(mail(i)) for i in range(len(PEOPLE))]
    async with store.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE inbound_messages RENAME TO inbound_away"))
    running = asyncio.create_task(pipeline.run())
    try:
        async with asyncio.timeout(30):
            await pipeline.wait_idle()  # every worker met the failure and let its message go
        async with store.engine.begin() as conn:
            await conn.execute(text("ALTER TABLE inbound_away RENAME TO inbound_messages"))
        for item in accepted:
            message = await store.messages.get(item.id)
            assert message is not None and message.status == "received"

        healed = time.monotonic()
        await wait_for_leads(store, len(PEOPLE))
        print(f"recovered {len(PEOPLE)} messages {time.monotonic() - healed:.2f} s after the store healed")
        await pipeline.wait_idle()
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
    leads = await store.leads.recent(limit=100)
    assert sorted(lead.fields["email"] for lead in leads) == sorted(email for _, email, _ in PEOPLE)
    for item in accepted:
        message = await store.messages.get(item.id)
        assert message is not None and message.status == "processed"
    # read while the store was away (the bytes travel with the queue) and again after: still one lead each
    assert len(reader.reads) == len(PEOPLE) and min(reader.reads.values()) >= 1


async def test_the_sweep_never_reads_a_message_the_queue_holds(store: Store, extractor: Extractor) -> None:
    reader = CountingReader(extractor)
    pipeline = pipeline_on(store, reader, extractor)
    running = asyncio.create_task(pipeline.run())
    try:
        for i in range(12):
            await pipeline.accept(mail(i))
        await wait_for_leads(store, 12)
        async with asyncio.timeout(30):
            await pipeline.wait_idle()
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
    assert len(reader.reads) == 12 and set(reader.reads.values()) == {1}
