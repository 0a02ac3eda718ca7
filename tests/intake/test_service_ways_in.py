"""`leadbot serve` with the ways in configured: the service starts the HTTP intake and the IMAP poller
itself, and a webhook and a mailbox message both end as leads with cards on the console."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import aiohttp

from bot.service import Service
from bot.settings import load_settings
from nlp.extractor import Extractor
from tests.intake.dovecot import Dovecot
from tests.intake.mailbox import Mailbox, eventually, lead_mail


async def test_the_service_runs_the_webhook_server_and_the_mailbox(
    dovecot: Dovecot, extractor: Extractor, tmp_path: Path
) -> None:
    box = Mailbox(dovecot)
    box.deliver(lead_mail("Oriana Castellanos", "oriana@castellanos-vet.example", "+1 505 555 0120"))
    settings = load_settings(None, overrides={
        "smtp.port": 0,
        "store.url": f"sqlite+aiosqlite:///{tmp_path / 'leadbot.db'}",
        "http.port": 0,
        "intake.sources": {"portal": {"auth": "bearer", "token": "svc-token"}},
        "imap": {"host": "127.0.0.1", "port": dovecot.port, "tls": "none", "username": dovecot.user,
                 "password": dovecot.password, "folder": box.folder, "processed_folder": box.done},
    })
    console = io.StringIO()
    service = Service(settings, extractor=extractor, console=console)
    await service.start()
    try:
        assert service.web is not None
        port = service.web.port
        async with aiohttp.ClientSession() as http, http.post(
            f"http://127.0.0.1:{port}/intake/portal",
            data=json.dumps({"name": "Ezra Blackwood", "email": "ezra@blackwood-farm.example",
                             "phone": "505-555-0121"}),
            headers={"Authorization": "Bearer svc-token", "Content-Type": "application/json"},
        ) as response:
            assert response.status == 202
        await eventually(lambda: asyncio.to_thread(lambda: box.count(box.done) == 1))
        await service.wait_idle()
        credited = sorted((lead.fields["email"], lead.vendor) for lead in await service.store.leads.recent())
        # each credited to its way in: the webhook's source name, the mailbox message's From domain
        assert credited == [("ezra@blackwood-farm.example", "portal"),
                            ("oriana@castellanos-vet.example", "portal.example")]
        assert "Ezra Blackwood" in console.getvalue() and "Oriana Castellanos" in console.getvalue()
    finally:
        await service.stop()
