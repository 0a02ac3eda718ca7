"""The head of a chat note that says who wrote the message the rep passes on: "From: Greg Patel", "Message from
Greg Patel:", "Greg Patel wrote:", "Von: …", "Mensaje de …:" on a line of its own, above a message that names
someone else with a contact ("Mei Lin, 555-0133, asking about a condo"). That author is a colleague, the
writer's side, not the lead: their head line is blanked before the note is read, so neither the label reader
("From:") nor the prose reader takes them. When the message names nobody else, or names the author again ("From:
Mei Lin / Hi, I'm Mei Lin …"), the author is the prospect and the note stays as it is.

Heads in the seven languages are data (``patterns/forward_heads.txt``)."""

from __future__ import annotations

import re
from functools import cache

from nlp.chat import names_someone
from nlp.note_blocks import has_contact
from nlp.our_side import alternation, sided_phrases
from nlp.prose import prose_names, read_name_at

#: how far into a note its head may stand (a channel line or a "fwd" line may come first)
_HEAD_LINES = 3


@cache
def _heads() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A phrase before the author's name ("message from", "von:") and one after it ("wrote:", "schrieb:")."""
    cues = sided_phrases("forward_heads.txt")
    before = re.compile(rf"(?i)^[ \t>*_]*(?:(?:fwd?|fw|forwarded)[ \t]*:?[ \t]+)?(?:{alternation(cues['before'])})"
                        r"[*_]*[ \t]*:?[*_]*[ \t]*")
    after = re.compile(rf"(?i)[*_]*[ \t]*(?:\([^()\n]{{1,40}}\)[ \t]*)?(?:{alternation(cues['after'])})?[ \t]*:?"
                       r"[ \t]*$")
    return before, after


def _author(line: str) -> str | None:
    """The author a head line names ("Message from Greg Patel:" → "Greg Patel"), else None."""
    before, after = _heads()
    m = before.match(line)
    if m is not None:
        found = read_name_at(line, m.end(), limit=3)
        if found and len(found[0].split()) >= 2 and after.fullmatch(line, found[2]):
            return found[0]
        return None
    found = read_name_at(line, len(line) - len(line.lstrip(" \t>*_")), limit=3)
    if found and len(found[0].split()) >= 2:
        tail = after.fullmatch(line, found[2])
        if tail is not None and tail.group().strip(" \t*_:"):  # "Greg Patel wrote:", not a bare name
            return found[0]
    return None


def _names_another(rest: str) -> bool:
    """Whether the message below the head names a person: a "Name:" line, a title, a known first name beside a
    capitalised word, or a name the prose reader finds ("Mei Lin came by")."""
    return names_someone(rest) or any(
        " " in p.name and not p.role for p in prose_names(rest, 0, len(rest)))


def without_forward_author(text: str) -> str:
    """``text`` with the head line naming the author of the message it passes on blanked, when the message below
    names someone else with a contact of their own; ``text`` as it is otherwise."""
    lines = text.split("\n")
    seen = 0
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        seen += 1
        if seen > _HEAD_LINES:
            break
        # every head has its colon ("From: …", "Message from …:", "… wrote:"): a line without one is read no further
        if ":" not in line or has_contact(line) or (author := _author(line)) is None:
            continue
        rest = "\n".join(lines[i + 1 :])
        surname = author.split()[-1]
        if has_contact(rest) and _names_another(rest) and not re.search(rf"(?i)\b{re.escape(surname)}\b", rest):
            return "\n".join([*lines[:i], "", *lines[i + 1 :]])
        return text
    return text
