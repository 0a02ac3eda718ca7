"""Bounded work per client, over real sockets on 127.0.0.1: connection caps, idle timeout, memory per
connection, the descriptor limit, and a database that cannot be reached."""

from __future__ import annotations

import asyncio
import contextlib
import resource
from collections.abc import AsyncIterator
from pathlib import Path

from bot.intake.smtp import raise_open_files_limit
from store.store import Store
from tests.conftest import unavailable

from .conftest import LEADS, VENDOR, RawClient, Recorder, StartListener, asend

MIB = 1024 * 1024


async def hung_up(client: RawClient, within: float = 10.0) -> bytes:
    """Everything the server still says until it closes the connection (waits for the close itself)."""
    said = b""
    async with asyncio.timeout(within):
        while chunk := await client.reader.read(4096):
            said += chunk
    return said


async def test_connections_over_the_per_client_cap_get_421_and_are_closed(start_listener: StartListener) -> None:
    listener = await start_listener(max_connections_per_client=2, max_connections=50)
    first, second = await RawClient.connect(listener.port), await RawClient.connect(listener.port)
    reader, writer = await asyncio.open_connection("127.0.0.1", listener.port)
    third = RawClient(reader, writer)
    try:
        assert await hung_up(third) == b"421 4.7.0 too many connections from your address, please retry later\r\n"
        # the two already open are served as before
        assert (await first.command(b"NOOP")).startswith(b"250")
        assert (await second.command(b"NOOP")).startswith(b"250")
        # one leaves: its place is free again
        assert (await second.command(b"QUIT")).startswith(b"221")
        await hung_up(second)
        fourth = await RawClient.connect(listener.port)
        assert (await fourth.command(b"NOOP")).startswith(b"250")
        await fourth.close()
    finally:
        for client in (first, second, third):
            await client.close()


async def test_connections_over_the_total_cap_get_421(start_listener: StartListener) -> None:
    listener = await start_listener(max_connections=3, max_connections_per_client=10)
    clients = [await RawClient.connect(listener.port) for _ in range(3)]
    reader, writer = await asyncio.open_connection("127.0.0.1", listener.port)
    over = RawClient(reader, writer)
    try:
        assert await hung_up(over) == b"421 4.7.0 too many connections, please retry later\r\n"
        for client in clients:
            assert (await client.command(b"NOOP")).startswith(b"250")
    finally:
        for each in (*clients, over):
            await each.close()


async def test_an_idle_client_is_disconnected_after_the_configured_timeout(start_listener: StartListener) -> None:
    listener = await start_listener(idle_timeout_seconds=0.3)
    client = await RawClient.connect(listener.port)
    busy = await RawClient.connect(listener.port)
    try:
        loop = asyncio.get_running_loop()
        # the listener's idle clock starts when it has read the EHLO, so after this moment, never before
        started = loop.time()
        assert (await client.command(b"EHLO vendor.example")).startswith(b"250")
        # `busy` keeps talking at a tenth of the timeout; `client` says nothing and is hung up on
        closed = asyncio.create_task(hung_up(client))
        while not closed.done():
            assert (await busy.command(b"NOOP")).startswith(b"250")
            await asyncio.wait({closed}, timeout=0.03)
        assert await closed == b""
        assert loop.time() - started >= 0.3
        assert (await busy.command(b"NOOP")).startswith(b"250")
    finally:
        await client.close()
        await busy.close()


def rss_bytes() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


@contextlib.asynccontextmanager
async def peak_rss() -> AsyncIterator[list[int]]:
    """[baseline, peak] resident memory of this process while the block runs (sampled every 5 ms)."""
    found = [rss_bytes(), rss_bytes()]

    async def sample() -> None:
        while True:
            found[1] = max(found[1], rss_bytes())
            await asyncio.sleep(0.005)

    sampler = asyncio.create_task(sample())
    try:
        yield found
    finally:
        sampler.cancel()
        found[1] = max(found[1], rss_bytes())


async def stream_short_lines(port: int, total: int, limit: int) -> tuple[bytes, bytes]:
    """Send ``total`` bytes of 3-byte lines as DATA, then the final dot and NOOP. Returns (the reply
    read once just past ``limit``, before the data ends; the reply to NOOP). DATA has one final reply,
    so nothing more answers the dot when the refusal came first."""
    client = await RawClient.connect(port)
    try:
        await client.command(b"EHLO vendor.example")
        assert (await client.command(f"MAIL FROM:<{VENDOR}>".encode())).startswith(b"250")
        assert (await client.command(f"RCPT TO:<{LEADS}>".encode())).startswith(b"250")
        assert (await client.command(b"DATA")).startswith(b"354")
        chunk = b"a\r\n" * 21_846  # 65,538 bytes of 3-byte lines
        sent = 0
        # The server reads in steps of at most 64 KiB: a step past the limit, its answer is due.
        while sent <= limit + 128 * 1024:
            client.writer.write(chunk)
            await client.writer.drain()
            sent += len(chunk)
        early = await client.reply()  # answered before the data ends: nothing more is buffered
        while sent < total:
            client.writer.write(chunk)
            await client.writer.drain()
            sent += len(chunk)
        client.writer.write(b".\r\n")
        return early, await client.command(b"NOOP")
    finally:
        await client.close()


async def test_four_clients_streaming_9_mib_of_short_lines_get_552_early_and_memory_stays_bounded(
    start_listener: StartListener, smtp_store: Store
) -> None:
    limit = 1 * MIB
    listener = await start_listener(max_message_bytes=limit)
    async with peak_rss() as rss:
        results = await asyncio.gather(*(stream_short_lines(listener.port, 9 * MIB, limit) for _ in range(4)))
    for early, noop in results:
        assert early == b"552 5.3.4 message exceeds fixed maximum message size\r\n"
        # the final dot ends the discarded DATA; the session is in step again
        assert noop.startswith(b"250"), noop
    assert await smtp_store.messages.recent() == []
    growth = rss[1] - rss[0]
    # aiosmtpd's reader held about 15 MiB per such connection (an object per line) before refusing;
    # ours holds at most the limit plus a 64 KiB read buffer per connection.
    assert growth < 4 * (limit + MIB) + 8 * MIB, f"resident memory grew by {growth / MIB:.1f} MiB"


async def test_a_message_just_under_the_limit_in_short_lines_is_stored_byte_exact(
    start_listener: StartListener, smtp_store: Store
) -> None:
    limit = 256 * 1024
    listener = await start_listener(max_message_bytes=limit)
    head = f"From: <{VENDOR}>\r\nTo: <{LEADS}>\r\nSubject: lines\r\n\r\n".encode()
    body = b"".join(b".\r\n" if i % 7 == 0 else b"a.\r\n" for i in range(20_000))
    raw = head + body
    assert len(raw) < limit

    dialogue = await asend(listener.port, raw)

    assert dialogue.data is not None and dialogue.data[0] == 250, dialogue.data
    (stored,) = await smtp_store.messages.recent()
    assert stored.raw == raw


async def test_starting_raises_the_open_files_soft_limit_to_the_hard_limit(start_listener: StartListener) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard <= 256:
        unavailable(f"no finite hard limit above 256 here ({hard})", "the open-files limit test")
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))  # lowering is always allowed
        await start_listener()
        assert resource.getrlimit(resource.RLIMIT_NOFILE) == (hard, hard)
        assert raise_open_files_limit() == hard  # already there: nothing to do
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


async def test_an_unreachable_database_is_451_never_250_and_the_listener_keeps_serving(
    start_listener: StartListener, tmp_path: Path
) -> None:
    # A store whose SQLite file cannot be opened (its folder does not exist): every statement fails,
    # as with a PostgreSQL server that is down.
    unreachable = Store.open(f"sqlite+aiosqlite:///{tmp_path / 'gone' / 'leadbot.db'}")
    try:
        listener = await start_listener(Recorder(unreachable))
        first = await asend(listener.port, b"Subject: one\r\n\r\nName: Ann Lee\r\n")
        second = await asend(listener.port, b"Subject: two\r\n\r\nName: Bo Kim\r\n")
    finally:
        await unreachable.close()
    assert first.data == (451, "4.3.0 temporary failure, please retry")
    assert second.data == (451, "4.3.0 temporary failure, please retry")


async def test_a_client_that_stalls_inside_data_is_hung_up_on_and_nothing_is_stored(
    start_listener: StartListener, smtp_store: Store
) -> None:
    listener = await start_listener(idle_timeout_seconds=0.3)
    client = await RawClient.connect(listener.port)
    try:
        await client.command(b"EHLO vendor.example")
        await client.command(f"MAIL FROM:<{VENDOR}>".encode())
        await client.command(f"RCPT TO:<{LEADS}>".encode())
        assert (await client.command(b"DATA")).startswith(b"354")
        client.writer.write(b"Subject: half a message\r\n\r\nName: Ann")
        await client.writer.drain()
        assert await hung_up(client) == b""  # the close itself is the event waited for
    finally:
        await client.close()
    assert await smtp_store.messages.recent() == []
