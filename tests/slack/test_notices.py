"""bot/slack/notices.py: the words for notes the store queues as data."""

from __future__ import annotations

from bot.slack.notices import outbox_text


def test_a_repeat_is_worded_for_the_thread_and_for_the_owner() -> None:
    repeat = {"lead_id": 9, "of_lead": 4, "notice": "asks about patio tiles", "source": "Portal"}
    assert outbox_text({"repeat": repeat, "in_thread": True}) == "Repeat inquiry (lead #9): asks about patio tiles"
    assert outbox_text({"user": "U1", "repeat": repeat}) == (
        "A lead you are working (#4) asked again (lead #9): asks about patio tiles"
    )
    bare = {**repeat, "notice": None}
    assert outbox_text({"repeat": bare}) == "Repeat inquiry (lead #9): Portal sent this person again"


def test_a_text_of_its_own_wins_and_nothing_is_none() -> None:
    assert outbox_text({"text": "Lead #7 is yours."}) == "Lead #7 is yours."
    assert outbox_text({}) is None
