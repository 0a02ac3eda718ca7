"""The pure parts of the Slack side, as tables of cases: `/leads` parsing, outcome checks, ages, which
chat messages are intake, and the modals' and drafts' shape within Slack's limits."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.cli.stats import stats_text
from bot.settings import SlackChannels, SlackIntakeSettings, SlackSettings
from bot.slack.commands import Command, Usage, parse
from bot.slack.listeners.chat import is_intake_message, mention_text
from bot.slack.views import (
    OutcomeInput,
    age,
    check_outcome,
    draft_blocks,
    draft_edit_view,
    edited_fields,
    original_view,
    parse_amount,
)
from store.records import DraftRecord, MessageRecord
from store.stats import PipelineStats, RepStats, SourceStats
from tests.fakes.slack_api import check_message
from tests.slack.leads import lead_record


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", Command("help")),
        ("  HELP ", Command("help")),
        ("help share", Command("help", share=True)),
        ("stats", Command("stats", ("30d",))),
        ("stats 7D share", Command("stats", ("7d",), share=True)),
        ("stats all", Command("stats", ("all",))),
        ("mine", Command("mine")),
        ("unclaimed share", Command("unclaimed", share=True)),
        ("show ada@park.test", Command("show", ("ada@park.test",))),
        ("outcome 42 won 12500", Command("outcome", ("42", "won", "12500"))),
        ("outcome #42 LOST went elsewhere", Command("outcome", ("#42", "lost", "went", "elsewhere"))),
        ("note 42 called, left a voicemail", Command("note", ("42",), rest="called, left a voicemail")),
        ("note 42 please share", Command("note", ("42",), rest="please share")),  # "share" is text here
        ("search Whitaker Logistics", Command("search", rest="Whitaker Logistics")),
        ("new Name: Ada Park\nada@park.test", Command("new", rest="Name: Ada Park\nada@park.test")),
        ("away ON", Command("away", ("on",))),
    ],
)
def test_parse(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    ["mine please", "stats 12d", "stats 7d 30d", "show", "show a b", "outcome 42", "outcome x won 5",
     "outcome 0 won 5", "note 42", "note abc text", "search", "new", "away", "away maybe", "frobnicate"],
)  # fmt: skip
def test_wrong_input_is_a_usage_line(text: str) -> None:
    answer = parse(text)
    assert isinstance(answer, Usage) and answer.text.startswith("Usage: `/leads")


@pytest.mark.parametrize(
    ("outcome", "amount", "reason", "expected"),
    [
        ("won", "12500", None, OutcomeInput("won", 12500.0, None)),
        ("won", "$12,500.50", "great fit", OutcomeInput("won", 12500.5, "great fit")),
        ("won", None, None, {"amount": "A won deal needs its amount (a number, e.g. 12500)."}),
        ("won", "12.5k", None, {"amount": "Write the amount as a number, e.g. 12500 or 12,500.50."}),
        ("lost", None, None, {"reason": "Say why (a short reason)."}),
        ("lost", None, "price", OutcomeInput("lost", None, "price")),
        ("disqualified", None, None, {"reason": "Say why (a short reason)."}),
        ("nurture", "999", None, OutcomeInput("nurture", None, None)),
        ("maybe", None, None, {"outcome": "Choose an outcome."}),
        (None, None, None, {"outcome": "Choose an outcome."}),
    ],
)
def test_check_outcome(
    outcome: str | None, amount: str | None, reason: str | None, expected: OutcomeInput | dict[str, str]
) -> None:
    assert check_outcome(outcome, amount, reason) == expected


@pytest.mark.parametrize(("text", "amount"), [("1,000", 1000.0), ("1000.5", 1000.5), ("1,00", None), ("-5", None)])
def test_parse_amount(text: str, amount: float | None) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(5, "5 s"), (125, "2 min"), (3600, "1 h"), (3 * 3600 + 1200, "3 h 20 min"), (86400 * 2 + 3600 * 4, "2 d 4 h")],
)
def test_age(seconds: int, shown: str) -> None:
    assert age(timedelta(seconds=seconds)) == shown


SETTINGS = SlackSettings(
    channels=SlackChannels(intake="C0INTAKE"), intake=SlackIntakeSettings(channels=("C0MORE",), bot_ids=("B0VENDOR",))
)


def _event(**changes: Any) -> dict[str, Any]:
    event = {"type": "message", "text": "Name: Ada", "user": "U0REP", "channel": "C0INTAKE", "ts": "1.2"}
    event.update(changes)
    return {k: v for k, v in event.items() if v is not None}


@pytest.mark.parametrize(
    ("event", "intake"),
    [
        (_event(), True),
        (_event(channel="C0MORE"), True),
        (_event(channel="C0ELSEWHERE"), False),
        (_event(text="   "), False),
        (_event(subtype="message_changed"), False),
        (_event(subtype="channel_join"), False),
        (_event(thread_ts="1.1"), False),
        (_event(thread_ts="1.2"), True),  # a thread's parent is a top-level message
        (_event(user="U0LEADBOT"), False),
        (_event(user=None, bot_id="B0LEADBOT", subtype="bot_message"), False),
        (_event(user=None, bot_id="B0VENDOR", subtype="bot_message"), True),
        (_event(user="U0APPUSER", bot_id="B0VENDOR"), True),
        (_event(user=None, bot_id="B0OTHER", subtype="bot_message"), False),
        (_event(user=None), False),
    ],
)
def test_which_messages_are_intake(event: dict[str, Any], intake: bool) -> None:
    assert is_intake_message(event, SETTINGS, bot_user_id="U0LEADBOT", bot_id="B0LEADBOT") is intake


def test_intake_can_be_switched_off() -> None:
    off = SETTINGS.model_copy(update={"intake": SlackIntakeSettings(enabled=False)})
    assert not is_intake_message(_event(), off, bot_user_id="U0LEADBOT", bot_id="B0LEADBOT")


def test_mention_text_drops_mentions() -> None:
    assert mention_text("<@U0LEADBOT> Name: Ada Park <@U0REP|rep>") == "Name: Ada Park"


def _message(raw: bytes, channel: str = "http") -> MessageRecord:
    now = datetime(2024, 5, 1, 15, 0, tzinfo=UTC)
    return MessageRecord(1, channel, None, (), now, "k", raw, len(raw), None, "processed", None, 1, now, None)


def test_original_view_trims_a_huge_message_within_slack_limits() -> None:
    huge = ("& <b>lead</b> " * 3000).encode()  # 42,000 characters that escape to more
    view = original_view(lead_record(), _message(huge), now=datetime(2024, 5, 1, 17, 45, tzinfo=UTC))
    assert len(view["blocks"]) <= 100 and len(view["title"]["text"]) <= 24
    sections = [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]
    assert all(len(t) <= 3000 for t in sections)
    assert "<b>" not in "".join(sections) and "&lt;b&gt;" in "".join(sections)
    assert "3 h 15 min old" in view["blocks"][1]["elements"][0]["text"]
    assert "trimmed" in view["blocks"][-1]["elements"][0]["text"]
    assert check_message({"blocks": [b for b in view["blocks"] if b["type"] != "input"], "text": "x"}) is None


def test_original_view_without_a_message() -> None:
    view = original_view(lead_record(message_id=None), None, now=datetime(2024, 5, 2, tzinfo=UTC))
    assert "entered by hand" in view["blocks"][-1]["text"]["text"]


def _draft(fields: dict[str, str]) -> DraftRecord:
    return DraftRecord(7, 3, "U0REP", "C0INTAKE", "1.3", None, fields, {}, "pending", None, datetime.now(UTC))


def test_draft_blocks_escape_and_fit() -> None:
    blocks, text = draft_blocks(_draft({"full_name": "<!channel> Ada " + "x" * 5000, "email": "ada@park.test"}))
    assert check_message({"blocks": blocks, "text": text}) is None
    assert "&lt;!channel&gt; Ada" in blocks[1]["text"]["text"]
    assert [e["action_id"] for e in blocks[-1]["elements"]] == ["draft_confirm", "draft_edit", "draft_discard"]


def test_edit_view_round_trip() -> None:
    view = draft_edit_view(_draft({"full_name": "Ada Park", "phone": "555"}), reply={"channel": "C1", "ts": "1.2"})
    values = {
        b["block_id"]: {"value": {"type": "plain_text_input", "value": b["element"].get("initial_value")}}
        for b in view["blocks"]
    }
    values["f_email"] = {"value": {"type": "plain_text_input", "value": " ada@park.test "}}
    assert edited_fields({"state": {"values": values}}) == {
        "full_name": "Ada Park",
        "email": "ada@park.test",
        "phone": "555",
    }


def test_stats_text_for_the_terminal() -> None:
    stats = PipelineStats(
        since=None,
        until=datetime.now(UTC),
        leads=10,
        by_grade={"A": 6, "C": 4},
        claimed=5,
        median_claim_seconds=600,
        median_first_touch_seconds=None,
        sla_breaches=2,
        outcomes={"won": 1, "lost": 1},
        revenue=1500.5,
        by_source=[SourceStats("AutoLeads", 10, {"A": 6, "C": 4}, 5, 1, 2, 1500.5, 1, 4)],
        by_rep=[RepStats("U0REP", 5, 1, 2, 1500.5)],
    )
    text = stats_text(stats, "all")
    assert "Pipeline, all time" in text and "leads              10 (A 6, C 4)" in text
    assert "claimed            5 (50%)" in text and "median to claim    10 min" in text
    assert "win rate           50%" in text and "revenue            1,500.50" in text
    assert "AutoLeads" in text and "U0REP" in text
