"""An IMAP mailbox as a way in: for companies that cannot point mail at Leadbot but have a mailbox.

    mailbox ──UID FETCH (peek)──> IntakePipeline.accept (raw stored) ──then──> MOVE to processed_folder
                                                                              (or flag $LeadbotStored)

Each message takes the same path as one received over SMTP (``RawMessage(channel="smtp")``): stored raw
first, deduplicated by its Message-ID, then read, scored and posted. Only once it is stored is it moved
(or flagged), so a crash between the two leaves it in the folder, and the next pass stores nothing new
(the store recognises the resend) and moves it then. The poller waits with IDLE (RFC 2177) when the
server offers it, re-issued every ``poll_seconds``, and polls otherwise; a lost connection is retried
with back-off, never fatal to the service.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import re
import ssl
from collections.abc import Awaitable, Callable
from typing import Any

import aioimaplib  # type: ignore[import-untyped]

from bot.settings import ImapSettings
from parsers.errors import OutageError
from parsers.lead import RawMessage
from store.records import AcceptedMessage

log = logging.getLogger(__name__)

Accept = Callable[[RawMessage], Awaitable[AcceptedMessage]]

#: the keyword set on a stored message when there is no processed_folder to move it to
STORED_KEYWORD = "$LeadbotStored"
_UID = re.compile(rb"UID (\d+)")
_MAX_BACKOFF = 300.0


class ImapError(OutageError):
    """The server refused a command (the message says which and why)."""


def _ok(response: Any, what: str) -> Any:
    if response.result != "OK":
        detail = b" ".join(bytes(x) for x in response.lines[-1:]).decode("utf-8", "replace")
        raise ImapError(f"{what} failed: {response.result} {detail}")
    return response


def quote_mailbox(name: str) -> str:
    """A mailbox name as an IMAP quoted string (RFC 3501 §9: backslash and double quote escaped)."""
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def envelope_sender(raw: bytes) -> str | None:
    """The address the mail came from: Return-Path (the envelope sender the server recorded), else From.

    Used like the SMTP envelope sender, so a message that arrives both ways is stored once.
    """
    head = raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0].decode("utf-8", "replace")
    found: dict[str, str] = {}
    for match in re.finditer(r"^(Return-Path|From):[ \t]*(.*(?:\r?\n[ \t].*)*)", head, re.IGNORECASE | re.MULTILINE):
        found.setdefault(match.group(1).lower(), match.group(2).strip())
    for key in ("return-path", "from"):
        if key in found:
            address = email.utils.parseaddr(found[key])[1]
            if address:
                return address
    return None


def fetched_messages(lines: list[Any]) -> list[tuple[int, bytes]]:
    """(uid, raw bytes) pairs from a ``UID FETCH … BODY.PEEK[]`` response (literals come as bytearray)."""
    out: list[tuple[int, bytes]] = []
    pending_uid: int | None = None
    for line in lines:
        if isinstance(line, bytearray):
            if pending_uid is not None:
                out.append((pending_uid, bytes(line)))
                pending_uid = None
            continue
        match = _UID.search(line) if b"FETCH" in line else None
        if match:
            pending_uid = int(match.group(1))
    return out


class ImapPoller:
    """Reads new messages from ``settings.folder`` into the pipeline until cancelled."""

    def __init__(self, settings: ImapSettings, accept: Accept) -> None:
        assert settings.host, "ImapPoller needs [imap] host"
        self._settings = settings
        self._accept = accept
        self._client: Any = None
        #: passes made, messages stored, and sessions that failed (each then retried after a back-off)
        self.passes = 0
        self.stored = 0
        self.failures = 0
        #: whether the poller waits for new mail now (the server acknowledged IDLE, or the poll's sleep)
        self.waiting = False
        self.connected = asyncio.Event()
        #: notified whenever the counters above or ``waiting`` change (``wait_until``)
        self._progress = asyncio.Condition()

    async def wait_until(self, done: Callable[[], bool]) -> None:
        """Until ``done()`` holds, checked whenever the poller makes progress (a pass, a failure, a wait):
        what a caller (a test) waits on to know that something did not happen, instead of a fixed sleep."""
        async with self._progress:
            await self._progress.wait_for(done)

    async def _progressed(self, *, waiting: bool | None = None) -> None:
        async with self._progress:
            if waiting is not None:
                self.waiting = waiting
            self._progress.notify_all()

    async def run(self) -> None:
        in_a_row = 0
        while True:
            try:
                await self._session()
            except asyncio.CancelledError:
                await self._logout()
                raise
            except (OSError, TimeoutError, ImapError, aioimaplib.Abort, aioimaplib.CommandTimeout) as exc:
                in_a_row += 1
                delay = min(_MAX_BACKOFF, self._settings.poll_seconds * (2 ** min(in_a_row - 1, 8)), 5.0 * in_a_row)
                log.warning("IMAP %s: %s; retrying in %.0f s", self._settings.host, exc or type(exc).__name__, delay)
                await self._failed()
                await asyncio.sleep(delay)
            except Exception:
                # Our fault (the store is down…): nothing was moved that was not stored; try again later.
                in_a_row += 1
                log.exception("IMAP %s: reading the mailbox failed; retrying", self._settings.host)
                await self._failed()
                await asyncio.sleep(min(_MAX_BACKOFF, 5.0 * in_a_row))
            else:
                in_a_row = 0

    async def _failed(self) -> None:
        await self._logout()
        self.connected.clear()
        self.failures += 1
        await self._progressed(waiting=False)

    async def _connect(self) -> Any:
        s = self._settings
        if s.tls == "ssl":
            context = ssl.create_default_context(cafile=str(s.ca_file) if s.ca_file else None)
            client = aioimaplib.IMAP4_SSL(host=s.host, port=s.port, ssl_context=context, timeout=30)
        else:
            client = aioimaplib.IMAP4(host=s.host, port=s.port, timeout=30)
        await client.wait_hello_from_server()
        _ok(await client.login(s.username, s.password.get_secret_value()), f"LOGIN as {s.username}")
        if s.processed_folder:
            # Fails harmlessly when it exists already.
            await client.create(quote_mailbox(s.processed_folder))
        _ok(await client.select(quote_mailbox(s.folder)), f"SELECT {s.folder}")
        return client

    async def _session(self) -> None:
        self._client = client = await self._connect()
        self.connected.set()
        log.info("reading leads from imap://%s@%s:%d/%s", self._settings.username, self._settings.host,
                 self._settings.port, self._settings.folder)
        while True:
            await self.check(client)
            if self._settings.idle and client.has_capability("IDLE"):
                await self._idle(client)
            else:
                await self._progressed(waiting=True)
                await asyncio.sleep(self._settings.poll_seconds)
                await self._progressed(waiting=False)
                _ok(await client.noop(), "NOOP")

    async def _idle(self, client: Any) -> None:
        idle = await client.idle_start(timeout=self._settings.poll_seconds + 30)  # returns once acknowledged
        try:
            await self._progressed(waiting=True)
            await client.wait_server_push(timeout=self._settings.poll_seconds)
        except TimeoutError:
            pass
        finally:
            self.waiting = False
            client.idle_done()
            async with asyncio.timeout(30):  # not wait_for: on 3.11 it can swallow the service's cancel
                await idle

    async def check(self, client: Any) -> int:
        """Store every waiting message, then move or flag it. Returns how many were stored."""
        criteria = "UNDELETED" if self._settings.processed_folder else f"UNDELETED UNKEYWORD {STORED_KEYWORD}"
        found = _ok(await client.uid_search(criteria, charset=None), "UID SEARCH")
        uids = [int(u) for line in found.lines[:1] for u in bytes(line).split() if u.isdigit()]
        self.passes += 1
        stored = 0
        for uid in uids:
            response = _ok(await client.uid("fetch", str(uid), "BODY.PEEK[]"), f"UID FETCH {uid}")
            for fetched_uid, raw in fetched_messages(response.lines):
                accepted = await self._accept(
                    RawMessage(raw=raw, channel="smtp", sender=envelope_sender(raw),
                               recipients=(self._settings.username,))
                )
                # Stored (or known already): only now does it leave the folder.
                await self._done(client, fetched_uid)
                stored += 0 if accepted.duplicate else 1
                log.info("IMAP message uid %d stored as message %d%s", fetched_uid, accepted.id,
                         " (already stored)" if accepted.duplicate else "")
        if uids and self._settings.processed_folder and not client.has_capability("MOVE"):
            _ok(await client.expunge(), "EXPUNGE")
        self.stored += stored
        await self._progressed()
        return stored

    async def _done(self, client: Any, uid: int) -> None:
        folder = self._settings.processed_folder
        if not folder:
            _ok(await client.uid("store", str(uid), "+FLAGS", f"({STORED_KEYWORD})"), f"UID STORE {uid}")
        elif client.has_capability("MOVE"):
            _ok(await client.uid("move", str(uid), quote_mailbox(folder)), f"UID MOVE {uid}")
        else:
            _ok(await client.uid("copy", str(uid), quote_mailbox(folder)), f"UID COPY {uid}")
            _ok(await client.uid("store", str(uid), "+FLAGS", "(\\Deleted)"), f"UID STORE {uid}")

    async def _logout(self) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        try:
            if client.has_pending_idle():
                client.idle_done()
            async with asyncio.timeout(5):
                await client.logout()
        except Exception:  # the connection is going away anyway
            log.debug("IMAP logout failed", exc_info=True)
