"""Every lead is credited to a vendor or a source: the rules (pure), and a mixed trial through the running
service — mail over SMTP to the real listener, webhooks and a form POSTed to the real HTTP intake."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import smtplib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.cli.main import main
from bot.intake.attribution import CHAT, DIRECT_EMAIL, FORWARDED, Attribution, mail_source, organisational_domain
from bot.intake.authenticity.headers import header_block
from bot.service import Service
from bot.settings import load_settings
from bot.slack.blocks import console_card
from bot.slack.trust import stored_other_side
from nlp.extractor import Extractor
from parsers.lead import ExtractedLead, FieldValue, RawMessage
from tests.intake.conftest import StartIntake, bearer

OURS = "sales@riverside-motors.example"


def mail(sender: str, body: str, *, subject: str = "New lead", to: str = OURS, n: int = 0) -> bytes:
    return (f"From: {sender}\r\nTo: {to}\r\nSubject: {subject}\r\nMessage-ID: <attrib-{n}@trial.example>\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n").encode()


def prospect(email: str) -> ExtractedLead:
    return ExtractedLead({"email": FieldValue(email, "test")})


# ---- the rules ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(("message", "expected"), [
    (RawMessage(b"{}", "http", sender="http:portal"), "portal"),
    (RawMessage(b"{}", "http", sender="http:partner"), "Partner Leads Inc"),
    (RawMessage(b"name=x", "http", sender="form:contact"), "contact"),
    (RawMessage(b"Lead: Anna", "slack", sender="U0REP"), CHAT),
    (RawMessage(mail("Alerts <alerts@mail.homequote-hub.co.uk>", "x"), "smtp"), "homequote-hub.co.uk"),
    (RawMessage(mail("Ana Ruiz <ana.ruiz@gmail.com>", "x"), "smtp"), DIRECT_EMAIL),
    (RawMessage(mail("Website Forms <forms@riverside-motors.example>", "x"), "smtp"), "Website Forms"),
    (RawMessage(mail("forms@riverside-motors.example", "x"), "smtp", recipients=(OURS,)), "forms"),
    (RawMessage(mail("Gary Lind <gary@riverside-motors.example>", "FYI\n\n---------- Forwarded message ---------\n"
                     "From: Ana <ana@ruiz.example>\nHi"), "smtp"), FORWARDED),
    (RawMessage(b"Subject: no sender\r\n\r\nhi", "smtp"), None),
    (RawMessage(b"a,b", "file"), None),
], ids=["webhook source", "configured source vendor", "form", "chat", "mail domain", "free mail", "own form mailer",
        "own mailer without a name", "a colleague's forward", "no From", "unknown way in"])
def test_the_way_in_names_the_source(message: RawMessage, expected: str | None) -> None:
    assert Attribution({"partner": "Partner Leads Inc", "portal": None}).vendor(None, message) == expected


def test_what_the_message_names_wins_over_the_way_in() -> None:
    attribution = Attribution({"portal": "Configured"})
    assert attribution.vendor("  BuildZoom ", RawMessage(b"{}", "http", sender="http:portal")) == "BuildZoom"
    assert attribution.vendor("", RawMessage(b"{}", "http", sender="http:portal")) == "Configured"


def test_mail_from_the_prospect_themself_is_direct() -> None:
    raw = mail("Ines Duarte <ines@duarte-arch.example>", "Hi, please call me")
    assert mail_source(raw, [prospect("INES@duarte-arch.example")]) == DIRECT_EMAIL
    assert mail_source(raw, [prospect("someone@else.example")]) == "duarte-arch.example"


def test_the_header_block_read_by_the_sender_check_gives_the_same_source() -> None:
    """The pipeline hands the header block the sender check read to the attribution (read once): same answers, and
    our own domain is each mail's own (its To and envelope recipients), not the last mail's."""
    cases: list[tuple[bytes, tuple[str, ...], str | None]] = [
        (mail("Website Forms <forms@riverside-motors.example>", "x"), (), "Website Forms"),
        (mail("Website Forms <forms@riverside-motors.example>", "x", to="ops@else.example"), (),
         "riverside-motors.example"),
        (mail("forms@riverside-motors.example", "x", to="ops@elsewhere.example"), (OURS,), "forms"),
        (mail("Alerts <alerts@mail.homequote-hub.co.uk>", "x"), (), "homequote-hub.co.uk"),
        (b"Subject: no sender\r\n\r\nhi", (), None),
    ]
    for raw, recipients, expected in cases:
        message = RawMessage(raw, "smtp", recipients=recipients)
        assert Attribution().vendor(None, message, (), header_block(raw)) == expected
        assert Attribution().vendor(None, message) == expected


def test_organisational_domain() -> None:
    assert organisational_domain("Leads.Mail.Example.CO.UK.") == "example.co.uk"
    assert organisational_domain("co.uk") == "co.uk"


# ---- a mixed trial through the running service ---------------------------------------------------------

PROMATCH = mail("ProMatch <jobs@promatch.example>", "A homeowner near you needs help.\n\nCustomer: Dana Whitfield\n"
                "Phone: 555-014-7720\nEmail: dana.w@whitfield-home.example\nService: Gutter Cleaning",
                subject="New job request: Gutter Cleaning", n=1)
UNKNOWN_VENDOR = mail("HomeQuote Hub <alerts@mail.homequote-hub.example>",
                      "New request\nName: Oskar Lindqvist\nEmail: oskar@lindqvist-bygg.example\nPhone: 206-555-0143\n"
                      "Project: deck repair", n=2)
DIRECT = mail("Wanda Pryce <wanda.pryce@gmail.com>", "Hello, I saw your ad. Please call me at 206-555-0177 about a "
              "new roof.\n\nWanda Pryce", subject="Roof quote", n=3)
OWN_FORM = mail("Website Forms <forms@riverside-motors.example>",
                "A visitor filled in the contact form.\nName: Tomasz Wrobel\nEmail: t.wrobel@wrobel-law.example\n"
                "Phone: +1 206 555 0199\nMessage: Do you take trade-ins?", subject="Contact form submission", n=4)
ADF = b"""<?xml version="1.0"?>
<?adf version="1.0"?>
<adf><prospect>
  <vehicle interest="buy" status="used"><year>2021</year><make>Subaru</make><model>Outback</model></vehicle>
  <customer><contact><name part="full">Tobias Quenneville</name><email>tobias.q@quennevillefarm.example</email>
    <phone type="voice">503-555-0199</phone></contact></customer>
  <vendor><vendorname>Rosewood Motors</vendorname></vendor>
  <provider><name part="full">CarSite</name></provider>
</prospect></adf>
"""


@dataclass(frozen=True)
class Post:
    path: str
    body: bytes
    content_type: str = "application/json"


def lead_json(name: str, email: str, phone: str, **extra: str) -> bytes:
    return json.dumps({"name": name, "email": email, "phone": phone, **extra}).encode()


#: (what is sent, whom its lead must be credited to)
TRIAL: list[tuple[bytes | Post, str]] = [
    (PROMATCH, "ProMatch"),
    (UNKNOWN_VENDOR, "homequote-hub.example"),
    (DIRECT, DIRECT_EMAIL),
    (OWN_FORM, "Website Forms"),
    (Post("/intake/portal", lead_json("Ezra Blackwood", "ezra@blackwood-farm.example", "505-555-0121")), "portal"),
    # a top-level "vendor" key wins over the source's name and over a "source" key beside it
    (Post("/intake/portal", lead_json("Lena Okafor", "lena@okafor-studio.example", "505-555-0122",
                                      source="web", vendor="BuildZoom")), "BuildZoom"),
    (Post("/intake/partner", lead_json("Milo Ferreira", "milo@ferreira-co.example", "505-555-0123")),
     "Partner Leads Inc"),
    (Post("/intake/portal", ADF, "application/xml"), "CarSite"),
    (Post("/form/contact", urlencode({"full_name": "Greta Holm", "email": "greta@holm-bakery.example",
                                      "phone": "505-555-0124"}).encode(), "application/x-www-form-urlencoded"),
     "contact"),
]


def _send(port: int, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail("bounce@trial.example", [OURS], raw)


async def run_trial(service: Service) -> dict[str, str | None]:
    """Send every message of `TRIAL` the way it comes in; each lead's email → the vendor it was credited to."""
    assert service.smtp is not None and service.web is not None
    base = f"http://127.0.0.1:{service.web.port}"
    async with aiohttp.ClientSession() as http:
        for item, _ in TRIAL:
            if isinstance(item, bytes):
                await asyncio.to_thread(_send, service.smtp.port, item)
                continue
            headers = {"Content-Type": item.content_type, "Authorization": "Bearer trial-token"}
            async with http.post(base + item.path, data=item.body, headers=headers) as response:
                assert response.status in (200, 202), await response.text()
    await service.wait_idle()
    return {lead.value("email") or "": lead.vendor for lead in await service.store.leads.recent(limit=100)}


def trial_settings(tmp_path: Path) -> dict[str, object]:
    return {
        "smtp.port": 0,
        "smtp.accepted_recipients": [OURS],
        "store.url": f"sqlite+aiosqlite:///{tmp_path / 'leadbot.db'}",
        "http.port": 0,
        "intake.sources": {"portal": {"auth": "bearer", "token": "trial-token"},
                           "partner": {"auth": "bearer", "token": "trial-token", "vendor": "Partner Leads Inc"}},
        "forms": {"contact": {"title": "Ask us", "fields": [
            {"name": "full_name", "label": "Name", "required": True},
            {"name": "email", "label": "Email", "type": "email", "required": True},
            {"name": "phone", "label": "Phone", "type": "tel"}]}},
    }


async def test_every_way_in_credits_a_vendor_or_source(extractor: Extractor, tmp_path: Path) -> None:
    service = Service(load_settings(None, overrides=trial_settings(tmp_path)), extractor=extractor,
                      console=io.StringIO())
    await service.start()
    try:
        credited = await run_trial(service)
    finally:
        await service.stop()
    emails = ["dana.w@whitfield-home.example", "oskar@lindqvist-bygg.example", "wanda.pryce@gmail.com",
              "t.wrobel@wrobel-law.example", "ezra@blackwood-farm.example", "lena@okafor-studio.example",
              "milo@ferreira-co.example", "tobias.q@quennevillefarm.example", "greta@holm-bakery.example"]
    assert {email: credited.get(email) for email in emails} == dict(
        zip(emails, [vendor for _, vendor in TRIAL], strict=True))
    assert None not in credited.values()


async def test_an_adf_repeat_is_in_the_providers_ledger_with_the_dealer(
    start_intake: StartIntake, store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    intake = await start_intake()
    for body in (ADF, ADF.replace(b"<prospect>", b"<prospect><requestdate>2026-11-21T09:00:00Z</requestdate>")):
        status, answer = await intake.post("/intake/portal", body, content_type="application/xml", headers=bearer())
        assert status == 202, answer
    first, repeat = sorted(await intake.store.leads.recent(), key=lambda lead: lead.id)
    assert (first.vendor, repeat.vendor, repeat.status) == ("CarSite", "CarSite", "duplicate")
    assert stored_other_side(repeat) == {"dealer": "Rosewood Motors"}
    assert "Source:   CarSite for Rosewood Motors (dealer) via http" in console_card(first)

    config = tmp_path / "leadbot.toml"
    config.write_text(f'[store]\nurl = "{store_url}"\n', encoding="utf-8")
    since = first.created_at.date().isoformat()
    code = await asyncio.to_thread(main, ["--config", str(config), "vendors", "ledger", "CarSite", "--since", since])
    assert code == 0
    [row] = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert (row["lead_id"], row["vendor"], row["kinds"], row["for"]) == (
        str(repeat.id), "CarSite", "duplicate", "dealer: Rosewood Motors")
