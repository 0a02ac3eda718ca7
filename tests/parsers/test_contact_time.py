"""A preferred contact time is no buying timeline, in any of the seven languages; a skipped label's value is
no free text for the timeline or phone finders."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize("line", [
    "Best time to reach you: next week after 5pm", "Beste Erreichbarkeit: nächste Woche ab 17 Uhr",
    "Mejor hora para llamar: mañana por la tarde", "Melhor horário para contato: amanhã à tarde",
    "Disponibilité: la semaine prochaine après 18h", "Fascia oraria: domani pomeriggio",
    "Bereikbaar: volgende week na 17u"])
def test_contact_time_label_gives_no_timeline(extractor: Extractor, line: str) -> None:
    raw = ("From: Forms <forms@site.example>\nTo: team@site.example\nSubject: Contact\n\n"
           f"Name: Ada Quist\nEmail: ada.quist@example.org\nPhone: 555-0142\n{line}\n"
           "Message: Please quote a new roof.\n")
    lead = extractor.extract(RawMessage(raw=raw.encode("utf-8"), channel="smtp")).leads[0].plain()
    assert lead["timeline"] is None
    assert lead["message"] == "Please quote a new roof."
