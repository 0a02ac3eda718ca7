"""A vehicle named in the text around a make the ruler found: "2019 Honda Civic EX", "used 2021 Toyota RAV4 XLE";
not a dealership ("Honda of Springfield"), a trade-in ("trading in his 2017 Pilot") or a woman's name ("la señora
Mercedes Ibarra"). Used by ``nlp.interest``."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from nlp.candidates import layout_of
from nlp.contacts import EMAIL_RE
from nlp.email_names import agrees_with_email
from nlp.interest_shapes import AMBIGUOUS_MAKES, CONDITION, YEAR, traded_in
from nlp.lexicon import is_first_name, is_surname

#: after a make, a place or a business word names a dealership ("Toyota of Downtown", "BMW Autohaus Krüger")
_OF = frozenset({"of", "de", "del", "von", "da", "do", "di", "van"})
_DEALER_WORDS = frozenset({"dealership", "dealer", "dealers", "motors", "autohaus", "concesionario", "concessionnaire",
                           "concessionária", "concessionaria", "dealerbedrijf", "group", "gruppe", "grupo", "center",
                           "centre", "centro", "zentrum"})


def vehicle_at(doc: Doc, make: Span) -> tuple[str, float] | None:
    """The vehicle around ``make`` and how sure the reading is (year and model 0.85, one of them 0.75), or None."""
    if not make.text[:1].isupper():
        return None  # "seat", "mini": words, not makes
    start, end = make.start, make.end
    year = False
    if start > 0 and YEAR.match(doc[start - 1].text):
        start, year = start - 1, True
    if start > 0 and doc[start - 1].lower_ in CONDITION:
        start -= 1
    model = 0
    while end < len(doc) and model < 3:
        token = doc[end]
        if token.text == "-" and end + 1 < len(doc) and not token.whitespace_:
            end += 1
            continue
        if not (token.text[:1].isupper() or token.text[:1].isdigit()) or not token.text.replace("-", "").isalnum():
            break
        if token.is_sent_start or (end > 0 and "\n" in doc[end - 1].whitespace_):
            break
        end += 1
        model += 1
    if make.text.lower() in AMBIGUOUS_MAKES and not (year or model):
        return None
    if not year and model and _persons_name(doc, make, end):
        return None  # "la señora Mercedes Ibarra Luján": a woman's name, not a car
    if traded_in(layout_of(doc).text, doc[start].idx, doc[end - 1].idx + len(doc[end - 1])):
        return None  # "trading in his 2017 Honda Pilot": the car given in, not the one wanted
    dealer = any(doc[i].lower_ in _DEALER_WORDS for i in range(make.end, min(end + 1, len(doc))))
    if not year and (dealer or (end + 1 < len(doc) and doc[end].lower_ in _OF and doc[end + 1].text[:1].isupper())):
        return None  # "Honda of Springfield", "Toyota Motors Center": a dealership's name, not a car
    value = doc[start:end].text
    confidence = 0.85 if year and model else 0.75 if (year or model) else 0.5
    return value, confidence


#: a title before a person's name: "la señora Mercedes …", "Mrs. Kia …"
_PERSON_TITLES = frozenset({"mr", "mrs", "ms", "miss", "señora", "sra", "señorita", "srta", "doña", "dona", "frau",
                            "mme", "madame", "signora", "mevrouw", "mevr", "senhora"})


def _persons_name(doc: Doc, make: Span, end: int) -> bool:
    """Whether a make that is also a first name ("Mercedes", "Kia") opens a person's name: a title before it,
    two known surnames after it, or an email of the text that spells it with the word after it."""
    if not is_first_name(make.text) or any(ch.isdigit() for ch in doc[make.end : end].text):
        return False
    if make.start > 0 and doc[make.start - 1].lower_.rstrip(".") in _PERSON_TITLES:
        return True
    after = [t.text for t in doc[make.end : end]]
    if len(after) >= 2 and all(is_surname(word) for word in after[:2]):
        return True
    name = f"{make.text} {after[0]}"
    return any(agrees_with_email(name, m.group()) and after[0].casefold()[:3] in m.group().casefold()
               for m in EMAIL_RE.finditer(layout_of(doc).text))
