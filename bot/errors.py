"""Leadbot's errors, and whose fault each one is. One catch per entry point decides what happens.

    LeadbotError                              (parsers.errors: the roots, importable from every package)
    ├── StartupError                          the admin's: this configuration cannot start
    │   ├── ConfigError            (bot.settings)       a key or value is wrong
    │   ├── TemplateError          (parsers.templates)  a vendor file cannot be used
    │   ├── LabelDataError         (parsers.labels)     a label dictionary file is malformed
    │   └── ModelNotInstalledError (nlp.settings)       [nlp] model names a package not installed
    │       → one readable line naming the key or file, exit status 2
    ├── InputError                            the sender's: input that cannot be taken
    │   ├── ExtractionError        (parsers.lead)       bytes that cannot be read as a lead
    │   │   └── RefusedInput                            hostile input (an XML entity bomb), refused unread
    │   ├── ReadAborted            (bot.intake.reader)  reading overran its time budget (or killed its process)
    │   ├── UnreadableChat         (bot.intake.chat)    a chat note that cannot be read
    │   ├── ImportFileError        (bot.intake.spreadsheet) a file that cannot be imported
    │   └── HttpProblem            (bot.intake.http_checks) a request refused at the edge, with its status
    │       → logged at info, answered politely; the input stays stored as "failed" with the reason
    ├── RequestRefused                        a person asked for what is not there or not theirs
    │   ├── LeadNotFound           (store)              a click or command names a lead that is not there
    │   ├── WorkRefused            (store)              not the owner, not a manager, already closed …
    │   └── CommandFailed          (bot.cli.common)     a command cannot do its work (exit status 1)
    │       └── UsageError                              … or was given what it cannot use (exit status 2)
    │       → a polite answer to whoever asked
    ├── OutageError                           a server refused or went away
        ├── ImapError              (bot.intake.imap)    the mailbox refused a command
        ├── DnsTempError           (bot.intake.authenticity) a DNS lookup timed out (temperror)
        ├── DeliveryFailed         (bot.workers.webhooks) a webhook receiver did not take an event
        └── the outbox's delivery outcomes (bot.workers.outbox, private)
            → retried with backoff; nothing accepted is lost
    the store unreachable                     a connection gone: refused, reset, no route; PostgreSQL shutting down;
                                              SQLite unable to open, disk I/O (``store.db.unreachable``; a DNS or
                                              file error is no outage)
            → one WARNING when it goes and one when it returns (``StoreState``), no traceback per message;
              accepted messages stay "received" and the sweep processes them when it returns
    any other exception                       ours: a bug
            → logged with the traceback; the message stays stored for `leadbot replay`;
              SMTP answers 451 (try again later), never 500

The classes raised by the ways in (ReadAborted, UnreadableChat, ImportFileError, HttpProblem, ImapError) live in their
modules and are not re-exported here, so that those modules can use ``failure_note`` without a cycle.
"""

from __future__ import annotations

import logging
import traceback

from bot.settings import ConfigError
from nlp.settings import ModelNotInstalledError
from parsers.errors import InputError, LeadbotError, OutageError, RequestRefused, StartupError
from parsers.lead import ExtractionError, RefusedInput
from parsers.templates import TemplateError
from store.db import unreachable
from store.records import LeadNotFound, WorkRefused

#: errors that mean "this configuration cannot start": shown as one line, exit status 2
STARTUP_ERRORS: tuple[type[Exception], ...] = (StartupError,)


def failure_note(exc: BaseException, what: str, log: logging.Logger) -> str:
    """Log a failure by whose fault it is; return the note kept with the input for a human and for replay.

    The sender's fault is logged plainly at info ("unreadable: …"); an outage (a server refused or went
    away) as one warning line without a traceback; ours with its traceback, which is also what the note
    keeps, so `leadbot messages --failed` shows where it broke.
    """
    if isinstance(exc, InputError):
        log.info("%s cannot be read: %s", what, exc)
        return f"unreadable: {exc}"
    if is_outage(exc):
        log.warning("%s failed, a server is unreachable (%s); it stays stored for `leadbot replay`",
                    what, _brief(exc))
        return f"unreachable: {_brief(exc)}"
    log.error("%s failed; it stays stored for `leadbot replay`", what, exc_info=exc)
    return "".join(traceback.format_exception(exc))


def is_outage(exc: BaseException) -> bool:
    """Whether ``exc`` is a server refusing or going away (an ``OutageError``, the store unreachable), not a bug."""
    return isinstance(exc, OutageError) or unreachable(exc)


class StoreState:
    """Whether the store answers, logged once per change of state rather than once per message in flight.

    Every worker that meets the store reports here: ``down(exc)`` on a connection error, ``up()`` after it
    answered. A 5-second outage with a hundred messages in flight writes two lines, not a hundred tracebacks.
    """

    def __init__(self, log: logging.Logger) -> None:
        self._log = log
        #: whether the store is unreachable, as far as the last report knows
        self.down_now = False

    def down(self, exc: BaseException) -> None:
        if not self.down_now:
            self.down_now = True
            self._log.warning("store unreachable: %s; accepted mail waits and is processed when it returns",
                              _brief(exc))

    def up(self) -> None:
        if self.down_now:
            self.down_now = False
            self._log.warning("store reachable again")


def _brief(exc: BaseException) -> str:
    """The exception as one short line: its type and the first line of its text (SQLAlchemy's run long)."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__


__all__ = [
    "STARTUP_ERRORS",
    "ConfigError",
    "ExtractionError",
    "InputError",
    "LeadNotFound",
    "LeadbotError",
    "ModelNotInstalledError",
    "OutageError",
    "RefusedInput",
    "RequestRefused",
    "StartupError",
    "StoreState",
    "TemplateError",
    "WorkRefused",
    "failure_note",
    "is_outage",
]
