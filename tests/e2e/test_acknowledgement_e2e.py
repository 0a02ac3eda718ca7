"""Issue 14 through the running service: a lead mailed in over SMTP is acknowledged to the prospect through
a real relay on loopback, and with the relay away intake and cards go on while the send waits for a retry;
`/leads show` (a signed slash command) lists the acknowledgement and the claim note in the lead's history."""

from __future__ import annotations

import asyncio
import io
import smtplib
from pathlib import Path
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.service import Service
from bot.settings import AcknowledgementSettings, RelaySettings, load_settings
from bot.workers.acknowledgements import AcknowledgementWorker, rep_names
from nlp.extractor import Extractor
from store.store import Store
from tests.e2e.test_slack_privacy import REP, answer, click, leads
from tests.e2e.test_slack_trust import side
from tests.fakes.relay import free_port, running_relay
from tests.slack.conftest import extractor
from tests.slack.service import SlackSide

__all__ = ["extractor", "side"]  # side: the trust tests' (roles, privacy on), on every mode and backend

MAIL = b"""\
From: Harbourside Web Forms <forms@harbourside-kitchens.example>
To: leads@harbourside-kitchens.example
Subject: Kitchen planning request
Message-ID: <ack-e2e-1@harbourside-kitchens.example>
Content-Type: text/plain; charset=utf-8

First name: Ingrid
Last name: Solheim
Company: Solheim Architects AS
Email: ingrid.solheim@solheim-architects.no
Phone: +47 22 55 01 23
Message: We would like a quote for a kitchen refit for our office of 25 people before June.
"""


def settings(tmp_path: Path, relay_port: int) -> Any:
    return load_settings(None, overrides={
        "store.url": f"sqlite+aiosqlite:///{tmp_path / 'ack.db'}",
        "smtp.port": 0,
        "acknowledgement.enabled": True,
        "acknowledgement.from_address": "hello@harbourside-kitchens.example",
        "acknowledgement.company_name": "Harbourside Kitchens",
        "acknowledgement.check_seconds": 0.05,
        "acknowledgement.relay.host": "127.0.0.1",
        "acknowledgement.relay.port": relay_port,
        "acknowledgement.relay.security": "none",
        "acknowledgement.relay.timeout_seconds": 5,
    })


def send(port: int) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail("forms@harbourside-kitchens.example", ["leads@harbourside-kitchens.example"], MAIL)


async def until_event(store: Store, kind: str, timeout: float = 30.0) -> int:  # noqa: ASYNC109
    """The lead id of the first ``kind`` event, once the worker has written it (the store is the event)."""
    async with asyncio.timeout(timeout):
        while True:
            found = [e for e in await store.events.after(0, kinds={kind})]
            if found and found[0].lead_id is not None:
                return found[0].lead_id
            await asyncio.sleep(0.05)


async def test_a_mailed_lead_is_acknowledged_through_the_relay(tmp_path: Path, extractor: Extractor) -> None:
    with running_relay() as relay:
        service = Service(settings(tmp_path, relay.port), extractor=extractor, console=io.StringIO())
        await service.start()
        try:
            assert service.smtp is not None
            await asyncio.to_thread(send, service.smtp.port)
            [message] = await relay.wait_for(1)
            lead_id = await until_event(service.store, "acknowledged")
            lead = await service.store.leads.get(lead_id)
        finally:
            await service.stop()
    assert message["To"] == "ingrid.solheim@solheim-architects.no"
    assert message["Subject"] == "We have your request - Harbourside Kitchens"
    assert message.get_content().startswith("Hello Ingrid,")
    assert lead is not None and lead.grade in ("A", "B")


async def test_with_the_relay_down_intake_and_cards_go_on(tmp_path: Path, extractor: Extractor) -> None:
    console = io.StringIO()
    service = Service(settings(tmp_path, free_port()), extractor=extractor, console=console)
    await service.start()
    try:
        assert service.smtp is not None
        await asyncio.to_thread(send, service.smtp.port)
        await service.wait_idle()  # the card is out whatever the relay does
        [lead] = await service.store.leads.recent()
        assert lead.status == "posted" and "Ingrid Solheim" in console.getvalue()
        assert await until_event(service.store, "acknowledge_failed") == lead.id
        [row] = await service.store.acknowledgements.for_lead(lead.id)
        assert (row.status, row.attempts) == ("pending", 1) and "Errno" in (row.last_error or "")
    finally:
        await service.stop()


async def test_leads_show_lists_the_acknowledgement_and_the_claim_note(
    side: SlackSide, slack_client: AsyncWebClient
) -> None:
    side.fake.user_groups["S0REPS"] = [REP]
    side.fake.add_user(REP, name="sam.rep", real_name="Sam Okafor")
    with running_relay() as relay:
        settings = AcknowledgementSettings(
            enabled=True, from_address="hello@riverside.example", company_name="Riverside Motors", claim_note=True,
            relay=RelaySettings(host="127.0.0.1", port=relay.port, security="none", timeout_seconds=5),
        )
        worker = AcknowledgementWorker(side.store, settings, names=rep_names({}, slack_client))
        lead = await side.posted_lead()
        await worker.tick()
        await click(side, "claim", lead, REP)
        await side.fake.wait_for(lambda: bool(side.fake.dm_channels.get(REP)), what="the owner's card")
        await worker.tick()
    assert [m["Subject"] for m in relay.messages] == [
        "We have your request - Riverside Motors", "Sam from Riverside Motors will contact you"
    ]
    shown = answer(await leads(side, f"show {lead.id}", REP))
    history = shown[shown.index("History"):]
    kinds = [line.split("` ")[1].split(" ")[0] for line in history.splitlines() if line.startswith("`")]
    assert kinds == ["acknowledged", "claimed", "acknowledged", "posted", "intake"]  # newest first
