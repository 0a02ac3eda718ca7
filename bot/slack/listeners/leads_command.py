"""`/leads`: ack at once (Slack's 3 seconds), answer through ``respond()``.

Parsing, answering and rendering live in `bot.slack.commands`; ``new`` goes to chat intake and answers
with the draft (ephemeral, with its Confirm / Edit / Discard buttons).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.intake.chat import UnreadableChat
from bot.slack import messages
from bot.slack.blocks import escape_trimmed
from bot.slack.commands import LeadsCommands, Usage, parse
from bot.slack.deps import SlackDeps
from bot.slack.views import draft_blocks

COMMAND = "/leads"


def register(app: AsyncApp, deps: SlackDeps) -> None:
    commands = LeadsCommands(
        deps.store, deps.roles, wake_outbox=deps.wake_outbox, clock=deps.clock, routing=deps.routing
    )

    async def leads(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, logger: logging.Logger) -> None:
        await ack()
        user = str(body.get("user_id") or "")
        parsed = parse(str(body.get("text") or ""))
        if isinstance(parsed, Usage):
            await respond(text=parsed.text, response_type="ephemeral")
            return
        try:
            if parsed.name == "new":
                await new(body, user, parsed.rest, respond)
                return
            reply = await commands.run(user, parsed)
        except Exception:
            logger.exception("/leads %s by %s failed", parsed.name, user)
            await respond(text=messages.COMMAND_FAILED.format(what=parsed.name), response_type="ephemeral")
            return
        await respond(
            text=reply.text,
            blocks=reply.blocks or None,
            response_type="in_channel" if reply.share else "ephemeral",
        )

    async def new(body: dict[str, Any], user: str, text: str, respond: AsyncRespond) -> None:
        if deps.intake is None:
            await respond(text=messages.NOTHING_TO_READ, response_type="ephemeral")
            return
        channel = str(body.get("channel_id") or "")
        # A command has no message ts: its trigger id is unique per invocation (a retry carries the same one).
        ts = "cmd:" + str(body.get("trigger_id") or "")
        try:
            draft = await deps.intake.read(text, author=user, channel=channel, ts=ts)
        except UnreadableChat as exc:
            error = escape_trimmed(str(exc), 500)
            await respond(text=messages.DRAFT_UNREADABLE.format(error=error), response_type="ephemeral")
            return
        if draft is None:
            return
        blocks, fallback = draft_blocks(draft)
        await respond(text=fallback, blocks=blocks, response_type="ephemeral")

    app.command(COMMAND)(leads)
