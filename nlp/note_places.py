"""Whose place a note names: evidence around a city or street that a rep typed without a postcode.

``nlp.address`` reads streets and cities in chat notes; this module holds the evidence it weighs there:
a place that follows an event or a shop ("the home show in Dallas", "the Home Depot in Plano") is that
venue's, not the lead's; a street needs a letter ("030 88127734" before
"PLZ 10115 Berlin" is a phone); a US state code that is also an English word ("oh", "co", "pa") names the
state only right after a known city and at the end of its clause ("14 birch ln in dayton oh, …").
"""

from __future__ import annotations

import re
from functools import cache

from nlp.lexicon import read_lines
from nlp.places import own_place

#: the last word before a place cue ("show in", "Depot in", "Realty, Boise"), with its trailing cue gap
_WORD_BEFORE = re.compile(r"([^\W\d_][\w'’&-]*)[ \t,]*$")
#: a letter: a street's name has one ("14 Birch Ln", "Hauptstr. 5"); a phone number does not
_LETTER = re.compile(r"[^\W\d_]")
#: state codes that are also words, read as a state after a known city at a clause end ("dayton oh,", "denver co.")
STATE_CODE_WORDS = frozenset({"oh", "co", "pa", "ma", "al", "de", "la", "ne"})


@cache
def venue_words() -> frozenset[str]:
    """Nouns of an event or a business's own site (``patterns/venue_words.txt``, ``event_words.txt``),
    case-folded. Firm nouns are not among them: "uma padaria em Ribeirão Preto" is the lead's own bakery."""
    return frozenset(w.casefold() for w in (*read_lines("venue_words.txt"), *read_lines("event_words.txt")))


def venue_before(text: str, pos: int, floor: int = 0, *, chat: bool = False) -> bool:
    """Whether the word right before ``pos`` (a place cue's start) names an event or a seller's site that is
    not the writer's own: "at the home show in Dallas", "found us at the Home Depot in Plano" (in a lead's mail
    "our showroom in Austin" is the lead's own; in a rep's note "our" is the rep's side)."""
    m = _WORD_BEFORE.search(text, max(floor, pos - 40), pos)
    return m is not None and m.group(1).casefold() in venue_words() and (chat or not own_place(
        text[max(floor, m.start() - 30) : m.start()], False))


#: a label naming the other side of the deal inside a note's line, after a separator: "- dealer: Lakeside Motors,
#: Cleveland OH -", "| showroom: Waco TX" (the line-start form is ``nlp.address._OTHER_SIDE``)
_OTHER_SIDE_INLINE = re.compile(
    r"(?i)(?:^|[ \t][-–—|•/][ \t]*|[;(][ \t]*)(?:dealer|dealership|store|showroom|branch|office|agent|agency|broker|"
    r"seller|vendor|provider|listing|property|händler|autohaus|filiale|makler|objekt|concesionario|agencia|"
    r"inmueble|propiedad|concessionária|agência|imóvel|concessionnaire|agence|concessionario|agenzia|immobile|"
    r"makelaar)[\w -]{0,25}:[^-–—|•;]*$")


def other_side_before(line: str, pos: int) -> bool:
    """Whether a label naming the dealer's, agent's or listing's side opens the part of ``line`` before ``pos``
    (no separator between them): the place there is that side's."""
    return _OTHER_SIDE_INLINE.search(line, 0, pos) is not None


#: a postcode after its own word in a note, in the shapes of the countries we read: "zip 30301", "zip: 98101",
#: "PLZ 80331", "CP 28013", "CEP 30140-061", "postcode SW1A 1AA", "postal code M5H 2N2", "code postal 69003"
_CUED_POSTAL = re.compile(
    r"(?i)(?<![\w-])(?:zip(?:[ \t]?code)?|post(?:al)?[ \t]?code|plz|postleitzahl|c\.?[ \t]?p\.?|c[óo]digo[ \t]postal|"
    r"cep|code[ \t]postal)[ \t]*[:#]?[ \t]*"
    r"(?P<code>\d{5}-\d{3}|\d{5}(?:-\d{4})?|\d{4}-\d{3}|[1-9]\d{3}[ \t]?(?-i:[A-Z]{2})\b|"
    r"(?-i:[A-Z]\d[A-Z])[ \t]?\d(?-i:[A-Z])\d|(?-i:[A-Z]{1,2}\d[A-Z\d]?)[ \t]?\d(?-i:[A-Z]{2})|\d{4})(?![\w-])")


def cued_postal(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first postcode written after its own word ("zip 30301") between ``start`` and ``end``."""
    return _CUED_POSTAL.search(text, start, end)


def is_street_text(street: str) -> bool:
    """Whether a street read before a postcode has a name at all: "030 88127734" is a phone number."""
    return _LETTER.search(street) is not None


#: a place cue left at a street's end by the postcode after it: "Bergstraße 3 in 69120 Heidelberg"
_CUE_AT_END = re.compile(r"(?i)[ \t,]+(?:in|en|em|à|in der|bei|nel|te)$")


def street_parts(parts: dict[str, str]) -> dict[str, str]:
    """An address's parts with its street tidied: none when it has no letter ("030 88127734, PLZ 10115 Berlin"),
    without a trailing place cue ("Bergstraße 3 in")."""
    street = parts.get("street")
    if street is None:
        return parts
    if not is_street_text(street):
        return {k: v for k, v in parts.items() if k != "street"}
    tidy = _CUE_AT_END.sub("", street)
    return parts if tidy == street else {**parts, "street": tidy}


__all__ = ["STATE_CODE_WORDS", "cued_postal", "is_street_text", "other_side_before", "street_parts", "venue_before",
           "venue_words"]
