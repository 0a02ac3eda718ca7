"""Sender-authentication columns of stored messages, on each backend."""

from __future__ import annotations

from parsers.lead import RawMessage
from store.store import Store


async def _accept(store: Store, body: bytes) -> int:
    message = RawMessage(raw=body, channel="smtp", sender="bounce@vendor.example", recipients=("leads@dealer.test",))
    accepted = await store.messages.accept(message, dedup_key=f"sha256:{hash(body)}", subject="New lead")
    return accepted.id


async def test_origin_and_verdict_are_kept_and_suspicious_ones_listed(store: Store) -> None:
    genuine = await _accept(store, b"Subject: New lead\r\n\r\none\r\n")
    forged = await _accept(store, b"Subject: New lead\r\n\r\ntwo\r\n")
    unchecked = await _accept(store, b"Subject: New lead\r\n\r\nthree\r\n")

    fresh = await store.authentication.of_message(unchecked)
    assert fresh is not None and (fresh.client_ip, fresh.verdict, fresh.suspicious) == (None, None, False)

    await store.authentication.record_origin(genuine, client_ip="192.0.2.10", helo="mail.vendor.example")
    await store.authentication.record_authentication(
        genuine, verdict="pass", auth_results="leadbot; spf=pass", suspicious=False
    )
    await store.authentication.record_origin(forged, client_ip="2001:db8::7", helo="x" * 300)
    await store.authentication.record_authentication(
        forged, verdict="fail", auth_results="leadbot; spf=fail", suspicious=True
    )

    kept = await store.authentication.of_message(genuine)
    assert kept is not None
    assert (kept.client_ip, kept.helo, kept.verdict, kept.auth_results, kept.suspicious) == (
        "192.0.2.10",
        "mail.vendor.example",
        "pass",
        "leadbot; spf=pass",
        False,
    )
    listed = await store.authentication.suspicious()
    assert [(m.message_id, m.verdict, m.auth_results, m.sender) for m in listed] == [
        (forged, "fail", "leadbot; spf=fail", "bounce@vendor.example")
    ]
    forged_row = await store.authentication.of_message(forged)
    assert forged_row is not None and forged_row.helo == "x" * 255
    assert await store.authentication.of_message(9999) is None
