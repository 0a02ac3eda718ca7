"""A listing's reference with the listing's title and address on unlabelled lines beside it."""

from __future__ import annotations

from tests.parsers.helpers import one

_HEAD = "From: Portal <avisos@portal.example>\nTo: agencia@inmo.example\nSubject: Nuevo contacto\n\n"


def test_lines_below_a_reference_are_the_listing_asked_about() -> None:
    lead = one(_HEAD + "Anúncio: PR-40917\nMoradia T4 com piscina\nRua das Flores 12, 4050-262 Porto\n"
               "Preço: 540.000 €\n\nNome: Tiago Moreira\nEmail: tiago.m@example.pt\nTelefone: 913 555 208\n")
    assert lead["interest"] is not None
    assert lead["interest"].startswith("Moradia T4 com piscina, Rua das Flores 12, 4050-262 Porto")
    assert "PR-40917" in lead["interest"]
    assert (lead["street"], lead["city"], lead["postal_code"]) == (None, None, None)


def test_a_title_line_above_the_reference_joins_it() -> None:
    lead = one(_HEAD + "Tienes un mensaje nuevo\n\nÁtico en venta en calle Larios, 3, Málaga\n"
               "Referencia del anuncio: 55102233\n\nNombre: Rocío Benítez\nTeléfono: 655 550 221\n")
    assert lead["interest"] == "Ático en venta en calle Larios, 3, Málaga (Referencia del anuncio 55102233)"
    assert lead["city"] is None


def test_a_reference_followed_by_the_leads_words_stays_a_reference() -> None:
    lead = one(_HEAD + "Referencia: VAL-2231\n¿Sigue disponible el piso?\n\nNombre: Rocío Benítez\n"
               "Teléfono: 655 550 221\n")
    assert lead["interest"] == "Referencia VAL-2231"
