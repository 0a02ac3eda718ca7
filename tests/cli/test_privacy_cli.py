"""`leadbot erase`, `leadbot export` and `leadbot privacy` as a person runs them (issue 13)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

from store.store import Store
from tests.cli.helpers import leadbot, one_line, sqlite_config
from tests.store.helpers import new_lead, raw_message

LONG_AGO = datetime(2020, 1, 6, 12, 0, tzinfo=UTC)


async def _stored(url: str) -> None:
    """One person's message and lead, processed long ago, and one of someone else's today."""
    store = Store.open(url, clock=lambda: LONG_AGO)
    await store.migrate()
    try:
        accepted = await store.messages.accept(
            raw_message(b"Subject: quote\r\n\r\nEmail: ada@park.test\r\n"), dedup_key="mid:one"
        )
        await store.messages.complete(accepted.id, [new_lead("ada@park.test", post_to=None)], vendor="Portal")
    finally:
        await store.close()
    store = Store.open(url)
    try:
        accepted = await store.messages.accept(raw_message(b"Subject: hi\r\n\r\nx\r\n"), dedup_key="mid:two")
        await store.messages.complete(accepted.id, [new_lead("bo@lee.test", post_to=None)], vendor="Portal")
    finally:
        await store.close()


def test_export_erase_and_retention(tmp_path: Path) -> None:
    database = tmp_path / "leadbot.db"
    asyncio.run(_stored(f"sqlite+aiosqlite:///{database}"))
    config = sqlite_config(tmp_path, database, "[privacy]\nraw_message_days = 30\n")

    out = tmp_path / "ada.json"
    exported = leadbot("--config", str(config), "export", "ada@park.test", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    held = json.loads(out.read_text(encoding="utf-8"))
    assert held["contact"]["email"] == "ada@park.test" and "ada@park.test" in held["messages"][0]["raw"]

    dry = leadbot("--config", str(config), "privacy", "--dry-run")
    assert dry.returncode == 0 and "raw messages to delete (processed more than the set days ago): 1" in dry.stdout
    assert "dry run: nothing changed" in dry.stdout
    again = leadbot("--config", str(config), "privacy", "--dry-run")
    assert again.stdout == dry.stdout  # the dry run deleted nothing
    applied = leadbot("--config", str(config), "privacy")
    assert applied.returncode == 0 and "applied" in applied.stdout, applied.stderr
    assert (
        "raw messages to delete (processed more than the set days ago): 0"
        in leadbot("--config", str(config), "privacy", "--dry-run").stdout
    )

    erased = leadbot("--config", str(config), "erase", "ada@park.test")
    assert erased.returncode == 0 and one_line(erased.stdout).startswith("erased contact 1: 1 contact(s), 1 lead(s)")
    second = leadbot("--config", str(config), "erase", "1")
    assert second.returncode == 0 and "erased already" in second.stdout
    unknown = leadbot("--config", str(config), "erase", "ada@park.test")
    assert unknown.returncode == 1 and "no contact matches" in one_line(unknown.stderr)
    assert "ada@park.test" not in database.read_bytes().decode("latin-1")
