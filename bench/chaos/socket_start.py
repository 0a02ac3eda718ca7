"""Socket Mode with Slack unreachable at start: intake must not wait for Slack, SIGTERM must be honoured, and
the cards must appear once Slack is back."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.chaos.common import ChaosSlack, Result, Serve, burst, config, count, free_port, settle
from store.store import Store

#: "SIGTERM stops the service within a few seconds": a clean stop takes 2–6 s on a loaded 2-core machine
#: (the reader process, the store); one that hangs is SIGKILLed by the harness at 30 s
STOP_GOAL = 10.0


async def socket_start(mails: int, folder: Path, *, down: float = 20.0) -> Result:
    """`leadbot serve` in Socket Mode with its Web API URL on a closed port.

    1. Started with Slack unreachable: the seconds to the first 250, half the mail, then SIGTERM (timed).
    2. Started again, Slack still unreachable: the other half; ``down`` s later the Web API answers on that
       port while apps.connections.open hands out a closed port (Socket Mode still cannot connect): every
       card must appear. 3. Then Socket Mode may connect: whether it does (within 70 s) is printed.
    """
    url = f"sqlite+aiosqlite:///{folder / 'socket.db'}"
    port, slack_port = free_port(), free_port()
    slack = ChaosSlack(port=slack_port)
    cfg = config(folder, "socket", url, port, slack.base_url, socket_mode=True)
    serve = Serve(cfg, port, folder / "socket.log")
    store = Store.open(url)
    try:
        began = time.monotonic()
        serve.start()
        await serve.listening()
        accepted = await burst([port], "s", 1)
        first_250 = time.monotonic() - began
        accepted |= await burst([port], "s", mails // 2 - 1, first=1)
        stop_down = await serve.stop()
        serve.start()
        await serve.listening()
        accepted |= await burst([port], "s", mails - mails // 2, first=mails // 2)
        await asyncio.sleep(max(0.0, down - (time.monotonic() - began)))
        slack.socket_url = f"ws://127.0.0.1:{free_port()}/socket-mode/link"
        await slack.start()
        back = time.monotonic()
        await settle(store, slack, accepted, limit=420)  # the outbox's backoff is capped at 300 s
        drain = time.monotonic() - back
        slack.socket_url = None
        try:
            await slack.wait_socket_connected(timeout=70)
            socket = f"connected {time.monotonic() - back - drain:.0f} s after it could"
        except AssertionError:  # the stand-in's way of saying it timed out
            socket = "NOT connected within 70 s"
        stop_up = await serve.stop()
        result = await count("socket-start", store, slack, accepted, drain,
                             f"(first 250 {first_250:.1f} s after start with Slack down; SIGTERM exit "
                             f"{stop_down:.1f} s while down, {stop_up:.1f} s while up; Socket Mode {socket})")
    finally:
        await serve.stop()
        await slack.close()
        await store.close()
    missed = [f"SIGTERM took {s:.1f} s" for s in (stop_down, stop_up) if s > STOP_GOAL]
    if "NOT" in socket:
        missed.append("Socket Mode never reconnected")
    result.failed = "; ".join(missed)
    return result
