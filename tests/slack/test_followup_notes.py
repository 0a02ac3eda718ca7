"""The follow-up notes (pure): what the thread, the DMs and the escalation post say, made inert."""

from __future__ import annotations

import pytest

from bot.slack.notes import activity_in_thread, reassigned_away, reminder_dm, with_claim_button
from tests.slack.leads import lead_record


@pytest.mark.parametrize(
    ("activity", "masked", "expected"),
    [
        ("call", True, ":telephone_receiver: *Call* logged by <@U0REP1> (the text is in `/leads show 42` for its "
                       "owner and managers)."),
        ("meeting", False, ":handshake: *Meeting* logged by <@U0REP1>:\nMet &lt;!here&gt; at 5 &amp; 6"),
        ("fax", False, ":memo: *Note* logged by <@U0REP1>:\nMet &lt;!here&gt; at 5 &amp; 6"),  # unknown kind
    ],
)
def test_activity_in_thread(activity: str, masked: bool, expected: str) -> None:
    assert activity_in_thread(42, "U0REP1", activity, "  Met <!here> at 5 & 6 ", masked=masked) == expected


def test_the_previous_owner_is_told_everything_the_reminder_only_what_its_reader_may_see() -> None:
    lead = lead_record(owner="U0NEW1", status="claimed")
    assert reassigned_away("U0BOSS", lead, "U0NEW1") == (
        "<@U0BOSS> reassigned lead #42 (Dana Whitaker, grade A, AutoLeads, 2024 Ford Transit 350 cargo van), "
        "which you had, to <@U0NEW1>."
    )
    assert reminder_dm(lead, 42, "ring <@U0X>\nat 9", masked=True) == (
        ":alarm_clock: Reminder: lead #42 (Dana, grade A, AutoLeads, 2024 Ford Transit 350 cargo van).\n"
        "Your note: ring &lt;@U0X&gt; at 9"
    )
    assert reminder_dm(None, 42, None, masked=True) == ":alarm_clock: Reminder: lead #42 (no longer stored)."


def test_the_escalation_blocks_are_guarded_and_claim_the_lead() -> None:
    section, actions = with_claim_button("🚨 waited <!channel> <https://x.test|here>", 42)
    assert section["text"]["text"] == "🚨 waited &lt;!channel&gt; &lt;https://x.test|here&gt;"
    assert actions["elements"] == [{"type": "button", "action_id": "claim", "style": "primary",
                                    "text": {"type": "plain_text", "text": "Claim"}, "value": "42"}]
