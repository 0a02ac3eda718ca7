"""What a vendor's mail says that is not the prospect's: a form's or the vendor's name in the subject is no
interest, the vendor's lead score is no timeline, a dealer's or agent's notes are no message, the lead's price
is not appended to what they ask for, and an organisation under a person's label is the company."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from parsers.lead import ExtractedLead, RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _read(extractor: Extractor, subject: str, body: str, sender: str = "Notices <no-reply@formhost.example>"
          ) -> ExtractedLead:
    raw = f"From: {sender}\nTo: office@builder.example\nSubject: {subject}\n\n{body}\n"
    return extractor.extract(RawMessage(raw=raw.encode("utf-8"), channel="smtp")).leads[0]


_CONTACT = "Name: Wendell Ames\nEmail: wendell.ames@gmail.com\nPhone: 614-555-0182\n"


@pytest.mark.parametrize("subject", ["New submission: Solar Quote Request", "New form entry: Contact Us",
                                     "Website inquiry: Free Estimate Request Form"])
def test_a_forms_title_in_the_subject_is_no_interest(extractor: Extractor, subject: str) -> None:
    lead = _read(extractor, subject, _CONTACT)
    assert lead.value("full_name") == "Wendell Ames"
    assert lead.value("interest") is None


def test_the_vendors_own_product_in_the_subject_is_no_interest(extractor: Extractor) -> None:
    lead = _read(extractor, "Contact form: Homefinder Premier Agent", _CONTACT,
                 sender="Homefinder <leads@homefinder.example>")
    assert lead.value("interest") is None


def test_a_subject_naming_the_job_stays_the_interest(extractor: Extractor) -> None:
    lead = _read(extractor, "Quote request: kitchen remodel", _CONTACT,
                 sender="Kitchen Works <web@kitchenworks.example>")
    assert lead.value("interest") == "kitchen remodel"


def test_the_vendors_prediction_price_and_notes_are_not_the_prospects(extractor: Extractor) -> None:
    body = ("Lead ID: 448812\nLead price: $38.00 (exclusive lead)\nLead score: 87 - likely to buy within 90 days\n"
            f"{_CONTACT}Service: Roof repair\n"
            "Notes from referring dealer: Was in Saturday, very interested.\nAgent notes: call after 5pm.\n")
    lead = _read(extractor, "New lead", body)
    assert lead.value("interest") == "Roof repair"
    assert lead.value("timeline") is None
    assert lead.value("message") is None


def test_a_prospects_own_plan_stays_a_timeline(extractor: Extractor) -> None:
    lead = _read(extractor, "New lead", f"{_CONTACT}Message: We plan to buy within 3 months.")
    assert lead.value("timeline") == "within 3 months"


@pytest.mark.parametrize("buyer", ["Ridgeview Medical Center", "Castlerock County Schools"])
def test_an_organisation_under_a_person_label_is_the_company(extractor: Extractor, buyer: str) -> None:
    lead = _read(extractor, "New buyer request", f"Buyer: {buyer}\nEmail: office@buyer-org.example\n"
                 "Phone: 719-555-0172\n")
    assert lead.value("company") == buyer
    assert lead.value("full_name") is None


def test_a_person_under_a_person_label_stays_the_name(extractor: Extractor) -> None:
    lead = _read(extractor, "New buyer request", "Buyer: Maria Banks\nEmail: maria.banks@gmail.com\n")
    assert lead.value("full_name") == "Maria Banks"
    assert lead.value("company") is None


@pytest.mark.parametrize("line", ["Please respond by December 1 to keep this lead.", "Lead expires in 48 hours",
                                  "Posted 2 hours ago", "Your subscription renews on January 1.",
                                  "Homeowners in your area typically hire within 2 weeks.",
                                  "Pricing shown is valid through 12/31/2026.", "Houzz > Pro Dashboard > Messages"])
def test_the_vendors_lines_are_no_message_and_no_timeline(extractor: Extractor, line: str) -> None:
    lead = _read(extractor, "New lead", f"{_CONTACT}Service: Roof repair\n{line}")
    assert lead.value("message") is None
    assert lead.value("timeline") is None


def test_a_local_number_in_a_partners_mail(extractor: Extractor) -> None:
    body = ("Hey Sam,\n\nPassing along a lead: my neighbour Elena Duarte wants her deck rebuilt. Her number is "
            "555-0148 and her email is elena.duarte@gmail.com.\n\nMarco\n")
    lead = _read(extractor, "lead for you", body, sender="Marco Bellini <marco@bellinidecks.example>")
    assert lead.value("phone") == "555-0148"
    assert lead.value("email") == "elena.duarte@gmail.com"


def test_the_prospects_own_visit_is_no_timeline(extractor: Extractor) -> None:
    lead = _read(extractor, "New lead", f"{_CONTACT}Message: Is this still available? I can come this weekend.")
    assert lead.value("timeline") is None
    assert lead.value("message") == "Is this still available? I can come this weekend."


def test_an_exclusivity_line_is_no_message(extractor: Extractor) -> None:
    assert _read(extractor, "New lead", f"Exclusive lead - sold to you only.\n{_CONTACT}").value("message") is None


def test_a_category_path_yields_to_the_item_the_prospect_names(extractor: Extractor) -> None:
    body = (f"{_CONTACT}Category: Home Services > Heating & Cooling\n"
            "Project description: Our old AC quit. Looking for a replacement 3-ton heat pump system.\n")
    lead = _read(extractor, "New lead", body)
    assert lead.value("interest") == "replacement 3-ton heat pump system"
