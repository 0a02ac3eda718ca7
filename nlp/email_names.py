"""Names an email address spells: whether a name agrees with an address's local part, and which two words of a
note the local part spells in full (the evidence that ties a name in prose to the lead's email)."""

from __future__ import annotations

import re
import unicodedata

from nlp.lexicon import is_first_name, stop_words
from nlp.prose import NOTE_WORDS, written


def fold(word: str) -> str:
    """Lower case without accents: "Márquez" → "marquez"."""
    if word.isascii():
        return word.casefold()
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


_LOCAL_PARTS = re.compile(r"[._+\-\d]+")


def agrees_with_email(name: str, address: str) -> bool:
    """Whether an email's local part spells this name: priya.raman@ / praman@ / jdoe@ / pj.dewit@ …"""
    local = address.split("@", 1)[0]
    parts = [fold(p) for p in _LOCAL_PARTS.split(local) if p]
    words = [fold(w) for w in re.split(r"[\s-]+", name) if w]
    if not parts or not words:
        return False
    joined = "".join(parts)
    first, last = words[0], words[-1]
    if any(len(w) >= 3 and w in parts for w in words):
        return True
    if len(first) >= 3 and joined.startswith(first):
        return True
    # "jdoe" ↔ John Doe, "xgarcia" ↔ Ximena García Márquez: the initial, then a surname
    return any(len(w) >= 3 and joined == first[0] + w for w in words[1:]) or (
        len(words) >= 2 and len(last) >= 3 and joined.endswith(last) and joined[0] == first[0])


#: two words at a word start, read as a lookahead so that every word pairs with the next ("also kowalski ida")
_PAIR = re.compile(r"(?<![\w@.'’-])(?=(?P<first>[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)?)[ \t]+"
                   r"(?P<last>[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)?)(?![\w@'’-]))")


def spelled_by_email(text: str, start: int, end: int, emails: list[str]) -> list[tuple[str, int]]:
    """Two words of the text that an email's local part spells in full, first name and surname or initial and
    surname: "jen kowalczyk" for jkowalczyk@ or jen.kowalczyk@ (written properly capitalised), with offsets."""
    found: list[tuple[str, int]] = []
    locals_ = [fold(_LOCAL_PARTS.sub("", e.split("@", 1)[0])) for e in emails]
    locals_ = [local for local in locals_ if len(local) >= 5]
    if not locals_:
        return found
    for m in _PAIR.finditer(text, start, end):
        first, last = fold(m["first"]).replace("-", ""), fold(m["last"]).replace("-", "")
        if len(last) < 3 or first in stop_words() or last in stop_words() or first in NOTE_WORDS:
            continue
        if any(local in {first + last, first[0] + last} or (
                local.startswith(first) and local.endswith(last) and len(first) >= 2) or (
                local == first + last[0] and is_first_name(first)) for local in locals_):
            # "cormac ferriter" for cormac.f@: a known first name and the surname's initial spell it too
            found.append((f"{written(m['first'])} {written(m['last'])}", m.start()))
        elif any(local in {last + first, last[0] + first} for local in locals_) and len(first) >= 3:
            # "kowalczyk jen" for jen.kowalczyk@: the text wrote the surname first
            found.append((f"{written(m['last'])} {written(m['first'])}", m.start()))
    return found
