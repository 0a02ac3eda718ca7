"""Verifying and normalising the fields of one lead.

Rules, in order:

- Placeholders are not values: "Unknown", "N/A", "FirstName LastName", Cloudflare's "[email protected]"
  obfuscation and the like are dropped.
- An email typed into a name or phone field is an email (moved there when the email field is empty).
- Emails are checked with email-validator (syntax; DNS only when configured). A failing address is kept
  with the flag ``invalid_email``; a valid one gets its normalised form in ``FieldValue.normalized``.
- Phones are parsed with phonenumbers in the configured default region; valid numbers get E.164 in
  ``normalized``; anything else is kept with the flag ``invalid_phone``. The value stays as written.
- Names: explicit fields are kept as given. A missing first/last is split from the full name
  (nameparser); a missing full name is joined from first and last. When an explicit full name disagrees
  with explicit first/last names, both are kept, the full name is flagged ``name_conflict`` and each
  side records the other as an alternative.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import email_validator
import phonenumbers
from nameparser import HumanName
from nameparser.config import CONSTANTS

from parsers.address import parse_locality
from parsers.boilerplate import clean_message, is_no_answer, is_no_firm, is_no_plan
from parsers.fields import clean_value
from parsers.lead import FIELD_NAMES, ExtractedLead, FieldValue
from parsers.patterns import EMAIL, PHONE_RUN, looks_like_date_or_time

_PLACEHOLDER_WORDS = frozenset({
    "unknown", "n/a", "na", "n.a.", "none", "null", "nil", "undefined", "-", "--", "---", "?", ".", "x", "xx",
    "xxx", "name", "firstname", "lastname", "fullname", "not provided", "not specified",
    "not available", "no name", "noname", "k.a.", "k. a.", "keine angabe", "unbekannt", "desconocido",
    "sin nombre", "no informado", "sin datos", "email protected", "[email protected]", "[email\xa0protected]",
    "test@test", "tbd", "anonymous", "anonym", "anonimo",
})
_PLACEHOLDER_PHRASES = frozenset({
    "first name", "last name", "full name", "your name", "first name last name", "firstname lastname",
    "name surname", "vorname nachname", "nombre apellido", "email protected", "email address", "your email",
    "phone number", "your phone",
})
_EMAIL = EMAIL
_PHONE_RUN = PHONE_RUN
_EXTENSION = re.compile(r"\s*[,;]?\s*(?:x|ext\.?|extension|durchwahl|dw\.?|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
#: forms of address and titles written before a name ("Herr Jonas Brückner", "Dr. Katharina Müller")
_HONORIFIC = re.compile(
    r"^(?:(?:mr|mrs|ms|mx|miss|dr|prof|herr|frau|hr|fr|sr|sra|srta|do[nñ]a|dott|dott\.ssa|ing|mag|dipl|mevrouw|"
    r"meneer|mevr|dhr|mw|hr|sig|sig\.ra|signor|signora|sig\.na|madame|monsieur|mme|mlle|sr\.a|senhor|senhora|"
    r"eng|arq|lic)\.?\s+)+"
    r"(?=[^\W\d_])",
    re.IGNORECASE,
)
#: surname particles: a "middle name" holding one belongs to the surname
_PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "do", "dos", "das", "du", "la",
                        "le", "ten", "ter", "zu", "y", "e", "st", "mac", "bin", "al"})
#: longest value a field may hold (longer is a form's garbage or a hostile input, not a value)
_MAX_LENGTH = {"first_name": 100, "last_name": 100, "full_name": 160, "email": 254, "phone": 60, "company": 200,
               "street": 300, "city": 120, "region": 120, "postal_code": 20, "country": 80, "interest": 1000,
               "budget": 300, "timeline": 300, "message": 20_000}
_NAME_FIELDS = frozenset({"full_name", "first_name", "last_name"})
#: words a form echoes where a name should be: a field holding only these is no name ("first", "Nome")
_LABEL_ECHOES = frozenset({
    "first", "last", "name", "names", "firstname", "lastname", "fullname", "surname", "unknown", "anonymous",
    "none", "null", "na", "n/a", "nome", "sobrenome", "nom", "prenom", "prénom", "cognome", "naam", "voornaam",
    "achternaam", "vorname", "nachname", "nombre", "apellido", "apellidos", "your", "my",
})
#: defaults' and roles' words: no name when every name word of the lead is one of these. Testers' words
#: ("Test Test", "asdf") stay: they are a name as typed, and the assessor grades them as a test entry.
_NAME_FILLERS = frozenset({
    "customer", "client", "lead", "user", "guest",
    "visitor", "prospect", "buyer", "cliente", "kunde", "klant", "contact", "contacto", "contato", "the", "mr",
    "mrs", "ms", "dr",
    # "Unknown Caller", "Website Visitor", "Anonymous": nobody's name, in the seven languages
    "unknown", "caller", "website", "anonymous", "unbekannt", "anrufer", "anonym", "desconocido", "anónimo",
    "anonimo", "desconhecido", "anônimo", "inconnu", "anonyme", "sconosciuto", "onbekend", "anoniem", "beller",
})
#: a tester's words: kept as typed, but no evidence that a form's echo beside them is a mistake
_TESTER_WORDS = frozenset({"test", "testing", "tester", "asdf", "qwerty", "abc", "xxx", "dummy", "sample"})
_SALUTATIONS = frozenset({"mr", "mrs", "ms", "herr", "frau", "sr", "sra", "senor", "señor", "senora", "señora"})
_NON_WORD = re.compile(r"[^\w@.+\- ]+")
_LEGAL = re.compile(r"\b(?:llc|inc|ltd|gmbh|ag|corp|co|s\.?a\.?|s\.?l\.?|kg|ug|plc|lp|llp)\b\.?$", re.IGNORECASE)


def contact_phone(phone: str | None, region: str) -> str | None:
    """The E.164 form contacts are matched on: any *possible* number (a lenient key, unlike the validity
    check that flags a lead's phone); None when the text is no phone number at all."""
    if not phone:
        return None
    try:
        parsed = phonenumbers.parse(phone, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_placeholder(value: str) -> bool:
    """True for portal placeholders that stand where a value should be."""
    folded = " ".join(_NON_WORD.sub(" ", value.casefold()).split())
    if not folded:
        return True
    if value.strip().casefold() in _PLACEHOLDER_WORDS or folded in _PLACEHOLDER_WORDS:
        return True
    if folded in _PLACEHOLDER_PHRASES:
        return True
    return all(w in _PLACEHOLDER_WORDS for w in folded.replace(".", " ").split())


def is_name_placeholder(value: str) -> bool:
    """A form's label echoed where a person's name should be ("first", "Name", "Nome")."""
    words = _words(value)
    return bool(words) and all(w in _LABEL_ECHOES for w in words)


def _drop_filler_names(fields: dict[str, FieldValue]) -> None:
    """"Guest User", "first last", "Customer": when every name word is a filler (or every one a label's echo),
    the lead has no name. A field that only echoes a label ("First name: first") beside a real name is
    dropped alone ("first" / "Kowalski" → "Kowalski"). A mix of echoes and fillers ("First" / "Test") is
    kept: it may be a real, if odd, entry."""
    words = [w for n in _NAME_FIELDS if n in fields for w in _words(fields[n].value)]
    if not words:
        return
    if all(w in _NAME_FILLERS for w in words) or all(w in _LABEL_ECHOES for w in words):
        for n in _NAME_FIELDS:
            fields.pop(n, None)
        return
    real = [w for w in words if w not in _NAME_FILLERS and w not in _LABEL_ECHOES and w not in _TESTER_WORDS]
    if not real:
        return
    for n in ("first_name", "last_name"):
        fv = fields.get(n)
        if fv is not None and is_name_placeholder(fv.value):
            del fields[n]
            full = fields.get("full_name")
            if full is not None:
                kept = " ".join(w for w in full.value.split() if not is_name_placeholder(w))
                if kept:
                    fields["full_name"] = replace(full, value=kept)
                else:
                    del fields["full_name"]


#: the fields a form asks the prospect about, where "Not sure" is no answer
_ANSWERED = frozenset({"timeline", "budget", "interest"})


def finalize(lead: ExtractedLead, *, default_region: str = "US", check_deliverability: bool = False) -> ExtractedLead:
    """Verify and complete one lead's fields (pure apart from DNS when ``check_deliverability``)."""
    fields: dict[str, FieldValue] = {}
    for name, fv in lead.fields.items():
        multiline = name == "message"
        value = clean_value(fv.value, multiline=multiline)
        if not value or is_placeholder(value) or len(value) > _MAX_LENGTH.get(name, 5000):
            continue  # a 100,000-character "name" is no name (and would cost nameparser seconds)
        if name in _ANSWERED and is_no_answer(value):
            continue  # "Timeframe: Not sure" gives no timeline
        if name == "timeline" and is_no_plan(value):
            continue  # "Urgency: Normal", "Timing: Morning": a priority or a call window
        if name == "company" and is_no_firm(value):
            continue  # "Company: Private", "Firma: Privatperson": a person, no firm
        if name == "message":
            own = clean_message(value)
            if own is None:
                # "Voicemail: Yes (0:22)" says nothing; the transcript read beside it may be their words
                own = next((kept for alt in fv.alternatives if (kept := clean_message(alt))), None)
                if own is None:
                    continue
                fv = replace(fv, alternatives=tuple(a for a in fv.alternatives if clean_message(a) != own))
            value = own
        fields[name] = replace(fv, value=value) if value != fv.value else fv
    _drop_filler_names(fields)
    _split_locality(fields)
    _move_misplaced_emails(fields)
    _move_phones_out_of_names(fields)
    _verify_email(fields, check_deliverability)
    _verify_phone(fields, default_region)
    _complete_names(fields)
    return lead.with_fields({k: fields[k] for k in sorted(fields, key=_order)})


#: a city value that holds more than a city: a separator, a bracket, a code or a postcode beside it
_COMPOUND_CITY = re.compile(r"\d|[-/,(]\s*[A-Z]{2}\b|\(|\s[A-Z]{2}$")


def _split_locality(fields: dict[str, FieldValue]) -> None:
    """"Campinas - SP", "Torino (TO)", "80331 München", "Lyon 69003" under a city label: the city, and the
    region or postcode written beside it where the lead has none or the same."""
    city = fields.get("city")
    if city is None or not _COMPOUND_CITY.search(city.value):
        return
    parts = parse_locality(city.value)
    if not parts.get("city") or parts["city"] == city.value:
        return
    for key, name in (("region", "region"), ("postal", "postal_code")):
        value = parts.get(key)
        if not value:
            continue
        had = fields.get(name)
        if had is not None and had.value.replace(" ", "").casefold() != value.replace(" ", "").casefold():
            return  # the lead's own region or postcode says otherwise: leave the city as written
    fields["city"] = replace(city, value=parts["city"]).with_alternative(city.value)
    for key, name in (("region", "region"), ("postal", "postal_code")):
        if parts.get(key) and name not in fields:
            fields[name] = FieldValue(parts[key], city.source, city.confidence * 0.95)


def _order(name: str) -> int:
    return FIELD_NAMES.index(name) if name in FIELD_NAMES else len(FIELD_NAMES)


def _move_misplaced_emails(fields: dict[str, FieldValue]) -> None:
    for name in ("full_name", "first_name", "last_name", "phone", "company"):
        fv = fields.get(name)
        if fv is None:
            continue
        m = _EMAIL.search(fv.value)
        if not m:
            continue
        if "email" not in fields:
            fields["email"] = FieldValue(m.group(0), fv.source, fv.confidence * 0.9, ("moved_from_" + name,))
        rest = clean_value(fv.value.replace(m.group(0), " ").strip(" <>()[],;"))
        if rest and not is_placeholder(rest) and name != "phone":
            fields[name] = replace(fv, value=rest)
        elif name == "phone" and _PHONE_RUN.search(rest):
            fields[name] = replace(fv, value=_PHONE_RUN.search(rest).group(0).strip())  # type: ignore[union-attr]
        else:
            del fields[name]


def _move_phones_out_of_names(fields: dict[str, FieldValue]) -> None:
    """ "Contact: Gareth Pryce (512) 555-0123": a name field that runs on into a phone number ends before it; the
    number is the phone when none was given apart."""
    for name in ("full_name", "first_name", "last_name"):
        fv = fields.get(name)
        m = _PHONE_RUN.search(fv.value) if fv is not None else None
        if fv is None or m is None or sum(c.isdigit() for c in m.group(0)) < 7:
            continue
        if "phone" not in fields:
            fields["phone"] = FieldValue(m.group(0).strip(), fv.source, fv.confidence * 0.9, ("moved_from_" + name,))
        rest = fv.value[: m.start()].strip(" -–—,;:/|")
        if rest:
            fields[name] = replace(fv, value=rest)
        else:
            del fields[name]


def _verify_email(fields: dict[str, FieldValue], check_deliverability: bool) -> None:
    fv = fields.get("email")
    if fv is None:
        return
    raw = fv.value.strip()
    if raw.casefold().startswith("mailto:"):
        raw = raw[7:]
    m = _EMAIL.search(raw)
    value = m.group(0).strip(".") if m else raw
    if check_deliverability:
        try:
            normalized: str | None = email_validator.validate_email(value, check_deliverability=True).normalized
        except email_validator.EmailNotValidError:
            normalized = None
    else:
        normalized = _email_syntax(value)
    if normalized is None:
        fields["email"] = replace(fv, value=value).with_flag("invalid_email")
        return
    fields["email"] = replace(fv, value=value, normalized=normalized)


@lru_cache(maxsize=8192)
def _email_syntax(value: str) -> str | None:
    """The normalised address, or None when its syntax is invalid (no DNS: a pure function, so cached)."""
    try:
        return str(email_validator.validate_email(value, check_deliverability=False).normalized)
    except email_validator.EmailNotValidError:
        return None


@lru_cache(maxsize=8192)
def _e164(value: str, region: str) -> str | None:
    """E.164 of a valid number, or None (phonenumbers' metadata is fixed per process, so cached)."""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


#: between two numbers in one phone field: " / ", " | ", ";", ",", " or " (in our seven languages)
_PHONE_SEPARATOR = re.compile(r"[ \t]+[/|][ \t]+|[;,][ \t]*|[ \t]+(?:or|oder|o|ou|of|oppure)[ \t]+", re.IGNORECASE)


def _verify_phone(fields: dict[str, FieldValue], default_region: str) -> None:
    fv = fields.get("phone")
    if fv is None:
        return
    if looks_like_date_or_time(fv.value):
        del fields["phone"]  # a date or time under a phone-ish label ("Called: 2018-02-19 08") is no number
        return
    numbers = [p for p in _PHONE_SEPARATOR.split(fv.value) if len(re.sub(r"\D", "", p)) >= 7]
    if len(numbers) >= 2:
        # "(21) 99876-5432 / (21) 2555-0101": two numbers in one field; the first listed is the lead's phone
        fv = replace(fv, value=numbers[0].strip())
    m = _PHONE_RUN.search(fv.value)
    value = m.group(0).strip() if m else fv.value.strip()
    if m and len(value) < len(fv.value.strip()) and not re.search(r"[A-Za-z]{3,}", fv.value):
        value = fv.value.strip()
    ext = _EXTENSION.search(value)
    if ext and len(re.sub(r"\D", "", value[: ext.start()])) >= 7:
        # the extension is kept as a flag: the number itself is what a phone field holds
        value = value[: ext.start()].strip()
        fv = fv.with_flag(f"extension {ext.group(1)}")
    digits = re.sub(r"\D", "", value)
    if len(digits) < 5:
        fields["phone"] = replace(fv, value=value).with_flag("invalid_phone")
        return
    e164 = _e164(value, default_region.upper())
    if e164 is None:
        fields["phone"] = replace(fv, value=value).with_flag("invalid_phone")
        return
    fields["phone"] = replace(fv, value=value, normalized=e164)


def _words(value: str) -> list[str]:
    return [w for w in _NON_WORD.sub(" ", value.casefold()).replace(".", " ").split() if w]


#: "E. (Eline) Bakker": initials with the calling name in brackets
_CALLING_NAME = re.compile(r"^(?:[^\W\d_]\.\s*)+\((?P<name>[^\W\d_][\w'\-]+)\)\s+")


@dataclass(frozen=True, slots=True)
class NameParts:
    first: str
    middle: str
    last: str


#: one word of a plain name: letters, inner hyphens and apostrophes ("Anne-Marie", "O'Neil")
_PLAIN_NAME_WORD = re.compile(r"^[^\W\d_]+(?:['’-][^\W\d_]+)*$")
#: words that make nameparser's reading differ from "first last": titles, suffixes, particles, conjunctions
_NAMEPARSER_WORDS = frozenset(w.casefold() for group in (
    CONSTANTS.titles, CONSTANTS.suffix_acronyms, CONSTANTS.suffix_not_acronyms, CONSTANTS.prefixes,
    CONSTANTS.conjunctions) for w in group)


#: the particles nameparser joins to the surname that follows ("van der Berg", "de Souza"): plain lower-case words
NAME_PARTICLES = frozenset(w for w in (p.casefold() for p in CONSTANTS.prefixes) if w.isalpha() and w.isascii())


def is_plain_name_word(word: str) -> bool:
    """A word nameparser reads as a plain name part: letters (inner hyphens, apostrophes), no title, suffix,
    particle or conjunction."""
    return bool(_PLAIN_NAME_WORD.match(word)) and word.casefold() not in _NAMEPARSER_WORDS


@lru_cache(maxsize=8192)
def human_name(text: str) -> NameParts:
    """nameparser's reading of a name. Two plain words that are no title, suffix, particle or conjunction are
    read "first last" directly (what nameparser answers for them, at a hundredth of the cost: building a
    ``HumanName`` takes about half a millisecond, the largest per-message cost of verification)."""
    words = text.split()
    if len(words) == 2 and all(_PLAIN_NAME_WORD.match(w) and w.casefold() not in _NAMEPARSER_WORDS for w in words):
        return NameParts(words[0], "", words[1])
    parsed = HumanName(text)
    return NameParts(str(parsed.first), str(parsed.middle), str(parsed.last))


def _strip_honorifics(fields: dict[str, FieldValue]) -> None:
    for name in ("full_name", "first_name"):
        fv = fields.get(name)
        if fv is None:
            continue
        stripped = _HONORIFIC.sub("", fv.value).strip()
        stripped = _CALLING_NAME.sub(lambda m: m["name"] + " ", stripped)
        if stripped and stripped != fv.value and len(stripped.split()) >= (2 if name == "full_name" else 1):
            fields[name] = replace(fv, value=stripped)
        elif _words(fv.value) and all(w in _SALUTATIONS for w in _words(fv.value)):
            del fields[name]  # only "Herr" / "Mrs." (a salutation field read as a name)


_SURNAME_FIRST = re.compile(r"^(?P<last>[^\W\d_][\w'\-]*(?: [^\W\d_][\w'\-]*)?),\s*(?P<first>[^\W\d_][\w.'\-]*"
                            r"(?: [^\W\d_][\w.'\-]*)?)$")
_NAME_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "md", "phd", "esq", "dds", "cpa"})


def _surname_first(fields: dict[str, FieldValue]) -> None:
    """"Beauregard, Lamar" (a CRM's or caller ID's surname-first order) is the person "Lamar Beauregard"."""
    full = fields.get("full_name")
    if full is None:
        return
    m = _SURNAME_FIRST.match(full.value.strip())
    if not m or _LEGAL.search(full.value) or m["first"].casefold().strip(".") in _NAME_SUFFIXES:
        return
    first, last = m["first"], m["last"]
    if " " in first and first.rsplit(" ", 1)[1].casefold().strip(".") in _NAME_SUFFIXES:
        # "O'SHEA, DENNIS JR.": the suffix goes with the surname ("Dennis O'Shea Jr.")
        first, suffix = first.rsplit(" ", 1)
        last = f"{last} {suffix}"
    fields["full_name"] = replace(full, value=f"{first} {last}").with_alternative(full.value)
    fields.setdefault("first_name", FieldValue(first, full.source, full.confidence * 0.9))
    fields.setdefault("last_name", FieldValue(last, full.source, full.confidence * 0.9))


def _surname_shaped(value: str) -> bool:
    """One word, or two in capitals or after a particle ("LE GOFF", "de Vries"): how forms write a surname."""
    words = value.split()
    return len(words) == 1 or (len(words) == 2 and (value.isupper() or words[0].casefold() in _PARTICLES))


def _complete_names(fields: dict[str, FieldValue]) -> None:
    _strip_honorifics(fields)
    _surname_first(fields)
    full, first, last = fields.get("full_name"), fields.get("first_name"), fields.get("last_name")
    if full and _LEGAL.search(full.value) and "company" not in fields and not (first or last):
        fields["company"] = replace(full, source=full.source)
        del fields["full_name"]
        return
    if full and last and not first and len(full.value.split()) <= 2 and not set(_words(full.value)) & set(
            _words(last.value)):
        # "Nombre: Inés / Apellidos: Carvajal Rey", "Nombre: Gabriel José / Apellidos: García Márquez": a "name" of
        # one or two words sharing none with the last name beside it is the first name
        fields["first_name"] = full
        fields["full_name"] = FieldValue(f"{full.value} {last.value}", full.source, full.confidence * 0.95)
        return
    if full and first and not last and _surname_shaped(full.value) and _words(full.value) != _words(first.value) and (
            _words(first.value)[:1] and _words(first.value)[0] not in _words(full.value)):
        # "Nom: Dupont / Prénom: Claire": a one-word "name" beside a first name is the surname
        fields["last_name"] = full
        fields["full_name"] = FieldValue(f"{first.value} {full.value}", full.source, full.confidence * 0.95)
        return
    if full and (first or last):
        full_words = _words(full.value)
        disagree = (first and _words(first.value)[:1] and _words(first.value)[0] not in full_words) or (
            last and _words(last.value)[-1:] and _words(last.value)[-1] not in full_words
        )
        if disagree:
            joined = " ".join(p.value for p in (first, last) if p)
            fields["full_name"] = full.with_alternative(joined).with_flag("name_conflict")
            if first:
                fields["first_name"] = first.with_alternative(full.value)
            if last:
                fields["last_name"] = last.with_alternative(full.value)
        return
    if full and not first and not last:
        parsed = human_name(full.value)
        src = f"{full.source}+nameparser"
        surname: str = parsed.last
        if parsed.middle and surname and ("-" in parsed.middle or any(w.casefold() in _PARTICLES
                                                                    for w in re.split(r"[\s-]+", parsed.middle))):
            surname = f"{parsed.middle} {surname}".replace("- ", "-")  # "Bakker-de Vries", "van der Berg"
        if parsed.first:
            fields["first_name"] = FieldValue(parsed.first, src, full.confidence * 0.9)
        if surname and surname != parsed.first:
            fields["last_name"] = FieldValue(surname, src, full.confidence * 0.9)
        return
    if not full and (first or last):
        # a single full name typed into the first-name field: split it
        if first and not last and len(first.value.split()) >= 2:
            parsed = human_name(first.value)
            fields["full_name"] = replace(first, confidence=first.confidence * 0.9)
            fields["first_name"] = replace(first, value=parsed.first or first.value)
            if parsed.last:
                fields["last_name"] = FieldValue(parsed.last, f"{first.source}+nameparser", first.confidence * 0.9)
            return
        joined = " ".join(p.value for p in (first, last) if p)
        src = (first or last).source  # type: ignore[union-attr]
        fields["full_name"] = FieldValue(joined, src, min(p.confidence for p in (first, last) if p) * 0.95)
