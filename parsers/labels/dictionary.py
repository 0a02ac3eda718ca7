"""The label dictionaries: one TOML file per language beside this module, loaded once and validated.

Each file maps slots to the labels that name them (see ``en.toml`` for the layout). Files load in
``LANGUAGES`` order; a label two languages spell alike keeps the first file's meaning ("data" is a date
in Portuguese and Italian alike). A label given two slots within one file, an unknown slot or heading
kind, or a label that normalises to nothing is an error naming the file: a broken dictionary stops the
import, not the first lead.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from parsers.errors import StartupError

LANGUAGES: tuple[str, ...] = ("en", "de", "es", "pt", "fr", "it", "nl")
DATA_DIR = Path(__file__).resolve().parent

#: the slots a label may name: public fields, the helper slots ``fields.Collector`` composes, and "skip"
SLOTS: frozenset[str] = frozenset({
    "full_name", "first_name", "last_name", "middle_name", "name_particle", "email", "phone", "company",
    "street", "street2", "house_number", "address", "city", "region", "postal_code", "postal_city",
    "city_region_postal", "country", "interest", "year", "make", "model", "trim", "vin", "stock", "listing_id",
    "price", "property_type", "budget", "budget_min", "budget_max", "timeline", "message", "skip",
})
HEADING_KINDS: tuple[str, ...] = ("trade", "not_lead", "lead", "listing", "neutral")
_TABLES = frozenset({"language", "labels", "secondary", "questions", "headings", "words"})
_WORDS = frozenset({"role_prefixes", "from", "subject", "notice", "tenure", "surname_first"})
#: ranks: lower wins when several labels fill one slot
_RANK = 20
_RANKS = {"address": 25}
_SECONDARY_RANK = 40
_QUESTION_RANKS = {"budget": 30, "timeline": 30}
_QUESTION_RANK = 45

_NON_ALNUM = re.compile(r"[^\w]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


class LabelDataError(StartupError, ValueError):
    """A label dictionary file is malformed (the message names the file and the entry)."""


@lru_cache(maxsize=8192)
def norm_label(label: str) -> str:
    """Casefolded words of a label without accents and punctuation: "Teléfono*:" → "telefono"."""
    text = label.strip()
    if not any(ch.isspace() for ch in text):
        text = _CAMEL.sub(" ", text)  # a key such as "ContactEmail"
    text = text.casefold().replace("#", " number ").replace("n°", " number ")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(_NON_ALNUM.sub(" ", text).replace("_", " ").split())


@dataclass(frozen=True, slots=True)
class LabelDictionary:
    """Every language's labels merged: what the readers look labels up in."""

    #: normalised label → (slot, rank)
    labels: dict[str, tuple[str, int]]
    #: (keywords, (slot, rank)) for long labels that are form questions, in file order
    questions: tuple[tuple[tuple[str, ...], tuple[str, int]], ...]
    #: heading kind → normalised headings
    headings: dict[str, tuple[str, ...]]
    role_prefixes: frozenset[str]
    from_labels: frozenset[str]
    subject_labels: frozenset[str]
    #: words of a notification's own wording in a subject ("New quote request: …", "Neue Anfrage: …")
    notice_words: frozenset[str]
    #: answers to "do you own or rent?" ("Own - Single Family", "Eigentümer"): about the lead, never an interest
    tenure_words: frozenset[str]
    #: full-name labels that ask for the surname first ("Cognome e nome", "Nachname, Vorname")
    surname_first: frozenset[str]
    #: single-word labels as written (with accents), for splitting labels run into values
    surface_words: tuple[str, ...]
    #: the language each normalised label was first defined in
    language_of: dict[str, str]


def _strings(path: Path, where: str, value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LabelDataError(f"{path.name}: {where} must be a list of strings")
    out = []
    for v in value:
        if not norm_label(v):
            raise LabelDataError(f"{path.name}: {where}: label {v!r} has no letters or digits")
        out.append(v)
    return out


def _read_file(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise LabelDataError(f"{path.name}: {exc}") from exc
    unknown = set(data) - _TABLES
    if unknown:
        raise LabelDataError(f"{path.name}: unknown table(s) {sorted(unknown)}")
    if data.get("language") != path.stem:
        raise LabelDataError(f"{path.name}: language must be {path.stem!r}")
    for table in ("labels", "secondary", "questions"):
        for slot in data.get(table, {}):
            if slot not in SLOTS:
                raise LabelDataError(f"{path.name}: [{table}] unknown slot {slot!r}")
    for kind in data.get("headings", {}):
        if kind not in HEADING_KINDS:
            raise LabelDataError(f"{path.name}: [headings] unknown kind {kind!r}")
    for key in data.get("words", {}):
        if key not in _WORDS:
            raise LabelDataError(f"{path.name}: [words] unknown list {key!r}")
    return data


def load_dictionary(directory: Path = DATA_DIR, languages: tuple[str, ...] = LANGUAGES) -> LabelDictionary:
    """Read and validate the language files in ``directory``; raises ``LabelDataError``."""
    labels: dict[str, tuple[str, int]] = {}
    language_of: dict[str, str] = {}
    questions: list[tuple[tuple[str, ...], tuple[str, int]]] = []
    headings: dict[str, list[str]] = {k: [] for k in HEADING_KINDS}
    words: dict[str, set[str]] = {k: set() for k in _WORDS}
    surface: dict[str, None] = {}
    for lang in languages:
        path = directory / f"{lang}.toml"
        data = _read_file(path)
        own: dict[str, str] = {}
        for table in ("labels", "secondary"):
            for slot, items in data.get(table, {}).items():
                rank = _RANKS.get(slot, _RANK) if table == "labels" else _SECONDARY_RANK
                for label in _strings(path, f"[{table}] {slot}", items):
                    key = norm_label(label)
                    if own.get(key, slot) != slot:
                        raise LabelDataError(f"{path.name}: label {label!r} names both {own[key]!r} and {slot!r}")
                    own[key] = slot
                    if key not in labels:
                        labels[key] = (slot, rank)
                        language_of[key] = lang
                    if slot != "skip" and " " not in label.strip() and len(label) >= 3 and label.isalpha():
                        surface[label.strip()] = None
        for slot, items in data.get("questions", {}).items():
            needles = tuple(norm_label(x) for x in _strings(path, f"[questions] {slot}", items))
            questions.append((needles, (slot, _QUESTION_RANKS.get(slot, _QUESTION_RANK))))
        for kind, items in data.get("headings", {}).items():
            headings[kind].extend(norm_label(x) for x in _strings(path, f"[headings] {kind}", items))
        for key, items in data.get("words", {}).items():
            words[key].update(norm_label(x) for x in _strings(path, f"[words] {key}", items))
    return LabelDictionary(
        labels=labels,
        questions=tuple(questions),
        headings={k: tuple(dict.fromkeys(v)) for k, v in headings.items()},
        role_prefixes=frozenset(words["role_prefixes"]),
        from_labels=frozenset(words["from"]),
        subject_labels=frozenset(words["subject"]),
        notice_words=frozenset(w for phrase in words["notice"] for w in phrase.split()),
        tenure_words=frozenset(words["tenure"]),
        surname_first=frozenset(words["surname_first"]),
        surface_words=tuple(surface),
        language_of=language_of,
    )


#: the dictionary every reader uses, loaded once at import
DICTIONARY: LabelDictionary = load_dictionary()
