"""Collecting candidate values for one lead and composing them into public fields.

Every reader (vendor template, ADF, JSON, label/value text) adds *candidates* to a ``Collector``: a slot,
a value, where it came from, a confidence and a rank (lower rank wins; ties go to the earlier value).
Slots are the public ``FIELD_NAMES`` plus a few helper slots that ``Collector.build`` composes:

- ``address`` (a whole postal address, one or more lines), ``street2``, ``city_region_postal``
  ("Springfield, IL 62704") and ``postal_city`` ("10115 Berlin") fill street/city/region/postal_code/country;
- interest parts (``year``, ``make``, ``model``, ``trim``, ``vin``, ``stock``, ``listing_id``, ``price``,
  ``property_type``, ``property_status``, ``interest_detail``) compose ``interest`` when no reader found
  one, or add detail to it;
- ``budget_min`` / ``budget_max`` compose ``budget``.

Losing distinct values are kept as ``alternatives``. Nothing here verifies values: see ``verify``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from parsers.address import is_country, parse_address, parse_locality
from parsers.lead import FIELD_NAMES, ExtractedLead, FieldValue, RoleValue
from parsers.limits import clip_field
from parsers.regions import region_country

INTEREST_PARTS: tuple[str, ...] = (
    "year", "make", "model", "trim", "vin", "stock", "listing_id", "price",
    "property_type", "property_status", "interest_detail",
)
ADDRESS_SLOTS: frozenset[str] = frozenset({"address", "street2", "city_region_postal", "postal_city"})
BUDGET_PARTS: frozenset[str] = frozenset({"budget_min", "budget_max"})
#: slots that exist only to be composed
HELPER_SLOTS: frozenset[str] = ADDRESS_SLOTS | BUDGET_PARTS | frozenset(INTEREST_PARTS) | {
    "middle_name", "name_particle", "house_number"}
SLOTS: frozenset[str] = frozenset(FIELD_NAMES) | HELPER_SLOTS

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean_value(value: str, *, multiline: bool = False) -> str:
    """Collapse runs of spaces; keep line breaks only for ``multiline`` values (messages, addresses)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        lines = [_SPACES.sub(" ", line).strip() for line in value.split("\n")]
        return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()
    return _SPACES.sub(" ", value.replace("\n", " ")).strip()


@dataclass(slots=True)
class Candidate:
    slot: str
    value: str
    source: str
    confidence: float
    rank: int
    order: int
    #: the label the value was read under (interest details are written "label value")
    label: str = ""
    #: whose the value is: "lead", or a role of the other side (``parsers.lead.ROLES``)
    role: str = "lead"


@dataclass(slots=True)
class Collector:
    """Candidates for one lead, in the order readers found them."""

    items: list[Candidate] = field(default_factory=list)

    def add(
        self,
        slot: str,
        value: str | None,
        source: str,
        *,
        confidence: float = 0.9,
        rank: int = 50,
        label: str = "",
        role: str = "lead",
    ) -> None:
        if value is None:
            return
        multiline = slot in ("message", "address")
        value = clean_value(clip_field(str(value)), multiline=multiline)
        if not value or slot not in SLOTS:
            return
        self.items.append(Candidate(slot, value, source, confidence, rank, len(self.items), label, role))

    def extend(self, other: Collector, *, rank_offset: int = 0) -> None:
        for c in other.items:
            self.items.append(
                Candidate(c.slot, c.value, c.source, c.confidence, c.rank + rank_offset, len(self.items), c.label,
                          c.role)
            )

    def has(self, slot: str) -> bool:
        return any(c.slot == slot and c.role == "lead" for c in self.items)

    def slots(self) -> set[str]:
        return {c.slot for c in self.items if c.role == "lead"}

    def best(self, slot: str) -> list[Candidate]:
        """The prospect's candidates for ``slot``, best first."""
        return sorted((c for c in self.items if c.slot == slot and c.role == "lead"), key=lambda c: (c.rank, c.order))

    def others(self) -> tuple[RoleValue, ...]:
        """The other side's values, as public fields where the slot is an address or interest part."""
        out: dict[RoleValue, None] = {}
        for c in self.items:
            if c.role == "lead":
                continue
            if c.slot in ("address", "city_region_postal", "postal_city"):
                parts = parse_address(c.value) if c.slot == "address" else parse_locality(c.value)
                for key, value in parts.items():
                    out[RoleValue("postal_code" if key == "postal" else key, value, c.role, c.source)] = None
            elif c.slot in FIELD_NAMES:
                out[RoleValue(c.slot, c.value, c.role, c.source)] = None
            elif c.slot in INTEREST_PARTS or c.slot == "street2":
                out[RoleValue("interest" if c.slot != "street2" else "street", c.value, c.role, c.source)] = None
        return tuple(out)

    def contact_count(self) -> int:
        names = {"email", "phone", "full_name", "first_name", "last_name"}
        return len(names & self.slots())

    def build(self) -> ExtractedLead:
        """Compose the candidates into public fields (unverified)."""
        out: dict[str, FieldValue] = {}
        for name in FIELD_NAMES:
            chosen = _choose(self.best(name))
            if chosen is not None:
                out[name] = chosen
        _compose_name(self, out)
        _compose_address(self, out)
        _compose_city(out)
        _compose_postal(out)
        _compose_interest(self, out)
        _compose_budget(self, out)
        return ExtractedLead(out, self.others())


def _choose(cands: list[Candidate]) -> FieldValue | None:
    if not cands:
        return None
    top = cands[0]
    fv = FieldValue(top.value, top.source, top.confidence)
    seen = {top.value.casefold()}
    for c in cands[1:]:
        if c.value.casefold() not in seen:
            seen.add(c.value.casefold())
            fv = fv.with_alternative(c.value)
    return fv


# ---------------------------------------------------------------------------------------------- addresses

def _compose_address(col: Collector, out: dict[str, FieldValue]) -> None:
    mapping = {"postal": "postal_code"}
    street = out.get("street")
    if street is not None and "," in street.value and any(ch.isdigit() for ch in street.value):
        # "Morada: Rua de Santa Catarina 455, 4000-447 Porto": a street label that holds the whole address
        whole = parse_address(street.value)
        if whole.get("street") and whole.get("postal") and whole["street"] != street.value:
            out["street"] = FieldValue(whole["street"], street.source, street.confidence, street.flags,
                                       street.alternatives)
            for key, value in whole.items():
                if mapping.get(key, key) not in out:
                    out[mapping.get(key, key)] = FieldValue(value, street.source, street.confidence * 0.95)
    for slot in ("address", "city_region_postal", "postal_city"):
        for cand in col.best(slot):
            parts = parse_address(cand.value) if slot == "address" else parse_locality(cand.value)
            if slot == "postal_city" and not parts:
                parts = _loose_postal_city(cand.value)
            if slot == "city_region_postal" and not parts:
                parts = {"city": cand.value}
            if slot == "address" and set(parts) - {"country"} == {"street"} and not any(
                    ch.isdigit() for ch in cand.value) and not _street_named(cand.value, col):
                # "Location: Austin": a place without a number is no street line ("Endereço: Rua X" with a
                # "Número" field apart is)
                parts = {"city": parts["street"], **({"country": parts["country"]} if "country" in parts else {})}
            for key, value in parts.items():
                name = mapping.get(key, key)
                if name not in out and value:
                    out[name] = FieldValue(value, cand.source, cand.confidence * 0.95)
            break
    number = col.best("house_number")
    if number and "street" in out and len(number[0].value) <= 8 and any(ch.isdigit() for ch in number[0].value):
        s = out["street"]
        if not re.search(rf"(?<!\w){re.escape(number[0].value)}(?!\w)", s.value) and not _HAS_NUMBER.search(
                s.value):
            joined = (f"{s.value} {number[0].value}" if _number_after(s.value, number[0].label, out)
                      else f"{number[0].value} {s.value}")
            out["street"] = FieldValue(joined, s.source, s.confidence, s.flags, s.alternatives)
    street2 = col.best("street2")
    if street2 and "street" in out and street2[0].value not in out["street"].value:
        s = out["street"]
        out["street"] = FieldValue(f"{s.value}, {street2[0].value}", s.source, s.confidence, s.flags, s.alternatives)


#: street names after which the house number is written (German, Dutch, Spanish, Portuguese, Italian);
#: elsewhere (US, UK, CA, FR) it comes first: "Hauptstraße 5", "Rua Augusta 100" but "1180 Bay Street"
_STREET_SUFFIX = r"(?:stra(?:ß|ss)e|str\.|weg|allee|platz|gasse|straat|laan|gracht|plein|kade|singel|dijk)$"
_STREET_PREFIX = (
    r"^(?:rua|avenida|av\.?|avda\.?|calle|c/|travessa|alameda|pra[çc]a|plaza|paseo|camino|carrer|via|viale|"
    r"piazza|corso|largo|estrada|rodovia|ronda|rambla|traves[íi]a|vicolo|"
    r"am|an[ \t]+de[rmn]|auf[ \t]+de[rmn]|im|in[ \t]+de[rmn]|zum|zur|unter[ \t]+den|hinter[ \t]+de[rmn]|"
    r"vor[ \t]+de[rmn]|alte[rs]?|op[ \t]+de|aan[ \t]+de|achter[ \t]+de)\b"
)
_NUMBER_AFTER = re.compile(rf"{_STREET_SUFFIX}|(?:ring|damm)$|{_STREET_PREFIX}", re.IGNORECASE)
#: street names written after the house number whatever the form's language: French street words first,
#: English street types last ("9 impasse des Tilleuls", "2871 Piedmont Rd NE")
_FRENCH_STREET = (r"^(?:rue|avenue|boulevard|bd|chemin|impasse|all[ée]e|place|quai|route|cours|passage|square|voie|"
                  r"sentier)\b")
_NUMBER_FIRST = re.compile(
    _FRENCH_STREET + r"|\b(?:street|st|road|rd|avenue|ave|drive|dr|lane|ln|court|ct|way|boulevard|blvd|place|pl|"
    r"terrace|crescent|close|grove|circle|cir|parkway|pkwy|highway|hwy|trail|trl)\.?(?:[ \t]+(?:[NS][EW]?|[EW]))?$",
    re.IGNORECASE,
)
#: a numberless value that names a street by its words (not an English type at its end: "Elk Grove" is a
#: town; nor "-ring": "Kettering")
_STREET_WORDS = re.compile(rf"{_FRENCH_STREET}|{_STREET_SUFFIX}|{_STREET_PREFIX}", re.IGNORECASE)
#: house-number labels of the languages that write the number after the street ("Hausnummer", "Número", "Nº")
_NUMBER_AFTER_LABEL = re.compile(r"haus|huis|n[uú]mero|civico|n\.?[ \t]?º|^nr\b", re.IGNORECASE)
#: postcodes of countries that write the number after the street (NL "3511 LK", PT "1250-146", BR "30150-370")
_POSTCODE_NUMBER_AFTER = re.compile(r"^(?:\d{4}[ \t]?[A-Za-z]{2}|\d{4}-\d{3}|\d{5}-\d{3})$")
#: a street that holds its house number already, first or last ("12 Elm St", "Kerkstraat 17b")
_HAS_NUMBER = re.compile(r"^\d+[a-zA-Z]?\b|\b\d+[ \t]?[a-zA-Z]?$")


def _number_after(street: str, label: str, out: Mapping[str, FieldValue]) -> bool:
    """Whether a house number given apart follows the street: the street's own words first, then the
    number field's label language, then the postcode's country."""
    if _NUMBER_FIRST.search(street):
        return False
    if _NUMBER_AFTER.search(street) or _NUMBER_AFTER_LABEL.search(label):
        return True
    postal = out.get("postal_code")
    return postal is not None and bool(_POSTCODE_NUMBER_AFTER.match(postal.value.strip()))


def _street_named(value: str, col: Collector) -> bool:
    """Whether a numberless address value names a street: a house number given apart, or street words."""
    return bool(col.best("house_number") or _STREET_WORDS.search(value))


def _compose_city(out: dict[str, FieldValue]) -> None:
    """A city field that holds more than the place: "Austin/TX", "Alcobendas, Madrid", "Braga, Portugal". The
    place is the first part; a state's code or a country after it fills that field when it is empty."""
    city = out.get("city")
    if city is None or not re.search(r"[,/]", city.value) or any(ch.isdigit() for ch in city.value):
        return
    loc = parse_locality(re.sub(r"\s*/\s*", ", ", city.value))
    parts = [p.strip() for p in re.split(r"\s*[,/]\s*", city.value) if p.strip()]
    if loc.get("city") and loc.get("region") and (len(loc["region"]) <= 3 or _first_level(loc["region"])):
        place, extra = loc["city"], {"region": loc["region"]}  # "Augsburg, Bayern", "Denver, Colorado"
    elif 2 <= len(parts) <= 3 and parts[0][:1].isalpha():
        countries = [p for p in parts[1:] if is_country(p)]
        place, extra = parts[0], ({"country": countries[0]} if countries else {})
    else:
        return
    out["city"] = FieldValue(place, city.source, city.confidence, city.flags, city.alternatives)
    for key, value in extra.items():
        if key not in out:
            out[key] = FieldValue(value, city.source, city.confidence * 0.9)


#: first-level regions written out that a city field may carry after the place: US states, Canadian
#: provinces, German Länder, Austrian and Swiss states, Spanish, French, Dutch and Italian regions
_FIRST_LEVEL = frozenset({"US", "CA", "DE", "AT", "CH", "IT", "BR", "MX", "AU", "ES", "FR", "NL"})


def _first_level(region: str) -> bool:
    """Whether a written-out region after a city is a state or province people give with their city ("Bayern",
    "Colorado"); a county or a Spanish province that shares its capital's name ("West Yorkshire", "Madrid")
    is not read as one."""
    return region_country(region) in _FIRST_LEVEL and region.casefold() not in _CITY_NAMED


#: regions named like their capital: after a city they are as often a district as the region
_CITY_NAMED = frozenset({"madrid", "berlin", "hamburg", "bremen", "wien", "vienna", "new york", "washington",
                         "são paulo", "sao paulo", "rio de janeiro", "ciudad de méxico", "roma", "napoli", "milano"})


#: a Dutch postcode field that asks for the house number too ("Postcode + huisnummer: 3514 BK 27", "1017 KJ 12-a")
_POSTCODE_THEN_NUMBER = re.compile(r"^\s*(\d{4}[ \t]?[A-Za-z]{2})[ \t,]+\d{1,5}(?:[ \t-]?[A-Za-z]{1,3})?\s*$")


def _compose_postal(out: dict[str, FieldValue]) -> None:
    """A postcode field that holds the place too: "Código Postal: 1250-146 Lisboa", "PLZ: 10115 Berlin"."""
    postal = out.get("postal_code")
    if postal is not None and (whole := _POSTCODE_THEN_NUMBER.match(postal.value)):
        out["postal_code"] = FieldValue(whole[1], postal.source, postal.confidence, postal.flags, postal.alternatives)
        return
    if postal is None or not re.search(r"\d[^\d]*\s[^\W\d]", postal.value):
        return
    loc = parse_locality(postal.value)
    if not (loc.get("postal") and (len(loc.get("city", "")) >= 3 or "city" not in loc)):  # "98101 wants a …"
        return  # "3511 AZ" is a Dutch postcode whole, no place
    out["postal_code"] = FieldValue(loc["postal"], postal.source, postal.confidence, postal.flags, postal.alternatives)
    for key in ("city", "region"):
        if loc.get(key) and key not in out:
            out[key] = FieldValue(loc[key], postal.source, postal.confidence * 0.9)


def _compose_name(col: Collector, out: dict[str, FieldValue]) -> None:
    """A Dutch form's "Tussenvoegsel: van der" belongs before the surname."""
    particle = col.best("name_particle")
    last = out.get("last_name")
    if particle and last is not None and not last.value.casefold().startswith(particle[0].value.casefold() + " "):
        out["last_name"] = FieldValue(f"{particle[0].value} {last.value}", last.source, last.confidence,
                                      last.flags, last.alternatives)


def _loose_postal_city(text: str) -> dict[str, str]:
    m = re.match(r"^\s*(\S*\d\S*?)[\s\-–/|,]+(\D.*)$", text.strip())
    return {"postal": m.group(1), "city": m.group(2)} if m else {"city": text}


# ---------------------------------------------------------------------------------------------- interest

_DETAIL_LABEL = {"vin": "VIN", "stock": "stock", "listing_id": "listing", "price": "price"}


def _model_year(c: Candidate) -> Candidate:
    """"Erstzulassung: 03/2022", "Anno: 2019-05": the vehicle's year, not the month it was registered."""
    m = re.fullmatch(r"\s*(?:\d{1,2}\s*[/.-]\s*)?((?:19|20)\d{2})(?:\s*[/.-]\s*\d{1,2})?\s*", c.value)
    return replace(c, value=m.group(1)) if m else c


def _compose_interest(col: Collector, out: dict[str, FieldValue]) -> None:
    def first(slot: str) -> Candidate | None:
        found = col.best(slot)
        return found[0] if found else None

    main_parts = [c for c in (first(s) for s in ("property_status", "year", "make", "model", "trim")) if c]
    main_parts = [_model_year(c) if c.slot == "year" else c for c in main_parts]
    detail: list[str] = []
    for slot in ("property_type", "vin", "stock", "listing_id", "price"):
        c = first(slot)
        if c is None:
            continue
        label = c.label or _DETAIL_LABEL.get(slot, "")
        if slot == "price" and not c.value.startswith(("$", "€", "£")) and re.fullmatch(r"[\d.,]+", c.value):
            detail.append(f"{label or 'price'} ${c.value}" if not c.label else f"{label} {c.value}")
        elif slot == "property_type" or not label:
            detail.append(c.value)
        else:
            detail.append(f"{label} {c.value}")
    detail.extend(c.value for c in col.best("interest_detail"))
    source = next((c.source for c in main_parts), None) or next(
        (c.source for s in ("vin", "stock", "listing_id", "interest_detail") for c in col.best(s)), "reader"
    )
    if "interest" in out:
        base = out["interest"]
        extra = [d for d in detail if d.casefold() not in base.value.casefold()]
        if extra:
            out["interest"] = FieldValue(
                f"{base.value} ({', '.join(extra)})", base.source, base.confidence, base.flags, base.alternatives
            )
        return
    main = " ".join(c.value for c in main_parts)
    if main and detail:
        out["interest"] = FieldValue(f"{main} ({', '.join(detail)})", source, 0.8)
    elif main or detail:
        out["interest"] = FieldValue(main or ", ".join(detail), source, 0.7)


def _compose_budget(col: Collector, out: dict[str, FieldValue]) -> None:
    if "budget" in out:
        return
    lo, hi = col.best("budget_min"), col.best("budget_max")
    if not lo and not hi:
        return
    parts = []
    if lo:
        parts.append(f"{lo[0].label or 'min'} {lo[0].value}".strip())
    if hi:
        parts.append(f"{hi[0].label or 'max'} {hi[0].value}".strip())
    src = (lo or hi)[0].source
    out["budget"] = FieldValue(" / ".join(parts), src, 0.7)


def merge_leads(primary: ExtractedLead, secondary: ExtractedLead) -> ExtractedLead:
    """Fields of ``primary``, gaps filled from ``secondary``; a differing secondary value becomes an alternative."""
    merged: dict[str, FieldValue] = dict(primary.fields)
    for name, fv in secondary.fields.items():
        if name not in merged:
            merged[name] = fv
        elif fv.value.casefold() != merged[name].value.casefold():
            merged[name] = merged[name].with_alternative(fv.value)
    seen = set(primary.others)
    others = primary.others + tuple(o for o in secondary.others if o not in seen)
    return ExtractedLead(merged, others)


def lead_from_mapping(values: Mapping[str, str], source: str) -> ExtractedLead:
    return ExtractedLead({k: FieldValue(v, source) for k, v in values.items() if v})


def unique(values: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for v in values:
        if v.casefold() not in seen:
            seen.add(v.casefold())
            out.append(v)
    return out
