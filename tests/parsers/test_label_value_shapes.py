"""A label's value read for the slot its shape fits: caller labels that hold a name or a number, flags that are
no message."""

from __future__ import annotations

import pytest

from tests.parsers.helpers import one

_CALL_MAIL = """From: Ring Metrics <notify@ringmetrics.example>
To: office@harbourdental.example
Subject: Call you missed

Tracking number:  Spring promo (555) 014-0900
Caller:           (555) 014-0133
Caller ID:        MARGUERITE OYELARAN-PIKE
Voicemail left:   No
Voicemail:        yes (1:05)
"""


def test_a_caller_label_gives_its_value_to_the_slot_its_shape_fits() -> None:
    fields = one(_CALL_MAIL)
    assert fields["phone"] == "(555) 014-0133"
    assert {fields["first_name"], fields["last_name"]} == {"Marguerite", "Oyelaran-Pike"}
    assert fields["message"] is None  # "yes (1:05)" flags a voicemail, it is none


def test_a_flag_under_a_message_label_leaves_room_for_the_words_below() -> None:
    text = _CALL_MAIL + "\nTranscript:\nhello, it's about a crown that came loose, please ring me back\n"
    assert one(text)["message"] == "hello, it's about a crown that came loose, please ring me back"


def test_a_valuation_forms_property_line_is_the_sellers_street_when_the_town_has_fields_of_its_own() -> None:
    text = """Subject: Home valuation request

Property address: 78 Quillon Hollow Ln
City: Brevard
State: NC
Zip: 28712
Name: Odile Ferrante
Email: odile.f@example.net
"""
    fields = one(text)
    assert (fields["street"], fields["city"], fields["postal_code"]) == ("78 Quillon Hollow Ln", "Brevard", "28712")


def test_a_buyers_property_line_stays_what_they_ask_about() -> None:
    text = """Subject: Showing request

Property address: 78 Quillon Hollow Ln
City: Brevard
Name: Odile Ferrante
Email: odile.f@example.net
"""
    fields = one(text)
    assert fields["street"] is None
    assert "78 Quillon Hollow Ln" in (fields["interest"] or "")


def test_a_dutch_postcode_field_that_asks_for_the_house_number_too_keeps_the_postcode() -> None:
    text = "Naam: Femke Oudshoorn\nE-mailadres: femke.o@example.nl\nPostcode + huisnummer: 2012 KL 118\n"
    assert one(text)["postal_code"] == "2012 KL"


@pytest.mark.parametrize(("question", "answer"), [
    ("Waar ben je naar op zoek?", "Zonnepanelen op plat dak"),
    ("Was suchen Sie?", "Wallbox für die Garage"),
    ("¿Qué busca?", "Toldo para terraza"),
    ("O que você procura?", "Ar condicionado split"),
    ("Que recherchez-vous ?", "Pompe à chaleur air-eau"),
    ("Cosa cerchi?", "Caldaia a condensazione"),
])
def test_a_form_question_that_asks_what_someone_looks_for_names_the_interest(question: str, answer: str) -> None:
    text = f"Name: Tove Lindqvist\nEmail: tove.l@example.org\n{question}\n{answer}\n"
    assert one(text)["interest"] == answer
