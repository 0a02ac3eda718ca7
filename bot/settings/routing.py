"""`[routing]`: routing rules, business hours, claim SLA and escalation."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator, model_validator

from bot.settings.base import Section
from bot.settings.slack import CHANNEL_ID

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


#: languages the routing rules can recognise in a message
LANGUAGES = ("en", "de", "es", "fr", "it", "pt", "nl")


class RoutingRule(Section):
    """One `[[routing.rules]]` entry: leads matching every condition given go to ``channel``."""

    name: str
    channel: str
    #: vendor names, shell-style patterns ("Cars.com", "AutoMarket*"), case-insensitive
    vendor: tuple[str, ...] = ()
    #: a regular expression searched (case-insensitively) in the interest, else the message
    interest: str | None = None
    #: region/state or country codes ("CA", "DE") or postal-code prefixes ("94*")
    region: tuple[str, ...] = ()
    #: language codes of the prospect's message ("en", "de", "es", "fr", "it", "pt", "nl")
    language: tuple[str, ...] = ()
    #: the grades the rule applies to (C never pings reps, so it cannot be routed)
    grades: tuple[Literal["A", "B"], ...] = ("A", "B")

    @model_validator(mode="after")
    def _usable(self) -> RoutingRule:
        if not (self.vendor or self.interest or self.region or self.language):
            raise ValueError(f"rule {self.name!r} has no condition (vendor, interest, region or language)")
        if self.interest is not None:
            try:
                re.compile(self.interest)
            except re.error as exc:
                problem = f"rule {self.name!r}: interest {self.interest!r} is not a valid regex: {exc}"
                raise ValueError(problem) from None
        unknown = sorted(set(self.language) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"rule {self.name!r}: unknown language(s) {unknown}; known: {list(LANGUAGES)}")
        if not self.grades:
            raise ValueError(f"rule {self.name!r}: grades must not be empty")
        if not CHANNEL_ID.fullmatch(self.channel):
            raise ValueError(f"rule {self.name!r}: channel {self.channel!r} is not a channel ID (C… or G…)")
        return self


class EscalationStep(Section):
    """One `[[routing.escalation]]` step for a lead still unclaimed ``after_minutes`` after it arrived."""

    after_minutes: int = Field(ge=1)
    #: a wider channel to post the lead to
    channel: str | None = None
    #: users to message directly
    dm: tuple[str, ...] = ()
    #: also message every user in `routing.managers`
    managers: bool = False

    @field_validator("channel")
    @classmethod
    def _channel_id(cls, value: str | None) -> str | None:
        if value is not None and not CHANNEL_ID.fullmatch(value):
            raise ValueError(f"{value!r} is not a channel ID (C… or G…)")
        return value


class RoutingSettings(Section):
    """`[routing]`: where cards go beyond grade, and the clocks that keep a lead from waiting."""

    rules: tuple[RoutingRule, ...] = ()
    #: unclaimed this long (business minutes) → a reminder in the card's thread, and an SLA breach
    claim_sla_minutes: int = Field(default=15, ge=1)
    #: claimed but no activity logged this long (business minutes) → a nudge to the owner
    first_touch_minutes: int = Field(default=60, ge=1)
    escalation: tuple[EscalationStep, ...] = ()
    #: Slack user IDs of the sales managers (escalation steps with managers = true message them)
    managers: tuple[str, ...] = ()
    #: push as the fallback of pull: "off", "round_robin" or "least_loaded"
    auto_assign: Literal["off", "round_robin", "least_loaded"] = "off"
    #: minutes after arrival (business minutes) at which a still-unclaimed lead is assigned
    auto_assign_after_minutes: int = Field(default=120, ge=1)
    #: Slack user IDs of the reps auto-assignment chooses among (away reps are skipped)
    reps: tuple[str, ...] = ()
    #: IANA time zone of the business hours
    timezone: str = "UTC"
    business_days: tuple[str, ...] = _DAYS
    business_open: str = "00:00"
    business_close: str = "24:00"
    #: post a digest of new grade C leads to the alerts channel every this many hours (0: never)
    c_digest_hours: int = Field(default=0, ge=0)
    #: how often the SLA worker looks for due timers
    check_seconds: float = Field(default=30.0, gt=0)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (an IANA name such as \"America/Chicago\")") from None
        return value

    @field_validator("business_days")
    @classmethod
    def _days(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        days = tuple(d.strip().lower()[:3] for d in value)
        bad = [d for d in days if d not in _DAYS]
        if bad or not days:
            raise ValueError(f"days must be among {list(_DAYS)} and not empty (got {list(value)})")
        return days

    @field_validator("business_open", "business_close")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError("must be HH:MM (24-hour clock)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RoutingSettings:
        if self.business_open >= self.business_close:
            raise ValueError(
                f"business_open ({self.business_open}) must be before business_close ({self.business_close})"
            )
        names = [rule.name for rule in self.rules]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"rule names must be unique: {repeated}")
        last = self.claim_sla_minutes
        for number, step in enumerate(self.escalation, 1):
            if step.after_minutes <= last:
                raise ValueError(
                    f"escalation step {number}: after_minutes ({step.after_minutes}) must be later than the "
                    f"previous step or claim_sla_minutes ({last})"
                )
            if not (step.channel or step.dm or step.managers):
                raise ValueError(f"escalation step {number} notifies nobody (set channel, dm or managers = true)")
            if step.managers and not self.managers:
                raise ValueError(f"escalation step {number} has managers = true but routing.managers is empty")
            last = step.after_minutes
        if self.auto_assign != "off":
            if not self.reps:
                raise ValueError(f"auto_assign = {self.auto_assign!r} needs routing.reps (Slack user IDs)")
            if self.auto_assign_after_minutes <= last:
                raise ValueError(
                    f"auto_assign_after_minutes ({self.auto_assign_after_minutes}) must come after the last "
                    f"reminder or escalation step ({last})"
                )
        return self
