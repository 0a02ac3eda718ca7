"""Reminders (issue 14): "remind me about lead 12 friday" — when that is, and the timer that DMs the rep.

`when` reads a rep's phrase with dateparser (PyPI ``dateparser``: "tomorrow 9am", "friday", "in 2h",
"next monday 8:15", "2026-12-03 14:00"; month-first dates as in English) in the business time zone, and
puts the moment into business hours (`bot.assess.sla.BusinessCalendar`, the SLA's calendar): a moment
after closing moves to the next opening. A day without a time ("friday", "tomorrow") means the opening
of that day (09:00 when the business never closes). A bare clock time ("9am", "at 14:30") is the next
such time, today or tomorrow.

The reminder is an ``sla_timers`` row of kind ``remind`` whose ``data`` names the rep and their note: the
SLA worker (bot/workers/sla.py) leases and fires it like every timer, so it survives a restart and any
number of instances send it once.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from dateparser.date import DateDataParser

from bot.assess.sla import BusinessCalendar
from bot.slack import messages
from bot.slack.blocks import escape_trimmed
from bot.slack.notes import slack_date
from store.records import SlaTimerRecord
from store.store import Store

#: the timer kind of a reminder (``sla_timers.kind``)
REMIND = "remind"
#: a reminder further out than this is a typo more often than a plan
LONGEST = timedelta(days=366)
NOTE_MAX = 500
#: when the business never closes, a day without a time means this hour
DEFAULT_HOUR = time(9, 0)
_CLOCK = re.compile(r"^(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?$", re.IGNORECASE)
#: periods dateparser reports for a phrase that names a day (or a week: its first day) rather than a moment
_DAYS_ONLY = frozenset({"day", "week"})


@dataclass(frozen=True, slots=True)
class When:
    """A reminder's moment (UTC) and whether it was moved into business hours."""

    at: datetime
    moved: bool = False


def when(text: str, now: datetime, calendar: BusinessCalendar) -> When | str:
    """The moment ``text`` names, after ``now``, in business hours; or the message saying what is wrong."""
    phrase = " ".join(text.split())
    local_now = now.astimezone(calendar.zone)
    moment = _clock_time(phrase, local_now) or _parsed(phrase, local_now, calendar)
    if moment is None:
        return messages.REMIND_UNREADABLE.format(text=escape_trimmed(phrase, 100))
    if moment <= now:
        return messages.REMIND_PAST
    if moment - now > LONGEST:
        return messages.REMIND_TOO_FAR
    opened = calendar.add_minutes(moment, 0)  # the moment itself, or the next opening after it
    return When(opened, moved=opened != moment)


def _clock_time(phrase: str, local_now: datetime) -> datetime | None:
    found = _CLOCK.match(phrase)
    if found is None or (found.group(2) is None and found.group(3) is None):
        return None  # a bare number is not a time
    hour, minute, half = int(found.group(1)), int(found.group(2) or 0), (found.group(3) or "").lower()
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    moment = local_now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return moment if moment > local_now else moment + timedelta(days=1)


def _parsed(phrase: str, local_now: datetime, calendar: BusinessCalendar) -> datetime | None:
    if not phrase or phrase.isdigit():
        return None
    zone = calendar.zone.key
    parser = DateDataParser(
        languages=["en"],
        settings={
            "PREFER_DATES_FROM": "future",
            "RELATIVE_BASE": local_now.replace(tzinfo=None),
            "RETURN_TIME_AS_PERIOD": True,
            "TIMEZONE": zone,
            "TO_TIMEZONE": zone,
            "RETURN_AS_TIMEZONE_AWARE": True,
        },
    )
    data = parser.get_date_data(phrase)
    found = data.date_obj
    if found is None or data.period not in (*_DAYS_ONLY, "time"):
        return None  # "december" or "2027" is too vague for a reminder
    if data.period in _DAYS_ONLY:
        opens = calendar.opens if calendar.opens != time(0) else DEFAULT_HOUR
        found = datetime.combine(found.date(), opens, tzinfo=calendar.zone)
    return found


# ---- scheduling ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Scheduled:
    timer: SlaTimerRecord
    moment: When

    def confirmation(self) -> str:
        text = messages.REMIND_SET.format(lead_id=self.timer.lead_id, when=slack_date(self.moment.at))
        return text + (messages.REMIND_MOVED if self.moment.moved else "")


async def schedule(
    store: Store,
    calendar: BusinessCalendar,
    lead_id: int,
    user: str,
    text: str,
    *,
    now: datetime,
    note: str | None = None,
) -> Scheduled | str:
    """Store a reminder for ``user`` about ``lead_id`` at the moment ``text`` names; or why not (the
    caller checked the lead exists and the user may read it)."""
    # dateparser loads its language data on first use and works by regular expressions: off the loop
    found = await asyncio.to_thread(when, text, now, calendar)
    if isinstance(found, str):
        return found
    data: dict[str, Any] = {"user": user}
    if note and note.strip():
        data["note"] = note.strip()[:NOTE_MAX]
    timer = await store.timers.add(lead_id, REMIND, started_at=now, due_at=found.at, data=data)
    return Scheduled(timer, found)
