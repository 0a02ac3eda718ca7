"""Chaos suite (issue 12): faults we cause must not cost a lead, nor show a card twice.

    .venv/bin/python bench/chaos.py [--scenario NAME ...] [--mails N] [--cards N] [--quick]

Scenarios (everything on 127.0.0.1; Slack is the stand-in, bot/slack/standin):

sigkill        `leadbot serve` (SQLite) SIGKILLed three times during a burst of mail, restarted each time;
               the sender retries what was refused, as an MTA does. Then every accepted mail must be one
               lead and every cardable lead one card.
outage         Slack unreachable (503 on every post) for two hours of an injected clock; cards queued
               before and during it must all appear once afterwards (the backoff cap is the real 300 s).
flaky          Slack answering 429 with Retry-After, then 500/503 for every other call, for a minute of
               the injected clock: every card once.
two-instances  two `leadbot serve` on one throwaway PostgreSQL cluster, the mail split across them: each
               lead one card (the schema is created by `leadbot migrate` first; concurrent migration is
               not this suite's subject).

Per scenario it prints: accepted, leads, cards, lost, duplicated, and the time to drain (wall seconds
after the last fault for the process scenarios; seconds of the injected clock after the fault ended for
the others). Exits 1 if any scenario lost or duplicated anything.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import logging
import os
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.poster import SlackCardPoster
from bot.slack.standin import SlackStandIn
from bot.slack.standin.server import _Failure
from bot.workers.outbox import OutboxWorker
from store.records import NewLead
from store.store import Store

BOT_TOKEN = "xoxb-chaos-bot-token"
SALES, NURTURE, ALERTS = "C0CHAOSSALES", "C0CHAOSNURT", "C0CHAOSALERT"
FIRST = ("Maren", "Tobias", "Ilse", "Rafael", "Greta", "Anselm", "Noor", "Linus", "Petra", "Oskar")
LAST = ("Lindqvist", "Okafor", "Brandt", "Quintero", "Halvorsen", "Mbeki", "Castell", "Ferraro", "Novak", "Aalto")


@dataclass
class Result:
    name: str
    accepted: int
    leads: int
    cards: int
    lost: int
    duplicated: int
    drain: float
    note: str = ""

    def line(self) -> str:
        return (f"{self.name:<14} accepted {self.accepted:>4}  leads {self.leads:>4}  cards {self.cards:>4}  "
                f"lost {self.lost:>3}  duplicated {self.duplicated:>3}  drain {self.drain:>8.1f} s  {self.note}")


# ---- the fault-injecting Slack ----------------------------------------------------------------------


class ChaosSlack(SlackStandIn):
    """The stand-in with a fault plan: ``fault(method, call_number)`` gives a failure or None."""

    def __init__(self) -> None:
        super().__init__(bot_token=BOT_TOKEN)
        self.fault: Callable[[str, int], _Failure | None] = lambda method, n: None
        self._numbers: Counter[str] = Counter()

    def _take_failure(self, method: str) -> _Failure | None:
        self._numbers[method] += 1
        return self.fault(method, self._numbers[method]) or super()._take_failure(method)

    def card_counts(self) -> Counter[int]:
        """Lead id -> how many cards of it are in the channels (read from the Claim button's value)."""
        counts: Counter[int] = Counter()
        for channel in (SALES, NURTURE):
            for message in self.channel_messages(channel):
                for block in message.blocks:
                    for element in block.get("elements", []) if block.get("type") == "actions" else []:
                        if element.get("action_id") == "claim":
                            counts[int(element["value"])] += 1
        return counts


def failing(status: int, retry_after: float | None = None) -> _Failure:
    return _Failure("chat.postMessage", 1, status, "ratelimited" if status == 429 else "", retry_after)


# ---- in-process scenarios (injected clock) -------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 9, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += timedelta(seconds=max(seconds, 0.001))
        await asyncio.sleep(0)


def new_lead(i: int, channel: str) -> NewLead:
    name = f"{FIRST[i % 10]} {LAST[(i // 10) % 10]}"
    email = f"{name.lower().replace(' ', '.')}.{i}@mailbox.example"
    return NewLead(vendor="Chaos", channel="smtp", fields={"full_name": name, "email": email}, provenance={},
                   score=80, grade="A", reasons=[], post_to=channel, contact_email=email)


def make_worker(store: Store, slack: ChaosSlack, clock: Clock, **options: Any) -> OutboxWorker:
    poster = SlackCardPoster(AsyncWebClient(token=BOT_TOKEN, base_url=slack.base_url))
    known = inspect.signature(OutboxWorker).parameters  # the suite also measures older workers
    extra = {k: v for k, v in {"alerts": ALERTS, **options}.items() if k in known}
    return OutboxWorker(store, poster, clock=clock, sleep=clock.sleep, min_interval=1.0, **extra)


async def in_process(name: str, cards: int, plan: Callable[[Clock, datetime], Callable[[str, int], _Failure | None]],
                     fault_seconds: float, folder: Path) -> Result:
    clock = Clock()
    start = clock.now
    store = Store.open(f"sqlite+aiosqlite:///{folder / (name + '.db')}", clock=clock)
    await store.migrate()
    try:
        async with ChaosSlack() as slack:
            slack.fault = plan(clock, start)
            worker = make_worker(store, slack, clock)
            leads = [await store.leads.add(new_lead(i, SALES if i % 2 else NURTURE)) for i in range(cards // 2)]
            await worker.drain(timeout=fault_seconds / 2)  # half the cards arrive during the fault
            leads += [await store.leads.add(new_lead(i, SALES if i % 2 else NURTURE)) for i in range(cards // 2, cards)]
            await worker.drain(timeout=fault_seconds * 2 + 3600)
            drained = (clock.now - start).total_seconds() - fault_seconds
            counts = slack.card_counts()
            lost = sum(1 for lead in leads if counts[lead.id] == 0)
            duplicated = sum(n - 1 for n in counts.values() if n > 1)
            dead = len(await store.outbox.dead()) if hasattr(store.outbox, "dead") else 0
            calls = len(slack.calls("chat.postMessage"))
            return Result(name, len(leads), len(leads), sum(counts.values()), lost, duplicated, max(drained, 0.0),
                          f"(injected clock; {calls} post calls, {dead} dead)")
    finally:
        await store.close()


def outage_plan(hours: float) -> Callable[[Clock, datetime], Callable[[str, int], _Failure | None]]:
    def plan(clock: Clock, start: datetime) -> Callable[[str, int], _Failure | None]:
        end = start + timedelta(hours=hours)
        return lambda method, n: failing(503) if method == "chat.postMessage" and clock.now < end else None
    return plan


def flaky_plan(clock: Clock, start: datetime) -> Callable[[str, int], _Failure | None]:
    end = start + timedelta(minutes=1)

    def fault(method: str, n: int) -> _Failure | None:
        if method != "chat.postMessage" or clock.now >= end:
            return None
        if n <= 3:
            return failing(429, retry_after=5)
        return failing(500 if n % 4 == 0 else 503) if n % 2 == 0 else None
    return fault


# ---- process scenarios --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mail(run: str, i: int) -> bytes:
    first, last = FIRST[i % 10], LAST[(i // 10) % 10]
    return f"""\
From: Harbor View Listings <alerts@harborview-listings.example>
To: inbox@brightkey-homes.example
Subject: Buyer inquiry {i} for 14 Birch Street
Message-ID: <chaos-{run}-{i}@harborview-listings.example>
Content-Type: text/plain; charset=utf-8

Name: {first} {last}
Email: {first.lower()}.{last.lower()}.{i}@mailbox.example
Phone: 617-555-{1000 + i}
Property: {i + 1} Birch Street, Newton, MA 02458
Message: Looking to buy this spring; please call me about a viewing, evenings are best.
""".encode()


def config(folder: Path, name: str, store_url: str, smtp_port: int, slack: SlackStandIn) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(f"""
log_level = "WARNING"
[smtp]
port = {smtp_port}
[store]
url = "{store_url}"
[slack]
mode = "http"
bot_token = "{BOT_TOKEN}"
signing_secret = "chaos-secret"
api_base_url = "{slack.base_url}"
http_port = {free_port()}
post_interval_seconds = 0
[slack.channels]
sales = "{SALES}"
nurture = "{NURTURE}"
alerts = "{ALERTS}"
""")
    return path


class Serve:
    """One `leadbot serve` process, restartable."""

    def __init__(self, cfg: Path, port: int, log: Path) -> None:
        self.cfg, self.port, self.log = cfg, port, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        leadbot = Path(sys.executable).with_name("leadbot")
        with self.log.open("ab") as sink:
            self.proc = subprocess.Popen([str(leadbot), "--config", str(self.cfg), "serve"], stdout=sink,
                                         stderr=sink, env={**os.environ, "PYTHONUNBUFFERED": "1"})

    async def listening(self) -> None:
        async with asyncio.timeout(90):
            while True:
                try:
                    _, writer = await asyncio.open_connection("127.0.0.1", self.port)
                except OSError:
                    await asyncio.sleep(0.1)
                    continue
                writer.close()
                return

    def kill(self) -> None:
        if self.proc is not None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


def send(port: int, body: bytes, give_up_at: float) -> bool:
    """Deliver one mail as an MTA would: refused or cut off, try again until ``give_up_at``."""
    while time.monotonic() < give_up_at:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
                client.ehlo()
                client.mail("alerts@harborview-listings.example")
                client.rcpt("inbox@brightkey-homes.example")
                code, _ = client.data(body)
                if code == 250:
                    return True
        except (OSError, smtplib.SMTPException):
            pass
        time.sleep(0.2)
    return False


async def burst(ports: list[int], run: str, count: int, senders: int = 4) -> set[int]:
    accepted: set[int] = set()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(count):
        queue.put_nowait(i)

    async def sender() -> None:
        while not queue.empty():
            i = queue.get_nowait()
            port = ports[i % len(ports)]
            if await asyncio.to_thread(send, port, mail(run, i), time.monotonic() + 120):
                accepted.add(i)
    await asyncio.gather(*(sender() for _ in range(senders)))
    return accepted


async def settle(stores: Store, slack: ChaosSlack, accepted: set[int], limit: float) -> float:
    """Wait until every accepted mail is a lead with a card (or ``limit`` s); returns the seconds taken."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        leads = await stores.leads.recent(limit=100_000)
        if len(leads) >= len(accepted) and len(slack.card_counts()) >= len(leads):
            await asyncio.sleep(1.0)  # a wrongly repeated post gets every chance to show itself
            break
        await asyncio.sleep(0.25)
    return time.monotonic() - started


async def count(name: str, store: Store, slack: ChaosSlack, run: str, accepted: set[int], drain: float,
                note: str) -> Result:
    leads = await store.leads.recent(limit=100_000)
    by_mail = Counter(int(str(lead.fields.get("email", "")).split(".")[-2].split("@")[0]) for lead in leads
                      if lead.fields.get("email"))
    counts = slack.card_counts()
    carded = {lead.id for lead in leads if lead.grade in ("A", "B")}
    lost = sum(1 for i in accepted if by_mail[i] == 0) + sum(1 for lead_id in carded if counts[lead_id] == 0)
    duplicated = sum(n - 1 for n in by_mail.values() if n > 1) + sum(n - 1 for n in counts.values() if n > 1)
    return Result(name, len(accepted), len(leads), sum(counts.values()), lost, duplicated, drain, note)


async def sigkill(mails: int, folder: Path) -> Result:
    url = f"sqlite+aiosqlite:///{folder / 'sigkill.db'}"
    port = free_port()
    async with ChaosSlack() as slack:
        serve = Serve(config(folder, "sigkill", url, port, slack), port, folder / "sigkill.log")
        serve.start()
        await serve.listening()
        sending = asyncio.create_task(burst([port], "k", mails))
        kills = 0
        for _ in range(3):
            await asyncio.sleep(1.5)
            serve.kill()
            kills += 1
            serve.start()
            await serve.listening()
        accepted = await sending
        fault_over = time.monotonic()
        store = Store.open(url)
        try:
            await settle(store, slack, accepted, limit=180)
            drain = time.monotonic() - fault_over
            serve.stop()
            return await count("sigkill", store, slack, "k", accepted, drain, f"({kills} SIGKILLs)")
        finally:
            serve.stop()
            await store.close()


class Postgres:
    """A throwaway cluster in a temporary folder: trust auth, loopback only, no fsync."""

    def __init__(self) -> None:
        found = shutil.which("pg_ctl") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                                                            reverse=True)), None)
        if found is None:
            raise SystemExit("PostgreSQL is not installed: the two-instances scenario needs pg_ctl")
        self.bin = Path(found).resolve().parent
        self.dir = Path(tempfile.mkdtemp(prefix="chaos-pg-"))
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    def _pg(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def __enter__(self) -> str:
        data = str(self.dir / "data")
        self._pg("initdb", "-D", data, "-A", "trust", "-U", "postgres", "--no-sync")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg("pg_ctl", "-D", data, "-o", options, "-l", str(self.dir / "log"), "-w", "start")
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def __exit__(self, *_: object) -> None:
        try:
            self._pg("pg_ctl", "-D", str(self.dir / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


async def two_instances(mails: int, folder: Path) -> Result:
    with Postgres() as url:
        leadbot = Path(sys.executable).with_name("leadbot")
        async with ChaosSlack() as slack:
            ports = [free_port(), free_port()]
            serves = [Serve(config(folder, f"pg{i}", url, port, slack), port, folder / f"pg{i}.log")
                      for i, port in enumerate(ports)]
            migrate = [str(leadbot), "--config", str(serves[0].cfg), "migrate"]
            await asyncio.to_thread(subprocess.run, migrate, check=True, capture_output=True)
            for serve in serves:
                serve.start()
            for serve in serves:
                await serve.listening()
            started = time.monotonic()
            accepted = await burst(ports, "p", mails)
            store = Store.open(url)
            try:
                await settle(store, slack, accepted, limit=180)
                drain = time.monotonic() - started
                for serve in serves:
                    serve.stop()
                calls = len(slack.calls("chat.postMessage"))
                return await count("two-instances", store, slack, "p", accepted, drain,
                                   f"(wall, from first mail; {calls} post calls)")
            finally:
                for serve in serves:
                    serve.stop()
                await store.close()


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    names = ["sigkill", "outage", "flaky", "two-instances"]
    parser.add_argument("--scenario", action="append", choices=names, help="run only these (repeatable)")
    parser.add_argument("--mails", type=int, default=300, help="mails per process scenario")
    parser.add_argument("--cards", type=int, default=200, help="cards per in-process scenario")
    parser.add_argument("--outage-hours", type=float, default=2.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)  # the faults are the point: their warnings are noise here
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="chaos-") as tmp:
        folder = Path(tmp)
        for name in args.scenario or names:
            if name == "sigkill":
                result = await sigkill(args.mails, folder)
            elif name == "outage":
                hours = args.outage_hours
                result = await in_process("outage", args.cards, outage_plan(hours), hours * 3600, folder)
            elif name == "flaky":
                result = await in_process("flaky", args.cards, flaky_plan, 60, folder)
            else:
                result = await two_instances(args.mails, folder)
            print(result.line(), flush=True)
            results.append(result)
    bad = [r.name for r in results if r.lost or r.duplicated]
    print("FAILED: " + ", ".join(bad) if bad else "all scenarios: 0 lost, 0 duplicated")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
