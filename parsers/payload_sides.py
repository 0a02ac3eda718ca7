"""Whose side a JSON payload's objects are on: the receiving business's (``business``, ``account``, a branch's
``location``) beside the person who asks, a seller's own home, a call-tracking payload and its tracked firm."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from parsers.fields import Collector
from parsers.json_shapes import pair_keys
from parsers.labels.dictionary import norm_label
from parsers.labels.lookup import lookup_label

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
#: keys that describe a company only for the lead (``company`` is both: see _company_ok)
PERSONISH = frozenset({
    "contact", "consumer", "customer", "lead", "client", "buyer", "prospect", "applicant", "person",
    "requester", "submitter", "sender", "from", "user", "visitor", "inquirer", "kunde", "cliente", "name",
    "caller", "anrufer", "llamante", "chiamante", "beller", "origen", "origem", "contato", "contacto", "klant",
    "kontakt", "contatto", "persoon", "persona", "pessoa", "personne", "interessent", "aanvrager", "solicitante",
    "richiedente", "demandeur", "interesado", "interessado", "interessato",
})
#: key words that mark a call-tracking payload, whose caller-ID names are written "LAST FIRST"
_CALL_WORDS = frozenset({"call", "calls", "caller", "cnam", "llamada", "llamante", "anruf", "anrufer", "chiamata",
                         "chiamante", "oproep", "beller", "ligacao", "chamada", "appel", "appelant", "recording",
                         "tracking", "dnis", "ani", "dialed", "voicemail"})



def tokens(key: str) -> list[str]:
    """A key's words, casefolded, camel case split ("phoneNumbers" → ["phone", "numbers"])."""
    return list(_tokens(key))


@lru_cache(maxsize=8192)
def _tokens(key: str) -> tuple[str, ...]:
    # a payload's keys repeat across its leaves and across payloads: split once each
    return tuple(norm_label(_CAMEL.sub(" ", key)).split())


#: a lead type saying the lead sells or has valued their own home
_SELLER = re.compile(r"^\s*(?:home )?(?:sell(?:er|ing)?|seller lead|listing lead|home valuation|valuation|cma|"
                     r"verk[äa]ufer|verkauf|eigent[üu]mer|vendedor|venta|vendeur|vente|venditore|vendita|verkoper|"
                     r"verkoop|propriet[áa]rio)\b", re.IGNORECASE)
_TYPE_KEYS = frozenset({"type", "lead type", "leadtype", "inquiry type", "request type", "lead kind", "intent",
                        "category", "typ", "tipo", "soort"})


def is_seller(obj: Any, depth: int = 0) -> bool:
    """Whether the payload says its lead is a seller (a type key with a seller value), near the top."""
    if depth > 3:
        return False
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, str) and norm_label(str(k)) in _TYPE_KEYS and _SELLER.match(v):
                return True
            if isinstance(v, dict) and is_seller(v, depth + 1):
                return True
    return False


#: containers of one branch, shop or office of the business: never the lead's own firm, unlike a ``company``
_BRANCHES = frozenset({
    "location", "locations", "site", "office", "branch", "store", "shop", "practice", "showroom", "dealership",
    "filiale", "filiaal", "standort", "niederlassung", "vestiging", "winkel", "kantoor", "sucursal", "oficina",
    "tienda", "agencia", "loja", "agence", "magasin", "succursale", "boutique", "negozio", "agenzia",
    "sede"})
#: containers that hold the person who asks: beside one, a business container is the other side
_PERSON_CONTAINERS = PERSONISH - {"name", "from", "user", "sender", "origen", "origem"}
#: containers of the business a payload is delivered to ("business", "account", "location", "practice")
_BUSINESS_CONTAINERS = frozenset({
    "business", "company", "organization", "organisation", "account", "location", "locations", "merchant",
    "store", "shop", "site", "office", "branch", "practice", "firm", "tenant", "workspace", "subaccount",
    "empresa", "negocio", "unternehmen", "firma", "betrieb", "filiale", "standort", "entreprise", "societe",
    "azienda", "bedrijf", "vestiging", "loja", "sucursal", "conta", "cuenta", "konto", "compte", "conto"}) | _BRANCHES


def wrapper_depth(unit: Any) -> int:
    """How many objects of one key each wrap ``unit``'s content (``{"submission": {…}}``, an XML root)."""
    depth = 0
    while isinstance(unit, dict) and len(unit) == 1 and isinstance(next(iter(unit.values())), dict) and depth < 3:
        unit = next(iter(unit.values()))
        depth += 1
    return depth


def business_side(unit: Any) -> frozenset[str]:
    """The keys of ``unit`` whose object is the receiving business's, not the lead's: a ``business``,
    ``account`` or ``location`` object beside a ``customer``/``lead``/``contact`` object that holds the
    person's own contact details. Without such a person object a company object may be the lead's own.
    Inside a wrapper of one key (an XML root, ``{"submission": {…}}``) only a branch, shop or office is set aside:
    measured, setting a ``company`` object aside there too put a B2B record's own firm and address aside."""
    kinds = _BUSINESS_CONTAINERS
    if wrapper_depth(unit):
        for _ in range(wrapper_depth(unit)):
            unit = next(iter(unit.values()))
        kinds = _BRANCHES
    if not isinstance(unit, dict):
        return frozenset()
    if not any(_holds_person(k, v, 0) for k, v in unit.items()):
        return frozenset()
    return frozenset(str(k) for k, v in unit.items() if isinstance(v, dict)
                     and set(tokens(str(k))) & kinds and not set(tokens(str(k))) & _PERSON_CONTAINERS
                     and (not set(tokens(str(k))) <= _PLACE_CONTAINERS or _names_business(v, 0)))


#: containers of a place: the business's branch when they name a firm or give its lines, else where the job is
_PLACE_CONTAINERS = frozenset({"location", "locations", "site", "standort", "locatie", "ubicacion", "localizacao",
                               "localizacion", "lieu", "luogo", "sede", "plaats"})
_BUSINESS_SLOTS = frozenset({"company", "phone", "email", "website", "full_name"})


def _names_business(obj: dict[str, Any], depth: int) -> bool:
    """Whether a place object names a firm or gives its contact lines ("location": {"company_name": …,
    "phone": …}); one holding only an address (and its nickname, "Home") is where the job is."""
    for k, v in obj.items():
        if isinstance(v, dict):
            if depth < 2 and _names_business(v, depth + 1):
                return True
        elif v not in (None, "") and (found := lookup_label(str(k))) is not None and found[0] in _BUSINESS_SLOTS \
                and (tokens(str(k)) != ["name"] or len(str(v).split()) > 1):
            return True
    return False


_NUMBER_LEAF = re.compile(r"\+?[\d \t().-]{7,20}")


def _holds_person(key: Any, value: Any, depth: int) -> bool:
    """Whether ``value`` is, or holds a few levels down, a person's object with their contact details
    ("call": {"caller": {"number": …}} beside "account": {"name": "Gulf Coast Roofing"})."""
    if not isinstance(value, dict) or depth > 2:
        return False
    if set(tokens(str(key))) & _PERSON_CONTAINERS and (has_contact(value) or any(
            isinstance(v, str) and _NUMBER_LEAF.fullmatch(v) for v in value.values())):
        return True  # a caller's object may give its number under a bare "number" key
    return any(_holds_person(k, v, depth + 1) for k, v in value.items()
               if not set(tokens(str(k))) & _BUSINESS_CONTAINERS)


def is_call_payload(obj: Any, depth: int = 0) -> bool:
    if depth > 4:
        return False
    if isinstance(obj, dict):
        return any(set(tokens(str(k))) & _CALL_WORDS or is_call_payload(v, depth + 1) for k, v in obj.items())
    if isinstance(obj, list):
        return any(is_call_payload(v, depth + 1) for v in obj[:20])
    return False


def account_firm_aside(col: Collector) -> None:
    """In a call-tracking payload a firm under no caller's key ("account_name", "company_name", "business")
    is the tracked business the call went to, not the caller's: kept with the role "recipient"."""
    for c in col.items:
        if c.slot == "company" and c.role == "lead":
            path = c.source.rpartition(":")[2]
            if not {t for part in (*path.split("/"), c.label) for t in tokens(part)} & (PERSONISH - {"name"}):
                c.role = "recipient"


def has_contact(obj: Any, depth: int = 0) -> bool:
    if depth > 6:
        return False
    if isinstance(obj, dict):
        if "field_data" in obj or "user_column_data" in obj:
            return True
        for k, v in obj.items():
            if isinstance(v, (dict, list)):
                if has_contact(v, depth + 1):
                    return True
            else:
                found = lookup_label(str(k))
                if found and found[0] in ("email", "phone", "first_name", "last_name") and v:
                    return True
    if isinstance(obj, list):
        if pair_keys(obj):
            return True
        return any(has_contact(v, depth + 1) for v in obj[:50])
    return False


