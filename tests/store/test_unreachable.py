"""What counts as the database being unreachable (waited for) rather than a statement refused (a failure)."""

from __future__ import annotations

import asyncio
import errno
import socket
from collections.abc import Callable
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import exc as sa_exc
from sqlalchemy import text

from store.db import unreachable
from store.store import Store
from tests.conftest import migrated_store


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("url", [
    pytest.param(lambda _: f"postgresql+asyncpg://leadbot@127.0.0.1:{_closed_port()}/leadbot", id="refused"),
    # a SQLite file whose directory is not there cannot be opened
    pytest.param(lambda tmp: f"sqlite+aiosqlite:///{tmp / 'gone' / 'leadbot.db'}", id="sqlite-cannot-open"),
])
async def test_a_database_that_cannot_be_reached_is_unreachable(url: Callable[[Path], str], tmp_path: Path) -> None:
    store = Store.open(url(tmp_path))
    try:
        with pytest.raises(Exception) as gone:
            await store.messages.recent()
        assert unreachable(gone.value)
    finally:
        await store.close()


@pytest.mark.postgres
async def test_a_connection_the_server_ended_is_unreachable(postgres_url: str) -> None:
    async with migrated_store(postgres_url) as store:
        async with store.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
            async with store.engine.connect() as other:  # the server ends the first session (a restart does)
                await other.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                         "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
            with pytest.raises(Exception) as ended:
                await conn.execute(text("SELECT 1"))
        assert unreachable(ended.value)


async def test_a_statement_refused_is_not_unreachable(store_url: str) -> None:
    async with migrated_store(store_url) as store, store.engine.connect() as conn:
        with pytest.raises(Exception) as refused:
            await conn.execute(text("SELECT * FROM no_such_table"))
        assert not unreachable(refused.value)


def _caused_by(cause: BaseException) -> RuntimeError:
    """An error raised ``from cause`` (as a reader or SQLAlchemy wraps what it met)."""
    try:
        raise RuntimeError("reading failed") from cause
    except RuntimeError as exc:
        return exc


def _driver_error(cause: BaseException) -> sa_exc.OperationalError:
    return sa_exc.OperationalError("SELECT 1", {}, cause)


@pytest.mark.parametrize(("error", "expected"), [
    (ConnectionRefusedError(errno.ECONNREFUSED, "Connect call failed"), True),
    (_caused_by(ConnectionResetError(errno.ECONNRESET, "Connection reset by peer")), True),
    (_driver_error(BrokenPipeError(errno.EPIPE, "Broken pipe")), True),
    (OSError(errno.EHOSTUNREACH, "No route to host"), True),
    (TimeoutError(errno.ETIMEDOUT, "Connection timed out"), True),
    (OSError("Multiple exceptions: [Errno 111] Connect call failed ('::1', 5432), "
             "[Errno 111] Connect call failed ('127.0.0.1', 5432)"), True),
    (sa_exc.TimeoutError("QueuePool limit of size 5 overflow 10 reached"), True),
    # not the store: what a reader, a DNS lookup or a file may raise
    (_caused_by(socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")), False),
    (_caused_by(socket.gaierror(socket.EAI_NONAME, "Name or service not known")), False),
    (_caused_by(FileNotFoundError(errno.ENOENT, "No such file or directory")), False),
    (PermissionError(errno.EACCES, "Permission denied"), False),
    (_caused_by(TimeoutError()), False),  # asyncio's timeout: a budget ran out, no connection went away
    (OSError("Multiple exceptions: [Errno 2] No such file, [Errno 111] Connect call failed"), False),
    (ValueError("not a lead"), False),
], ids=["refused", "reset under a reader's error", "broken pipe under SQLAlchemy", "no route", "timed out",
        "every address refused", "pool exhausted", "dns temporary", "dns no name", "file missing", "permission",
        "asyncio timeout", "mixed errors", "a bug"])
def test_only_errors_of_a_connection_that_is_gone_are_unreachable(error: BaseException, expected: bool) -> None:
    assert unreachable(error) is expected


@pytest.mark.postgres
async def test_a_pooled_connection_the_server_ended_is_replaced_at_checkout(postgres_url: str) -> None:
    async with migrated_store(postgres_url) as store:
        async with store.engine.connect() as conn:
            pooled = (await conn.get_raw_connection()).driver_connection
        ended = asyncio.Event()
        pooled.add_termination_listener(lambda _: ended.set())
        other = await asyncpg.connect(postgres_url.replace("postgresql+asyncpg://", "postgresql://"))
        try:  # the server ends the pooled session (a restart does); the pool holds no other
            await other.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        finally:
            await other.close()
        async with asyncio.timeout(10):
            await ended.wait()  # the driver has seen the server close it
        assert await store.messages.recent() == []  # a fresh connection, not the ended one
