"""The generic label/value reader: lead notification text and HTML-derived text, in English, German, Spanish.

Lead mails are mostly forms rendered as text: ``Label: value`` lines, a label alone with its value on the
next line, labels without a colon when the label is unambiguous (``Phone 555 0100``), tables flattened
to ``Label: value`` by ``mime.html_to_text``, multi-line addresses and messages. Sections headed by the
dealer, the seller, the listing agent, the vendor or "your contact" describe the recipient's side, never
the lead; a trade-in section describes the lead's old vehicle, not the one wanted.

``lookup_label`` is shared with the JSON reader, which maps key paths through the same dictionary.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from parsers.fields import INTEREST_PARTS, Collector
from parsers.verify import is_placeholder

#: (slot, rank) per normalised label; rank orders several labels for one slot (lower wins)
_LABEL_TABLE: tuple[tuple[str, int, str], ...] = (
    ("full_name", 20,
     "name|full name|fullname|your name|customer name|contact name|client name|lead name|buyer name|"
     "prospect name|consumer name|applicant name|sender name|requester|requested by|submitted by|"
     "customer|contact|buyer|prospect|consumer|client|renter|tenant|homeowner|shopper|visitor|"
     "kunde|kundenname|interessent|vollstandiger name|ihr name|name vorname|"
     "vor und nachname|vorname und nachname|vorname nachname|nombre|nombre completo|su nombre|tu nombre|"
     "nombre y apellidos|nombre y apellido|nombre apellido|nombre apellidos|cliente|interesado|solicitante"),
    ("first_name", 20,
     "first name|firstname|first|given name|forename|fname|vorname|nombre de pila|nombres|primer nombre"),
    ("last_name", 20,
     "last name|lastname|last|surname|family name|lname|nachname|familienname|zuname|apellido|apellidos"),
    ("middle_name", 20, "middle name|middle initial|mi"),
    ("email", 20,
     "email|e mail|email address|e mail address|mail|your email|customer email|contact email|email id|"
     "emailadresse|email adresse|e mail adresse|mailadresse|ihre e mail|ihre email|correo|correo electronico|"
     "email de contacto|correo de contacto|su correo|tu correo|courriel"),
    ("email", 40, "work email|business email|alternate email|secondary email"),
    ("phone", 20,
     "phone|phone number|telephone|telephone number|tel|tel nr|tel no|telefon|telefonnummer|mobile|"
     "mobile phone|mobile number|cell|cell phone|cellphone|cell number|home phone|day phone|daytime phone|"
     "primary phone|contact number|contact phone|phone no|phone nr|your phone|best phone|preferred phone|"
     "handy|handynummer|mobil|mobilnummer|mobiltelefon|rufnummer|telefono|celular|movil|telefono movil|"
     "numero de telefono|numero de celular|telefono de contacto|whatsapp|tel movil"),
    ("phone", 40,
     "work phone|business phone|office phone|evening phone|secondary phone|alternate phone|other phone|"
     "alt phone|phone 2|telefon geschaftlich|telefon privat|telefono trabajo|telefono fijo|night phone"),
    ("company", 20,
     "company|company name|business|business name|organization|organisation|organization name|employer|"
     "firma|firmenname|unternehmen|empresa|compania|razon social|nombre de la empresa"),
    ("street", 20,
     "street|street address|address line 1|address 1|address1|strasse|strasse und hausnummer|"
     "strasse hausnummer|strasse nr|str|calle|calle y numero|direccion calle"),
    ("street2", 20, "address line 2|address 2|address2|apt|apartment|unit|suite|adresszusatz"),
    ("address", 25,
     "address|home address|mailing address|postal address|your address|customer address|adresse|anschrift|"
     "wohnadresse|direccion|domicilio|direccion postal|job address|service address|project address|"
     "job location|property owner address|objektadresse"),
    ("city", 20, "city|town|ort|stadt|wohnort|ciudad|localidad|poblacion|municipio|city town"),
    ("region", 20,
     "state|province|region|state province|state region|bundesland|provincia|estado|kanton|comunidad|"
     "comunidad autonoma|departamento"),
    ("postal_code", 20,
     "zip|zip code|zipcode|postal code|postcode|post code|postal|zip postal code|postal zip|plz|"
     "postleitzahl|codigo postal|cp|c p|cod postal"),
    ("postal_city", 20, "plz ort|plz und ort|plz wohnort|postleitzahl ort|plz stadt|cp ciudad|cp localidad|"
     "codigo postal y ciudad|codigo postal ciudad"),
    ("city_region_postal", 20, "city state zip|city state|city st zip|city state postal code|city state zip code"),
    ("country", 20, "country|land|pais|nation|country region"),
    ("interest", 20,
     "interest|interested in|interests|vehicle|vehicle of interest|vehicle interest|vehicle requested|car|"
     "product|product of interest|products|service|service requested|service needed|services|"
     "service type|type of service|property|property address|property of interest|listing|listing address|"
     "project|project type|job type|category|request type|inquiry about|enquiry about|regarding|re|"
     "model of interest|unit of interest|home of interest|task|task name|service name|job|"
     "fahrzeug|wunschfahrzeug|objekt|immobilie|anfrage zu|anfrage fur|interesse|produkt|dienstleistung|"
     "leistung|inserat|angebot|interes|vehiculo|vehiculo de interes|inmueble|propiedad|producto|servicio|"
     "modelo de interes|anuncio|reason for visit|reason for inquiry|reason for enquiry|reason for contact|"
     "what service do you need|which service|service interested in|services interested in"),
    ("year", 20, "year|vehicle year|model year|baujahr|ano|ano del vehiculo|erstzulassung"),
    ("make", 20, "make|vehicle make|brand|marke|hersteller|marca"),
    ("model", 20, "model|vehicle model|modell|modelo"),
    ("trim", 20, "trim|trim level|version|ausstattung|variante|acabado"),
    ("vin", 20, "vin|vin number|vehicle identification number|fin|fahrgestellnummer|bastidor|numero de bastidor"),
    ("stock", 20, "stock|stock number|stock no|stock nr|stock num|stock id|inventory number|bestandsnummer|"
     "referencia|ref nr"),
    ("listing_id", 20, "mls|mls number|mls id|listing id|listing number|property id|objekt nr|objektnummer|"
     "anuncio id|inserat nr|inseratsnummer|referencia del anuncio|ref del anuncio"),
    ("price", 20, "price|listing price|asking price|vehicle price|list price|preis|kaufpreis|precio|"
     "precio del vehiculo"),
    ("property_type", 20, "property type|home type|objektart|tipo de inmueble|tipo de propiedad"),
    ("budget", 20,
     "budget|price range|budget range|max price|maximum price|desired price|target price|price limit|"
     "spending limit|how much|preisrahmen|preisvorstellung|budget eur|maximaler preis|budgetrahmen|"
     "presupuesto|rango de precio|precio maximo|presupuesto maximo|financing amount|down payment|"
     "monthly payment|desired monthly payment"),
    ("budget_min", 20, "min price|minimum price|price min|price from|preis von|precio minimo|precio desde"),
    ("budget_max", 20, "price max|price to|preis bis|precio hasta"),
    ("timeline", 20,
     "timeline|timeframe|time frame|purchase timeframe|purchase time frame|buying timeframe|"
     "buying time frame|purchase timeline|when|when to buy|when do you plan to buy|plan to purchase|"
     "move in date|move date|moving date|desired completion date|completion date|start date|"
     "desired start date|project timeline|project start|start|start time|start timeframe|urgency|how soon|"
     "purchase date|when do you need this done|when do you need this service|"
     "zeitrahmen|zeitraum|kaufzeitpunkt|geplanter kauf|einzugstermin|einzug|wunschtermin|"
     "gewunschter termin|bezugstermin|plazo|fecha deseada|cuando|fecha de mudanza|fecha prevista|"
     "plazo de compra|cuando desea comprar"),
    ("message", 20,
     "message|comments|comment|additional comments|customer comments|questions|question|your message|"
     "your question|inquiry|enquiry|request|your request|message from customer|lead comments|"
     "nachricht|ihre nachricht|mitteilung|bemerkung|bemerkungen|kommentar|anmerkungen|anmerkung|anfrage|"
     "ihre anfrage|freitext|fragen|mensaje|comentarios|comentario|consulta|observaciones|su mensaje|"
     "tu mensaje|su consulta|pregunta|preguntas|message body|your comments|comments questions"),
    ("message", 40,
     "notes|note|details|additional information|additional info|additional details|description|"
     "project description|job description|project details|other|other information|hinweise|"
     "beschreibung|sonstiges|descripcion|notas|informacion adicional|mas informacion"),
    ("skip", 20,
     "date|time|date time|submitted|submitted on|submitted at|received|received on|lead id|id|reference|"
     "ref|source|lead source|lead type|form|form name|page|page url|url|website|web site|ip|ip address|"
     "user agent|dealer|dealership|dealer name|seller|agent|agent name|listing agent|vendor|provider|"
     "sent by|salesperson|sales person|assigned to|recipient|subject|to|from|cc|sent|preferred contact|"
     "contact method|preferred contact method|best time to call|best time|contact time|gender|"
     "date of birth|dob|birthday|newsletter|consent|privacy|privacy policy|terms|gdpr|opt in|"
     "marketing opt in|trade in|trade|lead provider|request stage|stage|lead stage|fax|fax number|datum|"
     "uhrzeit|quelle|anbieter|handler|"
     "verkaufer|ansprechpartner|ihr ansprechpartner|betreff|anrede|salutation|title|tratamiento|"
     "your business|your company|your account|your listing|your dealership|fecha|hora|origen|vendedor|"
     "concesionario|"
     "asunto|anunciante|de|para|enviado|an|von|gesendet|lead status|status|mileage|kilometerstand|"
     "kilometraje|color|colour|farbe|exterior color|interior color|odometer|condition|zustand|estado del "
     "vehiculo|body style|transmission|getriebe|fuel|kraftstoff|combustible"),
)

_ROLE_PREFIXES = frozenset({
    "contact", "consumer", "customer", "lead", "client", "user", "buyer", "prospect", "applicant",
    "person", "primary", "your", "main", "sender", "submitter", "requester", "kunde", "kunden", "ihre", "ihr",
    "cliente", "su", "tu", "personal", "home",
})

_LABELS: dict[str, tuple[str, int]] = {}
for _slot, _rank, _words in _LABEL_TABLE:
    for _w in _words.split("|"):
        _LABELS.setdefault(_w.strip(), (_slot, _rank))

#: words that head a section about the recipient's side (dealer, agent…): not the lead
_NOT_LEAD_HEADINGS = (
    "dealer", "dealership", "seller", "listing agent", "agent", "your agent", "assigned agent", "vendor",
    "provider", "lead provider", "sent by", "your contact", "contact person", "salesperson", "sales rep",
    "sales representative", "listing office", "broker", "brokerage", "about the dealer", "store", "recipient",
    "ihr ansprechpartner", "ansprechpartner", "anbieter", "handler", "verkaufer", "makler", "inserent",
    "vendedor", "concesionario", "anunciante", "asesor", "agente", "datos del anunciante",
    "datos del vendedor", "datos del concesionario", "your dealer", "dealer information", "dealer info",
    "seller information", "seller info", "agent information", "agent info", "vendor information",
    "provider information", "handlerdaten", "anbieterdaten",
)
_LEAD_HEADINGS = (
    "customer", "customer information", "customer info", "customer details", "contact information",
    "contact info", "contact details", "buyer", "buyer information", "lead", "lead information", "lead info",
    "lead details", "prospect", "prospect information", "consumer", "consumer information", "your lead",
    "new lead", "client", "client information", "kontakt", "kontaktdaten", "kundendaten", "kunde",
    "interessent", "interessentendaten", "anfrage von", "absender", "datos del cliente", "datos de contacto",
    "cliente", "interesado", "informacion de contacto", "datos del interesado", "sender", "requester",
    "personal information", "your information", "contact",
)
_TRADE_HEADINGS = ("trade in", "trade in vehicle", "trade in information", "trade", "inzahlungnahme",
                   "inzahlungnahme fahrzeug", "vehiculo de intercambio", "vehiculo usado a entregar",
                   "permuta", "toma de usado")
#: sections about the property or listing asked about: an address there is the interest, not the lead's
_LISTING_HEADINGS = ("property", "property information", "property info", "property details", "listing",
                     "listing information", "listing info", "listing details", "home details", "objekt",
                     "objektdaten", "immobilie", "inmueble", "datos del inmueble", "anuncio", "inserat")
_NEUTRAL_HEADINGS = ("vehicle", "vehicle information", "vehicle info", "vehicle of interest", "property",
                     "property information", "listing", "listing information", "request", "request details",
                     "inquiry", "inquiry details", "fahrzeug", "fahrzeugdaten", "objekt", "objektdaten",
                     "vehiculo", "datos del vehiculo", "inmueble", "project", "project details",
                     "service", "service details", "message", "comments")

#: lines after which nothing belongs to the lead (mail footers of lead portals)
_FOOTER = re.compile(
    r"^(?:--\s*$|__+\s*$|sent from my |this (?:e-?mail|message|lead) (?:was|is|has been) (?:sent|generated|"
    r"delivered|intended)|you (?:are )?receiv(?:ed|ing) this|to unsubscribe|unsubscribe|manage (?:your )?"
    r"(?:email )?(?:preferences|notifications)|privacy policy|copyright|©|\(c\) \d{4}|all rights reserved|"
    r"diese (?:e-?mail|nachricht) wurde|sie erhalten diese|abmelden|impressum|datenschutz|"
    r"este (?:correo|mensaje|e-?mail) (?:fue|ha sido|se ha)|si no desea|para darse de baja|aviso legal|"
    r"confidentiality notice|disclaimer)",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^[\s\-=_*~#.]{4,}$")
_GREETING = re.compile(
    r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|guten tag|sehr geehrte[rs]?|"
    r"liebe[rs]?|hola|buenos d[ií]as|buenas tardes|estimad[oa]s?|thanks?|thank you|regards|best regards|"
    r"kind regards|cheers|sincerely|mit freundlichen gr[üu](?:ß|ss)en|viele gr[üu](?:ß|ss)e|gr[üu](?:ß|ss)e|"
    r"saludos|atentamente|un saludo|gracias|danke)\b[^.!?]{0,25}[,!.]?$",
    re.IGNORECASE,
)
_LABEL_LINE = re.compile(
    r"^[\s*•·>\-#|]*(?P<label>[^\s:：=][^:：\n]{0,58}?)[\s*]*(?:[:：]|\t)\s*(?P<value>.*?)\s*[|*]*\s*$"
)
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_LIKE = re.compile(r"^[+(]?\d[\d\s().\-/]{5,}\d(?:\s*(?:x|ext\.?|extension|durchwahl)\s*\d{1,6})?$",
                         re.IGNORECASE)
_NAME_LIKE = re.compile(r"^[^\W\d_][\w.'\-]*(?:\s+[^\W\d_][\w.'\-]*){0,4}$")

_NON_ALNUM = re.compile(r"[^\w]+")
#: characters of a text the label reader looks at
MAX_TEXT = 300_000
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


@lru_cache(maxsize=4096)
def norm_label(label: str) -> str:
    """Casefolded words of a label without accents and punctuation: "Teléfono*:" → "telefono"."""
    text = label.strip()
    if not any(ch.isspace() for ch in text):
        text = _CAMEL.sub(" ", text)  # a key such as "ContactEmail"
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("#", " number ").replace("nº", " number ").replace("n°", " number ")
    return " ".join(_NON_ALNUM.sub(" ", text).replace("_", " ").split())


@lru_cache(maxsize=4096)
def lookup_loose(label: str) -> tuple[str, int] | None:
    """``lookup_label``, and for long labels (form questions) their keyword."""
    found = lookup_label(label) or _question_label(norm_label(label))
    if found is None and "/" in label:
        # "Questions/Comments", "Ciudad / Provincia": the first part that is a label
        for part in label.split("/"):
            found = lookup_label(part)
            if found:
                break
    return found


@lru_cache(maxsize=4096)
def lookup_label(label: str) -> tuple[str, int] | None:
    """The (slot, rank) a label or a key names, or None. Role prefixes ("contact", "customer"…) are ignored."""
    key = norm_label(label)
    if not key or len(key) > 60:
        return None
    words = key.split()
    if words and words[-1] == "number" and " ".join(words[:-1]) in _LABELS and words[0] in ("stock", "mls"):
        return _LABELS[" ".join(words[:-1])]
    while words:
        found = _LABELS.get(" ".join(words))
        if found:
            return found
        if words[0] in _ROLE_PREFIXES and len(words) > 1:
            words = words[1:]
            continue
        break
    return None


def _question_label(key: str) -> tuple[str, int] | None:
    """Long labels (form questions such as "What is your budget?") by their keyword."""
    words = key.split()
    if len(words) < 2:
        return None
    keyed = (
        (("first name", "vorname"), ("first_name", 45)),
        (("last name", "surname", "family name", "nachname"), ("last_name", 45)),
        (("your name", "full name", "your full name"), ("full_name", 45)),
        (("e mail", "email", "correo"), ("email", 45)),
        (("phone", "telefon", "telefono", "celular"), ("phone", 45)),
        (("budget", "price range", "presupuesto", "preisrahmen", "how much"), ("budget", 30)),
        (("timeline", "timeframe", "time frame", "how soon", "when do you", "when would you", "when are you",
          "completion date", "move in", "zeitrahmen", "cuando"), ("timeline", 30)),
        (("zip", "postal code", "postleitzahl", "codigo postal"), ("postal_code", 45)),
        (("interested in", "looking for", "vehicle", "interes", "what service", "which service", "service do you",
          "service you need", "type of service", "kind of service", "reason for"), ("interest", 45)),
        (("comment", "message", "question", "nachricht", "mensaje", "anything else", "how can we help",
          "how can i help", "tell us", "describe your", "wie konnen wir", "en que podemos"), ("message", 45)),
    )
    padded = f" {key} "
    for needles, result in keyed:
        if any(f" {n} " in padded for n in needles):
            return result
    return None


_SUBJECT_LABELS = frozenset({"subject", "betreff", "asunto", "your subject", "ihr betreff"})
_FROM_LABELS = frozenset({"from", "von", "de", "absender", "remitente"})
_FROM_VALUE = re.compile(
    r"^(?P<name>[^<>@\n]{0,60}?)\s*(?:<\s*(?P<email>[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+)\s*>)?$")
_ADDRESS_SLOTS = frozenset({"address", "street", "street2", "city", "region", "postal_code", "postal_city",
                            "city_region_postal"})


def is_placeholder_value(value: str) -> bool:
    """A form's "N/A", "Not provided", "-": no value at all."""
    return is_placeholder(value) if len(value) <= 40 else False


def _names_other_side(label: str) -> bool:
    """A label whose value is about the recipient's side ("Dealer:", "Your Account:", "Händler:")."""
    key = norm_label(label)
    return heading_kind(label) == "skip" or key.startswith(("your ", "ihr ", "su ", "tu ")) or key in (
        "dealer contact", "dealer phone", "dealer email", "dealer address", "certified dealer", "agent phone",
        "agent email", "listing agent", "listing office", "dealer name")


def heading_kind(line: str) -> str | None:
    """"skip", "lead", "trade", "listing" or "neutral" when the line is a section heading, else None."""
    stripped = line.strip().strip(":：-=*#[]<> ")
    key = norm_label(stripped)
    if not key or len(key) > 50 or re.search(r"[.!?,;]\s", stripped + " "):
        return None
    for kind, words in (("trade", _TRADE_HEADINGS), ("skip", _NOT_LEAD_HEADINGS), ("lead", _LEAD_HEADINGS),
                        ("listing", _LISTING_HEADINGS), ("neutral", _NEUTRAL_HEADINGS)):
        for w in words:
            if key == w or (key.startswith(w + " ") and len(key.split()) <= len(w.split()) + 3 and kind != "lead"):
                return kind
    return None


def is_footer(line: str) -> bool:
    return bool(_FOOTER.match(line.strip()))


def is_greeting(line: str) -> bool:
    return bool(_GREETING.match(line.strip()))


@dataclass(slots=True)
class TextRead:
    """What the label reader found in one text."""

    fields: Collector = field(default_factory=Collector)
    #: lines that were no label, value, heading, greeting or footer (free text for the message)
    prose: list[str] = field(default_factory=list)
    labelled: int = 0
    #: the text without the lines of sections about someone else (dealer, listing agent, the recipient's
    #: account) and without what follows a footer: what the free-text stage may read
    lead_text: str = ""


def _plausible(slot: str, value: str) -> bool:
    """Values accepted after a label written without a colon."""
    if slot == "email":
        return bool(_EMAIL.fullmatch(value.strip("<>")))
    if slot == "phone":
        return bool(_PHONE_LIKE.match(value))
    if slot in ("full_name", "first_name", "last_name"):
        return bool(_NAME_LIKE.match(value)) and len(value.split()) <= 4 and value[:1].isupper()
    if slot == "city":
        return bool(_NAME_LIKE.match(value)) and len(value.split()) <= 3 and value[:1].isupper()
    if slot == "region":
        return bool(re.fullmatch(r"[A-Z]{2}|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}", value))
    if slot in ("postal_code",):
        return bool(re.fullmatch(r"[A-Z0-9][A-Z0-9 \-]{2,9}", value, re.IGNORECASE)) and any(
            c.isdigit() for c in value
        )
    return False


def _match_label_line(line: str) -> tuple[str, str, tuple[str, int]] | None:
    m = _LABEL_LINE.match(line)
    if not m:
        return None
    label = m.group("label").strip(" *")
    found = lookup_loose(label)
    if found is None:
        return None
    return label, m.group("value").strip(), found


def _match_bare_label(line: str) -> tuple[str, str, tuple[str, int]] | None:
    """``Phone 555 0100``: a known label of one to three words, then a value that fits it."""
    words = line.split()
    for n in (3, 2, 1):
        if len(words) <= n:
            continue
        label = " ".join(words[:n])
        found = lookup_label(label)
        if found and found[0] != "skip":
            value = " ".join(words[n:])
            if _plausible(found[0], value):
                return label, value, found
    return None


def _label_only(line: str) -> tuple[str, tuple[str, int]] | None:
    stripped = line.strip().rstrip(":：").strip(" *")
    if not stripped or len(stripped) > 80:
        return None
    found = lookup_label(stripped) if len(stripped) <= 60 else None
    if found is None and stripped.endswith("?"):
        found = _question_label(norm_label(stripped))  # a form question on its own line, the answer below
    return (stripped, found) if found else None


def read_labels(
    text: str,
    *,
    source_prefix: str = "reader:labels",
    rank: int = 0,
    confidence: float = 0.85,
    extra_skip_sections: tuple[str, ...] = (),
) -> TextRead:
    """Read ``Label: value`` fields of one lead from text. Pure; linear in the number of lines.

    Only the first ``MAX_TEXT`` characters are read: a lead form is never longer, and a huge body
    must not cost more than that.
    """
    out = TextRead()
    text = text[:MAX_TEXT]
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    extra_skip = tuple(norm_label(s) for s in extra_skip_sections)
    section = "lead"
    i, n = 0, len(lines)
    dropped: set[int] = set()
    footer_at = n
    skipped_label = False

    def add(slot: str, label: str, value: str, slot_rank: int) -> None:
        nonlocal skipped_label
        if slot == "skip" and section != "skip" and norm_label(label) in _FROM_LABELS:
            # a form mailer's "From: Ann Holm <ann@example.com>" line names the person who wrote the form
            person = _FROM_VALUE.match(value.strip())
            if person and (person["email"] or len(person["name"].split()) >= 2):
                if person["name"] and _NAME_LIKE.match(person["name"].strip(' "')):
                    out.fields.add("full_name", person["name"].strip(' "'), f"{source_prefix}:{label}",
                                   confidence=confidence * 0.9, rank=rank + 40, label=label)
                if person["email"]:
                    out.fields.add("email", person["email"], f"{source_prefix}:{label}", confidence=confidence * 0.9,
                                   rank=rank + 40, label=label)
                out.labelled += 1
            return
        if slot == "skip" and section != "skip" and norm_label(label) in _SUBJECT_LABELS and value.strip():
            # a form's own "Subject:" field: what the visitor writes about
            out.fields.add("interest", value.strip(), f"{source_prefix}:{label}", confidence=confidence * 0.8,
                           rank=rank + 45, label=label)
            return
        if section == "skip" or slot == "skip":
            skipped_label = slot == "skip" and _names_other_side(label)
            return
        if section == "trade" and (slot == "interest" or slot in INTEREST_PARTS):
            return
        nested = _LABEL_LINE.match(value) if slot in _ADDRESS_SLOTS else None
        if nested:
            # "Address: Street Address: 2150 Lincoln Ave" (a form's sub-labelled address block)
            inner = lookup_label(nested.group("label").strip(" *"))
            if inner and inner[0] in _ADDRESS_SLOTS and nested.group("value").strip():
                label, value = nested.group("label").strip(" *"), nested.group("value").strip()
                slot, slot_rank = inner
        if section == "listing" and slot in _ADDRESS_SLOTS:
            # the address of the listing asked about is what the lead wants, not where the lead lives
            if slot != "address" and slot != "street":
                return
            slot, slot_rank = "interest", 30
        if slot != "message" and is_placeholder_value(value):
            return
        if slot == "message" and is_placeholder_value(value.split("\n")[0]):
            return
        if slot == "email":
            found = _EMAIL.search(value)
            if not found:
                if "@" not in value:
                    return
            else:
                value = found.group(0)
        out.fields.add(slot, value, f"{source_prefix}:{label}", confidence=confidence, rank=rank + slot_rank,
                       label=label)
        out.labelled += 1

    def continuation(start: int, slot: str) -> tuple[str, int]:
        """Lines after a label that still belong to its value."""
        collected: list[str] = []
        j, blanks = start, 0
        limit = 40 if slot == "message" else 3
        while j < n and len(collected) < limit:
            s = lines[j].strip()
            if not s:
                blanks += 1
                if slot != "message" or blanks >= 2:
                    break
                j += 1
                continue
            if is_footer(s) or _SEPARATOR.match(s) or is_field_line(s):
                break
            if slot == "message" and blanks:
                collected.append("")
            blanks = 0
            collected.append(s)
            j += 1
        return "\n".join(collected), j

    def step(i: int) -> int:
        """Read the line(s) at ``i``; the index after them, or -1 at a footer."""
        nonlocal section, skipped_label
        s = lines[i].strip()
        if not s:
            i += 1
            return i
        if is_footer(s):
            return -1
        if _SEPARATOR.match(s):
            if section == "skip":
                section = "lead"
            i += 1
            return i
        key = norm_label(s.strip(":：-=*#[]<> "))
        if extra_skip and key and any(key == w or key.startswith(w + " ") for w in extra_skip):
            section = "skip"
            i += 1
            return i
        matched = _match_label_line(s)
        if matched:
            label, value, (slot, slot_rank) = matched
            if not value:
                kind = heading_kind(s)
                nxt = _next_nonempty(lines, i + 1)
                if kind:
                    section = kind if kind in ("skip", "trade", "listing") else "lead"
                if nxt is None or is_field_line(lines[nxt].strip()):
                    i += 1
                    return i
                value, j = continuation(nxt, slot)
                add(slot, label, value, slot_rank)
                i = j
                return i
            if slot in ("message", "address"):
                more, j = continuation(i + 1, slot)
                if more:
                    value = f"{value}\n{more}"
                add(slot, label, value, slot_rank)
                i = j
                return i
            add(slot, label, value, slot_rank)
            i += 1
            return i
        kind = heading_kind(s)
        only = _label_only(s)
        if kind and (only is None or s.rstrip().endswith(":") or kind in ("skip", "trade")):
            section = kind if kind in ("skip", "trade", "listing") else "lead"
            if only is None or kind in ("skip", "trade"):
                i += 1
                return i
        if only is not None:
            label, (slot, slot_rank) = only
            nxt = _next_nonempty(lines, i + 1)
            if nxt is not None and not is_field_line(lines[nxt].strip()) and not is_footer(lines[nxt]):
                value, j = continuation(nxt, slot)
                if slot not in ("message", "address"):
                    value = value.split("\n")[0]
                    j = nxt + 1
                add(slot, label, value, slot_rank)
                i = j
                return i
            i += 1
            return i
        bare = _match_bare_label(s)
        if bare:
            label, value, (slot, slot_rank) = bare
            add(slot, label, value, slot_rank)
            i += 1
            return i
        if section != "skip" and not is_greeting(s):
            out.prose.append(s)
        i += 1

        return i

    while i < n:
        start = i
        skipped_label = False
        nxt_i = step(i)
        if nxt_i < 0:
            footer_at = i
            break
        if section == "skip" or skipped_label:
            dropped.update(range(start, max(nxt_i, start + 1)))
        i = max(nxt_i, i + 1)
    out.lead_text = "\n".join("" if k in dropped else line for k, line in enumerate(lines[:footer_at]))
    return out


def is_field_line(line: str) -> bool:
    """Whether a line is a label (with or without value) or a section heading."""
    s = line.strip()
    return bool(_match_label_line(s) or heading_kind(s) or _label_only(s) or _match_bare_label(s))


def _next_nonempty(lines: list[str], start: int) -> int | None:
    for j in range(start, min(len(lines), start + 3)):
        if lines[j].strip():
            return j
    return None
