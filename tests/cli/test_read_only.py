"""Commands that only read never create a database file and never migrate one: they say what to run."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from store.migrate import alembic_config, upgrade
from store.store import Store
from tests.cli.helpers import leadbot, one_line, sqlite_config

READ_ONLY = [["leads"], ["stats"], ["messages"], ["messages", "--failed"], ["contacts", "show", "someone@x.example"],
             ["rescore", "--dry-run"]]


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_no_database_yet(tmp_path: Path, command: list[str]) -> None:
    database = tmp_path / "leadbot.db"
    config = sqlite_config(tmp_path, database)
    result = leadbot("--config", str(config), *command)
    assert result.returncode == 1 and result.stdout == ""
    line = one_line(result.stderr)
    assert f"no database at {database}" in line and "leadbot migrate" in line
    assert not database.exists()
    assert list(tmp_path.iterdir()) == [config]


def _revisions(path: Path) -> set[str]:
    with sqlite3.connect(path) as connection:
        return {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}


async def _migrate_to(url: str, revision: str) -> None:
    store = Store.open(url)
    try:
        async with store.engine.begin() as connection:
            await connection.run_sync(upgrade, revision)
    finally:
        await store.close()


def test_an_older_schema_is_not_migrated_behind_the_admins_back(tmp_path: Path) -> None:
    database = tmp_path / "leadbot.db"
    config = sqlite_config(tmp_path, database)
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_revision(script.get_current_head())
    assert head is not None and isinstance(head.down_revision, str)
    asyncio.run(_migrate_to(f"sqlite+aiosqlite:///{database}", head.down_revision))
    before = _revisions(database)

    for command in (["leads"], ["stats", "all"], ["messages"]):
        result = leadbot("--config", str(config), *command)
        assert result.returncode == 1, result.stderr
        assert "needs `leadbot migrate`" in one_line(result.stderr)
    assert _revisions(database) == before

    migrated = leadbot("--config", str(config), "migrate")
    assert migrated.returncode == 0, migrated.stderr
    listed = leadbot("--config", str(config), "leads")
    assert listed.returncode == 0 and "no leads match" in listed.stdout


def test_a_file_without_our_schema_is_left_alone(tmp_path: Path) -> None:
    database = tmp_path / "leadbot.db"
    sqlite3.connect(database).close()  # an empty file: someone's typo in [store] url, say
    config = sqlite_config(tmp_path, database)
    result = leadbot("--config", str(config), "leads")
    assert result.returncode == 1 and "holds no Leadbot schema" in one_line(result.stderr)
    with sqlite3.connect(database) as connection:
        assert connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall() == []
