"""The business a payload is delivered to (its ``business``, ``account`` or ``location`` object beside the
person who asks) is never the lead's company or address; an empty company field names no company."""

from __future__ import annotations

import json

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage
from tests.parsers.helpers import structured


def _lead(payload: object) -> tuple[dict[str, str | None], list[tuple[str, str, str]]]:
    _, leads = structured(json.dumps(payload), "lead.json")
    assert len(leads) == 1
    return leads[0].plain(), [(o.field, o.value, o.role) for o in leads[0].others]


def test_business_object_beside_customer_is_set_aside() -> None:
    lead, others = _lead({
        "business": {"name": "Copperline Electric", "phone": "+1 303 555 0100",
                     "address": {"street": "40 Elm Ave", "city": "Denver", "state": "CO"}},
        "customer": {"name": "Sabine Rutledge", "email": "sabine.r@example.net", "phone": "+1 303 555 0164",
                     "address": {"city": "Aurora", "state": "CO"}},
    })
    assert lead["full_name"] == "Sabine Rutledge"
    assert lead["company"] is None
    assert (lead["phone"], lead["city"]) == ("+1 303 555 0164", "Aurora")
    assert ("company", "Copperline Electric", "provider") in others
    assert ("city", "Denver", "provider") in others


@pytest.mark.parametrize("key", ["account", "location", "empresa", "standort"])
def test_account_or_location_object_is_not_the_leads(key: str) -> None:
    lead, _ = _lead({key: {"company_name": "Northgate Pools", "city": "Tucson"},
                     "contact": {"first_name": "Ilse", "last_name": "Marr", "email": "ilse.marr@example.org"}})
    assert lead["company"] is None and lead["city"] is None


def test_company_inside_the_person_object_stays_the_leads() -> None:
    lead, _ = _lead({"lead": {"name": "Corin Vale", "email": "corin@valeworks.example", "company": "Valeworks"},
                     "business": {"name": "Ledgerline Accounting"}})
    assert lead["company"] == "Valeworks"


def test_company_object_without_a_person_object_is_the_leads() -> None:
    lead, _ = _lead({"email": "tam@oakhurst.example", "phone": "555-0119", "company": {"name": "Oakhurst Farms"}})
    assert lead["company"] == "Oakhurst Farms"


def test_empty_company_field_is_no_company() -> None:
    raw = ("From: Site Forms <forms@site.example>\nTo: sales@site.example\nSubject: New contact form\n"
           "Content-Type: text/plain\n\nName: Wilma Strand\nEmail: wilma@strandcabinetry.example\n"
           "Phone: 555-0191\nCompany:\nMessage: Looking for a quote on two rooftop units.\n")
    lead = Extractor().extract(RawMessage(raw=raw.encode(), channel="smtp")).leads[0].plain()
    assert lead["company"] is None
    assert lead["message"] == "Looking for a quote on two rooftop units."
