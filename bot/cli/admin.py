"""The admin's commands over the store: list messages and leads, replay failed messages, migrate."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from bot.settings import Settings
from store.store import Store

console = Console(highlight=False)


async def migrate(settings: Settings) -> int:
    store = Store.open(settings.store.url)
    try:
        await store.migrate()
    finally:
        await store.close()
    console.print(f"schema is up to date at {settings.store.url}")
    return 0


async def list_messages(settings: Settings, *, failed: bool, limit: int, show: int | None) -> int:
    store = Store.open(settings.store.url)
    try:
        await store.migrate()
        if show is not None:
            record = await store.messages.get(show)
            if record is None:
                console.print(f"no message with id {show}")
                return 1
            console.print(f"message {record.id} from {record.sender} at {record.received_at:%Y-%m-%d %H:%M:%S} UTC")
            console.print(f"status: {record.status}   vendor: {record.vendor}   size: {record.size} bytes")
            if record.error:
                console.print(f"error:\n{record.error}")
            console.print(record.raw.decode("utf-8", "replace")[:20000], markup=False)
            return 0
        rows = await store.messages.recent(status="failed" if failed else None, limit=limit)
    finally:
        await store.close()
    if not rows:
        console.print("no failed messages" if failed else "no messages yet")
        return 0
    table = Table("id", "received (UTC)", "channel", "sender", "subject", "status", "error")
    for r in rows:
        error = (r.error or "").strip().splitlines()
        table.add_row(
            str(r.id),
            f"{r.received_at:%Y-%m-%d %H:%M:%S}",
            r.channel,
            r.sender or "",
            (r.subject or "")[:40],
            r.status,
            (error[-1] if error else "")[:60],
        )
    console.print(table)
    if failed:
        console.print("re-run one with: leadbot replay ID")
    return 0


async def replay(settings: Settings, ids: Sequence[int], *, force: bool) -> int:
    # spaCy loads only for the commands that extract
    from bot.intake.pipeline import IntakePipeline
    from bot.service import build_assessor
    from nlp.extractor import Extractor

    store = Store.open(settings.store.url)
    try:
        await store.migrate()
        extractor = await asyncio.to_thread(Extractor, settings.extraction, settings.nlp)
        pipeline = IntakePipeline(store, extractor, build_assessor(settings, store))
        status = 0
        for message_id in ids:
            record = await store.messages.get(message_id)
            if record is None:
                console.print(f"message {message_id}: no such message")
                status = 1
                continue
            if record.status == "processed" and not force:
                console.print(f"message {message_id}: already made leads; use --force to make them again")
                status = 1
                continue
            leads = await pipeline.replay(message_id)
            after = await store.messages.get(message_id)
            assert after is not None
            if after.status == "failed":
                console.print(f"message {message_id}: failed again: {(after.error or '').strip().splitlines()[-1]}")
                status = 1
            else:
                grades = ", ".join(f"#{lead.id} grade {lead.grade}" for lead in leads) or "no lead in it"
                console.print(f"message {message_id}: {after.status}: {grades}")
        if await store.outbox.pending_count():
            console.print("cards are queued; the running service posts them")
        return status
    finally:
        await store.close()


async def list_leads(settings: Settings, *, grade: str | None, status: str | None, limit: int) -> int:
    store = Store.open(settings.store.url)
    try:
        await store.migrate()
        rows = await store.leads.recent(grade=grade, status=status, limit=limit)
    finally:
        await store.close()
    if not rows:
        console.print("no leads match")
        return 0
    table = Table("id", "created (UTC)", "grade", "score", "name", "email", "phone", "vendor", "status", "owner")
    for lead in rows:
        table.add_row(
            str(lead.id),
            f"{lead.created_at:%Y-%m-%d %H:%M}",
            lead.grade,
            str(lead.score),
            lead.display_name,
            lead.value("email") or "",
            lead.value("phone") or "",
            lead.vendor or "",
            lead.status,
            lead.owner or "",
        )
    console.print(table)
    return 0
