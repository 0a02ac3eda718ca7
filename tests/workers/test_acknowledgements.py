"""Issue 14, answering the prospect: acknowledgements through a real SMTP relay on loopback (aiosmtpd),
once per lead and kind across restarts and instances, never for grade C or to a role or disposable
address, retried with backoff from the database when the relay refuses or is away."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import insert, update

from bot.settings import AcknowledgementSettings, AcknowledgementTemplate, RelaySettings
from bot.workers.acknowledgements import AcknowledgementWorker, rep_names
from store.records import NewLead
from store.store import Store
from store.tables import Event, Lead
from tests.conftest import migrated_store
from tests.fakes.relay import Relay, free_port, running_relay
from tests.fakes.slack_api import FakeSlackApi
from tests.intake.smtp.test_smtp_security import certificate
from tests.slack.leads import new_lead

__all__ = ["certificate"]

START = datetime(2026, 3, 2, 9, tzinfo=UTC)
ANNA = "U0ANNA"
BEN = "U0BEN"


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def later(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def settings_for(port: int, **changes: Any) -> AcknowledgementSettings:
    values: dict[str, Any] = {
        "enabled": True,
        "from_address": "hello@riverside-motors.example",
        "company_name": "Riverside Motors",
        "claim_note": True,
        "rep_names": {ANNA: "Anna"},
        "relay": RelaySettings(host="127.0.0.1", port=port, security="none", timeout_seconds=5),
        "retry_seconds": (60.0, 300.0),
        "sources": {
            "AutoMarket": AcknowledgementTemplate(
                subject="Your AutoMarket request, {first_name}",
                body="Hi {first_name}, {company_name} has your request for {interest} (ref {lead_id}).",
            )
        },
    }
    return AcknowledgementSettings(**(values | changes))


def lead(name: str = "Dana Whitaker", *, email: str | None = None, **changes: Any) -> NewLead:
    base = new_lead(name)
    fields = dict(base.fields)
    if email is not None:
        fields["email"] = email
    return dataclasses.replace(base, fields=fields, **changes)


@pytest.fixture
def relay() -> Iterator[Relay]:
    with running_relay() as running:
        yield running


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def ack_store(store_url: str, clock: Clock) -> AsyncIterator[Store]:
    async with migrated_store(store_url, clock=clock) as opened:
        yield opened


async def started(store: Store, settings: AcknowledgementSettings, clock: Clock, **kw: Any) -> AcknowledgementWorker:
    """A worker whose cursor is set (it answers leads that arrive from now on, not the history)."""
    worker = AcknowledgementWorker(store, settings, clock=clock, **kw)
    await worker.follow()
    return worker


async def kinds_of_events(store: Store, lead_id: int) -> list[str]:
    return [e.kind for e in await store.events.for_lead(lead_id)]


async def test_a_new_lead_is_acknowledged_once_with_the_default_wording(
    ack_store: Store, relay: Relay, clock: Clock
) -> None:
    worker = await started(ack_store, settings_for(relay.port), clock)
    stored = await ack_store.leads.add(lead())

    assert await worker.tick() == [f"lead {stored.id}: intake sent"]
    [(sender, rcpts, message)] = relay.received
    assert sender == "hello@riverside-motors.example" and rcpts == ["dana.whitaker@example.org"]
    assert message["To"] == "dana.whitaker@example.org"
    assert message["From"] == "Riverside Motors <hello@riverside-motors.example>"
    assert message["Subject"] == "We have your request - Riverside Motors"
    assert message["Auto-Submitted"] == "auto-replied"
    body = message.get_content()
    assert body.startswith("Hello Dana,") and "thank you for contacting Riverside Motors" in body
    [event] = [e for e in await ack_store.events.for_lead(stored.id) if e.kind == "acknowledged"]
    assert event.data == {"kind": "intake", "message_id": message["Message-ID"], "template": "default"}

    # a later tick, a restart (a new worker on the same database) and a second instance send nothing more
    clock.later(minutes=5)
    assert await worker.tick() == []
    again = await started(ack_store, settings_for(relay.port), clock)
    assert await again.tick() == []
    assert len(relay.received) == 1
    [row] = await ack_store.acknowledgements.for_lead(stored.id)
    assert (row.status, row.attempts, row.message_id) == ("sent", 1, message["Message-ID"])


async def test_a_source_has_its_own_wording_and_the_claim_note_names_the_rep(
    ack_store: Store, relay: Relay, clock: Clock
) -> None:
    worker = await started(ack_store, settings_for(relay.port), clock)
    stored = await ack_store.leads.add(lead("Otto Brandt", vendor="automarket"))
    await worker.tick()
    [first] = relay.messages
    assert first["Subject"] == "Your AutoMarket request, Otto"
    assert first.get_content().strip() == (
        f"Hi Otto, Riverside Motors has your request for 2024 Ford Transit 350 cargo van (ref {stored.id})."
    )

    assert (await ack_store.leads.claim(stored.id, ANNA)).won
    assert await worker.tick() == [f"lead {stored.id}: claimed sent"]
    note = relay.messages[1]
    assert note["Subject"] == "Anna from Riverside Motors will contact you"
    assert "Anna from Riverside Motors is looking after your request" in note.get_content()
    assert note["Auto-Submitted"] == "auto-generated"
    [sent] = [e for e in await ack_store.events.for_lead(stored.id) if e.kind == "acknowledged"][1:]
    assert sent.data["kind"] == "claimed" and sent.data["rep"] == ANNA

    # the note is sent once: a later reassignment tells the prospect nothing more
    await ack_store.leads.reassign(stored.id, "U0BORIS", ANNA, check=lambda _lead, _actor: None)
    clock.later(minutes=1)
    assert await worker.tick() == []
    assert len(relay.received) == 2


async def test_the_claim_note_waits_for_the_acknowledgement_and_needs_a_rep_name(
    ack_store: Store, relay: Relay, clock: Clock
) -> None:
    worker = await started(ack_store, settings_for(relay.port), clock)
    relay.busy = 1  # the acknowledgement's first try is refused
    quick = await ack_store.leads.add(lead("Lili Marsh"))
    await ack_store.leads.claim(quick.id, ANNA)
    unnamed = await ack_store.leads.add(lead("Reza Tehrani"))
    await ack_store.leads.claim(unnamed.id, "U0NONAME")

    notes = await worker.tick()
    assert notes[0] == f"lead {quick.id}: intake failed: SMTPDataError: (451, '4.3.0 try again later')"
    assert f"lead {unnamed.id}: intake sent" in notes
    assert f"lead {unnamed.id}: claimed not sent: no name known for U0NONAME ([acknowledgement] rep_names)" in notes
    assert not any(n.startswith(f"lead {quick.id}: claimed") for n in notes)  # "Anna will call" waits

    clock.later(seconds=61)
    assert await worker.tick() == [f"lead {quick.id}: intake sent", f"lead {quick.id}: claimed sent"]
    to_lili = [m["Subject"] for m in relay.messages if m["To"] == "lili.marsh@example.org"]
    assert to_lili == ["We have your request - Riverside Motors", "Anna from Riverside Motors will contact you"]


async def test_never_for_grade_c_disposable_role_or_missing_addresses(
    ack_store: Store, relay: Relay, clock: Clock
) -> None:
    worker = await started(ack_store, settings_for(relay.port), clock)
    no_email = lead("Nana Osei")
    no_email = dataclasses.replace(no_email, fields={k: v for k, v in no_email.fields.items() if k != "email"})
    cases = {
        "grade C": lead("Momo Tanaka", grade="C"),
        "a disposable address": lead("Elle Fischer", email="elle@mailinator.com"),
        "a role address": lead("Anna Becker", email="info@becker-bau.example"),
        "no email address": no_email,
        "the email address failed verification": lead(
            "Ivo Petrov", email="ivo@@petrov", provenance={"email": {"flags": ["invalid_email"]}}
        ),
    }
    ids = {reason: (await ack_store.leads.add(new)).id for reason, new in cases.items()}

    notes = await worker.tick()
    assert sorted(notes) == sorted(f"lead {i}: intake not sent: {reason}" for reason, i in ids.items())
    assert relay.received == []
    for reason, lead_id in ids.items():
        [row] = await ack_store.acknowledgements.for_lead(lead_id)
        assert (row.status, row.reason, row.attempts) == ("skipped", reason, 0)
        assert "acknowledged" not in await kinds_of_events(ack_store, lead_id)


async def test_a_repeat_inquiry_and_a_late_acknowledgement_are_not_sent(
    ack_store: Store, relay: Relay, clock: Clock
) -> None:
    worker = await started(ack_store, settings_for(relay.port, max_age_hours=1), clock)
    first = await ack_store.leads.add(lead())
    await worker.tick()
    repeat = await ack_store.leads.add(lead())  # the same person again while the first lead is open
    assert repeat.status == "duplicate"
    await worker.follow()
    clock.later(hours=2)
    late = await ack_store.leads.add(lead("Pia Lund"))
    await worker.follow()
    clock.later(hours=2)  # the relay-down hours are over, but the moment has passed
    notes = await worker.tick()
    assert notes == [
        f"lead {repeat.id}: intake not sent: a repeat of an open lead (the prospect was answered then)",
        f"lead {late.id}: intake not sent: more than 1 h late",
    ]
    assert [m["To"] for m in relay.messages] == ["dana.whitaker@example.org"]
    assert first.id != repeat.id


async def test_a_refused_send_is_retried_with_backoff_then_given_up(
    ack_store: Store, relay: Relay, clock: Clock
) -> None:
    worker = await started(ack_store, settings_for(relay.port), clock)
    relay.busy = 3
    stored = await ack_store.leads.add(lead())

    await worker.tick()
    [row] = await ack_store.acknowledgements.for_lead(stored.id)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 1, START + timedelta(seconds=60))
    assert row.last_error == "SMTPDataError: (451, '4.3.0 try again later')"
    clock.later(seconds=59)
    assert await worker.tick() == []  # not due yet
    clock.later(seconds=1)
    await worker.tick()
    [row] = await ack_store.acknowledgements.for_lead(stored.id)
    assert (row.status, row.attempts, row.next_attempt_at) == ("pending", 2, clock.now + timedelta(seconds=300))
    clock.later(seconds=300)
    await worker.tick()  # the third refusal: retry_seconds has two waits, so it is given up
    [row] = await ack_store.acknowledgements.for_lead(stored.id)
    assert (row.status, row.attempts) == ("dead", 3)
    failures = [e.data for e in await ack_store.events.for_lead(stored.id) if e.kind == "acknowledge_failed"]
    assert [f["attempt"] for f in failures] == [1, 2, 3]
    assert failures[0]["retry_at"] == (START + timedelta(seconds=60)).isoformat()
    assert failures[2]["gave_up"] is True and "retry_at" not in failures[2]
    clock.later(hours=1)
    assert await worker.tick() == [] and relay.received == []


async def test_a_mailbox_the_relay_does_not_know_is_given_up_at_once(
    ack_store: Store, relay: Relay, clock: Clock
) -> None:
    worker = await started(ack_store, settings_for(relay.port), clock)
    relay.unknown.add("gone@whitaker-logistics.example")
    stored = await ack_store.leads.add(lead(email="gone@whitaker-logistics.example"))
    [note] = await worker.tick()
    assert note.startswith(f"lead {stored.id}: intake failed: SMTPRecipientsRefused")
    [row] = await ack_store.acknowledgements.for_lead(stored.id)
    assert (row.status, row.attempts) == ("dead", 1) and "550" in (row.last_error or "")


async def test_an_unreachable_relay_leaves_the_rest_untried_and_intake_goes_on(
    ack_store: Store, clock: Clock
) -> None:
    down = free_port()  # nothing listens there
    worker = await started(ack_store, settings_for(down), clock)
    leads = [await ack_store.leads.add(lead(f"Lead Number{i}")) for i in range(3)]
    notes = await worker.tick()
    assert len(notes) == 1 and "intake failed: " in notes[0]
    rows = [(await ack_store.acknowledgements.for_lead(x.id))[0] for x in leads]
    assert [(r.status, r.attempts, r.claims) for r in rows] == [("pending", 1, 1), ("pending", 0, 0), ("pending", 0, 0)]

    # the relay comes back: everything goes out, the first after its backoff
    with running_relay() as back:
        worker = await started(ack_store, settings_for(back.port), clock)
        await worker.tick()
        assert len(back.received) == 2
        clock.later(seconds=60)
        await worker.tick()
        assert sorted(m["To"] for m in back.messages) == sorted(x.fields["email"] for x in leads)


async def test_two_instances_send_each_acknowledgement_once(store_url: str, relay: Relay, clock: Clock) -> None:
    async with migrated_store(store_url, clock=clock) as one, migrated_store(store_url, clock=clock) as two:
        workers = [await started(s, settings_for(relay.port), clock, instance=n) for s, n in ((one, "a"), (two, "b"))]
        leads = [await one.leads.add(lead(f"Lead Number{i}")) for i in range(12)]
        for _ in range(3):
            await asyncio.gather(*(w.tick() for w in workers))
        assert sorted(m["To"] for m in relay.messages) == sorted(x.fields["email"] for x in leads)
        for x in leads:
            assert (await kinds_of_events(one, x.id)).count("acknowledged") == 1


async def test_the_cursor_stays_behind_events_that_may_still_be_overtaken(
    ack_store: Store, relay: Relay, clock: Clock
) -> None:
    worker = await started(ack_store, settings_for(relay.port), clock, settle_seconds=60)
    start = await ack_store.event_cursors.get("acknowledgements", start=0)
    stored = await ack_store.leads.add(lead())
    assert await worker.follow() == 1
    assert await ack_store.event_cursors.get("acknowledgements", start=0) == start  # too young to pass
    assert await worker.follow() == 0  # read again, not queued again
    clock.later(seconds=61)
    await worker.follow()
    newest = await ack_store.events.high_water()
    assert await ack_store.event_cursors.get("acknowledgements", start=0) == newest
    assert [e.id for e in await ack_store.events.after(start, kinds={"intake"})] == [
        e.id for e in await ack_store.events.for_lead(stored.id) if e.kind == "intake"
    ]


async def test_history_is_not_answered_when_the_feature_is_turned_on(
    ack_store: Store, relay: Relay, clock: Clock
) -> None:
    old = await ack_store.leads.add(lead())
    clock.later(seconds=1)
    worker = AcknowledgementWorker(ack_store, settings_for(relay.port), clock=clock)
    clock.later(seconds=1)
    new = await ack_store.leads.add(lead("Pia Lund"))  # after the worker started, before its first look
    await worker.tick()
    assert [m["To"] for m in relay.messages] == ["pia.lund@example.org"]
    assert await ack_store.acknowledgements.for_lead(old.id) == []
    assert new.id > old.id


async def test_the_rep_is_named_from_slack_when_not_configured(
    sqlite_url: str, relay: Relay, clock: Clock, slack_api: FakeSlackApi, slack_client: AsyncWebClient
) -> None:
    slack_api.add_user("U0KEMAL", name="kemal", real_name="Kemal Aydın")
    names = rep_names({ANNA: "Anna"}, slack_client)
    assert [await names(ANNA), await names("U0KEMAL"), await names("U0NOBODY")] == ["Anna", "Kemal", None]

    async with migrated_store(sqlite_url, clock=clock) as store:
        worker = await started(store, settings_for(relay.port), clock, names=names)
        stored = await store.leads.add(lead())
        await store.leads.claim(stored.id, "U0KEMAL")
        slack_api.fail("users.info", status=500)  # Slack away: the note waits for its retry, not skipped
        notes = await worker.tick()
        assert notes[0] == f"lead {stored.id}: intake sent" and "claimed failed" in notes[1]
        clock.later(seconds=60)
        assert await worker.tick() == [f"lead {stored.id}: claimed sent"]
    assert relay.messages[1]["Subject"] == "Kemal from Riverside Motors will contact you"


async def test_starttls_and_login_to_a_relay_with_a_private_certificate(
    sqlite_url: str, clock: Clock, certificate: tuple[Path, Path]
) -> None:
    cert, key = certificate
    with running_relay(tls=(cert, key), login=("leadbot", "s3cret relay")) as relay:
        relay_settings = {"host": "127.0.0.1", "port": relay.port, "security": "starttls", "timeout_seconds": 5,
                          "username": "leadbot", "password": "s3cret relay", "ca_file": str(cert)}
        wrong = RelaySettings(**(relay_settings | {"password": "wrong"}))
        async with migrated_store(sqlite_url, clock=clock) as store:
            worker = await started(store, settings_for(relay.port, relay=RelaySettings(**relay_settings)), clock)
            refused = await started(store, settings_for(relay.port, relay=wrong), clock, instance="wrong")
            first = await store.leads.add(lead())
            [note] = await refused.tick()
            assert note.startswith(f"lead {first.id}: intake failed: SMTPAuthenticationError: (535")
            clock.later(seconds=60)
            assert await worker.tick() == [f"lead {first.id}: intake sent"]
    assert [m["To"] for m in relay.messages] == ["dana.whitaker@example.org"]


async def test_a_refusal_quoting_the_address_is_stored_without_it(ack_store: Store, relay: Relay, clock: Clock) -> None:
    worker = await started(ack_store, settings_for(relay.port), clock)
    relay.unknown.add("gone@whitaker-logistics.example")
    stored = await ack_store.leads.add(lead(email="gone@whitaker-logistics.example"))
    await worker.tick()
    [row] = await ack_store.acknowledgements.for_lead(stored.id)
    [event] = [e for e in await ack_store.events.for_lead(stored.id) if e.kind == "acknowledge_failed"]
    assert "<the prospect's address>" in (row.last_error or "") and "550" in event.data["error"]
    assert "gone@" not in (row.last_error or "") + str(event.data)


async def test_imported_and_chat_leads_are_answered_only_when_asked(
    ack_store: Store, relay: Relay, clock: Clock
) -> None:
    worker = await started(ack_store, settings_for(relay.port), clock)
    imported = await ack_store.leads.add(lead(channel="file"))
    typed = await ack_store.leads.add(lead("Pia Lund", channel="slack"))
    assert sorted(await worker.tick()) == [
        f"lead {imported.id}: intake not sent: it came in by file ([acknowledgement] channels)",
        f"lead {typed.id}: intake not sent: it came in by slack ([acknowledgement] channels)",
    ]
    chatty = await started(ack_store, settings_for(relay.port, channels=("smtp", "slack")), clock)
    later = await ack_store.leads.add(lead("Lili Marsh", channel="slack"))
    assert await chatty.tick() == [f"lead {later.id}: intake sent"]


@pytest.mark.postgres
async def test_an_event_committed_after_a_later_one_is_not_missed(
    postgres_url: str, relay: Relay, clock: Clock
) -> None:
    """PostgreSQL takes an event's id before its commit: a claim committed late (lower id) must still be seen
    (SQLite has one writer, so its events commit in id order). The two leads come from different sources and
    are claimed by different reps: changes to one source's or rep's statistics rollup row of the day wait for
    each other, so only unrelated claims can commit out of order."""
    async with migrated_store(postgres_url, clock=clock) as store:
        worker = await started(store, settings_for(relay.port, rep_names={ANNA: "Anna", BEN: "Ben"}), clock)
        slow = await store.leads.add(lead("Lili Marsh", vendor="Slowfield Homes"))
        quick = await store.leads.add(lead("Otto Brandt", vendor="Quickway Autos"))
        await worker.tick()
        async with store.engine.begin() as late:  # a claim whose transaction is still open
            await late.execute(update(Lead).where(Lead.id == slow.id)
                               .values(owner=ANNA, status="claimed", claimed_at=clock.now))
            await late.execute(insert(Event).values(lead_id=slow.id, contact_id=slow.contact_id, kind="claimed",
                                                    actor=ANNA, at=clock.now, data={}))
            await store.leads.claim(quick.id, BEN)  # a higher event id, committed first
            assert await worker.tick() == [f"lead {quick.id}: claimed sent"]
        assert await worker.tick() == [f"lead {slow.id}: claimed sent"]
        clock.later(seconds=61)
        await worker.tick()
        followed = await store.events.after(0, kinds={"intake", "claimed"})
        assert await store.event_cursors.get("acknowledgements", start=0) == followed[-1].id  # settled: passed
    assert len(relay.received) == 4
