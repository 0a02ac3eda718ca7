"""Nested form payloads: name parts under a name object, phones in a plural list, answers under keys the
dictionary does not know, and the form's own name, in several languages."""

from __future__ import annotations

import json

from tests.parsers.helpers import one


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
