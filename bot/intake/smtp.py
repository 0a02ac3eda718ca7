"""The SMTP listener lead providers send mail to: reject at the edge, store durably, then answer 250.

One transaction, as the sender sees it::

    MAIL FROM  → 250 2.1.0 | 552 5.3.4 (declared SIZE= over the limit) | 421 4.3.2 (we are shutting down)
    RCPT TO    → 250 2.1.5 | 550 5.1.1 (not an address we take leads for; other recipients still count)
    DATA       → 503 (no accepted recipient: aiosmtpd's answer)
                 552 5.3.4 (over ``max_message_bytes``; nothing stored)
                 250 2.0.0 (the exact bytes are stored: ``accept`` returned) | 451 4.3.0 (``accept`` raised)

Nothing here reads the mail: the bytes go to ``accept`` as they came (dot-unstuffed, RFC 5321 §4.5.2),
and parsing happens after the reply, elsewhere, where a failure is kept for replay instead of bouncing
the lead. A failure of ours is a 451, never a 5xx: the sender's MTA keeps the message and retries.

The server runs on the caller's event loop (aiosmtpd's ``Controller`` would start a thread and a loop of
its own, which the service does not want).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import socket
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import AnyStr

from aiosmtpd.smtp import SMTP, Envelope, Session

from bot.settings import SmtpSettings
from parsers.lead import RawMessage
from store.records import AcceptedMessage

log = logging.getLogger(__name__)

Accept = Callable[[RawMessage], Awaitable[AcceptedMessage]]
"""Stores the message durably and says under which id; raises when it could not (our failure)."""

# Replies, in one place so the wording stays consistent. Enhanced status codes: RFC 3463.
TOO_BIG = "552 5.3.4 message exceeds fixed maximum message size"
TRY_AGAIN = "451 4.3.0 temporary failure, please retry"
SHUTTING_DOWN = "421 4.3.2 service shutting down, please retry later"
SENDER_OK = "250 2.1.0 OK"
SENDER_TOO_LONG = "553 5.1.7 sender address too long"
RECIPIENT_OK = "250 2.1.5 OK"
RECIPIENT_TOO_LONG = "553 5.1.3 recipient address too long"
TOO_MANY_RECIPIENTS = "452 4.5.3 too many recipients"
QUEUED = "250 2.0.0 OK queued as {id}"
KNOWN = "250 2.0.0 OK known message, already queued as {id}"


def not_accepted(address: str) -> str:
    return f"550 5.1.1 <{address}>: recipient not accepted here"


# aiosmtpd's own replies for an oversize message carry no enhanced status code. Its line-length refusal
# can only mean "too big" here, because a line may be as long as the whole message (see _Session).
_AIOSMTPD_REPLIES = {
    "552 Error: message size exceeds fixed maximum message size": TOO_BIG,  # MAIL FROM … SIZE=n
    "552 Error: Too much mail data": TOO_BIG,  # DATA
    "500 Line too long (see RFC5321 4.5.3.1.6)": TOO_BIG,  # DATA, one line longer than the limit
}

#: RFC 5321 §4.5.3.1.3: a path is at most 256 octets (the store's column allows 320).
MAX_ADDRESS_LENGTH = 256
#: RFC 5321 §4.5.3.1.8: at least 100 recipients must be accepted; more gets 452 (the client sends again).
MAX_RECIPIENTS = 100
#: RFC 5321 §4.5.3.2.7 asks servers to wait at least 5 minutes for the next command.
SESSION_TIMEOUT_SECONDS = 300.0
#: How long `stop` waits for transactions in flight before closing their connections.
SHUTDOWN_GRACE_SECONDS = 10.0


class SmtpListener:
    """An SMTP server on the running event loop that hands each message's raw bytes to ``accept``."""

    def __init__(
        self,
        settings: SmtpSettings,
        accept: Accept,
        *,
        hostname: str | None = None,
        session_timeout: float = SESSION_TIMEOUT_SECONDS,
        shutdown_grace: float = SHUTDOWN_GRACE_SECONDS,
    ) -> None:
        self._settings = settings
        self._hostname = hostname
        self._session_timeout = session_timeout
        self._shutdown_grace = shutdown_grace
        self._handler = _Handler(settings, accept)
        self._server: asyncio.Server | None = None
        self._sessions: set[_Session] = set()
        #: set whenever a session ends a transaction or goes away (what `stop` waits for)
        self._quieter = asyncio.Event()

    @property
    def port(self) -> int:
        """The bound port (the one picked by the system when ``settings.port`` is 0)."""
        if self._server is None or not self._server.sockets:
            raise RuntimeError("the SMTP listener is not started")
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        """Listen on ``settings.host``/``settings.port``, serving sessions on the current event loop."""
        if self._server is not None:
            raise RuntimeError("the SMTP listener is already started")
        loop = asyncio.get_running_loop()
        if self._hostname is None:
            # aiosmtpd would call getfqdn() (a DNS lookup) for every connection; once is enough.
            self._hostname = await asyncio.to_thread(socket.getfqdn)
        self._handler.closing = False
        self._server = await loop.create_server(self._new_session, self._settings.host, self._settings.port)
        log.info("SMTP listening on %s:%d", self._settings.host, self.port)

    async def stop(self) -> None:
        """Stop accepting connections, let transactions in flight end (bounded), close every session.

        A session inside a transaction (between MAIL and the reply to DATA) gets up to the shutdown
        grace to finish; idle sessions, and any that start a transaction meanwhile, get 421 (RFC 5321
        §3.8) and are closed. Stores started for clients that already left are awaited too.
        """
        server = self._server
        if server is None:
            return
        self._handler.closing = True
        server.close()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._shutdown_grace
        while any(s.in_transaction for s in self._sessions):
            self._quieter.clear()
            try:
                await asyncio.wait_for(self._quieter.wait(), timeout=max(0.0, deadline - loop.time()))
            except TimeoutError:
                break
        gone = [s.gone for s in self._sessions]
        for session in list(self._sessions):
            session.hang_up(SHUTTING_DOWN)
        if gone:
            await asyncio.wait(gone, timeout=1.0)
        if self._handler.storing:
            _, late = await asyncio.wait(self._handler.storing, timeout=max(0.0, deadline - loop.time()))
            for task in late:
                log.warning("SMTP stop: a store still running at the end of the grace was cancelled")
                task.cancel()
        await server.wait_closed()
        self._server = None
        log.info("SMTP listener stopped")

    def _new_session(self) -> _Session:
        return _Session(
            self._handler,
            sessions=self._sessions,
            on_quieter=self._quieter.set,
            max_message_bytes=self._settings.max_message_bytes,
            hostname=self._hostname,
            timeout=self._session_timeout,
        )


class _Session(SMTP):
    """One connection: aiosmtpd's SMTP protocol, with lines as long as a message and our wording."""

    def __init__(
        self,
        handler: _Handler,
        *,
        sessions: set[_Session],
        on_quieter: Callable[[], None],
        max_message_bytes: int,
        hostname: str | None,
        timeout: float,
    ) -> None:
        # Vendors send HTML on one line of many kilobytes; RFC 5321's 1,000-octet line is not worth
        # bouncing a lead over, so the only line refused is one longer than the whole message may be.
        self.line_length_limit = max(SMTP.line_length_limit, max_message_bytes)
        # aiosmtpd keeps these in a dict shared by every session (and grows it on each EHLO): own one.
        self.command_size_limits = collections.defaultdict(lambda: SMTP.command_size_limit)
        self._registry = sessions
        self._on_quieter = on_quieter
        super().__init__(
            handler,
            data_size_limit=max_message_bytes,  # advertised as SIZE, checked at MAIL and DATA
            enable_SMTPUTF8=True,
            decode_data=False,  # bytes stay bytes; aiosmtpd then also advertises 8BITMIME
            hostname=hostname,
            ident="Leadbot ESMTP",
            timeout=timeout,  # seconds without a command (or to receive DATA) before hanging up
            loop=asyncio.get_running_loop(),
        )
        self.gone: asyncio.Future[None] = self.loop.create_future()

    @property
    def in_transaction(self) -> bool:
        return self.envelope is not None and self.envelope.mail_from is not None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._registry.add(self)
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        self._registry.discard(self)
        super().connection_lost(error)
        if not self.gone.done():
            self.gone.set_result(None)
        self._on_quieter()

    def _set_post_data_state(self) -> None:
        # aiosmtpd's end of a transaction (after DATA's reply is decided, on RSET, HELO/EHLO).
        super()._set_post_data_state()  # type: ignore[no-untyped-call]
        self._on_quieter()

    def hang_up(self, reply: str) -> None:
        transport = self.transport
        if transport is None or transport.is_closing():
            return
        # uvloop's transports are not asyncio.WriteTransport subclasses, but they write all the same.
        transport.write(reply.encode() + b"\r\n")  # type: ignore[attr-defined]
        transport.close()  # after the buffered reply is written

    async def push(self, status: AnyStr) -> None:
        if isinstance(status, str):
            status = _AIOSMTPD_REPLIES.get(status, status)
        await super().push(status)


class _Handler:
    """aiosmtpd's hooks: which recipients we take, and what becomes of a message's bytes."""

    def __init__(self, settings: SmtpSettings, accept: Accept) -> None:
        self._settings = settings
        self._accept = accept
        #: set by `SmtpListener.stop`: new transactions get 421
        self.closing = False
        #: stores still running, some perhaps for clients that left before their reply (see handle_DATA)
        self.storing: set[asyncio.Task[AcceptedMessage | None]] = set()

    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, mail_options: list[str]
    ) -> str:
        if self.closing:
            return SHUTTING_DOWN
        if len(address) > MAX_ADDRESS_LENGTH:
            return SENDER_TOO_LONG
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return SENDER_OK

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        shown = _printable(address)
        if len(address) > MAX_ADDRESS_LENGTH:
            return RECIPIENT_TOO_LONG
        if not self._settings.accepts(address):
            log.info("%s: refused recipient <%s>", session.peer, shown)
            return not_accepted(shown)
        if len(envelope.rcpt_tos) >= MAX_RECIPIENTS:
            return TOO_MANY_RECIPIENTS
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return RECIPIENT_OK

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content
        if content is None:  # decode_data=False: content holds the same bytes
            content = envelope.content if isinstance(envelope.content, bytes) else b""
        message = RawMessage(
            raw=content,
            channel="smtp",
            sender=_printable(envelope.mail_from) if envelope.mail_from else None,
            recipients=tuple(_printable(r) for r in envelope.rcpt_tos),
            received_at=datetime.now(UTC),
        )
        store = asyncio.create_task(self._store(message, session.peer))
        self.storing.add(store)
        store.add_done_callback(self.storing.discard)
        # Shielded: a client that hangs up after its final dot does not cancel a store half-way. The
        # message is then stored without a 250; the sender retries and the dedup key catches the resend.
        accepted = await asyncio.shield(store)
        if accepted is None:
            return TRY_AGAIN
        if accepted.duplicate:
            log.info("%s: message is a resend of #%d", session.peer, accepted.id)
            return KNOWN.format(id=accepted.id)
        log.info("%s: stored message #%d (%d bytes)", session.peer, accepted.id, len(content))
        return QUEUED.format(id=accepted.id)

    async def _store(self, message: RawMessage, peer: object) -> AcceptedMessage | None:
        try:
            return await self._accept(message)
        except Exception:
            log.exception(
                "could not store a message from %s (sender %s, %d bytes); answered 451 so it is sent again",
                peer,
                message.sender,
                len(message.raw),
            )
            return None

    async def handle_exception(self, error: Exception) -> str:
        # A bug of ours in any command: the sender must retry, not bounce the lead.
        log.error("SMTP session error, answered 451", exc_info=error)
        return TRY_AGAIN


def _printable(address: str) -> str:
    """The address as text the store and a reply can hold.

    With SMTPUTF8 on, aiosmtpd decodes command arguments as UTF-8 with surrogate escapes: bytes that
    are not UTF-8 become lone surrogates, which neither a database nor a reply line can encode.
    """
    return address.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
