"""Facebook Lead Ads and Google Ads lead form webhooks, as those platforms send them."""

from __future__ import annotations

import json

from tests.fakes.raw_http import raw_post
from tests.intake.conftest import (
    FB_PAGE_TOKEN,
    FB_SECRET,
    FB_VERIFY,
    GOOGLE_KEY,
    GraphStandIn,
    StartIntake,
    signed,
)

LEADGEN_ID = "444555666777888"


def notification(*leadgen_ids: str) -> bytes:
    """A page webhook as Meta delivers it: it announces leads by id, the fields are fetched separately."""
    changes = [
        {"field": "leadgen", "value": {"ad_id": "0", "form_id": "1200300400", "leadgen_id": lid,
                                       "created_time": 1763800000, "page_id": "98765", "adgroup_id": "0"}}
        for lid in leadgen_ids
    ]
    return json.dumps({"object": "page", "entry": [{"id": "98765", "time": 1763800001, "changes": changes}]}).encode()


def graph_lead(leadgen_id: str, name: str, email: str, phone: str) -> dict[str, object]:
    return {
        "created_time": "2026-11-22T09:12:44+0000",
        "id": leadgen_id,
        "field_data": [
            {"name": "full_name", "values": [name]},
            {"name": "email", "values": [email]},
            {"name": "phone_number", "values": [phone]},
            {"name": "when_do_you_want_to_start?", "values": ["next_month"]},
        ],
    }


def google_lead(
    *, is_test: bool = False, key: str = GOOGLE_KEY, email: str = "halvard@brekke-roofing.example"
) -> bytes:
    return json.dumps({
        "lead_id": "TeSter-123-ABCDEFGHIJKLMNOPQRSTUVWXYZ-abcdefghijklmnopqrstuvwxyz-0123456789-AaBbCcDdEe",
        "api_version": "1.0",
        "form_id": 40000000000,
        "campaign_id": 12345678901,
        "google_key": key,
        "is_test": is_test,
        "gcl_id": "gcl-7f2a",
        "adgroup_id": 20000000000,
        "creative_id": 30000000000,
        "user_column_data": [
            {"column_name": "Full Name", "string_value": "Halvard Brekke", "column_id": "FULL_NAME"},
            {"column_name": "User Email", "string_value": email, "column_id": "EMAIL"},
            {"column_name": "User Phone", "string_value": "+16125550181", "column_id": "PHONE_NUMBER"},
            {"column_name": "Postal Code", "string_value": "55401", "column_id": "POSTAL_CODE"},
        ],
    }).encode()


async def test_facebook_subscription_handshake(start_intake: StartIntake) -> None:
    intake = await start_intake()
    query = {"hub.mode": "subscribe", "hub.verify_token": FB_VERIFY, "hub.challenge": "1158201444"}
    async with intake.http.get(intake.base + "/intake/facebook", params=query) as response:
        assert response.status == 200 and await response.text() == "1158201444"
    async with intake.http.get(intake.base + "/intake/facebook", params={**query, "hub.verify_token": "guess"}) as r:
        assert r.status == 403
    async with intake.http.get(intake.base + "/intake/portal", params=query) as response:
        assert response.status == 404


async def test_facebook_leadgen_is_fetched_from_the_graph_api_and_stored(
    start_intake: StartIntake, graph: GraphStandIn
) -> None:
    graph.leads[LEADGEN_ID] = graph_lead(LEADGEN_ID, "Solveig Amundsen", "solveig@amundsen-bakery.example",
                                         "+16125550143")
    intake = await start_intake(graph_url=graph.url)
    body = notification(LEADGEN_ID)
    status, answer = await intake.post("/intake/facebook", body, headers=signed(FB_SECRET, body, "X-Hub-Signature-256"))
    assert status == 200, answer
    assert graph.requests == [(LEADGEN_ID, FB_PAGE_TOKEN)]
    assert len(answer["lead_ids"]) == 1
    lead = await intake.store.leads.get(answer["lead_ids"][0])
    assert lead is not None
    assert lead.fields["email"] == "solveig@amundsen-bakery.example"
    assert lead.vendor == "Facebook Lead Ads"
    # Both the notification and the fetched lead are stored as received.
    notified = await intake.store.messages.get(answer["message_id"])
    assert notified is not None and notified.raw == body
    fetched = await intake.store.messages.get(answer["lead_messages"][0])
    assert fetched is not None and json.loads(fetched.raw)["id"] == LEADGEN_ID

    # Meta delivers again (it did not see our 200 in time): the same lead, no second one.
    status, again = await intake.post("/intake/facebook", body, headers=signed(FB_SECRET, body, "X-Hub-Signature-256"))
    assert status == 200 and again["duplicate"] is True and again["lead_ids"] == answer["lead_ids"]
    assert len(await intake.store.leads.recent()) == 1


async def test_facebook_bad_signature_and_graph_failure(start_intake: StartIntake, graph: GraphStandIn) -> None:
    graph.leads[LEADGEN_ID] = graph_lead(LEADGEN_ID, "Ebba Lund", "ebba@lund-optik.example", "+16125550177")
    intake = await start_intake(graph_url=graph.url)
    body = notification(LEADGEN_ID)
    status, answer = await intake.post("/intake/facebook", body, headers=signed("not-the-secret", body,
                                                                                 "X-Hub-Signature-256"))
    assert status == 401 and answer["error"] == "bad_signature"
    status, answer = await intake.post("/intake/facebook", body)
    assert status == 401
    assert graph.requests == [] and await intake.store.messages.recent() == []

    graph.fail_with = 503
    status, answer = await intake.post("/intake/facebook", body, headers=signed(FB_SECRET, body, "X-Hub-Signature-256"))
    assert status == 502 and answer["error"] == "graph_api_failed"
    assert await intake.store.leads.recent() == []
    # Meta retries; the Graph API is back: the lead arrives.
    graph.fail_with = None
    status, answer = await intake.post("/intake/facebook", body, headers=signed(FB_SECRET, body, "X-Hub-Signature-256"))
    assert status == 200 and len(answer["lead_ids"]) == 1


async def test_google_lead_form_webhook(start_intake: StartIntake) -> None:
    intake = await start_intake()
    body = google_lead()
    status, answer = await intake.post("/intake/google", body)
    assert status == 200, answer
    assert answer["test"] is False and len(answer["lead_ids"]) == 1
    lead = await intake.store.leads.get(answer["lead_ids"][0])
    assert lead is not None and lead.vendor == "Google Ads lead form"
    assert lead.fields["postal_code"] == "55401"
    assert [i.lead_id for i in await intake.store.outbox.due()] == [lead.id]

    status, again = await intake.post("/intake/google", body)
    assert status == 200 and again["duplicate"] is True and again["lead_ids"] == answer["lead_ids"]

    status, refused = await intake.post("/intake/google", google_lead(key="wrong-key"))
    assert status == 401 and refused["error"] == "bad_google_key"
    status, refused = await intake.post("/intake/google", b'{"user_column_data": []}')
    assert status == 401
    assert len(await intake.store.messages.recent()) == 1


async def test_google_test_leads_are_marked_and_never_posted(start_intake: StartIntake) -> None:
    intake = await start_intake()
    status, answer = await intake.post("/intake/google", google_lead(is_test=True, email="test@brekke.example"))
    assert status == 200 and answer["test"] is True
    lead = await intake.store.leads.get(answer["lead_ids"][0])
    assert lead is not None
    events = [e.kind for e in await intake.store.events.for_lead(lead.id)]
    assert "test_lead" in events
    assert await intake.store.outbox.due() == []


async def test_malformed_platform_credentials_are_401_never_500(start_intake: StartIntake, graph: GraphStandIn) -> None:
    intake = await start_intake(graph_url=graph.url)
    body = notification(LEADGEN_ID)
    for value in ("sha256=ü".encode(), b"sha256=\xff"):
        status, answer = await raw_post(intake.web.port, "/intake/facebook", body,
                                        {"Content-Type": b"application/json", "X-Hub-Signature-256": value})
        assert status == 401, answer
    # a google_key that is a lone surrogate once the JSON is read ("\ud800")
    forged = google_lead().replace(GOOGLE_KEY.encode(), b"\\ud800")
    status, answer = await intake.post("/intake/google", forged)
    assert status == 401 and answer["error"] == "bad_google_key"
    assert graph.requests == [] and await intake.store.messages.recent() == []
    # Meta's handshake with a verify token that is not ASCII
    async with intake.http.get(intake.base + "/intake/facebook", params={
        "hub.mode": "subscribe", "hub.verify_token": "vérify-ü",
        "hub.challenge": "1158201444",
    }) as response:
        assert response.status == 403
