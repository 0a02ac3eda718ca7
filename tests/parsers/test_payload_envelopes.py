"""Envelopes and tables around a payload's lead: a webhook's change list with the lead inside its "value", a
sheet or export sent as arrays with a header row, and a webhook's own event name (never an answer)."""

from __future__ import annotations

import json

from tests.parsers.helpers import one, structured

FIELD_DATA = [
    {"name": "full_name", "values": ["Ruairi Delacroix"]},
    {"name": "email", "values": ["ruairi.d@example.net"]},
    {"name": "phone_number", "values": ["+353 87 555 0142"]},
]


def test_a_page_webhook_carrying_the_lead_in_its_change_value() -> None:
    webhook = {"object": "page", "entry": [{"id": "1", "time": 1717000000, "changes": [
        {"field": "leadgen", "value": {"leadgen_id": "555", "form_id": "77", "field_data": FIELD_DATA}}]}]}
    fields = one(json.dumps(webhook), "hook.json")
    assert (fields["full_name"], fields["email"]) == ("Ruairi Delacroix", "ruairi.d@example.net")


def test_a_change_value_that_is_a_plain_answer_stays_a_pair() -> None:
    payload = {"fields": [{"field": "Name", "value": "Orla Byrne"}, {"field": "Email", "value": "orla@example.ie"}]}
    assert one(json.dumps(payload), "form.json")["full_name"] == "Orla Byrne"


def test_columns_and_rows_give_one_lead_per_row() -> None:
    export = {"columns": ["Name", "Email", "Phone", "City"],
              "rows": [["Tomasz Wójcik", "tomasz.w@example.pl", "+48 601 555 014", "Kraków"],
                       ["Ewa Nowak", "ewa.nowak@example.pl", "+48 602 555 015", "Gdańsk"]]}
    _, leads = structured(json.dumps(export), "export.json")
    assert [(lead.value("full_name"), lead.value("city")) for lead in leads] == [
        ("Tomasz Wójcik", "Kraków"), ("Ewa Nowak", "Gdańsk")]


def test_a_sheets_values_range_with_a_header_row() -> None:
    sheet = {"range": "Leads!A1:C3", "majorDimension": "ROWS", "values": [
        ["Name", "Email", "Telefon"],
        ["Oksana Melnyk", "oksana.m@example.ua", "+380 67 555 0142"],
        ["Rafael Costa", "rafael.costa@example.br", "+55 21 95555 0101"]]}
    _, leads = structured(json.dumps(sheet), "sheet.json")
    assert [lead.value("email") for lead in leads] == ["oksana.m@example.ua", "rafael.costa@example.br"]


def test_an_array_of_arrays_whose_first_row_names_the_fields() -> None:
    rows = [["First name", "Last name", "E-mail"], ["Karin", "Bauer", "karin.bauer@example.at"]]
    fields = one(json.dumps(rows), "rows.json")
    assert (fields["first_name"], fields["last_name"], fields["email"]) == ("Karin", "Bauer", "karin.bauer@example.at")


def test_arrays_without_a_header_of_lead_fields_are_not_a_table() -> None:
    payload = {"name": "Lena Vogt", "email": "lena.vogt@example.de",
               "scores": [["round", "points"], ["1", "7"]]}
    fields = one(json.dumps(payload), "quiz.json")
    assert fields["full_name"] == "Lena Vogt"


def test_a_webhooks_event_name_is_not_the_interest() -> None:
    payload = {"event_type": "form_response", "event": "invitee.created",
               "name": "Sunita Raghavan", "email": "sunita.r@example.com", "service": "Solar panels"}
    fields = one(json.dumps(payload), "hook.json")
    assert fields["interest"] == "Solar panels"


def test_an_event_type_answer_in_words_is_the_interest() -> None:
    payload = {"name": "Ines Duarte", "email": "ines.duarte@example.pt", "event_type": "Wedding reception"}
    assert one(json.dumps(payload), "venue.json")["interest"] == "Wedding reception"
