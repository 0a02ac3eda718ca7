"""Call-tracking payloads, nested address objects, values that are no phone, boilerplate and placeholders."""

from __future__ import annotations

import json

import pytest

from parsers.boilerplate import clean_message
from parsers.lead import ExtractedLead, FieldValue
from parsers.patterns import looks_like_date_or_time
from parsers.verify import finalize
from tests.parsers.helpers import one, structured


def test_flat_call_record_takes_the_callers_number_not_the_tracking_line() -> None:
    record = {"call_sid": "c-77", "start_time": "2026-04-02T10:01:12-04:00", "duration": 95,
              "caller_number": "+1 614 555 0147", "caller_name": "OKONKWO ADAEZE", "caller_city": "Columbus",
              "caller_state": "OH", "tracking_number": "+1 614 555 0100", "forwarding_number": "+1 614 555 0199",
              "notes": "Agent: wants a quote for gutters"}
    _, leads = structured(json.dumps(record), "call.json")
    fields = leads[0].plain()
    assert fields["phone"] == "+1 614 555 0147"
    assert fields["full_name"] == "Adaeze Okonkwo"  # caller ID writes the surname first
    assert (fields["city"], fields["region"]) == ("Columbus", "OH")
    assert fields["timeline"] is None  # a record's timestamp is no buying timeline
    assert fields["message"] is None  # the agent's note is not the caller's words


def test_nested_from_and_to_objects() -> None:
    event = {"event": "call.ended", "call": {"from": {"number": "+44 161 496 0011", "name": "Harriet Vane"},
                                             "to": {"number": "+44 161 496 0999"}}}
    fields = one(json.dumps(event), "event.json")
    assert fields["phone"] == "+44 161 496 0011"
    assert fields["full_name"] == "Harriet Vane"


def test_a_bare_caller_key_holding_a_number_is_the_phone() -> None:
    fields = one(json.dumps({"account": "Clinic", "tracking_number": "(555) 014-0001", "caller": "(555) 014-0187",
                             "caller_name": "Unknown"}), "missed.json")
    assert fields["phone"] == "(555) 014-0187"
    assert fields["full_name"] is None


def test_source_key_names_the_vendor() -> None:
    vendor, _ = structured(json.dumps({"source": "Bing Ads", "caller_number": "+1 303 555 0142"}), "c.json")
    assert vendor == "Bing Ads"


def test_nested_address_keeps_the_street_line() -> None:
    payload = {"contact": {"name": {"first": "Ilse", "last": "Brandt"}, "email": "ilse.b@example.ca",
                           "phones": [{"type": "mobile", "number": "+1 604 555 0126"}],
                           "address": {"street": {"number": "77", "name": "Cordova Street", "unit": "Unit 5"},
                                       "locality": "Vancouver", "administrative_area": "BC",
                                       "postal_code": "V6B 1E1"},
                           "organization": "Brandt Ceramics Ltd."}}
    fields = one(json.dumps(payload), "crm.json")
    assert fields["street"] == "77 Cordova Street, Unit 5"
    assert (fields["city"], fields["region"], fields["postal_code"]) == ("Vancouver", "BC", "V6B 1E1")
    assert fields["phone"] == "+1 604 555 0126"
    assert fields["company"] == "Brandt Ceramics Ltd."


def test_house_number_after_a_german_or_portuguese_street() -> None:
    fields = one(json.dumps({"kunde": {"name": "Jonas Weil", "email": "j.weil@example.de",
                                       "strasse": "Lindenstraße", "hausnummer": "14", "plz": "04109",
                                       "ort": "Leipzig"}}), "k.json")
    assert fields["street"] == "Lindenstraße 14"


@pytest.mark.parametrize("text", ["2018-02-19 08", "19.02.2018", "03/14/26 9:30 am", "2026-11-18T14:22:05", "07:45"])
def test_dates_and_times_are_no_phones(text: str) -> None:
    assert looks_like_date_or_time(text)
    lead = finalize(ExtractedLead({"phone": FieldValue(text, "t"), "email": FieldValue("a@example.com", "t")}))
    assert lead.value("phone") is None


@pytest.mark.parametrize("text", ["(555) 012-3344", "+49 30 901820", "06 12 48 90 33", "0161 496 0732"])
def test_phone_numbers_are_not_dates(text: str) -> None:
    assert not looks_like_date_or_time(text)


def test_reference_and_order_numbers_under_their_labels_are_no_phone() -> None:
    fields = one("Order number: 4471093382\nReference: 2210-4471-09\nName: Pia Lund\nEmail: pia.lund@example.dk\n"
                 "Stock #: 88213\n")
    assert fields["phone"] is None


@pytest.mark.parametrize("text", [
    "The customer did not provide comments.", "No comments provided", "N/A", "Sem comentários", "Keine Nachricht",
    "Aucun commentaire", "Geen opmerkingen", "Nessun commento", "Sin comentarios",
])
def test_no_comment_phrases_are_no_message(text: str) -> None:
    assert clean_message(text) is None


def test_boilerplate_lines_leave_the_prospects_words() -> None:
    text = ("Do you install heat pumps in older houses?\nRemote IP: 203.0.113.9\nUser-Agent: Mozilla/5.0 (Macintosh)\n"
            "\nBy submitting this form I consent to be contacted by phone, including by autodialer.\n"
            "\nSearch criteria\nBeds: 3+\nPrice: up to $450,000\n\nSent from my iPhone")
    assert clean_message(text) == "Do you install heat pumps in older houses?"


def test_placeholder_names_are_no_names() -> None:
    fields = one("First Name: first\nLast Name: last\nEmail: dev.null@example.com\nPhone: 555-019-0000\n")
    assert (fields["first_name"], fields["last_name"], fields["full_name"]) == (None, None, None)
    fields = one("Name: Guest User\nEmail: qa@example.com\n")
    assert fields["full_name"] is None
    fields = one("Name: Test Test\nEmail: qa@example.com\n")
    assert fields["full_name"] == "Test Test"  # a tester's entry as typed: the assessor grades it
    fields = one("Name: Unknown\nEmail: someone@example.com\n")
    assert fields["full_name"] is None
    for filler in ("Unknown Caller", "Website Visitor", "Anonymous", "Desconocido", "Anrufer unbekannt"):
        fields = one(f"Name: {filler}\nPhone: 555-0181\n")
        assert fields["full_name"] is None, filler


def test_surname_first_with_a_comma() -> None:
    fields = one("Name: Halvorsen, Brit\nEmail: brit.h@example.no\n")
    assert (fields["full_name"], fields["first_name"], fields["last_name"]) == ("Brit Halvorsen", "Brit", "Halvorsen")
    fields = one("Name: Acme Roofing, LLC\nEmail: office@acme.example\n")
    assert fields["full_name"] != "LLC Acme Roofing"


@pytest.mark.parametrize("text", [
    "No comments were provided by the customer.",
    "Search criteria saved by the user.\nPrice: up to $300,000\nBeds: 3",
    "Gesendet am 04.03.2026 um 10:15 Uhr",
    "Registered: 02/11/2026 14:20",
])
def test_portal_wording_is_no_message(text: str) -> None:
    assert clean_message(text) is None


def test_an_automatic_footer_ends_the_message() -> None:
    assert clean_message("Bitte um Rückruf am Vormittag.\n\nDiese Zusammenfassung wurde automatisch erstellt.") == (
        "Bitte um Rückruf am Vormittag.")


def test_a_project_description_label_and_a_dashed_imprint_line() -> None:
    fields = one("Nom : Roux\nPrénom : Agathe\nCourriel : agathe.roux@example.fr\nDescription du projet : Refaire "
                 "la salle d'eau.\n\nAtelier Bois – 3 rue du Port, 17000 La Rochelle – 05 46 00 00 00\n")
    assert fields["message"] == "Refaire la salle d'eau."
    assert fields["street"] is None


def test_twilio_style_call_webhook() -> None:
    fields = one(json.dumps({"CallSid": "CA1", "From": "+15550134412", "To": "+15550139999",
                             "CallerName": "HOLLOWAY MARGARET", "CallerState": "MO", "FromZip": "65806",
                             "Direction": "inbound"}), "call.json")
    assert (fields["phone"], fields["full_name"]) == ("+15550134412", "Margaret Holloway")
    assert fields["postal_code"] == "65806"
