"""The admin's commands over the store: list messages and leads, replay failed messages, migrate."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.cli.common import CommandFailed, errors, open_existing
from bot.settings import Settings
from store.records import LeadRecord
from store.store import Store

console = Console(highlight=False)
#: below this many columns `leadbot leads` stacks each lead's details into fewer, taller columns
WIDE = 120


async def migrate(settings: Settings) -> int:
    store = Store.open(settings.store.url)
    try:
        await store.migrate()
    finally:
        await store.close()
    console.print(f"schema is up to date at {settings.store.url}")
    return 0


async def list_messages(
    settings: Settings, *, failed: bool, limit: int, show: int | None, suspicious: bool = False
) -> int:
    if suspicious:
        return await list_suspicious(settings, limit=limit)
    store = await open_existing(settings)
    try:
        if show is not None:
            record = await store.messages.get(show)
            if record is None:
                raise CommandFailed(f"no message with id {show}")
            console.print(f"message {record.id} from {record.sender} at {record.received_at:%Y-%m-%d %H:%M:%S} UTC",
                          markup=False)
            console.print(f"status: {record.status}   vendor: {record.vendor}   size: {record.size} bytes",
                          markup=False)
            if record.error:
                console.print(f"error:\n{record.error}", markup=False)
            console.print(record.raw.decode("utf-8", "replace")[:20000], markup=False)
            return 0
        rows = await store.messages.recent(status="failed" if failed else None, limit=limit)
    finally:
        await store.close()
    if not rows:
        console.print("no failed messages" if failed else "no messages yet")
        return 0
    # Senders, subjects and errors are other people's text: Text cells, so "[URGENT]" is not read as markup.
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("received (UTC)", no_wrap=True)
    table.add_column("channel", no_wrap=True)
    table.add_column("sender", ratio=2, overflow="fold")
    table.add_column("subject", ratio=2, overflow="fold")
    table.add_column("status", no_wrap=True)
    table.add_column("error", ratio=3, overflow="fold")
    for r in rows:
        error = (r.error or "").strip().splitlines()
        table.add_row(
            str(r.id),
            Text(f"{r.received_at:%Y-%m-%d}\n{r.received_at:%H:%M:%S}"),
            Text(r.channel),
            Text(r.sender or ""),
            Text((r.subject or "")[:80]),
            Text(r.status),
            Text((error[-1] if error else "")[:160]),
        )
    console.print(table)
    if failed:
        console.print("re-run one with: leadbot replay ID")
    return 0


async def list_suspicious(settings: Settings, *, limit: int) -> int:
    """The review queue of sender authentication (issue 13): kept, graded C, never credited to a vendor."""
    store = await open_existing(settings)
    try:
        rows = await store.authentication.suspicious(limit=limit)
    finally:
        await store.close()
    if not rows:
        console.print("no suspicious messages")
        return 0
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("received (UTC)", no_wrap=True)
    table.add_column("sender", ratio=2, overflow="fold")
    table.add_column("subject", ratio=2, overflow="fold")
    table.add_column("verdict", no_wrap=True)
    table.add_column("authentication results", ratio=3, overflow="fold")
    for r in rows:
        table.add_row(
            str(r.message_id),
            Text(f"{r.received_at:%Y-%m-%d}\n{r.received_at:%H:%M:%S}"),
            Text(r.sender or ""),
            Text((r.subject or "")[:80]),
            Text(r.verdict or "unchecked"),
            Text((r.auth_results or "")[:400]),
        )
    console.print(table)
    console.print("read one with: leadbot messages --show ID")
    return 0


async def replay(settings: Settings, ids: Sequence[int], *, force: bool) -> int:
    # spaCy loads only for the commands that extract
    from bot.intake.pipeline import IntakePipeline
    from bot.service import build_assessor, build_resolver
    from nlp.extractor import Extractor

    store = await open_existing(settings, migrate=True)
    try:
        extractor = await asyncio.to_thread(Extractor, settings.extraction, settings.nlp)
        pipeline = IntakePipeline(
            store, extractor, build_assessor(settings, store),
            authentication=settings.authentication, resolver=build_resolver(settings),
        )
        status = 0
        for message_id in ids:
            record = await store.messages.get(message_id)
            if record is None:
                errors.print(f"message {message_id}: no such message", markup=False)
                status = 1
                continue
            if record.status == "processed" and not force:
                errors.print(f"message {message_id}: already made leads; use --force to make them again", markup=False)
                status = 1
                continue
            leads = await pipeline.replay(message_id)
            after = await store.messages.get(message_id)
            assert after is not None
            if after.status == "failed":
                last = (after.error or "").strip().splitlines()
                errors.print(f"message {message_id}: failed again: {last[-1] if last else 'no reason kept'}",
                             markup=False)
                status = 1
            else:
                grades = ", ".join(f"#{lead.id} grade {lead.grade}" for lead in leads) or "no lead in it"
                console.print(f"message {message_id}: {after.status}: {grades}")
        if await store.outbox.pending_count():
            console.print("cards are queued; the running service posts them")
        return status
    finally:
        await store.close()


async def list_leads(
    settings: Settings, *, grade: str | None, status: str | None, limit: int, output: str = "table"
) -> int:
    store = await open_existing(settings)
    try:
        rows = await store.leads.recent(grade=grade, status=status, limit=limit)
    finally:
        await store.close()
    if output != "table":  # for another system: always a document, even with no lead
        from bot.cli.export import leads_csv, leads_json

        sys.stdout.write(leads_csv(rows) if output == "csv" else leads_json(rows))
        return 0
    if not rows:
        console.print("no leads match")
        return 0
    console.print(leads_table(rows, console.width))
    return 0


def leads_table(rows: list[LeadRecord], width: int) -> Table:
    """The leads as a table that fits ``width`` columns: one column per detail when wide, stacked when not.

    Long names and addresses fold onto more lines rather than pushing the table past the terminal.
    """
    if width >= WIDE:
        table = Table("id", "created (UTC)", "grade", "score", "name", "email", "phone", "vendor", "status",
                      "owner", box=box.SIMPLE_HEAD)
        for lead in rows:
            table.add_row(str(lead.id), f"{lead.created_at:%Y-%m-%d %H:%M}", lead.grade, str(lead.score),
                          Text(lead.display_name, overflow="fold"), Text(lead.value("email") or "", overflow="fold"),
                          Text(lead.value("phone") or ""), Text(lead.vendor or "", overflow="fold"), lead.status,
                          Text(lead.owner or ""))
        return table
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=True)
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("created", no_wrap=True)
    table.add_column("grade", no_wrap=True)
    table.add_column("lead", ratio=3, overflow="fold")
    table.add_column("vendor", ratio=1, overflow="fold")
    table.add_column("status", no_wrap=True)
    for lead in rows:
        who = "\n".join(part for part in (lead.display_name, lead.value("email"), lead.value("phone")) if part)
        state = "\n".join(part for part in (lead.status, lead.owner) if part)
        table.add_row(str(lead.id), f"{lead.created_at:%Y-%m-%d}\n{lead.created_at:%H:%M} UTC",
                      f"{lead.grade} {lead.score}", Text(who, overflow="fold"),
                      Text(lead.vendor or "", overflow="fold"), Text(state))
    return table
