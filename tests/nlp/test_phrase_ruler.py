"""nlp.pipeline.PhraseRuler finds what spaCy's span ruler finds with the same word lists, in the same order."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language

from nlp.candidates import RULER_KEY, ruler_spans
from nlp.freetext import make_doc
from nlp.lexicon import read_jsonl
from nlp.pipeline import PATTERN_FILES, PhraseRuler

LABELS = ("TIMELINE", "COUNTRY", "MAKE")
TEXTS = [
    "Hi, we need the roof done ASAP, ideally within two weeks. We're moving from the United States of America.",
    "Interested in the 2021 Toyota RAV4 Hybrid or an Alfa Romeo Giulia; trade-in is a Land Rover. asap!",
    "Hola, nos mudamos desde España a Deutschland la próxima semana, lo antes posible por favor.",
    "UNITED STATES, United states, united STATES: the same country thrice. Next month works, or next week.",
    "Nothing listed here at all, just a name: Priya Natarajan, 555-0101.",
    "",
]


@pytest.fixture(scope="module")
def both() -> tuple[Language, PhraseRuler]:
    patterns = [p for name in PATTERN_FILES for p in read_jsonl(name)]
    reference = spacy.blank("xx")
    ruler = reference.add_pipe("span_ruler", config={"spans_key": RULER_KEY, "phrase_matcher_attr": "LOWER",
                                                     "validate": True, "overwrite": False})
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    return reference, PhraseRuler(reference, patterns)


@pytest.mark.parametrize("text", TEXTS)
def test_same_spans_as_the_span_ruler(both: tuple[Language, PhraseRuler], text: str) -> None:
    reference, phrases = both
    expected = reference(text)  # the span ruler's spans in doc.spans, read by ruler_spans' fallback
    found = phrases(make_doc(reference, text))
    for label in LABELS:
        want = [(s.start, s.end, s.id, s.span.text) for s in ruler_spans(expected, label)]
        got = [(s.start, s.end, s.id, s.span.text) for s in ruler_spans(found, label)]
        assert got == want, label


def test_the_texts_hold_matches_of_every_label(both: tuple[Language, PhraseRuler]) -> None:
    _reference, phrases = both
    docs = [phrases(make_doc(_reference, text)) for text in TEXTS]
    for label in LABELS:
        assert any(ruler_spans(doc, label) for doc in docs), label
    countries = [s.id for s in ruler_spans(docs[3], "COUNTRY")]
    assert countries.count("US") >= 3  # case-insensitive, every spelling


def test_pipeline_reads_with_the_phrase_ruler(nlp: Language) -> None:
    assert isinstance(nlp.get_pipe("leadbot_ruler"), PhraseRuler)
