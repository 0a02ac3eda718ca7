"""Components ``leadbot_interest`` (what the prospect asks about) and ``leadbot_message`` (their own words).

Interest, strongest first: an "Interest:/Vehicle:/Product:" line; a vehicle ("2019 Honda Civic EX": a make
from ``patterns/vehicle_makes.jsonl`` with its year and model); "the property at 8904 Maple Glen Drive…";
the object of "interested in …" / "looking for …" / "me interesa …" / "ich interessiere mich für …"
(generic objects such as "availability" or "more information" say nothing and are skipped); last, the
subject line ("Contact us about your Camry" → "Camry"). A stock number, VIN or listing id in the text is
appended: "Camry (Stock Number D9489)".

Message: the body between greeting and sign-off, without "Key: value" lines, bare contact lines and quoted
text; a "Message:/Comments:/Nachricht:/Mensaje:" line's value counts as message.
"""

from __future__ import annotations

import dataclasses
import json
import re
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from nlp.candidates import Candidate, add, candidates_of, effective_sender, layout_of, meta_of, ruler_spans
from nlp.chat import pasted_message, quoted_message, transcript_message
from nlp.contacts import EMAIL_RE, URL_RE
from nlp.interest_shapes import (
    FACT_RUN,
    compound_needs,
    names_no_item,
    ours_re,
    run_head,
    subject_vehicle,
)
from nlp.layout import Layout
from nlp.lexicon import (
    PATTERNS_DIR,
    finditer_folded,
    generic_interests,
    stop_words,
    trie_alternation,
)
from nlp.money import BUDGET_RE
from nlp.places import is_city, own_place
from nlp.prose import titles
from nlp.timeline import relative_time_re
from nlp.vehicles import vehicle_at
from parsers.regex_start import guard_start
from parsers.subject import is_form_title

_LABEL = re.compile(
    r"(?im)^\s*(?:vehicle|vehicle of interest|interest|interested in|product|service|model|property|listing|"
    r"fahrzeug|modell|produkt|dienstleistung|interesse|objekt|veh[íi]culo|producto|servicio|modelo|propiedad|"
    r"inter[ée]s)\s*[:=]\s*(?P<value>[^\n]{2,100})$"
)
_PROPERTY = guard_start(re.compile(
    r"(?i)\b(?:property|listing|house|home|condo|apartment|townhouse|objekt|wohnung|haus|immobilie|propiedad|"
    r"casa|piso|departamento|inmueble)\b[^.\n]{0,20}?\b(?:at|on|located at|an der|in der|en|ubicad[oa] en)\s+"
    r"(?P<addr>(?:\d|(?:Calle|C/|Avenida|Avda\.?|Av\.|Plaza|Paseo|Camino)\s|[A-ZÄÖÜ][\wäöüß-]*(?:straße|strasse|weg|"
    r"allee|platz|gasse|ring)\s)[^\n!?]{3,90}?)(?=\.\s|[!?\n]|\.$|$|\s+(?:and|und|y|is|ist|es)\s)"
))
_OBJECT = re.compile(
    r"(?i:\binterested in|\binterest in|\binquiring about|\benquiring about|\basking about|\blooking for|"
    r"\binfo(?:rmation)? (?:on|about)|\bquestions? about|\bquote (?:for|on)|\binteressiere mich für|"
    r"\binteresse an|\banfrage (?:zu|für|wegen)|\bich suche|\b(?:me|nos|le|les) interesa(?:n)?|"
    r"\bestoy interesad[oa] en|"
    r"\bbusco|\binformaci[óo]n sobre|\bconsulta sobre|\bor[çc]amento (?:para|de)|\bdevis pour|\bpreventivo per|"
    r"\bofferte voor|\bpresupuesto (?:para|de)|\bangebot für|\bestou interessad[oa] em|"
    r"\bje suis intéressée? par|\bsono interessat[oa] a|\bik ben geïnteresseerd in|\bgostaria de|"
    r"\bevaluating|\bconsidering|\bcomparing|\bshopping for|\bin the market for|\bevaluieren|\bvergleichen|"
    r"\bevaluando|\bcomparando|\bavaliando|\bévaluons|\bcomparons|\bvalutando|\bvergelijken)\s+"
    r"(?P<obj>[^.!?\n]{2,100})"
)
#: what a rep writes the lead wants: "wants pricing on …", "quiere visitar …", "möchte ein Angebot für …"
_NOTE_OBJECT = re.compile(
    r"(?i:\b(?:wants|want|needs|need|asked (?:about|for)|asking (?:about|for)|asks (?:about|for)|"
    r"inquir(?:es|ed|ing) about|enquir(?:es|ed|ing) about|requests?|looking at|"
    r"called (?:about|re:?|regarding)|calling (?:about|re:?|regarding)|re:|regarding|wegen|bezüglich|"
    r"quero|queremos|quiero|"
    r"veux|voulons|voglio|vorrei|vogliamo|für ein|pour un|pour une|"
    r"interested in|interessiert an|interesse an|interesad[oa] en|interessad[oa] em|intéressée? par|"
    r"interessat[oa] a|geïnteresseerd in|quiere|quieren|busca|buscan|buscamos|necesita|necesitan|necesitamos|"
    r"pregunt[óo] por|"
    r"pide(?: info(?:rmaci[óo]n)?(?: del| de la| de| sobre)?)?|pidi[óo]|möchte|möchten|braucht|brauchen|sucht|"
    r"suchen|benötigt|benötigen|interessiert sich für|quer|querem|precisa|precisam|precisamos|procura|procuram|"
    r"pede|pedem|vuole|vogliono|cerca|cerchiamo|chiede|wil|willen|zoekt|zoeken|vraagt|veut|veulent|cherche|"
    r"cherchons|demande))"
    r"(?:[ \t]*(?::|->|→|=>?|[-–—]))?"  # "wants: sauna", "need -> tankless water heater"
    r"\s+(?:(?:a|an|the|to|un|una|el|la|los|las|ein|eine|einen|den|die|das|o|um|uma|il|lo|een|de|het|le|les|du|"
    r"des|une)\s+)?(?P<obj>(?:[^.!?\n]|(?<=[^\W_])\.(?=\d)){2,90})"
)
_CLAUSE_END = re.compile(
    r"(?i)\s*(?:(?<!\d),|,(?!\d{3}(?!\d))|;|:|\s-\s|\s(?:we|you|they)\s(?:have|had|got|listed|posted)\s|"
    r"\s(?:but|because|so|if|which|that|for my|aber|weil|ob|pero|"
    r"porque|que|si|(?:and |or )?whether|mais|parce|perché|maar|omdat)\s)"
)
_ARTICLE = re.compile(
    r"(?i)^(?:the|a|an|your|this|that|some|der|die|das|den|dem|einen|eine|ein|ihr|ihre|ihren|el|la|los|las|un|"
    r"una|su|sus|o|os|as|um|uma|le|les|une|des|du|il|lo|gli|uno|een|het|de|unos|unas|uns|umas|some|einige|"
    r"quelques|alcuni|alcune|enkele)\s+|^l'(?=\w)"
)
_SUBJECT_PREFIX = re.compile(r"(?i)^\s*(?:(?:re|aw|fwd?|wg|rv|tr|sv)\s*:\s*)+")
_SUBJECT = re.compile(
    r"(?i)(?:\babout|\bregarding|\bre|\binquiry|\benquiry|\bquestion|\binterested in|\binterest in|\binfo on|"
    r"\binformation on|\brequest for|\banfrage|\bzu|\bconsulta|\bsobre|\binteresado en|\bfrage zu)\b\s*[:-]?\s*"
    r"(?P<obj>.+)$"
)
_REF = guard_start(re.compile(
    r"(?i)\b(?P<label>stock\s*(?:number|no\.?|#)?|vin|mls\s*#?|listing\s*(?:id|#)|ref(?:erence)?\s*(?:no\.?|#)?|"
    r"inserat(?:snummer)?|referencia)\s*[:#]?\s*(?P<id>(?=[A-Z0-9-]*\d)[A-Z0-9-]{4,17})\b"
))
#: a key is a few short words: bounded, so a long run of word characters and "-" is not re-split at every place
_KEY_LINE = re.compile(r"^\s*(?P<key>\w[\w().#-]{0,40}(?:[ /]{1,3}[\w().#-]{1,40}){0,2})\s*[:=]\s*(?P<value>.*)$")
_MESSAGE_KEYS = frozenset(
    [
        "message", "comments", "comment", "question", "questions", "inquiry", "enquiry", "request", "notes",
        "nachricht", "kommentar", "anmerkung", "anmerkungen", "anfrage", "frage", "mensaje", "comentario",
        "comentarios", "consulta", "pregunta", "observaciones"
    ]
)
_NON_WORD = re.compile(r"[\W_]+")
#: "queremos sustituirlos", "vorrei cambiarla": the verb's object was named before, not here
_CLITIC = re.compile(r"(?i)^[^\W\d_]+(?:ar|er|ir|ír)-?(?:lo|la|los|las|le|les|li|le|ne)(?![\w-])")
#: a reflexive verb alone ("mudarse", "mudar-se", "trasferirsi") is what the prospect will do, not an item
_REFLEXIVE_ONLY = re.compile(r"(?i)^[^\W\d_]+(?:ar|er|ir|ír)-?(?:se|si)$")
#: a verb of getting going names when, not what ("wants to start in March", "möchte im Mai beginnen")
_START_VERB = re.compile(
    r"(?i)^(?:start|begin|get started|move forward|proceed|go ahead|empezar|comenzar|arrancar|anfangen|beginnen|"
    r"starten|loslegen|começar|iniciar|commencer|démarrer|iniziare|cominciare|partire)(?!\w)"
)
#: a price request keeps its item: "quote on a sunroom" is what a person writes down as the interest
_PRICE_HEADS = frozenset({"quote", "pricing", "price", "prices", "estimate"})
#: after a request's generic head ("more information", "a test drive"), the word that introduces the item
_ITEM_PREPOSITIONS = frozenset({"about", "on", "of", "for", "regarding", "sobre", "über", "zu", "zum", "zur", "sur",
                                "su", "over", "de", "para", "pour", "per", "voor", "für"})
_CONTACT_ONLY = re.compile(r"^[\s\d()+./-]{7,}$")


@cache
def _cues() -> dict[str, object]:
    data: dict[str, object] = json.loads((PATTERNS_DIR / "interest_cues.json").read_text(encoding="utf-8"))
    return data


@cache
def _word_set(key: str) -> frozenset[str]:
    """A word list of ``interest_cues.json``, case-folded: "someone", "changing_a_booking"."""
    words = _cues()[key]
    assert isinstance(words, list)
    return frozenset(w.casefold() for w in words)


@cache
def _time_words_re() -> re.Pattern[str]:
    """The timeline ruler's fixed phrases ("today", "asap", "sofort", "lo antes posible"), lower case."""
    lines = (PATTERNS_DIR / "timeline.jsonl").read_text(encoding="utf-8").splitlines()
    phrases = [p["pattern"].lower() for p in map(json.loads, filter(None, lines)) if isinstance(p["pattern"], str)]
    return re.compile(rf"(?<![\w'’-])(?:{trie_alternation(phrases)})(?![\w'’-])")


#: a preposition or conjunction left at the end once the date is cut off ("a cleaning for [next Tuesday]")
_TRAILING_LINK = re.compile(r"(?i)(?:\s+(?:for|on|at|in|by|to|and|from|für|am|im|um|bis|ab|und|para|en|el|por|y|"
                            r"de|pour|le|à|et|per|il|entro|e|voor|op|in|en|tegen|om))+\s*$")


@cache
def _booking_re() -> re.Pattern[str]:
    """A verb of booking or of changing a booking at the start of an object, and its article."""
    book, change = _cues()["booking_verbs"], _cues()["changing_a_booking"]
    assert isinstance(book, list) and isinstance(change, list)
    return re.compile(rf"(?i)(?P<verb>{_words_re([*book, *change])})(?![\w'’-])\s*(?:(?:a|an|the|my|our|her|his|"
                      rf"ein|eine|einen|den|die|das|un|una|el|la|o|um|uma|une|le|il|lo|een|de|het)\s+)?")


def _all_languages(key: str) -> list[str]:
    """The words of a per-language list of ``interest_cues.json`` ("want", "not_a_sale"), all languages."""
    by_lang = _cues()[key]
    assert isinstance(by_lang, dict)
    return [w for words in by_lang.values() for w in words]


@cache
def _not_a_sale_re() -> re.Pattern[str]:
    return re.compile(rf"(?i)(?<![\w'’-])(?:{_words_re(_all_languages('not_a_sale'))})(?![\w'’-])")


def _words_re(words: list[str]) -> str:
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words), key=len, reverse=True))


@cache
def want_re() -> re.Pattern[str]:
    """The prospect's own "we need …", "do you offer …", "wir suchen …", "necesitamos …" and its object, from
    ``patterns/interest_cues.json``; written in lower case for ``finditer_folded``."""
    return re.compile(rf"(?i:(?<![\w'’])(?:{trie_alternation(_all_languages('want'))}))\s*:?\s+"
                      rf"(?P<obj>(?:[^.!?\n]|(?<=[^\W_])\.(?=\d)){{2,140}})")


@cache
def _and_clause_re() -> re.Pattern[str]:
    """A conjunction that starts a new clause ("… a new roof and we would like …"): the object ends before it."""
    starters = _cues()["clause_starters"]
    assert isinstance(starters, list)
    return re.compile(rf"(?i)\s(?:and|und|y|e|et|en|ed|&|\+)\s+(?:{_words_re(starters)})(?![\w'’])")


@cache
def _lead_in_re() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(an infinitive marker to drop, a request to talk rather than an item) at the start of a wanted object."""
    strip, talk = _cues()["to_strip"], _cues()["not_an_item"]
    assert isinstance(strip, list) and isinstance(talk, list)
    return (re.compile(rf"(?i)^(?:{_words_re(strip)})(?:\s+|(?<=')(?=\w))"),
            re.compile(rf"(?i)^(?:{_words_re(talk)})(?![\w'’])"))


class Interest:
    def __init__(self, name: str) -> None:
        self.source = f"nlp:{name}"

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        text = layout.text
        r0, r1 = layout.region
        b0, b1 = layout.body
        found: list[Candidate] = []
        for m in _LABEL.finditer(text, b0, b1):
            if names_no_item(m["value"]):
                continue  # "Service: Other": an empty answer
            found.append(Candidate("interest", m["value"].strip(), 0.9, self.source, m.start("value")))
        for make in ruler_spans(doc, "MAKE"):
            if layout.in_region(make.start, make.end):
                vehicle = vehicle_at(doc, make.span)
                if vehicle:
                    found.append(Candidate("interest", vehicle[0], vehicle[1], self.source, make.start))
        for m in _PROPERTY.finditer(text, r0, r1):
            if own_place(text[max(r0, m.start() - 30) : m.start()], meta_of(doc).referred):
                continue  # "at my house on 12 Oak St": the lead's own address (``nlp.address``), not a listing
            if (meta_of(doc).chat or meta_of(doc).referred) and _COPULA.search(text, m.start(), m.start("addr")):
                continue  # a note's "house is at 12 Oak St": where the lead lives, the job's place, not a listing
            found.append(Candidate("interest", m["addr"].strip(" ,"), 0.75, self.source, m.start("addr")))
        phrases: list[Candidate] = []
        chat = meta_of(doc).chat
        for m in finditer_folded(_OBJECT, text, b0, b1):
            inner = _innermost(text[m.start("obj") : m.end("obj")])
            if chat and ours_re().match(inner):
                continue  # a rep's "asking about our Premium Care Plan": the rep's own product
            obj = _object_phrase(inner)  # it ran over the lower case
            colon = m.start("obj") + len(text[m.start("obj") : m.end("obj")].rstrip()) - 1
            if obj and (shown := _listing_below(text, obj, colon)):
                found.append(Candidate("interest", shown[0], 0.75, self.source, shown[1]))
            elif obj:
                phrases.append(Candidate("interest", obj, 0.6, self.source, m.start("obj")))
        if chat:
            for m in finditer_folded(_NOTE_OBJECT, text, r0, r1):
                raw = _NOTE_FACT_END.split(text[m.start("obj") : m.end("obj")], 1)[0]
                if ours_re().match(raw) and _ASKING_ABOUT.search(text, m.start(), m.start("obj")):
                    continue  # "asking about our Premium Care Plan": the rep's own product ("needs our …" quotes)
                obj = _object_phrase(_lead_in_re()[0].sub("", raw), max_words=14)  # "willen graag een …"
                if obj and not _no_item(obj):
                    phrases.append(Candidate("interest", obj, 0.62, f"{self.source}.note", m.start("obj")))
            if not phrases and not found:
                phrases.extend(Candidate("interest", need, 0.5, f"{self.source}.listed", pos)
                               for need, pos in _listed_needs(text, r0, r1)[:1])
            if not phrases and not found:
                phrases.extend(Candidate("interest", need, 0.5, f"{self.source}.compound", pos)
                               for need, pos in compound_needs(text, r0, r1)[:1])
            if not phrases and not found:
                after = sorted((c.start, len(c.value)) for c in candidates_of(doc)
                               if c.field in _WHO_FIELDS and r0 <= c.start < r1)
                phrases.extend(Candidate("interest", need, 0.5, f"{self.source}.after_contact", pos)
                               for need, pos in _needs_after_contact(text, after)[:1])
        for m in FACT_RUN.finditer(text, b0, b1):
            if (head := run_head(m["head"], m["rest"])) is not None and (item := _object_phrase(head)):
                found.append(Candidate("interest", item, 0.7, f"{self.source}.run", m.start("head")))
        _name, _email, subject = effective_sender(doc)
        if subject and (about := _subject_object(subject)):
            found.append(Candidate("interest", about, 0.5, f"{self.source}.subject"))
        wishes: list[Candidate] = []
        if found and not chat:  # a note's "needs …" is read above; "we need …" in a mail is the prospect's own
            for m in finditer_folded(want_re(), text, b0, b1):
                obj = _wanted_object(text[m.start("obj") : m.end("obj")])
                if obj:
                    wishes.append(Candidate("interest", obj, 0.0, f"{self.source}.want", m.start("obj")))
        # a wish alone is no interest (measured: "we need …" alone read wrong values as often as right ones);
        # a wish that spells out the subject's or a label's item in full is its fuller mention
        fuller = _fuller_mentions([*phrases, *wishes], found)
        for candidate in [*found, *(c for c in fuller if c.confidence > 0)]:
            add(doc, candidate)
        for m in _REF.finditer(text, r0, r1):
            label = " ".join(m["label"].split()).rstrip(":#")
            add(doc, Candidate("interest_ref", f"{label} {m['id']}", 0.8, self.source, m.start()))
        return doc


#: the line under "… asking about your listing:": an address (a number first, or a street word's line)
_ADDRESS_LINE = re.compile(r"[ \t]*\n[ \t]*(?P<line>\d[^\n]{5,90})")


def _listing_below(text: str, obj: str, end: int) -> tuple[str, int] | None:
    """The address on the line below a cue whose object only points at a listing ("A buyer is asking about your
    listing:" then "1427 Juniper Hollow Dr, Round Rock, TX 78665"), with its offset."""
    if obj.casefold() not in _word_set_of("listing_nouns") or not text.startswith(":", end):
        return None
    m = _ADDRESS_LINE.match(text, end + 1)
    return (m["line"].strip(), m.start("line")) if m else None


@cache
def _word_set_of(key: str) -> frozenset[str]:
    """A per-language word list of ``interest_cues.json``, all languages, case-folded."""
    return frozenset(w.casefold() for w in _all_languages(key))


#: "house is at", "Haus ist in", "la casa está en": a note says where the lead's own place is
_COPULA = re.compile(r"(?i)\s(?:is|ist|liegt|es|está|esta|é|fica|est|è|ligt)\s")
#: a note's cue that asks about something, rather than wanting it
_ASKING_ABOUT = re.compile(r"(?i)\b(?:about|regarding|re|interested in|wegen|bezüglich|sobre|por|sur|su|over)\b")


#: where a fact of a note's list ends: "wants new windows — Mark Ellery", "| deck staining | next month"
_NOTE_FACT_END = re.compile(r"\s(?:[–—|•·]|//|--)\s")
#: the facts of a note's list: its lines, and the parts of a line between " | ", " — ", " -- ", " // ", " • ", " · "
_FACT = re.compile(r"(?:[^\n|•·—–/-]|-(?!-)|/(?!/))+")
#: a short need as a fact of its own: one to four lower-case words ("roof inspection", "reformar el baño")
_SHORT_NEED = re.compile(r"[a-zß-öø-ÿ][a-zß-öø-ÿ'’-]+(?: [a-zß-öø-ÿ][a-zß-öø-ÿ'’-]*){0,3}")
#: words that make a fact the rep's remark, not a need ("new lead", "call back", "urgent")
_REMARK_WORDS = frozenset({"lead", "leads", "walk-in", "call", "callback", "fyi", "thanks", "thx", "pls", "please",
                           "asap", "urgent", "today", "tomorrow", "cell", "mobile", "work", "email", "phone", "tel",
                           "ph", "mob", "cliente", "kunde", "interessent", "bitte"})


def _listed_needs(text: str, start: int, end: int) -> list[tuple[str, int]]:
    """A chat note's list facts that are a short need and nothing else ("• roof inspection", "| deck staining |",
    ":house: pool resurfacing"): a bullet or emoji before, no name, contact, time or remark word in it."""
    needs: list[tuple[str, int]] = []
    for m in _FACT.finditer(text, start, end):
        fact = m.group().strip().lstrip("-*+>•·▪◦").strip()
        fact = re.sub(r"^(?::[a-z0-9_+-]+:|[^\w\s(]+)\s*", "", fact)  # an emoji bullet
        if not _SHORT_NEED.fullmatch(fact) or not _bare_need(fact):
            continue
        phrase = _object_phrase(fact, max_words=4)
        if phrase:
            needs.append((phrase, m.start() + m.group().find(fact)))
    return needs


def _bare_need(fact: str) -> bool:
    """Whether a short fact may be a need: no function word at either end, no remark, no time."""
    words = fact.casefold().split()
    stops = stop_words()
    if words[0] in stops or words[-1] in stops or _REMARK_WORDS.intersection(words):
        return False
    return not (relative_time_re().search(fact) or _time_words_re().search(fact))


#: the candidates that name or reach the lead: a note's need is often the fact written right after them
_WHO_FIELDS = frozenset({"person", "email", "phone"})
#: where a note's comma-separated fact ends
_PART_END = re.compile(r"[,;\n]|\.(?:\s|$)")
#: a need as a fact of its own after a contact: two to six lower-case words ("revisión anual de la caldera")
_FACT_NEED = re.compile(r"[a-zß-öø-ÿ][a-zß-öø-ÿ'’+-]+(?: [a-zß-öø-ÿ][a-zß-öø-ÿ'’+-]*){1,5}")


def _needs_after_contact(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, int]]:
    """A note's fact written right after the lead's name, email or phone, between commas on the same line
    ("Sr. Ramiro Osuna, 699 414 852, revisión anual de la caldera, Barakaldo"): a short lower-case need, no
    name, place, time or remark."""
    needs: list[tuple[str, int]] = []
    for start, length in spans:
        end = _PART_END.search(text, start)
        if end is None or text[end.start()] != "," or end.start() > start + length + 2:
            continue  # the comma must close the name or contact itself, not a remark written after it
        nxt = _PART_END.search(text, end.end())
        raw = text[end.end() : nxt.start() if nxt else len(text)]
        fact = raw.strip()
        if not _FACT_NEED.fullmatch(fact) or is_city(fact) or not _bare_need(fact):
            continue
        if phrase := _object_phrase(fact, max_words=6):
            needs.append((phrase, end.end() + raw.find(fact)))
    return needs


def _no_item(phrase: str) -> bool:
    """A rep's "needs to talk to Mike", "möchte einen Rückruf", "pide información": a request to be called or told,
    no item; but "a quote on a sunroom", "Angebot für eine Markise" name theirs after the request."""
    words = phrase.split()
    if len(words) >= 3 and words[1].casefold() in _ITEM_PREPOSITIONS:
        return False
    return bool(_lead_in_re()[1].match(phrase))


def _innermost(raw: str) -> str:
    """The object of the last of nested cues: "looking for a quote on 1,200 sq ft …" → "1,200 sq ft …"."""
    for _ in range(3):
        stripped = _ARTICLE.sub("", raw.lstrip())
        inner = _OBJECT.match(stripped.lower())
        if inner is None or len(stripped.lower()) != len(stripped):
            break
        raw = stripped[inner.start("obj") :]
    return raw


def _subject_object(subject: str) -> str | None:
    subject = _SUBJECT_PREFIX.sub("", subject).strip()
    m = _SUBJECT.search(subject)
    while m and (inner := _SUBJECT.match(m["obj"])):
        m = inner  # "Consulta sobre el Corolla": the object of the innermost trigger
    if m is None:
        return subject_vehicle(subject)
    obj = _LEADING_FOR.sub("", m["obj"])  # "Anfrage für BMW 320d": the item after the preposition
    if _FROM_A_SITE.match(obj):
        return None  # "Neue Anfrage von Ihrer Website": where the request came from, no item
    return _object_phrase(obj) if not is_form_title(obj) else None


#: a subject's object that names where a request came from: "von Ihrer Website", "from your site", "via el formulario"
_FROM_A_SITE = re.compile(
    r"(?i)^(?:von|vom|über|from|via|through|de|desde|da|do|par|depuis|dal|van|vanaf)\s+(?:(?:ihrer|ihre|ihrem|"
    r"unserer|unserem|der|dem|your|our|the|a|el|la|su|sua|seu|o|a|votre|le|il|vostro|uw|de|het)\s+)?"
    r"(?:website|webseite|homepage|internetseite|site|web|seite|p[áa]gina|page|form|formular|formulario|"
    r"formul[áa]rio|formulaire|modulo|formulier|portal|app|landing page)\b")


_LEADING_FOR = re.compile(r"(?i)^(?:for|für|fur|zu|zum|zur|para|pour|per|voor)\s+")


def _fuller_mentions(phrases: list[Candidate], others: list[Candidate]) -> list[Candidate]:
    """The phrases read from the text, each as confident as the surest other candidate it spells out in full.

    "Do you offer monthly bookkeeping and payroll?" under the subject "Question about bookkeeping" names the same
    item with what the prospect wants of it: the fuller mention is the interest."""
    out: list[Candidate] = []
    folded = [(o.confidence, fold) for o in others if (fold := _fold(o.value))] if phrases else []  # once each
    for phrase in phrases:
        inside = f" {_fold(phrase.value)} "
        backed = [confidence for confidence, fold in folded if fold != inside.strip() and f" {fold} " in inside]
        if backed and max(backed) > phrase.confidence:
            phrase = dataclasses.replace(phrase, confidence=max(backed))
        out.append(phrase)
    return out


def _fold(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def _wanted_object(raw: str) -> str | None:
    """The object of "we need …": "to" dropped ("I'd like to replace my furnace"), none for a wish to talk."""
    strip, talk = _lead_in_re()
    for _ in range(3):  # "ik wil graag een …", "I'd really like to …"
        raw = strip.sub("", raw.lstrip(), count=1)
    if talk.match(raw) or _CLITIC.match(raw):
        return None
    phrase = _object_phrase(raw, max_words=14)
    return None if phrase is None or talk.match(phrase) else phrase


def _object_phrase(raw: str, max_words: int = 10) -> str | None:
    cut = _CLAUSE_END.search(raw)
    phrase = raw[: cut.start()] if cut else raw
    lowered = phrase.lower()
    if len(lowered) == len(phrase):
        # "a second unit next year", "a plumber today for a burst pipe": the date is the timeline's, not the item's
        whens = [m for m in (relative_time_re().search(lowered), _time_words_re().search(lowered)) if m]
        first = min(whens, key=lambda m: m.start(), default=None)
        if first is not None and not lowered[: first.start()].strip(" ,"):
            # "wil zo snel mogelijk een nieuwe cv-ketel", "needs ASAP a new roof": the item follows the date
            return _object_phrase(phrase[first.end() :], max_words) if first.end() < len(phrase) else None
        if first is not None:
            phrase = _TRAILING_LINK.sub("", phrase[: first.start()])
        # "3bd under $450k", "a used truck, max 30.000 €": the amount is the budget's, not the item's
        if (money := BUDGET_RE.search(phrase)) is not None and phrase[: money.start()].strip(" ,"):
            phrase = _TRAILING_LINK.sub("", phrase[: money.start()].rstrip(" ,"))
    booked = _booking_re().match(phrase.lstrip())
    if booked and booked["verb"].casefold() in _word_set("changing_a_booking"):
        return None  # "reschedule the appointment to Friday": a booking already made, no item
    if booked:
        phrase = phrase.lstrip()[booked.end() :]  # "book a cleaning": the cleaning
    if conj := _and_clause_re().search(phrase):
        phrase = phrase[: conj.start()]
    phrase = _ARTICLE.sub("", phrase.strip()).strip(" .,!?\"'")
    words = phrase.split()
    for n in (2, 1):
        head = " ".join(words[:n]).casefold()
        if len(words) > n and head in generic_interests() and head not in _PRICE_HEADS:
            # "more information about the Camry", "a test drive of the 2021 Camry": the item follows; "a test
            # drive this weekend" names none
            rest = " ".join(words[n + 1 :])
            if words[n].casefold() not in _ITEM_PREPOSITIONS or rest.casefold() in generic_interests():
                return None
            return _object_phrase(rest, max_words)
    if not words or len(words) > max_words or phrase.casefold() in generic_interests():
        return None
    if sum(ch.isalpha() for ch in phrase) < 3:  # "[#58]", a ticket number
        return None
    if words[0].casefold() in {"it", "this", "that", "you", "your", "more", "buying", "selling", "purchasing"}:
        return None
    if phrase.casefold() in {"one", "ones", "them", "him", "her"}:
        return None  # "who wants this one:": the lead itself, no item
    if words[0].casefold().rstrip(".") in titles():
        return None  # "braucht: Herr Jannik Adeyemi": the person the need is for, not the need
    if words[0].casefold() in _word_set("someone"):
        return None  # "wants someone to look at it": who would do it, not what they want
    if _not_a_sale_re().search(phrase):
        return None  # "re: last invoice", "service department hours": an account's matter, not a sale
    if _START_VERB.match(phrase) or _REFLEXIVE_ONLY.match(phrase):
        return None  # "wants to start in March", "quiere empezar ya", "quiere mudarse": when or what they do, no item
    return _having_done(phrase)


#: German "… machen lassen": the work wanted, with the owner's possessive and the town between left out
_LASSEN = re.compile(r"\s+lassen$")
_DE_POSSESSIVE = re.compile(r"(?i)^(?:unser|unsere|unseren|unserem|unserer|mein|meine|meinen|meinem|meiner)\s+")
_IN_TOWN = re.compile(r"\s+in\s+[A-ZÄÖÜ][\w-]+(?=\s+[a-zäöüß])")


def _having_done(phrase: str) -> str:
    """"unser Dach in Böblingen sanieren lassen" → "Dach sanieren": what a German writer wants done."""
    if not _LASSEN.search(phrase):
        return phrase
    return _IN_TOWN.sub("", _DE_POSSESSIVE.sub("", _LASSEN.sub("", phrase)))


class Message:
    def __init__(self, name: str) -> None:
        self.source = f"nlp:{name}"

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        meta = meta_of(doc)
        if (meta.chat or meta.referred) and not layout.forwarded:
            # a rep's note: their words are about the lead; only the prospect's quoted (or pasted) words are
            quoted = (transcript_message(layout.text) or quoted_message(layout.text)
                      or pasted_message(layout.text, layout.signoff))
            if quoted:
                add(doc, Candidate("message", quoted, 0.8, f"{self.source}.quoted"))
            return doc
        labelled, free = message_parts(layout.text, layout)
        if labelled:
            add(doc, Candidate("message", labelled, 0.8, self.source, layout.body[0]))
        if free:
            add(doc, Candidate("message", free, 0.6, self.source, layout.body[0]))
        return doc


def message_parts(text: str, layout: Layout) -> tuple[str, str]:
    """(labelled message, free text) of the body; either may be empty."""
    labelled: list[str] = []
    free: list[str] = []
    b0, b1 = layout.body
    for line in layout.body_lines():
        content = text[max(line.start, b0) : min(line.end, b1)].strip()
        if not content:
            continue
        key_line = _KEY_LINE.match(content)
        if key_line and not URL_RE.match(content):
            key = key_line["key"].strip().lower()
            if key in _MESSAGE_KEYS and key_line["value"].strip():
                labelled.append(key_line["value"].strip())
            continue  # "Phone: …", "Stock Number: …": fields, not words
        if EMAIL_RE.fullmatch(content) or URL_RE.fullmatch(content) or _CONTACT_ONLY.match(content):
            continue
        free.append(content)
    return _join(labelled), _join(free)


def _join(parts: list[str]) -> str:
    return " ".join(" ".join(parts).split())[:4000]


@Language.factory("leadbot_interest", default_config={})
def make_interest(nlp: Language, name: str) -> Interest:
    return Interest(name)


@Language.factory("leadbot_message", default_config={})
def make_message(nlp: Language, name: str) -> Message:
    return Message(name)
