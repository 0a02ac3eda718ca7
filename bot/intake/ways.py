"""Wiring for the ways in beyond SMTP: the HTTP intake and forms server, and the IMAP poller.

Called by the service (the composition root) once its pipeline is up; each part starts only when it
is configured (a source or form for HTTP, ``[imap] host`` for the mailbox).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass

from bot.intake.http import WebIntake
from bot.intake.imap import ImapPoller
from bot.intake.pipeline import IntakePipeline, Routing
from bot.settings import Settings, SlackChannels
from nlp.extractor import Extractor
from store.store import Store

log = logging.getLogger(__name__)


@dataclass(slots=True)
class WaysIn:
    web: WebIntake | None = None
    imap: ImapPoller | None = None
    imap_task: asyncio.Task[None] | None = None


def quiet_pipeline(settings: Settings, store: Store, extractor: Extractor) -> IntakePipeline:
    """The same pipeline, routing no card anywhere: for leads that must be kept but never ping a rep.

    No channels and no routing rules (the default `[routing]`), so every lead's card goes nowhere.
    """
    return IntakePipeline(
        store,
        extractor,
        scoring=settings.scoring,
        routing=Routing(channels=SlackChannels(), slack_enabled=True,
                        default_region=settings.extraction.default_region),
    )


async def start_ways_in(
    settings: Settings, store: Store, pipeline: IntakePipeline, extractor: Extractor | None
) -> WaysIn:
    ways = WaysIn()
    if settings.http.enabled and (settings.intake.sources or settings.forms):
        assert extractor is not None
        ways.web = WebIntake(
            settings.http, settings.intake, settings.forms, pipeline, store,
            quiet=quiet_pipeline(settings, store, extractor),
        )
        await ways.web.start()
    if settings.imap.enabled:
        ways.imap = ImapPoller(settings.imap, pipeline.accept)
        ways.imap_task = asyncio.create_task(ways.imap.run(), name="imap")
    return ways


async def stop_ways_in(ways: WaysIn) -> None:
    if ways.imap_task is not None:
        ways.imap_task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await ways.imap_task
    if ways.web is not None:
        await ways.web.stop()
