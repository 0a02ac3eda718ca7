"""The one rule for putting an outside value (a lead's, a vendor's, a chat message's) into Slack text.

`inert` is the only escaping function: every renderer in ``bot.slack`` and every text the workers post
passes lead-derived values through it. What it guarantees, for mrkdwn (and a message's top-level
``text``, which Slack parses the same way):

* no ping, no link, no channel or user reference: ``&``, ``<`` and ``>`` become Slack's three entities
  (https://api.slack.com/reference/surfaces/formatting#escaping), so ``<!channel>``, ``<!here>``,
  ``<!everyone>``, ``<@U…>``, ``<#C…>``, ``<!subteam^…>`` and ``<https://…|label>`` arrive as plain text;
  ``@here``-style words get a word joiner, in case a client parses them; three backticks are broken so a
  value cannot open a code block that swallows the rest of the message;
* nothing that reorders or hides text: C0/C1 control characters (tab and newline kept) and the
  bidirectional embedding, override, isolate and mark characters (U+202A–U+202E, U+2066–U+2069,
  U+200E, U+200F, U+061C) and the line/paragraph separators are removed, so "txt.exe" cannot be
  shown as "exe.txt";
* a bounded length: cut so that the *escaped* result fits ``limit``, never inside an entity, ending in
  an ellipsis.

`plain` is the same for ``plain_text`` objects (titles, labels, options, input values), which Slack
never parses for markup: unsafe characters removed, one line, cut. `guard` is the last line of defence
for a finished text composed elsewhere (outbox notes and DMs): it cannot tell a value from our markup,
so it only removes unsafe characters and defuses what our own notes never contain (broadcasts, links).
"""

from __future__ import annotations

import re

ELLIPSIS = "…"

_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
#: C0 controls but tab and newline, DEL, C1 controls, bidi marks/embeddings/overrides/isolates, the
#: Arabic letter mark, and the Unicode line and paragraph separators
UNSAFE_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
# "@here" typed as text is not a mention in verbatim text, but a word joiner keeps it inert even if a
# client or a later edit parses it (Slack's special mentions: here, channel, everyone).
_SPECIAL_MENTION = re.compile(r"(?<![\w.+-])@(?=(here|channel|everyone)\b)", re.IGNORECASE)
_FENCE = re.compile(r"`{3,}")
#: markup our own notes use: a user or channel reference, or a date token (never a broadcast or link)
_OUR_MARKUP = re.compile(r"<(?:@[UW][A-Z0-9]{2,}|#[CG][A-Z0-9]{2,}|!date\^[^<>|]*\|[^<>]*)>")


def inert(value: object, limit: int | None = None) -> str:
    """``value`` as mrkdwn that shows exactly its text: escaped, defused, cleaned, and cut to ``limit``."""
    text = UNSAFE_CHARS.sub("", str(value))
    if "@" in text:
        text = _SPECIAL_MENTION.sub("@\u2060", text)
    if "```" in text:
        text = _FENCE.sub(lambda m: "`\u2060" * len(m.group(0)), text)
    # the whole text escaped at once (issue 11: a list of one piece per character, eleven times a card)
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if limit is None or len(escaped) <= limit:
        return escaped
    pieces = [_ENTITIES.get(char, char) for char in text]  # cut between pieces, never inside an entity
    out: list[str] = []
    size = len(ELLIPSIS)
    for piece in pieces:
        if size + len(piece) > limit:
            break
        out.append(piece)
        size += len(piece)
    return "".join(out) + ELLIPSIS


def inert_line(value: object, limit: int | None = None) -> str:
    """`inert` on one line (runs of whitespace, newlines included, become one space)."""
    return inert(" ".join(str(value).split()), limit)


def plain(value: object, limit: int) -> str:
    """``value`` for a ``plain_text`` object: unsafe characters removed, one line, at most ``limit``
    characters, never empty (Slack refuses an empty text object)."""
    text = " ".join(UNSAFE_CHARS.sub("", str(value)).split()) or " "
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS


def cleaned(value: object, limit: int | None = None) -> str:
    """``value`` with unsafe characters removed and cut, newlines kept: for an input's initial value and
    for the console, where nothing is parsed."""
    text = UNSAFE_CHARS.sub("", str(value))
    if limit is not None and len(text) > limit:
        text = text[: limit - len(ELLIPSIS)] + ELLIPSIS
    return text


def guard(text: str, limit: int) -> str:
    """A finished mrkdwn text made safe to send: unsafe characters removed, every ``<…>`` that is not
    our own markup (a user or channel reference, a date) escaped, and cut to ``limit``.

    Values in it must already have passed `inert`; this catches a composer that forgot, for the worst
    cases (a broadcast, a disguised link, reordered text).
    """
    text = UNSAFE_CHARS.sub("", text)
    out: list[str] = []
    last = 0
    for found in _OUR_MARKUP.finditer(text):
        out.append(_defuse_brackets(text[last : found.start()]))
        out.append(found.group(0))
        last = found.end()
    out.append(_defuse_brackets(text[last:]))
    safe = "".join(out)
    if len(safe) <= limit:
        return safe
    cut = safe[: limit - len(ELLIPSIS)]
    amp = cut.rfind("&")
    if amp != -1 and ";" not in cut[amp:]:
        cut = cut[:amp]
    return cut + ELLIPSIS


def _defuse_brackets(text: str) -> str:
    return text.replace("<", "&lt;").replace(">", "&gt;")
