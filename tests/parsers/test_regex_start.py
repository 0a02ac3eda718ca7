"""``parsers.regex_start.guard_start``: a guarded pattern finds exactly what the pattern finds, or is the pattern."""

from __future__ import annotations

import re

import pytest

from parsers.regex_start import guard_start

TEXTS = [
    "",
    "Call me at (312) 555-0117 or +1 415 555 0199 x12, Order #A-88123.",
    "Hi, I'm Jamie Whitcombe from Pinecrest Logistics LLC. My name is Ana; ich bin Frau Krüger.",
    "NomeMaria Souza\nTelefone: (11) 5555-0101\nSUBJECT: Anfrage\nBetreff: x\n\tTab line",
    "Krüger & Söhne GmbH · Hauptstr. 3 · Tel. 030 1234567 · İstanbul ſtraße K",
    "__________\n   ____________   \n--\nlead from our partner Bob, vía über unseren Partner",
    "ÉLODIE Ünal sagt: in zwei Wochen, by March 2027; copyright © 2026 all rights reserved",
]

PATTERNS = [
    r"(?<![\w-])(?:(?P<prefix>A|CH|B|L|DK|N)-)?(?P<zip>[1-9]\d{3})[ \t]+(?P<city>[A-ZÄÖÜ]\w+)",
    r"(?i)(?<![\w'’-])(?:lead[ \t]+from[ \t]+our[ \t]+partner|über[ \t]+unseren[ \t]+partner)",
    r"(?:(?i:\b(?:i'm|i am|my name is)\b)(?:[ \t]+[A-ZÄÖÜ][\w'’.-]*){0,3})",
    r"(?i)(?:(?<![\w#])#|\b(?:order|ticket))[ \t]*[:.]?[ \t]*",
    r"(?=[\d$€£])(?<![\w.,])(?:[$€£]\s?)?\d{1,3}(?:[.,]\d{3})*",
    r"(?i)\b(?:(?-i:GmbH)|ltd|llc)\b",
    r"^\s*_{8,}\s*$",
    r"(?m)^\s*_{8,}\s*$",
    r"(?:\+|00)?\(?\d[\d\s().\-/]{5,30}\d(?:\s*(?:x|ext\.?)\s*\d{1,6})?",
    r"(?i)(?:subject|betreff|asunto)[ \t]?\*?[:：]",
    r"[\^\]\-\\]+x",
    r"(?>ab|a)c|\bİ",
    r"(?:a|b)*+c",
]


def _found(pattern: re.Pattern[str], text: str) -> list[tuple[tuple[int, int], dict[str, str | None]]]:
    return [(m.span(), m.groupdict()) for m in pattern.finditer(text)]


@pytest.mark.parametrize("source", PATTERNS)
def test_a_guarded_pattern_finds_what_the_pattern_finds(source: str) -> None:
    pattern = re.compile(source)
    guarded = guard_start(pattern)
    assert guarded.pattern.startswith(("(?=", "(?i)(?=", "(?m)(?="))  # each of these begins with a known set
    assert guarded.flags == pattern.flags and guarded.groupindex == pattern.groupindex
    for text in TEXTS:
        assert _found(guarded, text) == _found(pattern, text)
        for pos in range(len(text) + 1):
            assert bool(guarded.match(text, pos)) == bool(pattern.match(text, pos))
        assert guarded.sub("<>", text) == pattern.sub("<>", text)


def test_case_follows_the_flags_in_force_where_a_character_is_read() -> None:
    guarded = guard_start(re.compile(r"(?i)(?:(?-i:GmbH)|ltd)\b"))
    assert [m.group() for m in guarded.finditer("gmbh GmbH LTD ltd")] == ["GmbH", "LTD", "ltd"]
    guarded = guard_start(re.compile(r"(?:(?i:\bmy name is)|Sr\.)"))
    assert [m.group() for m in guarded.finditer("MY NAME IS sr. Sr.")] == ["MY NAME IS", "Sr."]


@pytest.mark.parametrize("source", [
    r"\s*",  # matches the empty string: any position begins a match
    r"(?:x)?",
    r"\b",
    r".+@",  # begins with any character
    r"[^\W\d_]+",  # a negated class
    r"(?:(a)|\1b)c",  # a back-reference may begin it
    r"(?a:\w)+x",  # a class whose meaning the scoped ASCII flag changes
])
def test_an_unknown_first_set_leaves_the_pattern_as_it_is(source: str) -> None:
    pattern = re.compile(source)
    assert guard_start(pattern) is pattern
