"""The whole intake spine, real at every step, on SQLite and PostgreSQL.

A real smtplib client sends vendor mail to the real listener on a free port; the card arrives at the
Slack stand-in over HTTP (the real slack_sdk client pointed at it); a signed block_actions request
claims it through the real Bolt app in HTTP mode.
"""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.service import Service
from bot.settings import load_settings
from nlp.extractor import Extractor
from tests.fakes.slack_api import BOT_TOKEN, FakeSlackApi
from tests.fakes.slack_requests import signed_block_actions

SECRET = "e2e-signing-secret"
SALES, NURTURE = "C0E2ESALES", "C0E2ENURTURE"

VENDOR_MAIL = b"""\
From: HomePro Match <alerts@homepro-match.example>
To: leads@acme-roofing.example
Subject: New lead: roof repair in Tacoma
Message-ID: <e2e-roof-0001@homepro-match.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

New customer request via HomePro Match

Customer Name: Wendell Achebe
Email: wendell.achebe@gmail.com
Phone: (253) 555-0182
Address: 4410 N 26th St, Tacoma, WA 98407
Service: Roof repair - leak around chimney
Timeframe: Within 1 week
Details: Water is coming in around the chimney after the last storm. Can someone come out to quote?
"""


def _mail(n: int) -> bytes:
    return VENDOR_MAIL.replace(b"e2e-roof-0001", f"e2e-roof-{n:04d}".encode()).replace(
        b"wendell.achebe", f"wendell.achebe{n}".encode()
    )


def _as_sent(data: bytes) -> bytes:
    """What the listener receives of bytes sent with smtplib: the same bytes, ending in CRLF."""
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _send(port: int, raw: bytes, rcpt: str = "leads@acme-roofing.example") -> tuple[int, bytes]:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.ehlo()
        client.mail("alerts@homepro-match.example")
        code, _ = client.rcpt(rcpt)
        assert code == 250
        return client.data(raw)


#: the tests whose service reads in its own worker processes, as `leadbot serve` does by default; the others
#: read in a thread with the session's warmed extractor (the same reading, without starting and warming a
#: process per test: seconds each). Reading processes have their own tests (tests/intake/test_reader.py,
#: tests/e2e/test_crash.py, tests/chaos).
READ_IN_PROCESSES = {"test_vendor_mail_becomes_a_claimable_card"}


@pytest.fixture
async def service(
    store_url: str, slack_api: FakeSlackApi, extractor: Extractor, request: pytest.FixtureRequest
) -> AsyncIterator[Service]:
    settings = load_settings(
        None,
        overrides={
            "store.url": store_url,
            "smtp.port": 0,
            "smtp.accepted_recipients": ["leads@acme-roofing.example"],
            "slack.mode": "http",
            "slack.bot_token": BOT_TOKEN,
            "slack.signing_secret": SECRET,
            "slack.api_base_url": slack_api.base_url,
            "slack.http_port": 0,
            "slack.post_interval_seconds": 0,
            "slack.channels.sales": SALES,
            "slack.channels.nurture": NURTURE,
        },
    )
    in_processes = request.function.__name__ in READ_IN_PROCESSES
    running = Service(settings, extractor=None if in_processes else extractor)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


def _buttons(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for b in blocks if b.get("type") == "actions" for e in b.get("elements", [])]


async def _click(service: Service, lead_id: int, user: str) -> int:
    lead = await service.store.leads.get(lead_id)
    assert lead is not None and service.slack is not None
    body, headers = signed_block_actions(SECRET, lead, user_id=user)
    async with aiohttp.ClientSession() as http:
        url = f"http://127.0.0.1:{service.slack.port}/slack/events"
        async with http.post(url, data=body, headers=headers) as response:
            return response.status


async def test_vendor_mail_becomes_a_claimable_card(service: Service, slack_api: FakeSlackApi) -> None:
    assert service.smtp is not None
    code, reply = await asyncio.to_thread(_send, service.smtp.port, _mail(1))
    assert code == 250 and b"queued as" in reply
    await slack_api.wait_for(lambda: bool(slack_api.channel_messages(SALES)), what="card posted")
    await service.wait_idle()

    [card] = slack_api.channel_messages(SALES)
    [lead] = await service.store.leads.recent()
    assert lead.grade == "A" and lead.slack_ts == card.ts and lead.slack_channel == SALES
    assert lead.fields["email"] == "wendell.achebe1@gmail.com"
    assert "Wendell" in card.text + str(card.blocks) and "Achebe" not in str(card.blocks)  # masked until claimed
    [claim] = [b for b in _buttons(card.blocks) if b.get("action_id") == "claim"]
    assert claim["text"]["text"] == "Claim" and claim["value"] == str(lead.id)

    assert await _click(service, lead.id, "U0REPANNA") == 200
    await slack_api.wait_for(lambda: card.edits == 1, what="card updated")
    claimed = await service.store.leads.get(lead.id)
    assert claimed is not None and claimed.owner == "U0REPANNA" and claimed.status == "claimed"
    assert "<@U0REPANNA>" in str(card.blocks)
    assert not [b for b in _buttons(card.blocks) if b.get("action_id") == "claim"]
    assert [e.kind for e in await service.store.events.for_lead(lead.id)] == ["intake", "posted", "claimed"]


async def test_twenty_concurrent_claims_one_winner(service: Service, slack_api: FakeSlackApi) -> None:
    assert service.smtp is not None
    await asyncio.to_thread(_send, service.smtp.port, _mail(2))
    await slack_api.wait_for(lambda: bool(slack_api.channel_messages(SALES)), what="card posted")
    await service.wait_idle()
    [lead] = await service.store.leads.recent()
    lead_record = await service.store.leads.get(lead.id)
    assert lead_record is not None and lead_record.slack_ts

    reps = [f"U0REP{i:04d}" for i in range(20)]
    statuses = await asyncio.gather(*(_click(service, lead.id, rep) for rep in reps))
    assert statuses == [200] * 20
    [card] = slack_api.channel_messages(SALES)
    await slack_api.wait_for(lambda: card.edits >= 1 and len(slack_api.ephemerals) >= 19)
    await service.wait_idle()
    final = await service.store.leads.get(lead.id)
    assert final is not None and final.owner in reps
    assert card.edits == 1
    assert len(slack_api.calls("chat.update", ok_only=True)) == 1
    losers = {e.user for e in slack_api.ephemerals}
    assert losers == set(reps) - {final.owner}
    assert all("Already claimed" in e.text for e in slack_api.ephemerals)
    kinds = [e.kind for e in await service.store.events.for_lead(lead.id)]
    assert kinds.count("claimed") == 1


async def test_resent_message_id_makes_no_second_lead(service: Service, slack_api: FakeSlackApi) -> None:
    assert service.smtp is not None
    first = await asyncio.to_thread(_send, service.smtp.port, _mail(3))
    again = await asyncio.to_thread(_send, service.smtp.port, _mail(3))
    assert first[0] == again[0] == 250
    await service.wait_idle()
    assert len(await service.store.leads.recent()) == 1
    assert len(await service.store.messages.recent()) == 1
    assert len(slack_api.channel_messages(SALES)) == 1


BAD_INPUTS = {
    "malformed MIME": (
        b"From: x@y.example\r\nTo: leads@acme-roofing.example\r\nSubject: broken\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"never-closed\"\r\n\r\n"
        b"--never-closed\r\nContent-Type: text/plain\r\n\r\nName: Ida Brandt\r\nEmail: ida@brandt-bau.example\r\n"
    ),
    "wrong charset": (
        b"From: x@y.example\r\nTo: leads@acme-roofing.example\r\nSubject: Anfrage\r\n"
        b"Content-Type: text/plain; charset=us-ascii\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        b"Vorname: J\xfcrgen\r\nNachname: Stra\xdfer\r\nTelefon: +49 30 5550 1234\r\nE-Mail: j.strasser@web.de\r\n"
    ),
    "binary garbage": bytes(range(256)) * 40,
    "no lead in it": b"From: x@y.example\r\nSubject: lunch?\r\n\r\nAre we still on for lunch?\r\n",
}


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
async def test_bad_input_is_kept_and_never_crashes_the_listener(
    service: Service, slack_api: FakeSlackApi, kind: str
) -> None:
    assert service.smtp is not None
    code, _ = await asyncio.to_thread(_send, service.smtp.port, BAD_INPUTS[kind])
    assert code == 250
    await service.wait_idle()
    [message] = await service.store.messages.recent()
    assert message.raw == _as_sent(BAD_INPUTS[kind])
    assert message.status in {"processed", "no_lead", "failed"}
    if message.status == "failed":
        assert message.error
    # the listener still serves the next vendor
    code, _ = await asyncio.to_thread(_send, service.smtp.port, _mail(4))
    assert code == 250
    await slack_api.wait_for(lambda: bool(slack_api.channel_messages(SALES)), what="card posted")


async def test_oversize_and_unknown_recipient_are_refused_at_the_edge(service: Service) -> None:
    assert service.smtp is not None
    port = service.smtp.port

    def unknown_recipient() -> int:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.ehlo()
            client.mail("alerts@homepro-match.example")
            code, reply = client.rcpt("ceo@acme-roofing.example")
            assert b"5.1.1" in reply
            return code

    def oversize() -> int:
        with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
            client.ehlo()
            client.mail("alerts@homepro-match.example")
            client.rcpt("leads@acme-roofing.example")
            code, _ = client.data(b"Subject: big\r\n\r\n" + b"x" * 1000 + (b"y" * 998 + b"\r\n") * 11000)
            return code

    assert await asyncio.to_thread(unknown_recipient) == 550
    assert await asyncio.to_thread(oversize) == 552
    assert await service.store.messages.recent() == []
