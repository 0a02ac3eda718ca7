"""A lead mail with a few stray NUL or control bytes is read without them, and nothing stored holds a NUL
(PostgreSQL refuses NUL in text columns); a part that really is binary is still left unread."""

from __future__ import annotations

import base64

from bot.assess.assessor import Assessor, Routing
from bot.intake.pipeline import IntakePipeline
from bot.settings import ScoringSettings, SlackChannels
from nlp.extractor import Extractor
from parsers.document import load_document
from parsers.lead import RawMessage
from tests.conftest import migrated_store

LEAD = (
    b"From: Web Forms <forms@heronmill.example>\r\nSubject: New quote\x00 request\r\n"
    b"Message-ID: <nul-1@heronmill.example>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    b"Name: Teodora Vasquez-Hale\x00\r\nEmail: teodora@vasquez-hale.example\r\nPhone: 503-555-0139\r\n"
    b"Message: We need a quote for\x00 two sash windows\x01 in our kitchen.\x00\r\n"
)


def _with_parts(text_part: bytes, other: bytes, other_type: str) -> bytes:
    return (
        b"From: Web Forms <forms@heronmill.example>\r\nSubject: New quote\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        b"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text_part + b"\r\n"
        b"--b1\r\nContent-Type: " + other_type.encode() + b"\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(other) + b"--b1--\r\n"
    )


def test_a_text_part_with_stray_nul_bytes_is_read_without_them() -> None:
    doc = load_document(LEAD)
    assert "\x00" not in doc.text and "\x01" not in doc.text
    assert "Name: Teodora Vasquez-Hale" in doc.text
    assert "We need a quote for two sash windows in our kitchen." in doc.text
    assert doc.subject == "New quote request"


def test_a_really_binary_part_is_still_skipped() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(256)) * 4
    noise = bytes((n * 131 + 7) % 256 for n in range(4000))  # every byte value, like compressed data
    text = b"Name: Teodora Vasquez-Hale\r\nEmail: teodora@vasquez-hale.example\r\n"
    for other in (png, noise):
        # declared as text, so only the bytes tell: an image or random bytes never reach the readers
        doc = load_document(_with_parts(text, other, "text/plain; charset=utf-8"))
        assert "Teodora Vasquez-Hale" in doc.text
        assert "IHDR" not in doc.text and "\ufffd" not in doc.text


async def test_a_lead_with_a_nul_in_its_body_is_stored(store_url: str, extractor: Extractor) -> None:
    async with migrated_store(store_url) as store:
        pipeline = IntakePipeline(
            store, extractor, Assessor(ScoringSettings(), Routing(SlackChannels(), slack_enabled=False)),
        )
        accepted = await pipeline.accept(RawMessage(raw=LEAD, channel="smtp", sender="forms@heronmill.example"))
        [lead] = await pipeline.process(accepted.id)
        assert lead.fields["full_name"] == "Teodora Vasquez-Hale"
        assert lead.fields["message"] == "We need a quote for two sash windows in our kitchen."
        assert lead.fields["email"] == "teodora@vasquez-hale.example"
        assert not any("\x00" in str(value) for value in lead.fields.values())
        stored = await store.messages.get(accepted.id)
        assert stored is not None and stored.status == "processed" and stored.raw == LEAD
        assert stored.subject == "New quote request"


async def test_an_error_holding_a_nul_is_stored_without_it(store_url: str) -> None:
    async with migrated_store(store_url) as store:
        accepted = await store.messages.receive(RawMessage(raw=LEAD, channel="smtp", sender="forms@heronmill.example"))
        assert await store.messages.mark_failed(accepted.id, "could not read 'Name: T\x00'")
        failed = await store.messages.get(accepted.id)
        assert failed is not None and failed.error == "could not read 'Name: T'"
