"""One assessor for every way in: the same lead gets the same grade and reasons, learned rates included.

The assessor is built the way the service builds it (``bot.service.build_assessor``) over a store whose
closed leads teach a win rate by feature (business email vs free mail); then one person arrives by mail,
replay, a quiet webhook, chat, spreadsheet import and rescore.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from bot.assess.rescore import rescore
from bot.assess.work import work_check
from bot.intake.chat import ChatIntake
from bot.intake.pipeline import IntakePipeline
from bot.intake.spreadsheet import RowRules, run_import
from bot.service import build_assessor
from bot.settings import load_settings
from nlp.extractor import Extractor
from parsers.lead import ExtractedLead, FieldValue, RawMessage
from store.records import LeadRecord
from store.store import Store
from tests.assess.helpers import a_lead

NAME, EMAIL, PHONE = "Priya Raman", "priya@castellan-logistics.example", "(512) 555-0142"
ASK = "Please call me back, I have questions about pricing."


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


async def _teach(store: Store) -> None:
    """Business addresses close, free-mail addresses do not: a learned component for every business lead."""
    for i in range(8):
        for email, outcome in ((f"buyer{i}@firm{i}.example", "won"), (f"buyer{i}@gmail.com", "lost")):
            made = a_lead(f"Buyer {chr(65 + i)}", email)
            lead = await store.leads.add(dataclasses.replace(made, vendor=f"Old source {i}", post_to=None))
            await store.leads.claim(lead.id, "U0REP1")
            await store.leads.set_outcome(lead.id, "U0REP1", outcome, amount=100.0 if outcome == "won" else None,
                                    reason=None if outcome == "won" else "no budget",
                                    check=work_check("set_outcome", manager=True))


def _assessment(lead: LeadRecord | None) -> tuple[str, tuple[str, ...]]:
    assert lead is not None
    # recency ("fresh") depends on when a way in saw the lead, not on the lead: compare the rest
    return lead.grade, tuple(r for r in lead.reasons if " fresh (" not in r)


async def test_every_way_in_assesses_alike_with_learned_rates(
    store: Store, extractor: Extractor, tmp_path: Path
) -> None:
    await _teach(store)
    settings = load_settings(None, overrides={
        "slack.channels.sales": "C0SALES", "slack.channels.nurture": "C0NURTURE",
        "scoring.learning.min_outcomes": 3,
    })
    assessor = build_assessor(settings, store)
    learned = await assessor.rates()
    assert learned is not None and learned.closed == 16
    results: dict[str, tuple[str, tuple[str, ...]]] = {}

    pipeline = IntakePipeline(store, extractor, assessor)
    mail = (f"From: web@castellan-logistics.example\r\nTo: leads@us.example\r\nSubject: Contact form\r\n"
            f"Message-ID: <one@castellan.example>\r\n\r\nName: {NAME}\r\nEmail: {EMAIL}\r\nPhone: {PHONE}\r\n"
            f"Message: {ASK}\r\n")
    accepted = await pipeline.accept(RawMessage(mail.encode(), "smtp", sender="web@castellan-logistics.example"))
    [by_mail] = await pipeline.process(accepted.id)
    results["mail"] = _assessment(by_mail)
    [replayed] = await pipeline.replay(accepted.id)
    results["replay"] = _assessment(replayed)

    quiet = IntakePipeline(store, extractor, assessor.quiet())
    body = json.dumps({"name": NAME, "email": EMAIL, "phone": PHONE, "message": ASK}).encode()
    hook = await quiet.accept(RawMessage(body, "http", sender="webhook:portal", name_hint=".json"))
    [by_webhook] = await quiet.process(hook.id)
    results["quiet webhook"] = _assessment(by_webhook)

    chat = ChatIntake(store, pipeline)
    draft = await chat.read(f"Name: {NAME}\nEmail: {EMAIL}\nPhone: {PHONE}\nMessage: {ASK}",
                            author="U0REP2", channel="C0INTAKE", ts="1700000000.000100")
    assert draft is not None
    results["chat"] = _assessment(await chat.confirm(draft.id, "U0REP2"))

    sheet = tmp_path / "fair.csv"
    sheet.write_text(f"Name,Email,Phone,Message\n{NAME},{EMAIL},{PHONE},\"{ASK}\"\n", encoding="utf-8")
    summary = await run_import(store, sheet, RowRules(assessor, learned, vendor="Fair", post=False))
    assert summary.rows == 1
    imported = [lead for lead in await store.leads.recent(limit=50) if lead.channel == "file"]
    results["import"] = _assessment(imported[0])

    [again] = rescore([by_mail], assessor, learned)
    results["rescore"] = (again.grade, tuple(r for r in again.reasons if " fresh (" not in r))

    learned_reasons = [r for r in results["mail"][1] if "business email" in r and "close" in r]
    assert learned_reasons, results["mail"]  # the learned component is there …
    for way, got in results.items():  # … and the same on every path
        assert got == results["mail"], (way, got, results["mail"])


def test_a_field_and_its_provenance_round_trip() -> None:
    value = FieldValue("(512) 555-0142", "reader:labels:Phone", 0.8, flags=("low_confidence",),
                       alternatives=("512-555-0199",), normalized="+15125550142")
    assert FieldValue.from_json(value.to_json()) == value
    assert FieldValue.from_json(json.loads(json.dumps(value.to_json()))) == value
    assert FieldValue.from_json(value.provenance(), value=value.value) == value
    lead = ExtractedLead({"phone": value, "full_name": FieldValue(NAME, "nlp:names")})
    stored_values = {name: fv.value for name, fv in lead.fields.items()}
    assert ExtractedLead.from_stored(stored_values, json.loads(json.dumps(lead.provenance()))) == lead


def test_old_rows_without_provenance_read_back() -> None:
    rebuilt = ExtractedLead.from_stored({"email": EMAIL}, {})
    assert rebuilt.fields["email"] == FieldValue(EMAIL, "stored")
