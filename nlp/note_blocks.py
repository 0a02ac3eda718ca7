"""The shape of a chat note around its lead: what a rep copied in with it that is no lead and no prospect's word.

Three shapes, each read from evidence in the note's own layout, never from who the people are:

- **a copied Slack conversation**: "Marco Bellini  9:02 AM" lines (the speaker and the time Slack shows above each
  post) are the reps' names, and a later post with no contact of its own ("on it :+1:", "I'll take it") is a
  colleague's answer, not the prospect's words (``without_thread_chatter``); so is a speaker written before each
  of their lines ("Dana Fox: …" twice or more, ``without_speaker_prefixes``);
- **a digest posted as quoted rows** (">Nadia Petrova · nadia@… · 312-…" a line): a list of leads, not a quote
  (``unquote_rows``);
- **a forwarded Slack message**: "Forwarded message from @dana in #leads:" above "> …" lines: the quoted post is
  a colleague's note about the lead, read as note text, not as the prospect's quoted words
  (``unquote_forwarded``);
- **the rep's own sign-off** below the lead: "Thanks! / Brianna Coles / Customer Care · Summit Paving · 970-…",
  "Logged by: Owen Pritchard, Dispatch, 763-…", "— Priya, front desk, 402-…", "Derek Svoboda | Service Advisor
  | Lakeshore Waterproofing | 216-…" under a quoted prospect. It names our side, so it is cut off before the
  note is split into leads (``without_reps_signoff``).
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise

from nlp.email_names import agrees_with_email
from nlp.firm_runs import job_words
from nlp.lexicon import is_first_name, is_free_mail, read_lines, signoff_re
from parsers.labels.lookup import lookup_label
from parsers.patterns import EMAIL

#: "Marco Bellini  9:02 AM", "Tess Quinlan [09:05]", "Dana — Today at 2:41 PM": a copied Slack post's header line
_SPEAKER = re.compile(
    r"(?m)^[ \t]*[^\W\d_][\w'’.-]*(?:[ \t][^\W\d_][\w'’.-]*){0,3}[ \t]*(?:[—–-][ \t]*)?(?:\[[ \t]*)?"
    r"(?:(?:today|yesterday|heute|gestern|hoy|ayer|hoje|ontem|aujourd'hui|hier|oggi|ieri|vandaag|gisteren)"
    r"[ \t]+(?:at|um|a las|às|à|alle|om)[ \t]+)?\d{1,2}:\d{2}(?:[ \t]?[AaPp]\.?[Mm]\.?)?[ \t]*\]?[ \t]*$"
)
#: "Forwarded message from …", "Weitergeleitete Nachricht von …": a Slack post forwarded into the channel
_FORWARDED = re.compile(
    r"(?im)^[ \t]*(?:forwarded (?:message|post)|weitergeleitete nachricht|mensaje reenviado|mensagem encaminhada|"
    r"message transféré|messaggio inoltrato|doorgestuurd bericht)\b[^\n]*\n"
)
_QUOTE_LINE = re.compile(r"^[ \t]*>[ \t]?")
#: a phone-shaped run: digits with spaces, dots, dashes, slashes and brackets between them
PHONE_SHAPE = re.compile(r"(?:\+|\()?\d[\d \t().\-/]{6,}\d")
#: a post of a copied conversation with no contact of its own and at most this many words is an answer
_CHATTER_WORDS = 8


def has_contact(text: str) -> bool:
    """Whether ``text`` holds an email address or a phone-shaped run of at least 7 digits."""
    if EMAIL.search(text):
        return True
    return any(sum(c.isdigit() for c in m.group()) >= 7 for m in PHONE_SHAPE.finditer(text))


def framed(blocks: list[str]) -> list[str]:
    """The blocks of a note between the rep's heading and closing: blocks before the first with a contact
    ("Three from the open house :house:") and one-line blocks after the last ("thanks all", "more Monday")
    frame the list and are no part of any lead in it."""
    first = next((k for k, b in enumerate(blocks) if has_contact(b)), len(blocks))
    last = len(blocks)
    while last > first + 1 and not has_contact(blocks[last - 1]) and "\n" not in blocks[last - 1]:
        last -= 1
    return blocks[first:last]


#: "Dana Fox: got a new one", "[10:14] dana.fox: …": a copied chat's speaker written before each of their lines
_SPEAKER_PREFIX = re.compile(
    r"(?m)^[ \t]*(?:\[[ \t]*\d{1,2}[:.]\d{2}(?:[ \t]?[AaPp][Mm])?[ \t]*\][ \t]*)?"
    r"(?P<who>[^\W\d_][\w'’.-]*(?:[ \t][^\W\d_][\w'’.-]*){0,2})[ \t]*:[ \t]+(?=\S)")


def without_speaker_prefixes(text: str) -> str:
    """A copied chat whose speaker opens each of their lines ("Dana Fox: …" twice or more) without those
    prefixes: the speaker is a rep, their lines are the note. A prefix that is a field's label ("Name:", "Tel:")
    is kept, however often it comes."""
    found = list(_SPEAKER_PREFIX.finditer(text)) if text.count(":") >= 2 else []
    counts: dict[str, int] = {}
    for m in found:
        counts[m["who"]] = counts.get(m["who"], 0) + 1
    speakers = {who for who, n in counts.items() if n >= 2 and lookup_label(who.strip(" *_")) is None}
    if not speakers:
        return text
    return _SPEAKER_PREFIX.sub(lambda m: "" if m["who"] in speakers else m.group(), text)


def without_thread_chatter(text: str) -> str:
    """A copied Slack conversation without its speaker lines and without the short answers that follow the
    post holding the lead: each post becomes a paragraph. Text with fewer than two speaker lines is returned
    as it is."""
    text = without_speaker_prefixes(text)
    heads = list(_SPEAKER.finditer(text))
    if len(heads) < 2:
        return text
    posts = [text[m.end() : nxt].strip() for m, nxt in zip(heads, [h.start() for h in heads[1:]] + [len(text)],
                                                            strict=True)]
    above = text[: heads[0].start()].strip()
    kept = [above] if above else []
    seen_contact = has_contact(above)
    for post in posts:
        if seen_contact and not has_contact(post) and len(post.split()) <= _CHATTER_WORDS:
            continue  # "on it :+1:", "I'll take it", "thx"
        seen_contact = seen_contact or has_contact(post)
        if post:
            kept.append(post)
    return "\n\n".join(kept)


def unquote_forwarded(text: str) -> str:
    """The "> …" lines right below a forwarded-message line, without their quote marks: a colleague's post,
    which is note text like the rep's own, not the prospect's quoted words. The forwarded-message line itself
    (Slack's caption, no label of a field) is dropped."""
    m = _FORWARDED.search(text)
    if m is None or not _QUOTE_LINE.match(text[m.end() :]):
        return text
    lines = text[m.end() :].split("\n")
    for i, line in enumerate(lines):
        q = _QUOTE_LINE.match(line)
        if q is None:
            break
        lines[i] = line[q.end() :]
    return text[: m.start()] + "\n".join(lines)


#: "Name: …", "E-mail: …": a labelled line and its label
_LABEL = re.compile(r"^[ \t]*(?P<label>[^\W\d][\w .'/-]{0,30}?)[ \t]*:[ \t]*\S")


def relabelled(text: str) -> list[str]:
    """The leads of a note that lists their labelled fields one after another with no blank line between them
    ("Name: Jude Harper / Phone: … / Name: Kira Osei / Phone: …"): the label of the first labelled line, when
    it comes again, opens the next lead. [] unless that gives two or more groups, each with a contact, and
    nothing with a contact above the first."""
    lines = text.split("\n")
    starts: list[int] = []
    key = ""
    for i, line in enumerate(lines):
        m = _LABEL.match(line)
        if m is None:
            continue
        label = m["label"].casefold()
        if not key:
            key = label
        if label == key:
            starts.append(i)
    if len(starts) < 2 or has_contact("\n".join(lines[: starts[0]])):
        return []
    groups = ["\n".join(lines[a:b]).strip() for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    return groups if all(has_contact(g) for g in groups) else []


#: a row of a list: parts apart by middle dots, bars or dashes ("Nadia Petrova · nadia@… · 312-… · Roof repair")
_ROW_PARTS = re.compile(r"[ \t](?:·|\||—|–|-)[ \t]")


def unquote_rows(text: str) -> str:
    """A note whose quoted lines are two or more rows of a list, each with a contact of its own and its parts
    apart by dots, bars or dashes (a digest a bot posted as a Slack attachment), without the quote marks: the
    rows are leads, not one prospect's quoted words."""
    if ">" not in text:
        return text
    lines = text.split("\n")
    quoted = [i for i, line in enumerate(lines) if _QUOTE_LINE.match(line) and line.strip(" \t>")]
    parts = [len(_ROW_PARTS.findall(lines[i])) for i in quoted]
    if len(quoted) < 2 or max(parts) < 2 or min(parts) < 1 or not all(has_contact(lines[i]) for i in quoted):
        return text  # a row may leave a part out (">Desmond Oyelowo - 555-0114" below a row with an email)
    for i in quoted:
        lines[i] = _QUOTE_LINE.sub("", lines[i], count=1)
    return "\n".join(lines)


@cache
def _logged_by() -> re.Pattern[str]:
    phrases = sorted(read_lines("logged_by.txt"), key=len, reverse=True)
    alternation = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
    return re.compile(rf"(?i)^[ \t]*(?:{alternation})[ \t]*:?[ \t]+(?=[^\W\d_])")


#: "— Priya, front desk", "-- Mark", "– Jana, Empfang": a dash before a capitalised word opens a sign-off line
_DASH_SIGN = re.compile(r"^[ \t]*(?:--?|—|–)[ \t]*[^\W\d_a-zß-ÿ]")
#: a line of its own that is a signature delimiter ("--", "—", "__")
_DELIMITER = re.compile(r"^[ \t]*(?:--|—|–|__)[ \t]*$")
#: "Derek Svoboda | Service Advisor | Lakeshore … | 216-…": a name first, then parts apart by bars or middle dots
_PARTS = re.compile(r"[ \t][|·•][ \t]")
_NAME_FIRST = re.compile(r"^[ \t]*[^\W\d_a-zß-ÿ][\w'’-]+(?:[ \t]+[^\W\d_a-zß-ÿ][\w'’.-]+){1,2}[ \t]*(?:[,|·•]|$)")
#: a line that opens on two or three capitalised words and then a separator or a number: someone's name first
_NAME_OPENS = re.compile(
    r"^\W{0,3}[^\W\d_a-zß-ÿ][\w'’-]+(?:[ \t]+[^\W\d_a-zß-ÿ][\w'’.-]+){1,2}[ \t]*(?:[,|·•/(–—-]|[ \t]\+?\d|$)")
#: the last paragraph of a note: after a blank line or a separator line ("---", "***")
_LAST_BREAK = re.compile(r"\n[ \t]*\n|\n[ \t]*(?:[-=_~*#][ \t]*){3,}\n")
_MAX_SIGNOFF_LINES = 3
_MAX_SIGNOFF_CHARS = 160
#: a signature block below a quote: name, title, firm, phone, email
_MAX_SIGNATURE_LINES = 5
_MAX_SIGNATURE_CHARS = 240
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CAPITALISED = re.compile(r"[^\W\d_a-zß-ÿ][\w'’-]+")


def without_reps_signoff(text: str) -> str:
    """The note without its closing paragraph (or last line) when that is the rep signing off below a lead the
    note already gives with a contact; ``text`` as it is otherwise. See ``_reps_signoff`` for the evidence."""
    cut = _signoff_start(text)
    return text if cut is None else text[:cut].rstrip()


def _signoff_start(text: str) -> int | None:
    text = text.rstrip()
    breaks = list(_LAST_BREAK.finditer(text))
    if breaks:
        start = breaks[-1].end()
        if _reps_signoff(text[start:], text[: breaks[-1].start()], paragraph=True):
            return breaks[-1].start()
    last_nl = text.rfind("\n")
    if last_nl > 0 and _reps_signoff(text[last_nl + 1 :], text[:last_nl], paragraph=False):
        return last_nl
    return None


def _reps_signoff(tail: str, above: str, *, paragraph: bool) -> bool:
    """Whether ``tail`` is the rep signing off under the lead in ``above``.

    The lead must be complete without it (``above`` holds a contact), the tail must be short and hold no email
    (a lead's block has one, a rep's sign-off seldom does), and its layout must say sign-off: a "Logged by:"
    phrase (``patterns/logged_by.txt``), a dash before a name ("— Priya, front desk, …"), or, for a paragraph of
    its own, a sign-off phrase or delimiter line above a name ("Thanks! / Brianna Coles / …") or one line of a
    name and parts apart by bars or dots ("Derek Svoboda | Service Advisor | …") in a note that has no such
    line above; or a name first with a number right below the prospect's quoted words ("> … call me at 303-…"
    then "Mike Donnelly, Summit Roofing, 303-…"), with or without an email. A name the note already gave above
    is the prospect signing again, not the rep.
    """
    lines = [line for line in tail.split("\n") if line.strip()]
    if not lines or len(lines) > _MAX_SIGNATURE_LINES or len(tail) > _MAX_SIGNATURE_CHARS:
        return False
    first = lines[0]
    # a longer block is a signature only right below the prospect's quoted words, or after a closing phrase or a
    # delimiter below a note that names its lead ("Best, / Carl Jensen / Jensen Financial Planning / 402-…",
    # "-- / Derek Holloway / Inside Sales Representative / 555-0100": the writer, not a second lead)
    closed = paragraph and len(lines) >= 2 and bool(_DELIMITER.match(first) or _closing(first)) and _names_a_lead(above)
    if (len(lines) > _MAX_SIGNOFF_LINES or len(tail) > _MAX_SIGNOFF_CHARS) and not (
            (paragraph and _NAME_OPENS.match(first) and _below_a_quote(above)) or closed):
        return False
    quoted_above = False
    if _logged_by().match(first):
        signer = first
    elif len(lines) == 1 and (dash := _DASH_SIGN.match(first)):
        dashes = re.compile(rf"(?m)^[ \t]*{re.escape(dash.group().strip()[:-1].strip())}")
        if dashes.search(above):
            return False  # the last item of a dashed list
        signer = first
    elif _NAME_OPENS.match(first) and PHONE_SHAPE.search(tail) and (paragraph or _QUOTE_LINE.match(
            above.rstrip().rpartition("\n")[2])) and _below_a_quote(above):
        # "> …the prospect's words…" then "Mike Donnelly - Summit Roofing - 303-…": the rep's line
        signer, quoted_above = first, True
    elif not paragraph and len(lines) == 1 and len(_PARTS.findall(first)) >= 2 and _NAME_FIRST.match(first) and (
            PHONE_SHAPE.search(first) and not _PARTS.search(above) and _names_another(first, above)):
        # "…Her name is Marguerite Ilunga, 216-…" then "Sunniva Halvorsen | Lakeshore Realty | 216-…" right below:
        # the writer who passed on the person the note names, though her first name opened the note
        return not (EMAIL.search(tail) or not has_contact(above) or _same_number(tail, above))
    elif not paragraph:
        return False
    elif len(lines) == 3 and _titled_signature(lines) and _names_a_lead(above):
        signer = first  # "Marcus Webb / Account Executive / 555-0100" below the lead: the writer, no closing phrase
    elif closed:
        signer = lines[1]
        # a colleague's signature gives their own work address ("lena.fischer@brightwaydoors.com" under "Lena
        # Fischer"): an address spelling the signer at a firm's domain is theirs, not a lead's
        quoted_above = _signers_address(signer, tail)
    elif len(lines) == 1 and len(_PARTS.findall(first)) >= 2 and _NAME_FIRST.match(first) \
            and not _PARTS.search(above):
        signer = first
    else:
        return False
    return not ((EMAIL.search(tail) and not quoted_above) or not has_contact(above) or _same_number(tail, above)
                or _named_above(signer, above))


def _signers_address(signer: str, tail: str) -> bool:
    """Whether every email in ``tail`` spells the signer's name at a domain that is no free-mail provider's."""
    found = [m.group() for m in EMAIL.finditer(tail)]
    return bool(found) and all(
        agrees_with_email(signer, e) and not is_free_mail(e.rsplit("@", 1)[-1]) for e in found)


def _below_a_quote(above: str) -> bool:
    """Whether ``above`` quotes the prospect's words with a contact in them ("> … call me at 303-…"): a name
    signed below the quote, outside it, is the rep's."""
    if ">" not in above:
        return False
    return has_contact("\n".join(line for line in above.split("\n") if _QUOTE_LINE.match(line)))


def _same_number(tail: str, above: str) -> bool:
    """Whether a number in ``tail`` is one ``above`` gives too (the prospect's own, signed again)."""
    digits = re.sub(r"\D", "", above)
    return any(re.sub(r"\D", "", m.group())[-7:] in digits for m in PHONE_SHAPE.finditer(tail)
               if sum(c.isdigit() for c in m.group()) >= 7)


def _names_a_lead(above: str) -> bool:
    """Whether ``above`` names someone by a known first name before a capitalised word ("Gideon Marsh, …"), or by
    two capitalised words an email in it spells: the lead is named in the note, so a name signed below it is the
    writer's."""
    words = _WORD.findall(above)
    if any(is_first_name(a) and a[:1].isupper() and b[:1].isupper() for a, b in pairwise(words)):
        return True
    # "Mthunzi Adjei-Sørensen" above "mthunzi.adjei@gmail.com": a name the gazetteer lacks, spelled by its email
    emails = [m.group() for m in EMAIL.finditer(above)]
    return any(a[:1].isupper() and b[:1].isupper() and agrees_with_email(f"{a} {b}", e)
               for a, b in pairwise(words) for e in emails)


def _titled_signature(lines: list[str]) -> bool:
    """Whether three lines are a name (a known first name first), a job title ("Account Executive", "Estimator |
    Summit Roofing") and a number: a signature, though no closing phrase opens it."""
    name, title, number = lines
    words = _WORD.findall(name)
    return (bool(_NAME_FIRST.match(name)) and 2 <= len(words) <= 3 and is_first_name(words[0])
            and not any(c.isdigit() for c in name + title) and not EMAIL.search(title)
            and any(w.casefold() in job_words() for w in _WORD.findall(title))
            and bool(PHONE_SHAPE.search(number)))


def _names_another(line: str, above: str) -> bool:
    """Whether ``above`` names, by a known first name before a capitalised word, someone other than the person
    whose name opens ``line``."""
    signer = {w.casefold() for w in _WORD.findall(line.split("|", 1)[0])}
    words = _WORD.findall(above)
    return any(is_first_name(a) and a[:1].isupper() and b[:1].isupper() and a.casefold() not in signer
               and b.casefold() not in signer for a, b in pairwise(words))


def _closing(line: str) -> bool:
    """ "Thanks!", "Best,", "Un saludo,": a sign-off phrase alone on its line."""
    m = signoff_re().match(line)
    return m is not None and not m["rest"].strip()


def _named_above(line: str, above: str) -> bool:
    """Whether the first capitalised word of ``line`` after its cue (the person signing) is already in
    ``above``: the prospect signing their own words again."""
    body = _logged_by().sub("", line, count=1) if _logged_by().match(line) else line
    m = _CAPITALISED.search(body)
    return m is not None and re.search(rf"(?i)\b{re.escape(m.group())}\b", above) is not None
