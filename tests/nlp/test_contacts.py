"""Emails, phones and web addresses."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.freetext import read_free_text
from nlp.pipeline import build_nlp


def test_email_in_body_beats_sender(nlp: Language) -> None:
    lead = read_free_text(
        nlp,
        "Hi,\nplease write to my private address: tilda.brenner@fastmail.com\nThanks, Tilda",
        sender_email="tilda@brenner-design.example",
    )
    assert lead.value("email") == "tilda.brenner@fastmail.com"
    assert lead.fields["email"].source == "nlp:contacts"
    assert "tilda@brenner-design.example" in lead.fields["email"].alternatives


def test_labelled_email_and_sender_fallback(nlp: Language) -> None:
    lead = read_free_text(nlp, "Email: OTTO.VANCE@Example.org\nI want a quote.")
    assert lead.value("email") == "OTTO.VANCE@Example.org"
    assert lead.fields["email"].confidence >= 0.9
    lead = read_free_text(nlp, "Call me back please.", sender_email="rosa.quint@gmail.com")
    assert lead.value("email") == "rosa.quint@gmail.com"
    assert lead.fields["email"].source == "nlp:contacts.sender"


def test_noreply_sender_is_not_the_prospect(nlp: Language) -> None:
    lead = read_free_text(nlp, "A new inquiry arrived.", sender_email="no-reply@leadportal.example")
    assert lead.value("email") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("You can call me at (415) 555-0132 after 5pm.", "(415) 555-0132"),
        ("My cell is 415.555.0187", "415.555.0187"),
        ("Phone: +1 (647) 555-0199", "+1 (647) 555-0199"),
        ("Reach me on +44 20 7946 0958 any time.", "+44 20 7946 0958"),
        ("Erreichbar unter +49 (0)30 1234 5678.", "+49 (0)30 1234 5678"),
        ("Ich bin unter 030 12345678 erreichbar, bitte rufen Sie mich an.", "030 12345678"),
        ("Mi móvil es 612 34 56 78, llámame por favor.", "612 34 56 78"),
        ("Mi celular en Buenos Aires: 011 15-2345-6789", "011 15-2345-6789"),
        ("Mi celular es +54 9 11 2345-6789", "+54 9 11 2345-6789"),
    ],
)
def test_phone_formats(nlp: Language, text: str, expected: str) -> None:
    lead = read_free_text(nlp, text)
    assert lead.value("phone") == expected
    assert lead.fields["phone"].flags == ()


def test_fax_is_skipped_and_second_phone_kept_as_alternative(nlp: Language) -> None:
    text = "Fax: (212) 555-0100\nCell: (212) 555-0147\nOffice (212) 555-0123"
    lead = read_free_text(nlp, text)
    assert lead.value("phone") == "(212) 555-0147"
    assert lead.fields["phone"].alternatives == ("(212) 555-0123",)


def test_labelled_invalid_phone_is_kept_and_flagged(nlp: Language) -> None:
    lead = read_free_text(nlp, "Phone: 555-1234\nI'd like a callback.")
    assert lead.value("phone") == "555-1234"
    assert lead.fields["phone"].flags == ("invalid_phone",)


def test_default_region_decides_national_numbers() -> None:
    german = build_nlp(default_region="DE")
    lead = read_free_text(german, "Call me: 0151 23456789")
    assert lead.value("phone") == "0151 23456789"


def test_numbers_that_are_not_phones(nlp: Language) -> None:
    lead = read_free_text(nlp, "A 2019 model with 45,000 miles, budget $25,000, ZIP 90210.")
    assert lead.value("phone") is None


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Hi, Tom Reed in Leeds here. Please ring me on 07911 123456 any time.", "07911 123456"),  # UK mobile, en
        ("It's Dale Frost. Order #5035550144 arrived damaged, call me at 503 555 0199.", "503 555 0199"),
        ("Ticket no. 4155550123 is still open; my cell is 415-555-0177.", "415-555-0177"),
        ("Referencia: 912345678. Mi móvil es el 612 34 56 78.", "612 34 56 78"),
        ("Phone #: 503 555 0199", "503 555 0199"),  # a phone label with "#" stays a phone
        ("Suite au devis (réf. DV-2026-118734), appelez-moi au 06 48 27 91 53.", "06 48 27 91 53"),
        ("Ticket INC-4155550123 still open.\nGreta Lund\nFjordline Freight\n415-555-0177", "415-555-0177"),
        ("Claim #CLM-2026-448812, policy 7731092245. Insured: Rebecca Tran, 504-555-0166.", "504-555-0166"),
        ("Tracking 1Z999AA10123456784, booking 8005550123; call me at 503-555-0142.", "503-555-0142"),
    ],
)
def test_phone_in_prose_not_a_reference_number(nlp: Language, text: str, phone: str) -> None:
    assert read_free_text(nlp, text).value("phone") == phone
