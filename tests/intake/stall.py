"""A reader stuck on hostile input, for the reader tests' worker processes.

Its own small module: a worker imports it at its first message, and that import counts against the
message's time budget (the test module, with the store and the pipeline, took seconds on a loaded machine).
"""

from __future__ import annotations

import time

from bot.intake.reader import read_in_worker
from parsers.lead import Extraction, RawMessage

STALL = b"X-Test-Stall: yes\r\n"


def stall_or_read(message: RawMessage) -> Extraction:
    """Stands for a reader stuck on hostile input: a message with the stall header never finishes."""
    if STALL in message.raw:
        time.sleep(600)
    return read_in_worker(message)
