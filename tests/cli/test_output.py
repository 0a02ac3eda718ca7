"""What a person sees: `leadbot leads` in an 80-column terminal, `parse` failures on stderr with a status."""

from __future__ import annotations

import asyncio
from pathlib import Path

from parsers.envelope import dedup_key
from parsers.lead import RawMessage
from store.store import Store
from tests.cli.helpers import column, leadbot, one_line, sqlite_config

LONG_NAME = "Maximiliana Evangelina Featherstonehaugh-Cholmondeley-Worthington"


def _import(tmp_path: Path, rows: list[str]) -> Path:
    config = sqlite_config(tmp_path, tmp_path / "leadbot.db")
    sheet = tmp_path / "people.csv"
    sheet.write_text("\n".join(["Name,Email,Phone,Message", *rows]) + "\n", encoding="utf-8")
    result = leadbot("--config", str(config), "import", str(sheet), "--source", "Spring home show 2026 (hall B)",
                     "--no-post")
    assert result.returncode == 0, result.stdout + result.stderr
    return config


def test_leads_fit_an_80_column_terminal(tmp_path: Path) -> None:
    config = _import(tmp_path, [
        f"{LONG_NAME},maximiliana.featherstonehaugh@worthington-estates.example,+1 503 555 0101,Quote for a roof",
        "Ann Lo,ann@lo.example,,Gutter repair",
    ])
    narrow = leadbot("--config", str(config), "leads", columns=80)
    assert narrow.returncode == 0, narrow.stderr
    lines = narrow.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 80, narrow.stdout
    text = " ".join(narrow.stdout.split())
    for word in ("Maximiliana", "Evangelina", "Ann Lo", "ann@lo.example", "new"):
        assert word in text, narrow.stdout
    # folded, not cut: every character of the long name is on screen, down the "lead" column
    assert "".join(LONG_NAME.split()) in column(narrow.stdout, "lead", "vendor"), narrow.stdout

    wide = leadbot("--config", str(config), "leads", columns=200)
    assert "Featherstonehaugh-Cholmondeley-Worthington" in wide.stdout and "+1 503 555 0101" in wide.stdout
    assert "created (UTC)" in wide.stdout and "owner" in wide.stdout  # one column per detail when there is room
    assert max(len(line) for line in wide.stdout.splitlines()) <= 200


def test_parse_failures_are_reported_on_stderr_with_a_status(tmp_path: Path) -> None:
    good = tmp_path / "lead.txt"
    good.write_text("Name: Ada Quill\nEmail: ada@quill.example\n", encoding="utf-8")
    ok = leadbot("parse", str(good))
    assert ok.returncode == 0 and ok.stderr == "" and "ada@quill.example" in ok.stdout

    missing = leadbot("parse", str(tmp_path / "nope.eml"))
    assert missing.returncode == 2
    assert "cannot read" in one_line(missing.stderr) and "nope.eml" in missing.stderr

    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"\x00\x01\x02\x03" * 1000)
    unreadable = leadbot("parse", "--json", str(good), str(garbage))
    assert unreadable.returncode == 1
    line = one_line(unreadable.stderr)
    assert line.startswith("leadbot parse: ") and "garbage.bin" in line
    assert len(unreadable.stdout.splitlines()) == 2  # one JSON line per input still


def test_missing_things_are_one_line_and_exit_1(tmp_path: Path) -> None:
    config = _import(tmp_path, ["Ann Lo,ann@lo.example,,Gutter repair"])
    shown = leadbot("--config", str(config), "messages", "--show", "999")
    assert shown.returncode == 1 and shown.stdout == "" and "no message with id 999" in one_line(shown.stderr)
    contact = leadbot("--config", str(config), "contacts", "show", "nobody@nowhere.example")
    assert contact.returncode == 1 and "no contact matches" in one_line(contact.stderr)
    missing = leadbot("--config", str(config), "import", str(tmp_path / "absent.csv"))
    assert missing.returncode == 2 and "absent.csv does not exist" in one_line(missing.stderr)


async def _seed_message(url: str) -> int:
    store = Store.open(url)
    await store.migrate()
    try:
        raw = RawMessage(raw=b"Subject: [URGENT] roof\r\n\r\nName: Ann Lo\r\n", channel="smtp",
                         sender="forms-noreply@a-rather-long-vendor-domain-name.example")
        accepted = await store.messages.accept(raw, dedup_key=dedup_key(raw), subject="[URGENT] [b]roof[/b] quote")
        await store.messages.mark_failed(accepted.id, "Traceback (most recent call last):\nValueError: [red]no[/red]")
        return accepted.id
    finally:
        await store.close()


def test_messages_fit_80_columns_and_show_brackets_as_written(tmp_path: Path) -> None:
    database = tmp_path / "leadbot.db"
    message_id = asyncio.run(_seed_message(f"sqlite+aiosqlite:///{database}"))
    config = sqlite_config(tmp_path, database)
    listed = leadbot("--config", str(config), "messages", "--failed", columns=80)
    assert listed.returncode == 0, listed.stderr
    assert max(len(line) for line in listed.stdout.splitlines()) <= 80, listed.stdout
    assert "[URGENT][b]roof[/b]quote" in column(listed.stdout, "subject", "status"), listed.stdout
    assert column(listed.stdout, "status", "error").startswith("failed"), listed.stdout
    assert "ValueError:[red]no[/red]" in column(listed.stdout.split("re-run one")[0], "error"), listed.stdout
    shown = leadbot("--config", str(config), "messages", "--show", str(message_id))
    assert shown.returncode == 0 and "ValueError: [red]no[/red]" in shown.stdout
