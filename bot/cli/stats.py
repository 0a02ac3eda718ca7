"""`leadbot stats [7d|30d|90d|all]`: the pipeline statistics `/leads stats` shows, on the terminal."""

from __future__ import annotations

from datetime import timedelta

from bot.cli.common import open_existing
from bot.settings import Settings
from bot.slack.blocks import money
from bot.slack.commands import PERIODS, period_since
from bot.slack.views import age
from store.db import utcnow
from store.ledger import RefundRate, refund_rates
from store.stats import PipelineStats, compute_stats


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f}%"


def _duration(seconds: float | None) -> str:
    return "–" if seconds is None else age(timedelta(seconds=seconds))


def refunds_text(rates: list[RefundRate]) -> list[str]:
    """Vendor credit per source: leads, credit requested, granted, and the refund rate (granted / leads)."""
    if not any(r.requested or r.granted for r in rates):
        return []
    lines = ["", f"  {'vendor credit':<24}{'leads':>7}{'asked':>7}{'granted':>9}{'refund':>8}"]
    for r in rates:
        lines.append(f"  {r.vendor[:23]:<24}{r.leads:>7}{r.requested:>7}{r.granted:>9}{_pct(r.rate):>8}")
    return lines


def stats_text(stats: PipelineStats, period: str) -> str:
    label = "all time" if PERIODS[period] is None else f"the last {PERIODS[period]} days"
    grades = ", ".join(f"{g} {n}" for g, n in sorted(stats.by_grade.items())) or "none"
    outcomes = ", ".join(f"{o} {n}" for o, n in sorted(stats.outcomes.items())) or "none"
    lines = [
        f"Pipeline, {label}",
        f"  leads              {stats.leads} ({grades})",
        f"  claimed            {stats.claimed} ({_pct(stats.claim_rate)})",
        f"  median to claim    {_duration(stats.median_claim_seconds)}",
        f"  median to touch    {_duration(stats.median_first_touch_seconds)}",
        f"  SLA breaches       {stats.sla_breaches}",
        f"  outcomes           {outcomes}",
        f"  win rate           {_pct(stats.win_rate)}",
        f"  revenue            {money(stats.revenue)}",
    ]
    if stats.by_source:
        lines += ["", f"  {'source':<24}{'leads':>7}{'claimed':>9}{'win':>6}{'revenue':>12}{'dupes':>7}{'invalid':>9}"]
        for s in stats.by_source:
            lines.append(
                f"  {s.vendor[:23]:<24}{s.leads:>7}{s.claimed:>9}{_pct(s.win_rate):>6}{money(s.revenue):>12}"
                f"{_pct(s.duplicate_rate):>7}{_pct(s.invalid_rate):>9}"
            )
    if stats.by_rep:
        lines += ["", f"  {'rep':<24}{'claimed':>7}{'won':>6}{'win':>6}{'revenue':>12}"]
        for r in stats.by_rep:
            lines.append(f"  {r.rep[:23]:<24}{r.claimed:>7}{r.won:>6}{_pct(r.win_rate):>6}{money(r.revenue):>12}")
    return "\n".join(lines)


async def run_stats(settings: Settings, period: str) -> int:
    store = await open_existing(settings)
    try:
        now = utcnow()
        since = period_since(period, now)
        stats = await compute_stats(store.engine, since=since, until=now)
        refunds = await refund_rates(store, since=since, until=now)
    finally:
        await store.close()
    print("\n".join([stats_text(stats, period), *refunds_text(refunds)]))
    return 0
