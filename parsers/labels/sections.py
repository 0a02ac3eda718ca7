"""Section headings and labels about someone else than the lead: which kind of section a heading opens (the
dealer's, the lead's, a trade-in's, the listing's) and whose a label about the other side names ("Dealer
Phone" → the dealer's phone)."""

from __future__ import annotations

import re
from functools import lru_cache

from parsers.labels.dictionary import DICTIONARY, norm_label
from parsers.labels.lookup import ROLE_WORDS

_LABELS = DICTIONARY.labels
#: words that head a section about the recipient's side (dealer, agent…): not the lead
_NOT_LEAD_HEADINGS = DICTIONARY.headings["not_lead"]
_LEAD_HEADINGS = DICTIONARY.headings["lead"]
_TRADE_HEADINGS = DICTIONARY.headings["trade"]
#: sections about the property or listing asked about: an address there is the interest, not the lead's
_LISTING_HEADINGS = DICTIONARY.headings["listing"]
_NEUTRAL_HEADINGS = DICTIONARY.headings["neutral"]


def names_other_side(label: str) -> bool:
    """A label whose value is about the recipient's side ("Dealer:", "Your Account:", "Händler:")."""
    key = norm_label(label)
    return heading_kind(label) == "skip" or key.startswith(("your ", "ihr ", "su ", "tu ")) or key in (
        "dealer contact", "dealer phone", "dealer email", "dealer address", "certified dealer", "agent phone",
        "agent email", "listing agent", "listing office", "dealer name")


def heading_role(heading: str) -> str:
    """The role a heading about the other side names ("Dealer information" → "dealer"); "vendor" if none."""
    words = norm_label(heading.strip(":：-=*#[]<> ")).split()
    for word, role in ROLE_WORDS:
        if word in words or (len(word) >= 5 and any(w.startswith(word) for w in words)):
            return role  # "Händlerdaten", "Maklerdaten": the role word starts a compound
    return "vendor"


def other_side_label(label: str) -> tuple[str, str] | None:
    """(slot, role) of a label about the other side ("Dealer Phone" → phone of the dealer), or None."""
    words = norm_label(label).split()
    if not words:
        return None
    role = heading_role(label)
    rest = [w for w in words if w not in {w2 for w2, _ in ROLE_WORDS}]
    if not rest:
        return ("company", role) if role in ("dealer", "vendor", "provider") else ("full_name", role)
    found = _LABELS.get(" ".join(rest))
    if found is None or found[0] == "skip":
        return None
    return found[0], role


@lru_cache(maxsize=8192)
def heading_kind(line: str) -> str | None:
    """"skip", "lead", "trade", "listing" or "neutral" when the line is a section heading, else None."""
    stripped = line.strip().strip(":：-=*#[]<> ")
    key = norm_label(stripped)
    if not key or len(key) > 50 or re.search(r"[.!?,;]\s", stripped + " "):
        return None
    for kind, words in (("trade", _TRADE_HEADINGS), ("skip", _NOT_LEAD_HEADINGS), ("lead", _LEAD_HEADINGS),
                        ("listing", _LISTING_HEADINGS), ("neutral", _NEUTRAL_HEADINGS)):
        for w in words:
            if key == w or (key.startswith(w + " ") and len(key.split()) <= len(w.split()) + 3 and kind != "lead"):
                return kind
    return None
