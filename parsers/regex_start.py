"""``guard_start``: the same regex, tried only where a match can begin.

Python's ``re`` skips quickly through a text only for a pattern that starts with a literal or a plain character
class. A pattern that starts with a look-behind (``(?<![\\w-])``), ``\\b``, an optional group or a long
alternation of words is instead run in full at every position of the text, and the rules search many such
patterns over every message (about a tenth of a reading's CPU went to that). ``guard_start`` puts a look-ahead
for the characters a match can begin with in front of such a pattern, read from the pattern's own parse tree:
positions that cannot begin a match then cost one class test. The matches, their groups and their offsets are
the pattern's own.

Where that set is not known (a pattern that may match the empty string, or begins with ``.``, a negated class
or a back-reference) the pattern is returned unchanged. The parse tree comes from ``re._parser``, the parser
``re.compile`` itself uses (no public API exposes it); anything unexpected there also returns the pattern as is.
"""

from __future__ import annotations

import importlib
import re
from typing import Any

__all__ = ["guard_start"]

#: flags whose change inside a group changes what a class matches, other than IGNORECASE (handled)
_CLASS_FLAGS = re.ASCII | re.LOCALE | re.UNICODE
_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


def guard_start(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` behind a look-ahead for the characters its matches begin with (unchanged where not known)."""
    try:
        parser: Any = importlib.import_module("re._parser")
        tree = parser.parse(pattern.pattern, pattern.flags)
        first: set[tuple[bool, Any, Any]] = set()
        if _first_of(parser, tree.data, pattern.flags, first):
            return pattern  # it may match the empty string: any position may begin a match
        guard = _look_ahead(parser, first, ignore_case=bool(pattern.flags & re.IGNORECASE))
        source, lead = pattern.pattern, ""
        while m := _GLOBAL_FLAGS.match(source):  # global flags must stay at the very start
            lead, source = lead + m.group(), source[m.end() :]
        return re.compile(f"{lead}{guard}{source}", pattern.flags)
    except (ImportError, AttributeError, TypeError, ValueError, KeyError, re.error):
        return pattern


def _first_of(parser: Any, items: Any, flags: int, first: set[tuple[bool, Any, Any]]) -> bool:
    """Add to ``first`` the class items (with their IGNORECASE) a match of ``items`` may begin with; return
    whether ``items`` may match the empty string."""
    return all(_first_of_item(parser, op, av, flags, first) for op, av in items)


def _first_of_item(parser: Any, op: Any, av: Any, flags: int, first: set[tuple[bool, Any, Any]]) -> bool:
    c = parser  # the opcodes live on the parser module (re._constants, star-imported)
    ignore_case = bool(flags & re.IGNORECASE)
    if op is c.LITERAL:
        first.add((ignore_case, c.LITERAL, av))
        return False
    if op is c.IN:
        if any(item_op not in (c.LITERAL, c.RANGE, c.CATEGORY) for item_op, _ in av):
            raise ValueError("a negated class, or something newer than this reader")
        first.update((ignore_case, item_op, item_av) for item_op, item_av in av)
        return False
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, sub = av
        if (add_flags | del_flags) & _CLASS_FLAGS:
            raise ValueError("a flag that changes what a class matches")
        return _first_of(parser, sub.data, (flags | add_flags) & ~del_flags, first)
    if op is c.ATOMIC_GROUP:
        return _first_of(parser, av.data, flags, first)
    if op is c.BRANCH:
        empty = [_first_of(parser, branch.data, flags, first) for branch in av[1]]
        return any(empty)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, _high, sub = av
        return _first_of(parser, sub.data, flags, first) or low == 0
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return True  # zero width: what follows begins the match
    raise ValueError(f"no first characters known for {op}")  # ANY, NOT_LITERAL, GROUPREF …


def _look_ahead(parser: Any, first: set[tuple[bool, Any, Any]], *, ignore_case: bool) -> str:
    """``(?=[…])`` over ``first``: items read under IGNORECASE in a case-insensitive class, the others in a
    case-sensitive one, whatever the pattern's global flags."""
    classes = []
    for insensitive in (False, True):
        items = sorted((op.name, av) for ic, op, av in first if ic is insensitive)
        if not items:
            continue
        body = "[" + "".join(_class_item(parser, op_name, av) for op_name, av in items) + "]"
        if insensitive != ignore_case:
            body = f"(?{'i' if insensitive else '-i'}:{body})"
        classes.append(body)
    return f"(?={'|'.join(classes)})"


def _class_item(parser: Any, op_name: str, av: Any) -> str:
    if op_name == "LITERAL":
        return _escape(av)
    if op_name == "RANGE":
        return f"{_escape(av[0])}-{_escape(av[1])}"
    categories = {parser.CATEGORY_DIGIT: r"\d", parser.CATEGORY_NOT_DIGIT: r"\D", parser.CATEGORY_SPACE: r"\s",
                  parser.CATEGORY_NOT_SPACE: r"\S", parser.CATEGORY_WORD: r"\w", parser.CATEGORY_NOT_WORD: r"\W"}
    return categories[av]


def _escape(code: int) -> str:
    return re.escape(chr(code))  # escapes "]", "^", "-" and "\\" too: safe inside a class
