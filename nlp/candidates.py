"""What the components leave on a Doc: the message's metadata, its layout, and field candidates.

Extensions (registered once, guarded, as spaCy's docs show):

- ``doc._.leadbot_meta``: ``Meta`` — sender name/email, subject and recipients handed in by the caller;
- ``doc._.leadbot_layout``: ``Layout`` — see ``nlp.layout``;
- ``doc._.leadbot_candidates``: ``list[Candidate]`` — every component appends, none removes;
- ``doc._.lead``: ``ExtractedLead`` — set by the last component (``lead``) from the candidates.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from nlp.layout import Layout, analyse

#: field groups a candidate can fill; "person" and "address" carry several lead fields in ``parts``
PERSON = "person"
ADDRESS = "address"


@dataclass(frozen=True, slots=True)
class Meta:
    sender_name: str | None = None
    sender_email: str | None = None
    subject: str | None = None
    #: the text is a rep's chat note about a lead (cue words name the lead; the rep's words are no message)
    chat: bool = False
    #: the writer passes someone else's lead on ("a client of mine, Samantha Greer"): the writer, their
    #: signature and their firm are a partner's, not the lead's (set by the ``names`` component)
    referred: bool = False
    #: the addresses the message was written to (the mail's To/Cc): a firm their domains spell is the recipient's
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Candidate:
    """One reading of one field (or of a person / an address) with the rule that made it.

    ``start`` is the character offset in the doc (-1 for values from the metadata); earlier wins ties.
    """

    field: str
    value: str
    confidence: float
    component: str
    start: int = -1
    parts: Mapping[str, str] = dataclasses.field(default_factory=dict)
    flags: tuple[str, ...] = ()


def register_extensions() -> None:
    for name in ("leadbot_meta", "leadbot_layout", "leadbot_candidates", "leadbot_ruler", "lead"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register_extensions()


def meta_of(doc: Doc) -> Meta:
    meta = doc._.leadbot_meta
    return meta if isinstance(meta, Meta) else Meta()


def layout_of(doc: Doc) -> Layout:
    """The doc's layout, computed here if the ``layout`` component did not run."""
    layout = doc._.leadbot_layout
    if not isinstance(layout, Layout):
        meta = meta_of(doc)
        layout = analyse(doc.text, meta.subject, pasted=meta.chat)
        doc._.leadbot_layout = layout
    return layout


def candidates_of(doc: Doc) -> list[Candidate]:
    found = doc._.leadbot_candidates
    if found is None:
        found = []
        doc._.leadbot_candidates = found
    assert isinstance(found, list)
    return found


#: the span ruler's ``spans_key`` (``nlp.pipeline``)
RULER_KEY = "leadbot"


@dataclass(frozen=True, slots=True)
class RulerSpan:
    """A span ruler match read once (a Span's attributes are slow to read again and again)."""

    start: int
    end: int
    id: str
    span: Span


def ruler_spans(doc: Doc, label: str) -> list[RulerSpan]:
    """The span ruler's matches with ``label`` (TIMELINE, COUNTRY, MAKE), in order."""
    table = doc._.leadbot_ruler
    if not isinstance(table, dict):
        table = {}
        for span in doc.spans.get(RULER_KEY, []):
            table.setdefault(span.label_, []).append(RulerSpan(span.start_char, span.end_char, span.id_, span))
        doc._.leadbot_ruler = table
    found: list[RulerSpan] = table.get(label, [])
    return found


def add(doc: Doc, candidate: Candidate) -> None:
    candidates_of(doc).append(candidate)


def effective_sender(doc: Doc) -> tuple[str | None, str | None, str | None]:
    """(name, email, subject) of the prospect's message: the forwarded original's when forwarded.

    In a forward the outer sender is whoever forwarded it, never the lead.
    """
    layout, meta = layout_of(doc), meta_of(doc)
    if layout.forwarded:
        return layout.inner_sender_name, layout.inner_sender_email, layout.inner_subject or meta.subject
    return meta.sender_name, meta.sender_email, meta.subject


class LayoutComponent:
    """First component: reset the candidates and segment the text (see ``nlp.layout``)."""

    def __call__(self, doc: Doc) -> Doc:
        doc._.leadbot_candidates = []
        meta = meta_of(doc)
        doc._.leadbot_ruler = None
        doc._.leadbot_layout = analyse(doc.text, meta.subject, pasted=meta.chat)
        return doc


@Language.factory("leadbot_layout", default_config={})
def make_layout(nlp: Language, name: str) -> LayoutComponent:
    return LayoutComponent()
