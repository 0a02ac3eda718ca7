"""A disposable address beside a valid phone (issue 14, screening): still a lead to call, graded like one
that gave only its phone, with the card saying why; without a phone the throwaway address still sinks it."""

from __future__ import annotations

import json

from bot.assess.scoring import score_lead
from bot.settings import ScoringSettings
from bot.slack.blocks import lead_card
from parsers.lead import ExtractedLead, FieldValue
from tests.intake.conftest import SALES, StartIntake, bearer
from tests.slack.test_blocks import all_text

THROWAWAY = "anna.becker@10minutemail.com"
LEAD = {"name": "Anna Becker", "phone": "+1 617 555 0134", "message": "Please send me a quote for the roof.",
        "interest": "roof replacement"}


def extracted(**values: str) -> ExtractedLead:
    flags = {"email": ("invalid_email",)} if values.get("email", "").startswith("bad") else {}
    return ExtractedLead({k: FieldValue(v, "test", flags=flags.get(k, ())) for k, v in values.items()})


def test_a_disposable_address_beside_a_valid_phone_scores_as_the_phone_alone() -> None:
    rules = ScoringSettings()
    phone_only = score_lead(extracted(full_name="Anna Becker", phone="+16175550134", interest="roof"), None, rules)
    throwaway = score_lead(extracted(full_name="Anna Becker", phone="+16175550134", interest="roof",
                                     email=THROWAWAY), None, rules)
    assert (throwaway.score, throwaway.grade) == (phone_only.score, phone_only.grade)
    assert "+0 disposable email domain (10minutemail.com) not counted: reach them by phone" in throwaway.reasons
    no_phone = score_lead(extracted(full_name="Anna Becker", interest="roof", email=THROWAWAY), None, rules)
    assert "-40 disposable email domain (10minutemail.com)" in no_phone.reasons and no_phone.grade == "C"


async def test_a_webhook_lead_with_a_disposable_address_and_a_phone_goes_to_sales(start_intake: StartIntake) -> None:
    intake = await start_intake()
    body = json.dumps({**LEAD, "email": THROWAWAY}).encode()
    status, answer = await intake.post("/intake/portal", body, headers=bearer())
    assert status == 202, answer
    lead = await intake.store.leads.get(answer["lead_ids"][0])
    assert lead is not None
    assert lead.grade == "A", lead.reasons
    assert any("not counted: reach them by phone" in r for r in lead.reasons)
    assert [(i.kind, i.channel) for i in await intake.store.outbox.due()] == [("post_card", SALES)]
    # the card says why: the address is marked disposable, the phone verified
    card = all_text(lead_card(lead)[0])
    assert "anna.becker@10minutemail.com · _disposable address_" in card
    assert "*Phone* :white_check_mark: verified" in card
