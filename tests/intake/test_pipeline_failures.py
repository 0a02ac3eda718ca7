"""Our own failures while storing leads: the message keeps its bytes, says why, and replays later."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from bot.assess.assessor import Assessor, Routing
from bot.intake.pipeline import IntakePipeline
from bot.settings import ScoringSettings, SlackChannels
from nlp.extractor import Extractor
from parsers.lead import RawMessage
from store.store import Store

MAIL = (
    b"From: Forms <forms@alderbrook.example>\r\nSubject: Quote\r\nMessage-ID: <fail-1@alderbrook.example>\r\n\r\n"
    b"Name: Oksana Lindqvist\r\nEmail: oksana@lindqvist-bakery.example\r\nPhone: 612-555-0177\r\n"
    b"Message: Please quote a walk-in cooler for our bakery.\r\n"
)


async def test_a_database_failure_while_storing_leads_is_kept_for_replay(tmp_path: Path) -> None:
    store = Store.open(f"sqlite+aiosqlite:///{tmp_path / 'f.db'}")
    await store.migrate()
    pipeline = IntakePipeline(
        store,
        Extractor(),
        Assessor(ScoringSettings(), Routing(SlackChannels(), slack_enabled=False)),
    )
    try:
        accepted = await pipeline.accept(RawMessage(raw=MAIL, channel="smtp", sender="forms@alderbrook.example"))
        async with store.engine.begin() as conn:  # the events table goes missing: every lead insert fails
            await conn.execute(text("ALTER TABLE events RENAME TO events_elsewhere"))

        assert await pipeline.process(accepted.id) == []
        failed = await store.messages.get(accepted.id)
        assert failed is not None and failed.status == "failed" and "events" in (failed.error or "")
        assert failed.raw == MAIL
        assert await store.leads.recent() == []

        async with store.engine.begin() as conn:
            await conn.execute(text("ALTER TABLE events_elsewhere RENAME TO events"))
        [lead] = await pipeline.replay(accepted.id)
        assert lead.fields["email"] == "oksana@lindqvist-bakery.example"
        done = await store.messages.get(accepted.id)
        assert done is not None and done.status == "processed" and done.error is None
    finally:
        await store.close()
