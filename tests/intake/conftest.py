"""The ways in, assembled as the service assembles them: a real store (SQLite and PostgreSQL), the real
pipeline and extractor, the aiohttp intake server on a free loopback port, driven over HTTP by aiohttp's
client. Facebook's Graph API is the only stand-in: a small aiohttp server on loopback."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from pydantic import SecretStr

from bot.assess.assessor import Assessor, Routing
from bot.intake.http import WebIntake
from bot.intake.pipeline import IntakePipeline
from bot.settings import FormField, FormSettings, HttpSettings, IntakeSettings, IntakeSource, Settings, SlackChannels
from nlp.extractor import Extractor
from store.store import Store
from tests.conftest import unavailable, warmed
from tests.intake.dovecot import Dovecot, dovecot_binary, running_dovecot

TOKEN = "portal-token-51f0"
HMAC_SECRET = "landing-secret-93aa"
FB_SECRET = "fb-app-secret-2c77"
FB_VERIFY = "verify-me-0d1e"
FB_PAGE_TOKEN = "EAAB-page-token"
GOOGLE_KEY = "gkey-4471"
SALES = "C0SALES001"
NURTURE = "C0NURTURE1"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    """Built once and warmed up as the service's reading processes are (its first read loads word lists for
    seconds), so that no test's first message is charged the warm-up against its read budget."""
    return warmed(Extractor())


@dataclass
class GraphStandIn:
    """Facebook's Graph API, as far as Leadbot uses it: GET /<leadgen_id>?access_token=…"""

    leads: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_with: int | None = None
    requests: list[tuple[str, str]] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        leadgen_id = request.match_info["leadgen_id"]
        token = request.query.get("access_token", "")
        self.requests.append((leadgen_id, token))
        if token != FB_PAGE_TOKEN:
            return web.json_response({"error": {"message": "Invalid OAuth access token", "code": 190}}, status=400)
        if self.fail_with:
            unavailable = {"error": {"message": "temporarily unavailable", "code": 2}}
            return web.json_response(unavailable, status=self.fail_with)
        lead = self.leads.get(leadgen_id)
        if lead is None:
            return web.json_response({"error": {"message": "Unsupported get request", "code": 100}}, status=400)
        return web.json_response(lead)


@pytest.fixture
async def graph() -> AsyncIterator[GraphStandIn]:
    stand_in = GraphStandIn()
    app = web.Application()
    app.router.add_get("/v19.0/{leadgen_id}", stand_in.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    stand_in.url = f"http://127.0.0.1:{port}/v19.0/"
    try:
        yield stand_in
    finally:
        await runner.cleanup()


CONTACT_FORM = FormSettings(
    title="Ask for a quote",
    intro="Tell us what you need and we will call you back.",
    fields=(
        FormField(name="full_name", label="Your name", required=True, autocomplete="name"),
        FormField(name="email", label="Email", type="email", required=True, autocomplete="email"),
        FormField(name="phone", label="Phone", type="tel", autocomplete="tel"),
        FormField(name="company", label="Company", autocomplete="organization"),
        FormField(name="message", label="What do you need?", type="textarea"),
    ),
    thank_you="Thank you! A specialist will call you within one business day.",
    rate_limit_per_hour=3,
)


def intake_settings(graph_url: str = "http://127.0.0.1:9/") -> IntakeSettings:
    return IntakeSettings(
        sources={
            "portal": IntakeSource(auth="bearer", token=SecretStr(TOKEN)),
            "landing": IntakeSource(auth="hmac", secret=SecretStr(HMAC_SECRET), signature_header="X-Signature"),
            "facebook": IntakeSource(
                auth="facebook", secret=SecretStr(FB_SECRET), verify_token=SecretStr(FB_VERIFY),
                page_access_token=SecretStr(FB_PAGE_TOKEN), graph_api_url=graph_url,
            ),
            "google": IntakeSource(auth="google", google_key=SecretStr(GOOGLE_KEY)),
        }
    )


@dataclass
class Intake:
    store: Store
    pipeline: IntakePipeline
    web: WebIntake
    http: aiohttp.ClientSession

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.web.port}"

    async def post(self, path: str, body: bytes, *, content_type: str = "application/json",
                   headers: dict[str, str] | None = None) -> tuple[int, Any]:
        async with self.http.post(self.base + path, data=body,
                                  headers={"Content-Type": content_type, **(headers or {})}) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text)
            except ValueError:
                return response.status, text


def bearer(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def signed(secret: str, body: bytes, header: str = "X-Signature") -> dict[str, str]:
    return {header: "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()}


StartIntake = Callable[..., Awaitable[Intake]]


@contextlib.asynccontextmanager
async def intake_server(store: Store, extractor: Extractor) -> AsyncIterator[StartIntake]:
    """Start the intake server over ``store``; the pipeline's worker runs beside it."""
    running: list[tuple[WebIntake, asyncio.Task[None], aiohttp.ClientSession]] = []

    async def start(*, graph_url: str = "http://127.0.0.1:9/", http: HttpSettings | None = None,
                    forms: dict[str, FormSettings] | None = None) -> Intake:
        settings = Settings()
        assessor = Assessor(settings.scoring,
                            Routing(channels=SlackChannels(sales=SALES, nurture=NURTURE), slack_enabled=True))
        pipeline = IntakePipeline(store, extractor, assessor)
        web_intake = WebIntake(
            http or HttpSettings(port=0), intake_settings(graph_url), forms if forms is not None else {
                "contact": CONTACT_FORM}, pipeline, store,
            quiet=IntakePipeline(store, extractor, assessor.quiet()),
        )
        await web_intake.start()
        task = asyncio.create_task(pipeline.run())
        client = aiohttp.ClientSession()
        running.append((web_intake, task, client))
        return Intake(store, pipeline, web_intake, client)

    try:
        yield start
    finally:
        for web_intake, task, client in running:
            await client.close()
            await web_intake.stop()
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


@pytest.fixture
async def start_intake(store: Store, extractor: Extractor) -> AsyncIterator[StartIntake]:
    """The intake server over a migrated store on each backend."""
    async with intake_server(store, extractor) as start:
        yield start


@pytest.fixture(scope="session")
def dovecot() -> Iterator[Dovecot]:
    binary = dovecot_binary()
    if binary is None:
        unavailable("Dovecot is not installed (apt-get install dovecot-imapd)", "the IMAP tests")
    with running_dovecot(binary) as server:
        yield server
