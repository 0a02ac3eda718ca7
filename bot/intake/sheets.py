"""Reading the rows of a CSV or Excel file for `leadbot import` (``bot.intake.spreadsheet`` maps and stores them).

A CSV file is read on a text stream in its own encoding and delimiter, one record at a time; a quoted field
that runs on for more than ``MAX_RECORD_LINES`` lines is an unclosed quote, reported with its line number
rather than swallowing the rows after it. An Excel file is read with openpyxl in read-only mode.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from parsers.errors import InputError


class ImportFileError(InputError, ValueError):
    """The file cannot be imported (unknown type, no header, a --map naming no column or field)."""


# ---- reading --------------------------------------------------------------------------------------


#: a quoted field may run over this many lines (an address, a note); a longer one is an unclosed quote
MAX_RECORD_LINES = 100


@dataclass(frozen=True, slots=True)
class Row:
    """One record of a file: where it starts (a CSV line, a sheet row), its cells, or why it is malformed."""

    number: int
    cells: list[str]
    problem: str | None = None


@dataclass(slots=True)
class Table:
    """A file's header and a stream of its rows; ``total`` rows when known."""

    headers: list[str]
    rows: Iterator[Row]
    total: int | None


class _Malformed(InputError):
    """A line that cannot be part of a record (raised from inside the csv reader's input)."""


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a phone number typed into a number cell
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return str(value).strip()


def _text_encoding(path: Path) -> str:
    """utf-8 (with or without BOM) when the start of the file decodes as such, else Windows-1252 (Excel)."""
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            return "cp1252"
    return "utf-8-sig"


def _delimiter(header_line: str) -> str:
    """The separator the header uses most: comma, semicolon (German Excel), tab or pipe."""
    counts = {d: header_line.count(d) for d in ",;\t|"}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


_RUNAWAY = "runaway"


def _csv_problem(exc: Exception, rest: list[tuple[int, str]]) -> str:
    """Why a record is malformed; ``rest``: the lines after its first that the reader took with it."""
    text = str(exc)
    if "unexpected end of data" in text:
        return "unclosed quote: the field runs to the end of the file"
    if text == _RUNAWAY:
        return f"unclosed quote: the field runs on past {MAX_RECORD_LINES} lines"
    if rest:  # the trouble showed on a later line: this one opened a quote that never closed properly
        return f"unclosed quote: the field runs on into line {rest[-1][0]}"
    if isinstance(exc, _Malformed):
        return text
    if "expected after" in text:
        return "stray quote: text follows a closing quote"
    return f"unreadable row: {text}"


def csv_records(lines: Iterable[str], delimiter: str) -> Iterator[Row]:
    """Records of CSV text, each with the number of the line it starts on.

    The reader is strict: a quote left open, text after a closing quote or a NUL byte makes the record
    malformed (a Row with ``problem``) instead of swallowing the rows that follow into one field. The
    lines after a malformed record's first line are read again, so only that line is lost.
    """
    source = enumerate(lines, start=1)
    replay: deque[tuple[int, str]] = deque()
    taken: list[tuple[int, str]] = []  # the lines of the record being read

    def feed() -> Iterator[str]:
        while True:
            if replay:
                number, text = replay.popleft()
            else:
                following = next(source, None)
                if following is None:
                    return
                number, text = following
            taken.append((number, text))
            if "\x00" in text:
                raise _Malformed("NUL byte in the row")
            if len(taken) > MAX_RECORD_LINES:
                raise _Malformed(_RUNAWAY)
            yield text

    while True:
        reader = csv.reader(feed(), delimiter=delimiter, quotechar='"', doublequote=True, strict=True)
        try:
            for cells in reader:
                start = taken[0][0] if taken else 0
                taken.clear()
                yield Row(start, cells)
            return
        except (csv.Error, _Malformed) as exc:
            if not taken:
                return
            (start, first), rest = taken[0], taken[1:]
            replay.extendleft(reversed(rest))
            taken.clear()
            found = _csv_problem(exc, rest)
            raw = " ".join(first.replace("\x00", "\\0").split())
            yield Row(start, [], f"{found} (the line reads {raw[:80]!r})")


def _checked(row: Row, width: int) -> Row:
    """A record whose cells do not line up with the header is malformed: which cell is which is unknown."""
    if row.problem is not None or not any(c.strip() for c in row.cells):
        return row
    extra = row.cells[width:]
    if len(row.cells) < width or any(c.strip() for c in extra):
        return replace(row, problem=f"wrong number of cells: {len(row.cells)} where the header has {width}")
    return row


def open_csv(path: Path) -> Table:
    encoding = _text_encoding(path)
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        delimiter = _delimiter(handle.readline())
        handle.seek(0)
        # A first pass counts the records for the progress bar (streamed: cheap next to importing them).
        total = max(0, sum(1 for _ in csv_records(handle, delimiter)) - 1)
    handle = path.open(encoding=encoding, errors="replace", newline="")
    records = csv_records(handle, delimiter)
    header = next(records, None)
    if header is None or header.problem is not None or not any(c.strip() for c in header.cells):
        handle.close()
        if header is not None and header.problem:
            raise ImportFileError(f"{path}: the header row (line {header.number}) is malformed: {header.problem}")
        raise ImportFileError(f"{path} is empty (no header row)")
    width = len(header.cells)

    def rows() -> Iterator[Row]:
        with handle:
            for row in records:
                checked = _checked(row, width)
                yield replace(checked, cells=[c.strip() for c in checked.cells])

    return Table([h.strip() for h in header.cells], rows(), total)


def open_xlsx(path: Path) -> Table:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True, data_only=True)
    sheet = workbook.active
    if sheet is None:
        workbook.close()
        raise ImportFileError(f"{path} has no worksheet")
    values = sheet.iter_rows(values_only=True)
    header = next(values, None)
    if not header or not any(h is not None for h in header):
        workbook.close()
        raise ImportFileError(f"{path} is empty (no header row)")
    total = sheet.max_row - 1 if sheet.max_row else None

    def rows() -> Iterator[Row]:
        try:
            for number, row in enumerate(values, start=2):  # row 1 is the header, as Excel shows it
                yield Row(number, [_cell(v) for v in row])
        finally:
            workbook.close()

    return Table([_cell(h) for h in header], rows(), total)


def open_table(path: Path) -> Table:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        return open_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return open_xlsx(path)
    raise ImportFileError(f"{path.name}: import reads .csv and .xlsx files")


