"""What listeners are handed: our services, passed by closure into each ``register(app, deps)``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.intake.chat import ChatIntake
from bot.settings import RoutingSettings, SlackSettings
from bot.slack.followup import FollowUp
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
    #: business hours and the claim SLA: reminders fall inside the hours, a re-opened card's clock restarts
    routing: RoutingSettings = field(default_factory=RoutingSettings)

    def follow_up(self) -> FollowUp:
        """The lead-work service the listeners share (bot/slack/followup.py)."""
        return FollowUp(self.store, self.roles, self.routing, wake_outbox=self.wake_outbox, clock=self.clock)
