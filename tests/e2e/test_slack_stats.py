"""`/leads stats … by source` and `… by rep` (issue 14) through signed Slack requests against the stand-in,
and `leadbot stats --by source|rep` on the terminal: times to claim and to first touch, SLA breaches, win
rate, revenue and refund rate per source and per rep; a rep who is not a manager sees only their own line."""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import Any

import pytest

from bot.cli.main import main
from bot.settings import SlackRoles
from bot.slack.commands import Command, Usage, parse
from store.ledger import mark_credit
from store.store import Store
from tests.cli.helpers import sqlite_config
from tests.e2e.test_slack_command import leads, shown
from tests.slack.leads import new_lead
from tests.slack.service import SlackSide

BOSS, REP, OTHER = "U0BOSS01", "U0REP0001", "U0REP0002"


@pytest.fixture
def side_options() -> dict[str, Any]:
    return {"roles": SlackRoles(managers=(BOSS,))}


def allow(_lead: object, _actor: str) -> None:
    return None


async def work(store: Store) -> None:
    """AutoLeads: one lead won by REP for 900 after a call, with an SLA breach; CarFinder: one lead lost
    by OTHER and credited back."""
    won = await store.leads.add(dataclasses.replace(new_lead("Ada Park", post_to=None), vendor="AutoLeads"))
    lost = await store.leads.add(dataclasses.replace(new_lead("Bo Elm", post_to=None), vendor="CarFinder"))
    await store.leads.claim(won.id, REP)
    await store.leads.log_activity(won.id, REP, "call", "rang", check=allow)
    await store.leads.set_outcome(won.id, REP, "won", amount=900.0, check=allow)
    await store.events.record(won.id, "sla_breach", actor="leadbot", data={"kind": "claim"})
    await store.leads.claim(lost.id, OTHER)
    await store.leads.set_outcome(lost.id, OTHER, "lost", reason="bought elsewhere", check=allow)
    await mark_credit(store, lost.id, "granted", actor=BOSS)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("stats by source", Command("stats", ("30d", "source"))),
        ("stats 7d by rep share", Command("stats", ("7d", "rep"), share=True)),
        ("stats by rep all", Command("stats", ("all", "rep"))),
        ("stats all", Command("stats", ("all",))),
    ],
)
def test_stats_views_parse(text: str, expected: Command) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize("text", ["stats by vendor", "stats by", "stats 7d by source 30d", "stats by source by rep"])
def test_wrong_stats_views_get_the_usage(text: str) -> None:
    answer = parse(text)
    assert isinstance(answer, Usage) and "by source|by rep" in answer.text


async def test_by_source_and_by_rep_over_signed_requests(side: SlackSide) -> None:
    await work(side.store)
    by_source = shown(await leads(side, "stats all by source", user=BOSS))
    assert "*AutoLeads*: 1 leads · claimed 1 · to claim" in by_source
    assert "SLA breaches 1 · win rate 100% · revenue 900 · refunds 0%" in by_source
    assert "*CarFinder*: 1 leads" in by_source and "win rate 0% · revenue 0 · refunds 100%" in by_source

    by_rep = shown(await leads(side, "stats all by rep", user=BOSS))
    assert f"<@{REP}>: 1 leads · to claim" in by_rep
    assert "SLA breaches 1 · won 1 · win rate 100% · revenue 900" in by_rep
    assert f"<@{OTHER}>: 1 leads" in by_rep

    mine = shown(await leads(side, "stats all by rep", user=REP))  # not a manager: only their own line
    assert "Your pipeline, all time" in mine and f"<@{REP}>" in mine and f"<@{OTHER}>" not in mine

    overview = shown(await leads(side, "stats all", user=BOSS))
    assert "`/leads stats 30d by source`" in overview


def test_the_cli_prints_by_source_and_by_rep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "leadbot.db"

    async def fill() -> None:
        store = Store.open(f"sqlite+aiosqlite:///{database}")
        await store.migrate()
        await work(store)
        await store.close()

    asyncio.run(fill())
    config = sqlite_config(tmp_path, database)
    assert main(["--config", str(config), "stats", "all", "--by", "source"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Pipeline by source, all time (times are means)"
    auto = next(line for line in lines if line.strip().startswith("AutoLeads"))
    assert auto.split()[1:3] == ["1", "1"] and auto.split()[-4:] == ["1", "100%", "900", "0%"]
    cars = next(line for line in lines if line.strip().startswith("CarFinder"))
    assert cars.split()[-3:] == ["0%", "0", "100%"]
    assert main(["--config", str(config), "stats", "7d", "--by", "rep"]) == 0
    rep_lines = capsys.readouterr().out.splitlines()
    assert rep_lines[0] == "Pipeline by rep, the last 7 days (times are means)"
    rep = next(line for line in rep_lines if line.strip().startswith(REP))
    assert rep.split()[1] == "1" and rep.split()[-4:] == ["1", "1", "100%", "900"]
