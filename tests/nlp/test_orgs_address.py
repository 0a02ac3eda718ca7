"""Organisations and postal addresses."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.freetext import read_free_text
from nlp.org_sides import company_from_domain


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We at Pinecrest Logistics LLC need five vans.", "Pinecrest Logistics LLC"),
        ("Angebot bitte an die Becker Logistik GmbH senden.", "Becker Logistik GmbH"),
        ("Somos Construcciones Ibarra S.L. y necesitamos dos furgonetas.", "Construcciones Ibarra S.L."),
        ("Hi, I'm Dana from Bluefin Robotics, we need a quote.", "Bluefin Robotics"),
        ("I work at Harborview Dental and need a new car.", "Harborview Dental"),
        ("Company: Quill & Ink Studio\nPlease call.", "Quill & Ink Studio"),
    ],
)
def test_organisations(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("company") == expected


def test_company_from_sender_domain_but_not_free_mail(nlp: Language) -> None:
    lead = read_free_text(nlp, "Please send a quote.", sender_email="ana@northwind-traders.co.uk")
    assert lead.value("company") == "Northwind Traders"
    assert lead.fields["company"].confidence < 0.5
    for free in ("gmail.com", "web.de", "gmx.de", "t-online.de", "hotmail.es", "yahoo.com.ar", "outlook.com"):
        assert read_free_text(nlp, "Quote please.", sender_email=f"ana@{free}").value("company") is None


def test_company_from_domain_helper() -> None:
    assert company_from_domain("mail.acme-widgets.com") == "Acme Widgets"
    assert company_from_domain("ibarra.com.ar") == "Ibarra"


def test_us_address(nlp: Language) -> None:
    lead = read_free_text(nlp, "I live at 742 Evergreen Terrace, Springfield, IL 62704 and need a quote.")
    assert (lead.value("street"), lead.value("city"), lead.value("region"), lead.value("postal_code")) == (
        "742 Evergreen Terrace", "Springfield", "IL", "62704")
    assert lead.value("country") == "US"


def test_us_address_on_two_lines_and_without_commas(nlp: Language) -> None:
    lead = read_free_text(nlp, "Please mail the brochure to:\n1200 Harbor Blvd Apt 4\nOakland, CA 94607-1234")
    assert lead.value("street") == "1200 Harbor Blvd Apt 4"
    assert lead.value("city") == "Oakland"
    assert lead.value("postal_code") == "94607-1234"
    lead = read_free_text(nlp, "Address: 55 Oak Street Portland OR 97205")
    assert (lead.value("street"), lead.value("city"), lead.value("region")) == ("55 Oak Street", "Portland", "OR")


def test_canadian_address(nlp: Language) -> None:
    lead = read_free_text(nlp, "Our office: 200 King St W, Toronto, ON M5H 3T4")
    assert (lead.value("street"), lead.value("city"), lead.value("region"), lead.value("postal_code")) == (
        "200 King St W", "Toronto", "ON", "M5H 3T4")
    assert lead.value("country") == "CA"


def test_german_address(nlp: Language) -> None:
    lead = read_free_text(nlp, "Meine Adresse: Lindenstraße 14, 10969 Berlin\nBitte um Rückruf.")
    assert (lead.value("street"), lead.value("city"), lead.value("postal_code")) == (
        "Lindenstraße 14", "Berlin", "10969")
    assert lead.value("country") == "DE"


def test_spanish_address(nlp: Language) -> None:
    lead = read_free_text(nlp, "Vivo en Calle de Alcalá 45, 28014 Madrid.")
    assert (lead.value("street"), lead.value("city"), lead.value("postal_code")) == (
        "Calle de Alcalá 45", "Madrid", "28014")
    assert lead.value("country") == "ES"


def test_uk_address(nlp: Language) -> None:
    lead = read_free_text(nlp, "Please post it to 10 Rillington Place, London W11 1AA.")
    assert (lead.value("street"), lead.value("city"), lead.value("postal_code")) == (
        "10 Rillington Place", "London", "W11 1AA")
    assert lead.value("country") == "GB"


def test_explicit_country_name(nlp: Language) -> None:
    assert read_free_text(nlp, "We are based in Deutschland.").value("country") == "DE"
    assert read_free_text(nlp, "Escribo desde Argentina.").value("country") == "AR"
    assert read_free_text(nlp, "Please contact us.").value("country") is None


def test_property_address_is_interest_not_home(nlp: Language) -> None:
    lead = read_free_text(nlp, "I'd like to see the property at 8904 Maple Glen Drive, Dallas, TX 75231.")
    assert lead.value("street") is None
    assert lead.value("interest") == "8904 Maple Glen Drive, Dallas, TX 75231"
