"""Chat intake: a lead typed or pasted into Slack goes the way an email goes, with a person confirming it.

    chat text ─> stored first (inbound_messages, channel "slack") ─> read (the pipeline's reader) ─> draft
    draft ─Confirm─> scored ─> stored lead + card post (outbox) │ ─Edit─> fields replaced │ ─Discard─> kept, closed

The message is stored before anything else, under a key made of its channel and ts, so the same Slack
message (seen as a channel message *and* as an app mention, or redelivered) makes one draft. A draft's
message leaves "received" at once, so the pipeline's crash recovery never turns it into a lead that
nobody confirmed.

A note is read by the same reader as mail (``IntakePipeline.reader``: a worker process with a time budget in
the service), so a hostile note cannot stall the event loop; one that overruns is answered as unreadable
and kept failed, for `leadbot replay`.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from datetime import datetime

from bot.errors import failure_note
from bot.intake.pipeline import IntakePipeline
from parsers.errors import InputError
from parsers.lead import ExtractedLead, RawMessage
from store.db import utcnow
from store.records import DraftRecord, LeadRecord
from store.store import Store

logger = logging.getLogger(__name__)

#: Slack allows 40,000 characters in a message; a lead is far shorter: read at most this much
MAX_TEXT = 40000


class UnreadableChat(InputError):
    """The text could not be read (the sender's fault); the message stays stored with the error."""


def chat_dedup_key(channel: str, ts: str) -> str:
    return "slack:" + hashlib.sha256(f"{channel}\n{ts}".encode()).hexdigest()


class ChatIntake:
    """Reads leads from chat text into drafts, and turns confirmed drafts into scored leads with cards."""

    def __init__(
        self,
        store: Store,
        pipeline: IntakePipeline,
        *,
        on_cards_queued: Callable[[], None] = lambda: None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._pipeline = pipeline
        self._on_cards_queued = on_cards_queued
        self._clock = clock

    async def read(self, text: str, *, author: str | None, channel: str, ts: str) -> DraftRecord | None:
        """Store the text, extract a lead from it, keep it as a draft. None: this message was read before."""
        raw = RawMessage(raw=text[:MAX_TEXT].encode("utf-8"), channel="slack", sender=author, received_at=self._clock())
        accepted = await self._store.messages.accept(raw, dedup_key=chat_dedup_key(channel, ts))
        if accepted.duplicate:
            return None
        try:
            extraction = await self._pipeline.reader.read(raw)
        except Exception as exc:
            await self._store.messages.mark_failed(
                accepted.id, failure_note(exc, f"chat message {accepted.id}", logger))
            if isinstance(exc, InputError):  # unreadable, or over the reader's time budget (ReadAborted)
                raise UnreadableChat(str(exc)) from None
            raise
        lead = next((lead for lead in extraction.leads if not lead.is_empty()), None)
        if lead is None and extraction.leads:
            lead = extraction.leads[0]
        fields = {name: value.value for name, value in lead.fields.items()} if lead else {}
        provenance = lead.provenance() if lead else {}
        return await self._store.drafts.create(
            message_id=accepted.id,
            author=author,
            channel=channel,
            vendor=self._pipeline.attribution.vendor(extraction.vendor, raw),
            fields=fields,
            provenance=provenance,
        )

    async def confirm(self, draft_id: int, user: str) -> LeadRecord | None:
        """Score the draft and store it as a lead (its card queued); None if it was already decided."""
        draft = await self._store.drafts.get(draft_id)
        if draft is None or draft.status != "pending":
            return None
        assessor = self._pipeline.assessor
        (lead,) = assessor.assess_with(
            [draft_lead(draft)], draft.vendor, channel="slack",
            learned=await assessor.rates(), received_at=draft.created_at, now=self._clock(),
        )
        stored = await self._store.drafts.confirm(draft.id, user, lead)
        if stored is not None and lead.post_to:
            self._on_cards_queued()
        return stored


def draft_lead(draft: DraftRecord) -> ExtractedLead:
    """The draft's fields as extracted values again (verification flags kept for fields nobody edited)."""
    return ExtractedLead.from_stored(draft.fields, draft.provenance, source="chat")
