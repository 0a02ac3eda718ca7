"""Chat notes: Slack markup to plain text, and a note that holds several leads split into one block each.

A rep types or pastes a lead into a channel: "Just got off a call with Priya Raman, VP Ops at Castellan
Logistics …", a bulleted ``*Name:* …`` list, a numbered list of two walk-ins, a pasted email. Slack sends
that text with its own markup (https://api.slack.com/reference/surfaces/formatting): links and mailto/tel
links as ``<target|label>``, mentions as ``<@U…>``, ``<!here>``, ``<#C…|name>``, bold ``*x*``, italic ``_x_``,
strike ``~x~``, and ``&amp; &lt; &gt;`` escaped. ``normalise_chat`` turns that into the plain text every other
reader expects; ``split_chat`` cuts a note into the blocks that each carry one lead's contact.
"""

from __future__ import annotations

import html
import re
from difflib import SequenceMatcher
from itertools import pairwise

from nlp.email_names import agrees_with_email
from nlp.lexicon import greeting_re, is_first_name, is_surname, signoff_re
from nlp.note_blocks import (
    PHONE_SHAPE,
    framed,
    has_contact,
    relabelled,
    unquote_forwarded,
    unquote_rows,
    without_reps_signoff,
    without_thread_chatter,
)
from nlp.prose import role_before
from parsers.labels import is_field_line
from parsers.labels.lookup import lookup_label, split_inline_labels
from parsers.patterns import EMAIL
from parsers.tables import table_records

#: ``<mailto:a@b.c|a@b.c>``, ``<tel:+1…|(312) …>``, ``<https://…|text>``, ``<https://…>``
_LINK = re.compile(r"<(?P<target>(?:mailto:|tel:|sms:|https?://|www\.)[^<>|\s]*)(?:\|(?P<label>[^<>]*))?>")
#: user, channel and special mentions: ``<@U02AB3CD>``, ``<@U02AB3CD|dana>``, ``<#C123|leads>``, ``<!here>``
_MENTION = re.compile(r"<[@!#][^<>]*>")
_EMOJI = re.compile(r"(?<![\w:]):[a-z0-9_+-]{2,40}:(?![\w:])")
#: ``*bold*``, ``_italic_``, ``~strike~`` around words (not ``snake_case`` or ``2*3*4``)
_STYLE = re.compile(r"(?<![\w*_~])([*_~])(?=\S)(?P<inner>[^\n*_~]{1,200}?)(?<=\S)\1(?![\w*_~])")
#: ``~struck out~`` text: what the rep took back (a struck contact is dropped, struck words keep their text)
_STRUCK = re.compile(r"(?<![\w*_~])~(?=\S)[^\n~]{1,200}?(?<=\S)~(?![\w*_~])")
#: a bold or italic label run into its value: "*Name:*Greta Lindholm", "_Tel:_555-0123"
_GLUED_LABEL = re.compile(r"(?<![\w*_~])([*_])(?P<label>[^\W\d_][^\n*_~]{0,40}?:)\1(?=[^\s*_~])")
_BULLET = re.compile(r"(?m)^[ \t]*(?:[•◦▪‣·●○■]|[-*+](?=[ \t]))[ \t]*")
_FENCE = re.compile(r"(?m)^[ \t]*```[ \t]*\n?|```")
_INLINE_CODE = re.compile(r"`([^`\n]+)`")
#: "1. …", "2) …", "#1 …", "Lead 2:", "Lead 1 of 3" (a heading line of its own) at a line start: one item of a
#: list of leads
_ITEM = re.compile(
    r"(?im)^[ \t]*(?:(?:#?\d{1,2}[.):]|\(\d{1,2}\))[ \t]+|(?:lead|contact|cliente|kunde|prospect|anfrage|"
    r"aanvraag|pedido|demande|richiesta|request|enquiry|inquiry|solicitud|contato|contatto)\s*#?\d{1,2}"
    r"(?:[ \t]*(?:of|von|de|van|di|sur|/)[ \t]*\d{1,2})?(?:[ \t]*[:.)–—-][ \t]+|[ \t]*$))"
)
#: a block that opens on someone tied to the lead above it ("His wife Mia …", "cc her assistant …", "Seine
#: Frau …", "Su esposa …"): that person is no lead of their own, whatever contact they leave
_TIED_TO_ABOVE = re.compile(
    r"(?i)^\W*(?:cc:?[ \t]+)?(?:his|her|their|sein(?:e|en)?|ihr(?:e|en)?|su|sus|seu|sua|son|sa|zijn|haar|hun)[ \t]+"
    r"(?:wife|husband|spouse|partner|assistant|secretary|office manager|pa|ea|son|daughter|frau|mann|ehefrau|"
    r"ehemann|assistentin|assistent|sekretärin|esposa|esposo|marido|mujer|asistente|secretaria|hij[oa]|"
    r"mulher|assistente|filh[oa]|femme|mari|épouse|époux|assistante|secrétaire|vrouw|man|echtgeno(?:ot|te)|"
    r"assistente|secretaresse)\b"
)
#: a pasted mail's header block ("From: …" then "Sent:/Date:/To:/Subject: …"): its paragraphs are one message
_PASTED_HEADERS = re.compile(
    r"(?im)^[ \t]*(?:from|von|de|da|van|expéditeur)[ \t]*:.*\n(?:.*\n)?[ \t]*(?:sent|date|datum|fecha|data|"
    r"to|an|para|a|aan|à|subject|betreff|asunto|assunto|objet|oggetto|onderwerp)[ \t]*:"
)
#: "Email: …", "*Tel.:* …": a labelled field line, one of several lines of one lead
_LABELLED = re.compile(r"^[^\W\d][\w .'/-]{0,30}:\s")
#: "Tel — 06 …", "E-mail – …", "Phone - …": a label with a dash instead of a colon
_DASH_LABELLED = re.compile(r"^[ \t]*(?P<key>[^\W\d][\w .'/-]{0,30}?)[ \t]*(?:[—–]|[ \t]-)[ \t]")


def _labelled(line: str) -> bool:
    """Whether a line is one labelled field of a lead ("Email: …", "Tel — …"), not a lead of its own."""
    if _LABELLED.match(line):
        return True
    m = _DASH_LABELLED.match(line)
    return m is not None and lookup_label(m["key"]) is not None


def normalise_chat(text: str) -> str:
    """Plain text from Slack-formatted chat text: links to their text, mentions and emoji dropped, bold,
    italics, bullets and code fences removed, ``&amp; &lt; &gt;`` decoded."""
    text = text.replace("\r\n", "\n")
    text = _LINK.sub(_link_text, text)
    text = _MENTION.sub("", text)
    text = _EMOJI.sub("", text)
    text = _FENCE.sub("", text)
    text = _INLINE_CODE.sub(r"\1", text)
    # "~617-555-0101~ 617-555-0156": the rep struck the old number out
    # "~Marcus Feld~ Markus Feldt": struck words and their correction right after them
    text = _STRUCK.sub(lambda m: "" if has_contact(m.group()) or _corrected(m) else m.group(), text)
    text = _GLUED_LABEL.sub(lambda m: f"{m['label']} ", text)
    for _ in range(2):  # "*_both_*"
        text = _STYLE.sub(lambda m: m["inner"], text)
    text = _BULLET.sub("", _nested_groups(text))
    text = html.unescape(text)
    # tabs kept between cells: a sheet pasted into the note is a table (``parsers.tables``)
    lines = ["\t".join(" ".join(cell.split()) for cell in line.split("\t")).strip() for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    # a copied conversation, a forwarded post, a digest in quoted rows (nlp.note_blocks)
    return without_thread_chatter(unquote_forwarded(unquote_rows(text)))


def _corrected(m: re.Match[str]) -> bool:
    """Whether the words after ``~struck~`` write the struck ones again, each alike ("~Tom Harlan~ Tom Harlow")."""
    struck = m.group().strip("~").split()
    after = m.string[m.end() : m.string.find("\n", m.end()) % (len(m.string) + 1)].split()[: len(struck)]
    return len(after) == len(struck) <= 4 and any(a != b for a, b in zip(struck, after, strict=True)) and all(
        SequenceMatcher(None, a.casefold(), b.casefold()).ratio() >= 0.5 for a, b in zip(struck, after, strict=True))


_TOP_BULLET = re.compile(r"^(?:[•◦▪‣·●○■]|[-*+](?=[ \t]))")
_SUB_BULLET = re.compile(r"^[ \t]+(?:[•◦▪‣·●○■]|[-*+](?=[ \t]))")


def _nested_groups(text: str) -> str:
    """A list whose top-level bullets hold indented bullets ("• Omar Reyes / ◦ 555-… / ◦ omar@…"): a blank line
    before each top-level bullet, so that each one with what is indented under it is a block of its own."""
    lines = text.split("\n")
    if not any(_SUB_BULLET.match(line) for line in lines):
        return text
    tops = [k for k, line in enumerate(lines) if _TOP_BULLET.match(line)]
    if len(tops) < 2 or not all(k + 1 < len(lines) and _SUB_BULLET.match(lines[k + 1]) for k in tops):
        return text
    return "\n".join(f"\n{line}" if k in tops[1:] else line for k, line in enumerate(lines))


def _link_text(m: re.Match[str]) -> str:
    target, label = m["target"], (m["label"] or "").strip()
    if target.startswith(("mailto:", "tel:", "sms:")):
        value = target.split(":", 1)[1].split("?", 1)[0]
        in_label = "@" in label if target.startswith("mailto:") else sum(c.isdigit() for c in label) >= 7
        if not in_label:
            return f"{label} {value}".strip()  # "<mailto:a@b.c|email her>": the address is in the target only
        if value.startswith("+") and not label.startswith(("+", "0")):
            return _with_country_code(value, label)
        return label or value
    return label or target


def _with_country_code(target: str, label: str) -> str:
    """``<tel:+4791234567|912 34 567>``: the label with the country code only the target spells ("+47 912 34 567"),
    so that a number abroad is not read as a short national one; a US/CA label is kept as it is."""
    wanted, shown = re.sub(r"\D", "", target), re.sub(r"\D", "", label)
    code = wanted[: len(wanted) - len(shown)]
    if not shown or not wanted.endswith(shown) or not 1 <= len(code) <= 3 or code == "1":
        return label
    return f"+{code} {label}"


def split_chat(text: str) -> list[str]:
    """The blocks of a note that each hold one lead's contact, with several "Label: value" pairs on one line
    put on lines of their own (``split_inline_labels``); see ``_blocks``."""
    return ["\n".join(split_inline_labels(line) for line in _without_item_heading(block).split("\n"))
            for block in _blocks(text)]


def _without_item_heading(block: str) -> str:
    """A block without the list item's heading it opens with ("Lead 2: grace hendricks 212-…", "#3 …"): the
    heading is no field label, and read as one it would take the rest of its line (the lead's name) along."""
    m = _ITEM.match(block)
    return block[m.end() :] if m and block[m.end() :].strip() else block


def _blocks(text: str) -> list[str]:
    """The blocks of a note that each hold one lead's contact (a numbered list, or blank-line separated
    blocks), or ``[text]`` when the note is about one lead.

    Lines before the first block that carry no contact of their own ("two leads from the open house:")
    are the rep's heading, not a lead, and are dropped.
    """
    text = without_reps_signoff(text)  # "Logged by: …", "— Priya, front desk, …": our side, no lead
    rows = table_records(text)
    if len(rows) >= 2:
        return rows  # a pasted sheet or a Markdown table: one lead a row, the rep's lines around it are not
    pasted_mail = bool(_PASTED_HEADERS.search(text))
    for blocks, own in ((_numbered(text), False), ([] if pasted_mail else _paragraphs(text), True)):
        with_contact = [b for b in blocks if has_contact(b)]
        if len(with_contact) >= 2 and len(with_contact) >= len(framed(blocks)) - 1:
            if own:  # paragraphs, unlike numbered items, may be one lead's: each must name someone of its own
                with_contact = _of_own_people(with_contact)
            if len(with_contact) >= 2:
                return with_contact
    groups = relabelled(text)
    if len(groups) >= 2 and all(names_someone(group) for group in groups):
        return groups  # "Name: Jude Harper / Phone: … / Name: Kira Osei / Phone: …": a label again, a lead again
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    listed = list(lines)
    while len(listed) > 2 and not has_contact(listed[-1]) and not names_someone(listed[-1]):
        listed.pop()  # "Los meto en el CRM esta tarde.": the rep's closing line under the list, no lead
    with_contact = [line for line in listed if has_contact(line)]
    if (len(with_contact) >= 2 and not pasted_mail and not any(_labelled(line) for line in with_contact)
            and not any(line.startswith(">") for line in with_contact)
            and all(names_someone(line) and not _TIED_TO_ABOVE.match(line) for line in with_contact)
            and all(has_contact(line) for line in listed[1:]) and not any(_bare_contact(line) for line in listed)):
        return with_contact  # one lead a line ("- Sr. Ernesto Villanueva (…) 947 21 30 88, quiere …")
    if not pasted_mail and len(lines) <= 2:
        inline = _inline_leads(text)
        if inline:
            return inline
    return [text]


#: where a clause ends and another may start: ". ", "; ", ": ", ", and ", " & ", " y ", " und " …
_CLAUSE_END = re.compile(
    r"(?:[.;:]|,?[ \t]+(?:and|und|y|e|et|en|plus|also|außerdem|sowie|además|inoltre|ook|aussi)|[ \t][-–—+/&]|"
    r"[ \t]//)[ \t]+|,[ \t]+(?:and[ \t]+)?|:?[ \t]*\n[ \t]*"
)
#: a person's name opening a clause: two or three capitalised words ("Lien Tran (…)", "Mei Lin Huang, …")
#: (a neighbour or friend who came along is a lead of their own when they leave their own contact)
_NAME_OPENS = re.compile(
    r"(?:(?i:(?:her|his|their|a|my|our)[ \t]+(?:neighbou?r|friend|sister|brother|colleague|coworker|co-worker|"
    r"cousin|nachbar(?:in)?|vecin[oa]|vizinh[oa]|voisine?|vicin[oa]|buurman|buurvrouw))[ \t]+)?"
    r"(?:(?:Mr|Mrs|Ms|Dr|Sr|Sra|Herr|Frau|M|Mme|Mlle|Sig\.ra|Sig\.na|Sig|Dhr|Mevr)\.?[ \t]+)?"
    r"(?P<first>[^\W\d_a-zß-öø-ÿ][\w'’-]+)"
    r"(?:[ \t]+[^\W\d_a-zß-öø-ÿ][\w'’-]+){1,2}")


def _spelled_nearby(name: str, text: str, pos: int) -> bool:
    """Whether an email right after ``name`` spells it ("Mei Lin Huang (meilin.huang@…)")."""
    m = EMAIL.search(text, pos, pos + 80)
    return m is not None and agrees_with_email(name, m.group())


def _inline_leads(text: str) -> list[str]:
    """ "two walk-ins today: Gabe Moreno (480-555-0163) wants solar, and Lien Tran (lien.tran@…) asked …": one
    block per clause that opens with a known first name and a surname, when each such block has its own
    contact (an assistant or a colleague named without a contact of their own does not split the note)."""
    starts = [0, *(m.end() for m in _CLAUSE_END.finditer(text))]
    opens: list[int] = []
    opened_to = -1  # "Sra. Pilar Gómez": the name after the title's dot is the same opening
    for p in sorted(set(starts)):
        if p >= opened_to and (m := _NAME_OPENS.match(text, p)) and (
                is_first_name(m["first"]) or _spelled_nearby(m.group(), text, m.end())):
            opened_to = m.end()
            if role_before(text, p) is None:  # "Referral partner: Lena Ortiz, …": no lead of their own
                opens.append(p)
    names = [m.group().casefold() for p in opens if (m := _NAME_OPENS.match(text, p))]
    if len(opens) < 2 or len(set(names)) < len(names):
        return []  # "Wendell Okafor <…> … Please call me back. Wendell Okafor, 303-…": one person signing twice
    ends = [*opens[1:], len(text)]
    blocks = [text[a:b].strip(" ,;.") for a, b in zip(opens, ends, strict=True)]
    if all(has_contact(b) for b in blocks) and not has_contact(text[: opens[0]]):
        return blocks
    return []


def _bare_contact(line: str) -> bool:
    """A line that is only an address or a number ("> ann@example.com", "555-123-9876"): part of the lead
    above it, never a lead of its own."""
    rest = PHONE_SHAPE.sub(" ", EMAIL.sub(" ", line))
    return has_contact(line) and not any(ch.isalpha() for ch in rest)


def _numbered(text: str) -> list[str]:
    starts = [m for m in _ITEM.finditer(text)]
    if len(starts) < 2:
        return []
    ends = [m.start() for m in starts[1:]] + [len(text)]
    return [text[m.end() : end].strip() for m, end in zip(starts, ends, strict=True)]


#: "Mr Lee", "Frau Opitz", "Sra. Mora": a title before a capitalised word names a person
_TITLED = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|Sr|Sra|Herr|Frau|M|Mme|Mevr|Dhr|Mevrouw|Meneer)\.?[ \t]+[^\W\d_a-z]")
#: a block that opens on two or three capitalised words before a comma, a bar, a dash, a bracket or a number
#: ("Oluwaseun Adeyemi | seun@…", "Grace O'Malley 617-…"): a name written where a list item's name goes
_OPENS_NAME_SHAPED = re.compile(
    r"^\W{0,3}[^\W\d_a-z][\w'’-]+(?:[ \t]+[^\W\d_a-z][\w'’-]+){1,2}[ \t]*(?:[,|/(–—-]|[ \t]\+?\d|\n|$)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def names_someone(block: str) -> bool:
    """Whether a block names a person of its own: a "Name:" line, a title before a name, or a known first
    name beside a capitalised word or a known surname ("Greta Holm", "karl lenz")."""
    for line in block.split("\n"):
        label = line.split(":", 1)[0] if ":" in line[:32] else ""
        slot = lookup_label(label.strip(" *_•-")) if label else None
        if slot is not None and slot[0] in ("full_name", "first_name", "last_name"):
            return True
    if _TITLED.search(block):
        return True
    if _OPENS_NAME_SHAPED.match(block):
        return True
    words = _WORD.findall(EMAIL.sub(" ", block))
    return any(is_first_name(a) and ((a[:1].isupper() and b[:1].isupper()) or is_surname(b))
               for a, b in pairwise(words))


def _of_own_people(blocks: list[str]) -> list[str]:
    """Blocks joined to the one above when they name no one of their own ("Her email is greta@…", a bare
    address) or open on someone tied to the lead above ("His wife Mia …"), or when the first block is someone's
    own words that name no one (the body of a pasted mail, signed in the next): one lead's paragraphs."""
    out: list[str] = []
    for block in blocks:
        if out and has_contact(out[-1]) and (not names_someone(block) or _TIED_TO_ABOVE.match(block)):
            out[-1] = f"{out[-1]}\n{block}"
        elif len(out) == 1 and _FIRST_PERSON.search(out[0]) and not names_someone(out[0]):
            out[-1] = f"{out[-1]}\n{block}"  # "Hi, I'm interested … call 303-…" / "Francesca Ortiz / …": one writer
        else:
            out.append(block)
    return out


def _paragraphs(text: str) -> list[str]:
    """Blocks apart by blank lines or separator lines ("---", "=====", "* * *")."""
    return [p.strip() for p in _BREAK.split(text) if p.strip()]


_BREAK = re.compile(r"\n[ \t]*\n|\n[ \t]*(?:[-=_~*#][ \t]*){3,}(?:\n|$)")


#: "…", “…”, „…“, «…» of at least a few words
_QUOTED = re.compile(r"[\"“„«](?P<q>[^\"“”„«»\n]{15,800})[\"”“»]")
#: "she wrote: …", "Nachricht: …": the rest of the line is the prospect's words
_SAID = re.compile(
    r"(?im)\b(?:wrote|said|says|asked|writes|message|msg|words|quote|zitat|cita|citação|citation|citazione|citaat|escribi[óo]|dijo|mensaje|schrieb|schreibt|"
    r"nachricht|disse|escreveu|mensagem|a écrit|écrit|message|ha scritto|scrive|messaggio|schreef|bericht)"
    r"[ \t]*:[ \t]*(?P<q>[^\n]{10,800})$"
)
_BLOCKQUOTE = re.compile(r"(?m)^[ \t]*>[ \t]?(?P<q>[^\n]*)$")


def quoted_message(text: str) -> str | None:
    """The prospect's own words quoted in a rep's note (a blockquote, a quotation, "she wrote: …"), or None."""
    block = [m["q"].strip() for m in _BLOCKQUOTE.finditer(text) if m["q"].strip()]
    if block:
        return _without_greeting_and_signoff(block)
    found = [m["q"].strip() for m in _QUOTED.finditer(text) if len(m["q"].split()) >= 3]
    if found:
        return " ".join(found)
    said = _SAID.search(text)
    if said:
        return said["q"].strip().strip("\"“”„«»").strip()
    return None


#: the prospect writing in the first person (a form's or mail's words pasted as they are)
_FIRST_PERSON = re.compile(
    r"(?i)(?:^|[\s,.!?])(?:i|i'm|i’m|i'd|i’d|i've|my|we|we're|our|ich|mein|meine|wir|unser|yo|mi|mis|estoy|"
    r"quisiera|eu|meu|minha|estou|je|j'|mon|ma|nous|io|mio|mia|vorrei|ik|mijn|wij)(?=[\s,.!?']|$)"
)
#: a rep writing about the lead
_ABOUT_LEAD = re.compile(
    r"(?i)\b(?:he|she|they|his|her|their|him|lead|walk-?in|call(?:ed)?|spoke|talked|met|client|customer|er|sie|"
    r"ihm|ihr|kunde|kundin|él|ella|cliente|llamó|ele|ela|falei|il|elle|lui|lei|hij|zij|klant)\b"
)


def prospect_voice(text: str) -> bool:
    """Whether unlabelled text reads as the prospect's own words rather than a rep's note about them."""
    return bool(_FIRST_PERSON.search(text)) and not _ABOUT_LEAD.search(text)


#: "Pasted from email:", "fwd from the website:", "copied from the form:": the prospect's own words follow
_PASTED_INTRO = re.compile(
    r"(?im)^[^\n]{0,40}\b(?:pasted|pasting|copied|copying|copy of|copia del?|kopie de[rs]|forwarded|forwarding|fwd|fw|"
    r"from (?:the|their|her|his) (?:email|mail|website|form)|"
    r"eingefügt|kopiert|weitergeleitet|pegado|copiado|reenviado|encaminhado|collé|copié|transféré|incollato|"
    r"copiato|inoltrato|geplakt|gekopieerd|doorgestuurd)\b[^\n]{0,40}"
    r"(?::|\b(?:below|unten|abajo|abaixo|ci-dessous|sotto|hieronder))[ \t]*$"
)


def _without_greeting_and_signoff(lines: list[str]) -> str:
    """A quoted mail's words: "Hi there," before and "Thanks, / Corinne Ashworth / 503-…" after are not
    what the prospect asks (a single line is kept whole)."""
    greeting = greeting_re().match(lines[0])
    if len(lines) > 1 and greeting and len(lines[0][greeting.end():].split()) <= 2:
        lines = lines[1:]  # "Hi there," / "Hola Tomás,": the greeting alone on its line
    for i, line in enumerate(lines[1:], 1):
        if len(line) <= 40 and signoff_re().match(line):
            lines = lines[:i]
            break
    if len(lines) > 1 and _SIGNED_NAME.fullmatch(lines[-1]):
        lines = lines[:-1]  # "— Zainab A.", "Lorraine Dubois": the prospect signing below their words
    return " ".join(lines)


#: a quoted mail's last line that is only its writer's name: "Lorraine Dubois", "— Zainab A.", "-Mo"
_SIGNED_NAME = re.compile(
    r"[-–—~][ \t]*[A-ZÀ-Þ][a-zß-ÿ'’-]+(?:[ \t]+[A-ZÀ-Þ](?:[a-zß-ÿ'’-]+|\.))?\.?"
    r"|[A-ZÀ-Þ][a-zß-ÿ'’-]+(?:[ \t]+[A-ZÀ-Þ](?:[a-zß-ÿ'’-]+|\.)){1,2}"
)


#: a line of a copied site-chat transcript and who says it: "Visitor: hi, do you …", "[10:02] Agent: yes we do!"
_SPEAKER = re.compile(
    r"(?im)^[ \t]*(?:\[?\d{1,2}:\d{2}(?:[ \t]?[ap]m)?\]?[ \t]*)?(?P<who>visitor|customer|guest|prospect|user|"
    r"client|cliente|visitante|usuario|kunde|kundin|besucher(?:in)?|agent|operator|rep|bot|assistant|support|"
    r"agente|operador|asesor|mitarbeiter(?:in)?|berater(?:in)?)[ \t]*:[ \t]*(?P<said>[^\n]*)$"
)
_THEIR_SIDE = frozenset({"visitor", "customer", "guest", "prospect", "user", "client", "cliente", "visitante",
                         "usuario", "kunde", "kundin", "besucher", "besucherin"})


def transcript_message(text: str) -> str | None:
    """The visitor's lines of a copied site-chat transcript ("Visitor: …" / "Agent: …"), without the speaker
    labels, or None when the note holds no transcript (both sides speak, the visitor in a sentence)."""
    turns = [(m["who"].casefold(), m["said"].strip()) for m in _SPEAKER.finditer(text)]
    theirs = [said for who, said in turns if who in _THEIR_SIDE and said]
    if len(theirs) == len(turns) or not any(len(said.split()) >= 4 for said in theirs):
        return None
    return " ".join(theirs)


#: the first lines of a pasted text looked at for a form's "Label: value" lines
_FORM_LINES = 8


#: the writer introducing themselves: "my name is …", "me llamo …", "ich heiße …" (a form's or mail's words)
_SELF_INTRO = re.compile(
    r"(?i)\b(?:my name is|my name's|me llamo|mi nombre es|ich hei(?:ß|ss)e|mein name ist|je m'appelle|"
    r"mi chiamo|mijn naam is|(?:o )?meu nome é)\b"
)


def prospect_words_at(text: str, pos: int) -> bool:
    """Whether the words at ``pos`` of a note are the prospect's (their line introduces its writer, or a
    "Copy of the form:" line above pastes them), so that "my email is …" there is not the rep's own."""
    line_start = text.rfind("\n", 0, pos) + 1
    return bool(_SELF_INTRO.search(text, line_start, pos) or _PASTED_INTRO.search(text[:line_start]))


def pasted_message(text: str, signoff: tuple[int, int] | None = None) -> str | None:
    """The prospect's words a rep pasted below "Pasted from email:" (up to their sign-off), or None."""
    m = _PASTED_INTRO.search(text)
    if not m:
        return None
    end = signoff[0] if signoff and signoff[0] > m.end() else len(text)
    lines = [line for line in text[m.end() : end].split("\n") if line.strip() and not _SEPARATOR_LINE.match(line)]
    if sum(1 for line in lines[:_FORM_LINES] if is_field_line(line)) >= 2:
        return None  # a pasted form ("Full name: … / Phone: …"): its words are under its own message label
    if lines and len(lines[0]) <= 60 and greeting_re().match(lines[0]) and len(lines) > 1:
        lines = lines[1:]  # "Hi Tom,": the prospect greeting the rep is not part of what they ask
    words = " ".join(" ".join(lines).split())
    return words or None


#: a list item's marker at a line start: "- ", "• ", "* ", "1. ", "2) ", "a) "
_MARKER = re.compile(r"^[ \t]*(?:[•◦▪‣·●○■→]|[-*+](?=[ \t])|\d{1,2}[.)](?=[ \t])|[a-h]\)(?=[ \t]))[ \t]*")
_SEPARATOR_LINE = re.compile(r"^[ \t]*(?:[-=_~*#][ \t]*){3,}$")


def listed_leads(text: str) -> list[str]:
    """The items of a list of people in a mail's text ("1. Ingo Jung, ingo@…, 555-…", one per line or
    apart by blank or separator lines), or [] when it holds no such list. Evidence: two or more items in a
    row, each naming a person of its own with a contact of its own, no two alike, none a labelled field."""
    items: list[str] = []
    best: list[str] = []
    for raw in text.split("\n"):
        line = _MARKER.sub("", raw).strip()
        if not line or _SEPARATOR_LINE.match(line):
            continue
        if has_contact(line) and names_someone(line) and not _labelled(line) and not line.startswith(">") \
                and not _TIED_TO_ABOVE.match(line):
            items.append(line)
            continue
        best = items if len(items) > len(best) else best
        items = []
    best = items if len(items) > len(best) else best
    keys = {re.sub(r"\W", "", line.casefold())[:24] for line in best}
    return best if len(best) >= 2 and len(keys) == len(best) else []
