"""The writer's own firm in a mail's prose and closing lines; an event where a lead was met is no firm."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.freetext import read_free_text


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Hello, I'm the COO of Brasswick Freight and we need dock levelers for two bays.", "Brasswick Freight"),
        ("Bonjour, je suis responsable achats chez Tuilerie Morand et nous cherchons des palettes.",
         "Tuilerie Morand"),
        ("Guten Tag, ich bin Einkaufsleiter bei der Hesselbach Logistik GmbH und suche Regale.",
         "Hesselbach Logistik GmbH"),
        ("Hola, soy gerente de Hostal Las Encinas y queremos cambiar 20 colchones.", "Hostal Las Encinas"),
        ("Hi, I'm planning an offsite for my team at Quillfeather Games, 12 people in May.", "Quillfeather Games"),
    ],
)
def test_the_writers_role_then_their_firm(nlp: Language, body: str, expected: str) -> None:
    assert read_free_text(nlp, body, sender_email="someone@gmail.com").value("company") == expected


def test_a_role_word_that_is_no_job_title_names_no_firm(nlp: Language) -> None:
    body = "Hi, I'm the one who called about Mapleton Heights yesterday, we need two windows replaced."
    assert read_free_text(nlp, body, sender_email="someone@gmail.com").value("company") is None


@pytest.mark.parametrize(
    "note",
    [
        "Met Sandra Kowalczyk at the Boulder Home Show, sandra.k@gmail.com, 720-555-0133. Wants a sunroom quote.",
        "Trafen Herrn Udo Paulsen auf der Kieler Bau-Messe, udo.paulsen@web.de, 0431 5550123, will ein Carport.",
    ],
)
def test_an_event_is_no_firm(nlp: Language, note: str) -> None:
    assert read_free_text(nlp, note, chat=True).value("company") is None


def test_the_writers_firm_under_their_name_without_a_sign_off_word(nlp: Language) -> None:
    body = ("We need a quote to heat two hoop houses before the seedlings go in.\n\nWalt Brennick\n"
            "Brennick Orchards\n(402) 555-0173\n")
    lead = read_free_text(nlp, body, sender_name="Walt Brennick", sender_email="walt@brennickorchards.example")
    assert lead.value("company") == "Brennick Orchards"


def test_without_the_writers_name_the_closing_lines_are_not_read_as_a_signature(nlp: Language) -> None:
    body = "We need a quote to heat two hoop houses.\n\nThe Greenhouse Crew\n(402) 555-0173\n"
    lead = read_free_text(nlp, body, sender_name="Walt Brennick", sender_email="walt@gmail.com")
    assert lead.value("company") is None
