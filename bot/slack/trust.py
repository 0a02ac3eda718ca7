"""How much to trust each field of a stored lead, and what a rep can check before calling (pure).

Everything here reads the lead's stored ``provenance`` (one ``FieldValue.provenance()`` per field):

* `mark`: *verified* (a phone or email that passed verification: it has a normalised form and no failure
  flag; a postal code and region that agree), *unverified* (it failed, a postal code outside the region
  named, or a phone or email that was never checked), *low confidence* (the reader was unsure: confidence
  under `LOW_CONFIDENCE`, or a flag such as a name conflict); fields that cannot be verified and were read
  with confidence get no mark;
* `address_check`: whether the postal code lies in the region named, where the country is known (the
  country field, else the phone's country), from Google's address data shipped offline (parsers.postal);
* `phone_facts`: the number in international format, the region it belongs to and the lead's local time,
  from phonenumbers' offline ``geocoder`` and ``timezone`` data (no network);
* `email_kind`: a disposable or a role address (info@, sales@ …), which a rep should not treat as a person;
* `learned`: the reasons the learned component added ("AutoMarket leads close 80% here …") and whether
  they matter enough for the card (they move the score by `LEARNED_VISIBLE` points or change the grade).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.slack import phones
from nlp.lexicon import disposable_domains
from parsers.postal import PostalCheck, check_postal
from store.records import LeadRecord

#: a reader's confidence below this is shown as "low confidence"
LOW_CONFIDENCE = 0.6
#: learned points that move the score at least this much reach the card even outside the top reasons
LEARNED_VISIBLE = 5
#: fields verification can prove (the others are only ever read with more or less confidence)
VERIFIABLE = ("email", "phone")
#: the provenance key of the other side's organisations by role ({"dealer": "Valley Toyota"}): whom the
#: lead is for when the vendor credited is a portal (an ADF provider), kept beside the fields
OTHER_SIDE = "other_side"
#: fields the postal check speaks for (`address_check`)
ADDRESS_CHECKED = ("postal_code", "region")

VERIFIED = "verified"
UNVERIFIED = "unverified"
LOW = "low confidence"

#: local parts that name a function, not a person (RFC 2142 mailbox names and common team inboxes)
ROLE_LOCAL_PARTS = frozenset({
    "abuse", "accounts", "admin", "administrator", "billing", "booking", "bookings", "contact", "enquiries",
    "enquiry", "hello", "help", "hostmaster", "hr", "info", "inquiries", "inquiry", "jobs", "marketing",
    "mail", "noc", "noreply", "no-reply", "office", "orders", "postmaster", "press", "privacy", "reception",
    "sales", "security", "service", "support", "team", "webmaster",
})

_LEARNED = re.compile(r"^\s*([+-]\d+) .* close \d+% here \(\d+ of \d+\)$")
_POINTS = re.compile(r"^\s*([+-]?\d+)")


def provenance_of(lead: LeadRecord, name: str) -> dict[str, Any]:
    found = lead.provenance.get(name)
    return found if isinstance(found, dict) else {}


def _flags(info: dict[str, Any]) -> list[str]:
    flags = info.get("flags")
    return [str(f) for f in flags] if isinstance(flags, list) else []


def _failed(flags: list[str]) -> bool:
    return any(f.startswith("invalid_") for f in flags)


def _doubtful(flags: list[str]) -> bool:
    # an extension kept beside a phone number is information, not doubt
    return any(not f.startswith(("invalid_", "extension")) for f in flags)


def confidence(info: dict[str, Any]) -> float:
    value = info.get("confidence", 1.0)
    return float(value) if isinstance(value, int | float) else 1.0


def mark(lead: LeadRecord, name: str) -> str | None:
    """The trust mark of one field (module docstring), None for a confident unverifiable field."""
    if not lead.value(name):
        return None
    info = provenance_of(lead, name)
    if not info:  # a lead stored without provenance (an old row): nothing to say
        return None
    flags = _flags(info)
    if _failed(flags):
        return UNVERIFIED
    if name in ADDRESS_CHECKED and (check := address_check(lead)) is not None:
        return VERIFIED if check.matches else UNVERIFIED
    if confidence(info) < LOW_CONFIDENCE or _doubtful(flags):
        return LOW
    if name in VERIFIABLE:
        return VERIFIED if info.get("normalized") else UNVERIFIED
    return None


def stored_other_side(lead: LeadRecord) -> dict[str, str]:
    """The other side's organisations stored with the lead (`OTHER_SIDE`); empty for none or an old row."""
    side = lead.provenance.get(OTHER_SIDE)
    return {str(k): str(v) for k, v in side.items()} if isinstance(side, dict) else {}


def address_check(lead: LeadRecord) -> PostalCheck | None:
    """Whether the lead's postal code lies in its region (parsers.postal), None when that cannot be told.

    The country is the lead's country field, else the country of its verified phone number.
    """
    country = lead.value("country") or _phone_country(lead)
    return check_postal(country, lead.value("region"), lead.value("postal_code"))


def _phone_country(lead: LeadRecord) -> str | None:
    info = provenance_of(lead, "phone")
    text = info.get("normalized")
    if not text or _failed(_flags(info)):
        return None
    return _country_of(str(text))


# Issue 11: a card asked phonenumbers the same questions about the same number several times (the postal check
# of each address field, the phone line), and re-rendering a card (an update, the owner's DM) asked them again.
# The facts of a number are now worked out where the lead is read (a reading process, bot.slack.phones) and
# remembered here: the service neither parses the number again nor loads the geocoder (~100 MB).


def _country_of(text: str) -> str | None:
    return phones.known(text).country


def _number_facts(text: str, default_region: str | None) -> tuple[str, str | None, tuple[str, ...]] | None:
    """A valid number's international form, the region it belongs to and its time zones; None otherwise."""
    facts = phones.known(text, default_region)
    if facts.international is None:
        return None
    return facts.international, facts.region, facts.zones


@dataclass(frozen=True, slots=True)
class PhoneFacts:
    """What the number itself says: the international form, where it is, and the time there now."""

    international: str
    region: str | None
    zone: str | None
    local_time: datetime | None


def phone_facts(lead: LeadRecord, now: datetime, *, default_region: str | None = None) -> PhoneFacts | None:
    """The lead's phone read with phonenumbers (offline data only); None without a valid number.

    The stored normalised form (E.164) is read first; the number as written only with ``default_region``.
    Several time zones for one number (a country that spans them) give a local time only if they agree now.
    """
    info = provenance_of(lead, "phone")
    text = phones.phone_text(info.get("normalized"), lead.value("phone"), _flags(info))
    if text is None:
        return None
    facts = _number_facts(text, default_region)
    if facts is None:
        return None
    international, region, zones = facts
    times: dict[str, datetime] = {}
    for zone in zones:
        try:
            times[zone] = now.astimezone(ZoneInfo(zone))
        except ZoneInfoNotFoundError:
            continue
    offsets = {t.utcoffset() for t in times.values()}
    if len(offsets) != 1:
        return PhoneFacts(international, region, None, None)
    zone, local = next(iter(times.items()))
    return PhoneFacts(international, region, zone, local)


def local_time_text(facts: PhoneFacts) -> str | None:
    """"14:05 Mon there (Europe/Berlin, UTC+01:00)", or None when the number spans time zones."""
    local = facts.local_time
    if local is None or facts.zone is None:
        return None
    offset = _utc_offset(local)
    utc = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    return f"{local.hour:02d}:{local.minute:02d} {_WEEKDAYS[local.weekday()]} there ({facts.zone}, {utc})"


#: ``%a`` in the C locale (the service never sets another): a card's day names are English whatever the host's
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _utc_offset(moment: datetime) -> str:
    """``moment.strftime("%z")`` ("+0100", "-0330", "" when naive) without strftime (issue 11: two strftime calls
    were ~20 µs of every card)."""
    offset = moment.utcoffset()
    if offset is None:
        return ""
    if offset.microseconds:
        return moment.strftime("%z")
    seconds = int(offset.total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{seconds:02d}" if seconds else "")


def email_kind(lead: LeadRecord) -> str | None:
    """"disposable address" or "role address" (info@, sales@ …) for the lead's email, else None."""
    email = (lead.value("email") or "").strip().casefold()
    local, at, domain = email.rpartition("@")
    if not at:
        return None
    if domain in disposable_domains():
        return "disposable address"
    if local.split("+")[0] in ROLE_LOCAL_PARTS:
        return "role address"
    return None


@dataclass(frozen=True, slots=True)
class Learned:
    """The learned reasons of a lead and what they did to it."""

    reasons: tuple[str, ...]
    points: int
    #: the grade the other reasons alone would give
    grade_without: str
    changed_grade: bool

    @property
    def visible(self) -> bool:
        """Whether the card shows them: they moved the score visibly or changed the grade."""
        return bool(self.reasons) and (abs(self.points) >= LEARNED_VISIBLE or self.changed_grade)


def learned(lead: LeadRecord, *, grade_a: int, grade_b: int) -> Learned:
    """The learned reasons in ``lead.reasons`` and whether the grade would differ without them."""
    found = [(int(m.group(1)), r) for r in lead.reasons if (m := _LEARNED.match(r))]
    points = sum(p for p, _ in found)
    total = sum(int(m.group(1)) for r in lead.reasons if (m := _POINTS.match(r)))

    def grade(score: int) -> str:
        score = max(0, min(100, score))
        return "A" if score >= grade_a else "B" if score >= grade_b else "C"

    without = grade(total - points)
    return Learned(tuple(r for _, r in found), points, without, bool(found) and grade(total) != without)
