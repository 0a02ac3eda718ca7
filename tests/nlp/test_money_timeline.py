"""Budgets and timelines in English, German and Spanish."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.freetext import read_free_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We can spend about $25,000 on it.", "about $25,000"),
        ("My budget is around 25k.", "around 25k"),
        ("Budget: 18.500 EUR", "18.500 EUR"),
        ("Looking for something under 30.000 € if possible.", "under 30.000 €"),
        ("We are looking between $300k and $500k for a home.", "between $300k and $500k"),
        ("Mein Budget liegt bei bis zu 20.000 Euro.", "bis zu 20.000 Euro"),
        ("Tengo un presupuesto de hasta 15 mil dólares.", "de hasta 15 mil dólares"),
        ("Presupuesto: 250.000 €", "250.000 €"),
    ],
)
def test_budget(nlp: Language, text: str, expected: str) -> None:
    lead = read_free_text(nlp, text)
    assert lead.value("budget") == expected
    assert lead.fields["budget"].source == "nlp:money"


def test_mileage_and_years_are_not_budgets(nlp: Language) -> None:
    lead = read_free_text(nlp, "Is the 2018 Ford Focus with 62,000 miles still there?")
    assert lead.value("budget") is None


def test_budget_word_raises_confidence(nlp: Language) -> None:
    quoted = read_free_text(nlp, "I saw the $42,000 price online.")
    own = read_free_text(nlp, "I can afford $42,000 at most.")
    assert quoted.fields["budget"].confidence < own.fields["budget"].confidence


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I need the car ASAP.", "ASAP"),
        ("The roof leaks, we need it fixed as soon as possible.", "as soon as possible"),
        ("Could someone install it this afternoon?", "this afternoon"),
        ("We plan to buy next month.", "next month"),
        ("We want to move within 2 weeks.", "within 2 weeks"),
        ("Delivery would be needed in Q3 2025.", "in Q3 2025"),
        ("Wir möchten in 2 Wochen kaufen.", "in 2 Wochen"),
        ("Ich brauche das Auto sofort.", "sofort"),
        ("Necesito el coche lo antes posible.", "lo antes posible"),
        ("Queremos mudarnos dentro de un mes.", "dentro de un mes"),
        ("Timeline: before the end of summer", "before the end of summer"),
    ],
)
def test_timeline(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


def test_adjacent_timeline_phrases_merge(nlp: Language) -> None:
    lead = read_free_text(nlp, "We need the pump replaced as soon as possible this afternoon!")
    assert lead.value("timeline") == "as soon as possible this afternoon"


def test_specific_time_beats_urgency(nlp: Language) -> None:
    lead = read_free_text(nlp, "It's urgent. We need it delivered within 3 days.")
    assert lead.value("timeline") == "within 3 days"
    assert "urgent" in lead.fields["timeline"].alternatives


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We need the proposal by Dec 15, please.", "proposal by Dec 15"),
        ("No rush, but before summer would be nice.", "before summer"),
        ("Que vengan a verlo antes de Navidad.", "antes de Navidad"),
        ("Queremos empezar a partir de enero.", "a partir de enero"),
        ("Nous voudrions vendre au printemps.", "au printemps"),
        ("Le chantier doit finir avant juin 2027.", "avant juin 2027"),
        ("Ele quer resposta até sexta.", "até sexta"),
        ("Wir planen ab April 2027.", "ab April 2027"),
        ("Wir möchten bis Ende März einziehen.", "bis Ende März"),
        ("Delivery by 01/15/2027 at the latest.", "Delivery by 01/15/2027"),
        ("Vorrei iniziare entro marzo.", "entro marzo"),
        ("We willen starten vanaf mei.", "vanaf mei"),
    ],
)
def test_timeline_phrases_in_seven_languages(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


@pytest.mark.parametrize("text", ["I like the march of progress.", "We rent it from May through October.",
                                  "A sunny day in the park."])
def test_not_timelines(nlp: Language, text: str) -> None:
    assert read_free_text(nlp, text).value("timeline") is None


@pytest.mark.parametrize(
    "text",
    [
        "Wants a quote for new gutters. Best reached after 6pm on her mobile.",
        "Rückruf bitte um 15 Uhr, Thema Dachfenster.",
        "Anfrage Wintergarten.\nGesendet am 03.02.2027 um 08:15 Uhr",
        "Quote for a shed.\nSubmitted on 2/3/2027 at 8:15 am",
    ],
)
def test_clock_times_and_record_stamps_are_not_timelines(nlp: Language, text: str) -> None:
    assert read_free_text(nlp, text).value("timeline") is None


def test_a_dated_plan_stays_a_timeline(nlp: Language) -> None:
    assert read_free_text(nlp, "We hope to start the extension by 14.06.2027.").value("timeline") == "by 14.06.2027"


def test_a_preferred_date_label_is_not_a_stamp(nlp: Language) -> None:
    # (the softener after the date is the writer's and stays with it)
    assert read_free_text(nlp, "Preferred date: on 12/03 if possible").value("timeline") == "on 12/03 if possible"


@pytest.mark.parametrize(
    "text",
    [
        # when to reach them: a preferred contact time, in several languages
        "Please call me back before 3pm.",
        "Could someone call me this afternoon?",
        "Wants a new boiler. Call him back tomorrow morning.",
        "Bitte Rückruf morgen, er ist nur vormittags erreichbar.",
        "Llamar al cliente el lunes, quiere presupuesto de ventanas.",
        "Ligar para ela na sexta, quer orçamento de pintura.",
        "Le rappeler vendredi pour le devis.",
        # a meeting or call the rep set up
        "Demo booked for next Tuesday with their ops team.",
        "Termin vereinbart für Donnerstag, 10 Uhr.",
        "Quedamos el jueves para una reunión en la oficina.",
        "RDV fixé mardi prochain à l'agence.",
        # a past event
        "She came in last Saturday and looked at the blue one.",
        "Spoke to him yesterday about the roof.",
        "Er war letzte Woche schon im Showroom.",
        "Vino ayer a ver el piso.",
        # a date with nothing saying the prospect means to act then
        "Tuesday: walk-in, asked about the grey sofa.",
    ],
)
def test_dates_that_are_not_the_prospects_timeline(nlp: Language, text: str) -> None:
    assert read_free_text(nlp, text, chat=True).value("timeline") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Spoke to her today, they want to move in next month.", "next month"),
        ("Called back yesterday: needs the trucks by March.", "by March"),
        ("Kunde hat gestern angerufen, möchte bis Ende Juni umziehen.", "bis Ende Juni"),
        ("Hablé con ella ayer; quieren comprar en primavera.", "en primavera"),
        ("Vuole iniziare i lavori entro marzo.", "entro marzo"),
        ("Looking at a purchase within 3 months, call after 5pm.", "within 3 months"),
    ],
)
def test_the_prospects_timeline_beside_other_dates(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text, chat=True).value("timeline") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Praxisumbau geplant, Baubeginn März, Budget offen.", "Baubeginn März"),
        ("Rollout Q3 across both sites.", "Rollout Q3"),
        ("Entrega prevista: octubre", "Entrega prevista: octubre"),
        ("Wants to list the house after the holidays.", "after the holidays"),
        ("We need the signs before our grand opening on March 2.", "before our grand opening on March 2"),
    ],
)
def test_a_date_with_what_happens_then(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text, chat=True).value("timeline") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Investition ist für Q3 2027 eingeplant.", "Q3 2027"),
        ("Procuro mudar-me até ao outono.", "até ao outono"),
    ],
)
def test_planned_investments_and_contracted_articles(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text, chat=True).value("timeline") == expected
