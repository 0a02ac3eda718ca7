"""The structured readers, composed: vendor template, payload readers (ADF/LTS/XML, JSON), label reader.

``read_structured`` turns one ``Document`` into built (unverified) leads with provenance; the nlp stage
may then fill gaps, and ``complete_from_mail`` / ``verify.finalize`` finish them. Pure functions only.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from parsers.address import find_addresses, parse_address
from parsers.adf import XmlRead, parse_xml, read_xml
from parsers.boilerplate import is_portal_wording
from parsers.caller_id import caller_id_names
from parsers.document import Document, document_from_parts
from parsers.fields import Collector, merge_leads
from parsers.json_shapes import decode_nested, load_json, prose_of
from parsers.keywords import may_match
from parsers.labels import read_labels
from parsers.lead import ExtractedLead, ExtractionError, FieldValue, RefusedInput, RoleValue
from parsers.patterns import EMAIL, MAILER_LOCAL_PART, PHONE_RUN
from parsers.payloads import read_json
from parsers.salvage import looks_php_dump, looks_salvageable, php_dump, salvage
from parsers.subject import interest_of_subject, listing_line
from parsers.tables import table_records
from parsers.templates import BUILTIN_DIR, VendorTemplate, load_templates
from parsers.verify import finalize

_AUTOMATED = re.compile(
    r"^(?:no-?reply|do-?not-?reply|donotreply|mailer-daemon|postmaster|bounces?|notifications?|notify|alerts?|"
    r"wordpress|forms?|webforms?|system|automated|auto|robot|daemon|leads?|crm|marketing|newsletter|news|"
    r"service|support|admin|webmaster|website|info-?leads|lead-?notification|submissions?)(?:[+._-].*)?@",
    re.IGNORECASE,
)


#: a portal's navigation path ("Houzz > Pro Dashboard > Messages", "Home » Roofing » Repair"): no message
_BREADCRUMB = re.compile(r"^\s*[^>»›\n]{1,40}(?:\s[>»›]\s[^>»›\n]{1,40}){2,}\s*$")
#: "Timestamp: 10/14/2025", "created_time: …": a form field the label dictionary does not know, not words
_FIELD_SHAPED = re.compile(r"^[^\W\d][\w ()/#.'-]{0,38}[:=]\s*\S[^.!?]{0,60}$")
#: "Lead 1", "Contact #2", "Anfrage 3:": the heading of one lead in a digest holding several
_NUMBERED_LEAD = re.compile(
    r"^\W{0,3}(?:lead|contact|inquiry|enquiry|customer|prospect|submission|request|anfrage|kontakt|interessent|"
    r"cliente|contacto|consulta|solicitud|contato|pedido|demande|richiesta|contatto|aanvraag|aanmelding)\s*"
    r"(?:#|no\.?|nr\.?|n[º°]\.?)?\s*\d{1,3}(?:\s*(?:/|of|von|de|di|van|sur|do)\s*\d{1,3})?\s*[:.)-]?"
    r"(?:\s*[—–|,-]\s*[^\n]{0,80})?\W{0,3}$",
    re.IGNORECASE)


@dataclass(slots=True)
class StructuredRead:
    vendor: str | None
    leads: list[ExtractedLead]
    #: free-text lines of a text document that no label claimed
    prose: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    template: VendorTemplate | None = None
    #: the text the free-text stage should read ("" for payload documents)
    free_text: str = ""
    #: the leads come from the text path (labels), not from a payload
    from_text: bool = False
    #: a payload no key of which names the lead: its strings as prose, one a line, to read as a note
    payload_prose: str = ""


def match_template(doc: Document, templates: Sequence[VendorTemplate]) -> VendorTemplate | None:
    raw = doc.payloads[0].text[:200_000] if doc.payloads else ""
    text = doc.text[:200_000]
    folded = (text.casefold(), raw.casefold())
    for t in templates:
        if t.matches(sender=doc.sender_email, subject=doc.subject, text=text, raw=raw, folded=folded):
            return t
    return None


def read_structured(doc: Document, templates: Sequence[VendorTemplate] = ()) -> StructuredRead:
    """Read the leads of ``doc`` with the structured readers (no free-text NLP)."""
    template = match_template(doc, templates)
    warnings = list(doc.warnings)
    vendor = template.display_name if template else None
    for payload in doc.payloads:
        try:
            leads, payload_vendor, notes = _read_payload(payload.kind, payload.text, template)
        except RefusedInput:
            raise
        except ExtractionError as exc:
            if not doc.is_mail:
                raise
            warnings.append(f"{payload.name or payload.kind}: {exc}")
            continue
        warnings.extend(notes)
        strings = "" if leads or doc.is_mail or payload.kind != "json" else _payload_prose(payload.text)
        if strings:
            # no key names the lead ({"text": "New lead: Ann Lee, ann@…"}): its strings are read as a note is
            return StructuredRead(vendor or payload_vendor, [], warnings=warnings, template=template,
                                  payload_prose=strings)
        if leads or not doc.is_mail:
            return StructuredRead(vendor or payload_vendor, leads, warnings=warnings, template=template)
    col = Collector()
    if template is not None:
        template.apply(text=doc.text, html=doc.html, data=None, xml_root=None, col=col)
    sections = template.not_lead_sections if template else ()
    rows = table_records(doc.text) if template is None else []
    if len(rows) >= 2 or (rows and rows[0].count("\n") >= 2):
        # a CSV export, a pasted sheet or a Markdown table under a header row: one lead per row (an export of
        # one lead when its row fills three labelled columns and gives two ways to reach them)
        per_row = [read_labels(r, extra_skip_sections=sections).fields for r in rows]
        if all(c.contact_count() >= (1 if len(rows) >= 2 else 2) for c in per_row):
            return StructuredRead(vendor, [c.build() for c in per_row], warnings=warnings, template=template)
    blocks = _numbered_blocks(doc.text)
    if blocks and template is None:
        digest = [read_labels(b, extra_skip_sections=sections).fields for b in blocks]
        if all(c.contact_count() >= 2 for c in digest):
            return StructuredRead(vendor, [c.build() for c in digest], warnings=warnings, template=template)
    if template is None:
        repeated = _repeated_blocks(doc.text, sections)
        if repeated:
            return StructuredRead(vendor, [c.build() for c in repeated], warnings=warnings, template=template)
    read = read_labels(doc.text, extra_skip_sections=sections)
    dumped = looks_php_dump(doc.text)
    salvaged = _salvaged_leads(doc.text, dumped) if read.fields.contact_count() < 2 or dumped else []
    if salvaged and salvaged[0].contact_count() + dumped > read.fields.contact_count():
        # a Rails parameter dump, a Ruby or Python hash, truncated JSON in a log line or an error mail
        return StructuredRead(vendor, [c.build() for c in salvaged], warnings=warnings, template=template)
    prose = read.prose
    free_text = read.lead_text
    if doc.forwarded and doc.quoted:
        # the note above a forward is the forwarding employee's: their values are set aside, never the lead's
        note = read_labels(doc.quoted, source_prefix="reader:labels:forwarder", extra_skip_sections=sections)
        for c in note.fields.items:
            if c.role == "lead" and c.slot != "message":
                col.add(c.slot, c.value, c.source, confidence=c.confidence * 0.5, rank=90, label=c.label,
                        role="forwarder")
    elif not read.fields.contact_count() and doc.quoted:
        quoted = read_labels(doc.quoted, source_prefix="reader:labels:quoted", extra_skip_sections=sections)
        if quoted.fields.contact_count():
            read = quoted
    col.extend(read.fields)
    caller_id_names(col, labelled=True)
    if _seller_lead(doc.subject or "") or _seller_lead(doc.text[:20000]):
        # a seller's or a valuation lead's property is their own home: its address is where the lead lives
        for c in col.items:
            if c.role == "property" and c.slot in ADDRESS_PARTS:
                c.role = "lead"
        if not col.has("street") and not col.has("address"):
            # the property's line under an interest label ("Property Address: 512 Elm Rd"): whole, or a street
            # line whose town the form gives in fields of its own
            home = next((c for c in col.best("interest") if "street" in (parts := parse_address(c.value))
                         and (len(parts) >= 2 or (any(ch.isdigit() for ch in c.value)
                                                  and (col.has("city") or col.has("postal_code"))))), None)
            if home is not None:
                col.add("address", home.value, home.source, confidence=home.confidence * 0.9, rank=home.rank + 10)
            elif own := next((a for a in find_addresses("\n".join(prose)) if a.parts.get("street")), None):
                # the property's lines under "PROPERTY TO SELL", no labels: the seller's own address
                for slot, value in own.parts.items():
                    col.add(slot, value, "reader:labels:seller-home", confidence=0.7, rank=70)
    for k, line in enumerate(prose):
        listed = listing_line(line)
        if listed is None and line.rstrip().endswith(":") and k + 1 < len(prose):
            listed = listing_line(f"{line} {prose[k + 1]}")  # "A buyer is asking about your listing:" / the address
        if listed is not None:
            # "Inquiry about 918 Sycamore St, Madison, WI 53703": the portal's own line names the listing
            col.add("interest", listed, "reader:labels:listing-line", confidence=0.6, rank=80)
            break
    lead = col.build()
    return StructuredRead(vendor, [lead], prose=prose, warnings=warnings, template=template, free_text=free_text,
                          from_text=True)


def _payload_prose(text: str) -> str:
    try:
        return prose_of(decode_nested(load_json(text)))
    except ExtractionError:
        return ""


def _salvaged_leads(text: str, dumped: bool = False) -> list[Collector]:
    if dumped:
        data: Any = php_dump(text)  # a PHP array dump: its keys, not its lines read as labels
    elif not looks_salvageable(text):
        return []
    else:
        data = salvage(text)
    return read_json(data, source="reader:salvaged").leads if data is not None else []


def _numbered_blocks(text: str) -> list[str]:
    """The blocks of a digest headed "Lead 1", "Lead 2"…, or [] when the text is no such digest."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if _NUMBERED_LEAD.match(line.strip())]
    if len(starts) < 2:
        return []
    ends = [*starts[1:], len(lines)]
    return ["\n".join(lines[a + 1:b]) for a, b in zip(starts, ends, strict=True)]


#: a text that says its lead sells, values or refinances their own home ("Lead type: Seller", "Home valuation
#: request", "refi lead")
_SELLER_LEAD = re.compile(
    r"(?:^|\n)\s*(?:lead ?type|type|tipo|typ|soort|art)\s*:\s*(?:home )?(?:seller|selling|sell|valuation|verk[äa]ufer|"
    r"vendedor|vendeur|venditore|verkoper)\b|\bseller lead\b|\bhome valuation\b|what'?s my home worth|"
    r"\bimmobilienbewertung\b|\bwaardebepaling\b|\btasaci[óo]n de (?:vivienda|inmueble)\b|"
    r"\bavalia[çc][ãa]o (?:do|de) im[óo]vel\b|\bestimation (?:de|du) (?:bien|logement|maison|appartement)\b|"
    r"\b(?:want to|wants to|like to|looking to|plan(?:ning)? to) sell (?:my|our|his|her) "
    r"(?:home|house|condo|property)\b|"
    r"\bwertermittlung\b|\bverkäuferanfrage\b|\beigentümer-?anfrage\b|\bsolicitud de valoraci[óo]n\b|"
    r"\bvaloraci[óo]n (?:de|del) (?:vivienda|inmueble|piso|casa)\b|\bquiero vender (?:mi|nuestra|nuestro)\b|"
    r"\bquero vender (?:o meu|a minha|meu|minha)\b|\bvendre (?:mon|ma|notre)\b|\bvalutazione (?:immobile|casa)\b|"
    r"\bvendere (?:la mia|il mio|casa)\b|\b(?:mijn|ons) (?:huis|woning) verkopen\b|"
    # a refinance or an equity loan is on the home the lead owns and lives in
    r"\brefi(?:nanc\w*)?\b|\bcash[- ]out\b|\bheloc\b|\banschlussfinanzierung\b|"
    r"\brefinanci\w+\b|\brefinanciamento\b|\brachat de cr[ée]dits?\b|\bsurroga\b|\brifinanziamento\b|"
    r"\boversluiten\b",
    re.IGNORECASE)
#: words one of which every branch of ``_SELLER_LEAD`` spells (checked on the lower-cased text first: the
#: pattern's case-blind alternation tried at each position cost ~2% of reading a lead)
_SELLER_KEYS = ("sell", "valuation", "verk", "vend", "worth", "bewertung", "waardebepaling", "tasaci", "avalia",
                "estimation", "wertermittlung", "eigent", "valoraci", "valutazione", "refi", "cash", "heloc",
                "anschluss", "rachat", "surroga", "rifinanz", "oversluit")


def _seller_lead(text: str) -> bool:
    return may_match(text, _SELLER_KEYS) and _SELLER_LEAD.search(text) is not None


ADDRESS_PARTS = frozenset({"address", "street", "street2", "city", "region", "postal_code", "city_region_postal",
                           "postal_city", "house_number"})
#: a line that only separates: "-----", "=====", "* * *", "______"
_SEPARATOR = re.compile(r"^\s*(?:[-=_*~#•·]\s*){3,}$")
#: the heading line of one lead in a digest: "1) Ana Pereira", "2. Boris Klein", "New lead - Ana Pereira"
_BLOCK_HEADING = re.compile(r"^\W{0,3}(?:\d{1,3}\s*[.):-]\s*|(?:[^\W\d_]+\s+){0,3}[-–—:|]\s*)(?P<rest>.+)$")
#: "1) Ana Pereira", "2. Boris Klein": a numbered item that may start a digest's block
_NUMBERED_ITEM = re.compile(r"^\W{0,3}\d{1,3}\s*[.)]\s+\S")
#: a digest is read block by block within this many characters
MAX_DIGEST_TEXT = 200_000
_NAME_SHAPE = re.compile(r"^[^\W\d_][\w'’.-]*(?:\s+[^\W\d_][\w'’.-]*){1,3}$")
_DIGEST_SLOTS = ("email", "phone", "full_name", "first_name", "last_name")


def _repeated_blocks(text: str, sections: tuple[str, ...]) -> list[Collector]:
    """The leads of a digest that repeats one form's labels, block after block (blocks apart by blank or
    separator lines), or [] when the text is one lead. Evidence that it is a digest, not one lead written
    in paragraphs: at least two blocks each hold two of the prospect's contact fields, the blocks start with
    the same field, and no email or phone repeats between them. A block's unlabelled heading line that is a
    name ("1) Ana Pereira", "New lead - Ana Pereira") is that lead's name."""
    head = text[:MAX_DIGEST_TEXT]
    if len(EMAIL.findall(head)) + len(PHONE_RUN.findall(head)) < 4:
        return []  # two leads need two contact values each: not worth reading block by block
    lines_in = head.split("\n")
    numbered = [k for k, line in enumerate(lines_in) if _NUMBERED_ITEM.match(line) and not _label_line(line)]
    starts = set(numbered) if len(numbered) >= 2 else set()
    blocks: list[list[str]] = [[]]
    for k, line in enumerate(lines_in):
        if not line.strip() or _SEPARATOR.match(line) or (k in starts and blocks[-1]):
            if blocks[-1]:
                blocks.append([])
            if not line.strip() or _SEPARATOR.match(line):
                continue
        blocks[-1].append(line)
    blocks = [part for block in blocks for part in _at_repeated_label(block)]
    if len(blocks) < 2:
        return []
    leads: list[Collector] = []
    firsts: set[str] = set()
    seen: set[str] = set()
    for lines in blocks:
        read = read_labels("\n".join(lines), extra_skip_sections=sections)
        col = read.fields
        if col.contact_count() < 2:
            continue
        mine = [c for c in col.items if c.role == "lead" and c.slot in _DIGEST_SLOTS]
        first = min(mine, key=lambda c: c.order).slot
        heading = _BLOCK_HEADING.match(lines[0].strip())
        if heading and not _label_line(lines[0]) and _NAME_SHAPE.match(heading["rest"].strip()):
            col.add("full_name", heading["rest"].strip(), "reader:labels:heading", confidence=0.6, rank=60)
            first = "heading"
        keys = {re.sub(r"\W", "", c.value.casefold()) for c in mine if c.slot in ("email", "phone")}
        if keys & seen:
            return []  # the same person twice: one lead written in paragraphs
        seen |= keys
        firsts.add(first)
        leads.append(col)
    if len(leads) < 2 or len(firsts) != 1:
        return []
    return leads


def _at_repeated_label(lines: list[str]) -> list[list[str]]:
    """A block cut where its first labelled field comes again after other fields ("Name: … / Phone: … /
    Email: … / Name: …"): a digest that repeats its labels with no line between its leads."""
    slots = [_line_slot(line) for line in lines]
    first = next((k for k, slot in enumerate(slots) if slot in _DIGEST_SLOTS), None)
    if first is None:
        return [lines]
    cuts = [k for k in range(first + 1, len(lines)) if slots[k] == slots[first]
            and any(slot in _DIGEST_SLOTS and slot != slots[first] for slot in slots[first + 1:k])]
    bounds = [0, *cuts, len(lines)]
    return [lines[a:b] for a, b in itertools.pairwise(bounds)]


def _line_slot(line: str) -> str | None:
    items = read_labels(line).fields.items if ":" in line else []
    return items[0].slot if len(items) == 1 else None


def _label_line(line: str) -> bool:
    return bool(read_labels(line).fields.items)


def _read_payload(kind: str, text: str, template: VendorTemplate | None) -> tuple[
        list[ExtractedLead], str | None, list[str]]:
    if kind == "json":
        try:
            data = load_json(text)
        except ExtractionError:
            data = salvage(text) if looks_salvageable(text) else None
            if data is None or not read_json(data).leads:
                raise  # what could be salvaged holds no lead: the error says what is wrong
        parsed = read_json(data)
        leads = parsed.leads
        if template is not None and template.rules:
            extra = Collector()
            template.apply(text="", html=None, data=data, xml_root=None, col=extra)
            if leads:
                top = Collector()
                top.extend(extra)
                top.extend(leads[0])
                leads = [top, *leads[1:]]
            elif extra.contact_count():
                leads = [extra]
        return [c.build() for c in leads], parsed.vendor, parsed.warnings
    result: XmlRead = read_xml(text)
    leads = result.leads
    if template is not None and any(r.kind == "xpath" for r in template.rules):
        root = parse_xml(text)
        extra = Collector()
        template.apply(text="", html=None, data=None, xml_root=_as_lxml(root), col=extra)
        if leads:
            top = Collector()
            top.extend(extra)
            top.extend(leads[0])
            leads = [top, *leads[1:]]
    return [c.build() for c in leads], result.vendor, result.warnings


def _as_lxml(root: Any) -> Any:
    from lxml import etree

    if isinstance(root, etree._Element):
        return root
    import xml.etree.ElementTree as ET

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    return etree.fromstring(ET.tostring(root), parser)


def is_automated(address: str | None) -> bool:
    """A mailer's or a form's own address (``noreply@``, ``messages-noreply@``, ``leads@``): never the prospect's."""
    return bool(address) and bool(_AUTOMATED.match(address or "") or MAILER_LOCAL_PART.search(
        (address or "").partition("@")[0]))


#: a display name that is a relay, a portal or a team, not a person ("Zillow Leads", "Ana via Houzz")
_RELAY_NAME = re.compile(
    r"\b(?:via|leads?|lead alerts?|notifications?|notificaciones|notifica[çc][õo]es|alerts?|team|teams|no-?reply|"
    r"support|service|services|portal|system|mailer|forms?|website|web ?site|crm|inquiries|enquiries|"
    r"anfragen|kundenservice|equipo|equipe|[ée]quipe|servicio|atendimento|klantenservice|marketplace|"
    r"customer care|sales)\b",
    re.IGNORECASE,
)


def is_relay_name(name: str | None) -> bool:
    """Whether a sender's display name names a relay or a business rather than a person."""
    return bool(name) and bool(_RELAY_NAME.search(name or ""))


def person_of(doc: Document) -> tuple[str | None, str | None]:
    """(name, email) of the person who wrote the message: the From header, or a Reply-To that names
    someone else (form mailers and portals send from their own address and reply to the prospect).
    A relay's display name ("HomePro Leads", "Marta via Portal") names no person: the name is None."""
    if doc.reply_to and not is_automated(doc.reply_to) and doc.reply_to != doc.sender_email:
        name = doc.reply_to_name if doc.reply_to_name and "@" not in doc.reply_to_name else None
        return (None if is_relay_name(name) else name), doc.reply_to
    return (None if is_relay_name(doc.sender_name) else doc.sender_name), doc.sender_email


def loose_same_name(a: str, b: str) -> bool:
    """Whether two names share a word (\"Jamie\" and \"Jamie Driver\")."""
    wa = {w for w in re.findall(r"\w+", a.casefold()) if len(w) > 1}
    wb = {w for w in re.findall(r"\w+", b.casefold()) if len(w) > 1}
    return bool(wa & wb)


def complete_from_mail(lead: ExtractedLead, doc: Document, read: StructuredRead) -> ExtractedLead:
    """Fill gaps from the mail itself: Reply-To, the From header of a direct inquiry, the message prose."""
    fields: dict[str, FieldValue] = dict(lead.fields)
    direct = doc.is_mail and read.template is None and not is_automated(doc.sender_email)
    sender_name, sender_email = person_of(doc)
    if "email" not in fields and doc.reply_to and not is_automated(doc.reply_to):
        fields["email"] = FieldValue(doc.reply_to, "reader:mime:reply-to", 0.8)
    has_name = any(n in fields for n in ("full_name", "first_name", "last_name"))
    if sender_email != doc.sender_email:
        direct = True  # a Reply-To that names someone else than the sender: the mailer relays that person
    if direct and sender_email:
        name = sender_name or ""
        current = fields.get("full_name") or fields.get("first_name")
        same_person = not has_name or (bool(name) and current is not None and loose_same_name(name, current.value))
        if not has_name and any(is_portal_wording(p) for p in read.prose):
            same_person = False  # "Victor H. sent you a Request a Quote": a portal's mail, its From is the portal
        if "email" not in fields and same_person:
            fields["email"] = FieldValue(sender_email, "reader:mime:from", 0.8)
        email = fields.get("email")
        if (not has_name and name and "@" not in name and email is not None
                and email.value.casefold() == sender_email.casefold()):
            fields["full_name"] = FieldValue(name, "reader:mime:from", 0.75)
        if "phone" not in fields and doc.signature and fields.get("email") is not None:
            m = re.search(r"(?:\+|00)?\(?\d[\d\s().\-/]{6,}\d", doc.signature)
            if m and len(re.sub(r"\D", "", m.group(0))) >= 7:
                fields["phone"] = FieldValue(m.group(0).strip(), "reader:mime:signature", 0.6)
    if "message" not in fields and read.prose and any(n in fields for n in ("email", "phone")):
        names = {fv.value.casefold() for n, fv in fields.items() if n in ("full_name", "first_name", "last_name")}
        if sender_name:
            names.add(sender_name.casefold())
        lines = [p for p in read.prose if re.search(r"[^\W_]", p) and not is_portal_wording(p)
                 and not p.startswith(("http", "www."))
                 and p.strip(" ,.!-").casefold() not in names and not _FIELD_SHAPED.match(p)
                 and not _BREADCRUMB.match(p)]
        text = "\n".join(lines).strip()
        if 3 <= len(text) <= 3000:
            fields["message"] = FieldValue(text, "reader:labels:prose", 0.5)
    guessed = fields.get("interest")
    if (guessed is None or guessed.source.startswith("nlp:")) and doc.subject and any(
            n in fields for n in ("email", "phone")):
        # what a notification's subject states beats a guess from prose, which stays as an alternative
        own = [fv.value for n, fv in fields.items() if n in ("full_name", "first_name", "last_name", "company")]
        vendor = doc.sender_email.rpartition("@")[2].split(".")[0] if doc.sender_email and doc.is_mail else None
        topic = interest_of_subject(doc.subject, names=own, vendor=vendor)
        if topic is not None:
            stated = FieldValue(topic, "reader:mime:subject", 0.7)
            fields["interest"] = stated.with_alternative(guessed.value) if guessed is not None else stated
    completed = lead.with_fields(fields)
    if doc.sender_name and is_relay_name(doc.sender_name):
        relay = RoleValue("full_name", doc.sender_name, "sender", "reader:mime:from")
        if relay not in completed.others:
            completed = ExtractedLead(completed.fields, (*completed.others, relay))
    return completed


def read_sample(t: VendorTemplate, templates: Sequence[VendorTemplate]) -> tuple[str | None, Mapping[str, str | None]]:
    """A template's sample through the structured path (what the extractor does minus free-text NLP)."""
    assert t.sample is not None
    s = t.sample
    doc = document_from_parts(body=s.body, html=s.html, payload=s.payload, sender=s.sender, subject=s.subject)
    read = read_structured(doc, templates)
    if not read.leads:
        return read.vendor, {}
    lead = complete_from_mail(read.leads[0], doc, read)
    return read.vendor, finalize(lead).plain()


def load_vendor_templates(extra_dir: Path | None = None) -> tuple[VendorTemplate, ...]:
    """The built-in vendor templates plus those in ``extra_dir``, each checked against its sample."""
    dirs = [BUILTIN_DIR] + ([Path(extra_dir)] if extra_dir is not None else [])
    return load_templates(dirs, read_sample)


__all__ = ["StructuredRead", "complete_from_mail", "load_vendor_templates", "merge_leads", "read_structured"]
