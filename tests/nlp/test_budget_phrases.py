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
