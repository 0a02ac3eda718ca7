"""Whose a time phrase is, by the clause it sits in: in a rep's chat note the writer is the rep.

"I'll call her back Monday", "ich melde mich Mittwoch mit einem Angebot", "le devuelvo la llamada el lunes", "je
le rappelle lundi", "ik bel haar donderdag", "our crew is booked until March", "told him the sale starts next
week": the clause's subject is the writer or the writer's firm, so its date is the rep's plan, not when the
prospect wants to buy. "She wants to move in June", "Sie will das Dach so schnell wie möglich": a prospect subject
nearer the date keeps it. Quoted words ('said "we need it before summer"', a "> " line) are the prospect's voice.

The words are data, one list per language (``patterns/timeline_owner.json``); a note is read with its own
language's lists only (English "on", Italian "i", German "will" mean other things elsewhere).
"""

from __future__ import annotations

import json
import re
from functools import cache

from nlp.lexicon import PATTERNS_DIR

#: where a clause begins: a sentence end, a line break, a semicolon, a comma, a dash or a conjunction
_CLAUSE_START = re.compile(
    r"(?i)[.!?;](?:\s|$)|\n|,\s|\s[-–—]\s|\b(?:and|but|so|und|aber|y|pero|e|mas|et|mais|ma|en|maar)\s")
#: how far back a clause is read (a subject this far before the date still governs it)
_REACH = 80


def _alternation(words: list[str]) -> str:
    """The words as one alternation, longest first; a word with a capital letter matches only so written."""
    def part(word: str) -> str:
        body = re.escape(word.rstrip("*")).replace(r"\ ", r"\s+") + (r"\w*" if word.endswith("*") else "")
        return f"(?-i:{body})" if word != word.lower() else body
    return "|".join(sorted((part(w) for w in words), key=len, reverse=True))


@cache
def _lists() -> dict[str, dict[str, list[str]]]:
    data = json.loads((PATTERNS_DIR / "timeline_owner.json").read_text(encoding="utf-8"))
    return {kind: by_lang for kind, by_lang in data.items() if not kind.startswith("_")}


@cache
def _subject_re(lang: str) -> re.Pattern[str]:
    """One regex naming its group by side: ``writer`` (the writer or the writer's firm) or ``prospect``."""
    lists = _lists()
    own = lang if lang in lists["writer"] else "en"
    writer = _alternation([*lists["writer"][own], *lists["writer_firm"][own]])
    prospect = _alternation(lists["prospect"][own])
    return re.compile(rf"(?i)(?<![\w'’-])(?:(?P<writer>{writer})|(?P<prospect>{prospect}))(?![\w’-])")


def _quoted(text: str, line_start: int, start: int) -> bool:
    """Whether ``start`` sits in the prospect's quoted words: a "> " line, or inside a pair of double quotes."""
    if text[line_start:start].lstrip().startswith(">"):
        return True
    before = text[line_start:start]
    return (before.count('"') + before.count("“") + before.count("”")) % 2 == 1


def writers_clause(text: str, start: int, lang: str) -> bool:
    """Whether the date at ``text[start:]`` sits in a clause of a chat note's writer (the rep or the rep's firm):
    the subject word nearest before it in its clause is the writer's, not the prospect's."""
    line_start = text.rfind("\n", 0, start) + 1
    if _quoted(text, line_start, start):
        return False
    left = max(line_start, start - _REACH)
    for m in _CLAUSE_START.finditer(text, left, start):
        left = m.end()
    side = None
    for m in _subject_re(lang).finditer(text, left, start):
        side = m.lastgroup
    return side == "writer"
