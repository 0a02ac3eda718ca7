"""Process scenarios about what clients send: hostile messages among normal traffic (``hostile``) and
hundreds of idle and slow-line connections (``crowd``)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import smtplib
import statistics
import threading
import time
from collections import Counter
from pathlib import Path

from bench.chaos.common import ChaosSlack, Result, Serve, burst, config, count, free_port, send, settle
from store.store import Store

#: a NOOP (or a normal sender's 250) slower than this is a stall every sender feels
NOOP_GOAL = 1.0


def hostile_mails() -> dict[str, bytes]:
    """Crafted mails that once stalled the reader (issue 12), each small enough to be accepted."""
    head = "From: Harbor View Listings <alerts@harborview-listings.example>\r\nTo: inbox@brightkey-homes.example\r\n"

    def plain(key: str, body: str, subject: str = "Buyer inquiry") -> bytes:
        return (f"{head}Subject: {subject}\r\nMessage-ID: <chaos-hostile-{key}@harborview-listings.example>\r\n"
                f"Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()

    words = "\r\n ".join("=?utf-8?b?" + base64.b64encode(b"Offer on the Birch Street house " * 2).decode() + "?="
                         for _ in range(11_000))
    return {
        "long-name": plain("long-name", "Name: " + "Annemarie " * 10_000 + "\r\nPhone: 617-555-0100"),
        "no-at": plain("no-at", "Message: " + "reach.me-at_the.office-" * 4_350 + "\r\nPhone: 617-555-0101"),
        "nul-entities": (f"{head}Subject: Buyer inquiry\r\nMessage-ID: <chaos-hostile-nul@harborview-listings.example>"
                         "\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Name: "
                         + "&#0;" * 40_000 + "</p></body></html>\r\n").encode(),
        "subject-1mb": plain("subject-1mb", "Name: Wilma Ostrander\r\nPhone: 617-555-0102", subject=words),
    }


class NoopProbe(threading.Thread):
    """A second SMTP client that sends NOOP every 50 ms and keeps each round trip's seconds."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.seconds: list[float] = []
        self.errors = 0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            try:
                with smtplib.SMTP("127.0.0.1", self.port, timeout=60) as client:
                    client.ehlo()
                    while not self.done.is_set():
                        began = time.monotonic()
                        client.noop()
                        self.seconds.append(time.monotonic() - began)
                        self.done.wait(0.05)
            except (OSError, smtplib.SMTPException):
                self.errors += 1
                self.done.wait(0.2)

    def summary(self) -> str:
        if not self.seconds:
            return "no NOOP answered"
        p99 = statistics.quantiles(self.seconds, n=100)[98] if len(self.seconds) > 1 else self.seconds[0]
        return f"NOOP max {max(self.seconds):.2f} s p99 {p99:.2f} s ({len(self.seconds)}, {self.errors} cut)"


async def _stored(store: Store, marker: bytes) -> Counter[str]:
    """Status -> how many stored messages carry ``marker`` in their bytes."""
    return Counter(m.status for m in await store.messages.recent(limit=100_000) if marker in m.raw)


async def _all_read(store: Store, marker: bytes, limit: float) -> None:
    """Until no stored message carrying ``marker`` is still waiting to be read (or ``limit`` s)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if not (await _stored(store, marker))["received"]:
            return
        await asyncio.sleep(0.25)


async def hostile(mails: int, folder: Path) -> Result:
    """Crafted mails sent among ``mails`` normal ones while a second client measures NOOP round trips."""
    url = f"sqlite+aiosqlite:///{folder / 'hostile.db'}"
    port = free_port()
    crafted = hostile_mails()
    async with ChaosSlack() as slack:
        serve = Serve(config(folder, "hostile", url, port, slack.base_url), port, folder / "hostile.log")
        serve.start()
        await serve.listening()
        probe = NoopProbe(port)
        probe.start()
        timings: list[float] = []
        store = Store.open(url)
        try:
            normal = asyncio.create_task(burst([port], "h", mails, senders=2, timings=timings))
            sent = await asyncio.gather(*(asyncio.to_thread(send, port, body, time.monotonic() + 120)
                                          for body in crafted.values()))
            accepted = await normal
            started = time.monotonic()
            await settle(store, slack, accepted, limit=180)
            await _all_read(store, b"chaos-hostile-", limit=180)
            drain = time.monotonic() - started
            probe.done.set()
            await asyncio.to_thread(probe.join)
            statuses = await _stored(store, b"chaos-hostile-")
            kept = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
            result = await count("hostile", store, slack, accepted, drain,
                                 f"({probe.summary()}; slowest 250 {max(timings, default=0):.2f} s; crafted "
                                 f"{sum(sent)}/{len(sent)} accepted, stored: {kept or 'none'})")
        finally:
            probe.done.set()
            await serve.stop()
            await store.close()
    missed = []
    if not probe.seconds or max(probe.seconds) >= NOOP_GOAL:
        missed.append(f"NOOP round trip over {NOOP_GOAL:.0f} s")
    if sum(statuses.values()) < sum(sent):
        missed.append("a crafted mail answered 250 but not stored")
    result.failed = "; ".join(missed)
    return result


# ---- idle and slow-line clients ---------------------------------------------------------------------------


async def _idle(port: int, address: str, hold: asyncio.Event, refused: Counter[str]) -> None:
    """Connect from ``address``, read the greeting, then say nothing until ``hold`` is set."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0))
    except OSError:
        refused["connect"] += 1
        return
    try:
        greeting = await reader.readline()
        if not greeting.startswith(b"220"):
            refused[greeting[:3].decode(errors="replace") or "closed"] += 1
            return
        await hold.wait()
    finally:
        writer.close()


async def _slow_lines(port: int, address: str, hold: asyncio.Event, limit: int, sent: Counter[str]) -> None:
    """Start a mail from ``address`` and stream 3-byte lines into its DATA, 3 KB every 50 ms, until
    ``hold`` is set or ``limit`` bytes are out; then end it (the listener may refuse it as too big)."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(address, 0))
    except OSError:
        sent["refused"] += 1
        return
    try:
        await reader.readline()
        commands = (b"EHLO slow.example", b"MAIL FROM:<slow@slow.example>",
                    b"RCPT TO:<inbox@brightkey-homes.example>", b"DATA")
        for command in commands:
            writer.write(command + b"\r\n")
            while (line := await reader.readline())[3:4] == b"-":
                pass
            if line[:1] not in (b"2", b"3"):
                sent["refused"] += 1
                return
        out = 0
        while not hold.is_set() and out < limit:
            writer.write(b"x\r\n" * 1024)
            await writer.drain()
            out += 3072
            await asyncio.sleep(0.05)
        writer.write(b".\r\n")
        await writer.drain()
        reply = await asyncio.wait_for(reader.readline(), 30)
        sent[reply[:3].decode(errors="replace") or "closed"] += 1
        sent["bytes"] += out
    except (OSError, TimeoutError):
        sent["cut"] += 1
    finally:
        writer.close()


async def crowd(mails: int, folder: Path, *, idle: int = 300, slow: int = 20, seconds: float = 30.0) -> Result:
    """``idle`` connections that never speak (10 per loopback address, the per-client cap) and ``slow`` clients
    streaming 3-byte lines, for ``seconds``, while normal senders deliver ``mails`` mails from 127.0.0.1."""
    url = f"sqlite+aiosqlite:///{folder / 'crowd.db'}"
    port = free_port()
    limit = 1024 * 1024
    # room for everyone: with the default 200 the surplus is answered 421 (tested in tests/intake)
    smtp = f"max_message_bytes = {limit}\nmax_connections = {idle + slow + 100}"
    async with ChaosSlack() as slack:
        serve = Serve(config(folder, "crowd", url, port, slack.base_url, smtp=smtp), port, folder / "crowd.log")
        serve.start()
        await serve.listening()
        await asyncio.sleep(1.0)
        baseline = peak = serve.rss_mib()
        hold = asyncio.Event()
        refused: Counter[str] = Counter()
        streamed: Counter[str] = Counter()
        crowd = [asyncio.create_task(_idle(port, f"127.0.1.{1 + i // 10}", hold, refused)) for i in range(idle)]
        # one address opening more than its share: the surplus is refused, nobody else is
        crowd += [asyncio.create_task(_idle(port, "127.0.2.1", hold, refused)) for _ in range(15)]
        crowd += [asyncio.create_task(_slow_lines(port, f"127.0.3.{1 + i}", hold, 2 * limit, streamed))
                  for i in range(slow)]
        timings: list[float] = []
        store = Store.open(url)
        try:
            await asyncio.sleep(2.0)  # the crowd is in
            sending = asyncio.create_task(burst([port], "c", mails, senders=2, timings=timings))
            ends = time.monotonic() + seconds
            while time.monotonic() < ends or not sending.done():
                peak = max(peak, serve.rss_mib())
                await asyncio.sleep(0.25)
            accepted = await sending
            hold.set()
            await asyncio.gather(*crowd)
            started = time.monotonic()
            await settle(store, slack, accepted, limit=180)
            drain = time.monotonic() - started
            streams = ", ".join(f"{code}×{n}" for code, n in sorted(streamed.items()) if code != "bytes")
            result = await count("crowd", store, slack, accepted, drain,
                                 f"({idle + 15} idle, {sum(refused.values())} refused; {slow} slow-line "
                                 f"{streamed['bytes'] / 2**20:.1f} MiB, ended {streams}; slowest 250 "
                                 f"{max(timings, default=0):.2f} s; RSS {baseline:.0f} -> peak {peak:.0f} MiB)")
        finally:
            hold.set()
            for task in crowd:
                task.cancel()
            with contextlib.suppress(Exception):
                await asyncio.gather(*crowd, return_exceptions=True)
            await serve.stop()
            await store.close()
    missed = []
    if peak - baseline > 256:
        missed.append(f"RSS grew {peak - baseline:.0f} MiB")
    if len(accepted) < mails:
        missed.append(f"{mails - len(accepted)} normal mails never got 250")
    result.failed = "; ".join(missed)
    return result
