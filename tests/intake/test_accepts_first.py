"""Accepts first (issue 11): in a burst, while senders are at it, a message's leads are not written; they wait for a
pause. Without a backlog, a message is processed whatever the senders do."""

from __future__ import annotations

import asyncio

import pytest

import bot.intake.pipeline
from bot.assess.assessor import Assessor, Routing
from bot.intake.pipeline import GIVE_WAY_SECONDS, IntakePipeline
from bot.settings import ScoringSettings, SlackChannels
from nlp.extractor import Extractor
from parsers.lead import RawMessage
from store.store import Store


def _mail(n: int) -> RawMessage:
    raw = (
        f"From: Forms <forms@alderbrook.example>\r\nSubject: Quote {n}\r\n"
        f"Message-ID: <first-{n}@alderbrook.example>\r\n\r\nName: Oksana Lindqvist\r\n"
        f"Email: oksana{n}@lindqvist-bakery.example\r\nPhone: 612-555-{n % 10_000:04d}\r\n"
        "Message: Please quote a walk-in cooler for our bakery.\r\n"
    ).encode()
    return RawMessage(raw=raw, channel="smtp", sender="forms@alderbrook.example")


async def test_leads_are_written_once_the_senders_pause(
    store: Store, extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a quiet time far above a busy machine's scheduling delays, the senders' pauses far below it
    quiet = 0.05
    monkeypatch.setattr(bot.intake.pipeline, "QUIET_SECONDS", quiet)
    monkeypatch.setattr(bot.intake.pipeline, "BURST_BACKLOG", 0)  # a burst, however few messages are held here
    pipeline = IntakePipeline(store, extractor, Assessor(ScoringSettings(), Routing(SlackChannels(),
                                                                                    slack_enabled=False)))
    pipeline.hold = True  # accepts only queue nothing: this test processes its one message itself
    loop = asyncio.get_running_loop()
    first = _mail(0)
    accepted = await pipeline.accept(first)
    stream_seconds = GIVE_WAY_SECONDS / 3
    ended: list[float] = []

    async def sender(lane: int) -> None:
        n = lane
        began = loop.time()
        while loop.time() - began < stream_seconds:
            n += 4
            await pipeline.accept(_mail(n))
            ended.append(loop.time())
            await asyncio.sleep(0.001)  # the sender's next MAIL, RCPT and DATA: no accept in progress

    senders = [asyncio.create_task(sender(lane)) for lane in range(1, 5)]
    await asyncio.sleep(0)
    [lead] = await pipeline.process(accepted.id, first, leased=False)
    written = loop.time()
    await asyncio.gather(*senders)

    assert lead.fields["email"] == "oksana0@lindqvist-bakery.example"
    assert len(ended) >= 8  # every sender sent more than once
    # not written while mail kept coming, but within the quiet time after the last 250 (and long before the bound)
    assert written >= max(ended)
    assert written - max(ended) < GIVE_WAY_SECONDS / 2 + quiet
    assert [m.status for m in await store.messages.recent(status="processed")] == ["processed"]


async def test_without_a_backlog_a_message_is_written_while_senders_go_on(
    store: Store, extractor: Extractor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Mail at a rate processing keeps up with, each accept overlapping the next (as on a loaded machine): nothing
    # to give way to. Giving way here would hold the message until the senders stop, or for the whole bound.
    monkeypatch.setattr(bot.intake.pipeline, "QUIET_SECONDS", 0.05)
    monkeypatch.setattr(bot.intake.pipeline, "GIVE_WAY_SECONDS", 600.0)
    pipeline = IntakePipeline(store, extractor, Assessor(ScoringSettings(), Routing(SlackChannels(),
                                                                                    slack_enabled=False)))
    pipeline.hold = True  # accepts only queue nothing: nothing is held here but the one message processed below
    loop = asyncio.get_running_loop()
    first = _mail(0)
    accepted = await pipeline.accept(first)
    written = asyncio.Event()
    ended: list[float] = []

    async def sender(lane: int) -> None:
        n = lane
        while not written.is_set():
            n += 4
            await pipeline.accept(_mail(n))
            ended.append(loop.time())
            await asyncio.sleep(0.001)

    senders = [asyncio.create_task(sender(lane)) for lane in range(1, 5)]
    await asyncio.sleep(0)
    try:
        async with asyncio.timeout(60):  # far below the give-way bound
            [lead] = await pipeline.process(accepted.id, first, leased=False)
        at = loop.time()
    finally:
        written.set()
        await asyncio.gather(*senders)

    assert lead.fields["email"] == "oksana0@lindqvist-bakery.example"
    assert ended and min(ended) < at  # accepts went on while it was processed, and it did not wait for their end
    assert [m.status for m in await store.messages.recent(status="processed")] == ["processed"]
