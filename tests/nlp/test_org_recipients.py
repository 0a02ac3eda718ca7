"""The firm a mail was written to: its To/Cc domains reach the one reader and set that firm aside as the
recipient's, never the lead's (issue 10: "the wrong side of the transaction")."""

from __future__ import annotations

import json

import pytest
from spacy.language import Language

from nlp.extractor import Extractor
from nlp.freetext import read_free_text
from nlp.org_sides import is_recipients_firm
from parsers.document import load_document
from parsers.lead import ExtractedLead, RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _mail(to: str, body: str, sender: str = "Quotes Desk <noreply@quotedesk.example>", cc: str = "") -> bytes:
    head = f"From: {sender}\nTo: {to}\n" + (f"Cc: {cc}\n" if cc else "")
    return (head + "Subject: New request\nContent-Type: text/plain; charset=utf-8\n\n" + body).encode("utf-8")


def _one(extractor: Extractor, raw: bytes, hint: str | None = None) -> ExtractedLead:
    found = extractor.extract(RawMessage(raw, "smtp" if hint is None else "file", name_hint=hint))
    assert len(found.leads) == 1
    return found.leads[0]


def test_to_and_cc_addresses_reach_the_document() -> None:
    raw = _mail("Pellham Doors <Office@PellhamDoors.example>, b@c.example", "Hi", cc="ops@pellhamdoors.example")
    assert load_document(raw).recipients == ("office@pellhamdoors.example", "b@c.example", "ops@pellhamdoors.example")


def test_a_forward_keeps_the_original_to() -> None:
    raw = _mail("sales@vantorp.example", "Please call her.\n\n---------- Forwarded message ---------\n"
                "From: Ilse Maarten <ilse.m@gmail.com>\nSubject: kitchen\nTo: <info@vantorp-keukens.example>\n\n"
                "We want a new kitchen.\n", sender="Piet <piet@vantorp.example>")
    doc = load_document(raw)
    assert doc.forwarded
    assert doc.recipients == ("sales@vantorp.example", "info@vantorp-keukens.example")


def test_an_inbound_parse_webhook_gives_its_to_key() -> None:
    payload = {"from": "Odile Sarr <odile@sarr-traiteur.example>", "to": "Hello <hello@fenwickovens.example>",
               "subject": "Oven", "text": "We need a deck oven for our catering kitchen."}
    doc = load_document(json.dumps(payload).encode(), "hook.json")
    assert doc.recipients == ("hello@fenwickovens.example",)


@pytest.mark.parametrize(
    ("org", "recipients", "expected"),
    [
        ("Fenwick Ovens Ltd", ("hello@fenwickovens.example",), True),
        ("Pellham Doors", ("Office@pellham-doors.example",), True),
        ("Sarr Traiteur", ("hello@fenwickovens.example",), False),
        ("Gmail Studio", ("someone@gmail.com",), False),  # a free-mail domain spells no firm
        ("Fenwick Ovens", (), False),
    ],
)
def test_is_recipients_firm(org: str, recipients: tuple[str, ...], expected: bool) -> None:
    assert is_recipients_firm(org, recipients) is expected


def test_a_labelled_business_the_to_domain_spells_is_set_aside(extractor: Extractor) -> None:
    raw = _mail("Aldous Tiling <jobs@aldoustiling.example>",
                "Business: Aldous Tiling\nCustomer: Benedikt Raue\nEmail: b.raue@outlook.com\n"
                "Phone: (541) 555-0118\nJob: Bathroom floor tiles, about 6 m2\n")
    lead = _one(extractor, raw)
    assert lead.value("full_name") == "Benedikt Raue"
    assert lead.value("company") is None
    assert ("company", "Aldous Tiling", "recipient") in {(o.field, o.value, o.role) for o in lead.role_values()}


def test_the_recipients_firm_in_prose_gives_way_to_the_senders_signature(extractor: Extractor) -> None:
    raw = _mail("desk@marwickcranes.example",
                "Hello,\n\nI was told Marwick Cranes GmbH rents out mobile cranes by the day. We need a 50 t crane "
                "for one day in May to lift a heat pump onto our roof.\n\nRegards\nAnnika Folkers\n"
                "Facility Manager, Folkers Brauerei\n+49 40 5550 1290\n",
                sender="Annika Folkers <a.folkers@folkers-brauerei.example>")
    lead = _one(extractor, raw)
    assert lead.value("company") == "Folkers Brauerei"
    assert "Marwick Cranes GmbH" in {o.value for o in lead.role_values("recipient")}


def test_a_firm_the_to_domain_does_not_spell_stays_the_leads(extractor: Extractor) -> None:
    raw = _mail("hello@fenwickovens.example",
                "Good morning, we run a bakery, Crumb & Co Bakers LLC, and need a second deck oven.\n\n"
                "Thanks\nMilo Verhagen\n503-555-0161\n", sender="Milo Verhagen <milo.verhagen@gmail.com>")
    assert _one(extractor, raw).value("company") == "Crumb & Co Bakers LLC"


def test_no_domain_guess_from_a_colleague_at_the_recipients_domain(nlp: Language) -> None:
    lead = read_free_text(nlp, "Please phone the customer back about the oven.", sender_name="Rita Holm",
                          sender_email="rita@fenwickovens.example", recipients=("sales@fenwickovens.example",))
    assert lead.value("company") is None


def test_the_same_mail_as_a_webhook_reads_the_same(extractor: Extractor) -> None:
    body = ("Hi, I'd like Quillon Awnings Inc to quote a retractable awning for our cafe terrace.\n\n"
            "Tessa Brandt\nOwner, Brandt Coffee House\n720-555-0187\n")
    sender, to = "Tessa Brandt <tessa@brandtcoffeehouse.example>", "info@quillonawnings.example"
    mail = _one(extractor, _mail(to, body, sender=sender))
    hook = _one(extractor, json.dumps({"from": sender, "to": to, "subject": "New request", "text": body}).encode(),
                "hook.json")
    assert mail.value("company") == hook.value("company") == "Brandt Coffee House"
    assert {o.value for o in mail.role_values("recipient")} == {o.value for o in hook.role_values("recipient")}


@pytest.mark.parametrize(
    "payload",
    [
        {"call_id": "CA77", "account_name": "Larchmont Roofing & Siding", "tracking_number": "+15125550100",
         "caller_number": "+15125550177", "caller_name": "Maria Oyelowo", "notes": "hail damage on the roof"},
        {"company_name": "Westbrook Dental Studio", "call": {"from": "+14045550123", "to": "+14045550100",
                                                            "cnam": "Tobias Wendt"}},
    ],
)
def test_a_call_payloads_account_is_the_business_called(extractor: Extractor, payload: dict[str, object]) -> None:
    lead = _one(extractor, json.dumps(payload).encode(), "call.json")
    assert lead.value("company") is None
    assert len(lead.role_values("recipient")) == 1


def test_a_callers_own_firm_key_stays_the_leads(extractor: Extractor) -> None:
    payload = {"call_id": "CA78", "caller_number": "+15125550178", "caller_name": "Ines Adebayo",
               "caller_company": "Adebayo Printworks"}
    assert _one(extractor, json.dumps(payload).encode(), "call.json").value("company") == "Adebayo Printworks"


@pytest.mark.parametrize(
    "note",
    [
        "Call summary for Ashgrove Plumbing LLC\nCaller: Dwayne Kessler\nCaller ID: (919) 555-0134\n"
        "Agent notes: water heater leaking, wants someone tomorrow",
        "Yelp lead for Ashgrove Plumbing LLC: Dwayne Kessler needs a water heater, d.kessler@gmail.com 919-555-0134",
    ],
)
def test_the_firm_a_line_says_a_lead_or_call_is_for_is_the_recipients(extractor: Extractor, note: str) -> None:
    lead = _one(extractor, note.encode(), "note.txt")
    assert lead.value("full_name") == "Dwayne Kessler"
    assert lead.value("company") is None
    assert "Ashgrove Plumbing LLC" in {o.value for o in lead.role_values("recipient")}
