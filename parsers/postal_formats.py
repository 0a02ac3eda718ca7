"""Postal formats: each supported country's postcode, street and locality shapes, as patterns.

``parsers.address`` reads addresses with them: US "City, ST 12345(-6789)"; Canada "City, ON A1A 1A1"; UK
"London SW1A 1AA"; Germany, Spain, France, Italy "Musterstraße 12, 10115 Berlin"; Austria, Switzerland,
Belgium "1070 Wien" after a street; the Netherlands "3581 AB Utrecht"; Portugal "1100-053 Lisboa"; Brazil
"São Paulo - SP, 01310-100". Data only: regular expressions and the region codes they name.
"""

from __future__ import annotations

import re

US_STATES: tuple[str, ...] = (
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY", "LA",
    "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND", "OH", "OK",
    "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC", "PR",
)
US_STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho|"
    "Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|"
    "Mississippi|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico|New York|North Carolina|"
    "North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|"
    "Utah|Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming"
)
CA_PROVINCES = (
    "AB|BC|MB|NB|NL|NS|NT|NU|ON|PE|QC|SK|YT|Alberta|British Columbia|Manitoba|New Brunswick|Newfoundland|"
    "Nova Scotia|Ontario|Prince Edward Island|Quebec|Québec|Saskatchewan|Yukon"
)
BR_STATES = ("AC|AL|AP|AM|BA|CE|DF|ES|GO|MA|MT|MS|MG|PA|PB|PR|PE|PI|RJ|RN|RS|RO|RR|SC|SP|SE|TO")
_UP = "A-ZÄÖÜÁÉÍÓÚÑÂÊÔÃÕÇÀÈÌÒÙ"
CITY = (rf"[{_UP}][\w'’.-]*(?:[ \t]+(?:de|del|da|do|dos|das|la|le|les|am|an|im|in|upon|on|sur|aan|den|op|"
        rf"di|sul|en)?[ \t]*[{_UP}][\w'’.-]*){{0,3}}")

US_RE = re.compile(
    rf"(?<![\w-])(?P<state>{'|'.join(US_STATES)}|{US_STATE_NAMES})\.?,?[ \t]+(?P<zip>\d{{5}}(?:-\d{{4}})?)(?![\d-])"
)
#: a US address typed without capitals: number, street, street word, city, state code, ZIP
_LOWER_STREET_CITY = (
    r"(?<![\w-])(?P<street>\d{1,6}[ \t]+(?:[nsew]\.?[ \t]+)?(?:[a-z0-9][a-z0-9'.-]*[ \t]+){1,4}?(?:st|street|ave|"
    r"avenue|rd|road|dr|drive|ln|lane|blvd|boulevard|way|ct|court|pl|place|cir|circle|ter|terrace|pkwy|hwy|trl|"
    r"trail|loop)\.?(?:[ \t]+(?:[nsew]|ne|nw|se|sw)\b)?(?:[ \t]+(?:apt|unit|suite|ste|#)\.?[ \t]*[a-z0-9-]{1,6})?),?"
    r"[ \t]+(?:in[ \t]+)?(?P<city>[a-z][a-z'.-]*(?:[ \t]+[a-z][a-z'.-]*){0,2}?),?[ \t]+")
US_LOWER_RE = re.compile(
    _LOWER_STREET_CITY + rf"(?P<state>{'|'.join(s.lower() for s in US_STATES)})"
    r"\.?,?[ \t]+(?P<zip>\d{5}(?:-\d{4})?)(?![\d-])")
#: the same for Canada: "1200 w georgia st unit 4, vancouver bc v6e 4r2"
CA_LOWER_RE = re.compile(
    _LOWER_STREET_CITY + r"(?P<state>ab|bc|mb|nb|nl|ns|nt|nu|on|pe|qc|sk|yt)\.?,?[ \t]+"
    r"(?P<zip>[abceghj-nprstvxy]\d[abceghj-nprstv-z][ -]?\d[abceghj-nprstv-z]\d)\b")
CA_RE = re.compile(
    rf"(?<![\w-])(?P<state>{CA_PROVINCES})\.?,?[ \t]+"
    r"(?P<zip>[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d)\b"
)
#: five digits then the city: Germany, Spain, France, Italy (and Austria/Switzerland with four, see below)
EU_RE = re.compile(rf"(?<![\w-])(?:D-|E-|F-|I-)?(?P<zip>\d{{5}})[ \t]+(?P<city>{CITY})")
#: four digits then the city: Austria, Switzerland, Belgium, Luxembourg, Denmark, Norway ("1070 Wien",
#: "8001 Zürich", "2000 Antwerpen"), read only after a street
EU4_RE = re.compile(rf"(?<![\w-])(?:(?P<prefix>A|CH|B|L|DK|N)-)?(?P<zip>[1-9]\d{{3}})[ \t]+(?P<city>{CITY})")
EU4_COUNTRY = {"A": "AT", "CH": "CH", "B": "BE", "L": "LU", "DK": "DK", "N": "NO"}
UK_RE = re.compile(r"(?<![\w-])(?P<zip>(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)[ \t]?\d[ABD-HJLNP-UW-Z]{2})\b")
NL_RE = re.compile(rf"(?<![\w-])(?P<zip>[1-9]\d{{3}}[ \t]?(?!SA|SD|SS)[A-Z]{{2}})[ \t]+(?P<city>{CITY})")
PT_RE = re.compile(rf"(?<![\w-])(?P<zip>\d{{4}}-\d{{3}})[ \t]+(?P<city>{CITY})")
BR_RE = re.compile(r"(?<![\w-])(?P<zip>\d{5}-\d{3})(?![\d-])")
BR_CITY_STATE = re.compile(rf"(?P<city>{CITY})[ \t]*(?:-|/|,)[ \t]*(?P<state>{BR_STATES})\b")

CITY_AT_END = re.compile(rf"(?<![\w'’.-])(?P<city>{CITY})[ \t]*,?[ \t]*$")
HOUSE_NUMBER = re.compile(r"\b\d{1,6}[A-Za-z]?(?:-\d+)?[ \t]+(?:[NSEW]\.?[ \t]+)?[A-Z0-9]|\bP\.?[ \t]?O\.?[ \t]+Box\b")
DE_STREET = re.compile(
    r"(?P<street>(?<![\w-])[A-ZÄÖÜ][\wäöüß.-]*(?:[ \t-][\wäöüß.-]+){0,3}?"
    r"(?:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|pfad|markt|hof|berg|feld|"
    r"straat|laan|gracht|plein|kade|singel|dijk|Straße|Weg|Allee|Platz|Gasse|Ring|"
    r"[ \t](?:Straße|Strasse|Str\.|Allee|Platz|Gasse|Damm|Ufer|Chaussee))[ \t]+\d+[ \t]?[a-zA-Z]?)"
)
#: "Am Hafen 7", "Unter den Linden 12a": a street without a street word, written before ", 10115 Berlin"
NAME_THEN_NUMBER = re.compile(r"[A-ZÄÖÜ][\wäöüß.'-]*(?:[ \t][\wäöüß.'-]+){0,3}[ \t]+\d{1,4}[ \t]?[a-zA-Z]?")
ROMANCE_STREET = re.compile(
    r"(?P<street>(?:Calle|C/|Avda\.?|Avenida|Av\.|Plaza|Pza\.?|Paseo|Camino|Ronda|Carrer|Travesía|Pasaje|Rambla|"
    r"Rua|R\.|Travessa|Alameda|Praça|Largo|Estrada|Rodovia|Via|Viale|Piazza|Corso|Vicolo|Rue|Avenue|Boulevard|"
    r"Bd|Chemin|Impasse|All[ée]e|Place|Quai|Route)"
    r"[ \t]+[^\n,]{2,40}?,?[ \t]*(?:n[º°o]\.?[ \t]*)?\d+[^\n,]{0,12})",
    re.IGNORECASE,
)
#: French and Italian write the number first: "14 boulevard Baille", "5 chemin des Oliviers"
NUMBER_THEN_ROMANCE = re.compile(
    r"\b\d{1,4}(?:[ \t]?(?:bis|ter|[a-z]))?,?[ \t]+(?:rue|avenue|boulevard|bd|chemin|impasse|all[ée]e|place|quai|"
    r"route|cours|passage|square|via|viale|piazza|corso)\b[^\n,]{2,40}",
    re.IGNORECASE,
)

COUNTRY_WORDS = frozenset({
    "usa", "us", "u.s.", "u.s.a.", "united states", "united states of america", "canada", "mexico", "méxico",
    "germany", "deutschland", "austria", "österreich", "switzerland", "schweiz", "suisse", "spain", "españa",
    "espana", "argentina", "chile", "colombia", "france", "uk", "united kingdom", "great britain", "portugal",
    "brasil", "brazil", "italia", "italy", "nederland", "netherlands", "the netherlands", "belgique", "belgië",
    "belgium",
})
