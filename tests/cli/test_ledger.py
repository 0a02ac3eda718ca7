"""The vendor ledger (issue 14): `leadbot vendors ledger` writes the duplicate, invalid and test leads of
one vendor and period with reasons and credit; `leadbot stats` shows the refund rate per vendor."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.cli.main import main
from store.ledger import mark_credit
from store.records import LeadRecord, NewLead
from store.store import Store
from tests.cli.helpers import sqlite_config

BASE = NewLead(vendor="AutoLeads", channel="smtp", fields={"full_name": "Dana Whitaker"}, provenance={}, score=70,
               grade="A", reasons=("+20 email address",), post_to=None)


def lead(name: str, email: str, **changes: object) -> NewLead:
    return dataclasses.replace(BASE, fields={"full_name": name, "email": email}, contact_email=email, **changes)


async def fill(url: str) -> dict[str, LeadRecord]:
    old = Store.open(url, clock=lambda: datetime(2020, 1, 1, tzinfo=UTC))
    await old.migrate()
    await old.leads.add(lead("Old Bad", "old@bad.example", invalid=True, grade="C"))
    await old.close()
    store = Store.open(url)
    made = {
        "good": await store.leads.add(lead("Dana Whitaker", "dana@whitaker.example")),
        "repeat": await store.leads.add(lead("Dana Whitaker", "dana@whitaker.example")),
        "invalid": await store.leads.add(lead("Ray Quill", "ray@quill.example", invalid=True, grade="C",
                                              reasons=("-30 phone number is not valid",))),
        "test": await store.leads.add(lead("Test Lead", "t@quill.example", grade="C",
                                           reasons=("-50 name 'test lead' looks like a test entry",))),
        "weak": await store.leads.add(lead("Amy Lo", "amy@lo.example", grade="C", reasons=("+5 name given",))),
        "other": await store.leads.add(dataclasses.replace(lead("Bo Li", "bo@li.example", invalid=True),
                                                           vendor="HomeFinder")),
    }
    await mark_credit(store, made["invalid"].id, "requested", actor="U0BOSS01")
    await mark_credit(store, made["invalid"].id, "granted", actor="U0BOSS01")
    await mark_credit(store, made["test"].id, "requested", actor="U0BOSS01")
    await store.close()
    return made


def test_the_ledger_lists_what_a_vendor_owes_credit_for(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "leadbot.db"
    config = sqlite_config(tmp_path, database)
    made = asyncio.run(fill(f"sqlite+aiosqlite:///{database}"))
    since = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    out = tmp_path / "autoleads.csv"

    assert main(["--config", str(config), "vendors", "ledger", "AutoLeads", "--since", since, "--out", str(out)]) == 0
    assert "3 lead(s) for AutoLeads written to" in capsys.readouterr().out
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    by_id = {int(r["lead_id"]): r for r in rows}
    assert set(by_id) == {made["repeat"].id, made["invalid"].id, made["test"].id}
    assert by_id[made["repeat"].id]["kinds"] == "duplicate"
    assert by_id[made["repeat"].id]["reasons"] == f"repeat of lead #{made['good'].id}"
    assert by_id[made["invalid"].id]["reasons"] == "phone number is not valid"
    assert by_id[made["invalid"].id]["credit"] == "granted" and by_id[made["invalid"].id]["name"] == "Ray Quill"
    assert by_id[made["test"].id]["kinds"] == "test" and by_id[made["test"].id]["credit"] == "requested"

    # the period: only the old lead, with --until
    assert main(["--config", str(config), "vendors", "ledger", "AutoLeads", "--since", "2019-12-31",
                 "--until", "2020-01-01"]) == 0
    printed = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert [r["name"] for r in printed] == ["Old Bad"] and printed[0]["kinds"] == "invalid"

    assert main(["--config", str(config), "vendors", "ledger", "AutoLeads", "--since", "yesterday"]) == 2
    assert "--since 'yesterday': give a date as YYYY-MM-DD" in capsys.readouterr().err


def test_stats_show_the_refund_rate_per_vendor(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    database = tmp_path / "leadbot.db"
    config = sqlite_config(tmp_path, database)
    asyncio.run(fill(f"sqlite+aiosqlite:///{database}"))
    assert main(["--config", str(config), "stats", "all"]) == 0
    text = capsys.readouterr().out
    # AutoLeads: 6 leads, 2 asked, 1 granted; HomeFinder: 1 lead, nothing asked
    assert "  AutoLeads                     6      2        1     17%" in text
    assert "  HomeFinder                    1      0        0      0%" in text
