"""MIME mail: text vs HTML, transfer encodings, charsets, replies, forwards, signatures, attachments."""

from __future__ import annotations

import base64
import quopri

from parsers.document import load_document
from parsers.html import html_to_text
from parsers.mime import decode_bytes, parse_mail
from tests.parsers.helpers import one, structured


def _mail(body: bytes, *, ctype: str = "text/plain; charset=utf-8", cte: str = "8bit",
          sender: str = "Web Leads <noreply@leads.example>", subject: str = "New lead") -> bytes:
    head = (f"From: {sender}\nTo: sales@dealer.example\nSubject: {subject}\nMIME-Version: 1.0\n"
            f"Content-Type: {ctype}\nContent-Transfer-Encoding: {cte}\n\n")
    return head.encode("ascii") + body


def test_html_table_rows_become_label_lines() -> None:
    html = ("<table><tr><th>Name:</th><td>Elif Şahin</td></tr><tr><td>Phone</td><td>555-010-8080</td>"
            "<td>Email</td><td>elif@example.com</td></tr></table><script>var x = 'Name: nobody';</script>")
    text = html_to_text(html)
    assert "Name: Elif Şahin" in text
    assert "Phone: 555-010-8080" in text
    assert "Email: elif@example.com" in text
    assert "nobody" not in text


def test_html_divs_and_definition_lists() -> None:
    html = ("<div class='row'><div class='label'>City</div><div class='value'>Tucson</div></div>"
            "<dl><dt>Zip</dt><dd>85701</dd><dt>Budget</dt><dd>$20k</dd></dl>"
            "<p>Name: Ola Berg<br>Email: ola@example.no</p>")
    fields = one(html, "lead.html")
    assert fields["city"] == "Tucson"
    assert fields["postal_code"] == "85701"
    assert fields["budget"] == "$20k"
    assert fields["full_name"] == "Ola Berg"


def test_html_only_quoted_printable_mail() -> None:
    html = "<html><body><p>Name: Jos=C3=A9 Alvarado</p><p>Email: jose.a@example.com</p></body></html>"
    raw = _mail(html.encode("ascii"), ctype="text/html; charset=utf-8", cte="quoted-printable")
    fields = one(raw)
    assert fields["full_name"] == "José Alvarado"
    assert fields["email"] == "jose.a@example.com"


def test_base64_html_mail() -> None:
    html = "<table><tr><td>Name</td><td>Wen Zhao</td></tr><tr><td>Phone</td><td>555-010-4141</td></tr></table>"
    body = base64.encodebytes(html.encode("utf-8"))
    fields = one(_mail(body, ctype="text/html; charset=utf-8", cte="base64"))
    assert fields["full_name"] == "Wen Zhao"
    assert fields["phone"] == "555-010-4141"


def test_wrong_charset_falls_back() -> None:
    raw = _mail("Name: Jürgen Weiß\nTelefon: 0171 5550199\n".encode("latin-1"), ctype="text/plain; charset=utf-8")
    fields = one(raw)
    assert fields["full_name"] == "Jürgen Weiß"


def test_missing_and_unknown_charset() -> None:
    raw = _mail("Name: Maël Ducrocq\nEmail: mael@example.fr\n".encode(), ctype="text/plain; charset=x-klingon")
    assert one(raw)["full_name"] == "Maël Ducrocq"
    assert decode_bytes("Peña".encode("cp1252"), None) == "Peña"
    assert decode_bytes(b"\xef\xbb\xbfok", "ascii") == "ok"


def test_text_part_preferred_over_html() -> None:
    raw = (b"From: Portal <leads@portal.example>\nSubject: Lead\nMIME-Version: 1.0\n"
           b"Content-Type: multipart/alternative; boundary=b1\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\n"
           b"Name: Plain Person\nEmail: plain@example.com\n--b1\nContent-Type: text/html; charset=utf-8\n\n"
           b"<p>Name: Html Person</p><p>Email: html@example.com</p>\n--b1--\n")
    assert one(raw)["email"] == "plain@example.com"


def test_forwarded_lead_uses_the_original() -> None:
    body = (b"Can someone call this one back today?\n\nThanks, Rick\n\n"
            b"---------- Forwarded message ---------\nFrom: Kenji Watanabe <kenji.w@example.com>\n"
            b"Date: Mon, 3 Jun 2024 at 09:12\nSubject: Question about the blue Tacoma\nTo: <sales@dealer.example>\n\n"
            b"Hello, is the blue Tacoma still for sale?\nMy number is 555-010-6262.\n")
    mail = parse_mail(_mail(body, sender="Rick Sales <rick@dealer.example>", subject="Fwd: Question"))
    assert mail.forwarded
    assert mail.sender_email == "kenji.w@example.com"
    assert mail.sender_name == "Kenji Watanabe"
    assert mail.subject == "Question about the blue Tacoma"
    assert mail.text.startswith("Hello, is the blue Tacoma")
    fields = one(_mail(body, sender="Rick Sales <rick@dealer.example>", subject="Fwd: Question"))
    assert fields["email"] == "kenji.w@example.com"
    assert fields["full_name"] == "Kenji Watanabe"


def test_reply_keeps_new_text_and_quoted_form() -> None:
    body = (b"Yes, Saturday at 10 works for me.\n\nOn Tue, Jun 4, 2024 at 8:00 AM Lakeside Motors "
            b"<sales@lakeside.example> wrote:\n> Name: Priscilla Moon\n> Email: p.moon@example.com\n")
    mail = parse_mail(_mail(body, sender="Priscilla Moon <p.moon@example.com>"))
    assert mail.text == "Yes, Saturday at 10 works for me."
    assert "Name: Priscilla Moon" in mail.quoted
    fields = one(_mail(body, sender="Priscilla Moon <p.moon@example.com>"))
    assert fields["full_name"] == "Priscilla Moon"


def test_signature_is_split_and_its_phone_kept_for_a_direct_mail() -> None:
    body = b"Hi, I'd like a quote for a kitchen remodel.\n-- \nNadia Farouk\n+1 555 010 7373\n"
    mail = parse_mail(_mail(body, sender="Nadia Farouk <nadia@example.org>", subject="Quote"))
    assert mail.text == "Hi, I'd like a quote for a kitchen remodel."
    assert "Nadia Farouk" in mail.signature
    fields = one(_mail(body, sender="Nadia Farouk <nadia@example.org>", subject="Quote"))
    assert fields["email"] == "nadia@example.org"
    assert fields["full_name"] == "Nadia Farouk"
    assert fields["phone"] == "+1 555 010 7373"
    assert fields["message"] == "Hi, I'd like a quote for a kitchen remodel."


def test_adf_attachment_is_the_lead() -> None:
    adf = (b"<?xml version='1.0'?><adf><prospect><customer><contact><name part='full'>Lars Eklund</name>"
           b"<phone>555-010-5151</phone></contact></customer></prospect></adf>")
    raw = (b"From: Portal <leads@portal.example>\nSubject: Lead\nMIME-Version: 1.0\n"
           b"Content-Type: multipart/mixed; boundary=zz\n\n--zz\nContent-Type: text/plain\n\nSee attachment.\n"
           b"--zz\nContent-Type: application/xml; name=lead.xml\nContent-Disposition: attachment; filename=lead.xml\n"
           b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(adf) + b"--zz--\n")
    fields = one(raw)
    assert fields["full_name"] == "Lars Eklund"
    assert fields["phone"] == "555-010-5151"


def test_adf_in_a_plain_text_body() -> None:
    adf = (b"<?ADF VERSION \"1.0\"?>\n<?xml version=\"1.0\"?>\n<adf><prospect><customer><contact>"
           b"<name part=\"first\">Nora</name><name part=\"last\">Quist</name><email>nora.q@example.com</email>"
           b"</contact></customer><vendor><vendorname>Quarry Ford</vendorname></vendor></prospect></adf>\n")
    vendor, leads = structured(_mail(adf))
    assert vendor == "Quarry Ford"
    assert leads[0].value("email") == "nora.q@example.com"


def test_broken_mime_gives_best_effort_text() -> None:
    raw = (b"From: Ann Kowalski <ann.k@example.com>\nSubject: hi\nContent-Type: multipart/mixed; boundary=\"zz\n\n"
           b"--zz\nName: Ann Kowalski\n--zz")
    doc = load_document(raw)
    assert doc.is_mail
    fields = one(raw)
    assert fields["email"] == "ann.k@example.com"


def test_quoted_printable_soft_breaks() -> None:
    body = quopri.encodestring("Message: Ich hätte gern ein Angebot für die Küche, bitte mit Lieferung.\n"
                               "Email: kueche@example.de\n".encode())
    fields = one(_mail(body, ctype="text/plain; charset=utf-8", cte="quoted-printable"))
    assert fields["message"] == "Ich hätte gern ein Angebot für die Küche, bitte mit Lieferung."


OUTLOOK_FW = """\
From: Dana Whitlock <dana@harborline-books.example>
To: intake@harborline-books.example
Subject: {subject}
Content-Type: text/plain; charset=utf-8

Can someone pick this up? Thanks
Dana Whitlock | Office Manager | 555-0100

From: Oskar Lindqvist <oskar.lindqvist@fastmail.example>
Sent: Monday, November 23, 2026 9:14 AM
To: info@harborline-books.example
Subject: bookkeeping quote

Hi, we need monthly bookkeeping and payroll for a 6-person studio.
"""


def test_outlook_forward_without_a_marker_line_is_a_forward() -> None:
    for subject in ("FW: bookkeeping quote", "WG: bookkeeping quote", "TR: RE: bookkeeping quote"):
        mail = parse_mail(OUTLOOK_FW.format(subject=subject).encode())
        assert mail.forwarded, subject
        assert (mail.sender_name, mail.sender_email) == ("Oskar Lindqvist", "oskar.lindqvist@fastmail.example")
        assert mail.subject == "bookkeeping quote"
        assert mail.text.startswith("Hi, we need monthly bookkeeping")
        assert "Dana Whitlock" in mail.quoted and "Dana" not in mail.text


def test_reply_above_an_outlook_header_block_keeps_the_new_text() -> None:
    mail = parse_mail(OUTLOOK_FW.format(subject="RE: bookkeeping quote").encode())
    assert not mail.forwarded
    assert mail.sender_email == "dana@harborline-books.example"
    assert mail.text.startswith("Can someone pick this up?")


def test_the_forwarders_note_is_set_aside_not_read_as_the_lead() -> None:
    raw = (
        "From: Greg Tallis <greg@ourco.example>\nTo: sales@ourco.example\nSubject: WG: Anfrage Küche\n"
        "Content-Type: text/plain; charset=utf-8\n\nBitte übernehmen.\n\nGreg Tallis\nTel. 0711 555 0100\n\n"
        "Von: Lucía Ortega <lucia@viveros.example>\nGesendet: Montag, 23. November 2026 09:14\n"
        "An: info@ourco.example\nBetreff: Anfrage Küche\n\nHola, quiero un presupuesto.\nLucía Ortega\n"
    )
    _vendor, [lead] = structured(raw)
    assert lead.value("phone") is None and lead.value("email") == "lucia@viveros.example"
    assert [(o.field, o.value, o.role) for o in lead.others if o.role == "forwarder"] == [
        ("phone", "0711 555 0100", "forwarder")]
