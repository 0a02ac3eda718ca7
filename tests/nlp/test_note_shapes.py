"""Chat notes whose shape looked like something else and lost the lead whole: a note that opens with a link,
a bracketed tag or an angle-bracketed name (sniffed as XML, JSON or HTML), and a name, an address and a number
on lines of their own (one lead, not three)."""

from __future__ import annotations

import base64

import pytest

from nlp.extractor import Extractor
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def note(extractor: Extractor, text: str) -> list[tuple[str | None, str | None, str | None]]:
    result = extractor.extract(RawMessage(text.encode(), "file", name_hint="note.txt"))
    return [(lead.value("full_name"), lead.value("email"), lead.value("phone")) for lead in result.leads]


WANT = [("Saoirse Kavanagh", "saoirse.k@example.ie", "+353 86 555 0173")]


@pytest.mark.parametrize("text", [
    "<https://crm.example/leads/41|Lead 41> Saoirse Kavanagh, saoirse.k@example.ie, +353 86 555 0173",
    "[Lead] Saoirse Kavanagh, saoirse.k@example.ie, +353 86 555 0173 [call today]",
    "{web} Saoirse Kavanagh, saoirse.k@example.ie, +353 86 555 0173 {hot}",
    "<b>Saoirse Kavanagh</b> saoirse.k@example.ie +353 86 555 0173",
    "<lead> Saoirse Kavanagh, saoirse.k@example.ie, +353 86 555 0173",
])
def test_a_note_that_looks_like_markup_or_a_payload(extractor: Extractor, text: str) -> None:
    assert note(extractor, text) == WANT


def test_a_name_an_address_and_a_number_on_their_own_lines_are_one_lead(extractor: Extractor) -> None:
    assert note(extractor, "Saoirse Kavanagh\nsaoirse.k@example.ie\n+353 86 555 0173\n") == WANT


def test_one_lead_a_line_still_gives_one_lead_each(extractor: Extractor) -> None:
    text = ("Saoirse Kavanagh saoirse.k@example.ie wants a quote\n"
            "Dermot Quinlan dermot.q@example.ie wants a call back\n")
    assert [email for _, email, _ in note(extractor, text)] == ["saoirse.k@example.ie", "dermot.q@example.ie"]


def test_a_json_note_still_reads_as_its_payload(extractor: Extractor) -> None:
    text = '{"name": "Saoirse Kavanagh", "email": "saoirse.k@example.ie", "phone": "+353 86 555 0173"}'
    assert note(extractor, text) == WANT


@pytest.mark.parametrize(("spelled", "address"), [
    ("saoirse.k (at) example (dot) ie", "saoirse.k@example.ie"),
    ("saoirse.k[at]example.ie", "saoirse.k@example.ie"),
    ("saoirse.k at example dot ie", "saoirse.k@example.ie"),
    ("saoirse arroba correo punto es", "saoirse@correo.es"),
])
def test_an_address_spelled_against_harvesters(extractor: Extractor, spelled: str, address: str) -> None:
    ((_, email, _),) = note(extractor, f"Saoirse Kavanagh - {spelled} - +353 86 555 0173")
    assert email == address


def test_at_and_a_dotted_word_are_no_address(extractor: Extractor) -> None:
    text = "Saoirse Kavanagh +353 86 555 0173, meet her at home.Then send the quote"
    assert note(extractor, text)[0][1] is None


def test_a_lead_in_the_subject_of_an_empty_mail(extractor: Extractor) -> None:
    raw = ("From: Portal <alerts@portal.example>\nTo: sales@ours.example\n"
           "Subject: New lead: Saoirse Kavanagh, saoirse.k@example.ie, +353 86 555 0173\n\n\n")
    result = extractor.extract(RawMessage(raw.encode(), "file", name_hint="lead.eml"))
    assert [(lead.value("email"), lead.value("phone")) for lead in result.leads] == [
        ("saoirse.k@example.ie", "+353 86 555 0173")]


def test_a_raw_mail_saved_as_a_text_file_is_read_as_the_mail(extractor: Extractor) -> None:
    body = base64.encodebytes(b"Name: Saoirse Kavanagh\nEmail: saoirse.k@example.ie\nPhone: +353 86 555 0173\n")
    raw = (b"From: Web Form <noreply@forms.example>\nTo: sales@ours.example\nSubject: New lead\nMIME-Version: 1.0\n"
           b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" + body)
    result = extractor.extract(RawMessage(raw, "file", name_hint="saved.txt"))
    assert [(lead.value("full_name"), lead.value("email"), lead.value("phone")) for lead in result.leads] == WANT


def test_a_note_with_a_pasted_mail_stays_a_note(extractor: Extractor) -> None:
    text = ("lead from the website, see below\n\nFrom: Saoirse Kavanagh <saoirse.k@example.ie>\nSubject: quote\n\n"
            "Please call me on +353 86 555 0173.\n")
    assert note(extractor, text)[0][1] == "saoirse.k@example.ie"
