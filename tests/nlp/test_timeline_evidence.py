"""Timeline evidence: farewells, a viewing and a rep's own errand say no; a sentence ends at its date."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.freetext import read_free_text


@pytest.mark.parametrize(
    "text",
    [
        "I'm interested in the blue hatchback. Hope to hear from you soon.",
        "Looking forward to hearing from you soon!",
        "Ich freue mich, bald von Ihnen zu hören.",
        "Quedo a la espera de saber de ustedes pronto.",
        "Me gustaría visitarlo este sábado por la mañana.",
        "Could we schedule a viewing this Saturday?",
        "I can come by Thursday after 6 to see it.",
        "Können wir die Wohnung am Freitag besichtigen?",
        "Ik wil de woning graag bezichtigen op zaterdag.",
        "Dana will send him specs and pricing by Friday.",
    ],
)
def test_a_farewell_a_viewing_or_an_errand_is_no_timeline(nlp: Language, text: str) -> None:
    assert read_free_text(nlp, text).value("timeline") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the next sentence's "send" is not this date's word
        ("Wir wollen die Buchhaltung ab Januar. Können Sie uns ein Angebot senden?", "ab Januar"),
        ("Queremos cambiar de gestoría a partir de enero. ¿Nos podrían enviar presupuesto?", "a partir de enero"),
        ("We plan to buy within 3 months, hope to see the car first.", "within 3 months"),
        ("Can someone come out this week to look at the furnace?", "this week"),
    ],
)
def test_the_plan_stays_a_timeline(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We need the chairs installed before the lease starts in april.", "before the lease starts in april"),
        ("It has to be up before next harvest (August). Can you give me a ballpark?", "before next harvest (August)"),
        ("Necesitamos la nave lista antes de la vendimia de septiembre.", "antes de la vendimia de septiembre"),
        ("Die Halle muss vor der Ernte im September stehen.", "vor der Ernte im September"),
        ("Nous voulons finir avant la rentrée de septembre.", "avant la rentrée de septembre"),
        # an anchor with its deadline: what happens by then
        ("• sucht 4 Etikettierer, Entscheidung bis Ende Q1", "Entscheidung bis Ende Q1"),
    ],
)
def test_a_deadline_keeps_its_event(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


@pytest.mark.parametrize("text", ["Please call before lunch in May.", "I was there before the storm in August."])
def test_a_deadline_needs_a_plan(nlp: Language, text: str) -> None:
    assert read_free_text(nlp, text).value("timeline") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I need a cleaning and a filling, any openings Friday?", "Friday"),
        ("Can you install it Saturday?", "Saturday"),
        ("Our office is open Monday to Friday.", None),
        ("We spoke Friday about the quote.", None),
        ("I'd like to drive it Wednesday.", None),  # a test drive is a viewing
    ],
)
def test_a_weekday_written_alone(nlp: Language, text: str, expected: str | None) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Our furnace broke in January, we want a new one by March.", "by March"),
        ("The old unit stopped working in December.", None),
        ("We want it installed in May.", "in May"),
    ],
)
def test_a_breakdown_is_past(nlp: Language, text: str, expected: str | None) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


def test_a_meeting_that_happened_is_past(nlp: Language) -> None:
    note = "Met Raj Patel at the expo on Tuesday — wants a demo of the fleet app."
    assert read_free_text(nlp, note, chat=True).value("timeline") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Die Anlage muss spätestens Februar 2027 laufen.", "spätestens Februar 2027"),
        ("We need it installed no later than March 15.", "no later than March 15"),
        ("La necesitamos a más tardar el 15 de junio.", "a más tardar el 15 de junio"),
    ],
)
def test_at_the_latest(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We'd like to buy in 1-3 months.", "1-3 months"),
        ("Looking to move early March.", "early March"),
        ("We want to replace all windows over the next 6 months.", "over the next 6 months"),
        ("Queremos comprar en los próximos 3 meses.", "en los próximos 3 meses"),
        ("Shipping took 2-3 weeks last time.", None),
    ],
)
def test_ranges_and_parts_of_a_month(nlp: Language, text: str, expected: str | None) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nous voulons acheter l'année prochaine.", "l'année prochaine"),
        ("Vogliamo comprare il mese prossimo.", "il mese prossimo"),
        ("Wij willen volgend jaar verhuizen.", "volgend jaar"),
        ("We plan to build in 2027.", "in 2027"),
        ("The house was built in 2021.", None),
        ("Invoice 2026-118 for 2026 services.", None),
    ],
)
def test_next_year_and_a_year_alone(nlp: Language, text: str, expected: str | None) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nous voulons commencer les travaux dès que possible.", "dès que possible"),
        ("Vorremmo iniziare il prima possibile.", "il prima possibile"),
        ("Queremos começar o quanto antes.", "o quanto antes"),
        ("Wij willen zo snel mogelijk verhuizen.", "zo snel mogelijk"),
        ("Merci et à bientôt !", None),
        ("Obrigado, até breve.", None),
        ("Bis bald, Anna", None),
    ],
)
def test_urgency_and_farewells_in_more_languages(nlp: Language, text: str, expected: str | None) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nous voulons déménager dans 3 mois.", "dans 3 mois"),
        ("Vorremmo comprare entro sei mesi.", "entro sei mesi"),
        ("Queremos comprar em 2 meses.", "em 2 meses"),
        ("Wij willen binnen twee maanden kopen.", "binnen twee maanden"),
    ],
)
def test_relative_horizons_in_fr_it_pt_nl(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The pipe under the sink burst, we need a plumber tomorrow if possible.", "tomorrow if possible"),
        ("Wir brauchen das Gerüst bis Freitag, wenn möglich.", "bis Freitag, wenn möglich"),
        ("Necesitamos la mudanza este sábado si es posible.", "mudanza este sábado si es posible"),
    ],
)
def test_a_softener_after_the_date_stays_with_it(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the past word is another clause's: the wish beside the date decides
        ("Had three estimates done already, wants ours by Thursday", "by Thursday"),
        # in the same clause, the past word still says no
        ("Already came by Thursday to measure.", None),
    ],
)
def test_a_contrary_word_in_another_clause(nlp: Language, text: str, expected: str | None) -> None:
    assert read_free_text(nlp, text, chat=True).value("timeline") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The carpets need cleaning by the 21st, guests arrive then.", "by the 21st"),
        ("Necesito el seguro antes del día 3 porque me entregan el coche.", "antes del día 3"),
        ("The invoice from the 3rd is attached.", None),
    ],
)
def test_a_day_of_the_month_by_its_number(nlp: Language, text: str, expected: str | None) -> None:
    assert read_free_text(nlp, text).value("timeline") == expected


def test_a_timeline_label_quoted_into_a_note(nlp: Language) -> None:
    note = "lead from the quote form, pls call\n\n> Timeline: once the permit comes through\n> Budget: 12k\n"
    assert read_free_text(nlp, note, chat=True).value("timeline") == "once the permit comes through"
