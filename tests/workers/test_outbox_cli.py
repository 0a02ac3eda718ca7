"""`leadbot outbox --dead` lists the items set aside with their reason; `--retry ID` queues one again."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from store.store import Store
from tests.cli.helpers import leadbot, one_line, sqlite_config
from tests.slack.leads import new_lead


async def _dead_item(url: str) -> tuple[int, int]:
    store = Store.open(url)
    await store.migrate()
    try:
        lead = await store.leads.add(new_lead(post_to=None))
        item = await store.outbox.enqueue("update_card", lead_id=lead.id, channel="C_SALES")
        await store.outbox.retry(item, "no card to update: lead 1 has no card", delay=timedelta(0), give_up=True)
        return lead.id, item
    finally:
        await store.close()


async def _pending(url: str) -> list[int]:
    store = Store.open(url)
    try:
        return [i.id for i in await store.outbox.lane_heads()]
    finally:
        await store.close()


def test_dead_items_are_listed_and_retried(tmp_path: Path) -> None:
    database = tmp_path / "leadbot.db"
    config = sqlite_config(tmp_path, database)
    url = f"sqlite+aiosqlite:///{database}"
    lead_id, item = asyncio.run(_dead_item(url))

    listed = leadbot("--config", str(config), "outbox", "--dead")
    assert listed.returncode == 0, listed.stderr
    text = " ".join(listed.stdout.split())
    assert f"{item} " in text and "update_card" in text and "no card to update" in text and str(lead_id) in text

    retried = leadbot("--config", str(config), "outbox", "--retry", str(item))
    assert retried.returncode == 0, retried.stderr
    assert asyncio.run(_pending(url)) == [item]
    assert "no dead outbox items" in leadbot("--config", str(config), "outbox").stdout

    again = leadbot("--config", str(config), "outbox", "--retry", str(item))
    assert again.returncode == 2
    assert f"no dead outbox item with id {item}" in one_line(again.stderr)
