"""GET/POST /form/<name>: the page, validation, the honeypot, per-address rate limiting, and the lead."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from bot.intake.forms import HONEYPOT, render_form, validate
from bot.intake.http import RateLimiter, client_address
from tests.intake.conftest import CONTACT_FORM, StartIntake

GOOD = {
    "full_name": "Annika Thorvaldsen",
    "email": "annika@thorvaldsen-arkitekter.example",
    "phone": "+1 206 555 0121",
    "company": "Thorvaldsen Arkitekter",
    "message": "Looking for a maintenance contract for three buildings.",
    HONEYPOT: "",
}
FORM = "application/x-www-form-urlencoded"


async def test_the_form_page_is_accessible_html(start_intake: StartIntake) -> None:
    intake = await start_intake()
    async with intake.http.get(intake.base + "/form/contact") as response:
        assert response.status == 200 and response.content_type == "text/html"
        assert "script-src" not in response.headers["Content-Security-Policy"]
        page = await response.text()
    assert '<html lang="en">' in page and "<title>Ask for a quote</title>" in page
    for spec in CONTACT_FORM.fields:
        assert f'<label for="f-{spec.name}">{spec.label}' in page
        assert f'id="f-{spec.name}" name="{spec.name}"' in page
    assert 'type="email" id="f-email" name="email" required aria-required="true" autocomplete="email"' in page
    assert f'name="{HONEYPOT}" tabindex="-1"' in page and 'aria-hidden="true"' in page
    async with intake.http.get(intake.base + "/form/nothing-here") as response:
        assert response.status == 404


async def test_a_submission_becomes_a_lead_and_a_resubmission_is_one_lead(start_intake: StartIntake) -> None:
    intake = await start_intake()
    for _ in range(2):
        async with intake.http.post(intake.base + "/form/contact", data=urlencode(GOOD),
                                    headers={"Content-Type": FORM}) as response:
            assert response.status == 200
            assert CONTACT_FORM.thank_you in await response.text()
    await intake.pipeline.wait_idle()
    messages = await intake.store.messages.recent()
    assert len(messages) == 1 and messages[0].sender == "form:contact"
    assert json.loads(messages[0].raw)["email"] == GOOD["email"]
    leads = await intake.store.leads.recent()
    assert len(leads) == 1
    assert leads[0].fields["full_name"] == "Annika Thorvaldsen"
    assert leads[0].fields["company"] == "Thorvaldsen Arkitekter"


async def test_missing_and_malformed_fields_are_shown_next_to_the_field(start_intake: StartIntake) -> None:
    intake = await start_intake()
    bad = {**GOOD, "full_name": "", "email": "annika-at-example"}
    async with intake.http.post(intake.base + "/form/contact", data=urlencode(bad),
                                headers={"Content-Type": FORM}) as response:
        assert response.status == 400
        page = await response.text()
    assert 'role="alert"' in page
    assert "Please fill in Your name." in page and "Email does not look like an email address." in page
    assert 'aria-invalid="true" aria-describedby="e-email"' in page
    assert 'value="Thorvaldsen Arkitekter"' in page  # what was typed is kept
    assert await intake.store.messages.recent() == []


async def test_the_honeypot_drops_bots_silently(start_intake: StartIntake) -> None:
    intake = await start_intake()
    async with intake.http.post(intake.base + "/form/contact", data=urlencode({**GOOD, HONEYPOT: "http://spam.example"}),
                                headers={"Content-Type": FORM}) as response:
        assert response.status == 200 and CONTACT_FORM.thank_you in await response.text()
    assert await intake.store.messages.recent() == []


async def test_submissions_are_rate_limited_per_address(start_intake: StartIntake) -> None:
    intake = await start_intake()  # the contact form allows 3 per hour
    statuses = []
    for n in range(5):
        body = urlencode({**GOOD, "email": f"annika{n}@thorvaldsen-arkitekter.example"})
        async with intake.http.post(intake.base + "/form/contact", data=body, headers={"Content-Type": FORM}) as r:
            statuses.append(r.status)
            if r.status == 429:
                assert r.headers["Retry-After"] == "3600"
    assert statuses == [200, 200, 200, 429, 429]
    assert len(await intake.store.messages.recent()) == 3


def test_rate_limiter_window_and_proxy_address() -> None:
    now = [0.0]
    limiter = RateLimiter(2, window=60, clock=lambda: now[0])
    assert limiter.allow("a") and limiter.allow("a") and not limiter.allow("a") and limiter.allow("b")
    now[0] = 61
    assert limiter.allow("a")
    assert client_address("10.0.0.2", "198.51.100.7, 10.0.0.2", ("10.0.0.2",)) == "198.51.100.7"
    assert client_address("203.0.113.9", "198.51.100.7", ("10.0.0.2",)) == "203.0.113.9"


def test_validation_and_rendering_are_pure() -> None:
    checked = validate(CONTACT_FORM, {"full_name": " Ola Nordmann ", "email": "ola@nordmann.example", "phone": "12"})
    assert checked.values["full_name"] == "Ola Nordmann"
    assert checked.errors == {"phone": "Phone does not look like a phone number."}
    page = render_form("contact", CONTACT_FORM, values={"full_name": '<b>"x"</b>'})
    assert "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in page and '<b>"x"</b>' not in page
