"""No lead left waiting: the SLA plan (pure). The worker that fires timers is ``bot.workers.sla``.

A lead whose card is posted gets a "claim" timer (`routing.claim_sla_minutes` business minutes after it
arrived). When a timer comes due the worker looks at the lead as it is *now* and acts:

    unclaimed  step 0        → reminder in the card's thread (and an ``sla_breach`` event)
               steps 1..n    → the `[[routing.escalation]]` steps: a wider channel, DMs to managers
               last step     → auto-assignment (round robin or least-loaded, away reps skipped), if on
    claimed                  → the claim clock stops; a "first_touch" timer starts at the claim
    first_touch, no activity → a nudge DM to the owner (and an ``sla_breach`` event)
    released again           → a fresh claim clock

Every action is one store transaction that takes the timer with a compare-and-set, writes the events
and the outbox items (``post_text``/``dm``/``update_card``) and the next timer together, so a restart
at any point loses no timer and two workers never fire one twice. Minutes are business minutes in
`routing.timezone`; the clock is injected, so tests run a day of SLA in milliseconds.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.settings import RoutingSettings
from bot.slack.notes import lead_ref
from store.records import LeadRecord, SlaTimerRecord

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: when no rep can take an unclaimed lead, auto-assignment tries again this many business minutes later
RETRY_ASSIGN_MINUTES = 15


# ---- business hours (pure) --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BusinessCalendar:
    """Opening hours in a time zone; minutes outside them do not count toward any SLA."""

    zone: ZoneInfo
    days: frozenset[int]
    opens: time
    closes: time | None  # None: midnight at the end of the day

    @staticmethod
    def of(settings: RoutingSettings) -> BusinessCalendar:
        return _calendar(settings.timezone, tuple(settings.business_days), settings.business_open,
                         settings.business_close)

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        if day.weekday() not in self.days:
            return None
        start = datetime.combine(day, self.opens, tzinfo=self.zone).astimezone(UTC)
        end_day, end_time = (day, self.closes) if self.closes else (day + timedelta(days=1), time(0))
        end = datetime.combine(end_day, end_time, tzinfo=self.zone).astimezone(UTC)
        return start, end

    def is_open(self, moment: datetime) -> bool:
        window = self._window(moment.astimezone(self.zone).date())
        return window is not None and window[0] <= moment.astimezone(UTC) < window[1]

    def add_minutes(self, start: datetime, minutes: float) -> datetime:
        """The moment ``minutes`` business minutes after ``start`` (UTC)."""
        moment = start.astimezone(UTC)
        remaining = timedelta(minutes=minutes)
        day = moment.astimezone(self.zone).date()
        for _ in range(3 * 366):
            window = self._window(day)
            if window is not None and moment < window[1]:
                moment = max(moment, window[0])
                available = window[1] - moment
                if remaining <= available:
                    return moment + remaining
                remaining -= available
                moment = window[1]
            day += timedelta(days=1)
        raise ValueError("business hours never open")  # unreachable: settings require a business day

    def business_minutes_between(self, start: datetime, end: datetime) -> float:
        """How many business minutes passed from ``start`` to ``end`` (for the messages reps read)."""
        total = timedelta()
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            window = self._window(day)
            if window is not None:
                lo, hi = max(window[0], start), min(window[1], end)
                if hi > lo:
                    total += hi - lo
            day += timedelta(days=1)
        return total.total_seconds() / 60


@functools.lru_cache(maxsize=16)
def _calendar(timezone: str, business_days: tuple[str, ...], business_open: str, business_close: str,
              ) -> BusinessCalendar:
    def hhmm(text: str) -> time:
        hours, minutes = (int(p) for p in text.split(":"))
        return time(hours, minutes)

    return BusinessCalendar(
        zone=ZoneInfo(timezone),
        days=frozenset(_DAY_NAMES.index(d) for d in business_days),
        opens=hhmm(business_open),
        closes=None if business_close == "24:00" else hhmm(business_close),
    )


def claim_due(arrived: datetime, settings: RoutingSettings) -> datetime:
    """When an unclaimed lead that arrived at ``arrived`` breaches the claim SLA."""
    return _claim_due(arrived, BusinessCalendar.of(settings), settings.claim_sla_minutes)


# An import scores a chunk of rows at one ``now``: the same arrival gives the same due time.
@functools.lru_cache(maxsize=64)
def _claim_due(arrived: datetime, calendar: BusinessCalendar, minutes: int) -> datetime:
    return calendar.add_minutes(arrived, minutes)


# ---- choosing a rep (pure) --------------------------------------------------------------------------


def choose_rep(
    reps: Sequence[str],
    away: set[str],
    strategy: str,
    *,
    last: str | None = None,
    loads: dict[str, int] | None = None,
) -> str | None:
    """The rep a lead is pushed to: round robin after ``last``, or the least loaded; away reps skipped."""
    available = [r for r in reps if r not in away]
    if not available:
        return None
    if strategy == "least_loaded":
        loads = loads or {}
        # ties go round robin too, so equal reps share the work
        order = _after(reps, last)
        return min((r for r in order if r in available), key=lambda r: loads.get(r, 0))
    return next(r for r in _after(reps, last) if r in available)


def _after(reps: Sequence[str], last: str | None) -> list[str]:
    if last is not None and last in reps:
        i = list(reps).index(last) + 1
        return [*reps[i:], *reps[:i]]
    return list(reps)


# ---- what a due timer calls for (pure) --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Action:
    """What to do for one due timer: all written in one transaction by `Store.timers.fire`."""

    events: tuple[tuple[str, dict[str, Any]], ...] = ()
    outbox: tuple[tuple[str, str | None, dict[str, Any]], ...] = ()
    next_timer: tuple[str, int, datetime, datetime] | None = None
    assign_to: str | None = None
    #: False: leave the timer pending (nothing can be done yet)
    fire: bool = True
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _who(lead: LeadRecord) -> str:
    # escaped, and the first name only until someone owns the lead (issue 13)
    return lead_ref(lead, masked=lead.owner is None)


def _where(lead: LeadRecord) -> str:
    return f" in <#{lead.slack_channel}>" if lead.slack_channel and lead.slack_channel.startswith(("C", "G")) else ""


def claim_steps(settings: RoutingSettings) -> int:
    """How many steps a claim timer has: reminder, escalations, and auto-assignment if on."""
    return 1 + len(settings.escalation) + (settings.auto_assign != "off")


def _step_minutes(settings: RoutingSettings, step: int) -> int:
    if step == 0:
        return settings.claim_sla_minutes
    if step <= len(settings.escalation):
        return settings.escalation[step - 1].after_minutes
    return settings.auto_assign_after_minutes


def plan(
    timer: SlaTimerRecord,
    lead: LeadRecord | None,
    settings: RoutingSettings,
    now: datetime,
    *,
    chosen_rep: str | None = None,
) -> Action:
    """Decide what a due timer calls for, from the lead as it is now. Pure.

    ``chosen_rep`` is the rep auto-assignment would pick (the caller asks the store who is away).
    """
    calendar = BusinessCalendar.of(settings)
    if lead is None or lead.closed_at is not None or lead.status in ("closed", "duplicate"):
        return Action(note="lead closed or gone")
    if timer.kind == "first_touch":
        return _plan_first_touch(timer, lead, settings, calendar, now)
    if lead.owner is not None:
        if lead.first_touch_at is not None or lead.claimed_at is None:
            return Action(note="claimed and touched")
        due = calendar.add_minutes(lead.claimed_at, settings.first_touch_minutes)
        return Action(next_timer=("first_touch", 0, lead.claimed_at, due), note="claimed: first-touch clock")
    if not lead.slack_channel:
        # the card is not out yet (Slack down, outbox backing off): try again shortly
        return Action(fire=False, note="card not posted yet")
    waited = round(calendar.business_minutes_between(timer.started_at, now))
    step = timer.step
    last_step = claim_steps(settings) - 1
    nxt = None
    if step < last_step:
        due = calendar.add_minutes(timer.started_at, _step_minutes(settings, step + 1))
        nxt = ("claim", step + 1, timer.started_at, due)
    if step == 0:
        text = f"⏰ Nobody has claimed this lead for {waited} min (SLA {settings.claim_sla_minutes} min). Claim it?"
        return Action(
            events=(
                ("reminder", {"step": 0, "waited_minutes": waited}),
                ("sla_breach", {"sla": "claim", "limit_minutes": settings.claim_sla_minutes, "waited_minutes": waited}),
            ),
            outbox=(("post_text", lead.slack_channel, {"text": text, "in_thread": True}),),
            next_timer=nxt,
            note="reminder",
        )
    if step <= len(settings.escalation):
        esc = settings.escalation[step - 1]
        users = list(dict.fromkeys([*esc.dm, *(settings.managers if esc.managers else ())]))
        text = f"🚨 {_who(lead)} has waited {waited} min unclaimed{_where(lead)}."
        outbox: list[tuple[str, str | None, dict[str, Any]]] = []
        if esc.channel:
            # with the card's Claim button (issue 14): whoever sees it there can take the lead at once
            outbox.append(("post_text", esc.channel, {"text": text, "in_thread": False, "claim": True}))
        outbox.extend(("dm", None, {"user": user, "text": text}) for user in users)
        return Action(
            events=(("escalated", {"step": step, "channel": esc.channel, "users": users, "waited_minutes": waited}),),
            outbox=tuple(outbox),
            next_timer=nxt,
            note=f"escalation {step}",
        )
    # the last step: push as the fallback of pull
    if chosen_rep is None:
        retry = calendar.add_minutes(now, RETRY_ASSIGN_MINUTES)
        return Action(
            next_timer=("claim", step, timer.started_at, retry),
            note="no rep available to assign",
        )
    first_touch_due = calendar.add_minutes(now, settings.first_touch_minutes)
    return Action(
        events=(("auto_assigned", {"user": chosen_rep, "strategy": settings.auto_assign, "waited_minutes": waited}),),
        outbox=(
            ("update_card", lead.slack_channel, {}),
            ("post_text", lead.slack_channel,
             {"text": f"Assigned to <@{chosen_rep}>: nobody claimed it in {waited} min.", "in_thread": True}),
            ("dm", None, {"user": chosen_rep, "text": f"You have been assigned {_who(lead)}{_where(lead)}: nobody "
                                                      f"claimed it in {waited} min."}),
        ),
        next_timer=("first_touch", 0, now, first_touch_due),
        assign_to=chosen_rep,
        note=f"assigned to {chosen_rep}",
    )


def _plan_first_touch(
    timer: SlaTimerRecord, lead: LeadRecord, settings: RoutingSettings, calendar: BusinessCalendar, now: datetime
) -> Action:
    if lead.first_touch_at is not None:
        return Action(note="touched")
    if lead.owner is None:
        # released: the claim clock starts again
        due = calendar.add_minutes(now, settings.claim_sla_minutes)
        return Action(next_timer=("claim", 0, now, due), note="released: claim clock again")
    if lead.claimed_at is not None and lead.claimed_at > timer.started_at:
        # reassigned since: the new owner gets the full time
        due = calendar.add_minutes(lead.claimed_at, settings.first_touch_minutes)
        return Action(next_timer=("first_touch", 0, lead.claimed_at, due), note="reassigned: first-touch clock again")
    waited = round(calendar.business_minutes_between(timer.started_at, now))
    text = (
        f"👋 You claimed {_who(lead)}{_where(lead)} {waited} min ago and nothing is logged yet. "
        f"Log a call, email or note so the team knows it is in hand."
    )
    return Action(
        events=(
            ("nudged", {"user": lead.owner, "waited_minutes": waited}),
            ("sla_breach", {"sla": "first_touch", "limit_minutes": settings.first_touch_minutes,
                            "waited_minutes": waited, "user": lead.owner}),
        ),
        outbox=(("dm", None, {"user": lead.owner, "text": text}),),
        note="nudged",
    )
