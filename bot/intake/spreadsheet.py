"""`leadbot import`: leads from a CSV or Excel file, streamed, scored and routed like every other lead.

    file ─rows─> column mapping ─> lead fields ─> verify ─> score ─> route ─┐
                                                                           ├─> Store.imports.add_rows (batch):
                      rows stored as read, duplicates and invalid kept ────┘   lead + contact + event + card

Rows are read one at a time (``csv`` on a text stream, openpyxl in read-only mode) and stored in batches,
so a file of any length imports in constant memory. Columns are mapped automatically from their
headers, English or German ("E-Mail", "Telefon", "Vorname", "PLZ"…), through the same label dictionary
the mail readers use; ``--map column=field`` overrides. A row is *invalid* when it gives no way to reach
the person (no valid email, no valid phone) and a *duplicate* when an earlier row — this file or an earlier
import — had the same contact and request. Rejected rows are listed, with the reason, in an error report.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import gc
import hashlib
import io
import itertools
import multiprocessing
import os
from collections import Counter, deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.assess.assessor import Assessor
from bot.intake.sheets import ImportFileError, Row, open_table
from parsers.labels.dictionary import norm_label
from parsers.labels.lookup import lookup_label
from parsers.lead import FIELD_NAMES, MAX_VENDOR_NAME, ExtractedLead, FieldValue
from parsers.payloads import VENDOR_KEYS
from parsers.verify import finalize
from store.records import ImportCandidate, ImportOutcome

if TYPE_CHECKING:
    # Types only: a worker process imports this module, and these load SQLAlchemy (~40 MB, 0.7 s a process).
    from bot.assess.learning import LearnedRates
    from store.store import Store

#: a column mapped to this is ignored (``--map "Internal ID=-"``)
IGNORE = "-"
#: a column mapped to this names each row's vendor (``--map "Lead Source=vendor"``); found by itself under
#: the names a payload's vendor key has ("Vendor", "Lead Source", "Provider" …)
VENDOR_COLUMN = "vendor"
_SLOT_FIELDS = {"address": "street"}
_ID_FIELDS = ("email", "phone", "full_name", "first_name", "last_name", "interest", "message")
DEFAULT_BATCH = 500


# ---- mapping and building leads (pure) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnMap:
    """Column index → lead field; the headers no field was found for; the column naming each row's vendor."""

    fields: dict[int, str]
    unmapped: tuple[str, ...]
    vendor: int | None = None

    def describe(self, headers: Sequence[str]) -> list[tuple[str, str]]:
        found = [*self.fields.items(), *([(self.vendor, VENDOR_COLUMN)] if self.vendor is not None else [])]
        return [(headers[i], name) for i, name in sorted(found)]


def parse_overrides(items: Sequence[str]) -> dict[str, str]:
    """``["Mail=email", "ID=-"]`` → {"mail": "email", "id": "-"} (headers compared case-insensitively)."""
    out: dict[str, str] = {}
    for item in items:
        column, sep, name = item.rpartition("=")
        column, name = column.strip(), name.strip()
        if not sep or not column:
            raise ImportFileError(f"--map {item!r}: expected COLUMN=FIELD")
        if name not in (IGNORE, VENDOR_COLUMN) and name not in FIELD_NAMES:
            raise ImportFileError(
                f"--map {item!r}: {name!r} is not a lead field ({', '.join(FIELD_NAMES)}), {VENDOR_COLUMN} or -")
        out[column.casefold()] = name
    return out


def auto_map(headers: Sequence[str], overrides: dict[str, str] | None = None) -> ColumnMap:
    """Map each header to a lead field by the label dictionary (English, German, …), overrides first."""
    overrides = dict(overrides or {})
    fields: dict[int, str] = {}
    unmapped: list[str] = []
    vendor: int | None = None
    for index, header in enumerate(headers):
        forced = overrides.pop(header.casefold(), None)
        if forced == VENDOR_COLUMN or (forced is None and vendor is None and _names_vendor(header)):
            vendor = index
            continue
        if forced is not None:
            if forced != IGNORE:
                fields[index] = forced
            continue
        found = lookup_label(header) if header else None
        slot = _SLOT_FIELDS.get(found[0], found[0]) if found else None
        if slot in FIELD_NAMES:
            fields[index] = slot
        elif header:
            unmapped.append(header)
    if overrides:
        raise ImportFileError(f"--map names columns the file does not have: {', '.join(sorted(overrides))}")
    return ColumnMap(fields, tuple(unmapped), vendor)


def _names_vendor(header: str) -> bool:
    return norm_label(header).replace(" ", "_").replace("-", "_") in VENDOR_KEYS


@dataclass(frozen=True, slots=True)
class RowRules:
    """What turns a row into a stored lead: the assessor, its learned rates, the vendor credited (unless the
    row's vendor column names one), whether cards post."""

    assessor: Assessor
    learned: LearnedRates | None
    vendor: str
    post: bool = True


def row_key(lead: ExtractedLead) -> str:
    """A row's identity for duplicates: the same person (email, phone, name) asking the same thing,
    whichever file or source it came in."""
    parts: list[str] = []
    for name in _ID_FIELDS:
        found = lead.fields.get(name)
        parts.append((found.normalized or found.value).casefold() if found else "")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _invalid_reason(lead: ExtractedLead, cells: list[str]) -> str | None:
    if not any(cells):
        return "empty row"
    email, phone = lead.fields.get("email"), lead.fields.get("phone")
    email_ok = email is not None and "invalid_email" not in email.flags
    phone_ok = phone is not None and "invalid_phone" not in phone.flags
    if email_ok or phone_ok:
        return None
    problems = []
    if email is not None:
        problems.append(f"invalid email {email.value!r}")
    if phone is not None:
        problems.append(f"invalid phone {phone.value!r}")
    return "; ".join(problems) or "no email or phone"


def build_candidate(
    row_number: int, headers: Sequence[str], cells: list[str], mapping: ColumnMap, rules: RowRules,
    problem: str | None = None, *, now: datetime | None = None,
) -> ImportCandidate:
    """One row → the lead it makes (verified, scored, routed), or the reason it makes none.

    ``problem``: the row is malformed (a CSV record that does not parse or line up with the header).
    ``now``: when the claim clock starts (default: the assessor's clock).
    """
    data = {headers[i] if i < len(headers) else f"column {i + 1}": c for i, c in enumerate(cells) if c}
    if problem is not None:
        return ImportCandidate(row_number, data, None, None, f"malformed: {problem}")
    fields: dict[str, FieldValue] = {}
    for index, name in mapping.fields.items():
        value = cells[index] if index < len(cells) else ""
        if value and name not in fields:
            fields[name] = FieldValue(value, f"import:{headers[index]}")
    lead = finalize(ExtractedLead(fields), default_region=rules.assessor.default_region)
    reason = _invalid_reason(lead, cells)
    if reason is not None:
        return ImportCandidate(row_number, data, None, None, reason)
    # ``now`` starts the claim clock of a lead that gets a card, as for every other way in.
    named = cells[mapping.vendor].strip()[:MAX_VENDOR_NAME] if mapping.vendor is not None and mapping.vendor < len(
        cells) else ""
    (stored,) = rules.assessor.assess_with(
        [lead], named or rules.vendor, channel="file", learned=rules.learned, now=now or rules.assessor.now(),
        post=rules.post,
    )
    return ImportCandidate(row_number, data, row_key(lead), stored)


@dataclass(frozen=True, slots=True)
class _Builder:
    """What a worker needs to turn rows into candidates: picklable (no store, no clock; ``now`` comes along
    with each chunk from the importing process)."""

    headers: list[str]
    mapping: ColumnMap
    rules: RowRules

    def build(self, rows: list[Row], now: datetime) -> list[ImportCandidate]:
        return [build_candidate(row.number, self.headers, row.cells, self.mapping, self.rules, row.problem, now=now)
                for row in rows]


def _pure_rules(rules: RowRules) -> RowRules:
    """The rules without the assessor's store-backed learning cache (its rates travel in ``learned``)."""
    pure = Assessor(rules.assessor.scoring, rules.assessor.routing)
    return replace(rules, assessor=pure)


_worker_builder: _Builder | None = None

#: young-generation threshold of the cyclic garbage collector during an import (Python's default: 700)
GC_YOUNG_THRESHOLD = 10_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run a long import with less cyclic garbage collection: the objects that exist now (modules, settings,
    the store's metadata) are frozen out of every collection, and the young generation is collected after
    10,000 allocations instead of 700. Building and storing a row allocates dozens of short-lived objects that
    reference counting frees anyway, so the collector walked the same old objects over and over: on 20,000
    rows it took ~0.13 ms of the importing process's ~0.45 ms per row. Rows are freed batch by batch, so
    memory stays flat. The settings are restored afterwards."""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _init_worker(builder: _Builder) -> None:
    global _worker_builder
    _worker_builder = builder
    # A worker process does nothing but build rows until the import ends: its collector settings are its own.
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def _build_in_worker(rows: list[Row], now: datetime) -> list[ImportCandidate]:
    assert _worker_builder is not None, "worker not initialised"
    return _worker_builder.build(rows, now)


#: fewer rows than this are built on a thread: a worker process costs ~0.35 s of CPU to start (what
#: building 1,500 rows costs), and each row then travels to it and back (~0.04 ms)
MIN_POOL_ROWS = 5_000
#: more worker processes than this do not pay: the importing process (reading, storing) becomes the limit
MAX_WORKERS = 4


def pool_size(rows: int | None, cores: int | None = None) -> int:
    """Worker processes for an import of ``rows`` rows (None: unknown) on ``cores`` usable cores (default:
    this process's CPU affinity): none for a small file or one core; else one per core beyond the one the
    importing process needs for reading and storing, at least one, at most `MAX_WORKERS`."""
    cores = len(os.sched_getaffinity(0)) if cores is None else cores
    if cores < 2 or (rows is not None and rows < MIN_POOL_ROWS):
        return 0
    return max(1, min(cores - 1, MAX_WORKERS))


def _pool(builder: _Builder, workers: int) -> ProcessPoolExecutor:
    # spawn, not fork: the importing process runs threads (aiosqlite's, the event loop's executor).
    return ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"), initializer=_init_worker,
                               initargs=(builder,))


# ---- the run --------------------------------------------------------------------------------------


@dataclass(slots=True)
class ImportSummary:
    file: str
    rows: int = 0
    imported: int = 0
    #: rows that made no new lead because an earlier row had them, plus ``repeated``
    duplicates: int = 0
    #: rows stored as leads with status "duplicate": the person's earlier lead is still open
    repeated: int = 0
    invalid: int = 0
    reasons: Counter[str] = field(default_factory=Counter)
    grades: Counter[str] = field(default_factory=Counter)
    mapping: list[tuple[str, str]] = field(default_factory=list)
    unmapped: tuple[str, ...] = ()
    errors_path: Path | None = None
    batch_id: int | None = None
    dry_run: bool = False
    #: processes that read and scored the rows (0: a thread of the importing process)
    workers: int = 0


class ErrorReport:
    """The rejected rows, written as they come: line (in the CSV file; the row in a sheet), status, reason,
    then the row's cells."""

    def __init__(self, path: Path, headers: Sequence[str]) -> None:
        self.path = path
        self._headers = list(headers)
        self._handle: io.TextIOWrapper | None = None
        self._writer: Any = None
        self.count = 0

    def add(self, candidate: ImportCandidate, outcome: ImportOutcome) -> None:
        if self._writer is None:
            self._handle = self.path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle)
            self._writer.writerow(["line", "status", "reason", *self._headers])
        self._writer.writerow(
            [outcome.row_number, outcome.status, outcome.reason or "",
             *(candidate.data.get(h, "") for h in self._headers)]
        )
        self.count += 1

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


def _reason_group(reason: str | None) -> str:
    text = reason or "unknown"
    if text.startswith("malformed: "):  # "malformed: wrong number of cells: 4 where…" → its kind
        return ": ".join(text.split(": ", 2)[:2]).split(" (", 1)[0]
    return text.split(" '", 1)[0] if text.startswith("invalid") else text


async def run_import(
    store: Store,
    path: Path,
    rules: RowRules,
    *,
    dry_run: bool = False,
    overrides: dict[str, str] | None = None,
    errors_path: Path | None = None,
    batch_size: int = DEFAULT_BATCH,
    workers: int | None = None,
    on_start: Callable[[int | None], None] = lambda total: None,
    on_rows: Callable[[int], None] = lambda n: None,
) -> ImportSummary:
    """Import ``path`` in batches of ``batch_size`` rows.

    A dry run checks and counts everything and stores nothing; its duplicates are rows already imported
    and repeats within the file (whose keys it keeps in memory, 32 bytes a row). ``workers``: processes
    building and scoring rows (0: a thread of this process; None, the default: `pool_size` picks by the
    file's length and the cores this process may use).
    """
    table = open_table(path)
    mapping = auto_map(table.headers, overrides)
    if not ({"email", "phone"} & set(mapping.fields.values())):
        raise ImportFileError(
            f"{path.name}: no column was recognised as email or phone (headers: {', '.join(table.headers)}); "
            "use --map COLUMN=email"
        )
    summary = ImportSummary(str(path), mapping=mapping.describe(table.headers), unmapped=mapping.unmapped,
                            dry_run=dry_run)
    report = ErrorReport(errors_path or path.with_name(path.name + ".errors.csv"), table.headers)
    seen: set[str] = set()  # dry run only: keys of this file
    on_start(table.total)
    if not dry_run:
        summary.batch_id = await store.imports.start(path.name, rules.vendor)
    builder = _Builder(table.headers, mapping, rules)
    workers = pool_size(table.total) if workers is None else workers
    summary.workers = workers
    pool: ProcessPoolExecutor | None = None
    if workers > 0:
        pool = _pool(replace(builder, rules=_pure_rules(rules)), workers)
    loop = asyncio.get_running_loop()
    # Batches in flight, in file order: reading and scoring (CPU: worker processes, or a thread for a small
    # file) overlaps storing (I/O). Bounded, so memory stays flat.
    pending: deque[asyncio.Future[list[ImportCandidate]]] = deque()
    depth = 2 * workers + 1 if pool is not None else 1

    def submit() -> None:
        rows = list(itertools.islice(table.rows, batch_size))
        if not rows:
            return
        if pool is not None:
            pending.append(loop.run_in_executor(pool, _build_in_worker, rows, rules.assessor.now()))
        else:
            pending.append(asyncio.ensure_future(asyncio.to_thread(builder.build, rows, rules.assessor.now())))

    try:
        with fewer_collections():
            for _ in range(depth):
                submit()
            while pending:
                candidates = await pending.popleft()
                submit()
                if summary.batch_id is not None:
                    outcomes = await _repeats_are_duplicates(store, await store.imports.add_rows(
                        summary.batch_id, candidates))
                else:
                    outcomes = await _dry_outcomes(store, candidates, seen)
                for candidate, outcome in zip(candidates, outcomes, strict=True):
                    summary.rows += 1
                    if outcome.status == "repeat":
                        summary.duplicates += 1
                        summary.repeated += 1
                        report.add(candidate, replace(outcome, status="duplicate"))
                        continue
                    if outcome.status == "imported":
                        summary.imported += 1
                        summary.grades[outcome.grade or "?"] += 1
                        continue
                    if outcome.status == "duplicate":
                        summary.duplicates += 1
                    else:
                        summary.invalid += 1
                        summary.reasons[_reason_group(outcome.reason)] += 1
                    report.add(candidate, outcome)
                on_rows(len(candidates))
    finally:
        for upcoming in pending:
            upcoming.cancel()
            with contextlib.suppress(BaseException):
                await upcoming
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        report.close()
        if summary.batch_id is not None:
            await store.imports.finish(summary.batch_id, rows=summary.rows, imported=summary.imported,
                                      duplicates=summary.duplicates, invalid=summary.invalid)
    summary.errors_path = report.path if report.count else None
    return summary


async def _repeats_are_duplicates(store: Store, outcomes: list[ImportOutcome]) -> list[ImportOutcome]:
    """A new row from a person whose earlier lead is open is stored as a "duplicate" lead (no card of its
    own): mark its outcome "repeat", so the summary counts it with the duplicates, not the imported."""
    from store.cli_queries import lead_statuses  # here: the worker processes import this module without it

    ids = [o.lead_id for o in outcomes if o.status == "imported" and o.lead_id is not None]
    statuses = await lead_statuses(store, ids)
    return [
        replace(o, status="repeat", reason=f"stored as lead #{o.lead_id} with status duplicate: the same person's "
                                           "earlier lead is still open (no card of its own)")
        if o.lead_id is not None and statuses.get(o.lead_id) == "duplicate" else o
        for o in outcomes
    ]


async def _dry_outcomes(store: Store, candidates: list[ImportCandidate], seen: set[str]) -> list[ImportOutcome]:
    known = await store.imports.known_keys([c.key for c in candidates if c.key])
    out: list[ImportOutcome] = []
    for c in candidates:
        if c.lead is None or c.key is None:
            out.append(ImportOutcome(c.row_number, "invalid", c.reason))
        elif c.key in seen or c.key in known:
            out.append(ImportOutcome(c.row_number, "duplicate", "already imported (same contact and request)"))
        else:
            seen.add(c.key)
            out.append(ImportOutcome(c.row_number, "imported", grade=c.lead.grade))
    return out
