"""A car portal's "Location:" inside the vehicle block is where the car stands, not where the buyer lives."""

from __future__ import annotations

import pytest

from tests.parsers.helpers import one

_HEAD = "From: AutoLane <leads@autolane.example>\nTo: sales@dealer.example\nSubject: New lead\n\n"
_BUYER = "Name: Corbin Ashe\nEmail: corbin.ashe@example.com\nPhone: 972-555-0111\n"


@pytest.mark.parametrize(("vehicle", "location"), [
    ("Vehicle: 2021 Toyota RAV4 XLE\nStock #: T8812\nPrice: $27,990\n", "Location: Plano, TX\n"),
    ("Year: 2019\nMake: Mazda\nModel: CX-5\n", "Vehicle Location: Plano, TX\n"),
    ("Fahrzeug: VW Golf 8 GTI\n", "Standort: Plano, TX\n"),
])
def test_location_in_the_vehicle_block_is_the_cars(vehicle: str, location: str) -> None:
    lead = one(_HEAD + _BUYER + "\n" + vehicle + location)
    assert lead["full_name"] == "Corbin Ashe"
    assert lead["city"] is None and lead["region"] is None
    assert lead["interest"] is not None


def test_location_after_the_buyers_contact_is_the_buyers() -> None:
    lead = one(_HEAD + "Vehicle: 2021 Toyota RAV4 XLE\nStock #: T8812\n\n" + _BUYER + "Location: Frisco, TX\n")
    assert (lead["city"], lead["region"]) == ("Frisco", "TX")


def test_job_location_beside_a_service_stays_the_leads() -> None:
    lead = one(_HEAD + _BUYER + "Service: Roof repair\nLocation: Frisco, TX\n")
    assert lead["city"] == "Frisco"
