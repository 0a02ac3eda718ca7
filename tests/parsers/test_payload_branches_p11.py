"""A branch, shop or office of the receiving business inside a one-key wrapper (an XML root,
``{"submission": {…}}``) is the business's, while a firm object there stays the lead's own; a ``<prospect>``
outside ADF is a person's object; a firm object's bare name is the firm's."""

from __future__ import annotations

import json

import pytest

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
