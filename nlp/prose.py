"""People named in running text: the words after a cue ("call with", "Frau", "habló con"), a list item's head,
and whether a name agrees with an email address's local part.

Pure functions over text, shared by the ``names`` and ``orgs`` components. A name is read word by word from a
position: capitalised words (ALL CAPS too) in mixed-case text; in an all-lower-case note a known first name
and the words after it that are no function word of the seven languages we read; particles (van der, de, da,
von …) only between name words, and not when what follows them is an organisation ("Krüger von der Krüger
& Söhne GmbH" is Herr Krüger of Krüger & Söhne GmbH).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from nlp.lexicon import finditer_folded, is_first_name, is_surname, not_names, read_lines, stop_words
from nlp.our_side import BUSINESS_CALLED, alternation, role_after
from nlp.places import is_city
from parsers.regex_start import guard_start

PARTICLES = frozenset({
    "van", "von", "der", "den", "de", "del", "della", "degli", "di", "da", "das", "dos", "do", "du", "des", "la",
    "le", "y", "i", "e", "zu", "zum", "ter", "ten", "vom", "bin", "ibn", "al", "el", "st", "mac", "lo",
})
#: words a rep writes about a lead that are never part of the lead's name (verbs, roles, prepositions)
NOTE_WORDS = frozenset({
    "wants", "want", "needs", "need", "asked", "asks", "asking", "called", "calls", "said", "says", "looking",
    "interested", "re", "regarding", "about", "from", "at", "with", "via", "w", "will", "would", "is", "was",
    "has", "had", "just", "today", "tomorrow", "yesterday", "tonight", "morning", "afternoon", "pls", "please",
    "asap", "lead", "leads", "new", "hot", "warm", "cold", "vp", "ceo", "cfo", "cto", "coo", "director", "owner",
    "manager", "head", "ops", "sales", "phone", "cell", "mobile", "tel", "email", "mail", "wa", "whatsapp",
    "quer", "quiere", "busca", "möchte", "wil", "vuole", "veut", "cherche", "zoekt", "precisa",
    "necesita", "braucht", "rang", "phoned", "came", "stopped", "walked", "emailed", "texted",
    "booked", "visited", "hat", "ha", "a", "heeft", "ligou", "llamó", "company", "firma", "empresa", "mr",
    "mrs", "ms", "dr", "thanks", "thank", "hi", "hello", "hey", "team", "folks", "all", "everyone", "fyi",
    "the", "and", "or", "not", "no", "yes", "ok", "okay", "cc", "sat", "sun", "mon", "tue", "wed", "thu",
    "fri", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "demo", "quote",
    "pricing", "price", "test", "drive", "tour", "showing", "visit", "callback", "follow", "up",
    # days a rep writes about, in the seven languages and in shorthand ("rdv avec m. julien moreau demain")
    "tmrw", "tmr", "tomoz", "tday", "tdy", "tonite", "heute", "morgen", "gestern", "übermorgen", "hoy", "mañana",
    "ayer", "hoje", "amanhã", "ontem", "aujourd'hui", "demain", "hier", "oggi", "domani", "ieri", "vandaag",
    "gisteren",
})
_TOKEN = re.compile(r"[ \t]*(?P<w>[^\W\d_](?:[\w'’-]*[^\W\d_])?)(?P<dot>\.?)(?P<after>[^\w\s]*)")
#: the capitalised run at a position (with "&"): "Krüger & Söhne GmbH", "Bakkerij Oosterhout BV"
_RUN = re.compile(
    r"[ \t]*(?:[^\W\d_a-zß-öø-ÿ][\w'’.-]*|&|\+)(?:[ \t]+(?:[^\W\d_a-zß-öø-ÿ][\w'’.-]*|&|\+|und|and|y|e|et))*")
#: right after a capitalised run: an organisation's noun or legal form ("Brightwater Cold Storage")
_ORG_NEXT = re.compile(r"[ \t]+[^\W\d_][\w&.'’-]*")
_POST_CUE = (
    r"called|rang|phoned|stopped by|came in|came by|walked in|emailed|texted|reached out|dropped by|"
    r"hat angerufen|rief an|war da|llamó|llamo|pasó|ligou|passou|a appelé|est passée?|ha chiamato|è passat[oa]|"
    r"belde|heeft gebeld|kwam langs"
)


#: what a person asks for, right after their name: "Fenella McKinnon-Hart asked for a callback", "Tamsin Oakley
#: wants a quote" (weaker than a call verb: a firm asks too, so only a name of two words or more counts)
_ASK_CUE = (
    r"asked|asks|wants|needs|would like|requested|inquired|enquired|is looking|is interested|left a|wrote in|"
    r"fragt|fragte|möchte|sucht|braucht|quiere|necesita|busca|pregunta|preguntó|quer|precisa|procura|perguntou|"
    r"veut|voudrait|cherche|demande|vuole|vorrebbe|cerca|chiede|wil|zoekt|vraagt|vroeg"
)
_POST_CUE_LOWER = re.compile(rf"(?<=[\w'’])[ \t]+(?:{_POST_CUE})\b")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[^\W\d_]")

#: "Mr. X from …": what comes after is X's firm
_FIRM_LEAD_IN = re.compile(
    r"(?i)[^\W\d_][ \t]+(?:from|at|of|von der|von|bei|chez|de la empresa|da empresa|de|da|do|del|della|di|du|van)"
    r"[ \t]+$|@[ \t]*$")
_CONNECTOR_AFTER = re.compile(r"[ \t]+(?:from|at|of|de|da|do|del|della|di|du|van|von der|von)[ \t]+(?=[^\W\d_])")
_AFTER_COLON = re.compile(r"(?<=[^\W\d_])(?:[ \t]*[:–—]|[ \t]+-)[ \t]+")
_COUPLE = re.compile(r"[ \t]*(?:&|\+|and|und|y|e|et|en)[ \t]+(?=[^\W\d_])")
#: "Sankt", "St.", "Ste." before a capitalised word: part of a surname ("St. Clair", "Ste. Marie")
_SAINT = frozenset({"st", "ste"})
#: a phone or email label right after a name, a number or an address after it
_CONTACT_LABEL = re.compile(
    r"(?i)(?:handy|mobil|mobile|cell|cellphone|phone|tel|tél|tlf|telefon|telefono|teléfono|telefone|telemóvel|"
    r"m[óo]vil|celular|cellulare|portable|gsm|mobiel|telefoon|fax|whatsapp|wa|e-?mail|mail|correo)"
    r"\.?[ \t]*[:#-]?[ \t]*(?=[+(\d]|[\w.+-]+@)"
)
#: right after a surname in capitals: ", First" and then no further capitalised word of the name
_INVERTED = re.compile(r",[ \t]+(?P<first>[^\W\d_a-zß-öø-ÿ](?:[^\W\d_A-Z]+|[^\W\d_a-zß-öø-ÿ]+)"
                       r"(?:-[^\W\d_][^\W\d_A-Z]+)?)(?![\w'’-])")
_CAPITALISED = re.compile(r"(?<![\w'’@-])[^\W\d_a-zß-öø-ÿ][\w'’-]+")
#: a phone or an email right after a name at a line's start ("jim parker 555 0101 …", "ana ruiz ana@…")
_CONTACT_NEXT = re.compile(r"[ \t]+(?:\+?\(?\d[\d \t().\-/]{5,}\d|[\w.+-]+@[\w-]+\.)")


@dataclass(frozen=True, slots=True)
class ProseName:
    """A person read from prose: the name as it should be written, where it is, and what says so."""

    name: str
    start: int
    end: int
    evidence: tuple[str, ...]
    role: str | None = None  # None: may be the lead; else partner / agent / staff


@cache
def _titles() -> str:
    return alternation(read_lines("person_titles.txt"))


@cache
def titles() -> frozenset[str]:
    return frozenset(w.casefold() for w in read_lines("person_titles.txt"))


@cache
def place_words() -> frozenset[str]:
    return frozenset(w.casefold() for w in read_lines("place_words.txt"))


@cache
def cue_words() -> frozenset[str]:
    """The one-word cues ("Llamó", "Habló", "Ligou", "Belde"): a verb opening a note, never part of a name."""
    return frozenset(c.casefold() for c in read_lines("person_cues.txt") if " " not in c and c.isalpha())


@cache
def cue_re() -> re.Pattern[str]:
    """A chat cue, then optional punctuation, article and title; the name starts at ``m.end()``."""
    return re.compile(
        rf"(?i)(?<![\w])(?:{alternation(read_lines('person_cues.txt'))})(?![\w])[ \t]*[:=\-–—,]?[ \t]*"
        rf"(?:(?:us|me|nosotros|nos|uns|mir|nous|moi|noi|ons|mij|a gente)[ \t,]+)?"
        rf"(?:(?:the|la|el|o|a|il|lo|de|der|die|mit|com|con|het)[ \t]+)?"
        rf"(?:(?P<title>{_titles()})\.?[ \t]+)?"
    )


@cache
def title_re() -> re.Pattern[str]:
    """A courtesy title right before a capitalised word ("Frau Krüger", "Sra. García", "Dr. Okafor")."""
    return guard_start(re.compile(rf"(?<![\w.])(?i:{_titles()})\.?[ \t]+(?=[^\W\d_a-zß-öø-ÿ])"))


@cache
def lower_title_re() -> re.Pattern[str]:
    """A courtesy title in a note typed without capitals ("frau annegret schäfer", "sra. pilar")."""
    return re.compile(rf"(?<![\w.])(?:{_titles()})\.?[ \t]+(?=[^\W\d_])")


def _name_before(cues: str, more_words: str) -> re.Pattern[str]:
    """A capitalised name (one word and ``more_words`` more) right before one of ``cues``."""
    word = r"[^\W\d_a-zß-öø-ÿ][\w'’-]*"
    particle = r"(?:van|von|der|den|de|del|da|dos|di|du|la|le)"
    # a name starts where a word starts: anchored, a long run of letters is tried once, not at every letter
    name = rf"(?<![\w'’-])(?P<name>{word}(?:[ \t]+(?:{particle}[ \t]+)*{word}){{{more_words}}})"
    return re.compile(rf"{name}[ \t]+(?:{cues})\b")


@cache
def post_cue_re() -> re.Pattern[str]:
    """A capitalised name right before "called", "hat angerufen", "llamó" …"""
    return _name_before(f"(?i:{_POST_CUE})", "0,3")


@cache
def ask_cue_re() -> re.Pattern[str]:
    """A capitalised name of two words or more right before "asked", "wants", "möchte", "quiere" …"""
    return _name_before(_ASK_CUE, "1,3")


@cache
def role_re() -> re.Pattern[str]:
    """A role word ending at most two words before a name: "our partner Jake", "realtor Dana Pruitt"."""
    roles: dict[str, list[str]] = {}
    for line in read_lines("role_cues.txt"):
        role, _, phrase = line.partition("\t")
        roles.setdefault(role.strip(), []).append(phrase.strip())
    groups = "|".join(f"(?P<{role}>{alternation(phrases)})" for role, phrases in roles.items())
    return re.compile(rf"(?i)(?<![\w])(?:{groups})(?![\w])[ \t,:]*(?:[\w.'’-]+[ \t]+){{0,2}}$")


@cache
def org_words() -> frozenset[str]:
    """Nouns that mark an organisation's name (``patterns/org_words.txt``), case-folded."""
    return frozenset(w.casefold() for w in read_lines("org_words.txt"))


@cache
def _role_words() -> frozenset[str]:
    """The one-word role cues ("Kollegin", "Realtor", "Partner"; ``patterns/role_cues.txt``), case-folded."""
    phrases = (line.partition("\t")[2].strip().casefold() for line in read_lines("role_cues.txt"))
    return frozenset(p for p in phrases if p and " " not in p)


@cache
def role_cue_re() -> re.Pattern[str]:
    """A role word with a name right after it ("our partner Jake …", "realtor Dana …")."""
    phrases = [line.partition("\t")[2].strip() for line in read_lines("role_cues.txt")]
    return re.compile(rf"(?i)(?<![\w])(?:{alternation(phrases)})[ \t]+(?:(?:the|our|my|his|her|their)[ \t]+)?")


def org_word(folded: str) -> bool:
    """An organisation's noun, in the plural too ("Green Valley Farms"; not a surname: "Iglesias")."""
    return folded in org_words() or (folded[-1:] == "s" and folded[:-1] in org_words() and not is_surname(folded))



def _is_name_word(bare: str, index: int, lower: bool, titled: bool = False, closes: bool = False) -> bool:
    folded = bare.casefold()
    if any(ch.isdigit() for ch in bare):
        return False
    if folded in not_names() or org_word(folded) or folded in place_words() or folded in titles():
        return False
    if index == 0 and folded in _role_words() and not is_first_name(bare):
        return False  # "Termin mit Kollegin Sabine Roth", "cc Realtor Dana Pike": the role, then the person
    if bare[0].isupper():
        if (folded in NOTE_WORDS or folded in cue_words()) and not (index == 0 and is_first_name(bare)) and not (
                index > 0 and not bare.isupper() and is_surname(bare)):  # "Owen Price": a surname though a note word
            return False
        return folded not in stop_words() or is_first_name(bare) or is_surname(bare)
    if not lower:
        return False
    if index == 0:
        if titled:  # "meneer bas de groot", "frau schäfer": after a title a known name may be a function word too
            return (is_first_name(bare) or is_surname(bare)) and folded not in NOTE_WORDS
        return is_first_name(bare) and folded not in stop_words()
    if is_surname(bare):
        # "frau annegret schäfer aus lübeck": a function word ends the name though it is a surname somewhere
        return folded not in NOTE_WORDS and folded not in stop_words()
    # "femke van der heijden belde", "augustina pereira reached out": past the second word only a known surname
    # goes on a name typed in lower case, or a word the name's punctuation closes ("ximena ochoa landázuri,"); a
    # verb or a cue does not
    return (index < 2 or closes) and len(bare) >= 2 and folded not in stop_words() and folded not in NOTE_WORDS and (
        folded not in cue_words())


def read_name_at(text: str, pos: int, *, lower: bool = False, limit: int = 4, titled: bool = False,
                 ) -> tuple[str, int, int] | None:
    """The person's name that starts at ``pos`` (written properly capitalised), with its span, or None.

    ``lower`` allows lower-case words (a note typed without capitals): the first must be a known first name.
    """
    words: list[str] = []
    pending: list[str] = []
    punctuated = False
    i, start, end = pos, -1, pos
    while len([w for w in words if w.casefold() not in PARTICLES]) < limit:
        m = _TOKEN.match(text, i)
        if not m:
            break
        bare = m["w"]
        if words and not pending and bare.casefold() in _SAINT and m["dot"] and not m["after"] and (
                _CAPITALISED.match(text, m.end() + 1) and text[m.end() : m.end() + 1] == " "):
            # "Evangeline St. Clair", "Marguerite Ste. Croix": "St." with its dot starts a surname
            pending.append(bare + ".")
            i = m.end()
            continue
        if words and _CONTACT_LABEL.match(text, m.start("w")):
            break  # "Jana Kühl Handy 0171 …", "Rocío Benavente móvil 612 …": a phone's label ends the name
        if words and bare.casefold() in PARTICLES and not m["after"] and not m["dot"] and (
                bare[0].islower() or (bare.isupper() and words[-1].isupper() and len(words[-1]) > 1)):
            # "van der Berg"; in a note in capitals "JEAN-BAPTISTE DE LA FONTAINE"
            pending.append(bare)
            i = m.end()
            continue
        if not _is_name_word(bare, len(words), lower, titled, bool(m["after"])) and not (
                pending and words and (_surname_after_particle(bare, lower) or (
                    len(pending) >= 2 and lower and _after_particles(bare)))):
            break
        if pending and (_org_run(text, m.start("w")) or (lower and _lower_org_run(text, m.start("w"))) or (
                bare.casefold() in {w.casefold() for w in words})):
            # "Krüger von der Krüger & Söhne GmbH", "jens petersen von petersen logistik", "Ruben Verbeek van
            # Verbeek Bouw" (a particle, then the name again): the firm
            break
        if pending and len(words) >= 2 and not is_surname(bare):
            break  # "Ximena García Márquez de Inmobiliaria Solaz": "de" + a firm, not a third surname
        if len(pending) == 1 and len(words) >= 2 and is_city(bare) and not _surname_follows(text, m.end("w")):
            break  # "Ignacio Pardo Villalba de Sevilla": where they are from, not a third surname
        if start < 0:
            start = m.start("w")
        words.extend(pending)
        pending = []
        words.append(bare)
        end = m.end("w")
        i = m.end()
        if m["after"] or (m["dot"] and len(bare) > 1):
            punctuated = True
            break  # "Raman," / "Raman." / "(Krüger": the name ends at punctuation
    if len(words) == 1 and words[0].isupper() and len(words[0]) > 1 and (
            inverted := first_after_comma(text, end, words[0])):
        # "PETROVIC, Milena", "LINDQVIST, Sofia": a surname in capitals, a comma, then the first name
        return f"{written(inverted[0])} {written(words[0])}", start, inverted[1]
    if len(words) == 1 and (couple := _COUPLE.match(text, end)):
        # "Denise & Ray Holloway": the first-named person, with the surname they share
        if "&" in couple.group() and _org_run(text, couple.end()):
            return None  # "Brennan & Hale Dental": a firm of partners' surnames, not a couple
        rest = read_name_at(text, couple.end(), lower=lower, limit=limit)
        if rest and len(rest[0].split()) >= 2 and (is_first_name(rest[0].split()[0]) or not is_surname(
                rest[0].split()[0])):  # "Amara and Tunde Okafor": a first name the gazetteer lacks, no surname
            return f"{written(words[0])} {rest[0].split(maxsplit=1)[1]}", start, rest[2]
    if not words:
        return None
    if not pending and not punctuated and _place_or_firm_follows(text, i):
        return None  # "Linden Ave", "Lindgren Dental Group": a street or a firm, not a person
    return " ".join(written(w) for w in words), start, end


def first_after_comma(text: str, pos: int, surname: str) -> tuple[str, int] | None:
    """ "MCALLISTER, DEREK", "PETROVIC, Milena": the known first name after the comma that follows a surname
    at ``pos`` (one written in capitals), with where it ends; None when the surname is no surname-first shape."""
    m = _INVERTED.match(text, pos)
    if m is None or not surname.isupper():
        return None
    first = m["first"]
    if not is_first_name(first) or first.casefold() in NOTE_WORDS or (
            is_first_name(surname) and not is_surname(surname)):
        return None
    return first, m.end("first")


_COMMA_FIRST = re.compile(r",[ \t]+(?P<first>[^\W\d_][\w'’-]+)(?=[ \t]*(?:[-–—|(/,]|$|[ \t]\+?\(?\d))")


def _surname_comma_first(text: str, name: tuple[str, int, int]) -> tuple[str, int, int] | None:
    """ "Okafor, Chidi - 555-0132" at a line's start: a known surname that is no first name, a comma, a word that
    is no surname, function, firm or place word, then a separator or a number ("Surname, First" in mixed case)."""
    surname = name[0]
    m = _COMMA_FIRST.match(text, name[2])
    if m is None or not is_surname(surname) or is_first_name(surname):
        return None
    first, folded = m["first"], m["first"].casefold()
    if is_surname(first) or folded in NOTE_WORDS or not first[0].isupper() or not (is_first_name(first) or (
            folded not in stop_words() and folded not in org_words() and folded not in place_words())):
        return None
    return f"{written(first)} {surname}", name[1], m.end("first")


#: a list item's name ends at a dash or bar before the next part, or right at its number ("reno nv - calvin
#: ostrowski - 775-…", "quick one: marlon thibodeaux 555-0143")
_ITEM_ENDS = re.compile(r"[ \t]+(?:[-–—|][ \t]|\+?\(?\d[\d \t().\-/]{5,}\d)")
#: a phone or an email later in the clause or line after a name: the name is a lead's with its contact
_CONTACT_AHEAD = re.compile(r"[^\n]{0,120}?(?:\+?\(?\d[\d \t().\-/]{6,}\d|[\w.+-]+@[\w-]+\.)")
_SEPARATOR = re.compile(r"(?:[:–—]|[ \t]-)[ \t]+")
_TWO_WORDS = re.compile(r"(?P<first>[^\W\d_]{3,})[ \t]+(?P<sur>[^\W\d_]{2,}-[^\W\d_]{2,}),")


_LOWER_PAIR = re.compile(r"(?P<first>[^\W\d_]{3,})[ \t]+(?P<sur>[^\W\d_][\w'’-]+)(?=,)")


def _lower_surname_at(text: str, pos: int) -> tuple[str, int, int] | None:
    """Two lower-case words at ``pos`` before a comma, the second a known surname ("efua delgado,"), the first no
    function, note, cue, firm or place word: a person whose first name the gazetteer lacks."""
    m = _LOWER_PAIR.match(text, pos)
    if m is None or not m.group().islower() or not is_surname(m["sur"]) or m["sur"].casefold() in NOTE_WORDS:
        return None
    first = m["first"].casefold()
    if first in stop_words() or first in NOTE_WORDS or first in cue_words() or org_word(first) or (
            first in place_words()):
        return None
    return f"{written(m['first'])} {written(m['sur'])}", m.start(), m.end()


def _double_barrelled_at(text: str, pos: int) -> tuple[str, int, int] | None:
    """Two words at ``pos`` in a note typed in lower case, the second two known surnames joined by a hyphen, then a
    comma ("nkechi ferreira-walsh, …"): a person, though the gazetteer does not know the first name."""
    m = _TWO_WORDS.match(text, pos)
    if m is None or not all(is_surname(p) for p in m["sur"].split("-")):
        return None
    first = m["first"].casefold()
    if first in stop_words() or first in NOTE_WORDS or first in cue_words() or org_word(first) or (
            first in place_words()):
        return None
    return f"{written(m['first'])} {'-'.join(written(p) for p in m['sur'].split('-'))}", m.start(), m.end("sur")


def _surname_follows(text: str, pos: int) -> bool:
    """Whether a capitalised name word follows ``pos`` ("João Pedro dos Santos Queiroz": "Santos", a city too, is
    one of two surnames when another comes after it)."""
    m = _NEXT_WORD.match(text, pos)
    return m is not None and m["w"][0].isupper() and _is_name_word(m["w"], 1, False)


def _surname_after_particle(bare: str, lower: bool) -> bool:
    """ "van der Laan", "de la Calle": after a particle a known surname counts though it is also a place word."""
    return (bare[0].isupper() or lower) and is_surname(bare) and bare.casefold() in place_words()


def _after_particles(bare: str) -> bool:
    """ "jan-willem van der meer": after two particles a lower-case word is the surname, though it is a
    function word of its language ("meer"), unless it is a note word."""
    folded = bare.casefold()
    return len(bare) >= 3 and folded not in NOTE_WORDS and folded not in PARTICLES and folded not in cue_words()


_NEXT_WORD = re.compile(r"[ \t]+(?P<w>[^\W\d_][\w'’-]*)")


def _place_or_firm_follows(text: str, pos: int) -> bool:
    m = _NEXT_WORD.match(text, pos)
    return m is not None and m["w"][0].isupper() and (
        m["w"].casefold() in place_words() or org_word(m["w"].casefold()))


def _org_run(text: str, pos: int) -> bool:
    m = _RUN.match(text, pos)
    words = m.group().split() if m else []
    return any(w in {"&", "+"} or w.strip(".,").casefold() in org_words() for w in words)


_LOWER_RUN = re.compile(r"[\w'’&-]+(?:[ \t]+[\w'’&-]+){0,2}")


def _lower_org_run(text: str, pos: int) -> bool:
    """In a note without capitals, whether a firm's noun is among the three words at ``pos``."""
    m = _LOWER_RUN.match(text, pos)
    return m is not None and any(w.casefold() in org_words() for w in m.group().split())


def _org_follows(text: str, pos: int) -> bool:
    m = _ORG_NEXT.match(text, pos)
    return m is not None and m.group().strip().strip(".,").casefold() in org_words()


def written(word: str) -> str:
    if word.casefold() in PARTICLES:
        return word.lower() if word.isupper() or word.islower() else word
    if word.isupper() or word.islower():
        return "-".join(part.capitalize() for part in word.split("-"))
    return word


def _sentence_end(text: str, start: int) -> int:
    """Where the last ". " before ``start`` is, past the dot of a title ("Referred by Dr. Helen Park")."""
    dot = text.rfind(". ", 0, start)
    while dot > 0 and (word := _LAST_WORD.search(text, max(0, dot - 8), dot)) and word.group().casefold() in titles():
        dot = text.rfind(". ", 0, word.start())
    return dot


_LAST_WORD = re.compile(r"[^\W\d_]+$")


def role_before(text: str, start: int) -> str | None:
    """The role a cue right before ``start`` gives the person named there ("our partner Jake" → partner)."""
    line_start = max(text.rfind("\n", 0, start), _sentence_end(text, start), start - 60) + 1
    m = role_re().search(text, line_start, start)
    if not m:
        return None
    return next((role for role, value in m.groupdict().items() if value), None)


def _name_ending_at(text: str, floor: int, end: int, *, alone: bool = False) -> tuple[str, int, int] | None:
    """The capitalised name that ends at ``end`` (read from a capitalised word after ``floor``), or None.

    Two words at least; ``alone`` also takes a known first name by itself ("Ana from Blue Fern called")."""
    for m in _CAPITALISED.finditer(text, floor, end):
        name = read_name_at(text, m.start())
        if name and name[2] == end and (len(name[0].split()) >= 2 or (alone and is_first_name(name[0]))):
            return name
    return None


def _lower_name_before(text: str, floor: int, end: int) -> tuple[str, int, int] | None:
    """In a note typed without capitals, the name that ends right before a cue at ``end`` ("marguerite
    dupont-lafayette stopped by"): read from the farthest known first name among the four words before."""
    starts = [m.start() for m in _LOWER_WORD.finditer(text, max(floor, end - 80), end)][-4:]
    for pos in starts:
        name = read_name_at(text, pos, lower=True)
        if name and text[name[2] : end].strip() == "" and len(name[0].split()) >= 2:
            return name
    return None


def prose_names(text: str, start: int, end: int) -> list[ProseName]:
    """Every person a chat note names between ``start`` and ``end``, with the evidence for each."""
    found: list[ProseName] = []
    lower = not any(c.isupper() for c in text[start:end])
    seen: set[tuple[int, str]] = set()

    def keep(name: tuple[str, int, int] | None, evidence: tuple[str, ...]) -> None:
        if name is None or (name[1], evidence[0]) in seen:
            return
        if all(w.casefold() in PARTICLES for w in name[0].split()):
            return  # "Le llamo el lunes": a particle alone ("Le", "van", "de") names nobody
        seen.add((name[1], evidence[0]))
        role = role_before(text, name[1]) or role_after(text, name[1], name[2])
        found.append(ProseName(name[0], name[1], name[2], evidence, role))

    for m in finditer_folded(cue_re(), text, start, end):
        if BUSINESS_CALLED.search(text, max(start, m.start() - 40), m.start() + len(m.group().split()[0]) + 1):
            continue  # "runs a bakery called Sweet Crumbs": the business's name, not a person's
        evidence = ("cue", "title") if m["title"] else ("cue",)
        keep(read_name_at(text, m.end(), lower=lower), evidence)
    for m in title_re().finditer(text, start, end):
        keep(read_name_at(text, m.end()), ("title",))
    if lower:
        for m in finditer_folded(lower_title_re(), text, start, end):
            keep(read_name_at(text, m.end(), lower=True, titled=True), ("title",))
    for m in post_cue_re().finditer(text, start, end):
        if lead_in := _FIRM_LEAD_IN.search(text, max(start, m.start("name") - 16), m.start("name")):
            # "Mr. Kwabena Asante-Darko from Volta Agritech called": the firm, not the caller; the one who
            # called is the person right before the connector
            keep(_name_ending_at(text, max(start, lead_in.start() - 60), lead_in.start() + 1, alone=True), ("cue",))
            continue
        name = read_name_at(text, m.start("name"))
        if name and (name[2] >= m.end("name") - 1 or _CONNECTOR_AFTER.match(text, name[2], m.end("name"))):
            keep(name, ("cue",))  # "Fernanda Lacerda da Construtora Lacerda ligou": the person before the firm
        elif name is None:
            # "FYI Olu Adeyemi rang": the capitalised run began with a note word; the name is the rest of it
            keep(_name_ending_at(text, m.start("name"), m.end("name")), ("cue",))
    for m in ask_cue_re().finditer(text, start, end):
        if _FIRM_LEAD_IN.search(text, max(start, m.start("name") - 16), m.start("name")):
            continue  # "Ana from Blue Fern Dental wants …": the firm
        name = read_name_at(text, m.start("name"))
        if name is None:
            name = _name_ending_at(text, m.start("name"), m.end("name"))
        if name and len(name[0].split()) >= 2 and name[2] >= m.end("name") - 1:
            keep(name, ("cue",))
    if lower:
        for m in _POST_CUE_LOWER.finditer(text, start, end):
            keep(_lower_name_before(text, start, m.start()), ("cue",))
    for m in finditer_folded(role_cue_re(), text, start, end):
        keep(read_name_at(text, m.end(), lower=lower), ("role",))
    if not lower:
        covered = -1
        for m in _CAPITALISED.finditer(text, start, end):
            if m.start() < covered:
                continue
            name = read_name_at(text, m.start())
            if name is None:
                continue
            covered = name[2]
            if len(name[0].split()) >= 2 and not _org_follows(text, name[2]):
                keep(name, ("shape",))
    for m in _AFTER_COLON.finditer(text, start, end):
        # "sent him back to me: ray delacroix-hunt, runs …": a known first name and a surname opening a clause
        name = read_name_at(text, m.end(), lower=lower)
        if name is None and not lower and text[m.end() : m.end() + 1].islower():
            # "home show in Dallas: rosa delgado, 555-0156": a name typed in lower case in a capitalised note,
            # a known first name and one more word, then a comma and the contact
            typed = read_name_at(text, m.end(), lower=True, limit=2) or _lower_surname_at(text, m.end())
            if typed and len(typed[0].split()) == 2 and _CONTACT_NEXT.match(text, typed[2] + 1) and (
                    text[typed[2] : typed[2] + 1] == ","):
                keep(typed, ("list_item",))
            continue
        if name is None or len(name[0].split()) < 2:
            continue
        after = text[name[2] : name[2] + 1]
        words = name[0].split()
        known = is_first_name(words[0]) or (not lower and len(words) == 2 and is_surname(words[1]) and (
            _CONTACT_AHEAD.match(text, name[2])))  # "walk-up: Tendai Pike, VIN …, cell 262-…": a known surname
        if (known and (after in {",", "(", ".", "\n", ""} or _ITEM_ENDS.match(text, name[2]))) or (
                not lower and after in {"\n", ""} and m.group().strip() == ":"):
            # "Lead from the expo: Farrukh Aliyev" alone on the rest of its line names a person, known or not
            keep(name, ("list_item",))
    for m in _SEPARATOR.finditer(text, start, end) if lower else ():
        if barrelled := _double_barrelled_at(text, m.end()):
            keep(barrelled, ("list_item",))  # "crm #88213 - nkechi ferreira-walsh, water heater …"
    for m in re.finditer(r"(?m)^[ \t]*", text[start:end]):
        pos = start + m.end()
        name = read_name_at(text, pos, lower=lower)
        if name is None:
            continue
        if " " not in name[0] and (turned := _surname_comma_first(text, name)):
            name = turned  # "Okafor, Chidi - 555-0132": surname, comma, first name, then the contact
        after = text[name[2] : name[2] + 3]
        line_end = text.find("\n", name[2])
        rest = text[name[2] : line_end if line_end >= 0 else end]
        if not rest.strip():
            keep(name, ("line",))
        elif after[:1] in {",", "(", "|", "<", "/"} or after.strip().startswith(("-", "–", "—")) or (
                _CONTACT_NEXT.match(text, name[2]) and len(name[0].split()) >= 2):
            keep(name, ("list_item",))  # "jim parker 555 0101 wants a quote": a contact right after the name
    return found


def confidence_of(found: ProseName) -> float:
    """How sure a prose reading is that it names a person (not whose the person is)."""
    words = [w for w in found.name.split() if w.casefold() not in PARTICLES]
    if not words:
        return 0.0
    known = is_first_name(words[0])
    if "cue" in found.evidence:
        # one unknown word after a cue is as often a firm or a portal ("Lead from Zillow:") as a surname
        confidence = 0.8 if len(words) >= 2 or known or "title" in found.evidence else 0.45
    elif "title" in found.evidence:
        confidence = 0.75
    elif "shape" in found.evidence:
        confidence = 0.6 if known else 0.35
    else:
        confidence = 0.65 if len(words) >= 2 else 0.5
        if not known:
            confidence -= 0.2 if len(words) == 1 else 0.05
    if known:
        confidence += 0.05
    return round(min(confidence, 0.9), 2)
