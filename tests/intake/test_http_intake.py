"""POST /intake/<source>: JSON, form-encoded pairs and XML (ADF) in; good, duplicate and bad input."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path

from bot.intake.http import normalise_body, signature_ok, status_token, status_token_check
from bot.settings import HttpSettings
from nlp.extractor import Extractor
from store.store import Store
from tests.fakes.raw_http import raw_post
from tests.intake.conftest import HMAC_SECRET, SALES, StartIntake, bearer, intake_server, signed

LEAD = {
    "lead": {
        "first_name": "Rosalind",
        "last_name": "Achterberg",
        "email": "rosalind@achterberg-design.example",
        "phone": "+1 503 555 0147",
        "message": "We need a quote for 40 office chairs before March.",
    },
    "listing": {"agent_name": "Pat Sellers", "agent_email": "pat@sellers.example"},
}

ADF = b"""<?xml version="1.0"?>
<?adf version="1.0"?>
<adf><prospect>
  <requestdate>2026-11-20T10:00:00-05:00</requestdate>
  <vehicle interest="buy" status="used"><year>2021</year><make>Subaru</make><model>Outback</model></vehicle>
  <customer><contact>
    <name part="first">Tobias</name><name part="last">Quenneville</name>
    <email>tobias.q@quennevillefarm.example</email>
    <phone type="voice">503-555-0199</phone>
  </contact></customer>
  <vendor><vendorname>Rosewood Motors</vendorname></vendor>
</prospect></adf>
"""


async def test_json_lead_is_stored_raw_read_and_answered_with_its_lead_ids(start_intake: StartIntake) -> None:
    intake = await start_intake()
    body = json.dumps(LEAD).encode()
    status, answer = await intake.post("/intake/portal", body, headers=bearer())
    assert status == 202, answer
    assert answer["status"] == "processed" and answer["duplicate"] is False
    assert len(answer["lead_ids"]) == 1
    message = await intake.store.messages.get(answer["message_id"])
    assert message is not None and message.raw == body and message.channel == "http"
    assert message.sender == "http:portal"
    lead = await intake.store.leads.get(answer["lead_ids"][0])
    assert lead is not None
    assert lead.fields["email"] == "rosalind@achterberg-design.example"
    assert lead.fields["full_name"] == "Rosalind Achterberg"
    assert lead.channel == "http" and lead.grade == "A"
    # The card is queued for the sales channel, like a mailed lead's.
    due = await intake.store.outbox.due()
    assert [(i.kind, i.lead_id, i.channel) for i in due] == [("post_card", lead.id, SALES)]

    # The status URL answers the same: its token opens it, or the source's bearer token without one.
    async with intake.http.get(intake.base + answer["status_url"]) as response:
        assert response.status == 200
        assert (await response.json())["lead_ids"] == answer["lead_ids"]
    bare = answer["status_url"].partition("?")[0]
    async with intake.http.get(intake.base + bare, headers=bearer()) as response:
        assert response.status == 200
    async with intake.http.get(intake.base + bare) as response:
        assert response.status == 401


async def test_a_resend_is_a_duplicate_by_payload_hash_and_by_idempotency_key(start_intake: StartIntake) -> None:
    intake = await start_intake()
    body = json.dumps(LEAD).encode()
    _, first = await intake.post("/intake/portal", body, headers=bearer())
    status, again = await intake.post("/intake/portal", body, headers=bearer())
    assert status == 202
    assert again["duplicate"] is True
    assert again["message_id"] == first["message_id"] and again["lead_ids"] == first["lead_ids"]

    # With an Idempotency-Key, a retry whose bytes differ (a new timestamp) is still the same request.
    one = json.dumps({**LEAD["lead"], "sent_at": "2026-11-22T10:00:00Z", "email": "ines@brightwater.example"})
    two = json.dumps({**LEAD["lead"], "sent_at": "2026-11-22T10:00:05Z", "email": "ines@brightwater.example"})
    key = {"Idempotency-Key": "order-8812", **bearer()}
    _, keyed = await intake.post("/intake/portal", one.encode(), headers=key)
    status, retried = await intake.post("/intake/portal", two.encode(), headers=key)
    assert status == 202 and keyed["duplicate"] is False and retried["duplicate"] is True
    assert retried["message_id"] == keyed["message_id"] and retried["lead_ids"] == keyed["lead_ids"]
    assert len(await intake.store.leads.recent()) == 2
    assert len(await intake.store.messages.recent()) == 2


async def test_form_encoded_pairs_and_adf_xml_become_leads(start_intake: StartIntake) -> None:
    intake = await start_intake()
    pairs = b"first_name=Marisol&last_name=Eberhart&email=marisol%40eberhart-dental.example&phone=971-555-0110" \
            b"&comments=Two+new+dental+chairs"
    status, answer = await intake.post("/intake/portal", pairs, content_type="application/x-www-form-urlencoded",
                                       headers=bearer())
    assert status == 202, answer
    lead = await intake.store.leads.get(answer["lead_ids"][0])
    assert lead is not None and lead.fields["email"] == "marisol@eberhart-dental.example"
    assert lead.fields["last_name"] == "Eberhart"
    stored = await intake.store.messages.get(answer["message_id"])
    assert stored is not None and json.loads(stored.raw)["first_name"] == "Marisol"

    status, answer = await intake.post("/intake/portal", ADF, content_type="application/xml", headers=bearer())
    assert status == 202, answer
    lead = await intake.store.leads.get(answer["lead_ids"][0])
    assert lead is not None
    assert lead.fields["email"] == "tobias.q@quennevillefarm.example"
    assert "Outback" in lead.fields.get("interest", "")
    stored = await intake.store.messages.get(answer["message_id"])
    assert stored is not None and stored.raw == ADF


async def test_hmac_signed_source(start_intake: StartIntake) -> None:
    intake = await start_intake()
    body = json.dumps({"name": "Wendell Okonkwo", "email": "wendell@okonkwo-law.example", "phone": "312-555-0166"})
    status, answer = await intake.post("/intake/landing", body.encode(), headers=signed(HMAC_SECRET, body.encode()))
    assert status == 202 and len(answer["lead_ids"]) == 1
    status, answer = await intake.post("/intake/landing", body.encode(), headers=signed("wrong", body.encode()))
    assert status == 401 and answer["error"] == "bad_signature"
    status, answer = await intake.post("/intake/landing", body.encode())
    assert status == 401


async def test_bad_input_is_refused_with_a_clear_json_error_and_nothing_stored(start_intake: StartIntake) -> None:
    intake = await start_intake(http=HttpSettings(port=0, max_body_bytes=4096))
    good = json.dumps(LEAD).encode()
    cases = [
        ("/intake/portal", good, "application/json", {}, 401, "unauthorized"),
        ("/intake/portal", good, "application/json", bearer("not-the-token"), 401, "unauthorized"),
        ("/intake/nowhere", good, "application/json", bearer(), 404, "unknown_source"),
        ("/intake/portal", b'{"email": "x@y.example",', "application/json", bearer(), 400, "invalid_json"),
        ("/intake/portal", b'"just a string"', "application/json", bearer(), 400, "invalid_json"),
        ("/intake/portal", b"   ", "application/json", bearer(), 400, "empty_body"),
        ("/intake/portal", good, "text/plain", bearer(), 415, "unsupported_media_type"),
        ("/intake/portal", b"<adf><prospect>", "application/xml", bearer(), 400, "invalid_xml"),
        ("/intake/portal",
         b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><adf>&b;</adf>',
         "application/xml", bearer(), 400, "invalid_xml"),
        ("/intake/portal", b"=&=", "application/x-www-form-urlencoded", bearer(), 400, "invalid_form"),
        ("/intake/portal", b'{"x": "' + b"a" * 5000 + b'"}', "application/json", bearer(), 413, "too_large"),
    ]
    for path, body, content_type, headers, want_status, want_error in cases:
        status, answer = await intake.post(path, body, content_type=content_type, headers=headers)
        assert (status, answer["error"]) == (want_status, want_error), (path, body[:40], answer)
        assert answer["detail"]
    # Oversize without a Content-Length (chunked) is caught while reading.

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"x" * 1000

    async with intake.http.post(intake.base + "/intake/portal", data=chunks(),
                                headers={"Content-Type": "application/json", **bearer()}) as response:
        assert response.status == 413
    assert await intake.store.messages.recent() == []


async def test_a_payload_without_a_lead_is_stored_and_answered_422(start_intake: StartIntake) -> None:
    intake = await start_intake()
    status, answer = await intake.post("/intake/portal", b'{"event": "ping", "sent": "2026-11-22"}', headers=bearer())
    assert status == 422 and answer["error"] == "no_lead"
    message = await intake.store.messages.get(answer["message_id"])
    assert message is not None and message.status == "no_lead"


async def test_slow_reading_answers_with_the_message_id_and_the_status_url_gives_the_leads(
    start_intake: StartIntake,
) -> None:
    intake = await start_intake(http=HttpSettings(port=0, process_timeout_seconds=0))
    status, answer = await intake.post("/intake/portal", json.dumps(LEAD).encode(), headers=bearer())
    assert status == 202 and answer["message_id"], answer
    async with asyncio.timeout(20):
        while True:
            async with intake.http.get(intake.base + answer["status_url"], headers=bearer()) as response:
                later = await response.json()
            if later["status"] != "received":
                break
            await asyncio.sleep(0.05)  # the client polls, as a provider would
    assert later["status"] == "processed" and len(later["lead_ids"]) == 1


async def test_concurrent_requests_with_one_idempotency_key_store_one_message(start_intake: StartIntake) -> None:
    intake = await start_intake()
    headers = {"Idempotency-Key": "burst-1", **bearer()}
    bodies = [json.dumps({**LEAD["lead"], "n": str(n)}).encode() for n in range(5)]
    results = await asyncio.gather(*(intake.post("/intake/portal", b, headers=headers) for b in bodies))
    statuses = sorted(s for s, _ in results)
    assert statuses.count(202) >= 1 and set(statuses) <= {202, 409}
    assert len(await intake.store.messages.recent()) == 1


def test_pure_checks() -> None:
    assert signature_ok("k", b"body", "sha256=" + __import__("hmac").new(b"k", b"body", "sha256").hexdigest())
    assert not signature_ok("k", b"body", None) and not signature_ok("k", b"body", "sha256=00")
    assert not signature_ok("k", b"body", "sha256=é") and not signature_ok("k", b"body", "sha256=\udcff")
    kind, raw = normalise_body("application/x-www-form-urlencoded; charset=utf-8", b"a=1&a=2&b=%C3%A9")
    assert kind == "form" and json.loads(raw) == {"a": ["1", "2"], "b": "é"}
    assert normalise_body("application/vnd.api+json", b"[]")[0] == "json"


async def test_the_status_url_opens_only_its_own_message_until_it_expires(start_intake: StartIntake) -> None:
    intake = await start_intake()
    first, second = (json.dumps({**LEAD["lead"], "email": f"r{n}@achterberg-design.example"}).encode() for n in (1, 2))
    _, one = await intake.post("/intake/landing", first, headers=signed(HMAC_SECRET, first))
    _, two = await intake.post("/intake/landing", second, headers=signed(HMAC_SECRET, second))

    async def status(path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, object]]:
        async with intake.http.get(intake.base + path, headers=headers) as response:
            return response.status, await response.json()

    code, body = await status(one["status_url"])
    assert code == 200 and body["lead_ids"] == one["lead_ids"]
    # the token names its message: the first one's token does not open the second
    one_path, _, one_query = one["status_url"].partition("?")
    two_path = two["status_url"].partition("?")[0]
    assert (await status(f"{two_path}?{one_query}"))[0] == 401
    # the constant that used to pass forever: the signature of an empty body
    assert (await status(two_path, signed(HMAC_SECRET, b"")))[0] == 401
    assert (await status(two_path))[0] == 401
    for forged in ("", "abc", "1.2", "99999999999.00", "é.é", one_query.removeprefix("token=") + "0"):
        assert (await status(f"{one_path}?token={forged}"))[0] == 401, forged
    # a genuine token, but past its expiry
    message_id = int(one["message_id"])
    now = int(time.time())
    expired = status_token(HMAC_SECRET, "landing", message_id, now - 1)
    code, body = await status(f"{one_path}?token={expired}")
    assert (code, body["error"]) == (403, "token_expired")
    fresh = status_token(HMAC_SECRET, "landing", message_id, now + 60)
    assert (await status(f"{one_path}?token={fresh}"))[0] == 200
    # and it expires by itself: the one handed out carries the configured lifetime
    expires = int(one_query.removeprefix("token=").partition(".")[0])
    assert abs(expires - (now + HttpSettings().status_url_ttl_seconds)) < 60


def test_status_tokens_are_checked_against_a_clock() -> None:
    token = status_token("s", "landing", 7, 1_000)
    assert status_token_check("s", "landing", 7, token, now=999.0) == 200
    assert status_token_check("s", "landing", 7, token, now=1_001.0) == 403
    assert status_token_check("s", "landing", 8, token, now=999.0) == 401
    assert status_token_check("s", "portal", 7, token, now=999.0) == 401
    assert status_token_check("other", "landing", 7, token, now=999.0) == 401
    assert status_token_check("s", "landing", 7, None, now=999.0) == 401


async def test_the_same_body_from_another_source_is_a_new_message(start_intake: StartIntake) -> None:
    intake = await start_intake()
    body = json.dumps(LEAD).encode()
    status, from_portal = await intake.post("/intake/portal", body, headers=bearer())
    assert status == 202 and from_portal["duplicate"] is False
    status, from_landing = await intake.post("/intake/landing", body, headers=signed(HMAC_SECRET, body))
    assert status == 202, from_landing
    assert from_landing["duplicate"] is False
    assert from_landing["message_id"] != from_portal["message_id"]
    assert from_landing["lead_ids"] and set(from_landing["lead_ids"]).isdisjoint(from_portal["lead_ids"])
    landing = await intake.store.messages.get(from_landing["message_id"])
    assert landing is not None and landing.sender == "http:landing"
    # within one source it is still a resend
    status, again = await intake.post("/intake/landing", body, headers=signed(HMAC_SECRET, body))
    assert (status, again["duplicate"], again["message_id"]) == (202, True, from_landing["message_id"])


async def test_malformed_signatures_and_tokens_are_401_never_500(start_intake: StartIntake) -> None:
    intake = await start_intake()
    body = json.dumps(LEAD).encode()
    json_type = {"Content-Type": b"application/json"}
    cases = {
        "utf-8 signature": ("/intake/landing", {"X-Signature": "sha256=é".encode()}),
        "latin-1 byte signature": ("/intake/landing", {"X-Signature": b"sha256=\xff\xfe"}),
        "utf-8 bearer token": ("/intake/portal", {"Authorization": "Bearer tökén".encode()}),
        "byte bearer token": ("/intake/portal", {"Authorization": b"Bearer \xe9"}),
    }
    for case, (path, headers) in cases.items():
        status, answer = await raw_post(intake.web.port, path, body, {**json_type, **headers})
        assert status == 401, (case, answer)
    assert await intake.store.messages.recent() == []


async def test_while_the_store_is_unreachable_webhooks_and_forms_answer_503_with_retry_after(
    extractor: Extractor, tmp_path: Path
) -> None:
    # SQLite in a folder that does not exist: every statement fails, as with a PostgreSQL server that is down.
    unreachable = Store.open(f"sqlite+aiosqlite:///{tmp_path / 'gone' / 'leadbot.db'}")
    try:
        async with intake_server(unreachable, extractor) as start:
            intake = await start()
            body = json.dumps(LEAD).encode()
            async with intake.http.post(intake.base + "/intake/portal", data=body,
                                        headers={"Content-Type": "application/json", **bearer()}) as response:
                assert response.status == 503
                assert response.headers["Retry-After"] == "30"
                assert (await response.json())["error"] == "unavailable"
            form = {"full_name": "Rosalind Achterberg", "email": "rosalind@achterberg-design.example"}
            async with intake.http.post(intake.base + "/form/contact", data=form) as response:
                assert response.status == 503
                assert response.headers["Retry-After"] == "30"
                assert "try again" in await response.text()
            async with intake.http.get(intake.base + "/intake/portal/messages/1", headers=bearer()) as response:
                assert response.status == 503
    finally:
        await unreachable.close()
