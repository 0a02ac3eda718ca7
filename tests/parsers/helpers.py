"""Run the structured extraction path (no free-text NLP) on bytes, for parser tests."""

from __future__ import annotations

from parsers.document import load_document
from parsers.lead import ExtractedLead
from parsers.structured import complete_from_mail, read_structured
from parsers.verify import finalize


def structured(raw: bytes | str, name_hint: str | None = None) -> tuple[str | None, list[ExtractedLead]]:
    """(vendor, verified leads) of a message through templates-free structured readers."""
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    doc = load_document(data, name_hint)
    read = read_structured(doc, ())
    leads = [finalize(complete_from_mail(lead, doc, read) if read.from_text else lead) for lead in read.leads]
    return read.vendor, [lead for lead in leads if not lead.is_empty()]


def one(raw: bytes | str, name_hint: str | None = None) -> dict[str, str | None]:
    """The single lead's public fields."""
    _, leads = structured(raw, name_hint)
    assert len(leads) == 1, leads
    return leads[0].plain()
