"""Reading a message (CPU work) where it cannot stall the listener, with a time budget per message.

    ProcessReader   one single-process ProcessPoolExecutor ("forkserver") per worker, each building its own
                    Extractor once (initializer); one message per worker at a time; a read that overruns
                    its budget kills that process, a fresh one takes its place, and the message fails
                    with "took longer than N s to read" (kept for `leadbot replay`, never lost).
                    Reading in other processes also puts the second core to work (issue 11).
    ThreadReader    in this process, in a thread (tests, the CLI): an overrun fails the message the same
                    way, but the thread cannot be stopped and runs on to its end.

A pool of one process each, rather than one pool of N: a worker's pid is known (it answers ``os.getpid``
once ready), so an overrun kills exactly that worker through public APIs only.

A worker never outlives the service: if the service dies without stopping it (SIGKILL, the OOM killer), a
thread in the worker sees within ``ORPHAN_CHECK`` seconds that the service's pid is gone and ends the
process. (Its parent is the forkserver, which does not exit while a worker lives: each worker holds a copy
of the pipe the forkserver waits on, so neither the parent's death signal nor EOF on a pool pipe ever comes.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextvars import ContextVar
from typing import TYPE_CHECKING, Protocol

from bot.slack.phones import NumberFacts, facts_of_leads, remember
from nlp.settings import ExtractionSettings, NlpSettings
from parsers.errors import InputError
from parsers.lead import Extraction, RawMessage
from parsers.structured import load_vendor_templates
from parsers.templates import VendorTemplate

if TYPE_CHECKING:  # spaCy and the readers load only where messages are read (issue 11: the service's memory)
    from nlp.extractor import Extractor

log = logging.getLogger(__name__)

#: the default time budget for reading one message, in seconds
DEFAULT_BUDGET = 5.0
#: seconds the caller's last read took in a worker (not counting the wait for a free one): logs, bench
last_read_seconds: ContextVar[float] = ContextVar("last_read_seconds", default=0.0)
#: CPU seconds the reading process spent on the caller's last read (0.0 when it did not finish): on a
#: loaded machine, what the input cost, apart from the wait for a core
last_read_cpu_seconds: ContextVar[float] = ContextVar("last_read_cpu_seconds", default=0.0)
#: seconds between a worker's looks at whether the service is still there
ORPHAN_CHECK = 0.5
#: seconds close() waits for the workers to end (they are told at once, and killed when their pid is known)
CLOSE_TIMEOUT = 5.0


class ReadAborted(InputError):
    """Reading this message overran its time budget or killed the process reading it."""


class Reader(Protocol):
    async def read(self, message: RawMessage) -> Extraction: ...

    async def close(self) -> None: ...


def overrun(budget: float) -> ReadAborted:
    return ReadAborted(f"took longer than {budget:g} s to read")


class VendorTemplates:
    """What the service process keeps of the reading set-up when worker processes read: the vendor templates
    (the vendor ledger names them), loaded and checked at start, without spaCy or the readers (~60 MB)."""

    def __init__(self, extraction: ExtractionSettings) -> None:
        # raises parsers.templates.TemplateError naming the file and the problem, as the Extractor does
        self._templates = load_vendor_templates(extraction.vendors_dir)

    @property
    def vendors(self) -> Sequence[VendorTemplate]:
        return self._templates


class ThreadReader:
    """Reads with ``extractor`` in a thread of this process."""

    def __init__(self, extractor: Extractor, *, budget: float | None = None) -> None:
        self._extractor = extractor
        self.budget = budget

    async def start(self) -> None:
        """Read the warm-up messages once, so the first real message's budget does not pay for loading word
        lists and compiling patterns (as a worker process does before it counts as ready)."""
        await asyncio.to_thread(warm_up, self._extractor)

    async def read(self, message: RawMessage) -> Extraction:
        began = time.perf_counter()
        last_read_cpu_seconds.set(0.0)
        try:
            async with asyncio.timeout(self.budget):
                extraction, cpu = await asyncio.to_thread(self._extract, message)
            last_read_cpu_seconds.set(cpu)
            return extraction
        except TimeoutError:
            assert self.budget is not None
            raise overrun(self.budget) from None
        finally:
            last_read_seconds.set(time.perf_counter() - began)

    def _extract(self, message: RawMessage) -> tuple[Extraction, float]:
        began = time.thread_time()
        extraction = self._extractor.extract(message)
        return extraction, time.thread_time() - began

    async def close(self) -> None:
        return None


# ---- in the worker process ------------------------------------------------------------------------

_extractor: Extractor | None = None
#: what a new worker reads once before it takes messages: a mail and a chat note (made up)
_WARM_UP = (
    RawMessage(
        raw=b"From: Web Form <form@warm-up.example>\r\nSubject: Quote request\r\n\r\nName: Ada Warmup\r\n"
        b"Email: ada@warm-up.example\r\nPhone: 312-555-0100\r\nMessage: A quote for two windows, please.\r\n",
        channel="smtp",
    ),
    RawMessage(raw=b"Call back Ada Warmup, ada@warm-up.example, 312-555-0100: wants a quote for windows.",
               channel="slack"),
)


def _init_worker(
    extraction: ExtractionSettings, nlp: NlpSettings, service: int, closing: Closing | None = None
) -> None:
    global _extractor
    # The parent handles SIGINT/SIGTERM and stops its workers itself: a Ctrl-C on the terminal (sent to the
    # whole process group) must not print a KeyboardInterrupt traceback from every worker.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    watch_service(service, closing=closing)
    from nlp.extractor import Extractor

    _extractor = Extractor(extraction, nlp)
    warm_up(_extractor)


def warm_up(extractor: Extractor) -> None:
    """The first read of each kind loads lexicons and compiles patterns (seconds on a loaded machine): done
    before a reader counts as ready, so that it is not charged to the next message's budget."""
    for sample in _WARM_UP:
        with contextlib.suppress(Exception):
            extractor.extract(sample)


class Closing(Protocol):
    """The read end of a pipe whose write end only the service holds (a ``multiprocessing.connection.Connection``):
    it turns readable (end of file) when the service closes its reader, or dies."""

    def poll(self, timeout: float | None = None) -> bool: ...


def watch_service(pid: int, interval: float = ORPHAN_CHECK, *, closing: Closing | None = None) -> None:
    """End this process within ``interval`` seconds (or at the end of a read holding the GIL) once ``pid`` is gone,
    and at once when ``closing`` turns readable (the service closes its reader: a worker still warming up ends too).

    A pipe rather than a multiprocessing Event: an Event's condition never wakes its setter again once a process
    waiting on it was killed (an overrun kills workers), a pipe cares not.
    """

    def watch() -> None:
        while running(pid):
            if closing is None:
                time.sleep(interval)
            elif closing.poll(interval):
                break
        os._exit(1)

    threading.Thread(target=watch, name="leadbot-service-watch", daemon=True).start()


def running(pid: int) -> bool:
    """Whether process ``pid`` runs: it exists, is ours, and is no zombie (a killed service its parent has not
    reaped yet is gone too)."""
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # PermissionError: the pid now belongs to someone else
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[:1] != [b"Z"]
    except OSError:  # no /proc: os.kill's answer stands
        return True


def _ready() -> int:
    return os.getpid()


def read_in_worker(message: RawMessage) -> Extraction:
    """Read ``message`` with this worker process's Extractor."""
    assert _extractor is not None, "the worker's initializer did not run"
    return _extractor.extract(message)


def _timed(
    task: Callable[[RawMessage], Extraction], message: RawMessage
) -> tuple[Extraction, float, dict[str, NumberFacts]]:
    """``task(message)``, the CPU seconds this process spent on it, and the facts of its leads' phones (worked out
    here, so that the service draws their cards without phonenumbers' geocoder: bot.slack.phones)."""
    began = time.process_time()
    result = task(message)
    facts = facts_of_leads(result.leads)
    return result, time.process_time() - began, facts


# ---- in the service process ----------------------------------------------------------------------


class _Worker:
    def __init__(self, pool: ProcessPoolExecutor, pid: int) -> None:
        self.pool = pool
        self.pid = pid

    def kill(self, *, shut: bool = True) -> None:
        """SIGKILL the worker; ``shut``: and shut its pool down without waiting (then it cannot be waited for)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        if shut:
            self.pool.shutdown(wait=False, cancel_futures=True)


class ProcessReader:
    """Reads in ``processes`` worker processes, each with its own Extractor, ``budget`` seconds a message."""

    def __init__(
        self,
        extraction: ExtractionSettings,
        nlp: NlpSettings,
        *,
        processes: int = 1,
        budget: float = DEFAULT_BUDGET,
        context: str = "forkserver",
        task: Callable[[RawMessage], Extraction] | None = None,
    ) -> None:
        self._context = multiprocessing.get_context(context)
        #: closed by close(): every worker then ends itself, those still building their Extractor too (issue 12)
        closing, self._closing = self._context.Pipe(duplex=False)
        self._settings = (extraction, nlp, os.getpid(), closing)
        #: what a worker runs per message: the worker's Extractor (a module-level function, for pickling)
        self._task = task or read_in_worker
        self._processes = processes
        self.budget = budget
        if context == "forkserver":
            # Workers fork from a server that has imported spaCy and the readers once: a replacement after
            # an overrun then only builds its Extractor (a fresh interpreter would import everything again).
            # The phone geocoder's data too (~100 MB, shared by the workers): phone facts are worked out there.
            self._context.set_forkserver_preload(["bot.intake.reader", "nlp.extractor", "phonenumbers.geocoder"])
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        #: every pool started and not yet shut down, its worker ready or still warming up (pid not known yet)
        self._pools: set[ProcessPoolExecutor] = set()
        self._spawning: set[asyncio.Task[None]] = set()
        self._closed = False

    async def start(self) -> None:
        """Start the workers and wait until each has built its Extractor (a bad template raises here)."""
        workers = await asyncio.gather(*(self._spawn() for _ in range(self._processes)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def _spawn(self) -> _Worker:
        pool = ProcessPoolExecutor(
            max_workers=1, mp_context=self._context, initializer=_init_worker, initargs=self._settings
        )
        self._pools.add(pool)
        try:
            pid = await asyncio.wrap_future(pool.submit(_ready))
        except Exception:
            self._pools.discard(pool)
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        # cancelled (a stop during the start): the pool stays in _pools, for close() to end and wait for
        worker = _Worker(pool, pid)
        self._all.add(worker)
        return worker

    async def read(self, message: RawMessage) -> Extraction:
        worker = await self._idle.get()
        healthy = True
        began = time.perf_counter()
        last_read_cpu_seconds.set(0.0)
        try:
            future = worker.pool.submit(_timed, self._task, message)
            async with asyncio.timeout(self.budget):
                extraction, cpu, facts = await asyncio.wrap_future(future)
            last_read_cpu_seconds.set(cpu)
            remember(facts)
            return extraction
        except TimeoutError:
            healthy = False
            raise overrun(self.budget) from None
        except BrokenProcessPool:
            healthy = False
            raise ReadAborted("the process reading it died") from None
        finally:
            last_read_seconds.set(time.perf_counter() - began)
            if healthy:
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        self._all.discard(worker)
        self._pools.discard(worker.pool)
        worker.kill()
        if self._closed:
            return
        log.warning("a reading process was stopped (pid %d); starting a fresh one", worker.pid)
        task = asyncio.create_task(self._respawn(), name="reader-respawn")
        self._spawning.add(task)
        task.add_done_callback(self._spawning.discard)

    async def _respawn(self) -> None:
        delay = 1.0
        while not self._closed:
            try:
                worker = await self._spawn()
            except Exception:
                log.exception("a reading process could not be started; trying again in %.0f s", delay)
                await asyncio.sleep(delay)
                delay = min(60.0, delay * 2)
                continue
            if self._closed:
                worker.kill()
            else:
                self._idle.put_nowait(worker)
            return

    async def close(self) -> None:
        """Stop every worker now, none waited for: a message in hand stays "received" (read again at the next
        start or by another instance's sweep), a worker still warming up ends too (issue 12: a bounded stop).

        Returns once the workers have ended, or after ``CLOSE_TIMEOUT`` s (then they end on their own in
        ``ORPHAN_CHECK``): the process exit, which joins the pools' threads, does not wait for a warm-up.
        """
        self._closed = True
        self._closing.close()
        for task in list(self._spawning):
            task.cancel()
        for worker in list(self._all):
            worker.kill(shut=False)  # the pool is shut down below, waiting for its thread and process
        self._all.clear()
        pools, self._pools = list(self._pools), set()
        if not pools:
            return
        ended = asyncio.gather(*(asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True) for pool in pools))
        try:
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await asyncio.shield(ended)
        except TimeoutError:
            log.warning("reading processes did not end within %g s of the stop; they end on their own",
                        CLOSE_TIMEOUT)
