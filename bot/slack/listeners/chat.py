"""Chat intake listeners: intake-channel messages, app mentions, the message shortcut, and the draft's
Confirm / Edit / Discard buttons (with the Edit modal).

Which messages are leads is a pure decision (`is_intake_message`): a person's (or an allow-listed vendor
bot's) new top-level message in an intake channel; never the bot's own, never edits, joins or thread
replies. The reading itself is `ChatIntake`'s; the answer goes in the message's thread.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.intake.chat import ChatIntake, UnreadableChat
from bot.settings import SlackSettings
from bot.slack import messages
from bot.slack.blocks import escape_trimmed, mention
from bot.slack.deps import SlackDeps
from bot.slack.listeners.common import action_value, channel_id, parse_lead_id, tell, user_id
from bot.slack.views import (
    DRAFT_CONFIRM_ACTION,
    DRAFT_DISCARD_ACTION,
    DRAFT_EDIT_ACTION,
    DRAFT_EDIT_VIEW,
    draft_blocks,
    draft_done_blocks,
    draft_edit_view,
    edited_fields,
)
from store.records import DraftRecord

#: the message shortcut's callback_id (slack-app-manifest.yml)
SHORTCUT = "create_lead_from_message"
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(\|[^>]*)?>")
#: message subtypes that are a new message someone posted (others: edits, deletions, joins, topics…)
_NEW_MESSAGE_SUBTYPES = frozenset({None, "bot_message"})


def intake_channels(settings: SlackSettings) -> frozenset[str]:
    channels = set(settings.intake.channels)
    if settings.channels.intake:
        channels.add(settings.channels.intake)
    return frozenset(channels)


def is_own(event: dict[str, Any], bot_user_id: str | None, bot_id: str | None) -> bool:
    return bool((bot_user_id and event.get("user") == bot_user_id) or (bot_id and event.get("bot_id") == bot_id))


def is_intake_message(
    event: dict[str, Any], settings: SlackSettings, *, bot_user_id: str | None, bot_id: str | None
) -> bool:
    """Whether a ``message`` event is a lead to read (see the module docstring)."""
    if not settings.intake.enabled or event.get("channel") not in intake_channels(settings):
        return False
    if event.get("subtype") not in _NEW_MESSAGE_SUBTYPES or not str(event.get("text") or "").strip():
        return False
    if event.get("thread_ts") and event.get("thread_ts") != event.get("ts"):
        return False
    if is_own(event, bot_user_id, bot_id):
        return False
    if event.get("bot_id") or event.get("subtype") == "bot_message":
        return str(event.get("bot_id") or "") in settings.intake.bot_ids
    return bool(event.get("user"))


def mention_text(text: str) -> str:
    """An app mention's text without the mentions of the bot (or anyone)."""
    return _MENTION.sub(" ", text).strip()


def register(app: AsyncApp, deps: SlackDeps) -> None:
    settings, store = deps.settings, deps.store

    async def answer(
        intake: ChatIntake,
        client: AsyncWebClient,
        logger: logging.Logger,
        *,
        text: str,
        author: str | None,
        channel: str,
        ts: str,
    ) -> None:
        """Read ``text`` and answer in its thread with the draft (or why it could not be read)."""
        try:
            draft = await intake.read(text, author=author, channel=channel, ts=ts)
        except UnreadableChat as exc:
            reply = messages.DRAFT_UNREADABLE.format(error=escape_trimmed(str(exc), 500))
            await client.chat_postMessage(channel=channel, thread_ts=ts, text=reply)
            return
        if draft is None:
            logger.info("message %s in %s was read before; not answering twice", ts, channel)
            return
        blocks, fallback = draft_blocks(draft)
        posted = await client.chat_postMessage(channel=channel, thread_ts=ts, blocks=blocks, text=fallback)
        await store.drafts.set_reply(draft.id, channel, str(posted["ts"]))

    async def on_message(
        event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient, logger: logging.Logger
    ) -> None:
        if deps.intake is None or not is_intake_message(
            event, settings, bot_user_id=context.bot_user_id, bot_id=context.bot_id
        ):
            return
        author = str(event.get("user") or event.get("bot_id") or "")
        await answer(
            deps.intake, client, logger, text=str(event["text"]), author=author, channel=str(event["channel"]),
            ts=str(event["ts"]),
        )  # fmt: skip

    async def on_mention(
        event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient, logger: logging.Logger
    ) -> None:
        if deps.intake is None or not settings.intake.mentions or is_own(event, context.bot_user_id, context.bot_id):
            return
        text = mention_text(str(event.get("text") or ""))
        if not text:
            return
        ts = str(event.get("ts") or "")
        await answer(
            deps.intake, client, logger, text=text, author=str(event.get("user") or ""),
            channel=str(event.get("channel") or ""), ts=ts,
        )  # fmt: skip

    async def shortcut(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, logger: logging.Logger) -> None:
        await ack()
        message = body.get("message") or {}
        channel, user = channel_id(body), user_id(body)
        text = str(message.get("text") or "").strip()
        if deps.intake is None or not channel or not text:
            await tell(client, logger, channel, user, messages.NOTHING_TO_READ)
            return
        author = str(message.get("user") or message.get("bot_id") or user)
        await answer(deps.intake, client, logger, text=text, author=author, channel=channel, ts=str(message["ts"]))

    # ---- the draft's buttons --------------------------------------------------------------------------------

    async def replace_draft(
        body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, blocks: list[Any], text: str
    ) -> None:
        """Re-render the draft message the button was on (a thread reply, or the ephemeral `/leads new`)."""
        container = body.get("container") or {}
        if container.get("is_ephemeral") or not container.get("message_ts"):
            await respond(text=text, blocks=blocks, replace_original=True)
            return
        await client.chat_update(channel=container["channel_id"], ts=container["message_ts"], blocks=blocks, text=text)

    async def confirm(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, logger: logging.Logger
    ) -> None:
        await ack()
        draft_id, user = parse_lead_id(action_value(body, DRAFT_CONFIRM_ACTION)), user_id(body)
        lead = await deps.intake.confirm(draft_id, user) if deps.intake and draft_id else None
        if lead is None:
            await tell(client, logger, channel_id(body), user, messages.DRAFT_GONE)
            return
        routed = await store.outbox.card_channel(lead.id)
        where = messages.DRAFT_CONFIRMED_WHERE.format(channel=routed) if routed and routed != "console" else ""
        text = messages.DRAFT_CONFIRMED.format(
            user=mention(user), lead_id=lead.id, grade=lead.grade, score=lead.score, where=where
        )
        await replace_draft(body, client, respond, *draft_done_blocks(text))

    async def discard(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond, logger: logging.Logger
    ) -> None:
        await ack()
        draft_id, user = parse_lead_id(action_value(body, DRAFT_DISCARD_ACTION)), user_id(body)
        if not draft_id or not await store.drafts.discard(draft_id, user):
            await tell(client, logger, channel_id(body), user, messages.DRAFT_GONE)
            return
        await replace_draft(
            body, client, respond, *draft_done_blocks(messages.DRAFT_DISCARDED.format(user=mention(user)))
        )

    async def edit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, logger: logging.Logger) -> None:
        await ack()
        draft_id, user = parse_lead_id(action_value(body, DRAFT_EDIT_ACTION)), user_id(body)
        draft = await store.drafts.get(draft_id) if draft_id else None
        if draft is None or draft.status != "pending":
            await tell(client, logger, channel_id(body), user, messages.DRAFT_GONE)
            return
        container = body.get("container") or {}
        if container.get("is_ephemeral") or not container.get("message_ts"):
            reply = {"response_url": str(body.get("response_url") or "")}
        else:
            reply = {"channel": str(container["channel_id"]), "ts": str(container["message_ts"])}
        try:
            await client.views_open(trigger_id=body["trigger_id"], view=draft_edit_view(draft, reply=reply))
        except SlackApiError as exc:
            logger.warning("could not open the draft's Edit modal: %s", exc.response.get("error"))

    async def edit_submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient, logger: logging.Logger
    ) -> None:
        await ack()
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            return
        draft_id = parse_lead_id(str(meta.get("draft", "")))
        draft = await store.drafts.edit(draft_id, edited_fields(view)) if draft_id else None
        if draft is None:
            return
        await _rerender(client, meta, draft, logger)

    app.event("message")(on_message)
    app.event("app_mention")(on_mention)
    app.shortcut(SHORTCUT)(shortcut)
    app.action(DRAFT_CONFIRM_ACTION)(confirm)
    app.action(DRAFT_DISCARD_ACTION)(discard)
    app.action(DRAFT_EDIT_ACTION)(edit)
    app.view(DRAFT_EDIT_VIEW)(edit_submitted)


async def _rerender(client: AsyncWebClient, meta: dict[str, Any], draft: DraftRecord, logger: logging.Logger) -> None:
    blocks, text = draft_blocks(draft)
    try:
        if meta.get("channel") and meta.get("ts"):
            await client.chat_update(channel=str(meta["channel"]), ts=str(meta["ts"]), blocks=blocks, text=text)
        elif meta.get("response_url"):
            await AsyncWebhookClient(str(meta["response_url"])).send(text=text, blocks=blocks, replace_original=True)
    except SlackApiError as exc:
        logger.warning("could not show the edited draft %d: %s", draft.id, exc.response.get("error"))
