"""The same person arriving by every way in — webhook, web form, spreadsheet import, SMTP — is one contact."""

from __future__ import annotations

import asyncio
import json
import smtplib
from pathlib import Path
from urllib.parse import urlencode

from bot.assess.assessor import Assessor, Routing
from bot.intake.smtp import SmtpListener
from bot.intake.spreadsheet import RowRules, run_import
from bot.settings import ScoringSettings, SlackChannels, SmtpSettings
from tests.intake.conftest import SALES, StartIntake, bearer


async def test_one_person_by_four_ways_is_one_contact(start_intake: StartIntake, tmp_path: Path) -> None:
    intake = await start_intake()
    store = intake.store

    status, answer = await intake.post("/intake/portal", json.dumps({
        "name": "Thaddeus Okoro", "email": "Thaddeus.Okoro@okoro-fitness.example", "phone": "(415) 555-0199",
        "message": "Quote for gym flooring, 200 m2"}).encode(), headers=bearer())
    assert status == 202
    webhook_lead = answer["lead_ids"][0]

    form = {"full_name": "Thaddeus Okoro", "email": "thaddeus.okoro@okoro-fitness.example",
            "message": "Following up on flooring"}
    async with intake.http.post(intake.base + "/form/contact", data=urlencode(form),
                                headers={"Content-Type": "application/x-www-form-urlencoded"}) as response:
        assert response.status == 200

    sheet = tmp_path / "fair.csv"
    sheet.write_text("Name,Telefon,Interesse\nThaddeus Okoro,+1 415 555 0199,Rubber tiles\n", encoding="utf-8")
    assessor = Assessor(ScoringSettings(), Routing(SlackChannels(sales=SALES), slack_enabled=True))
    rules = RowRules(assessor, None, "Fair", post=False)
    summary = await run_import(store, sheet, rules)
    # stored, and counted with the duplicates: a repeat of the webhook's lead, which is still open
    assert (summary.imported, summary.duplicates, summary.repeated) == (0, 1, 1)

    listener = SmtpListener(SmtpSettings(host="127.0.0.1", port=0), intake.pipeline.accept)
    await listener.start()
    try:
        mail = (b"From: Okoro Fitness <thaddeus.okoro@okoro-fitness.example>\r\nTo: leads@acme.test\r\n"
                b"Subject: flooring\r\nMessage-ID: <okoro-1@okoro-fitness.example>\r\n\r\n"
                b"Hello, can someone call me at 415-555-0199 about the gym floor?\r\nThaddeus Okoro\r\n")

        def send() -> None:
            with smtplib.SMTP("127.0.0.1", listener.port, timeout=10) as client:
                client.sendmail("thaddeus.okoro@okoro-fitness.example", ["leads@acme.test"], mail)

        await asyncio.to_thread(send)
    finally:
        await listener.stop()
    await intake.pipeline.wait_idle()

    leads = await store.leads.recent()
    assert {lead.channel for lead in leads} == {"file", "http", "smtp"}
    assert {lead.contact_id for lead in leads} == {(await store.leads.get(
        webhook_lead)).contact_id}  # type: ignore[union-attr]
