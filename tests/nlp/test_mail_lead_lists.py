"""A mail that lists several people without labels (numbered, bulleted, one a line, apart by separator lines)
gives one lead per item; a mail with one lead and a signature stays one lead."""

from __future__ import annotations

import pytest

from nlp.chat import listed_leads
from nlp.extractor import Extractor
from parsers.lead import RawMessage

HEAD = "From: Office <office@shop.example>\nTo: sales@shop.example\nSubject: enquiries\nContent-Type: text/plain\n\n"
ITEMS = ("Ingo Jung, ingo.jung@mail.example, 555-555-0123 - wants a sofa",
         "Jana Koch, jana.koch@mail.example, 555-555-0124 - wants a table")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def people(extractor: Extractor, body: str) -> list[tuple[str | None, str | None]]:
    found = extractor.extract(RawMessage((HEAD + body).encode(), "file", name_hint="m.eml"))
    return [(lead.value("full_name"), lead.value("email")) for lead in found.leads]


@pytest.mark.parametrize("body", [
    "Hi team,\n\nTwo enquiries over the weekend:\n\n1. {0}\n2. {1}\n\nThanks, Office\n",
    "Hi,\n\n- {0}\n- {1}\n\nCheers\nOffice Team\n",
    "{0}\n-----\n{1}\n",
    "{0}\n{1}\n",
])
def test_one_lead_per_listed_person(extractor: Extractor, body: str) -> None:
    assert people(extractor, body.format(*ITEMS)) == [("Ingo Jung", "ingo.jung@mail.example"),
                                                      ("Jana Koch", "jana.koch@mail.example")]


def test_a_labelled_lead_beside_a_list_is_read_as_labelled() -> None:
    assert listed_leads("Name: Ingo Jung\nEmail: ingo.jung@mail.example\nPhone: 555-555-0123\n") == []


@pytest.mark.parametrize("text", [
    "I need a fence quote. Call me at 555-555-0221.\n\n1. 6ft cedar\n2. about 120 ft\n\nAnn Lee\n555-555-0221\n",
    "Ingo Jung, 555-555-0123\nIngo Jung, 555-555-0123\n",  # the same item twice
    "Ingo Jung, ingo.jung@mail.example\nHis wife Jana Jung, 555-555-0124\n",  # someone tied to the lead
])
def test_no_list_of_people(text: str) -> None:
    assert listed_leads(text) == []
