"""A JSON payload's free-text field goes through the one free-text reader for what its keys lack."""

from __future__ import annotations

import json

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _read(extractor: Extractor, payload: object) -> dict[str, str | None]:
    raw = json.dumps(payload).encode("utf-8")
    leads = extractor.extract(RawMessage(raw=raw, channel="http", name_hint="lead.json")).leads
    assert len(leads) == 1
    return leads[0].plain()


def test_sms_reply_names_the_caller_the_keys_left_unknown(extractor: Extractor) -> None:
    lead = _read(extractor, {
        "event": "missed_call", "tracking_number": "(503) 555-0170", "caller": "(503) 555-0148",
        "caller_name": "Unknown",
        "sms": {"sent": "We missed your call, who is this?",
                "reply": "Hello. My name is Odile Brachet and I want a quote for gutter cleaning."},
    })
    assert lead["phone"] == "(503) 555-0148"
    assert lead["full_name"] == "Odile Brachet"
    assert lead["message"] is not None and lead["message"].startswith("Hello. My name is Odile Brachet")


def test_voicemail_transcript_gives_a_budget_but_keys_win(extractor: Extractor) -> None:
    lead = _read(extractor, {
        "caller_number": "+1 720 555 0131", "caller_name": "Teodor Vance",
        "voicemail_transcript": "Hi, this is Marc calling for my brother. We have about $15,000 for a new roof.",
    })
    assert lead["full_name"] == "Teodor Vance"  # the payload's own name field is not overridden by prose
    assert lead["budget"] is not None and "15,000" in lead["budget"]


@pytest.mark.parametrize("key", ["respuesta", "resposta", "réponse", "risposta", "antwoord", "antwort"])
def test_reply_keys_in_every_language_are_the_message(extractor: Extractor, key: str) -> None:
    lead = _read(extractor, {"telefono": "+34 611 555 019", key: "Necesito presupuesto para pintar el salon."})
    assert lead["message"] == "Necesito presupuesto para pintar el salon."


def test_short_payload_message_adds_nothing(extractor: Extractor) -> None:
    lead = _read(extractor, {"name": "Ines Portela", "phone": "+351 912 555 014", "message": "call me"})
    assert lead["full_name"] == "Ines Portela"
    assert lead["message"] == "call me"
    assert lead["interest"] is None


@pytest.mark.parametrize(("cnam", "expected"), [
    ("QUINTERO MARISOL", "Marisol Quintero"),   # the carriers' habit: surname first
    ("MARISOL QUINTERO", "Marisol Quintero"),   # written first name first: the gazetteers say so
    ("QUINTERO, MARISOL", "Marisol Quintero"),  # a comma says which word is the surname
    ("THOMAS JAMES", "James Thomas"),           # both words first names: the carriers' habit decides
])
def test_caller_id_name_order_follows_evidence(extractor: Extractor, cnam: str, expected: str) -> None:
    lead = _read(extractor, {"call": {"caller_number": "+1 614 555 0190", "caller_name": cnam,
                                      "tracking_number": "+1 614 555 0100"}})
    assert lead["full_name"] == expected
    assert lead["first_name"] == expected.split()[0]
