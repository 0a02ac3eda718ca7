"""store/db.py: migrations match the models, run under a lock (any number of instances may start together),
and the ``invalid`` flag's migration fills it from the reasons once."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

from store.migrate import alembic_config, upgrade
from store.store import Store
from store.tables import Base


async def test_migrations_match_the_models(store: Store) -> None:
    def diff(conn):  # type: ignore[no-untyped-def]
        return compare_metadata(MigrationContext.configure(conn), Base.metadata)

    async with store.engine.connect() as conn:
        assert await conn.run_sync(diff) == []


async def test_stores_starting_together_on_an_empty_database_all_migrate(store_url: str) -> None:
    stores = [Store.open(store_url) for _ in range(6)]
    try:
        results = await asyncio.gather(*(s.migrate() for s in stores), return_exceptions=True)
        assert [r for r in results if r is not None] == []
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        for one in stores:
            async with one.engine.connect() as conn:
                versions = (await conn.execute(sa.text("SELECT version_num FROM alembic_version"))).scalars().all()
            assert head is not None and versions == [head]
        # and each can work at once
        assert await stores[-1].leads.recent() == []
    finally:
        for one in stores:
            await one.close()


async def test_the_sqlite_lock_is_a_file_beside_the_database(sqlite_url: str) -> None:
    opened = Store.open(sqlite_url)
    try:
        await opened.migrate()
    finally:
        await opened.close()
    database = Path(sqlite_url.split("///", 1)[1])
    assert database.with_name(database.name + ".migrate.lock").exists()


async def test_invalid_flag_is_filled_from_the_reasons_once(store_url: str) -> None:
    opened = Store.open(store_url)
    leads = sa.table(
        "leads",
        sa.column("id", sa.Integer()),
        sa.column("vendor", sa.String()),
        sa.column("channel", sa.String()),
        sa.column("fields", sa.JSON()),
        sa.column("provenance", sa.JSON()),
        sa.column("score", sa.Integer()),
        sa.column("grade", sa.String()),
        sa.column("reasons", sa.JSON()),
        sa.column("status", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    row = {"vendor": "Portal", "channel": "smtp", "fields": {}, "provenance": {}, "score": 40, "status": "new",
           "created_at": datetime(2026, 3, 1, tzinfo=UTC)}
    try:
        async with opened.engine.begin() as conn:
            await conn.run_sync(upgrade, "0006")
            await conn.execute(leads.insert(), [
                {**row, "id": 1, "grade": "B", "reasons": ["-15 email address is not valid"]},
                {**row, "id": 2, "grade": "A", "reasons": ["+20 email address"]},
                {**row, "id": 3, "grade": "C", "reasons": ["-15 phone number is not valid", "-30 no contact"]},
            ])
        await opened.migrate()
        flags = {}
        for lead_id in (1, 2, 3):
            lead = await opened.leads.get(lead_id)
            assert lead is not None
            flags[lead_id] = lead.invalid
        assert flags == {1: True, 2: False, 3: True}
    finally:
        await opened.close()


async def test_a_group_write_waits_for_another_process_lock_off_the_loop(tmp_path: Path) -> None:
    """Issue 11: a group write runs in the loop's thread without waiting for SQLite's lock; while another process
    holds the database's write lock it is written from the writer thread once the lock is free, and the loop keeps
    running meanwhile (no "database is locked", no stalled loop)."""
    import sqlite3

    from parsers.lead import RawMessage
    from tests.conftest import migrated_store

    path = tmp_path / "locked.db"
    async with migrated_store(f"sqlite+aiosqlite:///{path}") as store:
        other = sqlite3.connect(path, isolation_level=None)  # the CLI, say
        other.execute("BEGIN IMMEDIATE")
        message = RawMessage(raw=b"Subject: held\r\nMessage-ID: <held@x.example>\r\n\r\nName: Ada\r\n", channel="smtp")
        writing = asyncio.create_task(store.messages.receive(message))
        for _ in range(50):  # the write meets the lock; a loop stuck waiting for it would never get back here
            await asyncio.sleep(0)
        other.execute("COMMIT")
        other.close()
        async with asyncio.timeout(10):
            accepted = await writing
        assert not accepted.duplicate
        stored = await store.messages.get(accepted.id)
        assert stored is not None and stored.raw == message.raw



async def test_a_sqlite_file_store_hands_the_gil_to_its_writer_thread_within_a_millisecond(tmp_path: Path) -> None:
    """Issue 11: the SQLite driver lets go of the GIL at every call into SQLite; the writer thread gets it back from
    the event loop within the store's switch interval (the interpreter's 5 ms default made a group's few calls hold
    the write lock several times that), lowered when the writer thread starts and never raised."""
    import sys

    from parsers.lead import RawMessage
    from store.db import WRITER_SWITCH_INTERVAL
    from tests.conftest import migrated_store

    before = sys.getswitchinterval()
    message = RawMessage(raw=b"Subject: gil\r\nMessage-ID: <gil@x.example>\r\n\r\nName: Ada\r\n", channel="smtp")
    try:
        sys.setswitchinterval(0.005)  # the interpreter's default
        async with migrated_store(f"sqlite+aiosqlite:///{tmp_path / 'gil.db'}") as store:
            await store.messages.receive(message)
            assert sys.getswitchinterval() == pytest.approx(WRITER_SWITCH_INTERVAL)
        sys.setswitchinterval(WRITER_SWITCH_INTERVAL / 10)
        async with migrated_store(f"sqlite+aiosqlite:///{tmp_path / 'lower.db'}") as store:
            await store.messages.receive(message)
            assert sys.getswitchinterval() == pytest.approx(WRITER_SWITCH_INTERVAL / 10)  # a lower one stays
    finally:
        sys.setswitchinterval(before)
