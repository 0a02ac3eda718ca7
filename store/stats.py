"""Pipeline statistics for `/leads stats` and `leadbot stats`, overall, by source and by rep.

The period is a cohort: the leads *created* in [since, until) and what became of them (claims, first
touches, outcomes, SLA breaches, repeats, credit).

* claim rate: claimed leads (``claimed_at`` set) / leads;
* median time to claim: created → claimed; median time to first touch: claimed → first logged activity
  (overall); by source and by rep the mean of the same durations;
* win rate: won / (won + lost + disqualified) — "nurture" is not a decision yet;
* revenue: the sum of ``outcome_amount`` of won leads;
* SLA breaches: the ``sla_breach`` events of the period's leads, by the lead's source and current owner;
* duplicate rate per vendor: ``duplicate`` events on the vendor's leads / the vendor's leads;
* invalid rate per vendor: leads of grade C, or whose email or phone failed verification (the lead's
  ``invalid`` flag, set by the assessor), / the vendor's leads;
* refund rate per vendor: the period's leads credited back (a ``credit_granted`` event) / its leads.

**How it stays fast (issue 11).** The counts and sums are not read from the leads: triggers on ``leads``
and ``events`` (migration 0013) keep them per UTC day of creation in ``stats_source_days`` and
``stats_rep_days``, in the transaction that changes the lead or adds the event, so they are exact. A
period reads the rollup rows of its whole days and counts only its partial first and last day from
``leads`` (index ``ix_leads_stats``). The medians walk the expression indexes ``ix_leads_claim_seconds`` /
``ix_leads_touch_seconds`` to the middle value (no sort). ``scan=True`` computes everything from
``leads`` instead: the reference the tests compare with.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, and_, case, cast, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from store.records import Grade, Outcome
from store.tables import Event, Lead, SecondsBetween, StatsRepDay, StatsSourceDay

#: outcomes that are a decision (the win rate's denominator)
DECIDED = (Outcome.WON, Outcome.LOST, Outcome.DISQUALIFIED)
NO_VENDOR = "(no vendor)"
#: the events of the period's leads counted each time, and those counted once a lead (migration 0013 alike)
COUNTED_EVENTS = ("sla_breach", "duplicate")
FLAGGED_EVENTS = ("credit_requested", "credit_granted")


class _Rates:
    """What a source's and a rep's figures derive alike (the subclasses are dataclasses with the fields)."""

    __slots__ = ()
    won: int
    decided: int
    claimed: int
    touched: int
    claim_seconds: float
    touch_seconds: float

    @property
    def win_rate(self) -> float | None:
        return self.won / self.decided if self.decided else None

    @property
    def mean_claim_seconds(self) -> float | None:
        return self.claim_seconds / self.claimed if self.claimed else None

    @property
    def mean_touch_seconds(self) -> float | None:
        return self.touch_seconds / self.touched if self.touched else None


@dataclass(frozen=True, slots=True)
class SourceStats(_Rates):
    vendor: str
    leads: int
    by_grade: dict[str, int]
    claimed: int
    won: int
    decided: int
    revenue: float
    duplicates: int
    invalid: int
    touched: int = 0
    claim_seconds: float = 0.0
    touch_seconds: float = 0.0
    sla_breaches: int = 0
    credit_requested: int = 0
    credit_granted: int = 0

    @property
    def duplicate_rate(self) -> float:
        return self.duplicates / self.leads if self.leads else 0.0

    @property
    def invalid_rate(self) -> float:
        return self.invalid / self.leads if self.leads else 0.0

    @property
    def refund_rate(self) -> float:
        return self.credit_granted / self.leads if self.leads else 0.0


@dataclass(frozen=True, slots=True)
class RepStats(_Rates):
    rep: str
    #: the period's leads the rep owns now
    claimed: int
    won: int
    decided: int
    revenue: float
    touched: int = 0
    claim_seconds: float = 0.0
    touch_seconds: float = 0.0
    sla_breaches: int = 0


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

    @property
    def credit_granted(self) -> int:
        return sum(s.credit_granted for s in self.by_source)


# ---- the SQL the triggers use too (migration 0013): the same rounding, so rollup and scan agree ---------


def _seconds(start: Any, end: Any) -> ColumnElement[float]:
    """``end - start`` in seconds, spelt exactly as the median indexes are."""
    return SecondsBetween(start, end)


def _millis(dialect: str, start: Any, end: Any) -> ColumnElement[int]:
    if dialect == "postgresql":
        return cast(func.round(func.extract("epoch", end - start) * 1000), BigInteger)
    return cast(func.round((func.julianday(end) - func.julianday(start)) * literal_column("86400000.0")), BigInteger)


@dataclass(slots=True)
class _Tally:
    """Counts and sums of one group of leads, as a rollup row holds them."""

    leads: int = 0
    claimed: int = 0
    touched: int = 0
    claim_ms: int = 0
    touch_ms: int = 0
    revenue_cents: int = 0
    breaches: int = 0
    duplicates: int = 0
    credit_requested: int = 0
    credit_granted: int = 0

    def add(self, row: Sequence[Any]) -> None:
        """Add a row of the values of ``TALLY_COLUMNS``, in that order."""
        for name, value in zip(TALLY_COLUMNS, row, strict=True):
            setattr(self, name, getattr(self, name) + int(value or 0))


TALLY_COLUMNS = (
    "leads", "claimed", "touched", "claim_ms", "touch_ms", "revenue_cents",
    "breaches", "duplicates", "credit_requested", "credit_granted",
)
#: source key (vendor or '', grade, outcome or '', invalid 0/1) → tally; rep key (owner, outcome or '') → tally
SourceKey = tuple[str, str, str, int]
RepKey = tuple[str, str]


def _sums(dialect: str) -> list[ColumnElement[Any]]:
    claimed = Lead.claimed_at.is_not(None)
    touched = and_(claimed, Lead.first_touch_at.is_not(None))
    cents = cast(func.round(func.coalesce(Lead.outcome_amount, 0) * 100), BigInteger)
    return [
        func.count(),
        func.sum(case((claimed, 1), else_=0)),
        func.sum(case((touched, 1), else_=0)),
        func.sum(case((claimed, _millis(dialect, Lead.created_at, Lead.claimed_at)), else_=0)),
        func.sum(case((touched, _millis(dialect, Lead.claimed_at, Lead.first_touch_at)), else_=0)),
        func.sum(case((Lead.outcome == Outcome.WON, cents), else_=0)),
        *(func.sum(_events_of_lead(kind)) for kind in COUNTED_EVENTS),
        *(func.sum(case((_events_of_lead(kind) > 0, 1), else_=0)) for kind in FLAGGED_EVENTS),
    ]


def _events_of_lead(kind: str) -> ColumnElement[int]:
    """How many events of ``kind`` the lead of the row has (what the rollup triggers count)."""
    return (
        select(func.count()).where(Event.lead_id == Lead.id, Event.kind == kind).correlate(Lead).scalar_subquery()
    )


async def _scan(
    conn: AsyncConnection, since: datetime | None, until: datetime, sources: dict[SourceKey, _Tally],
    reps: dict[RepKey, _Tally],
) -> None:
    """Add the leads created in [since, until) to the tallies, read from ``leads`` (ix_leads_stats)."""
    where = [Lead.created_at < until] + ([Lead.created_at >= since] if since is not None else [])
    sums = _sums(conn.dialect.name)
    invalid = case((Lead.invalid.is_(True), 1), else_=0)
    by_source = select(Lead.vendor, Lead.grade, Lead.outcome, invalid, *sums).where(*where).group_by(
        Lead.vendor, Lead.grade, Lead.outcome, invalid
    )
    for vendor, grade, outcome, bad, *values in (await conn.execute(by_source)).all():
        sources.setdefault((vendor or "", str(grade), outcome or "", int(bad)), _Tally()).add(values)
    by_rep = select(Lead.owner, Lead.outcome, *sums).where(*where, Lead.owner.is_not(None)).group_by(
        Lead.owner, Lead.outcome
    )
    for owner, outcome, *values in (await conn.execute(by_rep)).all():
        reps.setdefault((str(owner), outcome or ""), _Tally()).add(values)


async def _rollup(
    conn: AsyncConnection, first_day: str | None, end_day: str, sources: dict[SourceKey, _Tally],
    reps: dict[RepKey, _Tally],
) -> None:
    """Add the rollup rows of the days in [first_day, end_day) to the tallies."""
    for table, keys, into in (
        (StatsSourceDay, ("vendor", "grade", "outcome", "invalid"), sources),
        (StatsRepDay, ("owner", "outcome"), reps),
    ):
        columns = [getattr(table, k) for k in keys]
        days = [table.day < end_day] + ([table.day >= first_day] if first_day is not None else [])
        totals = [func.sum(getattr(table, c)) for c in TALLY_COLUMNS]
        query = select(*columns, *totals).where(*days).group_by(*columns)
        for row in (await conn.execute(query)).all():
            key = tuple(int(v) if k == "invalid" else str(v) for k, v in zip(keys, row[: len(keys)], strict=True))
            into.setdefault(key, _Tally()).add(row[len(keys) :])  # type: ignore[arg-type]


def _day(moment: datetime) -> str:
    return moment.astimezone(UTC).date().isoformat()


def _midnight(moment: datetime, *, up: bool) -> datetime:
    moment = moment.astimezone(UTC)
    start = datetime.combine(moment.date(), time(), tzinfo=UTC)
    return start + timedelta(days=1) if up and start != moment else start


async def _tallies(
    conn: AsyncConnection, since: datetime | None, until: datetime, *, scan: bool
) -> tuple[dict[SourceKey, _Tally], dict[RepKey, _Tally]]:
    sources: dict[SourceKey, _Tally] = {}
    reps: dict[RepKey, _Tally] = {}
    first = None if since is None else _midnight(since, up=True)
    last = _midnight(until, up=False)
    if scan or (first is not None and first >= last):
        await _scan(conn, since, until, sources, reps)  # no whole day in the period
        return sources, reps
    await _rollup(conn, None if first is None else _day(first), _day(last), sources, reps)
    if since is not None and first is not None and since < first:
        await _scan(conn, since, first, sources, reps)
    if last < until:
        await _scan(conn, last, until, sources, reps)
    return sources, reps


async def compute_stats(
    engine: AsyncEngine, *, since: datetime | None, until: datetime, scan: bool = False
) -> PipelineStats:
    """The statistics of the leads created in [since, until) (``since`` None: from the beginning).

    ``scan``: count from the leads themselves rather than the daily rollups (same figures, slower).
    """
    period = [Lead.created_at < until] + ([Lead.created_at >= since] if since is not None else [])
    async with engine.connect() as conn:
        sources, reps = await _tallies(conn, since, until, scan=scan)
        claimed_n = sum(t.claimed for t in sources.values())
        touched_n = sum(t.touched for t in sources.values())
        claimed = Lead.claimed_at.is_not(None)
        touched = and_(claimed, Lead.first_touch_at.is_not(None))
        median_claim = await _sql_median(
            conn, _seconds(Lead.created_at, Lead.claimed_at), [*period, claimed], claimed_n
        )
        median_touch = await _sql_median(
            conn, _seconds(Lead.claimed_at, Lead.first_touch_at), [*period, touched], touched_n
        )
    return _assemble(since, until, sources, reps, median_claim, median_touch)


@dataclass(slots=True)
class _Group:
    """A source's or a rep's tally with what the keys add: grades, decisions, invalid leads."""

    tally: _Tally = field(default_factory=_Tally)
    by_grade: dict[str, int] = field(default_factory=dict)
    won: int = 0
    decided: int = 0
    invalid: int = 0

    def add(self, tally: _Tally, outcome: str, grade: str | None = None, invalid: bool = False) -> None:
        self.tally.add([getattr(tally, name) for name in TALLY_COLUMNS])
        self.won += tally.leads if outcome == Outcome.WON else 0
        self.decided += tally.leads if outcome in DECIDED else 0
        if grade is not None:
            self.by_grade[grade] = self.by_grade.get(grade, 0) + tally.leads
            self.invalid += tally.leads if (grade == Grade.C or invalid) else 0


def _assemble(
    since: datetime | None,
    until: datetime,
    sources: dict[SourceKey, _Tally],
    reps: dict[RepKey, _Tally],
    median_claim: float | None,
    median_touch: float | None,
) -> PipelineStats:
    per_source: dict[str, _Group] = {}
    total = _Group()
    outcomes: dict[str, int] = {}
    for (vendor_key, grade, outcome, bad), tally in sources.items():
        if not tally.leads:
            continue  # a rollup row whose leads all moved elsewhere
        per_source.setdefault(_vendor(vendor_key or None), _Group()).add(tally, outcome, grade, bool(bad))
        total.add(tally, outcome, grade, bool(bad))
        if outcome:
            outcomes[outcome] = outcomes.get(outcome, 0) + tally.leads
    by_source = sorted(
        (
            SourceStats(
                vendor=name, leads=g.tally.leads, by_grade=g.by_grade, claimed=g.tally.claimed, won=g.won,
                decided=g.decided, revenue=g.tally.revenue_cents / 100, duplicates=g.tally.duplicates,
                invalid=g.invalid, touched=g.tally.touched, claim_seconds=g.tally.claim_ms / 1000,
                touch_seconds=g.tally.touch_ms / 1000, sla_breaches=g.tally.breaches,
                credit_requested=g.tally.credit_requested, credit_granted=g.tally.credit_granted,
            )
            for name, g in per_source.items()
        ),
        key=lambda s: (-s.leads, s.vendor),
    )
    per_rep: dict[str, _Group] = {}
    for (owner, outcome), tally in reps.items():
        if tally.leads:
            per_rep.setdefault(owner, _Group()).add(tally, outcome)
    by_rep = sorted(
        (
            RepStats(
                rep=owner, claimed=g.tally.leads, won=g.won, decided=g.decided, revenue=g.tally.revenue_cents / 100,
                touched=g.tally.touched, claim_seconds=g.tally.claim_ms / 1000,
                touch_seconds=g.tally.touch_ms / 1000, sla_breaches=g.tally.breaches,
            )
            for owner, g in per_rep.items()
        ),
        key=lambda r: (-r.revenue, -r.won, r.rep),
    )
    return PipelineStats(
        since=since,
        until=until,
        leads=total.tally.leads,
        by_grade=total.by_grade,
        claimed=total.tally.claimed,
        median_claim_seconds=median_claim,
        median_first_touch_seconds=median_touch,
        sla_breaches=total.tally.breaches,
        outcomes=outcomes,
        revenue=total.tally.revenue_cents / 100,
        by_source=by_source,
        by_rep=by_rep,
    )


async def _sql_median(conn: AsyncConnection, value: ColumnElement[float], where: list[Any], count: int) -> float | None:
    """The median of ``value`` over the ``count`` rows matching ``where``: the database walks its index on
    ``value`` (ix_leads_claim_seconds, ix_leads_touch_seconds) and hands back only the middle values."""
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
