"""Components ``leadbot_ner`` (a statistical model's entities as weak candidates) and ``leadbot_lead``
(candidates → one ``ExtractedLead`` on ``doc._.lead``).

Resolution: per field, equal values (case- and space-insensitive) pool their evidence — the best
confidence plus 0.05 for each further component that agrees — and the strongest value wins, the earliest
one on a tie; the others are kept as ``alternatives``. A person is resolved as a whole: the strongest
reading, completed by a weaker one that agrees on the first name and adds the surname (sign-off "Sylvie"
+ From "Sylvie Lelitre" → Sylvie Lelitre), then split with ``nameparser``. An address fills street, city,
region and postal code together from one reading.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable

from nameparser import HumanName
from spacy.language import Language
from spacy.tokens import Doc

from nlp.candidates import ADDRESS, PERSON, Candidate, add, candidates_of, layout_of
from nlp.company_evidence import firms_of_others
from nlp.names import clean_name
from nlp.referrals import owned_spans
from parsers.lead import ExtractedLead, FieldValue, RoleValue
from parsers.verify import NAME_PARTICLES, is_plain_name_word

_SIMPLE_FIELDS = ("email", "phone", "company", "country", "interest", "budget", "timeline", "message")
_ADDRESS_FIELDS = ("street", "city", "region", "postal_code")
_NER_FIELDS = {"PERSON": PERSON, "PER": PERSON, "ORG": "company", "MONEY": "budget", "DATE": "timeline",
               "TIME": "timeline"}
_NER_CONFIDENCE = {PERSON: 0.4, "company": 0.35, "budget": 0.35, "timeline": 0.3}
_MAX_ALTERNATIVES = 3
_CONTACT_OF_OTHERS = frozenset({"phone", "email", "company", ADDRESS})
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "phd", "md"})


class NerBridge:
    """Entities of a loaded model's NER, inside the prospect's body, as candidates weaker than any rule."""

    def __init__(self, name: str) -> None:
        self.source = f"nlp:{name}"

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        for ent in doc.ents:
            field = _NER_FIELDS.get(ent.label_)
            if field is None or not layout.in_region(ent.start_char, ent.end_char):
                continue
            value: str | None = ent.text.strip()
            if field == PERSON:
                value = clean_name(ent.text)
            if value:
                add(doc, Candidate(field, value, _NER_CONFIDENCE[field], self.source, ent.start_char))
        return doc


class Lead:
    def __call__(self, doc: Doc) -> Doc:
        text = layout_of(doc).text
        doc._.lead = assemble(firms_of_others(others_apart(candidates_of(doc), text), text))
        return doc


#: how far after a person a role cue named ("our partner Jake …") their own phone, email and firm may stand
_ROLE_REACH = 100
_CLAUSE_STOP = re.compile(r"[.!?;]\s|\)|\n")
#: the roles of a firm whose bracketed people and contacts are that firm's, not the lead's
_FIRM_ROLES = frozenset({"role:partner", "role:agent", "role:staff"})


def others_apart(candidates: list[Candidate], text: str) -> list[Candidate]:
    """The candidates with the contact details of someone a role cue named set apart: a phone, email or
    company right after "nuestro colaborador Ignacio Ferrer (Ferrer Seguros, 655 100 200)" is the partner's,
    kept with a ``role:`` flag and a low confidence so that it is only an alternative."""
    spans: list[tuple[int, int, str]] = []
    # "our partner Brightwave Consulting (Jonas Keller passed it on, jonas@…)": the people and contacts in the
    # brackets right after a firm a role cue named are that firm's
    asides: list[tuple[int, int, str]] = []
    for c in candidates:
        role = next((f for f in c.flags if f.startswith("role:")), None)
        if c.field == "company" and role in _FIRM_ROLES and c.start >= 0:
            after = c.start + len(c.value)
            if text[after : after + 2].lstrip().startswith("("):
                close = text.find(")", after)
                if 0 <= close <= after + _ROLE_REACH:
                    asides.append((after, close, role))
            continue
        if c.field != PERSON or role is None or c.start < 0:
            continue
        after = c.start + len(c.value)
        bracket = text[after : after + 2].lstrip().startswith("(")
        if bracket:
            close = text.find(")", after)
            end = close if 0 <= close <= after + _ROLE_REACH else after + _ROLE_REACH
        else:
            stop = _CLAUSE_STOP.search(text, after, after + _ROLE_REACH)
            end = stop.start() if stop else after + _ROLE_REACH
        # up to the next person named who is not someone else ("… Tom at Keystone: his buyer, Nadia Rahimi, 571-…");
        # in the brackets right after the name ("Ricardo Matos (Matos Consultoria, ricardo@…)") a firm read as
        # a name is no one else: only a person passed on ends them
        nxt = [o.start for o in candidates if o.field == PERSON and o.start > after
               and not any(f.startswith("role:") for f in o.flags)
               and not (bracket and o.start < end and not o.component.endswith(".referred"))]
        spans.append((c.start, min([end, *nxt]), role))
    spans += owned_spans(text, candidates)  # "Brenda's cell 555-…": the contact of someone set aside
    if not spans and not asides:
        return candidates
    out: list[Candidate] = []
    for c in candidates:
        role = next((r for s, e, r in spans if c.field in _CONTACT_OF_OTHERS and s < c.start <= e), None) or next(
            (r for s, e, r in asides if c.field in (*_CONTACT_OF_OTHERS, PERSON) and s < c.start <= e
             and not any(f.startswith("role:") for f in c.flags)), None)
        if role is not None:
            c = dataclasses.replace(c, confidence=min(c.confidence, 0.2), flags=(*c.flags, role))
        out.append(c)
    return out


def assemble(candidates: Iterable[Candidate]) -> ExtractedLead:
    """One lead from the candidates; values a role cue gave to someone else are its ``others``."""
    by_field: dict[str, list[Candidate]] = defaultdict(list)
    candidates_seen = list(candidates)
    for candidate in candidates_seen:
        by_field[candidate.field].append(candidate)
    fields: dict[str, FieldValue] = {}
    person = _resolve_person(by_field.get(PERSON, []))
    if person:
        fields.update(person)
    addresses = _own(by_field.get(ADDRESS, []))
    if addresses:
        best = max(addresses, key=_rank)
        for key in _ADDRESS_FIELDS:
            if best.parts.get(key):
                fields[key] = FieldValue(best.parts[key], best.component, round(best.confidence, 2), best.flags)
    for name in _SIMPLE_FIELDS:
        found = by_field.get(name, [])
        chosen = _resolve(_own(found) if name in _OWN_ONLY else found)
        if chosen:
            fields[name] = chosen
    company = fields.get("company")
    if company and person and company.value.casefold() == person["full_name"].value.casefold():
        del fields["company"]  # "Jamie Driver" read as an organisation is the person again
    interest, refs = fields.get("interest"), by_field.get("interest_ref", [])
    if interest and refs:
        ref = min(refs, key=lambda c: c.start).value
        if ref.split()[-1].casefold() not in interest.value.casefold():
            fields["interest"] = FieldValue(f"{interest.value} ({ref})", interest.source, interest.confidence,
                                            interest.flags, interest.alternatives)
    return ExtractedLead(fields, _role_values(candidates_seen))


#: fields only the lead's own value may fill: a partner's, a recipient's or a listing's firm or address is no
#: fallback when the lead gave none ("our partner Jake at Summit Realty" names no firm of the client's)
_OWN_ONLY = frozenset({"company"})


def _own(candidates: list[Candidate]) -> list[Candidate]:
    """The candidates no role cue gave to someone else."""
    return [c for c in candidates if not any(f.startswith("role:") for f in c.flags)]


def _rank(c: Candidate) -> tuple[float, int]:
    return c.confidence, -(c.start if c.start >= 0 else 1 << 30)


def _key(value: str) -> str:
    return " ".join(value.casefold().split())


def _resolve(candidates: list[Candidate]) -> FieldValue | None:
    if not candidates:
        return None
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        groups[_key(candidate.value)].append(candidate)
    scored: list[tuple[tuple[float, int], Candidate]] = []
    for group in groups.values():
        best = max(group, key=_rank)
        agreeing = len({c.component for c in group}) - 1
        confidence = min(0.99, best.confidence + 0.05 * agreeing)
        scored.append(((confidence, _rank(best)[1]), best))
    scored.sort(key=lambda item: item[0], reverse=True)
    (confidence, _), best = scored[0]
    alternatives = tuple(c.value for _, c in scored[1 : 1 + _MAX_ALTERNATIVES])
    return FieldValue(best.value, best.component, round(confidence, 2), best.flags, alternatives)


def _resolve_person(candidates: list[Candidate]) -> dict[str, FieldValue] | None:
    if not candidates:
        return None
    # a person a role cue names ("our partner Jake …") is someone else than the lead: kept as an alternative
    others = [c for c in candidates if any(f.startswith("role:") for f in c.flags)]
    candidates = [c for c in candidates if c not in others]
    if not candidates:
        return None
    ordered = sorted(candidates, key=_rank, reverse=True)
    best = ordered[0]
    value, confidence = best.value, best.confidence
    first = value.split()[0].casefold()
    for other in ordered[1:]:
        words = other.value.split()
        if words[0].casefold() != first:
            continue
        if len(words) > len(value.split()):
            value = other.value  # the sign-off's "Sylvie" completed by the From header's "Sylvie Lelitre"
        if _key(other.value) == _key(value) or len(words) > 1:
            confidence = min(0.99, confidence + 0.05)
    alternatives = tuple(dict.fromkeys(c.value for c in ordered if _key(c.value) != _key(value)))[
        :_MAX_ALTERNATIVES
    ] + tuple(f"{c.value} ({_role(c)})" for c in others)
    first_name, last = _split_name(value)
    confidence = round(confidence, 2)
    fields = {
        "full_name": FieldValue(value, best.component, confidence, (), alternatives),
        "first_name": FieldValue(first_name, best.component, confidence),
    }
    if last:
        fields["last_name"] = FieldValue(last, best.component, confidence)
    return fields


_ROLE_FIELDS = {PERSON: "full_name", ADDRESS: "street"}


def _role_values(candidates: list[Candidate]) -> tuple[RoleValue, ...]:
    """The partner's name, phone, email and firm ("our partner Jake …"), in reading order, once each."""
    out: dict[tuple[str, str], RoleValue] = {}
    for c in sorted(candidates, key=lambda c: c.start):
        role = next((f.partition(":")[2] for f in c.flags if f.startswith("role:")), None)
        if role:
            field = _ROLE_FIELDS.get(c.field, c.field)
            out.setdefault((field, _key(c.value)), RoleValue(field, c.value, role, c.component))
    return tuple(out.values())


def _role(candidate: Candidate) -> str:
    return next((f.partition(":")[2] for f in candidate.flags if f.startswith("role:")), "other")


def _split_name(value: str) -> tuple[str, str | None]:
    words = value.split()
    if len(words) == 1:
        return value, None
    if len(words) == 2 and words[1].casefold() not in _SUFFIXES:
        return words[0], words[1]  # the common case, without nameparser's ~0.2 ms
    if len(words) > 2 and is_plain_name_word(words[0]) and is_plain_name_word(words[-1]) and all(
            w in NAME_PARTICLES for w in words[1:-1]):
        return words[0], " ".join(words[1:])  # "Amelia van der Berg": nameparser's reading, without its ~0.15 ms
    parsed = HumanName(value)
    first = parsed.first or words[0]
    last = " ".join(p for p in (parsed.last, parsed.suffix) if p)
    return first, last or None


@Language.factory("leadbot_ner", default_config={})
def make_ner_bridge(nlp: Language, name: str) -> NerBridge:
    return NerBridge(name)


@Language.factory("leadbot_lead", default_config={})
def make_lead(nlp: Language, name: str) -> Lead:
    return Lead()
