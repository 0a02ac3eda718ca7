"""Reading a city's name and the region after it in running text, for ``nlp.address``.

A city's name is up to three capitalised words ("A Coruña", "San Sebastián"; any case in a note typed in
lower case); the region after it is a state or province code ("Tacoma, WA", "boise, id") or a region's name
in any of our languages ("Passau (Bayern)", "Boise, Idaho"); a US ZIP may follow the state. Pure functions
over strings, with the gazetteers of ``nlp.places`` and ``parsers.regions``.
"""

from __future__ import annotations

import re
from functools import cache

from nlp.lexicon import read_lines, stop_words
from nlp.note_places import STATE_CODE_WORDS
from nlp.places import is_city, words_at
from nlp.prose import org_words, place_words
from parsers.postal_formats import BR_STATES, CA_PROVINCES, US_STATE_NAMES, US_STATES
from parsers.regions import region_country


@cache
def time_words() -> frozenset[str]:
    """Month, weekday and season names (``patterns/time_words.txt``), case-folded."""
    return frozenset(w.casefold() for w in read_lines("time_words.txt"))


REGIONS = frozenset((*US_STATES, *US_STATE_NAMES.split("|"), *CA_PROVINCES.split("|"), *BR_STATES.split("|")))


#: two-letter state codes that are also common words, not read in lower case ("in march", "or so")
CODE_WORDS = frozenset({"in", "or", "me", "hi", "ok", "oh", "de", "la", "pa", "ma", "al", "co", "ne", "on"})


#: state codes that read as a word or a common abbreviation in a lower-case note ("id", "ms", "md", "sc")
_WORD_LIKE_CODES = CODE_WORDS | {"id", "ms", "mt", "pr", "sc", "mi", "md"}


#: the small words inside a place's name: "A Coruña", "Freiburg im Breisgau", "Stratford upon Avon"
_SMALL_WORDS = frozenset({"a", "de", "del", "la", "le", "los", "las", "san", "santa", "são", "den", "am", "an", "im",
                          "upon", "sur"})


_CITY_WORD = re.compile(r"[^\W\d_][\w'’-]*")


_NEXT_IS_CAPITAL = re.compile(r" [^\W\d_a-zß-öø-ÿ][\w'’-]* [^\W\d_a-zß-öø-ÿ]")


def titled(city: str) -> str:
    """A town's name with its lower-case words capitalised, but the small words inside it ("do", "de", "la")."""
    return " ".join(w if not w.islower() or (k and w in _SMALL_WORDS | {"do", "dos", "da", "das", "di", "du"})
                    else w.capitalize() for k, w in enumerate(city.split()))


def city_name_at(text: str, pos: int, lower: bool) -> str | None:
    """Up to three capitalised words at ``pos`` that can be a city ("A Coruña", "San Sebastián")."""
    words: list[str] = []
    i = pos
    while len(words) < 3:
        m = _CITY_WORD.match(text, i)
        if not m:
            break
        word = m.group()
        folded = word.casefold()
        small = folded in _SMALL_WORDS
        if not (word[0].isupper() or lower or (small and words)):
            break
        if lower and words and word.islower() and (region_country(word) or (
                word.upper() in US_STATES and folded not in CODE_WORDS)):
            break  # "in chattanooga tn", "in bend oregon": the state after the city
        if words and len(word) == 2 and word in REGIONS:
            break  # "in Charleston SC wants …": the state code after the city
        if folded in time_words() or folded in org_words() or folded in place_words() or (
                folded in stop_words() and not (small and (word[0].isupper() or words))):
            break
        words.append(word)
        i = m.end()
        if not text.startswith(" ", i):
            break
        i += 1
    while words and words[-1].casefold() in _SMALL_WORDS - {"santa", "são"}:
        words.pop()
    if not words or (len(words) == 1 and len(words[0]) < 3):
        return None
    if _NEXT_IS_CAPITAL.match(text, pos + len(" ".join(words))):
        return None  # "in Castellan Logistics Park": a longer name than three words, not a city
    return " ".join(w if not w.islower() or (k and w.casefold() in _SMALL_WORDS) else w.capitalize()
                    for k, w in enumerate(words))


#: "Tacoma, WA", "Aurora CO", "Campinas - SP": a state or province code right after a city
#: "Boise, Idaho", "Laval, Québec": a state or province written out
_REGION_AFTER = re.compile(
    rf"[ \t]*(?:,|[ \t]-|/|\()?[ \t]*(?P<region>[A-Z]{{2}}|{US_STATE_NAMES}|{CA_PROVINCES})(?![\w'’-])")


#: what stands between a city and its region: "Passau (Bayern)", "Annecy en Haute-Savoie", "Hellín, provincia
#: de Albacete", "Contagem, Minas Gerais"
_REGION_JOIN = re.compile(
    r"[ \t]*(?:,|[ \t]-|/|\()?[ \t]*(?:(?:in|en|em|im|in der|nel|nella|na|no|dans le|dans l'|in the)[ \t]+)?"
    r"(?:(?:provincia|province|prov\.|state|estado|county|bundesland|région|departamento|distrito)[ \t]+"
    r"(?:de[ \t]+|of[ \t]+|del[ \t]+)?)?", re.IGNORECASE)


#: the end of a clause right after a lowercase state code without a comma ("in chattanooga tn, needs …")
_CLAUSE_END = re.compile(r"[ \t]*(?:[,.;:!)]|[ \t][-–—][ \t]|$)", re.MULTILINE)


#: a US ZIP right after a state code ("in tampa fl 33602")
_ZIP_AFTER = re.compile(r"[ \t]*,?[ \t]*(?P<zip>\d{5}(?:-\d{4})?)(?![\w-])")


def region_after(text: str, end: int, lower: bool) -> str | None:
    """The state, province, county or Land written right after a city that ends at ``end``: a code
    ("Tacoma, WA", and "boise, id" when the note is lower case), or a region's name in any of our languages
    (``parsers.postal.region_country``: "Boise, Idaho", "Passau (Bayern)", "Tonbridge, Kent")."""
    code = _REGION_AFTER.match(text, end)
    if code and code["region"] in REGIONS:
        return code["region"]
    join = _REGION_JOIN.match(text, end)
    pos = join.end() if join else end
    if pos == end and not text.startswith(" ", end):
        return None
    words = words_at(text, pos, len(text))
    if lower and words and len(words[0].group().rstrip(".")) == 2 and pos > end:
        lowered = words[0].group().rstrip(".")
        code_end = words[0].start() + 2  # "columbus oh.": the clause's full stop is not the code's
        if lowered.islower() and lowered.upper() in US_STATES and lowered not in CODE_WORDS and (
                "," in text[end:pos] or _CLAUSE_END.match(text, code_end)
                or _ZIP_AFTER.match(text, code_end)
                or (lowered not in _WORD_LIKE_CODES and known_before(text, end))):
            return lowered.upper()  # "lives in fort lee nj right now": a code no word spells, after a known town
        if lowered in STATE_CODE_WORDS and _CLAUSE_END.match(text, code_end) and known_before(text, end):
            return lowered.upper()  # "in dayton oh, needs gutters", "denver, co."
    for n in range(len(words), 0, -1):
        name = text[words[0].start() : words[n - 1].end()].rstrip(".")
        if (name[0].isupper() or lower) and region_country(name):
            return name
    return None


def zip_after(text: str, end: int, region: str) -> str | None:
    """The US ZIP written right after ``region``, itself written after a city that ends at ``end``."""
    at = text[end : end + 40].casefold().find(region.casefold())
    m = _ZIP_AFTER.match(text, end + at + len(region)) if at >= 0 else None
    return m["zip"] if m else None


def known_before(text: str, end: int) -> bool:
    """Whether a gazetteer city's name (one to three words) ends at ``end``."""
    words = text[max(0, end - 40) : end].split()
    return any(is_city(" ".join(words[-n:])) for n in range(1, min(3, len(words)) + 1))


def city_before(text: str, pos: int, floor: int) -> bool:
    """Whether a known city's name (one or two words) ends right before ``pos`` ("Sevilla (Andalucía)")."""
    words = text[max(floor, pos - 40) : pos].split()[-2:]
    return bool(words) and (is_city(words[-1]) or is_city(" ".join(words)))


def plausible_city(text: str, city: str, end: int) -> bool:
    """A known name that reads as a city here: capitalised (or a lowercase note's longer name), not a month,
    not the start of a longer name ("Reno Street", "Phoenix Logistics", "in Denver Health")."""
    words = city.split()
    if words[0].casefold() in time_words():
        return False
    if not city[0].isupper() and (len(city) < 5 or any(w[0].isupper() for w in words)):
        return False
    nxt = _CITY_WORD.match(text, end + 1) if text.startswith(" ", end) else None
    if nxt:
        word = nxt.group()
        if word.casefold() in place_words() or word.casefold() in org_words():
            return False
        if city[0].isupper() and word[0].isupper() and word.casefold() not in stop_words() and word not in REGIONS:
            return False  # "Reno Street", but "Round Rock TX"
    return True
