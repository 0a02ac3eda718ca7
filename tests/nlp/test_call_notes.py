"""A call record's notes (an agent's or a summariser's words) are read for the need and the timeline, never taken
as the caller's message; a day the rep wrote ("Termin Dienstag") is no timeline of the caller's; and the item a
note or a prospect names stops at its date, a booking verb and a matter that is no sale."""

from __future__ import annotations

import json

import pytest
from spacy.language import Language

from nlp.extractor import Extractor
from nlp.freetext import read_free_text
from parsers.lead import ExtractedLead, RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _call(extractor: Extractor, payload: dict[str, object]) -> ExtractedLead:
    raw = json.dumps(payload).encode("utf-8")
    leads = extractor.extract(RawMessage(raw, "file", name_hint="call.json")).leads
    assert len(leads) == 1
    return leads[0]


def test_an_agents_note_gives_the_need_and_the_timeline(extractor: Extractor) -> None:
    lead = _call(extractor, {
        "call": {"id": "c-1", "caller": {"number": "+16145550163", "city": "Westerville", "state": "OH"},
                 "tracking_number": "+16145550100"},
        "agent_notes": "Needs a new water softener for a 4-bedroom house. Wants it installed within two months. "
                       "Call back after 5pm.",
    })
    assert lead.value("interest") == "new water softener for a 4-bedroom house"
    assert lead.value("timeline") == "within two months"
    assert lead.value("message") is None  # the agent's words are not the caller's
    assert any(o.role == "agent" and o.field == "message" for o in lead.others)


def test_a_note_in_dutch_under_a_call_record(extractor: Extractor) -> None:
    lead = _call(extractor, {
        "gesprek": {"beller": {"nummer": "+31 6 41729935", "naam": "Kees Mulder"}, "duur": 120},
        "notitie_medewerker": "Zoekt een nieuwe cv-ketel voor een tussenwoning. Wil graag binnen drie maanden.",
    })
    assert lead.value("interest") == "nieuwe cv-ketel voor een tussenwoning"
    assert lead.value("timeline") == "binnen drie maanden"


def test_a_day_the_rep_wrote_in_a_note_is_no_timeline(extractor: Extractor) -> None:
    lead = _call(extractor, {
        "anruf": {"anrufer": {"nummer": "+49 711 2284519", "name": "Jana Vogt"}},
        "zusammenfassung": "Möchte eine Wallbox für die Garage, wünscht einen Termin am Dienstag.",
    })
    assert lead.value("interest") == "Wallbox für die Garage"
    assert lead.value("timeline") is None


def test_a_short_status_is_no_note(extractor: Extractor) -> None:
    lead = _call(extractor, {"call": {"caller": {"number": "+16145550163"}}, "summary": "qualified"})
    assert not any(o.role == "agent" for o in lead.others)


@pytest.mark.parametrize(
    ("note", "interest"),
    [
        ("Wants a second heat pump next year.", "second heat pump"),  # the date is the timeline's
        ("Patient wants to book a cleaning for next Tuesday morning.", "cleaning"),  # a booking verb goes
        ("Needs a plumber today for a burst pipe.", "plumber"),
        ("Asked about prices for a new kitchen and said they might do it in spring.", "prices for a new kitchen"),
        ("Interested in the 2022 Honda CR-V EX we have on the lot.", "2022 Honda CR-V EX"),
    ],
)
def test_the_item_ends_before_its_date_and_clause(nlp: Language, note: str, interest: str) -> None:
    assert read_free_text(nlp, note, chat=True).value("interest") == interest


@pytest.mark.parametrize(
    "note",
    [
        "Needs to reschedule appointment to next week.",  # a booking already made
        "Existing customer, billing question re: last invoice.",  # an account's matter
        "Asked for service department hours.",
        "Called re: job posting, not a customer.",
        "Mrs. Park called about her order.",
        "Caller wants someone to look at it and quote a repair.",  # who would do it, not what
        "Llamó para cambiar la cita al lunes.",
    ],
)
def test_no_item_in_a_note_about_something_else(nlp: Language, note: str) -> None:
    assert read_free_text(nlp, note, chat=True).value("interest") is None
