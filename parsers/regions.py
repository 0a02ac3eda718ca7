"""Region names: is a word a state, province, county or Land, and of which country?

The names are ISO 3166-2 subdivisions with pycountry's translations of them ("Bayern", "Bavaria", "Bavière"),
written to ``data/regions.txt`` by ``data/make_regions.py``; reading that small file keeps pycountry's whole
subdivision table (about 10 MB) out of the running bot. Pure functions over strings.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

_REGIONS_FILE = Path(__file__).with_name("data") / "regions.txt"


def fold(text: str) -> str:
    """Case, accents and dots folded away: "Québec" → "quebec", "N.C." → "n c"."""
    text = unicodedata.normalize("NFKD", text.strip().casefold().rstrip("."))
    return " ".join("".join(c for c in text if not unicodedata.combining(c)).replace(".", " ").split())


@cache
def _region_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for line in _REGIONS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, country = line.partition("\t")
            names[name] = country
    return names


def region_country(text: str | None) -> str | None:
    """The country whose state, province, county or Land ``text`` names in full ("Oregon" → US, "Bayern" and
    "Bavaria" → DE, "Kent" → GB, "Minas Gerais" → BR, "Haute-Savoie" → FR), or None. Codes are not read here:
    "SP" or "VI" alone say nothing without the country; an English town that is its own unitary authority
    ("Reading") is a town, not a county."""
    if not text or len(text.strip()) < 3:
        return None
    return _region_names().get(fold(text))


__all__ = ["fold", "region_country"]
