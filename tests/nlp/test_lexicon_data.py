"""The word lists generated from maintained packages are current with the packages installed."""

from __future__ import annotations

import re

from spacy import about
from spacy.lang.en.stop_words import STOP_WORDS as ENGLISH
from spacy.lang.es.stop_words import STOP_WORDS as SPANISH

from nlp.lexicon import PATTERNS_DIR, stop_words


def test_stop_words_come_from_the_installed_spacy() -> None:
    header = (PATTERNS_DIR / "stop_words.txt").read_text(encoding="utf-8").splitlines()[0]
    generated_from = re.search(r"spaCy (\S+)'s", header)
    assert generated_from, header
    # a spaCy upgrade may change the lists: run nlp/patterns/make_stop_words.py again
    assert generated_from.group(1) == about.__version__
    words = stop_words()
    assert {w.casefold() for w in ENGLISH | SPANISH} <= words
    # one function word of each of the other languages we read
    assert {"und", "het", "della", "também", "avec"} <= words
    assert "schmidt" not in words and "maria" not in words
