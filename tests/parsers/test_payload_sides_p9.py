"""Whose values a payload's objects hold (issue 10, other sources): a location object holding only an address
is where the job is; a seller's owner is the lead; a referrer is the partner; call lists give one lead a call;
caller-ID names of three words; CRM property/value pairs."""

from __future__ import annotations

import json

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage
from tests.parsers.helpers import one, structured


def _read(payload: object) -> list[dict[str, str | None]]:
    raw = json.dumps(payload).encode()
    return [lead.plain() for lead in Extractor().extract(RawMessage(raw=raw, channel="file",
                                                                    name_hint="lead.json")).leads]


def test_location_object_with_only_an_address_is_the_leads() -> None:
    lead = one(json.dumps({
        "customer": {"name": "Edda Morland", "email": "edda.morland@example.net"},
        "location": {"nickname": "Home", "address": {"line1": "19 Quarry Rd", "city": "Bend", "state": "OR",
                                                     "postalCode": "97701"}},
    }), "lead.json")
    assert (lead["street"], lead["city"], lead["postal_code"]) == ("19 Quarry Rd", "Bend", "97701")


def test_location_object_naming_a_firm_stays_the_business() -> None:
    _, leads = structured(json.dumps({
        "customer": {"name": "Edda Morland", "email": "edda.morland@example.net"},
        "location": {"name": "Cascade Glass Bend", "phone": "+1 541 555 0100", "city": "Bend"},
    }), "lead.json")
    assert leads[0].plain()["city"] is None
    assert ("city", "Bend") in [(o.field, o.value) for o in leads[0].others]


def test_property_value_pairs_of_a_crm_contact() -> None:
    lead = one(json.dumps({"properties": [
        {"property": "firstname", "value": "Tilde"}, {"property": "lastname", "value": "Aaberg"},
        {"property": "email", "value": "tilde@aaberg.example"}, {"property": "jobtitle", "value": "Buyer"},
        {"property": "hs_lead_status", "value": "NEW"}]}), "lead.json")
    assert lead["full_name"] == "Tilde Aaberg"
    assert lead["interest"] is None  # a job title and a CRM status say nothing of what is asked for


def test_a_seller_leads_owner_and_property_are_the_leads() -> None:
    lead = one(json.dumps({"lead_type": "Seller", "owner": {"name": "Ottilie Brand", "phone": "(480) 555-0131"},
                           "property": {"address": "55 Mesa Way", "city": "Tempe", "state": "AZ"}}), "lead.json")
    assert (lead["full_name"], lead["street"], lead["city"]) == ("Ottilie Brand", "55 Mesa Way", "Tempe")


@pytest.mark.parametrize("key", ["referred_by", "referente", "vermittler"])
def test_a_referrer_is_the_partner_not_the_lead(key: str) -> None:
    lead = one(json.dumps({key: {"name": "Basil Orme", "phone": "(617) 555-0105", "company": "Orme Tax"},
                           "client_name": "Yara Lund", "client_phone": "(617) 555-0181"}), "lead.json")
    assert (lead["full_name"], lead["phone"], lead["company"]) == ("Yara Lund", "(617) 555-0181", None)


def test_a_list_of_calls_gives_one_lead_a_call() -> None:
    _, leads = structured(json.dumps({"calls": [
        {"caller_id": "JOHN R SMITHERS", "from": "+12105550112", "to": "+12105550100"},
        {"caller_id": "OSEI ABENA", "from": "+12105550158", "to": "+12105550100"}]}), "calls.json")
    got = [(lead.plain()["full_name"], lead.plain()["phone"]) for lead in leads]
    assert got == [("JOHN R SMITHERS", "+12105550112"), ("Abena Osei", "+12105550158")]


@pytest.mark.parametrize(("cnam", "name"), [
    ("HOLLOWAY DEREK JAMES", "Derek James Holloway"),   # the carriers' habit: surname first
    ("DEREK JAMES HOLLOWAY", "Derek James Holloway"),   # written first name first: the gazetteers turn it back
    ("SANZ PEREZ LUCIA", "Lucia Sanz Perez"),           # two surnames, then the given name
])
def test_three_word_caller_id_names(cnam: str, name: str) -> None:
    lead = _read({"caller_name": cnam, "caller_number": "+15035550149", "tracking_number": "+15035550111"})[0]
    assert lead["full_name"] == name
    assert lead["phone"] == "+15035550149"


def test_a_partner_signing_the_note_is_no_second_lead() -> None:
    note = ("Hallo zusammen,\n\nunser Vertriebspartner Matthias Greve (Greve Finanzplanung) hat uns seine Kundin "
            "Frau Dragana Petrović weitergegeben. Sie ist unter 0521 5559 2231 oder dragana.petrovic@web.de "
            "erreichbar.\n\nViele Grüße\nMatthias Greve\nGreve Finanzplanung · 0521 5559 0000\n")
    leads = Extractor().extract(RawMessage(raw=note.encode(), channel="file", name_hint="note.txt")).leads
    assert [lead.plain()["full_name"] for lead in leads] == ["Dragana Petrović"]


@pytest.mark.parametrize(("cnam", "name"), [("GUTIERREZ MARIA", "Maria Gutierrez"),
                                            ("HOLLOWAY DEREK JAMES", "Derek James Holloway")])
def test_a_call_mails_caller_label_holds_a_caller_id_name(cnam: str, name: str) -> None:
    raw = ("From: Call Alerts <alerts@calls.example>\nTo: office@roofs.example\nSubject: New call\n"
           "Content-Type: text/plain\n\nYou received a call to your tracking number.\n\n"
           f"Caller: {cnam}\nCaller Number: (503) 555-0149\nTracking Number: (503) 555-0111\n")
    lead = Extractor().extract(RawMessage(raw=raw.encode(), channel="smtp")).leads[0].plain()
    assert (lead["full_name"], lead["phone"]) == (name, "(503) 555-0149")


def test_a_partners_mail_passing_a_client_on_is_no_message_of_the_clients() -> None:
    raw = ("From: Wes Hartley <wes@hartleywealth.example>\nTo: team@homes.example\nSubject: Referral\n"
           "Content-Type: text/plain\n\nHi team,\n\nI'm passing along a client of mine, Priya Desai. She wants a "
           "4-bed near Carmel. Reach her at (317) 555-0164 or priya.desai@example.net.\n\nBest,\nWes Hartley\n"
           "Hartley Wealth Advisors\n(317) 555-0120\n")
    lead = Extractor().extract(RawMessage(raw=raw.encode(), channel="smtp")).leads[0].plain()
    assert (lead["full_name"], lead["phone"]) == ("Priya Desai", "(317) 555-0164")
    assert lead["message"] is None


def test_a_list_of_lead_contact_records_in_other_element_names_is_read_by_its_keys() -> None:
    xml = ("<?xml version='1.0'?><Leads>"
           "<Lead><Contact><FirstName>Lena</FirstName><LastName>Koch</LastName><Email>lena.koch@example.net</Email>"
           "</Contact><Notes>Looking for a quote on a heat pump.</Notes></Lead>"
           "<Lead><Contact><FirstName>Omar</FirstName><LastName>Said</LastName><Email>omar.said@example.net</Email>"
           "</Contact><Notes>Interested in solar panels for a barn.</Notes></Lead></Leads>")
    _, leads = structured(xml, "leads.xml")
    got = [(lead.plain()["full_name"], lead.plain()["message"]) for lead in leads]
    assert got == [("Lena Koch", "Looking for a quote on a heat pump."),
                   ("Omar Said", "Interested in solar panels for a barn.")]
