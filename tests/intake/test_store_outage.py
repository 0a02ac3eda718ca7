"""While the store cannot be reached, messages in flight wait for it without a traceback each: one warning
when it goes, one when it returns, and every accepted message becomes its lead afterwards. A real bug still
logs its traceback."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

from bot.assess.assessor import Assessor, Routing
from bot.intake.pipeline import IntakePipeline
from bot.intake.reader import ThreadReader
from bot.settings import ScoringSettings, SlackChannels
from nlp.extractor import Extractor
from parsers.lead import Extraction, RawMessage
from store.store import Store
from tests.conftest import migrated_store
from tests.intake.test_recovery import wait_for_leads

PEOPLE = [
    ("Ines Marchetti-Olsen", "ines@marchetti-glass.example"),
    ("Dorian Achebe-Wright", "dorian@achebe-tiles.example"),
    ("Yuki Halvorsen", "yuki@halvorsen-kitchens.example"),
    ("Ravi Okonkwo-Berg", "ravi@okonkwo-roofing.example"),
]


def mail(index: int) -> RawMessage:
    name, email = PEOPLE[index]
    raw = (
        f"From: Forms <forms@birchgate.example>\r\nSubject: Quote\r\nMessage-ID: <out-{index}@birchgate.example>\r\n"
        f"\r\nName: {name}\r\nEmail: {email}\r\nPhone: 971-555-01{index:02d}\r\nMessage: Please call me.\r\n"
    ).encode()
    return RawMessage(raw=raw, channel="smtp", sender="forms@birchgate.example")


class Network:
    """The boundary between the store and its database: while ``down``, every statement meets a reset
    connection, as the driver sees a database server that went away."""

    def __init__(self, store: Store) -> None:
        self.down = False
        for engine in store.engines:  # the async engine's, and the SQLite writer thread's
            event.listen(engine, "before_cursor_execute", self._send)

    def _send(self, *_: Any) -> None:
        if self.down:
            raise ConnectionResetError(104, "Connection reset by peer")


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    async with migrated_store(f"sqlite+aiosqlite:///{tmp_path / 'outage.db'}") as opened:
        yield opened


def pipeline_on(store: Store, extractor: Extractor, reader: ThreadReader | None = None) -> IntakePipeline:
    assessor = Assessor(ScoringSettings(), Routing(SlackChannels(), slack_enabled=False))
    return IntakePipeline(store, extractor, assessor, reader=reader, sweep_seconds=0.05)


async def test_an_outage_is_logged_once_and_mail_waits_for_the_store(
    store: Store, extractor: Extractor, caplog: pytest.LogCaptureFixture
) -> None:
    network = Network(store)
    pipeline = pipeline_on(store, extractor)
    accepted = [await pipeline.accept(mail(i)) for i in range(len(PEOPLE))]
    caplog.set_level(logging.INFO)
    network.down = True
    running = asyncio.create_task(pipeline.run())
    try:
        async with asyncio.timeout(30):
            await pipeline.wait_idle()  # every worker met the outage and let its message go
        assert pipeline.store_state.down_now
        network.down = False
        await wait_for_leads(store, len(PEOPLE))
        async with asyncio.timeout(30):
            await pipeline.wait_idle()
    finally:
        running.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await running
    leads = await store.leads.recent(limit=100)
    assert sorted(lead.fields["email"] for lead in leads) == sorted(email for _, email in PEOPLE)
    for item in accepted:
        message = await store.messages.get(item.id)
        assert message is not None and message.status == "processed" and message.error is None
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert warnings == [
        "store unreachable: ConnectionResetError: [Errno 104] Connection reset by peer; accepted mail waits and "
        "is processed when it returns",
        "store reachable again",
    ]
    assert not any(r.exc_info for r in caplog.records)


class BrokenReader(ThreadReader):
    async def read(self, message: RawMessage) -> Extraction:
        raise RuntimeError("a bug in the reader")


async def test_a_bug_still_logs_its_traceback_and_fails_the_message(
    store: Store, extractor: Extractor, caplog: pytest.LogCaptureFixture
) -> None:
    pipeline = pipeline_on(store, extractor, BrokenReader(extractor))
    accepted = await pipeline.accept(mail(0))
    with caplog.at_level(logging.INFO):
        assert await pipeline.process(accepted.id) == []
    [error] = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert error.levelno == logging.ERROR and error.exc_info is not None
    assert "stays stored for `leadbot replay`" in error.getMessage()
    failed = await store.messages.get(accepted.id)
    assert failed is not None and failed.status == "failed" and "a bug in the reader" in (failed.error or "")


class ResolvingReader(ThreadReader):
    async def read(self, message: RawMessage) -> Extraction:
        try:
            raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")
        except OSError as exc:
            raise RuntimeError("looking up the sender's domain failed") from exc


async def test_a_readers_dns_error_fails_the_message_instead_of_waiting_for_the_store(
    store: Store, extractor: Extractor
) -> None:
    pipeline = pipeline_on(store, extractor, ResolvingReader(extractor))
    accepted = await pipeline.accept(mail(0))
    assert await pipeline.process(accepted.id) == []
    assert not pipeline.store_state.down_now
    failed = await store.messages.get(accepted.id)
    assert failed is not None and failed.status == "failed" and "name resolution" in (failed.error or "")
    assert await store.messages.lease_received("sweeper", seconds=60) == []  # no sweep reads it again
