"""Component ``leadbot_money``: the prospect's budget ("$25,000", "25k", "under 30.000 €",
"between $300k and $500k", "Budget: …", "bis zu 20.000 Euro", "hasta 15 mil dólares").

The value is the phrase as written (range and qualifier included), because "under 30.000 €" and
"30.000 €" are different budgets. A bare amount needs a currency, a thousands separator or a k/M suffix,
so model years ("2019"), ZIP codes and phone numbers never read as money; a bare amount without any
budget word nearby gets a low confidence (it may be a listing price quoted back).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.language import Language
from spacy.tokens import Doc

from nlp.candidates import Candidate, add, layout_of

_CUR = r"(?:R\$|[$€£]|US\$|USD|EUR|GBP|ARS|MXN|CHF|BRL|dollars?|d[óo]lares|bucks|euros?|pesos?|pounds?|reais)"
_NUM = r"(?:\d{1,3}(?:[.,'’]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)(?!\d)"
#: thousands as French and German write them, "25 000" (a space or a narrow one): an amount only beside a currency
_SPACED = r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d{1,2})?(?!\d)"
_MULT = r"(?:k|m|mm|mil|million|millones|thousand|tausend|Tsd\.?|Mio\.?|T(?=\s?€))"
_AMOUNT = (
    rf"(?:{_CUR}\s?{_SPACED}|{_CUR}\s?{_NUM}(?:\s?{_MULT}\b)?"  # € 15 000 / $25,000 / € 30.000 / $300k
    rf"|{_NUM}\s?(?:{_MULT}\b\.?\s?)?{_CUR}(?!\w)"  # 30.000 € / 25k USD / 15 mil dólares
    rf"|\d{{1,3}}(?:[.,'’]\d{{3}})+(?![\d.,]\d)"  # 25,000 (a thousands separator alone)
    rf"|\d+(?:[.,]\d)?\s?k\b"  # 25k
    rf"|{_SPACED}\s?{_CUR}(?!\w))"  # 15 000 €
)
_SEP = r"\s*(?:-|–|to|bis|a|and|und|y)\s*"
_QUALIFIER = (
    r"(?:under|below|less than|up to|no more than|not more than|max(?:imum)?\.?|at most|around|about"
    r"|approx(?:imately|\.)?|roughly|at least|over|min(?:imum)?\.?|unter|bis zu|bis|höchstens|maximal|ca\."
    r"|circa|etwa|ungefähr|rund|mindestens|hasta|menos de|m[áa]ximo|como mucho|unos|unas|alrededor de"
    r"|aproximadamente|aprox\.|m[íi]nimo|at[ée]|no m[áa]ximo|cerca de|em torno de|por volta de|jusqu'à|environ"
    r"|au plus|au maximum|fino a"
    r"|massimo|al massimo|maximaal|ongeveer|rond de)"
)
_CORE = rf"(?:(?:{_AMOUNT}|{_NUM}|{_SPACED}){_SEP}{_AMOUNT}|{_AMOUNT})"
#: the whole phrase: "between $300k and $500k", "under 30.000 €", "$25,000"
BUDGET_RE = re.compile(
    rf"(?<!\w)(?:(?:between|zwischen|entre|from|von|de)\s+)?(?:{_QUALIFIER}\s+)?{_CORE}", re.IGNORECASE
)
# Searching BUDGET_RE over prose tries every alternation at every letter; the amount alone starts with a
# digit or a currency, so we find that first and widen to the left (2-3× faster on typical leads).
_CORE_RE = re.compile(rf"(?=[\d$€£]|(?:R\$|US\$|USD|EUR|GBP|ARS|MXN|CHF|BRL)\s?\d)(?<![\w.,]){_CORE}", re.IGNORECASE)
#: where ``_CORE_RE`` may match (its lookarounds alone, case-insensitive only where they are): found first, the
#: whole pattern then tried there only (``_amounts``)
_CORE_START = re.compile(r"(?<![\w.,])(?:[\d$€£]|(?i:R\$|US\$|USD|EUR|GBP|ARS|MXN|CHF|BRL)\s?\d)")
_LEFT_RE = re.compile(
    # "entrada de R$ 60.000", "down payment of $20k": the kind of money written before it, kept
    rf"(?<!\w)(?:(?:entrada|down payment|anzahlung|enganche|acompte|anticipo)\s+(?:de|of|von|d')\s*"
    rf"|(?:between|zwischen|entre|from|von|de)\s+)?(?:{_QUALIFIER}\s+|~\s?)?$", re.IGNORECASE
)
#: words after an amount that say what kind of budget it is ("20k down", "$2,400 a month", "~$8k max"): kept
_SPENDING = re.compile(r"(?i)down|max|tops|less|entrada|anzahlung")
_RIGHT_RE = re.compile(
    r"(?i)[ \t]?(?:down(?: payment)?|a month|per month|/ ?mo(?:nth)?\b|monthly|max(?:imum)?|tops|or less|"
    r"de entrada|al mes|por mes|pro monat|im monat|monatlich|anzahlung|par mois|al mese|per maand|por m[êe]s)(?!\w)"
)
_NOT_MONEY_AFTER = re.compile(
    r"(?i)\s?(?:miles|mi\b|km|kms|kilomet|kilómetros|meilen|sq|square|ft|feet|m²|qm|units|people|personas|leute)"
)
_HAS_CURRENCY = re.compile(rf"{_CUR}|\d\s?k\b|{_MULT}\b", re.IGNORECASE)
_NEXT_WORD = re.compile(r"[ \t]?(?P<word>[^\W\d_]{2,})")
#: words after a bare number that keep it an amount ("25,000 or less", "30.000 bis 40.000")
_MONEY_FOLLOWERS = frozenset({
    "to", "or", "and", "max", "maximum", "min", "minimum", "tops", "total", "down", "budget", "bis", "oder",
    "und", "a", "o", "y", "hasta", "cash", "obo", "range", "per", "monthly", "month", "mo",
})
_LABEL = re.compile(
    # "Price:", "Preis:", "Precio:" alone are the listing's price, not what the lead means to spend
    r"(?im)^\s*(?:>\s*)?(?:budget|price range|max(?:imum)? price|target price|presupuesto|precio m[áa]ximo|"
    r"preisvorstellung|preisrahmen|finanzrahmen|"
    # what they mean to borrow is what they mean to spend: "Loan amount: $312,000", "Darlehensbetrag: 250.000 €"
    r"loan amount|mortgage amount|darlehensbetrag|finanzierungsbetrag|monto del pr[ée]stamo|importe del pr[ée]stamo|"
    r"valor do financiamento|montant du pr[êe]t)\s*[:=]\s*(?P<value>[^\n]{1,80})$"
)
_FIRST_SENTENCE = re.compile(r"(?<=\S)[.;!?]\s+(?=[A-ZÄÖÜÁÉÍÓÚÑ¿¡])")
#: a bare number right after the word "budget" is the amount, as the writer shortened it ("budget 600 max",
#: "Budget ca. 45", "presupuesto unos 300"): no currency needed, the word says what it is
_BUDGET_NUMBER = re.compile(
    rf"(?i)(?<!\w)(?:budget|presupuesto|orçamento|or[çc]amento)\s*(?:(?:is|of|was|ist|von|es|de|é)\s+)?"
    rf"(?P<value>(?:{_QUALIFIER}\s+|~\s?)?\d{{1,4}}(?:[.,]\d)?(?:[ \t]?(?:max(?:imum)?|tops|or less))?)"
    rf"(?=[ \t]*(?:[,.;!?)\n]|$))"
)
_CONTEXT = re.compile(
    r"(?i)\b(?:budget|spend|afford|pay|paying|price range|payment|finance|financing|down ?payment|looking to|"
    r"ausgeben|bezahlen|zahlen|leisten|budgetiert|gastar|pagar|presupuesto|financiaci[óo]n|financiamento|"
    r"orçamento|range|max|hasta|bis"
    # German writes these inside compounds: "Baufinanzierung", "Finanzierungszusage", "Gesamtbudget"
    r"|\w*(?:finanzierung|budget|anzahlung)\w*)\b"
)


class Money:
    def __init__(self, name: str) -> None:
        self.source = f"nlp:{name}"

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        text = layout.text
        b0, b1 = layout.body
        labelled: list[tuple[int, int]] = []
        read: list[tuple[int, int]] = []
        for m in _LABEL.finditer(text, b0, b1):
            value = _FIRST_SENTENCE.split(m["value"].strip(), 1)[0].rstrip(".;")
            if any(c.isdigit() for c in value):
                add(doc, Candidate("budget", value, 0.9, self.source, m.start("value")))
                labelled.append((m.start(), m.end()))
        for m in _amounts(text, b0, b1):
            start, end = m.start(), m.end()
            left = _LEFT_RE.search(text, max(b0, start - 40), start)
            if left and left.start() < start:
                start = left.start()
            if any(s <= start < e for s, e in labelled):
                continue
            if _NOT_MONEY_AFTER.match(text, end):
                continue  # "45,000 miles" is a mileage, "2,000 sq ft" a size
            if not _HAS_CURRENCY.search(text, start, end) and (nxt := _NEXT_WORD.match(text, end)) and (
                    nxt["word"].casefold() not in _MONEY_FOLLOWERS):
                continue  # "12,000 pages", "6 guests": a bare number followed by what it counts
            sentence = _sentence_around(text, start, end)
            has_context = bool(_CONTEXT.search(sentence))
            if right := _RIGHT_RE.match(text, end, b1):
                # "20k down", "$8k max" say it is their money; "$2,400 a month" is as often a listing's rent
                end, has_context = right.end(), has_context or bool(_SPENDING.search(right.group()))
            phrase = text[start:end].strip()
            qualified = phrase[0].isalpha() and not phrase.startswith("R$")  # "R$" is a currency, no qualifier
            confidence = 0.8 if has_context else (0.6 if qualified else 0.4)
            add(doc, Candidate("budget", phrase, confidence, self.source, start))
            read.append((start, end))
        for m in _BUDGET_NUMBER.finditer(text, b0, b1):
            if not any(s <= m.start("value") < e for s, e in [*labelled, *read]):
                add(doc, Candidate("budget", m["value"], 0.7, self.source, m.start("value")))
        return doc


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(text.rfind(".", 0, max(start - 1, 0)), text.rfind("\n", 0, start), start - 80)
    right_candidates = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    right = min([*right_candidates, end + 60])
    return text[max(left, 0) : right]


@Language.factory("leadbot_money", default_config={})
def make_money(nlp: Language, name: str) -> Money:
    return Money(name)


def _amounts(text: str, start: int, end: int) -> Iterator[re.Match[str]]:
    """``_CORE_RE.finditer(text, start, end)``, the same matches: the pattern is tried only where its lookarounds
    hold (``_CORE_START``), not at every character of the text."""
    pos = start
    while (at := _CORE_START.search(text, pos, end)) is not None:
        m = _CORE_RE.match(text, at.start(), end)
        if m is None:
            pos = at.start() + 1
            continue
        yield m
        pos = max(m.end(), at.start() + 1)
