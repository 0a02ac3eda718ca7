"""The roots of Leadbot's error tree: whose fault a failure is. ``bot.errors`` draws the whole tree.

They live here, at the bottom of the house, so that every package (``parsers`` imports nothing of
ours) can raise an error that the one catch at each entry point understands.
"""

from __future__ import annotations


class LeadbotError(Exception):
    """Every error Leadbot raises on purpose."""


class StartupError(LeadbotError):
    """The admin's: this configuration cannot start. Shown as one line naming what to fix; exit status 2."""


class InputError(LeadbotError):
    """The sender's: input that cannot be taken. Logged at info and answered politely; the input is kept."""


class RequestRefused(LeadbotError):
    """A person asked for something that is not there or not theirs. Answered to them, nothing logged."""


class OutageError(LeadbotError):
    """Ours or a dependency's (a server refused, went away): retried later; nothing accepted is lost."""
