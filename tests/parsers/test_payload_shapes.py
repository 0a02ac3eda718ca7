"""Payload shapes whose lead was lost whole: a lead as base64 JSON (a push queue's "data"), a submission sent as
one string of "Label: value" lines or an HTML table, key/value rows, pair lists whose label or value key is
another than the usual ones, contact lists of kinds ("work", "mobile"), bracketed form keys, XML fields named by
attributes, XML held in a CDATA leaf, and mailto:/tel: links whose text does not spell the target."""

from __future__ import annotations

import base64
import json
from urllib.parse import urlencode

import pytest

from parsers.html import html_to_text
from tests.parsers.helpers import one

LEAD = {"full_name": "Berenike Strand", "email": "b.strand@example.no", "phone": "+47 412 55 018"}


def contact(fields: dict[str, str | None]) -> tuple[str | None, str | None, str | None]:
    return fields["full_name"], fields["email"], fields["phone"]


def expected() -> tuple[str, str, str]:
    return LEAD["full_name"], LEAD["email"], LEAD["phone"]


def test_a_lead_sent_as_base64_json_in_a_push_envelope() -> None:
    data = base64.b64encode(json.dumps({"name": LEAD["full_name"], "email": LEAD["email"],
                                        "phone": LEAD["phone"]}).encode()).decode()
    push = {"message": {"data": data, "messageId": "9", "publishTime": "2026-11-30T10:00:00Z"},
            "subscription": "projects/p/subscriptions/leads"}
    assert contact(one(json.dumps(push), "push.json")) == expected()


def test_a_submission_sent_as_one_string_of_labelled_lines() -> None:
    payload = {"id": 8, "submission": f"Name: {LEAD['full_name']}\nE-mail: {LEAD['email']}\n"
                                      f"Telefon: {LEAD['phone']}\nNachricht: Bitte um Rückruf"}
    assert contact(one(json.dumps(payload), "hook.json")) == expected()


def test_a_submission_sent_as_an_html_table_in_a_string() -> None:
    rows = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in
                   (("Name", LEAD["full_name"]), ("Email", LEAD["email"]), ("Phone", LEAD["phone"])))
    assert contact(one(json.dumps({"body_html": f"<table>{rows}</table>"}), "hook.json")) == expected()


def test_a_prose_string_stays_a_string() -> None:
    payload = {"name": LEAD["full_name"], "email": LEAD["email"],
               "message": "Hello there.\nCould you call me back: tomorrow works.\nThanks"}
    assert one(json.dumps(payload), "hook.json")["email"] == LEAD["email"]


def test_key_value_rows() -> None:
    rows = [["name", LEAD["full_name"]], ["email", LEAD["email"]], ["telefoon", LEAD["phone"]]]
    assert contact(one(json.dumps(rows), "rows.json")) == expected()


def test_a_pair_list_whose_labels_are_under_label_not_key() -> None:
    fields = [{"key": "question_1", "label": "Name", "value": LEAD["full_name"]},
              {"key": "question_2", "label": "Email", "value": LEAD["email"]},
              {"key": "question_3", "label": "Phone", "value": LEAD["phone"]}]
    hook = {"eventType": "FORM_RESPONSE", "data": {"formName": "Contact", "fields": fields}}
    assert contact(one(json.dumps(hook), "hook.json")) == expected()


def test_a_pair_list_whose_value_key_says_value() -> None:
    info = [{"field_name": "name", "field_value": LEAD["full_name"]},
            {"field_name": "email", "field_value": LEAD["email"]},
            {"field_name": "phone_number", "field_value": LEAD["phone"]}]
    assert contact(one(json.dumps({"lead_id": "7", "user_info": info}), "hook.json")) == expected()


def test_answers_wrapped_in_objects_of_one_key() -> None:
    answers = [{"questionId": q, "answerDetails": {"textQuestionAnswer": {"answer": a}}}
               for q, a in (("fullName", LEAD["full_name"]), ("emailAddress", LEAD["email"]),
                            ("phoneNumber", LEAD["phone"]))]
    assert contact(one(json.dumps({"formResponse": {"answers": answers}}), "hook.json")) == expected()


def test_contact_lists_of_kinds_and_a_name_beside_them() -> None:
    person = {"id": 55, "name": LEAD["full_name"],
              "emails": [{"label": "work", "value": LEAD["email"], "primary": True}],
              "phones": [{"label": "mobile", "value": LEAD["phone"], "primary": True}]}
    assert contact(one(json.dumps({"meta": {"action": "added"}, "current": person}), "hook.json")) == expected()


def test_bracketed_form_keys_are_nested() -> None:
    body = urlencode({"type": "subscribe", "data[email]": LEAD["email"], "data[merges][FNAME]": "Berenike",
                      "data[merges][LNAME]": "Strand", "data[merges][PHONE]": LEAD["phone"]})
    assert contact(one(body, "hook.txt")) == expected()


def test_links_whose_text_does_not_spell_their_target() -> None:
    html = ('<div>Email: <a href="mailto:b.strand@example.no?subject=Hi">Send an <b>email</b></a></div>'
            '<div>Phone: <a href="tel:+4741255018">Call now</a></div><a href="mailto:x@example.org">x@example.org</a>')
    assert html_to_text(html).split("\n") == [
        "Email: b.strand@example.no", "", "Phone: +4741255018", "x@example.org"]


def test_plural_contact_keys_holding_lists() -> None:
    payload = {"contact": {"Name": LEAD["full_name"], "Emails": [LEAD["email"]], "Phones": [LEAD["phone"]]}}
    assert contact(one(json.dumps(payload), "hook.json")) == expected()


def test_an_item_holding_a_persons_email_is_an_envelope_not_a_property() -> None:
    hook = {"topic": "conversation.user.created", "data": {"item": {"type": "conversation", "source": {
        "body": "<p>Pricing for 20 seats?</p>",
        "author": {"type": "lead", "name": LEAD["full_name"], "email": LEAD["email"]}}}}}
    fields = one(json.dumps(hook), "hook.json")
    assert (fields["full_name"], fields["email"]) == (LEAD["full_name"], LEAD["email"])


def test_a_short_form_post_and_a_json_payload_field() -> None:
    assert contact(one(urlencode({"name": LEAD["full_name"], "email": LEAD["email"], "phone": LEAD["phone"]}),
                       "hook.txt")) == expected()
    body = urlencode({"payload": json.dumps({"name": LEAD["full_name"], "email": LEAD["email"],
                                             "phone": LEAD["phone"]})})
    assert contact(one(body, "hook.txt")) == expected()


def test_email_lists_whose_items_say_address() -> None:
    client = {"firstName": "Berenike", "lastName": "Strand", "emails": [{"address": LEAD["email"], "primary": True}],
              "phones": [{"number": LEAD["phone"], "primary": True}]}
    assert contact(one(json.dumps({"topic": "CLIENT_CREATE", "client": client}), "hook.json")) == expected()


def test_a_list_of_one_key_objects() -> None:
    fields = [{"Name": LEAD["full_name"]}, {"Email": LEAD["email"]}, {"Phone": LEAD["phone"]}]
    assert contact(one(json.dumps({"fields": fields}), "hook.json")) == expected()


def test_values_sent_still_escaped() -> None:
    payload = {"name": "Berenike+Strand", "email": "b.strand&#64;example.no", "phone": "%2B47%20412%2055%20018"}
    assert contact(one(json.dumps(payload), "hook.json")) == expected()


def test_a_field_object_whose_value_key_says_value() -> None:
    state = {"b1": {"name": {"type": "plain_text_input", "value": LEAD["full_name"]}},
             "b2": {"email": {"type": "email_text_input", "value": LEAD["email"]}},
             "b3": {"phone": {"type": "plain_text_input", "value": LEAD["phone"]}}}
    assert contact(one(json.dumps({"view": {"state": {"values": state}}}), "hook.json")) == expected()


XML_SHAPES = [
    # fields named by attributes
    ('<?xml version="1.0"?><Lead><Field name="FullName" value="Berenike Strand"/>'
     '<Field name="Email" value="b.strand@example.no"/><Field name="Phone">+47 412 55 018</Field></Lead>'),
    # XML held in a CDATA leaf of an envelope
    ('<?xml version="1.0"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>'
     '<SubmitLead><leadXml><![CDATA[<lead><name>Berenike Strand</name><email>b.strand@example.no</email>'
     '<phone>+47 412 55 018</phone></lead>]]></leadXml></SubmitLead></soap:Body></soap:Envelope>'),
    # an element whose attributes are the lead
    '<?xml version="1.0"?><lead name="Berenike Strand" email="b.strand@example.no" phone="+47 412 55 018"/>',
    # escaped HTML rows in a leaf
    ('<?xml version="1.0"?><entry xmlns="http://www.w3.org/2005/Atom"><title>Lead</title><content type="html">'
     '&lt;p&gt;Name: Berenike Strand&lt;br/&gt;Email: b.strand@example.no&lt;br/&gt;Phone: +47 412 55 018'
     '&lt;/p&gt;</content></entry>'),
    # cells named by attribute under a phone-like key ("cell")
    ('<?xml version="1.0"?><response><row><cell name="Name">Berenike Strand</cell>'
     '<cell name="Email">b.strand@example.no</cell><cell name="Phone">+47 412 55 018</cell></row></response>'),
]


@pytest.mark.parametrize("xml", XML_SHAPES)
def test_xml_shapes(xml: str) -> None:
    assert contact(one(xml, "lead.xml")) == expected()
