"""A label's value read for the slot its shape fits: caller labels that hold a name or a number, flags that are
no message."""

from __future__ import annotations

import json

import pytest

from parsers.caller_id import CALLER_ID_TURNED
from parsers.labels.lookup import split_run_in_labels
from tests.parsers.helpers import one, structured

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


_PRO_LEAD = """New job for you

Customer
Name: Teodor Vasquez-Lind
Phone: (555) 014-0177

Job
Category: Gutter cleaning
Details: Two-storey, about 160 linear ft
Property: Owner occupied - townhouse

Customer notes: the downspout by the garage overflows every time it rains

Service fee: $21.00 billed to your account
"""


def test_the_customers_own_notes_are_the_message_before_a_portals_details() -> None:
    fields = one(_PRO_LEAD)
    assert fields["message"] == "the downspout by the garage overflows every time it rains"


def test_whether_the_lead_owns_their_home_is_no_interest() -> None:
    assert one(_PRO_LEAD)["interest"] == "Gutter cleaning"
    assert one(_PRO_LEAD.replace("Owner occupied - townhouse", "Eigentümer"))["interest"] == "Gutter cleaning"


def test_a_labelled_line_after_a_blank_ends_the_message_above() -> None:
    text = ("Name: Teodor Vasquez-Lind\nPhone: (555) 014-0177\nMessage: the gate sticks\nin wet weather\n\n"
            "Lead credit: 2\n")
    assert one(text)["message"] == "the gate sticks\nin wet weather"


def test_two_labels_of_one_field_joined_by_a_word_are_that_field() -> None:
    text = "Name: Ruaridh Pellow\nEmail: r.pellow@example.org\n\nQuestions or comments\nCan you fit a skylight too?\n"
    assert one(text)["message"] == "Can you fit a skylight too?"
    text = "Naam: Ruaridh Pellow\nE-mail: r.pellow@example.org\nVragen of opmerkingen: Ook een dakraam?\n"
    assert one(text)["message"] == "Ook een dakraam?"


def test_a_form_that_says_no_comment_was_left_has_no_message() -> None:
    text = ("Name\nRuaridh Pellow\n\nEmail\nr.pellow@example.org\n\nComment or Message\n"
            "The customer did not provide comments.\n\n---\nSent from your website via a form plugin\n")
    assert one(text)["message"] is None


def test_the_leads_company_object_gives_its_addresss_country_too() -> None:
    payload = {"submission": {"contact": {"name": {"first": "Ines", "last": "Kovačić"}, "email": "ines@example.hr"},
                              "company": {"name": "Kovačić Vina d.o.o.",
                                          "address": {"city": "Zadar", "country": "HR"}}}}
    fields = one(json.dumps(payload), "form.json")
    assert (fields["company"], fields["city"], fields["country"]) == ("Kovačić Vina d.o.o.", "Zadar", "HR")


def test_a_portals_camel_case_name_written_twice_is_no_label_run_into_a_value() -> None:
    text = ("ServiceHub - new request\n\nName: Ama Boateng\nEmail: ama.b@example.com\nService: Boiler repair\n\n"
            "You got this request through ServiceHub.\n")
    assert one(text)["interest"] == "Boiler repair"


def test_a_label_run_into_its_value_once_is_still_split() -> None:
    assert split_run_in_labels("NameAma Boateng\nama.b@example.com") == "Name: Ama Boateng\nama.b@example.com"


def test_fields_apart_by_slashes_on_one_line_are_read_one_by_one() -> None:
    text = "Ort: Passau / Handy 0151 5550 1234 / Name: Wiebke Albers / will eine neue Haustür"
    fields = one(text)
    assert (fields["city"], fields["phone"], fields["full_name"]) == ("Passau", "0151 5550 1234", "Wiebke Albers")


def test_a_slash_inside_a_label_does_not_cut_its_value() -> None:
    text = ("Name: Wiebke Albers\nE-Mail: w.albers@example.de\nStraße / Hausnr.: Am Mühlbach 4\n"
            "PLZ / Ort: 94032 Passau\n")
    fields = one(text)
    assert (fields["street"], fields["postal_code"], fields["city"]) == ("Am Mühlbach 4", "94032", "Passau")


def test_gravity_style_numbered_sub_inputs_without_a_form_definition() -> None:
    entry = {"form_id": "7", "id": "902", "1.3": "Hollis", "1.6": "Quarshie", "2": "hollis.q@example.com",
             "4.1": "15 Tamarack Rd", "4.3": "Duluth", "4.4": "MN", "4.5": "55803", "4.6": "United States"}
    fields = one(json.dumps(entry), "entry.json")
    assert (fields["first_name"], fields["last_name"]) == ("Hollis", "Quarshie")
    assert (fields["street"], fields["city"], fields["region"], fields["postal_code"]) == (
        "15 Tamarack Rd", "Duluth", "MN", "55803")


def test_a_booking_webhooks_reminder_number_is_the_phone() -> None:
    booking = {"event": "invitee.created", "payload": {"name": "Hollis Quarshie", "email": "hollis.q@example.com",
                                                       "text_reminder_number": "+1 218 555 0107"}}
    assert one(json.dumps(booking), "booking.json")["phone"] == "+1 218 555 0107"


def test_a_refinance_leads_property_is_their_own_home_and_the_loan_amount_a_budget() -> None:
    text = ("New refinance request\n\nName: Marisela Abernathy\nPhone: (555) 014-0129\n"
            "Property: 41 Cormorant Bend, Beaufort, SC 29902\nLoan amount: $265,000\n")
    fields = one(text)
    assert (fields["street"], fields["city"], fields["postal_code"]) == ("41 Cormorant Bend", "Beaufort", "29902")
    assert fields["budget"] == "$265,000"


def test_a_purchase_leads_property_stays_what_they_ask_about() -> None:
    text = ("New purchase request\n\nName: Marisela Abernathy\nPhone: (555) 014-0129\n"
            "Property: 41 Cormorant Bend, Beaufort, SC 29902\nLoan purpose: Purchase\n")
    fields = one(text)
    assert fields["street"] is None


def test_a_loan_purpose_word_is_no_street_of_a_refinance_lead() -> None:
    text = "Name: Marisela Abernathy\nPhone: (555) 014-0129\nProperty ZIP: 29902\nLoan purpose: Refinance\n"
    assert one(text)["city"] is None


def test_a_portals_line_asking_about_a_listing_with_the_address_below_names_the_interest() -> None:
    text = ("A renter is asking about your listing:\n77 Bramblewood Ct, Cary, NC 27513\n\n"
            "Name: Oksana Halloran\nEmail: oksana.h@example.com\n")
    fields = one(text)
    assert fields["interest"] == "77 Bramblewood Ct, Cary, NC 27513"
    assert fields["street"] is None


@pytest.mark.parametrize(("label", "value"), [
    ("Cognome e nome", "Ferraresi, Giulia"),
    ("Nachname, Vorname", "Ferraresi, Giulia"),
    ("Apellidos y nombre", "Ferraresi, Giulia"),
])
def test_a_label_asking_for_the_surname_first_with_a_comma_is_turned_round(label: str, value: str) -> None:
    fields = one(f"{label}: {value}\nE-mail: giulia.f@example.it\n")
    assert fields["full_name"] == "Giulia Ferraresi"


def test_two_words_under_a_surname_first_label_are_turned_round_as_a_guess() -> None:
    _, leads = structured("Cognome e nome: Ferraresi Giulia\nE-mail: giulia.f@example.it\n")
    full = leads[0].fields["full_name"]
    assert full.value == "Giulia Ferraresi"
    assert full.source.endswith(CALLER_ID_TURNED)  # the free-text stage may turn it back


@pytest.mark.parametrize(("line", "city", "region"), [
    ("Ciudad / Provincia: Getxo / Bizkaia", "Getxo", "Bizkaia"),
    ("Bairro/Cidade: Pinheiros / São Paulo", "São Paulo", None),  # the district is no lead field
    ("Cidade: Campinas", "Campinas", None),
])
def test_a_label_of_parts_apart_by_slashes_gives_each_value_part_its_field(
        line: str, city: str, region: str | None) -> None:
    fields = one(f"Nome: Ane Souza\nE-mail: ane.s@example.com\n{line}\n")
    assert (fields["city"], fields["region"]) == (city, region)


def test_a_call_mails_own_heading_is_no_message_of_the_caller() -> None:
    text = "Verpasster Anruf auf Ihrer Rufnummer 0221 555 0100 (Kampagne: Implantate)\nAnrufer: 0171 5550 2233\n"
    assert one(text)["message"] is None
