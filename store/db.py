"""The database under every repository: engine, sessions, SQLite pragmas, migrations under a lock.

Every repository method is one short transaction. On SQLite, writes go through a single asyncio lock (one
writer, as SQLite allows one anyway: queueing in Python beats "database is locked" after a busy timeout).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import fcntl
import functools
import logging
import re
import socket
import sqlite3
import sys
import typing
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy import Engine, Table, event, func, make_url, select
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session, sessionmaker

from store.clock import utcnow as utcnow  # here too: the name the service imports it by

Clock = Callable[[], datetime]
R = TypeVar("R")
J = TypeVar("J")
A = TypeVar("A")

logger = logging.getLogger(__name__)

#: the key of the PostgreSQL advisory lock every instance takes around its migrations ("leadbot" in ASCII)
MIGRATION_LOCK_KEY = 0x6C656164626F74


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    # WAL: readers never block the writer; NORMAL sync is durable across process crashes in WAL mode.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Other processes (the CLI while the service runs) wait instead of failing at once.
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


#: PostgreSQL error codes of a server going away rather than refusing a statement: class 08 (connection
#: exception), 57P01-57P03 (shutting down, crashed, starting up and not accepting connections yet)
_GONE_SQLSTATES = ("08", "57P01", "57P02", "57P03")
#: OS errors of a network path to a server that is gone: refused, reset, aborted, timed out, no route
_GONE_ERRNOS = frozenset({
    errno.ECONNREFUSED, errno.ECONNRESET, errno.ECONNABORTED, errno.EPIPE, errno.ETIMEDOUT,
    errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN, errno.ENETDOWN,
})
#: SQLite result codes (primary) of a database file that cannot be reached: cannot open it, disk I/O error
_GONE_SQLITE_CODES = frozenset({sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR})
#: asyncio's error when every address of a host refused (Python 3.11 joins them into one plain OSError)
_EACH_ADDRESS = re.compile(r"\[Errno (\d+)\]")


def unreachable(exc: BaseException) -> bool:
    """Whether ``exc`` means the database cannot be reached now (refused, went away, restarting), rather than
    a statement it refused or a bug: what waits for the store to come back instead of failing a message.

    Follows the exception's causes (not what it was raised while handling): SQLAlchemy wraps the driver's
    error, which may wrap an OSError; asyncpg's errors while connecting come unwrapped. Only errors that
    say a connection is gone count: a connection error (refused, reset, no route, timed out), SQLAlchemy's
    invalidated connection or full pool, PostgreSQL's "connection exception" and "shutting down" codes,
    SQLite's "unable to open" and disk I/O errors. Any other OS error (a file not found, a DNS name that
    does not resolve, a reader's timeout) is no outage: the message fails and waits for `leadbot replay`
    instead of being read again at every sweep.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if _connection_gone(current):
            return True
        current = current.__cause__ or getattr(current, "orig", None)
    return False


def _connection_gone(exc: BaseException) -> bool:
    if isinstance(exc, sa_exc.TimeoutError):  # the pool kept waiting for a connection
        return True
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return True
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate.startswith(_GONE_SQLSTATES):
        return True
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", 0) & 0xFF in _GONE_SQLITE_CODES
    if isinstance(exc, ConnectionError):  # refused, reset, aborted, broken pipe
        return True
    if isinstance(exc, OSError) and not isinstance(exc, socket.gaierror):
        if exc.errno is not None:
            return exc.errno in _GONE_ERRNOS
        codes = _EACH_ADDRESS.findall(str(exc)) if str(exc).startswith("Multiple exceptions:") else []
        return bool(codes) and all(int(code) in _GONE_ERRNOS for code in codes)
    return False


#: prepared statements each asyncpg connection keeps (SQLAlchemy's default: 100). Issue 11: a multi-row INSERT is a
#: statement of its own per number of rows (groups of 1 to 200 accepts, events, cards…), so 100 were evicted
#: and prepared again (a round trip and a parse on the server each) all through a burst.
PREPARED_STATEMENTS = 1000


#: connections to a SQLite file kept open (SQLAlchemy's default is 5, and up to 10 more opened and closed around each
#: use: through aiosqlite each of those is a thread started, a connection made and its pragmas run, which cost 20
#: concurrent claims' reads more than their statements, issue 11). An idle one is a thread waiting on its queue.
SQLITE_POOL_SIZE = 20


def create_engine(url: str) -> AsyncEngine:
    parsed = make_url(url)
    options: dict[str, Any] = {}
    if parsed.get_driver_name() == "asyncpg" and "prepared_statement_cache_size" not in parsed.query:
        options["connect_args"] = {"prepared_statement_cache_size": PREPARED_STATEMENTS}
    if parsed.get_driver_name() == "aiosqlite" and _on_file(parsed.database, parsed.query):
        options["pool_size"] = SQLITE_POOL_SIZE
    engine = create_async_engine(url, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        _skip_idle_rollbacks(engine.sync_engine)
    else:
        event.listen(engine.sync_engine, "checkout", _replace_if_closed)
    return engine


def _replace_if_closed(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """A pooled connection the server has closed (a restart, a terminated backend) is replaced at checkout.

    Instead of SQLAlchemy's ``pool_pre_ping``, which on asyncpg costs three round trips per checkout (BEGIN, a
    ping, ROLLBACK: ~7 % of the service's CPU on PostgreSQL, issue 11): the driver knows without asking once the
    event loop has seen the socket close. One closed after that is met by the next statement, which fails as
    `unreachable` (as a restart in the middle of a transaction does) and the pool then renews its connections.
    """
    driver = getattr(dbapi_connection, "driver_connection", None)
    is_closed = getattr(driver, "is_closed", None)
    if callable(is_closed) and is_closed():
        raise sa_exc.DisconnectionError("the database server closed this connection")


def _skip_idle_rollbacks(engine: Engine) -> None:
    """No ROLLBACK for a SQLite connection that holds no transaction (every read-only session ends so).

    The driver opens a transaction only before a write, so after reads ``in_transaction`` is false and
    SQLite's ROLLBACK would do nothing; through aiosqlite it still costs a hand-off to its thread.
    """
    dialect = engine.dialect
    rollback = dialect.do_rollback

    def do_rollback(dbapi_connection: Any) -> None:
        driver = getattr(dbapi_connection, "driver_connection", None)
        if driver is not None and getattr(driver, "in_transaction", True) is False:
            return
        rollback(dbapi_connection)

    dialect.do_rollback = do_rollback  # type: ignore[method-assign]


#: the interpreter's switch interval (seconds) once the store's SQLite writer thread runs (issue 11). The SQLite driver
#: lets go of the GIL around every call into SQLite, and each time the writer thread then waited up to the interval
#: (5 ms by default) for the event loop's thread to hand it back: an accept group's transaction, a few such calls, held
#: the write lock, and the 250s waiting on it, for several intervals. Measured alternated, 1 ms against 5 ms, medians
#: of 3 pairs at load ~7: service CPU per mail in the burst 3.05 -> 2.38 ms, whole path 122 -> 154 cards/s, durable
#: accept 0.35 -> 0.62; at load 15-17 (3 more pairs) within the noise. Only ever lowered.
WRITER_SWITCH_INTERVAL = 0.001


class Db:
    """The engine, its sessions and the clock, shared by every repository of one store."""

    def __init__(self, engine: AsyncEngine, *, clock: Clock = utcnow) -> None:
        self.engine = engine
        self.clock = clock
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)
        #: read-only sessions: on PostgreSQL in autocommit (issue 11: asyncpg's BEGIN and the ROLLBACK that ends
        #: a read are a round trip each, for nothing to keep); SQLite opens no transaction before a read anyway
        self._reads = (
            async_sessionmaker(engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False)
            if engine.dialect.name == "postgresql" else self._sessions
        )
        self._write_lock: _WriteGate | None = _WriteGate() if engine.dialect.name == "sqlite" else None
        #: SQLite file: `run_write`'s synchronous engine (it connects when first used) and the one thread it runs
        #: in (started when first used)
        thread_url = _thread_write_url(engine) if self._write_lock is not None else None
        self._thread_engine = _writer_engine(thread_url) if thread_url is not None else None
        self._thread_sessions = (
            sessionmaker(self._thread_engine, expire_on_commit=False) if self._thread_engine is not None else None)
        self._writer: ThreadPoolExecutor | None = None

    @property
    def engines(self) -> tuple[Engine, ...]:
        """Every engine statements go through: the async engine's, and on a SQLite file `run_write`'s."""
        return (self.engine.sync_engine, *((self._thread_engine,) if self._thread_engine is not None else ()))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def insert(self) -> Any:
        """The dialect's INSERT (both have ``on_conflict_do_nothing``)."""
        return pg_insert if self.dialect == "postgresql" else sqlite_insert

    @asynccontextmanager
    async def write(self, *, urgent: bool = False) -> AsyncIterator[AsyncSession]:
        """One write transaction (committed on leaving, rolled back on an exception).

        ``urgent``: a sender waits for it (the durable accept): on SQLite it takes the write lock before
        every waiting pipeline or outbox transaction.
        """
        if self._write_lock is None:
            async with self._sessions.begin() as session:
                yield session
            return
        async with self._write_lock.hold(urgent=urgent), self._sessions.begin() as session:
            yield session

    async def run_write(self, work: Callable[[Session], R], *, urgent: bool = False, atomic: bool = True) -> R:
        """``work(session)`` in one write transaction (committed when it returns, rolled back if it raises), as
        `write` would run it; ``work`` is synchronous (a `Session`).

        On a SQLite file it runs in the store's writer thread on a synchronous connection of its own, under the
        same write lock: the whole transaction is one hand-off to a thread (issue 11: through aiosqlite each
        statement cost about four, each waking its thread, and SQLAlchemy's async adaptation a greenlet switch
        per driver call). Measured alternated with the start of issue 11's ninth pass (load 3-3.5): the service's CPU
        per mail in a burst 3.7-4.2 -> 3.45-3.5 ms (its loop's thread 2.6-3.0 -> 1.6), at 50 mails/s 6.8-7.8 -> 5.0-5.3
        ms; on a machine loaded five times over its cores the thread's Python work fights the loop for the GIL and
        the whole path was slower. Elsewhere (PostgreSQL, an in-memory SQLite) it runs through `write`'s session
        (``AsyncSession.run_sync``).

        ``atomic=False``: ``work``'s statements need no common transaction (one statement, or a read of what it
        wrote): on PostgreSQL they run in autocommit, each its own transaction (issue 11: asyncpg's BEGIN and
        COMMIT were two round trips more around a group's one INSERT).
        """
        if not atomic and self.dialect == "postgresql":
            async with self._reads() as session:  # autocommit
                return await session.run_sync(work)
        if self._thread_sessions is None or self._write_lock is None:
            async with self.write(urgent=urgent) as session:
                return await session.run_sync(work)
        async with self._write_lock.hold(urgent=urgent):
            done = asyncio.get_running_loop().run_in_executor(self._writer_thread(), self._write_here, work)
            try:
                return await asyncio.shield(done)
            finally:
                if not done.done():  # cancelled: the lock is held until the thread's transaction has ended
                    await asyncio.wait({done})

    def _writer_thread(self) -> ThreadPoolExecutor:
        if self._writer is None:
            if sys.getswitchinterval() > WRITER_SWITCH_INTERVAL:  # see WRITER_SWITCH_INTERVAL
                sys.setswitchinterval(WRITER_SWITCH_INTERVAL)
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="sqlite-writer")
        return self._writer

    def _write_here(self, work: Callable[[Session], R]) -> R:
        assert self._thread_sessions is not None
        with self._thread_sessions.begin() as session:
            return work(session)

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only (on PostgreSQL each statement is its own transaction: nothing written in it
        would be rolled back)."""
        async with self._reads() as session:
            yield session

    async def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision; any number of instances may do it at once.

        PostgreSQL: the upgrade runs under a session-level advisory lock, so a second instance waits and
        then finds the schema at head (without it, two instances on an empty database race to create
        ``alembic_version`` and one dies of a UniqueViolation). SQLite: an exclusive ``flock`` on
        ``<database>.migrate.lock`` beside the file does the same across processes and stores.
        """
        from store.migrate import upgrade

        if self.dialect == "postgresql":
            async with self.engine.connect() as conn:
                await conn.execute(select(func.pg_advisory_lock(MIGRATION_LOCK_KEY)))
                await conn.commit()
                try:
                    await conn.run_sync(upgrade)
                    await conn.commit()
                except BaseException:
                    await conn.rollback()  # so the unlock below can run (the pool keeps the session alive)
                    raise
                finally:
                    await conn.execute(select(func.pg_advisory_unlock(MIGRATION_LOCK_KEY)))
                    await conn.commit()
            return
        async with _file_lock(self.engine.url.database), self.engine.begin() as conn:
            await conn.run_sync(upgrade)

    async def close(self) -> None:
        writer, self._writer = self._writer, None  # started again when next used
        if writer is not None:
            await asyncio.to_thread(writer.shutdown)
        if self._thread_engine is not None:
            self._thread_engine.dispose()
        await self.engine.dispose()


def _thread_write_url(engine: AsyncEngine) -> str | None:
    """The synchronous (pysqlite) URL of an aiosqlite engine's database file; None for an in-memory database,
    whose connections do not share it."""
    url = engine.url
    if url.get_driver_name() != "aiosqlite" or not _on_file(url.database, url.query):
        return None
    return url.set(drivername="sqlite+pysqlite").render_as_string(hide_password=False)


def _on_file(database: str | None, query: typing.Mapping[str, Any]) -> bool:
    """Whether a SQLite URL's database is a file (not in memory, where each connection has a database of its own)."""
    return bool(database and database != ":memory:" and not database.startswith("file:")
                and query.get("mode") != "memory")


def _writer_engine(url: str) -> Engine:
    engine = create_sync_engine(url, connect_args={"check_same_thread": False})  # closed by `close`, elsewhere
    event.listen(engine, "connect", _sqlite_pragmas)
    _skip_idle_rollbacks(engine)
    return engine


class _WriteGate:
    """SQLite's one writer, in arrival order, except that urgent writers go before every waiting one."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._urgent = 0
        self._no_urgent = asyncio.Event()
        self._no_urgent.set()

    @asynccontextmanager
    async def hold(self, *, urgent: bool) -> AsyncIterator[None]:
        if urgent:
            self._urgent += 1
            self._no_urgent.clear()
            try:
                await self._lock.acquire()
            finally:
                self._urgent -= 1
                if not self._urgent:
                    self._no_urgent.set()
        else:
            while True:
                await self._no_urgent.wait()
                await self._lock.acquire()
                if not self._urgent:
                    break
                self._lock.release()  # an urgent writer came while this one waited: it goes first
        try:
            yield
        finally:
            self._lock.release()


class GroupCommit(Generic[J, A]):
    """Group commit: jobs submitted while an earlier group is being written join the next group, and
    ``write`` stores each group (in one transaction) and answers its jobs in order.

    Every caller returns only after its own group is written. A group that fails fails every job in it;
    with ``alone_on_failure`` its jobs are written again one by one first, so one bad job fails alone.

    ``gather`` (seconds): while callers have said that more jobs are on their way (`expecting`), a group waits for
    them, at most ``gather`` after its first job, before it is written (it goes at once when ``gather_full`` wait, or
    when none is expected any more). Issue 11: a burst's completions came one every few milliseconds and each
    group's transaction was written before the next arrived (1.6 messages a group, ~7 statements each).

    ``part``: a group is written in transactions of at most ``part`` jobs, one after the other, each part's jobs
    answered when it is written (and, with ``alone_on_failure``, written again one by one if it fails). Between two
    parts every other writer waiting for the write lock that goes first (an urgent one) goes first.
    """

    def __init__(
        self, write: Callable[[list[J]], Awaitable[list[A]]], *, limit: int, alone_on_failure: bool = False,
        gather: float = 0.0, gather_full: int = 32, part: int | None = None,
    ) -> None:
        self._write = write
        self._limit = limit
        self._part = max(1, min(part or limit, limit))
        self._alone_on_failure = alone_on_failure
        self._gather = gather
        self._gather_full = min(gather_full, limit)
        self._waiting: list[tuple[J, asyncio.Future[A]]] = []
        self._writer: asyncio.Task[None] | None = None
        #: callers inside `expecting` (each to submit one job, or none), and jobs of the group being written
        self._expected = 0
        self._writing = 0
        #: loop time the oldest waiting job came
        self._first_at = 0.0
        #: set while a group gathers: resolved when it should stop waiting
        self._gathering: asyncio.Future[None] | None = None

    @contextlib.contextmanager
    def expecting(self) -> Iterator[None]:
        """The caller will submit (at most) one job before leaving this block: a gathering group waits for it."""
        self._expected += 1
        try:
            yield
        finally:
            self._expected -= 1
            self._stop_gathering_if_done()

    def _others_expected(self) -> int:
        """Jobs expected (`expecting`) that are neither waiting nor being written."""
        return self._expected - len(self._waiting) - self._writing

    def _stop_gathering_if_done(self) -> None:
        gathering = self._gathering
        if gathering is not None and not gathering.done() and (
                len(self._waiting) >= self._gather_full or self._others_expected() <= 0):
            gathering.set_result(None)

    async def submit(self, job: J) -> A:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[A] = loop.create_future()
        if not self._waiting:
            self._first_at = loop.time()
        self._waiting.append((job, waiter))
        self._stop_gathering_if_done()
        writer = self._writer
        if writer is None or writer.done() or writer.get_loop() is not waiter.get_loop():
            self._writer = asyncio.create_task(self._write_groups())
        return await waiter

    async def _gathered(self) -> None:
        """Wait for the jobs expected (see ``gather``), at most ``gather`` after the first waiting one."""
        if not self._gather or len(self._waiting) >= self._gather_full or self._others_expected() <= 0:
            return
        loop = asyncio.get_running_loop()
        left = self._first_at + self._gather - loop.time()
        if left <= 0:
            return
        self._gathering = loop.create_future()
        try:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(left):
                    await self._gathering
        finally:
            self._gathering = None

    async def _write_groups(self) -> None:
        while self._waiting:
            await asyncio.sleep(0)  # jobs that are ready in this turn of the loop join the group
            await self._gathered()
            group, self._waiting = self._waiting[: self._limit], self._waiting[self._limit :]
            if self._waiting:
                self._first_at = asyncio.get_running_loop().time()
            try:
                for start in range(0, len(group), self._part):
                    self._writing = len(group) - start  # of the group: not answered yet
                    await self._write_part(group[start : start + self._part])
            except Exception as exc:  # a fault of our own, not of the write: its callers hear it, the rest go on
                logger.exception("a group write failed outside its transaction")
                _fail_unanswered(group, exc)
            except BaseException:  # cancelled: no caller is left waiting for ever
                waiting, self._waiting = self._waiting, []
                _fail_unanswered(group + waiting, None)
                raise
            finally:
                self._writing = 0

    async def _write_part(self, part: list[tuple[J, asyncio.Future[A]]]) -> None:
        """Write ``part`` in one transaction and answer its jobs."""
        answers: list[A | Exception]
        try:
            answers = list(await self._write([job for job, _ in part]))
        except Exception as exc:
            if not self._alone_on_failure or len(part) == 1:
                answers = [exc] * len(part)
            else:
                answers = [await self._alone(job) for job, _ in part]
        for (_, waiter), answer in zip(part, answers, strict=True):
            if waiter.done():
                continue
            if isinstance(answer, Exception):
                waiter.set_exception(answer)
            else:
                waiter.set_result(answer)

    async def _alone(self, job: J) -> A | Exception:
        try:
            return (await self._write([job]))[0]
        except Exception as exc:
            return exc


def _fail_unanswered(jobs: list[tuple[Any, asyncio.Future[Any]]], exc: Exception | None) -> None:
    """Answer every job of ``jobs`` not answered yet with ``exc`` (None: cancel it)."""
    for _, waiter in jobs:
        if waiter.done():
            continue
        if exc is None:
            waiter.cancel()
        else:
            waiter.set_exception(exc)


@asynccontextmanager
async def _file_lock(database: str | None) -> AsyncIterator[None]:
    """An exclusive lock on ``<database>.migrate.lock`` (none for an in-memory database)."""
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        yield
        return
    path = Path(database).with_name(Path(database).name + ".migrate.lock")
    with path.open("a") as handle:
        # flock locks belong to the open file, so two stores in one process exclude each other too.
        await asyncio.to_thread(fcntl.flock, handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def core_table(entity: Any) -> Table:
    """A mapped class's Table, for Core multi-row INSERTs that skip the ORM's per-object bookkeeping."""
    return typing.cast(Table, entity.__table__)


# ---- rows to records ----------------------------------------------------------------------------------


@functools.cache
def _plan(cls: type[Any]) -> tuple[tuple[str, Callable[[Any], Any] | None], ...]:
    """Per field of a record dataclass: its name, and how a stored value becomes the field's type."""
    hints = typing.get_type_hints(cls)
    plan = []
    for f in dataclasses.fields(cls):
        origin = typing.get_origin(hints[f.name])
        coerce: Callable[[Any], Any] | None = None
        if origin is tuple:
            coerce = lambda v: tuple(v or ())  # noqa: E731  JSON lists come back as lists
        elif origin is dict:
            coerce = lambda v: dict(v or {})  # noqa: E731  a copy: records never share a row's dict
        plan.append((f.name, coerce))
    return tuple(plan)


def to_record(cls: type[R], row: Any, **renames: str) -> R:
    """The record ``cls`` made of a row's attributes of the same names (``renames``: field=attribute).

    Tuples and dicts are copied out of the row's JSON values, so no record shares state with a row.
    """
    values = {}
    for name, coerce in _plan(cls):  # type: ignore[arg-type]  # a class is hashable
        value = getattr(row, renames.get(name, name))
        values[name] = coerce(value) if coerce is not None else value
    return cls(**values)
