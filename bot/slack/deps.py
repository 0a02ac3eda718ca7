"""What listeners are handed: our services, passed by closure into each ``register(app, deps)``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from store.repository import Store


@dataclass(frozen=True, slots=True)
class SlackDeps:
    store: Store
    #: tell the outbox worker that new items were queued (card updates after a claim)
    wake_outbox: Callable[[], None]
