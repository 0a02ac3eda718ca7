"""A portal's footer (the recipient's office, the vendor's imprint) and the lead's own company in a subject
are not the lead's address or interest; form labels beyond the common ones are read."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage
from tests.parsers.helpers import one


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _mail(subject: str, body: str) -> bytes:
    head = f"From: Form Relay <forms@relay.example>\nTo: office@firm.example\nSubject: {subject}\n"
    return (head + "Content-Type: text/plain; charset=utf-8\n\n" + body).encode("utf-8")


@pytest.mark.parametrize(("body", "name"), [
    ("A new enquiry arrived.\n\nName: Ottilie Gravesend\nEmail: ottilie.g@example.net\nPhone: (402) 555-0163\n\n"
     "Message:\nCan we see the barn conversion next week?\n\n"
     "Sent to Bram Kestel, Kestel Land & Home, 77 Millrace Rd, Omaha, NE 68102 - (402) 555-0100.\n",
     "Ottilie Gravesend"),
    ("First Name: Jonas\nLast Name: Wethermere\nWork Email: jonas@wethermere-freight.example\n"
     "Phone: +1 612 555 0187\nCompany: Wethermere Freight\n\n"
     "Tallyhaul, Inc. - 900 Nicollet Mall, Suite 12 - Minneapolis, MN 55402 - (612) 555-0101\n",
     "Jonas Wethermere"),
], ids=["sent-to-footer", "imprint-with-hyphens"])
def test_footer_office_address_is_not_the_leads(extractor: Extractor, body: str, name: str) -> None:
    lead = extractor.extract(RawMessage(raw=_mail("Enquiry", body), channel="smtp")).leads[0].plain()
    assert lead["full_name"] == name
    assert lead["street"] is None and lead["city"] is None and lead["postal_code"] is None


def test_subject_naming_the_leads_company_is_no_interest() -> None:
    body = "Name: Ruth Abernathy\nEmail: ruth@quillfield.example\nCompany: Quillfield Bakery\nPhone: 555-0142\n"
    assert one(_mail("New trial request: Quillfield Bakery (11-50)", body))["interest"] is None
    assert one(_mail("New trial request: invoicing add-on", body))["interest"] == "invoicing add-on"


@pytest.mark.parametrize(("label", "language"), [
    ("Product Interest", "en"), ("Produktinteresse", "de"), ("Servicio solicitado", "es"),
    ("Serviço pretendido", "pt"), ("Service souhaité", "fr"), ("Servizio richiesto", "it"),
    ("Gewenste dienst", "nl")])
def test_interest_labels_in_every_language(label: str, language: str) -> None:
    body = f"Name: Ada Quist\nEmail: ada.quist@example.org\n{label}: Dachsanierung\n"
    assert one(_mail("Request", body))["interest"] == "Dachsanierung", language


def test_how_did_you_hear_is_not_the_message() -> None:
    body = ("Name: Pell Varga\nEmail: pell.varga@example.org\nComments: Need two quotes for fencing.\n"
            "How did you hear about us?: Radio\n")
    assert one(_mail("Request", body))["message"] == "Need two quotes for fencing."
