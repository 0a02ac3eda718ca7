"""The card renderer: what a rep sees, that vendor text cannot ping or break it, and Slack's limits."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from typing import Any

import pytest

from bot.slack.blocks import console_card, lead_card, mention
from store.records import LeadRecord
from tests.fakes.slack_api import check_message
from tests.slack.leads import FIELDS, lead_record


def texts(blocks: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Every text object in the blocks."""
    for block in blocks:
        for key in ("text",):
            if isinstance(block.get(key), dict):
                yield block[key]
        yield from block.get("fields") or ()
        for element in block.get("elements") or ():
            if element.get("type") in ("mrkdwn", "plain_text"):
                yield element
            elif isinstance(element.get("text"), dict):
                yield element["text"]


def all_text(blocks: list[dict[str, Any]]) -> str:
    return "\n".join(t["text"] for t in texts(blocks))


def buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b["type"] == "actions" for e in b["elements"] if e["type"] == "button"]


WORK = ["log_activity", "set_outcome", "remind", "release", "reassign", "view_original"]
CLOSED = ["reopen", "view_original"]


@pytest.mark.parametrize(
    ("changes", "actions", "owner_line"),
    [
        ({"status": "new"}, ["claim", "view_original"], None),
        ({"status": "posted"}, ["claim", "view_original"], None),
        ({"status": "claimed", "owner": "U123ABC"}, WORK, "Claimed by <@U123ABC>"),
        ({"status": "claimed", "owner": "W0ENTERPRISE"}, WORK, "Claimed by <@W0ENTERPRISE>"),
        ({"status": "claimed", "owner": "alice <@U999>"}, WORK, "Claimed by alice &lt;@U999&gt;"),
        ({"status": "closed"}, CLOSED, "Status: closed"),
        ({"status": "duplicate"}, ["view_original"], "Status: duplicate"),
        (
            {"status": "closed", "owner": "U123ABC", "outcome": "won", "outcome_amount": 12500.0},
            CLOSED,
            ":trophy: Closed: *Won* · 12,500 · Claimed by <@U123ABC>",
        ),
        (
            {"status": "closed", "owner": "U123ABC", "outcome": "lost"},
            CLOSED,
            ":x: Closed: *Lost* · Claimed by <@U123ABC>",
        ),
    ],
)
def test_card_buttons_follow_the_lead(changes: dict[str, Any], actions: list[str], owner_line: str | None) -> None:
    blocks, fallback = lead_card(lead_record(**changes))
    found = buttons(blocks)
    assert [b["action_id"] for b in found] == actions
    assert {b["value"] for b in found} == {"42"}  # every button names its lead; listeners look it up
    if actions[0] == "claim":
        assert found[0] == {
            "type": "button",
            "action_id": "claim",
            "style": "primary",
            "text": {"type": "plain_text", "text": "Claim"},
            "value": "42",
        }
        assert "Claimed by" not in all_text(blocks)
    else:
        assert owner_line is not None and owner_line in all_text(blocks)
    assert check_message({"blocks": blocks, "text": fallback}) is None


def test_card_shows_its_age_as_a_slack_date() -> None:
    blocks, _ = lead_card(lead_record())
    source = next(b for b in blocks if b.get("block_id") == "source")["elements"][0]["text"]
    # 2024-05-01 14:30 UTC; Slack renders the token in the reader's zone with a live "… ago"
    assert source.endswith("received <!date^1714573800^{date_short_pretty} {time} ({ago})|2024-05-01 14:30 UTC>")


def test_card_shows_the_lead() -> None:
    blocks, fallback = lead_card(lead_record())
    text = all_text(blocks)
    for value in FIELDS.values():
        assert value in text
    assert ":large_green_circle: *A lead*" in text
    assert "*Score 72/100*" in text
    assert "AutoLeads via smtp · lead #42" in text
    assert fallback == "A lead: Dana Whitaker (Whitaker Logistics)"
    assert all(t.get("verbatim") is True for t in texts(blocks) if t["type"] == "mrkdwn")


@pytest.mark.parametrize(
    ("grade", "badge"), [("A", ":large_green_circle:"), ("B", ":large_yellow_circle:"), ("C", ":white_circle:")]
)
def test_grade_badge(grade: str, badge: str) -> None:
    blocks, _ = lead_card(lead_record(grade=grade))
    assert blocks[0]["text"]["text"].startswith(f"{badge} *{grade} lead*")


def test_top_reasons_are_the_heaviest_three() -> None:
    reasons = ("+5 company given", "+20 phone number verified", "-25 invalid email", "+10 budget stated")
    blocks, _ = lead_card(lead_record(reasons=reasons))
    score = next(b for b in blocks if b.get("block_id") == "score")["text"]["text"]
    assert score.splitlines()[1:] == ["• -25 invalid email", "• +20 phone number verified", "• +10 budget stated"]


def test_missing_fields_are_left_out() -> None:
    blocks, fallback = lead_card(lead_record(fields={"phone": "+1 617 555 0134"}, reasons=()))
    fields = next(b for b in blocks if b.get("block_id") == "fields")["fields"]
    assert [f["text"] for f in fields] == ["*Phone*\n+1 617 555 0134"]
    assert "+1 617 555 0134" in blocks[0]["text"]["text"]  # display name falls back to the phone
    assert check_message({"blocks": blocks, "text": fallback}) is None


HOSTILE = [
    ("full_name", "<!channel> Free money"),
    ("full_name", "<!here|here> Bob"),
    ("company", "@here Acme"),
    ("company", "Acme @channel @everyone"),
    ("email", "x@y.test <@U123>"),
    ("interest", "a & b < c > d"),
    ("interest", "<https://evil.example|click me>"),
    ("budget", "<#C123|general>"),
    ("timeline", "```\nasap"),
    ("phone", "<!subteam^S123>"),
]

_RAW_MENTION = re.compile(r"(?<![\w.+-])@(here|channel|everyone)\b", re.IGNORECASE)
_BARE_AMP = re.compile(r"&(?!(amp|lt|gt);)")


_DATE_TOKEN = re.compile(r"<!date\^\d+\^[^|<>]*\|[0-9: UTC-]+>")


def assert_inert(text: str) -> None:
    text = _DATE_TOKEN.sub("", text)  # our own token, built from the lead's integer timestamp
    assert "<" not in text and ">" not in text, text
    assert not _RAW_MENTION.search(text), text
    assert not _BARE_AMP.search(text), text
    assert "```" not in text, text


@pytest.mark.parametrize(("field", "value"), HOSTILE)
def test_vendor_text_cannot_mention_or_break_mrkdwn(field: str, value: str) -> None:
    lead = lead_record(
        fields={**FIELDS, field: value}, vendor="<!everyone> Vendor & Co", reasons=("+20 <@U1> & <!here>",)
    )
    blocks, fallback = lead_card(lead)
    for text in texts(blocks):
        if text["text"] == "Claim":
            continue
        assert_inert(text["text"])
    assert_inert(fallback)
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    rendered = all_text(blocks).replace("\u2060", "")
    assert " ".join(escaped.split()) in " ".join(rendered.split())


def test_escaping_a_claimed_card_keeps_only_the_owner_mention() -> None:
    lead = lead_record(fields={**FIELDS, "full_name": "<@U666> <!channel>"}, status="claimed", owner="U123ABC")
    text = _DATE_TOKEN.sub("", all_text(lead_card(lead)[0]))
    assert re.findall(r"<[^>]*>", text) == ["<@U123ABC>"]


def test_mention_only_for_slack_user_ids() -> None:
    assert mention("U0123ABCD") == "<@U0123ABCD>"
    assert mention("<!channel>") == "&lt;!channel&gt;"
    assert mention("u123") == "u123"


def _huge() -> LeadRecord:
    big = "& <b> " * 4000  # 24,000 characters that each escape to 1-4 characters
    return lead_record(
        fields={name: big for name in ("full_name", "company", *FIELDS)},
        vendor=big,
        reasons=tuple(f"+{i} {big}" for i in range(200)),
    )


@pytest.mark.parametrize("changes", [{}, {"status": "claimed", "owner": "U123ABC"}])
def test_huge_fields_stay_within_slack_limits(changes: dict[str, Any]) -> None:
    blocks, fallback = lead_card(dataclasses.replace(_huge(), **changes))
    assert len(blocks) <= 50
    for block in blocks:
        if block["type"] == "section" and "text" in block:
            assert len(block["text"]["text"]) <= 3000
        for field in block.get("fields") or ():
            assert len(field["text"]) <= 2000
    for button in buttons(blocks):
        assert len(button["text"]["text"]) <= 75
    assert len(fallback) <= 300
    for text in texts(blocks):
        # trimmed text ends in an ellipsis, never inside an entity
        assert not _BARE_AMP.search(text["text"]), text["text"][-20:]
    assert check_message({"blocks": blocks, "text": fallback}) is None


def test_console_card_is_plain_and_clean() -> None:
    lead = lead_record(fields={**FIELDS, "full_name": "Dana \x1b[31mWhitaker\x07"})
    text = console_card(lead)
    assert "\x1b" not in text and "\x07" not in text
    assert text.splitlines()[0] == "[A] Dana [31mWhitaker — Whitaker Logistics   (lead #42, score 72)"
    assert "Email:    dana@whitaker.test" in text
    assert "Why:      +20 phone number verified; +20 email address; +15 says what they want" in text
    assert "Status:   unclaimed" in text
    assert "Owner:    U123" in console_card(lead_record(status="claimed", owner="U123"))
