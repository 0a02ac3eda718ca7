"""JSON webhook payloads: Facebook Lead Ads, Google Ads lead forms, Webflow, Formstack, HomeAdvisor-style,
Realtor.com / Zillow (SNS envelopes), and any other JSON through the label dictionary over key paths.

One mechanism reads them all:

- Nested JSON strings are decoded (an SNS ``Message`` is a JSON document in a string).
- Numbers are kept as written (``parse_int=str``), so a phone sent as 15550000000 is not corrupted.
- *Pair lists* — lists of ``{name, values}``, ``{column_id, string_value}``, ``{question, answer}``… —
  are read as label/value pairs (Facebook ``field_data``, Google ``user_column_data``, interviews).
- Every other leaf is mapped by its key (and its parent's key) through ``labels.lookup_label``.
- Who is the lead: leaves under agent/assignee/listing/seller/dealer/provider/vendor/recipient/broker…
  keys are never the lead; consumer/customer/lead/contact keys rank first. Property and listing blocks
  describe the interest; search criteria give a budget; history lists (recent searches, views) are skipped.
- A generic ``name`` key is a person only beside other contact keys or under a person key (a form's
  ``name`` is "Contact Us", not a person).
- A list of lead objects (a Facebook ``data`` array, a JSON array of leads) gives several leads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from parsers.boilerplate import is_consent
from parsers.caller_id import CALLER_ID_NAME, INITIAL_CNAM, UNSPELLED, caller_id_names, names_from_notes
from parsers.fields import Collector
from parsers.json_shapes import MAX_DEPTH, decode_nested, pair_keys, people_list, phone_shaped, reshape
from parsers.labels import heading_role
from parsers.labels.dictionary import norm_label
from parsers.labels.lookup import lookup_label, lookup_loose
from parsers.payload_keys import (
    asked,
    contact_line,
    firm_name,
    initials_behind,
    input_named,
    join_dial_codes,
    names_a_page,
    run_together,
    shaped_contact,
    spaced,
)
from parsers.payload_sides import (
    PERSONISH,
    account_firm_aside,
    business_side,
    has_contact,
    is_call_payload,
    is_seller,
    tokens,
    wrapper_depth,
)
from parsers.payload_unknown import read_unknown_person_values

_DISTRACT = frozenset({
    "agent", "agents", "assignee", "assigned", "listing", "seller", "dealer", "dealership", "provider",
    "vendor", "sp", "recipient", "owner", "broker", "brokerage", "office", "realtor", "rep", "salesperson",
    "salesman", "employee", "staff", "pro", "professional", "partner", "advertiser", "merchant", "store",
    "company", "business", "organization", "team", "manager", "rdc", "referrer", "referring", "introducer",
    "affiliate", "referred", "referente", "vermittler", "empfehler", "tippgeber", "verwijzer", "aanbrenger",
    "parrain", "apporteur", "indicador", "segnalatore",
    # the other side in the other languages (an agent's, broker's, adviser's or dealer's object)
    "makler", "makelaar", "corretor", "corredor", "agente", "asesor", "berater", "conseiller", "courtier",
    "consulente", "mediatore", "adviseur", "verkaufer", "vendedor", "vendeur", "venditore", "verkoper", "handler",
    "autohaus", "concesionario", "concessionaria", "concessionnaire", "concessionario", "imobiliaria",
    "inmobiliaria", "agence", "agenzia", "anbieter", "aanbieder", "sachbearbeiter", "bearbeiter",
    # a booking's hosts (the lead is the invitee); the provider's own staff
    "host", "hosts", "organizer", "organiser", "membership", "memberships", "officer", "lender", "advisor",
    "adviser", "consultant", "coordinator", "technician", "estimator", "inspector", "underwriter",
})
_META = frozenset({"schema", "meta", "metadata", "tracking", "utm", "headers", "device", "analytics",
                   "signature", "cert", "campaign", "adgroup", "ad", "creative", "gcl", "form", "site", "page",
                   "trigger", "topic", "subscription", "unsubscribe", "url", "guid", "uuid", "token", "key",
                   "formulario", "formular", "formulaire", "formulier", "modulo"})
#: containers of a form's answers: an answer under a key the dictionary does not know says what is asked for
_ANSWERS = frozenset({"answers", "responses", "respuestas", "respostas", "antworten", "reponses", "risposte",
                      "antwoorden", "custom", "personalizados", "personalizadas", "zusatzfelder", "questions",
                      "preguntas", "perguntas", "fragen", "domande", "vragen", "qualification", "details"})
_HISTORY = frozenset({"recent", "searches", "viewed", "views", "saved", "history", "activities", "events",
                      "logs", "favorites", "favourites"})
_PROPERTY = frozenset({"property", "vehicle", "car", "product", "item", "unit", "home", "listing", "inmueble",
                       "imovel", "immobilie", "objekt", "bien", "immobile", "woning", "fahrzeug", "vehiculo",
                       "veiculo", "vehicule", "veicolo", "voertuig"})
_SEARCH = frozenset({"search", "criteria", "preferences", "preference", "requirements"})
_LEAD_LIST_KEYS = frozenset({"data", "leads", "items", "entries", "records", "results", "submissions", "values",
                             "contacts", "prospects", "rows", "calls", "anrufe", "llamadas", "chamadas", "ligacoes",
                             "oproepen", "gesprekken", "appels", "chiamate", "telefonate"})
_GENERIC_LEAF = frozenset({"first", "last", "middle", "city", "state", "zip", "street", "address", "line1",
                           "line2", "line 1", "line 2", "value", "number", "country", "code", "full"})
#: a checkbox's answer: never an interest
_YES_NO = re.compile(r"^\s*(?:yes|no|ja|nee|nein|s[ií]|sim|n[ãa]o|oui|non|true|false|on|off|1|0|x|✓)\s*$", re.I)


@dataclass(slots=True)
class JsonRead:
    leads: list[Collector] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: the sending vendor or source a top-level ``vendor``/``source`` key names
    vendor: str | None = None


#: a company key's own words: the lead's company unless an agent/dealer word comes with them
_ORG_WORDS = frozenset({"company", "business", "organization", "organisation"})
_FIRM_WORDS = _ORG_WORDS - {"business"}
#: a date with a time of day (and maybe a zone): a record's timestamp
_TIMESTAMP = re.compile(r"^\s*(?:\d{4}-\d\d-\d\d|\d{1,2}[./]\d{1,2}[./]\d{4})[T ,]\s*\d\d?:\d\d(?::\d\d(?:\.\d+)?)?"
                        r"\s*(?:Z|[+-]\d\d:?\d\d|Uhr|h)?\s*$")
#: key words of a rep's or system's note in a call record (not the caller's words)
_NOTE_WORDS = frozenset({"note", "notes", "notiz", "notizen", "nota", "notas", "notitie", "notities", "summary",
                         "resumen", "resumo", "resume", "riassunto", "samenvatting", "zusammenfassung", "comment",
                         "comments", "mitarbeiter", "agent", "anotacao", "anotacoes", "observaciones", "observacoes"})
#: of those, the words that make a key a note whatever else it says ("agent_notes", "ai_summary")
_NOTE_KEYS = _NOTE_WORDS - {"agent", "mitarbeiter", "comment", "comments"}
#: a note of a few words is a tag or a status ("qualified"), not a note to read
_MIN_NOTE_WORDS = 3
#: keys whose phone-shaped value is the caller's number in a call-tracking payload
_CALLER_KEYS = frozenset({"from", "caller", "ani", "callerid", "anrufer", "llamante", "chiamante", "beller"})
#: a key naming a number, and containers whose number is a phone
_NUMBER_KEYS = frozenset({"number", "nummer", "numero", "num", "phone number", "e164"})
_PHONE_PARENTS = frozenset({"phone", "phones", "telephone", "tel", "telefon", "telefone", "telefono", "telefoon",
                            "mobile", "cell", "caller", "from", "anrufer", "llamante", "chiamante", "beller", "origen",
                            "origem", "contact", "customer", "numbers"})
#: scalar keys at the top of a payload that name who sent it, the surest first
VENDOR_KEYS = ("vendor", "lead_source", "leadsource", "source", "provider", "portal", "platform")
_NAME_PARTS = frozenset({"first_name", "last_name", "middle_name"})
#: containers of the person who asks (not "name", "from", "user", "sender": a display name there is an account's)
_PERSON_KEYS = PERSONISH - {"name", "from", "user", "sender"}
#: keys of a second surname written apart from the first (Spanish-speaking forms)
_SECOND_SURNAME = frozenset({"apellido materno", "segundo apellido", "apellido2", "second surname", "second last name"})
#: a container of a name's parts ("name": {"given": …, "family": …})
_NAME_PARENTS = frozenset({"name", "names", "nombre", "nome", "naam", "nom", "fullname", "full name", "person name"})


def _singular(words: list[str]) -> set[str]:
    """Words with their plural endings dropped as well ("telefonos" → "telefono", "phones" → "phone")."""
    out = set(words)
    for w in words:
        if w.endswith("es") and len(w) > 4:
            out.add(w[:-2])
        if w.endswith(("s", "n", "i")) and len(w) > 3:
            out.add(w[:-1])
    return out


#: a CRM record's field list ("propertyValues", "property_list"): the record's own fields, not a listing's
_FIELD_LIST_WORDS = frozenset({"values", "value", "list", "fields", "data"})


def _record_fields(parent: str) -> bool:
    words = tokens(parent)
    return len(words) == 2 and words[0] == "property" and words[1] in _FIELD_LIST_WORDS


def _is_meta(parent: str) -> bool:
    """A container of form, page or tracking metadata ("meta", "form", "utm_params"); one that merely
    starts with such a word ("form_enrichment", "form_data") holds the lead's answers."""
    words = set(tokens(parent))
    return bool(words & _META) and words <= _META | {"info", "params", "parameters"}



def read_json(obj: Any, *, source: str = "reader:json") -> JsonRead:
    """The leads in a parsed JSON payload (possibly none)."""
    out = JsonRead()
    obj = reshape(decode_nested(obj))
    if isinstance(obj, dict):
        named = {norm_label(str(k)).replace(" ", "_"): v.strip() for k, v in obj.items()
                 if isinstance(v, str) and 0 < len(v.strip()) <= 80}
        out.vendor = next((named[k] for k in VENDOR_KEYS if k in named), None)
    call = is_call_payload(obj)
    for unit_path, unit in _units(obj):
        col = Collector()
        walker = _Walker(col, source, seller=is_seller(unit), aside=business_side(unit), call=call)
        walker.top = sum(1 for p in unit_path if not p.startswith("[")) + wrapper_depth(unit)
        walker.walk(unit, unit_path, 0)
        join_dial_codes(col)
        read_unknown_person_values(col, walker.unknown)
        initials_behind(col)
        if walker.second_surname and (firsts := col.best("last_name")):
            # "apellido_paterno" + "apellido_materno": one surname of two words ("García López")
            firsts[0].value = f"{firsts[0].value} {walker.second_surname}"
        if call:
            names_from_notes(col)
            caller_id_names(col)
            account_firm_aside(col)
            # a rep's or system's note is no message of the caller's: kept as the agent's words, which the
            # free-text reader reads for what the keys lack (the need, the timeline)
            col.items = [c for c in col.items if not (c.slot == "message" and c.role == "lead"
                                                      and set(tokens(c.label)) & (_NOTE_WORDS - _NOTE_KEYS))]
            for c in col.items:
                if c.slot == "message" and set(tokens(c.label)) & _NOTE_KEYS:
                    c.role = "agent"
        if col.contact_count():
            out.leads.append(col)
    if not out.leads:
        out.warnings.append("no lead contact found in the JSON payload")
    return out


#: the slots of an address's parts: a seller's property gives the lead's own
_ADDRESS_LEAF_SLOTS = frozenset({"street", "address", "city", "region", "postal_code", "street2", "house_number",
                                 "country"})


def _units(obj: Any) -> Iterator[tuple[tuple[str, ...], Any]]:
    """The parts of a payload that are one lead each."""
    if isinstance(obj, list) and not pair_keys(obj):
        leads = [v for v in obj if isinstance(v, dict) and has_contact(v)]
        if leads:
            for k, v in enumerate(leads):
                yield (f"[{k}]",), v
            return
    if isinstance(obj, dict):
        for key, value in obj.items():
            if norm_label(key) in _LEAD_LIST_KEYS and isinstance(value, list) and not pair_keys(value):
                leads = [v for v in value if isinstance(v, dict) and has_contact(v)]
                if len(leads) >= 1 and not _direct_contact(obj):
                    for k, v in enumerate(leads):
                        yield (key, f"[{k}]"), v
                    return
        people = people_list(obj)
        if people is not None:
            for k, v in enumerate(people[1]):
                yield (*people[0], f"[{k}]"), v
            return
    yield (), obj


def _direct_contact(obj: dict[str, Any]) -> bool:
    for k, v in obj.items():
        if isinstance(v, (dict, list)) or v in (None, ""):
            continue
        found = lookup_label(str(k)) or input_named(tokens(str(k)))  # "caller_number_format", "tel-123" too
        if found and found[0] in ("email", "phone", "first_name", "last_name", "street", "address"):
            return True
    return False


def _holds_email(obj: dict[str, Any], depth: int) -> bool:
    """Whether an email address is among ``obj``'s values, or a few levels down (not under an agent's key)."""
    for k, v in obj.items():
        if isinstance(v, dict) and depth < 3 and not set(tokens(str(k))) & _DISTRACT and _holds_email(v, depth + 1):
            return True
        if isinstance(v, str) and "@" in v and (lookup_label(str(k)) or ("",))[0] == "email":
            return True
    return False


def _contact_beside(obj: dict[str, Any]) -> bool:
    """A contact value beside a key: a plain one, or a list of them (``"email": [{"value": …}]``)."""
    return _direct_contact(obj) or any(isinstance(v, (list, str)) and v and _contact_key(
        str(k)) is not None for k, v in obj.items())  # "emails": "a@x; b@y" too


def _contact_key(key: str) -> str | None:
    """"email" or "phone" for such a key, plural too ("emails", "phones", "telefonos")."""
    return next((found[0] for k in _singular([key.casefold(), " ".join(tokens(key))])
                 if (found := lookup_label(k)) is not None and found[0] in ("email", "phone")), None)


def _contact_list_slot(path: tuple[str, ...]) -> str | None:
    """"email" or "phone" when a pair list sits under such a key: its labels are kinds (work, home, mobile)."""
    keys = [p for p in path if not p.startswith("[")]
    return _contact_key(keys[-1]) if keys else None


def _lone_value(value: Any) -> Any:
    """A value wrapped in objects of one key each (``{"textQuestionAnswer": {"answer": "Ann"}}``) as the value."""
    inner = value
    for _ in range(4):
        if not (isinstance(inner, dict) and len(inner) == 1):
            break
        inner = next(iter(inner.values()))
    return inner if inner is not value and not isinstance(inner, (dict, list)) else value


def _scalar(value: Any) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, list):
        parts = [_scalar(v) for v in value]
        joined = ", ".join(p for p in parts if p)
        return joined or None
    if isinstance(value, dict):
        return None
    text = str(value).strip()
    return text or None


class _Walker:
    def __init__(self, col: Collector, source: str, *, seller: bool = False,
                 aside: frozenset[str] = frozenset(), call: bool = False) -> None:
        self.col = col
        #: a call-tracking payload: its notes are a rep's or a system's words about the call
        self.call = call
        #: top-level keys whose objects are the receiving business's (``business_side``)
        self.aside = aside
        #: a second surname given apart ("apellido_materno", "segundo_apellido"), joined to the first
        self.second_surname = ""
        #: the index in a leaf's parents of the key ``aside`` names (past the unit's path and its wrappers)
        self.top = 0
        self.source = source
        #: the lead sells (or values) the property: its address is the lead's own
        self.seller = seller
        self.property: dict[str, tuple[str, str]] = {}
        #: keys that sound like a property ("item") but hold a person's email: an envelope, not a property
        self.envelopes: set[str] = set()
        #: (source, key, value) under a person object's keys no dictionary knows ("visitor": {"nm": …})
        self.unknown: list[tuple[str, str, str]] = []

    def walk(self, node: Any, path: tuple[str, ...], depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        if isinstance(node, dict):
            self._walk_dict(node, path, depth)
            if depth == 0:
                self._compose_property()
        elif isinstance(node, list):
            pairs = pair_keys(node)
            if pairs:
                label_key, value_key = pairs
                kind_of = _contact_list_slot(path)
                for k, item in enumerate(node):
                    label = _scalar(item.get(label_key))
                    raw = _lone_value(item.get(value_key))
                    if kind_of and label and lookup_loose(label) is None:
                        label = kind_of  # {"emails": [{"label": "work", "value": …}]}: "work" is the address's kind
                    if isinstance(raw, dict) or (isinstance(raw, list) and any(isinstance(v, dict) for v in raw)):
                        # a webhook's change list ({"field": "leadgen", "value": {…}}): the value is a container
                        self.walk(raw, (*path, f"[{k}]"), depth + 1)
                        continue
                    value = _scalar(raw)
                    if label and value:
                        self._leaf((*path, label), value, pair=True)
                return
            path_tokens = {t for p in path for t in tokens(p)}
            if path_tokens & _HISTORY:
                return
            if all(not isinstance(v, (dict, list)) for v in node):
                value = _scalar(node)
                if value and path:
                    self._leaf(path, value, siblings=None)
                return
            for k, item in enumerate(node[:200]):
                self.walk(item, (*path, f"[{k}]"), depth + 1)

    def _walk_dict(self, node: dict[str, Any], path: tuple[str, ...], depth: int) -> None:
        for key, value in node.items():
            if isinstance(value, dict) and set(tokens(key)) & _PROPERTY and _holds_email(value, 0):
                self.envelopes.add(key)  # a webhook's "data": {"item": {… "author": {"email": …}}}
            if isinstance(value, (dict, list)):
                self.walk(value, (*path, key), depth + 1)
            else:
                text = _scalar(value)
                if text:
                    self._leaf((*path, key), text, siblings=node)

    def _leaf(self, path: tuple[str, ...], value: str, *, siblings: dict[str, Any] | None = None,
              pair: bool = False) -> None:
        key = path[-1]
        value = spaced(value)
        # a list's items and a form post's numbered keys ("phones[0][number]") are no words of the path
        parents = [p for p in path[:-1] if not p.startswith("[") and not p.isdigit()]
        parent_tokens = [t for p in parents if p not in self.envelopes and not _record_fields(p) for t in tokens(p)]
        key_tokens = tokens(key)
        all_tokens = set(parent_tokens) | set(key_tokens)
        if all_tokens & _HISTORY:
            return
        if _is_meta(parents[-1] if parents else "") or (not pair and set(key_tokens) & _META):
            return
        if " ".join(key_tokens) in _SECOND_SURNAME and not set(parent_tokens) & _DISTRACT:
            self.second_surname = self.second_surname or value.strip()
            return
        if self.call and set(key_tokens) & _NOTE_KEYS and len(value.split()) >= _MIN_NOTE_WORDS:
            # "agent_notes", "notiz_mitarbeiter", "ai_summary": the agent's words about the caller
            self.col.add("message", value, self._src(path), confidence=0.5, rank=90, label=key, role="agent")
            return
        role = "lead"
        if set(parent_tokens) & _PROPERTY or ({"property"} & set(key_tokens)):
            role = "property"
        elif set(parent_tokens) & _SEARCH:
            role = "search"
        distract = all_tokens & _DISTRACT
        if role == "property":
            distract -= {"listing"}
        if len(parents) > self.top and parents[self.top] in self.aside:
            self._business_leaf(path, parents, key, value, pair=pair)
            return
        if self.seller:
            distract -= {"owner"}  # a seller lead's owner is the lead
        if distract and not distract <= _ORG_WORDS:
            aside = lookup_label(key) if not pair else lookup_loose(key)
            if aside is not None and aside[0] not in ("skip", "message"):
                # the agent's, dealer's or pro's own values: kept with their role, never the lead's
                self.col.add(aside[0], value, self._src(path), confidence=0.5, rank=90, label=key,
                             role=heading_role(" ".join(sorted(distract))))
            return
        found = run_together(key, lookup_loose(key)) if pair else self._lookup(key, parents, key_tokens, role)
        if found is None and len(key_tokens) >= 2 and (tail := lookup_label(" ".join(key_tokens[1:]))) is not None \
                and tail[0] == "skip":
            return  # a vendor's prefix on a system key ("hs_lead_status", "x_form_name")
        if found is None:
            answer = pair or bool(set(parent_tokens) & _ANSWERS and sum(ch.isalpha() for ch in value) >= 3)
            if (answer or asked(key)) and role == "lead" and (shaped := shaped_contact(value)) is not None:
                # "Unter welcher Nummer erreichen wir Sie?": a question the dictionaries do not know, answered
                # by a number or an address: what the answer is says what was asked (a form's question as the key)
                self.col.add(shaped, value, self._src(path), confidence=0.7, rank=60, label=key)
            elif answer and role == "lead" and len(value) <= 80 and not is_consent(key) and not _YES_NO.match(value):
                self.col.add("interest_detail", value, self._src(path), confidence=0.6, rank=60)
                self.unknown.append((self._src(path), key, value))  # "Student or parent name": it may spell the email
            elif role == "lead" and set(parent_tokens[-1:]) & PERSONISH:
                self.unknown.append((self._src(path), key, value))
            return
        slot, rank = found
        if key_tokens == ["display", "name"] and siblings is not None and any(
                (lookup_label(str(k)) or ("",))[0] in _NAME_PARTS for k in siblings):
            return  # a display name beside the first and last names is how the account shows them, not theirs
        if slot in ("skip", "full_name") and phone_shaped(value) and (
                slot == "full_name" or set(key_tokens) & _CALLER_KEYS):
            # a call-tracking payload's "caller" / "from": the caller's number, which is the lead's
            slot, rank = "phone", rank + 5
        if slot == "phone" and self.call and CALLER_ID_NAME.fullmatch(value.strip()) and (
                {"id", "callerid"} & set(key_tokens)):
            # "caller_id": "MORALES LUIS": the caller-ID line's name (CNAM), not a number
            slot = "full_name"
        elif slot == "phone" and self.call and INITIAL_CNAM.match(value.strip()) and (
                {"id", "callerid"} & set(key_tokens)):
            # "caller_id": "OKAFOR-LYNN J": a surname and an initial, a name only if a note of the call spells it
            self.col.add("full_name", value, self._src(path) + UNSPELLED, confidence=0.8, rank=rank + 10, label=key)
            return
        if slot == "skip" or (slot == "phone" and not any(ch.isdigit() for ch in value)):
            return
        if slot == "timeline" and _TIMESTAMP.match(value):
            # "start_time": "2026-11-18T14:22:05-05:00", "zeitpunkt": "20.11.2026 16:05": when a record was made,
            # not when they buy
            return
        if distract and slot != "company" and not (slot in _ADDRESS_LEAF_SLOTS and distract <= _FIRM_WORDS):
            return  # a lead's own company object gives its address too, as a firm object in other languages does
        if role == "property" and self.seller and slot in _ADDRESS_LEAF_SLOTS:
            role = "lead"  # a seller's or a valuation lead's property is where the lead lives
        if role == "property":
            self._property_leaf(slot, key_tokens, value)
            return
        if role == "search":
            if slot == "budget" and "max" in key_tokens:
                slot = "budget_max"
            elif slot == "budget" and "min" in key_tokens:
                slot = "budget_min"
            if slot in ("budget_min", "budget_max", "budget"):
                self.col.add(slot, value, self._src(path), confidence=0.7, rank=rank + 20, label=key)
            return
        if slot == "full_name" and not pair and key_tokens[-1:] == ["name"] and len(key_tokens) == 1:
            personish = bool(set(parent_tokens[-2:]) & PERSONISH)
            if not personish and not (siblings is not None and _contact_beside(
                    {k: v for k, v in siblings.items() if k != key})):
                return
            if not personish and names_a_page(value):
                return  # {"name": "Spring Promo Landing Page", "email": …}: the form's name beside the lead's email
        personal = bool(set(parent_tokens) & PERSONISH) or bool(set(key_tokens) & PERSONISH - {"name"})
        if slot == "full_name" and (parts := contact_line(value)) is not None:
            # "contact": "Bartosz Wilk, bartosz.wilk@example.pl, +48 600 555 014": a name with its contacts
            for part_slot, part in parts:
                self.col.add(part_slot, part, self._src(path), confidence=0.85, rank=rank + 5 + len(parents),
                             label=key)
            return
        self.col.add(slot, value, self._src(path), confidence=0.95 if pair else 0.9,
                     rank=rank + (0 if personal or pair else 5) + len(parents), label=key)

    def _business_leaf(self, path: tuple[str, ...], parents: list[str], key: str, value: str, *, pair: bool) -> None:
        """A value of the receiving business's object: kept with its role, never the lead's; its bare
        ``name`` (``naam``, ``nombre``) is the business's name."""
        found = lookup_loose(key) if pair else lookup_label(key)
        if found is not None and found[0] == "full_name" and len(tokens(key)) == 1:
            found = ("company", found[1])  # "name", "naam", "nombre": the business's name
        if found is not None and found[0] not in ("skip", "message"):
            role = heading_role(" ".join(parents))
            self.col.add(found[0], value, self._src(path), confidence=0.5, rank=90, label=key,
                         role="provider" if role == "vendor" else role)

    def _lookup(self, key: str, parents: list[str], key_tokens: list[str], role: str) -> tuple[str, int] | None:
        if parents and " ".join(key_tokens) in _NUMBER_KEYS and _singular(tokens(parents[-1])) & _PHONE_PARENTS:
            return ("phone", 20)  # {"phones": [{"number": …}]}, {"from": {"number": …}}, {"anrufer": {"nummer": …}}
        if parents and key_tokens in (["address"], ["addr"]) and _contact_key(parents[-1]) == "email":
            return ("email", 20)  # {"emails": [{"address": …}]}: an email address, not a street
        if parents and key_tokens == ["value"] and (own := lookup_label(parents[-1]) or (
                (slot, 20) if (slot := _contact_key(parents[-1])) else None)) is not None:
            return own  # {"email": {"type": "email_text_input", "value": …}}: the field its parent names
        if role == "property":
            stripped = [t for t in key_tokens if t not in _PROPERTY and t != "listing"]
            joined = " ".join(stripped)
            if joined in ("status", "listing status"):
                return ("property_status", 20)
            if joined in ("state code", "state"):
                return ("region", 20)
            if joined == "type":
                return ("property_type", 20)
            if joined == "id":
                return None
            return lookup_label(joined) if joined else None
        if parents and len(key_tokens) == 1 and _singular(tokens(parents[-1])) & _NAME_PARENTS and (
                part := lookup_label(f"{key} name")) is not None and part[0] in _NAME_PARTS:
            return part  # {"names": {"given": …, "family": …}}: the parts of the name its parent names
        if parents and (firm := firm_name(key_tokens, tokens(parents[-1]))) is not None:
            return firm
        if parents and (" ".join(key_tokens) in _GENERIC_LEAF or len(key_tokens) == 1):
            combined = lookup_label(f"{parents[-1]} {key}")
            own = lookup_label(key)
            if own is not None and own[0] in _NAME_PARTS and (combined is None or combined[0] == "full_name"):
                return own  # {"nombre": {"nombre": …, "apellidos": …}}: the part, not the whole name
            if own is not None and combined is not None and own[0] in _ADDRESS_LEAF_SLOTS and \
                    combined[0] in _ADDRESS_LEAF_SLOTS and own[0] != combined[0] and own[0] != "address":
                return own  # {"adres": {"huisnummer": 18}}: the part ("adres huisnummer" labels a whole street)
            if combined is not None:
                return combined
        found = lookup_label(key)
        if found is None and " ".join(key_tokens) in ("state code", "region code"):
            return ("region", 20)
        if found is None and (key.rstrip().endswith("?") or len(key_tokens) >= 3):
            found = lookup_loose(key)  # a form's question used as the key ("How can we help?")
        if found is None and (slot := _contact_key(key)) is not None:
            found = (slot, 25)  # "Emails": ["ann@…"], "telefonos": […]
        if found is None and len(key_tokens) >= 2:
            found = input_named(key_tokens)
        if found is None and key_tokens == ["display", "name"] and parents and set(tokens(parents[-1])) & (
                _PERSON_KEYS):
            found = ("full_name", 30)  # a person object's "displayName" (an account's or a sender's names no lead)
        return run_together(key, found)

    def _property_leaf(self, slot: str, key_tokens: list[str], value: str) -> None:
        if slot in ("street", "address", "city", "region", "postal_code"):
            self.col.add(slot, value, f"{self.source}:property", confidence=0.5, rank=90, role="property")
        if slot in ("street", "address", "city", "region", "postal_code", "price", "property_type",
                    "property_status", "listing_id", "year", "make", "model", "trim", "vin", "stock"):
            self.property.setdefault(slot, (value, " ".join(key_tokens)))

    def _compose_property(self) -> None:
        p = {k: v[0] for k, v in self.property.items()}
        vehicle = " ".join(p[k] for k in ("year", "make", "model", "trim") if k in p)
        street = p.get("street") or p.get("address") or ""
        place = ""
        if street:
            tail = " ".join(x for x in (p.get("region", ""), p.get("postal_code", "")) if x)
            city = p.get("city", "")
            if city and city.casefold() not in street.casefold():
                place = ", ".join(x for x in (street, city, tail) if x)
            else:
                place = street
        details = [p[k] for k in ("property_type", "property_status") if k in p]
        if "price" in p:
            details.append(p["price"] if p["price"].startswith(("$", "€")) else f"${p['price']}")
        if "listing_id" in p:
            details.append(f"MLS {p['listing_id']}")
        for k, label in (("vin", "VIN"), ("stock", "stock")):
            if k in p:
                details.append(f"{label} {p[k]}")
        main = vehicle or place
        if not main and not details:
            return
        text = f"{main} ({', '.join(details)})" if main and details else (main or ", ".join(details))
        self.col.add("interest", text, f"{self.source}:property", confidence=0.7, rank=70)

    def _src(self, path: tuple[str, ...]) -> str:
        return f"{self.source}:" + "/".join(p for p in path if not p.startswith("["))
