"""A real SMTP relay on loopback for the acknowledgement tests: aiosmtpd's Controller (its own thread and
loop), capturing every message it accepts, and refusing on demand the way relays do (451, 550)."""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Handler:
    def __init__(self, relay: Relay) -> None:
        self._relay = relay

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address.casefold() in self._relay.unknown:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        relay = self._relay
        if relay.busy:
            relay.busy -= 1
            return "451 4.3.0 try again later"
        message = message_from_bytes(envelope.content, policy=policy.default)
        relay.received.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        relay.arrived()
        return "250 2.0.0 queued"


class _Authenticator:
    def __init__(self, login: tuple[str, str]) -> None:
        self._login = (login[0].encode(), login[1].encode())

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
        given = (auth_data.login, auth_data.password) if isinstance(auth_data, LoginPassword) else None
        return AuthResult(success=given == self._login, handled=False)


class Relay:
    """What it accepted: ``received`` (envelope sender, recipients, parsed message).

    With ``tls`` (certificate, key) it requires STARTTLS; with ``login`` (user, password) also AUTH (over TLS).
    """

    def __init__(self, *, tls: tuple[Path, Path] | None = None, login: tuple[str, str] | None = None) -> None:
        self.port = free_port()
        self.received: list[tuple[str, list[str], EmailMessage]] = []
        #: answer 451 to this many DATA commands first
        self.busy = 0
        #: recipients answered 550 5.1.1
        self.unknown: set[str] = set()
        self._arrived: Callable[[], object] = lambda: None
        options: dict[str, Any] = {}
        if tls is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(str(tls[0]), str(tls[1]))
            options |= {"tls_context": context, "require_starttls": True}
        if login is not None:
            options |= {"authenticator": _Authenticator(login), "auth_required": True, "auth_require_tls": True}
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, **options)

    @property
    def messages(self) -> list[EmailMessage]:
        return [message for _, _, message in self.received]

    def arrived(self) -> None:
        """Called from the relay's thread after each message it accepts."""
        self._arrived()

    async def wait_for(self, count: int, timeout: float = 30.0) -> list[EmailMessage]:  # noqa: ASYNC109
        """The messages once ``count`` have arrived."""
        loop, event = asyncio.get_running_loop(), asyncio.Event()
        self._arrived = lambda: loop.call_soon_threadsafe(event.set)
        async with asyncio.timeout(timeout):
            while len(self.received) < count:
                await event.wait()
                event.clear()
        return self.messages


@contextmanager
def running_relay(*, tls: tuple[Path, Path] | None = None, login: tuple[str, str] | None = None) -> Iterator[Relay]:
    relay = Relay(tls=tls, login=login)
    relay._controller.start()
    try:
        yield relay
    finally:
        relay._controller.stop()
