"""Caller-ID (CNAM) names in call-tracking payloads: carriers write them surname first in capitals ("GUTIERREZ
ROSA"), put fillers where no name is known ("WIRELESS CALLER") or the line's place ("CHICAGO IL"), and some
vendors send the name under a key meant for a number ("caller_id": "MORALES LUIS")."""

from __future__ import annotations

import re

from parsers.address import US_STATES
from parsers.fields import Candidate, Collector

#: label words of a caller's name in a call notification mail ("Caller", "Caller ID", "CNAM", "Anrufer")
_CALLER_LABEL_WORDS = frozenset({"caller", "cnam", "anrufer", "llamante", "chiamante", "beller", "appelant",
                                 "chamador", "callerid"})
_LABEL_WORD = re.compile(r"[^\W\d_]+")

#: a caller-ID name where a number is expected: two to four words of letters ("MORALES LUIS", "Lee, Jennifer"),
#: an initial only between them ("JOHN R SMITHERS"; "OKAFOR-LYNN J" names nobody in full: a note may)
CALLER_ID_NAME = re.compile(r"[^\W\d_][\w'’.-]+(?:,?[ \t]+[^\W\d_][\w'’.-]*){0,2},?[ \t]+[^\W\d_][\w'’.-]+")
_CAPS_NAME = re.compile(r"^(?P<last>[A-ZÀ-Þ][A-ZÀ-Þ'\-]+)\s*,?\s+(?P<first>[A-ZÀ-Þ][A-ZÀ-Þ'\-]*(?:\s+[A-ZÀ-Þ]\.?)?)$")


#: "GARCIA LOPEZ, MARIA JOSE": two surnames, a comma, then the given names
_CAPS_COMMA_NAME = re.compile(
    r"^(?P<last>[A-ZÀ-Þ][A-ZÀ-Þ'\-]+(?:\s+[A-ZÀ-Þ][A-ZÀ-Þ'\-]+)?)\s*,\s*(?P<first>[A-ZÀ-Þ][A-ZÀ-Þ'\-]+"
    r"(?:\s+[A-ZÀ-Þ][A-ZÀ-Þ'\-]+)?)$")


#: "HOLLOWAY DEREK JAMES": three words without a comma, carriers' habit surname first then the given names
_CAPS_THREE = re.compile(r"^(?P<last>[A-ZÀ-Þ][A-ZÀ-Þ'\-]+)\s+(?P<first>[A-ZÀ-Þ][A-ZÀ-Þ'\-]+\s+[A-ZÀ-Þ][A-ZÀ-Þ'\-]+)$")


#: the source suffix of a caller-ID name turned round without a comma to say which word is the surname:
#: the free-text stage may turn it back when its name gazetteers say the carrier wrote "FIRST LAST"
CALLER_ID_TURNED = "+cnam"


def surname_first_name(value: str) -> tuple[str, bool]:
    """A name under a label that asks for the surname first ("Cognome e nome: Bianchi Lucia"), written the usual
    way round, and whether the turn is a guess: with a comma it is not ("Bianchi, Lucia"); two words without one
    may have been written given name first all the same, which the free-text stage's name gazetteers may tell
    (``CALLER_ID_TURNED``). Three words or more without a comma stay as written."""
    last, comma, first = value.partition(",")
    if comma and last.strip() and first.strip() and "," not in first:
        return f"{first.strip()} {last.strip()}", False
    words = value.split()
    return (f"{words[1]} {words[0]}", True) if len(words) == 2 else (value, False)


def is_caller_label(label: str) -> bool:
    """Whether a label names the caller ("Caller", "Caller ID", "CNAM", "Anrufer"): its value is their name or
    their number, whichever it looks like."""
    return bool(set(_LABEL_WORD.findall(label.casefold())) & _CALLER_LABEL_WORDS)


def caller_id_names(col: Collector, *, labelled: bool = False) -> None:
    """Caller-ID (CNAM) names come as "GUTIERREZ ROSA" or "GUTIERREZ, ROSA": surname first, capitals. Written
    the usual way round; without the comma the order is the carriers' habit, not certain (``CALLER_ID_TURNED``).
    ``labelled``: only names read under a caller's label ("Caller: HOLLOWAY DEREK JAMES" in a call mail)."""
    def turned(c: Candidate) -> bool:
        return c.slot == "full_name" and (not labelled or is_caller_label(c.label))
    col.items = [c for c in col.items if not (turned(c) and _no_caller_name(c.value))]
    for c in col.items:
        if not turned(c):
            continue
        m = _CAPS_NAME.match(c.value.strip()) or _CAPS_COMMA_NAME.match(c.value.strip()) or \
            _CAPS_THREE.match(c.value.strip())
        if m:
            if "," not in c.value:
                c.source += CALLER_ID_TURNED
            c.value = f"{m['first'].title()} {m['last'].title()}"


#: what carriers show where no caller-ID name is known: "WIRELESS CALLER", "UNAVAILABLE", "CELL PHONE"
_NO_CNAM_WORDS = frozenset({"wireless", "caller", "unavailable", "unknown", "private", "anonymous", "restricted",
                            "blocked", "cell", "phone", "mobile", "toll", "free", "name", "number", "out", "of", "area",
                            "withheld", "unlisted", "not", "available", "call", "v", "n/a"})
#: state codes that are also a short first name or a word ("SMITH AL", "LEE MA"): never read as a place
_NAME_LIKE_STATES = frozenset({"AL", "DE", "LA", "MA", "ME", "OR", "IN", "HI", "OK", "ID", "PA", "CO", "MO"})
#: a caller-ID that is the line's place, not a person: "CHICAGO IL", "SAN ANTONIO TX"
_CNAM_PLACE = re.compile(rf"[A-Z][A-Z .'-]+[ \t](?:{'|'.join(sorted(set(US_STATES) - _NAME_LIKE_STATES))})")


def _no_caller_name(value: str) -> bool:
    """A caller-ID name field holding a carrier's filler or the line's city and state, not a person."""
    words = value.casefold().replace(",", " ").split()
    return (bool(words) and all(w in _NO_CNAM_WORDS for w in words)) or _CNAM_PLACE.fullmatch(value.strip()) is not None


#: a caller-ID name with an initial for its given name ("OKAFOR-LYNN J", "NAKAMURA OKONKWO A"): the surname only
INITIAL_CNAM = re.compile(
    r"^(?P<last>[A-ZÀ-Þ][A-ZÀ-Þ'’]+(?:[ \t-]+[A-ZÀ-Þ][A-ZÀ-Þ'’]+){0,2})\s*,?\s+(?P<initial>[A-ZÀ-Þ])\.?$")
#: the source suffix of a caller-ID name of a surname and an initial read from a key meant for a number: dropped
#: unless a note spells it
UNSPELLED = "+initial"
#: slots whose text may spell the caller's whole name: a rep's or a system's note, a transcription
_NOTE_SLOTS = frozenset({"message", "interest_detail"})


def names_from_notes(col: Collector) -> None:
    """A caller-ID name that gives only an initial ("OKAFOR-LYNN J") spelled in full where a note or a
    transcription of the same call writes it ("Jerome Okafor-Lynn needs a heat pump"): the note's spelling,
    when its surname is the caller-ID's (hyphens and spaces alike) and its given name opens with the initial."""
    notes = [c.value for c in col.items if c.slot in _NOTE_SLOTS]
    for c in col.items if notes else ():
        if c.slot != "full_name" or c.role != "lead":
            continue
        if not (m := INITIAL_CNAM.match(c.value.strip())):
            _note_order(c, notes)
            continue
        surname = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", m["last"]))
        spelled = re.compile(rf"\b(?P<first>{re.escape(m['initial'])}[^\W\d_]+)\s+(?P<last>{surname})\b",
                             re.IGNORECASE)
        for text in notes:
            found = spelled.search(text)
            if found and found["first"][0].isupper() and found["last"][0].isupper():
                c.value = f"{found['first']} {found['last']}"
                c.source = c.source.removesuffix(UNSPELLED) + "+notes"
                break
    col.items = [c for c in col.items if not c.source.endswith(UNSPELLED)]


def _note_order(c: Candidate, notes: list[str]) -> None:
    """A caller's name of two words that a note of the call writes the other way round ("Piotrowski Dariusz" /
    "Dariusz Piotrowski called"): the carrier wrote the surname first, the note the usual order."""
    words = c.value.replace(",", " ").split()
    if len(words) != 2:
        return
    turned = re.compile(rf"\b{re.escape(words[1])}\s+{re.escape(words[0])}\b", re.IGNORECASE)
    for text in notes:
        found = turned.search(text)
        if found and found.group(0)[0].isupper():
            c.value = found.group(0)
            c.source += "+notes"
            return
