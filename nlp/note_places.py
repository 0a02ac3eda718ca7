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

from spacy.tokens import Doc

from nlp.candidates import ADDRESS, Candidate, add
from nlp.layout import Layout
from nlp.lexicon import read_lines
from nlp.places import city_at, is_city, own_place
from parsers.postal_formats import BR_STATES, CA_PROVINCES, US_STATES
from parsers.regex_start import guard_start
from parsers.regions import region_country

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
    without a trailing place cue ("Bergstraße 3 in"); and its town without the district a hyphen joins to it
    ("20095 Hamburg-Altstadt" is in Hamburg; "Garmisch-Partenkirchen" is a town of its own)."""
    city = parts.get("city")
    if city and "-" in city and not is_city(city) and is_city(head := city.split("-", 1)[0]):
        parts = {**parts, "city": head}
    street = parts.get("street")
    if street is None:
        return parts
    if not is_street_text(street):
        return {k: v for k, v in parts.items() if k != "street"}
    tidy = _CUE_AT_END.sub("", street)
    return parts if tidy == street else {**parts, "street": tidy}


#: a postcode a rep typed before the lead's town, in any case: "she's in 28004 madrid", "aus 50667 Köln",
#: "10115 Berlin-Mitte" (not a phone's last group: "0341 55667")
_NOTE_POSTCODE = re.compile(r"(?<![\w-])(?<!\d[ \t])(?P<code>\d{5}-\d{3}|\d{4}-\d{3}|\d{5}|[1-9]\d{3}[ \t]?[A-Z]{2})"
                            r"[ \t]+(?=[^\W\d_])")
#: the end of a place's segment in a note: a clause mark, a separator, a bracket or the line's end
_SEGMENT_END = re.compile(r"[ \t.]*(?:$|[,;:!?)(|•·/]|[ \t][-–—][ \t])", re.MULTILINE)
#: a district after a town's name ("Berlin-Mitte", "Hamburg-Altstadt"): the town is the part before it
_DISTRICT = re.compile(r"-[^\W\d_][\w'’]*")
#: "Leipzig/Sachsen", "Campinas/SP", "São Paulo / SP": a town, a slash and its region, one segment of a note
_SLASH_PLACE = re.compile(
    r"(?:^|[,;|•·(][ \t]*|[ \t][-–—][ \t]+)(?P<city>[^\W\d_][\w'’.-]*(?:[ \t][\w'’.-]+){0,2}?)[ \t]*/[ \t]*"
    r"(?P<region>[^\W\d_][\w'’-]*(?:[ \t][\w'’-]+){0,2}?)(?=[ \t.]*(?:$|[,;|•·)]|[ \t][-–—][ \t]))", re.MULTILINE)
#: a street written together with its number in the segment before a town ("Musterstr.12", "Gartenstr. 8a",
#: "Lindenweg 3"), read only beside the town and region it goes with
_STREET_SEGMENT = re.compile(
    r"(?:^|[,;|•·][ \t]*|[ \t][-–—][ \t]+)(?P<street>[A-ZÄÖÜ][\wäöüß-]*(?:str\.|straße|strasse|weg|allee|platz|"
    r"gasse|ring|damm|straat|laan|gracht|plein)[ \t]?\d{1,4}[ \t]?[a-zA-Z]?)[ \t]*,?[ \t]*$")
#: "she's in the Denver area", "lives around the Tampa area", "from the Boise area", "vive en la zona de Málaga",
#: "mora na região de Campinas", "wohnt im Raum Stuttgart": the lead is in a town's area (not "30 Anlagen im Raum
#: Bremen": a service area without a person there)
_AREA_BEFORE = guard_start(re.compile(
    r"(?i)(?:(?:(?:'s|’s|'re|’re|\bis|\bare|\blives?|\bliving|\bbased|\blocated|\bout|\bsomewhere)[ \t]+"
    r"(?:in|around|near|outside(?:[ \t]of)?)|\bfrom)[ \t]+the[ \t]+(?P<en>)|\b(?:vive|vivo|viven|mora|moro|moram|wohnt|"
    r"wohne|wohnen|woont|woon|wonen|habite|habitent)[ \t]+(?:en[ \t]+la[ \t]+zona[ \t]+de|na[ \t]+regi[ãa]o[ \t]+de|"
    r"im[ \t]+(?:groß)?raum|in[ \t]+de[ \t]+(?:regio|omgeving(?:[ \t]+van)?)|dans[ \t]+la[ \t]+région[ \t]+de)[ \t]+)"
    r"(?=[^\W\d_])"))
_AREA_AFTER = re.compile(r"(?i)[ \t]+(?:area|region|metro(?:[ \t]area)?|suburbs)\b")
#: a flat, suite or unit segment: the town a rep writes next to it is the lead's ("Suite 200 | Dayton")
_UNIT_SEGMENT = re.compile(r"(?i)(?:suite|ste|apt|apartment|unit|#|bldg|building|floor|fl)\.?[ \t]*[\w-]{1,6}"
                           r"[ \t]*(?:[|•·,]|[ \t][-–—])[ \t]*$")
#: the start of a segment of a note's line, right before a place
_SEGMENT_START = re.compile(r"(?:^|[|•·]|[ \t][-–—])[ \t]*\Z", re.MULTILINE)
#: the rep's own whereabouts right before a place: "I'll be in the Denver area", "we're in 80331 München"
_REP_HERE = re.compile(r"(?i)\b(?:i'll be|i will be|i'm|i am|i was|we'll be|we're|we are|heading|going)\b[^.\n]*\Z")
_CODES = frozenset((*US_STATES, *BR_STATES.split("|")))


def _region_name(text: str) -> str | None:
    """``text`` when it is a region: a US or Brazilian state's code as written ("SP"), or a region's name."""
    return text if text in _CODES or region_country(text) or text in CA_PROVINCES.split("|") else None


def postcode_town(text: str, r0: int, r1: int) -> tuple[dict[str, str], int] | None:
    """A postcode and the known town after it in a note, in any case ("28004 madrid,", "10115 Berlin-Mitte"),
    and where it starts; the town must end its segment ("12345 Main St" is a house number and a street)."""
    for m in _NOTE_POSTCODE.finditer(text, r0, r1):
        found = city_at(text, m.end(), r1)
        if found is None and (district := _DISTRICT.search(text, m.end(), min(r1, m.end() + 40))):
            town = city_at(text, m.end(), district.start())  # "Berlin-Mitte": Berlin
            found = (town[0], district.end()) if town and town[1] == district.start() else None
        if found and _SEGMENT_END.match(text, found[1]):
            return {"city": text[m.end() : m.end() + len(found[0])], "postal_code": m["code"]}, m.start()
    return None


def slash_place(text: str, r0: int, r1: int) -> tuple[dict[str, str], int] | None:
    """A known town, a slash and its region as one segment of a note ("Leipzig/Sachsen", "Campinas/SP"), with
    a street run together with its number in the segment before ("Musterstr.12, Leipzig/Sachsen")."""
    for m in _SLASH_PLACE.finditer(text, r0, r1):
        city, region = m["city"], _region_name(m["region"])
        if region is None or not is_city(city):
            continue
        parts = {"city": city, "region": region}
        line_start = text.rfind("\n", 0, m.start()) + 1
        start = m.start("city")
        if street := _STREET_SEGMENT.search(text, line_start, m.start("city")):
            parts = {"street": street["street"], **parts}
            start = street.start("street")
        return parts, start
    return None


def area_town(text: str, r0: int, r1: int) -> tuple[dict[str, str], int] | None:
    """A known town named for the area around it: "she's in the Denver area", "im Raum Stuttgart"."""
    for m in _AREA_BEFORE.finditer(text, r0, r1):
        found = city_at(text, m.end(), r1)
        if found and (m["en"] is None or _AREA_AFTER.match(text, found[1])):
            return {"city": found[0]}, m.end()
    return None


def after_unit(line: str, pos: int) -> bool:
    """Whether the segment of ``line`` before ``pos`` is a flat, suite or unit: "Suite 200 | Dayton"."""
    return _UNIT_SEGMENT.search(line, max(0, pos - 24), pos) is not None


def whole_segment(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole segment of its line between separators ("- 1809 maple dr.
    dayton -"): a lower-case street and town a rep set apart need no state."""
    line_start = text.rfind("\n", 0, start) + 1
    return _SEGMENT_START.search(text, line_start, start) is not None and _SEGMENT_END.match(text, end) is not None


#: the lead's own place told in the note's text: "She lives in Meridian", "he's in Chandler", "wohnt in Jena"
_LEAD_HOME = re.compile(
    r"(?i)\b(?:(?:he|she|they)(?:'s|’s|'re|’re|[ \t]+is|[ \t]+are|[ \t]+lives?)|lives|living|based|located|wohnt|"
    r"vive|mora|habite|woont)[ \t]+(?:in|en|em|à|a)[ \t]+(?-i:[^\W\d_a-zß-öø-ÿ])")


def rep_signature(text: str, layout: Layout) -> tuple[int, int] | None:
    """The note's text above its signature lines (below "--") when they are the rep's: the text already says
    where the lead lives ("She lives in Meridian, Idaho. -- Brent | … | 410 Front St, Boise"); else None."""
    if not layout.signature or layout.signoff is None:
        return None
    r0, end = layout.region[0], layout.signoff[0]
    return (r0, end) if r0 < end and _LEAD_HOME.search(text, r0, end) else None


def add_note_place(doc: Doc, text: str, r0: int, r1: int, source: str) -> bool:
    """The lead's place in a note without a street and postcode read elsewhere: a postcode and its town, a town
    and its region after a slash, or a town for its area (not the rep's own: "I'll be in the Denver area")."""
    found = postcode_town(text, r0, r1) or slash_place(text, r0, r1) or area_town(text, r0, r1)
    if found is None or _REP_HERE.search(text, max(r0, found[1] - 40), found[1]):
        return False
    parts, start = found
    add(doc, Candidate(ADDRESS, ", ".join(parts.values()), 0.6, f"{source}.prose", start, parts=parts))
    return True


__all__ = ["STATE_CODE_WORDS", "add_note_place", "after_unit", "area_town", "cued_postal", "is_street_text",
           "other_side_before", "postcode_town", "rep_signature", "slash_place", "street_parts", "venue_before",
           "venue_words", "whole_segment"]
