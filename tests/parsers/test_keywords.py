"""``parsers.keywords``: the key-word look that spares a costly case-insensitive pattern, and the key lists the
readers give it (each phrase a pattern matches must hold one of its keys, or the look would hide a reading)."""

from __future__ import annotations

import re

import pytest

from nlp.handed_on import _PASS_ON, _PASS_ON_KEYS
from nlp.names import _INTRO_KEYS, _STRONG_INTRO, _WEAK_INTRO
from nlp.orgs import _AFFILIATION, _AFFILIATION_KEYS, _TITLED_SELF, _TITLED_SELF_KEYS
from parsers.keywords import lowered, may_match
from parsers.structured import _SELLER_KEYS, _SELLER_LEAD


def test_no_key_no_match() -> None:
    assert not may_match("Please call me back tomorrow.", ("my name", "i am"))
    assert may_match("Hello, MY NAME is Odile Varga", ("my name",))


@pytest.mark.parametrize("text", ["ı am Odile", "İ AM Odile", "ſoy Odile", "\u212a"])
def test_letters_that_fold_to_ascii_skip_the_look(text: str) -> None:
    # IGNORECASE matches "ı" to "i" and "ſ" to "s"; str.lower() does not: the pattern must decide
    assert may_match(text, ("i am", "soy", "k"))
    assert re.search("(?i)i am|soy|k", text)


def test_lowered_remembers_the_last_text() -> None:
    text = "Wir Sind Die Firma " * 3
    assert lowered(text) == text.lower()
    assert lowered(text) is lowered(text)


_CASES: list[tuple[re.Pattern[str], tuple[str, ...], list[str]]] = [
    (_AFFILIATION, _AFFILIATION_KEYS, [
        "I'm Tove Anker from Brightwater Analytics", "we're with Copperleaf Studio", "I work at Nordwind Textil",
        "On behalf of Saltmarsh Ventures", "our company, Lindqvist Marine", "I lead the data team at Orrin Labs",
        "Ich arbeite bei Ostwald Bau GmbH", "trabajo para Hostal Roble", "En nombre de Clínica Arce",
    ]),
    (_TITLED_SELF, _TITLED_SELF_KEYS, [
        "I'm the purchasing lead at Ferrow Tools", "Je suis acheteuse chez Menuiserie Aubry",
        "ich bin Leiter Einkauf bei Rautenberg Logistik", "soy gerente de Bodegas Ulloa", "ik ben inkoper bij Vos Bouw",
    ]),
    (_STRONG_INTRO, _INTRO_KEYS[True], ["My name is Tove Anker", "mein Name ist Jens Ostwald", "Me llamo Inés Ulloa"]),
    (_WEAK_INTRO, _INTRO_KEYS[False],
     ["This is Tove Anker", "I am Jens Ostwald", "Soy Inés Ulloa", "hier spricht Jens Ostwald"]),
    (_PASS_ON, _PASS_ON_KEYS, ["Te paso un contacto de la feria:\nInés Ulloa", "ik stuur je een lead door:\nVos"]),
    (_SELLER_LEAD, _SELLER_KEYS, ["Lead type: Seller", "HOME VALUATION request", "we want to sell our condo"]),
]


@pytest.mark.parametrize(("pattern", "keys", "phrases"), _CASES)
def test_every_phrase_a_pattern_reads_holds_one_of_its_keys(
        pattern: re.Pattern[str], keys: tuple[str, ...], phrases: list[str]) -> None:
    for phrase in phrases:
        text = f"Hi,\n{phrase} and more.\nThanks"
        assert pattern.search(text), phrase
        assert may_match(text, keys), phrase


def test_consent_phrases_hold_a_key() -> None:
    from parsers.boilerplate import _CONSENT, _CONSENT_KEYS

    for phrase in ("By clicking Send you agree to be called", "I hereby consent to calls", "Msg & data rates may apply",
                   "Reply STOP to cancel", "opt-out at any time", "Ich willige in die Verarbeitung ein",
                   "Acepto la política de privacidad", "J'accepte la politique de confidentialité", "Ik ga akkoord",
                   "prerecorded messages", "Terms and Conditions"):
        assert _CONSENT.search(phrase), phrase
        assert may_match(phrase, _CONSENT_KEYS), phrase
