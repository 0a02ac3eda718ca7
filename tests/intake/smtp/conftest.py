"""A real SMTP listener on a free loopback port, storing into a real SQLite file, driven by smtplib.

smtplib blocks, so every client runs in a thread (`asyncio.to_thread`) while the listener answers on the
test's own event loop, as it does in the service.
"""

from __future__ import annotations

import asyncio
import contextlib
import smtplib
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from bot.intake.smtp import Accept, SmtpListener
from bot.settings import SmtpSettings
from parsers.envelope import dedup_key, subject_of
from parsers.lead import RawMessage
from store.records import AcceptedMessage
from store.store import Store

LEADS = "leads@acme.test"
VENDOR = "portal@vendor.example"


@pytest.fixture
def smtp_store(sqlite_store: Store) -> Store:
    """The suite's migrated SQLite store (tests/conftest.py), under the name these tests use."""
    return sqlite_store


@dataclass
class Recorder:
    """The accept callable the service uses (`IntakePipeline.accept` without the processing queue).

    ``before`` runs first and may raise (a failing database) or wait (a slow one).
    """

    store: Store
    before: Callable[[RawMessage], Awaitable[None]] | None = None
    seen: list[RawMessage] = field(default_factory=list)

    async def __call__(self, message: RawMessage) -> AcceptedMessage:
        self.seen.append(message)
        if self.before is not None:
            await self.before(message)
        return await self.store.messages.accept(message, dedup_key=dedup_key(message), subject=subject_of(message))


@pytest.fixture
def recorder(smtp_store: Store) -> Recorder:
    return Recorder(smtp_store)


StartListener = Callable[..., Awaitable[SmtpListener]]


@pytest.fixture
async def start_listener(recorder: Recorder) -> AsyncIterator[StartListener]:
    """Start a listener on 127.0.0.1, port 0; stopped after the test."""
    started: list[SmtpListener] = []

    async def start(accept: Accept | None = None, **options: Any) -> SmtpListener:
        listener_options = {k: options.pop(k) for k in ("shutdown_grace",) if k in options}
        settings = SmtpSettings(host="127.0.0.1", port=0, **options)
        listener = SmtpListener(settings, accept or recorder, hostname="mx.acme.test", **listener_options)
        await listener.start()
        started.append(listener)
        return listener

    yield start
    for listener in started:
        await listener.stop()


@dataclass
class Dialogue:
    """The server's replies to one transaction: (code, text) for MAIL, each RCPT, and DATA."""

    mail: tuple[int, str]
    rcpts: list[tuple[int, str]] = field(default_factory=list)
    data: tuple[int, str] | None = None


def _reply(code: int, text: bytes | str) -> tuple[int, str]:
    return code, text.decode("utf-8", "replace") if isinstance(text, bytes) else text


def transaction(
    client: smtplib.SMTP,
    raw: bytes,
    *,
    sender: str = VENDOR,
    recipients: Sequence[str] = (LEADS,),
    mail_options: Sequence[str] = (),
) -> Dialogue:
    """MAIL, RCPT…, DATA on a connection past EHLO, recording every reply (never raising on a refusal)."""
    dialogue = Dialogue(mail=_reply(*client.mail(sender, list(mail_options))))
    if dialogue.mail[0] != 250:
        client.rset()
        return dialogue
    dialogue.rcpts = [_reply(*client.rcpt(r)) for r in recipients]
    try:
        dialogue.data = _reply(*client.data(raw))
    except smtplib.SMTPDataError as refused:  # DATA itself refused: no 354
        dialogue.data = _reply(refused.smtp_code, refused.smtp_error)
        client.rset()
    return dialogue


def send(port: int, raw: bytes, **kwargs: Any) -> Dialogue:
    """One connection, one transaction (blocking: call it with asyncio.to_thread)."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("vendor.example")
        return transaction(client, raw, **kwargs)


async def asend(port: int, raw: bytes, **kwargs: Any) -> Dialogue:
    return await asyncio.to_thread(send, port, raw, **kwargs)


class RawClient:
    """A hand-driven SMTP client, for what smtplib will not do (hang up mid-DATA, stall, send bad bytes)."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def connect(cls, port: int) -> RawClient:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        client = cls(reader, writer)
        greeting = await client.reply()
        assert greeting.startswith(b"220"), greeting
        return client

    async def reply(self) -> bytes:
        """One whole reply, multi-line replies joined (b"" if the server hung up)."""
        lines = []
        while True:
            line = await asyncio.wait_for(self.reader.readline(), 5)
            lines.append(line)
            if len(line) < 4 or line[3:4] != b"-":
                return b"".join(lines)

    async def command(self, line: bytes) -> bytes:
        self.writer.write(line + b"\r\n")
        await self.writer.drain()
        return await self.reply()

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError):
            await self.writer.wait_closed()
