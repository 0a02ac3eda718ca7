"""The one escaping rule (`bot.slack.safe`) and the masked card, as tables of cases (issue 13)."""

from __future__ import annotations

import pytest

from bot.slack import messages
from bot.slack.blocks import first_name, lead_card, redacted, where
from bot.slack.notes import grade_c_digest, lead_ref, repeat_notice
from bot.slack.safe import guard, inert, inert_line, plain
from bot.slack.standin import check_message, check_view
from bot.slack.views import home_view
from tests.slack.leads import lead_record


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("<!channel> hi", "&lt;!channel&gt; hi"),
        ("<!here|here>", "&lt;!here|here&gt;"),
        ("<!everyone>", "&lt;!everyone&gt;"),
        ("<@U123> and <@W9|bob>", "&lt;@U123&gt; and &lt;@W9|bob&gt;"),
        ("<#C0SALES>", "&lt;#C0SALES&gt;"),
        ("<!subteam^S1>", "&lt;!subteam^S1&gt;"),
        ("<https://evil.example|Verify your Slack session>", "&lt;https://evil.example|Verify your Slack session&gt;"),
        ("Smith & Sons", "Smith &amp; Sons"),
        ("ping @here now", "ping @\u2060here now"),
        ("```code```", "`\u2060`\u2060`\u2060code`\u2060`\u2060`\u2060"),
        ("txt\u202eexe.pdf", "txtexe.pdf"),
        ("\u2066iso\u2069 \u200emark\u200f \u061cal", "iso mark al"),
        ("nul\x00 bell\x07 esc\x1b[31m del\x7f c1\x85", "nul bell esc[31m del c1"),
        ("line\nbreak\ttab", "line\nbreak\ttab"),
    ],
)
def test_inert(value: str, shown: str) -> None:
    assert inert(value) == shown


@pytest.mark.parametrize(
    ("value", "limit", "shown"),
    [
        ("Smith & Sons", 16, "Smith &amp; Sons"),  # the escaped text fits exactly
        ("Smith & Sons", 15, "Smith &amp; So…"),
        ("Smith & Sons", 9, "Smith …"),  # never inside the entity
        ("@here & <b>", 30, "@\u2060here &amp; &lt;b&gt;"),
    ],
)
def test_inert_with_a_limit(value: str, limit: int, shown: str) -> None:
    assert inert(value, limit) == shown


def test_inert_cuts_the_escaped_text_never_inside_an_entity() -> None:
    cut = inert("<" * 50_000, 100)
    assert len(cut) <= 100 and cut.endswith("…") and cut[:-1] == "&lt;" * 24
    assert inert("a" * 99, 100) == "a" * 99
    assert inert_line("a\n\n  b", 10) == "a b"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Assigned to <@U0REP1>: nobody claimed it", "Assigned to <@U0REP1>: nobody claimed it"),
        ("see <#C0SALES> now", "see <#C0SALES> now"),
        ("<!date^1700000000^{date_short}|2023-11-14>", "<!date^1700000000^{date_short}|2023-11-14>"),
        ("<!channel> wake up", "&lt;!channel&gt; wake up"),
        ("<https://evil.example|login>", "&lt;https://evil.example|login&gt;"),
        ("<@U0REP1|spoof> and <mailto:a@b|c>", "&lt;@U0REP1|spoof&gt; and &lt;mailto:a@b|c&gt;"),
        ("rtl\u202eevil", "rtlevil"),
    ],
)
def test_guard_keeps_only_our_markup(text: str, shown: str) -> None:
    assert guard(text, 4000) == shown


def test_guard_and_plain_cut() -> None:
    assert guard("&amp;" * 10, 12) == "&amp;&amp;…"  # never half an entity
    assert plain("\x00 a\n b \u202e", 75) == "a b"
    assert plain("", 24) == " " and len(plain("x" * 100, 24)) == 24


def test_a_masked_card_shows_what_decides_a_claim_and_no_contact() -> None:
    lead = lead_record(
        fields={"full_name": "Dana Whitaker", "email": "dana@whitaker.test", "phone": "+1 617 555 0134",
                "street": "12 Harbour Street", "city": "Leeds", "region": "West Yorkshire",
                "company": "Whitaker Logistics", "interest": "cargo van", "budget": "$45,000"},
        reasons=("+20 phone number verified", "-60 email 'dana@whitaker.test' looks like a test entry"),
    )  # fmt: skip
    blocks, fallback = lead_card(lead, masked=True)
    text = str(blocks) + fallback
    for private in ("dana@whitaker.test", "555 0134", "Harbour", "Whitaker"):
        assert private not in text
    assert "*Dana*" in text and "Leeds, West Yorkshire" in text and "cargo van" in text and "$45,000" in text
    assert f"email '{messages.HIDDEN}' looks like a test entry" in text and messages.MASKED_NOTE in text
    assert check_message({"blocks": blocks, "text": fallback}) is None
    full, _ = lead_card(lead, masked=False)
    assert "dana@whitaker.test" in str(full) and "show_details" not in str(full)


@pytest.mark.parametrize(
    ("fields", "name", "place"),
    [
        ({"full_name": "Dana Whitaker", "city": "Leeds"}, "Dana", "Leeds"),
        ({"first_name": "Ada", "last_name": "Park", "region": "OR"}, "Ada", "OR"),
        ({"email": "x@y.test", "phone": "555"}, "Lead #42", None),  # never the email the display name uses
        ({"full_name": "  ", "city": "Rome", "region": "Rome"}, "Lead #42", "Rome"),
    ],
)
def test_first_name_and_where(fields: dict[str, str], name: str, place: str | None) -> None:
    lead = lead_record(fields=fields)
    assert (first_name(lead), where(lead)) == (name, place)


def test_notes_name_an_unowned_lead_by_first_name_only() -> None:
    lead = lead_record(fields={"full_name": "<!channel> Smith", "interest": "<@U1> van"}, vendor="<!here>")
    assert lead_ref(lead) == "lead #42 (&lt;!channel&gt;, grade A, &lt;!here&gt;, &lt;@U1&gt; van)"
    assert "Smith" in lead_ref(lead, masked=False)
    digest = grade_c_digest([lead] * 16, 24)
    assert "Smith" not in digest and "… and 1 more" in digest and "<!" not in digest
    assert redacted("name 'Dana Whitaker' looks odd", lead_record()) == f"name '{messages.HIDDEN}' looks odd"


def test_repeat_notice_is_one_safe_line() -> None:
    lead = lead_record(fields={"full_name": "Bob\u202e <Smith>", "email": "b@x.test", "message": "<!channel>\n" * 99})
    notice = repeat_notice(lead, "<!everyone>")
    assert notice.startswith("Bob via &lt;!everyone&gt; — &lt;!channel&gt; &lt;!channel&gt;")
    assert "\n" not in notice and len(notice) < 400 and "b@x.test" not in notice and "Smith" not in notice
    assert repeat_notice(lead_record(fields={"phone": "555"}), None) == "someone again"


def test_the_stand_in_checks_views_as_slack_does() -> None:
    lead = lead_record()
    assert check_view(home_view([lead], 3, now=lead.created_at)) is None
    assert check_view({"type": "modal", "title": {"type": "plain_text", "text": "x" * 25}, "blocks": []}) == (
        "invalid_arguments"
    )
    too_long = {"type": "input", "label": {"type": "plain_text", "text": "L"},
                "element": {"type": "plain_text_input", "max_length": 5, "initial_value": "123456"}}  # fmt: skip
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "T"}, "blocks": [too_long]}
    assert check_view(modal) == "invalid_blocks"
    assert check_view({"type": "home", "blocks": [{"type": "divider"}] * 101}) == "invalid_blocks"
    twice = [{"type": "divider", "block_id": "a"}, {"type": "divider", "block_id": "a"}]
    assert check_message({"text": "t", "blocks": twice}) == "invalid_blocks"
