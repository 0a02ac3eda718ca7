"""`leadbot demo`: the newcomer's tour, entirely on loopback and with no credentials.

It starts the real service on a temporary SQLite database with a local stand-in for Slack's Web API,
sends the sample vendor emails in bot/samples over real SMTP, shows the cards that reached "Slack" and
the acknowledgements the prospects got (through a local SMTP relay, aiosmtpd on 127.0.0.1), claims one
the way Slack would (a signed block_actions request), shows the note naming the rep, and prints the pipeline.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import smtplib
import tempfile
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from importlib import resources
from pathlib import Path
from typing import Any

import aiohttp
from aiosmtpd.smtp import SMTP
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from bot.assess.work import work_check
from bot.service import Service
from bot.settings import load_settings
from bot.slack.blocks import console_card
from bot.slack.standin import SlackStandIn, block_actions_payload, signed_headers
from store.records import LeadRecord, NewLead
from store.store import Store

SALES, NURTURE = "C0DEMOSALES", "C0DEMONURTURE"
REP = "U0DEMOREP1"
console = Console(highlight=False)


class LocalRelay:
    """An SMTP relay on 127.0.0.1 (aiosmtpd, on this event loop) that keeps what it is given, in order."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.port = 0
        self._server: asyncio.Server | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 2.0.0 queued"

    async def __aenter__(self) -> LocalRelay:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(lambda: SMTP(self, hostname="relay.demo"), "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


def _samples() -> list[tuple[str, bytes]]:
    folder = resources.files("bot") / "samples"
    return sorted((entry.name, entry.read_bytes()) for entry in folder.iterdir() if entry.name.endswith(".eml"))


def _send(port: int, raw: bytes) -> str:
    mail = message_from_bytes(raw)
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as client:
        client.sendmail(mail["From"], [mail["To"]], raw)
        return f"{mail['From']} -> 250 accepted"


async def run_demo() -> int:
    signing_secret = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="leadbot-demo-") as tmp:
        async with SlackStandIn() as slack, LocalRelay() as relay:
            # the rep's Slack profile: the claim note names them by its first name (users.info)
            slack.add_user(REP, name="demo.rep", real_name="Anna Becker")
            settings = load_settings(
                None,
                overrides={
                    "store.url": f"sqlite+aiosqlite:///{Path(tmp) / 'demo.db'}",
                    "smtp.port": 0,
                    "smtp.accepted_recipients": ["*@riverside-motors.example"],
                    "slack.mode": "http",
                    "slack.bot_token": "xoxb-demo-not-a-real-token",
                    "slack.signing_secret": signing_secret,
                    "slack.api_base_url": slack.base_url,
                    "slack.http_port": 0,
                    "slack.post_interval_seconds": 0.05,
                    "slack.channels.sales": SALES,
                    "slack.channels.nurture": NURTURE,
                    "acknowledgement.enabled": True,
                    "acknowledgement.from_address": "hello@riverside-motors.example",
                    "acknowledgement.company_name": "Riverside Motors",
                    "acknowledgement.claim_note": True,
                    "acknowledgement.check_seconds": 0.05,
                    "acknowledgement.relay.host": "127.0.0.1",
                    "acknowledgement.relay.port": relay.port,
                    "acknowledgement.relay.security": "none",
                },
            )
            console.rule("[bold]Leadbot demo")
            console.print("Starting the service (SMTP listener, pipeline, Slack app) on 127.0.0.1…")
            started = time.perf_counter()
            service = Service(settings)
            await service.start()
            try:
                return await _tour(service, slack, relay, signing_secret, started)
            finally:
                await service.stop()


async def _tour(service: Service, slack: SlackStandIn, relay: LocalRelay, signing_secret: str, started: float) -> int:
    assert service.smtp is not None and service.slack is not None
    console.print(
        f"  ready in {time.perf_counter() - started:.1f}s: SMTP on port {service.smtp.port}, "
        f"Slack requests on http://127.0.0.1:{service.slack.port}/slack/events, "
        f"Slack Web API stand-in at {slack.base_url}\n"
    )
    console.rule("0. What this team has closed before")
    for line in await _history(service.store):
        console.print(f"  {line}")
    console.rule("1. Vendors send lead emails over SMTP")
    for name, raw in _samples():
        line = await asyncio.to_thread(_send, service.smtp.port, raw)
        console.print(f"  {name}: {line}")
    await service.wait_idle()

    console.rule("2. Cards posted to Slack")
    leads = await service.store.leads.recent(limit=50)
    for lead in sorted(leads, key=lambda lead: lead.id):
        if lead.slack_channel:
            where = "#sales" if lead.slack_channel == SALES else "#nurture"
            console.print(Panel(Text(console_card(lead)), title=f"{where}  (lead #{lead.id})", expand=False))
        else:
            console.print(
                f"  lead #{lead.id} {lead.display_name!r}: grade {lead.grade} ({lead.score}), kept but not posted — "
                f"{lead.reasons[0] if lead.reasons else ''}"
            )
    posted = slack.calls("chat.postMessage")
    console.print(f"  the Slack stand-in received {len(posted)} chat.postMessage call(s)\n")

    console.rule("2b. The prospects hear from us at once (through a local SMTP relay)")
    if not await _acknowledged(service.store, [lead.id for lead in leads], "intake"):
        console.print("[red]the acknowledgements were not handled within 30 s; something is wrong[/red]")
        return 1
    for lead in sorted(leads, key=lambda lead: lead.id):
        for row in await service.store.acknowledgements.for_lead(lead.id):
            if row.status != "sent":
                console.print(f"  lead #{lead.id}: no acknowledgement ({row.reason or row.last_error})")
    for message in relay.received:
        _show_mail(message)
    acknowledged = len(relay.received)

    target = next((lead for lead in sorted(leads, key=lambda lead: lead.id) if lead.slack_ts), None)
    if target is None:
        console.print("[red]no card was posted; something is wrong[/red]")
        return 1
    console.rule(f"3. A rep clicks Claim on lead #{target.id}")
    body = "payload=" + _quote(json.dumps(block_actions_payload(target, user_id=REP, user_name="demo.rep")))
    async with aiohttp.ClientSession() as http:
        url = f"http://127.0.0.1:{service.slack.port}/slack/events"
        headers = signed_headers(signing_secret, body)
        async with http.post(url, data=body, headers=headers) as response:
            console.print(f"  signed block_actions request -> HTTP {response.status}")
    # Slack's 3-second rule: the Claim button is acknowledged first and claimed after, so the answer above
    # does not mean the claim has landed. Wait for it in the database, then for its card update.
    claimed = await _claim_landed(service, target.id, REP)
    if claimed is None:
        console.print("[red]the claim did not land within 30 s; something is wrong[/red]")
        return 1
    try:
        await slack.wait_for(lambda: bool(slack.calls("chat.update")), timeout=30, what="the card update")
    except AssertionError as exc:
        console.print(f"[red]{exc}[/red]")
        return 1
    await service.wait_idle()
    console.print(Panel(Text(console_card(claimed)), title="the card after the claim", expand=False))
    updates = slack.calls("chat.update")
    console.print(f"  owner in the database: {claimed.owner}; chat.update calls: {len(updates)}\n")
    if await _acknowledged(service.store, [target.id], "claimed"):
        console.print("  and the prospect is told who will call:")
        for message in relay.received[acknowledged:]:
            _show_mail(message)

    console.rule("4. The pipeline")
    counts = await service.store.leads.counts()
    console.print(f"  messages received: {counts.messages} (failed: {counts.failed_messages})")
    console.print(f"  leads: {counts.leads}  by grade: {dict(sorted(counts.by_grade.items()))}")
    console.print(f"  by status: {dict(sorted(counts.by_status.items()))}  cards still queued: {counts.outbox_pending}")
    console.print(f"  emails to prospects through the relay: {len(relay.received)}")
    console.print("\nThat was Leadbot. Next: copy config.example.toml to leadbot.toml and run `leadbot serve`.")
    return 0 if claimed.owner == REP and counts.failed_messages == 0 and acknowledged else 1


#: past leads by source and how they ended, so the scorer has outcomes to learn from ("… close 83% here")
HISTORY = {"Website Forms": ("won",) * 10 + ("lost",) * 2, "automarkt-portal.example": ("won",) * 2 + ("lost",) * 10}


async def _history(store: Store) -> list[str]:
    """Store HISTORY as closed leads (no cards), the way reps would have recorded their outcomes."""
    closer = work_check("set_outcome", manager=True)
    lines = []
    for vendor, outcomes in HISTORY.items():
        for n, outcome in enumerate(outcomes):
            past = await store.leads.add(NewLead(
                vendor=vendor, channel="smtp", fields={"full_name": f"Earlier Prospect {n + 1}"}, provenance={},
                score=60, grade="A", reasons=(), post_to=None,
            ))
            await store.leads.set_outcome(past.id, REP, outcome, amount=30000.0 if outcome == "won" else None,
                                          reason=None if outcome == "won" else "bought elsewhere", check=closer)
        lines.append(f"{vendor}: {outcomes.count('won')} won of {len(outcomes)} closed")
    return lines


def _show_mail(message: EmailMessage) -> None:
    head = f"To: {message['To']}\nFrom: {message['From']}\nSubject: {message['Subject']}\n\n"
    console.print(Panel(Text(head + message.get_content().strip()), title="received by the local relay",
                        expand=False))


async def _acknowledged(store: Store, lead_ids: list[int], kind: str, timeout: float = 30.0) -> bool:  # noqa: ASYNC109
    """Whether every lead's ``kind`` acknowledgement was sent or set aside within ``timeout`` s."""
    try:
        async with asyncio.timeout(timeout):
            while True:
                rows = [r for i in lead_ids for r in await store.acknowledgements.for_lead(i) if r.kind == kind]
                if len(rows) == len(lead_ids) and all(r.status != "pending" for r in rows):
                    return True
                await asyncio.sleep(0.05)  # the store is the event: the worker writes each outcome there
    except TimeoutError:
        return False


async def _claim_landed(service: Service, lead_id: int, user: str, timeout: float = 30.0) -> LeadRecord | None:  # noqa: ASYNC109
    """The lead once ``user`` owns it in the database; None if that did not happen within ``timeout`` s."""
    try:
        async with asyncio.timeout(timeout):
            while True:
                lead = await service.store.leads.get(lead_id)
                if lead is not None and lead.owner == user:
                    return lead
                await asyncio.sleep(0.05)  # the store is the event: the claim runs after the ack
    except TimeoutError:
        return None


def _quote(text: str) -> str:
    from urllib.parse import quote_plus

    return quote_plus(text)
