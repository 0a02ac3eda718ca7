"""The region a note or mail writes after the prospect's city: codes, names in our languages, lower case."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor, Kind
from parsers.lead import Channel, RawMessage


def _place(text: str, channel: Channel = "slack", kind: Kind | None = "chat") -> tuple[str | None, str | None]:
    extraction = Extractor().extract(RawMessage(raw=text.encode(), channel=channel), kind=kind)
    lead = extraction.leads[0]
    return lead.value("city"), lead.value("region")


@pytest.mark.parametrize(
    ("note", "place"),
    [
        ("lead from the fair: ola nordby, 555-0142, she's out in bend oregon, wants a sauna", ("Bend", "oregon")),
        ("spoke w/ kim soto 555-0108, lives up in boise, id. wants a heat pump", ("Boise", "ID")),
        ("walk-in: jen ortiz, 555-0133, from springfield, mo. looking at kayaks", ("Springfield", "MO")),
        ("Rückruf: Herr Jonas Brem, 0851 4410 220, wohnt in Passau (Bayern), möchte eine PV-Anlage",
         ("Passau", "Bayern")),
        ("Rückruf: Frau Petra Lenz aus Freiburg im Breisgau, Baden-Württemberg, Tel. 0761 4420 000, Dachfenster",
         ("Freiburg im Breisgau", "Baden-Württemberg")),
        ("Novo contato: Ana Lima, (31) 99814-0000, mora em Contagem, Minas Gerais. Quer energia solar.",
         ("Contagem", "Minas Gerais")),
        ("Appel de Mme Léa Roux, 06 41 22 00 00, habite à Annecy en Haute-Savoie, devis pompe à chaleur",
         ("Annecy", "Haute-Savoie")),
        ("fyi spoke w/ greg poll 555-0155 - he's located in chattanooga tn, needs 2 mini splits",
         ("Chattanooga", "TN")),
        ("New lead!! Carla Mendes 555-0198 — Scottsdale AZ — kitchen remodel", ("Scottsdale", "AZ")),
        ("Lead from the show: Tom Eke, Eke Builders, Raleigh NC, 919-555-0166, wants lumber pricing",
         ("Raleigh", "NC")),
        ("Met Hanna Schulz at the fair, she is from Graz, +43 316 123456, wants pellet heating", ("Graz", None)),
        ("Voicemail - Jean Moreau, 06 12 34 56 78, habite Montpellier, veut un devis isolation", ("Montpellier", None)),
    ],
)
def test_the_region_after_a_city_in_a_note(note: str, place: tuple[str, str | None]) -> None:
    assert _place(note) == place


def test_lower_case_state_codes_that_are_words_are_not_regions() -> None:
    city, region = _place("call w/ tom reyes 555-0150, lives in boise, in march he wants solar")
    assert (city, region) == ("Boise", None)


def test_the_listing_in_the_subject_leaves_room_for_where_the_lead_lives() -> None:
    mail = ("From: Listings <leads@homes.example>\nTo: agent@realty.example\n"
            "Subject: New inquiry: 77 Aster Ct, Frisco, TX 75034\n\n"
            "A buyer asked about 77 Aster Ct, Frisco, TX 75034.\n\n"
            "Name: Dee Marsh\nEmail: dee.marsh@example.com\nPhone: (972) 555-0100\n"
            "Message: Still available? We live in Wichita, Kansas and move in May.\n")
    assert _place(mail, channel="smtp", kind=None) == ("Wichita", "Kansas")
