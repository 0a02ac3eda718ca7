"""Call-tracking payloads: the account a call is delivered to sits beside the call, whose caller (a few levels
down, with only a number) is the lead; a form-encoded webhook body is read as its keys and values."""

from __future__ import annotations

import json

from nlp.extractor import Extractor
from parsers.document import load_document
from parsers.lead import RawMessage
from tests.parsers.helpers import structured


def test_account_beside_a_call_whose_caller_is_deeper_is_set_aside() -> None:
    payload = {
        "account": {"name": "Pelican Bay Plumbing", "phone": "+12515550100"},
        "call": {"direction": "inbound", "caller": {"number": "+12515550188",
                                                     "geo": {"city": "Fairhope", "state": "AL"}}},
    }
    _, leads = structured(json.dumps(payload), "call.json")
    lead = leads[0].plain()
    assert lead["company"] is None
    assert lead["phone"] == "+12515550188"
    assert ("company", "Pelican Bay Plumbing") in [(o.field, o.value) for o in leads[0].others]


def test_a_company_object_without_a_person_beside_it_stays_the_leads() -> None:
    _, leads = structured(json.dumps({"company": {"name": "Pelican Bay Plumbing"}, "email": "ops@pelican.example",
                                      "first_name": "Rhea", "last_name": "Voss"}), "lead.json")
    assert leads[0].plain()["company"] == "Pelican Bay Plumbing"


def test_form_encoded_body_is_read_as_keys_and_values() -> None:
    body = ("CallSid=CA11&Direction=inbound&From=%2B17205550199&To=%2B13035550111&FromCity=LITTLETON"
            "&FromState=CO&FromZip=80120&ToCity=DENVER&CallerName=VOSS%20RHEA")
    doc = load_document(body.encode(), "call.txt")
    assert doc.kind == "json"
    assert json.loads(doc.payloads[0].text)["FromCity"] == "LITTLETON"
    lead = Extractor().extract(RawMessage(raw=body.encode(), channel="file", name_hint="call.txt")).leads[0].plain()
    assert (lead["phone"], lead["city"], lead["region"], lead["postal_code"]) == (
        "+17205550199", "LITTLETON", "CO", "80120")


def test_prose_with_an_ampersand_is_not_a_form_body() -> None:
    text = "Hi, I need a quote for R&D lab benches, a=b style notes & more. Call 555-0142."
    assert load_document(text.encode(), "note.txt").kind == "text"
