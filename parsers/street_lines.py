"""A street on its own line above the place an address was anchored on.

A contact block writes one part a line: "22 Lansdowne Terrace" / "Cheltenham" / "GL50 2JT" (UK), "Flat 1, 27
Bruntsfield Place" / "Edinburgh" / "EH10 4HN", "Keizersgracht 318-II" / "1016 EZ Amsterdam" (NL). The postcode
reader sees one line above its anchor; this module says whether the line above the address's first line is a
street, so the block is read as one address. Pure: lines in, parts out.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import Protocol

from parsers.address import HOUSE_NUMBER, NAME_THEN_NUMBER, FoundAddress

#: a flat, unit or suite written before the house number ("Flat 2, 41 Marchmont Road", "Apt 4B 12 Oak St")
_UNIT_HEAD = re.compile(r"(?i)(?:flat|apartment|apt\.?|unit|suite|maisonette)[ \t]*[\w-]{1,5},?[ \t]+")
#: a street name then its number with a Dutch or Belgian addition ("318-II", "12-3", "45 hs", "7bis", "9 A")
_NAMED_WITH_ADDITION = re.compile(
    rf"(?:{NAME_THEN_NUMBER.pattern})"
    r"(?:[ \t]?[-/][ \t]?(?:\d{1,3}|[IVX]{1,4}|[A-Za-z]{1,3})|[ \t]?(?:hs|bis|ter))?")
_DIGIT = re.compile(r"\d")
#: a line that is only a flat, unit or suite ("Apt 4B", "Suite 210", "Unit 3")
_UNIT_LINE = re.compile(r"(?i)(?:flat|apartment|apt\.?|unit|suite|ste\.?|#)[ \t]*[\w-]{1,5}")


def is_street_line(text: str) -> bool:
    """Whether a whole line is a street with its house number (and a unit before it): no label, no phone, not a
    unit alone ("Apt 4B")."""
    line = text.strip(" \t,")
    if (not line or ":" in line or "@" in line or len(_DIGIT.findall(line)) >= 7 or len(line) > 60
            or _UNIT_LINE.fullmatch(line)):
        return False
    unit = _UNIT_HEAD.match(line)
    body = line[unit.end():] if unit else line
    return bool(HOUSE_NUMBER.match(body) or _NAMED_WITH_ADDITION.fullmatch(body))


class LineLike(Protocol):
    """A line of a text with its offsets (``nlp.layout.Line``)."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...


def with_street_above(item: FoundAddress, lines: Sequence[LineLike], line_no: int) -> FoundAddress:
    """``item`` (found on ``lines[line_no]``, or from the line before it) with the street that the line right above
    its first line gives, in the same block (no blank line between), when it has a postcode and a city but no
    street, or only a unit line as its street."""
    parts = item.parts
    street = parts.get("street")
    if not parts.get("postal_code") or not parts.get("city") or (street and not _UNIT_LINE.fullmatch(street)):
        return item
    first = next((k for k in (line_no, line_no - 1) if k >= 0 and lines[k].start <= item.start), None)
    found = _block_street(lines, first) if first is not None else None
    if found is None:
        return item
    start, text = found
    if street and not text.endswith(street):
        return item
    rest = {k: v for k, v in parts.items() if k != "street"}
    return dataclasses.replace(item, start=start, parts={"street": text, **rest})


def _block_street(lines: Sequence[LineLike], first: int) -> tuple[int, str] | None:
    """(start, text) of the street written on the lines right above ``lines[first]`` in one block: one street
    line, or a street line and a unit line below it ("12 Oak St" / "Apt 4B" → "12 Oak St Apt 4B")."""
    above = [lines[k] for k in (first - 1, first - 2) if k >= 0]
    if not above or lines[first].start - above[0].end > 2:
        return None
    line = above[0].text.strip(" \t,")
    if is_street_line(line):
        return above[0].start, line
    if _UNIT_LINE.fullmatch(line) and len(above) == 2 and above[0].start - above[1].end <= 2 and is_street_line(
            above[1].text):
        return above[1].start, f"{above[1].text.strip(' ,')} {line}"
    return None
