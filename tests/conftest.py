"""Shared fixtures: a migrated database on each backend.

PostgreSQL comes from ``LEADBOT_TEST_POSTGRES_URL`` if set; otherwise, when PostgreSQL's server binaries
are installed, a throwaway cluster is started for the session on a free loopback port. Without either,
PostgreSQL tests skip locally, and fail in CI (``CI=true``), where they must run.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import NoReturn

import asyncpg
import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage
from store.db import Clock, utcnow
from store.store import Store

IN_CI = os.environ.get("CI", "").lower() == "true"


#: what `warmed` reads: a mail and a chat note (made up)
_FIRST_READS = (
    RawMessage(b"From: Forms <forms@first-read.example>\r\nSubject: Quote\r\n\r\nName: Orla Firstread\r\n"
               b"Email: orla@first-read.example\r\nPhone: 503-555-0142\r\nMessage: Two skylights, please.\r\n", "smtp"),
    RawMessage(b"Rang Orla Firstread, orla@first-read.example, 503-555-0142: wants skylights quoted.", "slack"),
)


def warmed(extractor: Extractor) -> Extractor:
    """``extractor`` after one read of each kind: a process's first read loads word lists and compiles patterns
    (seconds on a loaded machine), which the service's reading processes do before taking work. A test reading
    against a time budget gets it warmed, so that the warm-up is not charged to its first message."""
    for sample in _FIRST_READS:
        extractor.extract(sample)
    return extractor


@pytest.fixture(autouse=True)
def _no_sender_authentication(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never ask real DNS: `[authentication]` is off unless the module sets ``AUTHENTICATION_OPT_IN = True``
    (and then passes its own table resolver)."""
    if not getattr(request.module, "AUTHENTICATION_OPT_IN", False):
        monkeypatch.setenv("LEADBOT_AUTHENTICATION__ENABLED", "false")


def unavailable(message: str, tests: str) -> NoReturn:
    """What ``tests`` need is not here: a skip on a developer's machine, a failure in CI, where they must run."""
    if IN_CI:
        pytest.fail(f"{message} — in CI {tests} must run")
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _postgres_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return candidates[-1].parent if candidates else None


class _Cluster:
    """A PostgreSQL cluster in a temporary directory, trust auth, loopback only."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.dir = Path(tempfile.mkdtemp(prefix="leadbot-pg-"))
        self.port = _free_port()
        self.as_root = os.geteuid() == 0
        if self.as_root:  # the server refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")

    def _run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> str:
        data = str(self.dir / "data")
        self._run("initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync")
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run("pg_ctl", "-D", data, "-o", opts, "-l", str(self.dir / "log"), "-w", "start")
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    url = os.environ.get("LEADBOT_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    bindir = _postgres_bin()
    if bindir is None:
        unavailable("PostgreSQL is not installed (apt-get install postgresql) and LEADBOT_TEST_POSTGRES_URL is unset",
                    "the PostgreSQL tests")
    cluster = _Cluster(bindir)
    url = cluster.start()
    try:
        yield url
    finally:
        cluster.stop()


async def _create_database(server_url: str) -> str:
    """A fresh database per test, so tests never see each other's rows."""
    name = "t_" + uuid.uuid4().hex[:12]
    await _on_server(server_url, f'CREATE DATABASE "{name}"')
    url = f"{server_url.rsplit('/', 1)[0]}/{name}"
    _EMPTY_POSTGRES[url] = (server_url, name)
    return url


async def _on_server(server_url: str, *statements: str) -> None:
    conn = await asyncpg.connect(server_url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


# ---- migrated databases, copied from one migrated template per session ------------------------------------
#
# Migrating to head costs every test that wants a store ~0.1 s on SQLite and ~0.7 s on PostgreSQL (several
# seconds on a loaded machine). The migrations run once per session, into a template; each test gets a copy
# (a file copy; CREATE DATABASE … TEMPLATE). tests/store/test_db.py still migrates empty databases itself.

#: databases `_create_database` made and nobody has migrated yet: URL -> (server URL, database name)
_EMPTY_POSTGRES: dict[str, tuple[str, str]] = {}
#: the migrated template of each PostgreSQL server (server URL -> database name), and of SQLite (a file)
_POSTGRES_TEMPLATES: dict[str, str] = {}
_SQLITE_TEMPLATE: list[Path] = []


async def _migrate(url: str) -> None:
    opened = Store.open(url)
    try:
        await opened.migrate()
    finally:
        await opened.close()


async def _copy_of_template(url: str) -> bool:
    """Make the empty database at ``url`` a copy of the migrated template; False when it is not one we know
    to be empty (then the caller migrates it)."""
    if url.startswith("sqlite+aiosqlite:///"):
        path = Path(url.removeprefix("sqlite+aiosqlite:///"))
        if not _SQLITE_TEMPLATE:
            template = Path(tempfile.mkdtemp(prefix="leadbot-template-")) / "leadbot.db"
            await _migrate(f"sqlite+aiosqlite:///{template}")  # closed: its WAL is checkpointed into the file
            _SQLITE_TEMPLATE.append(template)
        return _copy_file(_SQLITE_TEMPLATE[0], path)
    if url not in _EMPTY_POSTGRES:
        return False
    server_url, name = _EMPTY_POSTGRES.pop(url)
    template = _POSTGRES_TEMPLATES.get(server_url)
    if template is None:
        template = await _create_database(server_url)
        await _migrate(template)
        _EMPTY_POSTGRES.pop(template, None)
        template = _POSTGRES_TEMPLATES[server_url] = template.rsplit("/", 1)[1]
    if not await _holds_no_table(url):
        return False  # something wrote there since (a service under test): migrate what is there
    try:
        await _on_server(server_url, f'DROP DATABASE "{name}"', f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    except asyncpg.ObjectInUseError:  # someone is connected: leave it to them, migrate it
        return False
    return True


async def _holds_no_table(url: str) -> bool:
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        return not await conn.fetchval("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
    finally:
        await conn.close()


def _copy_file(template: Path, path: Path) -> bool:
    """Copy ``template`` to ``path`` unless something is there already (a database someone made)."""
    if path.exists() or not path.parent.is_dir():
        return False
    shutil.copyfile(template, path)
    return True


@pytest.fixture(scope="session", autouse=True)
def _remove_sqlite_template() -> Iterator[None]:
    yield
    for template in _SQLITE_TEMPLATE:
        shutil.rmtree(template.parent, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server_url: str) -> str:
    """An empty PostgreSQL database URL, for behaviour only PostgreSQL has (commits out of id order...)."""
    return asyncio.run(_create_database(postgres_server_url))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL on each backend (tests parametrized over SQLite and PostgreSQL)."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'leadbot.db'}"
    server = request.getfixturevalue("postgres_server_url")
    return asyncio.run(_create_database(server))


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'leadbot.db'}"


@asynccontextmanager
async def migrated_store(url: str, *, clock: Clock = utcnow) -> AsyncIterator[Store]:
    """The one way tests get a store: opened on ``url``, migrated to head, closed afterwards.

    An empty database (a SQLite file not there yet, a PostgreSQL database from `_create_database`) becomes a
    copy of the session's migrated template instead of running every migration again."""
    copied = await _copy_of_template(url)
    opened = Store.open(url, clock=clock)
    try:
        if not copied:
            await opened.migrate()
        yield opened
    finally:
        await opened.close()


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[Store]:
    """A migrated store on each backend."""
    async with migrated_store(store_url) as opened:
        yield opened


@pytest.fixture
async def sqlite_store(sqlite_url: str) -> AsyncIterator[Store]:
    """A migrated store on SQLite only (tests of one way in that need no second backend)."""
    async with migrated_store(sqlite_url) as opened:
        yield opened
