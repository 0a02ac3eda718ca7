"""`leadbot messages`, `replay` and `leads` as an admin runs them, on a real SQLite file."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from parsers.envelope import dedup_key
from parsers.lead import RawMessage
from store.store import Store

LEADBOT = str(Path(sys.executable).with_name("leadbot"))
MAIL = (
    b"From: Ridgeway Forms <forms@ridgeway.example>\r\nSubject: Quote request\r\n"
    b"Message-ID: <admin-1@ridgeway.example>\r\n\r\n"
    b"Name: Halvard Quist\r\nEmail: h.quist@quistmarine.example\r\nPhone: 207-555-0148\r\n"
    b"Message: Please send a quote for two dock slips.\r\n"
)
BOMB = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>\n'
    b"<adf><prospect><customer><contact><name>&lol2;</name></contact></customer></prospect></adf>\n"
)


def _leadbot(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LEADBOT, "--config", str(config), *args], capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "200"},
    )


async def _seed(url: str) -> tuple[int, int]:
    store = Store.open(url)
    await store.migrate()
    try:
        good = RawMessage(raw=MAIL, channel="smtp", sender="forms@ridgeway.example")
        bomb = RawMessage(raw=BOMB, channel="http", sender="feed@ridgeway.example")
        first = await store.messages.accept(good, dedup_key=dedup_key(good))
        second = await store.messages.accept(bomb, dedup_key=dedup_key(bomb))
        # as if the process had failed on the first one (our fault, e.g. a bug since fixed)
        await store.messages.mark_failed(first.id, "Traceback (most recent call last):\nRuntimeError: boom")
        return first.id, second.id
    finally:
        await store.close()


def test_failed_messages_are_listed_and_replayed(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'leadbot.db'}"
    config = tmp_path / "leadbot.toml"
    config.write_text(f'[store]\nurl = "{url}"\n')
    good_id, bomb_id = asyncio.run(_seed(url))

    listed = _leadbot(config, "messages", "--failed")
    assert listed.returncode == 0, listed.stderr
    assert "RuntimeError: boom" in listed.stdout and "leadbot replay" in listed.stdout

    replayed = _leadbot(config, "replay", str(good_id), str(bomb_id))
    assert f"message {good_id}: processed" in replayed.stdout, replayed.stdout + replayed.stderr
    assert f"message {bomb_id}: failed again" in replayed.stderr  # errors on stderr, results on stdout
    assert replayed.returncode == 1  # one of them still fails: the admin must see it

    again = _leadbot(config, "replay", str(good_id))
    assert "already made leads" in again.stderr and again.returncode == 1

    leads = _leadbot(config, "leads")
    assert leads.returncode == 0 and "Halvard Quist" in leads.stdout

    failed = _leadbot(config, "messages", "--failed")
    assert str(bomb_id) in failed.stdout and "unreadable" in failed.stdout
    assert "Halvard" not in failed.stdout

    shown = _leadbot(config, "messages", "--show", str(bomb_id))
    assert shown.returncode == 0 and "ENTITY" in shown.stdout


def test_config_errors_stop_with_the_key_named(tmp_path: Path) -> None:
    config = tmp_path / "leadbot.toml"
    config.write_text('[smtp]\nport = "lots"\n')
    result = _leadbot(config, "leads")
    assert result.returncode == 2
    assert "smtp.port" in result.stderr and "Traceback" not in result.stderr
