"""One language guess for seven languages."""

from __future__ import annotations

import pytest

from parsers.language import guess_language


@pytest.mark.parametrize(("text", "lang"), [
    ("Hi, I would like a quote for the roof of my garage, please call me.", "en"),
    ("Guten Tag, ich hätte gerne ein Angebot für die Dachsanierung, bitte rufen Sie mich an.", "de"),
    ("Hola, quisiera un presupuesto para la reforma de la cocina, gracias.", "es"),
    ("Olá, gostaria de um orçamento para a reforma da minha casa, obrigado.", "pt"),
    ("Bonjour, je voudrais un devis pour la rénovation de ma salle de bain, merci.", "fr"),
    ("Buongiorno, vorrei un preventivo per il rifacimento del bagno, grazie.", "it"),
    ("Goedemiddag, ik wil graag een offerte voor een nieuwe badkamer, dank u.", "nl"),
])
def test_each_language(text: str, lang: str) -> None:
    assert guess_language(text) == lang


def test_too_little_text_gives_the_default() -> None:
    assert guess_language("OK", default="en") == "en"
    assert guess_language("") is None
