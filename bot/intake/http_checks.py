"""The HTTP ways in's checks at the edge, pure: signatures, bearer tokens, status tokens, body types, rate limits.

Nothing here does I/O; `bot.intake.http` (the aiohttp server) calls these and answers with `HttpProblem`.
Secrets are compared in constant time, and a caller's text that cannot be compared is a "no", never a 500.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl
from xml.etree.ElementTree import ParseError

import defusedxml.ElementTree as DET
from aiohttp import web
from defusedxml import DefusedXmlException

from parsers.adf import refuse_entities, sanitize_xml
from parsers.errors import InputError
from parsers.json_shapes import load_json
from parsers.lead import ExtractionError

JSON_TYPES = ("application/json", "text/json")
XML_TYPES = ("application/xml", "text/xml")
FORM_TYPE = "application/x-www-form-urlencoded"


class HttpProblem(InputError):
    """A request we refuse at the edge: the HTTP status and a JSON error the caller can act on."""

    def __init__(self, status: int, error: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.error, self.detail, self.extra = status, error, detail, extra

    def response(self) -> web.Response:
        # RFC 9110 §10.2.3: a 503 says when to come back.
        headers = {"Retry-After": str(self.extra["retry_after"])} if "retry_after" in self.extra else None
        return web.json_response({"error": self.error, "detail": self.detail, **self.extra}, status=self.status,
                                 headers=headers)



# ---- pure checks ------------------------------------------------------------------------------------


def hmac_hex(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    """``header`` is the hex HMAC-SHA256 of ``body`` with ``secret``, optionally prefixed "sha256="."""
    if not header or not header.isascii():  # compare_digest refuses non-ASCII str: a TypeError, not a "no"
        return False
    given = header.strip()
    if given.lower().startswith("sha256="):
        given = given[7:]
    return hmac.compare_digest(given.lower(), hmac_hex(secret, body))


def webhook_dedup_key(source: str, raw: bytes) -> str:
    """The same bytes are one message per source: a second source sending them has its own message."""
    return "http:" + hashlib.sha256(source.encode() + b"\n" + raw).hexdigest()


def status_token(key: str, source: str, message_id: int, expires: int) -> str:
    """``<expires>.<hex HMAC-SHA256>`` over the source, the message id and the expiry, with the source's key."""
    signed = f"leadbot status\n{source}\n{message_id}\n{expires}".encode()
    return f"{expires}.{hmac.new(key.encode(), signed, hashlib.sha256).hexdigest()}"


def status_token_check(key: str, source: str, message_id: int, token: str | None, now: float) -> int:
    """200 when ``token`` opens this message's status now; 401 missing, malformed or not ours; 403 expired."""
    if not token or not token.isascii():
        return 401
    expires, _, _ = token.partition(".")
    if not expires.isdigit() or len(expires) > 12:
        return 401
    if not hmac.compare_digest(token, status_token(key, source, message_id, int(expires))):
        return 401
    return 403 if int(expires) < now else 200


def bearer_ok(token: str, header: str | None) -> bool:
    scheme, _, given = (header or "").partition(" ")
    return scheme.lower() == "bearer" and secret_equal(given.strip(), token)


def secret_equal(given: str, expected: str) -> bool:
    """A constant-time comparison that says no (never raises) for any text a caller sends.

    Header values may hold lone surrogates (undecodable bytes) and JSON strings "\\ud800": plain
    ``str.encode()`` raises on both, which answered 500 where 401 is due.
    """
    return hmac.compare_digest(given.encode("utf-8", "surrogatepass"), expected.encode("utf-8", "surrogatepass"))


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def normalise_body(content_type: str | None, body: bytes) -> tuple[str, bytes]:
    """(kind, the bytes to store) for a webhook body, or HttpProblem 400/415 for one we cannot read.

    JSON and XML are stored exactly as received. Name-value pairs (form-encoded) are stored as the JSON
    object they spell (a repeated name keeps all its values, in order), which every reader understands.
    """
    kind = media_type(content_type)
    if not body.strip():
        raise HttpProblem(400, "empty_body", "the request has no body")
    if kind in JSON_TYPES or kind.endswith("+json"):
        try:
            data = load_json(body.decode("utf-8-sig"))
        except (UnicodeDecodeError, ExtractionError) as exc:
            raise HttpProblem(400, "invalid_json", f"the body is not valid JSON: {exc}") from None
        if not isinstance(data, (dict, list)):
            raise HttpProblem(400, "invalid_json", "the JSON body must be an object or an array")
        return "json", body
    if kind in XML_TYPES or kind.endswith("+xml"):
        # Stricter than the mail readers (which recover what they can): a provider posting XML gets told
        # at once that its document is not well-formed. Entity declarations are refused unread.
        try:
            refuse_entities(body)
            DET.fromstring(sanitize_xml(body.decode("utf-8", "replace")), forbid_dtd=False, forbid_entities=True,
                           forbid_external=True)
        except (ExtractionError, DefusedXmlException) as exc:
            raise HttpProblem(400, "invalid_xml", f"the body is refused: {exc}") from None
        except ParseError as exc:
            raise HttpProblem(400, "invalid_xml", f"the body is not well-formed XML: {exc}") from None
        return "xml", body
    if kind == FORM_TYPE:
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=False, strict_parsing=True)
        except (UnicodeDecodeError, ValueError) as exc:
            raise HttpProblem(400, "invalid_form", f"the body is not form-encoded name=value pairs: {exc}") from None
        if not pairs:
            raise HttpProblem(400, "invalid_form", "no name=value pairs in the body")
        merged: dict[str, Any] = {}
        for name, value in pairs:
            if name in merged:
                previous = merged[name]
                merged[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
            else:
                merged[name] = value
        return "form", json.dumps(merged, ensure_ascii=False).encode("utf-8")
    raise HttpProblem(
        415,
        "unsupported_media_type",
        f"Content-Type {kind or '(none)'} is not accepted",
        accepted=[*JSON_TYPES, *XML_TYPES, FORM_TYPE],
    )


def idempotency_key(source: str, header: str) -> str:
    return "idem:" + hashlib.sha256(f"{source}\n{header.strip()}".encode()).hexdigest()


def leadgen_ids(data: Any) -> list[str]:
    """The lead ids a Facebook page webhook announces (``entry[].changes[]`` with field "leadgen")."""
    found: list[str] = []
    if not isinstance(data, dict) or data.get("object") != "page":
        return found
    for entry in data.get("entry") or []:
        for change in (entry or {}).get("changes") or []:
            value = (change or {}).get("value") or {}
            if change.get("field") == "leadgen" and isinstance(value, dict) and value.get("leadgen_id"):
                found.append(str(value["leadgen_id"]))
    return found


class RateLimiter:
    """At most ``limit`` hits per ``window`` seconds per key (a client address), sliding window."""

    def __init__(self, limit: int, window: float = 3600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.window, self._clock = limit, window, clock
        self._hits: dict[str, deque[float]] = {}

    def allow(self, key: str) -> bool:
        now = self._clock()
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.window:
            hits.popleft()
        if len(self._hits) > 10_000:  # forget idle addresses so a scan cannot grow memory without bound
            for idle in [k for k, v in self._hits.items() if not v or v[-1] <= now - self.window]:
                del self._hits[idle]
            hits = self._hits.setdefault(key, hits)
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True


def client_address(remote: str | None, forwarded_for: str | None, trusted: tuple[str, ...]) -> str:
    """The client's address: the peer, or behind a trusted proxy the last untrusted X-Forwarded-For hop."""
    address = remote or "unknown"
    if address in trusted and forwarded_for:
        for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
            if hop not in trusted:
                return hop
    return address

