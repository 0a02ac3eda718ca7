"""Second looks at a person read from a chat note: what the words around the reading say it really is.

- A place, not a person: "📍Tucson AZ 👤 …", "Phoenix AZ: Kyle Brennan", "Lead from Denver, CO: …" — a known
  city and a state, province or Land (in the name or right after a comma) is where the lead is.
- A nickname inside the name: ``Robert "Bobby" Kowalski``, ``Daniel ('Danny') O'Connell`` — the reading stops at
  the quote; the surname after it completes the name.
- A caller-ID in capitals, surname first: "CID: PRZYBYLSKI KATARZYNA", "WALSH BRENDAN" — two words in capitals
  whose first is no known first name and whose second is one (and no surname) are in the gazetteers' order.

Pure functions over text; the decision which reading is the lead's stays in ``nlp.names`` and ``nlp.assemble``.
"""

from __future__ import annotations

import re

from nlp.lexicon import is_first_name, is_surname, stop_words
from nlp.places import is_city
from nlp.prose import NOTE_WORDS, PARTICLES, read_name_at
from parsers.address import US_STATES
from parsers.regions import region_country

_STATE_CODES = frozenset(US_STATES)
#: right after a city: ", CO", " (AZ)", ", Colorado", ", Bayern"
_REGION_AFTER = re.compile(r"[ \t]*[,(]?[ \t]*(?P<region>[^\W\d_][\w.-]*(?:[ \t]+[^\W\d_][\w-]*)?)")
#: right after a first name: a nickname in quotes or brackets, then the rest of the name
_NICKNAME = re.compile(r"[ \t]+(?:\(?[\"“”'‘’][^\W\d_][\w'’-]*[\"“”'’]\)?|\([^\W\d_][\w'’-]*\))[ \t]+(?=[^\W\d_])")


def _is_region(word: str, written_as: str) -> bool:
    """A state code written in capitals ("AZ", not "Az" or "az") or a region's full name."""
    return (written_as.isupper() and written_as in _STATE_CODES) or region_country(word) is not None


def place_not_person(text: str, name: str, start: int, end: int) -> bool:
    """Whether the person read as ``name`` at ``start``..``end`` is a city and its region ("Austin TX", "Denver"
    before ", CO"): a place where the lead is, never the lead's name."""
    words = name.split()
    if len(words) >= 2 and _place_words(words, text[start:end].split()) == len(words):
        return True
    if not is_city(name):
        return False
    m = _REGION_AFTER.match(text, end)
    if m is None or m.start("region") == end:
        return False  # "Austin Moore": a surname, not a region, runs on from the word
    region = m["region"]
    first = region.split()[0].strip(".")
    # "lead from denver, co:": in a note typed in lower case a state code is too, unless it is a word as well
    written_as = first.upper() if text[start:end].islower() and first.casefold() not in _WORD_CODES else first
    return _is_region(first, written_as) or region_country(region) is not None


#: state codes that are words of a note too ("or", "in", "me", "hi", "ok", "oh", "de", "la", "al", "pa", "ma")
_WORD_CODES = frozenset({"or", "in", "me", "hi", "ok", "oh", "de", "la", "al", "pa", "ma", "id", "ga"})


def after_place(text: str, name: str, start: int, end: int) -> tuple[str, int] | None:
    """The person after a city and its region that a reading ran together with them ("Savannah GA Cordelia
    Banks", the emoji between them dropped), with where the person starts; None when no place opens the name."""
    words, source = name.split(), text[start:end].split()
    cut = _place_words(words, source)
    if not cut or len(words) - cut < 1 or len(source) != len(words):
        return None
    return " ".join(words[cut:]), text.index(source[cut], start)


#: right after a name: a phone number or an email address ("… - Priyanka Sethi 555-0127 wants …")
_CONTACT_NEXT = re.compile(r"[ \t]*[,(]?[ \t]*(?:\+?\(?\d[\d \t().\-/]{5,}\d|[\w.+-]+@[\w-]+\.)")


#: right before a run: a connector to a firm ("from Riverbend HOA", "at", "@", "von", "de")
_FIRM_BEFORE = re.compile(r"(?i)(?:\b(?:from|at|of|with|von|bei|de|da|do|del|chez|di|van)|@)[ \t]+$")


def contact_follows(text: str, start: int, end: int) -> bool:
    """Whether a phone number or an email address follows the capitalised run at ``start``..``end`` right away,
    the run shaped like a person's name (no word in capitals, no firm's connector before it): listed as the
    lead's, though the gazetteers do not know the first name ("- Priyanka Sethi 555-0127 wants …")."""
    if _CONTACT_NEXT.match(text, end) is None or _FIRM_BEFORE.search(text, max(0, start - 8), start):
        return False
    return not any(w.isupper() and len(w) > 1 for w in text[start:end].split())


_POSSESSIVE = re.compile(r"['’]s$")
#: after "Greg Lin's": what a colleague has of a lead ("Greg Lin's territory", "Dana's client"), our side's
_OURS_AFTER = re.compile(
    r"[ \t]+(?:territory|team|lead|leads|client|clients|customer|customers|account|accounts|area|desk|list|patch|"
    r"route|pipeline|queue|region|zone)(?![\w'’-])", re.IGNORECASE)


#: after "Jordan Blake's": a referral they made ("Jordan Blake's referral", "Dana's recommendation"): a partner's
_PASSED_AFTER = re.compile(r"[ \t]+(?:referral|referrals|recommendation|referred[ \t]+(?:client|customer|buyer|friend)|"
                           r"tip|intro|introduction)(?![\w'’-])", re.IGNORECASE)


def possessor(text: str, name: str, end: int) -> tuple[str, int, str | None] | None:
    """The person a reading ending in "'s" names ("Jill Moore's house" → Jill Moore), where they end, and their
    role when what follows says it: "staff" for a colleague's territory, client or queue, "partner" for someone's
    referral ("found us through Jordan Blake's referral"); None for a reading with no "'s"."""
    if not _POSSESSIVE.search(name):
        return None
    role = "staff" if _OURS_AFTER.match(text, end) else "partner" if _PASSED_AFTER.match(text, end) else None
    return name[:-2], end - 2, role


def without_shouted_head(text: str, name: str, start: int, end: int) -> tuple[str, int] | None:
    """The person after a word in capitals that a reading ran into them ("VIP Reginald Ashford", "URGENT Cosima
    Albrecht": a tag the rep shouts, its emoji dropped), with where the person starts; None when no such tag."""
    words, source = name.split(), text[start:end].split()
    if len(words) < 3 or len(source) != len(words) or not (source[0].isupper() and len(source[0]) >= 2):
        return None
    if any(w.isupper() for w in source[1:]) or is_first_name(words[0]) or is_surname(words[0]):
        return None
    return " ".join(words[1:]), text.index(source[1], start)


#: right before a reading: the first-named of a couple who share the surname ("Tom & ", "Denise and ", "Jonas und ")
_COUPLE_BEFORE = re.compile(r"(?<![\w'’-])(?P<first>[^\W\d_a-zß-öø-ÿ][^\W\d_]+)[ \t]*(?:&|\+|and|und|y|e|et|en)[ \t]+$")


def couple_head(text: str, name: str, start: int) -> tuple[str, int] | None:
    """ "Tom Ruiz" for a reading of "Ana Ruiz" that a known first name and "&" stand right before ("Tom & Ana Ruiz
    stopped by"): a couple is named by the first-named partner, as when the reading starts at them; with where
    the couple starts. None when no couple stands before the reading."""
    words = name.split()
    m = _COUPLE_BEFORE.search(text, max(0, start - 24), start)
    if len(words) != 2 or m is None or not is_first_name(m["first"]) or not is_first_name(words[0]):
        return None
    return f"{m['first']} {words[1]}", m.start("first")


def _place_words(words: list[str], source: list[str]) -> int:
    """How many words at the head of a reading are a city and its region (0 when they are not)."""
    if len(source) != len(words):
        return 0
    for cut in range(min(len(words), 4), 1, -1):
        if is_city(" ".join(words[: cut - 1])) and _is_region(words[cut - 1], source[cut - 1].strip(".,")):
            return cut
    return 0


#: a clock time opening a run after "at": "at 3pm Ruth Castellano called", "at 10:30 Jonas …"
_CLOCK = re.compile(r"(?i)\d{1,2}(?:[:.h]\d{2})?[ \t]*(?:am|pm|a\.m\.|p\.m\.|uhr|h)?$")


def place_or_time_run(org: str) -> bool:
    """Whether a capitalised run read as a firm is a city and its region ("Reno NV", "Tucson, AZ") or opens on a
    clock time ("3pm Ruth Castellano"): where or when, not whose firm."""
    words = org.replace(",", " ").split()
    if len(words) >= 2 and _CLOCK.match(words[0]) and any(ch.isdigit() for ch in words[0]):
        return True
    return len(words) >= 2 and is_city(" ".join(words[:-1])) and _is_region(words[-1], words[-1])


#: a first name opening a line or a clause, then the firm they are from: "Mateo from Blue Heron (the cafe on 5th)
#: wants …", "Jenna @ Sunrise Senior Living", "Hanne von Berg Bau", "Rocío de Conservas Bidasoa"
_FIRST_OF_FIRM = re.compile(
    r"(?m)(?:^|[:–—][ \t]+|[ \t]-[ \t]+)[ \t]*(?P<first>[^\W\d_a-zß-öø-ÿ][^\W\d_A-Z]+)[ \t]+"
    r"(?:from|at|with|of|@|von|bei|de|da|do|del|chez|van|di)[ \t]+(?=[^\W\d_a-zß-öø-ÿ]|\d+[ \t]*[^\W\d_])")


def first_names_of_firms(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """Known first names written alone before the firm they are from ("Mateo from Blue Heron …"), with spans;
    whose side each is (a colleague "from sales", a partner) is for the caller to say."""
    found = []
    for m in _FIRST_OF_FIRM.finditer(text, start, end):
        first = m["first"]
        if is_first_name(first) and first.casefold() not in NOTE_WORDS and first.casefold() not in stop_words():
            found.append((first, m.start("first"), m.end("first")))
    return found


def nickname_surname(text: str, end: int) -> tuple[str, int] | None:
    """The rest of a name after a nickname that follows the reading ending at ``end`` (``"Bobby" Kowalski``),
    with where it ends; None when no quoted or bracketed nickname and name follow."""
    m = _NICKNAME.match(text, end)
    if m is None:
        return None
    rest = read_name_at(text, m.end(), limit=2)
    if rest is None or rest[1] != m.end():
        return None
    return rest[0], rest[2]


def gazetteer_order(name: str, text: str, start: int, end: int) -> str | None:
    """ "Brendan Walsh" for a reading of "WALSH BRENDAN": two words in capitals, surname first (a caller-ID's
    order); None when the gazetteers do not say the words stand the other way round."""
    source = text[start:end].split()
    words = name.split()
    if len(words) != 2 or len(source) != 2 or not all(w.isupper() and len(w) > 1 for w in source):
        return None
    first, second = words
    if first.casefold() in PARTICLES or is_first_name(first) or not is_first_name(second) or is_surname(second):
        return None
    return f"{second} {first}"


__all__ = [
    "after_place",
    "contact_follows",
    "couple_head",
    "first_names_of_firms",
    "gazetteer_order",
    "nickname_surname",
    "place_not_person",
    "place_or_time_run",
    "possessor",
    "without_shouted_head",
]
