"""A store that cannot be reached costs each sender a 451 and the log one plain line each, not a traceback;
a bug of ours still logs its traceback."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

import pytest

from parsers.lead import RawMessage
from store.store import Store

from .conftest import Recorder, StartListener, asend


async def _refused(_: RawMessage) -> None:
    raise ConnectionRefusedError(111, "Connect call failed ('127.0.0.1', 5432)")


async def _bug(_: RawMessage) -> None:
    raise KeyError("a bug of ours")


@pytest.mark.parametrize(("before", "traceback"), [(_refused, False), (_bug, True)])
async def test_a_store_outage_is_a_451_without_a_traceback(
    start_listener: StartListener, smtp_store: Store, caplog: pytest.LogCaptureFixture,
    before: Callable[[RawMessage], Awaitable[None]], traceback: bool,
) -> None:
    listener = await start_listener(Recorder(smtp_store, before))
    with caplog.at_level(logging.INFO, logger="bot.intake.smtp"):
        answer = await asend(listener.port, b"Subject: one\r\n\r\nName: Ann Lee\r\n")
    assert answer.data == (451, "4.3.0 temporary failure, please retry")
    [line] = [r for r in caplog.records if "could not store a message" in r.getMessage()]
    assert (line.exc_info is not None) is traceback
    assert line.levelno == (logging.ERROR if traceback else logging.INFO)
