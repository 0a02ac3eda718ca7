"""Nested form payloads: name parts under a name object, phones in a plural list, answers under keys the
dictionary does not know, and the form's own name, in several languages."""

from __future__ import annotations

import json

from tests.parsers.helpers import one, structured


def _lead(payload: object) -> dict[str, str | None]:
    return one(json.dumps(payload), "form.json")


def test_name_parts_inside_a_name_object() -> None:
    lead = _lead({"contacto": {"nombre": {"nombre": "Rocío", "apellidos": "Vela Montaner"},
                               "email": "rocio.vela@example.es"}})
    assert (lead["first_name"], lead["last_name"]) == ("Rocío", "Vela Montaner")


def test_phone_in_a_plural_list_of_numbers() -> None:
    lead = _lead({"contato": {"nome": "Davi Sarmento", "email": "davi.s@example.com.br",
                              "telefones": [{"tipo": "celular", "numero": "+55 21 98812-4410"}]}})
    assert lead["phone"] == "+55 21 98812-4410"


def test_form_name_is_no_person() -> None:
    lead = _lead({"formulario": {"nombre": "Solicitud de presupuesto"},
                  "contacto": {"email": "t.orue@example.es", "telefono": "+34 600 555 013"}})
    assert lead["full_name"] is None


def test_answers_under_unknown_keys_say_what_is_asked_for() -> None:
    lead = _lead({"lead": {"nome": "Ivo Brandão", "email": "ivo.b@example.pt"},
                  "respostas": {"tipo_de_obra": "Telhado novo", "area_m2": "120", "valor_credito": "R$ 80.000"}})
    assert lead["interest"] == "Telhado novo"  # the number and the amount are no interest


def test_listing_object_is_the_interest_and_its_agent_aside() -> None:
    _, leads = structured(json.dumps({
        "listing": {"address": {"line1": "88 Harrow Ct", "city": "Boise", "state": "ID", "zip": "83702"},
                    "price": "512000", "agent": {"name": "Odell Finch", "phone": "208-555-0100"}},
        "inquirer": {"name": "Priya Kalsi", "email": "priya.kalsi@example.com", "phone": "208-555-0149"},
    }), "inquiry.json")
    lead = leads[0].plain()
    assert lead["interest"] is not None and lead["interest"].startswith("88 Harrow Ct, Boise")
    assert lead["street"] is None and lead["full_name"] == "Priya Kalsi" and lead["phone"] == "208-555-0149"
    assert ("full_name", "Odell Finch", "agent") in [(o.field, o.value, o.role) for o in leads[0].others]
