"""The listing asked about is the interest, not where the lead lives — unless the lead sells it."""

from __future__ import annotations

from parsers.subject import listing_line
from tests.parsers.helpers import one

HEAD = "From: HomeScout <leads@homescout.example>\nSubject: {subject}\nContent-Type: text/plain; charset=utf-8\n\n"
LEAD = "Name: Tessa Lindgren\nEmail: tessa.l@gmail.example\nPhone: 608-555-0128\n"


def test_a_notifications_line_about_an_address_names_the_listing() -> None:
    assert listing_line("Inquiry about 918 Sycamore St, Madison, WI 53703") == "918 Sycamore St, Madison, WI 53703"
    assert listing_line("Neue Anfrage zu Eppendorfer Weg 118, 20259 Hamburg") == "Eppendorfer Weg 118, 20259 Hamburg"
    assert listing_line("Moving From: 41 Alma St, Palo Alto, CA 94301") is None  # no request in the heading
    assert listing_line("Inquiry about your availability next week") is None  # no address


def test_the_listing_line_is_the_interest() -> None:
    lead = one(HEAD.format(subject="New inquiry") + "Inquiry about 918 Sycamore St, Madison, WI 53703\n\n" + LEAD)
    assert lead["interest"] == "918 Sycamore St, Madison, WI 53703"


def test_a_subject_keeps_the_listings_postcode() -> None:
    lead = one(HEAD.format(subject="Inquiry: 918 Sycamore St, Madison, WI 53703") + LEAD)
    assert lead["interest"] == "918 Sycamore St, Madison, WI 53703"


def test_a_sellers_property_is_their_own_address() -> None:
    lead = one(HEAD.format(subject="New seller lead") + "Lead type: Seller\n"
               "Property address: 77 Lake Rd, Monona, WI 53716\n" + LEAD)
    assert (lead["street"], lead["city"], lead["postal_code"]) == ("77 Lake Rd", "Monona", "53716")


def test_a_buyers_listing_is_not_their_address() -> None:
    lead = one(HEAD.format(subject="New buyer lead") + "Property address: 77 Lake Rd, Monona, WI 53716\n" + LEAD)
    assert lead["street"] is None and lead["interest"] == "77 Lake Rd, Monona, WI 53716"
