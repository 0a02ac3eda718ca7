"""Where cards and notes go: Slack (chat.postMessage / chat.update / conversations.open) or, with Slack
off, the console."""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TextIO

from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.blocks import console_card, lead_card
from bot.slack.erasure import ERASED_TEXT, erased_blocks
from bot.slack.safe import cleaned, guard
from store.db import utcnow
from store.records import LeadRecord

#: chat.postMessage truncates text beyond 40,000 characters; notes are far shorter, this is a guard
TEXT_MAX = 4000
#: the message metadata event type that carries an outbox item's client token (issue 12)
TOKEN_EVENT = "leadbot_outbox"
#: how far back `find` looks: pages of conversations.history, newest first
FIND_PAGES, FIND_PAGE_SIZE = 5, 200


class CardPoster(Protocol):
    """Posts a lead's card and updates it in place. Errors propagate (the outbox decides on retries)."""

    async def post(self, channel: str, lead: LeadRecord, *, token: str | None = None) -> str:
        """Post the card; return the message ts (its id within the channel). ``token``: a client token sent
        along (message metadata) so that `find` recognises the message later."""
        ...

    async def find(self, channel: str, token: str) -> str | None:
        """The ts of a recent message of ours in ``channel`` posted with ``token``, if there is one."""
        ...

    async def update(self, channel: str, ts: str, lead: LeadRecord) -> None:
        """Re-render the card posted at (channel, ts) from the lead as it is now."""
        ...

    async def post_text(
        self,
        channel: str,
        text: str,
        *,
        thread_ts: str | None = None,
        token: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
    ) -> str:
        """Post a plain mrkdwn note (in the thread of ``thread_ts`` if given); return its ts. ``blocks``: the
        note as Block Kit (a Claim button under an escalation), ``text`` its notification fallback."""
        ...

    async def send_dm(self, user: str, text: str) -> str:
        """Send ``user`` a direct message; return its ts."""
        ...

    async def send_card_dm(self, user: str, lead: LeadRecord) -> str:
        """Send ``user`` (the lead's owner) the full, unmasked card by direct message; return its ts."""
        ...

    async def erase(self, channel: str | None, ts: str, *, user: str | None = None) -> None:
        """Edit a message about an erased person into the neutral "erased" message (issue 13): in
        ``channel``, or in the DM with ``user``."""
        ...


class SlackCardPoster:
    """Cards as Slack messages with Block Kit blocks. ``mask``: channel cards without contact details
    (``[privacy] mask_unclaimed``); the owner's DM card is always full. ``clock`` gives the lead's local
    time on the card; ``grades`` the configured ``(grade_a, grade_b)`` (whether learning changed a grade)."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        mask: bool = True,
        clock: Callable[[], datetime] = utcnow,
        grades: tuple[int, int] | None = None,
    ) -> None:
        self._client = client
        self._mask = mask
        self._clock = clock
        self._grades = grades

    def _card(self, lead: LeadRecord, *, masked: bool) -> tuple[list[dict[str, Any]], str]:
        return lead_card(lead, masked=masked, now=self._clock(), grades=self._grades)

    async def post(self, channel: str, lead: LeadRecord, *, token: str | None = None) -> str:
        blocks, text = self._card(lead, masked=self._mask)
        # No unfurling: a vendor URL in a lead must not pull a preview into the channel.
        response = await self._client.chat_postMessage(
            channel=channel, blocks=blocks, text=text, unfurl_links=False, unfurl_media=False,
            metadata=_metadata(token),
        )
        return str(response["ts"])

    async def find(self, channel: str, token: str) -> str | None:
        cursor: str | None = None
        for _ in range(FIND_PAGES):
            response = await self._client.conversations_history(
                channel=channel, limit=FIND_PAGE_SIZE, include_all_metadata=True, cursor=cursor
            )
            for message in response.get("messages") or []:
                metadata = message.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == TOKEN_EVENT and payload.get("token") == token:
                    return str(message["ts"])
            cursor = (response.get("response_metadata") or {}).get("next_cursor") or None
            if not response.get("has_more") or not cursor:
                return None
        return None

    async def update(self, channel: str, ts: str, lead: LeadRecord) -> None:
        blocks, text = self._card(lead, masked=self._mask)
        await self._client.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)

    async def post_text(
        self,
        channel: str,
        text: str,
        *,
        thread_ts: str | None = None,
        token: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
    ) -> str:
        # Notes are composed by renderers that escape every value (bot.slack.notes); `guard` is the last
        # line of defence against one that did not: no broadcast, no link, no bidi override gets out.
        response = await self._client.chat_postMessage(
            channel=channel, text=guard(text, TEXT_MAX), thread_ts=thread_ts, unfurl_links=False, unfurl_media=False,
            metadata=_metadata(token), blocks=blocks,
        )
        return str(response["ts"])

    async def send_dm(self, user: str, text: str) -> str:
        return await self.post_text(await self._dm_channel(user), text)

    async def send_card_dm(self, user: str, lead: LeadRecord) -> str:
        blocks, text = self._card(lead, masked=False)
        response = await self._client.chat_postMessage(
            channel=await self._dm_channel(user), blocks=blocks, text=text, unfurl_links=False, unfurl_media=False
        )
        return str(response["ts"])

    async def erase(self, channel: str | None, ts: str, *, user: str | None = None) -> None:
        where = await self._dm_channel(user) if user else channel
        await self._client.chat_update(channel=str(where), ts=ts, blocks=erased_blocks(), text=ERASED_TEXT)

    async def _dm_channel(self, user: str) -> str:
        opened = await self._client.conversations_open(users=user)
        return str(opened["channel"]["id"])


def _metadata(token: str | None) -> dict[str, Any] | None:
    """The message metadata carrying an outbox item's client token (none: no metadata)."""
    return None if token is None else {"event_type": TOKEN_EVENT, "event_payload": {"token": token}}


class ConsoleCardPoster:
    """Prints cards to a stream (Slack off: the demo and a first run without tokens)."""

    def __init__(self, stream: TextIO | None = None, *, clock: Callable[[], datetime] = utcnow) -> None:
        self._stream = stream
        self._clock = clock
        self._counter = itertools.count(1)
        self._base = int(time.time())

    async def post(self, channel: str, lead: LeadRecord, *, token: str | None = None) -> str:
        # A synthetic ts shaped like Slack's ("seconds.sequence"), unique within this process.
        ts = f"{self._base}.{next(self._counter):06d}"
        self._print(f"── new lead card ({channel}) ──", lead)
        return ts

    async def update(self, channel: str, ts: str, lead: LeadRecord) -> None:
        self._print(f"── card updated ({channel}) ──", lead)

    async def find(self, channel: str, token: str) -> str | None:
        return None  # printed output cannot be looked up; a card printed twice is only ink

    async def post_text(
        self,
        channel: str,
        text: str,
        *,
        thread_ts: str | None = None,
        token: str | None = None,
        blocks: list[dict[str, Any]] | None = None,
    ) -> str:
        where = f"{channel}, thread {thread_ts}" if thread_ts else channel
        self._say(f"── note ({where}) ──", text)
        return f"{self._base}.{next(self._counter):06d}"

    async def send_dm(self, user: str, text: str) -> str:
        self._say(f"── direct message to {user} ──", text)
        return f"{self._base}.{next(self._counter):06d}"

    async def send_card_dm(self, user: str, lead: LeadRecord) -> str:
        self._print(f"── card for {user} ──", lead)
        return f"{self._base}.{next(self._counter):06d}"

    async def erase(self, channel: str | None, ts: str, *, user: str | None = None) -> None:
        self._say(f"── message {ts} erased ({channel or user}) ──", ERASED_TEXT)

    def _say(self, header: str, text: str) -> None:
        print(header, cleaned(text), sep="\n", file=self._stream or sys.stdout, flush=True)

    def _print(self, header: str, lead: LeadRecord) -> None:
        stream = self._stream or sys.stdout
        print(header, console_card(lead, now=self._clock()), sep="\n", file=stream, flush=True)
