"""Bounds on what the readers see of one message, so that no input costs more than a fraction of a second.

Lead messages are short: a form's fields, a few paragraphs, an ADF document. Hostile or broken input is not:
a 1 MB encoded-word subject, a 4 MB base64 part, a 300,000-character token without a space, a 500 KB
"Name:" line. Regular expressions, mail-parser's header decoding and spaCy's tokenizer all cost more than
linear time on some of these, so the input is cut *before* they see it, at the readers' entry points:

    clip_mail(raw)       bytes of an RFC 5322 message: every header field (folded lines included) to
                         MAX_HEADER_CHARS, every run of body lines between MIME boundaries (a part) to
                         MAX_PART_BYTES, every body line to MAX_LINE_BYTES          (parsers.mime.parse_mail)
    clip_text(text)      readable text: lines to MAX_LINE_CHARS, runs without white space to
                         MAX_TOKEN_CHARS, the whole to MAX_TEXT_CHARS         (parsers.document.load_document)
    clip_field(value)    one field value (an XML text node, a JSON string, a label's value) to
                         MAX_FIELD_CHARS                                     (parsers.fields.Collector.add)
    too_many_tags(xml)   an XML document of more than MAX_XML_TAGS tags is refused unparsed  (parsers.adf)
    looks_binary(data)   bytes that are no text (an image, random bytes in a "text/plain" part) are not
                         read as text at all                 (parsers.document.load_document, mime parts)
    drop_controls(text)  a text with a few stray NUL or control bytes is read without them
                                                                  (parsers.mime.decode_bytes, header values)

Every function here runs in linear time and never raises. What is cut is gone from the lead, never from the
stored message: the raw bytes stay as received, for ``leadbot replay`` after a limit is raised.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TypeVar

#: characters of one header field, its folded continuation lines included (RFC 5322 §2.1.1 allows 998 per
#: line; a subject or an address list of four such lines is already far beyond any lead notification)
MAX_HEADER_CHARS = 4_096
#: bytes of one body part as transferred (base64 of about 190 KB of content): a lead's text or HTML part, or
#: an ADF/JSON attachment, is a few KB; images and documents carry nothing the readers use
MAX_PART_BYTES = 256 * 1024
#: bytes of one body line as transferred (a base64 part without line breaks, a 500 KB "Name:" line)
MAX_LINE_BYTES = 16 * 1024
#: characters of one line of readable text ("Message: …" written as one paragraph stays whole)
MAX_LINE_CHARS = 4_000
#: characters of a run without white space: an email address is at most 254 (RFC 5321 §4.5.3.1.3), a
#: listing's URL rarely more; spaCy's tokenizer and the label patterns re-scan a run once per affix
MAX_TOKEN_CHARS = 256
#: characters of readable text per message that the label and free-text readers look at (a lead mail's
#: text, its HTML flattened, is a few thousand)
MAX_TEXT_CHARS = 50_000
#: characters of one field value (a name, a phone, a comment), wherever it came from
MAX_FIELD_CHARS = 4_000
#: tags ("<") in one XML document: an ADF lead has about 40, a list of 300 leads about 20,000; 50,000
#: nested elements cost the pure-Python tree builder a tenth of a second before a reader sees one
MAX_XML_TAGS = 25_000

_LONG_LINE = re.compile(rf"(?m)^([^\n]{{{MAX_LINE_CHARS}}})[^\n]+")
# anchored at the start of a run (the look-behind), so each run is scanned once: linear in the text
_LONG_TOKEN = re.compile(rf"(?<!\S)(\S{{{MAX_TOKEN_CHARS}}})\S+")
_BOUNDARY = b"--"
_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32), 127])
_CONTROL_CHARS = dict.fromkeys(_CONTROL_BYTES)
_HAS_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
#: how binary formats a mail may carry begin: PDF, PNG, JPEG, GIF, ZIP (and Office files), gzip, 7-Zip, RAR,
#: OLE2 (old Office files), ELF
BINARY_MAGIC = (b"%PDF-", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"PK\x03\x04",
                b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
                b"\x7fELF")
#: bytes looked at to tell text from binary data
_BINARY_SAMPLE = 65_536

T = TypeVar("T")


def clip_text(text: str) -> str:
    """``text`` with every line, every run without white space, and the whole cut to their limits."""
    if len(text) > MAX_TOKEN_CHARS:
        # lines first: a 100,000-character "Name:" line must not push the "Email:" line below it out
        text = _LONG_LINE.sub(r"\1", text)
        text = _LONG_TOKEN.sub(r"\1", text)
    return text[:MAX_TEXT_CHARS] if len(text) > MAX_TEXT_CHARS else text


def clip_field(value: str) -> str:
    """One field value cut to ``MAX_FIELD_CHARS`` (and its runs without white space to ``MAX_TOKEN_CHARS``)."""
    if len(value) <= MAX_TOKEN_CHARS:
        return value
    return _LONG_TOKEN.sub(r"\1", value[:MAX_FIELD_CHARS])


def clip_fields(item: T, names: tuple[str, ...]) -> T:
    """A copy of the dataclass ``item`` with its string fields ``names`` passed through ``clip_text``."""
    changes = {}
    for name in names:
        value = getattr(item, name)
        if isinstance(value, str):
            clipped = clip_text(value)
            if clipped is not value:
                changes[name] = clipped
    return dataclasses.replace(item, **changes) if changes else item  # type: ignore[type-var]


def too_many_tags(xml: str) -> bool:
    """Whether the XML document ``xml`` has more tags than any lead document (``MAX_XML_TAGS``)."""
    return len(xml) > MAX_XML_TAGS and xml.count("<") > MAX_XML_TAGS


def looks_binary(data: bytes) -> bool:
    """Whether ``data`` is binary data rather than text in some charset: it starts with the signature of a
    binary format (``BINARY_MAGIC``), or more than one byte in 50 is a NUL or a control character that no
    text uses. A few such bytes in a text (a stray NUL from a web form) leave it text: ``drop_controls``
    takes them out once it is decoded. UTF-16 with its byte-order mark is text."""
    sample = data[:_BINARY_SAMPLE]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    if sample.startswith(BINARY_MAGIC):
        return True
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return controls > max(8, len(sample) // 50)


def drop_controls(text: str) -> str:
    """``text`` without NUL and the other control characters no text uses (tab, line and page breaks stay).

    PostgreSQL refuses NUL in a text column, and none of them carries anything a reader could use."""
    return text.translate(_CONTROL_CHARS) if _HAS_CONTROL.search(text) else text


def clip_mail(raw: bytes) -> bytes:
    """The raw message with its header fields, body parts and body lines cut to their limits.

    A part is a run of body lines between two lines that start with "--" (where any MIME boundary sits);
    cutting at whole lines keeps base64 and quoted-printable decodable. A message within the limits is
    returned as it is (the same object).
    """
    if len(raw) <= MAX_HEADER_CHARS:
        return raw
    lines = raw.splitlines(keepends=True)
    out: list[bytes] = []
    changed = False
    k = 0
    header = 0  # characters of the current header field so far
    while k < len(lines):
        line = lines[k]
        k += 1
        if line in (b"\r\n", b"\n", b"\r"):
            out.append(line)
            break
        if line[:1] not in (b" ", b"\t"):
            header = 0
        if header + len(line) > MAX_HEADER_CHARS:
            changed = True
            if header == 0:  # the field's first line: its start is kept; further folded lines are left off
                out.append(_cut(line, MAX_HEADER_CHARS) + _ending(line))
            header = MAX_HEADER_CHARS
            continue
        header += len(line)
        out.append(line)
    part = 0  # bytes of the current body part so far
    for line in lines[k:]:
        if line.startswith(_BOUNDARY):
            part = 0
            out.append(_cut(line, MAX_LINE_BYTES) + _ending(line) if len(line) > MAX_LINE_BYTES else line)
            changed = changed or len(line) > MAX_LINE_BYTES
            continue
        if part >= MAX_PART_BYTES:
            changed = True
            continue
        if len(line) > MAX_LINE_BYTES:
            changed = True
            line = _cut(line, MAX_LINE_BYTES) + _ending(line)
        part += len(line)
        out.append(line)
    return b"".join(out) if changed else raw


def _cut(line: bytes, size: int) -> bytes:
    """The first ``size`` bytes of ``line`` at most, its end of line left off, never splitting a UTF-8 character,
    and a multiple of 4 bytes (a base64 line cut there still decodes)."""
    body = line.rstrip(b"\r\n")
    if len(body) <= size:
        return body
    end = size - size % 4
    while end > 0 and body[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to where a character starts
        end -= 1
    return body[:end]


def _ending(line: bytes) -> bytes:
    return line[len(line.rstrip(b"\r\n")):] or b"\n"
