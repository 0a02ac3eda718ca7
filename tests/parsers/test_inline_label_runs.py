"""A line of several "Label: value" pairs is cut once per label, a label of several words included."""

from __future__ import annotations

import pytest

from parsers.labels.lookup import split_inline_labels


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("Submission details: First Name: Evander Last Name: Okonkwo Email: evander.ok@gmail.com",
         ["Submission details:", "First Name: Evander", "Last Name: Okonkwo", "Email: evander.ok@gmail.com"]),
        ("Vorname: Jonas Nachname: Weidemann Telefon: 0351 4829913",
         ["Vorname: Jonas", "Nachname: Weidemann", "Telefon: 0351 4829913"]),
        ("Nome: Thiago Nascimento Telefone: (21) 99876-5432", ["Nome: Thiago Nascimento", "Telefone: (21) 99876-5432"]),
    ],
)
def test_a_label_of_several_words_is_cut_once(line: str, parts: list[str]) -> None:
    assert split_inline_labels(line).split("\n") == parts
