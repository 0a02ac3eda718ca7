"""People on our side in a chat note: the rep, a colleague, a manager ("Greg (my manager)", "Dana from sales",
"ask Tom to call …", "Andrea (recepción)"), from the words right after a name (``patterns/staff_after.txt``, seven
languages), and a business named as such ("runs a bakery called Sweet Crumbs"), which is no person."""

from __future__ import annotations

import re
from functools import cache

from nlp.lexicon import read_lines


def alternation(phrases: list[str]) -> str:
    """A regex alternation of ``phrases``, longest first, case-folded; a space matches any run of blanks."""
    ordered = sorted({p.casefold() for p in phrases}, key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"[ \t]+") for p in ordered)


#: a business and its name: "runs a bakery called Sweet Crumbs", "eine Firma namens …", "una tienda llamada …"
BUSINESS_CALLED = re.compile(
    r"(?i)(?<![\w])(?:business|company|firm|shop|store|place|restaurant|bakery|salon|studio|clinic|practice|agency|"
    r"firma|laden|geschäft|betrieb|praxis|empresa|tienda|negocio|restaurante|loja|negócio|entreprise|boutique|"
    r"société|azienda|negozio|ditta|bedrijf|winkel|zaak)[ \t]+(?:called|named|namens|llamad[oa]|chamad[oa]|"
    r"appelée?|nommée?|chiamat[oa]|genaamd|heet)[ \t]+$")


_POSSESSIVE = (r"(?:my|our|mein|meine|meinem|meiner|unser|unsere|unserem|unserer|mi|nuestro|nuestra|meu|minha|nosso|"
               r"nossa|o nosso|a nossa|mon|ma|notre|il mio|la mia|il nostro|la nostra|mijn|onze)")
_STAFF_PLACE = frozenset({"from", "on", "vom", "von", "aus", "de", "del", "da", "do", "des", "du", "dell'", "delle",
                          "van", "at", "am", "an", "en", "na", "à", "alla", "bij"})


@cache
def staff_after_re() -> re.Pattern[str]:
    """Right after a name: "(my manager)", ", unser Kollege", " from sales": our side, not the lead."""
    phrases = read_lines("staff_after.txt")
    alone = [p for p in phrases if p.split()[0].casefold() in _STAFF_PLACE or p.startswith(("dell'", "("))]
    owned = [p for p in phrases if p not in alone]
    return re.compile(
        rf"(?i)[ \t]*(?:\(|,|[-–—])?[ \t]*(?:{_POSSESSIVE}[ \t]+(?:{alternation(owned)})|"
        rf"(?:{alternation(alone)}))(?![\w'’-])")


#: "ask Tom to call …", "have Priya ring …", "tell Jonas to follow up": a colleague told to act on the lead
_TOLD_BEFORE = re.compile(r"(?i)(?<![\w])(?:ask|tell|have|get|let|bitte|pide a|dile a|pede ao?|pede à|demande à|"
                          r"dis à|chiedi a|di' a|vraag)[ \t]+$")
_TOLD_AFTER = re.compile(
    r"(?i)[ \t]+(?:to[ \t]+)?(?:call|ring|phone|text|email|e-mail|follow|reach|take|handle|grab|contact|anrufen|"
    r"zurückrufen|übernehmen|que llame|que le llame|ligar|que ligue|d'appeler|appeler|di chiamare|chiamare|"
    r"te bellen|bellen)(?![\w])")


def sided_phrases(name: str) -> dict[str, list[str]]:
    """The phrases of ``patterns/<name>`` by the side of a name they stand on: "before<TAB>sent by",
    "after<TAB>here"."""
    cues: dict[str, list[str]] = {"before": [], "after": []}
    for line in read_lines(name):
        side, _, phrase = line.partition("\t")
        cues[side.strip()].append(phrase.strip())
    return cues


@cache
def _writer_cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The rep naming themselves (``patterns/writer_cues.txt``): "Sent by " before a name, " here –" after one."""
    cues = sided_phrases("writer_cues.txt")
    before = re.compile(rf"(?i)(?<![\w])(?:{alternation(cues['before'])})[ \t]*:?[ \t]*$")
    after = re.compile(rf"(?i)[ \t]+(?:{alternation(cues['after'])})(?=[ \t]*(?:[-–—:,.!]|$))")
    return before, after


@cache
def _acts_re() -> re.Pattern[str]:
    # "Marta Ibáñez to call us back": the lead calling us is no colleague's work
    return re.compile(rf"(?i)[ \t]*[,:–—-]?[ \t]*(?:{alternation(read_lines('staff_acts.txt'))})(?![\w'’-])"
                      r"(?![ \t]+(?:us|me|back|our|we|uns|mich|nos|me|nous|ci|ons)(?![\w'’-]))")


def works_on_lead(text: str, end: int) -> bool:
    """Whether the words right after a name give that person our side's work on the lead ("Greg Lin to call",
    "Tom took the call", "Jonas übernimmt"; ``patterns/staff_acts.txt``): a colleague, not the lead. Unlike a
    role, what follows them (the caller's number in "took the call: 555-…") stays the lead's."""
    return _acts_re().match(text, end) is not None


def role_after(text: str, start: int, end: int) -> str | None:
    """ "staff" for a name that the words right after it (or an order to act around it) put on our side, or
    that the rep writes as their own ("Sent by Jonas Bauer", "Dana Whitfield here – …" opening a line)."""
    if staff_after_re().match(text, end):
        return "staff"
    line_start = text.rfind("\n", 0, start) + 1
    before, after = _writer_cues()
    if before.search(text, max(line_start, start - 40), start) or (
            start - line_start <= 16 and after.match(text, end)):
        return "staff"
    if _TOLD_BEFORE.search(text[max(line_start, start - 40):start]) and _TOLD_AFTER.match(text, end):
        return "staff"
    return None
