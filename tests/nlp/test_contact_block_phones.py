"""Mail: a name line right above the lead's email or phone; two numbers in one phone field."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _mail(extractor: Extractor, body: str, sender: str = "Lead Portal <leads@portal.example>") -> dict[str, str | None]:
    raw = (f"From: {sender}\nTo: sales@ourco.example\nSubject: New lead\n"
           f"Content-Type: text/plain; charset=utf-8\n\n{body}\n")
    leads = extractor.extract(RawMessage(raw.encode("utf-8"), "file", name_hint="lead.eml")).leads
    assert len(leads) == 1
    return leads[0].plain()


@pytest.mark.parametrize(
    ("body", "name"),
    [
        ("You have a new lead.\n\nIgnatius Oyelaran\nignatius.o@yahoo.com\n(404) 555-0162\n\nComments: a 3 bed",
         "Ignatius Oyelaran"),
        ("New enquiry below.\n\nMarisela Quintanar-Oduya\n+1 (312) 555-0176\n\nWants: a patio quote",
         "Marisela Quintanar-Oduya"),
        # a firm's block is no person
        ("New enquiry below.\n\nBrightwater Cold Storage\n(312) 555-0176\n\nWants: a freezer room", None),
        # a blank line between the name and the number: not one block
        ("Thanks for choosing us.\n\nOur Team\n\n(312) 555-0100", None),
    ],
)
def test_name_line_above_a_contact_line(extractor: Extractor, body: str, name: str | None) -> None:
    assert _mail(extractor, body)["full_name"] == name


@pytest.mark.parametrize(
    ("field", "phone"),
    [
        ("Celular: (21) 99876-5432 / (21) 2555-0101", "(21) 99876-5432"),
        ("Phone: 312-555-0176 or 312-555-0100", "312-555-0176"),
        ("Telefon: 030 1234567; 0170 7654321", "030 1234567"),
        ("Phone: 312/555-0176", "312/555-0176"),  # a slash inside one number stays
    ],
)
def test_first_of_two_numbers_in_one_field(extractor: Extractor, field: str, phone: str) -> None:
    assert _mail(extractor, f"Name: Thiago Nascimento\n{field}\n")["phone"] == phone


def test_a_contact_blocks_line_that_is_only_a_number_is_kept_flagged_when_it_does_not_validate(
        extractor: Extractor) -> None:
    body = "You have a new enquiry.\n\nMorag Kinnear-Baird\n9 Drumsheugh Place\nEdinburgh\nEH3 7PT\n07700 900318\n"
    raw = (f"From: Lead Portal <leads@portal.example>\nTo: sales@ourco.example\nSubject: New lead\n"
           f"Content-Type: text/plain; charset=utf-8\n\n{body}\n")
    lead = extractor.extract(RawMessage(raw.encode("utf-8"), "file", name_hint="lead.eml")).leads[0]
    assert lead.value("phone") == "07700 900318"
    assert "invalid_phone" in lead.fields["phone"].flags


def test_a_short_number_alone_on_a_line_is_no_phone(extractor: Extractor) -> None:
    assert _mail(extractor, "New enquiry.\n\nMorag Kinnear-Baird\nmorag.kb@example.com\n\nReference\n4410276\n")[
        "phone"] is None

