"""Learning from outcomes: which sources and which kinds of lead close here.

From every lead with a recorded outcome we keep wins and totals per source (vendor) and per key feature
(a business email, a verified phone, a stated budget…). A raw rate from a handful of leads is noise, so
each rate is smoothed with a Beta prior centred on the overall win rate (empirical Bayes):

    rate = (wins + prior_strength · overall) / (total + prior_strength)

and only groups with at least ``min_outcomes`` closed leads count. The score component is the distance
from the overall rate, ``weight`` points per unit of probability, clamped to ``±max_points``, and it
reads as a reason: "+8 Cars.com leads close 18% here (9 of 50)".

`learn` and `learned_points` are pure; `LearnedRatesCache` reads outcomes from the store, at most once
per ``refresh_seconds``, for the pipeline to hand to the pure scorer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from bot.settings import LearningSettings
from parsers.lead import ExtractedLead
from store.clock import utcnow
from store.records import OutcomeSample

if TYPE_CHECKING:
    from bot.settings import ScoringSettings
    from store.store import Store

#: outcome values that count as a win; every other recorded outcome is a loss
WINS = frozenset({"won"})
#: outcomes that are not a verdict on the lead (it went back to nurturing): left out of the rates
NOT_CLOSED = frozenset({"nurture", "open", "reopened"})

#: how a feature reads in a reason
FEATURE_LABELS = {
    "business_email": "leads with a business email",
    "free_mail": "leads with a free-mail address",
    "valid_phone": "leads with a verified phone",
    "intent": "leads that ask for a quote, demo or visit",
    "budget": "leads that state a budget",
    "near_timeline": "leads that want it soon",
    "company": "leads that name a company",
}


@dataclass(frozen=True, slots=True)
class Rate:
    wins: int
    total: int
    #: the smoothed win rate (posterior mean)
    rate: float


@dataclass(frozen=True, slots=True)
class LearnedRates:
    """Smoothed win rates; empty when nothing is learned yet (then the component adds nothing)."""

    overall: float = 0.0
    closed: int = 0
    by_source: dict[str, Rate] = field(default_factory=dict)
    by_feature: dict[str, Rate] = field(default_factory=dict)


def _smooth(wins: int, total: int, overall: float, strength: float) -> float:
    return (wins + strength * overall) / (total + strength)


def learn(
    samples: Iterable[tuple[str | None, frozenset[str], bool]], settings: LearningSettings
) -> LearnedRates:
    """Rates from (vendor, features, won) triples. Pure."""
    rows = list(samples)
    if not rows:
        return LearnedRates()
    wins = sum(won for _, _, won in rows)
    # The overall rate itself gets a weak uniform prior, so 0 of 3 does not say "nothing ever closes".
    overall = (wins + 1) / (len(rows) + 2)
    sources: dict[str, list[int]] = {}
    features: dict[str, list[int]] = {}
    for vendor, feats, won in rows:
        if vendor:
            tally = sources.setdefault(vendor, [0, 0])
            tally[0] += won
            tally[1] += 1
        for feat in feats:
            tally = features.setdefault(feat, [0, 0])
            tally[0] += won
            tally[1] += 1

    def rates(groups: dict[str, list[int]]) -> dict[str, Rate]:
        return {
            key: Rate(w, n, _smooth(w, n, overall, settings.prior_strength))
            for key, (w, n) in groups.items()
            if n >= settings.min_outcomes
        }

    return LearnedRates(overall=overall, closed=len(rows), by_source=rates(sources), by_feature=rates(features))


def learned_points(
    rates: LearnedRates, vendor: str | None, features: frozenset[str], settings: LearningSettings
) -> list[tuple[int, str]]:
    """The learned component for one lead: (points, reason) per source and feature that moves it. Pure."""
    if not settings.enabled or not rates.closed:
        return []
    out: list[tuple[int, str]] = []

    def points(rate: Rate) -> int:
        raw = round(settings.weight * (rate.rate - rates.overall))
        return max(-settings.max_points, min(settings.max_points, raw))

    if vendor and vendor in rates.by_source:
        rate = rates.by_source[vendor]
        amount = points(rate)
        if amount:
            out.append((amount, f"{vendor} leads close {rate.rate:.0%} here ({rate.wins} of {rate.total})"))
    feature_parts = []
    for feat in sorted(features):
        if feat in rates.by_feature:
            rate = rates.by_feature[feat]
            amount = points(rate)
            if amount:
                label = FEATURE_LABELS.get(feat, feat)
                feature_parts.append((amount, f"{label} close {rate.rate:.0%} here ({rate.wins} of {rate.total})"))
    # Features overlap (a business email usually comes with a company): the two strongest speak, and
    # with the source they stay within the one bound (max_points, either way).
    feature_parts.sort(key=lambda p: -abs(p[0]))
    budget = settings.max_points - sum(abs(amount) for amount, _ in out)
    for amount, reason in feature_parts[:2]:
        amount = max(-budget, min(budget, amount))
        if amount:
            out.append((amount, reason))
            budget -= abs(amount)
    return out


Sample = tuple[str | None, frozenset[str], bool]


def samples_from(outcomes: Iterable[OutcomeSample], rules: ScoringSettings) -> list[Sample]:
    from bot.assess.signals import signals_of

    rows = []
    for sample in outcomes:
        if sample.outcome in NOT_CLOSED:
            continue
        lead = ExtractedLead.from_stored(sample.fields, sample.provenance)
        rows.append((sample.vendor, signals_of(lead, rules).features(), sample.outcome in WINS))
    return rows


class LearnedRatesCache:
    """The current learned rates, re-read from the store's outcomes at most every ``refresh_seconds``."""

    def __init__(
        self, store: Store, rules: ScoringSettings, *, clock: Callable[[], datetime] = utcnow
    ) -> None:
        self._store = store
        self._rules = rules
        self._clock = clock
        self._rates = LearnedRates()
        self._loaded_at: datetime | None = None
        self._lock = asyncio.Lock()

    async def current(self) -> LearnedRates:
        settings = self._rules.learning
        if not settings.enabled:
            return LearnedRates()
        now = self._clock()
        fresh = self._loaded_at is not None and now - self._loaded_at < timedelta(seconds=settings.refresh_seconds)
        if fresh:
            return self._rates
        async with self._lock:
            age = None if self._loaded_at is None else self._clock() - self._loaded_at
            if age is None or age >= timedelta(seconds=settings.refresh_seconds):
                await self.refresh()
        return self._rates

    async def refresh(self) -> LearnedRates:
        outcomes = await self._store.leads.outcome_samples()
        self._rates = learn(samples_from(outcomes, self._rules), self._rules.learning)
        self._loaded_at = self._clock()
        return self._rates
