"""A person object's keys no dictionary knows: an email address by its shape, a name only when it spells the
address's local part."""

from __future__ import annotations

import json

import pytest

from parsers.payload_unknown import spells_local_part
from tests.parsers.helpers import one


def test_a_person_objects_unknown_keys_give_the_email_and_the_name_it_spells() -> None:
    payload = {"rev": 3, "prospect": {"fn": "Dagny Ruusunen", "ml": "dagny.ruusunen@example.fi",
                                      "ph": "+358 40 555 0182", "tg": "Sauna Remont"}}
    fields = one(json.dumps(payload), "hook.json")
    assert fields["email"] == "dagny.ruusunen@example.fi"
    assert fields["full_name"] == "Dagny Ruusunen"


def test_a_value_that_does_not_spell_the_address_is_no_name() -> None:
    payload = {"prospect": {"tg": "Sauna Remont", "ml": "dagny.ruusunen@example.fi", "ph": "+358 40 555 0182"}}
    fields = one(json.dumps(payload), "hook.json")
    assert fields["full_name"] is None


@pytest.mark.parametrize(("name", "email", "spelled"), [
    ("Dagny Ruusunen", "dagny.ruusunen@example.fi", True),
    ("Dagny Ruusunen", "druusunen@example.fi", True),
    ("Dagny Ruusunen", "ruusunen.d@example.fi", True),
    ("Łucja Wróbel", "lucja.wrobel@example.pl", True),
    ("Søren Ågård", "soren.agard@example.dk", True),
    ("Sauna Remont", "dagny.ruusunen@example.fi", False),
    ("Dagny Ruusunen", "ruusunen@example.fi", False),
])
def test_which_names_spell_an_address(name: str, email: str, spelled: bool) -> None:
    assert spells_local_part(name, email) is spelled


def test_an_answer_to_an_unknown_question_that_spells_the_email_is_the_name_and_long_text_is_the_message() -> None:
    payload = {"form_response": {
        "definition": {"fields": [{"id": "f1", "type": "short_text", "title": "Who should we ask for?"},
                                  {"id": "f2", "type": "email", "title": "Where can we write"},
                                  {"id": "f3", "type": "long_text", "title": "Anything about the site"}]},
        "answers": [{"type": "text", "text": "Oluwaseun Adeyemi", "field": {"id": "f1", "type": "short_text"}},
                    {"type": "email", "email": "oadeyemi@example.ng", "field": {"id": "f2", "type": "email"}},
                    {"type": "text", "text": "Steep drive, park on the street.",
                     "field": {"id": "f3", "type": "long_text"}}]}}
    fields = one(json.dumps(payload), "typed.json")
    assert fields["full_name"] == "Oluwaseun Adeyemi"
    assert fields["message"] == "Steep drive, park on the street."
    assert fields["interest"] is None


@pytest.mark.parametrize("style", ["{}.{}", "{}__{}", "{}[{}]"])
def test_keys_that_write_a_path_read_as_the_nested_objects_they_name(style: str) -> None:
    def key(*steps: str) -> str:
        out = steps[0]
        for step in steps[1:]:
            out = style.format(out, step)
        return out

    payload = {key("lead", "name", "first"): "Eero", key("lead", "name", "last"): "Mäkelä",
               key("lead", "email"): "eero.makela@example.fi", key("lead", "phone"): "+358 40 555 0166"}
    fields = one(json.dumps(payload), "flat.json")
    assert (fields["first_name"], fields["last_name"], fields["email"]) == ("Eero", "Mäkelä", "eero.makela@example.fi")


def test_a_label_written_with_a_dot_is_no_path() -> None:
    payload = {"naam": "Eero Mäkelä", "tel.nr": "06 5550 1234", "e-mail": "eero@example.nl", "straat.nr": "12"}
    assert one(json.dumps(payload), "form.json")["phone"] == "06 5550 1234"


def test_a_form_question_key_cut_short_is_an_answer() -> None:
    submission = {"q3_yourName": {"first": "Wendeline", "last": "Achebe"}, "q4_email": "w.achebe@example.com",
                  "q9_whatKind": "Stump grinding", "q10_anyPets": "Yes"}
    fields = one(json.dumps(submission), "jot.json")
    assert fields["interest"] == "Stump grinding"  # a yes/no answer says nothing of what is wanted
