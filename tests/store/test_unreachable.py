"""What counts as the database being unreachable (waited for) rather than a statement refused (a failure)."""

from __future__ import annotations

import socket

import pytest
from sqlalchemy import text

from store.db import unreachable
from store.store import Store
from tests.conftest import migrated_store


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_refused_connection_is_unreachable() -> None:
    store = Store.open(f"postgresql+asyncpg://leadbot@127.0.0.1:{_closed_port()}/leadbot")
    try:
        with pytest.raises(Exception) as refused:
            await store.messages.recent()
        assert unreachable(refused.value)
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
