"""Without Slack credentials the whole intake runs and prints each card; `leadbot demo` tours it all."""

from __future__ import annotations

import asyncio
import io
import re
import smtplib
import subprocess
import sys
from pathlib import Path

from bot.service import Service
from bot.settings import load_settings
from nlp.extractor import Extractor

MAIL = b"""\
From: Quillfield Web Forms <noreply@quillfield.example>
To: sales@quillfield.example
Subject: Demo request
Message-ID: <console-1@quillfield.example>
Content-Type: text/plain; charset=utf-8

First name: Rosalind
Last name: Achterberg
Company: Achterberg Logistics GmbH
Email: r.achterberg@achterberg-logistik.example
Phone: +49 40 5550 7788
Message: We would like a demo for our dispatch team of 40 people next month.
"""


async def test_without_slack_cards_are_printed(tmp_path: Path, extractor: Extractor) -> None:
    console = io.StringIO()
    settings = load_settings(
        None, overrides={"store.url": f"sqlite+aiosqlite:///{tmp_path / 'c.db'}", "smtp.port": 0}
    )
    assert not settings.slack.enabled
    service = Service(settings, extractor=extractor, console=console)  # read in a thread: no process to warm up
    await service.start()
    try:
        assert service.smtp is not None and service.slack is None

        def send() -> int:
            with smtplib.SMTP("127.0.0.1", service.smtp.port, timeout=30) as client:  # type: ignore[union-attr]
                client.sendmail("noreply@quillfield.example", ["sales@quillfield.example"], MAIL)
            return 0

        await asyncio.to_thread(send)
        await service.wait_idle()
        printed = console.getvalue()
        [lead] = await service.store.leads.recent()
    finally:
        await service.stop()
    assert "Rosalind Achterberg" in printed and "Achterberg Logistics GmbH" in printed
    assert f"lead #{lead.id}" in printed and lead.status == "posted"


def test_demo_runs_the_tour_and_exits_zero() -> None:
    leadbot = str(Path(sys.executable).with_name("leadbot"))
    result = subprocess.run([leadbot, "demo"], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    assert "250 accepted" in out and "chat.postMessage" in out
    assert "owner in the database: U0DEMOREP1; chat.update calls: 1" in out
    assert "messages received: 4 (failed: 0)" in out
    # issue 14: three prospects acknowledged through the demo's local relay (not the grade C test entry),
    # and the claimed lead's prospect told who will call
    assert out.count("received by the local relay") == 4 and "no acknowledgement (grade C)" in out
    assert "Subject: Anna from Riverside Motors will contact you" in out
    assert "emails to prospects through the relay: 4" in out
    # issue 14: a card shows trust marks, the lead's local time and a learned reason (from the demo's history)
    flat = re.sub(r"[│\s]+", " ", out)
    assert "[verified]" in flat and re.search(r"\d\d:\d\d \w{3} there \(America/", flat)
    assert re.search(r"\+\d+ Website Forms leads close \d+% here \(10 of 12\)", flat), flat
