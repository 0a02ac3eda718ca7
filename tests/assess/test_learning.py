"""Learning from outcomes: recorded wins and losses per source move the scores of new leads."""

from __future__ import annotations

import dataclasses

import pytest

from bot.assess.learning import LearnedRatesCache, learn, learned_points
from bot.assess.scoring import score_lead
from bot.assess.work import work_check
from bot.settings import LearningSettings, ScoringSettings
from store.store import Store
from tests.assess.helpers import Clock, a_lead, extracted

RULES = ScoringSettings()


async def _close(store: Store, vendor: str, name: str, outcome: str) -> None:
    made = a_lead(name, name.lower().replace(" ", ".") + "@buyers.example")
    lead = await store.leads.add(dataclasses.replace(made, vendor=vendor))
    await store.leads.claim(lead.id, "U0REP1")
    await store.leads.set_outcome(lead.id, "U0REP1", outcome, amount=25000.0 if outcome == "won" else None,
                            reason=None if outcome == "won" else "bought elsewhere",
                            check=work_check("set_outcome", manager=True))


async def test_outcomes_for_two_sources_move_the_scores(store: Store) -> None:
    fresh = extracted(full_name="Imani Brooks", email="imani@brooks-co.example", interest="2024 Outback",
                      message="Is it available?")
    before = {v: score_lead(fresh, v, RULES) for v in ("Cars.com", "ListFarm")}
    assert before["Cars.com"].score == before["ListFarm"].score

    # Cars.com: 8 of 10 won; ListFarm: 1 of 10 won
    for i in range(10):
        await _close(store, "Cars.com", f"Cara Buyer{chr(65 + i)}", "won" if i < 8 else "lost")
        await _close(store, "ListFarm", f"Lars Buyer{chr(65 + i)}", "won" if i < 1 else "lost")

    rates = await LearnedRatesCache(store, RULES).refresh()
    assert rates.closed == 20
    assert rates.by_source["Cars.com"].wins == 8 and rates.by_source["ListFarm"].total == 10
    assert rates.by_source["Cars.com"].rate > rates.overall > rates.by_source["ListFarm"].rate

    after = {v: score_lead(fresh, v, RULES, learned=rates) for v in ("Cars.com", "ListFarm")}
    good, bad = after["Cars.com"], after["ListFarm"]
    assert good.score > before["Cars.com"].score and bad.score < before["ListFarm"].score
    # overall (9+1)/(20+2) = 45%; Cars.com (8 + 10·0.45)/(10 + 10) = 63%: +17 points, capped at 15
    assert "+15 Cars.com leads close 63% here (8 of 10)" in good.reasons
    assert any(r.startswith("-15 ListFarm leads close") and r.endswith("(1 of 10)") for r in bad.reasons)


async def test_the_cache_refreshes_only_when_due(store: Store) -> None:
    clock = Clock()
    rules = ScoringSettings(learning=LearningSettings(refresh_seconds=300, min_outcomes=2))
    cache = LearnedRatesCache(store, rules, clock=clock)
    assert (await cache.current()).closed == 0
    await _close(store, "Cars.com", "Dora Early", "won")
    await _close(store, "Cars.com", "Dean Early", "won")
    assert (await cache.current()).closed == 0  # cached
    clock.advance(seconds=300)
    assert (await cache.current()).by_source["Cars.com"].wins == 2


def test_smoothing_and_minimum_outcomes() -> None:
    settings = LearningSettings(prior_strength=10, min_outcomes=5)
    rows = [("Tiny", frozenset(), True)] * 3 + [("Big", frozenset({"budget"}), False)] * 20
    rates = learn(rows, settings)
    assert "Tiny" not in rates.by_source  # 3 outcomes are not enough to judge a source
    assert rates.overall == pytest.approx(4 / 25)
    assert rates.by_source["Big"].rate == pytest.approx((0 + 10 * 4 / 25) / 30)
    assert rates.by_feature["budget"].total == 20
    points = learned_points(rates, "Big", frozenset({"budget"}), settings)
    assert [p for p, _ in points] == [-11, -4]  # source and feature share one cap of 15
    assert learned_points(rates, "Big", frozenset(), LearningSettings(enabled=False)) == []
    assert learn([], settings).closed == 0
