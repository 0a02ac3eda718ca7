"""A lead mail whose lead is an attachment of its own kind: a contact card (vCard) or a CSV export, read by the
one JSON reader; a broken card or a one-line CSV is no lead and no crash."""

from __future__ import annotations

from email.message import EmailMessage

from tests.parsers.helpers import structured

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Marisol Quintero\r\nN:Quintero;Marisol;;;\r\n"
    "EMAIL;TYPE=INTERNET:marisol.q@example.mx\r\nTEL;TYPE=CELL:+52 55 5555 0142\r\n"
    "ORG:Quintero Arquitectos\r\nADR;TYPE=WORK:;;Av. Reforma 222;Ciudad de México;CDMX;06600;Mexico\r\nEND:VCARD\r\n"
)


def mail_with(data: bytes, subtype: str, filename: str, maintype: str = "text") -> bytes:
    message = EmailMessage()
    message["From"] = "Lead Desk <desk@relay.example>"
    message["To"] = "sales@ours.example"
    message["Subject"] = "New lead"
    message.set_content("The lead is attached.")
    message.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return bytes(message)


def test_a_contact_card_attachment_is_the_lead() -> None:
    _, leads = structured(mail_with(CARD.encode(), "vcard", "lead.vcf"), "lead.eml")
    (lead,) = leads
    assert lead.value("full_name") == "Marisol Quintero"
    assert lead.value("email") == "marisol.q@example.mx"
    assert lead.value("company") == "Quintero Arquitectos"
    assert (lead.value("city"), lead.value("postal_code")) == ("Ciudad de México", "06600")


def test_a_card_sent_as_octet_stream_is_known_by_its_name() -> None:
    _, leads = structured(mail_with(CARD.encode(), "octet-stream", "contact.vcf", "application"), "lead.eml")
    assert [lead.value("phone") for lead in leads] == ["+52 55 5555 0142"]


def test_a_csv_export_gives_one_lead_per_row() -> None:
    sheet = "Name;E-Mail;Telefon;Ort\r\nGunnar Lind;gunnar.lind@example.se;+46 70 555 01 42;Uppsala\r\n" \
            "Elin Berg;elin.berg@example.se;+46 70 555 01 43;Lund\r\n"
    _, leads = structured(mail_with(sheet.encode(), "csv", "leads.csv"), "lead.eml")
    assert [(lead.value("full_name"), lead.value("city")) for lead in leads] == [
        ("Gunnar Lind", "Uppsala"), ("Elin Berg", "Lund")]


def test_a_broken_card_and_a_header_only_csv_give_no_lead_of_their_own() -> None:
    broken = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN;;;\r\nEND:VCAR"
    for data, subtype, name in ((broken, "vcard", "x.vcf"), (b"Name,Email\r\n", "csv", "x.csv")):
        _, leads = structured(mail_with(data, subtype, name), "lead.eml")
        # only what the mail itself says (its sender), nothing from the attachment
        assert [(lead.value("full_name"), lead.value("email")) for lead in leads] == [(None, "desk@relay.example")]
