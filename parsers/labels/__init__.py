"""The generic label/value reader: lead notification text and HTML-derived text, in English, German, Spanish.

Lead mails are mostly forms rendered as text: ``Label: value`` lines, a label alone with its value on the
next line, labels without a colon when the label is unambiguous (``Phone 555 0100``), tables flattened
to ``Label: value`` by ``parsers.html.html_to_text``, multi-line addresses and messages. Sections headed by the
dealer, the seller, the listing agent, the vendor or "your contact" describe the recipient's side, never
the lead; a trade-in section describes the lead's old vehicle, not the one wanted.

``lookup_label`` is shared with the JSON reader, which maps key paths through the same dictionary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers import subject as _subject  # a module: parsers.subject reads this package's dictionary
from parsers.address import find_in_line, parse_address
from parsers.boilerplate import is_firm_address_line, is_notice_line, is_portal_closing
from parsers.caller_id import CALLER_ID_NAME, CALLER_ID_TURNED, is_caller_label, surname_first_name
from parsers.fields import INTEREST_PARTS, Collector
from parsers.labels.dictionary import DICTIONARY, norm_label
from parsers.labels.lookup import (
    lookup_label,
    lookup_loose,
    question_label,
    split_inline_labels,
    split_run_in_labels,
)
from parsers.labels.sections import heading_kind as heading_kind
from parsers.labels.sections import heading_role as heading_role
from parsers.labels.sections import names_other_side, other_side_label
from parsers.patterns import EMAIL, YES_NO_ANSWER, looks_like_date_or_time
from parsers.regex_start import guard_start
from parsers.verify import is_placeholder

_D = DICTIONARY
#: role words Romance-language labels and keys write after the field ("telefone do cliente")
_ROLE_SUFFIXES = frozenset({"cliente", "client", "customer", "contato", "contacto", "contatto", "kunde", "klant",
                            "kunden", "klanten", "clientes", "customers", "interessenten", "anrufers",
                            "interessado", "interesado", "interessato", "lead", "usuario", "utente", "utilisateur",
                            "solicitante", "richiedente", "demandeur", "aanvrager"})
_CONNECTORS = frozenset({"do", "da", "de", "del", "du", "des", "di", "dello", "della", "van", "dos", "das"})
_LABELS = _D.labels
_ROLE_PREFIXES = _D.role_prefixes

#: lines after which nothing belongs to the lead (mail footers of lead portals)
_FOOTER = re.compile(
    r"^(?:--\s*$|__+\s*$|sent from my |sent to [^\n]{0,60}[,·•|]|"
    r"this (?:e-?mail|message|lead) (?:was|is|has been) (?:sent|generated|delivered|intended)|"
    r"you (?:are )?receiv(?:ed|ing) this|to unsubscribe|unsubscribe|manage (?:your )?"
    r"(?:email )?(?:preferences|notifications)|privacy policy|copyright|©|\(c\) \d{4}|all rights reserved|"
    r"diese (?:e-?mail|nachricht) wurde|sie erhalten diese|abmelden|impressum|datenschutz|"
    r"este (?:correo|mensaje|e-?mail) (?:fue|ha sido|se ha)|si no desea|para darse de baja|aviso legal|"
    r"confidentiality notice|disclaimer|este e-?mail (?:foi|é)|voc[êe] est[áa] recebendo|para (?:cancelar|"
    r"descadastrar)|cet e-?mail a [ée]t[ée]|vous recevez ce|se d[ée]sabonner|d[ée]sinscri|questa e-?mail [èe] "
    r"stata|hai ricevuto questa|annulla (?:l'?)?iscrizione|disiscriviti|deze e-?mail is|(?:u|je) ontvangt deze|"
    r"afmelden|uitschrijven|(?:this|the) (?:summary|digest|notification) (?:was|is|has been) (?:automatically )?"
    r"(?:generated|created)|(?:diese|die) (?:zusammenfassung|benachrichtigung|e-?mail|nachricht) wurde automatisch)",
    re.IGNORECASE,
)
#: a business's imprint: a legal form and its details run together with separators ("X GmbH · Str. 3 · Tel.")
_IMPRINT = guard_start(re.compile(
    r"\b(?:GmbH|AG|UG|KG|Ltd|LLC|Inc|B\.V\.|BV|S\.L\.|S\.A\.|Lda|Ltda|SARL|SAS|S\.r\.l\.|Srl|S\.p\.A\.|NV|"
    r"N\.V\.|plc)\b\.?\s*[·•|]\s*\S[^\n]*[·•|]"))
#: a line that starts with a firm's or portal's name and goes on to an address ("Casa Portal, Av. X 1, 1250 Y")
_FIRM_LINE = re.compile(
    r"^[^,\n]{0,60}\b(?:portal|imobili[áa]ri[oa]|inmobiliaria|immobilien|makelaardij|makelaars|agence|agenzia|"
    r"realty|realtors?|properties|motors|autohaus|concesionario|concession[áa]ria|GmbH|Ltd|LLC|Inc|B\.V\.|"
    r"S\.L\.|Lda|S\.A\.|Srl|SARL)\b[^,\n]*,", re.IGNORECASE)
#: details run together with separators ("Name – street, postcode city – phone", "X, Inc. - street - city")
_SEPARATED = re.compile(r"\s[·•|–—-]\s.*\s[·•|–—-]\s")
_SEPARATOR = re.compile(r"^[\s\-=_*~#.]{3,}$")
_GREETING = re.compile(
    r"^(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|hallo|guten tag|sehr geehrte[rs]?|"
    r"liebe[rs]?|hola|buenos d[ií]as|buenas tardes|estimad[oa]s?|thanks?|thank you|regards|best regards|"
    r"kind regards|cheers|sincerely|mit freundlichen gr[üu](?:ß|ss)en|viele gr[üu](?:ß|ss)e|gr[üu](?:ß|ss)e|"
    r"saludos|atentamente|un saludo|gracias|danke|ol[áa]|bom dia|boa tarde|boa noite|prezad[oa]s?|obrigad[oa]|"
    r"atenciosamente|cumprimentos|bonjour|bonsoir|madame|monsieur|cordialement|merci|bien [àa] vous|buongiorno|"
    r"buonasera|ciao|salve|gentile|cordiali saluti|distinti saluti|grazie|goedemiddag|goedemorgen|goedenavond|"
    r"beste|geachte|met vriendelijke groet(?:en)?|groet(?:en)?|bedankt|dank u)\b[^.!?]{0,25}[,!.]?$",
    re.IGNORECASE,
)
_LABEL_LINE = re.compile(
    r"^[\s*•·>\-#|_]*(?P<label>[^\s:：=][^:：\n]{0,58}?)[\s*_]*(?:[:：]|\t)[\s*_]*(?P<value>.*?)\s*[|*]*\s*$"
)
_EMAIL = EMAIL
_PHONE_LIKE = re.compile(r"^[+(]?\d[\d\s().\-/]{5,}\d(?:\s*(?:x|ext\.?|extension|durchwahl)\s*\d{1,6})?$",
                         re.IGNORECASE)
_NAME_LIKE = re.compile(r"^[^\W\d_][\w.'\-]*(?:\s+[^\W\d_][\w.'\-]*){0,4}$")

#: characters of a text the label reader looks at
MAX_TEXT = 300_000


_SUBJECT_LABELS = _D.subject_labels
_FROM_LABELS = _D.from_labels
_FROM_VALUE = re.compile(
    rf"^(?P<name>[^<>@\n]{{0,60}}?)\s*(?:<\s*(?P<email>{EMAIL.pattern})\s*>)?$")
#: where a value's first part ends ("Own - Single Family", "Rent / Apartment")
_FIRST_PART = re.compile(r"\s*[-–—/,;(|:]\s*")
_ADDRESS_SLOTS = frozenset({"address", "street", "street2", "city", "region", "postal_code", "postal_city",
                            "city_region_postal"})


def is_placeholder_value(value: str) -> bool:
    """A form's "N/A", "Not provided", "-": no value at all."""
    return is_placeholder(value) if len(value) <= 40 else False


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
        return bool(_PHONE_LIKE.match(value)) and not looks_like_date_or_time(value)
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
        found = question_label(norm_label(stripped))  # a form question on its own line, the answer below
    return (stripped, found) if found else None


#: slots and label words of a vehicle block, and the bare location labels a vehicle block may hold
#: slots whose value may be a listing's bare reference, and the shape of one ("CL-88213", "104882271")
_REFERENCE_SLOTS = frozenset({"interest", "listing_id", "stock"})
_REFERENCE = re.compile(r"^(?=\S*\d)[\w#][\w\-/.#]{2,23}$")
#: an unlabelled line of a listing's description: short, and no question or sentence of the lead's
_LISTING_LINE = re.compile(r"^(?!.*[?!¿¡])(?!.*[.:]\s*$).{3,90}$")
_VEHICLE_SLOTS = frozenset({"year", "make", "model", "trim", "vin", "stock"})
_VEHICLE_WORDS = frozenset({"vehicle", "car", "fahrzeug", "wunschfahrzeug", "vehiculo", "veiculo", "vehicule",
                            "veicolo", "voertuig", "auto", "coche", "carro", "voiture"})
_CONTACT_SLOTS = frozenset({"full_name", "first_name", "last_name", "email", "phone"})
_BARE_LOCATION = frozenset({"location", "vehicle location", "standort", "ubicacion", "localizacion", "localizacao",
                            "localisation", "locatie", "posizione", "fahrzeugstandort"})


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
    text = split_run_in_labels(text[:MAX_TEXT])
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    # "Name: Barnaby Quist Tel: 614-555-0111": a value ends where the next label on its line starts
    lines = [part for line in lines for part in split_inline_labels(line).split("\n")]
    extra_skip = tuple(norm_label(s) for s in extra_skip_sections)
    section = "lead"
    #: the role of the other side a "skip" section is about ("dealer", "agent"…)
    section_role = ""
    i, n = 0, len(lines)
    dropped: set[int] = set()
    footer_at = n
    skipped_label = False
    #: the last labelled values were a vehicle's (make, model, VIN…), not yet followed by the buyer's contact
    vehicle_block = False
    #: the subjects of forwarded or pasted mails' header blocks (From, To or Date, Subject), not a form's fields
    mail_subjects = _subject.header_block_subjects(lines)

    def aside(slot: str, label: str, value: str, role: str) -> None:
        """Keep a value of the other side with its role (never the lead's)."""
        if slot in ("skip", "message") or is_placeholder_value(value):
            return
        if slot == "email":
            found = _EMAIL.search(value)
            if not found:
                return
            value = found.group(0)
        out.fields.add(slot, value, f"{source_prefix}:{label}", confidence=confidence * 0.5, rank=rank + 90,
                       label=label, role=role)

    def add(slot: str, label: str, value: str, slot_rank: int) -> None:
        nonlocal skipped_label, vehicle_block
        if (paired := _paired_parts(label, value)) is not None:
            # "Bairro/Cidade: Pinheiros / São Paulo": each part of the value is the label's part in its place
            for part_label, part_value, (part_slot, part_rank) in paired:
                add(part_slot, part_label, part_value, part_rank)
            return
        if slot in _VEHICLE_SLOTS or (slot == "interest" and set(norm_label(label).split()) & _VEHICLE_WORDS):
            vehicle_block = True
        elif slot in _CONTACT_SLOTS:
            vehicle_block = False
        elif vehicle_block and slot == "address" and norm_label(label) in _BARE_LOCATION:
            # a car portal's "Location: Plano, TX" inside the vehicle block: where the car stands, not the buyer
            aside(slot, label, value, "dealer")
            return
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
            # a form's own "Subject:" field: what the visitor writes about; in a mail's header block (From, To or
            # Date) it is a forwarded mail's subject, read as a subject is (a headline names no item)
            about = _subject.interest_of_subject(value) if value.strip() in mail_subjects else value.strip()
            if about and not _subject.says_nothing(about):  # "Subject: Pedido de orçamento" names no item
                out.fields.add("interest", about, f"{source_prefix}:{label}", confidence=confidence * 0.8,
                               rank=rank + 45, label=label)
            return
        if section == "skip" or slot == "skip":
            # a value that is never a lead field ("Best time to call: after 5", "Order no.: 2026-4471") is
            # no free text either: the free-text reader must not find a timeline or a phone in it
            skipped_label = slot == "skip"
            other_side = slot == "skip" and names_other_side(label)
            if section == "skip":
                aside(slot, label, value, section_role or "vendor")
            elif other_side:
                other = other_side_label(label)
                if other is not None:
                    aside(other[0], label, value, other[1])
            return
        # under a trade-in heading, or a label that is one ("Trade-in vehicle: 2016 Escape"): the car given in
        if (section == "trade" or heading_kind(label) == "trade") and (slot == "interest" or slot in INTEREST_PARTS):
            aside(slot, label, value, "trade_in")
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
            aside(slot, label, value, "property")
            if slot != "address" and slot != "street":
                return
            slot, slot_rank = "interest", 30
        if slot != "message" and is_placeholder_value(value):
            return
        if slot in ("interest", "property_type") and norm_label(_FIRST_PART.split(value)[0]) in _D.tenure_words:
            return  # "Property: Own - Single Family" answers whether the lead owns their home: no interest
        if slot == "message" and (is_placeholder_value(value.split("\n")[0]) or YES_NO_ANSWER.match(value)):
            return
        if slot == "email":
            found = _EMAIL.search(value)
            if not found:
                if "@" not in value:
                    return
            else:
                value = found.group(0)
        if slot in ("phone", "full_name") and is_caller_label(label):
            # a call mail's "Caller ID: WALSH BRENDAN", "Caller: (303) 555-0100": the value's shape says which
            slot = "phone" if _PHONE_LIKE.match(value) else "full_name" if CALLER_ID_NAME.fullmatch(value) else slot
        if slot == "phone" and not any(ch.isdigit() for ch in value):
            return
        source = f"{source_prefix}:{label}"
        if slot == "full_name" and norm_label(label) in _D.surname_first:
            value, guessed = surname_first_name(value)  # "Cognome e nome: Bianchi Lucia"
            source += CALLER_ID_TURNED if guessed else ""
        out.fields.add(slot, value, source, confidence=confidence, rank=rank + slot_rank, label=label)
        out.labelled += 1

    def continuation(start: int, slot: str) -> tuple[str, int]:
        """Lines after a label that still belong to its value."""
        collected: list[str] = []
        j, blanks = start, 0
        limit = 40 if slot == "message" else 5 if slot == "address" else 3  # a UK block: street, area, town, postcode
        while j < n and len(collected) < limit:
            s = lines[j].strip()
            if not s:
                blanks += 1
                if slot != "message" or blanks >= 2:
                    break
                j += 1
                continue
            if is_footer(s) or _SEPARATOR.match(s) or is_field_line(s) or ((slot != "message" or blanks)
                                                                           and _unknown_label(s)) \
                    or _is_imprint(s) or is_notice_line(s) or is_portal_closing(s):
                break
            if slot == "message" and blanks:
                collected.append("")
            blanks = 0
            collected.append(s)
            j += 1
        return "\n".join(collected), j

    def value_below(nxt: int, slot: str, label: str, slot_rank: int) -> int:
        """Read the value written below a label alone on its line; the index after it."""
        value, j = continuation(nxt, slot)
        if slot not in ("message", "address"):
            rest = value.split("\n")[1:]
            value = value.split("\n")[0]
            j = nxt + 1
            if slot == "full_name" and rest and parse_address("\n".join(rest[:2])).get("postal"):
                # "Anfragender:" / name / street / postcode and city: the person's block
                add("address", label, "\n".join(rest[:2]), _D.labels["address"][1])
                j = nxt + 1 + min(2, len(rest))
        add(slot, label, value, slot_rank)
        return j

    def listing_block(at: int, slot: str, label: str, value: str) -> int:
        """A listing's reference ("Anúncio: CL-88213", "Referencia del anuncio: 104882271") with the listing's
        title and address on unlabelled lines right above or below it: those lines are what the lead asks
        about, not the lead's own address or words. The index after the block, or 0 if there is none."""
        nonlocal skipped_label
        below, j = continuation(at + 1, "interest")
        lines_below = [x for x in below.split("\n") if x]
        above: list[str] = []
        k = at - 1
        while k >= 0 and len(above) < 2 and lines[k].strip() and out.prose and out.prose[-1] == lines[k].strip():
            above.insert(0, out.prose.pop())
            k -= 1
        described = above + lines_below
        if not described or not all(_LISTING_LINE.match(x) for x in described):
            out.prose.extend(above)
            return 0
        dropped.update(range(k + 1, at))
        add("listing_id" if slot == "interest" else slot, label, value, _LABELS["listing id"][1])
        add("interest", label, ", ".join(x.strip(" ,") for x in described), _LABELS["interest"][1])
        skipped_label = True  # the block's lines are the listing's: the free-text reader must not take them
        return j if lines_below else at + 1

    def enter(kind: str, heading: str) -> None:
        nonlocal section, section_role
        section = kind if kind in ("skip", "trade", "listing") else "lead"
        section_role = heading_role(heading) if section == "skip" else ""

    def step(i: int) -> int:
        """Read the line(s) at ``i``; the index after them, or -1 at a footer."""
        nonlocal section, skipped_label
        s = lines[i].strip()
        if not s:
            i += 1
            return i
        if is_footer(s):
            return -1
        if is_notice_line(s) or (out.labelled >= 2 and is_firm_address_line(s)) or is_portal_closing(s):
            # a mailer's notice block or imprint ends what is the lead's; a portal's call to the pro is no prose
            if not is_portal_closing(s) and out.labelled + len(out.prose) >= 2:
                return -1
            skipped_label = True
            return i + 1
        if _is_imprint(s):
            skipped_label = True  # a portal's imprint line (firm · street · phone): not the lead, not prose
            i += 1
            return i
        if _SEPARATOR.match(s):
            if section == "skip":
                section = "lead"
            i += 1
            return i
        key = norm_label(s.strip(":：-=*#[]<> "))
        if extra_skip and key and any(key == w or key.startswith(w + " ") for w in extra_skip):
            enter("skip", s)
            i += 1
            return i
        matched = _match_label_line(s)
        if matched:
            label, value, (slot, slot_rank) = matched
            if not value:
                kind = heading_kind(s)
                nxt = _next_nonempty(lines, i + 1)
                if kind:
                    enter(kind, s)
                if nxt is None or is_field_line(lines[nxt].strip()):
                    i += 1
                    return i
                return value_below(nxt, slot, label, slot_rank)
            if slot in ("message", "address"):
                more, j = continuation(i + 1, slot)
                if more:
                    value = f"{value}\n{more}"
                add(slot, label, value, slot_rank)
                i = j
                return i
            if section != "skip" and slot in _REFERENCE_SLOTS and _REFERENCE.match(value.strip()):
                j = listing_block(i, slot, label, value)
                if j:
                    return j
            add(slot, label, value, slot_rank)
            i += 1
            return i
        kind = heading_kind(s)
        only = _label_only(s)
        if kind and (only is None or s.rstrip().endswith(":") or kind in ("skip", "trade")):
            enter(kind, s)
            if only is None or kind in ("skip", "trade"):
                i += 1
                return i
        if only is not None:
            label, (slot, slot_rank) = only
            nxt = _next_nonempty(lines, i + 1)
            if nxt is not None and not is_field_line(lines[nxt].strip()) and not is_footer(lines[nxt]):
                return value_below(nxt, slot, label, slot_rank)
            if kind:
                enter(kind, s)  # "Customer" above "Name: …": no value of its own, so a heading
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


_SLASH = re.compile(r"\s*/\s*")


def _paired_parts(label: str, value: str) -> list[tuple[str, str, tuple[str, int]]] | None:
    """A label of parts apart by slashes and a value of as many parts ("Ciudad / Provincia: Bilbao / Vizcaya"):
    (part label, part value, its slot and rank) for each, when every label part is a known label; else None."""
    if "/" not in label or "/" not in value:
        return None
    labels, values = _SLASH.split(label.strip()), _SLASH.split(value.strip())
    if len(labels) != len(values) or not all(values):
        return None
    found = [lookup_label(part) for part in labels]
    if any(f is None for f in found) or len({f[0] for f in found if f is not None}) != len(found):
        return None
    return [(part, v, f) for part, v, f in zip(labels, values, found, strict=True) if f is not None]


def is_field_line(line: str) -> bool:
    """Whether a line is a label (with or without value) or a section heading."""
    s = line.strip()
    return bool(_match_label_line(s) or heading_kind(s) or _label_only(s) or _match_bare_label(s))


def _is_imprint(line: str) -> bool:
    """A business's imprint or address line ("X GmbH · Str. 3 · Tel.", "Casa Portal, Av. X 1, 1250 Y"); not a
    line under the lead's own address label ("Endereço: Av. X, 2232 - Jardim, São Paulo - SP, 01452-000")."""
    if not (_IMPRINT.search(line) or ((_FIRM_LINE.match(line) or _SEPARATED.search(line)) and find_in_line(line))):
        return False
    labelled = _LABEL_LINE.match(line)
    return not (labelled and (slot := lookup_label(labelled.group("label").strip(" *"))) and slot[0] in _ADDRESS_SLOTS)


def _unknown_label(line: str) -> bool:
    """"Rückrufnummer: 04421 …": a label the dictionary does not know still ends an address above it."""
    m = _LABEL_LINE.match(line)
    if not m or not m.group("value"):
        return False
    label = m.group("label").strip(" *")
    return len(label) <= 30 and not any(ch.isdigit() for ch in label) and len(label.split()) <= 3


def _next_nonempty(lines: list[str], start: int) -> int | None:
    for j in range(start, min(len(lines), start + 3)):
        if lines[j].strip():
            return j
    return None
