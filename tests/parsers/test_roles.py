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
