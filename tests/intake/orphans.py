"""A service stand-in for the orphan tests: ``python -m tests.intake.orphans reader|watcher``.

Starts reading processes, prints their pids on one line, then waits to be killed.

    reader    a ProcessReader with one worker (the service's way: forkserver, the real Extractor)
    watcher   one forked child that watches this process with ``watch_service`` (no spaCy: quick)
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
import sys

from bot.intake.reader import ProcessReader, watch_service
from nlp.settings import ExtractionSettings, NlpSettings


def _child(service: int) -> None:
    watch_service(service, 0.05)
    signal.pause()


async def _reader() -> None:
    reader = ProcessReader(ExtractionSettings(), NlpSettings(), processes=1)
    await reader.start()
    print(" ".join(str(worker.pid) for worker in reader._all), flush=True)
    await asyncio.Event().wait()


def main(kind: str) -> None:
    if kind == "reader":
        asyncio.run(_reader())
        return
    child = multiprocessing.get_context("fork").Process(target=_child, args=(os.getpid(),), daemon=False)
    child.start()
    print(child.pid, flush=True)
    signal.pause()


if __name__ == "__main__":
    main(sys.argv[1])
