"""Sender authentication on the real intake path: an SMTP session → the stored origin → the verdict → credit.

DNS is a table (tests/intake/test_authenticity.py): keys and records generated here, nothing asked of the
network. The mail comes over a real SMTP connection from 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import smtplib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.assess.assessor import Assessor, Routing
from bot.intake.pipeline import IntakePipeline
from bot.intake.smtp import SmtpListener
from bot.settings import ScoringSettings, SlackChannels, SmtpSettings
from bot.settings.authentication import AuthenticationSettings
from nlp.extractor import Extractor
from nlp.settings import ExtractionSettings
from store.records import LeadRecord
from store.store import Store
from tests.cli.helpers import leadbot, sqlite_config
from tests.intake.test_authenticity import TableResolver, dkim_key, signed

#: tests/conftest.py turns `[authentication]` off for every module that does not say this
AUTHENTICATION_OPT_IN = True

QUOTES = "quotedesk.example"
PARTS = "partsline.example"

QUOTEDESK = f'''
name = "quotedesk"
display_name = "QuoteDesk"
require_auth = true

[match]
senders = ["*@{QUOTES}"]
body_markers = ["QuoteDesk request"]

[sample]
from = "QuoteDesk <requests@{QUOTES}>"
subject = "Quote request"
body = """
QuoteDesk request 5120
Name: Ingrid Halvorsen
Email: ingrid@halvorsen-tak.example
Phone: (555) 013-4821
Comments: Roof repair after the storm, two storeys.
"""

[sample.expected]
full_name = "Ingrid Halvorsen"
email = "ingrid@halvorsen-tak.example"
'''

PARTSLINE = f'''
name = "partsline"
display_name = "PartsLine"

[match]
senders = ["*@{PARTS}"]
body_markers = ["PartsLine enquiry"]

[sample]
from = "PartsLine <enquiries@{PARTS}>"
subject = "Enquiry"
body = """
PartsLine enquiry 88
Name: Osvaldo Reyes
Email: osvaldo@reyes-motor.example
Phone: (555) 017-3390
Comments: Looking for a gearbox, budget 4000 USD, this week.
"""

[sample.expected]
full_name = "Osvaldo Reyes"
email = "osvaldo@reyes-motor.example"
'''


def mail(domain: str, marker: str, n: int) -> bytes:
    return (
        f"From: Requests <requests@{domain}>\r\nTo: leads@dealer.example\r\nSubject: Request {n}\r\n"
        f"Message-ID: <req-{n}@{domain}>\r\n\r\n{marker} {n}\r\nName: Ingrid Halvorsen\r\n"
        f"Email: ingrid{n}@halvorsen-tak.example\r\nPhone: (555) 013-4821\r\n"
        "Comments: Roof repair after the storm, two storeys, budget 9000 USD, this week.\r\n"
    ).encode()


@pytest.fixture(scope="module")
def extractor(tmp_path_factory: pytest.TempPathFactory) -> Extractor:
    vendors = tmp_path_factory.mktemp("vendors")
    (vendors / "quotedesk.toml").write_text(QUOTEDESK, encoding="utf-8")
    (vendors / "partsline.toml").write_text(PARTSLINE, encoding="utf-8")
    return Extractor(ExtractionSettings(vendors_dir=vendors))


@dataclass
class Intake:
    store: Store
    pipeline: IntakePipeline
    port: int
    database: Path

    async def send(self, raw: bytes, mail_from: str) -> LeadRecord:
        """One message over SMTP from 127.0.0.1, processed; its one lead."""

        def deliver() -> None:
            with smtplib.SMTP("127.0.0.1", self.port, local_hostname="out.mailer.example", timeout=10) as client:
                client.sendmail(mail_from, ["leads@dealer.example"], raw)

        await asyncio.to_thread(deliver)
        await self.pipeline.wait_idle()
        [message] = await self.store.messages.recent(limit=1)
        [lead] = [lead for lead in await self.store.leads.recent() if lead.message_id == message.id]
        return lead


@pytest.fixture
async def intake(extractor: Extractor, tmp_path: Path) -> AsyncIterator[Intake]:
    database = tmp_path / "leadbot.db"
    store = Store.open(f"sqlite+aiosqlite:///{database}")
    await store.migrate()
    resolver = TableResolver({
        # 127.0.0.1 is not a sender either domain names: SPF fails, only a DKIM signature can vouch
        (QUOTES, "TXT"): ["v=spf1 ip4:192.0.2.0/28 -all"],
        (f"_dmarc.{QUOTES}", "TXT"): ["v=DMARC1; p=none"],
        (f"sel1._domainkey.{QUOTES}", "TXT"): [f"v=DKIM1; k=rsa; p={dkim_key()[1]}"],
        (PARTS, "TXT"): ["v=spf1 ip4:192.0.2.64/28 -all"],
        (f"_dmarc.{PARTS}", "TXT"): ["v=DMARC1; p=reject"],
    })
    assessor = Assessor(ScoringSettings(), Routing(SlackChannels(sales="C0SALES001"), slack_enabled=True))
    pipeline = IntakePipeline(
        store, extractor, assessor, authentication=AuthenticationSettings(), resolver=resolver
    )
    workers = asyncio.create_task(pipeline.run())
    listener = SmtpListener(SmtpSettings(host="127.0.0.1", port=0), pipeline.accept)
    await listener.start()
    try:
        yield Intake(store, pipeline, listener.port, database)
    finally:
        await listener.stop()
        workers.cancel()
        await asyncio.gather(workers, return_exceptions=True)
        await store.close()


async def test_the_smtp_peer_and_helo_are_stored_with_the_message(intake: Intake) -> None:
    lead = await intake.send(signed(mail(QUOTES, "QuoteDesk request", 1), domain=QUOTES), f"bounce@{QUOTES}")
    origin = await intake.store.authentication.of_message(lead.message_id)
    assert origin is not None
    assert (origin.client_ip, origin.helo) == ("127.0.0.1", "out.mailer.example")


async def test_a_require_auth_vendor_is_credited_when_dkim_vouches(intake: Intake) -> None:
    lead = await intake.send(signed(mail(QUOTES, "QuoteDesk request", 2), domain=QUOTES), f"bounce@{QUOTES}")
    assert lead.vendor == "QuoteDesk"
    shown = lead.provenance["sender_authentication"]
    assert shown["summary"] == "pass"
    assert "dkim=pass" in shown["authentication_results"]
    assert not any(reason.startswith("review:") for reason in lead.reasons)
    stored = await intake.store.authentication.of_message(lead.message_id)
    assert stored is not None and (stored.verdict, stored.suspicious) == ("pass", False)
    assert await intake.store.authentication.suspicious() == []


async def test_the_same_mail_unsigned_is_kept_for_review_and_listed(intake: Intake) -> None:
    lead = await intake.send(mail(QUOTES, "QuoteDesk request", 3), f"bounce@{QUOTES}")
    assert lead.vendor is None and lead.grade == "C"
    [review] = [reason for reason in lead.reasons if reason.startswith("review: sender not authenticated")]
    assert "the vendor requires authentication" in review
    assert lead.provenance["sender_authentication"]["summary"] == "fail"
    assert lead.fields["email"] == "ingrid3@halvorsen-tak.example"  # kept whole
    [queued] = await intake.store.authentication.suspicious()
    assert queued.message_id == lead.message_id and queued.verdict == "fail"

    config = sqlite_config(intake.database.parent, intake.database)
    listed = await asyncio.to_thread(leadbot, "--config", str(config), "messages", "--suspicious")
    assert listed.returncode == 0, listed.stderr
    assert f"bounce@{QUOTES}" in listed.stdout and "Request 3" in listed.stdout
    assert "fail" in listed.stdout


async def test_a_dmarc_reject_forgery_of_a_vendor_is_not_credited(intake: Intake) -> None:
    lead = await intake.send(mail(PARTS, "PartsLine enquiry", 4), f"bounce@{PARTS}")
    assert lead.vendor is None
    assert lead.grade == "C"
    assert f"review: sender not authenticated: forged sender: dmarc=fail for {PARTS} (reject)" in lead.reasons
    stored = await intake.store.authentication.of_message(lead.message_id)
    assert stored is not None and stored.suspicious and "dmarc=fail" in (stored.auth_results or "")
