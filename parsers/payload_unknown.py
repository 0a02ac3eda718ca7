"""Values under a person object's keys that no label dictionary knows ("visitor": {"nm": …, "em": …}): what
the value is says what the key meant, where the evidence is sure. An email address is one by its shape; a
name is one only when its words spell the lead's email address's local part ("Apolline Marchetti" beside
``apolline.marchetti@…``), which no page title, tag or city does."""

from __future__ import annotations

import re
import unicodedata

from parsers.fields import Collector
from parsers.patterns import EMAIL

#: two to four words of letters, each capitalised as a person's name is written
_NAME_SHAPE = re.compile(r"[^\W\d_][\w'’.-]*(?:[ \t]+[^\W\d_][\w'’.-]*){1,3}")
_WORD = re.compile(r"[^\W\d_]+")


#: letters that carry no combining accent but that addresses write plainly ("Łucja" → "lucja", "Søren" → "soren")
_PLAIN = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "æ": "ae", "œ": "oe", "ı": "i"})


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_PLAIN))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def spells_local_part(name: str, email: str) -> bool:
    """Whether a name's first and last words are what an address's local part is made of: both written out
    ("ana.pereira", "pereiraana"), or the first as its initial ("apereira", "pereira.a")."""
    words = [_fold(w) for w in _WORD.findall(name)]
    letters = "".join(_WORD.findall(_fold(email.partition("@")[0])))
    if len(words) < 2 or len(words[0]) < 2 or len(words[-1]) < 3 or not letters:
        return False
    first, last = words[0], words[-1]
    if last not in letters:
        return False
    rest = letters.replace(last, "", 1)
    return first in rest or rest[:1] == first[0] or rest[-1:] == first[0]


def read_unknown_person_values(col: Collector, values: list[tuple[str, str, str]]) -> None:
    """Add what ``values`` (source, key, value under a person object's unknown key, or a form's answer to a
    question no dictionary knows) are, when they are surely an email address or the name its local part
    spells, and the lead has none yet. A name answer read as a detail of the interest is a detail no more."""
    if not values:
        return
    if not col.has("email"):
        for source, key, value in values:
            if EMAIL.fullmatch(value.strip()):
                col.add("email", value.strip(), source, confidence=0.7, rank=60, label=key)
                break
    emails = col.best("email")
    if emails and not any(col.has(s) for s in ("full_name", "first_name", "last_name")):
        for source, key, value in values:
            text = value.strip()
            if _NAME_SHAPE.fullmatch(text) and text[:1].isupper() and spells_local_part(text, emails[0].value):
                col.items = [c for c in col.items if not (c.source == source and c.slot == "interest_detail")]
                col.add("full_name", text, source, confidence=0.7, rank=60, label=key)
                break
