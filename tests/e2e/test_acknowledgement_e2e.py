"""Issue 14 through the running service: a lead mailed in over SMTP is acknowledged to the prospect through
a real relay on loopback, and with the relay away intake and cards go on while the send waits for a retry."""

from __future__ import annotations

import asyncio
import io
import smtplib
from pathlib import Path
from typing import Any

from bot.service import Service
from bot.settings import load_settings
from nlp.extractor import Extractor
from store.store import Store
from tests.fakes.relay import free_port, running_relay
from tests.slack.conftest import extractor

__all__ = ["extractor"]

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
