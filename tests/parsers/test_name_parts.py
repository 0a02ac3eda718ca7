"""``verify.human_name``: the quick "first last" reading agrees with nameparser wherever it is taken."""

from __future__ import annotations

import pytest
from nameparser import HumanName

from parsers.verify import NameParts, human_name

NAMES = [
    "Jamie Whitcombe", "Anne-Marie Dubois", "Seán O'Neil", "Lucía Fernández", "Jürgen Straßer", "Li Wei",
    "Dr. Priya Natarajan", "Mr Smith", "John Smith Jr", "Ludwig van Beethoven", "Maria de Souza",
    "Ana García Márquez", "Tom and Jerry", "J. Smith", "Smith, John", "Hans Müller-Lüdenscheid",
    "Van Morrison", "Rev Green", "Jo Ann", "bob builder", "MARY O'BRIEN", "Karl III", "Sister Act",
]


@pytest.mark.parametrize("name", NAMES)
def test_reading_agrees_with_nameparser(name: str) -> None:
    parsed = HumanName(name)
    assert human_name(name) == NameParts(str(parsed.first), str(parsed.middle), str(parsed.last))


def test_titles_particles_and_suffixes_still_go_to_nameparser() -> None:
    assert human_name("Dr. Priya Natarajan") == NameParts("Priya", "", "Natarajan")
    assert human_name("Van Morrison").first == str(HumanName("Van Morrison").first)
    assert human_name("Karl III").last == str(HumanName("Karl III").last)
