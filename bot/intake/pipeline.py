"""The intake pipeline: raw message → stored record → extracted leads → scored leads → stored leads + cards.

`accept` is the only step a sender waits for: it stores the raw bytes and returns. Everything else runs
after the sender has its answer, in `process`, one message at a time; extraction (CPU) runs in a thread
so the listener keeps answering. A message that fails stays stored with its error, for `leadbot replay`.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from bot.assess.assessor import Assessor
from bot.errors import failure_note
from nlp.extractor import Extractor
from parsers.envelope import dedup_key, subject_of
from parsers.lead import Channel, Extraction, RawMessage
from store.records import AcceptedMessage, LeadRecord
from store.store import Store

log = logging.getLogger(__name__)


class IntakePipeline:
    """Accepts raw input durably, then turns it into stored, scored leads with queued cards."""

    def __init__(
        self,
        store: Store,
        extractor: Extractor,
        assessor: Assessor,
        *,
        on_cards_queued: Callable[[], None] = lambda: None,
        hold: bool = False,
    ) -> None:
        self._store = store
        self._extractor = extractor
        self.assessor = assessor
        self._on_cards_queued = on_cards_queued
        #: a message's id, and its bytes when they were just accepted (not read back from the store)
        self._queue: asyncio.Queue[tuple[int, RawMessage | None]] = asyncio.Queue()
        #: accept and store, but process nothing (maintenance: keep taking mail while extraction is down)
        self.hold = hold

    async def accept(self, message: RawMessage, *, dedup: str | None = None) -> AcceptedMessage:
        """Store the raw message (before the sender is answered) and queue it for processing.

        ``dedup`` replaces the key resends are recognised by (a webhook's is per source).
        """
        message = self._store.messages.stamped(message)
        accepted = await self._store.messages.accept(
            message, dedup_key=dedup or dedup_key(message), subject=subject_of(message)
        )
        if not accepted.duplicate and not self.hold:
            self._queue.put_nowait((accepted.id, message))
        return accepted

    async def recover(self) -> int:
        """Queue every message accepted but never processed (e.g. the process was killed). Returns how many."""
        pending = await self._store.messages.unprocessed_ids()
        for message_id in pending:
            self._queue.put_nowait((message_id, None))
        return len(pending)

    async def run(self, workers: int = 2) -> None:
        """Process queued messages until cancelled.

        Two workers by default: while one waits on the database, the other extracts. Each message is
        still turned into leads exactly once (``Store.messages.complete`` takes it with a compare-and-set).
        """
        if self.hold:
            await asyncio.Event().wait()
        async with asyncio.TaskGroup() as group:
            for _ in range(workers):
                group.create_task(self._work())

    async def _work(self) -> None:
        while True:
            message_id, message = await self._queue.get()
            try:
                await self.process(message_id, message)
            except Exception:
                # Even marking the failure failed (the database is down): the message is still
                # "received", so the next start's recover() takes it again. Keep serving the rest.
                log.exception("message %s could not be processed nor marked failed", message_id)
            finally:
                self._queue.task_done()

    async def wait_idle(self) -> None:
        """Until every queued message has been processed."""
        await self._queue.join()

    def extract(self, message: RawMessage) -> Extraction:
        return self._extractor.extract(message)

    async def process(self, message_id: int, message: RawMessage | None = None) -> list[LeadRecord]:
        """Turn one stored message into leads. Never raises: failures are stored with the message.

        ``message``: its bytes as just accepted (no read-back; `complete` takes it only if still "received").
        """
        if message is None:
            record = await self._store.messages.get(message_id)
            if record is None or record.status != "received":
                return []
            channel: Channel = "smtp" if record.channel == "smtp" else "http"
            message = RawMessage(raw=record.raw, channel=channel, sender=record.sender,
                                 recipients=record.recipients, received_at=record.received_at)
        try:
            extraction = await asyncio.to_thread(self._extractor.extract, message)
            leads = await self.assessor.assess(
                extraction.leads, extraction.vendor, channel=message.channel, received_at=message.received_at
            )
        except Exception as exc:
            await self._store.messages.mark_failed(message_id, failure_note(exc, f"message {message_id}", log))
            return []
        try:
            stored = await self._store.messages.complete(message_id, leads, vendor=extraction.vendor)
        except Exception as exc:
            # Ours (the database went away, a constraint we did not expect): nothing of it was stored,
            # the message keeps its bytes and now says why, for `leadbot replay`.
            note = failure_note(exc, f"storing the leads of message {message_id}", log)
            await self._store.messages.mark_failed(message_id, note)
            return []
        if not stored and not leads:
            log.info("message %s holds no lead (%s)", message_id, "; ".join(extraction.warnings) or "no fields")
        if any(lead.post_to for lead in leads):
            self._on_cards_queued()
        for lead in stored:
            log.info("lead %s from message %s: grade %s, score %s", lead.id, message_id, lead.grade, lead.score)
        return stored

    async def replay(self, message_id: int) -> list[LeadRecord]:
        """Process a stored message again (after a fix), whatever happened to it before."""
        await self._store.messages.reset(message_id)
        return await self.process(message_id)
