"""A cheap look for key words before a costly case-insensitive pattern runs.

Python's ``re`` tries every branch of a long alternation at every position of the text. When each match of a
pattern must spell one of a few words, looking for those words in the lower-cased text (a C-speed substring search)
says "no match possible" for most texts at a fraction of the cost. ``may_match`` is that look; the pattern still
decides whenever it answers True, so readings do not change.
"""

from __future__ import annotations

#: letters IGNORECASE matches to an ASCII letter though ``str.lower`` gives none ("ı", "ſ") or two ("İ"): with one
#: of them in the text the look is skipped (Kelvin's "K" is listed too, to be safe)
_FOLDS_TO_ASCII = ("ı", "İ", "ſ", "\u212a")
#: the last two texts looked at: each itself, lower-cased, and whether it holds one of ``_FOLDS_TO_ASCII`` (one doc's
#: text is looked at by several components in a row, some ten times each, with a piece of it looked at between)
_last: tuple[str, str, bool] = ("", "", False)
_before: tuple[str, str, bool] = ("", "", False)


def _looked(text: str) -> tuple[str, str, bool]:
    global _last, _before
    last, before = _last, _before  # read once: another thread may replace them meanwhile
    if last[0] is text:
        return last
    if before[0] is text:
        _last, _before = before, last
        return before
    # an ASCII text holds none of them (``isascii`` reads a flag the string keeps)
    look = (text, text.lower(), not text.isascii() and any(c in text for c in _FOLDS_TO_ASCII))
    _last, _before = look, last
    return look


def lowered(text: str) -> str:
    """``text.lower()``, remembered for the last text asked about."""
    return _looked(text)[1]


def may_match(text: str, keys: tuple[str, ...]) -> bool:
    """False only when ``text`` holds none of ``keys`` (lower-case ASCII words, one of which every match of the
    case-insensitive pattern they stand for must spell)."""
    _, low, folds = _looked(text)
    if folds:
        return True
    for key in keys:  # noqa: SIM110 - a plain loop: ``any()``'s generator costs more than the searches
        if key in low:
            return True
    return False
