"""The card's other buttons and their modals: View original, Show details, Log activity, Set outcome,
Remind me, Release, Reassign, Re-open (issue 14: follow-up through `bot.slack.followup`). "View original"
and "Show details" answer only those allowed to read them (`Roles.may_see_original`,
`Roles.may_see_details`); others get a polite ephemeral without the details.

Every button's value is untrusted: the lead is looked up and the clicker's right to act is checked when
the button is clicked (a polite ephemeral if not) *and* again when the modal is submitted, inside the
store's transaction (the owner may have changed meanwhile). Each action writes its event and queues the
card update in the same transaction; the listener only wakes the outbox.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.assess.work import work_check
from bot.slack import messages
from bot.slack.blocks import (
    HOW_READ_ACTION,
    LOG_ACTIVITY_ACTION,
    REASSIGN_ACTION,
    RELEASE_ACTION,
    REMIND_ACTION,
    REOPEN_ACTION,
    SET_OUTCOME_ACTION,
    SHOW_DETAILS_ACTION,
    VIEW_ORIGINAL_ACTION,
    lead_card,
)
from bot.slack.commands import refusal
from bot.slack.deps import SlackDeps
from bot.slack.listeners.common import ack_at_once, action_value, channel_id, parse_lead_id, tell, user_id
from bot.slack.roles import may_work
from bot.slack.views import (
    ACTIVITY_VIEW,
    OUTCOME_VIEW,
    REASSIGN_VIEW,
    REMIND_VIEW,
    activity_view,
    check_outcome,
    how_read_blocks,
    original_view,
    outcome_view,
    reassign_view,
    remind_view,
    submitted,
)
from store.records import LeadNotFound, LeadRecord, WorkRefused


def register(app: AsyncApp, deps: SlackDeps) -> None:
    store = deps.store
    follow = deps.follow_up()

    async def clicked_lead(
        body: dict[str, Any], action_id: str, client: AsyncWebClient, logger: logging.Logger
    ) -> LeadRecord | None:
        lead_id = parse_lead_id(action_value(body, action_id))
        lead = await store.leads.get(lead_id) if lead_id is not None else None
        if lead is None:
            await tell(client, logger, channel_id(body), user_id(body), messages.LEAD_GONE)
        return lead

    async def open_view(client: AsyncWebClient, logger: logging.Logger, body: dict[str, Any], view: Any) -> None:
        try:
            await client.views_open(trigger_id=body["trigger_id"], view=view)
        except SlackApiError as exc:  # the trigger expires after 3 s; the rep can click again
            logger.warning("could not open the %s modal: %s", view.get("callback_id"), exc.response.get("error"))

    async def may_act(lead: LeadRecord, body: dict[str, Any], client: AsyncWebClient, logger: logging.Logger) -> bool:
        user = user_id(body)
        if may_work(lead, user, manager=await deps.roles.is_manager(user)):
            return True
        reason = "not_yours" if lead.owner else "not_claimed"
        await tell(client, logger, channel_id(body), user, refusal(WorkRefused(reason, lead)))
        return False

    async def view_original(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, logger: logging.Logger
    ) -> None:
        await ack()
        lead = await clicked_lead(body, VIEW_ORIGINAL_ACTION, client, logger)
        if lead is None:
            return
        if not await deps.roles.may_see_original(lead, user_id(body)):
            await tell(client, logger, channel_id(body), user_id(body), messages.NOT_ALLOWED_ORIGINAL)
            return
        message = await store.messages.get(lead.message_id) if lead.message_id is not None else None
        await open_view(client, logger, body, original_view(lead, message, now=deps.clock()))

    async def show_details(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, logger: logging.Logger) -> None:
        await ack()
        lead = await clicked_lead(body, SHOW_DETAILS_ACTION, client, logger)
        if lead is None:
            return
        user, channel = user_id(body), channel_id(body)
        if not await deps.roles.may_see_details(lead, user):
            await tell(client, logger, channel, user, messages.NOT_ALLOWED_DETAILS)
            return
        if not channel:
            return
        blocks, text = lead_card(lead, masked=False, now=deps.clock())
        try:  # only the clicker sees an ephemeral message
            await client.chat_postEphemeral(channel=channel, user=user, blocks=blocks, text=text)
        except SlackApiError as exc:
            logger.warning("could not show lead %d's details to %s: %s", lead.id, user, exc.response.get("error"))

    async def how_read(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, logger: logging.Logger) -> None:
        await ack()
        lead = await clicked_lead(body, HOW_READ_ACTION, client, logger)
        user, channel = user_id(body), channel_id(body)
        if lead is None or not channel:
            return
        masked = not await deps.roles.may_see_details(lead, user)
        blocks, text = how_read_blocks(lead, masked=masked, now=deps.clock())
        try:  # only the clicker sees an ephemeral message
            await client.chat_postEphemeral(channel=channel, user=user, blocks=blocks, text=text)
        except SlackApiError as exc:
            logger.warning("could not tell %s how lead %d was read: %s", user, lead.id, exc.response.get("error"))

    async def log_activity(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, logger: logging.Logger) -> None:
        await ack()
        lead = await clicked_lead(body, LOG_ACTIVITY_ACTION, client, logger)
        if lead is not None and await may_act(lead, body, client, logger):
            await open_view(client, logger, body, activity_view(lead))

    async def set_outcome(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, logger: logging.Logger) -> None:
        await ack()
        lead = await clicked_lead(body, SET_OUTCOME_ACTION, client, logger)
        if lead is not None and await may_act(lead, body, client, logger):
            await open_view(client, logger, body, outcome_view(lead))

    async def release(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, logger: logging.Logger) -> None:
        await ack()
        lead = await clicked_lead(body, RELEASE_ACTION, client, logger)
        if lead is None:
            return
        user = user_id(body)
        try:
            await store.leads.release(
                lead.id, user, check=work_check("release", manager=await deps.roles.is_manager(user)))
        except LeadNotFound:
            await tell(client, logger, channel_id(body), user, messages.LEAD_GONE)
            return
        except WorkRefused as exc:
            await tell(client, logger, channel_id(body), user, refusal(exc))
            return
        logger.info("lead %d released by %s", lead.id, user)
        deps.wake_outbox()

    async def reassign(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, logger: logging.Logger) -> None:
        await ack()
        lead = await clicked_lead(body, REASSIGN_ACTION, client, logger)
        if lead is None:
            return
        user = user_id(body)
        if not await deps.roles.is_manager(user):
            await tell(client, logger, channel_id(body), user, messages.MANAGERS_ONLY.format(what="reassign leads"))
            return
        await open_view(client, logger, body, reassign_view(lead))

    # ---- the modals' submissions ------------------------------------------------------------------------

    async def refused(client: AsyncWebClient, logger: logging.Logger, user: str, exc: Exception, lead_id: int) -> None:
        text = refusal(exc) if isinstance(exc, WorkRefused) else messages.LEAD_GONE
        lead = exc.lead if isinstance(exc, WorkRefused) else await store.leads.get(lead_id)
        await tell(client, logger, lead.slack_channel if lead else None, user, text)

    async def activity_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, logger: logging.Logger
    ) -> None:
        activity, text = submitted(view, "activity"), submitted(view, "text")
        if not text:
            await ack(response_action="errors", errors={"text": messages.NEED_TEXT})
            return
        await ack()
        lead_id, user = parse_lead_id(view.get("private_metadata")), user_id(body)
        if lead_id is None:
            return
        kind = activity if activity in messages.ACTIVITIES else "note"
        try:
            await follow.log(lead_id, user, kind, text)
        except (LeadNotFound, WorkRefused) as exc:
            await refused(client, logger, user, exc, lead_id)

    async def outcome_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, logger: logging.Logger
    ) -> None:
        checked = check_outcome(submitted(view, "outcome"), submitted(view, "amount"), submitted(view, "reason"))
        if isinstance(checked, dict):
            await ack(response_action="errors", errors=checked)
            return
        await ack()
        lead_id, user = parse_lead_id(view.get("private_metadata")), user_id(body)
        if lead_id is None:
            return
        try:
            await store.leads.set_outcome(
                lead_id,
                user,
                checked.outcome,
                amount=checked.amount,
                reason=checked.reason,
                check=work_check("set_outcome", manager=await deps.roles.is_manager(user)),
            )
        except (LeadNotFound, WorkRefused) as exc:
            await refused(client, logger, user, exc, lead_id)
            return
        deps.wake_outbox()

    async def reassign_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, logger: logging.Logger
    ) -> None:
        to_user = submitted(view, "user")
        if not to_user:
            await ack(response_action="errors", errors={"user": "Choose the new owner."})
            return
        await ack()
        lead_id, user = parse_lead_id(view.get("private_metadata")), user_id(body)
        if lead_id is None:
            return
        if not await deps.roles.is_manager(user):
            lead = await store.leads.get(lead_id)
            text = messages.MANAGERS_ONLY.format(what="reassign leads")
            await tell(client, logger, lead.slack_channel if lead else None, user, text)
            return
        try:
            await follow.reassign(lead_id, to_user, user)
        except (LeadNotFound, WorkRefused) as exc:
            await refused(client, logger, user, exc, lead_id)

    # ---- follow-up (issue 14) ---------------------------------------------------------------------------

    async def reopen(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, logger: logging.Logger) -> None:
        await ack()
        lead = await clicked_lead(body, REOPEN_ACTION, client, logger)
        if lead is None:
            return
        try:
            await follow.reopen(lead.id, user_id(body))
        except (LeadNotFound, WorkRefused) as exc:
            await refused(client, logger, user_id(body), exc, lead.id)
            return
        logger.info("lead %d re-opened by %s", lead.id, user_id(body))

    async def remind(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, logger: logging.Logger) -> None:
        await ack()
        lead = await clicked_lead(body, REMIND_ACTION, client, logger)
        user = user_id(body)
        if lead is None:
            return
        if not await deps.roles.may_read(user):
            await tell(client, logger, channel_id(body), user, messages.NOT_ALLOWED_READ)
            return
        masked = not await deps.roles.may_see_details(lead, user)
        await open_view(client, logger, body, remind_view(lead, masked=masked, channel=channel_id(body)))

    async def remind_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, logger: logging.Logger
    ) -> None:
        lead_ref, _, where = str(view.get("private_metadata") or "").partition(":")
        lead_id, user = parse_lead_id(lead_ref), user_id(body)
        lead = await store.leads.get(lead_id) if lead_id is not None else None
        if lead is None or not await deps.roles.may_read(user):
            await ack(response_action="errors", errors={"when": messages.LEAD_GONE if lead is None else
                                                        messages.NOT_ALLOWED_READ})
            return
        phrase = submitted(view, "when") or submitted(view, "quick")
        if not phrase:
            await ack(response_action="errors", errors={"quick": messages.REMIND_NEED_WHEN})
            return
        scheduled = await follow.remind(lead.id, user, phrase, submitted(view, "note"))
        if isinstance(scheduled, str):
            await ack(response_action="errors", errors={"when": scheduled})
            return
        await ack()
        await tell(client, logger, where or lead.slack_channel, user, scheduled.confirmation())

    # the buttons answer Slack with a plain ack before their listeners start (the claim's rule, issue 11); the
    # modals' submissions may answer with errors, so they ack in their listeners
    quick = [ack_at_once]
    app.action(VIEW_ORIGINAL_ACTION, middleware=quick)(view_original)
    app.action(SHOW_DETAILS_ACTION, middleware=quick)(show_details)
    app.action(HOW_READ_ACTION, middleware=quick)(how_read)
    app.action(LOG_ACTIVITY_ACTION, middleware=quick)(log_activity)
    app.action(SET_OUTCOME_ACTION, middleware=quick)(set_outcome)
    app.action(RELEASE_ACTION, middleware=quick)(release)
    app.action(REASSIGN_ACTION, middleware=quick)(reassign)
    app.view(ACTIVITY_VIEW)(activity_submitted)
    app.view(OUTCOME_VIEW)(outcome_submitted)
    app.view(REASSIGN_VIEW)(reassign_submitted)
    app.action(REOPEN_ACTION, middleware=quick)(reopen)
    app.action(REMIND_ACTION, middleware=quick)(remind)
    app.view(REMIND_VIEW)(remind_submitted)
