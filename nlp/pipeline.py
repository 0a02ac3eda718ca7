"""``build_nlp``: the one spaCy pipeline a process uses to read leads from free text.

Rules only by default — ``spacy.blank("xx")``, the multi-language tokenizer (German and Spanish text
tokenize as well as English; it is ~3× faster than the English one on lead text full of names and numbers),
with a span ruler for the word lists in ``patterns/*.jsonl`` and our components. With ``[nlp] model`` naming an
installed spaCy package (or a pipeline directory), that model is loaded instead, its NER kept, and its
entities offered as weak candidates that any more specific rule outranks.

Build it once per process (about 0.5 s with the gazetteers); it is read-only afterwards, so threads
(``asyncio.to_thread``) may share it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

# the imports register the component factories with spaCy
from nlp import address, assemble, candidates, contacts, interest, money, names, orgs, timeline
from nlp.candidates import RulerSpan, set_ruler_spans
from nlp.lexicon import first_names, free_mail_domains, read_jsonl
from nlp.settings import ModelNotInstalledError, NlpSettings

__all__ = ["ModelNotInstalledError", "build_nlp"]

_REGISTERED = (address, assemble, candidates, contacts, interest, money, names, orgs, timeline)
PATTERN_FILES = ("timeline.jsonl", "countries.jsonl", "vehicle_makes.jsonl")
#: model components the lead reader needs; the rest (parser, lemmatizer, tagger…) are disabled for speed
_MODEL_KEEP = frozenset({"tok2vec", "transformer", "ner", "entity_ruler"})
COMPONENTS = (
    ("leadbot_layout", "layout"),
    ("leadbot_contacts", "contacts"),
    ("leadbot_money", "money"),
    ("leadbot_timeline", "timeline"),
    ("leadbot_names", "names"),
    ("leadbot_orgs", "orgs"),
    ("leadbot_address", "address"),
    ("leadbot_interest", "interest"),
    ("leadbot_message", "message"),
)


def build_nlp(settings: NlpSettings | None = None, *, default_region: str = "US") -> Language:
    """The lead-reading pipeline: rules only, or ``settings.model``'s NER plus the rules.

    ``default_region`` is the ISO 3166 region assumed for phone numbers written without a country code.
    Raises ``ModelNotInstalledError`` (naming the package and how to install it) for a missing model.
    """
    settings = settings or NlpSettings()
    nlp = _load_model(settings.model) if settings.model else spacy.blank("xx")
    nlp.add_pipe("leadbot_phrases", name="leadbot_ruler")
    for factory, name in COMPONENTS:
        config = {"default_region": default_region.upper()} if factory == "leadbot_contacts" else {}
        nlp.add_pipe(factory, name=name, config=config)
    if "ner" in nlp.pipe_names:
        nlp.add_pipe("leadbot_ner", name="ner_bridge")
    nlp.add_pipe("leadbot_lead", name="lead")
    # load the gazetteers now, not on the first lead
    first_names()
    free_mail_domains()
    return nlp


class PhraseRuler:
    """The word lists of ``PATTERN_FILES`` found in a doc, as spaCy's ``span_ruler`` finds them with phrase
    patterns on ``LOWER`` (the same spans, deduplicated and in its order), put straight into the table
    ``nlp.candidates.ruler_spans`` reads: without the span ruler's per-doc wrapping (a warnings filter, an error
    handler, an empty token matcher) and a SpanGroup only that table was read from (~4 % of a reading's CPU)."""

    def __init__(self, nlp: Language, patterns: list[dict[str, Any]]) -> None:
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER", validate=True)
        self._labels: dict[int, tuple[str, str]] = {}
        for entry in patterns:
            label, span_id = str(entry["label"]), str(entry.get("id", ""))
            key = repr((label, span_id))
            self._labels[nlp.vocab.strings.add(key)] = (label, span_id)
            self.matcher.add(key, [nlp.make_doc(entry["pattern"])])

    def __call__(self, doc: Doc) -> Doc:
        labels = self._labels
        spans = sorted({Span(doc, start, end, label=labels[key][0], span_id=labels[key][1])
                        for key, start, end in self.matcher(doc) if start != end})
        table: dict[str, list[RulerSpan]] = {}
        for span in spans:
            table.setdefault(span.label_, []).append(RulerSpan(span.start_char, span.end_char, span.id_, span))
        set_ruler_spans(doc, table)
        return doc


@Language.factory("leadbot_phrases", default_config={})
def make_phrase_ruler(nlp: Language, name: str) -> PhraseRuler:
    return PhraseRuler(nlp, [p for file in PATTERN_FILES for p in read_jsonl(file)])


def run_pipeline(nlp: Language, doc: Doc) -> Doc:
    """``nlp(doc)`` for a made doc: each enabled component called in turn, without ``Language.__call__``'s
    per-component checks and error-handler lookups (the rules' components raise nothing they would handle)."""
    for _name, component in nlp.pipeline:
        doc = component(doc)
    return doc


def _load_model(name: str) -> Language:
    if not (spacy.util.is_package(name) or Path(name).is_dir()):
        raise ModelNotInstalledError(
            f"The spaCy model {name!r} set as [nlp] model is not installed. Install it into Leadbot's "
            f"environment with `python -m spacy download {name}` (or `pip install {name}`), or remove "
            f"`model` from the [nlp] section to run the rules-only pipeline."
        )
    try:
        nlp = spacy.load(name)
    except (OSError, ValueError) as exc:
        raise ModelNotInstalledError(f"The spaCy model {name!r} could not be loaded: {exc}") from exc
    for pipe in nlp.pipe_names:
        if pipe not in _MODEL_KEEP:
            nlp.disable_pipe(pipe)
    return nlp
