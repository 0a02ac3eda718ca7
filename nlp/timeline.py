"""Component ``leadbot_timeline``: when the prospect wants to act ("ASAP", "this afternoon", "within 2 weeks",
"Q3", "in 2 Wochen", "sofort", "lo antes posible", "dentro de un mes").

Fixed wording is found by the span ruler (phrase patterns, ``patterns/timeline.jsonl``); the small
grammar of relative times ("within 2 weeks", "dentro de un mes", "Q3 2025", "by June") is one regex built
from ``patterns/timeline_terms.json`` — as spaCy token patterns it cost 8× the phrase patterns. This
component turns both, inside the body, into candidates: adjacent phrases merge ("as soon as possible this afternoon"), a
specific time beats mere urgency, urgency beats vagueness, and a "Timeline:" line beats them all.
"""

from __future__ import annotations

import json
import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from nlp.candidates import Candidate, add, layout_of, meta_of, ruler_spans
from nlp.lexicon import PATTERNS_DIR, trie_alternation
from nlp.time_owner import writers_clause
from parsers.labels.lookup import ROLE_WORDS

_KIND_CONFIDENCE = {"specific": 0.75, "urgent": 0.7, "vague": 0.55}
#: the flag of a day-level timeline ("Friday", "tomorrow", "on 12/03") that an intent word beside it made one: in a
#: rep's note about a call such a day is as often the appointment the rep set as the prospect's own plan
DAY_LEVEL = "day-level"


@cache
def relative_time_re() -> re.Pattern[str]:
    terms = json.loads((PATTERNS_DIR / "timeline_terms.json").read_text(encoding="utf-8"))
    units = trie_alternation(terms["units"])
    numbers = trie_alternation(terms["number_words"])
    months = trie_alternation(terms["months"])
    weekdays = trie_alternation(terms["weekdays"])
    # a weekday written alone ("any openings Friday?") is a day-level date, which needs an intent word beside it;
    # short forms and the Portuguese ordinals ("segunda", "quinta") are too often other words
    bare_days = trie_alternation([d for d in terms["weekdays"] if len(d) >= 6 and d not in terms["not_bare_weekdays"]])
    before = (r"by|before|until|till|starting|after|bis|vor|ab|seit|hasta|antes de|antes del|a partir de|desde|"
              r"para|até|antes do|antes da|avant|d'ici|à partir de|dès|entro|prima di|a partire da|voor|vanaf|tegen|"
              r"uiterlijk|v[óo]r|binnen|innerhalb|spätestens|no later than|a más tardar|o mais tardar|au plus tard|"
              r"al più tardi|niet later dan")
    return re.compile(
        rf"(?<!\w)(?:(?:within|in|inside(?: of)?|innerhalb(?: von)?|binnen|en|dentro de|nach|over|during|dans|d'ici|"
        rf"entro|tra|fra|em|daqui a|"
        rf"in the coming|en los próximos|nos próximos|dans les|nei prossimi|in de komende)\s+"
        rf"(?:(?:the|next|der|den|los|las|próximos|próximas|nächsten)\s+){{0,2}}"
        rf"(?:\d{{1,3}}|(?:{numbers})(?:\s+(?:{numbers}))?)(?:\s+(?:of|more))?\s+(?:{units})"
        # a quarter keeps its preposition: "in Q1", "by Q2", "bis Q3" is what the prospect wrote
        rf"|(?:(?:in|by|bis|until|before|ab|im|en|para|em|au|entro|tegen|voor|vor|antes del?)\s+)?"
        rf"[Qq][1-4](?:[ /]20\d\d)?"
        rf"|\d{{1,2}}\s*(?:-|–|to|bis|a)\s*\d{{1,2}}\s+(?:{units})"  # "1-3 months", "3 to 6 weeks"
        rf"|(?:early|late|mid-?|sometime in)\s*(?:(?:{months})(?:\s+20\d\d)?|20\d\d)"  # "early March", "mid-2027"
        rf"|(?:(?:the|this|next|el|este|pr[oó]ximo|im|dem)\s+)?(?:first|second|third|fourth|last|primer|segundo|"
        rf"tercer|cuarto|[uú]ltimo|ersten|zweiten|dritten|vierten|letzten)\s+(?:quarter|trimestre|quartal)"
        rf"(?:\s+(?:of\s+|de\s+)?20\d\d)?"
        rf"|(?:{before}|in|im|en|em|au|in der|nel|on|am)\s+(?:(?:the|zum|zur)\s+|l['’])?"
        rf"(?:(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+|ende\s+|anfang\s+|mitte\s+|fin(?:ales)?\s+de\s+|"
        rf"principios\s+de\s+|fim\s+de\s+|início\s+de\s+|fin\s+|début\s+|fine\s+|inizio\s+|eind\s+|begin\s+)?"
        rf"(?:(?:this|next|el|este|la|le|o|il|dem|den|ao|al|au|à|do|da|del)\s+|l['’])?"
        rf"(?:\d{{1,2}}(?:\.|st|nd|rd|th)?\s+(?:de\s+)?)?(?:{months})\.?(?:\s+\d{{1,2}}(?:st|nd|rd|th)?)?(?:,?\s+20\d\d)?"
        # the end of a period: "by end of Q2", "até o fim do mês", "d'ici la fin de l'année", "bis Ende des Jahres"
        rf"|(?:{before}|at|in|à|a|al|ao|per)\s+(?:(?:the|la|le|el|o|a|il|de|het|der|zum|zur)\s+)?"
        rf"(?:end|fin|fim|ende|eind|einde|fine|finales|final)\s+(?:(?:of|de|do|da|des|del|van|di|della|dello|du)\s+|"
        rf"dell['’])?(?:(?:the|this|la|el|o|le|het|dit|deze|este|esta|dem|dieses|diesem|des|questo)\s+|l['’])?"
        rf"(?:month|year|quarter|mes|año|ano|mês|mois|année|monats?|jahr(?:es)?|maand|jaar|mese|anno|trimestre|"
        rf"quartals?|q[1-4])"
        rf"|(?:{before}|on|el|le|il|op)\s+(?:(?:this|next|el|este|la|le|o|a|il|dem|den|próximo|próxima)\s+)?"
        rf"(?:{weekdays})\b\.?"
        rf"|(?:{before}|at|um|a las|às|à|alle|om)\s+\d{{1,2}}(?:[:.h]\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.|uhr|h)"
        rf"|(?:{before}|on|am|el|le|il|op)\s+\d{{1,2}}[/.]\d{{1,2}}(?:[/.](?:20)?\d\d)?"
        # a day of this month by its number: "by the 14th", "the week of the 14th", "antes del día 10"
        rf"|(?:{before}|on|for|the week of)\s+the\s+\d{{1,2}}(?:st|nd|rd|th)(?!\w)"
        rf"|(?:{before}|el|para el)\s+d[íi]a\s+\d{{1,2}}(?![\d/.:]\d)"
        rf"|(?:(?:this|next|este|esta|próxima|próximo|diese|nächste|nächsten|nächstes|cette|la semaine|questa|deze|"
        rf"volgende|volgend|dit)\s+)"
        rf"(?:{weekdays}|week|weekend|month|semana|mes|mês|woche|wochenende|monat|semaine|mois|settimana|mese|week|maand|"
        rf"year|jahr|año|ano|année|anno|jaar)"
        rf"|(?:l'année|le mois|la semaine|l'anno|il mese|la settimana|o mês|o ano|a semana)\s+"
        rf"(?:prochaine?|prossim[oa]|que vem)"  # "l'année prochaine", "il mese prossimo", "o ano que vem"
        rf"|(?:in|en|em|nel|im jahr|im laufe von)\s+20[2-4]\d(?![\d/-]|\.\d)"  # "in 2027"
        rf"|(?:{bare_days}))(?!\w)",
    )


@cache
def _ignoring_case() -> re.Pattern[str]:
    return re.compile(relative_time_re().pattern, re.IGNORECASE)


_LABEL = re.compile(
    r"(?im)^\s*(?:>\s*)?(?:timeline|time ?frame|purchase timeframe|when|zeitrahmen|zeitraum|kaufzeitpunkt|plazo|"
    r"cu[áa]ndo)\s*[:=]\s*(?P<value>[^\n]{1,60})$"
)


#: a time of day after "at"/"after" ("best reached after 5pm", "um 14 Uhr") says when to call, not when to buy;
#: a deadline ("call back before 3pm") stays a timeline
_CLOCK_ONLY = re.compile(
    r"(?i)^(?:starting|after|ab|seit|a partir de|desde|à partir de|dès|a partire da|vanaf|at|um|a las|às|à|alle|om)"
    r"\s+\d{1,2}(?:[:.h]\d\d)?\s*(?:am|pm|a\.m\.|p\.m\.|uhr|h)$"
)
#: a full date with its clock time ("am 20.11.2026 um 14:02 Uhr") stamps when a form was sent, not a plan
_DATE_WITH_YEAR = re.compile(r"\d{1,2}[/.]\d{1,2}[/.](?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d")
_CLOCK = re.compile(r"(?i)\b\d{1,2}(?::|h)\d\d\b|\b\d{1,2}\s*(?:uhr|am|pm)\b")
#: the verbs before a date that make it a record's stamp ("Gesendet am 3.2.", "submitted on Feb 3")
_STAMP_CUE = re.compile(
    r"(?i)\b(?:sent|submitted|received|created|posted|gesendet|versendet|eingegangen|erstellt|abgeschickt|enviado|"
    r"recibido|envoyé|reçu|inviato|ricevuto|verzonden|ontvangen|enviada|recebido)\b[^\n]{0,12}$"
)


def is_plan(text: str, start: int, end: int) -> bool:
    """False for what only looks like a timeline: a clock time alone, or a dated stamp of the record itself."""
    value = text[start:end]
    if _CLOCK_ONLY.match(value.strip().rstrip(".")):
        return False
    if _DATE_WITH_YEAR.search(value) and _CLOCK.search(value):
        return False
    line_start = text.rfind("\n", 0, start) + 1
    return not _STAMP_CUE.search(text[line_start:start])


#: where the sentence a date sits in ends: a sentence end, a line break
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)|\n")
#: a comma, colon or conjunction between a word and the date: the word belongs to another clause (costs distance)
_CLAUSE_BREAK = re.compile(r"(?i)[,:—–]|\s-\s|\b(?:and|but|und|aber|y|pero|e|mas|et|mais|ma|en|maar)\b")
_CLAUSE_COST = 25
#: the date is a horizon of its own ("within 3 months", "Q3", "next spring", "ab April", "nächstes Jahr"): kept
#: without an intent word beside it, unless a contact, meeting or past word is nearest. Day-level dates
#: ("Tuesday", "tomorrow", "12/03", "3pm") are a call's or a visit's as often as a plan's, and need the word.
_HORIZON_WORDS = (
    r"within|innerhalb|binnen|dentro|entro|d'ici|inside|starting|ab|a partir de|à partir de|dès|vanaf|a partire da|"
    r"q[1-4]|quarter|quartal|trimestre|month|months|monat|monaten|monate|mes|meses|mês|mois|mese|mesi|maand|maanden|"
    r"year|years|jahr|jahren|año|años|ano|anos|année|années|anno|anni|jaar|jaren|mesi|maanden|ans|20[2-4]\d"
)


#: a span of days or weeks from now ("en dos semanas", "in 10 days", "binnen twee weken") is a horizon of its own
_DURATION = re.compile(r"(?i)(?:in|en|em|dans|tra|fra|over|binnen|innerhalb(?: von)?|within|dentro de|daqui a|entro)"
                       r"\s+(?:\d{1,3}|[^\W\d_]{2,8})\s+(?:weeks?|wochen|woche|semanas?|semaines?|settiman[ae]|weken|"
                       r"days|tagen|días|dias|jours|giorni|dagen)\b")


@cache
def _horizon_re() -> re.Pattern[str]:
    """A horizon word or a month; a three-letter month ("May", "Mai", "mei") only after its preposition."""
    terms = json.loads((PATTERNS_DIR / "timeline_terms.json").read_text(encoding="utf-8"))
    long_terms = sorted((re.escape(t) for t in terms["months"] if len(t) > 3), key=len, reverse=True)
    short = r"(?<=in |im |en |em |by )(?:may|mai|mei)"
    return re.compile(rf"(?i)(?<!\w)(?:{_HORIZON_WORDS}|{'|'.join(long_terms)}|{short})(?!\w)")


@cache
def _evidence_words() -> dict[str, list[str]]:
    data = json.loads((PATTERNS_DIR / "timeline_evidence.json").read_text(encoding="utf-8"))
    return {kind: sorted({w.casefold() for words in by_lang.values() for w in words})
            for kind, by_lang in data.items() if not kind.startswith("_")}


def _alternation(words: list[str]) -> str:
    parts = (re.escape(w.rstrip("*")).replace(r"\ ", r"\s+") + (r"\w*" if w.endswith("*") else "") for w in words)
    return "|".join(sorted(parts, key=len, reverse=True))


@cache
def evidence_res() -> dict[str, re.Pattern[str]]:
    """One regex per kind of evidence (intent, contact, meeting, past) from ``patterns/timeline_evidence.json``,
    all languages in one alternation (a note mixes them, and a word means the same in each)."""
    return {kind: re.compile(rf"(?i)(?<![\w'’-])(?:{_alternation(words)})(?![\w'’-])")
            for kind, words in _evidence_words().items() if kind != "anchor"}


@cache
def _anchor_res() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """An anchor word right before ("Rollout Q1", "Baubeginn: Februar") and right after ("Q1 pilot") a date."""
    words = _alternation(_evidence_words()["anchor"])
    by = (r"(?:[ \t]+(?:bis|by|until|before|vor|hasta|antes de|até|avant|entro|voor|uiterlijk)"
          r"(?:[ \t]+(?:ende|end of|the end of|fin de|finales de|fim de|fin|fine|eind))?)?")  # "Entscheidung bis Ende"
    return (re.compile(rf"(?i)(?<![\w'’-])(?:{words}){by}[ \t]*:?[ \t]+$"),
            re.compile(rf"(?i)^[ \t]+(?:{words})(?![\w'’-])"))


@cache
def _anchored_bare_re() -> re.Pattern[str]:
    """A month, season or quarter written bare right after an anchor ("Baubeginn Februar", "livraison T2 2027",
    "Fechamento previsto: janeiro"): the date group is the timeline. Lower case, for lowered text."""
    terms = json.loads((PATTERNS_DIR / "timeline_terms.json").read_text(encoding="utf-8"))
    months = trie_alternation(terms["months"])
    return re.compile(rf"(?<![\w'’-])(?:{trie_alternation(_evidence_words()['anchor'])})[ \t]*:?[ \t]+"
                      rf"(?P<date>(?:{months}|[qt][1-4])(?:[ \t]+20\d\d)?)(?![\w'’-])")


#: a day-level date needs an intent word this close, with no contact, meeting or past word in its sentence
_NEAR = 20


def evidence_of(text: str, start: int, end: int) -> list[tuple[float, str]]:
    """The evidence words around ``text[start:end]`` in its sentence, as (distance, kind), nearest first.

    Distance counts characters; a word after the date counts 1.5× (a word before it speaks for it more), and
    each comma, colon or conjunction between costs as much as 25 characters (the word is another clause's)."""
    while end > start + 1 and text[end - 1] == ".":
        end -= 1  # "a partir de enero." ends its sentence: the next one's words are not this date's
    left = max(start - 90, 0)
    for m in _SENTENCE_END.finditer(text, left, start):
        left = m.end()
    right = min(end + 60, len(text))
    stop = _SENTENCE_END.search(text, end, right)
    right = stop.start() if stop else right
    found: list[tuple[float, str]] = []
    for kind, pattern in evidence_res().items():
        for m in pattern.finditer(text, left, right):
            if m.end() <= start:
                gap = text[m.end() : start]
                if gap.startswith(":"):
                    gap = gap[1:]  # "Preferred date: on 12/03": the label names the date
                distance = float(len(gap))
            elif m.start() >= end:
                gap = text[end : m.start()]
                distance = len(gap) * 1.5 + 5
            elif m.start() < start < m.end():
                gap, distance = "", 0.0  # "come by" in "come by Thursday": the phrase's "by" is the word's
            else:
                continue
            found.append((distance + _CLAUSE_COST * len(_CLAUSE_BREAK.findall(gap)), kind))
    # a word read both ways ("installed" by "install*" and as a past form) is the contrary reading
    return sorted(found, key=lambda f: (f[0], f[1] == "intent"))


def is_prospects(text: str, start: int, end: int, *, horizon: bool) -> bool:
    """Whether a date phrase is the prospect's timeline, by the words around it (``evidence_of``).

    The nearest word decides: a contact word ("call him back before 3pm"), a meeting already set ("demo booked
    for Tuesday") or a past event ("came in last Saturday") says no. A ``horizon`` (a month, a season, a quarter,
    "within 3 months", "ASAP") needs nothing else; a day-level date ("Tuesday", "tomorrow", "on 12/03") needs an
    intent word close by ("can someone come this week?") and no contrary word in its sentence.
    """
    evidence = evidence_of(text, start, end)
    if evidence and evidence[0][1] != "intent":
        return False
    if horizon:
        return True
    # a contrary word beyond a clause break is another clause's ("got 2 bids already, wants ours by Friday")
    return bool(evidence) and evidence[0][0] <= _NEAR and all(
        kind == "intent" or distance >= _CLAUSE_COST for distance, kind in evidence)


def anchored(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened by an anchor word written right beside it ("Rollout Q1", "Q1 pilot")."""
    before, after = _anchor_res()
    for _ in range(2):  # "Entrega prevista: octubre"
        if m := before.search(text, max(start - 30, 0), start):
            start = m.start()
    if m := after.match(text[end : end + 30]):
        end += m.end()
    return start, end


@cache
def _deadline_re() -> re.Pattern[str]:
    """A deadline word and the event it names, written right before a date: "before the lease starts (in April)"."""
    terms = json.loads((PATTERNS_DIR / "timeline_terms.json").read_text(encoding="utf-8"))
    words = _alternation(terms["deadline"])
    return re.compile(rf"(?i)(?<![\w'’-])(?:{words})\s+(?:[^\s,.;:!?()\d]+\s+){{1,5}}\(?$")


@cache
def deadline_event_re() -> re.Pattern[str]:
    """A deadline, its event and a bare month or season: "before next harvest (August)", "antes de la vendimia de
    septiembre", "vor der Ernte im September"; the whole phrase is the timeline. Lower case, for lowered text."""
    terms = json.loads((PATTERNS_DIR / "timeline_terms.json").read_text(encoding="utf-8"))
    months = trie_alternation([t for t in terms["months"] if len(t) > 3])
    return re.compile(rf"(?<![\w'’-])(?:{trie_alternation(terms['deadline'])})\s+(?:[^\s,.;:!?()\d]+\s+){{1,5}}"
                      rf"(?:\((?:{months})(?:\s+20\d\d)?\)|(?:de|del|of|in|im|en|em|di|van)\s+(?:{months}))(?![\w'’-])")


@cache
def _hedge_re() -> re.Pattern[str]:
    """A softener written right after a date ("today if possible", "Freitag, wenn möglich"): part of the value."""
    terms = json.loads((PATTERNS_DIR / "timeline_terms.json").read_text(encoding="utf-8"))
    return re.compile(rf"(?i)[ \t]*,?[ \t]*(?:{_alternation(terms['hedges'])})(?![\w'’-])")


def with_hedge(text: str, end: int) -> int:
    """The end of a date widened over a softener written right after it (``_hedge_re``)."""
    m = _hedge_re().match(text, end)
    return m.end() if m else end


def with_deadline(text: str, start: int, end: int) -> tuple[int, int]:
    """The span widened to the event a deadline word names before the date: "in April" in "… before the lease
    starts in April" is "before the lease starts in April"; "(August)" in "before next harvest (August)"."""
    line_start = max(text.rfind("\n", 0, start) + 1, start - 60)
    m = _deadline_re().search(text, line_start, start)
    if m is None:
        return start, end
    if text[start - 1 : start] == "(" and text[end : end + 1] == ")":
        end += 1
    return m.start(), end


#: the other sides a label can name ("Move-in date of listing", "Office hours", "Dealer note"): their dates are not
#: the prospect's plan (``parsers.labels.lookup.ROLE_WORDS``, all seven languages)
_OTHER_SIDE_LABEL = frozenset(w for w, role in ROLE_WORDS
                              if role in {"agent", "dealer", "seller", "vendor", "provider"})
_LABEL_WORDS = re.compile(r"[^\W\d_]+")


def is_others_time(value: str, label: str = "") -> bool:
    """Whether a labelled timeline is someone else's time, not the prospect's plan: the rep's callback or a meeting
    set ("When: call back tomorrow 3pm", "Wann: Rückruf Freitag ab 10 Uhr", "Cuándo: llamar mañana a las 11"), a
    notice's date ("Offer valid until …"), or a date under a label naming the listing's, dealer's or vendor's side
    ("Move-in date of listing: available January 15"). An intent word in the value keeps it ("ASAP, call first")."""
    words = {w.casefold() for w in _LABEL_WORDS.findall(label)}
    if words & _OTHER_SIDE_LABEL:
        return True
    found = {kind for kind, pattern in evidence_res().items() if pattern.search(value)}
    return bool(found & _NOT_A_PLAN) and "intent" not in found


def is_own_plan(value: str) -> bool:
    """Whether a value read elsewhere may stand as the timeline: a plan (no record stamp, no clock time alone), no
    other side's time, no time of day at all (a day and hour is an appointment's as often as a plan's)."""
    return is_plan(value, 0, len(value)) and not is_others_time(value) and not _CLOCK.search(value)


#: evidence kinds that, written in a labelled timeline's value, make it someone else's time
_NOT_A_PLAN = frozenset({"contact", "meeting", "notice"})


_FIRST_SENTENCE = re.compile(r"(?<=\S)[.;!?]\s+(?=[A-ZÄÖÜÁÉÍÓÚÑ¿¡])")


class Timeline:
    def __init__(self, name: str) -> None:
        self.source = f"nlp:{name}"

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        b0, b1 = layout.body
        for m in _LABEL.finditer(layout.text, b0, b1):
            value = _FIRST_SENTENCE.split(m["value"].strip(), 1)[0].rstrip(".;")
            if is_others_time(value):
                continue
            add(doc, Candidate("timeline", value, 0.9, self.source, m.start("value")))
        found = [(s.start, s.end, s.id) for s in ruler_spans(doc, "TIMELINE") if b0 <= s.start < b1]
        # the grammar is written in lower case and run over the lower-cased text: IGNORECASE over its long
        # alternations costs ~5× as much (offsets agree whenever lower-casing keeps the length)
        lowered = layout.text.lower()
        grammar = relative_time_re() if len(lowered) == len(layout.text) else _ignoring_case()
        target = lowered if grammar is relative_time_re() else layout.text
        found.extend((m.start(), m.end(), "specific") for m in grammar.finditer(target, b0, b1))
        bare = _anchored_bare_re() if target is lowered else re.compile(_anchored_bare_re().pattern, re.I)
        found.extend((m.start("date"), m.end("date"), "anchored") for m in bare.finditer(target, b0, b1))
        deadline = deadline_event_re() if target is lowered else re.compile(deadline_event_re().pattern, re.I)
        found.extend((m.start(), m.end(), "anchored") for m in deadline.finditer(target, b0, b1))
        found.sort(key=lambda f: (f[0], -f[1]))
        chat = meta_of(doc).chat
        for group in _merge_adjacent(layout.text, found):
            start, end = group[0][0], max(f[1] for f in group)
            # "no rush", "sin prisa", "bald" alone name no time: precision first, no value
            if all(f[2] == "vague" for f in group) or not is_plan(layout.text, start, end):
                continue
            if chat and writers_clause(layout.text, start, layout.lang):
                continue  # "I'll call her Monday", "our crew is booked until March": the rep's plan
            confidence = max(_KIND_CONFIDENCE.get(f[2], 0.6) for f in group)
            horizon = any(f[2] in {"urgent", "vague", "anchored"} for f in group) or bool(
                _horizon_re().search(layout.text[start:end]) or _DURATION.match(layout.text, start, end))
            if not is_prospects(layout.text, start, end, horizon=horizon):
                continue
            start, end = anchored(layout.text, start, end)
            start, end = with_deadline(layout.text, start, end)
            end = with_hedge(layout.text, end)
            value = layout.text[start:end].rstrip(".")  # "antes de Navidad." ends a sentence; "Dec." loses little
            flags = () if horizon else (DAY_LEVEL,)
            add(doc, Candidate("timeline", value, confidence, self.source, start, flags=flags))
        return doc


def _merge_adjacent(text: str, found: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    groups: list[list[tuple[int, int, str]]] = []
    for item in found:
        if groups:
            last_end = max(f[1] for f in groups[-1])
            gap = text[last_end : item[0]]
            if item[0] < last_end or (len(gap) <= 2 and not gap.strip(" ,")):
                groups[-1].append(item)
                continue
        groups.append([item])
    return groups


@Language.factory("leadbot_timeline", default_config={})
def make_timeline(nlp: Language, name: str) -> Timeline:
    return Timeline(name)
