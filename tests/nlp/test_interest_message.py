"""What they ask about, and their own words."""

from __future__ import annotations

import pytest
from spacy.language import Language

from nlp.freetext import read_free_text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Is the 2019 Honda Civic EX still available?", "2019 Honda Civic EX"),
        ("Ich interessiere mich für den VW Golf 8 GTI.", "VW Golf 8 GTI"),
        ("Me interesa el Ford Ranger 2023 que vi en su web.", "Ford Ranger 2023"),
        ("We are interested in your kitchen remodeling service.", "kitchen remodeling service"),
        ("Vehicle: 2020 Subaru Outback Limited", "2020 Subaru Outback Limited"),
    ],
)
def test_interest(nlp: Language, text: str, expected: str) -> None:
    assert read_free_text(nlp, text).value("interest") == expected


def test_lowercase_words_are_not_makes(nlp: Language) -> None:
    lead = read_free_text(nlp, "I need a car seat and a mini fridge delivered.")
    assert lead.value("interest") is None


def test_interest_from_subject_with_stock_number(nlp: Language) -> None:
    lead = read_free_text(nlp, "Hello,\nStock Number: K2231\nI'm interested in availability.",
                          subject="Contact us about your Highlander")
    assert lead.value("interest") == "Highlander (Stock Number K2231)"
    assert lead.fields["interest"].source == "nlp:interest.subject"


def test_uninformative_subject_gives_no_interest(nlp: Language) -> None:
    assert read_free_text(nlp, "Please call me.", subject="Frogs").value("interest") is None


def test_message_is_the_prospects_words_only(nlp: Language) -> None:
    text = (
        "Hi Christopher,\n\nName: Odile Renard\nPhone: (503) 555-0178\n"
        "I'd like to book a test drive on Saturday.\nDo you take trade-ins?\n\n"
        "Best regards,\nOdile Renard\n(503) 555-0178\n\n"
        "On Fri, Mar 7, 2025 at 9:00 AM Chris <chris@dealer.example> wrote:\n> Thanks for your interest"
    )
    lead = read_free_text(nlp, text)
    assert lead.value("message") == "I'd like to book a test drive on Saturday. Do you take trade-ins?"


def test_labelled_message_wins(nlp: Language) -> None:
    lead = read_free_text(nlp, "Name: Ivo Stern\nComments: Need a roof inspection before winter.")
    assert lead.value("message") == "Need a roof inspection before winter."


def test_html_ish_text(nlp: Language) -> None:
    html = (
        "<html><body><p>Hello,</p><p>I&#39;m Freya Lindgren and I want the 2021 Kia Sorento.</p>"
        "<p>Phone: (720) 555-0112</p><p>Thanks,<br>Freya Lindgren</p></body></html>"
    )
    lead = read_free_text(nlp, html)
    assert lead.value("full_name") == "Freya Lindgren"
    assert lead.value("phone") == "(720) 555-0112"
    assert lead.value("interest") == "2021 Kia Sorento"
    assert lead.value("message") == "I'm Freya Lindgren and I want the 2021 Kia Sorento."
