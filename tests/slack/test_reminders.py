"""When a reminder is due (pure): a rep's phrase, read in the business time zone, put into business hours."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.assess.sla import BusinessCalendar
from bot.settings import RoutingSettings
from bot.slack import messages
from bot.slack.reminders import When, when

BERLIN = ZoneInfo("Europe/Berlin")
#: Monday 30 November 2026, 10:00 in Berlin (CET, UTC+1)
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
OFFICE = BusinessCalendar.of(
    RoutingSettings(timezone="Europe/Berlin", business_days=("mon", "tue", "wed", "thu", "fri"),
                    business_open="09:00", business_close="17:00")
)


def berlin(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("phrase", "due", "moved"),
    [
        ("in 2h", berlin(30, 12, month=11), False),
        ("in 90 minutes", berlin(30, 11, 30, month=11), False),
        ("tomorrow 9am", berlin(1, 9), False),
        ("tomorrow at 3pm", berlin(1, 15), False),
        ("friday", berlin(4, 9), False),  # a day without a time: its opening
        ("Friday 10:30", berlin(4, 10, 30), False),
        ("2026-12-03 14:00", berlin(3, 14), False),
        ("at 16:30", berlin(30, 16, 30, month=11), False),  # a clock time later today
        ("9:30", berlin(1, 9, 30), False),  # … or tomorrow, once passed
        ("8am", berlin(1, 9), True),  # before opening: at the opening
        ("in 7h", berlin(1, 9), True),  # 17:00 is closing time: the next opening
        ("saturday", berlin(7, 9), True),  # the weekend: Monday's opening
        ("next monday 8:15", berlin(7, 9), True),
        ("  tomorrow   9am ", berlin(1, 9), False),
    ],
)
def test_phrases_name_a_moment_in_business_hours(phrase: str, due: datetime, moved: bool) -> None:
    assert when(phrase, NOW, OFFICE) == When(due.astimezone(UTC), moved=moved)


@pytest.mark.parametrize(
    ("phrase", "answer"),
    [
        ("yesterday", messages.REMIND_PAST),
        ("2026-11-29 10:00", messages.REMIND_PAST),
        ("2028-01-05 10:00", messages.REMIND_TOO_FAR),
        ("whenever you like", "I could not read “whenever you like” as a time."),
        ("12", "I could not read “12” as a time."),  # a bare number is no time
        ("25:00", "I could not read “25:00” as a time."),
        ("<!channel> soon", "I could not read “&lt;!channel&gt; soon” as a time."),  # echoed inert
    ],
)
def test_what_cannot_be_a_reminder_says_why(phrase: str, answer: str) -> None:
    found = when(phrase, NOW, OFFICE)
    assert isinstance(found, str) and found.startswith(answer)


def test_a_business_that_never_closes_reminds_on_a_bare_day_at_nine() -> None:
    always = BusinessCalendar.of(RoutingSettings())  # UTC, every day, 00:00–24:00
    assert when("tomorrow", NOW, always) == When(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    assert when("in 2h", NOW, always) == When(datetime(2026, 11, 30, 11, 0, tzinfo=UTC))
