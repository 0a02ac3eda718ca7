"""A street on its own line above the postcode's place (UK, NL, US unit lines): one address of one block."""

from __future__ import annotations

import pytest

from parsers.address import find_in_line
from parsers.street_lines import is_street_line, with_street_above


class _Line:
    def __init__(self, start: int, text: str) -> None:
        self.start, self.text, self.end = start, text, start + len(text)


def _read(block: str, lang: str) -> dict[str, str]:
    """Every address the block's lines give, as ``nlp.address`` reads them line by line, merged."""
    lines, offset = [], 0
    for text in block.split("\n"):
        lines.append(_Line(offset, text))
        offset += len(text) + 1
    parts: dict[str, str] = {}
    for no, line in enumerate(lines):
        previous = (lines[no - 1].start, lines[no - 1].text) if no else None
        for item in find_in_line(line.text, line.start, previous, lang):
            parts.update(with_street_above(item, lines, no).parts)
    return parts


@pytest.mark.parametrize(
    ("text", "street"),
    [
        ("22 Lansdowne Terrace", True),
        ("Flat 2, 41 Marchmont Road", True),
        ("Keizersgracht 318-II", True),
        ("Oudegracht 45 bis", True),
        ("Apt 4B", False),  # a unit alone
        ("Tel 01242 496018", False),
        ("Tel: 0161 496 0732", False),
        ("Cheltenham", False),
        ("anna@example.com 12", False),
    ],
)
def test_is_street_line(text: str, street: bool) -> None:
    assert is_street_line(text) is street


@pytest.mark.parametrize(
    ("block", "lang", "street"),
    [
        ("Mrs Philippa Carrow-Budd\n22 Lansdowne Terrace\nCheltenham\nGL50 2JT", "en", "22 Lansdowne Terrace"),
        ("Hamish Drummond-Keir\nFlat 1, 27 Bruntsfield Place\nEdinburgh\nEH10 4HN", "en",
         "Flat 1, 27 Bruntsfield Place"),
        ("Mevrouw A. van den Heuvel\nKeizersgracht 318-II\n1016 EZ Amsterdam", "nl", "Keizersgracht 318-II"),
        ("Tobias Eckhart\n12 Oak St\nApt 4B\nSpringfield, IL 62704", "en", "12 Oak St Apt 4B"),
    ],
)
def test_the_street_line_above_joins_the_address(block: str, lang: str, street: str) -> None:
    assert _read(block, lang)["street"] == street


def test_a_blank_line_ends_the_block() -> None:
    parts = _read("22 Lansdowne Terrace\n\nCheltenham\nGL50 2JT", "en")
    assert "street" not in parts and parts["postal_code"] == "GL50 2JT"


def test_a_street_found_on_the_line_is_kept() -> None:
    assert _read("Bahnhofstr. 3\nLindenstraße 14a\n79098 Freiburg", "de")["street"] == "Lindenstraße 14a"
