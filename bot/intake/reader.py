"""Reading a message (CPU work) where it cannot stall the listener, with a time budget per message.

    ProcessReader   worker processes ("forkserver"), each building its own Extractor once and talking to
                    the service over a pipe of its own; one message per worker at a time; a read that
                    overruns its budget kills that process, a fresh one takes its place, and the message
                    fails with "took more than N s of CPU time to read" (kept for `leadbot replay`, never lost).
                    The budget is the worker's CPU time, not the clock's: on a loaded machine a read that
                    waits for a core is not failed for the wait. The wall clock is only a far outer bound
                    (``WALL_BOUND_FACTOR`` times the budget) for a worker that hangs without using CPU.
                    Reading in other processes also puts the second core to work (issue 11); a worker
                    also works out its leads' phone facts (bot.slack.phones), so the service need not.
    ThreadReader    in this process, in a thread (tests, the CLI): an overrun of the budget (wall-clock seconds
                    here) fails the message the same way, but the thread cannot be stopped and runs on to its end.

A process and a pipe each, rather than a pool: a worker's pid is known, so an overrun kills exactly that
worker; the answer is read when the event loop sees the pipe readable (no pool management thread, call queue
or futures: ~0.9 ms of the service's CPU per message, issue 11), and a worker that dies closes its pipe.

A worker never outlives the service: if the service dies without stopping it (SIGKILL, the OOM killer), a
thread in the worker sees within ``ORPHAN_CHECK`` seconds that the service's pid is gone and ends the
process. (Its parent is the forkserver, which does not exit while a worker lives: each worker holds a copy
of the pipe the forkserver waits on, so neither the parent's death signal nor EOF on its pipe ever comes.)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import TYPE_CHECKING, Protocol, cast

from bot.slack.phones import NumberFacts, facts_of_leads, remember
from nlp.settings import ExtractionSettings, NlpSettings
from parsers.errors import InputError, LeadbotError
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
#: a worker's read is stopped after this many times its CPU budget of wall-clock time, whatever its CPU (a worker
#: stopped, or blocked without using CPU); far beyond the budget, so that a loaded machine never reaches it
WALL_BOUND_FACTOR = 12.0
#: seconds (wall clock) between looks at the CPU time of a worker whose read has not answered yet
CPU_CHECK = 0.25


class ReadAborted(InputError):
    """Reading this message overran its time budget or killed the process reading it."""


class Reader(Protocol):
    async def read(self, message: RawMessage) -> Extraction: ...

    async def close(self) -> None: ...


def overrun(budget: float) -> ReadAborted:
    return ReadAborted(f"took longer than {budget:g} s to read")


def cpu_overrun(budget: float) -> ReadAborted:
    return ReadAborted(f"took more than {budget:g} s of CPU time to read")


def process_cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of process ``pid`` so far (None: not to be seen here, e.g. no /proc)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rpartition(b")")[2].split()
        return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS
    except (OSError, ValueError, IndexError):
        return None


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


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


def _serve_reads(
    connection: Connection,
    extraction: ExtractionSettings,
    nlp: NlpSettings,
    service: int,
    closing: Closing | None,
    task: Callable[[RawMessage], Extraction],
) -> None:
    """A worker process's life: build the Extractor, say "ready" with its pid, then read each message the service
    sends on ``connection`` and answer ``("done", (extraction, cpu, facts))`` or ``("failed", exception)``, until
    the service closes its end (or kills this process). Each answer carries this process's CPU seconds so far, from
    which the service counts the next read's CPU time."""
    try:
        _init_worker(extraction, nlp, service, closing)
    except BaseException as exc:  # a bad template: the service's start raises it
        _answer(connection, ("failed", exc))
        return
    connection.send(("ready", os.getpid(), time.process_time()))
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):  # the service closed the pipe: nothing more to read
            return
        try:
            answer: tuple[str, object] = ("done", _timed(task, message))
        except Exception as exc:
            answer = ("failed", exc)
        _answer(connection, answer)


def _answer(connection: Connection, answer: tuple[str, object]) -> None:
    kind, value = answer
    try:
        connection.send((kind, value, time.process_time()))
    except (pickle.PicklingError, TypeError, AttributeError) as exc:  # an exception that does not pickle
        failure = ReadAborted(f"{type(value).__name__}: {value} ({type(exc).__name__} on the way back)")
        connection.send((kind, failure, time.process_time()))


# ---- in the service process ----------------------------------------------------------------------

#: a message larger than this is sent to its worker from a thread (the write waits for the worker to read)
SEND_INLINE_BYTES = 60_000


class _Gone(LeadbotError):
    """The worker process ended (killed, crashed) before it answered."""


class _Worker:
    """One worker process and the service's end of its pipe. The pipe's readability is watched by the event loop
    (no thread): each answer resolves the one future waiting for it."""

    def __init__(self, process: BaseProcess, connection: Connection, on_gone: Callable[[_Worker], None]) -> None:
        self.process = process
        self.connection = connection
        self.pid: int = process.pid or 0
        self.gone = False
        #: reading a message (its death is then the read's to handle)
        self.busy = False
        #: the worker's CPU seconds as of its last answer: where the next read's CPU time counts from
        self.cpu_seen = 0.0
        self._on_gone = on_gone
        self._waiting: asyncio.Future[tuple[str, object]] | None = None
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(connection.fileno(), self._readable)

    def answer(self) -> asyncio.Future[tuple[str, object]]:
        """The next answer of the worker (``_Gone`` if it ends first)."""
        waiting = self._loop.create_future()
        if self.gone:
            waiting.set_exception(_Gone())
        else:
            self._waiting = waiting
        return waiting

    async def send(self, message: RawMessage) -> None:
        data = pickle.dumps(message, pickle.HIGHEST_PROTOCOL)
        try:
            if len(data) <= SEND_INLINE_BYTES:
                self.connection.send_bytes(data)  # within the pipe's buffer: never blocks on an idle worker
            else:
                await asyncio.to_thread(self.connection.send_bytes, data)
        except OSError as exc:  # BrokenPipeError: it died
            raise _Gone() from exc

    def _readable(self) -> None:
        try:
            data = self.connection.recv_bytes()
        except (EOFError, OSError):
            self._lost()
            return
        try:
            kind, value, self.cpu_seen = pickle.loads(data)
            answer: tuple[str, object] = (kind, value)
        except Exception as exc:  # an exception class that does not unpickle here
            answer = ("failed", ReadAborted(f"the reading process's answer could not be read ({exc})"))
        waiting, self._waiting = self._waiting, None
        if waiting is not None and not waiting.done():
            waiting.set_result(answer)

    def _lost(self) -> None:
        self.detach()
        waiting, self._waiting = self._waiting, None
        if waiting is not None and not waiting.done():
            waiting.set_exception(_Gone())
        self._on_gone(self)

    def detach(self) -> None:
        """Stop watching the pipe and close the service's end (idempotent)."""
        if not self.gone:
            self.gone = True
            self._loop.remove_reader(self.connection.fileno())
            self.connection.close()

    def stop(self, reason: ReadAborted) -> None:
        """Kill the worker in the middle of a read: the read fails with ``reason``."""
        waiting, self._waiting = self._waiting, None
        self.kill()
        if waiting is not None and not waiting.done():
            waiting.set_exception(reason)

    def watch_cpu(self, budget: float, interval: float = CPU_CHECK) -> Callable[[], None]:
        """Every ``interval`` s until the returned function is called, stop the worker once its read has used more
        than ``budget`` CPU seconds (nothing to do for a read that answers sooner: most take milliseconds). Where
        the worker's CPU cannot be seen, the read's wall-clock time stands in for it."""
        began, start = self._loop.time(), self.cpu_seen
        handle: asyncio.TimerHandle | None = None

        def look() -> None:
            nonlocal handle
            now = process_cpu_seconds(self.pid)
            used = self._loop.time() - began if now is None else now - start
            if used > budget:
                handle = None
                self.stop(cpu_overrun(budget))
            elif not self.gone:
                handle = self._loop.call_later(interval, look)

        def cancel() -> None:
            if handle is not None:
                handle.cancel()

        handle = self._loop.call_later(interval, look)
        return cancel

    def kill(self) -> None:
        """SIGKILL the worker and let its pipe go."""
        if self.pid:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
        self.detach()


class ProcessReader:
    """Reads in ``processes`` worker processes, each with its own Extractor, ``budget`` CPU seconds a message
    (``wall_bound`` seconds of wall-clock time at most, ``WALL_BOUND_FACTOR`` times the budget by default).

    Each worker is a process of its own with a pipe to the service (issue 11: a ProcessPoolExecutor per worker
    cost ~0.9 ms of the service's CPU per message in its management thread, queues and futures): a message is
    pickled once and written; the answer is read when the event loop sees the pipe readable.
    """

    def __init__(
        self,
        extraction: ExtractionSettings,
        nlp: NlpSettings,
        *,
        processes: int = 1,
        budget: float = DEFAULT_BUDGET,
        wall_bound: float | None = None,
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
        #: CPU seconds of its worker one read may take
        self.budget = budget
        #: wall-clock seconds one read may take, whatever its CPU
        self.wall_bound = wall_bound if wall_bound is not None else budget * WALL_BOUND_FACTOR
        if context == "forkserver":
            # Workers fork from a server that has imported spaCy and the readers once: a replacement after
            # an overrun then only builds its Extractor (a fresh interpreter would import everything again).
            # The phone geocoder's data too (~100 MB, shared by the workers): phone facts are worked out there.
            self._context.set_forkserver_preload(["bot.intake.reader", "nlp.extractor", "phonenumbers.geocoder"])
        self._idle: asyncio.Queue[_Worker] = asyncio.Queue()
        self._all: set[_Worker] = set()
        #: every process started and not yet ended here, its worker ready or still warming up
        self._started: set[BaseProcess] = set()
        self._spawning: set[asyncio.Task[None]] = set()
        self._closed = False

    async def start(self) -> None:
        """Start the workers and wait until each has built its Extractor (a bad template raises here)."""
        workers = await asyncio.gather(*(self._spawn() for _ in range(self._processes)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def _spawn(self) -> _Worker:
        ours, theirs = self._context.Pipe(duplex=True)
        process: BaseProcess = self._context.Process(  # type: ignore[attr-defined]  # typeshed: BaseContext
            target=_serve_reads, args=(theirs, *self._settings, self._task), name="leadbot-reader", daemon=True
        )
        self._started.add(process)
        try:
            # off the loop: the first start launches the forkserver, which imports spaCy (seconds)
            await asyncio.to_thread(process.start)
        except BaseException:
            ours.close()
            raise
        finally:
            theirs.close()
        # cancelled from here on (a stop during the start): the process stays in _started, for close() to end
        worker = _Worker(process, ours, self._on_gone)
        try:
            kind, value = await worker.answer()
        except _Gone:
            self._forget(worker)
            raise ReadAborted("a reading process ended before it was ready") from None
        except BaseException:
            worker.kill()
            raise
        if kind != "ready":
            self._forget(worker)
            raise value if isinstance(value, BaseException) else ReadAborted(str(value))
        self._all.add(worker)
        return worker

    def _forget(self, worker: _Worker) -> None:
        """Kill ``worker`` (its process stays in ``_started`` until it is seen ended: close() waits for it)."""
        worker.kill()
        self._all.discard(worker)
        self._started = {p for p in self._started if p.pid is None or p.is_alive()}

    def _on_gone(self, worker: _Worker) -> None:
        """A worker's pipe closed: it died. An idle one is replaced now, a busy one by its read."""
        if worker in self._all and worker.pid and not self._closed and not worker.busy:
            self._replace(worker)

    async def read(self, message: RawMessage) -> Extraction:
        worker = await self._idle.get()
        while worker.gone:  # died while idle (replaced already)
            worker = await self._idle.get()
        healthy = False
        worker.busy = True
        began = time.perf_counter()
        last_read_cpu_seconds.set(0.0)
        try:
            answer = worker.answer()
            await worker.send(message)
            # the budget is the worker's CPU time (watched while it reads); the wall clock only a far outer bound
            unwatch = worker.watch_cpu(self.budget)
            try:
                async with asyncio.timeout(self.wall_bound):
                    kind, value = await answer
            finally:
                unwatch()
            healthy = True
        except TimeoutError:
            raise ReadAborted(f"took longer than {self.wall_bound:g} s to read (wall clock, however little CPU it "
                              f"used: its process was stuck)") from None
        except _Gone:
            raise ReadAborted("the process reading it died") from None
        finally:
            worker.busy = False
            last_read_seconds.set(time.perf_counter() - began)
            if healthy:
                self._idle.put_nowait(worker)
            else:  # overran, died, or the read was cancelled while the worker was at it
                self._replace(worker)
        if kind != "done":
            raise value if isinstance(value, BaseException) else ReadAborted(str(value))
        extraction, cpu, facts = cast(tuple[Extraction, float, dict[str, NumberFacts]], value)
        last_read_cpu_seconds.set(cpu)
        remember(facts)
        return extraction

    def _replace(self, worker: _Worker) -> None:
        if worker not in self._all:
            return
        self._forget(worker)
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
                self._forget(worker)
            else:
                self._idle.put_nowait(worker)
            return

    async def close(self) -> None:
        """Stop every worker now, none waited for: a message in hand stays "received" (read again at the next
        start or by another instance's sweep), a worker still warming up ends too (issue 12: a bounded stop).

        Returns once the workers have ended, or after ``CLOSE_TIMEOUT`` s (then they end on their own in
        ``ORPHAN_CHECK``).
        """
        self._closed = True
        self._closing.close()
        for task in list(self._spawning):
            task.cancel()
        for worker in list(self._all):
            worker.kill()
        self._all.clear()
        started, self._started = list(self._started), set()
        for process in started:
            if process.pid is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(process.pid, signal.SIGKILL)
        ended = asyncio.gather(*(asyncio.to_thread(_join, process, CLOSE_TIMEOUT) for process in started))
        try:
            async with asyncio.timeout(CLOSE_TIMEOUT):
                await asyncio.shield(ended)
        except TimeoutError:
            log.warning("reading processes did not end within %g s of the stop; they end on their own",
                        CLOSE_TIMEOUT)


def _join(process: BaseProcess, timeout: float) -> None:
    """Wait for ``process`` to end (one that never started: nothing to wait for)."""
    with contextlib.suppress(AssertionError, ValueError):  # not started (a stop during its start), closed
        process.join(timeout)
