"""The intake pipeline: raw message → stored record → extracted leads → scored leads → stored leads + cards.

`accept` is the only step a sender waits for: it stores the raw bytes and returns. Everything else runs
after the sender has its answer, in `process`, one message at a time; extraction (CPU) runs in a thread
so the listener keeps answering. A message that fails stays stored with its error, for `leadbot replay`.
"""

from __future__ import annotations

import asyncio
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.assess.learning import LearnedRates, LearnedRatesCache
from bot.assess.routing import decide_route
from bot.assess.scoring import ScoredLead, score_lead
from bot.assess.sla import claim_due
from bot.settings import RoutingSettings, ScoringSettings, SlackChannels
from nlp.extractor import Extractor
from parsers.envelope import dedup_key, subject_of
from parsers.lead import Channel, Extraction, ExtractionError, RawMessage
from parsers.verify import contact_phone
from store.records import AcceptedMessage, LeadRecord, NewLead
from store.repository import Store, utcnow

log = logging.getLogger(__name__)

#: the pseudo-channel for cards when Slack is not configured: the outbox prints them instead
CONSOLE = "console"


@dataclass(frozen=True, slots=True)
class Routing:
    channels: SlackChannels
    slack_enabled: bool
    default_region: str = "US"
    #: `[routing]`: rules by vendor/interest/region/language and the SLA clocks (issue 5)
    settings: RoutingSettings = field(default_factory=RoutingSettings)


def notice_of(scored: ScoredLead) -> str:
    """One line about an inquiry, for the rep who already works this person."""
    lead = scored.lead
    parts = [lead.display_name or lead.value("email") or lead.value("phone") or "someone"]
    parts.append(f"via {scored.vendor}" if scored.vendor else "again")
    wants = lead.value("interest") or lead.value("message")
    if wants:
        wants = " ".join(wants.split())
        parts.append(f"— {wants[:140]}{'…' if len(wants) > 140 else ''}")
    return " ".join(parts)


def new_lead(scored: ScoredLead, channel: str, routing: Routing, *, now: datetime | None = None) -> NewLead:
    """What the store keeps of a scored lead, where its card goes and when its claim SLA runs out."""
    fields = scored.lead.fields
    decision = decide_route(scored.lead, scored.vendor, scored.grade, routing.channels, routing.settings)
    post_to = decision.channel if routing.slack_enabled else CONSOLE
    email = scored.lead.value("email")
    phone = fields.get("phone")
    return NewLead(
        vendor=scored.vendor,
        channel=channel,
        fields={name: value.value for name, value in fields.items()},
        provenance={
            name: {
                "source": value.source,
                "confidence": value.confidence,
                "flags": list(value.flags),
                "alternatives": list(value.alternatives),
            }
            for name, value in fields.items()
        },
        score=scored.score,
        grade=scored.grade,
        reasons=scored.reasons,
        post_to=post_to,
        contact_email=email.strip().lower() if email else None,
        contact_phone=(phone.normalized if phone is not None and phone.normalized else None)
        or contact_phone(scored.lead.value("phone"), routing.default_region),
        claim_due_at=claim_due(now, routing.settings) if now and post_to and routing.slack_enabled else None,
        notice=notice_of(scored),
    )


class IntakePipeline:
    """Accepts raw input durably, then turns it into stored, scored leads with queued cards."""

    def __init__(
        self,
        store: Store,
        extractor: Extractor,
        *,
        scoring: ScoringSettings,
        routing: Routing,
        on_cards_queued: Callable[[], None] = lambda: None,
        hold: bool = False,
        learning: LearnedRatesCache | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._store = store
        self._extractor = extractor
        self._scoring = scoring
        self._routing = routing
        self._on_cards_queued = on_cards_queued
        self._learning = learning
        self._clock = clock
        self._queue: asyncio.Queue[int] = asyncio.Queue()
        #: accept and store, but process nothing (maintenance: keep taking mail while extraction is down)
        self.hold = hold

    async def accept(self, message: RawMessage, *, dedup: str | None = None) -> AcceptedMessage:
        """Store the raw message (before the sender is answered) and queue it for processing.

        ``dedup`` replaces the key resends are recognised by (a webhook's is per source).
        """
        accepted = await self._store.accept_message(
            message, dedup_key=dedup or dedup_key(message), subject=subject_of(message)
        )
        if not accepted.duplicate and not self.hold:
            self._queue.put_nowait(accepted.id)
        return accepted

    async def recover(self) -> int:
        """Queue every message accepted but never processed (e.g. the process was killed). Returns how many."""
        pending = await self._store.unprocessed_message_ids()
        for message_id in pending:
            self._queue.put_nowait(message_id)
        return len(pending)

    async def run(self, workers: int = 2) -> None:
        """Process queued messages until cancelled.

        Two workers by default: while one waits on the database, the other extracts. Each message is
        still turned into leads exactly once (``Store.complete_message`` takes it with a compare-and-set).
        """
        if self.hold:
            await asyncio.Event().wait()
        async with asyncio.TaskGroup() as group:
            for _ in range(workers):
                group.create_task(self._work())

    async def _work(self) -> None:
        while True:
            message_id = await self._queue.get()
            try:
                await self.process(message_id)
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

    def score(
        self,
        extraction: Extraction,
        *,
        learned: LearnedRates | None = None,
        received_at: datetime | None = None,
        now: datetime | None = None,
    ) -> list[ScoredLead]:
        return [
            score_lead(lead, extraction.vendor, self._scoring, learned=learned, received_at=received_at, now=now)
            for lead in extraction.leads
        ]

    async def process(self, message_id: int) -> list[LeadRecord]:
        """Turn one stored message into leads. Never raises: failures are stored with the message."""
        record = await self._store.get_message(message_id)
        if record is None or record.status != "received":
            return []
        channel: Channel = "smtp" if record.channel == "smtp" else "http"
        raw = RawMessage(
            raw=record.raw,
            channel=channel,
            sender=record.sender,
            recipients=record.recipients,
            received_at=record.received_at,
        )
        try:
            extraction = await asyncio.to_thread(self._extractor.extract, raw)
            learned = await self._learning.current() if self._learning is not None else None
            now = self._clock()
            scored = self.score(extraction, learned=learned, received_at=record.received_at, now=now)
            leads = [new_lead(s, record.channel, self._routing, now=now) for s in scored]
        except ExtractionError as exc:
            # The sender's fault: logged plainly, kept for a human (and for replay after a fix).
            log.info("message %s cannot be read: %s", message_id, exc)
            await self._store.mark_message_failed(message_id, f"unreadable: {exc}")
            return []
        except Exception:
            log.exception("processing message %s failed; it stays stored for `leadbot replay`", message_id)
            await self._store.mark_message_failed(message_id, traceback.format_exc())
            return []
        try:
            stored = await self._store.complete_message(message_id, leads, vendor=extraction.vendor)
        except Exception:
            # Ours (the database went away, a constraint we did not expect): nothing of it was stored,
            # the message keeps its bytes and now says why, for `leadbot replay`.
            log.exception("storing the leads of message %s failed; it stays stored for `leadbot replay`", message_id)
            await self._store.mark_message_failed(message_id, traceback.format_exc())
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
        await self._store.reset_message(message_id)
        return await self.process(message_id)
