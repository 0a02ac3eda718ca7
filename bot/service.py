"""The running service: the composition root. Settings in; store, reader, assessor, ways in, workers, Slack out.

    SMTP · HTTP webhooks and forms · IMAP · chat ──accept──> IntakePipeline ──(reader, Assessor)──┐
                                                                                                  v
    Slack app (Claim, /leads) ──── atomic claim ──────────> Store <── OutboxWorker ──> Slack / console
                                                              ^ └──> AcknowledgementWorker ──> SMTP relay ──> prospect
                                                   SlaWorker ─┘

Everything is built here once and handed down: nothing else reads the whole settings.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import importlib
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Any, TextIO

from bot.intake.smtp import SmtpListener
from parsers.lead import RawMessage
from store.db import unreachable
from store.records import AcceptedMessage
from store.store import Store

if TYPE_CHECKING:
    import aiohttp

    from bot.assess.assessor import Assessor
    from bot.intake.authenticity import Resolver
    from bot.intake.http import WebIntake
    from bot.intake.imap import ImapPoller
    from bot.intake.pipeline import IntakePipeline
    from bot.intake.reader import Reader, VendorTemplates
    from bot.settings import Settings
    from bot.slack.runner import SlackRunner
    from bot.workers.outbox import OutboxWorker
    from bot.workers.sla import SlaWorker
    from nlp.extractor import Extractor

#: what the listener needs not, imported after it answers (spaCy, Bolt, the readers: seconds of CPU)
PARTS = (
    "aiohttp", "slack_sdk.web.async_client", "bot.assess.assessor", "bot.assess.learning", "bot.assess.scoring",
    "bot.intake.attribution", "bot.intake.authenticity", "bot.intake.chat", "bot.intake.http", "bot.intake.imap",
    "bot.intake.pipeline", "bot.intake.reader", "bot.slack.app", "bot.slack.poster", "bot.slack.runner",
    "bot.workers.acknowledgements", "bot.workers.outbox", "bot.workers.retention", "bot.workers.sla",
    "bot.workers.webhooks",
)


def _import_parts() -> None:
    for name in PARTS:
        importlib.import_module(name)


log = logging.getLogger(__name__)
#: seconds the messages in hand get to finish at stop; the rest stay "received" for the next start's recover
STOP_GRACE_SECONDS = 2.0


class Service:
    """Everything `leadbot serve` runs, startable and stoppable from code (tests, the demo, bench)."""

    def __init__(
        self,
        settings: Settings,
        *,
        extractor: Extractor | None = None,
        reader: Reader | None = None,
        console: TextIO | None = None,
        hold: bool = False,
    ) -> None:
        self.settings = settings
        self.store = Store.open(settings.store.url)
        self._extractor: Extractor | VendorTemplates | None = extractor
        self._console = console or sys.stdout
        self._hold = hold
        self._tasks: list[asyncio.Task[None]] = []
        self.pipeline: IntakePipeline | None = None
        self.outbox: OutboxWorker | None = None
        self.smtp: SmtpListener | None = None
        self.slack: SlackRunner | None = None
        self.sla: SlaWorker | None = None
        self.web: WebIntake | None = None
        self.imap: ImapPoller | None = None
        self._imap_task: asyncio.Task[None] | None = None
        #: reads accepted mail; one handed in (tests) is the service's to close, as its own would be
        self.reader: Reader | None = reader
        self._http: aiohttp.ClientSession | None = None
        #: where the listener's mail goes: stored only until the pipeline is built, then the pipeline
        self._accept_with: Callable[[RawMessage], Awaitable[AcceptedMessage]] = self.store.messages.receive

    async def start(self) -> None:
        """Start everything; the SMTP listener first (issue 11: the 220 within a second or two).

        Mail taken before the pipeline is built is stored and waits as "received"; the pipeline's
        ``recover`` queues it as soon as it runs.
        """
        settings = self.settings
        await self.store.migrate()
        self._accept_with = self.store.messages.receive
        self.smtp = SmtpListener(settings.smtp, self._accept)
        await self.smtp.start()
        # Off the loop, so the listener answers meanwhile (the imports hold the GIL only in slices).
        await asyncio.to_thread(_import_parts)
        await self._start_reading()
        import aiohttp
        from slack_sdk.web.async_client import AsyncWebClient

        from bot.assess.scoring import route
        from bot.intake.attribution import Attribution
        from bot.intake.chat import ChatIntake
        from bot.intake.pipeline import IntakePipeline
        from bot.slack.app import build_slack_app, web_client_logger
        from bot.slack.poster import CardPoster, ConsoleCardPoster, SlackCardPoster
        from bot.slack.runner import SlackRunner
        from bot.workers.acknowledgements import AcknowledgementWorker, rep_names
        from bot.workers.outbox import FINISH_DELAY, OutboxWorker
        from bot.workers.retention import RetentionWorker
        from bot.workers.sla import SlaWorker
        from bot.workers.webhooks import WebhookWorker
        assert self._extractor is not None and self.reader is not None

        poster: CardPoster
        client: AsyncWebClient | None = None
        if settings.slack.enabled:
            assert settings.slack.bot_token is not None
            # One HTTP session for every Web API call: connections are kept alive, not opened per card.
            self._http = aiohttp.ClientSession()
            client = AsyncWebClient(
                token=settings.slack.bot_token.get_secret_value(), base_url=settings.slack.api_base_url,
                session=self._http, logger=web_client_logger(),
            )
            poster = SlackCardPoster(
                client, mask=settings.privacy.mask_unclaimed,
                grades=(settings.scoring.grade_a, settings.scoring.grade_b),
            )
        else:
            poster = ConsoleCardPoster(self._console)
        self.outbox = OutboxWorker(
            self.store,
            poster,
            min_interval=settings.slack.post_interval_seconds,
            # issue 4: cards queued for the console while Slack was off go to their graded channel now
            reroute=(lambda lead: route(lead.grade, settings.slack.channels)) if settings.slack.enabled else None,
            alerts=settings.slack.channels.alerts if settings.slack.enabled else None,  # issue 12: dead items
            finish_delay=FINISH_DELAY,  # issue 11: cards delivered at a trickle share their finishing transaction
        )
        self.assessor = build_assessor(settings, self.store)
        attribution = Attribution({name: source.vendor for name, source in settings.intake.sources.items()})
        self.pipeline = IntakePipeline(
            self.store,
            self._extractor,
            self.assessor,
            on_cards_queued=self.outbox.wake,
            hold=self._hold,
            reader=self.reader,
            sweep_seconds=settings.intake.sweep_seconds,
            authentication=settings.authentication,
            attribution=attribution,
            resolver=build_resolver(settings),
        )
        self._accept_with = self.pipeline.accept  # before recover(): nothing accepted falls between
        recovered = 0
        if not self._hold:
            try:
                recovered = await self.pipeline.recover()
            except Exception as exc:
                # The store went away after the listener started (issue 12): the service goes on, SMTP answers
                # 451 while it is away, and the sweep re-queues what waits once it answers again.
                if not unreachable(exc):
                    raise
                self.pipeline.store_state.down(exc)
        if recovered:
            log.info("re-queued %d message(s) accepted before the last stop", recovered)
        self._spawn(self.pipeline.run(), "pipeline")
        self._spawn(self.outbox.run(), "outbox")
        # issue 5: SLA timers (reminders, escalation, auto-assignment, first-touch nudges), from the database
        self.sla = SlaWorker(self.store, settings.routing, settings.slack.channels, on_outbox=self.outbox.wake)
        if not self._hold:
            self._spawn(self.sla.run(), "sla")
        # privacy (issue 13): the daily retention worker ([privacy] raw_message_days, closed_lead_days, grade_c_days)
        self._spawn(RetentionWorker(self.store, settings.privacy, on_outbox=self.outbox.wake).run(), "retention")
        # issue 14: the email answering the prospect ([acknowledgement], off by default), beside intake, never in it
        if settings.acknowledgement.enabled and not self._hold:
            ack = settings.acknowledgement
            self._spawn(AcknowledgementWorker(self.store, ack, names=rep_names(ack.rep_names, client)).run(), "ack")
        # issue 14: lead events to the receivers in [webhooks.outbound.<name>], from the events table
        if any(r.enabled for r in settings.webhooks.outbound.values()) and not self._hold:
            self._spawn(WebhookWorker(self.store, settings.webhooks).run(), "webhooks")
        await self._start_ways_in()
        # Slack last, and never waited for: Socket Mode connects in the background (issue 12).
        if settings.slack.enabled:
            intake = ChatIntake(self.store, self.pipeline, on_cards_queued=self.outbox.wake)
            app = build_slack_app(
                settings.slack, self.store, wake_outbox=self.outbox.wake, client=client, intake=intake,
                privacy=settings.privacy, routing=settings.routing,
            )
            self.slack = SlackRunner(settings.slack, app)
            await self.slack.start()
        log.info(
            "leadbot is listening for mail on %s:%d; cards go to %s",
            settings.smtp.host,
            self.smtp.port,
            "Slack" if settings.slack.enabled else "the console",
        )

    async def _accept(self, message: RawMessage) -> AcceptedMessage:
        return await self._accept_with(message)

    async def _start_reading(self) -> None:
        """The reader of accepted mail, and what this process keeps of the reading set-up.

        A reader handed in (tests) is used as it is. Otherwise worker processes read, unless an extractor was
        handed in (tests) or ``[intake] read_processes = 0``; this process then keeps only the vendor templates
        (no spaCy: issue 11's memory goal). Otherwise an Extractor here, read in a thread, warmed up before the
        first message's budget runs.
        """
        from bot.intake.reader import ProcessReader, ThreadReader, VendorTemplates

        settings = self.settings
        intake = settings.intake
        if self.reader is not None:  # handed in: only the vendor templates are ours to load
            if self._extractor is None:
                self._extractor = await asyncio.to_thread(VendorTemplates, settings.extraction)
            return
        if self._extractor is None and intake.read_processes and not self._hold:
            processes = ProcessReader(
                settings.extraction, settings.nlp, processes=intake.read_processes, budget=intake.read_budget_seconds
            )
            starting = asyncio.create_task(processes.start(), name="reader-start")
            try:
                self._extractor = await asyncio.to_thread(VendorTemplates, settings.extraction)
                await starting
            except BaseException:
                starting.cancel()
                await asyncio.gather(starting, return_exceptions=True)
                await processes.close()
                raise
            self.reader = processes
            return
        if self._extractor is None:
            from nlp.extractor import Extractor

            # Loading templates and building the spaCy pipeline is CPU work: keep the loop free.
            self._extractor = await asyncio.to_thread(Extractor, settings.extraction, settings.nlp)
        assert not isinstance(self._extractor, VendorTemplates)
        reader = ThreadReader(self._extractor, budget=intake.read_budget_seconds)
        await reader.start()
        self.reader = reader

    async def _start_ways_in(self) -> None:
        """HTTP webhooks and forms, and the IMAP mailbox, each only when configured."""
        from bot.intake.http import WebIntake
        from bot.intake.imap import ImapPoller
        from bot.intake.pipeline import IntakePipeline

        settings = self.settings
        assert self.pipeline is not None and self._extractor is not None
        if settings.http.enabled and (settings.intake.sources or settings.forms):
            # Leads that must be kept but never ping a rep (a quiet source) take the same pipeline, routed nowhere.
            quiet = IntakePipeline(
                self.store, self._extractor, self.pipeline.assessor.quiet(), reader=self.pipeline.reader,
                attribution=self.pipeline.attribution,
            )
            self.web = WebIntake(
                settings.http, settings.intake, settings.forms, self.pipeline, self.store, quiet=quiet
            )
            await self.web.start()
        if settings.imap.enabled:
            self.imap = ImapPoller(settings.imap, self.pipeline.accept)
            self._imap_task = asyncio.create_task(self.imap.run(), name="imap")
            self._imap_task.add_done_callback(_report_crash)

    def _spawn(self, coro: Coroutine[Any, Any, None], name: str) -> None:
        task = asyncio.create_task(coro, name=name)
        task.add_done_callback(_report_crash)
        self._tasks.append(task)

    async def wait_idle(self, seconds: float = 30.0) -> None:
        """Until every accepted message is processed and every due card is out (tests, demo)."""
        assert self.pipeline is not None and self.outbox is not None
        async with asyncio.timeout(seconds):
            await self.pipeline.wait_idle()
        await self.outbox.drain(seconds)

    async def stop(self) -> None:
        """Stop taking mail, give the messages in hand a short grace, then close everything (issue 12: bounded).

        The ways in and Slack close together, each bounded (SMTP's shutdown grace, Slack's close timeout);
        a message still being read after ``STOP_GRACE_SECONDS`` is left "received" (its reading process is
        killed, not waited for) and its lease given up, so the next start or another instance's sweep reads it
        at once rather than after the lease runs out.
        """
        await asyncio.gather(self._stop_ways_in(), self._stop_slack())
        if self.pipeline is not None and not self._hold:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(STOP_GRACE_SECONDS):
                    await self.pipeline.wait_idle()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self._tasks.clear()
        await asyncio.gather(self._close_reader(), self._close_http(), self._give_up_leases())
        await self.store.close()

    async def _stop_ways_in(self) -> None:
        if self._imap_task is not None:
            self._imap_task.cancel()
        outcomes = await asyncio.gather(
            *(part.stop() for part in (self.smtp, self.web) if part is not None),
            *([self._imap_task] if self._imap_task is not None else []),
            return_exceptions=True,
        )
        for outcome in outcomes:  # one way in failing to close must not keep the others open
            if isinstance(outcome, Exception):
                log.warning("a way in did not close cleanly", exc_info=outcome)

    async def _stop_slack(self) -> None:
        if self.slack is not None:
            await self.slack.stop()

    async def _give_up_leases(self) -> None:
        """Let the messages this instance leased and did not finish go: leased again for no time at all."""
        if self.pipeline is None or self._hold:
            return
        try:
            async with asyncio.timeout(STOP_GRACE_SECONDS):
                await self.store.messages.lease_received(self.pipeline.instance, seconds=0)
        except Exception as exc:  # the store is away: they wait for their lease to run out (LEASE_SECONDS)
            log.info("could not give up the leases of unfinished messages (%s)", type(exc).__name__)

    async def _close_reader(self) -> None:
        if self.reader is not None:
            await self.reader.close()

    async def _close_http(self) -> None:
        if self._http is not None:
            await self._http.close()
            self._http = None


def build_assessor(settings: Settings, store: Store) -> Assessor:
    """The one assessor (scoring with learned rates, routing, claim clock) every way in shares."""
    from bot.assess.assessor import Assessor, Routing
    from bot.assess.learning import LearnedRatesCache

    routing = Routing(
        channels=settings.slack.channels,
        slack_enabled=settings.slack.enabled,
        default_region=settings.extraction.default_region,
        settings=settings.routing,
    )
    return Assessor(settings.scoring, routing, learning=LearnedRatesCache(store, settings.scoring))


def build_resolver(settings: Settings) -> Resolver | None:
    """The DNS sender authentication asks (issue 13), or None when `[authentication] enabled = false`."""
    from bot.intake.authenticity import DnsPythonResolver

    if not settings.authentication.enabled:
        return None
    return DnsPythonResolver(timeout=settings.authentication.dns_timeout_seconds)


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        log.error("%s stopped unexpectedly", task.get_name(), exc_info=task.exception())


async def serve(service: Service, *, on_ready: Callable[[], None] | None = None) -> None:
    """Run until SIGINT or SIGTERM, then shut down gracefully."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    starting = asyncio.create_task(service.start(), name="start")
    stopping = asyncio.create_task(stop.wait(), name="signal")
    started = False
    try:
        # A signal during start (a database that does not answer…) stops the start too.
        await asyncio.wait({starting, stopping}, return_when=asyncio.FIRST_COMPLETED)
        if starting.done():
            starting.result()
            started = True
            if on_ready:
                on_ready()
            await stopping
    finally:
        starting.cancel()
        stopping.cancel()
        await asyncio.gather(starting, stopping, return_exceptions=True)
        if started:  # a failed start is told in one line by the caller; stop quietly
            log.info("shutting down")
        await service.stop()
        # Only the exit is left: without this, the interpreter's teardown collects the whole heap (about 1 s of
        # CPU, 3-4 s after a SIGTERM with the other core busy, the larger part of the stop: issue 12).
        gc.freeze()
