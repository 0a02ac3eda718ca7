"""Socket Mode with Slack unreachable: mail is taken at once, the log says so once, and a signal stops it.

Slack's Web API is a loopback port that accepts and hangs up at once, so each connection attempt can be
counted (the service cannot reach Slack either way, as with a closed port).
"""

from __future__ import annotations

import asyncio
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from store.store import Store
from tests.e2e.test_crash import _free_port, _send, _start, _wait_listening, _wait_started


class HangUp:
    """A TCP port on 127.0.0.1 that closes every connection it accepts, counting them."""

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.port = int(self._sock.getsockname()[1])
        self.attempts = 0
        #: set once three connections were refused
        self.refused_thrice = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return
            self.attempts += 1
            conn.close()
            if self.attempts >= 3:
                self.refused_thrice.set()

    def close(self) -> None:
        self._sock.close()


@pytest.fixture
def slack_down() -> Iterator[HangUp]:
    down = HangUp()
    yield down
    down.close()


def _config(path: Path, store_url: str, smtp_port: int, api_port: int) -> Path:
    path.write_text(
        f"""
log_level = "INFO"
[smtp]
port = {smtp_port}
[store]
url = "{store_url}"
[slack]
mode = "socket"
bot_token = "xoxb-unreachable-test"
app_token = "xapp-unreachable-test"
api_base_url = "http://127.0.0.1:{api_port}/api/"
"""
    )
    return path


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
async def test_mail_is_taken_while_slack_is_unreachable_and_a_signal_stops_it(
    store_url: str, slack_down: HangUp, tmp_path: Path, sig: signal.Signals
) -> None:
    port = _free_port()
    config = _config(tmp_path / "leadbot.toml", store_url, port, slack_down.port)
    log = tmp_path / "serve.log"
    proc = await _start(config, log)
    try:
        await _wait_listening(proc, port)
        code, reply = await asyncio.to_thread(_send, port)
        assert code == 250, reply
        # Slack starts last, after the reading process warmed up (many seconds on a loaded machine): from then,
        # several connection attempts (the first retries after 1 s, the next after 2 s).
        await _wait_started(proc, log, after=0)
        assert await asyncio.to_thread(slack_down.refused_thrice.wait, 30), "no third connection attempt"
    finally:
        signalled = time.monotonic()
        proc.send_signal(sig)
        async with asyncio.timeout(30):
            await proc.wait()
        took = time.monotonic() - signalled
    text = log.read_text()
    assert proc.returncode == 0, text[-3000:]
    assert took < 10, f"{sig.name} took {took:.1f} s"
    assert "Traceback" not in text, text[-3000:]
    slack_lines = [line for line in text.splitlines() if "Slack" in line]
    assert len([line for line in slack_lines if "cannot connect" in line]) == 1, slack_lines
    assert not [line for line in slack_lines if "Slack Socket Mode connected" in line]
    print(f"{sig.name}: stopped in {took:.2f} s after {slack_down.attempts} attempts; {slack_lines}")

    store = Store.open(store_url)
    try:
        [message] = await store.messages.recent()
        assert b"Odile Ferreira" in message.raw
    finally:
        await store.close()
