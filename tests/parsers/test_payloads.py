"""JSON webhook payloads: each shape, nested JSON strings, several leads, distractor contacts."""

from __future__ import annotations

import json

import pytest

from parsers.json_shapes import load_json
from parsers.lead import ExtractionError
from tests.parsers.helpers import one, structured


def test_facebook_field_data_with_escaped_at() -> None:
    payload = ('{"id": "1", "field_data": [{"name": "full_name", "values": ["Beatriz Solano"]},'
               '{"name": "email", "values": ["bea.solano\\u0040example.org"]},'
               '{"name": "date_of_birth", "values": ["1990-01-01"]}]}')
    fields = one(payload, "fb.json")
    assert fields["full_name"] == "Beatriz Solano"
    assert fields["email"] == "bea.solano@example.org"


def test_facebook_several_leads() -> None:
    leads = [{"id": str(k), "field_data": [{"name": "first_name", "values": [f"Person{k}"]},
                                            {"name": "last_name", "values": ["Tester"]},
                                            {"name": "phone_number", "values": [f"555010{k:04d}"]}]}
             for k in range(3)]
    _, got = structured(json.dumps({"data": leads}), "fb.json")
    assert [lead.value("first_name") for lead in got] == ["Person0", "Person1", "Person2"]
    assert got[2].value("phone") == "5550100002"
    assert got[0].fields["first_name"].source == "reader:json:data/field_data/first_name"


def test_google_ads_user_column_data() -> None:
    payload = {"lead_id": "x", "form_id": 90071992547409930, "user_column_data": [
        {"column_name": "Full Name", "string_value": "Kwame Mensah", "column_id": "FULL_NAME"},
        {"column_name": "User Phone", "string_value": "+12065550177", "column_id": "PHONE_NUMBER"},
        {"column_name": "Region", "string_value": "Washington", "column_id": "REGION"},
        {"column_name": "Zip", "string_value": "98101", "column_id": "POSTAL_CODE"}]}
    fields = one(json.dumps(payload), "g.json")
    assert fields["full_name"] == "Kwame Mensah"
    assert fields["phone"] == "+12065550177"
    assert fields["region"] == "Washington"
    assert fields["postal_code"] == "98101"


def test_webflow_v1_form_name_is_not_a_person() -> None:
    payload = {"name": "Quote Form", "site": "abc", "data": {"name": "Hale Morgan", "email": "hale@example.com"}}
    fields = one(json.dumps(payload), "wf.json")
    assert fields["full_name"] == "Hale Morgan"


def test_webflow_v2_number_phone_is_not_corrupted() -> None:
    raw = ('{"triggerType": "form_submission", "payload": {"name": "Contact Us", "siteId": "s1", '
           '"data": {"First Name": "Odile", "Last Name": "Marchand", "Phone Number": 15550101234, '
           '"Budget": 12000.50}, "schema": [{"fieldName": "First Name", "fieldType": "FormTextInput"}]}}')
    fields = one(raw, "wf.json")
    assert (fields["first_name"], fields["last_name"], fields["full_name"]) == ("Odile", "Marchand", "Odile Marchand")
    assert fields["phone"] == "15550101234"
    assert fields["budget"] == "12000.50"


def test_formstack_nested_subfields_and_obfuscated_email() -> None:
    payload = {"FormID": "1", "Name": {"first": "Imogen", "last": "Tate"}, "Email": "[email\u00a0protected]",
               "Address": {"address": "9 Kiln Street", "city": "Dayton", "state": "OH", "zip": "45402"}}
    fields = one(json.dumps(payload), "fs.json")
    assert (fields["first_name"], fields["last_name"]) == ("Imogen", "Tate")
    assert fields["email"] is None
    assert (fields["street"], fields["city"], fields["region"], fields["postal_code"]) == (
        "9 Kiln Street", "Dayton", "OH", "45402")


def test_home_services_camel_case_with_name_conflict() -> None:
    payload = {"name": "Pat Nickname", "firstName": "Patricia", "lastName": "Oduya", "primaryPhone": "5550104455",
               "secondaryPhone": "5550109999", "email": "p.oduya@example.com", "taskName": "Deck Staining",
               "comments": "Deck is about 300 sq ft.", "spCompanyName": "Stain Pros LLC", "spPhone": "5550100001",
               "interview": [{"question": "Desired Completion Date", "answer": "Within 2 weeks"},
                             {"question": "Deck material", "answer": "Cedar"}]}
    _, leads = structured(json.dumps(payload), "ha.json")
    lead = leads[0]
    fields = lead.plain()
    assert (fields["first_name"], fields["last_name"]) == ("Patricia", "Oduya")
    assert fields["full_name"] == "Pat Nickname"
    assert "name_conflict" in lead.fields["full_name"].flags
    assert lead.fields["full_name"].alternatives == ("Patricia Oduya",)
    assert fields["phone"] == "5550104455"
    assert lead.fields["phone"].alternatives == ("5550109999",)
    assert fields["company"] is None
    assert fields["interest"] == "Deck Staining (Cedar)"
    assert fields["timeline"] == "Within 2 weeks"
    assert fields["message"] == "Deck is about 300 sq ft."


def test_sns_envelope_with_double_encoded_message() -> None:
    inner = {"ContactMessage": {"ContactInfo": {"ContactName": "Lior Ben-David ", "ContactEmail": "lior@example.com",
                                                "ContactPhone": "(555) 010-3030", "ContactMessage": "Please call me.",
                                                "Brokerage": "Some Broker",
                                                "Assignee": {"AgentName": "Alma Agent",
                                                             "AgentEmail": "alma@broker.example"}},
                                "SearchCriteria": {"MinPrice": "200000", "MaxPrice": "350000"},
                                "PropertyInfo": {"StreetAddress": "12 Birch Row", "City": "Tampa", "State": "FL",
                                                 "Zip": "33602", "ListingPrice": "310000"}}}
    envelope = {"Type": "Notification", "Message": json.dumps(inner), "Signature": "abc=="}
    fields = one(json.dumps(envelope), "sns.json")
    assert fields["full_name"] == "Lior Ben-David"
    assert fields["email"] == "lior@example.com"
    assert fields["phone"] == "(555) 010-3030"
    assert fields["message"] == "Please call me."
    assert fields["budget"] == "MinPrice 200000 / MaxPrice 350000"
    assert fields["interest"] == "12 Birch Row, Tampa, FL 33602 ($310000)"
    assert fields["street"] is None


def test_consumer_beats_agent_and_listing_contacts() -> None:
    payload = {"lead": {"recipient_info": {"recipient_name": "Rory Realtor", "recipient_email": "rory@agency.example"},
                        "consumer_info": {"first_name": "Suki", "last_name": "Yamada", "email": "suki@example.com",
                                          "phone": "555-010-2727"}},
               "listing_agent": {"name": "Lena Lister", "email": "lena@agency.example", "phone": "555-010-0001"},
               "property_info": {"street_address": "3 Elm St", "city": "Reno", "state_code": "NV", "zip": "89501",
                                 "property_type": "Condo", "property_status": "For Sale", "price": 415000},
               "preferences": {"recent_searches": [{"city": "Sparks", "price_max": 500000}]}}
    fields = one(json.dumps(payload), "re.json")
    assert (fields["first_name"], fields["last_name"]) == ("Suki", "Yamada")
    assert fields["email"] == "suki@example.com"
    assert fields["city"] is None
    assert fields["budget"] is None
    assert fields["interest"] == "3 Elm St, Reno, NV 89501 (Condo, For Sale, $415000)"


def test_top_level_array_of_plain_leads() -> None:
    payload = [{"name": "A One", "email": "a1@example.com"}, {"name": "B Two", "email": "b2@example.com"}]
    _, leads = structured(json.dumps(payload), "list.json")
    assert [lead.value("email") for lead in leads] == ["a1@example.com", "b2@example.com"]


def test_payload_without_a_lead_gives_no_lead() -> None:
    webhook = '{"object": "page", "entry": [{"id": "1", "changes": [{"field": "leadgen"}]}]}'
    vendor, leads = structured(webhook, "x.json")
    assert (vendor, leads) == (None, [])


def test_invalid_json_is_the_senders_fault() -> None:
    with pytest.raises(ExtractionError, match="not valid JSON"):
        structured('{"name": "x",', "broken.json")
    assert load_json("[1, 2.50]") == ["1", "2.50"]


@pytest.mark.parametrize("stamp", ["04.03.2027 09:41", "4/3/2027 9:41", "2027-03-04T09:41:00Z", "04.03.2027 09:41 Uhr"])
def test_a_dated_clock_time_under_a_timeline_key_is_the_records_stamp(stamp: str) -> None:
    payload = {"name": "Ilse Brandauer", "telefon": "+43 1 5550 7781", "zeitpunkt": stamp, "wunschtermin": "im Mai"}
    fields = one(json.dumps(payload), "rec.json")
    assert fields["timeline"] == "im Mai"
