"""The SMTP listener lead providers send mail to: reject at the edge, store durably, then answer 250.

One transaction, as the sender sees it::

    connect    → 220 | 421 4.7.0 (too many connections in all, or from this address; then closed)
    STARTTLS   → 220 (offered when ``tls_cert``/``tls_key`` are set)
    AUTH       → 235 2.7.0 | 535 5.7.8 (offered only over TLS, when ``[[smtp.users]]`` are configured)
    MAIL FROM  → 250 2.1.0 | 552 5.3.4 (declared SIZE= over the limit) | 421 4.3.2 (we are shutting down)
                 530 5.7.0 (``require_tls`` and no STARTTLS yet; ``auth_required`` and no AUTH yet)
    RCPT TO    → 250 2.1.5 | 550 5.1.1 (not an address we take leads for; other recipients still count)
    DATA       → 503 5.5.1 (no accepted recipient)
                 552 5.3.4 (over ``max_message_bytes``: answered as soon as the limit passes, the rest of
                 the data is read and discarded, nothing stored)
                 250 2.0.0 (the exact bytes are stored: ``accept`` returned) | 451 4.3.0 (``accept`` raised)

Nothing here reads the mail: the bytes go to ``accept`` as they came (dot-unstuffed, RFC 5321 §4.5.2),
and parsing happens after the reply, elsewhere, where a failure is kept for replay instead of bouncing
the lead. A failure of ours is a 451, never a 5xx: the sender's MTA keeps the message and retries.

Work per client is bounded: connections in all and per address are capped, an idle connection is
closed after ``idle_timeout_seconds``, and a message in transit is held in one buffer that never grows
past ``max_message_bytes`` (aiosmtpd's own DATA reader keeps an object per line: a stream of 3-byte
lines held some 15 times the limit per connection, and four such senders took the process to 1 GB).

The server runs on the caller's event loop (aiosmtpd's ``Controller`` would start a thread and a loop of
its own, which the service does not want).
"""

from __future__ import annotations

import asyncio
import collections
import hmac
import logging
import resource
import socket
import ssl
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, AnyStr

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cachetools import LRUCache

from bot.errors import is_outage
from bot.settings import SmtpSettings, SmtpUser
from parsers.lead import RawMessage
from store.records import AcceptedMessage

log = logging.getLogger(__name__)

Accept = Callable[[RawMessage], Awaitable[AcceptedMessage]]
"""Stores the message durably and says under which id; raises when it could not (our failure)."""

# Replies, in one place so the wording stays consistent. Enhanced status codes: RFC 3463.
TOO_BIG = "552 5.3.4 message exceeds fixed maximum message size"
TRY_AGAIN = "451 4.3.0 temporary failure, please retry"
SHUTTING_DOWN = "421 4.3.2 service shutting down, please retry later"
TOO_MANY_CONNECTIONS = "421 4.7.0 too many connections, please retry later"
TOO_MANY_FROM_YOU = "421 4.7.0 too many connections from your address, please retry later"
TLS_FIRST = "530 5.7.0 must issue a STARTTLS command first"
AUTH_FIRST = "530 5.7.0 authentication required"
SENDER_OK = "250 2.1.0 OK"
SENDER_TOO_LONG = "553 5.1.7 sender address too long"
RECIPIENT_OK = "250 2.1.5 OK"
RECIPIENT_TOO_LONG = "553 5.1.3 recipient address too long"
TOO_MANY_RECIPIENTS = "452 4.5.3 too many recipients"
QUEUED = "250 2.0.0 OK queued as {id}"
KNOWN = "250 2.0.0 OK known message, already queued as {id}"


def not_accepted(address: str) -> str:
    return f"550 5.1.1 <{address}>: recipient not accepted here"


# aiosmtpd's own replies carry no enhanced status code (RFC 3463); these are the ones a sender acts on.
_AIOSMTPD_REPLIES = {
    "552 Error: message size exceeds fixed maximum message size": TOO_BIG,  # MAIL FROM … SIZE=n
    "530 Must issue a STARTTLS command first": TLS_FIRST,  # require_tls (RFC 3207 §4)
    "530 5.7.0 Authentication required": AUTH_FIRST,
}

#: RFC 5321 §4.5.3.1.3: a path is at most 256 octets (the store's column allows 320).
MAX_ADDRESS_LENGTH = 256
#: RFC 5321 §4.5.3.1.8: at least 100 recipients must be accepted; more gets 452 (the client sends again).
MAX_RECIPIENTS = 100
#: The longest command line read (aiosmtpd answers "500 Line too long" past it). DATA does not read by
#: lines (see `_Session.smtp_DATA`), so a vendor's one-line HTML body of any size is unaffected.
STREAM_LIMIT = 64 * 1024
#: How long `stop` waits for transactions in flight before closing their connections.
SHUTDOWN_GRACE_SECONDS = 10.0

#: MAIL FROM and RCPT TO arguments as aiosmtpd parsed them (issue 11: its parser, the email package's RFC 5322
#: one, with a typing Protocol class made per call, was ~10% of the listener's CPU; vendors send from a handful
#: of addresses to one or two). Keyed by the argument and the local-part limit, the parse's only inputs.
_ADDRESSES: LRUCache[tuple[str, int], tuple[str | None, str | None]] = LRUCache(maxsize=1024)


class SmtpListener:
    """An SMTP server on the running event loop that hands each message's raw bytes to ``accept``."""

    def __init__(
        self,
        settings: SmtpSettings,
        accept: Accept,
        *,
        hostname: str | None = None,
        shutdown_grace: float = SHUTDOWN_GRACE_SECONDS,
    ) -> None:
        self._settings = settings
        self._hostname = hostname
        self._shutdown_grace = shutdown_grace
        self._handler = _Handler(settings, accept)
        self._server: asyncio.Server | None = None
        self._sessions: set[_Session] = set()
        self._tls: ssl.SSLContext | None = None
        self._authenticator = _Authenticator(settings.users) if settings.users else None
        self._limits = _Limits(settings.max_connections, settings.max_connections_per_client)
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
        if self._settings.tls_cert is not None and self._settings.tls_key is not None:
            self._tls = tls_context(self._settings.tls_cert, self._settings.tls_key)
        raise_open_files_limit()
        self._server = await loop.create_server(self._new_session, self._settings.host, self._settings.port)
        log.info(
            "SMTP listening on %s:%d (STARTTLS %s%s%s)", self._settings.host, self.port,
            "offered" if self._tls else "not offered (no tls_cert)",
            ", required" if self._settings.require_tls else "",
            f", AUTH for {len(self._settings.users)} vendors" + (", required" if self._settings.auth_required else "")
            if self._settings.users else "",
        )
        if self._settings.accepts_every_domain:
            log.warning(
                "SMTP takes mail for every domain (accepted_recipients = %s): limit it to the intake address "
                "or domain, e.g. [\"*@leads.example.com\"]", list(self._settings.accepted_recipients),
            )

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
                async with asyncio.timeout_at(deadline):  # not wait_for: on 3.11 it can swallow a cancel
                    await self._quieter.wait()
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
            limits=self._limits,
            on_quieter=self._quieter.set,
            settings=self._settings,
            tls=self._tls,
            authenticator=self._authenticator,
            hostname=self._hostname,
            timeout=self._settings.idle_timeout_seconds,
        )


def tls_context(cert: Any, key: Any) -> ssl.SSLContext:
    """The server side of STARTTLS: our certificate, modern protocol versions, no client certificates."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(certfile=str(cert), keyfile=str(key))
    return context


def raise_open_files_limit() -> int:
    """Raise this process' soft limit on open files to its hard limit; returns the soft limit now in force.

    Every SMTP connection holds a descriptor, and the usual soft limit (1,024) is far below the hard one.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and soft != resource.RLIM_INFINITY and soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
        except (ValueError, OSError) as exc:
            log.warning("could not raise the open files limit from %d to %d: %s", soft, hard, exc)
            return soft
        log.info("open files limit raised from %d to %d", soft, hard)
        return hard
    return soft


@dataclass
class _Limits:
    """Connections being served, in all and per client address (the caps a new connection is held to)."""

    total: int
    per_client: int
    open: collections.Counter[str] = field(default_factory=collections.Counter)

    def refusal(self, address: str) -> str | None:
        if self.open.total() >= self.total:
            return TOO_MANY_CONNECTIONS
        if self.open[address] >= self.per_client:
            return TOO_MANY_FROM_YOU
        return None

    def opened(self, address: str) -> None:
        self.open[address] += 1

    def closed(self, address: str) -> None:
        self.open[address] -= 1
        if self.open[address] <= 0:
            del self.open[address]


class _Authenticator:
    """aiosmtpd's authenticator: a vendor's login and the password from its environment variable."""

    def __init__(self, users: Sequence[SmtpUser]) -> None:
        self._passwords = {u.login: u.password.get_secret_value().encode() for u in users}

    def __call__(self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any) -> AuthResult:
        if not isinstance(data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = data.login.decode("utf-8", "replace")
        expected = self._passwords.get(login)
        # Compared even for an unknown login, so the answer takes as long either way.
        ok = hmac.compare_digest(data.password, expected if expected is not None else b"\0" * 32)
        ok = ok and expected is not None
        if ok:
            log.info("%s: authenticated as %s", session.peer, login)
            return AuthResult(success=True, auth_data=login)
        log.warning("%s: SMTP AUTH failed for login %r", session.peer, _printable(login))
        return AuthResult(success=False, handled=False)


class _Session(SMTP):
    """One connection: aiosmtpd's SMTP protocol, with a bounded DATA reader, connection caps, our wording."""

    def __init__(
        self,
        handler: _Handler,
        *,
        sessions: set[_Session],
        limits: _Limits,
        on_quieter: Callable[[], None],
        settings: SmtpSettings,
        tls: ssl.SSLContext | None,
        authenticator: _Authenticator | None,
        hostname: str | None,
        timeout: float,
    ) -> None:
        self.line_length_limit = STREAM_LIMIT  # the reader's buffer: aiosmtpd builds it from this
        # aiosmtpd keeps these in a dict shared by every session (and grows it on each EHLO): own one.
        self.command_size_limits = collections.defaultdict(lambda: SMTP.command_size_limit)
        self._registry = sessions
        self._limits = limits
        self._address: str | None = None  # set once the connection is counted against the caps
        self._on_quieter = on_quieter
        self._offers_auth = authenticator is not None
        self._idle_timeout = timeout
        super().__init__(
            handler,
            data_size_limit=settings.max_message_bytes,  # advertised as SIZE, checked at MAIL and DATA
            enable_SMTPUTF8=True,
            decode_data=False,  # bytes stay bytes; aiosmtpd then also advertises 8BITMIME
            hostname=hostname,
            ident="Leadbot ESMTP",
            timeout=timeout,  # seconds without a command (or DATA bytes) before hanging up
            tls_context=tls,
            require_starttls=settings.require_tls,
            authenticator=authenticator,
            auth_required=settings.auth_required,
            auth_require_tls=True,  # RFC 4954 §4: no password in clear text
            loop=asyncio.get_running_loop(),
        )
        self.gone: asyncio.Future[None] = self.loop.create_future()

    @property
    def in_transaction(self) -> bool:
        return self.envelope is not None and self.envelope.mail_from is not None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if self._address is not None:  # again, over TLS after STARTTLS: the same connection
            super().connection_made(transport)
            return
        peer = transport.get_extra_info("peername")
        address = str(peer[0]) if isinstance(peer, tuple) and peer else str(peer)
        refusal = self._limits.refusal(address)
        if refusal is not None:
            log.warning("%s: connection refused (%s)", address, refusal)
            transport.write(refusal.encode() + b"\r\n")  # type: ignore[attr-defined]
            transport.close()
            return
        self._address = address
        self._limits.opened(address)
        self._registry.add(self)
        super().connection_made(transport)

    def connection_lost(self, error: Exception | None) -> None:
        if self._address is None:  # refused at connect: aiosmtpd never started on it
            if not self.gone.done():
                self.gone.set_result(None)
            return
        self._limits.closed(self._address)
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

    def _getaddr(self, arg: str) -> tuple[str | None, str | None]:
        key = (arg, self.local_part_limit)
        parsed = _ADDRESSES.get(key)
        if parsed is None:
            parsed = _ADDRESSES[key] = super()._getaddr(arg)
        return parsed

    async def push(self, status: AnyStr) -> None:
        if isinstance(status, str):
            if status.startswith("250-AUTH") and not self._offers_auth:
                return  # aiosmtpd lists AUTH over TLS even with nobody to log in
            status = _AIOSMTPD_REPLIES.get(status, status)
        await super().push(status)

    async def smtp_DATA(self, arg: str) -> None:
        """DATA read into one buffer no larger than the size limit (replaces aiosmtpd's reader).

        Over the limit, 552 is answered at once and the rest is read and dropped until the final dot,
        so that the session stays in step with the client (RFC 5321 §4.2.5) without holding the data.
        """
        if await self.check_helo_needed():
            return
        if await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None and self.session is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 5.5.1 Error: need RCPT command")
            return
        if arg:
            await self.push("501 5.5.4 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        content = await self._read_data(self.data_size_limit or 0)
        if content is None:  # over the limit (answered) or the client left
            self._set_post_data_state()
            return
        self.envelope.content = self.envelope.original_content = content
        handler: _Handler = self.event_handler
        status = await handler.handle_DATA(self, self.session, self.envelope)
        self._set_post_data_state()
        await self.push(status)

    async def _read_data(self, limit: int) -> bytes | None:
        """The message up to the line holding a lone dot, dot-unstuffed (RFC 5321 §4.5.2); None if too big.

        Reads up to each ".<CR><LF>" (the only place the end can be), or a buffer's worth when there is
        none, so a message of any line length costs its size once, plus at most ``STREAM_LIMIT``.
        """
        data = bytearray()
        size = 0  # bytes of the message so far, as sent (stuffed)
        tail = b"\r\n"  # the last two bytes before what is read next; DATA starts at a line start
        reader = self._reader
        # The idle timer restarts while bytes arrive, but not for every piece: a new timer per short
        # line cost more than reading the line.
        restarted = self.loop.time()
        while True:
            try:
                piece = await reader.readuntil(b".\r\n")
            except asyncio.LimitOverrunError as error:  # no end marker in a full buffer: take the safe part
                piece = await reader.read(error.consumed)
            except asyncio.IncompleteReadError:  # the client hung up mid-DATA
                return None
            if self.loop.time() - restarted > self._idle_timeout / 4:
                self._reset_timeout()  # bytes arrive: not idle
                restarted = self.loop.time()
            ended = piece.endswith(b".\r\n") and (tail + piece[-5:-3])[-2:] == b"\r\n"
            body = piece[:-3] if ended else piece
            tail = (tail + piece[-2:])[-2:]
            if size <= limit:
                size += len(body)
                if size > limit:
                    del data[:]  # what is held is dropped now, not after the rest has been read
                    await self.push(TOO_BIG)
                else:
                    data += body
            if ended:
                break
        if size > limit:
            log.info("%s: message over %d bytes refused with 552", self.session.peer if self.session else "?", limit)
            return None
        content = bytes(data)
        del data[:]
        content = content.replace(b"\r\n.", b"\r\n")
        return content[1:] if content.startswith(b".") else content


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
            client_ip=_peer_address(session.peer),
            helo=_printable(session.host_name)[:255] if session.host_name else None,
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
        log.info("%s: stored message #%d (%d bytes%s%s)", session.peer, accepted.id, len(content),
                 ", over TLS" if session.ssl is not None else "",
                 f", from login {session.auth_data}" if session.authenticated else "")
        return QUEUED.format(id=accepted.id)

    async def _store(self, message: RawMessage, peer: object) -> AcceptedMessage | None:
        try:
            return await self._accept(message)
        except Exception as exc:
            if is_outage(exc):  # the pipeline logs the outage once; no traceback per sender
                log.info("could not store a message from %s (store unreachable); answered 451 so it is sent again",
                         peer)
                return None
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


def _peer_address(peer: object) -> str | None:
    """The address in aiosmtpd's ``session.peer`` ((host, port) or (host, port, flow, scope)); None otherwise."""
    return str(peer[0])[:45] if isinstance(peer, tuple) and peer else None


def _printable(address: str) -> str:
    """The address as text the store and a reply can hold.

    With SMTPUTF8 on, aiosmtpd decodes command arguments as UTF-8 with surrogate escapes: bytes that
    are not UTF-8 become lone surrogates, which neither a database nor a reply line can encode.
    """
    return address.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
