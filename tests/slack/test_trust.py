"""Trust on the card (issue 14): marks from provenance, the phone's region and local time, role and
disposable addresses, learned reasons when they matter, and "How was this read?" without leaking."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.slack import messages
from bot.slack.blocks import lead_card
from bot.slack.trust import (
    LOW,
    UNVERIFIED,
    VERIFIED,
    PhoneFacts,
    email_kind,
    learned,
    local_time_text,
    mark,
    phone_facts,
)
from bot.slack.views import how_read_blocks, learned_lines, provenance_lines, verification_lines
from tests.slack.leads import FIELDS, lead_record
from tests.slack.test_blocks import all_text

NOW = datetime(2026, 1, 14, 15, 0, tzinfo=UTC)
PROVENANCE = {
    "email": {"source": "template:autoleads:email", "confidence": 1.0, "normalized": "dana@whitaker.test"},
    "phone": {"source": "template:autoleads:phone", "confidence": 0.95, "normalized": "+16175550134"},
    "full_name": {"source": "nlp:names", "confidence": 0.5, "alternatives": ["Dana Whitmore"]},
    "interest": {"source": "reader:form:interest", "confidence": 0.9},
}
BERLIN = {"phone": {"source": "reader:json:$.tel", "confidence": 1.0, "normalized": "+49301234567"}}


def test_marks_come_from_each_fields_provenance() -> None:
    lead = lead_record(provenance=PROVENANCE)
    assert mark(lead, "email") == VERIFIED and mark(lead, "phone") == VERIFIED
    assert mark(lead, "full_name") == LOW
    assert mark(lead, "interest") is None  # read with confidence, nothing to verify
    failed = lead_record(provenance={"phone": {"source": "x", "confidence": 1.0, "flags": ["invalid_phone"]}})
    assert mark(failed, "phone") == UNVERIFIED
    unchecked = lead_record(provenance={"email": {"source": "x", "confidence": 1.0}})
    assert mark(unchecked, "email") == UNVERIFIED
    assert mark(lead_record(), "email") is None  # an old row without provenance


def test_the_card_shows_marks_phone_region_and_local_time() -> None:
    lead = lead_record(provenance=PROVENANCE)
    text = all_text(lead_card(lead, now=NOW)[0])
    assert "*Email* :white_check_mark: verified" in text
    assert "*Phone* :white_check_mark: verified" in text
    # 15:00 UTC in January is 10:00 in Massachusetts
    assert "+1 617-555-0134 · Massachusetts · :clock3: 10:00 Wed there (America/New_York, UTC-05:00)" in text
    berlin = lead_record(fields={"phone": "030 1234567"}, provenance=BERLIN)
    assert "Berlin · :clock3: 16:00 Wed there (Europe/Berlin, UTC+01:00)" in all_text(lead_card(berlin, now=NOW)[0])


def test_phone_facts_are_none_for_a_failed_number() -> None:
    lead = lead_record(fields={"phone": "12345"}, provenance={"phone": {"source": "x", "flags": ["invalid_phone"]}})
    assert phone_facts(lead, NOW) is None
    assert "telephone_receiver" not in all_text(lead_card(lead, now=NOW)[0])


def test_role_and_disposable_addresses_are_marked() -> None:
    assert email_kind(lead_record(fields={"email": "info@whitaker.test"})) == "role address"
    assert email_kind(lead_record(fields={"email": "Sales+web@whitaker.test"})) == "role address"
    assert email_kind(lead_record(fields={"email": "dana@mailinator.com"})) == "disposable address"
    assert email_kind(lead_record()) is None
    text = all_text(lead_card(lead_record(fields={"email": "info@whitaker.test"}))[0])
    assert "info@whitaker.test · _role address_" in text


def test_a_masked_card_shows_marks_and_local_time_but_no_number() -> None:
    lead = lead_record(provenance=PROVENANCE)
    text = all_text(lead_card(lead, masked=True, now=NOW)[0])
    assert "*Contact*\nemail :white_check_mark: verified · phone :white_check_mark: verified" in text
    assert "Massachusetts · :clock3: 10:00 Wed there" in text
    assert "617" not in text and "dana@" not in text and "Whitaker" not in text


LEARNED = "+8 AutoLeads leads close 80% here (4 of 5)"
SMALL = "+3 AutoLeads leads close 60% here (3 of 5)"
MANY = ("+20 phone number verified", "+20 email address", "+15 says what they want", "+10 budget stated")


def test_learning_reaches_the_card_when_it_moves_the_score_visibly() -> None:
    lead = lead_record(reasons=(*MANY, LEARNED), score=73)
    text = all_text(lead_card(lead)[0])
    assert f"• {LEARNED} ({messages.LEARNED_LABEL})" in text
    small = lead_record(reasons=(*MANY, SMALL), score=68)
    assert SMALL not in all_text(lead_card(small)[0])  # not top 3, +3, same grade
    assert learned_lines(small, masked=False) == [f"{messages.LEARNED_LABEL}: {SMALL}"]  # /leads show: always


def test_learning_that_changes_the_grade_is_shown_however_small() -> None:
    lead = lead_record(reasons=("+20 email address", "+20 phone number verified", "+18 name given", SMALL),
                       score=61, grade="A")
    found = learned(lead, grade_a=60, grade_b=30)
    assert found.changed_grade and found.grade_without == "B" and found.points == 3
    text = all_text(lead_card(lead, grades=(60, 30))[0])
    assert SMALL in text and messages.LEARNED_GRADE.format(before="B", after="A") in text
    assert not learned(lead, grade_a=70, grade_b=30).visible


def test_how_was_this_read_names_sources_and_alternatives() -> None:
    lead = lead_record(provenance=PROVENANCE)
    lines = "\n".join(provenance_lines(lead, masked=False))
    assert "*Email* :white_check_mark: verified — `template:autoleads:email`, 100% sure" in lines
    assert "*Name* :grey_question: low confidence — `nlp:names`, 50% sure · set aside: “Dana Whitmore”" in lines


def test_how_was_this_read_masked_reveals_no_masked_value() -> None:
    lead = lead_record(provenance=PROVENANCE)
    blocks, _ = how_read_blocks(lead, masked=True, now=NOW)
    text = all_text(blocks)
    assert "template:autoleads:email" in text and "1 other value(s) set aside" in text
    for private in ("Whitmore", "Whitaker", "dana@", "617", "+1 "):
        assert private not in text
    full, _ = how_read_blocks(lead, masked=False, now=NOW)
    assert "Dana Whitmore" in all_text(full) and "+1 617-555-0134" in all_text(full)


def test_the_console_card_shows_marks_local_time_and_learning() -> None:
    from bot.slack.blocks import console_card

    lead = lead_record(provenance=PROVENANCE, reasons=(*MANY, LEARNED), score=73,
                       fields={"full_name": "Dana Whitaker", "email": "info@whitaker.test", "phone": "+16175550134"})
    text = console_card(lead, now=NOW)
    assert "Email:    info@whitaker.test [verified] (role address)" in text
    assert "Reach:    +1 617-555-0134 · Massachusetts · 10:00 Wed there (America/New_York, UTC-05:00)" in text
    assert LEARNED in text


ADDRESS = {"street": "225 W 34th St", "city": "New York", "region": "CA", "postal_code": "10001"}
ADDRESS_READ = {name: {"source": f"reader:labels:{name}", "confidence": 0.9} for name in ADDRESS}


def test_a_postal_code_outside_its_region_is_unverified_with_the_reason() -> None:
    # no country field: the verified +1 617 number says the US
    lead = lead_record(fields={**FIELDS, **ADDRESS}, provenance={**PROVENANCE, **ADDRESS_READ})
    assert mark(lead, "postal_code") == UNVERIFIED and mark(lead, "region") == UNVERIFIED
    assert mark(lead, "city") is None
    card = all_text(lead_card(lead, now=NOW)[0])
    assert ":round_pushpin: :warning: unverified · ZIP 10001 is in NY, not CA" in card
    masked = all_text(lead_card(lead, masked=True, now=NOW)[0])
    assert "is in NY, not CA" in masked and "10001" not in masked
    shown = "\n".join(verification_lines(lead, now=NOW, masked=False))  # `/leads show` and "How was this read?"
    assert "ZIP 10001 is in NY, not CA" in shown
    assert "*Postal code* :warning: unverified" in "\n".join(provenance_lines(lead, masked=False))


def test_a_postal_code_in_its_region_marks_the_address_verified() -> None:
    fields = {**FIELDS, **ADDRESS, "region": "New York", "country": "USA", "phone": "030 1234567"}
    lead = lead_record(fields=fields, provenance={**BERLIN, **ADDRESS_READ})  # the field wins over the phone
    assert mark(lead, "postal_code") == VERIFIED and mark(lead, "region") == VERIFIED
    assert ":round_pushpin: :white_check_mark: verified · ZIP 10001 is in New York" in all_text(
        lead_card(lead, now=NOW)[0])
    from bot.slack.blocks import console_card

    assert "Address:  ZIP 10001 is in New York [verified]" in console_card(lead, now=NOW)


def test_no_address_mark_where_the_country_or_its_data_is_unknown() -> None:
    german = {**ADDRESS, "region": "Berlin", "postal_code": "10115", "country": "DE"}
    for fields, provenance in (({**FIELDS, **german}, ADDRESS_READ), ({**ADDRESS}, ADDRESS_READ)):
        lead = lead_record(fields=fields, provenance=provenance)
        assert mark(lead, "postal_code") is None
        assert "round_pushpin" not in all_text(lead_card(lead, now=NOW)[0])


@pytest.mark.parametrize(
    ("zone", "at", "shown"),
    [
        ("America/St_Johns", datetime(2026, 1, 14, 15, 0, tzinfo=UTC), "11:30 Wed there (America/St_Johns, UTC-03:30)"),
        ("Asia/Kathmandu", datetime(2026, 1, 14, 20, 30, tzinfo=UTC), "02:15 Thu there (Asia/Kathmandu, UTC+05:45)"),
        ("UTC", datetime(2026, 3, 1, 0, 5, tzinfo=UTC), "00:05 Sun there (UTC, UTC+00:00)"),
        # local mean time before standard zones: an offset with seconds, written as strftime's %z writes it
        ("Europe/Amsterdam", datetime(1850, 6, 3, 12, 0, tzinfo=UTC),
         "12:19 Mon there (Europe/Amsterdam, UTC+00:1932)"),
    ],
)
def test_local_time_names_the_day_and_the_offset(zone: str, at: datetime, shown: str) -> None:
    facts = PhoneFacts(international="+1", region=None, zone=zone, local_time=at.astimezone(ZoneInfo(zone)))
    assert local_time_text(facts) == shown
    assert local_time_text(PhoneFacts(international="+1", region=None, zone=None, local_time=None)) is None
