"""`leadbot outbox`: the Slack outbox items set aside as dead (issue 12), and trying one again."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.cli.common import UsageError, open_existing
from bot.settings import Settings
from store.records import OutboxRecord

console = Console(highlight=False)


async def list_dead(settings: Settings, *, limit: int) -> int:
    """Print the dead items with their reason; exit 0 (an empty list says so)."""
    store = await open_existing(settings)
    try:
        rows = await store.outbox.dead(limit=limit)
    finally:
        await store.close()
    if not rows:
        console.print("no dead outbox items")
        return 0
    console.print(dead_table(rows))
    return 0


def dead_table(rows: list[OutboxRecord]) -> Table:
    table = Table("id", "queued (UTC)", "kind", "lead", "channel", "attempts", "reason", box=box.SIMPLE_HEAD)
    for item in rows:
        table.add_row(
            str(item.id), f"{item.created_at:%Y-%m-%d %H:%M}", item.kind,
            "" if item.lead_id is None else str(item.lead_id), Text(item.channel or ""), str(item.attempts),
            Text(item.last_error or "", overflow="fold"),
        )
    return table


async def retry_dead(settings: Settings, item_ids: list[int]) -> int:
    """Make the given dead items pending again; the running service posts them at its next pass."""
    store = await open_existing(settings, migrate=True)
    try:
        missing = [item_id for item_id in item_ids if not await store.outbox.revive(item_id)]
    finally:
        await store.close()
    revived = len(item_ids) - len(missing)
    if revived:
        console.print(f"{revived} item(s) queued again; the running service delivers them")
    if missing:
        raise UsageError(f"no dead outbox item with id {', '.join(map(str, missing))} (see `leadbot outbox --dead`)")
    return 0
