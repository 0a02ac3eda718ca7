"""The listing's address against the lead's own (issue 10, realestate kind): a viewing request names the
listing; a seller lead's home is the seller's own."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(("text", "street"), [
    ("Seller lead: Grace Kim wants to list her home at 3310 Cedar Ln, Austin TX 78745. Call 512-555-0138.\n",
     "3310 Cedar Ln"),
    ("Bezichtigingsaanvraag voor Prinsengracht 263, 1016 GV Amsterdam (vraagprijs € 895.000)\nNaam: Daan Bakker\n"
     "Telefoon: 06-34567890\nE-mail: daan.bakker@hotmail.nl\n", None),
    ("Viewing request for 14 Orchard Row, Bath BA1 2HJ\nName: Tilly Marsh\nEmail: tilly.marsh@gmail.com\n", None),
])
def test_whose_address(extractor: Extractor, text: str, street: str | None) -> None:
    found = extractor.extract(RawMessage(text.encode("utf-8"), "file", name_hint="note.txt"))
    assert [lead.value("street") for lead in found.leads] == [street]
