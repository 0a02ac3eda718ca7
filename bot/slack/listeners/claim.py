"""The card's Claim button: the first rep to click gets the lead.

The click is acknowledged before the listener runs (`ack_at_once`): Slack's answer never waits for the claim.
The store's compare-and-set then decides the winner and, in the same transaction, queues the card update and
(while channel cards are masked) the full card for the winner's DMs; the listener wakes the outbox, so every
winning claim updates the card exactly once, however many reps click at the same moment. Everyone else gets
an ephemeral note saying who has the lead. The same button under an SLA escalation post (issue 14) claims the
same way.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import messages
from bot.slack.blocks import CLAIM_ACTION, escape, mention
from bot.slack.deps import SlackDeps
from bot.slack.listeners.common import ack_at_once, action_value, channel_id, parse_lead_id
from bot.slack.listeners.common import tell as _tell
from store.records import LeadNotFound, LeadRecord

__all__ = ["parse_lead_id", "register"]


def register(app: AsyncApp, deps: SlackDeps) -> None:
    async def claim(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, logger: logging.Logger) -> None:
        await ack()
        user = str(body["user"]["id"])
        channel = channel_id(body)
        raw = action_value(body, CLAIM_ACTION)
        lead_id = parse_lead_id(raw)
        if lead_id is None:
            logger.info("claim from %s with a malformed lead id %r", user, raw)
            await _tell(client, logger, channel, user, messages.LEAD_GONE)
            return
        if not await deps.roles.may_claim(user):
            await _tell(client, logger, channel, user, messages.NOT_A_REP)
            return
        try:
            # no read first: the compare-and-set says whether the lead exists (LeadNotFound), in one transaction
            # masked channel cards: the winner gets the full card privately, queued in the claim's transaction
            result = await deps.store.leads.claim(lead_id, user, dm_owner=deps.roles.privacy.mask_unclaimed)
            if result.won and result.lead.slack_channel is None and channel:
                # Clicked in the instant between the post and mark_posted: the store had no card to queue an
                # update for. Queue it here; the outbox waits for the ts before updating.
                await deps.store.outbox.enqueue("update_card", lead_id=lead_id, channel=channel)
        except LeadNotFound:
            await _tell(client, logger, channel, user, messages.LEAD_GONE)
            return
        except Exception:
            logger.exception("claim of lead %s by %s failed", lead_id, user)
            await _tell(client, logger, channel, user, messages.CLAIM_FAILED.format(lead_id=lead_id))
            return

        if result.won:
            logger.info("lead %d claimed by %s", lead_id, user)
            deps.wake_outbox()
            await settle_elsewhere(body, result.lead, client, logger)
            return
        owner = result.lead.owner
        if owner == user:
            text = messages.ALREADY_YOURS
        elif owner:
            text = messages.ALREADY_CLAIMED.format(owner=mention(owner))
        else:
            text = messages.NOT_CLAIMABLE.format(status=escape(result.lead.status))
        await _tell(client, logger, channel, user, text)

    # acked before the listener starts: the answer does not wait for Bolt's poll or for other clicks' work
    app.action(CLAIM_ACTION, middleware=[ack_at_once])(claim)


async def settle_elsewhere(
    body: dict[str, Any], lead: LeadRecord, client: AsyncWebClient, logger: logging.Logger
) -> None:
    """Claimed from a message other than the card (the escalation post, issue 14): that message now says
    who took the lead instead of offering the button (the card itself is updated through the outbox)."""
    container = body.get("container") or {}
    channel, ts = channel_id(body), container.get("message_ts") or (body.get("message") or {}).get("ts")
    if not channel or not ts or (channel, ts) == (lead.slack_channel, lead.slack_ts):
        return
    text = messages.ESCALATION_CLAIMED.format(lead_id=lead.id, owner=mention(lead.owner or ""))
    try:
        await client.chat_update(channel=channel, ts=str(ts), text=text, blocks=[])
    except SlackApiError as exc:
        logger.warning("could not mark the escalation of lead %d as claimed: %s", lead.id, exc.response.get("error"))
