"""`leadbot leads --format csv|json` (issue 14): every field, unmasked, with today's filters."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import json
from pathlib import Path

import pytest

from bot.cli.main import main
from store.records import NewLead
from store.store import Store
from tests.cli.helpers import leadbot, sqlite_config

BASE = NewLead(vendor="AutoLeads", channel="smtp", fields={}, provenance={}, score=70, grade="A",
               reasons=("+20 email address",), post_to=None)
PROVENANCE = {"email": {"source": "template:autoleads:email", "confidence": 1.0}}


async def fill(url: str) -> None:
    store = Store.open(url)
    await store.migrate()
    await store.leads.add(dataclasses.replace(
        BASE, fields={"full_name": "Dana Whitaker", "email": "dana@whitaker.example", "phone": "+1 617 555 0134",
                      "message": 'Call after 5, "not before"\nthanks'},
        provenance=PROVENANCE, contact_email="dana@whitaker.example"))
    await store.leads.add(dataclasses.replace(
        BASE, fields={"full_name": "Ray Quill", "email": "ray@quill.example"}, grade="C", score=10,
        contact_email="ray@quill.example"))
    await store.close()


@pytest.fixture
def config(tmp_path: Path) -> Path:
    database = tmp_path / "leadbot.db"
    asyncio.run(fill(f"sqlite+aiosqlite:///{database}"))
    return sqlite_config(tmp_path, database, '[privacy]\nmask_unclaimed = true\n')


def test_csv_has_every_field_and_keeps_the_filters(config: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--config", str(config), "leads", "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines(keepends=True)))
    assert [r["full_name"] for r in rows] == ["Ray Quill", "Dana Whitaker"]  # newest first, as the table
    dana = rows[1]
    assert dana["phone"] == "+1 617 555 0134" and dana["email"] == "dana@whitaker.example"  # not masked
    assert dana["message"] == 'Call after 5, "not before"\nthanks' and dana["grade"] == "A" and dana["company"] == ""
    assert main(["--config", str(config), "leads", "--format", "csv", "--grade", "C"]) == 0
    only = list(csv.DictReader(capsys.readouterr().out.splitlines(keepends=True)))
    assert [r["full_name"] for r in only] == ["Ray Quill"]


def test_json_carries_provenance_and_reasons(config: Path) -> None:
    result = leadbot("--config", str(config), "leads", "--format", "json", "--limit", "1", "--grade", "A")
    assert result.returncode == 0, result.stderr
    (dana,) = json.loads(result.stdout)
    assert dana["fields"]["phone"] == "+1 617 555 0134" and dana["provenance"] == PROVENANCE
    assert dana["reasons"] == ["+20 email address"] and dana["status"] == "new" and dana["vendor"] == "AutoLeads"
    empty = leadbot("--config", str(config), "leads", "--format", "json", "--status", "closed")
    assert empty.returncode == 0 and json.loads(empty.stdout) == []
