"""Towns in reps' notes written the way reps write them: a postcode before a lower-case town, a town and its
region after a slash, a town standing for its area, a town beside a suite, a lower-case street set apart by
dashes, and a rep's signature address below a note that already says where the lead lives."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from nlp.note_places import after_unit, area_town, postcode_town, slash_place, whole_segment
from parsers.lead import RawMessage

FIELDS = ("street", "city", "region", "postal_code")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _places(extractor: Extractor, text: str) -> tuple[str | None, ...]:
    """street, city, region and postcode of the one lead the reader finds in a note sent through Slack."""
    (lead,) = [ld.plain() for ld in extractor.extract(RawMessage(raw=text.encode(), channel="slack")).leads]
    return tuple(lead[k] for k in FIELDS)


def test_a_postcode_before_a_known_town_in_any_case() -> None:
    text = "está en 41010 sevilla, tlf 655 000 111"
    assert postcode_town(text, 0, len(text)) == ({"city": "sevilla", "postal_code": "41010"}, 8)
    district = "Familie Ott, 01067 Dresden-Neustadt, Tel 0351 000111"
    found = postcode_town(district, 0, len(district))
    assert found is not None and found[0]["postal_code"] == "01067" and found[0]["city"].startswith("Dresden")


def test_a_postcode_that_is_no_town_s() -> None:
    phone = "Tel 0341 55667 Leipzig"  # the last group of a phone number
    assert postcode_town(phone, 0, len(phone)) is None
    street = "12345 Main St is the job"  # a house number and a street
    assert postcode_town(street, 0, len(street)) is None


def test_a_town_a_slash_and_its_region() -> None:
    text = "Herr Ott, Lindenstr.4, Erfurt/Thüringen, Tel 0361 1234"
    parts, start = slash_place(text, 0, len(text)) or ({}, -1)
    assert parts == {"street": "Lindenstr.4", "city": "Erfurt", "region": "Thüringen"}
    assert text[start:].startswith("Lindenstr.4")
    br = "Lucas Prado, Recife/PE, 81 99999-0000"
    assert slash_place(br, 0, len(br)) == ({"city": "Recife", "region": "PE"}, br.index("Recife"))
    no_region = "Ciudad: Bilbao / Tel: 944 000 111"
    assert slash_place(no_region, 0, len(no_region)) is None


def test_a_town_for_its_area() -> None:
    text = "he's somewhere in the Tulsa area, call after 5"
    assert area_town(text, 0, len(text)) == ({"city": "Tulsa"}, text.index("Tulsa"))
    service = "ca. 40 Anlagen im Raum Hannover"  # a service area, nobody living there
    assert area_town(service, 0, len(service)) is None
    nothing = "she's in the kitchen area"
    assert area_town(nothing, 0, len(nothing)) is None


def test_a_segment_after_a_unit_and_a_segment_apart() -> None:
    line = "Ana Paz | Ste 5 | Lafayette | 555-0100"
    assert after_unit(line, line.index("Lafayette"))
    assert not after_unit(line, line.index("Ste"))
    note = "lead - ed ruiz - 9 oak ln. tyler - siding"
    assert whole_segment(note, note.index("9 oak"), note.index(" - siding"))
    assert not whole_segment(note, note.index("oak"), note.index(" - siding"))


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Anruf: Frau Ilse Nowak, 04229 leipzig, 0341 9988776, will eine Markise",
         (None, "leipzig", None, "04229")),
        ("Falei com o Caio Ramos, Londrina/PR, 43 99111-2233, quer telhado novo",
         (None, "Londrina", "PR", None)),
        ("Yvonne Reyes 555-0117 says she's in the Omaha area, wants a basement finish",
         (None, "Omaha", None, None)),
        ("B2B: Lionel Grant | Suite 900 | Raleigh | 555-0129 | copier lease",
         (None, "Raleigh", None, None)),
        ("lead - pat kowal 555-0172 - 64 birch ave. flint - wants a furnace",
         ("64 birch ave.", "Flint", None, None)),
    ],
)
def test_towns_in_notes(extractor: Extractor, text: str, want: tuple[str | None, ...]) -> None:
    assert _places(extractor, text) == want


def test_the_rep_s_signature_address_is_not_the_lead_s(extractor: Extractor) -> None:
    note = ("Met Opal Brennan 555-0140 about a sunroom. She lives in Nampa, Idaho.\n--\n"
            "Rory Hale | Sales | Bright Rooms LLC | 77 Fairview Ave, Boise ID 83702")
    assert _places(extractor, note) == (None, "Nampa", "Idaho", None)
    # without the lead's own place above it, an address under a sign-off still reads as before
    pasted = "Opal Brennan wants a sunroom, 555-0140\n--\nOpal Brennan\n77 Fairview Ave, Boise ID 83702"
    assert _places(extractor, pasted)[1] == "Boise"
