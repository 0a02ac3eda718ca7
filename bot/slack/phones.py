"""What a phone number itself says (its country, international form, region and time zones), computed where the
lead is read and remembered where its card is drawn (issue 11).

A reading process (bot.intake.reader) works out the facts of each lead's number once, with phonenumbers'
offline data, and hands them back with the extraction; the service keeps the last `REMEMBERED` of them, so a
card drawn soon after asks phonenumbers nothing and the service never loads the ``geocoder`` data (~100 MB in
memory, half a second to import). A number not remembered (a lead read before a restart, by an import, by a
reader in this process) is worked out here by the same function, with the same result.

Pure and synchronous; imports nothing of ours, so a reading process can import it cheaply.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import phonenumbers
from cachetools import LRUCache
from phonenumbers import timezone as phone_timezone

from parsers.lead import ExtractedLead

#: numbers whose facts the service keeps (the cards of the last few thousand leads)
REMEMBERED = 4096
_UNKNOWN_ZONE = "Etc/Unknown"


@dataclass(frozen=True, slots=True)
class NumberFacts:
    """A number read without a default region (as the stored normalised form, E.164, is read)."""

    #: the ISO country of the number, None when it does not parse
    country: str | None
    #: the international form, for a valid number only
    international: str | None = None
    #: where it is ("Boston, MA"), from phonenumbers' geocoder; None when the data has no place for it
    region: str | None = None
    #: its time zones (IANA names)
    zones: tuple[str, ...] = ()

    @property
    def valid(self) -> bool:
        return self.international is not None


def number_facts(text: str, default_region: str | None = None) -> NumberFacts:
    """The facts of ``text``, read with ``default_region`` unless it starts with "+" (phonenumbers' offline data)."""
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else default_region)
    except phonenumbers.NumberParseException:
        return NumberFacts(None)
    country = phonenumbers.region_code_for_number(number)
    # is_valid_number, description_for_number and time_zones_for_number, composed from the public calls they are
    # made of so the number's region and type are each worked out once less (~20 us a number)
    if country is None or not phonenumbers.is_valid_number_for_region(number, country):
        return NumberFacts(country)
    # Imported on first use: its data is ~100 MB in memory (a reading process has it, the service should not).
    from phonenumbers import geocoder

    kind = phonenumbers.number_type(number)
    if kind == phonenumbers.PhoneNumberType.UNKNOWN:
        region, zones = "", phone_timezone.time_zones_for_number(number)
    elif phonenumbers.is_number_type_geographical(kind, number.country_code or 0):
        region = geocoder.description_for_valid_number(number, "en")
        zones = phone_timezone.time_zones_for_geographical_number(number)
    else:
        region, zones = geocoder.country_name_for_number(number, "en"), phone_timezone.time_zones_for_number(number)
    return NumberFacts(
        country,
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        region or None,
        tuple(z for z in zones if z != _UNKNOWN_ZONE),
    )


def phone_text(normalized: object, value: object, flags: Iterable[str]) -> str | None:
    """The text a card reads a phone from: its normalised form, else as written; None when it failed
    verification or is empty. (The one rule for a stored lead and a lead just read.)"""
    if any(str(f).startswith("invalid_") for f in flags):
        return None
    text = normalized or value
    return str(text) if text else None


def facts_of_leads(leads: Iterable[ExtractedLead]) -> dict[str, NumberFacts]:
    """The facts of every lead's phone, by the text the card will read it from (in a reading process)."""
    out: dict[str, NumberFacts] = {}
    for lead in leads:
        phone = lead.fields.get("phone")
        if phone is None:
            continue
        text = phone_text(phone.normalized, phone.value, phone.flags)
        if text is not None and text not in out:
            out[text] = number_facts(text)
    return out


#: by (text, the region it is read in: None when none applies — no default region, or an international form)
_remembered: LRUCache[tuple[str, str | None], NumberFacts] = LRUCache(maxsize=REMEMBERED)


def remember(facts: Mapping[str, NumberFacts]) -> None:
    """Keep facts worked out elsewhere (a reading process) for the cards to come (the event loop's thread)."""
    for text, found in facts.items():
        _remembered[(text, None)] = found


def known(text: str, default_region: str | None = None) -> NumberFacts:
    """The facts of ``text`` read in ``default_region``: remembered, else worked out (and remembered)."""
    key = (text, None if default_region is None or text.startswith("+") else default_region)
    found = _remembered.get(key)
    if found is None:
        found = number_facts(text, key[1])
        _remembered[key] = found
    return found
