"""Component ``leadbot_address``: the prospect's postal address and country.

Anchored on postal codes and widened to the street by ``parsers.address.find_in_line`` (every postal format
in one place: US, CA, UK, DE/ES/FR/IT, NL, PT, BR), line by line with the message's language. Country names
and codes come from the span ruler (``COUNTRY`` spans,
``patterns/countries.jsonl``) as ISO 3166 alpha-2 codes.

An address written after "the property at", "the house at", "la propiedad en" … is what the prospect
asks about, not where they live: it is left to the interest component. So is an address on a line labelled
as someone else's ("Dealer address:", "Objektadresse:", "Dirección del inmueble:").
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from nlp.candidates import ADDRESS, Candidate, add, layout_of
from parsers.address import FoundAddress, find_in_line

SPANS_KEY = "leadbot"
_PROPERTY_CONTEXT = re.compile(
    r"(?i)(?:property|listing|house|home|condo|apartment|unit|lot|showing|open house|the one|objekt|wohnung|"
    r"haus|immobilie|grundstück|propiedad|casa|piso|departamento|inmueble)\b[^.\n]{0,25}\b(?:at|on|in|an der|in der|"
    r"en|de|ubicad[oa] en)?\s*$"
)
#: a label naming the other side of the deal: the address on that line is not the lead's
_OTHER_SIDE = re.compile(
    r"(?i)^\s*(?:dealer|dealership|store|showroom|branch|office|agent|agency|broker|seller|vendor|provider|listing|"
    r"property|händler|autohaus|filiale|makler|objekt|immobilie|concesionario|agencia|inmueble|propiedad|"
    r"concessionária|agência|imóvel|imovel|concessionnaire|agence|bien|annonce|concessionario|agenzia|immobile|"
    r"dealerbedrijf|makelaar|woning|object)[\w -]{0,25}:"
)


class Address:
    def __init__(self, name: str) -> None:
        self.source = f"nlp:{name}"

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        text = layout.text
        taken: list[tuple[int, int]] = []
        found: list[FoundAddress] = []
        for line_no, line in enumerate(layout.lines):
            if layout.in_greeting(line.start, line.end):
                continue
            previous = layout.lines[line_no - 1] if line_no else None
            for item in find_in_line(line.text, line.start, (previous.start, previous.text) if previous else None,
                                     layout.lang):
                if not any(item.start < e and item.end > s for s, e in taken):
                    taken.append((item.start, item.end))
                    found.append(item)
        for item in found:
            line_start = text.rfind("\n", 0, item.start) + 1
            if _OTHER_SIDE.match(text, line_start, item.end):
                continue  # "Dealer address: …": the dealer's, not the lead's
            prefix = text[max(layout.region[0], item.start - 60) : item.start]
            if _PROPERTY_CONTEXT.search(prefix):
                continue  # what they ask about, not where they live
            value = ", ".join(v for k, v in item.parts.items() if k != "country" and v)
            confidence = 0.75 if "street" in item.parts else 0.6
            add(doc, Candidate(ADDRESS, value, confidence, self.source, item.start, parts=item.parts))
            if item.country:
                add(doc, Candidate("country", item.country, 0.45, self.source, item.start))
        for span in doc.spans.get(SPANS_KEY, []):
            if span.label_ != "COUNTRY" or not layout.in_region(span.start_char, span.end_char):
                continue
            near = any(s - 5 <= span.start_char <= e + 40 for s, e in taken)
            add(doc, Candidate("country", span.id_, 0.8 if near else 0.55, self.source, span.start_char))
        return doc


@Language.factory("leadbot_address", default_config={})
def make_address(nlp: Language, name: str) -> Address:
    return Address(name)
