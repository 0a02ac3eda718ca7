"""Mails whose lead sits where the body readers did not look: a text part that only says "view this in a
browser" beside the HTML that holds the lead, a lead sent as an attached text or HTML file under a bare
body, and an enquiry forwarded as an attached mail (message/rfc822 or an .eml file)."""

from __future__ import annotations

import base64
from email.message import EmailMessage

from parsers.html import html_to_text
from tests.parsers.helpers import one, structured

ROWS = (
    "<table><tr><td>Name</td><td>Wilhelmina Okafor</td></tr>"
    "<tr><td>Email</td><td>w.okafor@example.org</td></tr>"
    "<tr><td>Phone</td><td>555-310-4478</td></tr></table>"
)
LINES = "Name: Wilhelmina Okafor\nEmail: w.okafor@example.org\nPhone: 555-310-4478\n"


def relay_mail(body: str) -> EmailMessage:
    return mail("Form Relay <relay@forms.example>", "sales@ours.example", "New submission", body)


def test_a_placeholder_text_part_gives_way_to_the_html_part() -> None:
    message = relay_mail("This message is best viewed in an HTML capable mail program.")
    message.add_alternative(f"<html><body>{ROWS}</body></html>", subtype="html")
    lead = one(bytes(message), "lead.eml")
    assert (lead["full_name"], lead["email"], lead["phone"]) == (
        "Wilhelmina Okafor", "w.okafor@example.org", "555-310-4478")


def test_a_text_file_attached_to_a_bare_body_is_read_as_the_body() -> None:
    message = relay_mail("See attachment.")
    message.add_attachment(LINES.encode(), maintype="text", subtype="plain", filename="submission.txt")
    lead = one(bytes(message), "lead.eml")
    assert (lead["email"], lead["phone"]) == ("w.okafor@example.org", "555-310-4478")


def test_an_html_file_attached_to_a_bare_body_is_read_as_the_body() -> None:
    message = relay_mail("")
    message.add_attachment(ROWS.encode(), maintype="text", subtype="html", filename="lead.html")
    lead = one(bytes(message), "lead.eml")
    assert (lead["full_name"], lead["email"]) == ("Wilhelmina Okafor", "w.okafor@example.org")


def test_an_attached_file_does_not_replace_a_body_that_holds_the_lead() -> None:
    message = relay_mail(LINES)
    message.add_attachment(b"Name: Someone Else\nEmail: other@example.net\n", maintype="text", subtype="plain",
                           filename="terms.txt")
    assert one(bytes(message), "lead.eml")["email"] == "w.okafor@example.org"


def mail(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message.set_content(body)
    return message


def inner_mail() -> EmailMessage:
    return mail("Wilhelmina Okafor <w.okafor@example.org>", "info@ours.example", "Quote for a fence",
                "Hello, please send me a quote for a garden fence.\nWilhelmina\n")


def test_a_mail_attached_whole_is_read_as_a_forward() -> None:
    message = mail("Tomas Rep <tomas@ours.example>", "leads@ours.example", "Fwd: Quote for a fence",
                   "fyi, from the website")
    message.add_attachment(inner_mail())
    lead = one(bytes(message), "lead.eml")
    assert lead["email"] == "w.okafor@example.org"


def test_an_eml_file_attached_as_bytes_is_read_as_a_forward() -> None:
    message = mail("Tomas Rep <tomas@ours.example>", "leads@ours.example", "Quote for a fence", "")
    message.add_attachment(bytes(inner_mail()), maintype="application", subtype="octet-stream",
                           filename="Quote for a fence.eml")
    lead = one(bytes(message), "lead.eml")
    assert lead["email"] == "w.okafor@example.org"


def test_a_text_file_sent_as_bytes_is_read_by_its_name() -> None:
    message = relay_mail("Attached.")
    message.add_attachment(LINES.encode(), maintype="application", subtype="octet-stream", filename="lead.txt")
    assert one(bytes(message), "lead.eml")["email"] == "w.okafor@example.org"


def test_a_body_left_in_base64_is_decoded() -> None:
    encoded = base64.encodebytes(LINES.encode()).decode()
    raw = f"From: relay@forms.example\nTo: sales@ours.example\nSubject: New\nContent-Type: text/plain\n\n{encoded}"
    lead = one(raw.encode(), "lead.eml")
    assert (lead["email"], lead["phone"]) == ("w.okafor@example.org", "555-310-4478")


def test_a_form_post_mailed_as_its_body() -> None:
    body = "name=Wilhelmina+Okafor&email=w.okafor%40example.org&phone=555-310-4478&message=fence"
    raw = f"From: relay@forms.example\nTo: sales@ours.example\nSubject: Form post\n\n{body}\n"
    assert one(raw.encode(), "lead.eml")["email"] == "w.okafor@example.org"


def test_a_reply_with_nothing_above_the_quote_passes_the_quoted_mail_on() -> None:
    body = ("On Sun, Nov 29, 2026 at 9:00 AM Wilhelmina Okafor <w.okafor@example.org> wrote:\n"
            "> Please quote a garden fence.\n> Wilhelmina\n")
    raw = f"From: Tomas Rep <tomas@ours.example>\nTo: leads@ours.example\nSubject: Re: fence\n\n{body}"
    lead = one(raw.encode(), "lead.eml")
    assert (lead["full_name"], lead["email"]) == ("Wilhelmina Okafor", "w.okafor@example.org")


INVITE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Site visit\r\nDTSTART:20261202T150000Z\r\n"
    "DESCRIPTION:Phone: 555-310-4478\\nNotes: back garden fence\r\n"
    "ORGANIZER;CN=Ours Fencing:mailto:calendar@ours.example\r\n"
    "ATTENDEE;CN=Wilhelmina Okafor;ROLE=REQ-PARTICIPANT:mailto:w.okafor@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_a_booking_invitation_under_a_bare_body_gives_its_attendee() -> None:
    message = relay_mail("A new event was booked.")
    message.add_attachment(INVITE.encode(), maintype="text", subtype="calendar", filename="invite.ics")
    lead = one(bytes(message), "lead.eml")
    assert (lead["full_name"], lead["email"], lead["phone"]) == (
        "Wilhelmina Okafor", "w.okafor@example.org", "555-310-4478")


def test_a_broken_invitation_is_no_lead_and_no_crash() -> None:
    message = relay_mail("A new event was booked.")
    message.add_attachment(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n\x00garbage", maintype="text", subtype="calendar",
                           filename="invite.ics")
    _, leads = structured(bytes(message), "lead.eml")
    assert [lead.value("email") for lead in leads] == ["relay@forms.example"]  # the relay's From, nothing more


def test_a_mail_without_the_blank_line_after_its_headers() -> None:
    raw = ("From: Form Relay <relay@forms.example>\nTo: sales@ours.example\nSubject: New submission\n"
           "Date: Mon, 30 Nov 2026 10:00:00 +0000\n" + LINES)
    lead = one(raw.encode(), "lead.eml")
    assert (lead["full_name"], lead["email"], lead["phone"]) == (
        "Wilhelmina Okafor", "w.okafor@example.org", "555-310-4478")


def test_a_multipart_mail_without_a_boundary_keeps_its_body() -> None:
    raw = ("From: relay@forms.example\nTo: sales@ours.example\nSubject: New\nMIME-Version: 1.0\n"
           "Content-Type: multipart/mixed\n\n" + LINES)
    assert one(raw.encode(), "lead.eml")["email"] == "w.okafor@example.org"


def test_a_form_sent_with_its_filled_inputs() -> None:
    html = ('<form><input name="name" value="Wilhelmina Okafor"><input type="hidden" name="utm" value="ads">'
            '<input type="email" name="email" value="w.okafor@example.org"><input type="submit" value="Send">'
            '<input type="checkbox" name="newsletter" value="yes"></form>')
    assert html_to_text(html).split("\n") == ["name: Wilhelmina Okafor", "", "email: w.okafor@example.org"]
    raw = f"From: relay@forms.example\nTo: sales@ours.example\nSubject: New\nContent-Type: text/html\n\n{html}"
    assert one(raw.encode(), "lead.eml")["email"] == "w.okafor@example.org"
