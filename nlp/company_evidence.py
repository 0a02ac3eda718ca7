"""Evidence of whose a firm is and where its name ends, beside the readings of ``nlp.orgs``: a firm that passed
the lead on ("Mendoza Builders LLC referred him"), a place read as a firm ("I'm Pat from Tucson"), a labelled
firm whose line runs on into the request ("Company: Fischer Bau GmbH, braucht 2 Transporter"), and a run in a
note typed in capitals cut at its cue and at the verb after it ("DANIEL PRICE FROM PRICE & SONS PLUMBING
CALLED")."""

from __future__ import annotations

import dataclasses
import re
from functools import cache

from spacy.tokens import Doc

from nlp.candidates import PERSON, Candidate, candidates_of, layout_of
from nlp.email_names import agrees_with_email
from nlp.firm_runs import is_job_title
from nlp.lexicon import is_first_name, is_surname, legal_suffix_re, read_lines
from nlp.org_sides import PARTNER, agrees_domain, domain_cores
from nlp.places import is_city
from nlp.prose import PARTICLES, org_words
from nlp.referrals import owned_spans
from parsers.boilerplate import is_no_firm
from parsers.lead import ExtractedLead, FieldValue
from parsers.verify import is_placeholder

#: what joins a job title to a firm on a signature line: "Marketing Lead, Park & Lee Consulting", "CFO | X"
SIGNATURE_SPLIT = re.compile(r"\s+[|·•/]\s+|\s+[-–—]\s+|,\s+")


@cache
def _referrer_after() -> re.Pattern[str]:
    """A referral verb right after a firm's name (``patterns/firm_referrer_verbs.txt``)."""
    phrases = sorted(read_lines("firm_referrer_verbs.txt"), key=len, reverse=True)
    alt = "|".join(re.escape(p).replace(r"\ ", r"[ \t]+") for p in phrases)
    return re.compile(rf"(?i)[ \t]*,?[ \t]*(?:(?:has|had|just|also|kindly)[ \t]+)?(?:{alt})(?![\w])")


def referred_by(text: str, end: int) -> bool:
    """Whether the firm ending at ``end`` is the subject of a referral verb: the referrer's, not the lead's."""
    return _referrer_after().match(text, end) is not None


def is_place(org: str) -> bool:
    """ "Tucson", "San Antonio": a known city's name with nothing of a firm in it ("I'm Pat from Tucson")."""
    return is_city(org.strip(" .,")) and not legal_suffix_re().search(org)


def has_firm_noun(words: list[str]) -> bool:
    """A firm's noun among the words, singular or plural ("Brennan Hotels", "Copperline Clinics"; a plural that is
    a surname is none: "Iglesias")."""
    for word in words:
        w = word.strip(".,").casefold()
        if w in org_words() or (len(w) > 4 and w.endswith("s") and w[:-1] in org_words() and not is_surname(w)):
            return True
    return False


@cache
def _legal_forms() -> frozenset[str]:
    """The legal forms without their dots, case-folded ("srl", "inc", "gmbh"): "Rossi & Figli, s.r.l."."""
    return frozenset(s.replace(".", "").casefold() for s in read_lines("legal_suffixes.txt"))


#: the lead's own business named by its trade: "solar for her bakery Zahra Breads", "seine Werkstatt Auto Lenz",
#: "for his company (Ortega Roofing)"
_OWNER_BEFORE = re.compile(r"(?i)(?<![\w])(?:his|her|their|seine[nm]?|ihre[nm]?|sua|seu|son|sa|leur|zijn|haar)"
                           r"[ \t]+(?:own[ \t]+|new[ \t]+|small[ \t]+|family[ \t]+)?(?P<noun>[^\W\d_]+)"
                           r"(?:[ \t]+|[ \t]*[(:][ \t]*)$")


def owner_before(text: str, start: int, floor: int) -> bool:
    """Whether the run at ``start`` follows the lead's possessive and a firm's noun ("her bakery", "seine Praxis")."""
    m = _OWNER_BEFORE.search(text, max(floor, start - 40), start) or _OWNER_OF.search(
        text, max(floor, start - 40), start)
    return m is not None and (has_firm_noun([m["noun"]]) or m["noun"].casefold() in _business_words())


#: the lead owning a business named by its trade: "propriétaire du restaurant Le Petit Zinc", "owner of the bakery
#: Crumb & Co", "dueña del bar La Parra", "titolare della trattoria Da Nino"
_OWNER_OF = re.compile(
    r"(?i)(?<![\w])(?:owner|co-owner|propriétaire|proprietari[oa]|dueñ[oa]|titolare|inhaber(?:in)?|eigena(?:ar|resse)|"
    r"don[oa]|gérante?)[ \t]+(?:of|du|de|des|del|della|dello|dell['’]|vom|von|der|van|da|do|d['’])"
    r"(?:[ \t]*(?:the|la|le|l['’]|el|der|die|das|het|de|a|o)(?<!['’])[ \t]+|[ \t]*(?<=['’])|[ \t]+)"
    r"(?P<noun>[^\W\d_]+)(?:[ \t]+|[ \t]*[(:][ \t]*)$")


@cache
def _business_words() -> frozenset[str]:
    """Words for one's own business (``patterns/business_words.txt``), case-folded."""
    return frozenset(w.casefold() for w in read_lines("business_words.txt"))


def own_particle(words: list[str], surnames: set[str]) -> bool:
    """ "De Santis Arredamenti" for Giulia De Santis: a particle opening a firm's run is the lead's surname's own."""
    return len(words) > 2 and words[0].casefold() in PARTICLES and words[1].strip(".,").casefold() in surnames


#: where a labelled firm's line runs on into the note: a comma or a dash, then a word in lower case that is no
#: legal form ("Fischer Bau GmbH, braucht 2 Transporter", "Demir Gıda Ltd. - wants a cold room")
_RUN_ON = re.compile(r"[ \t]*(?:,|[ \t][-–—])[ \t]+(?=[^\W\d_]*[a-zß-öø-ÿ])(?P<rest>[^\W\d_][\w.'’-]*)")


def without_run_on(value: str) -> str:
    """A labelled firm's value up to the sentence it runs on into; "Adler, Pike & Moss, Inc." stays whole."""
    for m in _RUN_ON.finditer(value):
        rest = m["rest"]
        if rest[:1].islower() and rest.replace(".", "").casefold() not in _legal_forms():
            cut = value[: m.start()].rstrip(" ,-–—")
            return cut if sum(ch.isalpha() for ch in cut) >= 2 else value
    return value


#: a bracketed remark after a labelled firm: "N/A (individual)", "- (homeowner)"
_REMARK = re.compile(r"^(?P<head>[^()]*?)[ \t]*\((?P<remark>[^()]*)\)[ \t]*$")


def names_no_firm(value: str) -> bool:
    """ "N/A (individual)", "- (private)", "none (homeowner)": a placeholder or a word for no firm, with a remark."""
    m = _REMARK.match(value)
    return m is not None and (is_placeholder(m["head"]) or is_no_firm(m["head"])) and (
        not m["remark"].strip() or is_no_firm(m["remark"]) or is_placeholder(m["remark"]))


def labelled_firm_trimmed(lead: ExtractedLead) -> ExtractedLead:
    """The lead with its labelled company cut where it runs on (a note's "• Company: X, needs 14 fronts"), or
    without it when the label's answer names no firm ("Company: N/A (individual)")."""
    company = lead.fields.get("company")
    if company is None:
        return lead
    if names_no_firm(company.value):
        return lead.with_fields({k: v for k, v in lead.fields.items() if k != "company"})
    if (cut := without_run_on(company.value)) == company.value:
        return lead
    return lead.with_fields({**lead.fields, "company": dataclasses.replace(company, value=cut)})


#: in a note typed in capitals, the cue before a firm inside one run ("DANIEL PRICE FROM PRICE & SONS …")
_SHOUTED_CUE = re.compile(r"(?:^|[ \t])(?:FROM|AT|WITH|VON DER|VON|BEI DER|BEI|CHEZ|DE LA EMPRESA)[ \t]+")
#: "ROSA TREVIÑO OF TREVIÑO BROS": a person, "OF", their firm ("BANK OF AMERICA" stays whole)
_SHOUTED_OF = re.compile(r"[ \t]OF[ \t]+")
#: a verb or a word of the note that ends a shouted firm's run ("… PLUMBING CALLED", "… ROOFING ABOUT")
_SHOUTED_VERB = re.compile(r"[ \t]+(?:CALLED|CALLS|CALLING|RANG|PHONED|EMAILED|TEXTED|SAYS|SAID|ABOUT|REFERRED|"
                           r"ASKED|ASKS|TODAY|YESTERDAY|WANTED|NEEDED|LOOKING|RE|REGARDING|RIEF|LLAMÓ|LIGOU|"
                           r"APPELÉ|HAT|HABEN|IST)\b.*")


def shouted_firm(org: str, start: int) -> tuple[str, int]:
    """The firm inside a run of a note in capitals: after its last cue word (or after a person's name and
    "OF"), before the verb that follows it."""
    cues = list(_SHOUTED_CUE.finditer(org))
    if cues and cues[-1].end() < len(org):
        org, start = org[cues[-1].end() :], start + cues[-1].end()
    of = _SHOUTED_OF.search(org)
    if of and is_first_name(org.split()[0]) and len(org[: of.start()].split()) <= 3 and of.end() < len(org):
        org, start = org[of.end() :], start + of.end()
    return _SHOUTED_VERB.sub("", org), start


def firm_on_line(line: str, cores: set[str]) -> str | None:
    """The part of a signature line the mail domain spells ("Office Manager | Halverson Tool & Die" for
    @halversontool.com), not a job title; None for a line with digits or an address on it."""
    text = line.strip()
    words = [w for w in text.split() if any(ch.isalnum() for ch in w)]
    if not words or len(words) > 12 or "@" in text or any(ch.isdigit() for ch in text):
        return None  # "|", "&" and dashes join a title to a firm: they are no words of the line
    for part in SIGNATURE_SPLIT.split(text):
        part = part.strip()
        if len(part.split()) <= 6 and agrees_domain(part, cores) and not is_job_title(part.split()):
            return part
    return None


def with_signature_firm(lead: ExtractedLead, signature: str) -> ExtractedLead:
    """A direct mail's signature, cut off below its "-- " line, names the writer's firm when the lead's own
    email domain spells one of its lines ("Marketing Lead, Park & Lee Consulting" for @parkandlee.com)."""
    email = lead.fields.get("email")
    if not signature or email is None or "company" in lead.fields:
        return lead
    cores = domain_cores([email.value])
    for line in signature.splitlines()[:8] if cores else ():
        if firm := firm_on_line(line, cores):
            return lead.with_fields({**lead.fields, "company": FieldValue(firm, "nlp:orgs.signature", 0.65)})
    return lead


@cache
def _referral_from_cue() -> re.Pattern[str]:
    """A referral's head cue opening a firm's run ("Recomendación de Seguros Ortega S.L.", "Tip van De Vries
    Makelaardij"): the kind ``from`` of ``patterns/referral_cues.txt``."""
    phrases = [p.strip() for line in read_lines("referral_cues.txt") if line.partition("\t")[0].strip() == "from"
               for p in line.partition("\t")[2].split("|") if p.strip()]
    alt = "|".join(re.escape(p).replace(r"\ ", r"[ \t]+") for p in sorted(set(phrases), key=len, reverse=True))
    return re.compile(rf"(?i)(?:{alt})[ \t]+")


def set_referrers_aside(doc: Doc, first: int) -> None:
    """The firms this component read (from the ``first`` candidate on) inside a referral its referrer heads
    ("Recomendación de Seguros Ortega S.L.: cliente Pedro Lanza", "Tip van De Vries Makelaardij: mevrouw …"):
    the referrer's, set aside with ``role:partner`` and without the cue their run swallowed."""
    found = candidates_of(doc)
    if not any(c.field == "company" and not c.flags for c in found[first:]):
        return
    heads = [(s, e) for s, e, _role in owned_spans(layout_of(doc).text, []) if e > s]
    for i in range(first, len(found)) if heads else ():
        c = found[i]
        end = c.start + len(c.value)
        if c.field == "company" and not c.flags and c.start >= 0 and any(
                s - 40 <= c.start < e and end > s for s, e in heads):
            value, start = c.value, c.start
            if (cue := _referral_from_cue().match(value)) and cue.end() < len(value):
                value, start = value[cue.end() :], start + cue.end()
            found[i] = dataclasses.replace(c, value=value, start=start, confidence=0.2, flags=PARTNER)


_COMPACT = re.compile(r"[\W_]+")


def same_firm_aside(doc: Doc, first: int) -> None:
    """A firm named twice is one party's: when one mention of it was set aside with a role ("dealer: Lakeside
    Motors" … and the rep's signature "Lakeside Motors, Cleveland, OH"), so are the others. Two readings of the
    same mention are not two mentions: the one that found no role keeps its say."""
    found = candidates_of(doc)
    roles: dict[str, tuple[str, ...]] = {}
    starts: dict[str, set[int]] = {}
    for c in found[first:]:
        if c.field == "company" and any(f.startswith("role:") for f in c.flags):
            key = _COMPACT.sub("", c.value.casefold())
            roles[key] = c.flags
            starts.setdefault(key, set()).add(c.start)
    for i in range(first, len(found)) if roles else ():
        c = found[i]
        key = _COMPACT.sub("", c.value.casefold())
        if c.field == "company" and not c.flags and key in roles and c.start not in starts[key]:
            found[i] = dataclasses.replace(c, confidence=min(c.confidence, 0.2), flags=roles[key])


def person_end(text: str, person: Candidate) -> int:
    """Where a person's name read at ``person.start`` ends in the text (the value may be re-cased)."""
    end = person.start + len(person.value)
    if text[person.start : end].casefold() != person.value.casefold():
        words = person.value.split()
        last = text.find(words[-1], person.start) if words else -1
        if last < 0:
            found = text.casefold().find(words[-1].casefold(), person.start) if words else -1
            last = found
        end = last + len(words[-1]) if last >= 0 else end
    return end


#: between a person's name and the firm they are with, on one line: "Sunniva from X", "Dana Ruiz, X", "Ana | X",
#: "Petra Lenz (Inhaberin) von der X", "Greg is with X", "Jonas arbeitet bei X"
_HOLDER_GAP = re.compile(
    r"(?i)[ \t]*(?:\([^()\n]{0,40}\))?[ \t]*[,\-–—|/·•(]?[ \t]*(?:(?:is|works|worked|arbeitet|trabaja|trabalha|"
    r"travaille|lavora|werkt)[ \t]+)?(?:(?:from|of|at|with|for|@|de|del|da|do|di|du|des|van|von|von der|bei|bei der|"
    r"chez|aus|en|na|no|presso|bij|voor|für|para|pour|per)[ \t]+)?(?:(?:the|la|el|le|a|o|der|die|het)[ \t]+)?")
#: what parts a signature's lines below a name: a line break, a separator, a word joining a title to a firm
_SIGNATURE_PARTS = re.compile(
    r"[ \t]*(?:\n|[,|·•/–—]|[ \t]-[ \t]|[ \t](?:at|@|bei|chez|en|na|no|presso|bij)[ \t])[ \t]*")
#: how far below or after a person their firm may stand
_HOLDER_REACH = 80


def _holds(text: str, end: int, start: int) -> bool:
    """Whether the person's name ending at ``end`` holds the firm at ``start``: only a connector between them on
    one line ("Marisol from Keller Bay Homes", "Ana Ruiz | Ruiz Seguros"), or a signature's breaks and job title
    ("Kwabena Osei\nFinance Manager, Riverbend Honda", "Brent Oakley | Outside Sales | Summit Glass Co.")."""
    if not 0 <= start - end <= _HOLDER_REACH:
        return False
    gap = text[end:start]
    if _HOLDER_GAP.fullmatch(gap):
        return True
    if gap.count("\n") > 2 or "\n\n" in gap.replace(" ", ""):
        return False
    parts = [p for p in _SIGNATURE_PARTS.split(gap) if p.strip()]
    return all(is_job_title(p.split()) or _department_words() >= {w.casefold() for w in p.split()} for p in parts)


@cache
def _department_words() -> frozenset[str]:
    """A team's or desk's words on a signature line (``patterns/department_words.txt``), case-folded."""
    return frozenset(w.casefold() for w in read_lines("department_words.txt"))


#: the writer naming themselves and their firm: "it's Marisol from X", "Hey all, Sunniva from X here", "this is
#: Dana with X": the name, then where the firm starts
_CAPITALISED = r"[^\W\d_a-zß-öø-ÿ][\w'’-]+"
#: "from", "with", "von der", "de l'", "dello", "da", "van": between a writer's name and their firm
_AFFILIATION = (r"(?i:from|with|at|of|von|vom|bei|de|da|do|del|dello|della|dell['’]|du|des|chez|di|van|bij)"
                r"(?:[ \t]+|(?<=['’]))(?i:(?:der|die|la|el|the|l['’])[ \t]*)?")
_SELF_NAMED = re.compile(
    rf"(?:(?i:\b(?:it's|it’s|it is|this is|i'm|i’m|i am|hier ist|hier spricht|soy|aquí|je suis|c'est|ici|sono|"
    rf"qui è|sou|aqui é|ik ben)[ \t]+(?:(?:a|o|la|il)[ \t]+)?)"
    rf"(?P<name>{_CAPITALISED}(?:[ \t]+{_CAPITALISED}){{0,2}})"
    rf"[ \t]+{_AFFILIATION}"
    rf"|(?:^|(?<=[,.!:;])[ \t]+)(?P<here>{_CAPITALISED}(?:[ \t]+{_CAPITALISED})?)"
    rf"[ \t]+{_AFFILIATION}(?=(?:[^\W\d_a-zß-öø-ÿ][\w&'’.-]*[ \t]+){{1,5}}(?i:here|hier|aquí|aqui|ici|qui)\b)"
    # the note's sign-off: "Thanks! -- Jess @ Brightline Remodeling", "— Giada, Termoidraulica Rota Srl"
    rf"|(?:^|(?<=\s))(?:--|—|–)[ \t]*(?P<signed>{_CAPITALISED}(?:[ \t]+{_CAPITALISED})?)[ \t]*(?:[@,|][ \t]*|[ \t]"
    rf"{_AFFILIATION}))", re.M)
#: a writer's firm after their name, a firm's noun ("de l'agence Horizon Immobilier") up to two words before it
_FIRM_AFTER = re.compile(r"[ \t]*(?:[\w'’-]+[ \t]+){0,2}")


def _self_named(text: str) -> list[tuple[str, int, int]]:
    """The writers naming themselves with their firm in the text (see ``_SELF_NAMED``): each name, where it
    starts, and where the firm after it starts."""
    found = []
    for m in _SELF_NAMED.finditer(text):
        group = "name" if m["name"] else "here" if m["here"] else "signed"
        found.append((m[group], m.start(group), m.end()))
    return found


def _firm_at(text: str, writer: tuple[int, int], firm: Candidate) -> bool:
    """Whether the firm is the one a writer's name (starting at ``writer[0]``) and connector (ending at
    ``writer[1]``) introduce: it starts there, a firm's noun or two later ("c'est Amandine de l'agence Horizon
    Immobilier"), or its run swallowed the name ("aqui é a Jussara da Construtora Vale Verde")."""
    named, at = writer
    if text.startswith(firm.value, at):
        return True
    gap = _FIRM_AFTER.match(text, at)
    return gap is not None and named <= firm.start <= gap.end() and text.startswith(firm.value, firm.start)


def firms_of_others(candidates: list[Candidate], text: str) -> list[Candidate]:
    """The candidates with the firms that are someone else's than the lead's set aside (``role:other``): a
    firm right after or below a person who is not the lead ("Hi, it's Marisol from Keller Bay Homes. One of my
    sellers … Her name is Wanjiru Kamau": the realtor's), and a firm an email set aside as someone else's
    spells ("Realtor is Dana Whitcombe, dana@sandpiperrealty.com": Sandpiper Realty is hers), unless the lead's
    own email spells it too. The lead is the person read with most confidence that no role sets aside; a person
    read with little confidence ("Einkaufsleiter" above "Einkaufsleiter, Brenninkmeyer Logistik") holds no firm.
    A firm that is only the lead's own name is the person (``role:person``)."""
    own = [c for c in candidates if c.field == PERSON and not any(f.startswith("role:") for f in c.flags)]
    if not own or not any(c.field == "company" and not c.flags for c in candidates):
        return candidates
    lead = max(own, key=lambda c: (c.confidence, -(c.start if c.start >= 0 else 1 << 30)))
    words = {w.casefold() for w in lead.value.split()}
    held = [c for c in candidates if c.field == PERSON and c.start >= 0 and c.confidence >= 0.6
            and not is_job_title(c.value.split()) and not words & {w.casefold() for w in c.value.split()}
            and not _beside_lead(text, c.start, words)]
    ends = [person_end(text, c) for c in held]
    # "via Greg Patel — Mei Lin … Greg is with Patel Home Insurance": the first name again, later
    firsts = {c.value.split()[0] for c in held if len(c.value.split()) >= 2 and len(c.value.split()[0]) >= 3}
    ends += [m.end() for first in firsts for m in re.finditer(rf"(?<![\w'’-]){re.escape(first)}(?![\w'’-])", text)]
    emails = [c for c in candidates if c.field == "email"]
    # someone else's addresses: set aside, or spelled by another person's name ("kosei@riverbendhonda.com" is
    # Kwabena Osei's); the lead's own: the others
    others = [c.value for c in candidates if c.field == PERSON and c.confidence >= 0.6
              and not words & {w.casefold() for w in c.value.split()}]
    foreign = [c for c in emails if any(f.startswith("role:") for f in c.flags)
               or any(agrees_with_email(name, c.value) for name in others)]
    theirs = domain_cores(c.value for c in foreign)
    ours = domain_cores(c.value for c in emails if c not in foreign and not c.flags and c.confidence >= 0.6)
    writers = [(named, at) for name, named, at in _self_named(text)
               if not words & {w.casefold() for w in name.split()}]
    out = []
    for c in candidates:
        if c.field == "company" and not c.flags and _lead_named_only(c.value, lead.value):
            c = dataclasses.replace(c, confidence=min(c.confidence, 0.2), flags=("role:person",))
        elif c.field == "company" and not c.flags and not agrees_domain(c.value, ours) and (
                agrees_domain(c.value, theirs) or any(_firm_at(text, w, c) for w in writers) or (
                    c.start >= 0 and any(_holds(text, e, c.start) for e in ends))):
            c = dataclasses.replace(c, confidence=min(c.confidence, 0.2), flags=("role:other",))
        out.append(c)
    return out


#: a person named together with the one before them: "Priya Shah and Mark Lee from Finch Labs"
_JOINED = re.compile(r"(?i)(?P<last>[\w'’-]+)[ \t]*(?:\([^()\n]{0,30}\))?[ \t]*(?:,|and|&|und|y|e|et|en)[ \t]+$")


def _beside_lead(text: str, start: int, lead_words: set[str]) -> bool:
    """Whether the person at ``start`` is joined to the lead's name right before them ("Priya Shah (CTO) and Mark
    Lee from Finch Labs"): the firm after them is both of theirs."""
    m = _JOINED.search(text, max(0, start - 60), start)
    return m is not None and m["last"].casefold() in lead_words


_NAME_SPLIT = re.compile(r"[\s,.-]+")


def _lead_named_only(firm: str, lead: str) -> bool:
    """ "Marchetti-Lowe" for Priscilla Marchetti-Lowe ("Lead - Marchetti-Lowe, Priscilla / priscilla@marchettilowe…"):
    a firm made of the lead's own name's words, with no firm's noun or legal form, is the person."""
    words = [w for w in _NAME_SPLIT.split(firm.casefold()) if w]
    return bool(words) and set(words) <= {w for w in _NAME_SPLIT.split(lead.casefold()) if w} and not (
        has_firm_noun(firm.split()) or legal_suffix_re().search(firm))
