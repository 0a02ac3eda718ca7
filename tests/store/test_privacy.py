"""Export and retention (issue 13), on an injected clock, on every backend."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.settings import PrivacySettings
from bot.workers.retention import DAY, RetentionWorker
from store.records import LeadRecord
from store.store import Store
from tests.conftest import migrated_store
from tests.store.helpers import new_lead, raw_message

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, days: float) -> None:
        self.now += timedelta(days=days)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def store(store_url: str, clock: Clock) -> AsyncIterator[Store]:
    async with migrated_store(store_url, clock=clock) as opened:
        yield opened


def allow(_lead: LeadRecord, _actor: str) -> str | None:
    return None


async def mailed(store: Store, email: str, *, grade: str = "A", key: str | None = None) -> LeadRecord:
    body = f"Subject: quote\r\n\r\nName: Ada Park\r\nEmail: {email}\r\n".encode()
    accepted = await store.messages.accept(raw_message(body), dedup_key=f"mid:{key or email}")
    (lead,) = await store.messages.complete(accepted.id, [new_lead(email, grade=grade)], vendor="Portal")
    return lead


async def test_export_holds_everything_about_the_person(store: Store) -> None:
    lead = await mailed(store, "ada@park.test")
    await store.leads.claim(lead.id, "U0REP")
    await store.leads.log_activity(lead.id, "U0REP", "note", "rang Ada on 0161 496 0000", check=allow)
    await mailed(store, "someone@else.test")
    contact_id = await store.contacts.find("ada@park.test")
    assert contact_id is not None

    held = await store.privacy.export(contact_id)
    assert held is not None
    json.dumps(held)  # one JSON document
    assert held["contact"]["email"] == "ada@park.test" and held["contact"]["name"]
    ((exported),) = held["leads"]
    assert exported["id"] == lead.id and exported["fields"]["email"] == "ada@park.test"
    assert exported["provenance"]["email"]["source"] == "reader:labels:Email"
    (message,) = held["messages"]
    assert "Email: ada@park.test" in message["raw"] and message["sender"] == "portal@example.net"
    kinds = [e["kind"] for e in held["events"]]
    assert "intake" in kinds and "claimed" in kinds
    assert any(e["data"].get("text") == "rang Ada on 0161 496 0000" for e in held["events"])
    assert "someone@else.test" not in json.dumps(held)

    await store.privacy.erase(contact_id, actor="U0BOSS")
    after = await store.privacy.export(contact_id)
    assert after is not None
    text = json.dumps(after)
    assert "ada@park.test" not in text and "Ada Park" not in text and "0161 496 0000" not in text
    assert after["messages"][0]["raw"] == "" and after["leads"][0]["grade"] == "A"
    assert await store.privacy.export(10_000) is None


async def test_retention_rules_on_the_clock(store: Store, clock: Clock) -> None:
    rules = {"raw_message_days": 30, "closed_lead_days": 60, "grade_c_days": 45}
    kept = await mailed(store, "kept@park.test")
    grade_c = await mailed(store, "cold@park.test", grade="C")
    lost = await mailed(store, "lost@park.test")
    won = await mailed(store, "won@park.test")
    await store.leads.set_outcome(lost.id, "U0REP", "lost", reason="bought elsewhere", check=allow)
    await store.leads.set_outcome(won.id, "U0REP", "won", amount=1200.0, check=allow)

    clock.advance(29)
    assert (await store.privacy.retention_plan(**rules)).empty

    clock.advance(2)  # day 31: the raw messages go, their leads stay
    plan = await store.privacy.retention_plan(**rules)
    assert len(plan.raw_messages) == 4 and plan.closed_leads == () and plan.grade_c_leads == ()
    await store.privacy.apply_retention(plan)
    for lead in (kept, grade_c, lost, won):
        stored = await store.leads.get(lead.id)
        assert stored is not None and stored.fields.get("email") == lead.fields["email"]
        assert lead.message_id is not None
        message = await store.messages.get(lead.message_id)
        assert message is not None and message.raw == b"" and message.sender is None
    assert (await store.privacy.retention_plan(**rules)).empty  # applied once

    clock.advance(15)  # day 46: the grade C lead is anonymised
    plan = await store.privacy.retention_plan(**rules)
    assert plan.grade_c_leads == (grade_c.id,) and plan.closed_leads == ()
    await store.privacy.apply_retention(plan)
    cold = await store.leads.get(grade_c.id)
    assert cold is not None and cold.fields == {} and cold.grade == "C"
    assert await store.contacts.find("cold@park.test") is None  # its only lead: the contact goes too

    clock.advance(15)  # day 61: the lost lead too; the won and the open lead stay
    plan = await store.privacy.retention_plan(**rules)
    assert plan.closed_leads == (lost.id,) and plan.grade_c_leads == ()
    await store.privacy.apply_retention(plan)
    gone = await store.leads.get(lost.id)
    assert gone is not None and gone.fields == {} and gone.outcome == "lost"
    for lead in (kept, won):
        stored = await store.leads.get(lead.id)
        assert stored is not None and stored.fields.get("email") == lead.fields["email"]
    assert (await store.privacy.retention_plan(**rules)).empty


async def test_zero_days_keeps_everything(store: Store, clock: Clock) -> None:
    lead = await mailed(store, "cold@park.test", grade="C")
    await store.leads.set_outcome(lead.id, "U0REP", "disqualified", reason="spam", check=allow)
    clock.advance(10_000)
    assert (await store.privacy.retention_plan()).empty


async def test_the_daily_worker_applies_the_rules(store: Store, clock: Clock) -> None:
    lead = await mailed(store, "cold@park.test", grade="C")
    woken: list[bool] = []
    passes: list[datetime] = []

    async def next_day(seconds: float) -> None:
        assert seconds == DAY
        passes.append(clock.now)
        if len(passes) == 3:
            raise asyncio.CancelledError
        clock.advance(1)

    rules = PrivacySettings(grade_c_days=1)
    worker = RetentionWorker(store, rules, on_outbox=lambda: woken.append(True), sleep=next_day)
    with pytest.raises(asyncio.CancelledError):
        await worker.run()
    assert passes == [START, START + timedelta(days=1), START + timedelta(days=2)]
    stored = await store.leads.get(lead.id)
    assert stored is not None and stored.fields == {}  # anonymised on the pass of day 2
    assert woken == []  # the lead had no Slack card: nothing for the outbox
    assert not RetentionWorker(store, PrivacySettings()).enabled
