"""A reader stuck on hostile input, for the reader tests' worker processes.

Its own small module: a worker imports it at its first message, and that import counts against the
message's time budget (the test module, with the store and the pipeline, took seconds on a loaded machine).
"""

from __future__ import annotations

import os
import time

from bot.intake.reader import read_in_worker
from parsers.errors import InputError
from parsers.lead import Extraction, RawMessage

#: a message whose reading never ends and burns CPU all the while (a runaway: the CPU budget stops it)
STALL = b"X-Test-Stall: yes\r\n"
#: a message whose reading waits ``SLOW_SECONDS`` without using CPU before it reads (a read on a machine so
#: loaded that the worker gets no core for that long: no overrun of a CPU budget)
SLOW = b"X-Test-Slow: yes\r\n"
SLOW_SECONDS = 3.0
#: a message whose reading hangs without using CPU (only the wall-clock outer bound stops it)
HANG = b"X-Test-Hang: yes\r\n"
#: a message the reader refuses (an input error of the sender's)
REFUSE = b"X-Test-Refuse: yes\r\n"
#: a message whose reading ends the reading process (a crash in a native library)
CRASH = b"X-Test-Crash: yes\r\n"


def stall_or_read(message: RawMessage) -> Extraction:
    """Stands for a reader stuck on hostile input (the stall header never finishes), a worker that gets no core
    for a while, one that hangs, refusing input, or crashing."""
    if STALL in message.raw:
        while True:  # CPU, and nothing else, until the process is killed
            pass
    if HANG in message.raw:
        time.sleep(600)
    if SLOW in message.raw:
        time.sleep(SLOW_SECONDS)
    if REFUSE in message.raw:
        raise InputError("refused by the test reader")
    if CRASH in message.raw:
        os._exit(3)
    return read_in_worker(message)
