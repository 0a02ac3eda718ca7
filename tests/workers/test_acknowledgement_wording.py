"""The acknowledgement's wording (pure): the prospect's own values are echoed only where they look like
what they claim to be, and never carry a line break into a header."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from bot.settings import AcknowledgementSettings, AcknowledgementTemplate
from bot.workers.acknowledgements import compose, first_name, skip_reason
from store.acknowledgements import AcknowledgementRecord
from tests.slack.leads import FIELDS, lead_record

NOW = datetime(2024, 5, 1, 15, 0, tzinfo=UTC)
SETTINGS = AcknowledgementSettings(
    enabled=True, from_address="hello@riverside.example", company_name="Riverside Motors",
    reply_to="sales@riverside.example",
    template=AcknowledgementTemplate(subject="About {interest}", body="Hello {first_name} ({source}, #{lead_id})"),
)


def ack(kind: str = "intake") -> AcknowledgementRecord:
    return AcknowledgementRecord(id=9, lead_id=42, kind=kind, status="pending", reason=None, attempts=0,
                                 created_at=NOW, next_attempt_at=NOW, sent_at=None, last_error=None,
                                 message_id=None, claims=1)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"first_name": "Anna"}, "Anna"),
        ({"full_name": "Jean-Luc Picard"}, "Jean-Luc"),
        ({"full_name": "Siobhán O'Brien"}, "Siobhán"),
        ({"first_name": "Mary Ann", "full_name": "Mary Ann Lee"}, "Mary Ann"),
        ({"first_name": "http://cheap-pills.example"}, "there"),
        ({"first_name": "Dana\r\nBcc: victim@example.org"}, "there"),
        ({"full_name": "www.cheap-pills.example now"}, "there"),
        ({"first_name": "Anna2000"}, "there"),
        ({"email": "x@example.org"}, "there"),
    ],
)
def test_first_name_is_echoed_only_when_it_looks_like_one(fields: dict[str, str], expected: str) -> None:
    assert first_name(lead_record(fields=fields), "there") == expected


def test_no_value_carries_a_line_break_into_a_header() -> None:
    lead = lead_record(fields={**FIELDS, "interest": "van\r\nBcc: victim@example.org"})
    name, message = compose(lead, ack(), SETTINGS, now=NOW)
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert name == "default"
    assert parsed["Subject"] == "About van Bcc: victim@example.org" and parsed["Bcc"] is None
    assert parsed["To"] == "dana@whitaker.test" and parsed["Reply-To"] == "sales@riverside.example"
    assert parsed["Message-ID"] == "<leadbot-ack.9.intake@riverside.example>"
    assert parsed.get_content().strip() == "Hello Dana (AutoLeads, #42)"


def test_what_is_never_answered() -> None:
    cases = [
        (None, "intake", "the lead is gone"),
        (lead_record(owner=None), "claimed", "nobody holds the lead any more"),
        (lead_record(outcome="disqualified", closed_at=NOW), "intake", "the lead was closed (disqualified)"),
        (lead_record(), "intake", None),
        (lead_record(created_at=datetime(2024, 4, 29, tzinfo=UTC)), "intake", "more than 24 h late"),
    ]
    for lead, kind, expected in cases:
        assert skip_reason(lead, kind, NOW, SETTINGS) == expected
