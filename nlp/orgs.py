"""Component ``leadbot_orgs``: the prospect's organisation.

Readings: a "Company:" line; a name ending in a legal form (Inc, LLC, Ltd, GmbH, AG, S.A., S.L., SRL…,
``patterns/legal_suffixes.txt``); "I'm Jamie from X" / "I work at X" / "on behalf of X" / "von der Firma X"
/ "de la empresa X"; and last, weakest, the domain of the prospect's email when it is not a free-mail or
disposable domain ("jamie@northwind-traders.com" → "Northwind Traders").
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from nlp.candidates import ADDRESS, PERSON, Candidate, add, candidates_of, effective_sender, layout_of, meta_of
from nlp.company_evidence import (
    SIGNATURE_SPLIT,
    firm_on_line,
    has_firm_noun,
    is_place,
    names_no_firm,
    own_particle,
    owner_before,
    person_end,
    referred_by,
    same_firm_aside,
    set_referrers_aside,
    shouted_firm,
    without_run_on,
)
from nlp.elsewhere import ELSEWHERE, elsewhere_before
from nlp.firm_runs import (
    ARTICLE_BEFORE,
    STRONG_CUE,
    after_cue,
    is_job_title,
    is_vehicle,
    job_before,
    job_words,
    strip_lead_in,
    trim_org,
    without_job_title,
)
from nlp.layout import Line
from nlp.lexicon import (
    finditer_folded,
    is_first_name,
    is_free_mail,
    legal_suffix_re,
    not_names,
    stop_words,
)
from nlp.note_people import place_or_time_run
from nlp.org_sides import (
    PARTNER,
    RECIPIENT,
    agrees_domain,
    company_from_domain,
    domain_cores,
    for_recipient,
    is_event,
    role_before,
    set_recipients_aside,
)
from nlp.our_side import BUSINESS_CALLED
from nlp.places import is_city
from nlp.prose import NOTE_WORDS, PARTICLES, org_words, role_re
from parsers.address import US_STATES
from parsers.keywords import may_match
from parsers.regex_start import guard_start

_ORG = r"[A-ZÄÖÜÁÉÍÓÚÑ0-9][\w&'’.-]*(?:[ \t]+(?:&|and|und|y|of|de|the|[A-ZÄÖÜÁÉÍÓÚÑ0-9][\w&'’.-]*)){0,4}"
_LABEL = re.compile(
    r"(?im)^\s*(?:company|company name|organi[sz]ation|business|employer|firma|unternehmen|firmenname|"
    r"empresa|compañ[íi]a|organizaci[óo]n|raz[óo]n social)[ \t]*[:=][ \t]*(?P<value>[^\n]{2,80})$"
)
_AFFILIATION = guard_start(re.compile(
    # between "I'm" and "from" only the speaker's name ("I'm Jamie Driver from X", not "I'm moving from X")
    rf"(?:(?i:\b(?:i'm|i’m|i am|this is|my name is|we are|we're)\b)(?:[ \t]+[A-ZÄÖÜÁÉÍÓÚÑ][\w'’.-]*){{0,3}}"
    rf"\s(?i:from|at|with)"
    rf"|(?i:\bi (?:work|am working) (?:at|for)|\bon behalf of|\brepresenting|\bvon der firma|\bbei der firma"
    rf"|\b(?:my|our) (?:team|company|firm|employer|business|agency|startup|practice)(?: (?:at|is|called|named)|,)"
    rf"|\b(?:my|our|we're an?|we are an?|i'm on the|i am on the|i lead the|i run the|i manage the)"
    rf"(?: [\w-]+){{0,2}} (?:team|department|group) at"
    rf"|\bich arbeite bei|\bwir sind|\bde la empresa|\btrabajo (?:en|para)|\ben nombre de))"
    rf"\s+(?:the\s+|der\s+|la\s+|el\s+)?(?P<org>{_ORG})"
))
#: words one of which each match of ``_AFFILIATION`` spells: ``parsers.keywords.may_match`` looks for them first
_AFFILIATION_KEYS = ("i'm", "i’m", "i am", "this is", "my name is", "we are", "we're", "i work", "on behalf of",
                     "representing", "firm", "team", "company", "employer", "business", "agency", "startup",
                     "practice", "department", "group", "ich arbeite bei", "wir sind", "de la empresa", "trabajo",
                     "en nombre de")
#: "I'm the COO of X", "je suis responsable achats chez X", "ich bin Einkaufsleiter bei der X": the writer's role
#: (checked against ``job_words``), then their firm
_TITLED_SELF = guard_start(re.compile(
    rf"(?i:\b(?:i'm|i’m|i am|je suis|ich bin|soy|sou|sono|ik ben)[ \t]+"
    # "soy Jorge, gerente de …", "I'm Dana Kemp, the COO of …": the writer's name may come first
    rf"(?-i:[^\W\d_a-zß-öø-ÿ][\w'’-]+(?:[ \t]+[^\W\d_a-zß-öø-ÿ][\w'’-]+){{0,2}},[ \t]+)?"
    rf"(?:(?:the|a|an|le|la|der|die|el|o|il|de)[ \t]+|l')?"  # an article is a word: "a" is not "a|cheteuse"
    rf"(?P<title>(?:[\w'’-]+[ \t]+){{0,3}}?[\w'’-]+)[ \t]+(?:of|at|for|with|chez|de|bei|von|di|da|do|"
    rf"van|bij|presso|en|na|no)[ \t]+(?:the[ \t]+|der[ \t]+|la[ \t]+|el[ \t]+|het[ \t]+|de[ \t]+)?)"
    rf"(?P<org>{_ORG})"
))
_TITLED_SELF_KEYS = ("i'm", "i’m", "i am", "je suis", "ich bin", "soy", "sou", "sono", "ik ben")
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
        first = len(candidates_of(doc))
        self._read(doc)
        set_recipients_aside(doc, first)
        set_referrers_aside(doc, first)
        same_firm_aside(doc, first)
        return doc

    def _read(self, doc: Doc) -> None:
        layout = layout_of(doc)
        text = layout.text
        r0, r1 = layout.region
        for m in _LABEL.finditer(text, *layout.body):
            if not names_no_firm(value := without_run_on(m["value"].strip())):  # "N/A (individual)": none
                add(doc, Candidate("company", value, 0.9, self.source, m.start("value")))
        signature_start = layout.signature[0].start if layout.signature else r1
        referred = meta_of(doc).referred
        for m in legal_suffix_re().finditer(text, r0, r1):
            if layout.in_greeting(m.start(), m.end()):
                continue
            # "soy Marta Gil de Construcciones Levante S.L.": the writer and a connector are no part of the firm
            org = _without_named_lead_in(strip_lead_in(after_cue(m["org"].strip())), 0)[0]
            if is_vehicle(org) and not STRONG_CUE.search(text, max(r0, m.start() - 16), m.start()):
                continue  # "wants the Toyota Tundra Limited", "a 2021 Jeep Grand Cherokee Limited": a trim
            if not any(ch.isalpha() for ch in org.split()[0]) or _DECIMAL.match(org):
                continue  # "3818 KG": a Dutch postcode, not a limited partnership; "2.5i Limited": a trim
            confidence = 0.8 if m.start() >= signature_start else 0.75
            flags: tuple[str, ...] = ()
            head, _, rest = org.partition(" ")
            if rest and (cue := role_re().search(f"{head} ")) and cue.start() == 0 and cue.lastgroup:
                # "vom Kooperationspartner Immobilien Lenz GmbH": the role's word, then the partner's firm
                org, confidence, flags = rest, 0.2, (f"role:{cue.lastgroup}",)
            elif referred and m.start() >= signature_start:
                confidence, flags = 0.2, PARTNER  # the partner's own firm under their name
            elif for_recipient(text, m.start(), r0, m.end()):
                confidence, flags = 0.2, RECIPIENT  # "I found your company, Bayside Roofing LLC, …"
            elif role := role_before(text, m.start(), r0):
                confidence, flags = 0.2, (f"role:{role}",)  # "our partner Summit Realty LLC"
            elif elsewhere_before(text, m.start(), r0):
                confidence, flags = 0.2, ELSEWHERE  # "my neighbor used Apex Roofing LLC"
            elif referred_by(text, m.end()):
                confidence, flags = 0.2, PARTNER  # "555-0177. Mendoza Builders LLC referred him"
            at = text.find(org, m.start(), m.end())  # where the firm's name starts, its lead-in cut off
            names = _NAMES_BEFORE.search(text, max(r0, at - 40), at) if at == m.start() and "&" in org else None
            if names and not _CAPITALISED_BEFORE.search(text, max(r0, names.start() - 30), names.start()) and not any(
                    is_job_title([w.rstrip(",")]) for w in names.group().split()):
                # "Adler, Pike & Moss, Inc." (not "Dana Whitfield, Pike & Moss, Inc.": a person, then the firm)
                org, at = text[names.start() : at] + org, names.start()
            add(doc, Candidate("company", org, confidence, self.source, at if at >= 0 else m.start(), flags=flags))
            city = _CITY_AFTER.match(text, m.end()) or _PLACE_AFTER.match(text, m.end())
            if city and (city.re is _CITY_AFTER or is_city(city["city"])) and not flags:
                # "Bellandi & Figli S.r.l. (Prato)", "Transportes Ibáñez S.L., de Zaragoza"
                add(doc, Candidate(ADDRESS, city["city"], 0.55, self.source, city.start("city"),
                                   parts={"city": city["city"]}))
        for m in _AFFILIATION.finditer(text, r0, r1) if may_match(text, _AFFILIATION_KEYS) else ():
            legal = legal_suffix_re().search(m["org"])
            org = strip_lead_in(legal["org"].strip()) if legal else trim_org(_SENTENCE_END.split(m["org"], 1)[0])
            if org and (org[0].isdigit() or is_place(org)):
                continue  # "we're at 61 Quarry Hill Rd": a place, not an organisation
            if org and org.lower() not in _NOT_ORGS and org.lower() not in not_names() and not is_event(org):
                recipient = for_recipient(text, m.start("org"), r0)
                add(doc, Candidate("company", org, 0.2 if recipient else 0.7, self.source, m.start("org"),
                                   flags=RECIPIENT if recipient else ()))
        self._titled_self(doc, text, r0, r1)
        if not referred:
            self._signature_line(doc, layout.signature or _closing_block(doc, layout.lines))
        if meta_of(doc).chat:
            self._prose(doc, text, r0, r1)
        if not referred:
            self._domain(doc)

    def _titled_self(self, doc: Doc, text: str, r0: int, r1: int) -> None:
        """The writer's own role, then their firm: "I'm the COO of Tran Group", "je suis responsable achats chez
        Menuiserie Duval", "ich bin Einkaufsleiter bei Hartmann Logistik", "soy gerente de Hostal Las Acacias"."""
        for m in _TITLED_SELF.finditer(text, r0, r1) if may_match(text, _TITLED_SELF_KEYS) else ():
            if not any(w.casefold() in job_words() for w in m["title"].split()):
                continue  # "I'm the one who called about X": no role
            legal = legal_suffix_re().search(m["org"])
            org = strip_lead_in(legal["org"].strip()) if legal else trim_org(_sentence_cut(m["org"]))
            words = org.split()
            if not words or words[0].casefold() in stop_words() or is_event(org) or is_job_title(words):
                continue
            recipient = for_recipient(text, m.start("org"), r0)
            add(doc, Candidate("company", org, 0.2 if recipient else 0.75, self.source, m.start("org"),
                               flags=RECIPIENT if recipient else ()))

    def _prose(self, doc: Doc, text: str, r0: int, r1: int) -> None:
        """A chat note's organisations: a capitalised run after "at / @ / from / von der / de …" or holding an
        organisation's noun ("Zhang Property Mgmt"), stronger when the lead's email domain spells it; and the
        city in brackets after it ("Panadería La Espiga (Córdoba)").

        Evidence beyond the run itself: a run right after the person's name with a connector ("Sanne van den
        Heuvel van Heuvel Installatietechniek", "Sra. Itziar Goikoetxea, de Conservas Bidasoa") is their firm;
        a run that is a job title ("Store Manager", "CFO of …") is no firm, though the firm may follow it. In a
        note typed without capitals the words after a cue count only when the email's domain spells them."""
        cores = domain_cores(c.value for c in candidates_of(doc) if c.field == "email")
        persons = [c for c in candidates_of(doc) if c.field == PERSON]
        people = {c.value.casefold() for c in persons if c.confidence >= 0.7}
        ends = {person_end(text, c) for c in persons if c.confidence >= 0.6 and c.start >= 0}
        others = [c.start for c in persons if any(f.startswith("role:") for f in c.flags)]
        named = {_COMPACT.sub("", c.value.casefold()) for c in persons if c.confidence >= 0.7}
        surnames = {w.casefold() for c in persons if c.confidence >= 0.6 and not any(
            f.startswith("role:") for f in c.flags) for w in c.value.split()[1:] if len(w) >= 3}
        region = text[r0:r1]
        shouted = _LOWER.search(region) is None  # no lower-case letter in the note ("ß" has no capital)
        for m in _ORG_RUN.finditer(text, r0, r1):
            org, start = _without_person(m["org"], m.start(), people)
            if shouted:
                org = _SHOUTED_BREAK.split((shout := shouted_firm(org, start))[0], 1)[0]
                start = shout[1]
            org, start = without_job_title(org, start)
            org, start = _without_named_lead_in(org, start)
            head, _, rest = org.partition(" ")
            if rest and (cue := role_re().search(f"{head} ")) and cue.start() == 0:
                org, start = rest, start + len(head) + 1  # "Partner Elektro Hansen": the cue, then the firm
            if (noun := _FIRM_NOUN.match(org)) and noun.end() < len(org):
                org, start = org[noun.end() :], start + noun.end()  # "Firma Reichenbach Sanitär"
            org = trim_org(_sentence_cut(org))
            end = start + len(org)
            words = org.split()
            if not words or sum(ch.isalpha() for ch in org) < 3 or is_job_title(words) or is_event(org) or (
                    place_or_time_run(org)) or _city_and_state(words):
                continue
            cue = _ORG_CUE.search(text, max(r0, start - 16), start)
            folded = {w.strip(".,").casefold() for w in words}
            legal = bool(legal_suffix_re().search(org))
            evidence = legal or any(_COMPOUND.fullmatch(w) for w in folded) or (
                has_firm_noun(words) and (len(words) >= 2 or not folded <= org_words()))
            agrees = agrees_domain(org, cores)
            own = owner_before(text, start, r0)  # "her bakery Zahra Breads": the lead's own business
            titled = own or job_before(text, start, r0)  # "Store Manager, X"
            affiliated = titled or _after_person(text, start, ends)
            owned = _WORKS_AT.search(text, max(r0, start - 30), start) or BUSINESS_CALLED.search(
                text, max(r0, start - 40), start)
            strong = bool(cue and cue["strong"]) or (affiliated and bool(cue)) or titled or bool(owned)
            if shouted and not (legal or agrees or cue or affiliated or words[-1].strip(".").upper() in _LEGAL_CAPS):
                continue  # a note in capitals: every word looks like a name, so a firm needs a cue
            if not (evidence or legal) and _COMPACT.sub("", _TITLE_LEAD.sub("", org).casefold()) in named:
                continue  # "Spoke with J. R. Hollingsworth": the person, whatever the cue
            weak = not (evidence or agrees or strong) or (org.casefold() in people and not evidence)
            family = any(w.strip(".,").casefold() in surnames for w in words)
            if family and not (evidence or agrees or own) and all(w.strip(".,").casefold() in surnames for w in words):
                continue  # "Caller: Dwayne Price": the surname left of the person's run, no firm
            if weak and not (affiliated and (family or _CITY_AFTER.match(text, end))):
                continue  # but "Beatriz Ocaña, Muebles Ocaña (Toledo)", "Connor Pruitt, Pruitt Orchards"
            if words[0].casefold() in stop_words() and not (agrees or own or own_particle(words, surnames)) and (
                    words[0].casefold() not in org_words()):
                continue  # but "Grupo Alcázar": "grupo" is a Spanish function word and a firm's noun
            if not (agrees or (cue and cue["strong"])) and is_vehicle(org):
                continue  # "wants the Toyota Tundra Limited": a vehicle and its trim, not a firm
            if is_first_name(words[0]) and len(words) <= 3 and not (evidence or agrees or affiliated):
                continue  # "at Jamie Driver": a person
            confidence = 0.6 + (0.1 if cue else 0) + (0.1 if evidence else 0) + (0.1 if agrees else 0)
            if _WORKS_AT.search(text, max(r0, start - 30), start):
                confidence += 0.15  # "works at Pinecrest Lumber", "runs Oyelaran Bakeshop"
            elif len(words) == 1 and not (evidence or agrees or (affiliated and family)):
                continue  # "from Chicago", "für Dachfenster", "de Bilbao": one bare word is a place or a thing
            elif len(words) == 1 and not (legal or agrees or cue) and ARTICLE_BEFORE.search(
                    text, max(r0, start - 12), start):
                continue  # "suchen ein Reihenhaus", "wollen das Wohnhaus": a German noun after its article
            flags: tuple[str, ...] = ()
            if role := role_before(text, start, r0):
                confidence, flags = 0.3, (f"role:{role}",)  # "über unseren Partner Elektro Hansen"
            elif any(0 <= start - other <= 60 and "." not in text[other:start] for other in others):
                confidence, flags = 0.3, PARTNER  # "our partner Jake Tillman at Summit Realty": the partner's firm
            elif for_recipient(text, start, r0, end):
                confidence, flags = 0.2, RECIPIENT
            elif elsewhere_before(text, start, r0):
                confidence, flags = 0.2, ELSEWHERE  # "saw our van at Lowe's"
            elif referred_by(text, end):
                confidence, flags = 0.2, PARTNER  # "Ridgeline Builders sent him over"
            add(doc, Candidate("company", org, round(min(confidence, 0.85), 2), f"{self.source}.prose", start,
                               flags=flags))
            city = _CITY_AFTER.match(text, end) or (_CITY_IN_BRACKETS.match(text, end)
                                                     if text[max(r0, m.start() - 1) : m.start()] == "(" else None)
            if city and (evidence or agrees or affiliated):
                add(doc, Candidate(ADDRESS, city["city"], 0.6, f"{self.source}.prose", city.start("city"),
                                   parts=_city_parts(city["city"])))
        if (cores or surnames) and len(_CAPITAL.findall(region)) <= len(region) // 60:
            self._uncapitalised(doc, text, r0, r1, cores, surnames)  # a note typed (almost) without capitals
        elif cores:
            # a firm typed in lower case in a capitalised note counts only when the email's domain spells it
            self._uncapitalised(doc, text, r0, r1, cores, set())

    def _uncapitalised(self, doc: Doc, text: str, r0: int, r1: int, cores: set[str], surnames: set[str]) -> None:
        """A firm in a note typed without capitals, after a cue: words the email's domain spells ("runs ops for
        halvorsen dental", "@ northfjord seafood"), or a trade's noun with the lead's own surname ("de
        ferretería montoya", "zahnarztpraxis schäfer" for Frau Schäfer-Ohlsen)."""
        for m in finditer_folded(_LOWER_ORG, text, r0, r1):
            if not m["org"].islower():
                continue  # a capitalised name is the run reader's
            org_text = m["org"]
            if (noun := _FIRM_NOUN.match(org_text)) and noun.end() < len(org_text):
                org_text = org_text[noun.end() :]  # "société lemaire paysage"
            words = org_text.split()
            if words and _WORKS_AT.search(f" {words[0]} "):
                continue  # ", runs delacroix auto body": the verb's own match reads the firm
            for i, word in enumerate(words):
                if i and (word in stop_words() or word in NOTE_WORDS) and word != "&":
                    words = words[:i]
                    break
            family = any(w in surnames or any(w in s.split("-") for s in surnames) for w in words)
            # "runs brandt bike repair": a firm the lead runs needs no trade noun when it bears their surname
            trade = any(w in org_words() or _COMPOUND.fullmatch(w) for w in words) or bool(
                _WORKS_AT.search(f" {m.group().split()[0]} ") and len(words) >= 2)
            # a particle leads only when it is the surname's own ("de groot hoveniers" for Bas de Groot)
            own_particle = words[0] in PARTICLES and len(words) > 2 and words[1] in surnames
            if len(words) >= 2 and family and trade and (words[0] not in stop_words() or own_particle):
                add(doc, Candidate("company", _capitalised(words), 0.6, f"{self.source}.prose", m.start("org")))
                self._lower_city_after(doc, text, m.start("org") + m["org"].find(words[-1]) + len(words[-1]))
                continue
            while len(words) >= 2:  # one word a domain spells is too weak ("at acme", "for smith")
                org = " ".join(words)
                if agrees_domain(org, cores, exact=True) and words[0].casefold() not in stop_words():
                    add(doc, Candidate("company", org, 0.6, f"{self.source}.prose", m.start("org")))
                    self._lower_city_after(doc, text, m.start("org") + m["org"].find(words[-1]) + len(words[-1]))
                    break
                words.pop()

    def _lower_city_after(self, doc: Doc, text: str, end: int) -> None:
        """ "from copperleaf dental (tempe)": a known city in brackets after a firm typed without capitals."""
        m = _LOWER_CITY_AFTER.match(text, end)
        if m and is_city(m["city"]):
            city = " ".join(w.capitalize() for w in m["city"].split())
            add(doc, Candidate(ADDRESS, city, 0.55, f"{self.source}.prose", m.start("city"), parts={"city": city}))

    def _signature_line(self, doc: Doc, lines: tuple[Line, ...]) -> None:
        """A signature line that spells the prospect's mail domain ("Crestline Dental Group" for
        hv@crestlinedental.com) is their organisation, legal suffix or not; so is one part of a line that
        joins a job title to it ("Office Manager | Halverson Tool & Die", "Gérante – Boulangerie Rivière")."""
        _name, sender_email, _subject = effective_sender(doc)
        emails = [c.value for c in candidates_of(doc) if c.field == "email" and c.confidence >= 0.6]
        cores = domain_cores([*emails, *([sender_email] if sender_email else [])])
        if cores:
            for line in lines[:8]:
                if part := firm_on_line(line.text, cores):
                    add(doc, Candidate("company", part, 0.75, self.source, line.start + line.text.find(part)))
                    return
        self._below_the_name(doc, lines, cores)

    def _below_the_name(self, doc: Doc, lines: tuple[Line, ...], cores: set[str]) -> None:
        """The signature line below the prospect's name (a job title's line may sit between, or share the
        line: "Operations Manager, Sierra Cold Storage"), when it bears their surname, ends in an
        organisation's noun or a legal form, or the mail domain spells it in part ("Ames Family Orchards",
        amesorchards.com)."""
        persons = [c for c in candidates_of(doc) if c.field == PERSON and c.confidence >= 0.6
                   and not any(f.startswith("role:") for f in c.flags)]
        if not persons:
            return
        lead = max(persons, key=lambda c: c.confidence)  # the writer signing a referral is not the lead
        below = next((lines[i + 1 : i + 3] for i, line in enumerate(lines[:4])
                      if line.text.strip().casefold() == lead.value.casefold()), ())
        surnames = {w.casefold() for w in lead.value.split()[1:]}
        for line in below:
            text = line.text.strip()
            if any(ch.isdigit() for ch in text) or "@" in text:
                return
            parts = [p.strip() for p in _TITLE_AT.split(text, 1) if p.strip()]
            # "Operations Director at Quarry Hill Creamery": a job title "at" a name says the name is a firm
            joined = len(parts) == 2 and is_job_title(parts[0].split()) and parts[1][:1].isupper()
            if not joined:
                parts = [p.strip() for p in SIGNATURE_SPLIT.split(text) if p.strip()]
            titled = is_job_title(parts[0].split()) if parts else False
            if titled and len(parts) == 1:
                continue  # "Operations Manager" on its own line: the firm may follow
            org = parts[-1] if titled else text
            words = [w.strip(".,").casefold() for w in org.split()]
            if not 2 <= len(words) <= 5 or is_job_title(org.split()):
                return
            if (joined or words[-1] in org_words() or set(words) & surnames or legal_suffix_re().search(org)
                    or agrees_domain(org, cores)):
                add(doc, Candidate("company", org, 0.65, self.source, line.start + line.text.find(org)))
            return

    def _domain(self, doc: Doc) -> None:
        emails = [c for c in candidates_of(doc) if c.field == "email" and c.confidence >= 0.6]
        _name, sender_email, _subject = effective_sender(doc)
        addresses = [c.value for c in sorted(emails, key=lambda c: -c.confidence)]
        if sender_email:
            addresses.append(sender_email)
        written_to = {a.rpartition("@")[2].lower() for a in meta_of(doc).recipients}
        for address in addresses:
            domain = address.rpartition("@")[2].lower()
            if domain in written_to:
                return  # the recipient's own domain ("sales@x.com" writing to "info@x.com"): staff, not a prospect
            if domain and not is_free_mail(domain) and not _RESERVED_DOMAIN.search(domain):
                add(doc, Candidate("company", company_from_domain(domain), 0.3, f"{self.source}.domain"))
                return


def _city_and_state(words: list[str]) -> bool:
    """ "Lakewood CO.", "Boise ID": a known city and a US state's code, a place and not a firm ("Co.")."""
    return len(words) >= 2 and words[-1].strip(".,") in US_STATES and is_city(" ".join(words[:-1]))


#: post-nominal letters after a name on a signature line: "Yusra Haddad, RIBA", "Dana Kim, CPA, MBA", ", Ph.D."
_CREDENTIALS = re.compile(r"(?:,[ \t]*(?:[A-Z][A-Za-z.]*[A-Z][A-Za-z.]*|Ph\.?D\.?|Esq\.?))+$")


def _closing_block(doc: Doc, lines: tuple[Line, ...]) -> tuple[Line, ...]:
    """A mail's last lines from the writer's name on, when no sign-off word opened a signature ("… site.\n\nGreg
    Tolliver\nTolliver Farms\n(402) 555-0173"): the name is the sender's, or the person read with most
    confidence, on a line of its own among the last five lines (post-nominal letters after it: "Yusra Haddad,
    RIBA")."""
    last = lines[max(0, len(lines) - 5) : len(lines) - 1]
    if not any(0 < len(line.text.split()) <= 4 for line in last):
        return ()
    sender, _email, _subject = effective_sender(doc)
    names = {c.value.casefold() for c in candidates_of(doc) if c.field == PERSON and c.confidence >= 0.6
             and not c.flags}
    if sender:
        names.add(sender.casefold())
    for i in range(max(0, len(lines) - 5), len(lines) - 1):
        if _CREDENTIALS.sub("", lines[i].text.strip()).casefold() in names:
            return lines[i:]
    return ()


#: the partners' names before "Pike & Moss, Inc." in "Adler, Pike & Moss, Inc.": capitalised words, each with its comma
_NAMES_BEFORE = re.compile(r"(?<![\w'’-])(?:[A-Z][\w'’-]+,[ \t]+)+$")
_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w'’-]*[ \t]+$")
#: what joins a job title to a firm on a signature line: "Office Manager | X", "Gérante – X", "CFO, X"
#: a decimal number first ("2.5i Limited", "1.5 TSI AG"): an engine or a trim, not a firm's name
_DECIMAL = re.compile(r"\d+[.,]\d")
#: "Procurement Manager at Halvorsen Foods", "Einkäufer bei X": a job title joined to the firm by a word
_TITLE_AT = re.compile(r"\s+(?:at|@|bei|chez|presso|bij|en|na|no)\s+")


#: a run of capitalised words ("&", "e", "y", "de", "La" … inside): a firm's name in running text
_CAP = r"[^\W\d_a-zß-öø-ÿ][\w'’.&-]*|\d[\w-]*[^\W\d_][\w-]*"
_ORG_RUN = re.compile(
    rf"(?<![\w@.'’-])(?P<org>(?:{_CAP})(?:[ \t]+(?:(?:&|\+|e|y|and|und|et|of|de|del|la|las|los|di|da|do|dos|du|"
    rf"des|della|van|von|der|den|ter|ten|zu|the|am|an|im|zum|zur|al|srl|spa|sas|sarl|gmbh|llc|inc|ltd|ltda|bv|eG)(?![\w'’.&-])|{_CAP}))*)"
)
#: German and Dutch compounds end in the noun: "Zahnarztpraxis", "Autohaus", "Dachdeckerbetrieb", "Bouwbedrijf"
_COMPOUND_ORG = ("praxis", "klinik", "betrieb", "bedrijf", "technik", "service", "handel", "werkstatt", "bau",
                 "haus", "markt", "zentrum", "gruppe", "makelaardij", "groep", "handwerk", "logistik", "transporte",
                 "techniek", "installatie", "bouw", "dienst", "diensten", "werken", "zorg")
#: a compound ending in one of those nouns, at least four letters before it ("Zahnarztpraxis", not "Neubau")
_COMPOUND = re.compile(rf"\w{{4,}}(?:{'|'.join(_COMPOUND_ORG)})")
_CONNECTOR = re.compile(
    r"(?i)[ \t]*,?[ \t]*(?:(?:von der|van der|van den|de la|de|del|da|do|di|della|van|von|from|at|of|bei)[ \t]+)?")
#: the words right before a firm's name: "at", "@", "from", "von der", "de", "chez", "gérant de" …
_ORG_CUE = guard_start(re.compile(
    r"(?i)(?:(?P<strong>\bat|@|\bfrom|\bwith|\bvon der|\bvon|\bbei der|\bbei|\bchez|\bde la empresa|"
    r"\bda empresa|\bworks at|\bof|\bowner of|\btitolare di|\bgérante? de|\bdueñ[oa] de|\binhaber(?:in)? von|"
    r"\beigenaar van|\bdon[oa] da|\bdon[oa] do|\bco:|\bcompany:|\bfirma|\bempresa|\bsociété|\bditta|\bazienda|"
    r"\bbedrijf|\bcompañía)|\bde|\bdel|\bda|\bdo|\bdi|\bvan|\bdella|\bfor|\bfür)"
    r"[ \t]+(?:the[ \t]+)?$"
))
#: "(Córdoba)", "(Praxis in Münster)", "(Campinas - SP)" right after a firm's name
_CITY_AFTER = re.compile(
    r"[ \t]*\((?:[^()\n]{0,30}?(?:\b(?:in|en|em|à|a|bei|aus)[ \t]+))?"
    r"(?P<city>[^\W\d_a-zß-öø-ÿ][\w'’-]*(?:[ \t]+[^\W\d_a-zß-öø-ÿ][\w'’-]*){0,2})"
    r"[ \t]*(?:[,-][ \t]*[A-Z]{2}[ \t]*)?(?:[ \t]+(?:campus|office|branch|site|plant|location|store|standort|"
    r"filiale|werk|sede|oficina|sucursal|planta|filial|agence|site|succursale|stabilimento|vestiging))?\)"
)
#: "Transportes Ibáñez S.L., de Zaragoza", "Krüger GmbH aus Köln": a place word, then a known city's name
_PLACE_AFTER = re.compile(
    r",?[ \t]+(?:de|from|of|in|aus|em|en|à|di|da|uit|van)[ \t]+"
    r"(?P<city>[^\W\d_a-zß-öø-ÿ][\w'’-]*(?:[ \t]+[^\W\d_a-zß-öø-ÿ][\w'’-]*){0,2}?)(?=[ \t]*(?:[.,;)\n]|$))")
#: "(tempe)" after a firm in a note typed without capitals
_LOWER_CITY_AFTER = re.compile(r"[ \t]*\((?P<city>[^\W\d_][\w'’-]*(?:[ \t]+[^\W\d_][\w'’-]*){0,2})\)")
#: "(Talleres Villanueva, Burgos)": the city after the firm inside the same brackets
_CITY_IN_BRACKETS = re.compile(
    r"[ \t]*,[ \t]*(?P<city>[^\W\d_a-zß-öø-ÿ][\w'’-]*(?:[ \t]+[^\W\d_a-zß-öø-ÿ][\w'’-]*){0,2})[ \t]*\)")


#: between a person's name and their firm: "Sanne van den Heuvel van …", "Itziar Goikoetxea, de …", "Hamid - …"
_AFFILIATION_GAP = re.compile(
    r"(?i)[ \t]*(?:\([^()\n]{0,40}\))?[ \t]*[,\-–—|/(]?[ \t]*(?:(?:de|del|da|do|di|della|du|des|van|von|von der|"
    r"from|of|at|@|bei|chez|aus)[ \t]+)?(?:(?:the|la|el|a|o|der|die)[ \t]+)?$"
)
#: a cue, then up to four words of a note typed without capitals: "for halvorsen dental", "@ northfjord seafood"
_LOWER_ORG = re.compile(
    r"(?:(?<![\w])(?:at|from|for|with|of|von|bei|de|da|van|chez|société|entreprise|empresa|firma|ditta|azienda|"
    r"bedrijf|runs|owns|manages|leitet|dirige|gère|gestisce|runt|heeft)|@|,)[ \t]+"
    r"(?=(?P<org>[^\W\d_][\w&'’-]*(?:[ \t]+(?:&[ \t]+)?[^\W\d_][\w&'’-]*){0,3}))"
)
_LEGAL_CAPS = frozenset({"GMBH", "LLC", "INC", "LTD", "CORP", "AG", "KG", "SA", "SL", "SRL", "SPA", "BV", "NV", "LTDA",
                         "SAS", "SARL", "PLC", "LLP", "S.A", "S.L", "S.R.L", "S.P.A", "B.V"})
#: "Firma …", "Empresa …", "Société …": the word for a firm before its name (the cue, not part of it)
_FIRM_NOUN = re.compile(r"(?i)(?:firma|empresa|société|ditta|azienda|bedrijf|compañía|company|organi[sz]ation)[ \t]+")
#: a courtesy title opening a run: "Dr. Anselm Freytag" is the person named, not a firm
_TITLE_LEAD = re.compile(r"^(?:(?:Dr|Prof|Mr|Mrs|Ms|Herr|Frau|Sr|Sra|Mme|M)\.?[ \t]+)+")
#: the person's own workplace: "works at", "runs", "owner of", "arbeitet bei", "trabaja en" …
_WORKS_AT = re.compile(
    r"(?i)(?<![\w])(?:works?[ \t]+(?:at|for)|working[ \t]+(?:at|for)|employed[ \t]+(?:at|by)|owner[ \t]+of|owns|runs|"
    r"manages|founder[ \t]+of|arbeitet[ \t]+(?:bei|für)|trabaja[ \t]+(?:en|para)|trabalha[ \t]+(?:na|no|em|para)|"
    r"travaille[ \t]+(?:chez|pour)|lavora[ \t]+(?:presso|per|da)|werkt[ \t]+(?:bij|voor))[ \t]+(?:the[ \t]+)?$"
)
#: in a note in capitals, a function word ends a firm's name ("AURORA CO" in "LIVES IN AURORA CO" is a place)
_SHOUTED_BREAK = re.compile(r"[ \t]+(?:IN|EN|EM|NO|NA|TO|IS|WAS|HAS|WANTS|NEEDS|LIVES|CALL|PHONE|TEL|EMAIL|"
                            r"SHE|HE|THEY|WILL|WOULD|BEFORE|AFTER|ON|FOR|PARA|FÜR|POUR|PER|VOOR|QUIERE|MÖCHTE)\b.*")
#: a full stop that ends a sentence inside a run ("Ridgeway Plastics. Budget …"), not "Inc." or "S.A."
_ABBREVIATIONS = frozenset({"inc", "co", "corp", "ltd", "bros", "jr", "sr", "st", "mr", "mrs", "dr", "ms", "no"})


def _capitalised(words: list[str]) -> str:
    """A firm's name typed without capitals, written as its owner would: "Vallejo Bakery", "de Groot Hoveniers"."""
    return " ".join(w if w in PARTICLES or w == "&" else "-".join(p.capitalize() for p in w.split("-"))
                    for w in words)


def _city_parts(city: str) -> dict[str, str]:
    """ "Boise ID" → city Boise, region ID; "Córdoba" → city Córdoba."""
    head, _, last = city.rpartition(" ")
    if head and last in US_STATES:
        return {"city": head, "region": last}
    return {"city": city}


def _after_person(text: str, start: int, ends: set[int]) -> bool:
    """Whether the run at ``start`` follows a person's name with only a connector between ("… van X")."""
    return any(0 <= start - end <= 40 and _AFFILIATION_GAP.fullmatch(text, end, start) for end in ends)


_CAPITAL = re.compile(r"[A-ZÀ-ÖØ-Þ]")
_LOWER = re.compile(r"[a-zà-öø-ÿ]")
#: the last connector inside a run: "… Ana Souza da | Souza Engenharia", "… Pieter de Vries van | De Vries …"
_LAST_CONNECTOR = re.compile(r"^(?P<left>.+\S)[ \t]+(?:da|de|di|do|del|della|van|von|of|from|bei)[ \t]+(?=\S)")


def _without_named_lead_in(run: str, start: int) -> tuple[str, int]:
    """ "Ligação da Ana Souza da Souza Engenharia" → "Souza Engenharia": a run holding a known first name, then a
    connector, then words with an organisation's noun or legal form, is a person (and the words before them)
    and their firm."""
    m = _LAST_CONNECTOR.match(run)
    if m is None:
        return run, start
    right = run[m.end() :]
    folded = {w.strip(".,").casefold() for w in right.split()}
    if len(right.split()) < 2 or not (folded & org_words() or legal_suffix_re().search(right)):
        return run, start
    if not any(is_first_name(w) for w in m["left"].split()[-3:]):
        return run, start
    return right, start + m.end()


def _sentence_cut(org: str) -> str:
    """The run up to a sentence's full stop: "Ridgeway Plastics. Budget approved" → "Ridgeway Plastics"."""
    pos = 0
    for word in org.split(" "):
        pos += len(word) + 1
        bare = word[:-1]
        if word.endswith(".") and "." not in bare and len(bare) >= 2 and bare.casefold() not in _ABBREVIATIONS \
                and not legal_suffix_re().fullmatch(word):
            return org[: pos - 2]
    return org


def _without_person(run: str, start: int, people: set[str]) -> tuple[str, int]:
    """ "Sra. Ximena García Márquez de Inmobiliaria Solaz" → "Inmobiliaria Solaz": what follows the person
    named first in the run, the longest reading there (and the connector after them): "LYLE DUNN FROM DUNN &
    HART MASONRY" with "Hart Masonry" misread as a person too keeps the firm."""
    folded = run.casefold()
    for at, person in sorted(((folded.find(p), p) for p in people if p in folded), key=lambda f: (f[0], -len(f[1]))):
        rest = _CONNECTOR.match(run, at + len(person))
        if rest and rest.end() < len(run):
            return run[rest.end() :], start + rest.end()
    return run, start


@Language.factory("leadbot_orgs", default_config={})
def make_orgs(nlp: Language, name: str) -> Orgs:
    return Orgs(name)
