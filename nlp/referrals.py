"""Leads someone else passes on, named with the referrer's own words (``patterns/referral_cues.txt``, seven
languages): the person after a referrer's verb ("Dr. Osei referred her client Basil Thornbury", "Kenji at
Tidewater Mortgage referred Odalys Ferreira") and the one after the colon of a referral its referrer heads
("Empfehlung von Herrn Kühn (Kühn Immobilien, 0561 …): Frau Albers", "Indicação do parceiro Paulo Mendes (…):
cliente Fernanda Costa"). The referrer, named before them in the same sentence, is then a partner
(``Names._referrer_is_partner``), and their firm, phone and email go with them (``assemble.others_apart``)."""

from __future__ import annotations

import re
from functools import cache

from nlp.candidates import PERSON, Candidate
from nlp.lexicon import read_lines
from nlp.prose import read_name_at
from parsers.keywords import may_match
from parsers.regex_start import guard_start

#: words every cue spells (lower-case ASCII; parsers.keywords.may_match): a text without one skips the scan
REFERRAL_KEYS = ("refer", "ref by", "ref. by", "recomiendo", "adresse", "presento", "verwijs", "raad jullie",
                 "empfehle", "sent ", "passed", "handed", "hooked", "touch", "nos ", "indic", "encaminh", "nous ",
                 "ci ha", "verwees", "doorverw", "stuurde", "gestuurd", "vermitt",
                 "hat uns", "haben uns", "hat mir", "schickt", "geschickt",
                 "recommend", "lead from", "intro from", "tip from", "empfehlung", "tipp von", "partner",
                 "recomenda", "referencia", "referido", "de parte", "recommand", "de la part", "segnal",
                 "aanbeveling", "tip van", "introduc", "connect you", "courtesy", "kam d", "contacto de", "presento",
                 "contato d", "apresent")
#: the stems of what a referrer calls their lead (the ``client`` group): a text without one has no "his client …"
CLIENT_KEYS = ("client", "patient", "customer", "buyer", "seller", "tenant", "homeowner", "borrower",
               "mieter", "kund", "mandant", "ufer", "inquilin", "comprador",
               "locataire", "huur", "acheteu", "klant", "koper", "paziente", "acquirente", "patiënt")
_TITLE = (r"(?:(?:mr|mrs|ms|miss|dr|prof|sr|sra|srta|dña|don|doña|herr|herrn|frau|dr\.[ \t]+med|mme|mlle|m|sig|"
          r"sig\.ra|signora|signor|señor|señora|senhor|senhora|dhr|mevr|mevrouw|meneer)\.?[ \t]+)?")
#: what may stand between a referral's head and its colon (or a spaced dash): the referrer, their firm and line, no
#: sentence's end; a colon inside brackets is the head's own ("Partner lead (Oakline Mortgage, contact: Brent …):")
_HEAD = r"[ \t]+(?:[^:\n!?(]|\([^()\n]{2,100}\)){1,140}?(?::|->|→|=>|[ \t][–—-](?=[ \t]))[ \t]*"


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"[ \t]+") for w in sorted(set(words), key=len, reverse=True))


@cache
def _cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    return _patterns()[0], _patterns()[1]


@cache
def _owned_cues() -> re.Pattern[str]:
    return _patterns()[2]


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    groups: dict[str, list[str]] = {}
    for line in read_lines("referral_cues.txt"):
        kind, _, words = line.partition("\t")
        groups.setdefault(kind.strip(), []).extend(w.strip() for w in words.split("|") if w.strip())
    lead_in = (rf"(?:(?:{_alt(groups['whose'])})[ \t]+)?(?:(?:{_alt(groups['client'])})(?![\w'’-])[ \t]*[,:=–—-]?"
               rf"[ \t]*)?{_TITLE}")
    verb = guard_start(re.compile(rf"(?i)(?<![\w'’-])(?:{_alt(groups['verb'])})(?:[ \t]*[:–—-])?[ \t]+{lead_in}"))
    head = guard_start(re.compile(rf"(?i)(?<![\w'’-])(?:{_alt(groups['from'])})(?P<head>{_HEAD}){lead_in}"))
    # "his borrower Priya Nair", "son client, Thomas Girard", "La clienta es Lucía Herrera"
    client = rf"(?:{_alt([w for w in groups['client'] if w not in groups['tie']])})(?![\w'’-])"
    owned = guard_start(re.compile(
        rf"(?i)(?<![\w'’-])(?:(?:{_alt(groups['owner'])})[ \t]+{client}[ \t]*[,:=–—-]?|"
        rf"(?:^|(?<=[.!?;:\n])[ \t]*)(?:(?:{_alt(groups['whose'])})[ \t]+)?{client}[ \t]+(?:{_alt(groups['is'])}))"
        rf"[ \t]*{_TITLE}"))
    # "A buyer of mine needs a pre-approval. Her name is Marguerite Ilunga": the name's own sentence, a client before
    client_before = rf"(?i)(?<![\w'’-])(?:{_alt(groups['client'])})(?![\w'’-])"
    named = re.compile(rf"(?i)(?:^|(?<=[.!?;:\n]))[ \t]*(?:{_alt(groups['named'])})[ \t]*:?[ \t]+{_TITLE}")
    # "I have a buyer who needs a pre-approval this week: Dmitri Sokolov": the writer's client, named after a colon
    have = re.compile(
        rf"(?i)(?<![\w'’-])(?:{_alt(groups['have'])})[ \t]+(?:(?:{_alt(groups['whose'])})[ \t]+)?"
        rf"(?:[\w'’-]+[ \t]+)?(?:{_alt(groups['client'])})(?![\w'’-])[^.!?:\n]{{0,120}}:[ \t]*{_TITLE}")
    return verb, head, owned, re.compile(client_before), named, have


def passed_on(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """The people in ``text[start:end]`` that a referrer's own words pass on to us (see the module's doc),
    each with its span."""
    patterns = [*_cues()] if may_match(text[start:end], REFERRAL_KEYS) else []
    if may_match(text[start:end], CLIENT_KEYS):
        patterns += [_owned_cues(), _patterns()[5]]
    found = []
    for pattern in patterns:
        for m in pattern.finditer(text, start, end):
            name = read_name_at(text, m.end(), titled=True)
            if name and name[1] < end:
                found.append(name)
    return found + _named_after_client(text, start, end)


#: how far before "Her name is …" the writer may have called the lead their client
_CLIENT_REACH = 240


def _named_after_client(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    """ "One of my sellers needs a roof inspection. Her name is Wanjiru Kamau": a name given in its own sentence
    after a client word (``named`` and ``client`` in ``patterns/referral_cues.txt``) is the one passed on."""
    if not may_match(text[start:end], CLIENT_KEYS):
        return []
    client, named = _patterns()[3:5]
    found = []
    for m in named.finditer(text, start, end):
        name = read_name_at(text, m.end(), titled=True)
        if name and name[1] < end and client.search(text, max(start, m.start() - _CLIENT_REACH), m.start()):
            found.append(name)
    return found


def _heads(text: str) -> list[re.Match[str]]:
    """The referrals headed by their referrer that name a lead after the colon: their heads ("Herrn Kühn (Kühn
    Immobilien, 0561 …):") hold the referrer's own name, firm, phone and email."""
    if not may_match(text, REFERRAL_KEYS):
        return []
    return [m for m in _cues()[1].finditer(text) if read_name_at(text, m.end(), titled=True)]


#: "Brenda's cell 555-0106", "Jake’s email: …", "Jake: 555-0101": a contact written as someone's own, right after
#: their name (after a colon only a number)
_OWNED = (r"(?:[ \t]*[:=][ \t]*(?=[+(\d])|['’]s[ \t]+(?:(?:own[ \t]+)?(?:cell|mobile|phone|number|direct line|"
          r"line|office|email|e-mail|contact)(?:[ \t]+(?:number|no\.?|is))?[ \t]*:?[ \t]*)?(?=[+(\d\w]))")
#: how far after the possessive its value may end
_OWNED_REACH = 40
_VALUE_END = re.compile(r"[,;]|[.!?](?:\s|$)|\n")
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")


def owned_spans(text: str, candidates: list[Candidate]) -> list[tuple[int, int, str]]:
    """The spans of contacts written as the own of a person a role sets aside (among ``candidates``), e.g.
    "Got a referral from Brenda Kowalczyk … Brenda's cell 555-0106, Mateo's 555-0178": Brenda's number is
    the partner's, whichever comes first. Each span runs from the possessive to the value's end (at most
    ``_OWNED_REACH`` characters on, not past a comma, semicolon or sentence end)."""
    spans = [(m.start("head"), m.end("head"), "role:partner") for m in _heads(text)]
    spans += _referrers_asides(text, candidates)
    for c in candidates:
        role = next((f for f in c.flags if f.startswith("role:")), None)
        first = c.value.split()[0] if c.field == PERSON and role and c.value.split() else ""
        if role is None or len(first) < 2:
            continue
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(first)}{_OWNED}", text):
            stop = _VALUE_END.search(text, m.end(), m.end() + _OWNED_REACH)
            spans.append((m.start(), stop.start() if stop else m.end() + _OWNED_REACH, role))
    return spans


#: how far before "his client …" its referrer may be named ("Got this from Wes at Lakeshore Lending (wes@…).")
_REFERRER_REACH = 160


def _referrers_asides(text: str, candidates: list[Candidate]) -> list[tuple[int, int, str]]:
    """ "Got this from Wes at Lakeshore Lending (wes.b@…). his borrower Ingrid Solberg …": the firm, phone and
    email between the person named last and a possessive that passes a client on are that referrer's, also when
    a sentence ends between them."""
    if not may_match(text, CLIENT_KEYS):
        return []
    people = sorted((c.start, c.value) for c in candidates
                    if c.field == PERSON and c.start >= 0 and not c.component.endswith(".email"))
    spans = []
    for m in _owned_cues().finditer(text):
        floor = m.start() - _REFERRER_REACH
        before = [start for start, _value in people if floor <= start < m.start()]
        if before and read_name_at(text, m.end(), titled=True):
            # from where the referrer's sentence begins: the firm before their name ("my buddy at Apex Auto, Rick
            # Dunn …", "from Wes at Lakeshore Lending", a firm read as a name) is theirs too
            opening = max((e.end() for e in _SENTENCE_END.finditer(text, max(0, floor), before[-1])), default=floor)
            spans.append((max(opening, floor, 0) - 1, m.start(), "role:partner"))
    return spans
