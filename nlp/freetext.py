"""Read a prospect's fields from free text with the pipeline ``nlp.pipeline.build_nlp`` made.

CPU-bound and synchronous: async callers run these in a thread (``asyncio.to_thread``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from spacy.language import Language
from spacy.tokens import Doc

from nlp.assemble import assemble
from nlp.candidates import Meta, candidates_of, set_meta
from nlp.layout import clean_text
from nlp.pipeline import run_pipeline
from parsers.lead import ExtractedLead

__all__ = ["make_doc", "read_free_text", "read_free_texts"]


def make_doc(nlp: Language, text: str, *, sender_name: str | None = None, sender_email: str | None = None,
             subject: str | None = None, chat: bool = False, recipients: tuple[str, ...] = ()) -> Doc:
    """A tokenized Doc of ``text`` (HTML tags dropped) carrying the message's metadata, not yet processed."""
    cleaned = clean_text(text)
    doc = nlp.make_doc(cleaned)
    # spaCy's tokenizer keeps every character (doc.text == cleaned): the layout reads the string, not the tokens
    set_meta(doc, Meta(sender_name or None, sender_email or None, subject or None, chat, recipients=recipients),
             text=cleaned)
    return doc


def read_free_text(nlp: Language, text: str, *, sender_name: str | None = None,
                   sender_email: str | None = None, subject: str | None = None, chat: bool = False,
                   recipients: tuple[str, ...] = ()) -> ExtractedLead:
    """The prospect's fields found in ``text``, each with source ``nlp:<component>`` and a confidence.

    ``sender_name``/``sender_email`` are the message's From (the prospect's, unless the text is a forward,
    where the forwarded original's From counts instead); ``subject`` may name what they ask about.
    Fields nothing was found for are absent. ``chat``: the text is a rep's note about a lead (see
    ``nlp.chat``), read with the note's cue words ("call with …", "Frau …") and without taking the rep's
    words as the prospect's message. ``recipients``: the addresses the mail was written to (its To and Cc); a
    firm their domains spell is the recipient's own, kept only as an alternative.
    """
    doc = run_pipeline(nlp, make_doc(nlp, text, sender_name=sender_name, sender_email=sender_email, subject=subject,
                                     chat=chat, recipients=recipients))
    return lead_of(doc)


def read_free_texts(nlp: Language, items: Iterable[tuple[str, Mapping[str, str | None]]],
                    batch_size: int = 32) -> list[ExtractedLead]:
    """``read_free_text`` for many texts through ``nlp.pipe``, in order.

    Each item is ``(text, meta)`` with optional meta keys ``sender_name``, ``sender_email``, ``subject``
    (other keys are ignored). Keep ``batch_size`` at 32 or below when a statistical model is loaded:
    larger batches cost memory, not speed.
    """
    docs = (_doc_of(nlp, text, meta) for text, meta in items)
    return [lead_of(doc) for doc in nlp.pipe(docs, batch_size=batch_size)]


def _doc_of(nlp: Language, text: str, meta: Mapping[str, str | None]) -> Doc:
    return make_doc(nlp, text, sender_name=meta.get("sender_name"), sender_email=meta.get("sender_email"),
                    subject=meta.get("subject"))


def lead_of(doc: Doc) -> ExtractedLead:
    """The lead on a processed doc (assembled here if the pipeline has no ``lead`` component)."""
    lead = doc._.lead
    if isinstance(lead, ExtractedLead):
        return lead
    return assemble(candidates_of(doc))


def iter_free_texts(nlp: Language, items: Iterable[tuple[str, Mapping[str, str | None]]],
                    batch_size: int = 32) -> Iterator[ExtractedLead]:
    """Lazy ``read_free_texts`` for streams too long to hold."""
    docs = (_doc_of(nlp, text, meta) for text, meta in items)
    for doc in nlp.pipe(docs, batch_size=batch_size):
        yield lead_of(doc)
