"""The generic readers on layouts the vendor templates do not cover: each case is one mechanism."""

from __future__ import annotations

import pytest

from parsers.html import html_to_text
from parsers.labels import read_labels
from parsers.lead import ExtractedLead, FieldValue
from parsers.mime import decode_bytes
from parsers.verify import finalize


def test_stacked_label_over_value_cells_become_label_lines() -> None:
    html = ("<table><tr><td><b>Contact</b><br>Ann Lee</td><td><b>Email</b><br>ann@lee.example</td></tr>"
            "<tr><td>Address</td><td>12 Elm St<br>Troy, NY 12180</td></tr></table>")
    lines = html_to_text(html).splitlines()
    assert "Contact: Ann Lee" in lines
    assert "Email: ann@lee.example" in lines
    assert lines[-2:] == ["Address: 12 Elm St", "Troy, NY 12180"]


def test_utf8_bytes_declared_latin1_are_read_as_utf8() -> None:
    assert decode_bytes("Müller-Schön".encode(), "iso-8859-1") == "Müller-Schön"
    assert decode_bytes("Müller".encode("latin-1"), "iso-8859-1") == "Müller"


@pytest.mark.parametrize(("raw", "number", "flag"), [
    ("303-555-0138 ext. 22", "303-555-0138", "extension 22"),
    ("(253) 555-0163 x204", "(253) 555-0163", "extension 204"),
    ("+1 (651) 555-0189 ext 7", "+1 (651) 555-0189", "extension 7"),
])
def test_phone_extension_is_a_flag_not_part_of_the_number(raw: str, number: str, flag: str) -> None:
    phone = finalize(ExtractedLead({"phone": FieldValue(raw, "test", 0.9)})).fields["phone"]
    assert phone.value == number
    assert flag in phone.flags


@pytest.mark.parametrize(("raw", "full", "first"), [
    ("Herr Jonas Brückner", "Jonas Brückner", "Jonas"),
    ("Dr. Katharina Müller-Schön", "Katharina Müller-Schön", "Katharina"),
    ("Sra. Marta Quintero", "Marta Quintero", "Marta"),
    ("Don Walsh", "Don Walsh", "Don"),
])
def test_forms_of_address_are_not_part_of_the_name(raw: str, full: str, first: str) -> None:
    lead = finalize(ExtractedLead({"full_name": FieldValue(raw, "test", 0.9)}))
    assert lead.value("full_name") == full
    assert lead.value("first_name") == first


def test_other_sides_sections_are_left_out_of_the_free_text() -> None:
    text = ("Name: Ann Lee\nEmail: ann@lee.example\n\nDEALER INFORMATION\nLakeview Motors\n"
            "4410 N Western Ave, Chicago, IL 60625\n\nYour Account: Clearview Roofing LLC\n")
    read = read_labels(text)
    assert "Ann Lee" in read.lead_text
    assert "Western Ave" not in read.lead_text
    assert "Clearview" not in read.lead_text


def test_an_address_under_a_listing_heading_is_the_interest() -> None:
    text = "Name: Ben Sorensen\nEmail: ben@x.example\n\nListing Info\nAddress: 7815 Greenwood Ave N, Seattle, WA\n"
    lead = read_labels(text).fields.build()
    assert "street" not in lead.fields and "address" not in lead.fields
    assert "Greenwood" in (lead.value("interest") or "")


def test_placeholders_are_no_values() -> None:
    lead = read_labels("Name: Lucia Ferreira\nPhone: Not provided\nComments: N/A\nSent via portal\n").fields.build()
    assert "phone" not in lead.fields
    assert "message" not in lead.fields


def test_a_form_mailers_from_line_names_the_person() -> None:
    lead = read_labels("From: Annika Holm <annika@holm.example>\nSubject: Spring cleanup\n\nMessage Body:\nHi\n")
    built = lead.fields.build()
    assert built.value("full_name") == "Annika Holm"
    assert built.value("email") == "annika@holm.example"
    assert built.value("interest") == "Spring cleanup"


def test_questions_as_labels_and_bare_city_state() -> None:
    text = ("What's your first name?\nOlamide\n\nAnd your last name, Olamide?\nAdeyemi\n\n"
            "City Quincy\nState MA\nQuestions/Comments: Is it south facing?\n")
    lead = read_labels(text).fields.build()
    assert (lead.value("first_name"), lead.value("last_name")) == ("Olamide", "Adeyemi")
    assert (lead.value("city"), lead.value("region")) == ("Quincy", "MA")
    assert lead.value("message") == "Is it south facing?"
