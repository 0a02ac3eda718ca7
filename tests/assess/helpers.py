"""Building leads the way the pipeline does: fields → verified (parsers.verify) → scored → NewLead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.assess.assessor import Routing, new_lead
from bot.assess.scoring import score_lead
from bot.settings import RoutingSettings, ScoringSettings, SlackChannels
from parsers.lead import ExtractedLead, FieldValue
from parsers.verify import finalize
from store.records import NewLead

CHANNELS = SlackChannels(sales="C0SALES", nurture="C0NURTURE", alerts="C0ALERTS")
RULES = ScoringSettings()


class Clock:
    """An injectable clock the tests move by hand."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)) -> None:  # a Monday
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def extracted(**values: str) -> ExtractedLead:
    return finalize(ExtractedLead({k: FieldValue(v, "test:form") for k, v in values.items()}))


def scored_lead(
    vendor: str | None = "AutoMarket",
    *,
    routing: RoutingSettings | None = None,
    now: datetime | None = None,
    slack: bool = True,
    **values: str,
) -> NewLead:
    scored = score_lead(extracted(**values), vendor, RULES)
    return new_lead(scored, "smtp", Routing(CHANNELS, slack, "US", routing or RoutingSettings()), now=now)


def a_lead(
    name: str,
    email: str | None = None,
    phone: str | None = None,
    *,
    now: datetime | None = None,
    routing: RoutingSettings | None = None,
    **more: str,
) -> NewLead:
    """A grade A lead (interest, message and contact details); with ``now``, its claim SLA timer is set."""
    values = {"full_name": name, "interest": "2023 Subaru Outback", "message": "Can I book a test drive?", **more}
    if email:
        values["email"] = email
    if phone:
        values["phone"] = phone
    made = scored_lead(now=now, routing=routing, **values)
    assert made.grade == "A", made.reasons
    return made
