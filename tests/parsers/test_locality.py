"""City values that hold more than a city, "Location:" labels, and a search-criteria block's places."""

from __future__ import annotations

import pytest

from parsers.address import parse_address, parse_locality
from tests.parsers.helpers import one

HEAD = ("From: Form <noreply@form.example>\nSubject: New lead\n\n"
        "Name: Jo Park\nEmail: jo@park.example\nPhone: 555-201-0199\n")


@pytest.mark.parametrize(("text", "expected"), [
    ("Campinas - SP", {"city": "Campinas", "region": "SP"}),
    ("Torino (TO)", {"city": "Torino", "region": "TO"}),
    ("Sevilla (Sevilla)", {"city": "Sevilla", "region": "Sevilla"}),
    ("Milano MI", {"city": "Milano", "region": "MI"}),
    ("Lyon 69003", {"city": "Lyon", "postal": "69003"}),
    ("TX 75093", {"region": "TX", "postal": "75093"}),
    ("Winston-Salem", {}),
])
def test_parse_locality(text: str, expected: dict[str, str]) -> None:
    assert parse_locality(text) == expected


def test_a_place_before_the_state_is_the_city() -> None:
    assert parse_address("Cary, NC 27513") == {"city": "Cary", "region": "NC", "postal": "27513"}
    assert parse_address("12 Main St, NC 27513")["street"] == "12 Main St"


@pytest.mark.parametrize(("line", "expected"), [
    ("City: Campinas - SP", {"city": "Campinas", "region": "SP"}),
    ("Città: Torino (TO)", {"city": "Torino", "region": "TO"}),
    ("Wohnort: 80331 München", {"city": "München", "postal_code": "80331"}),
    ("Ville / Code postal : Lyon 69003", {"city": "Lyon", "postal_code": "69003"}),
    ("Location: Austin, TX", {"city": "Austin", "region": "TX"}),
    ("Ubicación: Getafe", {"city": "Getafe"}),
    ("Location:\nCary, NC 27513", {"city": "Cary", "region": "NC", "postal_code": "27513"}),
])
def test_labelled_places(line: str, expected: dict[str, str]) -> None:
    lead = one(HEAD + line + "\n")
    got = {k: lead[k] for k in ("street", "city", "region", "postal_code") if lead.get(k)}
    assert got == expected


def test_a_region_of_its_own_keeps_the_city_as_written() -> None:
    lead = one(HEAD + "City: Campinas - SP\nState: MG\n")
    assert (lead["city"], lead["region"]) == ("Campinas - SP", "MG")


def test_a_search_criteria_block_is_not_where_the_lead_lives() -> None:
    lead = one(HEAD + "\nSearch Criteria:\n  Location: Bentonville, AR\n  Price: $300,000 - $425,000\n")
    assert not lead.get("city") and not lead.get("region")


def test_a_named_street_on_the_line_above_a_postcode_and_city() -> None:
    from parsers.address import find_in_line

    [found] = find_in_line("83022 Rosenheim", 100, (80, "Am Mühlbach 7"), "de")
    assert found.parts == {"street": "Am Mühlbach 7", "city": "Rosenheim", "postal_code": "83022"}
    [found] = find_in_line("83022 Rosenheim", 100, (80, "Tel 0711"), "de")
    assert "street" not in found.parts
