"""A full-name label that asks for the surname first: the name read the usual way round, however it was written."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _mail(extractor: Extractor, body: str) -> dict[str, str | None]:
    raw = ("From: Sito <noreply@sito.example>\nTo: info@cucine.example\nSubject: Nuovo messaggio\n"
           f"Content-Type: text/plain; charset=utf-8\n\n{body}\n")
    leads = extractor.extract(RawMessage(raw.encode("utf-8"), "file", name_hint="lead.eml")).leads
    assert len(leads) == 1
    return leads[0].plain()


@pytest.mark.parametrize("written", ["Ferraresi Giulia", "Giulia Ferraresi"])
def test_a_surname_first_label_reads_the_name_either_way_it_was_written(extractor: Extractor, written: str) -> None:
    fields = _mail(extractor, f"Cognome e nome: {written}\nIndirizzo e-mail: g.ferraresi@example.it\n"
                              "Richiesta: preventivo per una cucina")
    assert (fields["first_name"], fields["last_name"]) == ("Giulia", "Ferraresi")
