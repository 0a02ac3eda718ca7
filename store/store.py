"""The store: one engine and the repositories over it, one per thing stored.

    store = Store.open(url); await store.migrate()
    await store.messages.accept(raw, dedup_key=…)     # store/messages.py
    await store.leads.claim(lead_id, user)             # store/leads.py — the atomic claim
    store.contacts, store.outbox, store.timers, store.drafts, store.imports, store.events, store.reps,
    store.authentication, store.privacy (erasure, export, retention: store/privacy.py),
    store.acknowledgements (emails to the prospect), store.event_cursors (followers of the events table)
    store.webhooks (outbound webhook receivers' cursors: store/webhooks.py)

Work that spans repositories in one transaction (a lead filed under its contact, with its events, card and
claim timer) goes through module-level helpers taking the session (``store.leads.insert_lead``), never
through a second transaction.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from store.acknowledgements import Acknowledgements
from store.authentication import Authentications
from store.contacts import Contacts
from store.db import Clock, Db, create_engine, utcnow
from store.drafts import Drafts
from store.event_cursors import EventCursors
from store.events import Events
from store.imports import Imports
from store.leads import Leads
from store.messages import Messages
from store.outbox import Outbox
from store.privacy import Privacy
from store.reps import Reps
from store.timers import Timers
from store.webhooks import Webhooks


class Store:
    """The repositories of one database; rows never leave them (callers get `store.records`)."""

    def __init__(self, engine: AsyncEngine, *, clock: Clock = utcnow) -> None:
        self._db = Db(engine, clock=clock)
        self.engine = engine
        self.outbox = Outbox(self._db)
        self.messages = Messages(self._db, cards=self.outbox.handoff)
        self.leads = Leads(self._db)
        self.contacts = Contacts(self._db)
        self.timers = Timers(self._db)
        self.drafts = Drafts(self._db)
        self.imports = Imports(self._db)
        self.events = Events(self._db)
        self.reps = Reps(self._db)
        self.authentication = Authentications(self._db)
        self.privacy = Privacy(self._db)
        self.acknowledgements = Acknowledgements(self._db)
        self.event_cursors = EventCursors(self._db)
        self.webhooks = Webhooks(self._db)

    @classmethod
    def open(cls, url: str, *, clock: Clock = utcnow) -> Store:
        return cls(create_engine(url), clock=clock)

    @property
    def engines(self) -> tuple[Engine, ...]:
        """Every (synchronous) engine statements go through: ``engine``'s and, on a SQLite file, the writer thread's
        (`store.db.Db.run_write`). Where engine events are to be seen, they are listened to on each."""
        return self._db.engines

    @property
    def dialect(self) -> str:
        return self._db.dialect

    async def migrate(self) -> None:
        """Bring the schema to the newest Alembic revision (under a lock: instances may start together)."""
        await self._db.migrate()

    async def close(self) -> None:
        await self.messages.close()
        await self._db.close()
