"""A chat note's person put together from parts the rep wrote apart: a surname after a title and the first name
given on its own ("Herr Lindemann (Vorname Tobias)", "Sra. Altamirano — nombre: Yolanda"), a surname that an
email address completes ("Dr. Achterberg-Nwosu … adaeze.achterberg-nwosu@…"), and a surname written before the
first name ("Haverbrook, Imogen – 555-…", "Van den Broek, Lotte", "DE LA TORRE, ESPERANZA").

The first-name cues are data, one file for the seven languages (``patterns/first_name_cues.txt``)."""

from __future__ import annotations

import re
from functools import cache

from nlp.email_names import fold
from nlp.lexicon import finditer_folded, is_first_name, is_surname, not_names, read_lines, stop_words
from nlp.our_side import alternation
from nlp.places import is_city
from nlp.prose import NOTE_WORDS, PARTICLES, cue_re, cue_words, org_words, place_words, read_name_at, titles, written
from parsers.regions import region_country

_CAP_WORD = r"[^\W\d_a-zß-öø-ÿ][\w'’-]*"


@cache
def _given_re() -> re.Pattern[str]:
    """A first-name cue, an optional verb or colon, then the first name (capitalised or a known one)."""
    return re.compile(
        rf"(?i)(?<![\w])(?:{alternation(read_lines('first_name_cues.txt'))})(?![\w])"
        r"(?:[ \t]+(?:laut|per|según|segun|according to|from|de|da|nach)[ \t]+[\w-]+)?"
        r"[ \t]*(?:[:=]|(?:is|ist|es|é|est|è|era|was|war)(?![\w]))?[ \t]*"
        r"(?P<first>[^\W\d_][\w'’-]*)(?![\w'’-])")


def given_first_names(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """The first names a note gives on their own ("(Vorname Tobias)", "nombre: Yolanda"), with offsets: a
    capitalised word that is no function, note or organisation word, or a known first name."""
    found = []
    for m in _given_re().finditer(text, start, end):
        word = m["first"]
        folded = word.casefold()
        if folded in NOTE_WORDS or folded in not_names() or folded in org_words():
            continue
        if not (is_first_name(word) or (word[0].isupper() and folded not in stop_words())):
            continue
        found.append((written(word), m.start("first")))
    return found


def completed_surname(surname: str, at: int, given: list[tuple[str, int]], emails: list[str]) -> str | None:
    """ "Lindemann" (read after a title at ``at``) with the one first name the note gives apart within a few
    lines of it, or with the first part of an email address whose other part is that surname
    ("hendrik.schulze-wettering@" → "Hendrik Schulze-Wettering")."""
    near = {first for first, pos in given if abs(pos - at) <= 160 and fold(first) != fold(surname)}
    if len(near) == 1:
        return f"{near.pop()} {surname}"
    key = fold(surname).replace("-", "").replace("'", "").replace("’", "")
    for address in emails:
        parts = [p for p in re.split(r"[._]", address.split("@", 1)[0]) if p]
        if len(parts) != 2 or not parts[0].isalpha() or len(parts[0]) < 2:
            continue
        if fold(parts[1]).replace("-", "") == key and fold(parts[0]) != key and parts[0].casefold() not in not_names():
            return f"{written(parts[0])} {surname}"
    return None


#: a surname (particles and a hyphen allowed, up to two words) at a clause's start, a comma, then a first name,
#: then a separator, a number or the line's end: "Haverbrook, Imogen – 555-…", "Van den Broek, Lotte –"
_INVERTED_BODY = (
    rf"(?P<sur>(?:(?i:van|von|de|der|den|del|della|di|da|du|la|le|ter|ten|dos|das)"
    rf"[ \t]+){{0,3}}{_CAP_WORD}(?:[ \t]+{_CAP_WORD})?),[ \t]+(?P<first>{_CAP_WORD})"
    r"(?=[ \t]*(?:[-–—|/(,.;]|$|\+?\(?\d))")
_INVERTED = re.compile(rf"(?m)(?:^|[:–—|]|[ \t]-)[ \t]*{_INVERTED_BODY}")
_INVERTED_AT = re.compile(rf"(?m){_INVERTED_BODY}")
#: an initial right before a surname: "J. Whitcombe" (not a title such as the French "M.")
_INITIAL = re.compile(r"(?<![\w.])(?P<i>[^\W\d_a-zß-öø-ÿ])\.[ \t]?$")


def initial_before(text: str, start: int, surname: str) -> str | None:
    """ "J. Whitcombe" for a surname read at ``start`` right after an initial, else None."""
    m = _INITIAL.search(text, max(0, start - 3), start)
    if m is None or m["i"].casefold() in {"m"}:
        return None
    return f"{m['i']}. {surname}"


def inverted_names(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """ "Surname, First" at a clause's start with a known first name after the comma, as "First Surname"."""
    found = []
    for m in _INVERTED.finditer(text, start, end):
        if name := _inverted(m):
            found.append((name, m.start("sur")))
    return found


def inverted_at(text: str, pos: int) -> str | None:
    """ "Fitzgerald, Orla" right at ``pos`` (after a cue or a label) as "Orla Fitzgerald", else None."""
    m = _INVERTED_AT.match(text, pos)
    return _inverted(m) if m else None


def _inverted(m: re.Match[str]) -> str | None:
    """The name a "Surname, First" match writes, when the first name is known and the surname is no other word."""
    first, surname_words = m["first"], m["sur"].split()
    core = [w for w in surname_words if w.casefold() not in PARTICLES]
    # "HARLOW, Bettina", "OYELARAN, Temitope": a surname in capitals before a first name that is not is a
    # register's or caller-ID's convention, evidence enough though the gazetteers know neither word as such
    shouted = _shouted_surname(core, first)
    if not (is_first_name(first) or shouted) or fold(first) in NOTE_WORDS:
        return None
    if first.isupper() and not all(w.isupper() for w in core):
        return None  # "Dorian Pike, VIN 2T1…": a word in capitals after a name written in mixed case is an acronym
    if core and region_country(first) is not None and is_city(" ".join(core)):
        return None  # "PLANO, Texas", "Reno, Nevada": a city and its state
    particled = len(core) < len(surname_words)  # "van der Meer": after a particle a place word is a surname
    if not core or any(w.casefold() in NOTE_WORDS or w.casefold() in org_words() or w.casefold() in
                       not_names() or (w.casefold() in place_words() and not particled) for w in core):
        return None
    if (len(core) == 1 and "-" not in core[0] and is_first_name(core[0]) and not is_surname(core[0])
            and not shouted):
        return None  # "Tobias, Anna": two first names, a list rather than one name
    if not particled and any(w.casefold() in stop_words() and not is_surname(w) for w in core):
        return None
    surname = " ".join(w.lower() if w.casefold() in PARTICLES else written(w) for w in surname_words)
    return f"{written(first)} {surname}"


def _shouted_surname(core: list[str], first: str) -> bool:
    """Whether the surname words are written in capitals and the first name after them properly capitalised,
    a word no function, note, organisation or place word."""
    folded = first.casefold()
    return (bool(core) and all(len(w) >= 2 and w.isupper() for w in core) and len(first) >= 2
            and first[0].isupper() and first[1:].islower() and folded not in stop_words()
            and folded not in org_words() and folded not in place_words() and folded not in not_names())


_BRACKETED = re.compile(r"[ \t]*\((?P<inner>[^()\n]{2,60})\)")


def bracketed(text: str, word: str, end: int, titled: bool) -> str | None:
    """A name completed by the brackets right after it: a surname by the first name ("Okafor (Chinedu)", after a
    title any capitalised name word: "Mrs Adeyemi (Folasade)"), a short first name by the full name it shortens
    ("Tere (Teresa Ybarra D'Alessandro)")."""
    m = _BRACKETED.match(text, end)
    if m is None:
        return None
    inner = m["inner"].strip()
    if " " not in inner:
        folded = inner.casefold()
        if folded in NOTE_WORDS or folded in stop_words() or folded in org_words() or folded in place_words() or (
                is_first_name(word) and not titled):
            return None
        if is_first_name(inner) or (titled and inner[:1].isupper() and inner.isalpha()):
            return f"{written(inner)} {word}"
        return None
    full = read_name_at(text, m.start("inner"))
    if full and len(full[0].split()) >= 2 and len(word) >= 3 and fold(full[0]).startswith(fold(word)[:3]):
        return full[0]
    return None


_LOWER_PAIR = re.compile(r"(?P<first>[^\W\d_][\w'’-]+)[ \t]+(?P<last>[^\W\d_][\w'’-]+)(?![\w'’-])")


def lower_after_cue(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """In a note typed without capitals, two words right after a chat cue ("spoke to thandiwe nkosi-mbeki re …"),
    though the first-name gazetteer does not know the first: neither a function, note, cue, firm or place word,
    and one of them a known first name or surname (or a hyphenated surname's part)."""
    found = []
    for m in finditer_folded(cue_re(), text, start, end):
        pair = _LOWER_PAIR.match(text, m.end(), end)
        if pair is None:
            continue
        words = (pair["first"], pair["last"])
        if any(w.casefold() in stop_words() or w.casefold() in NOTE_WORDS or w.casefold() in cue_words() or
               w.casefold() in not_names() or w.casefold() in org_words() or w.casefold() in place_words() or
               w.casefold() in titles() or w.casefold() in PARTICLES for w in words):
            continue
        if not any(is_first_name(w) or any(is_surname(part) for part in w.split("-")) for w in words):
            continue  # "call with accounts payable": one of the two must be a name the gazetteers know
        found.append((f"{written(words[0])} {written(words[1])}", pair.start()))
    return found


def caller_id_order(name: str) -> str:
    """A caller-ID name of two words in the order the gazetteers say: "Walsh Brendan" → "Brendan Walsh" when the
    second is the known first name or the first the known surname, and not the other way round."""
    first, second = name.split()
    if (is_first_name(second) - is_first_name(first)) + (is_surname(first) - is_surname(second)) > 0:
        return f"{second} {first}"
    return name
