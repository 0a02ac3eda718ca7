"""Scoring policy: a pure function from an extracted lead to points, grade and readable reasons.

Every point comes with a reason a rep can read on the card ("+20 phone number verified"); the reasons
add up to the score (before it is clamped to 0–100). The rules and their points live in `[scoring]`:

* completeness and verification: email (and a business rather than free-mail domain), a valid phone,
  name, company, address;
* intent: says what they want, asks for a quote/demo/test drive/showing, states a budget, a timeline
  (more for a near one);
* source: the configured vendor weight, and what outcomes taught us (`bot.learning`);
* recency: scored soon after it arrived;
* penalties: invalid or disposable email, invalid phone, test entries and keyboard mashes, a vendor's
  placeholder values, obvious spam, and no way to reach them at all.

Routing (which channel) is `bot.routing`; `route` here is the grade-only default it falls back to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.learning import LearnedRates, learned_points
from bot.settings import ScoringSettings, SlackChannels
from nlp.lexicon import disposable_domains, free_mail_domains
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
class ScoredLead:
    lead: ExtractedLead
    vendor: str | None
    score: int
    grade: str
    reasons: tuple[str, ...]


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


def _has_flag(lead: ExtractedLead, field: str, flag: str) -> bool:
    found = lead.fields.get(field)
    return found is not None and flag in found.flags


def _email_domain(lead: ExtractedLead) -> str:
    found = lead.fields.get("email")
    if found is None:
        return ""
    address = (found.normalized or found.value).strip().lower()
    return address.rpartition("@")[2].rstrip(".")


def _looks_like_test(lead: ExtractedLead) -> str | None:
    name = (lead.display_name or "").lower()
    if name and set(_WORD.findall(name)) & _TEST_WORDS:
        return f"name {name!r} looks like a test entry"
    email = (lead.value("email") or "").lower()
    local, _, domain = email.partition("@")
    if domain in _TEST_DOMAINS or (local and set(_WORD.findall(local)) & _TEST_WORDS):
        return f"email {email!r} looks like a test entry"
    return None


def is_gibberish(word: str) -> bool:
    """A keyboard mash or non-word: "asdfgh", "jkjkjk", "xzqwv", "aaaa" (names are never like this)."""
    w = word.casefold()
    if len(w) < 4:
        return False
    if len(set(w)) <= 2:  # "aaaa", "jkjkjk"
        return True
    if any(w in row or w[::-1] in row for row in _KEY_ROWS if len(w) >= 4):  # "asdf", "poiuy"
        return True
    vowels = sum(ch in _VOWELS for ch in w)
    if vowels == 0 and len(w) >= 5:
        return True
    # 5+ consonants in a row almost never occur in a name ("Schwartz" has 4)
    return re.search(r"[^aeiouyäöüáéíóúàèìòùâêîôûåæø\W\d]{6,}", w) is not None


def _gibberish_name(lead: ExtractedLead) -> str | None:
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


def _placeholder(lead: ExtractedLead, rules: ScoringSettings) -> str | None:
    values = {v.casefold() for v in rules.placeholder_values}
    digit_values = {d for v in rules.placeholder_values if len(d := _DIGITS.sub("", v)) >= 7}
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


def _spam(lead: ExtractedLead, rules: ScoringSettings) -> str | None:
    text = " ".join(filter(None, (lead.value("message"), lead.value("interest"), lead.value("company")))).casefold()
    if not text:
        return None
    for phrase in rules.spam_phrases:
        if _contains(text, phrase):
            return f"message reads like spam ({phrase!r})"
    links = len(_LINK.findall(text))
    if links >= rules.spam_links:
        return f"message carries {links} links"
    return None


def _contains(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase.casefold())}(?!\w)", text) is not None


def _intent(lead: ExtractedLead, rules: ScoringSettings) -> str | None:
    text = " ".join(filter(None, (lead.value("message"), lead.value("interest")))).casefold()
    for phrase in rules.intent_phrases:
        if _contains(text, phrase):
            return phrase
    return None


def signals_of(lead: ExtractedLead, rules: ScoringSettings) -> Signals:
    domain = _email_domain(lead)
    valid_email = bool(lead.value("email")) and not _has_flag(lead, "email", "invalid_email")
    disposable = valid_email and domain in disposable_domains()
    free = valid_email and not disposable and domain in free_mail_domains()
    timeline = (lead.value("timeline") or "").casefold()
    return Signals(
        business_email=valid_email and not (disposable or free or domain in _TEST_DOMAINS),
        free_mail=free,
        disposable_email=disposable,
        valid_phone=bool(lead.value("phone")) and not _has_flag(lead, "phone", "invalid_phone"),
        intent=_intent(lead, rules) is not None,
        budget=bool(lead.value("budget")),
        near_timeline=bool(timeline) and any(_contains(timeline, p) for p in rules.near_timeline_phrases),
        company=bool(lead.value("company")),
    )


def score_lead(
    lead: ExtractedLead,
    vendor: str | None,
    rules: ScoringSettings,
    *,
    learned: LearnedRates | None = None,
    received_at: datetime | None = None,
    now: datetime | None = None,
) -> ScoredLead:
    """Add up the configured points for what the lead gives us, and grade the total.

    ``learned`` (win rates from outcomes) adds the learned component; ``received_at`` and ``now`` the
    recency points. Pure: the same arguments always give the same result.
    """
    points = rules.points
    penalties = rules.penalties
    parts: list[tuple[int, str]] = []
    signals = signals_of(lead, rules)

    def add(amount: int | None, reason: str) -> None:
        if amount:
            parts.append((amount, reason))

    if lead.value("email"):
        domain = _email_domain(lead)
        if _has_flag(lead, "email", "invalid_email"):
            add(penalties.get("invalid_email"), "email address is not valid")
        elif signals.disposable_email:
            add(penalties.get("disposable_email"), f"disposable email domain ({domain})")
        else:
            add(points.get("email"), "email address")
            if signals.business_email:
                add(points.get("business_email"), f"business email ({domain})")
    if lead.value("phone"):
        if _has_flag(lead, "phone", "invalid_phone"):
            add(penalties.get("invalid_phone"), "phone number is not valid")
        else:
            add(points.get("phone"), "phone number verified")
    if lead.display_name:
        add(points.get("name"), "name given")
    if lead.value("company"):
        add(points.get("company"), "company named")
    if lead.value("street") or lead.value("postal_code"):
        add(points.get("address"), "address given")
    if lead.value("interest"):
        add(points.get("interest"), "says what they want")
    if lead.value("message"):
        add(points.get("message"), "wrote a message")
    asks = _intent(lead, rules)
    if asks:
        add(points.get("intent"), f"asks for the next step ({asks!r})")
    if lead.value("budget"):
        add(points.get("budget"), "budget stated")
    if lead.value("timeline"):
        add(points.get("timeline"), "timeline stated")
        if signals.near_timeline:
            add(points.get("near_timeline"), f"wants it soon ({lead.value('timeline')!r})")
    if vendor and vendor in rules.vendor_weights:
        add(rules.vendor_weights[vendor], f"source {vendor}")
    if received_at is not None and now is not None and now - received_at <= timedelta(minutes=rules.recent_minutes):
        add(points.get("recent"), f"fresh (arrived within {rules.recent_minutes} min)")
    if learned is not None:
        for amount, reason in learned_points(learned, vendor, signals.features(), rules.learning):
            add(amount, reason)
    if not (lead.value("email") or lead.value("phone")):
        add(penalties.get("no_contact"), "no way to reach them (no email, no phone)")
    test = _looks_like_test(lead)
    if test:
        add(penalties.get("test_lead"), test)
    else:
        mash = _gibberish_name(lead)
        if mash:
            add(penalties.get("gibberish_name"), mash)
    placeholder = _placeholder(lead, rules)
    if placeholder:
        add(penalties.get("placeholder"), placeholder)
    spam = _spam(lead, rules)
    if spam:
        add(penalties.get("spam"), spam)

    score = max(0, min(100, sum(amount for amount, _ in parts)))
    grade = grade_for(score, rules)
    # Biggest effects first: the card shows the top few.
    ordered = sorted(parts, key=lambda p: -abs(p[0]))
    reasons = tuple(f"{amount:+d} {reason}" for amount, reason in ordered)
    return ScoredLead(lead=lead, vendor=vendor, score=score, grade=grade, reasons=reasons)


def grade_for(score: int, rules: ScoringSettings) -> str:
    return "A" if score >= rules.grade_a else "B" if score >= rules.grade_b else "C"


def route(grade: str, channels: SlackChannels) -> str | None:
    """Where a lead's card goes: A to sales now, B to nurturing, C nowhere (kept, never pings reps)."""
    if grade == "A":
        return channels.sales
    if grade == "B":
        return channels.nurture or channels.sales
    return None
