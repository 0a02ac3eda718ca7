"""Pipeline statistics for `/leads stats` and `leadbot stats`: a handful of aggregate queries.

The period is a cohort: the leads *created* in [since, until) and what became of them (claims, first
touches, outcomes), plus the events of kind ``sla_breach`` and ``duplicate`` that happened in the period.
Every count is done by the database (GROUP BY over the covering index ``ix_leads_stats``, events over
``ix_events_kind_at``); for each median the database sorts and hands back only the middle values.

* claim rate: claimed leads (``claimed_at`` set) / leads;
* median time to claim: created → claimed; median time to first touch: claimed → first logged activity;
* win rate: won / (won + lost + disqualified) — "nurture" is not a decision yet;
* revenue: the sum of ``outcome_amount`` of won leads;
* duplicate rate per vendor: ``duplicate`` events on the vendor's leads / the vendor's leads;
* invalid rate per vendor: leads of grade C, or whose email or phone failed verification (the lead's
  ``invalid`` flag, set by the assessor), / the vendor's leads.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, and_, case, cast, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from store.records import Grade, Outcome
from store.tables import Event, Lead

#: outcomes that are a decision (the win rate's denominator)
DECIDED = (Outcome.WON, Outcome.LOST, Outcome.DISQUALIFIED)
NO_VENDOR = "(no vendor)"


@dataclass(frozen=True, slots=True)
class SourceStats:
    vendor: str
    leads: int
    by_grade: dict[str, int]
    claimed: int
    won: int
    decided: int
    revenue: float
    duplicates: int
    invalid: int

    @property
    def win_rate(self) -> float | None:
        return self.won / self.decided if self.decided else None

    @property
    def duplicate_rate(self) -> float:
        return self.duplicates / self.leads if self.leads else 0.0

    @property
    def invalid_rate(self) -> float:
        return self.invalid / self.leads if self.leads else 0.0


@dataclass(frozen=True, slots=True)
class RepStats:
    rep: str
    claimed: int
    won: int
    decided: int
    revenue: float

    @property
    def win_rate(self) -> float | None:
        return self.won / self.decided if self.decided else None


@dataclass(frozen=True, slots=True)
class PipelineStats:
    since: datetime | None
    until: datetime
    leads: int
    by_grade: dict[str, int]
    claimed: int
    median_claim_seconds: float | None
    median_first_touch_seconds: float | None
    sla_breaches: int
    outcomes: dict[str, int]
    revenue: float
    by_source: list[SourceStats] = field(default_factory=list)
    by_rep: list[RepStats] = field(default_factory=list)

    @property
    def claim_rate(self) -> float:
        return self.claimed / self.leads if self.leads else 0.0

    @property
    def win_rate(self) -> float | None:
        won = self.outcomes.get(Outcome.WON, 0)
        decided = sum(self.outcomes.get(o, 0) for o in DECIDED)
        return won / decided if decided else None

    @property
    def duplicates(self) -> int:
        return sum(s.duplicates for s in self.by_source)


def _seconds(dialect: str, start: Any, end: Any) -> ColumnElement[float]:
    if dialect == "postgresql":
        return cast(func.extract("epoch", end - start), Float)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


async def compute_stats(engine: AsyncEngine, *, since: datetime | None, until: datetime) -> PipelineStats:
    """The statistics of the leads created in [since, until) (``since`` None: from the beginning).

    One pass over ``ix_leads_stats`` (a covering index: no table reads) groups the period's leads by
    vendor, grade, owner and outcome; the invalid count, the two medians (ORDER BY … LIMIT/OFFSET, so only
    the middle values leave the database) and the events are one small query each.
    """
    dialect = engine.dialect.name
    period = [Lead.created_at < until]
    if since is not None:
        period.append(Lead.created_at >= since)
    in_period = and_(*period)
    # grouped on the bare column (PostgreSQL would not match two bound "(no vendor)" parameters)
    vendor = Lead.vendor
    touched = and_(Lead.claimed_at.is_not(None), Lead.first_touch_at.is_not(None))

    groups_q = (
        select(
            vendor,
            Lead.grade,
            Lead.owner,
            Lead.outcome,
            func.count(),
            func.count(Lead.claimed_at),
            func.sum(case((touched, 1), else_=0)),
            func.sum(func.coalesce(Lead.outcome_amount, 0)),
        )
        .where(in_period)
        .group_by(vendor, Lead.grade, Lead.owner, Lead.outcome)
    )
    # grade C leads are invalid by definition (counted from the groups); the others by a failed check
    invalid_q = (
        select(vendor, func.count())
        .where(in_period, Lead.grade != Grade.C, Lead.invalid.is_(True))
        .group_by(vendor)
    )
    event_period = [Event.at < until, Event.kind.in_(("sla_breach", "duplicate"))]
    if since is not None:
        event_period.append(Event.at >= since)
    events_q = (
        select(Event.kind, Lead.vendor, func.count())
        .select_from(Event)
        .outerjoin(Lead, Lead.id == Event.lead_id)
        .where(*event_period)
        .group_by(Event.kind, Lead.vendor)
    )

    async with engine.connect() as conn:
        groups = (await conn.execute(groups_q)).all()
        invalid = {_vendor(v): int(n) for v, n in (await conn.execute(invalid_q)).all()}
        event_rows = (await conn.execute(events_q)).all()
        claimed_n = sum(int(row[5] or 0) for row in groups)
        touched_n = sum(int(row[6] or 0) for row in groups)
        claim_duration = _seconds(dialect, Lead.created_at, Lead.claimed_at)
        median_claim = await _sql_median(conn, claim_duration, [in_period, Lead.claimed_at.is_not(None)], claimed_n)
        touch_duration = _seconds(dialect, Lead.claimed_at, Lead.first_touch_at)
        median_touch = await _sql_median(conn, touch_duration, [in_period, touched], touched_n)

    duplicates: dict[str, int] = {}
    breaches = 0
    for kind, vendor_name, count in event_rows:
        if kind == "duplicate":
            duplicates[_vendor(vendor_name)] = duplicates.get(_vendor(vendor_name), 0) + int(count)
        else:
            breaches += int(count)

    sources: dict[str, dict[str, Any]] = {}
    reps: dict[str, dict[str, Any]] = {}
    grades: dict[str, int] = {}
    outcomes: dict[str, int] = {}
    for vendor_name, grade, owner, outcome, leads, claimed, _touched, amount in groups:
        name, leads, claimed = _vendor(vendor_name), int(leads), int(claimed or 0)
        won = leads if outcome == Outcome.WON else 0
        decided = leads if outcome in DECIDED else 0
        revenue = float(amount or 0) if outcome == Outcome.WON else 0.0
        source = sources.setdefault(
            name, {"leads": 0, "by_grade": {}, "claimed": 0, "won": 0, "decided": 0, "revenue": 0.0, "invalid": 0}
        )
        source["leads"] += leads
        source["by_grade"][str(grade)] = source["by_grade"].get(str(grade), 0) + leads
        source["claimed"] += claimed
        source["won"] += won
        source["decided"] += decided
        source["revenue"] += revenue
        if grade == Grade.C:
            source["invalid"] += leads
        grades[str(grade)] = grades.get(str(grade), 0) + leads
        if outcome is not None:
            outcomes[str(outcome)] = outcomes.get(str(outcome), 0) + leads
        if owner is not None:
            rep = reps.setdefault(str(owner), {"claimed": 0, "won": 0, "decided": 0, "revenue": 0.0})
            rep["claimed"] += leads
            rep["won"] += won
            rep["decided"] += decided
            rep["revenue"] += revenue
    for name, count in invalid.items():
        if name in sources:
            sources[name]["invalid"] += count
    by_source = sorted(
        (SourceStats(vendor=name, duplicates=duplicates.get(name, 0), **values) for name, values in sources.items()),
        key=lambda s: (-s.leads, s.vendor),
    )
    by_rep = sorted(
        (RepStats(rep=name, **values) for name, values in reps.items()), key=lambda r: (-r.revenue, -r.won, r.rep)
    )
    return PipelineStats(
        since=since,
        until=until,
        leads=sum(grades.values()),
        by_grade=grades,
        claimed=claimed_n,
        median_claim_seconds=median_claim,
        median_first_touch_seconds=median_touch,
        sla_breaches=breaches,
        outcomes=outcomes,
        revenue=sum(s.revenue for s in by_source),
        by_source=by_source,
        by_rep=by_rep,
    )


async def _sql_median(conn: AsyncConnection, value: ColumnElement[float], where: list[Any], count: int) -> float | None:
    """The median of ``value`` over the ``count`` rows matching ``where``: the database sorts, and hands
    back only the middle one or two values."""
    if count <= 0:
        return None
    middle = (
        select(value.label("v")).where(*where).order_by(value).offset((count - 1) // 2).limit(1 if count % 2 else 2)
    )
    found: list[float | None] = list((await conn.scalars(middle)).all())
    values = [float(v) for v in found if v is not None]
    return statistics.fmean(values) if values else None


def _vendor(name: object) -> str:
    return NO_VENDOR if name is None else str(name)
