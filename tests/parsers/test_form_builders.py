"""Documented webhook shapes of form builders (written here from their documented field layouts, every value
invented): each reads to the same lead."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.parsers.helpers import structured

WANDA = {"full_name": "Wanda Osei", "email": "wanda.osei@gmail.example", "phone": "(415) 555-0133"}

SHAPES: dict[str, Any] = {
    "answers naming their field by id": {"event_type": "form_response", "form_response": {
        "definition": {"fields": [{"id": "a1", "title": "What's your name?"}, {"id": "a2", "title": "Your email"},
                                  {"id": "a3", "title": "Phone number"}, {"id": "a4", "title": "Which service?"}]},
        "answers": [
            {"type": "text", "text": "Wanda Osei", "field": {"id": "a1", "type": "short_text"}},
            {"type": "email", "email": "wanda.osei@gmail.example", "field": {"id": "a2", "type": "email"}},
            {"type": "phone_number", "phone_number": "(415) 555-0133", "field": {"id": "a3", "type": "phone_number"}},
            {"type": "choice", "choice": {"label": "Deep cleaning"}, "field": {"id": "a4", "type": "multiple_choice"}},
        ]}},
    "question-numbered keys in a JSON string": {"formID": "1", "rawRequest": json.dumps({
        "q3_name": {"first": "Wanda", "last": "Osei"}, "q4_email": "wanda.osei@gmail.example",
        "q5_phoneNumber": {"full": "(415) 555-0133"}})},
    "a dict of titled fields": {"form": {"id": "f1"}, "fields": {
        "name": {"id": "name", "type": "text", "title": "Name", "value": "Wanda Osei"},
        "email": {"id": "email", "type": "email", "title": "Email", "value": "wanda.osei@gmail.example"},
        "field_3": {"id": "field_3", "type": "tel", "title": "Phone", "value": "(415) 555-0133"}}},
    "one-value wrappers": {"properties": {"firstname": {"value": "Wanda"}, "lastname": {"value": "Osei"},
                                          "email": {"value": "wanda.osei@gmail.example", "timestamp": "1"},
                                          "phone": {"value": "(415) 555-0133"}}},
    "one-item lists": {"data.json": json.dumps({"name": ["Wanda Osei"], "email": ["wanda.osei@gmail.example"],
                                                "phone_number": ["(415) 555-0133"]})},
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_shape_reads_to_the_lead(shape: str) -> None:
    _vendor, [lead] = structured(json.dumps(SHAPES[shape]), "hook.json")
    assert {k: lead.value(k) for k in WANDA} == WANDA


def test_a_chosen_answer_is_the_interest() -> None:
    _vendor, [lead] = structured(json.dumps(SHAPES["answers naming their field by id"]), "hook.json")
    assert lead.value("interest") == "Deep cleaning"


def test_bare_field_numbers_are_read_by_the_shape_of_their_value() -> None:
    payload = {"id": "88", "form_id": "3", "1.3": "Wanda", "2": "wanda.osei@gmail.example", "3": "(415) 555-0133"}
    _vendor, [lead] = structured(json.dumps(payload), "hook.json")
    assert (lead.value("email"), lead.value("phone")) == ("wanda.osei@gmail.example", "(415) 555-0133")
