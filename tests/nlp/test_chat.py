"""Chat notes: Slack markup, several leads in one note, the prospect's quoted words versus the rep's."""

from __future__ import annotations

import pytest

from nlp.chat import normalise_chat, prospect_voice, quoted_message, split_chat
from nlp.extractor import Extractor
from parsers.lead import RawMessage


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


@pytest.mark.parametrize(
    ("slack", "plain"),
    [
        ("<mailto:wren.holt@fastmail.com|wren.holt@fastmail.com>", "wren.holt@fastmail.com"),
        ("<mailto:wren.holt@fastmail.com>", "wren.holt@fastmail.com"),
        ("call <tel:+15035550182|(503) 555-0182>", "call (503) 555-0182"),
        ("<tel:+15035550182>", "+15035550182"),
        ("see <https://homes.example/l/88|88 Alder Row>", "see 88 Alder Row"),
        ("<https://homes.example/l/88>", "https://homes.example/l/88"),
        ("*Name:* Wren Holt", "Name: Wren Holt"),
        ("_pre-approved_ and ~cold~ *hot*", "pre-approved and cold hot"),
        ("<!here> new lead <@U07QWERTY> <!channel>", "new lead"),
        ("<@U07QWERTY|dana> take it", "take it"),
        (":fire: hot one :fire:", "hot one"),
        ("• Phone: 555\n◦ Email: a@b.co\n- Budget: 5k", "Phone: 555\nEmail: a@b.co\nBudget: 5k"),
        ("Smith &amp; Sons &lt;main&gt;", "Smith & Sons <main>"),
        ("snake_case_word and 2*3*4", "snake_case_word and 2*3*4"),
    ],
)
def test_slack_markup_is_normalised(slack: str, plain: str) -> None:
    assert normalise_chat(slack) == plain


@pytest.mark.parametrize(
    ("note", "count"),
    [
        ("three walk-ins today:\n1. Wren Holt, 503-555-0182\n2) Abel Nakamura, abel.n@gmail.com\n"
         "3. Ines Kowal 503-555-0144, wants a quote", 3),
        ("Esther Lind\nesther.lind@gmail.com\n\nGideon Marsh\n(206) 555-0131", 2),
        ("- Sr. Tomás Prieto, 611 204 377, quiere un presupuesto\n- Sra. Elvira Ros, elvira.ros@gmail.com", 2),
        ("two walk-ins - Ilka Brandt (ilka.brandt@gmail.com) wants a bike, and her neighbour Ruben Sosa "
         "317-555-0126 asked about e-scooters", 2),
        ("walk-in - Ilka Brandt (ilka.brandt@gmail.com), wants a bike; her husband Tom came along", 1),
        ("Name: Wren Holt\nEmail: wren@holt.example\nPhone: 503-555-0182", 1),
        ("Spoke with Wren Holt (503-555-0182). She said her partner Abel is on abel@holt.example", 1),
        ("fwd this one:\n\nFrom: Wren Holt <wren@holt.example>\nSent: Monday\nTo: sales@shop.example\n\n"
         "Hi, please call me.\n\nWren\n503-555-0182", 1),
    ],
)
def test_notes_split_into_one_block_per_lead(note: str, count: int) -> None:
    assert len(split_chat(note)) == count


@pytest.mark.parametrize(
    ("note", "quoted"),
    [
        ('She wrote: "Can you come out before the 20th? The basement floods."',
         "Can you come out before the 20th? The basement floods."),
        ("Zitat: „Wir brauchen das Angebot bis Freitag.“", "Wir brauchen das Angebot bis Freitag."),
        ("> Hola, necesito tres presupuestos para la reforma.\ncorreo: x@y.es",
         "Hola, necesito tres presupuestos para la reforma."),
        ("her words: we need SSO or it's a non-starter", "we need SSO or it's a non-starter"),
        ("Called Wren, wants a quote, call back Tuesday", None),
        ('Lead "hot"', None),
    ],
)
def test_quoted_words_are_the_prospects_message(note: str, quoted: str | None) -> None:
    assert quoted_message(note) == quoted


@pytest.mark.parametrize(
    ("text", "prospect"),
    [
        ("I'm interested in availability.", True),
        ("Our roof faces south and we would like a quote.", True),
        ("Ich hätte gern einen Rückruf.", True),
        ("She wants a quote by Friday.", False),
        ("Walk-in, asked about the CR-V, I told him Tuesday.", False),
        ("Cliente quiere visitar el piso.", False),
        ("wants a demo next week", False),
    ],
)
def test_prospect_voice(text: str, prospect: bool) -> None:
    assert prospect_voice(text) is prospect


def _note(extractor: Extractor, text: str, **kw: str) -> list[dict[str, str | None]]:
    message = RawMessage(raw=text.encode("utf-8"), channel="slack", **kw)  # type: ignore[arg-type]
    return [lead.plain() for lead in extractor.extract(message).leads]


def test_slack_bulleted_labels_become_one_lead(extractor: Extractor) -> None:
    (lead,) = _note(extractor, "<!here> inbound :tada:\n• *Name:* Wren Holt\n"
                               "• *Email:* <mailto:wren@holtdesign.example|wren@holtdesign.example>\n"
                               "• *Phone:* <tel:+15035550182|(503) 555-0182>\ncc <@U07QWERTY>")
    assert (lead["full_name"], lead["email"], lead["phone"]) == ("Wren Holt", "wren@holtdesign.example",
                                                                  "(503) 555-0182")


def test_numbered_note_gives_one_lead_each(extractor: Extractor) -> None:
    leads = _note(extractor, "two from the expo:\n1. Wren Holt, wren.holt@gmail.com, 503-555-0182, wants a demo\n"
                             "2. Abel Nakamura, 503-555-0144, asked about pricing")
    assert [lead["full_name"] for lead in leads] == ["Wren Holt", "Abel Nakamura"]
    assert [lead["phone"] for lead in leads] == ["503-555-0182", "503-555-0144"]


def test_reps_words_are_not_the_message_but_a_quote_is(extractor: Extractor) -> None:
    (plain,) = _note(extractor, "Spoke to Wren Holt, 503-555-0182, she needs a new furnace before winter.")
    assert plain["message"] is None
    (quoted,) = _note(extractor, 'Spoke to Wren Holt, 503-555-0182. She said: "Ours is 30 years old and rattles."')
    assert quoted["message"] == "Ours is 30 years old and rattles."


def test_txt_file_reads_as_chat_and_kind_can_force_mail(extractor: Extractor) -> None:
    raw = b"call with Wren Holt, wren.holt@gmail.com - wants a demo"
    as_file = extractor.extract(RawMessage(raw=raw, channel="file", name_hint="note.txt"))
    as_chat = extractor.extract(RawMessage(raw=raw, channel="slack"))
    assert as_file.leads[0].plain() == as_chat.leads[0].plain()
    assert as_chat.leads[0].value("full_name") == "Wren Holt"
    as_message = extractor.extract(RawMessage(raw=raw, channel="file", name_hint="note.txt"), kind="message")
    assert as_message.leads[0].value("email") == "wren.holt@gmail.com"


@pytest.mark.parametrize(
    ("note", "interest"),
    [
        ("call with Wren Holt, 503-555-0182. They need badge access + cameras for a new lab, proposal by May",
         "badge access + cameras for a new lab"),
        ("walk-in: abel nakamura 503-555-0144, wants a quote on 2 mini splits", "quote on 2 mini splits"),
        ("Sra. Elvira Ros, 611 204 377, pide info del software de citas", "software de citas"),
        ("Herr Jonas Weber, 0521 12345678, möchte ein Angebot für 40 Handscanner", "Angebot für 40 Handscanner"),
        ("Mme Léa Roux, 06 55 50 12 34, cherche un devis pour une cuisine", "devis pour une cuisine"),
        ("Necesitan 40.000 etiquetas al mes. Tel 942 31 70 54, Lorena Aguirre", "40.000 etiquetas al mes"),
    ],
)
def test_what_the_note_says_the_lead_wants(extractor: Extractor, note: str, interest: str) -> None:
    (lead,) = _note(extractor, note)
    assert lead["interest"] == interest
