"""The intake pipeline: raw message → stored record → extracted leads → scored leads → stored leads + cards.

`accept` is the only step a sender waits for: it stores the raw bytes and returns. Everything else runs
after the sender has its answer, in `process`; reading (CPU) runs in a worker process or a thread with a
time budget (bot.intake.reader), so the listener keeps answering. A message that fails stays stored with
its error, for `leadbot replay`.

Nothing accepted waits for a restart: a periodic sweep queues every message still "received" that this
process does not hold already (e.g. accepted while the database was going away, or by another instance
that stopped), and a worker survives whatever one message throws.

Any number of instances share the store (issue 12): a message is leased to one instance before it is read
(``Messages.take``; the sweep leases its finds in one statement), so two instances never read the same
message; the lease of an instance that died expires after ``LEASE_SECONDS`` and the next sweep takes it over.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import replace
from email.message import Message
from typing import TYPE_CHECKING

from bot.assess.assessor import Assessor
from bot.errors import StoreState, failure_note
from bot.intake.attribution import Attribution
from bot.intake.authenticity import AuthVerdict, Resolver, SmtpOrigin, VendorTrust, check_sender, vendor_trust
from bot.intake.authenticity.headers import header_block
from bot.intake.reader import Reader, ThreadReader, VendorTemplates
from bot.settings.authentication import AuthenticationSettings
from bot.workers.outbox import instance_name
from parsers.lead import Channel, RawMessage
from store.db import unreachable
from store.messages import SenderCheck
from store.records import AcceptedMessage, LeadRecord
from store.store import Store

if TYPE_CHECKING:
    from nlp.extractor import Extractor

log = logging.getLogger(__name__)

#: how long an instance holds a message it is about to read: far beyond the read's time budget
LEASE_SECONDS = 120.0
#: how long processing gives way to senders waiting for their 250 before it goes on regardless (issue 11:
#: a burst is stored first and read after; under mail that never pauses, each worker still goes on every
#: second). Measured: 0.05 s gave a 250 rate during the whole path of 0.14 of a bare listener, 1 s 0.40.
GIVE_WAY_SECONDS = 1.0
#: messages processed at once: enough that the completions held back while accepts pass make one large group
#: (issue 11: eight capped a burst's groups at about three messages, so ten statements per group cost ~3 per mail)
WORKERS = 64
#: messages held here (queued or being processed) from which processing gives way to accepts: a burst, whose senders
#: wait for their 250s behind it. Below it, mail comes at a rate processing keeps up with and there is little to give
#: way with, while on a loaded machine each accept can take longer than the gap between two (at 50 mails/s, 20 ms):
#: accepts then overlapped without a pause, and a message waited out all of `GIVE_WAY_SECONDS` (issue 11: accept → card
#: p99 0.9-1.2 s at 50 mails/s offered, load 7-10, its p50 11 ms).
BURST_BACKLOG = 32
#: an accept that ended this recently says senders are at it (a burst: the next mail's DATA is on its way): processing
#: still gives way. At 50 mails/s offered (one every 20 ms) it delays a message's processing by at most this.
QUIET_SECONDS = 0.005


class IntakePipeline:
    """Accepts raw input durably, then turns it into stored, scored leads with queued cards."""

    def __init__(
        self,
        store: Store,
        extractor: Extractor | VendorTemplates,
        assessor: Assessor,
        *,
        on_cards_queued: Callable[[], None] = lambda: None,
        hold: bool = False,
        reader: Reader | None = None,
        sweep_seconds: float | None = None,
        authentication: AuthenticationSettings | None = None,
        resolver: Resolver | None = None,
        attribution: Attribution | None = None,
        instance: str | None = None,
    ) -> None:
        self._store = store
        #: names the vendor credited when the message names none (the way in: webhook source, form, From)
        self.attribution = attribution or Attribution()
        #: this instance's name on the messages it leases (the outbox's name for it by default)
        self.instance = instance or instance_name()
        #: `[authentication]` and the DNS it asks (issue 13); None: SMTP mail is not checked
        self._authentication = authentication if authentication is not None and authentication.enabled else None
        self._resolver = resolver
        self._extractor = extractor
        self.assessor = assessor
        self._on_cards_queued = on_cards_queued
        #: a message's id, and its bytes when they were just accepted (not read back from the store) with the
        #: loop time of the accept (its lease, taken with it, runs from then)
        self._queue: asyncio.Queue[tuple[int, RawMessage | None, float]] = asyncio.Queue()
        #: ids queued or being processed here: the sweep leaves them alone
        self._held: set[int] = set()
        #: reads each message (``extractor`` in a thread, without a time budget, unless given)
        if reader is None:
            if isinstance(extractor, VendorTemplates):
                raise ValueError("a pipeline given only the vendor templates needs a reader")
            reader = ThreadReader(extractor)
        self.reader: Reader = reader
        #: seconds between sweeps for messages still "received"; None: no sweep
        self.sweep_seconds = sweep_seconds
        #: accepts in progress (a sender waits for each): processing gives way to them
        self._accepting = 0
        #: loop time of the last accept's end: senders still at it (a burst) send the next one within `QUIET_SECONDS`
        self._last_accept = float("-inf")
        #: set while no accept is in progress nor ended within `QUIET_SECONDS`: what processing waits for. One timer
        #: sets it (not each waiting worker polling: 64 workers woken at every accept of a burst cost the 250s more)
        self._quiet = asyncio.Event()
        self._quiet.set()
        self._quiet_timer: asyncio.TimerHandle | None = None
        #: accept and store, but process nothing (maintenance: keep taking mail while extraction is down)
        self.hold = hold
        #: whether the store answers: one log line when it goes away and one when it returns
        self.store_state = StoreState(log)

    async def accept(self, message: RawMessage, *, dedup: str | None = None) -> AcceptedMessage:
        """Store the raw message (before the sender is answered) and queue it for processing.

        ``dedup`` replaces the key resends are recognised by (a webhook's is per source).
        """
        self._accepting += 1
        self._quiet.clear()
        # Stored leased to this instance (issue 11: no `take`, one write per message less); not while holding,
        # so that another instance may read what this one only keeps.
        lease = None if self.hold else (self.instance, LEASE_SECONDS)
        leased_at = asyncio.get_running_loop().time()
        try:
            message = self._store.messages.stamped(message)
            accepted = await self._store.messages.receive(message, dedup=dedup, lease=lease)
        except Exception as exc:
            if unreachable(exc):
                self.store_state.down(exc)
            raise
        finally:
            self._accepting -= 1
            if not self._accepting:
                loop = asyncio.get_running_loop()
                self._last_accept = loop.time()
                if self._quiet_timer is None:
                    self._quiet_timer = loop.call_later(QUIET_SECONDS, self._check_quiet)
        self.store_state.up()
        if not accepted.duplicate and not self.hold:
            self._enqueue(accepted.id, message, leased_at)
        return accepted

    def _enqueue(self, message_id: int, message: RawMessage | None = None, leased_at: float = 0.0) -> bool:
        """Queue a message (with its bytes and the time of its lease when just accepted here: no read-back, no
        `take`) unless it is held here already."""
        if message_id in self._held:
            return False
        self._held.add(message_id)
        self._queue.put_nowait((message_id, message, leased_at))
        return True

    async def recover(self) -> int:
        """Lease and queue every message accepted but never processed (the process was killed, the store went
        away) that no other instance holds. Returns how many were queued."""
        pending = await self._store.messages.lease_received(self.instance, seconds=LEASE_SECONDS)
        return sum(self._enqueue(message_id) for message_id in pending)

    async def sweep(self) -> None:
        """Every ``sweep_seconds``, queue the messages still "received" that nobody here holds, until cancelled.

        Logs once when the store stops answering and once when it answers again, not at every sweep.
        """
        assert self.sweep_seconds is not None
        failing = False
        while True:
            await asyncio.sleep(self.sweep_seconds)
            try:
                found = await self.recover()
            except Exception as exc:
                if unreachable(exc):
                    self.store_state.down(exc)
                elif not failing:
                    log.warning("sweep for unprocessed messages failed (%s); retrying every %g s",
                                type(exc).__name__, self.sweep_seconds)
                failing = True
                continue
            self.store_state.up()
            if failing:
                log.info("sweeping for unprocessed messages again")
                failing = False
            if found:
                log.info("sweep queued %d message(s) accepted but not processed", found)

    async def run(self, workers: int = WORKERS) -> None:
        """Process queued messages until cancelled.

        `WORKERS` by default: while some wait for a reading process, for accepts to pass (`_give_way`) or for the
        database, others assess, and the completions waiting together share one transaction
        (``Store.messages.complete`` groups them). Each message is still turned into leads exactly once (a
        compare-and-set).
        """
        if self.hold:
            await asyncio.Event().wait()
        async with asyncio.TaskGroup() as group:
            for _ in range(workers):
                group.create_task(self._work())
            if self.sweep_seconds is not None:
                group.create_task(self.sweep())

    async def _work(self) -> None:
        while True:
            message_id, message, leased_at = await self._queue.get()
            try:
                # leased with its accept, and not so long ago that the lease may have run out: no `take`
                fresh = message is not None and asyncio.get_running_loop().time() - leased_at < LEASE_SECONDS / 2
                # completion groups written meanwhile wait a moment for this one (issue 11: fewer, larger groups)
                with self._store.messages.completing():
                    await self.process(message_id, message, leased=fresh)
            except Exception as exc:
                # Even marking the failure failed (the database is down): the message is still
                # "received", so the sweep (or the next start's recover()) takes it again. Keep serving.
                log.warning("message %s could not be processed nor marked failed (%s: %s); it stays queued "
                            "for the sweep", message_id, type(exc).__name__, str(exc)[:200])
            finally:
                self._held.discard(message_id)
                self._queue.task_done()

    async def wait_idle(self) -> None:
        """Until every queued message has been processed."""
        await self._queue.join()

    async def process(
        self, message_id: int, message: RawMessage | None = None, *, leased: bool = False
    ) -> list[LeadRecord]:
        """Turn one stored message into leads. Never raises: failures are stored with the message.

        ``message``: its bytes as just accepted (no read-back; `complete` takes it only if still "received").
        ``leased``: this instance holds its lease already (stored leased by `accept`): no `take`.
        Nothing is done with a message another instance holds or that is processed already. While the store
        is unreachable the message stays "received" (leased here), nothing is logged per message
        (``store_state`` says it once), and the sweep takes it again when the store answers.
        """
        try:
            stored = await self._process(message_id, message, leased=leased)
        except Exception as exc:
            if not unreachable(exc):
                raise
            self.store_state.down(exc)
            return []
        self.store_state.up()
        return stored

    async def _process(self, message_id: int, message: RawMessage | None, *, leased: bool) -> list[LeadRecord]:
        if not leased and not await self._store.messages.take(message_id, self.instance, seconds=LEASE_SECONDS):
            return []
        if message is None:
            record = await self._store.messages.get(message_id)
            if record is None or record.status != "received":
                return []
            # the channel it came in on decides how it is read (a chat note as chat, issue 10): keep it
            channel: Channel = _CHANNELS.get(record.channel, "http")
            message = RawMessage(raw=record.raw, channel=channel, sender=record.sender,
                                 recipients=record.recipients, received_at=record.received_at)
        check: SenderCheck | None = None
        try:
            extraction = await self.reader.read(message)
            await self._give_way()
            verdict, trust, check, headers = await self._authenticate(message_id, message, extraction.vendor)
            vendor = (self.attribution.vendor(extraction.vendor, message, extraction.leads, headers)
                      if trust.credit_vendor else None)
            review = f"sender not authenticated: {trust.reason}" if trust.suspicious else None
            leads = await self.assessor.assess(
                extraction.leads, vendor, channel=message.channel, received_at=message.received_at, review=review
            )
            if verdict is not None:
                shown = verdict.as_provenance()
                leads = [replace(lead, provenance={**lead.provenance, "sender_authentication": shown})
                         for lead in leads]
        except Exception as exc:
            if unreachable(exc):
                raise  # not the message's failure: it waits for the store (process)
            note = failure_note(exc, f"message {message_id}", log)
            await self._keep_check(message_id, check)
            await self._store.messages.mark_failed(message_id, note, only_if_received=True)
            return []
        try:
            # Accepts first (issue 11): the write a sender's 250 waits for is not queued behind this one. Completions
            # held back meanwhile share the next group commit (fewer statements per mail).
            await self._give_way()
            # the sender check is stored in the same transaction as the leads (one write, issue 11)
            stored = await self._store.messages.complete(message_id, leads, vendor=vendor, sender_check=check)
        except Exception as exc:
            # Ours (the database went away, a constraint we did not expect): nothing of it was stored,
            # the message keeps its bytes and now says why, for `leadbot replay`. An unreachable store
            # is no failure of the message: it waits for the store (process).
            if unreachable(exc):
                raise
            note = failure_note(exc, f"storing the leads of message {message_id}", log)
            await self._keep_check(message_id, check)
            await self._store.messages.mark_failed(message_id, note, only_if_received=True)
            return []
        if not stored and not leads:
            log.info("message %s holds no lead (%s)", message_id, "; ".join(extraction.warnings) or "no fields")
        # the outbox worker of this process was handed these leads' cards with them (issue 11): no wake, so that
        # its next pass needs no lease from the store; anything else queued (a repeat's notes) wakes it
        if any(lead.post_to for lead in leads) and not self._store.outbox.handed(lead.id for lead in stored):
            self._on_cards_queued()
        for lead in stored:
            log.info("lead %s from message %s: grade %s, score %s", lead.id, message_id, lead.grade, lead.score)
        return stored

    def _check_quiet(self) -> None:
        """`_quiet_timer`'s end: quiet now, or look again when it may be (an accept since re-arms it at its end)."""
        self._quiet_timer = None
        if self._accepting:
            return
        loop = asyncio.get_running_loop()
        left = self._last_accept + QUIET_SECONDS - loop.time()
        if left > 0:
            self._quiet_timer = loop.call_later(left, self._check_quiet)
        else:
            self._quiet.set()

    async def _give_way(self) -> None:
        """In a burst (`BURST_BACKLOG` messages or more held here), until no accept is in progress nor ended within
        `QUIET_SECONDS` (at most `GIVE_WAY_SECONDS`): the rest of `process` is this process's CPU and writes, which
        senders waiting for their 250 need more."""
        if self._quiet.is_set() or len(self._held) < BURST_BACKLOG:
            return
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(GIVE_WAY_SECONDS):
                await self._quiet.wait()

    async def _authenticate(
        self, message_id: int, message: RawMessage, vendor: str | None
    ) -> tuple[AuthVerdict | None, VendorTrust, SenderCheck | None, Message | None]:
        """SPF/DKIM/DMARC of SMTP mail, whether ``vendor`` may be credited, what to store with the message
        (None: nothing to store), and the mail's header block when the check read it (for the attribution: read
        once)."""
        template = next((t for t in self._extractor.vendors if t.display_name == vendor), None) if vendor else None
        verdict = headers = None
        if self._authentication is not None and self._resolver is not None and message.channel == "smtp":
            client_ip, helo = message.client_ip, message.helo
            if client_ip is None:  # read back from the store: the origin is in its own columns
                origin = await self._store.authentication.of_message(message_id)
                client_ip, helo = (origin.client_ip, origin.helo) if origin is not None else (None, None)
            headers = header_block(message.raw)
            verdict = await check_sender(
                message.raw, SmtpOrigin(client_ip, helo, message.sender), self._resolver, self._authentication,
                headers,
            )
        trust = vendor_trust(
            verdict,
            require_auth=template is not None and template.require_auth,
            sender_patterns=template.senders if template is not None else (),
        )
        check = None
        if verdict is not None or trust.suspicious:
            check = SenderCheck(
                verdict=verdict.summary if verdict is not None else "none",
                auth_results=verdict.header if verdict is not None else "",
                suspicious=trust.suspicious,
            )
        return verdict, trust, check, headers

    async def _keep_check(self, message_id: int, check: SenderCheck | None) -> None:
        """Store the sender check of a message that failed (a processed one has it stored by `complete`)."""
        if check is not None:
            await self._store.authentication.record_authentication(
                message_id, verdict=check.verdict, auth_results=check.auth_results, suspicious=check.suspicious
            )

    async def replay(self, message_id: int) -> list[LeadRecord]:
        """Process a stored message again (after a fix), whatever happened to it before."""
        await self._store.messages.reset(message_id)
        return await self.process(message_id)


_CHANNELS: dict[str, Channel] = {"smtp": "smtp", "slack": "slack", "http": "http", "file": "file"}
