"""Notes that list several leads (tables, "Lead 1 of 2" headings, nested bullets, separator lines) give one lead
each; one lead written over several paragraphs or lines, or with a spouse or an assistant beside them, stays one."""

from __future__ import annotations

import pytest

from nlp.chat import names_someone, normalise_chat, split_chat
from nlp.extractor import Extractor
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def names(extractor: Extractor, text: str) -> list[str | None]:
    result = extractor.extract(RawMessage(text.encode(), "slack"))
    return [lead.value("full_name") for lead in result.leads]


SEVERAL = {
    "tab-separated sheet": ("pasted from the sheet:\nName\tPhone\tEmail\nGreta Holm\t608-555-0126\tgreta@mail.example\n"
                            "Obi Nwa\t608-555-0152\tobi@mail.example\n"),
    "markdown table": ("| Name | Phone |\n|---|---|\n| Greta Holm | 608-555-0126 |\n| Obi Nwa | 608-555-0152 |\n"),
    "lead n of m headings": ("Lead 1 of 2\nGreta Holm 608-555-0126 greta@mail.example\nLead 2 of 2\n"
                             "Obi Nwa 608-555-0152 obi@mail.example"),
    "bold lead headings": "*Lead 1*\nGreta Holm, 608-555-0126\n*Lead 2*\nObi Nwa, 608-555-0152",
    "nested bullets": "• Greta Holm\n  ◦ 608-555-0126\n  ◦ greta@mail.example\n• Obi Nwa\n  ◦ 608-555-0152",
    "separator lines": "Greta Holm 608-555-0126 greta@mail.example\n---\nObi Nwa 608-555-0152 obi@mail.example",
}


@pytest.mark.parametrize("kind", list(SEVERAL))
def test_one_lead_per_listed_person(extractor: Extractor, kind: str) -> None:
    assert names(extractor, SEVERAL[kind]) == ["Greta Holm", "Obi Nwa"]


def test_two_on_a_line_joined_by_an_ampersand(extractor: Extractor) -> None:
    text = "Ryan Cole 571-555-0109 & Beth Adler 571-555-0186 both stopped by the booth for quotes."
    assert names(extractor, text) == ["Ryan Cole", "Beth Adler"]


ONE = {
    "email in a paragraph of its own": ("Talked to Greta Holm about a sunroom, cell 608-555-0126.\n\n"
                                        "Her email is greta.holm@mail.example if you need it."),
    "a bare address below": "Greta Holm 608-555-0126\n\ngreta.holm@mail.example\n\nwants a quote for a shed",
    "fields on bullets": "new lead\n• Greta Holm\n• 608-555-0126\n• greta.holm@mail.example\n• wants a pool",
    "spouse with a number": ("Greta Holm wants a pool, 608-555-0126.\n\n"
                             "Her husband Sven Holm is at 608-555-0199 during the day."),
    "assistant with an address": ("Call with Greta Holm, 608-555-0126, greta.holm@mail.example.\n\n"
                                  "cc her assistant Jane Price jane.price@mail.example for scheduling."),
}


@pytest.mark.parametrize("kind", list(ONE))
def test_one_lead_over_several_blocks_stays_one(extractor: Extractor, kind: str) -> None:
    assert names(extractor, ONE[kind]) == ["Greta Holm"]


@pytest.mark.parametrize(("block", "named"), [
    ("Greta Holm 608-555-0126", True),
    ("karl lenz 555-555-0125", True),
    ("Frau Opitz, 0171 5550208", True),
    ("Oluwaseun Adeyemi | seun@mail.example", True),
    ("Name: Greta Holm", True),
    ("greta.holm@mail.example", False),
    ("Her email is greta.holm@mail.example if you need it.", False),
])
def test_a_block_names_someone_of_its_own(block: str, named: bool) -> None:
    assert names_someone(block) is named


def test_nested_bullets_only_group_when_every_top_item_has_some() -> None:
    flat = "• Greta Holm\n• 608-555-0126\n  ◦ call after 5\n• greta@mail.example"
    assert len(split_chat(normalise_chat(flat))) == 1


@pytest.mark.parametrize("text", [
    "lead 2: grace hendricks 212-555-0186 wants windows",
    "Lead #2 - Grace Hendricks, 212-555-0186",
])
def test_a_lone_item_heading_does_not_take_its_line(extractor: Extractor, text: str) -> None:
    assert names(extractor, text) == ["Grace Hendricks"]
