"""What listeners are handed: our services, passed by closure into each ``register(app, deps)``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.intake.chat import ChatIntake
from bot.settings import SlackSettings
from bot.slack.roles import Roles
from store.db import utcnow
from store.store import Store


@dataclass(frozen=True, slots=True)
class SlackDeps:
    store: Store
    #: tell the outbox worker that new items were queued (card updates after a claim)
    wake_outbox: Callable[[], None]
    settings: SlackSettings
    roles: Roles
    #: chat intake (messages, mentions, the shortcut, `/leads new`); None: not available
    intake: ChatIntake | None = None
    clock: Callable[[], datetime] = utcnow
