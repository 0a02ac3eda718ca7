"""Follow-up in the conversation (issue 14): lead work that the card's thread and the people concerned hear of.

One service for the card's buttons, `/leads` and DMs to the bot, so each action is told the same way:

* a logged call, email, meeting or note is also a note in the card's thread (`notes.activity_in_thread`:
  without its text while channel cards are masked);
* a closed lead re-opened (its owner or a manager) says so in the thread; the card is re-rendered;
* a reassigned lead's previous owner gets a DM;
* a reminder is a timer in the database (`bot.slack.reminders`).

The store writes the work and its card update in one transaction; the notes are queued right after it,
through the outbox (delivered, retried and paced like every note), and the outbox is woken.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.assess.sla import BusinessCalendar
from bot.assess.work import work_check
from bot.settings import RoutingSettings
from bot.slack.notes import activity_in_thread, assigned_you, reassigned_away, reopened_in_thread
from bot.slack.reminders import Scheduled, schedule
from bot.slack.roles import Roles
from store.db import utcnow
from store.records import LeadRecord
from store.store import Store


class FollowUp:
    """Lead work and what it tells. Raises the store's `LeadNotFound` / `WorkRefused` for the caller to word."""

    def __init__(
        self,
        store: Store,
        roles: Roles,
        routing: RoutingSettings,
        *,
        wake_outbox: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._roles = roles
        self._routing = routing
        self._calendar = BusinessCalendar.of(routing)
        self._wake_outbox = wake_outbox
        self._clock = clock

    async def log(self, lead_id: int, user: str, activity: str, text: str) -> LeadRecord:
        """Log a follow-up (the owner or a manager) and echo it in the card's thread."""
        manager = await self._roles.is_manager(user)
        lead = await self._store.leads.log_activity(
            lead_id, user, activity, text, check=work_check("log_activity", manager=manager)
        )
        note = activity_in_thread(lead.id, user, activity, text, masked=self._roles.privacy.mask_unclaimed)
        await self._in_thread(lead, note)
        return lead

    async def reopen(self, lead_id: int, user: str) -> LeadRecord:
        """Re-open a closed lead (its owner or a manager); the thread hears what it had been. A card
        nobody holds is up for grabs again, with a fresh claim clock (as after a release)."""
        manager = await self._roles.is_manager(user)
        before = await self._store.leads.get(lead_id)
        lead = await self._store.leads.reopen(lead_id, user, check=work_check("reopen", manager=manager))
        if lead.owner is None and lead.slack_channel:
            now = self._clock()
            due = self._calendar.add_minutes(now, self._routing.claim_sla_minutes)
            await self._store.timers.add(lead.id, "claim", started_at=now, due_at=due)
        await self._in_thread(lead, reopened_in_thread(user, before.outcome if before else None))
        return lead

    async def reassign(self, lead_id: int, to_user: str, user: str) -> LeadRecord:
        """Hand the lead to ``to_user`` (the caller checked ``user`` is a manager); the new owner and the
        previous one (unless either did it) get a DM, and the new owner the full card while cards are masked."""
        inner = work_check("reassign", manager=True)
        previous: list[str | None] = []

        def check(lead: LeadRecord, actor: str) -> str | None:
            previous.append(lead.owner)  # the owner as the locked row says, not as a click saw it
            return inner(lead, actor)

        lead = await self._store.leads.reassign(lead_id, to_user, user, check=check)
        was = previous[-1] if previous else None
        if to_user != user:
            await self._dm(lead, to_user, assigned_you(user, lead.id))
        if self._roles.privacy.mask_unclaimed:
            card = {"user": to_user, "card": True}
            await self._store.outbox.enqueue("dm", lead_id=lead.id, channel=None, payload=card)
        if was and was not in (to_user, user):
            await self._dm(lead, was, reassigned_away(user, lead, to_user))
        self._wake_outbox()
        return lead

    async def remind(self, lead_id: int, user: str, when: str, note: str | None = None) -> Scheduled | str:
        """A reminder DM for ``user`` about the lead at the moment ``when`` names, or why not."""
        return await schedule(self._store, self._calendar, lead_id, user, when, now=self._clock(), note=note)

    async def _in_thread(self, lead: LeadRecord, text: str) -> None:
        if lead.slack_channel:
            payload = {"text": text, "in_thread": True}
            await self._store.outbox.enqueue("post_text", lead_id=lead.id, channel=lead.slack_channel, payload=payload)
        self._wake_outbox()

    async def _dm(self, lead: LeadRecord, user: str, text: str) -> None:
        await self._store.outbox.enqueue("dm", lead_id=lead.id, channel=None, payload={"user": user, "text": text})
