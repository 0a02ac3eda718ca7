"""Inputs for the store's tests: a raw message and a scored lead ready to file."""

from __future__ import annotations

from parsers.lead import RawMessage
from store.records import NewLead


def raw_message(body: bytes = b"Subject: hi\r\n\r\nName: Ada Park\r\n") -> RawMessage:
    return RawMessage(raw=body, channel="smtp", sender="portal@example.net", recipients=("leads@acme.test",))


def new_lead(
    email: str = "ada@park.test", post_to: str | None = "C_SALES", *, grade: str = "A", invalid: bool = False
) -> NewLead:
    return NewLead(
        vendor="Portal",
        channel="smtp",
        fields={"full_name": "Ada Park", "email": email},
        provenance={"email": {"source": "reader:labels:Email", "confidence": 0.9, "flags": [], "alternatives": []}},
        score=70,
        grade=grade,
        reasons=("+20 email address",),
        post_to=post_to,
        contact_email=email,
        invalid=invalid,
    )
