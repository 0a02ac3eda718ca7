"""Scoring and routing policy: pure functions from an extracted lead to points, grade and channel.

Every point comes with a reason a rep can read on the card ("+20 phone number verified").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.settings import ScoringSettings, SlackChannels
from parsers.lead import ExtractedLead

#: words that mark a form filled in by a tester, not a prospect
_TEST_WORDS = frozenset({"test", "testing", "tester", "asdf", "qwerty", "dummy", "sample", "foo", "bar", "xxx"})
_TEST_DOMAINS = frozenset({"example.com", "example.org", "example.net", "test.com", "mailinator.com"})
_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True, slots=True)
class ScoredLead:
    lead: ExtractedLead
    vendor: str | None
    score: int
    grade: str
    reasons: tuple[str, ...]


def _has_flag(lead: ExtractedLead, field: str, flag: str) -> bool:
    found = lead.fields.get(field)
    return found is not None and flag in found.flags


def _looks_like_test(lead: ExtractedLead) -> str | None:
    name = (lead.display_name or "").lower()
    if name and set(_WORD.findall(name)) & _TEST_WORDS:
        return f"name {name!r} looks like a test entry"
    email = (lead.value("email") or "").lower()
    local, _, domain = email.partition("@")
    if domain in _TEST_DOMAINS or (local and set(_WORD.findall(local)) & _TEST_WORDS):
        return f"email {email!r} looks like a test entry"
    return None


def score_lead(lead: ExtractedLead, vendor: str | None, rules: ScoringSettings) -> ScoredLead:
    """Add up the configured points for what the lead gives us, and grade the total."""
    points = rules.points
    penalties = rules.penalties
    parts: list[tuple[int, str]] = []

    def add(amount: int | None, reason: str) -> None:
        if amount:
            parts.append((amount, reason))

    if lead.value("email"):
        if _has_flag(lead, "email", "invalid_email"):
            add(penalties.get("invalid_email"), "email address is not valid")
        else:
            add(points.get("email"), "email address")
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
    if lead.value("budget"):
        add(points.get("budget"), "budget stated")
    if lead.value("timeline"):
        add(points.get("timeline"), "timeline stated")
    if vendor and vendor in rules.vendor_weights:
        add(rules.vendor_weights[vendor], f"source {vendor}")
    if not (lead.value("email") or lead.value("phone")):
        add(penalties.get("no_contact"), "no way to reach them (no email, no phone)")
    test = _looks_like_test(lead)
    if test:
        add(penalties.get("test_lead"), test)

    score = max(0, min(100, sum(amount for amount, _ in parts)))
    grade = "A" if score >= rules.grade_a else "B" if score >= rules.grade_b else "C"
    # Biggest effects first: the card shows the top few.
    ordered = sorted(parts, key=lambda p: -abs(p[0]))
    reasons = tuple(f"{amount:+d} {reason}" for amount, reason in ordered)
    return ScoredLead(lead=lead, vendor=vendor, score=score, grade=grade, reasons=reasons)


def route(grade: str, channels: SlackChannels) -> str | None:
    """Where a lead's card goes: A to sales now, B to nurturing, C nowhere (kept, never pings reps)."""
    if grade == "A":
        return channels.sales
    if grade == "B":
        return channels.nurture or channels.sales
    return None
