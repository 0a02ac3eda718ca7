"""Test helpers for the IMAP tests: a test's own folders in the shared Dovecot account, mail to put in them."""

from __future__ import annotations

import asyncio
import contextlib
import imaplib
import uuid
from collections.abc import Awaitable, Callable, Iterator
from email.utils import make_msgid

from pydantic import SecretStr

from bot.settings import ImapSettings
from tests.intake.dovecot import Dovecot


def lead_mail(name: str, email: str, phone: str, *, message_id: str | None = None) -> bytes:
    return (
        f"Return-Path: <notify@portal.example>\r\nFrom: Portal Leads <notify@portal.example>\r\n"
        f"To: leads@acme.test\r\nSubject: New inquiry from {name}\r\n"
        f"Message-ID: {message_id or make_msgid(domain='portal.example')}\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        f"Name: {name}\r\nEmail: {email}\r\nPhone: {phone}\r\nMessage: Please call me about a new kitchen.\r\n"
    ).encode()


class Mailbox:
    """A test's own folders in the shared Dovecot account, driven with the standard library's imaplib."""

    def __init__(self, server: Dovecot) -> None:
        self.server = server
        self.folder = f"T{uuid.uuid4().hex[:10]}"
        self.done = self.folder + "-done"
        with self._client() as client:
            client.create(self.folder)

    @contextlib.contextmanager
    def _client(self) -> Iterator[imaplib.IMAP4]:
        client = imaplib.IMAP4("127.0.0.1", self.server.port)
        client.login(self.server.user, self.server.password)
        try:
            yield client
        finally:
            client.logout()

    def deliver(self, raw: bytes) -> None:
        with self._client() as client:
            status, _ = client.append(self.folder, None, None, raw)
            assert status == "OK"

    def count(self, folder: str) -> int:
        with self._client() as client:
            status, data = client.select(folder, readonly=True)
            return int(data[0] or 0) if status == "OK" else -1

    def keywords(self) -> list[bytes]:
        with self._client() as client:
            client.select(self.folder, readonly=True)
            _, data = client.fetch("1:*", "(FLAGS)")
            return [d for d in data if isinstance(d, bytes)]

    def settings(self, **changes: object) -> ImapSettings:
        base: dict[str, object] = dict(
            host="127.0.0.1", port=self.server.port, tls="none", username=self.server.user,
            password=SecretStr(self.server.password), folder=self.folder, processed_folder=self.done,
            poll_seconds=30,
        )
        base.update(changes)
        return ImapSettings(**base)  # type: ignore[arg-type]


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 10) -> None:
    """Until ``check()`` holds (it looks at a real server's state, which sends no event to wait on)."""
    async with asyncio.timeout(seconds):
        while not await check():  # noqa: ASYNC110
            await asyncio.sleep(0.05)
