"""Whose firm a company found in the text is: the email domain that spells it (the lead's own address, or an
address the message was written to: then it is the recipient's), and the cues that make it the recipient's or a
partner's ("your company, X", "Call summary for X", "our partner X", "X | Pro ID 20339")."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from functools import cache, lru_cache

from spacy.tokens import Doc

from nlp.candidates import candidates_of, effective_sender, meta_of
from nlp.email_names import fold
from nlp.lexicon import is_first_name, is_free_mail, is_surname, legal_suffix_re, read_lines
from nlp.prose import org_words, role_re
from parsers.lead import ExtractedLead, FieldValue
from parsers.structured import is_automated

PARTNER = ("role:partner",)
RECIPIENT = ("role:recipient",)
VENDOR = ("role:vendor",)
_COMPACT = re.compile(r"[\W_]+")
#: the small words inside a job title or an event's name ("Head of Sales", "Feria de Sevilla")
#: the words an "&" in a firm's name is spelled as in its domain ("parkandlee", "kruegerundsoehne", "ruizyhijos")
_AMPERSAND = ("and", "und", "y", "e", "en", "et")
TITLE_GLUE = frozenset({"of", "de", "del", "da", "do", "di", "des", "du", "von", "van", "&", "and", "y", "e", "et"})


@cache
def event_words() -> frozenset[str]:
    """Nouns ending an event's name ("Home Show", "Bau-Messe"), ``patterns/event_words.txt``, case-folded."""
    return frozenset(w.casefold() for w in read_lines("event_words.txt"))


def is_event(org: str) -> bool:
    """ "Denver Home Show", "Feria de Sevilla", "Open House": a place where people meet, not a firm."""
    words = [w.strip(".,").casefold() for w in org.split()]
    if not words:
        return False
    last = words[-1].rpartition("-")[2]
    return last in event_words() or (words[0] in event_words() and len(words) >= 2 and words[1] in TITLE_GLUE) \
        or " ".join(words[-2:]) in event_words()


def is_recipients_firm(org: str, recipients: Iterable[str]) -> bool:
    """Whether the domain of an address the message was written to spells the firm ("Harborview Kitchens" for a
    mail to sales@harborviewkitchens.com; "Baltic Reefer Containers Ltd" for quotes@balticreefer.com): the
    recipient's own firm, named in the text as the one written to, not the sender's. Free-mail domains say
    nothing."""
    return agrees_domain(org, domain_cores(recipients))


def set_recipients_aside(doc: Doc, first: int) -> None:
    """The firms this component read (from the ``first`` candidate on) that the recipients' domains spell, turned
    into the recipient's with a low confidence: an alternative shown by ``--explain``, never the lead's."""
    recipients = meta_of(doc).recipients
    found = candidates_of(doc)
    _name, sender, _subject = effective_sender(doc)
    mailer = sender if sender and is_automated(sender) else None
    if not (recipients or mailer) or not any(c.field == "company" for c in found[first:]):
        return
    cores = domain_cores(recipients)
    # "Leadzilla Corp" in a mail from leads@leadzilla.example: the mailer's own firm (its footer), not the lead's
    own = domain_cores([mailer]) - cores if mailer else set()
    if not cores and not own:
        return
    for i in range(first, len(found)):
        c = found[i]
        if c.field == "company" and not c.flags and agrees_domain(c.value, cores):
            found[i] = dataclasses.replace(c, confidence=0.2, flags=RECIPIENT)
        elif c.field == "company" and not c.flags and own and agrees_domain(c.value, own):
            found[i] = dataclasses.replace(c, confidence=0.2, flags=VENDOR)


@cache
def _recipient_cue() -> re.Pattern[str]:
    """ "your company", "Ihre Firma", "su empresa" … (``patterns/recipient_cues.txt``) ending a sentence's text
    a few words before a firm's name: that firm is the one written to."""
    phrases = sorted(read_lines("recipient_cues.txt"), key=len, reverse=True)
    alt = "|".join(re.escape(p).replace(r"\ ", r"[ \t]+") for p in phrases)
    return re.compile(rf"(?i)(?<![\w])(?:{alt})(?![\w])[^.!?\n]{{0,30}}$")


def role_before(text: str, start: int, floor: int) -> str | None:
    """The role ("partner", "agent", "staff") a cue right before the firm at ``start`` gives it: "our partner
    Elektro Hansen", "via our agent Summit Realty" (``patterns/role_cues.txt``)."""
    m = role_re().search(text, max(floor, start - 40), start)
    if m is None:
        # "our lender partner (<@U01ABCDEF> at X", "our partner (Dana at X": the bracket opens the partner's
        # name, a Slack mention (left out of the text read) or written
        window = text[max(floor, start - 60) : start]
        if "(" not in window:
            return None
        m = role_re().search(_MENTION.sub(" ", window).replace("(", " "))
        return m.lastgroup if m and not re.search(r"[.!?;\n]", window[window.rfind("(") :]) else None
    if m.lastgroup is None or re.search(r"[.!?;\n]", text[m.start() : start]):
        return None
    return m.lastgroup


#: a Slack mention of a person: "<@U06PQLKJH12>", "<@U02AB|dana>"
_MENTION = re.compile(r"<@[\w.|-]+>")


def for_recipient(text: str, start: int, floor: int, end: int = -1) -> bool:
    """Whether the firm at ``start`` (ending at ``end``) is the one written to: after "your company" / "Ihre
    Firma" … in its sentence; addressed at a line's start ("Bright Line Electric LLC, a homeowner near you
    needs help"); or beside the account number a portal gives it ("X | Pro ID 20339")."""
    if _recipient_cue().search(text, max(floor, start - 60), start) is not None:
        return True
    if _DELIVERED_FOR.match(text, max(floor, text.rfind("\n", 0, start) + 1), start):
        return True
    if end < 0:
        return False
    if _ACCOUNT_AFTER.match(text, end):
        return True
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and _ADDRESSED.match(text, end) is not None


#: a comma after a firm opening a line, then words to "you": the firm is addressed ("X, a homeowner near you …",
#: "Inmobiliaria Mirador S.L., un usuario está interesado en su anuncio")
_ADDRESSED = re.compile(r"(?i),[^.!?\n]{0,60}?\b(?:you|your|sie|ihnen|ihr|ihre|ihrem|ihren|usted|su|sus|vous|votre|"
                        r"vos|voi|vostro|vostra|u|uw|jij|você|vocês|seu|sua)\b")
#: a line opening with what a portal or a call service delivers and to whom: "Call summary for X", "New lead for
#: X", "Thumbtack lead for X", "Lead via Angi for X", "Anruf für X", "Solicitud para X"; the firm right after it
#: is the recipient
_DELIVERED_FOR = re.compile(
    r"(?i)[ \t*_>#-]*(?:[\w'’.-]+[ \t]+){0,3}?(?:lead|leads|call|calls|inquiry|enquiry|request|message|voicemail|"
    r"summary|report|anfrage|anruf|nachricht|solicitud|llamada|mensaje|pedido|chamada|mensagem|demande|appel|"
    r"richiesta|chiamata|aanvraag|oproep)(?:[ \t]+(?:via|from|through|über|por|de|van)[ \t]+[\w'’.-]+)?[ \t]+"
    r"(?:summary[ \t]+)?(?:for|für|para|pour|per|voor)[ \t]+"
    r"(?:the[ \t]+|die[ \t]+|la[ \t]+|el[ \t]+|le[ \t]+)?$")
#: the account number a portal gives the firm it sends leads to: "| Pro ID 20339", "· Dealer #4411"
_ACCOUNT_AFTER = re.compile(
    r"(?i)[ \t]*[|·•,-][ \t]*(?:pro|dealer|account|partner|vendor|member|provider|merchant|business|advertiser|"
    r"händler|konto|cuenta|conta|compte)[ \t]*(?:id|#|no\.?|number|nr\.?|nummer|n[ºo°])")


def domain_cores(addresses: Iterable[str]) -> set[str]:
    return {core for address in addresses if (core := _domain_core(address.rpartition("@")[2].lower()))}


@lru_cache(maxsize=4096)
def _domain_core(domain: str) -> str | None:
    """ "castellan-logistics.com" → "castellanlogistics"; None for a free-mail domain or a core under 4 letters."""
    if not domain or is_free_mail(domain):
        return None
    core = _COMPACT.sub("", fold(company_from_domain(domain)))
    return core if len(core) >= 4 else None


def agrees_domain(org: str, cores: set[str], *, exact: bool = False) -> bool:
    """Whether the email domain spells the firm's name (one the start of the other; ``exact``: the name is the
    domain or its start, "halvorsen dental" for halvorsendental.com, not "halvorsen dental today"). Accents
    do not count: "Castellví Ceràmica" is castellviceramica.es. Not ``exact``, a domain also agrees when it
    is the name with words left out ("Ames Family Orchards", amesorchards.com) or when both share all but a
    word's ending ("Kline Family Dentistry", klinefamilydental.com). An "&" may be spelled as its word
    ("Park & Lee Consulting", parkandlee.com; "Krüger & Söhne", kruegerundsoehne.de)."""
    if "&" in org and any(agrees_domain(org.replace("&", f" {word} "), cores, exact=exact) for word in _AMPERSAND):
        return True
    compact = _COMPACT.sub("", fold(org))
    if len(compact) < 4:
        return False
    if exact:
        return any(c.startswith(compact) and len(compact) * 2 > len(c) for c in cores)
    if any(compact.startswith(c) or c.startswith(compact) for c in cores):
        return True
    words = [w for w in (_COMPACT.sub("", fold(w)) for w in org.split()) if w]
    return any(_spelled_by_words(c, words) or _shared_stem(c, compact) for c in cores)


def _spelled_by_words(core: str, words: list[str]) -> bool:
    """ "amesorchards" from "Ames Family Orchards": the core is the first word and later ones, in order."""
    if len(words) < 3 or not core.startswith(words[0]):
        return False
    pos, used = 0, 0
    for word in words:
        if core.startswith(word, pos):
            pos, used = pos + len(word), used + 1
    return pos == len(core) and used >= 2


def _shared_stem(core: str, compact: str) -> bool:
    """ "klinefamilydental" and "klinefamilydentistry": one long common start, differing only at the end."""
    shorter = min(len(core), len(compact))
    common = next((i for i, (a, b) in enumerate(zip(core, compact, strict=False)) if a != b), shorter)
    return common >= 8 and common * 5 >= shorter * 4


def company_from_domain(domain: str) -> str:
    """ "mail.northwind-traders.co.uk" → "Northwind Traders"."""
    labels = domain.split(".")
    # the registrable label: skip a second-level public suffix such as co.uk / com.ar
    if len(labels) >= 3 and labels[-2] in {"co", "com", "org", "net", "gov", "ac", "gob", "edu"}:
        core = labels[-3]
    else:
        core = labels[-2] if len(labels) >= 2 else labels[0]
    return " ".join(part.capitalize() for part in re.split(r"[-_]", core) if part)


def org_under_person_label(lead: ExtractedLead) -> ExtractedLead:
    """A lead whose only name is an organisation's ("Buyer: Ridgeview Medical Center", "Client: Summit Ridge
    Dental Group": a buyer that is a firm, a school or a hospital) with that name as its company and no person.
    The last word must be an organisation's noun that is no surname, and the first no known first name."""
    fields = lead.fields
    full = fields.get("full_name")
    if full is None or "company" in fields:
        return lead
    if "first_name" in fields or "last_name" in fields:
        return _firm_beside_name_parts(lead, full)
    words = [w.strip(".,") for w in full.value.split()]
    if len(words) < 2 or not all(w[:1].isupper() for w in words if w.casefold() not in TITLE_GLUE):
        return lead
    last, first = words[-1].casefold(), words[0].casefold()
    plural = last[-1:] == "s" and last[:-1] in org_words()
    if not (last in org_words() or plural) or is_surname(last) or is_first_name(first) or (
            len(words) == 2 and is_surname(first)):
        return lead
    moved = {k: v for k, v in fields.items() if k != "full_name"}
    moved["company"] = full
    return dataclasses.replace(lead, fields=moved)


def _firm_beside_name_parts(lead: ExtractedLead, full: FieldValue) -> ExtractedLead:
    """A name field holding a firm beside the person's own first and last names (a CRM form's company object
    under ``name``: "Ybarra Dental Studio" beside Marisol / Ybarra): the firm is the company, the parts the
    name. The firm must end in an organisation's noun or a legal form and share no word with the first name."""
    fields = lead.fields
    first, last = fields.get("first_name"), fields.get("last_name")
    if first is None or last is None:
        return lead
    words = [w.strip(".,") for w in full.value.split()]
    tail = words[-1].casefold() if words else ""
    firm = tail in org_words() or (tail[-1:] == "s" and tail[:-1] in org_words()) or bool(
        legal_suffix_re().search(full.value))
    if len(words) < 2 or not firm or first.value.casefold() in full.value.casefold() or is_surname(tail):
        return lead
    moved = dict(fields)
    moved["company"] = dataclasses.replace(full, flags=tuple(f for f in full.flags if f != "name_conflict"))
    moved["full_name"] = dataclasses.replace(first, value=f"{first.value} {last.value}")
    return dataclasses.replace(lead, fields=moved)
