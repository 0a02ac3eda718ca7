"""What every chaos scenario shares: the result line, the fault-injecting Slack, `leadbot serve` processes,
an MTA-like sender, a throwaway PostgreSQL cluster, and the tally of leads and cards."""

from __future__ import annotations

import asyncio
import contextlib
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
from pathlib import Path

from bot.slack.standin import SlackStandIn
from bot.slack.standin.server import _Failure
from store.store import Store

BOT_TOKEN = "xoxb-chaos-bot-token"
APP_TOKEN = "xapp-1-chaos-app-token"
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
    #: a goal of the scenario other than loss and duplication that was missed (NOOP latency, stop time …)
    failed: str = ""

    def line(self) -> str:
        missed = f"  MISSED: {self.failed}" if self.failed else ""
        return (f"{self.name:<14} accepted {self.accepted:>4}  leads {self.leads:>4}  cards {self.cards:>4}  "
                f"lost {self.lost:>3}  duplicated {self.duplicated:>3}  drain {self.drain:>8.1f} s  "
                f"{self.note}{missed}")

    @property
    def ok(self) -> bool:
        return not (self.lost or self.duplicated or self.failed)


# ---- the fault-injecting Slack ----------------------------------------------------------------------


class ChaosSlack(SlackStandIn):
    """The stand-in with a fault plan: ``fault(method, call_number)`` gives a failure or None.

    ``socket_url`` replaces the Socket Mode URL that apps.connections.open hands out (a closed port: Socket
    Mode unreachable while the Web API answers).
    """

    def __init__(self, *, port: int = 0) -> None:
        super().__init__(bot_token=BOT_TOKEN, port=port)
        self.fault: Callable[[str, int], _Failure | None] = lambda method, n: None
        self.socket_url: str | None = None
        self._numbers: Counter[str] = Counter()

    def _take_failure(self, method: str) -> _Failure | None:
        self._numbers[method] += 1
        return self.fault(method, self._numbers[method]) or super()._take_failure(method)

    def _m_apps_connections_open(self, params: dict[str, object]) -> dict[str, object] | str:
        return {"url": self.socket_url} if self.socket_url else super()._m_apps_connections_open(params)

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


# ---- `leadbot serve` processes -------------------------------------------------------------------------


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


def config(folder: Path, name: str, store_url: str, smtp_port: int, slack_url: str, *, socket_mode: bool = False,
           smtp: str = "", sections: str = "") -> Path:
    """A config file for one `leadbot serve`; ``smtp`` adds lines to [smtp], ``sections`` adds tables."""
    path = folder / f"{name}.toml"
    mode = f'mode = "socket"\napp_token = "{APP_TOKEN}"' if socket_mode else (
        f'mode = "http"\nsigning_secret = "chaos-secret"\nhttp_port = {free_port()}')
    path.write_text(f"""
log_level = "{os.environ.get("CHAOS_LOG_LEVEL", "WARNING")}"
[smtp]
port = {smtp_port}
{smtp}
[store]
url = "{store_url}"
[slack]
{mode}
bot_token = "{BOT_TOKEN}"
api_base_url = "{slack_url}"
post_interval_seconds = 0
[slack.channels]
sales = "{SALES}"
nurture = "{NURTURE}"
alerts = "{ALERTS}"
{sections}
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

    async def listening(self, limit: float = 90) -> None:
        async with asyncio.timeout(limit):
            while True:
                if self.proc is not None and self.proc.poll() is not None:
                    raise RuntimeError(f"leadbot serve exited {self.proc.returncode}; see {self.log}")
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

    async def stop(self, limit: float = 30) -> float:
        """SIGTERM and wait (SIGKILL after ``limit`` s); returns the seconds it took to exit.

        The wait runs in a thread: the stand-in lives on this event loop and must keep answering (a
        Socket Mode close handshake, a last post) while the service shuts down."""
        started = time.monotonic()
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.to_thread(self.proc.wait, limit)
            except subprocess.TimeoutExpired:
                self.kill()
        return time.monotonic() - started

    def rss_mib(self) -> float:
        """The process's resident memory now (MiB), 0 when it is not running."""
        if self.proc is None or self.proc.poll() is not None:
            return 0.0
        try:
            status = Path(f"/proc/{self.proc.pid}/status").read_text()
        except OSError:
            return 0.0
        kib = next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        return kib / 1024


def send(port: int, body: bytes, give_up_at: float, refusals: Counter[int] | None = None) -> bool:
    """Deliver one mail as an MTA would: refused or cut off, try again until ``give_up_at``.

    Every refusal's reply code is counted in ``refusals`` (0: the connection failed or was cut)."""
    while time.monotonic() < give_up_at:
        try:
            with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
                client.ehlo()
                client.mail("alerts@harborview-listings.example")
                client.rcpt("inbox@brightkey-homes.example")
                code, _ = client.data(body)
                if code == 250:
                    return True
                if refusals is not None:  # smtplib returns the reply after the data, whatever it is
                    refusals[code] += 1
        except smtplib.SMTPResponseException as exc:
            if refusals is not None:
                refusals[exc.smtp_code] += 1
        except (OSError, smtplib.SMTPException):
            if refusals is not None:
                refusals[0] += 1
        time.sleep(0.2)
    return False


async def burst(ports: list[int], run: str, count: int, senders: int = 4, *, first: int = 0,
                refusals: Counter[int] | None = None, timings: list[float] | None = None) -> set[int]:
    """Mails ``first`` … ``first + count - 1`` of ``run``, from ``senders`` clients; the indexes accepted.

    ``timings`` gets the seconds each accepted mail took, from its first try to its 250."""
    accepted: set[int] = set()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(first, first + count):
        queue.put_nowait(i)

    async def sender() -> None:
        while not queue.empty():
            i = queue.get_nowait()
            port = ports[i % len(ports)]
            began = time.monotonic()
            if await asyncio.to_thread(send, port, mail(run, i), began + 120, refusals):
                accepted.add(i)
                if timings is not None:
                    timings.append(time.monotonic() - began)
    await asyncio.gather(*(sender() for _ in range(senders)))
    return accepted


# ---- the tally ------------------------------------------------------------------------------------------


async def _tally(store: Store, slack: ChaosSlack) -> tuple[Counter[int], set[int], Counter[int], int]:
    """Leads per mail index, the leads that should have a card, cards per lead, and all leads."""
    leads = await store.leads.recent(limit=100_000)
    by_mail: Counter[int] = Counter()
    for lead in leads:
        email = str(lead.fields.get("email", ""))
        if email.endswith("@mailbox.example"):
            by_mail[int(email.split("@")[0].split(".")[-1])] += 1
    carded = {lead.id for lead in leads if lead.grade in ("A", "B")}
    return by_mail, carded, slack.card_counts(), len(leads)


async def settle(store: Store, slack: ChaosSlack, accepted: set[int], limit: float) -> float:
    """Wait until every accepted mail is a lead and every cardable lead has a card (or ``limit`` s);
    returns the seconds taken."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        try:
            by_mail, carded, counts, _ = await _tally(store, slack)
        except OSError:  # the database itself may be coming back
            await asyncio.sleep(0.5)
            continue
        if all(by_mail[i] for i in accepted) and all(counts[lead_id] for lead_id in carded):
            await asyncio.sleep(1.0)  # a wrongly repeated post gets every chance to show itself
            break
        await asyncio.sleep(0.25)
    return time.monotonic() - started


async def count(name: str, store: Store, slack: ChaosSlack, accepted: set[int], drain: float, note: str) -> Result:
    by_mail, carded, counts, leads = await _tally(store, slack)
    lost = sum(1 for i in accepted if by_mail[i] == 0) + sum(1 for lead_id in carded if counts[lead_id] == 0)
    duplicated = sum(n - 1 for n in by_mail.values() if n > 1) + sum(n - 1 for n in counts.values() if n > 1)
    return Result(name, len(accepted), leads, sum(counts.values()), lost, duplicated, drain, note)


# ---- a throwaway PostgreSQL ---------------------------------------------------------------------------


def pg_ctl() -> Path | None:
    """The folder of PostgreSQL's server programs, or None when it is not installed."""
    found = shutil.which("pg_ctl") or next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"),
                                                        reverse=True)), None)
    return Path(found).resolve().parent if found else None


class Postgres:
    """A throwaway cluster in a temporary folder: trust auth, loopback only, no fsync; stoppable and
    startable again on the same port (``stop()``, ``start()``)."""

    def __init__(self) -> None:
        found = pg_ctl()
        if found is None:
            raise SystemExit("PostgreSQL is not installed: this scenario needs pg_ctl")
        self.bin = found
        self.dir = Path(tempfile.mkdtemp(prefix="chaos-pg-"))
        self.data = str(self.dir / "data")
        self.port = free_port()
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")

    def _pg(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._pg("pg_ctl", "-D", self.data, "-o", options, "-l", str(self.dir / "log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._pg("pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")

    def __enter__(self) -> str:
        self._pg("initdb", "-D", self.data, "-A", "trust", "-U", "postgres", "--no-sync")
        self.start()
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/postgres"

    def __exit__(self, *_: object) -> None:
        try:
            with contextlib.suppress(subprocess.CalledProcessError):  # a scenario may have left it stopped
                self.stop("immediate")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)
