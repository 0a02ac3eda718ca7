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

from nlp.candidates import candidates_of, layout_of
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


#: the lead's own business named by its trade: "solar for her bakery Zahra Breads", "seine Werkstatt Auto Lenz"
_OWNER_BEFORE = re.compile(r"(?i)(?<![\w])(?:his|her|their|seine[nm]?|ihre[nm]?|sua|seu|son|sa|leur|zijn|haar)"
                           r"[ \t]+(?:own[ \t]+|new[ \t]+|small[ \t]+|family[ \t]+)?(?P<noun>[^\W\d_]+)[ \t]+$")


def owner_before(text: str, start: int, floor: int) -> bool:
    """Whether the run at ``start`` follows the lead's possessive and a firm's noun ("her bakery", "seine Praxis")."""
    m = _OWNER_BEFORE.search(text, max(floor, start - 40), start)
    return m is not None and has_firm_noun([m["noun"]])


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
