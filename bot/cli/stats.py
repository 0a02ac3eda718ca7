"""`leadbot stats [7d|30d|90d|all] [--by source|rep]`: the pipeline statistics `/leads stats` shows, on the
terminal."""

from __future__ import annotations

from datetime import timedelta

from bot.cli.common import open_existing
from bot.settings import Settings
from bot.slack.blocks import money
from bot.slack.commands import PERIODS, period_since
from bot.slack.views import age
from store.db import utcnow
from store.ledger import RefundRate
from store.stats import PipelineStats, RepStats, SourceStats, compute_stats


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


def sources_text(sources: list[SourceStats]) -> list[str]:
    """`--by source`: per source, times to claim and to first touch (means), SLA breaches, win, revenue, refunds."""
    lines = [
        f"  {'source':<22}{'leads':>7}{'claimed':>8}{'to claim':>10}{'to touch':>10}{'SLA':>5}{'win':>6}"
        f"{'revenue':>13}{'refund':>7}"
    ]
    for s in sources:
        lines.append(
            f"  {s.vendor[:21]:<22}{s.leads:>7}{s.claimed:>8}{_duration(s.mean_claim_seconds):>10}"
            f"{_duration(s.mean_touch_seconds):>10}{s.sla_breaches:>5}{_pct(s.win_rate):>6}{money(s.revenue):>13}"
            f"{_pct(s.refund_rate):>7}"
        )
    return lines


def reps_text(reps: list[RepStats]) -> list[str]:
    """`--by rep`: per rep, leads owned, times to claim and to first touch (means), SLA breaches, win, revenue."""
    lines = [f"  {'rep':<22}{'leads':>7}{'to claim':>10}{'to touch':>10}{'SLA':>5}{'won':>5}{'win':>6}{'revenue':>13}"]
    for r in reps:
        lines.append(
            f"  {r.rep[:21]:<22}{r.claimed:>7}{_duration(r.mean_claim_seconds):>10}"
            f"{_duration(r.mean_touch_seconds):>10}{r.sla_breaches:>5}{r.won:>5}{_pct(r.win_rate):>6}{money(r.revenue):>13}"
        )
    return lines


def by_text(stats: PipelineStats, period: str, by: str) -> str:
    label = "all time" if PERIODS[period] is None else f"the last {PERIODS[period]} days"
    rows = sources_text(stats.by_source) if by == "source" else reps_text(stats.by_rep)
    return "\n".join([f"Pipeline by {by}, {label} (times are means)", *rows])


async def run_stats(settings: Settings, period: str, by: str | None = None) -> int:
    store = await open_existing(settings)
    try:
        now = utcnow()
        stats = await compute_stats(store.engine, since=period_since(period, now), until=now)
    finally:
        await store.close()
    if by is not None:
        print(by_text(stats, period, by))
        return 0
    refunds = [RefundRate(s.vendor, s.leads, s.credit_requested, s.credit_granted) for s in stats.by_source]
    print("\n".join([stats_text(stats, period), *refunds_text(refunds)]))
    return 0
