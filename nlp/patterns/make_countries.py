"""Regenerate ``countries.jsonl`` beside this script (the country names ``nlp.address`` reads as spans).

    .venv/bin/python nlp/patterns/make_countries.py

Source: **pycountry** (https://pypi.org/project/pycountry/, LGPL 2.1; ISO 3166-1 and the iso-codes project's
translations), read through its public ``pycountry.countries`` and the gettext catalogues in
``pycountry.LOCALES_DIR``. For each country of ``COUNTRIES`` (the markets leads come from) we write its English
name and common name and their translations in our six other languages (de, es, pt, fr, it, nl), cut at a comma
("Venezuela, Bolivarian Republic of" → "Venezuela"), lower-cased. ``EXTRA`` holds what ISO does not name: short
forms and parts of a country people write ("USA", "UK", "England", "Holland", "EE. UU."). The bot reads the
JSONL file, so pycountry's catalogues are not opened at start-up.
"""

from __future__ import annotations

import gettext
import json
from pathlib import Path

HERE = Path(__file__).parent
LANGUAGES = ("de", "es", "pt", "fr", "it", "nl")
COUNTRIES = ("US", "CA", "MX", "DE", "AT", "CH", "ES", "AR", "CL", "CO", "PE", "UY", "GB", "IE", "FR", "IT", "PT",
             "NL", "BE", "PL", "SE", "DK", "NO", "AU", "NZ", "BR", "IN", "CN", "JP", "ZA", "PR", "VE", "EC", "BO",
             "PY", "LU")
EXTRA = {
    "US": ("united states of america", "ee. uu.", "eeuu", "usa", "u.s.a.", "u.s.", "eua", "états-unis d'amérique"),
    "GB": ("great britain", "england", "scotland", "wales", "großbritannien", "uk", "u.k.", "inglaterra",
           "angleterre", "inghilterra", "engeland", "grã-bretanha", "gran bretaña"),
    "NL": ("the netherlands", "holland", "holanda", "hollande", "olanda"),
    "DE": ("brd",),
    "CH": ("suisse", "schweiz", "svizzera"),
    "BE": ("belgique", "belgië"),
}

#: translations that are a common English word first ("chili" is Chile in French and Dutch, and a dish)
NOT_COUNTRIES = frozenset({"chili"})


def names() -> dict[str, str]:
    import pycountry

    catalogues = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang]) for lang in LANGUAGES]
    found: dict[str, str] = {}
    for code in COUNTRIES:
        country = pycountry.countries.get(alpha_2=code)
        if country is None:
            raise SystemExit(f"pycountry does not know {code}")
        english = [country.name, getattr(country, "common_name", country.name)]
        written = [*english, *(c.gettext(name) for c in catalogues for name in english)]
        for name in (*written, *EXTRA.get(code, ())):
            folded = name.split(",")[0].strip().lower()  # spaCy's LOWER: "großbritannien" keeps its ß
            if folded not in NOT_COUNTRIES:
                found.setdefault(folded, code)
    return found


def main() -> None:
    rows = [{"label": "COUNTRY", "pattern": name, "id": code} for name, code in sorted(names().items(),
                                                                                      key=lambda kv: (kv[1], kv[0]))]
    with (HERE / "countries.jsonl").open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
