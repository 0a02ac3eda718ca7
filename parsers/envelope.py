"""What can be known of a message from its headers alone, cheaply, before it is processed."""

from __future__ import annotations

import hashlib
import re
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32

from parsers.lead import RawMessage
from parsers.limits import drop_controls

_HEADERS = BytesHeaderParser(policy=compat32)
#: characters of a header value decoded here (RFC 5322 advises lines of 78; a 1 MB encoded-word subject
#: took 6 s to decode before the sender had its answer)
_DECODE_LIMIT = 4096
#: the longest header block and message `envelope` reads itself (a longer one: the full parse, which the store runs in
#: a thread)
QUICK_HEAD_LIMIT = 64 * 1024
QUICK_RAW_LIMIT = 1024 * 1024
#: a header line the email package reads as a field (its `headerRE`, less the "From " line of an mbox)
_FIELD_NAME = re.compile(rb"[\x21-\x39\x3b-\x7e]*")
#: a value taken as it is (printable ASCII, no encoded word): anything else is decoded by the full parse
_PLAIN = re.compile(rb"[\x20-\x7e\t]*")
_WANTED = {b"message-id": 0, b"subject": 1}
#: what ends a line for the email package besides CR LF (`str.splitlines`): a header block with any takes the full parse
_OTHER_BREAKS = re.compile(rb"[\r\n\x0b\x0c\x1c-\x1e]")


def _header(raw: bytes, name: str) -> str | None:
    # Only the header block is parsed; a broken header never raises here (compat32 is lenient).
    head, _, _ = raw.partition(b"\r\n\r\n") if b"\r\n\r\n" in raw else raw.partition(b"\n\n")
    try:
        value = _HEADERS.parsebytes(head + b"\n\n").get(name)
    except Exception:
        return None
    if value is None:
        return None
    try:
        return str(make_header(decode_header(str(value)[:_DECODE_LIMIT]))).strip() or None
    except Exception:
        return str(value)[:_DECODE_LIMIT].strip() or None


def envelope(message: RawMessage) -> tuple[str, str | None] | None:
    """(`dedup_key`, `subject_of`) of ``message`` from one scan of its header block, the same values; None when
    that takes the full parse (a folded or encoded Message-ID or Subject, bytes that are not ASCII in them, bare CR
    or LF line ends, a header block or message past the quick limits).

    Issue 11: the full parse (twice) cost ~0.1 ms of the service's CPU per mail and a hand-off to a thread and back.
    """
    raw = message.raw
    if message.channel != "smtp":
        return (dedup_key(message), None) if len(raw) <= QUICK_RAW_LIMIT else None
    end = raw.find(b"\r\n\r\n", 0, QUICK_HEAD_LIMIT)
    if end <= 0:
        return None
    head = raw[:end]
    lines = head.split(b"\r\n")
    if _OTHER_BREAKS.search(head.replace(b"\r\n", b"")):
        return None  # a bare CR or LF, a vertical tab … end a line for the email package too
    found: list[bytes | None] = [None, None]
    previous = -1  # which wanted field the line before was (a continuation of it: the full parse)
    for line in lines:
        if line[:1] in (b" ", b"\t"):
            if previous >= 0:
                return None
            continue
        name, colon, value = line.partition(b":")
        if not colon or not name or line.startswith(b"From ") or not _FIELD_NAME.fullmatch(name):
            return None  # not a field: the email package ends the header block there (or sees a defect)
        which = _WANTED.get(name.lower(), -1)
        previous = which
        if which >= 0 and found[which] is None:
            if not _PLAIN.fullmatch(value) or b"=?" in value:
                return None
            found[which] = value
        elif which >= 0:
            previous = -1  # a second one: the first counts
    message_id, subject = (_value(v) for v in found)
    if message_id:
        seen = f"{(message.sender or '').lower()}\n{message_id}".encode()
        key = "mid:" + hashlib.sha256(seen).hexdigest()
    elif len(raw) <= QUICK_RAW_LIMIT:
        key = "sha256:" + hashlib.sha256(raw).hexdigest()
    else:
        return None
    return key, drop_controls(subject) if subject else None


def _value(value: bytes | None) -> str | None:
    """A plain field's value as `_header` gives it."""
    if value is None:
        return None
    return value.decode("ascii").lstrip(" \t")[:_DECODE_LIMIT].strip() or None


def dedup_key(message: RawMessage) -> str:
    """Identify a message across resends: its Message-ID from this sender, else a hash of its bytes.

    A vendor that resends the same mail (same Message-ID) gets one stored message, so one lead.
    """
    message_id = _header(message.raw, "Message-ID") if message.channel == "smtp" else None
    if message_id:
        seen = f"{(message.sender or '').lower()}\n{message_id.strip()}".encode()
        return "mid:" + hashlib.sha256(seen).hexdigest()
    return "sha256:" + hashlib.sha256(message.raw).hexdigest()


def subject_of(message: RawMessage) -> str | None:
    subject = _header(message.raw, "Subject") if message.channel == "smtp" else None
    return drop_controls(subject) if subject else None
