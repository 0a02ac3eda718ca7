"""`parsers.envelope.envelope`: the quick read of a message's dedup key and subject gives what the full parse
gives, or leaves the message to it."""

from __future__ import annotations

import itertools

import pytest

from parsers.envelope import QUICK_HEAD_LIMIT, dedup_key, envelope, subject_of
from parsers.lead import RawMessage

PLAIN = (
    b"From: Lakeside Leads <leads@lakeside.example>\r\nTo: sales@dealer.example\r\n"
    b"Subject: New lead #12\r\nMessage-ID: <lead-12@lakeside.example>\r\nMIME-Version: 1.0\r\n"
    b"\r\nFirst Name: Ada\r\n"
)


def _smtp(raw: bytes, sender: str | None = "leads@lakeside.example") -> RawMessage:
    return RawMessage(raw=raw, channel="smtp", sender=sender)


def _full(message: RawMessage) -> tuple[str, str | None]:
    return dedup_key(message), subject_of(message)


def test_a_plain_header_block_is_read_quickly_and_alike() -> None:
    message = _smtp(PLAIN)
    assert envelope(message) == _full(message)
    key, subject = _full(message)
    assert key.startswith("mid:") and subject == "New lead #12"


@pytest.mark.parametrize(
    "raw",
    [
        b"Subject: =?utf-8?q?caf=C3=A9?=\r\n\r\nbody",  # encoded word
        b"Subject: a long\r\n subject folded\r\n\r\nbody",  # folded
        b"Message-ID: <x@y>\r\nX-Note: a\x0bSubject: hidden\r\n\r\nbody",  # a vertical tab ends a line there
        b"Message-ID: <x@y>\r\nX-Note: a\rSubject: hidden\r\n\r\nbody",  # a bare CR too
        b"Subject: \xc3\xa9t\xc3\xa9\r\n\r\nbody",  # not ASCII
        b"Subject: x\r\nnot a field\r\nMessage-ID: <x@y>\r\n\r\nbody",  # the header block ends before it
        b"Subject: x\r\n:no name\r\n continued\r\n\r\nbody",  # a continuation of Subject behind a defect
        b"From someone Mon Jan 1\r\nSubject: x\r\n\r\nbody",  # an mbox From line
        b"Subject: x\n\nbody",  # bare LF line ends
        b"X-Pad: " + b"p" * QUICK_HEAD_LIMIT + b"\r\nSubject: x\r\n\r\nbody",  # past the quick limit
    ],
)
def test_what_takes_the_full_parse_is_left_to_it(raw: bytes) -> None:
    assert envelope(_smtp(raw)) is None


def test_every_mix_of_fields_reads_as_the_full_parse() -> None:
    fields = [
        b"Subject: hello world", b"Subject:  spaced  ", b"subject: lower case", b"Subject:", b"Subject: tab\there",
        b"Message-ID: <a@b>", b"message-id:<z@q> ", b"Message-ID: ", b"Subject: ctl\x01x", b"Subject : x",
        b"To: c@d", b" a continuation", b"X-Bad: \xc3\xa9", b"Subject: " + b"y" * 5000,
    ]
    quick = 0
    for size in range(4):
        for chosen in itertools.permutations(fields, size):
            for sender in ("Leads@Vendor.example", None):
                message = _smtp(b"\r\n".join(chosen) + b"\r\n\r\nbody", sender)
                got = envelope(message)
                if got is not None:
                    quick += 1
                    assert got == _full(message), chosen
    assert quick > 1000  # most are plain


def test_other_ways_in_are_keyed_by_their_bytes() -> None:
    message = RawMessage(raw=b'{"name": "Ada"}', channel="http", sender="http:site")
    assert envelope(message) == (dedup_key(message), None)
