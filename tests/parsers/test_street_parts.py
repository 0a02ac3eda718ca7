"""Street, house number and complement given in separate form fields or payload keys (issue 10)."""

from __future__ import annotations

import json

import pytest

from parsers.address import parse_address
from tests.parsers.helpers import one


@pytest.mark.parametrize(
    ("form", "street"),
    [
        # a numberless address value is the street when a house number is given apart
        ("Nome: Ivo Lima\nEndereço: Rua das Laranjeiras\nNúmero: 318\nComplemento: apto 5\nCidade: Niterói\n",
         "Rua das Laranjeiras 318, apto 5"),
        ("Nombre: Eva Sanz\nDirección: Avenida de la Paz\nNº: 41\nPoblación: Zaragoza\nCP: 50008\n",
         "Avenida de la Paz 41"),
        ("Naam: Tim Kok\nAdres: Brouwersgracht\nHuisnummer: 54\nPostcode: 1013 GX\nPlaats: Amsterdam\n",
         "Brouwersgracht 54"),
        # German streets that start with a preposition take the number after them
        ("Name: Uwe Pohl\nStraße: Auf der Heide\nHausnummer: 7c\nPLZ: 48143\nOrt: Münster\n", "Auf der Heide 7c"),
        # French and English write the number first whatever the label says
        ("Nom: Léa Roux\nNuméro de voie: 6\nRue: rue des Carmes\nVille: Nantes\n", "6 rue des Carmes"),
        ("Name: Ray Bell\nHouse number: 19\nStreet: Linden Grove\nTown: Leeds\nPostcode: LS6 2AB\n",
         "19 Linden Grove"),
    ],
)
def test_house_number_and_complement_join_the_street_in_the_countrys_order(form: str, street: str) -> None:
    fields = one(form + "Email: lead@example.org\n")
    assert fields["street"] == street


def test_a_numberless_place_under_an_address_label_stays_a_city() -> None:
    fields = one("Name: Joy Park\nEmail: joy.park@example.org\nAddress: Austin\n")
    assert fields["street"] is None
    assert fields["city"] == "Austin"


def test_a_street_that_holds_its_number_takes_no_other() -> None:
    fields = one("Name: Ian Ross\nEmail: ian@example.org\nStreet: 12 Elm St\nStreet number: 4471\nCity: Reno\n")
    assert fields["street"] == "12 Elm St"


def test_places_like_address_parts_make_the_street() -> None:
    payload = {"name": "Kai Nunes", "email": "kai.nunes@example.org",
               "address": {"street_number": "2871", "route": "Piedmont Rd NE", "locality": "Atlanta",
                           "administrative_area_level_1": "GA", "postal_code": "30305"}}
    fields = one(json.dumps(payload), "lead.json")
    assert (fields["street"], fields["city"], fields["region"]) == ("2871 Piedmont Rd NE", "Atlanta", "GA")
    portuguese = {"name": "Ana Reis", "email": "ana.reis@example.org",
                  "address": {"route": "Rua Augusta", "street_number": "27", "locality": "Lisboa",
                              "postal_code": "1100-048"}}
    assert one(json.dumps(portuguese), "lead.json")["street"] == "Rua Augusta 27"


@pytest.mark.parametrize(
    ("value", "street"),
    [
        ("Av. Paulista, 1000 - apto 12 - Bela Vista", "Av. Paulista, 1000 - apto 12"),  # number, unit, bairro
        ("Rua Augusta, 1500 - Consolação", "Rua Augusta, 1500"),
        ("Calle Mayor, 28013 Madrid", "Calle Mayor"),  # a postcode and its place, no house number
    ],
)
def test_a_house_number_after_the_streets_comma_is_no_postcode(value: str, street: str) -> None:
    assert parse_address(value)["street"] == street
