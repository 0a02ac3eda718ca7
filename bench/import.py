"""Benchmark `leadbot import`: `bench/import.py [--rows N] [--format csv|xlsx] [--no-post] [--workers N]`.

Generates N rows (default 100,000) of invented contacts in a temporary CSV (or XLSX) file — German
headers, a few per cent duplicates and invalid rows, as a trade-fair export has — then imports it through
``bot.intake.spreadsheet.run_import`` into a fresh SQLite file (or ``--url``, e.g. a PostgreSQL database): every row
mapped, verified, scored, routed, stored with its lead, contact, intake event and card. Prints rows per
second, the CPU per row (the importing process's and its worker processes' apart; by default the workers
``leadbot import`` picks: `pool_size`), the outcome counts, and peak memory (the process's max RSS, beside
its size when the import started; it stays flat as N grows, since rows stream in batches). Prints numbers
only; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FIRST = ["Greta", "Jonas", "Mira", "Tobias", "Lucía", "Oskar", "Hannah", "Mateo", "Ingrid", "Wendell", "Amara",
         "Dorian", "Sofía", "Jürgen", "Nadia", "Isla", "Kwame", "Elif", "Bartosz", "Yuki"]
LAST = ["Lindqvist", "Brenner", "Osei", "Kessler", "Fernández", "Ostrowski", "Hartwell", "Marchetti",
        "Abernathy", "Renard", "Becker", "Okafor", "Yılmaz", "Nakamura", "Dubois", "Achterberg"]
COMPANIES = ["Bau GmbH", "Dach & Wand KG", "Solartechnik AG", "Holzwerk", "Fensterbau", "Haustechnik", ""]
NEEDS = ["Angebot für Dachsanierung", "Wärmepumpe für Einfamilienhaus", "Neue Fenster, 12 Stück",
         "Photovoltaik 10 kWp", "Badsanierung", ""]
HEADERS = ["Vorname", "Nachname", "E-Mail", "Telefon", "Firma", "PLZ", "Interesse", "Interne ID"]


def _own_cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def _cpu_seconds() -> float:
    """This process and its (finished) worker processes."""
    own, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def generate(count: int, seed: int = 7) -> Iterator[list[str]]:
    """Rows one at a time: ~2 % repeat an earlier row, ~2 % give no way to reach the person."""
    rng = random.Random(seed)
    recent: list[list[str]] = []
    for n in range(count):
        if recent and rng.random() < 0.02:
            row = list(rng.choice(recent))
            row[-1] = str(n)
            yield row
            continue
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{first.lower()}.{last.lower()}.{n}@kunde{n % 97}.example".replace("í", "i").replace("ü", "ue")
        email = email.replace("ı", "i")
        phone = f"+49 30 {5550000 + n % 9999999:07d}" if rng.random() < 0.7 else ""
        if rng.random() < 0.02:
            email, phone = "", ""
        row = [first, last, email, phone, f"{last} {rng.choice(COMPANIES)}".strip(), f"{10000 + n % 89999}",
               rng.choice(NEEDS), str(n)]
        recent.append(row)
        if len(recent) > 500:
            recent.pop(0)
        yield row


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 1e6


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_csv(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(HEADERS)
        writer.writerows(generate(count))


def write_xlsx(path: Path, count: int) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(HEADERS)
    for row in generate(count):
        sheet.append(row)
    book.save(path)


async def bench(path: Path, url: str, post: bool, workers: int | None) -> None:
    # Imported here, not at the top: a worker process (spawn) runs this file's top level again.
    from bot.assess.assessor import Assessor, Routing
    from bot.intake.spreadsheet import RowRules, run_import
    from bot.settings import ScoringSettings, SlackChannels
    from store.store import Store

    store = Store.open(url)
    await store.migrate()
    channels = SlackChannels(sales="C0SALES001", nurture="C0NURTURE1")
    rules = RowRules(Assessor(ScoringSettings(), Routing(channels, slack_enabled=True)), None, "Messe 2026", post=post)
    rss_before = _rss_mb()
    started, cpu_started, own_started = time.perf_counter(), _cpu_seconds(), _own_cpu_seconds()
    summary = await run_import(store, path, rules, errors_path=path.with_suffix(".errors.csv"),
                               workers=workers)
    elapsed, cpu, own = time.perf_counter() - started, _cpu_seconds() - cpu_started, _own_cpu_seconds() - own_started
    await store.close()
    print(f"rows:            {summary.rows:,}")
    print(f"imported:        {summary.imported:,}  (grades {dict(sorted(summary.grades.items()))})")
    print(f"duplicates:      {summary.duplicates:,}")
    print(f"invalid:         {summary.invalid:,}  {dict(summary.reasons)}")
    print(f"time:            {elapsed:.1f} s")
    print(f"rows per second: {summary.rows / elapsed:,.0f}   (goal >= 2,000 for 100,000 rows)")
    print(f"CPU:             {cpu * 1000 / max(summary.rows, 1):.2f} ms per row, all threads and worker processes "
          f"(≈ {summary.rows / cpu:,.0f} rows/s where the process has its core(s) to itself); "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"  of which:      {own * 1000 / max(summary.rows, 1):.2f} ms per row in the importing process (reading, "
          f"storing), {(cpu - own) * 1000 / max(summary.rows, 1):.2f} ms in {summary.workers} worker process(es)")
    if summary.workers:
        # The processes work side by side: the busiest one sets the pace when each has a core of its own.
        busiest = max(own, (cpu - own) / summary.workers)
        print(f"  ≈ {summary.rows / busiest:,.0f} rows/s with a core for each of the {summary.workers + 1} processes "
              f"(the busiest: {busiest * 1000 / summary.rows:.2f} ms per row)")
    print(f"peak memory:     {_peak_rss_mb():.0f} MB max RSS of the whole process "
          f"({rss_before:.0f} MB when the import started: the rest is what importing added); "
          f"largest worker process {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--no-post", action="store_true", help="import without queueing cards")
    parser.add_argument("--workers", type=int, default=None,
                        help="processes reading and scoring rows (0: a thread; default: as `leadbot import` picks)")
    parser.add_argument("--url", help="store URL (default: a fresh SQLite file in a temporary directory)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="leadbot-bench-") as tmp:
        path = Path(tmp) / f"leads.{args.format}"
        started = time.perf_counter()
        (write_csv if args.format == "csv" else write_xlsx)(path, args.rows)
        print(f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB {args.format}) "
              f"in {time.perf_counter() - started:.1f} s")
        url = args.url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        asyncio.run(bench(path, url, post=not args.no_post, workers=args.workers))


if __name__ == "__main__":
    main()
