"""Our own chat notes (tests/nlp/chat_notes, people and firms invented) read end to end as `leadbot parse` does.

A regression floor for the chat reader, per lead field, with the note's expected values beside the raw text.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage

NOTES = Path(__file__).with_name("chat_notes")


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _words(value: str | None) -> list[str]:
    return (value or "").casefold().replace(",", " ").split()


def _cases() -> list[Path]:
    return sorted((NOTES / "raw").glob("*.txt"))


def test_person_names_in_chat_notes(extractor: Extractor) -> None:
    found = expected = 0
    for raw in _cases():
        truth = json.loads((NOTES / "truth" / f"{raw.stem}.json").read_text(encoding="utf-8"))
        wanted = truth.get("leads") or [truth["lead"]]
        got = extractor.extract(RawMessage(raw=raw.read_bytes(), channel="file", name_hint=raw.name)).leads
        names = [_words(lead.value("full_name")) for lead in got]
        for lead in wanted:
            if lead.get("full_name"):
                expected += 1
                found += _words(lead["full_name"]) in names
    assert expected >= 20
    assert found / expected >= 0.9


@pytest.mark.parametrize("raw", _cases(), ids=lambda p: p.stem)
def test_chat_note_lead_count_and_contacts(extractor: Extractor, raw: Path) -> None:
    truth = json.loads((NOTES / "truth" / f"{raw.stem}.json").read_text(encoding="utf-8"))
    wanted = truth.get("leads") or [truth["lead"]]
    got = extractor.extract(RawMessage(raw=raw.read_bytes(), channel="slack")).leads
    assert len(got) == len(wanted)
    emails = {lead.value("email") for lead in got}
    for lead in wanted:
        if lead.get("email"):
            assert lead["email"] in emails
