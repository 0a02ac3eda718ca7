"""What the components leave on a Doc: the message's metadata, its layout, and field candidates.

Extensions (registered once, guarded, as spaCy's docs show):

- ``doc._.leadbot_meta``: ``Meta`` — sender name/email, subject and recipients handed in by the caller;
- ``doc._.leadbot_layout``: ``Layout`` — see ``nlp.layout``;
- ``doc._.leadbot_candidates``: ``list[Candidate]`` — every component appends, none removes;
- ``doc._.lead``: ``ExtractedLead`` — set by the last component (``lead``) from the candidates.

All five live in one ``_State`` object under ``doc.user_data["leadbot"]`` (the extensions are its getters and
setters), which ``meta_of``, ``layout_of``, ``candidates_of`` and ``ruler_spans`` read directly.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
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


#: ``Doc.user_data`` key of the ``_State`` behind the extensions
_STATE_KEY = "leadbot"


class _State:
    """What the extensions hold, in one object per doc: the components read it some forty times a doc, and
    ``doc._.<name>`` costs a few microseconds a read (``meta_of`` & co. read the object directly)."""

    __slots__ = ("lead", "leadbot_candidates", "leadbot_layout", "leadbot_meta", "leadbot_ruler", "text")

    def __init__(self) -> None:
        #: the text the doc was made from (``doc.text`` joins every token again on each read)
        self.text: str | None = None
        # typed loosely: ``doc._.<name> = …`` may set anything; the readers below check what they get
        self.leadbot_meta: object = None
        self.leadbot_layout: object = None
        self.leadbot_candidates: object = None
        self.leadbot_ruler: object = None
        self.lead: object = None


_EXTENSIONS = ("lead", "leadbot_candidates", "leadbot_layout", "leadbot_meta", "leadbot_ruler")


def _state(doc: Doc) -> _State:
    state = doc.user_data.get(_STATE_KEY)
    if state is None:
        state = doc.user_data[_STATE_KEY] = _State()
    assert isinstance(state, _State)
    return state


def _extension(name: str) -> tuple[Callable[[Doc], object], Callable[[Doc, object], None]]:
    def getter(doc: Doc) -> object:
        return getattr(_state(doc), name)

    def setter(doc: Doc, value: object) -> None:
        setattr(_state(doc), name, value)

    return getter, setter


def register_extensions() -> None:
    for name in _EXTENSIONS:
        if not Doc.has_extension(name):
            getter, setter = _extension(name)
            Doc.set_extension(name, getter=getter, setter=setter)


register_extensions()


def meta_of(doc: Doc) -> Meta:
    meta = _state(doc).leadbot_meta
    return meta if isinstance(meta, Meta) else Meta()


def set_meta(doc: Doc, meta: Meta, text: str | None = None) -> None:
    """The message's metadata, and ``text``: what the doc was made from (its ``doc.text``, kept as given)."""
    state = _state(doc)
    state.leadbot_meta = meta
    if text is not None:
        state.text = text


def _text_of(doc: Doc, state: _State) -> str:
    return state.text if state.text is not None else doc.text


def layout_of(doc: Doc) -> Layout:
    """The doc's layout, computed here if the ``layout`` component did not run."""
    state = _state(doc)
    layout = state.leadbot_layout
    if not isinstance(layout, Layout):
        meta = meta_of(doc)
        layout = analyse(_text_of(doc, state), meta.subject, pasted=meta.chat)
        state.leadbot_layout = layout
    return layout


def candidates_of(doc: Doc) -> list[Candidate]:
    state = _state(doc)
    found = state.leadbot_candidates
    if found is None:
        found = []
        state.leadbot_candidates = found
    assert isinstance(found, list)
    return found


#: the span ruler's ``spans_key``: ``ruler_spans`` reads it when ``nlp.pipeline.PhraseRuler`` did not run
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
    state = _state(doc)
    table = state.leadbot_ruler
    if not isinstance(table, dict):
        fresh: dict[str, list[RulerSpan]] = {}
        for span in doc.spans.get(RULER_KEY, []):
            fresh.setdefault(span.label_, []).append(RulerSpan(span.start_char, span.end_char, span.id_, span))
        state.leadbot_ruler = table = fresh
    found: list[RulerSpan] = table.get(label, [])
    return found


def set_ruler_spans(doc: Doc, table: dict[str, list[RulerSpan]]) -> None:
    """The phrase ruler's matches by label, each label's in order (``nlp.pipeline.PhraseRuler``)."""
    _state(doc).leadbot_ruler = table


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
        state = _state(doc)
        state.leadbot_candidates = []
        meta = meta_of(doc)
        state.leadbot_layout = analyse(_text_of(doc, state), meta.subject, pasted=meta.chat)
        return doc


@Language.factory("leadbot_layout", default_config={})
def make_layout(nlp: Language, name: str) -> LayoutComponent:
    return LayoutComponent()
