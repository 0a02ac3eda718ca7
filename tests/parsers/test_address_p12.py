"""Postal addresses in free text, session 12: a street never starts inside the sentence before it."""

from __future__ import annotations

from parsers.address import find_in_line


def test_a_street_starts_at_the_house_number_after_the_prose_not_at_an_earlier_number() -> None:
    line = ("Picked up 3 pallets of tile yesterday and they want them delivered. Ship to: Noor Haddad, "
            "77 W Alder Ave Unit 5, Tempe AZ 85281")
    (found,) = find_in_line(line)
    assert found.parts == {"street": "77 W Alder Ave Unit 5", "city": "Tempe", "region": "AZ", "postal_code": "85281"}


def test_a_street_with_lower_case_words_of_its_own_is_kept_whole() -> None:
    (found,) = find_in_line("Contact: 12 Oak Hill Rd, Apt 3, Salem, OR 97301")
    assert found.parts["street"] == "12 Oak Hill Rd, Apt 3"


def test_a_flat_written_before_the_street_belongs_to_it() -> None:
    (found,) = find_in_line("Home: Flat 12, 9 Quayside Walk, Whitby, YO21 3PZ")
    assert found.parts == {"street": "Flat 12, 9 Quayside Walk", "city": "Whitby", "postal_code": "YO21 3PZ"}
    (other,) = find_in_line("Rosa Lind, 9 Quayside Walk, Whitby, YO21 3PZ")  # a name before is no flat
    assert other.parts["street"] == "9 Quayside Walk"


def test_a_phone_number_before_the_street_is_no_house_number() -> None:
    for line in ("Nell Price 01632 960555, 3 Mill Lane, Frome BA11 2QE, wants a survey",
                 "Nell Price 01632 960555 - 3 Mill Lane, Frome BA11 2QE - wants a survey"):
        (found,) = find_in_line(line)
        assert found.parts == {"street": "3 Mill Lane", "city": "Frome", "postal_code": "BA11 2QE"}


def test_a_region_after_the_postcodes_town_ends_at_a_dash_too() -> None:
    (found,) = find_in_line("Rückruf: 01067 Dresden, Sachsen – ab 17 Uhr", lang="de")
    assert (found.parts["city"], found.parts.get("region")) == ("Dresden", "Sachsen")


def test_a_request_line_that_gives_a_persons_contacts_names_their_home_not_a_listing() -> None:
    from parsers.subject import listing_line

    assert listing_line("Inquiry about 918 Sycamore St, Madison, WI 53703") == "918 Sycamore St, Madison, WI 53703"
    assert listing_line("Lead: Omar Diaz 608-555-0177 omar@diaz.example, 12 Lake Rd, Madison, WI 53703") is None


def test_a_canadian_address_typed_without_capitals() -> None:
    (found,) = find_in_line("met lise roy 902-555-0133 at the show, 88 maple st unit 2, halifax ns b3h 1a1")
    assert (found.parts, found.country) == ({"street": "88 maple st unit 2", "city": "Halifax", "region": "NS",
                                             "postal_code": "B3H 1A1"}, "CA")


def test_a_lower_case_us_street_may_end_with_its_direction() -> None:
    (found,) = find_in_line("fyi 900 oak ave nw, canton oh 44708 - wants gutters")
    assert found.parts["street"] == "900 oak ave nw"


def test_a_quoted_address_value_keeps_no_quote_mark() -> None:
    from parsers.address import parse_address

    assert parse_address("12 Larch Ave\n> Medford, OR 97501") == {"street": "12 Larch Ave", "city": "Medford",
                                                                  "region": "OR", "postal": "97501"}
