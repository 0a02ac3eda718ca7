"""Postal addresses, the one implementation: every supported format's postcode and street shapes.

Two jobs, one set of patterns:

- ``parse_address`` / ``parse_locality`` split a value a reader already knows is an address (a form's
  "Address:" field, one or several lines) into street, city, region, postal code and country.
- ``find_addresses`` finds addresses in free text, anchored on postal codes and widened to the street
  before them or on the line above: US "City, ST 12345(-6789)"; Canada "City, ON A1A 1A1"; UK "London
  SW1A 1AA"; Germany, Spain, France, Italy "Musterstraße 12, 10115 Berlin" (five digits, then the city);
  the Netherlands "Lindelaan 82, 3581 AB Utrecht"; Portugal "Rua Augusta 100, 1100-053 Lisboa"; Brazil
  "Av. Paulista 1000, São Paulo - SP, 01310-100".

The patterns of each format live in ``parsers.postal_formats``. Pure functions over strings; ``usaddress``
helps only where a US street and city run together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import usaddress

from parsers.address_lines import is_lower_clause, without_prose_tail
from parsers.postal_formats import (
    BR_CITY_STATE,
    BR_RE,
    BR_STATES,
    CA_LOWER_RE,
    CA_PROVINCES,
    CA_RE,
    CITY,
    CITY_AT_END,
    COUNTRY_WORDS,
    DE_STREET,
    EU4_COUNTRY,
    EU4_RE,
    EU_RE,
    HOUSE_NUMBER,
    NAME_THEN_NUMBER,
    NL_RE,
    NUMBER_THEN_ROMANCE,
    PT_RE,
    ROMANCE_STREET,
    UK_RE,
    US_LOWER_RE,
    US_RE,
    US_STATE_NAMES,
    US_STATES,
)
from parsers.regions import region_country

_DIGIT = re.compile(r"\d")

_STREET_KEYS = (
    "AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix", "StreetNamePreModifier",
    "StreetNamePreDirectional", "StreetNamePreType", "StreetName", "StreetNamePostType",
    "StreetNamePostDirectional", "SubaddressType", "SubaddressIdentifier", "OccupancyType",
    "OccupancyIdentifier", "USPSBoxType", "USPSBoxID", "BuildingName",
)

_SPACES = re.compile(r"[ \t\u00a0]+")
_US_STATE = r"[A-Z]{2}|[A-Z][a-z]+(?: [A-Z][a-z]+)?"
_CSZ = re.compile(
    rf"^(?P<city>[^\d,][^,]*?)\s*,?\s+(?P<region>{_US_STATE})\.?\s*,?\s+"
    r"(?P<postal>\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d)$"
)
#: "TX 75093", "Texas 75093": a state's code or name (not any capitalised word: "Lyon 69003" is a city)
_RZ = re.compile(rf"^(?P<region>{'|'.join(US_STATES)}|{US_STATE_NAMES}|{CA_PROVINCES})\s+"
                 r"(?P<postal>\d{5}(?:-\d{4})?|[A-Z]\d[A-Z] ?\d[A-Z]\d)$")
_CITY_REGION = re.compile(r"^(?P<city>[^\d,][^,]*?)\s*(?:,|\s-)\s*(?P<region>[A-Z]{2})$")
_PC_CITY = re.compile(
    r"^(?:[A-Z]{1,2}\s?-\s?)?(?P<postal>[1-9]\d{3}\s?[A-Z]{2}(?=\s)|\d{4,5}(?:-\d{3})?)\s+(?P<city>[^\d,][^,]*)$")
_CITY_PC = re.compile(
    r"^(?P<city>[^\d,][^,]*?)\s*,?\s+(?P<postal>(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?) ?\d[ABD-HJLNP-UW-Z]{2}|"
    r"\d{5}-\d{3}|[1-9]\d{3} ?[A-Z]{2}|\d{5})$")
#: "Torino (TO)", "Sevilla (Sevilla)": the province or state in brackets after the city (IT, ES, FR)
_CITY_PAREN = re.compile(r"^(?P<city>[^\d,()][^,()]*?)\s*\((?P<region>[^\d(),]{2,30})\)$")
#: "Milano MI": a two-letter province or state code after the city, with no comma
_CITY_CODE = re.compile(r"^(?P<city>[^\d,]*[a-zà-ÿ][^\d,]*?)\s+(?P<region>[A-Z]{2})$")
_BR_LOCALITY = re.compile(
    rf"^(?P<city>[^\d,][^,]*?)\s*(?:-|/)\s*(?P<region>{BR_STATES})\s*,?\s*(?P<postal>\d{{5}}-?\d{{3}})?$")


#: "Beaverton, Oregon", "Passau (Bayern)", "Contagem - Minas Gerais": a city, then a region written out
_CITY_NAMED_REGION = re.compile(r"^(?P<city>[^\d,()]+?)\s*(?:,|\s-|\()\s*(?P<region>[^\d,()]{3,40}?)\)?$")


#: "CEP 01310-100", "C.P. 28013", "PLZ 10115": the postcode's own label before it
_POSTAL_WORD = re.compile(r"(?:^|(?<=[\s,]))(?:CEP|C\.?\s?P\.?|PLZ|Postcode|Post code|Zip(?: code)?)\s*:?\s*(?=\d)",
                          re.IGNORECASE)
#: "Fitzroy VIC 3065": an Australian suburb, state and postcode
_AU_LOCALITY = re.compile(r"^(?P<city>[^\d,][^,]*?)\s+(?P<region>NSW|VIC|QLD|WA|SA|TAS|ACT|NT)\s+(?P<postal>\d{4})$")
#: a one-line European address without a comma: "9 Rue Victor Hugo 69002 Lyon", "Via Garibaldi 7 - 10122 Torino"
_STREET_THEN_PC = re.compile(
    r"^(?P<street>(?=[^\d]*\d)(?=.*[^\W\d_]).+?)\s*[-–]?\s+"
    r"(?P<loc>(?:[A-Z]{1,2}-)?(?:[1-9]\d{3}\s?[A-Z]{2}|\d{4,5}(?:-\d{3})?)\s+[^\d,]+)$")


#: "12345 Main St": a US house number and street, not a postcode and a place
_US_STREET_END = re.compile(
    r"\b(?:st|street|ave|avenue|rd|road|dr|drive|ln|lane|blvd|way|ct|court|pl|hwy|pkwy|cir)\.?$", re.IGNORECASE)


def _clean(text: str) -> str:
    return _SPACES.sub(" ", text.replace("\n", " ")).strip()


def is_country(text: str) -> bool:
    folded = text.strip().casefold()
    return folded.rstrip(".") in COUNTRY_WORDS or folded in COUNTRY_WORDS


def parse_locality(text: str) -> dict[str, str]:
    """Read "City, ST 12345", "ST 12345", "City, ST", "12345 City", "City 12345", "3511 AB Utrecht",
    "1100-053 Lisboa", "London SW1A 1AA", "São Paulo - SP, 01310-100", "Torino (TO)" or "Milano MI" into
    city/region/postal ({} if none fits)."""
    text = _POSTAL_WORD.sub("", _clean(text).strip(" ,."))
    # "British Columbia V6Z 2C7" is a province and its postcode, not a city "British" in a region "Columbia"
    for rx in (_RZ, _CSZ, _BR_LOCALITY, _AU_LOCALITY, _PC_CITY, _CITY_PC, _CITY_REGION, _CITY_PAREN, _CITY_CODE):
        m = rx.match(text)
        if m:
            # "46001 - Valencia", "01310-100 / São Paulo": the separator a form's combined field puts between
            # the postcode and the place belongs to neither
            parts = {k: v.strip().rstrip(".").strip(_BETWEEN) for k, v in m.groupdict().items() if v}
            if rx is _PC_CITY and is_lower_clause(parts.get("city", "")):
                return {"postal": parts["postal"]}  # "zip: 98101 wants a quote": the note goes on after the code
            if "city" in parts and "region" not in parts and rx is not _CITY_PC:
                # "20121 Milano MI", "41004 Sevilla (Sevilla)": the province after the city
                more = _CITY_PAREN.match(parts["city"]) or _CITY_CODE.match(parts["city"])
                if more:
                    parts.update(city=more["city"].strip(), region=more["region"].strip())
            return {k: v for k, v in parts.items() if v}
    named = _CITY_NAMED_REGION.match(text)
    if named and region_country(named["region"]):
        return {"city": named["city"].strip(), "region": named["region"].strip()}
    return {}


#: a mail or chat quote mark opening a line ("> ", ">> ")
_QUOTE_MARK = re.compile(r"^(?:>[ \t]*)+")
#: what a combined "PLZ / Ort", "CP - Ciudad" or "CEP | Cidade" field writes between its two parts
_BETWEEN = " -–/|,;:"


def parse_address(text: str) -> dict[str, str]:
    """Split a postal address (one or several lines, or comma-separated) into street/city/region/postal/country.

    Unknown shapes yield just ``street``. US addresses without commas fall back to ``usaddress``.
    """
    # "77 Ridge Rd" / "> Bend, OR 97701": a quoted value's continuation keeps its quote mark, no part of the place
    lines = [_QUOTE_MARK.sub("", _clean(x)) for x in text.replace("\r", "\n").split("\n")]
    lines = without_prose_tail([x.strip(" ,") for x in lines if x.strip(" ,")])  # a label value run into the note
    if len(lines) == 1:
        lines = [p.strip() for p in lines[0].split(",") if p.strip()]
    if not lines:
        return {}
    if len(lines) == 1 and not any(ch.isdigit() for ch in lines[0]):
        loc = parse_locality(lines[0])  # "Passau (Bayern)", "Torino (TO)": a place and its region, no street
        if "city" in loc:
            return loc
    if len(lines) >= 2 and _ROMANCE_STREET.match(lines[0]) and not any(ch.isdigit() for ch in lines[0]) and (
            num := _NUMBER_PART.match(lines[1])):  # "Av. Paulista, 1000 - apto 12 - Bela Vista": no postcode
        units = [u for u in re.split(r"[ \t]+[-–][ \t]+", num["rest"] or "") if _UNIT.match(u)]
        lines = [" - ".join([f"{lines[0]}, {num['number']}", *units]), *lines[2:]]
    out: dict[str, str] = {}
    if len(lines) > 1 and is_country(lines[-1]):
        out["country"] = lines.pop()
    if len(lines) >= 2:
        loc = parse_locality(lines[-1])
        city_apart = "city" not in loc  # the city, if any, is a part of its own before the postcode
        if loc and "city" not in loc and len(lines) >= 3:
            # "123 Main St, Springfield, IL 62704": the city is its own part
            loc["city"] = lines[-2]
            lines = lines[:-1]
        elif loc and "city" not in loc and len(lines) == 2 and not any(ch.isdigit() for ch in lines[0]):
            # "Cary, NC 27513": a place without a number before the state is the city, not a street
            out.update(loc, city=lines[0])
            return {k: v for k, v in out.items() if v}
        elif not loc and len(lines) >= 2:
            loc = parse_locality(", ".join(lines[-2:]))
            if loc:
                lines = lines[:-1]
        if city_apart and "region" not in loc and len(lines) >= 3 and region_country(loc.get("city")) \
                and not any(ch.isdigit() for ch in lines[-2]):
            # "23 Millbrook Close, Tonbridge, Kent, TN10 4QS": the county between the town and the postcode
            loc["region"] = loc.pop("city")
            loc["city"] = lines[-2]
            lines = [*lines[:-2], lines[-1]]
        if loc:
            out.update(loc)
            out["street"] = _without_district(", ".join(lines[:-1]))
            return {k: v for k, v in out.items() if v}
    single = ", ".join(lines)
    one_line = _STREET_THEN_PC.match(single) if len(lines) == 1 else None
    if one_line:
        loc = parse_locality(one_line["loc"])
        if loc.get("postal") and loc.get("city") and not _US_STREET_END.search(loc["city"]):
            out.update(loc)
            out["street"] = one_line["street"].strip(" ,-–")
            return out
    tagged = usaddress_parts(single)
    if tagged:
        out.update(tagged)
        return out
    out["street"] = single
    return out


#: a street word that the house number follows in Portuguese, Spanish and Italian
_ROMANCE_STREET = re.compile(r"(?:rua|r\.|av\.?|avenida|avda\.?|alameda|travessa|pra[çc]a|estrada|rodovia|largo|"
                             r"calle|c/|plaza|paseo|camino|carrer|via|viale|piazza|corso)[ \t]", re.IGNORECASE)
#: the house number after the street's comma, and what follows it after a dash: unit, district
_NUMBER_PART = re.compile(r"(?:n[º°o]\.?[ \t]*)?(?P<number>\d{1,5}[A-Za-z]?)(?:[ \t]*[-–][ \t]*(?P<rest>.+))?$")
_UNIT = re.compile(r"(?:apto?|apartamento|casa|bloco|bl|sala|conj|piso|andar|puerta|interno|loja)\b", re.IGNORECASE)
#: "Av. Brigadeiro Faria Lima, 2232 - Jardim Paulistano": a Brazilian street, its number, then the bairro
_DISTRICT_AFTER = re.compile(r"^(?P<street>(?:rua|r\.|av\.?|avenida|alameda|travessa|pra[çc]a|estrada|rodovia|largo)\b"
                             r".*?\d[\w/-]*)[ \t]+[-–][ \t]+[^\d,]+$", re.IGNORECASE)


def _without_district(street: str) -> str:
    """A street without the neighbourhood (bairro) written after its number: that is no part of the street."""
    m = _DISTRICT_AFTER.match(street)
    return m["street"] if m else street


def usaddress_parts(text: str) -> dict[str, str]:
    """A one-line US address split by ``usaddress`` (street, city, region, postal_code), or {}."""
    if not re.search(r"\b\d{5}(?:-\d{4})?\b", text):
        return {}
    try:
        parts, kind = usaddress.tag(text)
    except (usaddress.RepeatedLabelError, ValueError, TypeError):
        return {}
    if kind != "Street Address" or not {"PlaceName", "StateName", "ZipCode"} <= set(parts):
        return {}
    street = " ".join(v for k, v in parts.items() if k not in ("PlaceName", "StateName", "ZipCode", "CountryName"))
    out = {"street": street.strip(" ,"), "city": parts["PlaceName"].strip(" ,"),
           "region": parts["StateName"].strip(" ,"), "postal_code": parts["ZipCode"]}
    if "CountryName" in parts:
        out["country"] = parts["CountryName"]
    return out


def split_us_street_city(text: str) -> dict[str, str]:
    """"123 Main St Springfield IL 62704": where the street ends and the city begins, by ``usaddress``."""
    try:
        tagged, _kind = usaddress.tag(text)
    except (usaddress.RepeatedLabelError, ValueError, TypeError):
        return {}
    street = " ".join(tagged[k] for k in _STREET_KEYS if k in tagged)
    parts = {"street": street.strip(" ,"), "city": tagged.get("PlaceName", "").strip(" ,")}
    return {k: v for k, v in parts.items() if v}


# ---------------------------------------------------------------------------------------------- in free text


@dataclass(frozen=True, slots=True)
class FoundAddress:
    """An address found in text: character offsets, its parts and the country its format implies."""

    start: int
    end: int
    parts: dict[str, str]
    country: str | None


def _is_street(text: str) -> bool:
    return bool(HOUSE_NUMBER.match(text) or DE_STREET.fullmatch(text) or ROMANCE_STREET.fullmatch(text)
                or NUMBER_THEN_ROMANCE.fullmatch(text))


def _tighten(street: str) -> str:
    """"wohne in der Kastanienallee 9" → "Kastanienallee 9": the shortest tail that is still a German street."""
    words = street.split(" ")
    for k in range(len(words) - 1, 0, -1):
        tail = " ".join(words[k:])
        if DE_STREET.fullmatch(tail) and tail[:1].isupper():
            return tail
    return street


def split_prefix(line: str, offset: int, match_start: int, previous: tuple[int, str] | None, *,
                 city_before: bool = True) -> tuple[str | None, str | None, int]:
    """(street, city, start offset) from the text before a postcode anchor at ``match_start`` of ``line``
    (which starts at ``offset``), or from the previous line ((offset, text)). ``city_before`` is False for
    formats that write the city after the postcode ("10115 Berlin"): then all of the prefix may be street."""
    prefix = line[:match_start].rstrip(" ,")
    start = offset + match_start
    city: str | None = None
    street: str | None = None
    if prefix and not city_before:
        part = prefix.rpartition(",")[2] if "," in prefix else prefix
        part_start = len(prefix) - len(part)
        street_m = (NUMBER_THEN_ROMANCE.search(part) or DE_STREET.search(part) or ROMANCE_STREET.search(part)
                    or HOUSE_NUMBER.search(part) or NAME_THEN_NUMBER.search(part))
        if street_m is None and "," in prefix:
            head, _, unit = prefix.rpartition(",")
            while "," in head and _UNIT_PART.fullmatch(head.rpartition(",")[2].strip()):
                head = head.rpartition(",")[0]  # "Via dei Mille 14, scala C, int. 7": every unit part
            tail_m = (NUMBER_THEN_ROMANCE.search(head) or DE_STREET.search(head) or ROMANCE_STREET.search(head)
                      or HOUSE_NUMBER.search(head))
            if tail_m:
                # "Calle Mayor 23, 2º izq., 46001 Valencia": the floor and door belong to the street line
                end = len(prefix) if _UNIT_PART.fullmatch(unit.strip()) else len(head)
                return prefix[tail_m.start() : end].strip(" ,"), None, offset + tail_m.start()
        if street_m:
            street = _tighten(part[street_m.start():].strip(" ,"))
            return street, None, offset + part_start + part.rfind(street)
        prefix = ""
    if prefix:
        head, _, tail = prefix.rpartition(",")
        if not head and (number := HOUSE_NUMBER.search(prefix)) and not NUMBER_THEN_ROMANCE.search(prefix):
            # "123 Main St Springfield": street and city run together; the caller splits them
            return prefix[number.start():], None, offset + number.start()
        city_m = CITY_AT_END.search(tail if head else prefix)
        if city_m and (inside := _STREET_WORD_IN_CITY.search(city_m["city"])) and _NUMBER_BEFORE.search(
                tail if head else prefix, 0, city_m.start()):
            # "…, 18 Aspen Ct Lakewood CO 80226": the street word ends the street, the city follows it
            city_m = CITY_AT_END.search(tail if head else prefix, city_m.start() + inside.end())
        if city_m and (inside := _IN_CITY.search(city_m["city"])):
            # "lives at 604 Wren Ct in Cary, NC 27513": the city is what follows "in"
            city_m = CITY_AT_END.search(tail if head else prefix, city_m.start() + inside.end())
        if city_m:
            city = city_m["city"]
            start = offset + (len(head) + 1 if head else 0) + city_m.start()
        rest = head if head else prefix[: city_m.start()] if city_m else prefix
        if head and city_m and HOUSE_NUMBER.search(tail[: city_m.start()]):
            # "…, jo@x.com. Address is 450 W 33rd St Apt 12C New York NY 10001": the street is in the last part
            rest, offset = tail[: city_m.start()], offset + len(head) + 1
        skip = _street_segment(rest)
        if skip:
            # "Fiona, 0131 496 0773, fiona@x.com - 14 Marchmont Crescent": the segment the street starts,
            # not the phone number or e-mail before it
            rest, offset = rest[skip:], offset + skip
        street_m = (NUMBER_THEN_ROMANCE.search(rest) or HOUSE_NUMBER.search(rest) or DE_STREET.search(rest)
                    or ROMANCE_STREET.search(rest) or NAME_THEN_NUMBER.fullmatch(rest.strip()))
        if street_m and street_m.re is HOUSE_NUMBER and not _LETTER.search(_part_at(rest, street_m.start())):
            # "James Holt 07700 900123, 12 High Street": a phone's digits read as a house number
            street_m = next((n for n in HOUSE_NUMBER.finditer(rest, street_m.end())
                             if _LETTER.search(_part_at(rest, n.start()))), street_m)
        if street_m and _PROSE.search(rest, street_m.start()):
            # "a 2025 Accord Hybrid this afternoon … Customer: Rafaela Vanterpool, 1140 N Sycamore St": the first
            # number opens a sentence, not the street; the street is the first number with no prose after it
            street_m = next((n for n in HOUSE_NUMBER.finditer(rest, street_m.end()) if not _PROSE.search(
                rest, n.start())), street_m)
        if street_m:
            begin = _unit_before(rest, street_m.start())
            street = rest[begin:].strip(" ,")
            start = offset + begin
    if street is None and previous is not None:
        text = previous[1].strip()
        if _is_street(text) or (not city_before and _NAMED_STREET_LINE.fullmatch(text.rstrip(" ,"))
                                and not _NOT_STREET_WORD.match(text)):
            # "Am Mühlbach 7" above "83022 Rosenheim": a name and a house number on the line above
            street, start = text.rstrip(" ,"), previous[0]
    if street:
        street = _IN_CITY.sub("", street.rstrip())
    return street, city, start


#: a part after a street that says where in the building: floor, door, flat, staircase ("2º izq.", "3º B", "apto 32",
#: "int. 4", "Bât. B", "c/ 302", "Hinterhaus", "bus 2")
_UNIT_PART = re.compile(
    r"(?i)(?:\d{1,3}[ \t]?[ºª°o]\.?(?:[ \t]*(?:[A-Z]|izq(?:da)?|dcha?|dto|esq|dta|fte|frt|ctro|centro)\.?)?|"
    r"(?:apt|apto|apartamento|app|appt|appartement|piso|planta|puerta|pta|esc|escalera|int|interno|scala|bus|"
    r"b[âa]t|b[âa]timent|[ée]tage|etg|whg|wohnung|stock|og|dg|eg|c/|bloco|bl|sala|andar|flat|unit|suite|ste|"
    r"apartment|#)\.?[ \t]*[\w/.-]{0,8}|hinterhaus|vorderhaus|seitenflügel|gartenhaus|bis|ter)")
#: a flat, unit or suite written as its own part before the street ("Flat 3, 41 Cold Bath Road"), after a label
_UNIT_FIRST = re.compile(r"(?:^|[,:;][ \t]*)(?P<unit>(?i:flat|unit|suite|ste|apt|apartment|apartamento|piso|"
                         r"wohnung|appartement)\.?[ \t]*[\w/-]{1,6})[ \t]*,[ \t]*$")


def _unit_before(rest: str, street_start: int) -> int:
    """Where a street that starts at ``street_start`` of ``rest`` begins with the flat written before it."""
    m = _UNIT_FIRST.search(rest, 0, street_start)
    return m.start("unit") if m else street_start


_LETTER = re.compile(r"[^\W\d_]")


def _part_at(text: str, pos: int) -> str:
    """The part of ``text`` that starts at ``pos``, up to the next comma or dash between spaces."""
    return re.split(r",|[ \t][-–—|][ \t]", text[pos:], maxsplit=1)[0]


#: prose inside what would be a street: three lower-case words in a row, or a label's colon ("this afternoon and
#: she", "Customer:")
_PROSE = re.compile(r"\b[a-z]+[ \t]+[a-z]+[ \t]+[a-z]+\b|\w:[ \t]")
#: a US street word inside what reads as a city's name, another capitalised word after it ("Aspen Ct Lakewood")
_STREET_WORD_IN_CITY = re.compile(r"\b(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Blvd|Boulevard|Way|Ct|Court|"
                                  r"Pl|Cir|Circle|Ter|Terrace|Pkwy|Hwy|Trl|Trail|Loop)\.?[ \t]+(?=[A-Z])")
#: a house number right before a place's name
_NUMBER_BEFORE = re.compile(r"(?<![\d-])\d{1,6}[A-Za-z]?[ \t]+$")
#: " in " inside what reads as a city's name: a street, then the city ("Wren Ct in Cary")
_IN_CITY = re.compile(r"[ \t]in(?:[ \t]*$|[ \t]+(?=[A-Z]))")
#: where a note's separated parts begin: after ", ", "; ", " - ", " | "
_SEGMENT_START = re.compile(r"(?:^|[,;|][ \t]*|[ \t][-–—][ \t]+)(?=\S)")
#: a part that is only a phone number or an e-mail address
_NOT_STREET_PART = re.compile(r"[\d\s()+./-]*|\S+@\S+")


def _street_segment(rest: str) -> int:
    """Where the first separated part of ``rest`` that starts with a house number begins, when parts that
    are only a phone number or an e-mail come before it (0 otherwise: the usual search decides)."""
    seen_other = False
    for m in _SEGMENT_START.finditer(rest):
        start = m.end()
        end = _SEGMENT_START.search(rest, start + 1)
        part = rest[start : end.start() if end else len(rest)].strip()
        if _NOT_STREET_PART.fullmatch(part):
            seen_other = True
        elif seen_other and HOUSE_NUMBER.match(part):
            return start
    return 0


#: a line that is only a street name and a house number ("Am Mühlbach 7", "Unter den Linden 12a")
_NAMED_STREET_LINE = re.compile(r"[A-ZÄÖÜ][\wäöüß.'-]*(?:[ \t][\wäöüß.'-]+){0,3}[ \t]+\d{1,4}[ \t]?[a-zA-Z]?")
#: words that start a line with a number that is no street ("Tel 0711", "Fax 12", "Zimmer 4", "Suite 200")
_NOT_STREET_WORD = re.compile(r"^(?:tel|telefon|phone|fax|mobil|handy|zimmer|raum|suite|apt|unit|etage|stock|"
                              r"postfach|kw|nr|no|room|floor|box)\b", re.IGNORECASE)


_STREET_COUNTRY = (
    (re.compile(r"^(?:calle|c/|avda|avenida|plaza|pza|paseo|camino|ronda|carrer|traves[íi]a|pasaje|rambla)\b", re.I),
     "ES"),
    (re.compile(r"^(?:rua|r\.|travessa|alameda|pra[çc]a|largo|estrada|rodovia)\b", re.I), "PT"),
    (re.compile(r"^(?:via|viale|piazza|corso|vicolo)\b|^\d+[ \t]+(?:via|viale|piazza|corso)\b", re.I), "IT"),
    (re.compile(r"^\d{1,4}(?:[ \t]?(?:bis|ter))?,?[ \t]+(?:rue|avenue|boulevard|bd|chemin|impasse|all[ée]e|place|"
                r"quai|route|cours)\b|^(?:rue|chemin|impasse|boulevard|quai)\b", re.I), "FR"),
)


def street_country(street: str) -> str | None:
    """The country a street's form implies ("Calle Mayor 5" → ES, "5 chemin des Oliviers" → FR), or None."""
    for rx, code in _STREET_COUNTRY:
        if rx.search(street.strip()):
            return code
    return None


def _nonempty(parts: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in parts.items() if v}


def _after(line: str, floor: int) -> str:
    """``line`` with its first ``floor`` characters blanked (offsets stay those of the line)."""
    return " " * floor + line[floor:] if floor else line


def _postcode_city(found: str) -> str:
    """A postcode's city up to the end of its sentence: "Madrid. Quiero reformar" → "Madrid"."""
    return re.split(r"\.[ \t]", found, maxsplit=1)[0].rstrip(".")


#: what may follow a postcode's city: its province in brackets or a region's name after a comma
_BEYOND = re.compile(r"[ \t]*(?:\((?P<paren>[^()\d\n]{2,30})\)|,[ \t]*(?P<named>[^\W\d][^,;.\n()]{2,30}?)"
                     r"(?=[ \t]*(?:[,;.]|$|[-–—|/][ \t])))")  # "04109 Leipzig, Sachsen — möchte …"


def _region_beyond(line: str, m: re.Match[str]) -> str:
    """The region written after a postcode and its city: "37121 Verona (VR)", "41004 Sevilla (Sevilla)",
    "80331 München, Bayern" ("" when none is)."""
    if m["city"] != _postcode_city(m["city"]):
        return ""  # the city ended with its sentence: what follows is not its region
    beyond = _BEYOND.match(line, m.end())
    if beyond is None:
        return ""
    if beyond["paren"]:
        inner = beyond["paren"].strip()
        return inner if (len(inner) == 2 and inner.isupper()) or region_country(inner) else ""
    return beyond["named"].strip() if region_country(beyond["named"]) else ""


def find_in_line(line: str, offset: int = 0, previous: tuple[int, str] | None = None,
                 lang: str | None = None) -> list[FoundAddress]:
    """Addresses anchored on a postcode in one line of text (``offset`` is where the line starts)."""
    if not _DIGIT.search(line):
        return []  # every postcode below has a digit: a line without one (most prose) is not scanned nine times
    found: list[FoundAddress] = []
    taken: list[tuple[int, int]] = []

    def keep(item: FoundAddress) -> None:
        if not any(item.start < e and item.end > s for s, e in taken):
            taken.append((item.start, item.end))
            found.append(item)

    floor = 0  # where the text before the next postcode starts: a second address in a line has its own street
    for m in US_RE.finditer(line):
        street, city, start = split_prefix(_after(line, floor), offset, m.start(), None if floor else previous)
        parts = {"street": street or "", "city": city or "", "region": m["state"], "postal_code": m["zip"]}
        if street and not city:
            parts.update(split_us_street_city(f"{street} {m.group()}"))
            if parts["city"].startswith("in "):  # "55 Elm Rd in Round Rock TX 78664"
                parts["city"] = parts["city"][3:]
            parts["street"] = _IN_CITY.sub("", parts.get("street", ""))  # "412 Chestnut Hill Road in Glastonbury"
        if city or street:
            keep(FoundAddress(start, offset + m.end(), _nonempty(parts), "US"))
        floor = m.end()
    for rx, code in ((US_LOWER_RE, "US"), (CA_LOWER_RE, "CA")):
        for m in rx.finditer(line):
            # "4410 shoal creek blvd austin tx 78756": a note typed without capitals
            parts = {"street": m["street"], "city": m["city"].title(), "region": m["state"].upper(),
                     "postal_code": m["zip"].upper()}
            keep(FoundAddress(offset + m.start(), offset + m.end(), parts, code))
    for m in CA_RE.finditer(line):
        street, city, start = split_prefix(line, offset, m.start(), previous)
        parts = {"street": street or "", "city": city or "", "region": m["state"], "postal_code": m["zip"]}
        keep(FoundAddress(start, offset + m.end(), _nonempty(parts), "CA"))
    for m in BR_RE.finditer(line):
        street, city, start = split_prefix(line, offset, m.start(), previous, city_before=False)
        parts = {"street": street or "", "postal_code": m["zip"]}
        before = line[:m.start()].rstrip(" ,")
        pairs = list(BR_CITY_STATE.finditer(before))
        cs = pairs[-1] if pairs else None
        if cs is not None:
            parts.update(city=cs["city"], region=cs["state"])
            street_text = before[:cs.start()].rstrip(" ,")
            if street_text and ROMANCE_STREET.search(street_text):
                parts["street"] = street_text[ROMANCE_STREET.search(street_text).start():]  # type: ignore[union-attr]
        else:
            after = CITY_AT_END.match(line[m.end():].strip(" ,"))
            if after or city:
                parts["city"] = city or (after["city"] if after else "")
        if parts.get("city") or parts.get("street"):
            keep(FoundAddress(start, offset + m.end(), _nonempty(parts), "BR"))
    for rx, code in ((PT_RE, "PT"), (NL_RE, "NL")):
        for m in rx.finditer(line):
            street, _city, start = split_prefix(line, offset, m.start(), previous, city_before=False)
            parts = {"street": street or "", "city": _postcode_city(m["city"]), "postal_code": m["zip"],
                     "region": _region_beyond(line, m)}
            if street or lang in ("pt", "nl"):
                keep(FoundAddress(start, offset + m.end(), _nonempty(parts), code))
    for m in EU_RE.finditer(line):
        street, _city, start = split_prefix(line, offset, m.start(), previous, city_before=False)
        german = bool(street and DE_STREET.search(street)) or (not street and lang == "de")
        romance = bool(street and (ROMANCE_STREET.search(street) or NUMBER_THEN_ROMANCE.search(street)))
        if not (german or romance or street or lang in ("es", "fr", "it")):
            continue  # five digits and a word, nothing else: too weak
        country = "DE" if german else street_country(street or "") or {"de": "DE", "es": "ES", "fr": "FR",
                                                                       "it": "IT"}.get(lang or "")
        parts = {"street": street or "", "city": _postcode_city(m["city"]), "postal_code": m["zip"],
                 "region": _region_beyond(line, m)}
        keep(FoundAddress(start, offset + m.end(), _nonempty(parts), country))
    for m in EU4_RE.finditer(line):
        street, _city, start = split_prefix(line, offset, m.start(), previous, city_before=False)
        if not street or _US_STREET_END.search(m["city"]) or not (
                DE_STREET.search(street) or ROMANCE_STREET.search(street) or NUMBER_THEN_ROMANCE.search(street)):
            continue  # four digits and a word are a count as often as a postcode ("4410 Elm Dr" a US house number)
        parts = {"street": street, "city": _postcode_city(m["city"]), "postal_code": m["zip"],
                 "region": _region_beyond(line, m)}
        keep(FoundAddress(start, offset + m.end(), _nonempty(parts), EU4_COUNTRY.get(m["prefix"] or "")))
    for m in UK_RE.finditer(line):
        street, city, start = split_prefix(line, offset, m.start(), previous)
        if not city and previous is not None and re.fullmatch(CITY, previous[1].strip(" ,")):
            city, start = previous[1].strip(" ,"), previous[0]
        if city:
            parts = {"street": street or "", "city": city, "postal_code": m["zip"]}
            keep(FoundAddress(start, offset + m.end(), _nonempty(parts), "GB"))
    return sorted(found, key=lambda f: f.start)


def find_addresses(text: str, lang: str | None = None) -> list[FoundAddress]:
    """Every postcode-anchored address in ``text``, line by line (offsets into ``text``)."""
    out: list[FoundAddress] = []
    offset = 0
    previous: tuple[int, str] | None = None
    for line in text.split("\n"):
        out.extend(find_in_line(line, offset, previous, lang))
        if line.strip():
            previous = (offset, line)
        offset += len(line) + 1
    return out


__all__ = [
    "BR_STATES", "CA_PROVINCES", "HOUSE_NUMBER", "NAME_THEN_NUMBER", "US_STATES", "US_STATE_NAMES", "FoundAddress",
    "find_addresses", "find_in_line", "is_country", "parse_address", "parse_locality", "split_prefix",
    "split_us_street_city", "street_country", "usaddress_parts",
]
