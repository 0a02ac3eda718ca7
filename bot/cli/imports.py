"""`leadbot import`: the progress bar, the column mapping, the summary table (the work: bot.intake.spreadsheet)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table
from rich.text import Text

from bot.cli.common import UsageError
from bot.intake.attribution import IMPORT
from bot.intake.sheets import ImportFileError
from bot.intake.spreadsheet import ImportSummary, RowRules, parse_overrides, run_import
from bot.service import build_assessor
from bot.settings import Settings
from store.store import Store


class RateColumn(ProgressColumn):
    """Rows per second."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text(f"{speed:,.0f} rows/s" if speed else "– rows/s", style="progress.data.speed")


def summary_table(summary: ImportSummary) -> Table:
    title = "dry run: nothing was stored" if summary.dry_run else f"import {summary.batch_id}"
    table = Table("", "rows", "", title=f"{Path(summary.file).name} — {title}", title_justify="left")
    table.add_row("imported" if not summary.dry_run else "would import", f"{summary.imported:,}",
                  ", ".join(f"grade {g}: {n:,}" for g, n in sorted(summary.grades.items())))
    table.add_row("duplicates", f"{summary.duplicates:,}", "")
    if summary.repeated:
        table.add_row("", f"{summary.duplicates - summary.repeated:,}",
                      "  same contact and request as an earlier row: not stored again")
        table.add_row("", f"{summary.repeated:,}",
                      "  a person whose earlier lead is open: stored as status duplicate, no card of its own")
    elif summary.duplicates:
        table.add_row("", f"{summary.duplicates:,}", "  same contact and request as an earlier row: not stored again")
    table.add_row("invalid", f"{summary.invalid:,}", "")
    for reason, count in summary.reasons.most_common():
        table.add_row("", f"{count:,}", f"  {reason}")
    table.add_row("total", f"{summary.rows:,}", "")
    return table


async def import_file(
    settings: Settings,
    path: Path,
    *,
    source: str | None,
    mappings: list[str],
    dry_run: bool,
    no_post: bool,
    errors: Path | None,
    workers: int | None = None,
    console: Console | None = None,
) -> int:
    console = console or Console(highlight=False, stderr=False)
    if not await asyncio.to_thread(path.is_file):
        exists = await asyncio.to_thread(path.exists)
        raise UsageError(f"{path} is not a file" if exists else f"{path} does not exist")
    try:
        overrides = parse_overrides(mappings)
    except ImportFileError as exc:
        raise UsageError(str(exc)) from None
    store = Store.open(settings.store.url)
    progress = Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
        RateColumn(), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
        console=console, transient=False,
    )
    task = progress.add_task("importing", total=None)
    try:
        await store.migrate()
        assessor = build_assessor(settings, store)
        rules = RowRules(assessor, await assessor.rates(), vendor=source or IMPORT, post=not no_post)
        with progress:
            summary = await run_import(
                store, path, rules, dry_run=dry_run, overrides=overrides, errors_path=errors, workers=workers,
                on_start=lambda total: progress.update(task, total=total),
                on_rows=lambda n: progress.advance(task, n),
            )
    except ImportFileError as exc:
        raise UsageError(str(exc)) from None
    finally:
        await store.close()
    console.print("columns: " + ", ".join(f"{h} → {f}" for h, f in summary.mapping))
    if summary.unmapped:
        console.print("not imported (no matching field; use --map COLUMN=FIELD): " + ", ".join(summary.unmapped))
    console.print(summary_table(summary))
    if summary.errors_path:
        console.print(f"rejected rows and why, by line: {summary.errors_path}")
    if not dry_run and summary.imported and not no_post:
        console.print("cards for the imported leads are queued; the running service posts them")
    return 0
