"""parsers.limits: what the readers see of hostile input is cut to its limits, and ordinary input is untouched."""

from __future__ import annotations

import base64
import random

from parsers.limits import (
    MAX_FIELD_CHARS,
    MAX_HEADER_CHARS,
    MAX_LINE_BYTES,
    MAX_LINE_CHARS,
    MAX_PART_BYTES,
    MAX_TEXT_CHARS,
    MAX_TOKEN_CHARS,
    MAX_XML_TAGS,
    clip_field,
    clip_mail,
    clip_text,
    drop_controls,
    looks_binary,
    too_many_tags,
)
from parsers.mime import parse_mail

HEAD = b"From: Lakeside Forms <forms@lakeside-kayaks.example>\r\nTo: sales@paddleworks.example\r\n"
LEAD = b"Name: Siobhan Achterberg\r\nEmail: siobhan@achterberg.example\r\nPhone: 207-555-0164\r\n"


def test_an_ordinary_mail_is_returned_as_it_is() -> None:
    raw = HEAD + b"Subject: Kayak rental\r\n\r\n" + LEAD * 40
    assert clip_mail(raw) is raw


def test_a_megabyte_encoded_word_subject_is_cut_and_the_body_kept() -> None:
    word = b"=?utf-8?b?" + base64.b64encode("Anfrage für Kajaks ".encode()) + b"?="
    raw = HEAD + b"Subject: " + b" ".join([word] * 30_000) + b"\r\n\r\n" + LEAD
    clipped = clip_mail(raw)
    header, _, body = clipped.partition(b"\r\n\r\n")
    assert max(len(line) for line in header.split(b"\r\n")) <= MAX_HEADER_CHARS
    assert body == LEAD
    mail = parse_mail(raw)
    assert mail.subject is not None and mail.subject.startswith("Anfrage für Kajaks")
    assert "siobhan@achterberg.example" in mail.text


def test_a_folded_header_keeps_its_first_lines_only() -> None:
    folded = b"Subject: Kayak\r\n" + b"\tand paddles\r\n" * 2_000
    raw = HEAD + folded + b"Reply-To: siobhan@achterberg.example\r\n\r\n" + LEAD
    header, _, _ = clip_mail(raw).partition(b"\r\n\r\n")
    assert len(header) < len(HEAD) + MAX_HEADER_CHARS + 100
    assert header.endswith(b"Reply-To: siobhan@achterberg.example")


def test_a_large_base64_part_is_cut_at_a_line_and_still_decodes() -> None:
    payload = base64.encodebytes(random.Random(7).randbytes(1_000_000))
    raw = (HEAD + b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b7\"\r\n\r\n--b7\r\n"
           b"Content-Type: text/plain\r\n\r\n" + LEAD + b"--b7\r\nContent-Type: application/pdf\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\n" + payload + b"--b7--\r\n")
    clipped = clip_mail(raw)
    assert len(clipped) < MAX_PART_BYTES + 2_000 and clipped.endswith(b"--b7--\r\n")
    part = clipped.split(b"base64\r\n\r\n", 1)[1].rsplit(b"--b7--", 1)[0]
    assert base64.b64decode(part, validate=False) == random.Random(7).randbytes(1_000_000)[: len(part) // 77 * 57]
    assert "siobhan@achterberg.example" in parse_mail(raw).text


def test_a_long_body_line_is_cut_where_a_character_starts() -> None:
    head = HEAD + b"Subject: Kajak\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    raw = head + b"Name: " + "Ø".encode() * 50_000 + b"\r\n" + LEAD
    body = clip_mail(raw).partition(b"\r\n\r\n")[2]
    first, _, rest = body.partition(b"\r\n")
    assert len(first) <= MAX_LINE_BYTES
    first.decode("utf-8")  # no character split in two
    assert rest == LEAD


def test_text_keeps_the_lines_after_a_huge_one() -> None:
    text = "Name: " + "Siobhan " * 100_000 + "\nEmail: siobhan@achterberg.example\n"
    clipped = clip_text(text)
    first, email = clipped.splitlines()
    assert len(first) == MAX_LINE_CHARS and email == "Email: siobhan@achterberg.example"


def test_a_run_without_white_space_is_cut_and_the_words_around_it_kept() -> None:
    text = "Message: call me " + "x.-_" * 750 + " tomorrow"
    assert clip_text(text) == "Message: call me " + ("x.-_" * 750)[:MAX_TOKEN_CHARS] + " tomorrow"


def test_readable_text_is_cut_to_its_limit() -> None:
    text = "Oak barrels for the cider house, please.\n" * 5_000
    assert len(clip_text(text)) == MAX_TEXT_CHARS
    assert clip_text("Name: Siobhan Achterberg") == "Name: Siobhan Achterberg"


def test_a_field_value_is_cut_to_its_limit() -> None:
    assert clip_field("Siobhan Achterberg") == "Siobhan Achterberg"
    assert len(clip_field("Siobhan " * 10_000)) == MAX_FIELD_CHARS
    assert clip_field("W" * 2_000_000) == "W" * MAX_TOKEN_CHARS


def test_binary_data_is_told_from_text() -> None:
    assert looks_binary(random.Random(3).randbytes(10_000))
    assert looks_binary(b"%PDF-1.7\x00\x01\x02")
    assert not looks_binary(LEAD * 100)
    assert not looks_binary("Nachricht: Grüße aus Köln".encode("utf-16"))
    # a stray NUL or two in a lead's text leaves it text; a known binary format is binary from its first bytes
    assert not looks_binary(b"Name: Siobhan\x00 Achterberg\r\nPhone: 0161 555 0100\x00\x00\r\n")
    assert looks_binary(b"\x89PNG\r\n\x1a\nName: Siobhan")


def test_stray_control_characters_are_dropped_from_text() -> None:
    assert drop_controls("Name: Siobhan\x00 Achterberg\x1b\r\n\tPhone\x0c") == "Name: Siobhan Achterberg\r\n\tPhone\x0c"
    text = "Name: Siobhan Achterberg"
    assert drop_controls(text) is text


def test_an_xml_document_of_too_many_tags_is_refused() -> None:
    assert too_many_tags("<a>" * (MAX_XML_TAGS + 1))
    adf = "<adf><prospect><customer><contact><name>Siobhan</name></contact></customer></prospect></adf>"
    assert not too_many_tags(adf)
