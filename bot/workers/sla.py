"""The SLA worker: fires due SLA timers from the database (the plan is pure, in ``bot.assess.sla``).

Every action is one store transaction that takes the timer with a compare-and-set, writes the events
and the outbox items and the next timer together, so a restart at any point loses no timer and two
workers never fire one twice. The clock and the sleep are injected, so tests run a day of SLA in
milliseconds. Due timers are leased (issue 12), so several instances never look at one timer at once.

Reminders reps ask for (`/leads remind`, the card's "Remind me": timers of kind ``remind``, issue 14) ride
on the same leases: a due one becomes a DM to its rep, in the same transaction that takes the timer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from bot.assess.sla import BusinessCalendar, Clock, choose_rep, claim_steps, plan
from bot.settings import RoutingSettings, SlackChannels
from bot.slack.notes import grade_c_digest, reminder_dm
from bot.slack.reminders import REMIND
from store.db import utcnow
from store.records import LeadRecord, SlaTimerRecord
from store.store import Store

log = logging.getLogger(__name__)


# ---- the worker -------------------------------------------------------------------------------------


class SlaWorker:
    """Fires due SLA timers (and the grade C digest) every `routing.check_seconds`, or on `tick()`."""

    def __init__(
        self,
        store: Store,
        settings: RoutingSettings,
        channels: SlackChannels,
        *,
        clock: Clock = utcnow,
        on_outbox: Callable[[], None] = lambda: None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        instance: str | None = None,
        lease_seconds: float = 120.0,
    ) -> None:
        #: the lease owner name of this worker (issue 12: one instance looks at each due timer)
        self._instance = instance or f"sla:{uuid.uuid4().hex}"
        self._lease_seconds = lease_seconds
        self._store = store
        self._settings = settings
        self._channels = channels
        self._clock = clock
        self._on_outbox = on_outbox
        self._sleep = sleep
        self._calendar = BusinessCalendar.of(settings)

    async def tick(self) -> list[str]:
        """Fire every due timer once; returns what was done (one note per timer fired)."""
        now = self._clock()
        done: list[str] = []
        if not self._calendar.is_open(now):
            return done
        held: set[int] = set()
        try:
            # A step that fires may schedule the next one already due (after downtime): catch up in rounds.
            for _ in range(2 + claim_steps(self._settings)):
                due = await self._store.timers.lease(self._instance, now, seconds=self._lease_seconds)
                if not due:
                    break
                for timer in due:
                    note = await self._fire(timer, now)
                    if note is None:
                        held.add(timer.id)
                    else:
                        done.append(note)
        finally:
            await self._store.timers.release(sorted(held), self._instance)
        if await self._digest(now):
            done.append("grade C digest")
        for note in done:
            log.info("sla: %s", note)
        return done

    async def _fire(self, timer: SlaTimerRecord, now: datetime) -> str | None:
        """Act on one due timer; None if it stays pending (nothing can be done yet, or another worker took it)."""
        lead = await self._store.leads.get(timer.lead_id)
        if timer.kind == REMIND:
            return await self._remind(timer, lead)
        chosen = None
        if (
            timer.kind == "claim"
            and self._settings.auto_assign != "off"
            and timer.step == claim_steps(self._settings) - 1
            and lead is not None
            and lead.owner is None
        ):
            chosen = await self._choose_rep()
        action = plan(timer, lead, self._settings, now, chosen_rep=chosen)
        if not action.fire:
            return None
        fired = await self._store.timers.fire(
            timer,
            events=action.events,
            outbox=action.outbox,
            next_timer=action.next_timer,
            assign_to=action.assign_to,
        )
        if not fired:
            return None
        if action.outbox:
            self._on_outbox()
        return f"lead {timer.lead_id}: {action.note}"

    async def _remind(self, timer: SlaTimerRecord, lead: LeadRecord | None) -> str | None:
        """DM a reminder to the rep who asked; the lead's details only if the rep owns it now."""
        data = timer.data or {}
        user = str(data.get("user") or "")
        if not user:
            fired = await self._store.timers.fire(timer, events=(("reminder_dropped", {"why": "no user"}),))
            return f"lead {timer.lead_id}: reminder without a rep, dropped" if fired else None
        note = data.get("note")
        masked = lead is None or lead.owner != user
        text = reminder_dm(lead, timer.lead_id, note if isinstance(note, str) else None, masked=masked)
        fired = await self._store.timers.fire(
            timer,
            events=(("reminded", {"user": user, "timer": timer.id}),),
            outbox=(("dm", None, {"user": user, "text": text}),),
        )
        if not fired:
            return None
        self._on_outbox()
        return f"lead {timer.lead_id}: reminded {user}"

    async def _choose_rep(self) -> str | None:
        reps = self._settings.reps
        away = await self._store.reps.away()
        last = await self._store.reps.last_auto_assigned()
        loads = await self._store.reps.open_lead_counts(reps) if self._settings.auto_assign == "least_loaded" else None
        return choose_rep(reps, away, self._settings.auto_assign, last=last, loads=loads)

    async def _digest(self, now: datetime) -> bool:
        hours = self._settings.c_digest_hours
        if not hours or not self._channels.alerts:
            return False
        last = await self._store.events.last_at("c_digest")
        if last is not None and now - last < timedelta(hours=hours):
            return False
        since = last or now - timedelta(hours=hours)
        leads = await self._store.leads.since(since, grade="C", limit=200)
        data: dict[str, Any] = {"leads": [lead.id for lead in leads], "since": since.isoformat()}
        if leads:
            data["post"] = {"channel": self._channels.alerts, "text": grade_c_digest(leads, hours)}
        await self._store.events.record_service("c_digest", data)
        if leads:
            self._on_outbox()
        return bool(leads)

    async def run(self) -> None:
        """Tick until cancelled; a failing tick is logged and the next one tries again."""
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("SLA check failed; trying again in %s s", self._settings.check_seconds)
            with contextlib.suppress(TimeoutError):
                await self._sleep(self._settings.check_seconds)
