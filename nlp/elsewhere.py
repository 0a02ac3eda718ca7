"""Firms the prospect deals with elsewhere: where they saw an ad, their current provider, who recommended us.

"Saw your truck at Home Depot", "currently insured with State Farm", "my neighbor used Apex Roofing LLC": the
firm is named, but it is not the prospect's own. The cue words are data (``patterns/elsewhere_cues.txt``).
"""

from __future__ import annotations

import re
from functools import cache

from nlp.lexicon import read_lines

#: the flag of a firm read as one the prospect deals with elsewhere (kept as an alternative, shown by --explain)
ELSEWHERE = ("role:elsewhere",)
#: how far before a firm a cue still speaks for it, and what ends its sentence
_REACH = 60
_SENTENCE_END = re.compile(r"[.!?;\n]")
#: between the cue and the firm a few words may stand ("saw your truck at", "used the guys from")
_GAP = r"(?:[ \t]+[\w'’.&-]+){0,5}[ \t,:]*$"


@cache
def _cue_re() -> re.Pattern[str]:
    parts = sorted({p.casefold() for p in read_lines("elsewhere_cues.txt")}, key=len, reverse=True)
    words = "|".join(re.escape(p.rstrip("*")).replace(r"\ ", r"[ \t]+") + (r"\w*" if p.endswith("*") else "")
                     for p in parts)
    return re.compile(rf"(?i)(?<![\w'’])(?:{words})(?![\w'’]){_GAP}")


def elsewhere_before(text: str, start: int, floor: int) -> bool:
    """Whether a cue in the firm's own sentence, before ``start``, makes it a business the prospect deals with
    elsewhere (``floor``: where the text the firm was read from begins)."""
    left = max(floor, start - _REACH)
    for m in _SENTENCE_END.finditer(text, left, start):
        left = m.end()
    return _cue_re().search(text, left, start) is not None
