"""The SMTP listener, end to end over TCP: what senders are told, and what is stored before a 250."""

from __future__ import annotations

import asyncio
import logging
import random
import re
import smtplib
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest

from bot.intake.smtp import SmtpListener
from bot.settings import SmtpSettings
from parsers.lead import RawMessage
from store.store import Store

from .conftest import LEADS, VENDOR, RawClient, Recorder, StartListener, asend, send, transaction


def mail(*lines: str | bytes, message_id: str | None = "<lead-1@vendor.example>") -> bytes:
    """A message with CRLF line ends, as SMTP carries it (smtplib sends bytes as they are)."""
    head = [f"From: Lead Portal <{VENDOR}>", f"To: {LEADS}", "Subject: New lead"]
    if message_id:
        head.append(f"Message-ID: {message_id}")
    encoded = [line.encode() if isinstance(line, str) else line for line in (*head, "", *lines)]
    return b"\r\n".join(encoded) + b"\r\n"


GOOD = mail(
    "Name: Ada Park",
    "Email: ada@park.test",
    "Phone: (206) 555-0100",
    ".a line that starts with a dot (sent as '..', stored as '.')",
    "..two dots",
    "",
)


def dot_stuffed(raw: bytes) -> bytes:
    """What a client sends for ``raw`` (RFC 5321 §4.5.2); smtplib does this itself."""
    return re.sub(rb"(?m)^\.", b"..", raw)


def queued_id(reply: tuple[int, str] | None) -> int:
    assert reply is not None
    found = re.search(r"queued as (\d+)", reply[1])
    assert found, reply
    return int(found.group(1))


async def stored(store: Store) -> list[bytes]:
    return [m.raw for m in reversed(await store.messages.recent())]


async def test_good_mail_is_stored_byte_exact_then_answered_250(
    start_listener: StartListener, recorder: Recorder, smtp_store: Store
) -> None:
    listener = await start_listener()
    before = datetime.now(UTC)

    dialogue = await asend(listener.port, GOOD, recipients=[LEADS])

    assert dialogue.mail == (250, "2.1.0 OK")
    assert dialogue.rcpts == [(250, "2.1.5 OK")]
    assert dialogue.data is not None
    assert dialogue.data[0] == 250
    assert dialogue.data[1].startswith("2.0.0 OK queued as ")
    record = await smtp_store.messages.get(queued_id(dialogue.data))
    assert record is not None
    assert record.raw == GOOD
    assert (record.channel, record.sender, record.recipients) == ("smtp", VENDOR, (LEADS,))
    assert record.subject == "New lead"
    assert record.status == "received"
    (seen,) = recorder.seen
    assert seen.received_at is not None and seen.received_at.tzinfo is UTC
    assert before <= seen.received_at <= datetime.now(UTC)


async def test_ehlo_advertises_size_8bitmime_and_smtputf8(start_listener: StartListener) -> None:
    listener = await start_listener(max_message_bytes=4096)

    def ehlo() -> tuple[int, bytes]:
        with smtplib.SMTP("127.0.0.1", listener.port, timeout=10) as client:
            return client.ehlo("vendor.example")

    code, text = await asyncio.to_thread(ehlo)
    assert code == 250
    lines = text.decode().splitlines()
    assert lines[0] == "mx.acme.test"
    assert {"SIZE 4096", "8BITMIME", "SMTPUTF8"} <= set(lines)


async def test_unknown_recipient_gets_550_5_1_1_and_nothing_is_stored(
    start_listener: StartListener, recorder: Recorder, smtp_store: Store
) -> None:
    listener = await start_listener(accepted_recipients=("leads@acme.test", "*@leads.acme.test"))

    dialogue = await asend(listener.port, GOOD, recipients=["someone@else.test"])

    assert dialogue.rcpts == [(550, "5.1.1 <someone@else.test>: recipient not accepted here")]
    assert dialogue.data is not None and dialogue.data[0] == 503  # DATA with no accepted recipient
    assert recorder.seen == []
    assert await stored(smtp_store) == []


async def test_only_accepted_recipients_are_kept(start_listener: StartListener, smtp_store: Store) -> None:
    listener = await start_listener(accepted_recipients=("leads@acme.test", "*@leads.acme.test"))

    dialogue = await asend(
        listener.port, GOOD, recipients=["LEADS@acme.test", "nobody@acme.test", "cars@leads.acme.test"]
    )

    assert [code for code, _ in dialogue.rcpts] == [250, 550, 250]
    record = await smtp_store.messages.get(queued_id(dialogue.data))
    assert record is not None
    assert record.recipients == ("LEADS@acme.test", "cars@leads.acme.test")


async def test_message_over_the_limit_gets_552_and_nothing_is_stored(
    start_listener: StartListener, recorder: Recorder, smtp_store: Store
) -> None:
    listener = await start_listener(max_message_bytes=2048)
    big = mail(*(f"Line {n}: " + "x" * 70 for n in range(60)))
    one_long_line = mail("<html>" + "y" * 5000 + "</html>")
    small = mail("Name: Ada Park", message_id="<small@vendor.example>")

    def session() -> list[tuple[int, str] | None]:
        with smtplib.SMTP("127.0.0.1", listener.port, timeout=10) as client:
            client.ehlo("vendor.example")
            # The same session goes on after a refusal: the next message is taken.
            return [transaction(client, raw).data for raw in (big, one_long_line, small)]

    too_big, too_long, fine = await asyncio.to_thread(session)

    assert too_big == (552, "5.3.4 message exceeds fixed maximum message size")
    assert too_long == (552, "5.3.4 message exceeds fixed maximum message size")
    assert fine is not None and fine[0] == 250
    assert await stored(smtp_store) == [small]
    assert len(recorder.seen) == 1


async def test_declared_size_over_the_limit_is_refused_at_mail(
    start_listener: StartListener, recorder: Recorder
) -> None:
    listener = await start_listener(max_message_bytes=2048)

    refused = await asend(listener.port, GOOD, mail_options=["SIZE=2049"])
    taken = await asend(listener.port, GOOD, mail_options=[f"SIZE={len(GOOD)}"])

    assert refused.mail == (552, "5.3.4 message exceeds fixed maximum message size")
    assert refused.data is None
    assert taken.data is not None and taken.data[0] == 250
    assert len(recorder.seen) == 1


def _garbage() -> bytes:
    noise = random.Random(7).randbytes(6000).replace(b"\r", b"").replace(b"\n", b"")
    lines = [noise[i : i + 77] for i in range(0, len(noise), 77)]
    return b"\r\n".join([b"\x00\xff\xfe binary", b"bare\nline feed", *lines]) + b"\r\n"


ODD_BODIES = {
    "malformed-mime": (
        mail(
            "MIME-Version: 1.0",
            'Content-Type: multipart/alternative; boundary="never-closed"',
            "",
            "--never-closed",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
            "",
            "!!not base64 at all!!",
        ),
        [],
    ),
    "charset-lies": (
        mail("Content-Type: text/plain; charset=utf-8", "", b"Caf\xe9 au lait for Ren\xe9e M\xfcller"),
        ["BODY=8BITMIME"],
    ),
    "unknown-charset": (mail("Content-Type: text/plain; charset=x-klingon", "", "Name: Worf"), []),
    "8-bit-utf-8": (
        mail("Content-Type: text/plain; charset=utf-8", "", "Name: Zoë Ångström", "城市: 東京"),
        ["BODY=8BITMIME"],
    ),
    "binary-garbage": (_garbage(), ["BODY=8BITMIME"]),
    "no-headers-at-all": (b"just some words\r\n", []),
    "200-kB-line": (mail("Content-Type: text/html", "", "<table>" + "<tr><td>x</td></tr>" * 11_000 + "</table>"), []),
}


@pytest.mark.parametrize("name", list(ODD_BODIES))
async def test_odd_bodies_are_taken_and_stored_byte_exact(
    name: str, start_listener: StartListener, smtp_store: Store
) -> None:
    raw, options = ODD_BODIES[name]
    listener = await start_listener()

    dialogue = await asend(listener.port, raw, mail_options=options)

    assert dialogue.data is not None and dialogue.data[0] == 250, dialogue
    record = await smtp_store.messages.get(queued_id(dialogue.data))
    assert record is not None and record.raw == raw


async def test_smtputf8_addresses(start_listener: StartListener, smtp_store: Store) -> None:
    listener = await start_listener()

    dialogue = await asend(
        listener.port,
        mail("Name: Zoë"),
        sender="zoë@vendör.example",
        recipients=["lëads@acme.test"],
        mail_options=["SMTPUTF8", "BODY=8BITMIME"],
    )

    record = await smtp_store.messages.get(queued_id(dialogue.data))
    assert record is not None
    assert (record.sender, record.recipients) == ("zoë@vendör.example", ("lëads@acme.test",))


async def test_bytes_that_are_not_utf_8_in_an_address_do_not_break_the_session(
    start_listener: StartListener, smtp_store: Store
) -> None:
    listener = await start_listener()
    client = await RawClient.connect(listener.port)
    try:
        assert (await client.command(b"EHLO vendor.example")).startswith(b"250")
        assert (await client.command(b"MAIL FROM:<caf\xe9@vendor.example>")).startswith(b"250")
        assert (await client.command(b"RCPT TO:<leads@acme.test>")).startswith(b"250")
        assert (await client.command(b"DATA")).startswith(b"354")
        reply = await client.command(b"Subject: hi\r\n\r\nName: Ada\r\n.")
    finally:
        await client.close()

    assert reply.startswith(b"250 2.0.0"), reply
    (record,) = await smtp_store.messages.recent()
    assert record.sender == "caf\ufffd@vendor.example"


async def test_a_failing_store_answers_451_and_the_listener_keeps_serving(
    start_listener: StartListener, recorder: Recorder, smtp_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    failures = iter([RuntimeError("database is locked")])

    async def fail_once(message: RawMessage) -> None:
        error = next(failures, None)
        if error is not None:
            raise error

    recorder.before = fail_once
    listener = await start_listener()

    def session() -> list[tuple[int, str] | None]:
        with smtplib.SMTP("127.0.0.1", listener.port, timeout=10) as client:
            client.ehlo("vendor.example")
            # The sender's MTA keeps the message on 451 and sends it again: here, on the same connection.
            return [transaction(client, GOOD).data, transaction(client, GOOD).data]

    with caplog.at_level(logging.ERROR, logger="bot.intake.smtp"):
        failed, retried = await asyncio.to_thread(session)
    another = await asend(listener.port, mail("Name: Bo", message_id="<other@vendor.example>"))

    assert failed == (451, "4.3.0 temporary failure, please retry")
    assert retried is not None and retried[0] == 250
    assert another.data is not None and another.data[0] == 250
    assert len(await stored(smtp_store)) == 2
    (logged,) = [r for r in caplog.records if r.name == "bot.intake.smtp" and r.levelno >= logging.ERROR]
    assert logged.exc_info is not None and "database is locked" in str(logged.exc_info[1])


async def test_the_same_message_id_twice_is_250_twice_and_stored_once(
    start_listener: StartListener, smtp_store: Store
) -> None:
    listener = await start_listener()
    resend = GOOD.replace(b"Subject: New lead", b"Received: from relay2.vendor.example\r\nSubject: New lead")

    first = await asend(listener.port, GOOD)
    second = await asend(listener.port, resend)

    assert first.data is not None and second.data is not None
    assert first.data[0] == second.data[0] == 250
    assert "known message" in second.data[1]
    assert second.data[1].endswith(f"queued as {queued_id(first.data)}")
    assert await stored(smtp_store) == [GOOD]


async def test_eight_concurrent_clients_are_served_at_once_and_all_stored(
    start_listener: StartListener, recorder: Recorder, smtp_store: Store
) -> None:
    all_in = asyncio.Event()
    waiting = 0

    async def until_all_eight_are_in(message: RawMessage) -> None:
        # Every store waits for the others: this passes only if eight sessions are in DATA together.
        nonlocal waiting
        waiting += 1
        if waiting == 8:
            all_in.set()
        await asyncio.wait_for(all_in.wait(), 10)

    recorder.before = until_all_eight_are_in
    listener = await start_listener()
    messages = [mail(f"Name: Lead {n}", message_id=f"<lead-{n}@vendor.example>") for n in range(8)]
    loop = asyncio.get_running_loop()

    with ThreadPoolExecutor(8) as threads:
        dialogues = await asyncio.gather(*(loop.run_in_executor(threads, send, listener.port, raw) for raw in messages))

    assert [d.data[0] if d.data else None for d in dialogues] == [250] * 8
    assert sorted(await stored(smtp_store)) == sorted(messages)


async def test_a_client_that_hangs_up_mid_data_stores_nothing(
    start_listener: StartListener, recorder: Recorder, smtp_store: Store
) -> None:
    listener = await start_listener()
    client = await RawClient.connect(listener.port)
    await client.command(b"EHLO vendor.example")
    await client.command(b"MAIL FROM:<portal@vendor.example>")
    await client.command(b"RCPT TO:<leads@acme.test>")
    assert (await client.command(b"DATA")).startswith(b"354")
    client.writer.write(b"Subject: half\r\n\r\nName: Ada Pa")
    await client.writer.drain()
    await client.close()
    # what would have stored it is the session's handler: wait until the listener saw the session end
    async with asyncio.timeout(10):
        await asyncio.gather(*(session.gone for session in list(listener._sessions)))

    assert recorder.seen == []
    assert await stored(smtp_store) == []
    after = await asend(listener.port, GOOD)
    assert after.data is not None and after.data[0] == 250


async def test_a_client_that_hangs_up_after_its_final_dot_is_still_stored(
    start_listener: StartListener, recorder: Recorder, smtp_store: Store
) -> None:
    arrived, hung_up = asyncio.Event(), asyncio.Event()

    async def slow(message: RawMessage) -> None:
        arrived.set()
        await hung_up.wait()

    recorder.before = slow
    listener = await start_listener()
    client = await RawClient.connect(listener.port)
    await client.command(b"EHLO vendor.example")
    await client.command(b"MAIL FROM:<portal@vendor.example>")
    await client.command(b"RCPT TO:<leads@acme.test>")
    await client.command(b"DATA")
    client.writer.write(dot_stuffed(GOOD) + b".\r\n")
    await client.writer.drain()
    await asyncio.wait_for(arrived.wait(), 5)
    await client.close()
    async with asyncio.timeout(10):  # the session is gone (its handler cancelled) while the store waits
        await asyncio.gather(*(session.gone for session in list(listener._sessions)))
    hung_up.set()

    # The store was not cancelled with the session: the sender saw no 250, retries, and is deduplicated.
    await listener.stop()
    assert await stored(smtp_store) == [GOOD]


async def test_a_stalled_client_is_hung_up_on(start_listener: StartListener) -> None:
    listener = await start_listener(idle_timeout_seconds=0.3)
    client = await RawClient.connect(listener.port)
    started = time.monotonic()

    assert await asyncio.wait_for(client.reader.read(), 5) == b""  # EOF: the server closed
    assert 0.2 < time.monotonic() - started < 3
    await client.close()


async def test_stop_lets_a_transaction_in_flight_finish_and_says_421_to_idle_sessions(
    start_listener: StartListener, smtp_store: Store
) -> None:
    listener = await start_listener(shutdown_grace=5)
    port = listener.port
    idle = await RawClient.connect(port)
    await idle.command(b"EHLO idle.example")
    busy = await RawClient.connect(port)
    await busy.command(b"EHLO vendor.example")
    await busy.command(b"MAIL FROM:<portal@vendor.example>")
    await busy.command(b"RCPT TO:<leads@acme.test>")
    await busy.command(b"DATA")
    busy.writer.write(dot_stuffed(GOOD)[:40])
    await busy.writer.drain()

    stopping = asyncio.create_task(listener.stop())
    # one turn of the loop: stop() closes the listening socket at once, then waits for the transaction
    await asyncio.sleep(0)
    assert not stopping.done()
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)  # no longer listening
    assert (await idle.command(b"MAIL FROM:<late@vendor.example>")).startswith(b"421 4.3.2")  # no new mail
    busy.writer.write(dot_stuffed(GOOD)[40:] + b".\r\n")
    finished = await busy.reply()
    await asyncio.wait_for(stopping, 5)

    assert finished.startswith(b"250 2.0.0 OK queued as"), finished
    assert (await idle.reply()).startswith(b"421 4.3.2")
    assert await stored(smtp_store) == [GOOD]
    await idle.close()
    await busy.close()


async def test_a_bug_of_ours_in_any_command_is_a_451_not_a_500(
    start_listener: StartListener, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: SmtpSettings, address: str) -> bool:
        raise KeyError("a bug")

    monkeypatch.setattr(SmtpSettings, "accepts", broken)
    listener = await start_listener()

    dialogue = await asend(listener.port, GOOD)

    assert dialogue.rcpts == [(451, "4.3.0 temporary failure, please retry")]


async def test_more_than_100_recipients_get_452_and_the_first_100_are_kept(
    start_listener: StartListener, smtp_store: Store
) -> None:
    listener = await start_listener()
    recipients = [f"lead{n}@acme.test" for n in range(101)]

    dialogue = await asend(listener.port, GOOD, recipients=recipients)

    assert [code for code, _ in dialogue.rcpts] == [250] * 100 + [452]
    record = await smtp_store.messages.get(queued_id(dialogue.data))
    assert record is not None and record.recipients == tuple(recipients[:100])


async def test_port_zero_picks_a_free_port_and_port_needs_a_start(recorder: Recorder) -> None:
    listener = SmtpListener(SmtpSettings(host="127.0.0.1", port=0), recorder, hostname="mx.acme.test")
    with pytest.raises(RuntimeError):
        _ = listener.port
    await listener.start()
    try:
        assert listener.port > 0
        assert (await asend(listener.port, GOOD)).data is not None
    finally:
        await listener.stop()
    await listener.stop()  # a second stop is harmless
