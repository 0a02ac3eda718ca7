"""``parsers.mime`` keeps the mailboxes of a From header it has read (a portal sends every lead from one From):
a mail read again, or another mail from the same From, reads the sender as the first reading did.
A part's file name is looked for only in headers that spell "name", and is the one ``get_filename`` reads."""

from __future__ import annotations

import email

import pytest

from parsers.mime import _filename, _mail_parser_from, parse_mail

_MAIL = (b"From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <juergen@example.org>\r\nTo: leads@example.com\r\n"
         b"Subject: Anfrage\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBitte um Angebot.\r\n")


def test_a_from_read_again_gives_the_same_sender() -> None:
    first, again = parse_mail(_MAIL), parse_mail(_MAIL)
    assert (first.sender_name, first.sender_email) == (again.sender_name, again.sender_email)
    assert (first.sender_name, first.sender_email) == ("Jürgen Müller", "juergen@example.org")


def test_each_reading_gets_its_own_list() -> None:
    msg = email.message_from_bytes(_MAIL)
    mailboxes = _mail_parser_from(msg)
    mailboxes.clear()
    assert _mail_parser_from(msg) == [("Jürgen Müller", "juergen@example.org")]


def test_a_name_equal_to_its_address_and_a_group_without_address_are_dropped() -> None:
    msg = email.message_from_bytes(b"From: a@example.org <a@example.org>, undisclosed:;\r\n\r\nx\r\n")
    assert _mail_parser_from(msg) == _mail_parser_from(msg) == [("", "a@example.org")]


@pytest.mark.parametrize("headers", [
    b"Content-Type: text/plain; charset=utf-8\r\n",
    b"Content-Type: text/plain; NAME=\"lead.txt\"\r\n",
    b"Content-Type: text/plain\r\nContent-Disposition: attachment; filename=\"lead.csv\"\r\n",
    b"Content-Type: text/plain\r\nContent-Disposition: attachment; FileName*=utf-8''Anfrage%20M%C3%BCller.txt\r\n",
    b"Content-Type: text/plain\r\nContent-Disposition: inline\r\n",
    b"Content-Type: application/octet-stream; name*0=\"le\"; name*1=\"ad.xml\"\r\n",
    b"Content-Type: text/plain; charset=\"iso-8859-1\"; name=\"Gr\xfc\xdfe.txt\"\r\n",
    b"",
])
def test_a_parts_file_name_is_the_one_get_filename_reads(headers: bytes) -> None:
    part = email.message_from_bytes(headers + b"\r\nbody\r\n")
    assert _filename(part) == (part.get_filename() or "")
