"""What can be known of a message from its headers alone, cheaply, before it is processed."""

from __future__ import annotations

import hashlib
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from email.policy import compat32

from parsers.lead import RawMessage
from parsers.limits import drop_controls

_HEADERS = BytesHeaderParser(policy=compat32)
#: characters of a header value decoded here (RFC 5322 advises lines of 78; a 1 MB encoded-word subject
#: took 6 s to decode before the sender had its answer)
_DECODE_LIMIT = 4096


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
