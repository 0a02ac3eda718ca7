"""Messages to the bot in its Messages tab (``message.im``, issue 14): the `/leads` commands without the slash.

"stats", "show 12", "remind 12 friday" or "/leads mine" typed in a DM is answered in the DM, as
`/leads` would answer it (`bot.slack.commands`); "new <text>" reads a lead and answers with its draft;
anything else gets the help. The answer is only for the person (a DM), so nothing is ever "shared".
Registered before chat intake: Bolt hands an event to the first listener that matches it.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.intake.chat import UnreadableChat
from bot.slack import messages
from bot.slack.blocks import escape_trimmed
from bot.slack.commands import COMMANDS, Command, LeadsCommands, Reply, Usage, parse
from bot.slack.deps import SlackDeps
from bot.slack.listeners.chat import is_own, mention_text
from bot.slack.views import draft_blocks


def is_direct(event: dict[str, Any]) -> bool:
    """A person's new message in a DM with the bot (never an edit, a bot's message or a thread reply)."""
    if event.get("channel_type") != "im" or event.get("subtype") is not None or event.get("bot_id"):
        return False
    if event.get("thread_ts") and event.get("thread_ts") != event.get("ts"):
        return False
    return bool(event.get("user")) and bool(str(event.get("text") or "").strip())


def understood(text: str) -> Command | Usage | None:
    """What a DM asks: a command, the usage line of a command written wrong, or None (not a command)."""
    words = mention_text(text).split()
    if words and words[0].lower() in ("/leads", "leads"):
        words = words[1:]
    if not words or words[0].lower() not in COMMANDS:
        return None
    parsed = parse(" ".join(words))
    return dataclasses.replace(parsed, share=False) if isinstance(parsed, Command) else parsed


def register(app: AsyncApp, deps: SlackDeps) -> None:
    commands = LeadsCommands(
        deps.store, deps.roles, wake_outbox=deps.wake_outbox, clock=deps.clock, routing=deps.routing
    )

    async def matches(event: dict[str, Any]) -> bool:
        return is_direct(event)

    async def direct(
        event: dict[str, Any], context: AsyncBoltContext, client: AsyncWebClient, logger: logging.Logger
    ) -> None:
        if is_own(event, context.bot_user_id, context.bot_id):
            return
        user, channel, text = str(event["user"]), str(event["channel"]), str(event["text"])
        asked = understood(text)
        reply: Reply | None
        try:
            if asked is None:
                reply = Reply(messages.DM_UNKNOWN + "\n" + messages.HELP)
            elif isinstance(asked, Usage):
                reply = Reply(asked.text)
            elif asked.name == "new":
                reply = await new(client, user, channel, str(event.get("ts") or ""), asked.rest)
            else:
                reply = await commands.run(user, asked)
        except Exception:
            logger.exception("a DM command from %s failed", user)
            what = asked.name if isinstance(asked, Command) else "help"
            reply = Reply(messages.COMMAND_FAILED.format(what=what))
        if reply is None:
            return
        try:
            await client.chat_postMessage(channel=channel, text=reply.text, blocks=reply.blocks or None)
        except SlackApiError as exc:
            logger.warning("could not answer %s's DM: %s", user, exc.response.get("error"))

    async def new(client: AsyncWebClient, user: str, channel: str, ts: str, text: str) -> Reply | None:
        """Read a lead from the DM and answer with its draft (None: answered, or read before)."""
        if deps.intake is None:
            return Reply(messages.NOTHING_TO_READ)
        try:
            draft = await deps.intake.read(text, author=user, channel=channel, ts=ts)
        except UnreadableChat as exc:
            return Reply(messages.DRAFT_UNREADABLE.format(error=escape_trimmed(str(exc), 500)))
        if draft is None:  # this very message was read before: it was answered then
            return None
        blocks, fallback = draft_blocks(draft)
        posted = await client.chat_postMessage(channel=channel, blocks=blocks, text=fallback)
        await deps.store.drafts.set_reply(draft.id, channel, str(posted["ts"]))
        return None

    app.event("message", matchers=[matches])(direct)
