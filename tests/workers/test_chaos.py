"""The fast part of the chaos suite (bench/chaos.py) in CI: a two-hour Slack outage and a minute of 429s and
5xx on an injected clock. Every card appears once; nothing goes dead. (The SIGKILL and two-instance
scenarios start real processes and take minutes: `bench/chaos.py`; tests/workers/test_lease.py and
tests/e2e/test_crash.py cover their mechanisms.)"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).parents[2] / "bench" / "chaos.py"


@pytest.fixture(scope="module")
def chaos() -> ModuleType:
    spec = importlib.util.spec_from_file_location("leadbot_bench_chaos", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


async def test_a_two_hour_slack_outage_loses_no_card(chaos: ModuleType, tmp_path: Path) -> None:
    result = await chaos.in_process("outage", 30, chaos.outage_plan(2.0), 7200, tmp_path)
    assert (result.accepted, result.cards, result.lost, result.duplicated) == (30, 30, 0, 0), result.line()
    assert "0 dead" in result.note
    assert result.drain <= 300 + 60  # back within one backoff cap of Slack's return


async def test_rate_limits_and_half_the_calls_failing_lose_no_card(chaos: ModuleType, tmp_path: Path) -> None:
    result = await chaos.in_process("flaky", 30, chaos.flaky_plan, 60, tmp_path)
    assert (result.accepted, result.cards, result.lost, result.duplicated) == (30, 30, 0, 0), result.line()
    assert "0 dead" in result.note
