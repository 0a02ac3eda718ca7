"""Reading a MIME email into readable text: the mail-parser wrapper.

``parse_mail`` never raises for broken mail: a wrong or missing charset is decoded with fallbacks
(declared → UTF-8 → Windows-1252 with replacement), broken transfer encodings give best-effort text,
and HTML is flattened by ``html_to_text`` keeping tables, definition lists and sibling blocks as
``Label: value`` lines. Text parts are preferred over HTML unless the text part is a stub.

Replies and forwards: the original inquiry below a "Forwarded message" header (or Outlook's
``From:/Sent:`` block) is returned as ``original`` with its own sender and subject, because a lead
forwarded by a salesperson is about the forwarded message, not the forwarder. A reply keeps the new
text on top and the quoted original separately. Signatures (RFC 3676 ``-- `` and the common mobile
lines) are split off but kept, since a direct inquiry's signature often holds the sender's phone.
"""

from __future__ import annotations

import base64
import binascii
import codecs
import contextlib
import email
import email.header
import email.message
import email.policy
import email.utils
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import mailparser
from mailparser.exceptions import MailParserRecursionError
from mailparser.utils import get_addresses

from parsers.attachments import calendar_text, is_calendar
from parsers.html import html_to_text
from parsers.limits import clip_mail, drop_controls, looks_binary
from parsers.quotes import (
    FORWARD_MARKER,
    FORWARD_SUBJECT,
    OUTLOOK_HEADER,
    REPLY_MARKER,
    read_header_block,
    split_signature,
    unquote,
)

# mail-parser logs parse trouble as warnings; without a handler of the application's, Python's last-resort
# handler would print them on stderr for every odd mail
logging.getLogger("mailparser").addHandler(logging.NullHandler())

#: MIME types and file name endings of attachments that may carry a lead (contact cards and CSV exports are
#: brought to JSON by ``parsers.attachments``)
LEAD_ATTACHMENT_TYPES = ("xml", "json", "adf", "vcard", "x-vcard", "directory", "csv", "comma-separated-values")
LEAD_ATTACHMENT_SUFFIXES = (".xml", ".json", ".adf", ".vcf", ".vcard", ".csv")


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    payload: bytes


@dataclass(frozen=True, slots=True)
class MailDoc:
    """The readable content of one email."""

    subject: str | None
    sender_name: str | None
    sender_email: str | None
    reply_to: str | None
    #: the body as text: the new text of a reply, or the forwarded message; signature removed
    text: str
    #: the HTML part as received (for template HTML-cell rules), if any
    html: str | None
    signature: str = ""
    #: the quoted original below a reply marker, unquoted
    quoted: str = ""
    forwarded: bool = False
    attachments: tuple[Attachment, ...] = ()
    defects: tuple[str, ...] = field(default_factory=tuple)
    #: the display name of Reply-To, when it names someone
    reply_to_name: str | None = None
    #: the addresses the mail was written to (To, Cc; a forward's original To too): the recipient's side, so a
    #: firm these domains spell is the recipient's, not the sender's
    recipients: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------- charset


_SINGLE_BYTE_LATIN = frozenset({
    "iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "iso-8859-15", "iso8859-15", "latin-9", "cp1252",
    "windows-1252", "us-ascii", "ascii", "cp819", "ansi-x3.4-1968",
})


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Text from bytes: the declared charset if it decodes cleanly, else UTF-8, else Windows-1252; without NUL
    and the other control characters no text uses (``parsers.limits.drop_controls``)."""
    return drop_controls(_decode(data, charset))


def _decode(data: bytes, charset: str | None) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    declared = (charset or "").strip().strip('"').lower()
    if declared and not data.isascii() and declared.replace("_", "-") in _SINGLE_BYTE_LATIN:
        # mislabelled mail is common: UTF-8 bytes declared as Latin-1. Real Latin-1 text with accents is
        # almost never valid UTF-8, so a strict UTF-8 decode that succeeds is the better reading.
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    tried: list[str] = []
    for cs in (charset, "utf-8"):
        if not cs:
            continue
        try:
            name = codecs.lookup(cs.strip().strip('"').lower()).name
        except (LookupError, ValueError):
            continue
        if name in tried:
            continue
        tried.append(name)
        try:
            return data.decode(name)
        except (UnicodeDecodeError, ValueError, LookupError):  # LookupError: a non-text codec (zlib, rot13)
            continue
    return data.decode("cp1252", errors="replace")


# ---------------------------------------------------------------------------------------------- mail

def parse_mail(raw: bytes) -> MailDoc:
    """Parse raw RFC 5322 bytes. Never raises: broken mail yields what could be read.

    Header fields, body parts and lines are cut to ``parsers.limits`` first (mail-parser's header decoding
    is quadratic in a header's encoded words).
    """
    raw = clip_mail(raw)
    defects: list[str] = []
    msg: email.message.Message
    subject: str | None = None
    from_pairs: list[tuple[str, str]] = []
    attachments: list[Attachment] = []
    try:
        msg, subject_value, from_values, attachments = _mail_parser_read(raw)
        subject = subject_value or None
        if isinstance(subject, list):  # two Subject headers: mail-parser hands back a list
            subject = str(subject[0]) if subject else None
        from_pairs = [(str(n), str(a)) for n, a in (from_values or []) if a or n]
    except Exception as exc:  # mail-parser raises assorted errors on broken input; stdlib never does
        defects.append(f"mail-parser failed ({type(exc).__name__}); read with the standard library")
        msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    if subject is None:
        subject = _decode_header(msg.get("Subject"))
    if not from_pairs:
        name, addr = email.utils.parseaddr(_decode_header(msg.get("From")) or "")
        if name or addr:
            from_pairs = [(name, addr)]
    reply_to_name, reply_to_addr = email.utils.parseaddr(_decode_header(msg.get("Reply-To")) or "")
    reply_to = drop_controls(reply_to_addr) or None
    plain, html = _bodies(msg, attachments)
    if not plain.strip() and not html:
        plain = _fields_as_headers(msg)
    text = plain
    html_text = html_to_text(html) if html else ""
    if html and _html_richer(plain, html_text):
        text = html_text
    sender_name, sender_email = (drop_controls(v) for v in (from_pairs[0] if from_pairs else ("", "")))
    reply_to_name = drop_controls(reply_to_name)
    recipients = addresses_of(*(str(v) if "=?" not in (v := str(msg.get(h) or "")) else _decode_header(v)
                                for h in ("To", "Cc")))
    return _split_thread(
        MailDoc(
            subject=drop_controls(subject or "").strip() or None,
            sender_name=sender_name.strip().strip('"') or None,
            sender_email=sender_email.strip() or None,
            reply_to=reply_to if reply_to and reply_to != sender_email else None,
            reply_to_name=(reply_to_name.strip().strip('"') or None) if reply_to and reply_to != sender_email else None,
            text=text,
            html=html or None,
            attachments=tuple(attachments),
            defects=tuple(defects),
            recipients=recipients,
        )
    )


def _mail_parser_read(raw: bytes) -> tuple[email.message.Message, Any, Any, list[Attachment]]:
    """The parsed message, its Subject and From as mail-parser decodes them, and its lead attachments.

    A mail of text parts named as no file (most lead mails) holds no attachment ``_attachments`` keeps, so its
    two headers are decoded by mail-parser's own functions on the one stdlib parse, without the rest of
    ``MailParser``'s work we do not use (every address header, dates, the Received chain, each part's body and a
    walk of the parts that ``_bodies`` walks again: ~0.15 ms a mail, issue 11). Any other mail is read by
    ``mailparser.MailParser`` whole.
    """
    try:
        msg = email.message_from_bytes(raw)
        if _text_parts_only(msg):
            with contextlib.suppress(Exception):  # whatever it is, MailParser below meets it too and decides
                return msg, mailparser.get_header(msg, "subject"), _mail_parser_from(msg), []
        parsed = mailparser.MailParser(msg)
    except RecursionError as exc:  # reported as mailparser.parse_from_bytes reports it
        raise MailParserRecursionError("Message nesting too deep to parse") from exc
    return msg, parsed.subject, parsed.from_, _attachments(parsed.attachments)


def _text_parts_only(msg: email.message.Message) -> bool:
    """A mail of text/plain and text/html parts only (in multipart containers), none naming a file or set apart by
    a Content-Disposition of its container, MIME headers in ASCII, no defect the parser noted: mail-parser finds no
    attachment in it that ``_attachments`` keeps (no lead type, no lead file ending)."""
    for part in msg.walk():
        if part.defects:
            return False
        ctype = part.get_content_type()
        if part.is_multipart():
            if not ctype.startswith("multipart/") or part.get("Content-Disposition") is not None:
                return False
        elif ctype not in ("text/plain", "text/html"):
            return False
        for header in ("Content-Type", "Content-Disposition"):
            for value in part.get_all(header) or ():
                text = str(value)
                if not text.isascii() or "name" in text.lower():
                    return False
    return True


def _mail_parser_from(msg: email.message.Message) -> list[tuple[str, str]]:
    """``MailParser.from_`` without a whole parse: the first From header's mailboxes with their display names
    decoded (mail-parser's ``get_addresses``), a name equal to its address dropped, mailboxes without address
    dropped."""
    values = msg.get_all("From") or []
    if not values:
        return []
    if isinstance(values[0], str):
        return list(_mailboxes(values[0]))
    return [("" if name == addr else name, addr)
            for name, addr in get_addresses(values[0], defects=[], decode_names=True) if addr]


@lru_cache(maxsize=1024)
def _mailboxes(header: str) -> tuple[tuple[str, str], ...]:
    """``_mail_parser_from``'s mailboxes of one From header as text: a pure function of it, so kept for the
    next mail (a portal sends every lead from the same From; mail-parser's reading is ~0.1 ms a header)."""
    return tuple(("" if name == addr else name, addr)
                 for name, addr in get_addresses(header, defects=[], decode_names=True) if addr)


def mail_from_parts(
    *, sender: str | None, subject: str | None, text: str | None, html: str | None, reply_to: str | None = None,
    sender_name: str | None = None, recipients: str | None = None,
) -> MailDoc:
    """A mail given as parts (an inbound-parse webhook's from/subject/text/html), split like a parsed one."""
    name, addr = email.utils.parseaddr(sender or "")
    if "@" not in addr:
        name, addr = (sender or "").strip(), ""
    reply_name, reply_addr = email.utils.parseaddr(reply_to or "")
    plain = text or ""
    html_text = html_to_text(html) if html else ""
    body = plain
    if html and _html_richer(plain, html_text):
        body = html_text
    other_reply = bool(reply_addr) and reply_addr != addr
    return _split_thread(MailDoc(
        subject=(subject or "").strip() or None,
        sender_name=(sender_name or name).strip().strip('"') or None,
        sender_email=addr.strip() or None,
        reply_to=reply_addr if other_reply else None,
        reply_to_name=(reply_name.strip().strip('"') or None) if other_reply else None,
        text=body,
        html=html or None,
        recipients=addresses_of(recipients),
    ))


def addresses_of(*headers: str | None) -> tuple[str, ...]:
    """The mail addresses in address headers ("Harborview <sales@harborview.com>, b@c.de"), lower-cased, in order."""
    found = email.utils.getaddresses([h for h in headers if h])
    return tuple(dict.fromkeys(a.strip().lower() for _n, a in found if "@" in a))


#: a relay's display name that names the person it relays: "Marisol Ketterman via LinkedIn", "Ana Lima através de X"
_RELAYED = re.compile(r"^\s*[\"']?(?P<name>[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){1,3})\s+(?:via|through|über|"
                      r"por medio de|atrav[ée]s de|par l'interm[ée]diaire de|tramite)\s+\S", re.IGNORECASE)


def relayed_name(display: str | None) -> str | None:
    """The person a relay's display name names ("Marisol Ketterman via LinkedIn" → "Marisol Ketterman"), or None.
    Whether that person is the lead (or an agent passing one on) is the reader's decision, not this one's."""
    m = _RELAYED.match(display or "")
    if not m or not all(w[:1].isupper() for w in m.group("name").split()):
        return None
    return m.group("name")


def _decode_header(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return str(email.header.make_header(email.header.decode_header(str(value))))
    except (email.errors.HeaderParseError, LookupError, UnicodeError, ValueError):
        return str(value)


#: an email address or a run of at least seven digits: what a body that carries a lead holds
_CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+|\d(?:[\s()./-]{0,3}\d){6}")
#: the endings of a text file sent as bytes (application/octet-stream) that is read like a text attachment
_TEXT_FILE_SUFFIXES = frozenset({"txt", "text", "htm", "html", "md"})
#: a body of base64 lines left encoded (a relay that dropped the Content-Transfer-Encoding header)
_BASE64_BODY = re.compile(r"(?:[A-Za-z0-9+/]{40,}={0,2}\r?\n)*[A-Za-z0-9+/]{2,}={0,2}\s*")


def _undo_base64(text: str) -> str:
    """A body that is nothing but base64 lines, decoded when it decodes to readable UTF-8 text."""
    stripped = text.strip()
    if len(stripped) < 40 or not _BASE64_BODY.fullmatch(stripped):
        return text
    try:
        decoded = base64.b64decode("".join(stripped.split()), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return text
    readable = all(ch.isprintable() or ch in "\r\n\t" for ch in decoded)
    return decoded if readable and " " in decoded else text


#: a forwarded mail sent as a file ("Quote request.eml" as application/octet-stream)
_MAIL_FILE_SUFFIXES = (".eml", ".msg")


def _filename(part: email.message.Message) -> str:
    """``part.get_filename() or ""``, without parsing the parameters of headers that cannot name a file: a
    parameter ``filename`` or ``name`` (RFC 2231's ``filename*`` too) spells "name" in the header's lower case."""
    headers: tuple[object, object] = (part.get("Content-Disposition"), part.get("Content-Type"))  # or a Header
    if all(h is None or (isinstance(h, str) and "name" not in h.lower()) for h in headers):
        return ""
    return part.get_filename() or ""


def _bodies(msg: email.message.Message, attachments: list[Attachment]) -> tuple[str, str]:
    """The plain and HTML bodies. A mail attached whole (message/rfc822, an .eml file) is read as a forward
    of it; a text or HTML file attached to a body that holds no address or number is read as the body."""
    plains: list[str] = []
    htmls: list[str] = []
    files: list[str] = []
    inner_parts: set[int] = set()
    for part in msg.walk():
        if id(part) in inner_parts:
            continue
        # each read once: a header's parameters are parsed again on every get_filename/get_content_type
        ctype, multipart = part.get_content_type(), part.is_multipart()
        filename = "" if multipart else _filename(part)
        inner = _attached_mail(part, ctype, filename, multipart)
        if inner is not None:
            inner_parts.update(id(p) for p in inner.walk())
            plains.append(_forward_block(inner, attachments))
            continue
        if multipart:
            continue
        if ctype.startswith("multipart/"):
            ctype = "text/plain"  # a multipart without a boundary: its body is all there is
        disposition = str(part.get("Content-Disposition") or "").lower()
        payload = _payload(part)
        is_attachment = "attachment" in disposition or bool(filename)
        if any(t in ctype for t in LEAD_ATTACHMENT_TYPES) or filename.lower().endswith(LEAD_ATTACHMENT_SUFFIXES):
            if not any(a.filename == filename and a.payload == payload for a in attachments):
                attachments.append(Attachment(filename, ctype, payload))
            if is_attachment:
                continue
        charset = part.get_content_charset()
        if looks_binary(payload) and not (charset or "").lower().startswith(("utf-16", "utf-32")):
            continue  # an image or random bytes, whatever the part says: nothing the text readers can use
        if is_calendar(ctype, filename):
            # a booking's invitation: its notes and attendees, read when the body holds no contact
            if event := calendar_text(decode_bytes(payload, charset)):
                files.append(event)
            continue
        if is_attachment:
            suffix = filename.lower().rpartition(".")[2]
            if ctype in ("text/plain", "text/html") or suffix in _TEXT_FILE_SUFFIXES:
                text = decode_bytes(payload, charset)
                files.append(html_to_text(text) if ctype == "text/html" or suffix.startswith("htm") else text)
            continue
        if ctype == "text/html":
            htmls.append(decode_bytes(payload, charset))
        elif ctype.startswith("text/") or ctype.startswith("application/"):
            plains.append(_undo_base64(decode_bytes(payload, charset)))
    plain, html = "\n\n".join(plains), "\n".join(htmls)
    if files and not _CONTACT.search(plain) and not _CONTACT.search(html_to_text(html) if html else ""):
        plain = "\n\n".join([plain, *files]).strip()
    return plain, html


#: header names a mail system writes; any other "Name: value" line in the header block is a body line
_SYSTEM_HEADERS = frozenset({
    "from", "to", "cc", "bcc", "subject", "date", "received", "return-path", "mime-version", "message-id",
    "delivered-to", "reply-to", "sender", "in-reply-to", "references", "envelope-to", "user-agent", "importance",
    "thread-topic", "thread-index", "priority", "precedence", "organization", "keywords", "comments", "errors-to",
    "disposition-notification-to", "accept-language", "auto-submitted", "feedback-id", "bounces-to", "received-spf",
})
_SYSTEM_PREFIXES = ("x-", "content-", "list-", "arc-", "dkim-", "authentication-", "resent-", "return-", "ms-")


def _fields_as_headers(msg: email.message.Message) -> str:
    """The body of a mail written without the blank line after its headers ("Subject: …" then "Name: Ann"):
    the header block's lines that no mail system writes, as "Label: value" lines."""
    lines = [f"{name}: {_decode_header(value) or ''}" for name, value in msg.items()
             if name.lower() not in _SYSTEM_HEADERS and not name.lower().startswith(_SYSTEM_PREFIXES)]
    return "\n".join(lines) if len(lines) >= 2 else ""


def _payload(part: email.message.Message) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except (ValueError, binascii.Error, AssertionError):
        payload = None
    if not isinstance(payload, bytes):
        raw_payload = part.get_payload()
        payload = raw_payload.encode("utf-8", "replace") if isinstance(raw_payload, str) else b""
    return payload


def _attached_mail(part: email.message.Message, ctype: str, filename: str,
                  multipart: bool) -> email.message.Message | None:
    """The mail a part (of content type ``ctype``, file name ``filename``) holds whole: a message/rfc822 part, or
    an .eml file sent as bytes."""
    if ctype == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], email.message.Message):
            return inner[0]
        return None
    if multipart or not filename.lower().endswith(_MAIL_FILE_SUFFIXES):
        return None
    data = _payload(part)
    if looks_binary(data):
        return None  # an Outlook .msg is a binary compound file, not a mail this reader can split
    inner_msg = email.message_from_bytes(data, policy=email.policy.compat32)
    return inner_msg if inner_msg.get("From") else None


def _forward_block(inner: email.message.Message, attachments: list[Attachment]) -> str:
    """An attached mail written as a forward (marker line, its headers, its body), so ``_split_thread`` reads
    the lead from it as from any forward."""
    plain, html = _bodies(inner, attachments)
    html_text = html_to_text(html) if html else ""
    body = html_text if html and _html_richer(plain, html_text) else plain
    head = [f"{name}: {value}" for name in ("From", "Date", "Subject", "To")
            if (value := _decode_header(inner.get(name)))]
    return "---------- Forwarded message ---------\n" + "\n".join(head) + "\n\n" + body


def _html_richer(plain: str, html_text: str) -> bool:
    """True when the HTML part is the one to read: the text part is empty, a stub, or a placeholder
    ("view this mail in a browser") holding no address or number the HTML holds."""
    short = plain.strip()
    if not short:
        return True
    if len(short) >= 200:
        return False
    return len(html_text) > 5 * len(short) or (not _CONTACT.search(short) and bool(_CONTACT.search(html_text)))


def _attachments(items: Any) -> list[Attachment]:
    out: list[Attachment] = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        name = str(item.get("filename") or "")
        ctype = str(item.get("mail_content_type") or "").lower()
        if not (any(t in ctype for t in LEAD_ATTACHMENT_TYPES) or name.lower().endswith(LEAD_ATTACHMENT_SUFFIXES)):
            continue
        payload = item.get("payload") or ""
        data: bytes
        if item.get("binary") or str(item.get("content_transfer_encoding", "")).lower() == "base64":
            try:
                data = base64.b64decode(str(payload), validate=False)
            except (binascii.Error, ValueError):
                data = str(payload).encode("utf-8", "replace")
        else:
            data = str(payload).encode("utf-8", "replace")
        out.append(Attachment(name, ctype, data))
    return out


def _split_thread(doc: MailDoc) -> MailDoc:
    text = doc.text.replace("\r\n", "\n").replace("\r", "\n")
    fwd = FORWARD_MARKER.search(text)
    outlook = OUTLOOK_HEADER.search(text)
    starts = [m.start() for m in (fwd, outlook) if m]
    if starts:
        cut = min(starts)
        head = text[:cut]
        rest = text[fwd.end():] if fwd and fwd.start() == cut else text[cut:]
        rest = unquote(rest)
        headers, original = read_header_block(rest)
        if original.strip():
            sender_name, sender_email = email.utils.parseaddr(headers.get("from", ""))
            if "@" not in sender_email:
                sender_name, sender_email = "", ""
            # a forward: the lead is the forwarded message; a reply with an Outlook header: keep the new text.
            # Outlook writes no marker line above a forwarded header block: "FW:" in the subject says it
            if fwd or not head.strip() or FORWARD_SUBJECT.match(doc.subject or ""):
                body, signature = split_signature(original)
                return _replace(doc, text=body, signature=signature, forwarded=True,
                                quoted=head.strip(),
                                recipients=tuple(dict.fromkeys((*doc.recipients,
                                                                *addresses_of(headers.get("to"))))),
                                sender_name=sender_name or None, sender_email=sender_email or None,
                                reply_to=None, reply_to_name=None,
                                subject=headers.get("subject") or doc.subject)
            body, signature = split_signature(head)
            return _replace(doc, text=body, signature=signature, quoted=original)
    reply = REPLY_MARKER.search(text)
    if reply:
        head, quoted = text[: reply.start()], unquote(text[reply.end():])
        body, signature = split_signature(head)
        writer = _WRITER.search(reply.group(0))
        if not body.strip() and not signature.strip() and quoted.strip() and writer:
            # nothing written above "On …, Ann Lee <ann@…> wrote:": the quoted mail is passed on, like a forward
            original, signature = split_signature(quoted)
            return _replace(doc, text=original, signature=signature, forwarded=True,
                            sender_name=(writer["name"] or "").strip(' "') or None, sender_email=writer["addr"],
                            reply_to=None, reply_to_name=None)
        return _replace(doc, text=body, signature=signature, quoted=quoted.strip())
    lines = text.rstrip().split("\n")
    k = len(lines)
    while k > 0 and (lines[k - 1].startswith(">") or not lines[k - 1].strip()):
        k -= 1
    if k < len(lines) and any(x.startswith(">") for x in lines[k:]) and k > 0:
        body, signature = split_signature("\n".join(lines[:k]))
        return _replace(doc, text=body, signature=signature, quoted=unquote("\n".join(lines[k:])).strip())
    body, signature = split_signature(text)
    return _replace(doc, text=body, signature=signature)


#: the writer a reply marker names: "Ann Lee <ann@example.com>"
_WRITER = re.compile(r"(?:(?:^|[,\n]|\d:\d\d(?:\s*[ap]\.?m\.?)?)\s*(?:schrieb\s+|schreef\s+)?"
                     r"(?P<name>[^<>\n,\d:]*?)\s*)?<(?P<addr>[^<>\s@]+@[^<>\s@]+\.[^<>\s@]+)>", re.IGNORECASE)


def _replace(doc: MailDoc, **changes: Any) -> MailDoc:
    values = {name: getattr(doc, name) for name in doc.__slots__}
    values.update(changes)
    return MailDoc(**values)
