"""Soft fields read as a person reads them: dates that are not the plan, empty answers, the writer's own firm."""

from __future__ import annotations

import json

import pytest
from spacy.language import Language

from nlp.extractor import Extractor
from nlp.freetext import read_free_text
from parsers.boilerplate import is_no_answer
from parsers.lead import ExtractedLead, FieldValue, RawMessage
from parsers.verify import finalize


@pytest.mark.parametrize(
    "text",
    [
        "Interest: Roof replacement. This offer is valid through December 31. Book this month and save 10%!",
        "Our showroom hours are Mon-Sat 9am-7pm.",
        "Öffnungszeiten: Montag bis Freitag, im Dezember geschlossen.",
        "Our furnace warranty expired in March. Can you send someone?",
        "Hola, quería información sobre placas solares.\nEspero su respuesta pronto.",
        "Ik wil graag informatie over een warmtepomp. Ik hoor graag binnenkort van u.",
        "Wants to come in Saturday to look at the Highlander.",
        "Vendrá a ver el coche; quiere pasar a ver el sábado.",
    ],
)
def test_a_notice_a_visit_or_an_awaited_reply_is_no_timeline(nlp: Language, text: str) -> None:
    assert read_free_text(nlp, text).value("timeline") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We don't need anything right now, but would like a brochure for next year's remodel.", "next year"),
        ("Tom Reilly, demo on Thursday at 3pm w/ his team, they're evaluating for a Q1 rollout", "Q1 rollout"),
        ("O Duarte diz que ele quer resposta até sexta.", "até sexta"),
    ],
)
def test_the_plan_beside_a_notice_word_stays(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


@pytest.mark.parametrize(
    "value",
    ["Not sure", "not sure yet", "Just browsing", "I don't know", "Weiß noch nicht", "noch unklar", "No lo sé",
     "Ainda não sei", "Je ne sais pas encore", "Non lo so", "Weet ik nog niet", "Undecided"],
)
def test_an_answer_that_says_nothing(value: str) -> None:
    assert is_no_answer(value)


@pytest.mark.parametrize(
    "value", ["Within 3 months", "Flexible", "ASAP", "Not before March", "sofort", "Unknown Mortals tour"]
)
def test_a_real_answer_is_kept(value: str) -> None:
    assert not is_no_answer(value)


def test_a_form_timeline_that_says_nothing_is_dropped_and_the_rest_kept() -> None:
    lead = ExtractedLead({
        "timeline": FieldValue("Not sure", "reader:labels:Timeframe", 0.85),
        "budget": FieldValue("Don't know", "reader:labels:Budget", 0.85),
        "interest": FieldValue("Bathroom remodel", "reader:labels:Project", 0.85),
    })
    out = finalize(lead)
    assert out.value("timeline") is None and out.value("budget") is None
    assert out.value("interest") == "Bathroom remodel"


def test_a_call_records_start_time_is_no_timeline() -> None:
    payload = {"call_id": 1, "start_time": "2026-11-19", "duration": 312, "caller_number": "+14805550177",
               "caller_name": "Lee Wong", "tracking_number": "+16025550190", "project_start": "March 2027"}
    lead = Extractor().extract(RawMessage(json.dumps(payload).encode(), "file", name_hint="call.json")).leads[0]
    assert lead.value("timeline") == "March 2027"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hola, soy Marta Gil de Construcciones Levante S.L. Necesitamos alquilar dos grúas.",
         "Construcciones Levante S.L."),
        ("Bonjour, je suis acheteuse chez Maison Verdier. Nous cherchons un fournisseur d'emballages.",
         "Maison Verdier"),
    ],
)
def test_the_writers_own_firm_without_the_writer(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("company") == expected


@pytest.mark.parametrize(
    "value", ["Private", "Homeowner", "Self-employed", "privat", "Privatperson", "Particular", "Particulier", "Privato",
              "Pessoa física", "none", "Residential"],
)
def test_a_company_answer_that_names_no_firm(value: str) -> None:
    lead = finalize(ExtractedLead({"company": FieldValue(value, "reader:labels:Company", 0.85)}))
    assert lead.value("company") is None


@pytest.mark.parametrize(
    "value", ["Private Wealth Partners LLC", "Selbst & Söhne GmbH", "Particular Audience Ltd", "Walmart"]
)
def test_a_firm_is_kept(value: str) -> None:
    lead = finalize(ExtractedLead({"company": FieldValue(value, "reader:labels:Company", 0.85)}))
    assert lead.value("company") == value


@pytest.mark.parametrize(
    "note",
    ["Jim Pike 555-0190 needs to talk to Mike asap", "Jim Pike 555-0190 wants us to call him back tomorrow",
     "Herr Jim Pike 0171 5550190 möchte einen Rückruf", "Sr. Jim Pike 611 555 019 quiere que le llamen",
     "Sr. Jim Pike 611 555 019 pide información", "Jim Pike 555-0190 wants to speak to sales"],
)
def test_a_note_asking_for_a_call_names_no_item(nlp: Language, note: str) -> None:
    assert read_free_text(nlp, note, chat=True).value("interest") is None


def test_a_note_asking_for_a_price_keeps_its_item(nlp: Language) -> None:
    lead = read_free_text(nlp, "Jim Pike 555-0190 wants a quote on a sunroom", chat=True)
    assert lead.value("interest") == "quote on a sunroom"


@pytest.mark.parametrize(
    "text",
    [
        "Hi, my neighbor used Apex Roofing LLC and recommended you guys. Need a roof inspection.",
        "I currently have service with Comcast Cable Communications LLC and want to switch.",
        "Met Rob Kessler at the show, he stopped by after seeing our van at Lowe's Home Centers LLC.",
        "Wir sind derzeit bei der Stadtwerke Nord GmbH und wollen wechseln.",
    ],
)
def test_a_firm_dealt_with_elsewhere_is_not_the_prospects(nlp: Language, text: str) -> None:
    assert read_free_text(nlp, text, chat=True).value("company") is None
    assert read_free_text(nlp, text).value("company") is None


def _timeline(value: str) -> str | None:
    return finalize(ExtractedLead({"timeline": FieldValue(value, "reader:json:timing", 0.85)})).value("timeline")


@pytest.mark.parametrize(
    "value", ["Low", "Normal priority", "Morning", "Evenings", "Nachmittags", "Por la tarde", "'s avonds"]
)
def test_a_priority_or_a_call_window_is_no_timeline(value: str) -> None:
    assert _timeline(value) is None


@pytest.mark.parametrize("value", ["Emergency", "23.11.2026 vormittags", "this afternoon", "Within 1 week", "morgen"])
def test_a_plan_with_a_time_of_day_stays(value: str) -> None:
    assert _timeline(value) == value


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        ("Got a call from Priya Raman. She is evaluating options.", None),
        ("Dan Wu 555-0136 asked for a brochure", None),
        ("Ben Ortiz 555-0135 re: follow-up from last week's estimate", None),
        ("Eva Lim 555-0137 wants a brochure on the 2025 Tacoma", "2025 Tacoma"),
    ],
)
def test_literature_options_and_a_follow_up_are_no_item(nlp: Language, note: str, expected: str | None) -> None:
    assert read_free_text(nlp, note, chat=True).value("interest") == expected
