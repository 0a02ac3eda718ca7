"""bot.slack.phones.number_facts works a number's facts out of phonenumbers' parts once each: the facts must be
those phonenumbers' whole calls (is_valid_number, description_for_number, time_zones_for_number) give."""

from __future__ import annotations

import phonenumbers
import pytest
from phonenumbers import geocoder
from phonenumbers import timezone as phone_timezone

from bot.slack.phones import NumberFacts, number_facts

#: geographical fixed lines and mobiles, numbers of several regions under one country code (+1, +44, +7), a
#: mobile with a mobile token (+54 9), toll-free and premium numbers (not geographical), a non-geographical
#: entity (+800), numbers read in a default region, and numbers that are not valid or do not parse
NUMBERS = [
    ("+13125550148", None), ("+16175550142", None), ("+18005550199", None), ("+19005550123", None),
    ("+14165550123", None), ("+18685550123", None), ("+12025550173", None), ("+4930123456", None),
    ("+491701234567", None), ("+4980012345678", None), ("+442071838750", None), ("+447911123456", None),
    ("+441481723456", None), ("+34912345678", None), ("+34612345678", None), ("+5491123456789", None),
    ("+541123456789", None), ("+80012345678", None), ("+74951234567", None), ("+77172123456", None),
    ("+33142685300", None), ("+61293744000", None), ("+81312345678", None), ("+8613812345678", None),
    ("030 1234567", "DE"), ("0171 2345678", "DE"), ("(312) 555-0148", "US"), ("020 7183 8750", "GB"),
    ("12345", None), ("+1 212 555 01", None), ("+999123", None), ("not a number", "US"), ("+4930", None),
]


def whole_calls(text: str, default_region: str | None) -> NumberFacts:
    try:
        number = phonenumbers.parse(text, None if text.startswith("+") else default_region)
    except phonenumbers.NumberParseException:
        return NumberFacts(None)
    country = phonenumbers.region_code_for_number(number)
    if not phonenumbers.is_valid_number(number):
        return NumberFacts(country)
    return NumberFacts(
        country,
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL),
        geocoder.description_for_number(number, "en") or None,
        tuple(z for z in phone_timezone.time_zones_for_number(number) if z != "Etc/Unknown"),
    )


@pytest.mark.parametrize(("text", "region"), NUMBERS)
def test_the_facts_are_those_of_phonenumbers_whole_calls(text: str, region: str | None) -> None:
    assert number_facts(text, region) == whole_calls(text, region)


def test_the_numbers_cover_every_branch() -> None:
    facts = [number_facts(text, region) for text, region in NUMBERS]
    assert any(f.country is None for f in facts)
    assert any(f.country is not None and not f.valid for f in facts)
    assert NumberFacts("US", "+1 312-555-0148", "Chicago, IL", ("America/Chicago",)) in facts
    kinds = {phonenumbers.number_type(phonenumbers.parse(text, region)) for text, region in NUMBERS
             if number_facts(text, region).valid}
    assert {phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.FIXED_LINE,
            phonenumbers.PhoneNumberType.MOBILE} <= kinds
