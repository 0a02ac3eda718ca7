"""Several leads in one note whose items are headed with a number and a dash of any kind ("Inquiry #1 — …",
"Lead 2 – …"): one lead an item (issue 10, multi kind)."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize("dash", ["—", "–", "-"])
def test_items_headed_with_any_dash(extractor: Extractor, dash: str) -> None:
    text = (f"Inquiry #1 {dash} Greta Holm, greta.holm@mail.example, 608-555-0126: \"need a sunroom quote\"\n"
            f"Inquiry #2 {dash} Obi Nwa, 608-555-0152: \"tree removal\"\n"
            f"Inquiry #3 {dash} Mei Chen, mei.chen@mail.example: \"gutter guards\"\n")
    result = extractor.extract(RawMessage(text.encode(), "slack"))
    assert [lead.value("full_name") for lead in result.leads] == ["Greta Holm", "Obi Nwa", "Mei Chen"]


def test_a_dash_inside_one_lead_does_not_split_it(extractor: Extractor) -> None:
    text = "Lead 1 — Greta Holm, 608-555-0126, wants a sunroom — call after 5"
    result = extractor.extract(RawMessage(text.encode(), "slack"))
    assert [lead.value("full_name") for lead in result.leads] == ["Greta Holm"]


@pytest.mark.parametrize("text", [
    "two leads today\nGreta Holm (608-555-0126) wants gutters; Liam Cho (608-555-0152) wants a fence",
    "Greta Holm 608-555-0126 gutters / Liam Cho 608-555-0152 fence",
    "walk-ins: Greta Holm 608-555-0126 + Liam Cho 608-555-0152, both want patios",
])
def test_two_leads_on_one_line(extractor: Extractor, text: str) -> None:
    result = extractor.extract(RawMessage(text.encode(), "slack"))
    assert [(lead.value("full_name"), lead.value("phone")) for lead in result.leads] == [
        ("Greta Holm", "608-555-0126"), ("Liam Cho", "608-555-0152")]


@pytest.mark.parametrize(("text", "people"), [
    ("Hoy: Sra. Pilar Gómez 611 223 344 (ventanas) y Sr. Andrés Vela 622 334 455 (puertas)",
     ["Pilar Gómez", "Andrés Vela"]),
    ("Heute zwei Anrufe: Herr Moritz Berger 0171 2233445 wegen Carport, außerdem Frau Lea Hahn 0160 9988776 "
     "wegen Markise.", ["Moritz Berger", "Lea Hahn"]),
])
def test_titled_leads_on_one_line(extractor: Extractor, text: str, people: list[str]) -> None:
    result = extractor.extract(RawMessage(text.encode(), "slack"))
    assert [lead.value("full_name") for lead in result.leads] == people


def test_one_person_with_a_slash_between_contacts_stays_one(extractor: Extractor) -> None:
    text = "Greta Holm 608-555-0126 / greta.holm@mail.example wants a sunroom"
    result = extractor.extract(RawMessage(text.encode(), "slack"))
    assert [lead.value("email") for lead in result.leads] == ["greta.holm@mail.example"]


def test_italian_titles_open_a_lead(extractor: Extractor) -> None:
    text = "Richieste di oggi: Sig.ra Marta Greco 333 1234567 (infissi); Sig. Paolo Riva 347 7654321 (caldaia)"
    result = extractor.extract(RawMessage(text.encode(), "slack"))
    assert [lead.value("full_name") for lead in result.leads] == ["Marta Greco", "Paolo Riva"]
