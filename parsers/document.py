"""From raw bytes to a ``Document``: sniffing what arrived (MIME email, JSON, XML, HTML, plain text).

``load_document`` is pure and bounded: it refuses oversized input and binary garbage with an
``ExtractionError`` whose message says what is wrong with the input, and otherwise always produces
readable text. A MIME email whose body or attachment is itself a payload (an ADF lead mailed as
text/plain, a JSON attachment) becomes a document of that payload's kind, keeping the mail's sender
and subject.
"""

from __future__ import annotations

import email.utils
import json
import re
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import parse_qsl

from parsers.attachments import card_payload, is_card, is_sheet, sheet_payload
from parsers.form_data import form_data
from parsers.html import html_to_text
from parsers.lead import ExtractionError
from parsers.limits import clip_fields, looks_binary
from parsers.mime import MailDoc, decode_bytes, mail_from_parts, parse_mail

#: larger inputs are refused: no lead notification comes near this
MAX_BYTES = 25 * 1024 * 1024

Kind = Literal["text", "html", "xml", "json"]

_MAIL_HEADERS = frozenset({
    "from", "to", "subject", "date", "received", "return-path", "mime-version", "message-id", "delivered-to",
    "content-type", "reply-to", "sender", "cc", "dkim-signature", "arc-seal", "authentication-results",
    "x-mailer", "x-originating-ip", "content-transfer-encoding", "user-agent", "thread-topic", "importance",
    "in-reply-to", "references", "envelope-to", "x-received", "arc-message-signature", "list-unsubscribe",
})
_HEADER = re.compile(rb"^([A-Za-z][A-Za-z0-9-]{0,60}):[ \t]?")
_HTML_HINT = re.compile(r"<(?:!doctype\s+html|html|body|head|table|div|p|br|span|td|font|center|meta)\b",
                        re.IGNORECASE)
_XML_START = re.compile(r"^(?:<\?xml|<\?adf|<adf\b|<leadlist\b|<\?[A-Za-z]|<[A-Za-z_][\w.:-]*[\s>/])",
                        re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Payload:
    """A structured payload found in a message (the body itself or an attachment)."""

    kind: Literal["xml", "json"]
    text: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Document:
    """One message, readable: the text readers work on plus what the mail headers said."""

    kind: Kind
    #: readable text: the plain body, HTML flattened, or the payload's text
    text: str
    html: str | None = None
    subject: str | None = None
    sender_name: str | None = None
    sender_email: str | None = None
    reply_to: str | None = None
    reply_to_name: str | None = None
    signature: str = ""
    quoted: str = ""
    is_mail: bool = False
    forwarded: bool = False
    #: the addresses the mail was written to (To, Cc, a forward's original To): the recipient's side
    recipients: tuple[str, ...] = ()
    #: structured payloads to read first (for kind xml/json: the body; for mail: attachments too)
    payloads: tuple[Payload, ...] = ()
    warnings: tuple[str, ...] = field(default_factory=tuple)
    #: parsed JSON of a json document, filled by the reader
    data: Any = None


def looks_like_mail(data: bytes, name_hint: str | None = None) -> bool:
    """True when the bytes start with an RFC 5322 header block."""
    hint = (name_hint or "").lower()
    if hint.endswith((".json", ".xml", ".html", ".htm", ".txt", ".adf")):
        return False
    if hint.endswith((".eml", ".msg", ".mbox")) and data.lstrip()[:1] not in (b"{", b"[", b"<"):
        return True
    head = data[:16384].lstrip(b"\r\n")
    if head.startswith(b"From ") and b"\n" in head:
        head = head.split(b"\n", 1)[1]
    known = 0
    for k, line in enumerate(head.split(b"\n")[:60]):
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            continue
        m = _HEADER.match(line)
        if not m:
            return False
        if m.group(1).decode("ascii").lower() in _MAIL_HEADERS or m.group(1).lower().startswith(b"x-"):
            known += 1
        elif k == 0:
            return False
    return known >= 2


_MIME_HEADER = re.compile(rb"^(?:mime-version|content-type|content-transfer-encoding):", re.IGNORECASE | re.MULTILINE)


def is_saved_mail(data: bytes, name_hint: str | None = None) -> bool:
    """A raw MIME mail saved as a text file: a mail's header block (with its MIME headers) under a ``.txt`` name."""
    if not (name_hint or "").lower().endswith(".txt") or not looks_like_mail(data):
        return False
    head = data[:16384].replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    return bool(_MIME_HEADER.search(head))


def sniff_text(text: str) -> Kind:
    s = text.lstrip("\ufeff \t\r\n")
    if s[:1] in ("{", "[") and s.rstrip()[-1:] in ("}", "]"):
        return "json"
    if s.startswith("<"):
        head = s[:4096]
        if _HTML_HINT.search(head[:200]) or re.match(r"<!doctype\s+html", head, re.IGNORECASE):
            return "html"
        if _XML_START.match(s):
            return "xml"
        return "html"
    if len(_HTML_HINT.findall(s[:20000])) >= 3:
        return "html"
    return "text"


def load_document(raw: bytes, name_hint: str | None = None) -> Document:
    """Sniff and read ``raw``. Raises ExtractionError for empty, oversized or binary input."""
    if len(raw) > MAX_BYTES:
        raise ExtractionError(f"message too large ({len(raw) // (1024 * 1024)} MB; the limit is "
                              f"{MAX_BYTES // (1024 * 1024)} MB)")
    if not raw.strip():
        raise ExtractionError("empty message")
    if looks_binary(raw):
        raise ExtractionError("binary data, not a readable lead message")
    if looks_like_mail(raw, name_hint):
        return _bounded(_from_mail(parse_mail(raw)))
    text = decode_bytes(raw)
    return _bounded(_from_text(text, name_hint))


def _bounded(doc: Document) -> Document:
    """The document with the text its readers scan cut to ``parsers.limits`` (payloads are parsed whole)."""
    return clip_fields(doc, ("text", "signature", "quoted", "subject", "sender_name", "reply_to_name"))


def _from_text(text: str, name_hint: str | None = None) -> Document:
    kind = sniff_text(text)
    hint = (name_hint or "").lower()
    if hint.endswith(".json") and kind == "text":
        kind = "json"
    if kind == "html" and (hint.endswith((".xml", ".adf")) or "<!ENTITY" in text[:65536].upper()
                           or re.match(r"\s*<!DOCTYPE\s+(?!html)", text, re.IGNORECASE)):
        kind = "xml"  # an XML document with a DTD: the XML reader refuses entity declarations
    if kind == "text" and (form := _form_encoded(text) or form_data(text)) is not None:
        kind, text = "json", form  # a webhook's form post ("From=%2B1720…&FromCity=AURORA&…"): its keys and values
    if kind == "json":
        mail = _mail_in_json(text)
        if mail is not None:
            return _from_mail(mail)
        return Document("json", text, payloads=(Payload("json", text),))
    if kind == "xml":
        return Document("xml", text, payloads=(Payload("xml", text),))
    if kind == "html":
        return Document("html", html_to_text(text), html=text)
    return Document("text", text)


#: a form-encoded body (application/x-www-form-urlencoded): one line of key=value pairs
_FORM_ENCODED = re.compile(r"\s*[\w.\[\]%-]+=[^&\s]*(?:&[\w.\[\]%-]+=[^&\s]*)*\s*")
#: a bracketed form key ("data[merges][FNAME]"): PHP's and Rails' nesting
_FORM_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])+)$")


def _form_encoded(text: str) -> str | None:
    """A form-encoded body as the JSON object of its keys and values (the first value of a repeated key)."""
    if len(text) > 65536 or not _FORM_ENCODED.fullmatch(text):
        return None
    found = parse_qsl(text.strip(), keep_blank_values=False)
    if len(found) < 3 and not any(value.lstrip().startswith(("{", "[")) for _, value in found):
        return None  # "a=b": no form post, unless a value is a JSON document (Slack's "payload=…")
    pairs: dict[str, Any] = {}
    for key, value in found:
        _nest(pairs, key, value)
    return json.dumps(pairs, ensure_ascii=False)


def _nest(pairs: dict[str, Any], key: str, value: str) -> None:
    """Put one form value in: "data[merges][FNAME]=Ann" nested as {"data": {"merges": {"FNAME": "Ann"}}}."""
    m = _FORM_KEY.match(key)
    path = [m[1], *(p for p in re.findall(r"\[([^\[\]]*)\]", m[2]) if p)] if m else [key]
    node = pairs
    for parent in path[:-1]:
        child = node.setdefault(parent, {})
        if not isinstance(child, dict):
            pairs.setdefault(key, value)  # "a=1&a[b]=2": the plain key came first
            return
        node = child
    node.setdefault(path[-1], value)


#: keys of an inbound-parse webhook (SendGrid, Mailgun, Postmark, CloudMailin…) that carry the mail's parts,
#: casefolded, best first
_JSON_TEXT_KEYS = ("text", "body-plain", "textbody", "text_body", "plain", "body_plain", "stripped-text", "body")
_JSON_HTML_KEYS = ("html", "body-html", "htmlbody", "html_body", "stripped-html")
_JSON_FROM_KEYS = ("from", "sender", "from_email", "fromemail")
_JSON_NAME_KEYS = ("fromname", "from_name", "sender_name")
_JSON_SUBJECT_KEYS = ("subject",)
_JSON_REPLY_KEYS = ("reply_to", "replyto", "reply-to")
_JSON_TO_KEYS = ("to", "recipient", "tofull", "to_full")


def _mail_in_json(text: str) -> MailDoc | None:
    """The mail an inbound-parse webhook posts as JSON: a From with an address and a text or HTML body."""
    if len(text) > MAX_BYTES:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    for _ in range(2):  # the parts may sit one level down ({"mail": {…}}, {"data": {…}})
        if not isinstance(data, dict):
            return None
        keys = {str(k).casefold(): v for k, v in data.items()}
        sender = _first_str(keys, _JSON_FROM_KEYS)
        full = keys.get("fromfull") or keys.get("from_full")
        if isinstance(full, dict):
            sender = sender or str(full.get("Email") or full.get("email") or "")
        body = _first_str(keys, _JSON_TEXT_KEYS)
        html = _first_str(keys, _JSON_HTML_KEYS)
        if sender and "@" in sender and (body or html):
            return mail_from_parts(sender=sender, subject=_first_str(keys, _JSON_SUBJECT_KEYS), text=body, html=html,
                                   reply_to=_first_str(keys, _JSON_REPLY_KEYS),
                                   sender_name=_first_str(keys, _JSON_NAME_KEYS),
                                   recipients=_first_str(keys, _JSON_TO_KEYS))
        inner = [v for v in data.values() if isinstance(v, dict)]
        if len(inner) != 1:
            return None
        data = inner[0]
    return None


def _first_str(keys: dict[str, Any], names: tuple[str, ...]) -> str | None:
    for name in names:
        value = keys.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


#: an email address or a run of at least seven digits: what a text that carries a contact holds
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|\d(?:[\s()./-]{0,3}\d){6}")


def _converted_attachment(content_type: str, filename: str, text: str) -> str | None:
    """A contact card or a CSV export as the JSON payload it is read as."""
    if is_card(content_type, filename):
        return card_payload(text)
    if is_sheet(content_type, filename):
        return sheet_payload(text)
    return None


def _from_mail(mail: MailDoc) -> Document:
    payloads: list[Payload] = []
    for att in mail.attachments:
        text = decode_bytes(att.payload)
        found = sniff_text(text)
        if found in ("xml", "json"):
            payloads.append(Payload("xml" if found == "xml" else "json", text, att.filename))
        elif converted := _converted_attachment(att.content_type, att.filename, text):
            payloads.append(Payload("json", converted, att.filename))
    text = mail.text
    if not payloads and mail.subject and _CONTACT.search(mail.subject) and not _CONTACT.search(
            f"{text}\n{mail.signature}\n{mail.quoted}"):
        text = f"{mail.subject}\n\n{text}"  # "New lead: Ann Lee, ann@…, 555-…" and an empty body: the subject is it
    body_kind = sniff_text(mail.text)
    kind: Kind = "text"
    if body_kind == "xml" or body_kind == "json":
        payloads.insert(0, Payload(body_kind, mail.text.strip(), "body"))
        kind = body_kind
    elif body_kind == "text" and (form := _form_encoded(mail.text)) is not None:
        payloads.insert(0, Payload("json", form, "body"))  # a form post mailed as it was sent
        kind = "json"
    return Document(
        kind=kind,
        text=text,
        html=mail.html,
        subject=mail.subject,
        sender_name=mail.sender_name,
        sender_email=mail.sender_email,
        reply_to=mail.reply_to,
        reply_to_name=mail.reply_to_name,
        signature=mail.signature,
        quoted=mail.quoted,
        is_mail=True,
        forwarded=mail.forwarded,
        recipients=mail.recipients,
        payloads=tuple(payloads),
        warnings=mail.defects,
    )


def document_from_parts(
    *, body: str | None = None, html: str | None = None, payload: str | None = None,
    sender: str | None = None, subject: str | None = None,
) -> Document:
    """A document assembled from parts (a template's sample, a test)."""
    name, addr = email.utils.parseaddr(sender or "")
    if payload is not None:
        doc = _from_text(payload)
    elif html is not None:
        doc = Document("html", html_to_text(html), html=html)
    else:
        doc = Document("text", body or "")
    return Document(
        kind=doc.kind, text=doc.text, html=doc.html, subject=subject, sender_name=name or None,
        sender_email=addr or None, is_mail=sender is not None, payloads=doc.payloads,
    )
