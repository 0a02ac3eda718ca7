"""A mail of one text part is read without mail-parser's whole parse: its Subject and From must come out exactly
as ``mailparser.MailParser`` gives them, and a part that may be a lead attachment still goes through it."""

from __future__ import annotations

import email

import mailparser
import pytest

from parsers import mime
from parsers.mime import _mail_parser_read, parse_mail

_SENDERS = [
    "Web Leads <noreply@leads.example>",
    "noreply@leads.example",
    "<noreply@leads.example>",
    '"Lindqvist, Oskar" <oskar@example.se>',
    "=?utf-8?q?J=C3=BCrgen_Kr=C3=BCger?= <juergen@example.de>",
    "=?iso-8859-1?q?Luc=EDa_Fern=E1ndez?= <lucia@example.es>",
    '"=?utf-8?b?U29sw6huZSBSZW5hcmQ=?=" <solene@example.fr>',
    "Jürgen Krüger <juergen@example.de>",
    "oskar@example.se <oskar@example.se>",
    "Ann Lee (web form) <ann@example.com>",
    "ann@example.com (Ann Lee)",
    "Undisclosed recipients:;",
    "Ann Lee <ann@example.com>, Bo Park <bo@example.com>",
    "Ann Lee",
    "",
    "Ann <ann@example.com",
    "\"Priya Raman via LinkedIn\" <messages-noreply@linkedin.example>",
]
_SUBJECTS = [
    "New lead",
    "=?utf-8?q?Neue_Anfrage_f=C3=BCr_B=C3=A4der?=",
    "=?iso-8859-1?b?U29saWNpdHVkIGRlIGluZm9ybWFjafNu?=",
    "=?shift_jis?b?g2WDWINn?=",
    "Anfrage für Bäder",
    "",
    "   spaced   ",
]


def _mail(sender: str | None, subject: str | None, *, ctype: str = "text/plain; charset=utf-8",
          extra: str = "") -> bytes:
    head = "".join([f"From: {sender}\n" if sender is not None else "",
                    f"Subject: {subject}\n" if subject is not None else "",
                    "To: sales@dealer.example\nMIME-Version: 1.0\n", f"Content-Type: {ctype}\n", extra])
    return (head + "\nName: Ann Lee\nEmail: ann@example.com\n").encode("utf-8")


def _whole(raw: bytes) -> tuple[object, object]:
    parsed = mailparser.parse_from_bytes(raw)
    return parsed.subject, parsed.from_


@pytest.mark.parametrize("sender", [*_SENDERS, None])
def test_from_as_mail_parser_reads_it(sender: str | None) -> None:
    raw = _mail(sender, "New lead")
    _msg, subject, from_, attachments = _mail_parser_read(raw)
    assert (subject, from_) == _whole(raw)
    assert attachments == []


@pytest.mark.parametrize("subject", [*_SUBJECTS, None])
def test_subject_as_mail_parser_reads_it(subject: str | None) -> None:
    raw = _mail("Web Leads <noreply@leads.example>", subject, ctype="text/html; charset=utf-8")
    _msg, got, from_, _attachments = _mail_parser_read(raw)
    assert (got, from_) == _whole(raw)


def test_two_subjects_and_two_froms_as_mail_parser_reads_them() -> None:
    raw = _mail("Ann Lee <ann@example.com>", "First", extra="From: Bo Park <bo@example.com>\nSubject: Second\n")
    _msg, subject, from_, _attachments = _mail_parser_read(raw)
    assert (subject, from_) == _whole(raw)
    assert subject == ["First", "Second"]
    doc = parse_mail(raw)
    assert (doc.subject, doc.sender_name, doc.sender_email) == ("First", "Ann Lee", "ann@example.com")


@pytest.mark.parametrize("sender, subject", [*((s, "New lead") for s in _SENDERS),
                                             *(("Ann <ann@example.com>", s) for s in _SUBJECTS)])
def test_the_mail_read_is_the_one_a_whole_parse_gives(sender: str, subject: str,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _mail(sender, subject)
    short = parse_mail(raw)
    monkeypatch.setattr(mime, "_text_parts_only", lambda _msg: False)
    assert parse_mail(raw) == short


@pytest.mark.parametrize("ctype, extra, filename", [
    ('text/plain; charset=utf-8; name="lead.xml"', "", "lead.xml"),
    ("text/plain; charset=utf-8", 'Content-Disposition: attachment; filename="lead.json"\n', "lead.json"),
    ("application/json", "", ""),
    ("text/xml", "", ""),
])
def test_a_part_that_may_be_a_lead_file_is_read_whole(ctype: str, extra: str, filename: str) -> None:
    raw = _mail("Web Leads <noreply@leads.example>", "New lead", ctype=ctype, extra=extra)
    assert not mime._text_parts_only(email.message_from_bytes(raw))
    doc = parse_mail(raw)
    assert [a.filename for a in doc.attachments] == [filename]
    assert (doc.subject, doc.sender_name) == ("New lead", "Web Leads")


def test_a_plain_mail_reads_its_sender_subject_and_body() -> None:
    doc = parse_mail(_mail("=?utf-8?q?J=C3=BCrgen_Kr=C3=BCger?= <juergen@example.de>",
                           "=?utf-8?q?Neue_Anfrage_f=C3=BCr_B=C3=A4der?="))
    assert (doc.sender_name, doc.sender_email, doc.subject) == ("Jürgen Krüger", "juergen@example.de",
                                                                "Neue Anfrage für Bäder")
    assert "Email: ann@example.com" in doc.text
    assert doc.attachments == () and doc.defects == ()


_ALTERNATIVE = (
    "From: =?utf-8?q?Sol=C3=A8ne_Renard?= <solene@example.fr>\nTo: sales@dealer.example\nSubject: Devis\n"
    "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b1\n\n"
    "--b1\nContent-Type: text/plain; charset=utf-8\n\nNom: Solène Renard\nTéléphone: 06 12 34 56 78\n"
    "--b1\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
    "<p>Nom: Sol=C3=A8ne Renard<br>T=C3=A9l=C3=A9phone: 06 12 34 56 78</p>\n--b1--\n"
)


def test_a_text_and_html_mail_is_read_as_a_whole_parse_reads_it(monkeypatch: pytest.MonkeyPatch) -> None:
    raw = _ALTERNATIVE.encode("utf-8")
    assert mime._text_parts_only(email.message_from_bytes(raw))
    short = parse_mail(raw)
    assert (short.sender_name, short.subject) == ("Solène Renard", "Devis")
    assert "Solène Renard" in short.text and short.html
    monkeypatch.setattr(mime, "_text_parts_only", lambda _msg: False)
    assert parse_mail(raw) == short


def test_a_lead_file_beside_the_text_is_still_found() -> None:
    raw = _ALTERNATIVE.replace("--b1--\n", "--b1\nContent-Type: application/octet-stream\n"
                                          'Content-Disposition: attachment; filename="lead.adf"\n\n<adf/>\n--b1--\n')
    assert not mime._text_parts_only(email.message_from_bytes(raw.encode("utf-8")))
    assert [a.filename for a in parse_mail(raw.encode("utf-8")).attachments] == ["lead.adf"]
