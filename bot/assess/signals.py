"""What the screening rules see in a lead (pure): test entries, keyboard mashes, placeholders, spam, intent.

Scoring turns these signals into points; learning keeps a win rate per feature. Both import this module,
neither imports the other's internals.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from bot.settings import ScoringSettings
from nlp.lexicon import disposable_domains, free_mail_domains, is_first_name
from parsers.lead import ExtractedLead

#: words that mark a form filled in by a tester, not a prospect
_TEST_WORDS = frozenset({"test", "testing", "tester", "asdf", "qwerty", "dummy", "sample", "foo", "bar", "xxx"})
_TEST_DOMAINS = frozenset({"example.com", "example.org", "example.net", "test.com", "mailinator.com"})
_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = frozenset("aeiouyäöüáéíóúàèìòùâêîôûåæø")
#: rows of the keyboards our prospects type on (QWERTY, QWERTZ, AZERTY)
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "qwertzuiop", "yxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn")
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
_DIGITS = re.compile(r"\D")


@dataclass(frozen=True, slots=True)
class Signals:
    """What the rules saw in a lead, for learning (which features close) and for tests."""

    business_email: bool = False
    free_mail: bool = False
    disposable_email: bool = False
    valid_phone: bool = False
    intent: bool = False
    budget: bool = False
    near_timeline: bool = False
    company: bool = False

    def features(self) -> frozenset[str]:
        """The key features learning keeps a win rate for."""
        names = ("business_email", "free_mail", "valid_phone", "intent", "budget", "near_timeline", "company")
        return frozenset(name for name in names if getattr(self, name))


def has_flag(lead: ExtractedLead, field: str, flag: str) -> bool:
    found = lead.fields.get(field)
    return found is not None and flag in found.flags


def email_domain(lead: ExtractedLead) -> str:
    found = lead.fields.get("email")
    if found is None:
        return ""
    address = (found.normalized or found.value).strip().lower()
    return address.rpartition("@")[2].rstrip(".")


def looks_like_test(lead: ExtractedLead) -> str | None:
    name = (lead.display_name or "").lower()
    if name and set(_WORD.findall(name)) & _TEST_WORDS:
        return f"name {name!r} looks like a test entry"
    email = (lead.value("email") or "").lower()
    local, _, domain = email.partition("@")
    if domain in _TEST_DOMAINS or (local and set(_WORD.findall(local)) & _TEST_WORDS):
        return f"email {email!r} looks like a test entry"
    return None


@functools.lru_cache(maxsize=8192)  # names repeat across leads; bounded, so a long import stays flat
def is_gibberish(word: str) -> bool:
    """A keyboard mash or non-word: "asdfgh", "jkjkjk", "xzqwv", "aaaa".

    Short real names look like mashes to a shape rule (Anna, Otto, Nana, Lili, Momo have two letters;
    Reza runs backwards along AZERTY's top row), so a known first name is never a mash, and the shape
    rules ask for more evidence the shorter the word.
    """
    w = word.casefold()
    if len(w) < 4 or is_first_name(w):
        return False
    distinct = len(set(w))
    if distinct == 1:  # "aaaa"
        return True
    if distinct == 2 and len(w) >= 6:  # "jkjkjk", "asasas"
        return True
    if len(w) >= 5 and any(w in row or w[::-1] in row for row in _KEY_ROWS):  # "asdfg", "poiuy"
        return True
    vowels = sum(ch in _VOWELS for ch in w)
    if vowels == 0 and len(w) >= 5:
        return True
    # 6+ consonants in a row almost never occur in a name ("Schwartz" has 4)
    return re.search(r"[^aeiouyäöüáéíóúàèìòùâêîôûåæø\W\d]{6,}", w) is not None


def gibberish_name(lead: ExtractedLead) -> str | None:
    name = lead.display_name
    if not name:
        return None
    words = _WORD.findall(name)
    if any(is_gibberish(w) for w in words):
        return f"name {name!r} looks like a keyboard mash"
    lowered = [w.casefold() for w in words]
    if len(lowered) >= 2 and len(set(lowered)) == 1:  # "Xyz Xyz", "Anna Anna"
        return f"name {name!r} repeats one word"
    return None


@functools.lru_cache(maxsize=64)
def _placeholders(placeholder_values: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The configured placeholders case-folded, and the digits of those that are phone numbers (built once)."""
    values = frozenset(v.casefold() for v in placeholder_values)
    digits = frozenset(d for v in placeholder_values if len(d := _DIGITS.sub("", v)) >= 7)
    return values, digits


def placeholder_name(lead: ExtractedLead, rules: ScoringSettings) -> str | None:
    values, digit_values = _placeholders(tuple(rules.placeholder_values))
    email = (lead.value("email") or "").strip().casefold()
    if email and email in values:
        return f"email {email!r} is a vendor placeholder"
    phone = lead.value("phone") or ""
    digits = _DIGITS.sub("", phone)
    national = digits[1:] if len(digits) == 11 and digits.startswith("1") else digits
    if national and (national in digit_values or (len(national) >= 7 and len(set(national)) == 1)):
        return f"phone {phone!r} is a vendor placeholder"
    for name in ("full_name", "company", "street"):
        value = (lead.value(name) or "").strip().casefold()
        if value and value in values:
            return f"{name.replace('_', ' ')} {value!r} is a vendor placeholder"
    return None


def spam_phrase(lead: ExtractedLead, rules: ScoringSettings) -> str | None:
    text = " ".join(filter(None, (lead.value("message"), lead.value("interest"), lead.value("company")))).casefold()
    if not text:
        return None
    phrase = _first_phrase(text, tuple(rules.spam_phrases))
    if phrase is not None:
        return f"message reads like spam ({phrase!r})"
    links = len(_LINK.findall(text))
    if links >= rules.spam_links:
        return f"message carries {links} links"
    return None


def _contains(text: str, phrase: str) -> bool:
    return _phrase_pattern(phrase).search(text) is not None


def _first_phrase(text: str, phrases: tuple[str, ...]) -> str | None:
    """The first of ``phrases`` (in their configured order) that ``text`` holds as whole words, or None.

    One search over all of them first: most texts hold none, and one alternation is far cheaper than a
    search per phrase (every lead of an import is checked against every phrase)."""
    if not text or not phrases or _any_phrase(phrases).search(text) is None:
        return None
    return next((phrase for phrase in phrases if _contains(text, phrase)), None)


@functools.lru_cache(maxsize=64)
def _any_phrase(phrases: tuple[str, ...]) -> re.Pattern[str]:
    alternation = "|".join(re.escape(p.casefold()) for p in sorted(phrases, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)")


@functools.lru_cache(maxsize=4096)
def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """The phrase as a whole-word pattern, compiled once (every lead is checked against every phrase)."""
    return re.compile(rf"(?<!\w){re.escape(phrase.casefold())}(?!\w)")


def intent_phrase(lead: ExtractedLead, rules: ScoringSettings) -> str | None:
    text = " ".join(filter(None, (lead.value("message"), lead.value("interest")))).casefold()
    return _first_phrase(text, tuple(rules.intent_phrases))


def signals_of(lead: ExtractedLead, rules: ScoringSettings) -> Signals:
    domain = email_domain(lead)
    valid_email = bool(lead.value("email")) and not has_flag(lead, "email", "invalid_email")
    disposable = valid_email and domain in disposable_domains()
    free = valid_email and not disposable and domain in free_mail_domains()
    timeline = (lead.value("timeline") or "").casefold()
    return Signals(
        business_email=valid_email and not (disposable or free or domain in _TEST_DOMAINS),
        free_mail=free,
        disposable_email=disposable,
        valid_phone=bool(lead.value("phone")) and not has_flag(lead, "phone", "invalid_phone"),
        intent=intent_phrase(lead, rules) is not None,
        budget=bool(lead.value("budget")),
        near_timeline=_first_phrase(timeline, tuple(rules.near_timeline_phrases)) is not None,
        company=bool(lead.value("company")),
    )
