"""A forwarded mail's "Subject:" line is read as a subject is; a form's own "Subject:" field stays what it is."""

from __future__ import annotations

import pytest

from parsers.labels import read_labels
from parsers.subject import header_block_subjects, says_nothing

FORWARDS = [
    "---------- Forwarded message ---------\nFrom: Nora Pike <nora@example.com>\nDate: Mon, Nov 16, 2026\n"
    "Subject: Backyard patio quote\nTo: info@firm.example\n\nHi, we want a paver patio.\n",
    "-------- Message transféré --------\nDe : Bernard Lemoine <b@example.fr>\nDate : 22/11/2026 18:22\n"
    "À : contact@agence.example\nObjet : Estimation appartement\n\nBonjour,\n",
    "-----Ursprüngliche Nachricht-----\nVon: Volker Brandt <vb@example.de>\nBetreff: Anfrage Wärmepumpe\n\nHallo\n",
]


@pytest.mark.parametrize("text", FORWARDS)
def test_a_forwarded_mails_headline_is_no_interest(text: str) -> None:
    assert read_labels(text).fields.build().value("interest") is None


def test_a_forwarded_notice_still_names_its_object() -> None:
    text = ("From: Web <web@firm.example>\nSent: Monday\nTo: sales@firm.example\n"
            "Subject: Quote: 500 letterpress business cards\n\nName: Ann\n")
    assert read_labels(text).fields.build().value("interest") == "500 letterpress business cards"


def test_a_form_mailers_own_subject_field_is_the_interest() -> None:
    text = "From: Annika Holm <annika@holm.example>\nSubject: Spring cleanup\n\nMessage Body:\nHi\n"
    assert header_block_subjects(text.split("\n")) == frozenset()
    assert read_labels(text).fields.build().value("interest") == "Spring cleanup"


@pytest.mark.parametrize("subject", ["Pedido de orçamento", "Quote request", "Demande de devis", "Anfrage #88213"])
def test_a_subject_of_notice_words_says_nothing(subject: str) -> None:
    assert says_nothing(subject)
    assert read_labels(f"Name: Ana Lima\nSubject: {subject}\n").fields.build().value("interest") is None


def test_a_subject_with_an_item_says_something() -> None:
    assert not says_nothing("Orçamento remodelação de casa de banho")
