"""Deciding that two records are the same person (pure; used by the store when it files a lead).

A contact is matched by normalised email, by E.164 phone when the names do not contradict, or by a close
name (rapidfuzz) at the same postal code. Names are compared word by word as well as whole, so "Tom
Birch" and "Tim Birch" (two people at one address) stay apart while "Jon Smith" and "John Smith",
"Raman, Priya" and "Priya Raman" come together.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz, utils

#: whole-name similarity (token-sorted, 0–100) two spellings of one person reach
NAME_THRESHOLD = 85.0
#: every word of the shorter name must be at least this close to a word of the other
WORD_THRESHOLD = 80.0

_SPACE = re.compile(r"[\s\-]+")
_US_ZIP4 = re.compile(r"^(\d{5})\d{4}$")


def normalise_postal(code: str | None) -> str | None:
    """"94107-1234" → "94107", "sw1a 1aa" → "SW1A1AA"; None for nothing."""
    if not code:
        return None
    folded = _SPACE.sub("", code).upper()
    zip4 = _US_ZIP4.match(folded)
    return (zip4.group(1) if zip4 else folded) or None


def name_similarity(a: str, b: str) -> float:
    """0–100: how likely two written names are one person's (0 when any word has no close partner)."""
    left, right = utils.default_process(a).split(), utils.default_process(b).split()
    if not left or not right:
        return 0.0
    shorter, longer = (left, right) if len(left) <= len(right) else (right, left)
    expanded = []
    for word in shorter:
        best = max(fuzz.ratio(word, other) for other in longer)
        if best >= WORD_THRESHOLD:
            expanded.append(word)
            continue
        # an initial ("P. Raman") stands for the word it abbreviates
        full = next((o for o in longer if len(word) == 1 and o.startswith(word)), None)
        if full is None:
            return 0.0
        expanded.append(full)
    return float(fuzz.token_sort_ratio(" ".join(expanded), " ".join(longer)))


def same_name(a: str | None, b: str | None) -> bool:
    return bool(a and b) and name_similarity(a or "", b or "") >= NAME_THRESHOLD


def names_compatible(a: str | None, b: str | None) -> bool:
    """No contradiction: either name is missing, or they are close."""
    return not (a and b) or same_name(a, b)
