"""What each kind of outbox item does in Slack (or the console): the deliveries `OutboxWorker` makes, without its
leases, pacing and retries (bot/workers/outbox.py says the rules)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from bot.slack.notices import outbox_blocks, outbox_text
from bot.slack.poster import CardPoster
from bot.workers.slack_failures import may_have_reached_slack
from parsers.errors import LeadbotError
from store.outbox import PostedCard
from store.privacy import ERASE_KIND
from store.records import LeadRecord, OutboxRecord
from store.store import Store

logger = logging.getLogger("bot.workers.outbox")

#: the pseudo-channel of cards printed while Slack was off (bot.intake.pipeline.CONSOLE)
CONSOLE = "console"
#: where a card queued for the console goes once Slack is on (None: nowhere)
Reroute = Callable[[LeadRecord], str | None]


def client_token(item: OutboxRecord) -> str:
    """The token sent with an item's message (metadata), the same on every try of that item."""
    return f"outbox-{item.id}-{int(item.created_at.timestamp() * 1000)}"


class _Permanent(LeadbotError):
    """The item can never succeed; it goes dead at once."""


def is_permanent(exc: BaseException) -> bool:
    """Whether a delivery failed for good (the item goes dead at once)."""
    return isinstance(exc, _Permanent)


class Deliveries:
    """Delivers one outbox item at a time through a `CardPoster`; the worker around it leases, paces and retries."""

    def __init__(self, store: Store, poster: CardPoster, reroute: Reroute | None) -> None:
        self._store = store
        self._poster = poster
        self._reroute = reroute

    async def do(self, item: OutboxRecord, leads: Mapping[int, LeadRecord]) -> PostedCard | None:
        """Deliver one item; the card it posted (``post_card``), to be recorded with the pass."""
        if item.kind == "post_card":
            return await self._post_card(item, leads)
        if item.kind == "update_card":
            await self._update_card(item, leads)
        elif item.kind == "post_text":
            await self._post_text(item, leads)
        elif item.kind == "dm":
            await self._dm(item, leads)
        elif item.kind == ERASE_KIND:  # privacy (issue 13): a message about an erased person
            await self._poster.erase(item.channel, str(item.payload.get("ts") or ""), user=item.payload.get("user"))
        else:
            raise _Permanent(f"unknown outbox item kind {item.kind!r}")
        return None

    async def _post_card(self, item: OutboxRecord, leads: Mapping[int, LeadRecord]) -> PostedCard | None:
        if item.lead_id is None or not item.channel:
            raise _Permanent("post_card needs a lead and a channel")
        lead = await self._lead_of(leads, item.lead_id)
        if lead is None:
            raise _Permanent(f"lead {item.lead_id} no longer exists")
        if lead.slack_ts:
            # Posted already: the process stopped between mark_posted and outbox_done. Never post twice.
            logger.info("lead %d already has a card (%s); not posting again", lead.id, lead.slack_ts)
            return None
        channel = item.channel
        if channel == CONSOLE and self._reroute is not None:
            # Queued while Slack was off; Slack is on now: the card goes where its grade sends it.
            rerouted = self._reroute(lead)
            if rerouted is None:
                logger.warning(
                    "lead %d's card was queued for the console; grade %s has no Slack channel, so it is not posted",
                    lead.id,
                    lead.grade,
                )
                return None
            channel = rerouted
        token = client_token(item)
        ts = await self._poster.find(channel, token) if may_have_reached_slack(item) else None
        if ts is not None:
            # An earlier try reached Slack but was never recorded (a crash, a lost answer): adopt that card.
            logger.info("lead %d's card was posted by an earlier try (%s); adopting it", lead.id, ts)
        else:
            ts = await self._poster.post(channel, lead, token=token)
        return PostedCard(lead.id, channel, ts)

    async def _lead_of(self, leads: Mapping[int, LeadRecord], lead_id: int) -> LeadRecord | None:
        """The lead of an item of this pass (read with the others when the pass began)."""
        lead = leads.get(lead_id)
        return lead if lead is not None else await self._store.leads.get(lead_id)

    async def _update_card(self, item: OutboxRecord, leads: Mapping[int, LeadRecord]) -> None:
        if item.lead_id is None:
            raise _Permanent("update_card needs a lead")
        lead = await self._lead_of(leads, item.lead_id)
        if lead is None:
            raise _Permanent(f"lead {item.lead_id} no longer exists")
        if not (lead.slack_channel and lead.slack_ts):
            # The lead's post (if any) went first, its lane kept the order: there is no card to update.
            raise _Permanent(f"no card to update: lead {lead.id} has no card")
        if lead.slack_channel == CONSOLE and self._reroute is not None:
            # Printed while Slack was off: there is no Slack message to edit (the console is gone).
            logger.info("lead %d's card was printed to the console; no Slack card to update", lead.id)
            return
        # Rendered from the lead as it is now: several queued updates all show the latest state.
        await self._poster.update(lead.slack_channel, lead.slack_ts, lead)

    async def _post_text(self, item: OutboxRecord, leads: Mapping[int, LeadRecord]) -> None:
        text = outbox_text(item.payload)
        if not isinstance(text, str) or not text.strip():
            raise _Permanent("post_text needs a text")
        channel, thread_ts = item.channel, None
        lead = await self._lead_of(leads, item.lead_id) if item.lead_id is not None else None
        if item.lead_id is not None and lead is None:
            raise _Permanent(f"lead {item.lead_id} no longer exists")
        if item.payload.get("in_thread"):
            if lead is None:
                raise _Permanent("post_text in_thread needs a lead")
            if lead.slack_channel and lead.slack_ts and not self._console_card_in_slack_mode(lead):
                channel, thread_ts = lead.slack_channel, lead.slack_ts
        if channel == CONSOLE and self._reroute is not None and thread_ts is None:
            channel = self._reroute(lead) if lead is not None else None
        if not channel:
            logger.warning("note for lead %s has no channel to go to; dropped: %s", item.lead_id, text[:200])
            return
        token = client_token(item)
        found = await self._poster.find(channel, token) if may_have_reached_slack(item) else None
        if found is not None:
            logger.info("note of outbox item %d was posted by an earlier try; not posting it again", item.id)
            ts = found
        else:
            blocks = outbox_blocks(item.payload, item.lead_id, text)  # issue 14: an escalation's Claim button
            ts = await self._poster.post_text(channel, text, thread_ts=thread_ts, token=token, blocks=blocks)
        if item.lead_id is not None:  # privacy (issue 13): erasure finds it again
            await self._store.privacy.record_post(item.lead_id, item.kind, ts, channel=channel)

    async def _dm(self, item: OutboxRecord, leads: Mapping[int, LeadRecord]) -> None:
        user, text = item.payload.get("user"), outbox_text(item.payload)
        if item.payload.get("card") and isinstance(user, str) and user and item.lead_id is not None:
            lead = await self._lead_of(leads, item.lead_id)
            if lead is None:
                raise _Permanent(f"lead {item.lead_id} no longer exists")
            ts = await self._poster.send_card_dm(user, lead)
            await self._store.privacy.record_post(lead.id, "card_dm", ts, user=user)  # privacy (issue 13)
            return
        if not isinstance(user, str) or not user or not isinstance(text, str) or not text.strip():
            raise _Permanent("dm needs a user and a text")
        ts = await self._poster.send_dm(user, text)
        if item.lead_id is not None:  # privacy (issue 13): erasure finds it again
            await self._store.privacy.record_post(item.lead_id, "dm", ts, user=user)

    def _console_card_in_slack_mode(self, lead: LeadRecord) -> bool:
        return lead.slack_channel == CONSOLE and self._reroute is not None
