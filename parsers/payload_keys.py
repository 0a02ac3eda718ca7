"""What a payload's own key or value says a field is, where the label dictionaries do not know the key as
written: keys run together ("mobilephone"), a form plugin's generated keys ("tel-123", "text-company"), an
answer that is nothing but an email or a phone number, and a name written with its contacts in one value."""

from __future__ import annotations

import re

from parsers.fields import Collector
from parsers.json_shapes import phone_shaped
from parsers.labels.dictionary import norm_label
from parsers.labels.lookup import lookup_label
from parsers.patterns import EMAIL, PHONE_RUN

_EMAIL_ONLY = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def shaped_contact(value: str) -> str | None:
    """"email" or "phone" for an answer that is nothing but an email address or a phone number."""
    text = value.strip()
    if _EMAIL_ONLY.fullmatch(text):
        return "email"
    return "phone" if phone_shaped(text) and len(text) <= 24 else None


#: a form plugin's input type written into its field names ("tel-123", "text-company", "textarea-417")
_INPUT_TYPES = frozenset({"text", "textarea", "tel", "email", "menu", "select", "radio", "checkbox", "number", "input",
                          "field", "url", "date"})


#: words after a field's name saying how its value is written ("caller_number_format", "phone_e164")
_FORMAT_WORDS = frozenset({"format", "formatted", "display", "e164", "pretty", "raw", "formatiert", "formateado",
                           "formatado", "formattato", "formate", "opgemaakt"})


def input_named(words: list[str]) -> tuple[str, int] | None:
    """The field a plugin's generated key names: its number dropped ("tel 123" → "tel"), then its input type
    ("text company" → "company"); a word saying how the value is written goes too ("caller number format")."""
    while len(words) > 1 and (words[-1].isdigit() or words[-1] in _FORMAT_WORDS):
        words = words[:-1]
    found = lookup_label(" ".join(words))
    if found is None and len(words) > 1 and words[0] in _INPUT_TYPES:
        found = lookup_label(" ".join(words[1:]))
    return found


_LINE_SEPARATORS = " \t,;|/·•–—-<>()[]"


def contact_line(value: str) -> list[tuple[str, str]] | None:
    """A name written with its email or phone in one value ("Bartosz Wilk, bw@example.pl, +48 600 555 014",
    "Ann Lee <ann@example.com>") as (slot, value) parts, or None when the value holds neither."""
    if len(value) > 160 or not ("@" in value or sum(ch.isdigit() for ch in value) >= 7):
        return None
    parts: list[tuple[str, str]] = []
    rest = value
    if (email := EMAIL.search(rest)) is not None:
        parts.append(("email", email.group(0)))
        rest = rest[:email.start()] + " , " + rest[email.end():]
    phone = next((m for m in PHONE_RUN.finditer(rest) if phone_shaped(m.group(0).strip())), None)
    if phone is not None:
        parts.append(("phone", phone.group(0).strip()))
        rest = rest[:phone.start()] + " , " + rest[phone.end():]
    if not parts:
        return None
    chunks = [c.strip(_LINE_SEPARATORS) for c in re.split(r"\s*[,;|\n]\s*", rest)]
    name = " ".join(c for c in chunks if c)
    if name and any(ch.isalpha() for ch in name) and len(name.split()) <= 5 and not any(ch.isdigit() for ch in name):
        parts.insert(0, ("full_name", name))
    return parts


def run_together(key: str, found: tuple[str, int] | None) -> tuple[str, int] | None:
    """``found``, or for a key of one word that names nothing the label its two run-together words name
    ("mobilephone", "zipcode", "telefoonnummerklant" → "mobile phone", "zip code", …)."""
    if found is not None:
        return found
    word = norm_label(key)
    if " " in word or not 7 <= len(word) <= 30 or not word.isalpha():
        return None
    return next((hit for i in range(3, len(word) - 2) if (hit := lookup_label(f"{word[:i]} {word[i:]}")) is not None),
                None)


#: words of a form's, a page's or a campaign's own name, never of a person's
_PAGE_WORDS = frozenset({
    "page", "landing", "form", "forms", "formulario", "formular", "formulaire", "formulier", "modulo", "request",
    "quote", "promo", "promotion", "campaign", "website", "webinar", "newsletter", "signup", "demo", "offerte",
    "angebot", "anfrage", "presupuesto", "orcamento", "contato", "contacto", "kontakt", "contact", "contatti",
    "enquiry", "inquiry", "solicitud", "aanvraag"})
#: "Contact us", "Kontaktieren Sie uns", "Contáctenos": addressed to the business
_TO_US = frozenset({"us", "uns", "nos", "nous", "ons", "noi", "contactenos", "contactanos"})


def names_a_page(value: str) -> bool:
    """Whether a bare ``name`` value is a form's or a page's name ("Spring Promo Landing Page", "Contact Us",
    "Request a quote"), not a person's: three or more words one of which is such a word, or a call to "us"."""
    words = norm_label(value).split()
    return bool(set(words) & _TO_US) or (len(words) >= 3 and bool(set(words) & _PAGE_WORDS))


#: objects of a firm in seven languages: their bare ``name`` ("firma": {"name": …}) is the firm's, not a person's
_FIRM_OBJECTS = frozenset({
    "company", "organization", "organisation", "firm", "employer", "firma", "unternehmen", "arbeitgeber", "empresa",
    "organizacion", "organizacao", "empleador", "entreprise", "societe", "employeur", "azienda", "societa",
    "organizzazione", "bedrijf", "organisatie", "werkgever", "onderneming"})


def firm_name(key_tokens: list[str], parent_tokens: list[str]) -> tuple[str, int] | None:
    """("company", rank) for a firm object's bare name key ("unternehmen": {"name": …}, "bedrijf": {"naam": …})."""
    if len(key_tokens) != 1 or not set(parent_tokens) & _FIRM_OBJECTS:
        return None
    own = lookup_label(key_tokens[0])
    return ("company", own[1]) if own is not None and own[0] == "full_name" else None


#: a phone key's value that is only a country's dialling code ("phone_country_code": "+33")
_DIAL_CODE = re.compile(r"\s*(?:\+|00)?([1-9]\d{0,2})\s*")
_NATIONAL = re.compile(r"\s*\(?\d")


def join_dial_codes(col: Collector) -> None:
    """A dialling code given under its own phone key ("phone_country_code": "+33" beside "phone": "6 12 …") is
    the country of the number beside it: written in front of it (its trunk 0 dropped, but Italy's), not a phone."""
    codes = [(c, m.group(1)) for c in col.items if c.slot == "phone" and (m := _DIAL_CODE.fullmatch(c.value))]
    for code, digits in codes:
        parent = code.source.rpartition("/")[0]
        for c in col.items:
            if c is not code and c.slot == "phone" and c.source.rpartition("/")[0] == parent \
                    and _NATIONAL.match(c.value) and not c.value.lstrip().startswith("00"):
                national = c.value.strip()
                if digits != "39" and national.startswith("0"):
                    national = national[1:].lstrip()
                c.value = f"+{digits} {national}"
        col.items.remove(code)


def asked(key: str) -> bool:
    """Whether a key is a form's question written out ("Best number to reach you", "Wat is je naam?")."""
    text = key.strip()
    return text.endswith("?") or (" " in text and len(text.split()) >= 4)


#: a first name given only as initials ("voorletters": "P.", "initials": "J.K.")
_INITIALS = re.compile(r"\s*(?:[^\W\d_]\.?\s*-?\s*){1,4}", re.UNICODE)


def initials_behind(col: Collector) -> None:
    """Initials under a first-name key ("voorletters": "P.") rank behind a first name spelled out beside them."""
    firsts = [c for c in col.items if c.slot == "first_name" and c.role == "lead"]
    if any(not _INITIALS.fullmatch(c.value) for c in firsts):
        for c in firsts:
            if _INITIALS.fullmatch(c.value):
                c.rank += 30


#: a choice answer an ad platform or form builder writes as a key ("within_3_months", "porte_blindate")
_SNAKE_VALUE = re.compile(r"[^\W_]*[^\W\d_]{2}[^\W_]*(?:_+-?_*[^\W_]+)+")


def spaced(value: str) -> str:
    """A choice answer written with underscores for spaces, read with spaces ("in den nächsten 3 monaten")."""
    if "_" not in value or not _SNAKE_VALUE.fullmatch(value.strip()):
        return value
    return " ".join(value.replace("_", " ").split())
