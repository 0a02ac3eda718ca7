"""Budget phrases keep what kind of money they are: a down payment, a monthly payment, a cap."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.extractor import MIN_FREE_TEXT_CONFIDENCE
from nlp.freetext import read_free_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What's the out the door price with 20k down?", "20k down"),
        ("We want to keep the payment under $1,950 a month.", "under $1,950 a month"),
        ("He said ~$6k max for the whole job.", "~$6k max"),
        ("Budget ca. 480 T€ netto für beide Standorte.", "ca. 480 T€"),
        ("Notre budget est d'environ 30.000 €.", "environ 30.000 €"),
        ("Orçamento até 40.000 € para a obra.", "até 40.000 €"),
        ("Il budget è al massimo 25.000 euro.", "al massimo 25.000 euro"),
        ("Ons budget is maximaal € 12.000.", "maximaal € 12.000"),
    ],
)
def test_budget_phrase(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("budget") == expected


def test_a_monthly_price_alone_fills_no_budget(nlp: Language) -> None:
    # a rent quoted back from the listing reads the same as a monthly budget: it needs a spending word
    quoted = read_free_text(nlp, "The flat is $2,400 a month, is it still free?").fields["budget"]
    assert quoted.confidence < MIN_FREE_TEXT_CONFIDENCE
    assert read_free_text(nlp, "I can pay $2,400 a month.").fields["budget"].confidence >= MIN_FREE_TEXT_CONFIDENCE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Brazilian reais, with the Portuguese "thousand" and an approximate qualifier
        ("Quer comprar à vista, algo em torno de R$ 480 mil no total.", "em torno de R$ 480 mil"),
        ("Procura casa com quintal, até R$ 900 mil.", "até R$ 900 mil"),
        # what kind of money it is, written before the amount
        ("Pagamento: financiado, entrada de R$ 35.000", "entrada de R$ 35.000"),
        # a bare number right after the word budget: the writer dropped the currency
        ("two kids, one dog, budget 750 max", "750 max"),
    ],
)
def test_budget_written_in_other_shapes(nlp: Language, text: str, expected: str) -> None:
    budget = read_free_text(nlp, text).fields["budget"]
    assert budget.value == expected
    assert budget.confidence >= MIN_FREE_TEXT_CONFIDENCE


def test_a_listing_price_in_reais_stays_unsure(nlp: Language) -> None:
    # "R$" is a currency sign, not a qualifier: an amount alone in a listing line is as unsure as "$ 1,200,000"
    listing = read_free_text(nlp, "Casa 4 quartos - Jardim Europa - R$ 2.150.000").fields["budget"]
    assert listing.confidence < MIN_FREE_TEXT_CONFIDENCE


def test_a_german_compound_names_the_financing(nlp: Language) -> None:
    # "Baufinanzierung" holds the financing word inside a compound: the price beside it is what they will spend
    text = "Frau Albers sucht eine Baufinanzierung für ein Haus in Kassel, Kaufpreis 410.000 €."
    budget = read_free_text(nlp, text).fields["budget"]
    assert budget.value == "410.000 €"
    assert budget.confidence >= MIN_FREE_TEXT_CONFIDENCE


def test_budget_followed_by_a_count_is_no_amount(nlp: Language) -> None:
    assert "budget" not in read_free_text(nlp, "Budget is 2 bedrooms near the school.").fields


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Loan amount: $265,500\nProperty type: condo", "$265,500"),
        ("Monto del préstamo: 180.000 €", "180.000 €"),
    ],
)
def test_what_they_borrow_is_their_budget(nlp: Language, text: str, expected: str) -> None:
    budget = read_free_text(nlp, text).fields["budget"]
    assert (budget.value, budget.confidence >= MIN_FREE_TEXT_CONFIDENCE) == (expected, True)


def test_a_loan_amount_quoted_into_a_note(nlp: Language) -> None:
    note = "Anschlussfinanzierung, Anfrage aus dem Zinsrechner\n\n> Darlehensbetrag: 310.000 €\n"
    assert read_free_text(nlp, note, chat=True).value("budget") == "310.000 €"
