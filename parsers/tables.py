"""Tables typed or pasted as text: one record per row under a header row that names the columns.

A rep pastes a sheet into a note (tab-separated), a tablet exports CSV into a mail, a Markdown table
lists a webinar's follow-ups::

    Name<TAB>Phone<TAB>Email            | Contact | Company | Email |       first_name,last_name,phone
    Ann Lee<TAB>555-0101<TAB>ann@…      |---|---|---|                     Ann,Lee,555-0101
                                        | Ann Lee | Lee & Co | ann@… |

Evidence that lines are a table and not prose with commas: a header line whose every cell is a known label
(any of the label dictionaries' languages) naming a person or a contact, and below it rows cut by the same
delimiter into as many cells, none of them a label. Each row becomes ``Label: value`` lines, the shape the
label reader reads (the HTML flattener does the same for ``<table>`` rows: ``parsers.html``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

from parsers.labels.lookup import lookup_label

#: the delimiters a text table uses, most telling first
_DELIMITERS = ("\t", "|", ";", ",")
#: a Markdown table's rule under its header: "|---|:---:|", "--- | ---"
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
#: a header must name one of these columns to be a table of people
_PERSON_SLOTS = frozenset({"full_name", "first_name", "last_name", "email", "phone"})
#: a header cell is a label this short at most
_MAX_LABEL = 40
#: a header with one column the dictionaries do not know names at least this many they do
_MIN_KNOWN = 4
#: a header line is this long at most
_MAX_HEADER = 400
#: a text is looked at for a table within this many characters
MAX_TABLE_TEXT = 200_000


@dataclass(frozen=True)
class TextTable:
    """A table found in a text: its header, its rows (cells as written), and the lines it spans."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    first_line: int
    end_line: int

    def records(self) -> list[str]:
        """One ``Label: value`` block per row (empty cells left out)."""
        return ["\n".join(f"{h}: {v}" for h, v in zip(self.header, row, strict=True) if h and v)
                for row in self.rows]


def _cells(line: str, delimiter: str) -> list[str]:
    if delimiter == "|":
        inner = line.strip()
        inner = inner[1:] if inner.startswith("|") else inner
        inner = inner[:-1] if inner.endswith("|") else inner
        return [c.strip() for c in inner.split("|")]
    if delimiter == "\t":
        return [c.strip() for c in line.split("\t")]
    return [c.strip() for c in next(csv.reader([line], delimiter=delimiter, skipinitialspace=True), [])]


def _is_label(cell: str) -> bool:
    found = lookup_label(cell.rstrip(":： ")) if 0 < len(cell) <= _MAX_LABEL else None
    return found is not None


def _header(line: str, delimiter: str) -> list[str] | None:
    """The column names of a header line, or None when ``line`` is no header cut by ``delimiter``."""
    if delimiter not in line or len(line) > _MAX_HEADER:
        return None
    first = line.strip().lstrip("|").split(delimiter, 1)[0].strip().strip('"')
    if first and not _is_label(first):
        return None  # most lines: prose with a comma in it
    cells = _cells(line, delimiter)
    named = [c for c in cells if c]
    known = [c for c in named if _is_label(c)]
    # an export's own column the dictionaries do not know ("Owner", "Rating") is left out, when most are known
    if len(named) < 2 or len(named) < len(cells) - 1 or len(known) < max(len(named) - 1, 2) or (
            len(known) < len(named) and len(known) < _MIN_KNOWN):
        return None
    slots = {found[0] for c in known if (found := lookup_label(c.rstrip(":： "))) is not None}
    if not slots & _PERSON_SLOTS or len(slots - {"skip"}) < 2:
        return None
    return [c.rstrip(":： ") if _is_label(c) else "" for c in cells]


def find_table(text: str) -> TextTable | None:
    """The first table of people in ``text`` with at least one row, or None."""
    lines = text[:MAX_TABLE_TEXT].split("\n")
    for i, line in enumerate(lines):
        for delimiter in _DELIMITERS:
            header = _header(line, delimiter)
            if header is None:
                continue
            rows: list[tuple[str, ...]] = []
            j = i + 1
            if j < len(lines) and _RULE.match(lines[j]):
                j += 1
            while j < len(lines) and delimiter in lines[j]:
                cells = _cells(lines[j], delimiter)
                cells += [""] * (len(header) - len(cells)) if len(cells) == len(header) - 1 else []
                if len(cells) != len(header) or all(_is_label(c) for c in cells if c) or not any(cells):
                    break
                rows.append(tuple(cells))
                j += 1
            if rows:
                return TextTable(tuple(header), tuple(rows), i, j)
            break  # a header with no rows under it: not a table, whatever the delimiter
    return None


def table_records(text: str) -> list[str]:
    """One ``Label: value`` block per row of the first table of people in ``text`` ([] when there is none)."""
    table = find_table(text)
    return table.records() if table is not None else []


__all__ = ["MAX_TABLE_TEXT", "TextTable", "find_table", "table_records"]
