"""Scoring policy: a pure function from an extracted lead to points, grade and readable reasons.

Every point comes with a reason a rep can read on the card ("+20 phone number verified"); the reasons
add up to the score (before it is clamped to 0–100). The rules and their points live in `[scoring]`:

* completeness and verification: email (and a business rather than free-mail domain), a valid phone,
  name, company, address;
* intent: says what they want, asks for a quote/demo/test drive/showing, states a budget, a timeline
  (more for a near one);
* source: the configured vendor weight, and what outcomes taught us (`bot.assess.learning`);
* recency: scored soon after it arrived;
* penalties: invalid or disposable email (a disposable one beside a valid phone earns nothing, costs nothing),
  invalid phone, test entries and keyboard mashes, a vendor's placeholder values, obvious spam, and no way
  to reach them at all.

Routing (which channel) is `bot.assess.routing`; `route` here is the grade-only default it falls back to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.assess.learning import LearnedRates, learned_points
from bot.assess.signals import (
    email_domain,
    gibberish_name,
    has_flag,
    intent_phrase,
    looks_like_test,
    placeholder_name,
    signals_of,
    spam_phrase,
)
from bot.settings import ScoringSettings, SlackChannels
from parsers.lead import ExtractedLead


@dataclass(frozen=True, slots=True)
class ScoredLead:
    lead: ExtractedLead
    vendor: str | None
    score: int
    grade: str
    reasons: tuple[str, ...]
    #: an email or phone that failed verification (counted per vendor in stats and the ledger)
    invalid: bool = False


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

    phone_ok = bool(lead.value("phone")) and not has_flag(lead, "phone", "invalid_phone")
    if lead.value("email"):
        domain = email_domain(lead)
        if has_flag(lead, "email", "invalid_email"):
            add(penalties.get("invalid_email"), "email address is not valid")
        elif signals.disposable_email and phone_ok:
            # A throwaway address beside a valid phone: someone who will take a call, not mail (issue 14).
            # Scored as a lead that gave only its phone; the zero-point reason says why in `/leads show`.
            parts.append((0, f"disposable email domain ({domain}) not counted: reach them by phone"))
        elif signals.disposable_email:
            add(penalties.get("disposable_email"), f"disposable email domain ({domain})")
        else:
            add(points.get("email"), "email address")
            if signals.business_email:
                add(points.get("business_email"), f"business email ({domain})")
    if lead.value("phone"):
        if has_flag(lead, "phone", "invalid_phone"):
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
    asks = intent_phrase(lead, rules)
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
    test = looks_like_test(lead)
    if test:
        add(penalties.get("test_lead"), test)
    else:
        mash = gibberish_name(lead)
        if mash:
            add(penalties.get("gibberish_name"), mash)
    placeholder = placeholder_name(lead, rules)
    if placeholder:
        add(penalties.get("placeholder"), placeholder)
    spam = spam_phrase(lead, rules)
    if spam:
        add(penalties.get("spam"), spam)

    score = max(0, min(100, sum(amount for amount, _ in parts)))
    grade = grade_for(score, rules)
    # Biggest effects first: the card shows the top few.
    ordered = sorted(parts, key=lambda p: -abs(p[0]))
    reasons = tuple(f"{amount:+d} {reason}" for amount, reason in ordered)
    invalid = has_flag(lead, "email", "invalid_email") or has_flag(lead, "phone", "invalid_phone")
    return ScoredLead(lead=lead, vendor=vendor, score=score, grade=grade, reasons=reasons, invalid=invalid)


def grade_for(score: int, rules: ScoringSettings) -> str:
    return "A" if score >= rules.grade_a else "B" if score >= rules.grade_b else "C"


def route(grade: str, channels: SlackChannels) -> str | None:
    """Where a lead's card goes: A to sales now, B to nurturing, C nowhere (kept, never pings reps)."""
    if grade == "A":
        return channels.sales
    if grade == "B":
        return channels.nurture or channels.sales
    return None
