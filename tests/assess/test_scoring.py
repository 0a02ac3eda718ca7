"""Scoring is a pure function: a table of leads and the grades they must get."""

from __future__ import annotations

import pytest

from bot.assess.scoring import route, score_lead
from bot.settings import ScoringSettings, SlackChannels
from parsers.lead import ExtractedLead, FieldValue

RULES = ScoringSettings()


def lead(flags: dict[str, tuple[str, ...]] | None = None, **values: str) -> ExtractedLead:
    flags = flags or {}
    return ExtractedLead({k: FieldValue(v, "test", 1.0, flags.get(k, ())) for k, v in values.items()})


@pytest.mark.parametrize(
    ("case", "grade", "must_mention"),
    [
        (
            lead(full_name="Priya Raman", email="priya@fernhill.example", phone="503-555-0147",
                 interest="2022 Subaru Outback", message="Test drive Saturday?", timeline="this week"),
            "A",
            "phone number verified",
        ),
        (lead(full_name="Tom Birch", email="tom@birch.example", message="Do you take trade-ins?"), "B", "email"),
        (lead(full_name="Tom Birch"), "C", "no way to reach them"),
        (lead(full_name="test test", email="test@example.com", phone="503-555-0147", message="asdf"), "C",
         "test entry"),
        (lead({"phone": ("invalid_phone",)}, full_name="Ann Lee", phone="12", email="ann@lee.example"), "C",
         "phone number is not valid"),
    ],
)
def test_grades(case: ExtractedLead, grade: str, must_mention: str) -> None:
    scored = score_lead(case, "Portal", RULES)
    assert scored.grade == grade, scored.reasons
    assert 0 <= scored.score <= 100
    assert any(must_mention in reason for reason in scored.reasons), scored.reasons


def test_reasons_carry_points_and_sum_to_the_score() -> None:
    scored = score_lead(lead(full_name="Ann Lee", email="ann@lee.example"), None, RULES)
    total = sum(int(reason.split()[0]) for reason in scored.reasons)
    # 20 email + 10 name + 5 business email (lee.example is not a free-mail domain; issue 5's rule)
    assert scored.score == total == 35
    assert scored.reasons[0] == "+20 email address"


def test_vendor_weight_is_a_reason() -> None:
    rules = ScoringSettings(vendor_weights={"Cars.com": 15})
    scored = score_lead(lead(email="a@b.example"), "Cars.com", rules)
    assert "+15 source Cars.com" in scored.reasons


def test_routing_by_grade() -> None:
    # channel IDs must look like IDs since issue 4 (chat.update needs them)
    channels = SlackChannels(sales="C0SALES", nurture="C0NURTURE")
    assert (route("A", channels), route("B", channels), route("C", channels)) == ("C0SALES", "C0NURTURE", None)
    assert route("B", SlackChannels(sales="C0SALES")) == "C0SALES"
