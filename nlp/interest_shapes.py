"""The shapes in which a lead names its item outside a sentence: a vehicle after "for" in a subject ("New lead for
2022 Honda Civic EX"), the unlabelled first fact of a run of labelled facts ("Kitchen remodel • Budget: … •
Timeline: …"); and the evidence that an item is someone else's: a trade-in vehicle, the rep's own product in a note
("asking about our Premium Care Plan"). Used by ``nlp.interest``."""

from __future__ import annotations

import json
import re
from functools import cache

from nlp.lexicon import PATTERNS_DIR, generic_interests, is_first_name, read_lines, vehicle_makes
from parsers.labels import is_field_line
from parsers.labels.dictionary import DICTIONARY, norm_label
from parsers.subject import says_nothing

#: makes that are also words or names: alone, without a year or a model, no vehicle
AMBIGUOUS_MAKES = frozenset({"mini", "ram", "seat", "lincoln", "genesis", "jaguar", "triumph", "ford"})
YEAR = re.compile(r"^(?:19[5-9]\d|20[0-4]\d)$")
#: a condition word before a model year ("used 2019 Toyota RAV4")
CONDITION = frozenset({"new", "used", "certified", "pre-owned", "neu", "neuer", "gebraucht", "nuevo", "usado"})


#: a run of facts on one line, the first unlabelled: "Kitchen remodel • Budget: $25,000 • Timeline: ASAP"
FACT_RUN = re.compile(r"(?m)^[ \t]*(?P<head>[^\W\d_][^\n:•|·]{2,60}?)[ \t]+[•|·][ \t]+(?P<rest>[^\n]{4,200})$")
_RUN_SEPARATOR = re.compile(r"[ \t]+[•|·][ \t]+")


def run_head(head: str, rest: str) -> str | None:
    """The first fact of a run whose other facts are labelled fields ("Budget: …", "Timeline: …"): what the run is
    about, the item asked for. Not a name, a contact, a notice's own words ("New lead") or a generic word."""
    parts = _RUN_SEPARATOR.split(rest)
    if sum(1 for part in parts if ":" in part and is_field_line(part)) < 1 or is_field_line(head):
        return None
    words = head.split()
    if len(words) > 8 or says_nothing(head) or head.casefold() in generic_interests():
        return None
    if is_first_name(words[0]) and len(words) <= 3 and all(w[:1].isupper() for w in words):
        return None  # "Marcus Reed | Phone: …": the lead, not the item
    return head


#: "New lead for …", "Anfrage für …": "for" names the recipient as often as the item ("New job for Schuster
#: GmbH"), so only a vehicle after it is taken
_SUBJECT_FOR = re.compile(r"(?i)\b(?:for|für|fur|para|pour|per|voor)\s+(?P<obj>.{3,60})$")


def subject_vehicle(subject: str) -> str | None:
    """The vehicle a subject names after "for" ("New internet lead for 2021 Subaru Outback Premium"): a make
    (``patterns/vehicle_makes.jsonl``) after an optional condition word and model year, with its model."""
    m = _SUBJECT_FOR.search(subject)
    if m is None:
        return None
    obj = _REFERENCE_TAIL.sub("", m["obj"]).strip(" -–—|,;.")
    words = obj.split()
    k = 1 if words and words[0].casefold() in CONDITION else 0
    year = k < len(words) and bool(YEAR.match(words[k]))
    k += year
    makes = vehicle_makes()
    for size in (2, 1):
        make = " ".join(words[k : k + size])
        if make.casefold() in makes and make[:1].isupper():
            model = len(words) > k + size
            if (year or model) and not (make.casefold() in AMBIGUOUS_MAKES and not year):
                return obj
    return None


#: a stock or reference number closing a subject ("… Civic EX - Stock #H2291"): the vehicle ends before it
_REFERENCE_TAIL = re.compile(r"(?i)\s*[-–—|(,]\s*(?:stock|ref|vin|#).*$")


@cache
def _cue_words(key: str) -> list[str]:
    """A per-language word list of ``patterns/interest_cues.json``, all languages."""
    by_lang = json.loads((PATTERNS_DIR / "interest_cues.json").read_text(encoding="utf-8"))[key]
    return [w for words in by_lang.values() for w in words]


def _alternation(words: list[str]) -> str:
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))


@cache
def _trade_in_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A trade-in word right before a vehicle ("trading in his 2017 Honda Pilot") and right after one ("a 2015 Ford
    Focus trade-in", "mi Renault Clio como parte de pago"), in the same clause."""
    words = _alternation(_cue_words("trade_in"))
    return (re.compile(rf"(?i)(?<![\w'’-])(?:{words})(?![\w'’-])[^,;.!?\n]{{0,12}}$"),
            re.compile(rf"(?i)^[^,;.!?\n]{{0,16}}?(?<![\w'’-])(?:{words})(?![\w'’-])"))


def traded_in(text: str, start: int, end: int) -> bool:
    """Whether the vehicle at ``text[start:end]`` is the one the prospect gives in, not the one they want."""
    before, after = _trade_in_res()
    return bool(before.search(text[max(start - 32, 0) : start]) or after.search(text[end : end + 32]))


@cache
def ours_re() -> re.Pattern[str]:
    """"our …", "unsere …", "nuestro …" opening an item in a rep's note: the rep's own product or firm."""
    return re.compile(rf"(?i)^\s*(?:{_alternation(_cue_words('ours'))})\s")


@cache
def _no_item_answers() -> frozenset[str]:
    return frozenset(w.casefold() for w in read_lines("no_item_answers.txt"))


@cache
def _ownership_re() -> re.Pattern[str]:
    """Whether they own or rent, alone or before a dash: "Own - Single Family", "Mieter", "Rent / Apartment"."""
    return re.compile(rf"^(?:{_alternation(_cue_words('ownership'))})(?:\s*[-–/|,:]\s*[^\n]*)?$")


def names_no_item(value: str) -> bool:
    """Whether an interest value names no item: a form's empty answer ("Other", "Yes", "Please select",
    "Residential", "Used") or only a notice's own words ("General enquiry", "Free Estimate", "Quote",
    "Información general"; ``DICTIONARY.notice_words``)."""
    folded = " ".join(value.casefold().split()).strip(" .:!-")
    if folded in _no_item_answers() or _ownership_re().match(folded):
        return True
    words = norm_label(value).split()
    return bool(words) and all(w in DICTIONARY.notice_words or w.isdigit() for w in words)


@cache
def _compound_need_re() -> re.Pattern[str]:
    """A capitalised compound ending in a need's word, alone between a dash, comma, colon or bullet and a comma,
    stop or line end: "– Dachsanierung,", ", Badsanierung." (German and Dutch write a need as one word), or
    joined by a hyphen: ", Implantat-Beratung,", "- Dach-Sanierung"."""
    endings = _alternation(_cue_words("need_compounds"))
    return re.compile(rf"(?:^|(?<=[–—,:;•|])|(?<=\s-))[ \t]*(?P<need>[A-ZÄÖÜ][a-zäöüß]{{2,30}}"
                      rf"(?:{endings}|-(?i:{endings})))"
                      rf"(?=[ \t]*(?:[,.;:!–—|]|$))", re.MULTILINE)


def compound_needs(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """The compound needs standing alone in ``text[start:end]`` with their offsets."""
    return [(m["need"], m.start("need")) for m in _compound_need_re().finditer(text, start, end)]
