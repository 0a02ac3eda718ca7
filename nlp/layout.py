"""Where in a message the prospect speaks: greeting, body, sign-off, signature, forwarded and quoted parts.

Pure functions over text; the ``layout`` pipeline component stores the result on ``doc._.leadbot_layout``
so every other component reads the same segmentation.

Rules that matter for who the lead is:
- a greeting ("Dear Christopher", "Hallo Herr Müller", "Hola equipo") names the RECIPIENT;
- in a forward the lead is in the forwarded part, and whoever forwarded it (the outer From, the text and
  signature above the marker) is not the lead;
- quoted text ("> …", everything below "On … wrote:") is ours, not the prospect's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import parseaddr

from nlp.lexicon import greeting_re, signoff_re
from parsers.html import html_to_text
from parsers.language import guess_language as _guess_language
from parsers.quotes import (
    FORWARD_MARKER,
    FROM_NAMES,
    HEADER_LINE,
    OTHER_HEADER_NAMES,
    REPLY_MARKER,
    SIGNATURE,
    SUBJECT_NAMES,
)
from parsers.regex_start import guard_start

#: a tag: the text is HTML-ish and goes through the one HTML flattener (parsers.html)
_HTML_TAG = re.compile(r"<(?:[a-zA-Z][\w:-]*|/[a-zA-Z][\w:-]*)(?:\s[^<>]*)?/?>")
_INVISIBLE = str.maketrans({"\u00a0": " ", "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
                            "\r": None, "\t": " "})
_SPACES = re.compile(r"[ ]{2,}")
_BLANKS = re.compile(r"\n{3,}")
#: Outlook's rule above a quoted message
_RULE = guard_start(re.compile(r"^\s*_{8,}\s*$"))
#: a forward marker that introduces the ORIGINAL of a reply ("-----Original Message-----"): below it is quoted
_ORIGINAL = re.compile(r"(?i)original|urspr[üu]ngliche|d'origine|oorspronkelijk")
_HEADER_KEYS = FROM_NAMES | SUBJECT_NAMES | OTHER_HEADER_NAMES
_FWD_SUBJECT = re.compile(r"^\s*(?:fwd?|wg|rv|tr|reenviar)\s*:", re.IGNORECASE)
_SIG_DELIMITER = re.compile(r"^\s*(?:--|—|__)\s*$")
_NAME_LIKE = re.compile(r"^(?:[A-ZÄÖÜÁÉÍÓÚÑ][\w'’.-]*(?:\s+|$)){1,4}$")




@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Layout:
    """Character offsets into the doc's text. ``body`` is the prospect's own words."""

    text: str  # the doc's text, once (Doc.text joins every token on each access)
    region: tuple[int, int]
    body: tuple[int, int]
    lines: tuple[Line, ...]  # non-empty, non-quoted lines of the region
    greeting: tuple[int, int] | None = None
    signoff: tuple[int, int] | None = None
    signature: tuple[Line, ...] = ()
    signoff_name: str | None = None  # "Thanks, Jamie" → "Jamie"
    forwarded: bool = False
    inner_sender_name: str | None = None
    inner_sender_email: str | None = None
    inner_subject: str | None = None
    lang: str = "en"

    def in_region(self, start: int, end: int) -> bool:
        return self.region[0] <= start and end <= self.region[1] and not self.in_greeting(start, end)

    def in_greeting(self, start: int, end: int) -> bool:
        return self.greeting is not None and start < self.greeting[1] and end > self.greeting[0]

    def body_lines(self) -> list[Line]:
        # a line the body starts or ends inside counts ("Hi, we need a quote …": greeting and words on one line)
        return [ln for ln in self.lines if ln.end > self.body[0] and ln.start < self.body[1]]


def clean_text(text: str) -> str:
    """Plain text from text or HTML-ish text: tags dropped, entities decoded, blank runs collapsed."""
    text = text.translate(_INVISIBLE)
    if _HTML_TAG.search(text):
        text = html_to_text(text).translate(_INVISIBLE)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        if raw.strip():
            lines.append(Line(pos, end, raw))
        pos = end + 1
    return lines


_QUOTE_MARK = re.compile(r"[ \t]*>[ \t]?")
_CONTACT = re.compile(r"@[\w-]+\.|\d(?:[ \t().-]*\d){6}")


def _unquoted(line: Line) -> Line:
    m = _QUOTE_MARK.match(line.text)
    if m is None or not line.text[m.end():].strip():
        return line
    return Line(line.start + m.end(), line.end, line.text[m.end():])


def guess_language(text: str) -> str:
    """The text's language (en de es pt fr it nl; "en" when unsure), by ``parsers.language``."""
    return _guess_language(text[:2000], default="en") or "en"


def _header_line(text: str) -> re.Match[str] | None:
    """ "From: …", "Betreff: …", "*Von:* …": one line of a mail header block (parsers.quotes)."""
    m = HEADER_LINE.match(text.replace("*", ""))
    return m if m and m["name"].lower() in _HEADER_KEYS else None


def _ends_prospect_text(line: str) -> bool:
    """A reply marker ("On … wrote:"), "-----Original Message-----", Outlook's rule or a mobile footer."""
    if REPLY_MARKER.match(line) or _RULE.match(line):
        return True
    if FORWARD_MARKER.match(line) and _ORIGINAL.search(line):
        return True
    return bool(SIGNATURE.match(line.strip())) and not _SIG_DELIMITER.match(line)


def _header_block(lines: list[Line], first: int) -> tuple[int, dict[str, str]]:
    """Read "Key: value" header lines from index ``first``; returns the index after them and the values."""
    headers: dict[str, str] = {}
    i = first
    while i < len(lines) and (m := _header_line(lines[i].text)):
        key = m["name"].lower()
        key = "from" if key in FROM_NAMES else "subject" if key in SUBJECT_NAMES else key
        key = {"an": "to", "para": "to", "aan": "to", "à": "to", "a": "to"}.get(key, key)
        headers.setdefault(key, m["value"].strip())
        i += 1
    return i, headers


def _outlook_block_at(lines: list[Line], i: int) -> bool:
    """An Outlook-style quoted header: From: … followed closely by Sent:/Date: and Subject:."""
    m = _header_line(lines[i].text)
    if not m or m["name"].lower() not in FROM_NAMES:
        return False
    end, headers = _header_block(lines, i)
    return end - i >= 2 and ("subject" in headers or "sent" in headers or "date" in headers)


def analyse(text: str, subject: str | None = None, *, pasted: bool = False) -> Layout:
    """Segment ``text`` (already cleaned) into the parts the extractors need.

    ``pasted``: the text is a chat note, where a mail header block ("From: … / Sent: … / To: …") is a mail
    the rep pasted: read as a forward, with its From as the writer unless From and To share a domain
    (a colleague's internal mail, not the prospect's).
    """
    lines = split_lines(text)
    if pasted and not any(REPLY_MARKER.match(ln.text) for ln in lines):
        # a chat note's "> …" lines: the rep quoted the prospect's words (Slack's quote block), which are no
        # earlier mail of ours; their number and address are the prospect's
        lines = [_unquoted(ln) for ln in lines]
    start_idx = 0
    forwarded = False
    inner: dict[str, str] = {}

    # A forward: the lead is below the LAST marker (the original message), after its header block.
    fwd_subject = pasted or bool(subject and _FWD_SUBJECT.match(subject))
    for i, line in enumerate(lines):
        marker = FORWARD_MARKER.match(line.text) and (fwd_subject or not _ORIGINAL.search(line.text))
        if marker or (fwd_subject and _outlook_block_at(lines, i)):
            forwarded = True
            start_idx, inner = _header_block(lines, i + (0 if _header_line(line.text) else 1))
    # A reply: everything from the first reply marker or quoted header on is not the prospect's.
    end_idx = len(lines)
    for i in range(start_idx, len(lines)):
        text_i = lines[i].text
        if _ends_prospect_text(text_i) or (i > start_idx and _outlook_block_at(lines, i)):
            end_idx = i
            break
    if pasted and end_idx < len(lines) and (thread := _pasted_thread(lines, start_idx, end_idx)):
        start_idx, end_idx, lines, inner = thread
        forwarded = True
    kept = tuple(ln for ln in lines[start_idx:end_idx] if not ln.text.lstrip().startswith(">"))
    if not kept:
        return Layout(text, region=(0, 0), body=(0, 0), lines=(), forwarded=forwarded, lang=guess_language(text))
    region = (kept[0].start, kept[-1].end)

    greeting = _find_greeting(kept[0])
    signoff, signature, signoff_name = _find_signoff(kept)
    body_start = greeting[1] if greeting else region[0]
    body_end = signoff[0] if signoff else region[1]
    if signoff is None and signature:
        body_end = signature[0].start
    body_end = max(body_end, body_start)

    # (no forward's header block in most texts: parseaddr("") is ("", ""), ~4 us a call)
    inner_name, inner_email = parseaddr(inner["from"]) if inner.get("from") else ("", "")
    _to_name, to_email = parseaddr(inner["to"]) if inner.get("to") else ("", "")
    if inner_email and to_email and _domain(inner_email) == _domain(to_email):
        inner_name, inner_email = "", ""  # staff writing to staff: the prospect is named in the body
    return Layout(
        text,
        region=region,
        body=(body_start, body_end),
        lines=kept,
        greeting=greeting,
        signoff=signoff,
        signature=signature,
        signoff_name=signoff_name,
        forwarded=forwarded,
        inner_sender_name=inner_name.strip(" \"'") or None,
        inner_sender_email=inner_email or None,
        inner_subject=inner.get("subject"),
        lang=guess_language(text[region[0] : region[1]]),
    )


#: "On Fri, … Rosalind Achebe <rosalind@…> wrote:": who wrote the message below a reply marker
#: (also with the verb before the name, "Am 02.03.2026 um 10:05 schrieb Ralf Becker <ralf@…>:", or the address in
#: brackets, "Ana Ruiz (<ana@…>) escribió:")
_MARKER_SENDER = re.compile(
    r"(?P<who>[^\s,<>(][^,<>(]*?)\s*\(?<(?P<email>[^<>@\s]+@"
    r"[^<>\s]+)>\)?\s*(?:\S+(?:\s\S+)?)?\s?:\s*$")


def _pasted_thread(lines: list[Line], start: int, end: int) -> tuple[int, int, list[Line], dict[str, str]] | None:
    """A chat note above a pasted reply thread, with no contact of its own ("can someone take this? thread
    below" / "On Mon … Dana Kim <…> wrote:" / … / "On Fri … Rosalind Achebe <…> wrote:" / "> Hello, we need …"):
    the prospect is the thread's first message, the one below its last reply marker, read unquoted with that
    marker's sender as the writer. None when the rep's own lines hold a contact or that message holds none."""
    if any(_CONTACT.search(ln.text) for ln in lines[start:end] if not _QUOTE_MARK.match(ln.text)):
        return None
    last = max((i for i in range(end, len(lines)) if REPLY_MARKER.match(lines[i].text)), default=None)
    if last is None or last + 1 >= len(lines):
        return None
    below = [_unquoted(ln) for ln in lines[last + 1 :]]
    if not any(_CONTACT.search(ln.text) for ln in below):
        return None
    inner: dict[str, str] = {}
    if m := _MARKER_SENDER.search(lines[last].text):
        inner["from"] = f"{m['who'].strip()} <{m['email']}>"
    return last + 1, len(lines), [*lines[: last + 1], *below], inner


def _domain(address: str) -> str:
    return address.rpartition("@")[2].casefold()


_GREETING_END = re.compile(r"[,!:;]|\s[-–—]\s")
#: "Hi this is Gabriela Nunes, …": the writer introduces themselves right after the greeting word, so the
#: greeting is that word only and the name stays in the body
_SELF_INTRO = re.compile(
    r"(?i)^[\s,!.]*(?:this is|it's|it’s|my name is|my name's|i'm|i’m|i am|here is|hier ist|hier spricht|ich bin|"
    r"mein name ist|ich heiße|soy|me llamo|mi nombre es|habla|aqui é|aqui fala|sou|meu nome é|je suis|"
    r"je m'appelle|c'est|ici|sono|mi chiamo|qui è|ik ben|mijn naam is|met|hier is)\b"
)


def _find_greeting(line: Line) -> tuple[int, int] | None:
    m = greeting_re().match(line.text)
    if not m:
        return None
    rest = line.text[m.end() :]
    if _SELF_INTRO.match(rest):
        return (line.start, line.start + m.end())
    stop = _GREETING_END.search(rest)
    if stop and stop.start() <= 60:
        return (line.start, line.start + m.end() + stop.end())
    if len(line.text) <= 50:
        return (line.start, line.end)
    # "Hi Christopher I'm interested …": the phrase and up to three capitalised words
    words = re.match(r"(?:\s+(?:[A-ZÄÖÜÁÉÍÓÚÑ][\w'’.-]*))*", rest)
    extra = words.end() if words else 0
    return (line.start, line.start + m.end() + extra)


def _find_signoff(lines: tuple[Line, ...]) -> tuple[tuple[int, int] | None, tuple[Line, ...], str | None]:
    """The last sign-off line among the last lines, and the signature lines below it."""
    first_candidate = max(1, len(lines) - 10)
    for i in range(len(lines) - 1, first_candidate - 1, -1):
        line = lines[i]
        if _SIG_DELIMITER.match(line.text):
            return (line.start, line.end), lines[i + 1 : i + 8], None
        m = signoff_re().match(line.text)
        if not m:
            continue
        rest = m["rest"].strip().rstrip(".!")
        if rest and not _NAME_LIKE.match(rest):
            continue  # "Thanks for the quick reply" is a sentence, not a sign-off
        return (line.start, line.end), lines[i + 1 : i + 8], rest or None
    return None, (), None
