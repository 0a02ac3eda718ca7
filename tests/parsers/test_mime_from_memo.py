"""``parsers.mime`` keeps the mailboxes of a From header it has read (a portal sends every lead from one From):
a mail read again, or another mail from the same From, reads the sender as the first reading did."""

from __future__ import annotations

import email

from parsers.mime import _mail_parser_from, parse_mail

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
