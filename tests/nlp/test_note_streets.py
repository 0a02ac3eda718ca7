"""A street in a rep's note without a postcode: after a living cue, or followed by its known city."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _address(extractor: Extractor, note: str) -> tuple[str | None, str | None]:
    (lead,) = [ld.plain() for ld in extractor.extract(RawMessage(raw=note.encode(), channel="slack")).leads]
    return lead["street"], lead["city"]


@pytest.mark.parametrize(
    ("note", "street", "city"),
    [
        ("Walk-in: Tom Becker, 720-555-0101, lives at 1220 w elm st, denver. wants a fence quote",
         "1220 w elm st", "Denver"),
        ("Frau Weber angerufen, 0221 445566, wohnt in der Goethestraße 12 in Köln, will neue Fenster",
         "Goethestraße 12", "Köln"),
        ("Lead: Ana Souza, (11) 98888-7777, Rua Oscar Freire 900, São Paulo. Quer orçamento de marcenaria.",
         "Rua Oscar Freire 900", "São Paulo"),
        ("Jan de Boer belde, 06 12312312, Dorpsstraat 4, Ede. Wil offerte voor isolatie.", "Dorpsstraat 4", "Ede"),
        # a flat after the street, a label word without its colon, a dash between street and city
        ("Sra. Ortega llamó, 611 445 221, dirección Calle Olmo 3, 2ºB, Granada. Quiere cambiar ventanas.",
         "Calle Olmo 3, 2ºB", "Granada"),
        ("Frau Krüger, 0711 998877, Adresse Hauptstr. 5, Esslingen, möchte ein Angebot für eine Markise",
         "Hauptstr. 5", "Esslingen"),
        ("John Pike - 317-555-0109 - 8420 Allisonville Rd - Indianapolis - furnace tune-up",
         "8420 Allisonville Rd", "Indianapolis"),
        ("met Omar at the home show, 615-555-0144, site is 440 Wren Ct, Franklin TN — deck rebuild",
         "440 Wren Ct", "Franklin"),
    ],
)
def test_a_notes_street_with_its_city(extractor: Extractor, note: str, street: str, city: str) -> None:
    assert _address(extractor, note) == (street, city)


def test_a_street_without_a_known_city_or_cue_is_not_read(extractor: Extractor) -> None:
    street, _city = _address(extractor, "Jan de Boer belde, 06 12312312, Dorpsstraat 4. Wil offerte voor isolatie.")
    assert street is None


def test_a_listings_street_in_a_note_is_not_the_leads(extractor: Extractor) -> None:
    street, _city = _address(
        extractor, "Mia Holt 720-555-0190 asked about the listing at Rua Oscar Freire 900, São Paulo.")
    assert street is None
