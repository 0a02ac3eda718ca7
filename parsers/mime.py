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
import email
import email.header
import email.message
import email.policy
import email.utils
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import mailparser
from lxml import etree

from parsers.labels import lookup_label

# mail-parser logs parse trouble as warnings; without a handler of the application's, Python's last-resort
# handler would print them on stderr for every odd mail
logging.getLogger("mailparser").addHandler(logging.NullHandler())

#: MIME types of attachments that may carry a lead
LEAD_ATTACHMENT_TYPES = ("xml", "json", "adf")


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


# ---------------------------------------------------------------------------------------------- charset


_SINGLE_BYTE_LATIN = frozenset({
    "iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "iso-8859-15", "iso8859-15", "latin-9", "cp1252",
    "windows-1252", "us-ascii", "ascii", "cp819", "ansi-x3.4-1968",
})


def decode_bytes(data: bytes, charset: str | None = None) -> str:
    """Text from bytes: the declared charset if it decodes cleanly, else UTF-8, else Windows-1252."""
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
    return data.decode("cp1252", errors="replace").replace("\x00", "")


# ---------------------------------------------------------------------------------------------- HTML → text

_SKIP_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template", "svg", "object", "iframe"})
_BLOCK_TAGS = frozenset({
    "p", "div", "tr", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tbody", "thead", "tfoot",
    "section", "article", "header", "footer", "nav", "aside", "blockquote", "pre", "hr", "form", "fieldset",
    "legend", "address", "center", "dl", "main", "figure", "figcaption", "caption", "body", "html",
})
_CELL_TAGS = frozenset({"td", "th", "dt"})
_IN_CELL_BREAKS = frozenset({"br", "p", "div"})
_CELL_BREAK = "\x0b"
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")


def html_to_text(html: str | bytes) -> str:
    """Flatten HTML to lines, keeping form structure: table rows and ``<dl>`` pairs become ``Label: value``.

    Runs in linear time (lxml's recovering parser, an event walk, no recursion), so a 10 MB page is
    a matter of a second or two, and never raises: unparseable input yields "".
    """
    data = html.encode("utf-8", errors="replace") if isinstance(html, str) else html
    if not data.strip():
        return ""
    parser = etree.HTMLParser(recover=True, no_network=True, remove_comments=True, remove_pis=True,
                              encoding="utf-8")
    try:
        root = etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):
        return ""
    if root is None:
        return ""
    out: list[str] = []
    skip = 0
    # True while directly inside a table cell (not inside a table nested in it): a line break there
    # separates a stacked "label<br>value" and is marked _CELL_BREAK, resolved by _tidy_lines
    cells: list[bool] = []
    for event, el in etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if event == "start":
            if tag in _SKIP_TAGS:
                skip += 1
            elif not skip:
                if tag in ("td", "th", "table"):
                    cells.append(tag != "table")
                if tag in _IN_CELL_BREAKS and cells and cells[-1]:
                    out.append(_CELL_BREAK)
                elif tag in _BLOCK_TAGS or tag == "br":
                    out.append("\n")
                if el.text:
                    out.append(_WS.sub(" ", el.text))
            continue
        if tag in _SKIP_TAGS:
            skip -= 1
        elif not skip:
            if tag in ("td", "th", "table") and cells:
                cells.pop()
            if tag in _IN_CELL_BREAKS and cells and cells[-1]:
                out.append(_CELL_BREAK)
            elif tag in _BLOCK_TAGS:
                out.append("\n")
            elif tag in _CELL_TAGS:
                out.append("\t")
            elif tag == "dd":
                out.append("\n")
        if not skip and el.tail:
            out.append(_WS.sub(" ", el.tail))
    return _tidy_lines("".join(out))


def _tidy_lines(text: str) -> str:
    rows: list[str] = []
    for raw in text.split("\n"):
        if _CELL_BREAK in raw:
            rows.extend(_stacked_cells(raw))
        else:
            rows.append(raw)
    lines: list[str] = []
    for raw in rows:
        if "\t" not in raw:
            line = raw.strip()
            if line or (lines and lines[-1]):
                lines.append(line)
            continue
        cells = [c.strip() for c in raw.split("\t")]
        cells = [c for c in cells if c]
        if not cells:
            continue
        lines.extend(_row_lines(cells))
    return "\n".join(lines).strip()


def _stacked_cells(raw: str) -> list[str]:
    """A row whose cells hold a label above their value ("<b>Email</b><br>ann@…"): one ``Label: value``
    line per cell; any other row with line breaks inside cells: the breaks, as lines."""
    cells = [c for c in raw.split("\t") if c.strip(" " + _CELL_BREAK)]
    if len(cells) == 2 and _CELL_BREAK not in cells[0].strip(" " + _CELL_BREAK):
        label = cells[0].strip(" " + _CELL_BREAK)
        values = [p.strip() for p in cells[1].split(_CELL_BREAK) if p.strip()]
        if _looks_like_label(label) and values:
            return [f"{label.rstrip(':： ')}: {values[0]}", *values[1:]]
    stacked: list[str] = []
    for cell in cells:
        parts = [p.strip() for p in cell.split(_CELL_BREAK) if p.strip()]
        if len(parts) >= 2 and len(parts[0]) <= 45 and lookup_label(parts[0].rstrip(":： ")) is not None \
                and not any(_looks_like_label(p.split(":")[0]) and ":" in p for p in parts[1:2]):
            stacked.extend([f"{parts[0].rstrip(':： ')}: {parts[1]}", *parts[2:]])
        else:
            stacked.extend(parts)
    return stacked


def _looks_like_label(cell: str) -> bool:
    return len(cell) <= 45 and (cell.endswith((":", "：")) or lookup_label(cell) is not None)


def _row_lines(cells: list[str]) -> list[str]:
    if len(cells) == 1:
        return cells
    if len(cells) == 2 and _looks_like_label(cells[0]):
        label = cells[0].rstrip(":： ")
        return [f"{label}: {cells[1]}"]
    if len(cells) % 2 == 0 and all(_looks_like_label(cells[k]) for k in range(0, len(cells), 2)):
        return [f"{cells[k].rstrip(':： ')}: {cells[k + 1]}" for k in range(0, len(cells), 2)]
    if len(cells) == 2 and len(cells[0]) <= 30 and not cells[0][-1:].isdigit():
        return [f"{cells[0].rstrip(':： ')}: {cells[1]}"]
    return ["  ".join(cells)]


# ---------------------------------------------------------------------------------------------- mail

_FORWARD_MARKER = re.compile(
    r"^[ >]*(?:-{2,}|_{2,})?\s*(?:forwarded message|original message|weitergeleitete nachricht|"
    r"urspr[üu]ngliche nachricht|mensaje reenviado|mensaje original|message transf[ée]r[ée])\s*(?:-{2,}|_{2,})?\s*$"
    r"|^[ >]*begin forwarded message:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_OUTLOOK_HEADER = re.compile(
    r"^[ >]*(?:from|von|de):[^\n]*\n[ >]*(?:sent|date|gesendet|datum|enviado|fecha|to|an|para):",
    re.IGNORECASE | re.MULTILINE,
)
_REPLY_MARKER = re.compile(
    r"^[ >]*(?:on\s.{0,200}?\swrote:|am\s.{0,200}?\sschrieb.{0,80}?:|el\s.{0,200}?\sescribi[óo]:|"
    r"le\s.{0,200}?\sa [ée]crit\s?:)\s*$",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)
_SIGNATURE = re.compile(
    r"^(?:-- ?|--|sent from my [^\n]{1,40}|von meinem [^\n]{1,40} gesendet|enviado desde mi [^\n]{1,40}|"
    r"get outlook for [^\n]{1,20})\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER_LINE = re.compile(r"^[ >]*(?P<name>[A-Za-zÀ-ÿ-]{2,20}):\s*(?P<value>.*)$")
_FROM_NAMES = {"from", "von", "de", "absender", "remitente"}
_SUBJECT_NAMES = {"subject", "betreff", "asunto", "objet"}
_OTHER_HEADER_NAMES = {"sent", "date", "to", "cc", "bcc", "reply-to", "gesendet", "datum", "an", "kopie",
                       "enviado", "fecha", "para", "envoy\u00e9", "envoye", "\u00e0", "a"}
_QUOTE_PREFIX = re.compile(r"^ ?>+ ?", re.MULTILINE)


def parse_mail(raw: bytes) -> MailDoc:
    """Parse raw RFC 5322 bytes. Never raises: broken mail yields what could be read."""
    defects: list[str] = []
    msg: email.message.Message
    subject: str | None = None
    from_pairs: list[tuple[str, str]] = []
    attachments: list[Attachment] = []
    try:
        parsed = mailparser.parse_from_bytes(raw)
        msg = parsed.message
        subject = parsed.subject or None
        if isinstance(subject, list):  # two Subject headers: mail-parser hands back a list
            subject = str(subject[0]) if subject else None
        from_pairs = [(str(n), str(a)) for n, a in (parsed.from_ or []) if a or n]
        attachments = _attachments(parsed.attachments)
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
    reply_to = reply_to_addr or None
    plain, html = _bodies(msg, attachments)
    text = plain
    html_text = html_to_text(html) if html else ""
    if html and (not plain.strip() or (len(plain.strip()) < 200 and len(html_text) > 5 * len(plain.strip()))):
        text = html_text
    sender_name, sender_email = (from_pairs[0] if from_pairs else ("", ""))
    return _split_thread(
        MailDoc(
            subject=(subject or "").strip() or None,
            sender_name=sender_name.strip().strip('"') or None,
            sender_email=sender_email.strip() or None,
            reply_to=reply_to if reply_to and reply_to != sender_email else None,
            reply_to_name=(reply_to_name.strip().strip('"') or None) if reply_to and reply_to != sender_email else None,
            text=text,
            html=html or None,
            attachments=tuple(attachments),
            defects=tuple(defects),
        )
    )


def _decode_header(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return str(email.header.make_header(email.header.decode_header(str(value))))
    except (email.errors.HeaderParseError, LookupError, UnicodeError, ValueError):
        return str(value)


def _bodies(msg: email.message.Message, attachments: list[Attachment]) -> tuple[str, str]:
    plains: list[str] = []
    htmls: list[str] = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = (part.get_content_type() or "text/plain").lower()
        disposition = str(part.get("Content-Disposition") or "").lower()
        try:
            payload = part.get_payload(decode=True)
        except (ValueError, binascii.Error, AssertionError):
            payload = None
        if not isinstance(payload, bytes):
            raw_payload = part.get_payload()
            payload = raw_payload.encode("utf-8", "replace") if isinstance(raw_payload, str) else b""
        filename = part.get_filename() or ""
        is_attachment = "attachment" in disposition or bool(filename)
        if any(t in ctype for t in LEAD_ATTACHMENT_TYPES) or filename.lower().endswith((".xml", ".json", ".adf")):
            if not any(a.filename == filename and a.payload == payload for a in attachments):
                attachments.append(Attachment(filename, ctype, payload))
            if is_attachment:
                continue
        if is_attachment:
            continue
        charset = part.get_content_charset()
        if ctype == "text/html":
            htmls.append(decode_bytes(payload, charset))
        elif ctype.startswith("text/") or ctype.startswith("application/"):
            plains.append(decode_bytes(payload, charset))
    return "\n\n".join(plains), "\n".join(htmls)


def _attachments(items: Any) -> list[Attachment]:
    out: list[Attachment] = []
    for item in items or []:
        if not isinstance(item, dict):
            continue
        name = str(item.get("filename") or "")
        ctype = str(item.get("mail_content_type") or "").lower()
        if not (any(t in ctype for t in LEAD_ATTACHMENT_TYPES) or name.lower().endswith((".xml", ".json", ".adf"))):
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


def split_signature(text: str) -> tuple[str, str]:
    """(body, signature): the signature starts at ``-- `` or a "Sent from my …" line."""
    m = _SIGNATURE.search(text)
    if not m:
        return text.strip(), ""
    return text[: m.start()].strip(), text[m.end():].strip()


def _split_thread(doc: MailDoc) -> MailDoc:
    text = doc.text.replace("\r\n", "\n").replace("\r", "\n")
    fwd = _FORWARD_MARKER.search(text)
    outlook = _OUTLOOK_HEADER.search(text)
    starts = [m.start() for m in (fwd, outlook) if m]
    if starts:
        cut = min(starts)
        head = text[:cut]
        rest = text[fwd.end():] if fwd and fwd.start() == cut else text[cut:]
        rest = _unquote(rest)
        headers, original = _read_quoted_headers(rest)
        if original.strip():
            sender_name, sender_email = email.utils.parseaddr(headers.get("from", ""))
            if "@" not in sender_email:
                sender_name, sender_email = "", ""
            # a forward: the lead is the forwarded message; a reply with an Outlook header: keep the new text
            if fwd or not head.strip():
                body, signature = split_signature(original)
                return _replace(doc, text=body, signature=signature, forwarded=True,
                                quoted=head.strip(),
                                sender_name=sender_name or None, sender_email=sender_email or None,
                                reply_to=None, reply_to_name=None,
                                subject=headers.get("subject") or doc.subject)
            body, signature = split_signature(head)
            return _replace(doc, text=body, signature=signature, quoted=original)
    reply = _REPLY_MARKER.search(text)
    if reply:
        head, quoted = text[: reply.start()], _unquote(text[reply.end():])
        body, signature = split_signature(head)
        return _replace(doc, text=body, signature=signature, quoted=quoted.strip())
    lines = text.rstrip().split("\n")
    k = len(lines)
    while k > 0 and (lines[k - 1].startswith(">") or not lines[k - 1].strip()):
        k -= 1
    if k < len(lines) and any(x.startswith(">") for x in lines[k:]) and k > 0:
        body, signature = split_signature("\n".join(lines[:k]))
        return _replace(doc, text=body, signature=signature, quoted=_unquote("\n".join(lines[k:])).strip())
    body, signature = split_signature(text)
    return _replace(doc, text=body, signature=signature)


def _replace(doc: MailDoc, **changes: Any) -> MailDoc:
    values = {name: getattr(doc, name) for name in doc.__slots__}
    values.update(changes)
    return MailDoc(**values)


def _unquote(text: str) -> str:
    return _QUOTE_PREFIX.sub("", text)


def _read_quoted_headers(text: str) -> tuple[dict[str, str], str]:
    """The header block at the top of a forwarded message and the text below it."""
    lines = text.lstrip("\n").split("\n")
    headers: dict[str, str] = {}
    i = 0
    while i < len(lines) and i < 15:
        line = lines[i]
        if not line.strip():
            if headers:
                i += 1
                break
            i += 1
            continue
        m = _HEADER_LINE.match(line)
        if not m:
            break
        name = m.group("name").lower()
        if name in _FROM_NAMES:
            headers["from"] = m.group("value").strip()
        elif name in _SUBJECT_NAMES:
            headers["subject"] = m.group("value").strip()
        elif name not in _OTHER_HEADER_NAMES:
            break  # a form field, not a forwarded header
        i += 1
    if not headers:
        return {}, text
    return headers, "\n".join(lines[i:])
