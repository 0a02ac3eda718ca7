"""What a mail's subject says the lead asks about, when the body names it nowhere else.

A notification writes its own words, a colon, then the object ("Contact form: Leaking shower valve",
"Neue Anfrage #SV-88: Photovoltaik", "Nieuwe offerteaanvraag: Dakkapel plaatsen"). A person writing directly
often puts the object in the whole subject too, but as often a headline ("Backyard patio quote", "Referral -
client looking to refinance") that misses what they ask for: on our tuning half such guesses were wrong
twice as often as right, and a wrong value costs more than a missing one, so only the stated shape counts.
The notification's own words are data, one list per language (``[words] notice`` in ``labels/*.toml``); a
subject made only of them ("New lead", "Nuevo contacto desde la web", "Question") says nothing. Reference
numbers are not what anyone asks about, and a subject that is the lead's own name is no interest either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from parsers.address import find_in_line
from parsers.labels.dictionary import DICTIONARY, norm_label
from parsers.quotes import FORWARD_MARKER, FORWARD_SUBJECT, FROM_NAMES, OTHER_HEADER_NAMES, SUBJECT_NAMES
from parsers.regex_start import guard_start

#: "Re:", "AW:", "SV:" and the forward prefixes, repeated
_PREFIXES = re.compile(r"^\s*(?:(?:re|aw|sv|antw|r|fwd?|fw|wg|rv|tr|enc|i|doorst|reenviar)\s*:\s*)+", re.IGNORECASE)
#: "[leadform]", "(External)": a tag a mailer or gateway puts first
_TAG = re.compile(r"^\s*(?:\[[^\]]{1,40}\]|\([^)]{1,40}\))\s*")
#: a reference, ticket or order number: "#SV-884213", "Ref 4471-2290-18", "Nr. 2026-118-40371"
_REFERENCE = re.compile(
    r"(?:\b(?:ref(?:erence|erencia|\.)?|nr\.?|no\.|n[º°]|id|order|ticket|auftrags-nr\.?)\s*[:#]?\s*|#)"
    r"[A-Z0-9-]*\d[\w-]{2,}"
    r"|\b[A-Z]{1,4}-\d[\d-]{3,}\w*\b|\b\d{6,}\b|\b\d+-\d+-\d+\b",
    re.IGNORECASE)
#: longer than this, a subject is a sentence of the message rather than a topic
_MAX_LENGTH = 90


def interest_of_subject(subject: str | None, *, names: Iterable[str] = (), vendor: str | None = None) -> str | None:
    """The object a subject names after a notification's own words and a colon, or None. ``names``: the lead's
    name (and company) as read, which a subject naming only the lead does not turn into an interest; ``vendor``:
    the sender's domain word ("zillow"), which a subject naming the vendor's product does not either."""
    if not subject:
        return None
    text = _TAG.sub("", _PREFIXES.sub("", FORWARD_SUBJECT.sub("", subject))).strip()
    head, colon, tail = text.partition(":")
    if not (colon and tail.strip() and _is_notice(head)) or _names_form(head, tail):
        return None
    text = tail.strip()
    text = _REFERENCE.sub(" ", text)
    text = " ".join(text.split()).strip(" -–—|,;:?!.")
    if not text or len(text) > _MAX_LENGTH:
        return None
    if says_nothing(text) or _marketing(text):
        return None
    words = norm_label(text).split()
    if vendor and len(vendor) >= 4 and vendor.casefold() in words:
        return None  # "Contact form: Zillow Premier Agent": the vendor's product, not what the lead asks for
    own = {w for name in names for w in norm_label(name).split()}
    if own and {w for w in words if not w.isdigit()} <= own | DICTIONARY.notice_words:
        return None  # "New buyer lead: Ana Ruiz" or "…: Keystone Linen (201-500)": the lead, not what they want
    return text


#: a form builder's notice names the form after its colon ("New submission: Solar Quote Request", "New form
#: entry: Contact Us"), not what the lead asked; nor does a title ending in the word "form". ("New response: Get a
#: solar estimate" names a survey by what it offers: kept.)
_FORM_ENTRY = frozenset({"submission", "submissions", "entry", "entries", "eintrag", "einsendung", "envío", "envio",
                         "inzending"})
_FORM_WORD = frozenset({"form", "formular", "formulario", "formulário", "formulaire", "formulier", "modulo"})


#: a vendor's or marketer's words after the colon: the campaign, the ad, the page, the lead's grade or tier
#: ("Spring Roofing Campaign", "Facebook Lead Ad", "Hot Lead", "Priority", "Tier 1", "Other")
_MARKETING = frozenset({"campaign", "campaigns", "promo", "promotion", "adset", "landing", "homepage", "priority",
                        "exclusive", "tier", "other", "misc", "iphone", "android", "kampagne", "campaña", "campanha",
                        "campagne", "campagna"})
_GRADE_LAST = frozenset({"lead", "leads", "ad", "ads", "page", "stars", "star"})
#: the first words of the message itself ("New message: Hi, is this available?"), or the mail's own date
_SENTENCE = re.compile(r"^(?:hi|hello|hey|dear|hallo|hola|buenas|bonjour|ciao|ol[aá]|oi|goedendag)\b|\?$"
                       r"|^(?:mon|tue|wed|thu|fri|sat|sun)\w*,? |^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
                       r"\w* \d", re.IGNORECASE)


def _marketing(text: str) -> bool:
    """Whether a subject's object is the vendor's (a campaign, an ad, a grade), the message's opening or a date."""
    words = norm_label(text).split()
    return bool(_SENTENCE.search(text.strip())) or not _MARKETING.isdisjoint(words) or (
        bool(words) and words[-1] in _GRADE_LAST)


def is_form_title(text: str) -> bool:
    """Whether a subject's object is a form's title ("Free Estimate Request Form", "Formulario de contacto") or its
    button ("Request an Appointment", "Schedule a Free Consultation", "Solicitar cita"): no item."""
    words = norm_label(text).split()
    if not words:
        return False
    if words[-1] in _FORM_WORD or (words[0] in _FORM_WORD and len(words) <= 3):
        return True
    rest = words[1:]
    return words[0] in _CTA_VERBS and bool(rest) and all(
        w in _CTA_OBJECTS or w in DICTIONARY.notice_words for w in rest)


#: a form button's verb and what it offers (as ``norm_label`` folds them): "Request an Appointment", "Book a Free
#: Consultation", "Get a Quote", "Solicitar cita", "Termin vereinbaren" (verb last), "Demander un rendez-vous"
_CTA_VERBS = frozenset({"request", "schedule", "book", "get", "claim", "contact", "call", "ask", "reserve", "start",
                        "solicitar", "solicite", "pedir", "pida", "agendar", "agende", "reservar", "anfragen", "buchen",
                        "vereinbaren", "termin", "demander", "demandez", "reserver", "prenota", "richiedi",
                        "richiedere", "aanvragen", "boek", "plan", "vraag", "maak"})
_CTA_OBJECTS = frozenset({"appointment", "consultation", "consult", "estimate", "quote", "demo", "call", "callback",
                          "visit", "meeting", "tour", "showing", "viewing", "valuation", "now", "today", "here",
                          "no", "obligation", "cita", "termin", "vereinbaren", "ruckruf", "beratung", "beratungstermin",
                          "rendez", "vous", "appuntamento", "afspraak", "maken", "visita", "consulenza", "kostenlos",
                          "kostenlose", "kostenlosen", "gratis", "gratuit", "gratuite", "gratuito", "gratuita",
                          "previa", "avaliacao", "evaluacion", "valoracion", "an", "a", "ein", "einen", "eine"})


def _names_form(head: str, tail: str) -> bool:
    """Whether a subject's object is a form's title (the head says "submission"/"entry", the tail ends "Form")."""
    return is_form_title(tail) or not _FORM_ENTRY.isdisjoint(norm_label(head).split())


#: "New job for Malerbetrieb Schuster GmbH: …": what follows the preposition names the recipient, not the object
_RECIPIENT = frozenset({"for", "für", "fur", "para", "pour", "per", "voor", "to", "an", "a", "aan"})


def _is_notice(head: str) -> bool:
    """Whether the words before a colon are a notification's own ("New QuoteNest request", "Quote")."""
    words = norm_label(_REFERENCE.sub(" ", head)).split()
    cut = next((k for k, w in enumerate(words) if k and w in _RECIPIENT), len(words))
    words = words[:cut]
    if not words or len(words) > 6:
        return False
    known = sum(1 for w in words if w in DICTIONARY.notice_words)
    # one unknown word is the portal's name ("New QuoteNest request"), not the object
    return known >= 1 and len(words) - known <= 1


#: "Inquiry about …", "New enquiry for …", "Anfrage zu …": a notification's words, then what it is about
_ABOUT = re.compile(r"^(?P<head>.{2,60}?)\s+(?:about|for|regarding|re|on|zu|zum|zur|f[üu]r|sobre|para|pour|"
                    r"concernant|per|voor|over|su)\s+(?P<tail>.+)$", re.IGNORECASE)


def listing_line(line: str) -> str | None:
    """The address a notification's own line says the lead asks about ("Inquiry about 918 Sycamore St,
    Madison, WI 53703"; "Anfrage zu Eppendorfer Weg 118, 20259 Hamburg"), or None. Only an address counts: a
    listing named there is not where the lead lives."""
    text = line.strip().rstrip(".!")
    head, colon, tail = text.partition(":")
    if not (colon and _is_request(head)):
        m = _ABOUT.match(text)
        if m is None or not _is_request(m["head"]):
            return None
        tail = m["tail"]
    tail = tail.strip()
    named, colon, after = tail.partition(":")
    if colon and after.strip() and len(named.split()) <= 3 and not any(ch.isdigit() for ch in named):
        tail = after.strip()  # "… about your listing: 1427 Juniper Hollow Dr": the address, not its name
    found = find_in_line(tail)
    if found and _CONTACT.search(tail, 0, found[0].start):
        return None  # "Lead: Sara Kim 206-555-0111 sara@kim.example, 1500 4th Ave …": a person's line, their home
    return tail if found and found[0].parts.get("street") and len(tail) <= _MAX_LENGTH else None


#: an e-mail address or a phone number before the address of a request's line: the line is a person's contacts
_CONTACT = re.compile(r"@|\d{3}[ ).-]*\d{3}[ .-]*\d{4}")


#: words of a request about a listing ("Inquiry", "Showing request", "Besichtigungsanfrage" is one word)
_REQUEST_WORDS = frozenset({
    "inquiry", "enquiry", "request", "lead", "interest", "interested", "showing", "viewing", "tour", "question",
    "asking", "asks",
    "anfrage", "kontaktanfrage", "besichtigung", "besichtigungsanfrage", "solicitud", "consulta", "visita",
    "pedido", "contato", "interesse", "demande", "visite", "richiesta", "aanvraag", "bezichtiging",
    "bezichtigingsaanvraag"})


def _is_request(head: str) -> bool:
    """A notification's own words that ask about something ("New inquiry", "Showing request")."""
    words = norm_label(head).split()
    return _is_notice(head) and any(w in _REQUEST_WORDS for w in words)


#: a header line of a forwarded or pasted mail: "From: …", "De : …" (French spacing), "*Subject:* …", "> To: …"
_HEADER_LINE = re.compile(r"^[ >*]*(?P<name>[^\W\d_][\w-]{0,19})[ \t]?\*?[:：]\*?[ \t]*(?P<value>.*)$")


def says_nothing(subject: str) -> bool:
    """A subject made only of a notice's own words ("Quote request", "Pedido de orçamento", "Demande de devis"),
    reference numbers and digits: it names no item."""
    words = norm_label(_REFERENCE.sub(" ", subject)).split()
    return not any(w not in DICTIONARY.notice_words and len(w) >= 3 and not w.isdigit() for w in words)


_SUBJECT_WORD = guard_start(re.compile(rf"(?i)(?:{'|'.join(sorted(SUBJECT_NAMES))})[ \t]?\*?[:：]")
)

def header_block_subjects(lines: list[str]) -> frozenset[str]:
    """The subjects of the mail header blocks in ``lines``: runs of header lines holding a From, a Subject and a
    To, Sent or Date, or From and Subject under a forward's marker line ("From: … / Sent: … / To: … / Subject: …" of
    a forwarded or pasted mail). A form mailer's own "From:" and "Subject:" fields alone are no header block: their
    subject is what the visitor wrote about."""
    if not _SUBJECT_WORD.search("\n".join(lines)):
        return frozenset()  # no subject line at all: most forms
    found: set[str] = set()
    names: set[str] = set()
    subject = ""
    marked = False  # the run follows "---------- Forwarded message ---------" or its kin
    for line in [*lines, ""]:
        m = _HEADER_LINE.match(line)
        name = m["name"].lower() if m else ""
        if m and (name in FROM_NAMES or name in SUBJECT_NAMES or name in OTHER_HEADER_NAMES):
            names.add("from" if name in FROM_NAMES else "subject" if name in SUBJECT_NAMES else "other")
            if name in SUBJECT_NAMES:
                subject = m["value"].strip()
            continue
        if subject and {"from", "subject"} <= names and ("other" in names or marked):
            found.add(subject)
        if names or line.strip():
            marked = bool(FORWARD_MARKER.match(line))
        names, subject = set(), ""
    return frozenset(found)
