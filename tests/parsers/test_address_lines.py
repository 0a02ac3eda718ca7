"""An address value that runs on into the note, and a postcode followed by the note's next clause."""

from __future__ import annotations

from parsers.address import find_in_line, parse_address, parse_locality
from parsers.address_lines import is_lower_clause, without_prose_tail


def test_a_lower_case_line_of_prose_ends_the_address() -> None:
    assert without_prose_tail(["Hauptstr. 5, 80331 München", "möchte ein Angebot für eine Markise"]) == [
        "Hauptstr. 5, 80331 München"]
    assert without_prose_tail(["Calle Mayor 5", "Madrid", "España"]) == ["Calle Mayor 5", "Madrid", "España"]
    assert parse_address("Hauptstr. 5, 80331 München\nmöchte ein Angebot für eine Markise") == {
        "street": "Hauptstr. 5", "postal": "80331", "city": "München"}


def test_a_postcode_followed_by_a_clause_has_no_city() -> None:
    assert is_lower_clause("wants move-out cleaning") and not is_lower_clause("den Haag")
    assert parse_locality("98101 wants move-out cleaning for a 2br") == {"postal": "98101"}
    assert parse_locality("10115 Berlin") == {"postal": "10115", "city": "Berlin"}


def test_four_digits_before_a_us_street_word_are_a_house_number() -> None:
    found = find_in_line("Call from Desmond 555-0126 — job site is 4410 Elmhurst Dr (Plano), wants a fence")
    assert all(f.parts.get("postal_code") != "4410" for f in found)
