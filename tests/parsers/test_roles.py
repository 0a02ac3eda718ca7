"""The other side of the transaction: kept with its role, never taken as the lead's."""

from __future__ import annotations

import json

from parsers.document import document_from_parts
from parsers.lead import RoleValue
from parsers.structured import is_relay_name, person_of
from tests.parsers.helpers import structured


def _lead(raw: str, hint: str | None = None) -> tuple[dict[str, str | None], tuple[RoleValue, ...]]:
    _, leads = structured(raw, hint)
    assert len(leads) == 1
    return leads[0].plain(), leads[0].others


def test_dealer_section_values_are_kept_as_the_dealers() -> None:
    fields, others = _lead(
        "Händlerdaten\nName: Autohaus Brenner\nTelefon: 089 5550 1200\n\nKundendaten\nName: Lea Vogt\n"
        "E-Mail: lea.vogt@example.de\nTelefon: 0171 5550 3321\n"
    )
    assert (fields["full_name"], fields["phone"]) == ("Lea Vogt", "0171 5550 3321")
    assert RoleValue("phone", "089 5550 1200", "dealer", "reader:labels:Telefon") in others
    assert all(o.value != "Lea Vogt" for o in others)


def test_property_address_is_the_propertys_and_the_leads_own_address_stays() -> None:
    fields, others = _lead(
        "Contact information\nName: Oren Blackwood\nEmail: oren.b@example.com\nAddress: 19 Quarry Lane, Ithaca, "
        "NY 14850\n\nProperty information\nAddress: 402 Lakeview Terrace, Geneva, NY 14456\nPrice: $389,000\n"
    )
    assert (fields["street"], fields["city"]) == ("19 Quarry Lane", "Ithaca")
    property_parts = {o.field: o.value for o in others if o.role == "property"}
    assert property_parts["street"] == "402 Lakeview Terrace"
    assert property_parts["city"] == "Geneva"


def test_labels_naming_the_agent_are_the_agents() -> None:
    fields, others = _lead("Name: Wen Zhao\nEmail: wen.zhao@example.com\nAgent Name: Carla Dunmore\n"
                           "Agent Phone: 555-013-7788\n")
    assert fields["full_name"] == "Wen Zhao"
    assert fields["phone"] is None
    assert {(o.field, o.value, o.role) for o in others} >= {("full_name", "Carla Dunmore", "agent"),
                                                              ("phone", "555-013-7788", "agent")}


def test_json_agent_and_dealer_blocks_are_kept_aside() -> None:
    payload = {"lead": {"name": "Ruth Abiodun", "email": "ruth.a@example.com"},
               "agent": {"name": "Paolo Ferri", "phone": "555-014-2200"},
               "property": {"street": "8 Birch Row", "city": "Dayton", "state": "OH"}}
    fields, others = _lead(json.dumps(payload), "lead.json")
    assert fields["full_name"] == "Ruth Abiodun"
    assert fields["phone"] is None and fields["street"] is None
    roles = {(o.field, o.role) for o in others}
    assert ("phone", "agent") in roles
    assert ("street", "property") in roles


def test_relay_display_names_are_no_person() -> None:
    assert is_relay_name("BrightHome Leads")
    assert is_relay_name("Sofia Reyes via Houzz")
    assert not is_relay_name("Sofia Reyes")
    doc = document_from_parts(body="Hi", sender="Portal Notifications <notify@portal.example>")
    assert person_of(doc) == (None, "notify@portal.example")
    raw = ("From: QuoteHub Leads <leads@quotehub.example>\nTo: office@roofer.example\nSubject: New request\n\n"
           "Name: Imani Clarke\nEmail: imani.c@example.com\nPhone: 555-016-4410\n")
    _, leads = structured(raw)
    assert leads[0].value("full_name") == "Imani Clarke"
    assert RoleValue("full_name", "QuoteHub Leads", "sender", "reader:mime:from") in leads[0].others


def test_a_sellers_property_is_the_sellers_own_address() -> None:
    payload = {"lead": {"type": "Seller", "person": {"first_name": "Gus", "last_name": "Orland",
                                                     "email": "gus.o@example.com"},
                        "property": {"address": "77 Sparrow Hill Rd", "city": "Bend", "state": "OR",
                                     "zip": "97701"}}}
    fields, _ = _lead(json.dumps(payload), "seller.json")
    assert (fields["street"], fields["city"], fields["postal_code"]) == ("77 Sparrow Hill Rd", "Bend", "97701")


def test_the_object_address_is_what_is_asked_about_and_the_person_block_is_the_leads() -> None:
    fields, _ = _lead(
        "Objektadresse: Lerchenfeld 9, 22081 Hamburg\n\nAnfragender:\nFrau Dr. Ute Brammer\nSchillerstraße 4\n"
        "22767 Hamburg\nTelefon: 040 5551 2200\nE-Mail: ute.brammer@example.de\n"
    )
    assert fields["full_name"] == "Ute Brammer"
    assert (fields["street"], fields["postal_code"]) == ("Schillerstraße 4", "22767")
    assert fields["interest"] is not None and "Lerchenfeld 9" in fields["interest"]


def test_initials_with_a_calling_name_and_a_dutch_double_surname() -> None:
    fields, _ = _lead("Naam: mevrouw J. (Joke) van Dam-de Boer\nE-mail: joke.vandam@example.nl\n")
    assert (fields["full_name"], fields["first_name"], fields["last_name"]) == (
        "Joke van Dam-de Boer", "Joke", "van Dam-de Boer")
