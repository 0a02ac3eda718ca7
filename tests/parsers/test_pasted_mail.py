"""A mail pasted into a rep's note (a From/Sent/To block): read as that mail, the rep's lines left out."""

from __future__ import annotations

from nlp.extractor import Extractor
from parsers.lead import RawMessage
from parsers.quotes import pasted_mail

_QUOTED = (
    "saw this in the sales inbox, can someone grab it?\n\n"
    "> From: Leontyne Saar <l.saar@saarvineyards.example>\n"
    "> Sent: Tuesday, December 1, 2026 9:40 AM\n"
    "> To: hello@pressworks.example\n"
    "> Subject: bottling line service\n"
    ">\n"
    "> Hello, our labeller jams every few hundred bottles. Could a technician come out this month?\n"
    "> Best,\n"
    "> Leontyne Saar\n"
    "> 707-555-0162\n\n"
    "I can take it after standup\n"
)


def test_quoted_paste_is_the_mail_without_the_reps_lines() -> None:
    mail = pasted_mail(_QUOTED)
    assert mail is not None
    assert mail.startswith("From: Leontyne Saar <l.saar@saarvineyards.example>\nSubject: bottling line service\n")
    assert "labeller jams" in mail
    assert "sales inbox" not in mail and "after standup" not in mail and "Sent:" not in mail


def test_unquoted_paste_in_another_language() -> None:
    note = ("Os paso esto del buzón general\n\nDe: Ulrike Pons <upons@ponsarquitectura.example>\n"
            "Enviado: martes, 1 de diciembre de 2026 10:02\nPara: info@estudio.example\nAsunto: Reforma local\n\n"
            "Buenos días, necesitamos reformar un local de 80 m2 en Valencia.\n")
    mail = pasted_mail(note)
    assert mail is not None and mail.startswith("From: Ulrike Pons <upons@ponsarquitectura.example>")
    assert "buzón general" not in mail


def test_colleagues_internal_forward_has_no_sender() -> None:
    note = ("From: Bea Holt <bea@pressworks.example>\nSent: Monday\nTo: sales@pressworks.example\n"
            "Subject: web form\n\nName: Osric Vell\nEmail: osric@vell.example\n")
    mail = pasted_mail(note)
    assert mail is not None and "Bea Holt" not in mail and "Name: Osric Vell" in mail


def test_note_without_a_header_block_is_no_paste() -> None:
    assert pasted_mail("call with Mina Ocampo, 555-0190, wants a quote\nFrom: the open house") is None


def test_note_holding_a_pasted_mail_reads_the_mail() -> None:
    result = Extractor().extract(RawMessage(raw=_QUOTED.encode("utf-8"), channel="slack"))
    assert len(result.leads) == 1
    lead = result.leads[0].plain()
    assert (lead["full_name"], lead["email"]) == ("Leontyne Saar", "l.saar@saarvineyards.example")
    assert lead["phone"] == "707-555-0162"
    assert lead["message"] is not None and "our labeller jams every few" in lead["message"]
    assert "standup" not in lead["message"] and "sales inbox" not in lead["message"]


_WRAPPED = (
    "fwd from my inbox, can someone grab this?\n\n"
    "From: Kasimir Lund <k.lund@pressworks.example>\n"
    "Sent: Monday, November 30, 2026 9:14 AM\n"
    "To: Sales Team <sales@pressworks.example>\n"
    "Subject: FW: quote request\n\n"
    "From: Orla Breen <orla.breen.home@mailbox.example>\n"
    "Sent: Sunday, November 29, 2026 7:52 PM\n"
    "To: Kasimir Lund <k.lund@pressworks.example>\n"
    "Subject: quote request\n\n"
    "Hi Kasimir, we need a new sump pump installed before the spring rains.\n"
    "My cell is 847-555-0162.\nThanks,\nOrla\n"
)


def test_a_colleagues_forward_around_the_pasted_mail_is_no_second_lead() -> None:
    [lead] = Extractor().extract(RawMessage(raw=_WRAPPED.encode(), channel="slack")).leads
    assert lead.value("email") == "orla.breen.home@mailbox.example"
    assert lead.value("full_name") == "Orla Breen"
    assert lead.value("phone") == "847-555-0162"
