"""Leadbot's errors, and whose fault each one is. One catch per entry point decides what happens.

    Exception
    ├── ConfigError              (bot.settings)     the admin's: a key or value is wrong
    ├── TemplateError            (parsers.templates) a vendor file's author: the template cannot be used
    ├── ModelNotInstalledError   (nlp.settings)     the admin's: [nlp] model names a package not installed
    │       → all three stop start-up with one readable line naming the key or file (exit 2)
    ├── ExtractionError          (parsers.lead)     the sender's: input that cannot be read as a lead
    │   └── RefusedInput                            hostile input (an XML entity bomb), refused unread
    │       → logged at info; the message stays stored as "failed" with the reason, for a human to see
    ├── LeadNotFound             (store.records)    a click or command names a lead that is not there
    │       → a polite answer to whoever asked
    └── anything else                               ours: a bug or an outage
            → logged with the traceback; the message stays stored for `leadbot replay`;
              SMTP answers 451 (try again later), never 500
"""

from __future__ import annotations

from bot.settings import ConfigError
from nlp.settings import ModelNotInstalledError
from parsers.lead import ExtractionError, RefusedInput
from parsers.templates import TemplateError
from store.records import LeadNotFound

#: errors that mean "this configuration cannot start": shown as one line, exit status 2
STARTUP_ERRORS: tuple[type[Exception], ...] = (ConfigError, TemplateError, ModelNotInstalledError)

__all__ = [
    "STARTUP_ERRORS",
    "ConfigError",
    "ExtractionError",
    "LeadNotFound",
    "ModelNotInstalledError",
    "RefusedInput",
    "TemplateError",
]
