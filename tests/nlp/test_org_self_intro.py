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
        ("Hi, we're a 12-person design team at Larkmoor Studio and need a plotter.", "Larkmoor Studio"),
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


@pytest.mark.parametrize(
    ("closing", "email", "expected"),
    [
        # no sign-off word: the writer's name on its own line opens the signature
        ("Walt Brennick\nBrennick Orchards\n", "walt@brennickorchards.example", "Brennick Orchards"),
        # without the writer's name the closing lines are not read as a signature
        ("The Greenhouse Crew\n", "walt@gmail.com", None),
    ],
)
def test_closing_lines_without_a_sign_off_word(nlp: Language, closing: str, email: str, expected: str | None) -> None:
    body = f"We need a quote to heat two hoop houses before the seedlings go in.\n\n{closing}(402) 555-0173\n"
    assert read_free_text(nlp, body, sender_name="Walt Brennick", sender_email=email).value("company") == expected


@pytest.mark.parametrize(
    ("note", "expected"),
    [
        # a firm typed in lower case in a capitalised note, spelled by the email's domain
        ("Spoke to Odile Fenwick at harbourline freight, odile.fenwick@harbourlinefreight.example, 415-555-0190",
         "harbourline freight"),
        # cue words and the person's name before the connector that opens the firm
        ("Ligação da Beatriz Lacerda da Lacerda Engenharia, (11) 95555-0123, quer orçamento de andaimes",
         "Lacerda Engenharia"),
    ],
)
def test_a_firm_in_a_note_after_the_person(nlp: Language, note: str, expected: str) -> None:
    assert read_free_text(nlp, note, chat=True).value("company") == expected


def test_a_lower_case_run_the_domain_does_not_spell_is_no_firm(nlp: Language) -> None:
    note = "Spoke to Odile Fenwick at the front desk, odile.fenwick@harbourlinefreight.example, 415-555-0190"
    assert read_free_text(nlp, note, chat=True).value("company") is None
