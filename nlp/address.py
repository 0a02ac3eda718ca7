"""Component ``leadbot_address``: the prospect's postal address and country.

Anchored on postal codes, then widened to the street: US "City, ST 12345(-6789)" parsed with ``usaddress``;
Canadian "City, ON A1A 1A1"; German/Spanish "Musterstraße 12, 10115 Berlin" / "Calle Mayor 5, 28013
Madrid" (five digits before the city; which country follows from the street's form and the message's
language); UK "London SW1A 1AA". Country names and codes come from the span ruler (``COUNTRY`` spans,
``patterns/countries.jsonl``) as ISO 3166 alpha-2 codes.

An address written after "the property at", "the house at", "la propiedad en" … is what the prospect
asks about, not where they live: it is left to the interest component.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import usaddress
from spacy.language import Language
from spacy.tokens import Doc

from nlp.candidates import ADDRESS, Candidate, add, layout_of
from nlp.layout import Layout, Line

SPANS_KEY = "leadbot"
_US_STATES = [
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
    "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
    "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC",
    "PR"
]
_US_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
    "Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|"
    "North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|"
    "Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming"
)
_CA_PROVINCES = (
    "AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|Alberta|British Columbia|Manitoba|New Brunswick|Newfoundland|"
    "Nova Scotia|Ontario|Prince Edward Island|Quebec|Québec|Saskatchewan|Yukon"
)
_CITY = r"[A-ZÄÖÜÁÉÍÓÚÑ][\w'’.-]*(?:[ \t]+(?:de|del|la|am|an|im|in|upon|on|sur)?[ \t]*[A-ZÄÖÜÁÉÍÓÚÑ][\w'’.-]*){0,3}"
US_RE = re.compile(
    rf"(?<![\w-])(?P<state>{'|'.join(_US_STATES)}|{_US_STATE_NAMES})\.?,?[ \t]+(?P<zip>\d{{5}}(?:-\d{{4}})?)(?![\d-])"
)
CA_RE = re.compile(
    rf"(?<![\w-])(?P<state>{_CA_PROVINCES})\.?,?[ \t]+"
    r"(?P<zip>[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d)\b"
)
EU_RE = re.compile(rf"(?<![\w-])(?:D-|E-)?(?P<zip>\d{{5}})[ \t]+(?P<city>{_CITY})")
UK_RE = re.compile(r"(?<![\w-])(?P<zip>(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)[ \t]?\d[ABD-HJLNP-UW-Z]{2})\b")
_CITY_AT_END = re.compile(rf"(?P<city>{_CITY})[ \t]*,?[ \t]*$")
_HOUSE_NUMBER = re.compile(r"\b\d{1,6}[A-Za-z]?(?:-\d+)?[ \t]+(?:[NSEW]\.?[ \t]+)?[A-Z0-9]|\bP\.?[ \t]?O\.?[ \t]+Box\b")
_DE_STREET = re.compile(
    r"(?P<street>(?<![\w-])[A-ZÄÖÜ][\wäöüß.-]*(?:[ \t-][\wäöüß.-]+){0,3}?"
    r"(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt|hof|berg|feld"
    r"|Straße|Weg|Allee|Platz|Gasse|Ring)[ \t]+\d+[ \t]?[a-zA-Z]?)"
)
#: "Am Hafen 7", "Unter den Linden 12a": a street without a street word, written before ", 10115 Berlin"
_NAME_THEN_NUMBER = re.compile(r"[A-ZÄÖÜ][\wäöüß.'-]*(?:[ \t][\wäöüß.'-]+){0,3}[ \t]+\d{1,4}[ \t]?[a-zA-Z]?")
_ES_STREET = re.compile(
    r"(?P<street>(?:Calle|C/|Avda\.?|Avenida|Av\.|Plaza|Pza\.?|Paseo|Camino|Ronda|Carrer|Travesía|Pasaje|Rambla)"
    r"[ \t]+[^\n,]{2,40}?,?[ \t]*(?:n[º°o]\.?[ \t]*)?\d+[^\n,]{0,12})"
)
_PROPERTY_CONTEXT = re.compile(
    r"(?i)(?:property|listing|house|home|condo|apartment|unit|lot|showing|open house|the one|objekt|wohnung|"
    r"haus|immobilie|grundstück|propiedad|casa|piso|departamento|inmueble)\b[^.\n]{0,25}\b(?:at|on|in|an der|in der|"
    r"en|de|ubicad[oa] en)?\s*$"
)
_STREET_KEYS = (
    "AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix", "StreetNamePreModifier",
    "StreetNamePreDirectional", "StreetNamePreType", "StreetName", "StreetNamePostType",
    "StreetNamePostDirectional", "SubaddressType", "SubaddressIdentifier", "OccupancyType",
    "OccupancyIdentifier", "USPSBoxType", "USPSBoxID", "BuildingName",
)


@dataclass(frozen=True, slots=True)
class _Found:
    start: int
    end: int
    parts: dict[str, str]
    country: str | None


class Address:
    def __init__(self, name: str) -> None:
        self.source = f"nlp:{name}"

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        text = layout.text
        taken: list[tuple[int, int]] = []
        found: list[_Found] = []
        for line_no, line in enumerate(layout.lines):
            if layout.in_greeting(line.start, line.end):
                continue
            previous = layout.lines[line_no - 1] if line_no else None
            for finder in (_us, _ca, _eu, _uk):
                for item in finder(line, previous, layout):
                    if any(item.start < e and item.end > s for s, e in taken):
                        continue
                    taken.append((item.start, item.end))
                    found.append(item)
        for item in found:
            prefix = text[max(layout.region[0], item.start - 60) : item.start]
            if _PROPERTY_CONTEXT.search(prefix):
                continue  # what they ask about, not where they live
            value = ", ".join(v for k, v in item.parts.items() if k != "country" and v)
            confidence = 0.75 if "street" in item.parts else 0.6
            add(doc, Candidate(ADDRESS, value, confidence, self.source, item.start, parts=item.parts))
            if item.country:
                add(doc, Candidate("country", item.country, 0.45, self.source, item.start))
        for span in doc.spans.get(SPANS_KEY, []):
            if span.label_ != "COUNTRY" or not layout.in_region(span.start_char, span.end_char):
                continue
            near = any(s - 5 <= span.start_char <= e + 40 for s, e in taken)
            add(doc, Candidate("country", span.id_, 0.8 if near else 0.55, self.source, span.start_char))
        return doc


def _split_prefix(line: Line, match_start: int, previous: Line | None) -> tuple[str | None, str | None, int]:
    """(street, city, start offset) from the text before a postcode anchor, or the previous line."""
    prefix = line.text[:match_start].rstrip(" ,")
    start = line.start + match_start
    city: str | None = None
    street: str | None = None
    if prefix:
        head, _, tail = prefix.rpartition(",")
        if not head and (number := _HOUSE_NUMBER.search(prefix)):
            # "123 Main St Springfield": street and city run together; the caller splits them
            return prefix[number.start() :], None, line.start + number.start()
        city_m = _CITY_AT_END.search(tail if head else prefix)
        if city_m:
            city = city_m["city"]
            start = line.start + (len(head) + 1 if head else 0) + city_m.start()
        rest = head if head else prefix[: city_m.start()] if city_m else prefix
        street_m = (_HOUSE_NUMBER.search(rest) or _DE_STREET.search(rest) or _ES_STREET.search(rest)
                    or _NAME_THEN_NUMBER.fullmatch(rest.strip()))
        if street_m:
            street = rest[street_m.start() :].strip(" ,")
            start = line.start + street_m.start()
    if street is None and previous is not None:
        text = previous.text.strip()
        if _HOUSE_NUMBER.match(text) or _DE_STREET.fullmatch(text) or _ES_STREET.fullmatch(text):
            street, start = text.rstrip(" ,"), previous.start
    return street, city, start


def _us(line: Line, previous: Line | None, layout: Layout) -> list[_Found]:
    out: list[_Found] = []
    for m in US_RE.finditer(line.text):
        street, city, start = _split_prefix(line, m.start(), previous)
        parts = {"street": street or "", "city": city or "", "region": m["state"], "postal_code": m["zip"]}
        if street and not city:
            # "123 Main St Springfield IL": only usaddress knows where the street ends and the city begins
            parts.update(_usaddress_parts(f"{street} {m.group()}"))
        if not (city or street):
            continue
        out.append(_Found(start, line.start + m.end(), _nonempty(parts), "US"))
    return out


def _usaddress_parts(address: str) -> dict[str, str]:
    try:
        tagged, _kind = usaddress.tag(address)
    except usaddress.RepeatedLabelError:
        return {}
    street = " ".join(tagged[k] for k in _STREET_KEYS if k in tagged)
    parts = {"street": street.strip(" ,"), "city": tagged.get("PlaceName", "").strip(" ,")}
    return {k: v for k, v in parts.items() if v}


def _ca(line: Line, previous: Line | None, layout: Layout) -> list[_Found]:
    out: list[_Found] = []
    for m in CA_RE.finditer(line.text):
        street, city, start = _split_prefix(line, m.start(), previous)
        parts = {"street": street or "", "city": city or "", "region": m["state"], "postal_code": m["zip"]}
        out.append(_Found(start, line.start + m.end(), _nonempty(parts), "CA"))
    return out


def _eu(line: Line, previous: Line | None, layout: Layout) -> list[_Found]:
    out: list[_Found] = []
    for m in EU_RE.finditer(line.text):
        street, _city, start = _split_prefix(line, m.start(), previous)
        german = bool(street and _DE_STREET.search(street)) or (not street and layout.lang == "de")
        spanish = bool(street and _ES_STREET.search(street)) or (not street and layout.lang == "es")
        if not (german or spanish or street):
            continue  # five digits and a word, nothing else: too weak
        country = "DE" if german else "ES" if spanish else None
        if country is None:
            country = {"de": "DE", "es": "ES"}.get(layout.lang)
        parts = {"street": street or "", "city": m["city"].rstrip("."), "postal_code": m["zip"]}
        out.append(_Found(start, line.start + m.end(), _nonempty(parts), country))
    return out


def _uk(line: Line, previous: Line | None, layout: Layout) -> list[_Found]:
    out: list[_Found] = []
    for m in UK_RE.finditer(line.text):
        street, city, start = _split_prefix(line, m.start(), previous)
        if not city and previous is not None and re.fullmatch(_CITY, previous.text.strip(" ,")):
            city, start = previous.text.strip(" ,"), previous.start
        if not city:
            continue
        parts = {"street": street or "", "city": city, "postal_code": m["zip"]}
        out.append(_Found(start, line.start + m.end(), _nonempty(parts), "GB"))
    return out


def _nonempty(parts: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in parts.items() if v}


@Language.factory("leadbot_address", default_config={})
def make_address(nlp: Language, name: str) -> Address:
    return Address(name)
