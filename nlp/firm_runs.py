"""What a capitalised run in a chat note or mail is not, though it looks like a firm's name: a vehicle and its trim
("Toyota Tundra Limited"), a noun after its article ("sucht ein Reihenhaus"), a person's role opening the run
("Geschäftsführer der Krause Fensterbau GmbH", "Inhaberin Kaya Kosmetikstudio"). Pure helpers of ``nlp.orgs``."""

from __future__ import annotations

import re
from functools import cache

from nlp.lexicon import legal_suffix_re, read_lines, vehicle_makes
from nlp.org_sides import TITLE_GLUE


@cache
def job_words() -> frozenset[str]:
    """Words of job titles (``patterns/job_words.txt``), case-folded."""
    return frozenset(w.casefold() for w in read_lines("job_words.txt"))


def is_vehicle(org: str) -> bool:
    """Whether a run opens with a vehicle make ("Toyota Tundra Limited", "Alfa Romeo Giulia")."""
    words = org.split()
    return bool(words) and (words[0].casefold() in vehicle_makes() or " ".join(words[:2]).casefold() in vehicle_makes())


#: a preposition that ties a firm to a person right before a run: "at", "from", "bei" …
STRONG_CUE = re.compile(r"(?i)(?:\bat|@|\bfrom|\bwith|\bfor|\bof|\bbei|\bvon|\bchez)[ \t]+(?:the[ \t]+)?$")
#: an article or determiner right before a word: a noun of running text, not a firm's name
ARTICLE_BEFORE = re.compile(r"(?i)(?<![\w])(?:ein|eine|einen|einem|einer|das|dem|den|kein|keine|ihr|ihre|sein|seine|"
                            r"unser|unsere|a|an|the|un|una|uno|um|uma|une|een|het)[ \t]+$")


#: between a job title and the firm: "Geschäftsführer der …", "gerente en …", "Inhaberin von …"
JOB_GLUE = frozenset({*TITLE_GLUE, "der", "die", "des", "en", "at", "bei", "el", "la", "il", "le", "het"})


def without_leading_job(words: list[str]) -> list[str]:
    """ "Geschäftsführer der Krause Fensterbau GmbH" → "Krause Fensterbau GmbH", "Inhaberin Kaya Kosmetikstudio"
    → "Kaya Kosmetikstudio": job words (and the glue after them) opening a firm's run are the person's role."""
    i = 0
    while i < len(words) and words[i].strip(",").casefold() in job_words():
        i += 1
    if i == 0:
        return words
    while i < len(words) and words[i].casefold() in JOB_GLUE:
        i += 1
    return words[i:] if len(words) - i >= 2 else words


#: the word right before a firm's name and its joint: "Manager, ", "Einkaufsleiter bei ", "CFO @ "
_WORD_BEFORE = re.compile(r"(?P<word>[^\W\d_][\w-]*)[ \t]*(?:,|[ \t](?:at|of|bei|für|de|da)|@|-|–|\|)[ \t]*$")


def job_before(text: str, start: int, floor: int) -> bool:
    """A job title right before a firm's name at ``start``: "Store Manager, Sorrel & Pine", "Einkaufsleiter bei …"."""
    m = _WORD_BEFORE.search(text, max(floor, start - 40), start)
    return m is not None and m["word"].casefold() in job_words()


def is_job_title(words: list[str]) -> bool:
    """ "Store Manager", "Head of Facilities", "Einkaufsleiter": a role, not a firm."""
    last = words[-1].strip(".,").casefold()
    return last in job_words() or all(w.strip(".,").casefold() in job_words() | TITLE_GLUE for w in words)


_TITLE_THEN_ORG = re.compile(
    r"(?i)^(?P<title>(?:[\w-]+[ \t]+){0,3}?[\w-]+)[ \t]+(?:of|de|da|do|di|du|des|von|van|bei)[ \t]+")


def without_job_title(run: str, start: int) -> tuple[str, int]:
    """ "CFO of Ridgeway Plastics" → "Ridgeway Plastics"; "Gerente de Vidrios Ruiz" → "Vidrios Ruiz"."""
    m = _TITLE_THEN_ORG.match(run)
    if m and m.end() < len(run) and all(w.casefold() in job_words() | TITLE_GLUE for w in m["title"].split()):
        return run[m.end() :], start + m.end()
    rest = " ".join(without_leading_job(run.split()))
    if rest != run and (at := run.find(rest)) > 0:
        return rest, start + at  # "Inhaberin Kaya Kosmetikstudio": a role, then the firm
    return run, start


TRAILING_RE = re.compile(r"(?:[ \t]+(?:and|und|y|of|de|the|&))+$|,+$")
#: where a firm's name in running text starts: after the last "at / from / von der …" before it
LAST_CUE_RE = re.compile(r"(?i).*(?:\s|^)(?:at|@|from|with|von der|von|bei der|bei|chez|für|de la empresa)\s+|.*\.\s+")


def after_cue(org: str) -> str:
    """ "TO DWAYNE FITZGERALD AT FITZGERALD HAULING LLC" → "FITZGERALD HAULING LLC"; "555-0177. Mendoza
    Builders LLC" → "Mendoza Builders LLC"; "Krüger von der Krüger & Söhne GmbH" → "Krüger & Söhne GmbH"."""
    m = LAST_CUE_RE.match(org)
    if m and m.end() < len(org) and legal_suffix_re().search(org[m.end() :]):
        return org[m.end() :]
    return org


_LEAD_IN = frozenset(
    [
        "we", "our", "us", "i", "my", "me", "at", "from", "for", "with", "this", "is", "it", "the", "dear",
        "hi", "hello", "thanks", "wir", "unsere", "unser", "sind", "ich", "bei", "von", "für", "an", "die",
        "der", "das", "mit", "hallo", "somos", "soy", "nosotros", "nuestra", "nuestro", "mi", "de", "para",
        "con", "en", "la", "el", "hola"
    ]
)


def strip_lead_in(org: str) -> str:
    """ "Somos Construcciones Ibarra S.L." → "Construcciones Ibarra S.L." (a capitalised sentence start)."""
    words = org.split()
    while len(words) > 2 and words[0].casefold() in _LEAD_IN:
        words.pop(0)
    return " ".join(without_leading_job(words))


def trim_org(org: str) -> str:
    org = org.strip()
    while (trimmed := TRAILING_RE.sub("", org)) != org:
        org = trimmed
    last = org.rsplit(None, 1)[-1] if org else ""
    if last.endswith(".") and (len(last) > 5 or not last[0].isupper()):
        org = org[:-1]  # a sentence's full stop, not "Inc." or "Co."
    return org
