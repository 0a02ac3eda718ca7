"""Component ``leadbot_orgs``: the prospect's organisation.

Readings: a "Company:" line; a name ending in a legal form (Inc, LLC, Ltd, GmbH, AG, S.A., S.L., SRL…,
``patterns/legal_suffixes.txt``); "I'm Jamie from X" / "I work at X" / "on behalf of X" / "von der Firma X"
/ "de la empresa X"; and last, weakest, the domain of the prospect's email when it is not a free-mail or
disposable domain ("jamie@northwind-traders.com" → "Northwind Traders").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from nlp.candidates import ADDRESS, PERSON, Candidate, add, candidates_of, effective_sender, layout_of, meta_of
from nlp.layout import Line
from nlp.lexicon import is_first_name, is_free_mail, legal_suffix_re, not_names, stop_words
from nlp.prose import org_words

_ORG = r"[A-ZÄÖÜÁÉÍÓÚÑ0-9][\w&'’.-]*(?:[ \t]+(?:&|and|und|y|of|de|the|[A-ZÄÖÜÁÉÍÓÚÑ0-9][\w&'’.-]*)){0,4}"
_LABEL = re.compile(
    r"(?im)^\s*(?:company|company name|organi[sz]ation|business|employer|firma|unternehmen|firmenname|"
    r"empresa|compañ[íi]a|organizaci[óo]n|raz[óo]n social)\s*[:=]\s*(?P<value>[^\n]{2,80})$"
)
_AFFILIATION = re.compile(
    # between "I'm" and "from" only the speaker's name ("I'm Jamie Driver from X", not "I'm moving from X")
    rf"(?:(?i:\b(?:i'm|i’m|i am|this is|my name is|we are|we're)\b)(?:[ \t]+[A-ZÄÖÜÁÉÍÓÚÑ][\w'’.-]*){{0,3}}"
    rf"\s(?i:from|at|with)"
    rf"|(?i:\bi (?:work|am working) (?:at|for)|\bon behalf of|\brepresenting|\bvon der firma|\bbei der firma"
    rf"|\bich arbeite bei|\bwir sind|\bde la empresa|\btrabajo (?:en|para)|\ben nombre de))"
    rf"\s+(?:the\s+|der\s+|la\s+|el\s+)?(?P<org>{_ORG})"
)
_TRAILING = re.compile(r"(?:[ \t]+(?:and|und|y|of|de|the|&))+$|,+$")
_SENTENCE_END = re.compile(r"(?<=\w\w)\.\s+(?=[A-ZÄÖÜÁÉÍÓÚÑ])")
_RESERVED_DOMAIN = re.compile(r"(?:^|\.)(?:example\.(?:com|org|net)|localhost|[^.]+\.(?:test|invalid|example|local))$")
_COMPACT = re.compile(r"[\W_]+")
_NOT_ORGS = frozenset([
    "i", "you", "we", "home", "work", "the", "a", "an", "your", "my", "our", "this", "that"
])


class Orgs:
    def __init__(self, name: str) -> None:
        self.source = f"nlp:{name}"

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        text = layout.text
        r0, r1 = layout.region
        for m in _LABEL.finditer(text, *layout.body):
            add(doc, Candidate("company", m["value"].strip(), 0.9, self.source, m.start("value")))
        signature_start = layout.signature[0].start if layout.signature else r1
        referred = meta_of(doc).referred
        for m in legal_suffix_re().finditer(text, r0, r1):
            if layout.in_greeting(m.start(), m.end()):
                continue
            org = _strip_lead_in(_after_cue(m["org"].strip()))
            if not any(ch.isalpha() for ch in org.split()[0]):
                continue  # "3818 KG": a Dutch postcode, not a limited partnership
            confidence = 0.8 if m.start() >= signature_start else 0.75
            if referred and m.start() >= signature_start:
                confidence = 0.2  # the partner's own firm under their name
            add(doc, Candidate("company", org, confidence, self.source, m.start()))
        for m in _AFFILIATION.finditer(text, r0, r1):
            legal = legal_suffix_re().search(m["org"])
            org = _strip_lead_in(legal["org"].strip()) if legal else _trim(_SENTENCE_END.split(m["org"], 1)[0])
            if org and org[0].isdigit():
                continue  # "we're at 61 Quarry Hill Rd": a place, not an organisation
            if org and org.lower() not in _NOT_ORGS and org.lower() not in not_names():
                add(doc, Candidate("company", org, 0.7, self.source, m.start("org")))
        if not referred:
            self._signature_line(doc, layout.signature)
        if meta_of(doc).chat:
            self._prose(doc, text, r0, r1)
        if not referred:
            self._domain(doc)
        return doc

    def _prose(self, doc: Doc, text: str, r0: int, r1: int) -> None:
        """A chat note's organisations: a capitalised run after "at / @ / from / von der / de …" or holding an
        organisation's noun ("Zhang Property Mgmt"), stronger when the lead's email domain spells it; and the
        city in brackets after it ("Panadería La Espiga (Córdoba)")."""
        cores = _domain_cores(c.value for c in candidates_of(doc) if c.field == "email")
        persons = [c for c in candidates_of(doc) if c.field == PERSON]
        people = {c.value.casefold() for c in persons if c.confidence >= 0.7}
        others = [c.start for c in persons if any(f.startswith("role:") for f in c.flags)]
        for m in _ORG_RUN.finditer(text, r0, r1):
            org, start = _without_person(m["org"], m.start(), people)
            org = _trim(org)
            words = org.split()
            if not words or sum(ch.isalpha() for ch in org) < 3:
                continue
            cue = _ORG_CUE.search(text, max(r0, start - 16), start)
            folded = {w.strip(".,").casefold() for w in words}
            evidence = bool(folded & org_words()) or bool(legal_suffix_re().search(org)) or any(
                w.endswith(suffix) for w in folded for suffix in _COMPOUND_ORG)
            agrees = _agrees_domain(org, cores)
            if not (evidence or agrees or (cue and cue["strong"])) or (org.casefold() in people and not evidence):
                continue
            if words[0].casefold() in stop_words() and not agrees:
                continue
            if is_first_name(words[0]) and len(words) <= 3 and not (evidence or agrees):
                continue  # "at Jamie Driver": a person
            confidence = 0.6 + (0.1 if cue else 0) + (0.1 if evidence else 0) + (0.1 if agrees else 0)
            if any(0 <= start - other <= 60 and "." not in text[other:start] for other in others):
                confidence = 0.3  # "our partner Jake Tillman at Summit Realty": the partner's firm
            add(doc, Candidate("company", org, round(min(confidence, 0.85), 2), f"{self.source}.prose", start))
            city = _CITY_AFTER.match(text, m.end()) or (_CITY_IN_BRACKETS.match(text, m.end())
                                                          if text[max(r0, m.start() - 1) : m.start()] == "(" else None)
            if city and (evidence or agrees):
                add(doc, Candidate(ADDRESS, city["city"], 0.6, f"{self.source}.prose", city.start("city"),
                                   parts={"city": city["city"]}))

    def _signature_line(self, doc: Doc, lines: tuple[Line, ...]) -> None:
        """A signature line that spells the prospect's mail domain ("Crestline Dental Group" for
        hv@crestlinedental.com) is their organisation, legal suffix or not."""
        _name, sender_email, _subject = effective_sender(doc)
        emails = [c.value for c in candidates_of(doc) if c.field == "email" and c.confidence >= 0.6]
        cores = _domain_cores([*emails, *([sender_email] if sender_email else [])])
        if not cores:
            return
        for line in lines[:8]:
            text = line.text.strip()
            if not text or len(text.split()) > 6 or "@" in text or any(ch.isdigit() for ch in text):
                continue
            for part in re.split(r"\s+[|·•]\s+|\s+[-–]\s+", text):
                compact = _COMPACT.sub("", part.casefold())
                if len(compact) >= 4 and any(compact.startswith(c) or c.startswith(compact) for c in cores):
                    add(doc, Candidate("company", part.strip(), 0.75, self.source, line.start))
                    return

    def _domain(self, doc: Doc) -> None:
        emails = [c for c in candidates_of(doc) if c.field == "email" and c.confidence >= 0.6]
        _name, sender_email, _subject = effective_sender(doc)
        addresses = [c.value for c in sorted(emails, key=lambda c: -c.confidence)]
        if sender_email:
            addresses.append(sender_email)
        for address in addresses:
            domain = address.rpartition("@")[2].lower()
            if domain and not is_free_mail(domain) and not _RESERVED_DOMAIN.search(domain):
                add(doc, Candidate("company", company_from_domain(domain), 0.3, f"{self.source}.domain"))
                return


#: a run of capitalised words ("&", "e", "y", "de", "La" … inside): a firm's name in running text
_CAP = r"[^\W\d_a-zß][\w'’.&-]*|\d[\w-]*[^\W\d_][\w-]*"
_ORG_RUN = re.compile(
    rf"(?<![\w@.'’-])(?P<org>(?:{_CAP})(?:[ \t]+(?:&|\+|e|y|and|und|et|en|of|de|del|la|las|los|di|da|do|dos|du|des|"
    rf"van|von|der|the|am|an|im|zum|zur|al|srl|spa|sas|sarl|gmbh|llc|inc|ltd|ltda|bv|{_CAP}))*)"
)
#: German and Dutch compounds end in the noun: "Zahnarztpraxis", "Autohaus", "Dachdeckerbetrieb", "Bouwbedrijf"
_COMPOUND_ORG = ("praxis", "klinik", "betrieb", "bedrijf", "technik", "service", "handel", "werkstatt", "bau",
                 "haus", "markt", "zentrum", "gruppe", "makelaardij", "groep", "handwerk", "logistik", "transporte")
_CONNECTOR = re.compile(r"[ \t]*(?:(?:de|del|da|do|di|della|van|von|von der|from|at|of|bei)[ \t]+)?")
#: the words right before a firm's name: "at", "@", "from", "von der", "de", "chez", "gérant de" …
_ORG_CUE = re.compile(
    r"(?i)(?:(?P<strong>\bat|@|\bfrom|\bwith|\bvon der|\bvon|\bbei der|\bbei|\bchez|\bfor|\bfür|\bde la empresa|"
    r"\bda empresa|\bworks at|\bof|\bowner of|\btitolare di|\bgérante? de|\bdueñ[oa] de|\binhaber(?:in)? von|"
    r"\beigenaar van|\bdon[oa] da|\bdon[oa] do|\bco:|\bcompany:)|\bde|\bdel|\bda|\bdo|\bdi|\bvan|\bdella)"
    r"[ \t]+(?:the[ \t]+)?$"
)
#: "(Córdoba)", "(Praxis in Münster)", "(Campinas - SP)" right after a firm's name
_CITY_AFTER = re.compile(
    r"[ \t]*\((?:[^()\n]{0,30}?\b(?:in|en|em|à|a|bei|aus)[ \t]+)?"
    r"(?P<city>[^\W\d_a-z][\w'’-]*(?:[ \t]+[^\W\d_a-z][\w'’-]*){0,2})"
    r"[ \t]*(?:[,-][ \t]*[A-Z]{2}[ \t]*)?\)"
)
#: "(Talleres Villanueva, Burgos)": the city after the firm inside the same brackets
_CITY_IN_BRACKETS = re.compile(r"[ \t]*,[ \t]*(?P<city>[^\W\d_a-z][\w'’-]*(?:[ \t]+[^\W\d_a-z][\w'’-]*){0,2})[ \t]*\)")
#: where a firm's name in running text starts: after the last "at / from / von der …" before it
_LAST_CUE = re.compile(r"(?i).*(?:\s|^)(?:at|@|from|with|von der|von|bei der|bei|chez|für|de la empresa)\s+|.*\.\s+")


def _without_person(run: str, start: int, people: set[str]) -> tuple[str, int]:
    """ "Sra. Ximena García Márquez de Inmobiliaria Solaz" → "Inmobiliaria Solaz": what follows the person
    named in the run (and the connector after them)."""
    folded = run.casefold()
    for person in sorted(people, key=len, reverse=True):
        at = folded.find(person)
        if at >= 0:
            rest = _CONNECTOR.match(run, at + len(person))
            if rest and rest.end() < len(run):
                return run[rest.end() :], start + rest.end()
    return run, start


def _after_cue(org: str) -> str:
    """ "TO DWAYNE FITZGERALD AT FITZGERALD HAULING LLC" → "FITZGERALD HAULING LLC"; "555-0177. Mendoza
    Builders LLC" → "Mendoza Builders LLC"; "Krüger von der Krüger & Söhne GmbH" → "Krüger & Söhne GmbH"."""
    m = _LAST_CUE.match(org)
    if m and m.end() < len(org) and legal_suffix_re().search(org[m.end() :]):
        return org[m.end() :]
    return org


def _domain_cores(addresses: Iterable[str]) -> set[str]:
    cores: set[str] = set()
    for address in addresses:
        domain = address.rpartition("@")[2].lower()
        if domain and not is_free_mail(domain):
            core = _COMPACT.sub("", company_from_domain(domain).casefold())
            if len(core) >= 4:
                cores.add(core)
    return cores


def _agrees_domain(org: str, cores: set[str]) -> bool:
    compact = _COMPACT.sub("", org.casefold())
    return len(compact) >= 4 and any(compact.startswith(c) or c.startswith(compact) for c in cores)


def company_from_domain(domain: str) -> str:
    """ "mail.northwind-traders.co.uk" → "Northwind Traders"."""
    labels = domain.split(".")
    # the registrable label: skip a second-level public suffix such as co.uk / com.ar
    if len(labels) >= 3 and labels[-2] in {"co", "com", "org", "net", "gov", "ac", "gob", "edu"}:
        core = labels[-3]
    else:
        core = labels[-2] if len(labels) >= 2 else labels[0]
    return " ".join(part.capitalize() for part in re.split(r"[-_]", core) if part)


_LEAD_IN = frozenset(
    [
        "we", "our", "us", "i", "my", "me", "at", "from", "for", "with", "this", "is", "it", "the", "dear",
        "hi", "hello", "thanks", "wir", "unsere", "unser", "sind", "ich", "bei", "von", "für", "an", "die",
        "der", "das", "mit", "hallo", "somos", "soy", "nosotros", "nuestra", "nuestro", "mi", "de", "para",
        "con", "en", "la", "el", "hola"
    ]
)


def _strip_lead_in(org: str) -> str:
    """ "Somos Construcciones Ibarra S.L." → "Construcciones Ibarra S.L." (a capitalised sentence start)."""
    words = org.split()
    while len(words) > 2 and words[0].casefold() in _LEAD_IN:
        words.pop(0)
    return " ".join(words)


def _trim(org: str) -> str:
    org = org.strip()
    while (trimmed := _TRAILING.sub("", org)) != org:
        org = trimmed
    last = org.rsplit(None, 1)[-1] if org else ""
    if last.endswith(".") and (len(last) > 5 or not last[0].isupper()):
        org = org[:-1]  # a sentence's full stop, not "Inc." or "Co."
    return org


@Language.factory("leadbot_orgs", default_config={})
def make_orgs(nlp: Language, name: str) -> Orgs:
    return Orgs(name)
