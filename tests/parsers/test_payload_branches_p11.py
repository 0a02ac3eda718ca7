"""A branch, shop or office of the receiving business inside a one-key wrapper (an XML root,
``{"submission": {…}}``) is the business's, while a firm object there stays the lead's own; a ``<prospect>``
outside ADF is a person's object; a firm object's bare name is the firm's."""

from __future__ import annotations

import json

import pytest

from parsers.labels.lookup import lookup_loose
from tests.parsers.helpers import one, structured

_VESTIGING = """<?xml version="1.0" encoding="UTF-8"?>
<submission>
  <contact><voornaam>Tjitske</voornaam><achternaam>Wierda</achternaam><telefoon>06 3120 5587</telefoon>
    <woonplaats>Heerenveen</woonplaats></contact>
  <{branch}><naam>Trappenhuis Noord</naam><telefoon>0513 400 500</telefoon><plaats>Joure</plaats></{branch}>
</submission>
"""


@pytest.mark.parametrize("branch", ["vestiging", "filiale", "location", "store", "sucursal", "negozio", "agence"])
def test_branch_in_an_xml_root_is_the_business(branch: str) -> None:
    _, leads = structured(_VESTIGING.format(branch=branch), "lead.xml")
    assert len(leads) == 1
    lead = leads[0].plain()
    assert (lead["full_name"], lead["phone"], lead["city"]) == ("Tjitske Wierda", "06 3120 5587", "Heerenveen")
    assert lead["company"] is None
    assert ("company", "Trappenhuis Noord") in {(o.field, o.value) for o in leads[0].others}


def test_firm_in_a_wrapper_stays_the_leads() -> None:
    lead = one(json.dumps({"inquiry": {
        "bedrijf": {"naam": "Kuipers Koeltechniek B.V.", "plaats": "Zwolle"},
        "contact": {"voornaam": "Anouk", "achternaam": "Kuipers", "email": "anouk@example.nl"}}}), "lead.json")
    assert (lead["full_name"], lead["company"], lead["city"]) == ("Anouk Kuipers", "Kuipers Koeltechniek B.V.",
                                                                   "Zwolle")


@pytest.mark.parametrize(("firm", "key"), [("unternehmen", "name"), ("empresa", "nombre"), ("azienda", "nome")])
def test_firm_objects_bare_name_is_the_company(firm: str, key: str) -> None:
    lead = one(json.dumps({firm: {key: "Brenner Kältetechnik GmbH", "ort": "Esslingen"},
                           "vorname": "Ulla", "nachname": "Brenner", "telefon": "0711 2233 440"}), "lead.json")
    assert (lead["full_name"], lead["company"]) == ("Ulla Brenner", "Brenner Kältetechnik GmbH")


def test_prospect_outside_adf_is_a_person() -> None:
    lead = one("<demande><prospect><nom>Berthier</nom><prenom>Manon</prenom><email>manon.b@example.fr</email>"
               "<telephone>06 44 18 27 90</telephone></prospect></demande>", "lead.xml")
    assert (lead["email"], lead["phone"]) == ("manon.b@example.fr", "06 44 18 27 90")
    assert lead["last_name"] == "Berthier"


@pytest.mark.parametrize(("code", "number", "phone"), [("+32", "0472 18 55 90", "+32 472 18 55 90"),
                                                       ("43", "664 218 9031", "+43 664 218 9031"),
                                                       ("+39", "06 5523 1190", "+39 06 5523 1190")])
def test_dialling_code_under_its_own_key_goes_in_front(code: str, number: str, phone: str) -> None:
    lead = one(json.dumps({"contact": {"name": "Odile Marchal", "phone_country_code": code, "phone": number}}),
               "lead.json")
    assert lead["phone"] == phone


@pytest.mark.parametrize("key", ["caller_number_format", "callerNumberFormatted", "phone_display"])
def test_a_word_saying_how_a_number_is_written_is_dropped(key: str) -> None:
    lead = one(json.dumps({"name": "Greta Whitfield", key: "(555) 014-2210", "city": "Raleigh"}), "lead.json")
    assert lead["phone"] == "(555) 014-2210"


def test_question_key_answered_by_a_number_is_the_phone() -> None:
    lead = one(json.dumps({"Naam": "Gerrit Postma", "Op welk nummer kunnen we je bellen?": "06 2871 4409",
                           "Best time to call you back": "after five"}), "lead.json")
    assert lead["phone"] == "06 2871 4409"


def test_initials_rank_behind_a_spelled_first_name() -> None:
    lead = one(json.dumps({"voorletters": "P.J.", "voornaam": "Pieter", "achternaam": "Kamphuis",
                           "email": "pieter.kamphuis@example.nl"}), "lead.json")
    assert lead["first_name"] == "Pieter"
    only = one(json.dumps({"voorletters": "P.J.", "achternaam": "Kamphuis", "email": "pj@example.nl"}), "lead.json")
    assert only["last_name"] == "Kamphuis"


def test_csv_export_of_one_lead_with_an_unknown_column() -> None:
    lead = one("First Name,Last Name,Email,Phone,Company,Owner\n"
               "Mei-Lin,Huang,meilin.huang@example.com,555-0167,Jade Garden Catering,Tyler Banks\n", "export.txt")
    assert (lead["full_name"], lead["company"], lead["phone"]) == ("Mei-Lin Huang", "Jade Garden Catering", "555-0167")


@pytest.mark.parametrize(("question", "slot"), [("¿Qué servicio necesitas?", "interest"),
                                                ("Welke dienst zoek je?", "interest"),
                                                ("quale_prodotto_ti_interessa?", "interest"),
                                                ("quel_service_vous_interesse", "interest"),
                                                ("wann_möchten_sie_starten?", "timeline")])
def test_form_questions_in_other_languages(question: str, slot: str) -> None:
    found = lookup_loose(question)
    assert found is not None and found[0] == slot


def test_choice_answers_written_with_underscores_read_with_spaces() -> None:
    lead = one(json.dumps({"field_data": [
        {"name": "full_name", "values": ["Donatella Ruggiero"]}, {"name": "email", "values": ["d.r@example.it"]},
        {"name": "when_do_you_want_to_start?", "values": ["within_3_months"]}]}), "lead.json")
    assert lead["timeline"] == "within 3 months"
    assert lead["email"] == "d.r@example.it"


def test_the_leads_own_company_object_gives_its_address() -> None:
    lead = one(json.dumps({"inquiry": {
        "company": {"name": "Hargreave Tooling Ltd", "city": "Sheffield", "postcode": "S9 2RT"},
        "contact": {"first_name": "Imogen", "last_name": "Hargreave", "email": "imogen@example.co.uk"}}}), "lead.json")
    assert (lead["company"], lead["city"], lead["postal_code"]) == ("Hargreave Tooling Ltd", "Sheffield", "S9 2RT")
    beside = one(json.dumps({"business": {"name": "Copperline Electric", "city": "Denver"},
                             "name": "Sabine Rutledge", "email": "sabine.r@example.net"}), "lead.json")
    assert beside["city"] is None


def test_numbered_address_line_under_an_address_object_is_the_street() -> None:
    lead = one(json.dumps({"applicant": {"name": {"first": "Gwendolyn", "last": "Ashcroft"},
                                         "email": "gwen.ashcroft@example.co.uk",
                                         "address": {"line_1": "3 Orchard Rise", "town": "Ludlow"}}}), "lead.json")
    assert (lead["street"], lead["city"]) == ("3 Orchard Rise", "Ludlow")
