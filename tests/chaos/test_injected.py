"""The injected-clock part of the chaos suite (bench/chaos) in CI: a two-hour Slack outage and a minute of 429s
and 5xx. Every card appears once; nothing goes dead. (The process scenarios: tests/chaos/test_processes.py.)"""

from __future__ import annotations

from pathlib import Path

from bench.chaos.injected import flaky_plan, in_process, outage_plan


async def test_a_two_hour_slack_outage_loses_no_card(tmp_path: Path) -> None:
    result = await in_process("outage", 30, outage_plan(2.0), 7200, tmp_path)
    assert (result.accepted, result.cards, result.lost, result.duplicated) == (30, 30, 0, 0), result.line()
    assert "0 dead" in result.note
    assert result.drain <= 300 + 60  # back within one backoff cap of Slack's return


async def test_rate_limits_and_half_the_calls_failing_lose_no_card(tmp_path: Path) -> None:
    result = await in_process("flaky", 30, flaky_plan, 60, tmp_path)
    assert (result.accepted, result.cards, result.lost, result.duplicated) == (30, 30, 0, 0), result.line()
    assert "0 dead" in result.note
