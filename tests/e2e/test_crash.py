"""Kill -9 after the 250 and before processing: on restart the message becomes exactly one lead and card.

`leadbot serve --hold` accepts and stores mail but processes none, which pins the kill to the moment
between "accepted" and "processed" without any timing luck.
"""

from __future__ import annotations

import asyncio
import os
import signal
import smtplib
import socket
import sys
from pathlib import Path

from store.store import Store
from tests.fakes.slack_api import BOT_TOKEN, FakeSlackApi

SALES = "C0CRASHSALES"
MAIL = b"""\
From: Lakeside Realty Leads <leads@lakeside-realty.example>
To: inbox@brightkey-homes.example
Subject: Showing request: 18 Alder Lane
Message-ID: <crash-0001@lakeside-realty.example>
Content-Type: text/plain; charset=utf-8

Name: Odile Ferreira
Email: odile.ferreira@outlook.com
Phone: 617-555-0163
Property: 18 Alder Lane, Newton, MA 02458
Message: I would like to see the house this weekend, Saturday afternoon if possible.
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _config(path: Path, store_url: str, smtp_port: int, slack: FakeSlackApi) -> Path:
    path.write_text(
        f"""
log_level = "INFO"
[smtp]
port = {smtp_port}
[store]
url = "{store_url}"
[slack]
mode = "http"
bot_token = "{BOT_TOKEN}"
signing_secret = "crash-test-secret"
api_base_url = "{slack.base_url}"
http_port = {_free_port()}
post_interval_seconds = 0
[slack.channels]
sales = "{SALES}"
"""
    )
    return path


async def _start(config: Path, log: Path, *extra: str) -> asyncio.subprocess.Process:
    leadbot = Path(sys.executable).with_name("leadbot")
    with log.open("ab") as sink:
        return await asyncio.create_subprocess_exec(
            str(leadbot), "--config", str(config), "serve", *extra,
            stdout=sink, stderr=sink, env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )


async def _wait_listening(proc: asyncio.subprocess.Process, port: int) -> None:
    async with asyncio.timeout(60):
        while True:
            if proc.returncode is not None:
                raise AssertionError("leadbot serve exited early (see its log)")
            try:
                _, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                await asyncio.sleep(0.1)
                continue
            writer.close()
            await writer.wait_closed()
            return


async def _wait_started(proc: asyncio.subprocess.Process, log: Path, after: int, limit: float = 120) -> None:
    """Until the service logs (past byte ``after`` of its log) that it is up, after its reading process warmed
    up; or ``limit`` s. Its log is the only thing that says so: polled, as `_wait_listening` polls the port."""

    def said() -> bytes:
        with log.open("rb") as text:
            text.seek(after)
            return text.read()

    async with asyncio.timeout(limit):
        while b"leadbot is listening for mail" not in await asyncio.to_thread(said):
            if proc.returncode is not None:
                raise AssertionError(f"leadbot serve exited early:\n{(await asyncio.to_thread(said))[-3000:]!r}")
            await asyncio.sleep(0.1)


def _send(port: int) -> tuple[int, bytes]:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo()
        client.mail("leads@lakeside-realty.example")
        client.rcpt("inbox@brightkey-homes.example")
        return client.data(MAIL)


async def test_sigkill_between_250_and_processing_loses_nothing(
    store_url: str, slack_api: FakeSlackApi, tmp_path: Path
) -> None:
    port = _free_port()
    config = _config(tmp_path / "leadbot.toml", store_url, port, slack_api)

    log = tmp_path / "serve.log"
    first = await _start(config, log, "--hold")
    try:
        await _wait_listening(first, port)
        code, reply = await asyncio.to_thread(_send, port)
        assert code == 250, reply
    finally:
        first.send_signal(signal.SIGKILL)
        await first.wait()
    assert first.returncode == -signal.SIGKILL

    store = Store.open(store_url)
    try:
        [message] = await store.messages.recent()
        assert message.status == "received" and b"Odile Ferreira" in message.raw
        assert await store.leads.recent() == []
        assert slack_api.calls("chat.postMessage") == []

        logged = log.stat().st_size
        second = await _start(config, log)
        try:
            await _wait_listening(second, port)
            # start-up (importing, warming the reading process: many seconds on a loaded machine) is not what
            # the 30 s below bound: wait for the service to say it is up, then for the card
            await _wait_started(second, log, after=logged)
            try:
                await slack_api.wait_for(lambda: bool(slack_api.channel_messages(SALES)), timeout=30, what="card")
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n{log.read_text()[-4000:]}") from None
            # a wrongly repeated run would come from a message still "received" or an item still queued: wait
            # until neither is left (the database is the event), then count
            async with asyncio.timeout(30):
                while await _unfinished(store):  # noqa: ASYNC110
                    await asyncio.sleep(0.05)
        finally:
            second.send_signal(signal.SIGTERM)
            async with asyncio.timeout(30):
                await second.wait()
        assert second.returncode == 0, f"SIGTERM must shut down gracefully:\n{log.read_text()[-3000:]}"

        leads = await store.leads.recent()
        assert len(leads) == 1 and leads[0].fields.get("email") == "odile.ferreira@outlook.com"
        assert len(slack_api.channel_messages(SALES)) == 1
        assert len(slack_api.calls("chat.postMessage", ok_only=True)) == 1
        [after] = await store.messages.recent()
        assert after.status == "processed"
    finally:
        await store.close()


async def _unfinished(store: Store) -> bool:
    """Whether a message is still to be read or a card still to be posted."""
    received = [m for m in await store.messages.recent() if m.status == "received"]
    return bool(received) or await store.outbox.pending_count() > 0
