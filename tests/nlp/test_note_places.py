"""Places in reps' notes: streets and cities typed without a postcode, and places that are not the lead's."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from nlp.extractor import Extractor
from nlp.note_places import cued_postal, is_street_text, other_side_before, venue_before
from parsers.lead import RawMessage

PATTERNS = Path(__file__).resolve().parents[2] / "nlp" / "patterns"


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _note(extractor: Extractor, text: str) -> dict[str, str | None]:
    """The places of the one lead read from ``text`` sent as a Slack note (the reader every way in uses)."""
    (lead,) = [ld.plain() for ld in extractor.extract(RawMessage(raw=text.encode(), channel="slack")).leads]
    return {k: lead[k] for k in ("street", "city", "region", "postal_code")}


def test_a_street_needs_a_letter() -> None:
    assert is_street_text("14 Birch Ln") and is_street_text("Hauptstr. 5")
    assert not is_street_text("030 88127734")


def test_an_event_or_shop_before_the_place_cue_is_a_venue() -> None:
    text = "met her at the home show in Dallas; found us at the Home Depot in Plano; our office in Austin"
    assert venue_before(text, text.index(" in Dallas") + 1)
    assert venue_before(text, text.index(" in Plano") + 1)
    assert not venue_before(text, text.index(" in Austin") + 1)  # the writer's own office


def test_an_other_side_label_inside_a_line() -> None:
    line = "Irene 555-0188 - dealer: Lakeside Motors, Cleveland OH - wants a test drive"
    assert other_side_before(line, line.index(", Cleveland"))
    assert not other_side_before(line, line.index("wants"))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a street before its city in brackets
        ("Call from Desmond Achterberg 555-0126 — job site is 4410 Elmhurst Dr (Plano), wants a cedar fence",
         {"street": "4410 Elmhurst Dr", "city": "Plano", "region": None, "postal_code": None}),
        # a lower-case street and its city and state without a cue
        ("vanessa colbert 555-0158, 12 elm st, plano tx - wants gutters cleaned",
         {"street": "12 elm st", "city": "Plano", "region": "TX", "postal_code": None}),
        # a state code that is also a word, after a known city at the end of its clause
        ("talked to gary finch, lives at 14 birch ln in dayton oh, 555-0142, needs gutters",
         {"street": "14 birch ln", "city": "Dayton", "region": "OH", "postal_code": None}),
        # the phone before "PLZ" is no street
        ("Anna Schönfeld, 030 88127734, PLZ 10115 Berlin, möchte neue Fenster",
         {"street": None, "city": "Berlin", "region": None, "postal_code": "10115"}),
    ],
)
def test_streets_and_cities_in_notes(extractor: Extractor, text: str, want: dict[str, str | None]) -> None:
    assert _note(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("walk-in from the home show in Dallas: rosa delgado, 555-0156, wants pavers", None),  # the show's town
        ("Paul Nakashima called from Chicago, 555-0183, wants to buy a condo in Miami.", "Chicago"),
        ("Irene 555-0188 - dealer: Lakeside Motors, Cleveland OH - wants a test drive", None),
        ("Irene 555-0188 wants a test drive\nThanks,\nMark Ellison\nLakeside Motors, Cleveland, OH", None),
    ],
)
def test_places_that_are_not_the_leads(extractor: Extractor, text: str, city: str | None) -> None:
    assert _note(extractor, text)["city"] == city


def test_a_postcode_after_its_own_word() -> None:
    for text, code in (("zip 30301", "30301"), ("Zip: 98101 wants", "98101"), ("PLZ 80331 München", "80331"),
                       ("CEP 30140-061", "30140-061"), ("postcode SW1A 1AA", "SW1A 1AA"), ("budget cap 5000", None)):
        m = cued_postal(text, 0, len(text))
        assert (m["code"] if m else None) == code


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("new lead: Tanya Brooks, tanya.b@yahoo.example, zip 30301, wants a quote for windows",
         {"street": None, "city": None, "region": None, "postal_code": "30301"}),
        ("john park 555-0107 in tampa fl 33602 needs pool cage",
         {"street": None, "city": "Tampa", "region": "FL", "postal_code": "33602"}),
        ("Beth Young 555-0113 lives in Springfield (MO), wants a carport",
         {"street": None, "city": "Springfield", "region": "MO", "postal_code": None}),
        ("Lead: Marcus Bell, 555-0101, Columbus, Ohio — wants window tint",  # a first name, but its state follows
         {"street": None, "city": "Columbus", "region": "Ohio", "postal_code": None}),
        ("Greg Hall 555-0123 123 Main Street Apt 4B Springfield IL wants a furnace",
         {"street": "123 Main Street Apt 4B", "city": "Springfield", "region": "IL", "postal_code": None}),
        ("Ana Costa (11) 91234-5678 mora na Av. Paulista 1000, São Paulo",
         {"street": "Av. Paulista 1000", "city": "São Paulo", "region": None, "postal_code": None}),
        ("Mary Chen 555-0117 - relocating to Denver from Seattle, wants a realtor",
         {"street": None, "city": "Denver", "region": None, "postal_code": None}),
        ("walk-in: rosa delgado, 555-0156, from Phoenix, wants pavers for the backyard",
         {"street": None, "city": "Phoenix", "region": None, "postal_code": None}),
    ],
)
def test_more_places_in_notes(extractor: Extractor, text: str, want: dict[str, str | None]) -> None:
    assert _note(extractor, text) == want


@pytest.mark.parametrize(
    ("text", "city"),
    [
        ("Cole Marsh 555-0157 in Charleston SC wants a screened porch, has a second home in Asheville", "Charleston"),
        ("Sophie Klein 555-0152 - referred by her sister in Tulsa - wants gutters", None),  # the sister's town
        ("Paul Nakashima, 555-0183, wants to buy a condo in Miami", None),  # where he looks, not where he lives
    ],
)
def test_whose_city_a_note_names(extractor: Extractor, text: str, city: str | None) -> None:
    assert _note(extractor, text)["city"] == city


def test_a_town_and_its_region_between_bullets(extractor: Extractor) -> None:
    got = _note(extractor, "• Laura Gómez • 622 333 111 • Móstoles (Madrid) • cocina")
    assert (got["city"], got["region"]) == ("Móstoles", "Madrid")


def test_a_german_town_without_its_qualifier(extractor: Extractor) -> None:
    note = "Walk-in: Familie Hoffmann aus Bad Homburg, Tel. 06172 998877, interessiert an Wintergarten"
    assert _note(extractor, note)["city"] == "Bad Homburg"


def test_the_gazetteer_script_keeps_a_town_without_its_german_qualifier() -> None:
    spec = importlib.util.spec_from_file_location("make_places", PATTERNS / "make_places.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    assert script._head("Bad Homburg vor der Höhe") == "Bad Homburg"
    assert script._head("Weil am Rhein") is None  # "Weil" alone is a German word
    assert script._head("Springfield") is None
    assert "bad homburg" in (PATTERNS / "cities.txt").read_text(encoding="utf-8").splitlines()



def test_a_street_loses_the_place_cue_before_its_postcode(extractor: Extractor) -> None:
    got = _note(extractor, "Herr Ott wohnt in der Bergstraße 3 in 69120 Heidelberg, Tel 06221 445566")
    assert got == {"street": "Bergstraße 3", "city": "Heidelberg", "region": None, "postal_code": "69120"}


@pytest.mark.parametrize(
    ("text", "street", "city"),
    [
        ("Llamó la Sra. Pilar Nieto, 655 112 233, vive en la calle Cervantes nº 5, Toledo, quiere calefacción",
         "calle Cervantes nº 5", "Toledo"),
        ("Kunde Herr Beck wohnt Schillerplatz 2 in Stuttgart, 0711 9988", "Schillerplatz 2", "Stuttgart"),
    ],
)
def test_european_streets_in_notes(extractor: Extractor, text: str, street: str, city: str) -> None:
    got = _note(extractor, text)
    assert (got["street"], got["city"]) == (street, city)
