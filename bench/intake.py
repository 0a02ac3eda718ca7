"""Intake benchmark: vendor emails over SMTP on 127.0.0.1, bare aiosmtpd against the whole Leadbot path.

    .venv/bin/python bench/intake.py [--messages N] [--connections C]

Measured in one run, on the same generated emails (label:value text, an HTML table, ADF XML):

(a)  a bare aiosmtpd handler that only appends the bytes to a list: the ceiling for any SMTP intake here;
(a') Leadbot's listener storing each message durably (SQLite) before its 250: the cost of the edge alone;
(b)  the whole path, `leadbot serve` started as a user starts it: SMTP → store → extraction → scoring →
     lead stored → card posted to a fake Slack Web API (tests/fakes/slack_api.py), with the per-channel
     post interval set to 0. Its CPU per mail (its own process and its readers') is read from /proc, in the burst
     and in the steady phase (mail offered at a fixed rate: a figure that does not depend on how far behind it falls).

The SMTP clients (smtplib, one thread per connection) run in a separate process so they do not take the
server's CPU or its GIL; the fake Slack runs in the bench's process, not the service's (Slack is external:
its stand-in's work is not the service's). Times are CLOCK_MONOTONIC, which the processes share. Prints
numbers; asserts nothing. ``--profile FILE`` runs the service under py-spy (collapsed stacks in FILE);
``--count-statements`` counts the service's SQL statements, commits, rollbacks and hand-offs to aiosqlite's thread
or to the store's SQLite writer thread per mail (SQLAlchemy's engine events, counters on aiosqlite's queue and on the
writer thread, in the service's process), how long each accept group waited for SQLite's write lock and held it,
the garbage collector's CPU per mail and how long each card's post took from the call to Slack's answer.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import logging
import multiprocessing
import os
import platform
import re
import shutil
import signal
import smtplib
import socket
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # the fake Slack lives in tests/, which is not installed
    sys.path.insert(0, str(ROOT))

from aiosmtpd.smtp import SMTP, Envelope, Session  # noqa: E402

from bot.intake.smtp import SmtpListener  # noqa: E402
from bot.settings import SmtpSettings  # noqa: E402
from parsers.lead import RawMessage  # noqa: E402
from store.records import AcceptedMessage  # noqa: E402
from store.store import Store  # noqa: E402

HOST = "127.0.0.1"
RECIPIENT = "sales@riverside-motors.example"
TOKEN = re.compile(r"k(\d{6})")

#: `leadbot serve` with counters (``--count-statements``): SQLAlchemy engine events for statements, commits and
#: rollbacks, and aiosqlite's one way to its thread (``Connection._execute``) and the store's writer thread
#: (``Db._write_here``, one per transaction) for hand-offs; a daemon thread
#: writes them as JSON to $BENCH_SQL_COUNTS every 0.1 s (the bench reads them around each phase).
COUNTING_SERVE = """
import json, os, sys, threading, time
from sqlalchemy import event
from sqlalchemy.engine import Engine
counts = {"statements": 0, "commits": 0, "rollbacks": 0, "handoffs": 0, "writer_cpu_us": 0,
          "sender_check_cpu_us": 0, "accept_writes": 0, "accept_lock_wait_us": 0, "accept_write_us": 0,
          "gc_collections": 0, "gc_full_collections": 0, "gc_cpu_us": 0, "card_posts": 0, "card_post_wall_us": 0}
kinds = {}
import gc
_gc_began = {}
def _timed_gc(phase, info):
    # the collector's CPU, in whichever thread ran it
    if phase == "start":
        _gc_began[threading.get_ident()] = time.thread_time_ns()
        return
    began = _gc_began.pop(threading.get_ident(), None)
    if began is not None:
        counts["gc_collections"] += 1
        counts["gc_full_collections"] += info["generation"] == 2
        counts["gc_cpu_us"] += (time.thread_time_ns() - began) // 1000
gc.callbacks.append(_timed_gc)
def _add(key):
    def count(*_args, **_kwargs):
        counts[key] += 1
    return count
def _statement(_conn, _cursor, statement, *_args):
    counts["statements"] += 1
    kind = " ".join(statement.split()[:4])[:48]
    kinds[kind] = kinds.get(kind, 0) + 1
event.listen(Engine, "before_cursor_execute", _statement)
event.listen(Engine, "commit", _add("commits"))
event.listen(Engine, "rollback", _add("rollbacks"))
try:
    import aiosqlite.core
    _execute = aiosqlite.core.Connection._execute
    async def _counted(self, fn, *args, **kwargs):
        counts["handoffs"] += 1
        return await _execute(self, fn, *args, **kwargs)
    aiosqlite.core.Connection._execute = _counted
except ImportError:
    pass
import store.db
_write_here = store.db.Db._write_here
def _counted_write(self, work):
    counts["handoffs"] += 1  # one hand-off to the SQLite writer thread for a whole transaction
    began = time.thread_time_ns()
    try:
        return _write_here(self, work)
    finally:
        counts["writer_cpu_us"] += (time.thread_time_ns() - began) // 1000
store.db.Db._write_here = _counted_write
import contextlib
_hold = store.db._WriteGate.hold
@contextlib.asynccontextmanager
async def _timed_hold(self, *, urgent):
    began = time.monotonic()
    async with _hold(self, urgent=urgent):
        held = time.monotonic()
        try:
            yield
        finally:
            if urgent:  # an accept group: how long it waited for the write lock (a completion or outbox write)
                counts["accept_writes"] += 1
                counts["accept_lock_wait_us"] += int((held - began) * 1e6)
                counts["accept_write_us"] += int((time.monotonic() - held) * 1e6)
store.db._WriteGate.hold = _timed_hold
import bot.intake.authenticity.check as _check
_verify = _check.verify_sender
def _counted_verify(*args, **kwargs):
    began = time.thread_time_ns()
    try:
        return _verify(*args, **kwargs)
    finally:
        counts["sender_check_cpu_us"] += (time.thread_time_ns() - began) // 1000
_check.verify_sender = _counted_verify
import bot.slack.poster as _poster
_post = _poster.SlackCardPoster.post
async def _timed_post(self, *args, **kwargs):
    # the wall time of each card's post (its Slack call, answer included): the outbox posts one card at a time
    began = time.monotonic()
    try:
        return await _post(self, *args, **kwargs)
    finally:
        counts["card_posts"] += 1
        counts["card_post_wall_us"] += int((time.monotonic() - began) * 1e6)
_poster.SlackCardPoster.post = _timed_post
def _write():
    path = os.environ["BENCH_SQL_COUNTS"]
    while True:
        with open(path + ".tmp", "w") as out:
            json.dump({**counts, **{"kind: " + k: v for k, v in list(kinds.items())}}, out)
        os.replace(path + ".tmp", path)
        time.sleep(0.1)
threading.Thread(target=_write, daemon=True).start()
sys.argv = ["leadbot", "serve"]
from bot.cli.main import main
sys.exit(main(["serve"]))
"""


def _counts(path: Path | None) -> dict[str, int]:
    """The counters `COUNTING_SERVE` wrote last ({} when not counting)."""
    if path is None:
        return {}
    with contextlib.suppress(OSError, ValueError):
        return {key: int(value) for key, value in json.loads(path.read_text()).items()}
    return {}


async def _settled_counts(path: Path | None) -> dict[str, int]:
    """The counters once they have been written after now (the writer runs every 0.1 s)."""
    if path is not None:
        await asyncio.sleep(0.25)
    return _counts(path)


def print_counts(result: Result) -> None:
    """The counters per mail of each phase (``--count-statements``), with the statements by kind."""
    for phase, counted in (("burst", result.counts), ("paced", result.paced_counts)):
        if counted:
            totals = {key: value for key, value in counted.items() if not key.startswith("kind: ")}
            print(f"     per mail, {phase}: " + ", ".join(f"{key} {value:.2f}" for key, value in totals.items()))
            if totals.get("accept_writes"):
                groups = totals["accept_writes"]
                print(f"     per accept group ({phase}): waited for the write lock "
                      f"{totals['accept_lock_wait_us'] / groups / 1000:.2f} ms, held it "
                      f"{totals['accept_write_us'] / groups / 1000:.2f} ms ({1 / groups:.1f} mails a group)")
            if totals.get("card_posts"):
                post_ms = totals["card_post_wall_us"] / totals["card_posts"] / 1000
                print(f"     per card post ({phase}): {post_ms:.2f} ms "
                      f"from the call to Slack's answer; garbage collection {totals['gc_cpu_us'] / 1000:.3f} ms "
                      "CPU per mail")
            kinds = sorted(((value, key[6:]) for key, value in counted.items() if key.startswith("kind: ")),
                           reverse=True)
            for value, kind in kinds[:16]:
                print(f"        {value:5.2f}  {kind}")


def _per_mail(before: dict[str, int], after: dict[str, int], mails: int) -> dict[str, float]:
    """Per mail, each counter's growth (statement kinds: only those that grew)."""
    grown = {key: (after[key] - before.get(key, 0)) / max(1, mails) for key in after}
    return {key: value for key, value in grown.items() if value or not key.startswith("kind: ")}


# ---- the emails ---------------------------------------------------------------------------------------

FIRST = ["Priya", "Marcus", "Elena", "Tomasz", "Aiko", "Jamal", "Sofia", "Liam", "Nadia", "Owen"]
LAST = ["Raman", "Oyelaran", "Petrova", "Wróbel", "Tanaka", "Carter", "Moreno", "Byrne", "Haddad", "Lindqvist"]
CARS = ["2025 Toyota RAV4 XLE Hybrid", "2024 Honda CR-V EX", "2025 Subaru Outback", "2023 Ford F-150 XLT"]


def _headers(n: int, sender: str, subject: str, content_type: str, run: str) -> list[str]:
    return [
        f"From: {sender}",
        f"To: {RECIPIENT}",
        f"Subject: {subject}",
        f"Message-ID: <bench-{run}-{n}@{sender.split('@')[1].rstrip('>')}>",
        f"Date: {format_datetime(datetime.now(UTC))}",
        "MIME-Version: 1.0",
        f"Content-Type: {content_type}; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
    ]


def _person(n: int) -> tuple[str, str, str, str, str]:
    first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST)) % len(LAST)]
    # The token (k000123) is unique per email and appears on its card: it matches a card to its 250.
    email = f"{first.lower()}.{last.lower().replace('ó', 'o')}.k{n:06d}@example.net"
    # unique per email: the same phone with the same name is the same person, and a repeat inquiry
    # from someone whose lead is open gets no card of its own
    phone = f"(206) {200 + (n // 10_000) % 800}-{n % 10_000:04d}"
    return first, last, email, phone, CARS[n % len(CARS)]


def label_value_email(n: int, run: str) -> bytes:
    first, last, email, phone, car = _person(n)
    lines = _headers(n, "Lakeside Leads <leads@lakeside-leads.example>", f"New lead #{n}", "text/plain", run)
    lines += [
        "You have received a new lead from Lakeside Leads.",
        "",
        f"First Name: {first}",
        f"Last Name: {last}",
        f"Email: {email}",
        f"Phone: {phone}",
        f"Vehicle: {car}",
        "Timeframe: Within 2 weeks",
        "Comments: Is this one still available? I would like to book a test drive on Saturday.",
        "",
        "--",
        "Lakeside Leads, 100 Lake St, Seattle WA. Unsubscribe: reply STOP.",
    ]
    return "\r\n".join(lines).encode() + b"\r\n"


def html_table_email(n: int, run: str) -> bytes:
    first, last, email, phone, car = _person(n)
    lines = _headers(n, "Website Forms <forms@riverside-motors.example>", "Contact form submission", "text/html", run)
    rows = [("Name", f"{first} {last}"), ("Email", email), ("Phone", phone), ("Vehicle", car)]
    rows.append(("Message", "Do you take trade-ins? I have a 2015 Civic with 80k miles."))
    lines += ["<html><body><p>A visitor filled in the contact form.</p>", "<table>"]
    lines += [f"<tr><td>{label}</td><td>{value}</td></tr>" for label, value in rows]
    lines += ["</table></body></html>"]
    return "\r\n".join(lines).encode() + b"\r\n"


def adf_email(n: int, run: str) -> bytes:
    first, last, email, phone, car = _person(n)
    year, make, model = car.split(" ", 3)[:3]
    lines = _headers(n, "CarFinder Network <adf@carfinder-network.example>", "ADF lead", "text/plain", run)
    lines += [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<?adf version="1.0"?>',
        "<adf><prospect>",
        "<requestdate>2026-11-22T09:30:00-08:00</requestdate>",
        f'<vehicle interest="buy" status="new"><year>{year}</year><make>{make}</make><model>{model}</model></vehicle>',
        "<customer><contact>",
        f'<name part="first">{first}</name><name part="last">{last}</name>',
        f'<email>{email}</email><phone type="voice">{phone}</phone>',
        "</contact><timeframe><description>Within 1 month</description></timeframe>",
        "<comments>Looking for the best out-the-door price.</comments></customer>",
        "<vendor><vendorname>Riverside Motors</vendorname></vendor>",
        '<provider><name part="full">CarFinder Network</name></provider>',
        "</prospect></adf>",
    ]
    return "\r\n".join(lines).encode() + b"\r\n"


FORMATS: tuple[Callable[[int, str], bytes], ...] = (label_value_email, html_table_email, adf_email)


def generate(first: int, count: int, run: str) -> list[bytes]:
    return [FORMATS[n % len(FORMATS)](n, run) for n in range(first, first + count)]


# ---- the clients (in a child process) ------------------------------------------------------------------


@dataclass(frozen=True)
class Sent:
    started: float
    finished: float
    #: CLOCK_MONOTONIC of each message's 250, in message order (None: refused)
    replied: list[float | None]


def send_all(port: int, messages: Sequence[bytes], connections: int, rate: float | None = None) -> Sent:
    """Send every message over ``connections`` parallel SMTP connections; runs in the client process.

    ``rate``: messages per second offered in all (message i is sent no earlier than i/rate after the start).
    """
    replied: list[float | None] = [None] * len(messages)
    started = time.monotonic()

    def one_connection(lane: int) -> None:
        with smtplib.SMTP(HOST, port, timeout=120) as client:
            client.ehlo("bench.example")
            for index in range(lane, len(messages), connections):
                if rate:
                    time.sleep(max(0.0, started + index / rate - time.monotonic()))
                client.mail("bench@vendor.example", ["BODY=8BITMIME"])
                client.rcpt(RECIPIENT)
                code, _ = client.data(messages[index])
                if code == 250:
                    replied[index] = time.monotonic()

    connections = max(1, min(connections, len(messages)))
    threads = [threading.Thread(target=one_connection, args=(lane,)) for lane in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Sent(started, time.monotonic(), replied)


def _noop() -> None:
    return None


class Clients:
    """A warm child process that sends mail on request."""

    def __init__(self, connections: int) -> None:
        self.connections = connections
        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))

    async def __aenter__(self) -> Clients:
        await asyncio.get_running_loop().run_in_executor(self._pool, _noop)
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._pool.shutdown()

    async def call(self, function: Callable[..., Any], *args: Any) -> Any:
        """``function(*args)`` in the clients' process (another bench's clients: bench/claim.py)."""
        return await asyncio.get_running_loop().run_in_executor(self._pool, function, *args)

    async def send(self, port: int, messages: Sequence[bytes], rate: float | None = None) -> Sent:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, send_all, port, list(messages), self.connections, rate)


# ---- what is measured ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    label: str
    emails: int
    seconds: float
    note: str = ""
    #: 250 → card posted, milliseconds, under the burst (the whole path only)
    latencies: tuple[float, ...] = ()
    #: 250 → card posted, milliseconds, one email at a time on an idle service
    idle_latencies: tuple[float, ...] = ()
    #: the SMTP 250s per second during the burst
    accept_rate: float = float("nan")
    #: 250 → card posted, milliseconds, with mail offered at a steady rate; and how many of those were sent
    paced_latencies: tuple[float, ...] = ()
    paced_sent: int = 0
    #: seconds from spawning `leadbot serve` to its SMTP 220 (a fresh database: migrations included)
    startup: float = float("nan")
    #: the service's resident set after the burst's cards are out, and its peak, in MB
    rss_mb: float = float("nan")
    peak_mb: float = float("nan")
    #: the service's CPU during the burst (from its first mail sent to its last card out)
    cpu: Cpu | None = None
    #: of ``cpu``, what was spent while the burst was being sent (until its last 250): what competed with the 250s
    accepting_cpu: Cpu | None = None
    #: the same during the steady phase (mail offered at a fixed rate: groups as small as the rate makes them,
    #: whatever the machine's speed, where the burst's grow when the service falls behind)
    paced_cpu: Cpu | None = None
    #: statements, commits, rollbacks and aiosqlite hand-offs per mail, in the burst and paced (--count-statements)
    counts: dict[str, float] | None = None
    paced_counts: dict[str, float] | None = None

    @property
    def rate(self) -> float:
        return self.emails / self.seconds if self.seconds > 0 else float("nan")


def _accepted(sent: Sent) -> int:
    return sum(1 for t in sent.replied if t is not None)


async def bare_aiosmtpd(clients: Clients, warmup: list[bytes], messages: list[bytes]) -> Result:
    kept: list[bytes] = []

    class KeepBytes:
        async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
            kept.append(envelope.original_content or b"")
            return "250 OK"

    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(KeepBytes(), hostname="bench.local", loop=loop), HOST, 0)
    try:
        port = int(server.sockets[0].getsockname()[1])
        await clients.send(port, warmup)
        cpu = time.process_time()
        sent = await clients.send(port, messages)
        cpu = time.process_time() - cpu
    finally:
        server.close()
        await server.wait_closed()
    return Result("(a)  bare aiosmtpd, bytes to a list", _accepted(sent), sent.finished - sent.started,
                  cpu=Cpu(cpu, 0.0))


async def listener_and_store(clients: Clients, database: Path, warmup: list[bytes], messages: list[bytes]) -> Result:
    store = Store.open(f"sqlite+aiosqlite:///{database}")
    await store.migrate()

    async def accept(message: RawMessage) -> AcceptedMessage:
        # as `leadbot serve` stores a mail before its 250: the envelope read, the row leased to the instance
        return await store.messages.receive(message, lease=("bench", 120.0))

    listener = SmtpListener(SmtpSettings(host=HOST, port=0), accept, hostname="bench.local")
    await listener.start()
    try:
        await clients.send(listener.port, warmup)
        cpu = time.process_time()
        sent = await clients.send(listener.port, messages)
        cpu = time.process_time() - cpu
    finally:
        await listener.stop()
        await store.close()
    return Result("(a') Leadbot listener, stored in SQLite before 250", _accepted(sent), sent.finished - sent.started,
                  cpu=Cpu(cpu, 0.0))


async def _stop_service(process: asyncio.subprocess.Process, pid: int) -> None:
    """SIGTERM to the service ``pid`` (py-spy, if it runs it as ``process``, then writes its profile), SIGKILL
    to ``process`` after 60 s."""
    with contextlib.suppress(ProcessLookupError):  # it may have died at start
        os.kill(pid, signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), 60)
    except TimeoutError:
        process.kill()
        await process.wait()


def _serve_env(slack_base_url: str, bot_token: str, port: int, database: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "LEADBOT_SMTP__HOST": HOST,
        "LEADBOT_SMTP__PORT": str(port),
        "LEADBOT_STORE__URL": f"sqlite+aiosqlite:///{database}",
        "LEADBOT_SLACK__MODE": "http",
        "LEADBOT_SLACK__BOT_TOKEN": bot_token,
        "LEADBOT_SLACK__SIGNING_SECRET": "bench-signing-secret",
        "LEADBOT_SLACK__API_BASE_URL": slack_base_url,
        "LEADBOT_SLACK__HTTP_HOST": HOST,
        "LEADBOT_SLACK__HTTP_PORT": str(_free_port()),
        # Slack allows ~1 post/s per channel; unthrottled here, to measure Leadbot rather than the limit.
        "LEADBOT_SLACK__POST_INTERVAL_SECONDS": "0",
        "LEADBOT_SLACK__CHANNELS__SALES": "C0SALES",
        "LEADBOT_SLACK__CHANNELS__NURTURE": "C0NURTURE",
        # Every lead at least grade B, so every email ends in a card.
        "LEADBOT_SCORING__GRADE_B": "0",
        # Cards show the email (its token matches a card to its 250): no masking until claimed.
        "LEADBOT_PRIVACY__MASK_UNCLAIMED": "false",
        "LEADBOT_LOG_LEVEL": "WARNING",
    })
    return env


@dataclass(frozen=True)
class Cpu:
    """CPU seconds (user + system) of `leadbot serve`'s own process and of its descendants (the readers)."""

    main: float
    children: float
    #: of ``main``, the event loop's thread (the others: SQLite's, envelope readers', DNS checks')
    loop: float = float("nan")

    def __sub__(self, other: Cpu) -> Cpu:
        return Cpu(self.main - other.main, self.children - other.children, self.loop - other.loop)


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int, where: str = "/proc/{pid}/stat") -> tuple[int, float]:
    """(parent pid, CPU seconds) of a process, from /proc/<pid>/stat (or of its main thread)."""
    text = Path(where.format(pid=pid)).read_text()
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (comm) "
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICK


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, ValueError, IndexError):
                parents.setdefault(_stat(int(entry.name))[0], []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _serve_pid(root: int) -> int:
    """The `leadbot serve` process under ``root`` (itself, or py-spy's child when profiled)."""
    for pid in (root, *_descendants(root)):
        with contextlib.suppress(OSError):
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            if b"serve" in argv and any(a.endswith(b"leadbot") for a in argv) and not argv[0].endswith(b"py-spy"):
                return pid
    return root


def _cpu(pid: int) -> Cpu:
    """CPU so far of ``pid`` and its live descendants (readers are long-lived: none is reaped mid-run)."""
    children = 0.0
    for child in _descendants(pid):
        with contextlib.suppress(OSError, ValueError, IndexError):
            children += _stat(child)[1]
    return Cpu(_stat(pid)[1], children, _stat(pid, "/proc/{pid}/task/{pid}/stat")[1])


async def whole_path(
    clients: Clients,
    workdir: Path,
    warmup: list[bytes],
    messages: list[bytes],
    one_by_one: list[bytes],
    paced: list[bytes] = (),  # type: ignore[assignment]
    rate: float = 50.0,
    profile: Path | None = None,
    count: bool = False,
) -> Result:
    """SMTP → … → card posted, through `leadbot serve` started as a user starts it, in a process of its own.

    The fake Slack Web API runs here, in the bench's process: Slack is external, so its stand-in's CPU
    (parsing, checking and logging every call) is not charged to the service. The service's own CPU (and its
    reader processes') is read from /proc around the burst.

    First ``messages`` as one burst (throughput, and latency including the wait in the queue), then
    ``paced`` at ``rate`` per second, then ``one_by_one``, each sent once the previous one's card is out
    (latency on an idle service). ``profile``: run the service under ``py-spy record`` into that file; ``count``:
    count its statements, commits, rollbacks and aiosqlite hand-offs (`COUNTING_SERVE`).
    """
    from tests.fakes.slack_api import FakeSlackApi

    slack = FakeSlackApi()
    await slack.start()
    port = _free_port()
    command = [str(Path(sys.executable).with_name("leadbot")), "serve"]
    if profile is not None:
        spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
        # --gil: what holds the GIL (the loop's one core); idle threads waiting on a queue would count otherwise.
        # BENCH_PYSPY replaces these options (e.g. "--threads --nonblocking"), BENCH_PYSPY_RATE the sampling rate.
        options = os.environ.get("BENCH_PYSPY", "--gil --nonblocking").split()
        rate = os.environ.get("BENCH_PYSPY_RATE", "250")  # samples a second
        command = [spy, "record", *options, "--format", "raw", "--rate", rate, "-o", str(profile), "--", *command]
    env = _serve_env(slack.base_url, slack.bot_token, port, workdir / "leadbot.db")
    counts_file = workdir / "sql-counts.json" if count and profile is None else None
    if counts_file is not None:
        command = [sys.executable, "-c", COUNTING_SERVE, "serve"]
        env["BENCH_SQL_COUNTS"] = str(counts_file)
    started = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=workdir,
        stdout=asyncio.subprocess.DEVNULL, stderr=None if profile else asyncio.subprocess.DEVNULL,
    )
    pid = process.pid
    try:
        await _greeting(port, started + 120)
        startup = time.monotonic() - started
        pid = _serve_pid(process.pid)

        posted: dict[int, float] = {}
        scanned = 0

        def cards() -> dict[int, float]:
            # Called after every fake Slack call: scans only the calls it has not seen.
            nonlocal scanned
            calls = slack.calls
            for call in calls[scanned:]:
                if call.method == "chat.postMessage" and call.ok:
                    found = TOKEN.search(json.dumps(call.params, ensure_ascii=False))
                    if found:
                        posted.setdefault(int(found.group(1)), call.at)
            scanned = len(calls)
            return posted

        await clients.send(port, warmup)
        await slack.wait_for(lambda: len(cards()) >= len(warmup), timeout=120, what="the warm-up cards")
        before = set(cards())  # the warm-up's
        counts_before = await _settled_counts(counts_file)
        cpu_before = _cpu(pid)
        sent = await clients.send(port, messages)
        accepting_cpu = _cpu(pid) - cpu_before  # while the burst's 250s were being answered
        wanted = _accepted(sent) + len(before)
        try:
            await slack.wait_for(lambda: len(cards()) >= wanted, timeout=600, what="every card")
            note = ""
        except AssertionError as timed_out:
            note = str(timed_out)
        burst_cpu = _cpu(pid) - cpu_before
        burst_counts = _per_mail(counts_before, await _settled_counts(counts_file), len(messages))
        rss = _proc_mb(pid, "VmRSS"), _proc_mb(pid, "VmHWM")
        measured = {token: at for token, at in cards().items() if token not in before}

        paced_latencies: list[float] = []
        paced_cpu = None
        paced_counts: dict[str, float] = {}
        if paced:
            counts_before = await _settled_counts(counts_file)
            cpu_before = _cpu(pid)
            steady = await clients.send(port, paced, rate)
            paced_tokens = [_token_of(raw) for raw in paced]
            try:
                await slack.wait_for(
                    lambda: all(t in cards() for t in paced_tokens), timeout=120, what="the paced cards"
                )
            except AssertionError as timed_out:
                note = (note + f"; {timed_out}").lstrip("; ")
            paced_cpu = _cpu(pid) - cpu_before
            paced_counts = _per_mail(counts_before, await _settled_counts(counts_file), len(paced))
            for token, replied_at in zip(paced_tokens, steady.replied, strict=True):
                if replied_at is not None and token in posted:
                    paced_latencies.append((posted[token] - replied_at) * 1000)

        idle: list[float] = []
        for raw in one_by_one:
            token = _token_of(raw)
            single = await clients.send(port, [raw])
            await slack.wait_for(functools.partial(_has_card, cards, token), timeout=60, what=f"card k{token:06d}")
            replied = single.replied[0]
            if replied is not None:
                idle.append((posted[token] - replied) * 1000)
        # every mail one card, none twice (a repeat card would be a second postMessage carrying the token)
        per_token: dict[int, int] = {}
        for call in slack.calls:
            found = TOKEN.search(json.dumps(call.params, ensure_ascii=False))
            if call.method == "chat.postMessage" and call.ok and found:
                per_token[int(found.group(1))] = per_token.get(int(found.group(1)), 0) + 1
        expected = [_token_of(raw) for raw in (*warmup, *messages, *paced, *one_by_one)]
        lost = sum(1 for token in expected if token not in per_token)
        twice = sum(1 for count in per_token.values() if count > 1)
        note = (note + f"; cards lost {lost}, posted twice {twice}").lstrip("; ")
    finally:
        await _stop_service(process, pid)
        await slack.close()

    first = _token_of(messages[0])
    latencies = []
    for index, replied in enumerate(sent.replied):
        card = measured.get(first + index)
        if replied is not None and card is not None:
            latencies.append((card - replied) * 1000)
    last_card = max(measured.values(), default=sent.finished)
    if len(measured) < len(messages):
        note = (note + f"; only {len(measured)} of {len(messages)} emails became cards").lstrip("; ")
    smtp_rate = _accepted(sent) / (sent.finished - sent.started)
    note = f"its SMTP 250s came at {smtp_rate:.1f}/s" + (f"; {note}" if note else "")
    return Result(
        "(b)  `leadbot serve`, SMTP → card posted",
        len(measured),
        last_card - sent.started,
        note,
        tuple(latencies),
        tuple(idle),
        smtp_rate,
        tuple(paced_latencies),
        len(paced),
        startup=startup,
        rss_mb=rss[0],
        peak_mb=rss[1],
        cpu=burst_cpu,
        accepting_cpu=accepting_cpu,
        paced_cpu=paced_cpu,
        counts=burst_counts or None,
        paced_counts=paced_counts or None,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


async def _greeting(port: int, deadline: float) -> None:
    while True:
        try:
            reader, writer = await asyncio.open_connection(HOST, port)
        except OSError:
            if time.monotonic() > deadline:
                raise
            await asyncio.sleep(0.01)
            continue
        line = await reader.readline()
        writer.close()
        if line.startswith(b"220"):
            return
        raise RuntimeError(f"not a greeting: {line!r}")


def _proc_mb(pid: int, field: str) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _has_card(cards: Callable[[], dict[int, float]], token: int) -> bool:
    return token in cards()


def _token_of(raw: bytes) -> int:
    found = TOKEN.search(raw.decode("utf-8", "replace"))
    assert found, "every generated email carries its token"
    return int(found.group(1))


# ---- the command -----------------------------------------------------------------------------------------


def _median(results: Sequence[Result]) -> Result:
    return sorted(results, key=lambda r: r.rate)[len(results) // 2]


def _cpu_ms(runs: Sequence[Result]) -> float:
    """The median CPU per mail, in ms, of the server in ``runs`` ((a) and (a'): this process)."""
    cpu_ms = sorted(1000 * r.cpu.main / max(1, r.emails) for r in runs if r.cpu is not None)
    return cpu_ms[len(cpu_ms) // 2] if cpu_ms else float("nan")


def _percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _try(step: Callable[[], Awaitable[Result]]) -> Result | str:
    try:
        return await step()
    except ImportError as missing:
        return f"not measured: {type(missing).__name__}: {missing} (that part of Leadbot is not written yet)"


def _has_uvloop() -> bool:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=600, help="emails per measurement (default 600)")
    parser.add_argument("--connections", type=int, default=8, help="parallel SMTP connections (default 8)")
    parser.add_argument(
        "--loop",
        choices=("uvloop", "asyncio"),
        default="uvloop" if _has_uvloop() else "asyncio",
        help="event loop, for every measurement (default: uvloop if installed, as `leadbot serve` does)",
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs of (a) and (a'), the median is kept (default 3)")
    parser.add_argument("--rate", type=float, default=50.0, help="mails/s offered in the steady phase (default 50)")
    parser.add_argument("--paced-seconds", type=float, default=60.0, help="length of the steady phase (default 60)")
    parser.add_argument(
        "--profile", type=Path, default=None,
        help="run `leadbot serve` under `py-spy record --format raw` into this file (collapsed stacks)",
    )
    parser.add_argument(
        "--count-statements", action="store_true",
        help="count the service's SQL statements, commits, rollbacks and aiosqlite hand-offs per mail",
    )
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.loop == "uvloop":
        import uvloop

        uvloop.run(measure(args))
    else:
        asyncio.run(measure(args))


async def measure(args: argparse.Namespace) -> None:
    run = f"{time.time_ns():x}"
    warmup = generate(900_000, 6, run)
    messages = generate(0, args.messages, run)
    one_by_one = generate(800_000, 20, run)
    paced = generate(700_000, int(args.rate * args.paced_seconds), run)
    load_before = os.getloadavg()
    print(
        f"Leadbot intake bench: {len(messages)} emails ({', '.join(f.__name__ for f in FORMATS)}), "
        f"{args.connections} connections on {HOST}; Python {platform.python_version()}, "
        f"{multiprocessing.cpu_count()} CPUs, {args.loop} loop, SQLite; "
        f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}"
    )
    with tempfile.TemporaryDirectory(prefix="leadbot-bench-") as tmp:
        workdir = Path(tmp)
        async with Clients(args.connections) as clients:
            # alternated, so that the load of a shared machine weighs on both alike
            bares, edges = [], []
            for n in range(args.repeats):
                bares.append(await bare_aiosmtpd(clients, warmup, messages))
                edges.append(await listener_and_store(clients, workdir / f"edge-{n}.db", warmup, messages))
            full = await _try(lambda: whole_path(
                clients, workdir, warmup, messages, one_by_one, paced, args.rate, args.profile,
                args.count_statements,
            ))
            # one more bare run right after: the durable ratio's two rates then come from nearby minutes of a shared
            # machine's load
            bares.append(await bare_aiosmtpd(clients, warmup, messages))

    width = 52
    bare, edge = _median(bares), _median(edges)
    for result, runs in ((bare, bares), (edge, edges)):
        spread = ", ".join(f"{r.rate:.0f}" for r in runs)
        print(f"{result.label:<{width}} {result.rate:8.1f} emails/s  (median of {len(runs)}: {spread}; "
              f"server CPU {_cpu_ms(runs):.3f} ms per mail)")
    if isinstance(full, str):
        print(f"{'(b)  Leadbot, SMTP → card posted':<{width}} {full}")
        print(f"(a')/(a): {edge.rate / bare.rate:.3f}")
        return
    print(f"{full.label:<{width}} {full.rate:8.1f} emails/s  ({full.note})")
    for label, values in (
        ("     250 → card posted, in the burst", full.latencies),
        (f"     250 → card posted, {len(full.idle_latencies)} sent one by one", full.idle_latencies),
        (f"     250 → card posted, {args.rate:g}/s offered for {args.paced_seconds:g} s", full.paced_latencies),
    ):
        if values:
            print(
                f"{label:<{width}} p50 {_percentile(values, 0.5):7.1f} ms, p99 {_percentile(values, 0.99):7.1f} ms"
                f"  (min {min(values):.1f}, max {max(values):.1f})"
            )
    print(f"(b)/(a): {full.rate / bare.rate:.3f}    (a')/(a): {edge.rate / bare.rate:.3f}")
    cpu = full.cpu or Cpu(float("nan"), float("nan"))
    main_ms, readers_ms = cpu.main * 1000 / max(1, full.emails), cpu.children * 1000 / max(1, full.emails)
    loop_ms = cpu.loop * 1000 / max(1, full.emails)
    print(f"     CPU per mail in the burst: service process {main_ms:.2f} ms (its event loop's thread {loop_ms:.2f}), "
          f"its readers {readers_ms:.2f} ms (2 cores at 250 cards/s allow 8 ms in all)")
    accepting = full.accepting_cpu or Cpu(float("nan"), float("nan"))
    print(f"     of which while the burst was sent (to its last 250): service process "
          f"{accepting.main * 1000 / max(1, full.emails):.2f} ms (its event loop's thread "
          f"{accepting.loop * 1000 / max(1, full.emails):.2f}), its readers "
          f"{accepting.children * 1000 / max(1, full.emails):.2f} ms")
    steady = full.paced_cpu or Cpu(float("nan"), float("nan"))
    paced_ms = steady.main * 1000 / max(1, full.paced_sent)
    print(f"     CPU per mail at {args.rate:g}/s offered: service process {paced_ms:.2f} ms, its readers "
          f"{steady.children * 1000 / max(1, full.paced_sent):.2f} ms")
    print_counts(full)

    durable = full.accept_rate / bare.rate
    paced_p99 = _percentile(full.paced_latencies, 0.99) if full.paced_latencies else float("nan")
    load_after = os.getloadavg()
    print()
    print(f"{'figure (issue 11)':<58} {'measured':>22}   goal")
    rows = [
        (f"whole path, {len(messages)} mails / {args.connections} connections, SQLite", f"{full.rate:.1f} cards/s",
         ">= 250 cards/s"),
        (f"accept → card p99 at {args.rate:g}/s for {args.paced_seconds:g} s",
         f"{paced_p99:.0f} ms ({len(full.paced_latencies)}/{full.paced_sent} cards)", "<= 100 ms, every mail a card"),
        ("durable accept (250s during the whole path) / bare", f"{durable:.3f}", ">= 0.50"),
        ("durable accept, listener + store alone / bare", f"{edge.rate / bare.rate:.3f}", "(>= 0.50)"),
    ]
    rows += [
        ("start-up of `leadbot serve` to the SMTP 220 (fresh db)", f"{full.startup:.2f} s", "<= 2 s"),
        (f"RSS of `leadbot serve` after {len(messages) + len(warmup)} mails",
         f"{full.rss_mb:.0f} MB (peak {full.peak_mb:.0f})", "<= 250 MB after 50,000"),
    ]
    rows += [
        ("the same on PostgreSQL", "not measured here", ">= 200 cards/s"),
        ("claim acknowledgement, 20 clickers", "not measured here", "p99 <= 50 ms"),
    ]
    for figure, measured, goal in rows:
        print(f"{figure:<58} {measured:>22}   {goal}")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min), {load_after[1]:.2f} (5 min)")
    print(f"whole_path_cards_per_s={full.rate:.1f}")
    print(f"durable_accept_ratio={durable:.3f}")
    print(f"p99_accept_to_card_ms={paced_p99:.1f}")
    print(f"startup_to_220_s={full.startup:.2f}")
    print(f"rss_after_burst_mb={full.rss_mb:.0f}")
    print(f"edge_ratio={edge.rate / bare.rate:.3f}")
    print(f"bare_cpu_ms_per_mail={_cpu_ms(bares):.3f}")
    print(f"edge_cpu_ms_per_mail={_cpu_ms(edges):.3f}")
    print(f"service_cpu_ms_per_mail={main_ms:.2f}")
    print(f"readers_cpu_ms_per_mail={readers_ms:.2f}")
    print(f"service_cpu_ms_per_mail_paced={paced_ms:.2f}")
    for phase, counted in (("burst", full.counts), ("paced", full.paced_counts)):
        for key, value in (counted or {}).items():
            if not key.startswith("kind: "):
                print(f"{key}_per_mail_{phase}={value:.2f}")


if __name__ == "__main__":
    main()
