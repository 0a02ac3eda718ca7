"""A mail pasted into a note below the forwarding colleague's lines (issue 10, forward kind): the colleague's
signed phone, the name the mail greets and its To line are our side; the pasted mail's writer is the lead."""

from __future__ import annotations

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage
from parsers.quotes import pasted_header, read_header_block


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(("text", "lead"), [
    # the forwarder's signed phone above the pasted mail is theirs
    ("Bitte übernehmen, danke!\nGrüße\nMarkus Heller\nVertrieb, Solartec GmbH\nTel. 089 1234560\n\n"
     "Von: Petra Lang <petra.lang@t-online.de>\nGesendet: Dienstag, 3. März 2026 10:12\n"
     "An: Markus Heller <m.heller@solartec.de>\nBetreff: Anfrage PV-Anlage\n\n"
     "Guten Tag, ich interessiere mich für eine PV-Anlage. Rückruf gerne unter 0821 556677.\n\n"
     "Mit freundlichen Grüßen\nPetra Lang\n", ("Petra Lang", "petra.lang@t-online.de", "0821 556677")),
    # Outlook's [mailto:] sender, and the colleague the mail greets (its To line) is ours
    ("Can you take this one? I'm out till Friday.\n\nMike Torres | Account Executive | Northwind Solar | "
     "602-555-0101\n\nFrom: Rosa Delgado [mailto:rosa.delgado@cox.net]\nSent: Tuesday, March 3, 2026 8:02 AM\n"
     "To: Mike Torres\nSubject: RE: solar\n\nMike - yes please send someone Thursday. 480-555-0153 is best.\n"
     "Rosa\n", ("Rosa Delgado", "rosa.delgado@cox.net", "480-555-0153")),
])
def test_the_pasted_mails_writer_is_the_lead(extractor: Extractor, text: str, lead: tuple[str, str, str]) -> None:
    found = extractor.extract(RawMessage(text.encode("utf-8"), "file", name_hint="note.txt"))
    assert len(found.leads) == 1
    fields = found.leads[0].plain()
    assert (fields["full_name"], fields["email"], fields["phone"]) == lead


def test_where_a_pasted_mail_starts_and_whom_it_was_written_to() -> None:
    text = "Rosa called too, see below\n\nFrom: Rosa Delgado <rosa@example.com>\nSent: Monday\nTo: Mike\n\nHi"
    assert pasted_header(text) == (text.index("From:"), "Mike", "Rosa Delgado <rosa@example.com>")


def test_outlook_writes_the_sender_in_brackets() -> None:
    headers, body = read_header_block("From: Rosa Delgado [mailto:rosa@example.com]\nSent: x\nTo: Mike\n\nHi")
    assert headers["from"] == "Rosa Delgado <rosa@example.com>"
    assert body == "Hi"


def test_a_form_mailers_address_in_the_pasted_from_is_no_ones(extractor: Extractor) -> None:
    text = ("FW below\n\nFrom: Website <noreply@acmehvac.com>\nSent: Monday, March 2, 2026 7:00 AM\n"
            "To: leads@acmehvac.com\nSubject: New contact form\n\nName: Dolores Vance\nPhone: 330-555-0133\n"
            "Message: furnace making noise\n")
    found = extractor.extract(RawMessage(text.encode("utf-8"), "file", name_hint="note.txt"))
    assert [(lead.value("full_name"), lead.value("email")) for lead in found.leads] == [("Dolores Vance", None)]


def test_a_german_reply_marker_names_the_writer_before_the_address(extractor: Extractor) -> None:
    text = ("bitte zurückrufen\n\nAm 02.03.2026 um 10:05 schrieb Ralf Becker <ralf.becker@gmx.net>:\n"
            "> Guten Tag, ich brauche ein Angebot für eine Markise. Tel 0231 998877\n> Ralf Becker\n")
    found = extractor.extract(RawMessage(text.encode("utf-8"), "file", name_hint="note.txt"))
    assert [(lead.value("full_name"), lead.value("email")) for lead in found.leads] == [
        ("Ralf Becker", "ralf.becker@gmx.net")]
