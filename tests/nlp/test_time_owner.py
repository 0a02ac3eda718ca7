"""Whose a time phrase is: the rep's plan in a chat note, the prospect's horizon, or no time at all."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.freetext import read_free_text
from nlp.time_owner import writers_clause


def _at(text: str, phrase: str) -> int:
    return text.index(phrase)


@pytest.mark.parametrize(
    ("text", "phrase", "lang"),
    [
        ("Talked to Dana. I'll call her back Monday with pricing.", "Monday", "en"),
        ("Ich melde mich Mittwoch mit einem Angebot.", "Mittwoch", "de"),
        ("Le devuelvo la llamada el lunes.", "el lunes", "es"),
        ("Je le rappelle lundi.", "lundi", "fr"),
        ("Ik bel haar donderdag terug.", "donderdag", "nl"),
        ("Onze planning zit vol tot april.", "tot april", "nl"),
        ("Lo richiamo lunedì.", "lunedì", "it"),
        ("Our crew is booked until March.", "until March", "en"),
        ("Offerte volgt vrijdag.", "vrijdag", "nl"),
    ],
)
def test_the_writers_own_clause(text: str, phrase: str, lang: str) -> None:
    assert writers_clause(text, _at(text, phrase), lang)


@pytest.mark.parametrize(
    ("text", "phrase", "lang"),
    [
        ("I talked to her, she wants to move in June.", "in June", "en"),
        ('She said "I need it before summer".', "before summer", "en"),
        ("> I want it done by March\nfrom Nina", "by March", "en"),
        ("Vuole iniziare i lavori entro marzo.", "entro marzo", "it"),
        ("We need the signs before our grand opening.", "before our", "en"),
        ("Sie will das Dach so schnell wie möglich.", "so schnell", "de"),
    ],
)
def test_the_prospects_clause(text: str, phrase: str, lang: str) -> None:
    assert not writers_clause(text, _at(text, phrase), lang)


@pytest.mark.parametrize(
    "text",
    [
        "Just talked to Dana Whitlock, 555-0142. I'll call her back Monday with pricing. She wants a heat pump.",
        "Gesprek met Pieter Jansen, 06 87654321, zoekt een tuinontwerp. Offerte volgt vrijdag.",
        "Spoke with Mark Stone 555-0170, collecting quotes for a fence. No rush.",
        "Hablé con Diego Fernández 655 123 456, busca un piso. Sin prisa.",
        "Ad posted 3 days ago; property built in 1998, renovated in 2021.",
        "Objekt: 2-Zimmer-Wohnung, frei ab 01.02.2027",
    ],
)
def test_no_timeline_from_the_reps_plan_a_vague_word_or_the_items_dates(nlp: Language, text: str) -> None:
    assert read_free_text(nlp, text, chat=True).value("timeline") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nous souhaitons une installation avant l'hiver.", "avant l'hiver"),
        ("Wir möchten die Anlage bis zum Sommer installiert haben.", "bis zum Sommer"),
        ("Quero fechar negócio até o fim do mês.", "até o fim do mês"),
        ("Il veut une cuisine, livraison d'ici la fin de l'année.", "d'ici la fin de l'année"),
        ("We want to close on a house by end of Q2.", "by end of Q2"),
        ("Me mudo en dos semanas y quiero la alarma instalada antes.", "en dos semanas"),
        ("Telefonat mit Frau Keller. Sie möchte eine Wärmepumpe, Einbau innerhalb von 3 Monaten. Ich rufe sie "
         "Montag zurück.", "innerhalb von 3 Monaten"),
    ],
)
def test_the_prospects_horizon_in_seven_languages(nlp: Language, text: str, expected: str) -> None:
    assert expected.casefold() in (read_free_text(nlp, text, chat=True).value("timeline") or "").casefold()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gesprek met Sanne de Vries. Ze wil zo snel mogelijk een nieuwe cv-ketel.", "nieuwe cv-ketel"),
        ("Call w/ Jim Park: needs ASAP a new roof over the garage.", "new roof over the garage"),
    ],
)
def test_the_item_after_a_time_phrase(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text, chat=True).value("interest") == expected


def test_a_reflexive_verb_alone_is_no_item(nlp: Language) -> None:
    lead = read_free_text(nlp, "Cliente: Ana Torres 699 112 233. Quiere mudarse en marzo.", chat=True)
    assert lead.value("interest") is None
    assert lead.value("timeline") == "en marzo"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Walk-in Tom Reyes 555-0112, patio cover, in May.", "in May"),
        ("Herr Lutz, 0151 1234567, Carport, im Mai.", "im Mai"),
    ],
)
def test_a_short_month_after_its_preposition_is_a_horizon(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text, chat=True).value("timeline") == expected
