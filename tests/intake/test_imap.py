"""The IMAP mailbox against a real Dovecot (Debian's dovecot-imapd), started by the tests on loopback.

In CI (CI=true) these run, never skip; locally they skip only when Dovecot is not installed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from email.utils import make_msgid

from pydantic import SecretStr

from bot.intake.imap import STORED_KEYWORD, ImapPoller, envelope_sender, fetched_messages
from bot.intake.pipeline import IntakePipeline
from bot.settings import ImapSettings
from nlp.extractor import Extractor
from parsers.lead import RawMessage
from store.records import AcceptedMessage
from store.store import Store
from tests.intake.conftest import intake_server
from tests.intake.dovecot import Dovecot
from tests.intake.mailbox import Mailbox, eventually, lead_mail


@contextlib.asynccontextmanager
async def polling(settings: ImapSettings, accept: Callable[[RawMessage], Awaitable[AcceptedMessage]]
                  ) -> AsyncIterator[ImapPoller]:
    poller = ImapPoller(settings, accept)
    task = asyncio.create_task(poller.run())
    try:
        yield poller
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def test_mail_in_the_mailbox_is_stored_then_moved_and_a_resend_is_one_lead(
    dovecot: Dovecot, store: Store, extractor: Extractor
) -> None:
    box = Mailbox(dovecot)
    resent_id = make_msgid(domain="portal.example")
    box.deliver(lead_mail("Katarina Holmberg", "katarina@holmberg-kok.example", "+1 612 555 0102",
                          message_id=resent_id))
    box.deliver(lead_mail("Desmond Achebe", "desmond@achebe-legal.example", "+1 612 555 0103"))
    box.deliver(b"From: MAILER-DAEMON@mx.portal.example\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\n"
                b"This is the mail system at host mx.portal.example. Your message could not be delivered.\r\n")
    async with intake_server(store, extractor) as start:
        intake = await start()
        pipeline: IntakePipeline = intake.pipeline
        async with polling(box.settings(), pipeline.accept) as poller:
            await eventually(lambda: _count_messages(store, 3))
            await eventually(lambda: asyncio.to_thread(lambda: box.count(box.done) == 3))
            assert await asyncio.to_thread(box.count, box.folder) == 0
            await pipeline.wait_idle()
            leads = await store.leads.recent()
            assert sorted(lead.fields["email"] for lead in leads) == [
                "desmond@achebe-legal.example", "katarina@holmberg-kok.example"]
            stored = await store.messages.recent()
            assert {m.channel for m in stored} == {"smtp"}
            assert {m.status for m in stored} == {"processed", "no_lead"}

            # IDLE: a new message is noticed at once (poll_seconds is 30), delivered once the server idles.
            async with asyncio.timeout(10):
                await poller.wait_until(lambda: poller.waiting)
            box.deliver(lead_mail("Katarina Holmberg", "katarina@holmberg-kok.example", "+1 612 555 0102",
                                  message_id=resent_id))
            await eventually(lambda: asyncio.to_thread(lambda: box.count(box.done) == 4), seconds=8)
            assert poller.stored == 3
            assert len(await store.messages.recent()) == 3  # the resend is recognised by its Message-ID
            assert len(await store.leads.recent()) == 2


async def failed_once(poller: ImapPoller) -> None:
    """Until the poller's first session has failed (and it waits to retry), instead of a fixed sleep."""
    async with asyncio.timeout(10):
        await poller.wait_until(lambda: poller.failures >= 1)


async def _count_messages(store: Store, n: int) -> bool:
    return len(await store.messages.recent()) >= n


async def test_implicit_tls_and_flagging_in_place(dovecot: Dovecot, sqlite_store: Store) -> None:
    box = Mailbox(dovecot)
    box.deliver(lead_mail("Ingrid Falk", "ingrid@falk-bygg.example", "+1 612 555 0104"))
    seen: list[RawMessage] = []

    async def accept(message: RawMessage) -> AcceptedMessage:
        seen.append(message)
        return await sqlite_store.messages.accept(message, dedup_key=message.raw.hex()[:60])

    settings = box.settings(port=dovecot.tls_port, tls="ssl", ca_file=dovecot.ca_file, processed_folder="")
    async with polling(settings, accept):
        await eventually(lambda: asyncio.to_thread(lambda: any(STORED_KEYWORD.encode() in f for f in box.keywords())))
    assert len(seen) == 1 and seen[0].sender == "notify@portal.example" and seen[0].channel == "smtp"
    assert await asyncio.to_thread(box.count, box.folder) == 1  # flagged, left in place
    # Without the CA, the server's certificate is not trusted and nothing is read.
    box.deliver(lead_mail("Ola Berg", "ola@berg.example", "+1 612 555 0105"))
    async with polling(box.settings(port=dovecot.tls_port, tls="ssl", processed_folder=""), accept) as poller:
        await failed_once(poller)
        assert not poller.connected.is_set() and poller.passes == 0
    assert len(seen) == 1


async def test_nothing_is_moved_that_was_not_stored(dovecot: Dovecot) -> None:
    box = Mailbox(dovecot)
    box.deliver(lead_mail("Petra Novak", "petra@novak-studio.example", "+1 612 555 0106"))
    attempts: list[RawMessage] = []

    async def failing_store(message: RawMessage) -> AcceptedMessage:
        attempts.append(message)
        raise OSError("database unreachable")

    async with polling(box.settings(), failing_store) as poller:
        await failed_once(poller)  # the session that met the failing store is over
    assert len(attempts) == 1
    assert await asyncio.to_thread(box.count, box.folder) == 1
    assert await asyncio.to_thread(box.count, box.done) == 0

    # A wrong password: the poller keeps trying, the service does not fall over.
    async with polling(box.settings(password=SecretStr("wrong")), failing_store) as poller:
        await failed_once(poller)
        assert not poller.connected.is_set() and poller.passes == 0
    assert len(attempts) == 1


def test_envelope_sender_and_fetch_parsing() -> None:
    raw = b"Return-Path: <bounce@portal.example>\r\nFrom: Portal <leads@portal.example>\r\n\r\nbody"
    assert envelope_sender(raw) == "bounce@portal.example"
    assert envelope_sender(b"From: Portal <leads@portal.example>\r\n\r\nx") == "leads@portal.example"
    lines = [b"1 FETCH (UID 7 BODY[] {4}", bytearray(b"abcd"), b")", b"2 FETCH (UID 9 BODY[] {2}",
             bytearray(b"xy"), b")", b"Fetch completed."]
    assert fetched_messages(lines) == [(7, b"abcd"), (9, b"xy")]
