"""Chat drafts: a lead read from a chat message, waiting for Confirm / Edit / Discard (issue 4)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from store.db import Db, to_record
from store.leads import insert_lead
from store.records import DraftRecord, LeadRecord, MessageStatus, NewLead
from store.tables import ChatDraft, InboundMessage


class Drafts:
    def __init__(self, db: Db) -> None:
        self._db = db

    async def create(
        self,
        *,
        message_id: int | None,
        author: str | None,
        channel: str | None,
        vendor: str | None,
        fields: dict[str, str],
        provenance: dict[str, dict[str, Any]],
    ) -> DraftRecord:
        """Keep a lead read from chat until someone confirms it. Its stored message leaves "received" (so a
        restart's recovery does not turn it into a lead behind the confirming person's back)."""
        now = self._db.clock()
        async with self._db.write() as session:
            if message_id is not None:
                await session.execute(
                    update(InboundMessage)
                    .where(InboundMessage.id == message_id, InboundMessage.status == MessageStatus.RECEIVED)
                    .values(status=MessageStatus.DRAFT, processed_at=now, vendor=vendor,
                            attempts=InboundMessage.attempts + 1)
                )
            row = ChatDraft(
                message_id=message_id,
                author=author,
                channel=channel,
                vendor=vendor,
                fields=dict(fields),
                provenance=dict(provenance),
                status="pending",
                created_at=now,
            )
            session.add(row)
            await session.flush()
            return to_record(DraftRecord, row)

    async def get(self, draft_id: int) -> DraftRecord | None:
        async with self._db.read() as session:
            row = await session.get(ChatDraft, draft_id)
            return to_record(DraftRecord, row) if row else None

    async def for_message(self, message_id: int) -> DraftRecord | None:
        async with self._db.read() as session:
            row = await session.scalar(select(ChatDraft).where(ChatDraft.message_id == message_id).limit(1))
            return to_record(DraftRecord, row) if row else None

    async def set_reply(self, draft_id: int, channel: str, reply_ts: str) -> None:
        async with self._db.write() as session:
            await session.execute(
                update(ChatDraft).where(ChatDraft.id == draft_id).values(channel=channel, reply_ts=reply_ts)
            )

    async def edit(self, draft_id: int, fields: dict[str, str]) -> DraftRecord | None:
        """Replace a pending draft's fields (the Edit modal); None if it is no longer pending."""
        async with self._db.write() as session:
            row = await session.get(ChatDraft, draft_id, with_for_update=True)
            if row is None or row.status != "pending":
                return None
            row.fields = dict(fields)
            row.provenance = {**(row.provenance or {}), **{name: {"source": "edited"} for name in fields}}
            return to_record(DraftRecord, row)

    async def confirm(self, draft_id: int, user: str, lead: NewLead) -> LeadRecord | None:
        """Compare-and-set pending → confirmed, storing ``lead`` (and its card post) in the same
        transaction; None if the draft was already confirmed or discarded (a double click)."""
        now = self._db.clock()
        async with self._db.write() as session:
            draft = await _decide(session, draft_id, "confirmed", user, now)
            if draft is None:
                return None
            row = await session.run_sync(insert_lead, lead, draft.message_id, user, now)
            draft.lead_id = row.id
            await _set_message_status(session, draft, MessageStatus.PROCESSED)
            return to_record(LeadRecord, row)

    async def discard(self, draft_id: int, user: str) -> bool:
        """Compare-and-set pending → discarded; False if it was no longer pending."""
        now = self._db.clock()
        async with self._db.write() as session:
            draft = await _decide(session, draft_id, "discarded", user, now)
            if draft is None:
                return False
            await _set_message_status(session, draft, MessageStatus.DISCARDED)
            return True


async def _decide(session: AsyncSession, draft_id: int, status: str, user: str, now: datetime) -> ChatDraft | None:
    """Compare-and-set a pending draft to ``status``: the draft, or None if it was decided already."""
    taken = await session.execute(
        update(ChatDraft)
        .where(ChatDraft.id == draft_id, ChatDraft.status == "pending")
        .values(status=status, decided_at=now, decided_by=user)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return await session.get(ChatDraft, draft_id, populate_existing=True)


async def _set_message_status(session: AsyncSession, draft: ChatDraft | None, status: MessageStatus) -> None:
    if draft is not None and draft.message_id is not None:
        await session.execute(update(InboundMessage).where(InboundMessage.id == draft.message_id).values(status=status))
