"""Start-up failures of `leadbot serve` as an admin meets them: one line on stderr saying what to do, exit 2.

The real `leadbot serve` runs in a subprocess against a real obstacle: a SQLite path that cannot be
created, a PostgreSQL port nobody listens on, an SMTP port another socket holds. A bad TLS file is
checked on the classifier with the errors Python's ssl module really raises."""

from __future__ import annotations

import socket
import sqlite3
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from bot.cli.startup import describe_startup_failure
from bot.settings import load_settings
from tests.cli.helpers import leadbot, one_line


@pytest.fixture
def held_port() -> Iterator[int]:
    """A loopback port some other program listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed again on return: connecting to it is refused


def serve(config: Path, command: str = "serve") -> tuple[int, str]:
    result = leadbot(command, "--config", str(config), timeout=120)
    return result.returncode, result.stderr


@pytest.mark.parametrize("command", ["serve", "migrate"])
def test_unwritable_sqlite_path(tmp_path: Path, command: str) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder should be", encoding="utf-8")
    config = tmp_path / "leadbot.toml"
    config.write_text(f'[store]\nurl = "sqlite+aiosqlite:///{blocker / "leadbot.db"}"\n[smtp]\nport = 0\n')
    status, stderr = serve(config, command)
    line = one_line(stderr)
    assert status == 2
    assert str(blocker / "leadbot.db") in line and "[store] url" in line and "writ" in line


def test_unreachable_postgresql(tmp_path: Path) -> None:
    port = closed_port()
    config = tmp_path / "leadbot.toml"
    config.write_text(f'[store]\nurl = "postgresql+asyncpg://leadbot:s3cret@127.0.0.1:{port}/leads"\n'
                      "[smtp]\nport = 0\n")
    status, stderr = serve(config)
    line = one_line(stderr)
    assert status == 2
    assert f"127.0.0.1:{port}/leads" in line and "start the server" in line and "[store] url" in line
    assert "s3cret" not in line


def test_smtp_port_in_use(tmp_path: Path, held_port: int) -> None:
    config = tmp_path / "leadbot.toml"
    config.write_text(f'[store]\nurl = "sqlite+aiosqlite:///{tmp_path / "leadbot.db"}"\n'
                      f"[smtp]\nport = {held_port}\n")
    status, stderr = serve(config)
    line = one_line(stderr)
    assert status == 2
    assert f"127.0.0.1:{held_port}" in line and "[smtp] port" in line and "in use" in line


def test_bad_tls_files_are_named(tmp_path: Path) -> None:
    settings = load_settings(None)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    junk = tmp_path / "cert.pem"
    junk.write_text("not a certificate", encoding="utf-8")
    with pytest.raises(ssl.SSLError) as bad:
        context.load_cert_chain(junk)
    line = describe_startup_failure(bad.value, settings)
    assert line is not None and "TLS certificate or key" in line and "\n" not in line
    with pytest.raises(FileNotFoundError) as missing:
        context.load_cert_chain(tmp_path / "missing.pem")
    # ssl does not say which file was missing; without TLS settings to name, it is not ours to guess
    assert describe_startup_failure(missing.value, settings) is None
    with pytest.raises(FileNotFoundError) as named:
        (tmp_path / "key.pem").read_bytes()
    described = describe_startup_failure(named.value, settings)
    assert described is not None and str(tmp_path / "key.pem") in described


def test_a_bug_is_not_dressed_up_as_a_start_up_failure() -> None:
    assert describe_startup_failure(ZeroDivisionError("division by zero"), load_settings(None)) is None
    assert describe_startup_failure(KeyError("smtp"), None) is None


def test_a_locked_sqlite_database_says_so(tmp_path: Path) -> None:
    settings = load_settings(None, overrides={"store.url": f"sqlite+aiosqlite:///{tmp_path / 'leadbot.db'}"})
    locked = OperationalError("BEGIN", {}, sqlite3.OperationalError("database is locked"))
    line = describe_startup_failure(locked, settings)
    assert line is not None and "is locked" in line and "try again" in line
