"""A stop is bounded whatever the readers are doing (issue 12): nothing waits for a warm-up or a read in flight,
and the message in hand stays "received", free for the next start or another instance's sweep."""

from __future__ import annotations

import asyncio
import contextlib
import io
import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.intake.reader import ProcessReader
from bot.service import Service
from bot.settings import load_settings
from nlp.settings import ExtractionSettings, NlpSettings
from store.store import Store
from tests.intake.stall import stall_or_read
from tests.intake.test_reader import mail

#: far longer than any bound of the stop, far shorter than the stalled read (600 s): failing it means the stop
#: waited for the reader
NOT_WAITED = 60.0


async def new_children(before: set[multiprocessing.process.BaseProcess]) -> list[multiprocessing.process.BaseProcess]:
    """Until this process has started a child process not in ``before``; those children."""
    async with asyncio.timeout(NOT_WAITED):
        while True:
            started = [child for child in multiprocessing.active_children() if child not in before]
            if started:
                return started
            await asyncio.sleep(0.05)  # a child's start is told by nothing else


@pytest.fixture
def stuck_templates(tmp_path: Path) -> Iterator[Path]:
    """A vendor template directory whose one template is a FIFO nobody writes: a worker reading it at start
    (building its Extractor) blocks there, still warming up, until the test lets it go."""
    folder = tmp_path / "vendors"
    folder.mkdir()
    fifo = folder / "stuck.toml"
    os.mkfifo(fifo)
    yield folder
    # a worker still blocked (the close failed) gets end-of-file and fails its start instead of hanging on
    with contextlib.suppress(OSError):  # ENXIO: no reader left, as it should be
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


async def test_closing_a_reader_ends_a_worker_still_warming_up(stuck_templates: Path) -> None:
    before = set(multiprocessing.active_children())
    reader = ProcessReader(ExtractionSettings(vendors_dir=stuck_templates), NlpSettings())
    starting = asyncio.create_task(reader.start())
    workers = await new_children(before)
    try:
        starting.cancel()  # a signal during the service's start
        with pytest.raises(asyncio.CancelledError):
            await starting
        async with asyncio.timeout(NOT_WAITED):
            await reader.close()
        # ended by the close, not by finishing its warm-up (it never can: nobody writes the template)
        assert [worker for worker in workers if worker.is_alive()] == []
    finally:
        for worker in workers:
            worker.kill()


async def test_a_service_stops_with_a_read_in_flight_and_leaves_the_message_for_the_next(tmp_path: Path) -> None:
    store_url = f"sqlite+aiosqlite:///{tmp_path / 'leadbot.db'}"
    settings = load_settings(None, overrides={"smtp.port": 0, "store.url": store_url})
    before = set(multiprocessing.active_children())
    reader = ProcessReader(ExtractionSettings(), NlpSettings(), budget=600.0, task=stall_or_read)
    await reader.start()
    workers = [child for child in multiprocessing.active_children() if child not in before]
    service = Service(settings, reader=reader, console=io.StringIO())
    try:
        await service.start()
        assert service.pipeline is not None
        stuck = await service.pipeline.accept(mail(b"stuck", stall=True))
    finally:
        async with asyncio.timeout(NOT_WAITED):
            await service.stop()
    assert workers and [worker for worker in workers if worker.is_alive()] == []

    store = Store.open(store_url)
    try:
        kept = await store.messages.get(stuck.id)
        assert kept is not None and kept.status == "received" and b"X-Test-Stall" in kept.raw
        assert await store.leads.recent() == []
        # its lease was given up at the stop: another instance (or the next start) takes it now, not in 120 s
        assert await store.messages.lease_received("the-next-instance", seconds=60) == [stuck.id]
    finally:
        await store.close()
