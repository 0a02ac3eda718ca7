"""One reader for every way in: the same bytes give the same fields through serve, parse, replay, chat
intake and webhooks (issue 10, must-show 3).

A running service (real aiosmtpd listener, the aiohttp webhook server, the Bolt app in HTTP mode against the
Slack stand-in, a real SQLite file) takes each message the way it would arrive: mail over SMTP with smtplib,
JSON and XML posted to ``/intake/<source>``, a chat note as a signed Events API callback. The same bytes,
written to a file, go through ``leadbot parse`` (``run_parse`` with the extractor the CLI builds), and the
stored message is read again with ``IntakePipeline.replay`` (what ``leadbot replay --force`` does). Every
reading must give the same non-empty fields.
"""

from __future__ import annotations

import asyncio
import io
import json
import smtplib
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest

from bot.cli.parse import make_extractor, run_parse
from bot.service import Service
from bot.settings import load_settings
from nlp.extractor import Extractor
from tests.fakes.slack_api import BOT_TOKEN, FakeSlackApi
from tests.fakes.slack_requests import event_callback, message_event, signed_headers

SECRET = "same-reading-secret"
TOKEN = "same-reading-token"
INTAKE, SALES, NURTURE = "C0SAMEINTAKE", "C0SAMESALES", "C0SAMENURTURE"
RCPT = "leads@tidewater-kayaks.example"
REP = "U0SAMEREP1"

#: a direct inquiry: what they ask about is named only in the subject
DIRECT_MAIL = b"""\
From: Connor Walsh <connor.walsh88@fastmail.example>
To: leads@tidewater-kayaks.example
Subject: Tour request: group kayak tour for 12 in June
Message-ID: <same-reading-direct@fastmail.example>
Content-Type: text/plain; charset=utf-8

Hi there,

we'd like a guided tour for 12 people on Saturday June 13. Do you do group rates?

Cheers,
Connor Walsh
(757) 555-0125
"""

#: a vendor notification with labels, an address and the dealer's own details
VENDOR_MAIL = b"""\
From: Paddle Finder Leads <noreply@paddlefinder.example>
To: leads@tidewater-kayaks.example
Subject: New lead: sunset tour
Message-ID: <same-reading-vendor@paddlefinder.example>
Content-Type: text/plain; charset=utf-8

You have a new lead from Paddle Finder.

Name: Ines Carvalho
Email: ines.carvalho@gmail.com
Phone: 757-555-0176
Address: 212 Bayview Ave, Norfolk, VA 23503
Interested in: Sunset tour for 2
Comments: Is the tour possible with a dog?

Listing agent: Ron Pike, 757-555-0100
"""

#: an Outlook forward: the forwarding employee is not the lead
OUTLOOK_FORWARD = b"""\
From: Dana Whitlock <dana@tidewater-kayaks.example>
To: leads@tidewater-kayaks.example
Subject: FW: kayak rental for a school group
Message-ID: <same-reading-forward@tidewater-kayaks.example>
Content-Type: text/plain; charset=utf-8

Can someone pick this up?
Dana Whitlock | Office Manager | 757-555-0100

From: Marguerite Oyelaran <m.oyelaran@bayside-school.example>
Sent: Monday, November 23, 2026 9:14 AM
To: info@tidewater-kayaks.example
Subject: kayak rental for a school group

Hello, we would like to rent 15 kayaks for a school trip in May.
Marguerite Oyelaran
(757) 555-0133
"""

#: an inbound-parse webhook posting a mail as JSON
INBOUND_JSON = json.dumps({
    "from": "Lena Fischbach <lena.fischbach@web.example>",
    "to": "leads@tidewater-kayaks.example",
    "subject": "Stand-up paddle lessons",
    "text": "Hi, my partner and I want two SUP lessons next weekend.\n\nLena Fischbach\n+1 757 555 0191\n",
}).encode()

#: a form webhook with a nested address object
FORM_JSON = json.dumps({
    "form": "contact",
    "submission": {
        "name": {"first": "Tomás", "last": "Ibarra"},
        "email": "tomas.ibarra@outlook.example",
        "phone": "(757) 555-0158",
        "address": {"street": "48 Harbor Ln", "city": "Hampton", "state": "VA", "zip": "23669"},
        "message": "Do you rent tandem kayaks for a full day?",
    },
}).encode()

ADF_XML = b"""<?xml version="1.0"?>
<?adf version="1.0"?>
<adf><prospect>
<requestdate>2026-11-20T09:12:00</requestdate>
<vehicle interest="buy" status="new"><year>2026</year><make>Old Town</make><model>Sportsman 120</model></vehicle>
<customer><contact>
<name part="first">Rhea</name><name part="last">Castellano</name>
<email>rhea.castellano@gmail.com</email><phone type="voice">757-555-0162</phone>
</contact><comments>Is it in stock?</comments></customer>
<vendor><vendorname>Tidewater Kayaks</vendorname><contact><name part="full">Sam Ortiz</name>
<phone>757-555-0101</phone></contact></vendor>
</prospect></adf>
"""

CHAT_NOTE = (
    "Just got off a call with Priya Raman, VP Ops at Castellan Logistics. "
    "priya.raman@castellan-logistics.example, 757-555-0144. Wants kayaks for a team day in March."
)

MAILS = {"direct": DIRECT_MAIL, "vendor": VENDOR_MAIL, "forward": OUTLOOK_FORWARD}
WEBHOOKS = {"inbound-json": (INBOUND_JSON, "application/json", ".json"),
            "form-json": (FORM_JSON, "application/json", ".json"),
            "adf": (ADF_XML, "application/xml", ".xml")}


def _fields(values: dict[str, str | None]) -> dict[str, str]:
    return {name: value for name, value in values.items() if value}


@pytest.fixture
async def service(sqlite_url: str, slack_api: FakeSlackApi, extractor: Extractor) -> AsyncIterator[Service]:
    settings = load_settings(None, overrides={
        "store.url": sqlite_url,
        "smtp.port": 0,
        "smtp.accepted_recipients": [RCPT],
        "http.port": 0,
        "intake.sources": {"portal": {"auth": "bearer", "token": TOKEN}},
        "slack": {"mode": "http", "bot_token": BOT_TOKEN, "signing_secret": SECRET, "http_port": 0,
                  "api_base_url": slack_api.base_url, "post_interval_seconds": 0,
                  "channels": {"sales": SALES, "nurture": NURTURE, "intake": INTAKE}},
    })
    running = Service(settings, extractor=extractor)
    await running.start()
    try:
        yield running
    finally:
        await running.stop()


@pytest.fixture(scope="module")
def cli_extractor() -> Extractor:
    """The extractor `leadbot parse` builds from default settings (a second one, as a separate process has)."""
    return make_extractor(load_settings(None))


def _parsed(cli_extractor: Extractor, tmp_path: Path, name: str, raw: bytes) -> dict[str, str]:
    path = tmp_path / name
    path.write_bytes(raw)
    out = io.StringIO()
    assert run_parse([str(path)], as_json=True, explain=False, extractor=cli_extractor, out=out) == 0
    [lead] = json.loads(out.getvalue())["leads"]
    return _fields(lead)


def _send(port: int, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail("sender@relay.example", [RCPT], raw)


async def _replayed(service: Service, message_id: int) -> dict[str, str]:
    assert service.pipeline is not None
    [lead] = await service.pipeline.replay(message_id)
    return lead.fields


@pytest.mark.parametrize("kind", list(MAILS))
async def test_mail_reads_the_same_through_smtp_parse_and_replay(
    service: Service, cli_extractor: Extractor, tmp_path: Path, kind: str
) -> None:
    raw = MAILS[kind]
    assert service.smtp is not None
    await asyncio.to_thread(_send, service.smtp.port, raw)
    await service.wait_idle()
    [lead] = await service.store.leads.recent()

    parsed = _parsed(cli_extractor, tmp_path, f"{kind}.eml", raw)
    assert lead.fields == parsed
    assert lead.message_id is not None
    assert await _replayed(service, lead.message_id) == parsed
    assert parsed.get("email") and parsed.get("phone") and parsed.get("full_name")


def test_the_readings_are_the_prospects(cli_extractor: Extractor, tmp_path: Path) -> None:
    """What the comparisons above agree on is the lead, not the forwarder, the agent or the vendor."""
    direct = _parsed(cli_extractor, tmp_path, "direct.eml", DIRECT_MAIL)
    assert direct["full_name"] == "Connor Walsh" and "kayak tour" in direct["interest"].casefold()
    vendor = _parsed(cli_extractor, tmp_path, "vendor.eml", VENDOR_MAIL)
    assert (vendor["phone"], vendor["city"], vendor["postal_code"]) == ("757-555-0176", "Norfolk", "23503")
    forward = _parsed(cli_extractor, tmp_path, "forward.eml", OUTLOOK_FORWARD)
    assert forward["full_name"] == "Marguerite Oyelaran" and forward["email"] == "m.oyelaran@bayside-school.example"
    assert "Dana" not in json.dumps(forward)


@pytest.mark.parametrize("kind", list(WEBHOOKS))
async def test_webhook_body_reads_the_same_through_http_parse_and_replay(
    service: Service, cli_extractor: Extractor, tmp_path: Path, kind: str
) -> None:
    raw, content_type, suffix = WEBHOOKS[kind]
    assert service.web is not None
    async with aiohttp.ClientSession() as http, http.post(
        f"http://127.0.0.1:{service.web.port}/intake/portal", data=raw,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": content_type},
    ) as response:
        assert response.status == 202, await response.text()
        answer = await response.json()
    [lead_id] = answer["lead_ids"]
    lead = await service.store.leads.get(lead_id)
    assert lead is not None and lead.message_id == answer["message_id"]

    parsed = _parsed(cli_extractor, tmp_path, f"{kind}{suffix}", raw)
    assert lead.fields == parsed
    assert await _replayed(service, answer["message_id"]) == parsed
    assert parsed.get("email") and parsed.get("phone")


async def test_inbound_parse_json_reads_as_the_mail_it_carries(cli_extractor: Extractor, tmp_path: Path) -> None:
    """An inbound-parse webhook is a mail: the subject gives the interest as it does over SMTP."""
    mail = (b"From: Lena Fischbach <lena.fischbach@web.example>\nTo: leads@tidewater-kayaks.example\n"
            b"Subject: Stand-up paddle lessons\nContent-Type: text/plain; charset=utf-8\n\n"
            + json.loads(INBOUND_JSON)["text"].encode())
    assert _parsed(cli_extractor, tmp_path, "inbound.json", INBOUND_JSON) == _parsed(
        cli_extractor, tmp_path, "inbound.eml", mail)


async def test_chat_note_reads_the_same_through_chat_intake_parse_and_replay(
    service: Service, slack_api: FakeSlackApi, cli_extractor: Extractor, tmp_path: Path
) -> None:
    assert service.slack is not None
    body = json.dumps(event_callback(message_event(CHAT_NOTE, user=REP, channel=INTAKE)))
    async with aiohttp.ClientSession() as http, http.post(
        f"http://127.0.0.1:{service.slack.port}/slack/events", data=body,
        headers=signed_headers(SECRET, body, content_type="application/json"),
    ) as response:
        assert response.status == 200
    await slack_api.wait_for(lambda: any(m.thread_ts for m in slack_api.channel_messages(INTAKE)),
                             what="the draft in the thread")
    [message] = await service.store.messages.recent()
    assert message.channel == "slack" and message.raw == CHAT_NOTE.encode()
    draft = await service.store.drafts.for_message(message.id)
    assert draft is not None

    parsed = _parsed(cli_extractor, tmp_path, "note.txt", CHAT_NOTE.encode())
    assert draft.fields == parsed
    assert await _replayed(service, message.id) == parsed
    assert parsed["full_name"] == "Priya Raman" and parsed["email"] == "priya.raman@castellan-logistics.example"
