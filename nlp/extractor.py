"""``Extractor``: one message in, its leads out — structured readers first, free-text NLP for the gaps.

Build one per process (it loads and checks the vendor templates and builds the spaCy pipeline once);
``extract`` is synchronous and CPU-bound, so async callers run it in a thread. It is read-only after
construction, so threads may share it.

Order of evidence for each field: a vendor template's rule, then the payload readers (ADF/LTS/XML, JSON)
or the label reader, then the free-text pipeline (``nlp:*``), then the mail itself (Reply-To, the From
header of a direct inquiry, unlabelled prose as the message). Every lead is verified last
(``parsers.verify.finalize``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from spacy.language import Language

from nlp.chat import listed_leads, normalise_chat, prospect_voice, split_chat
from nlp.company_evidence import labelled_firm_trimmed, with_signature_firm
from nlp.forwards import forwarders_apart
from nlp.freetext import read_free_text
from nlp.interest_shapes import names_no_item
from nlp.lexicon import is_first_name, is_surname
from nlp.names import name_shaped
from nlp.note_heads import without_forward_author
from nlp.notices import relay_address, without_contact_only_message, without_mailer_from
from nlp.org_sides import is_recipients_firm, org_under_person_label
from nlp.pipeline import build_nlp
from nlp.places import OWN_PLACE
from nlp.settings import ExtractionSettings, NlpSettings
from nlp.timeline import DAY_LEVEL, is_others_time, is_own_plan, is_plan
from parsers.caller_id import CALLER_ID_TURNED
from parsers.document import Document, is_saved_mail, load_document
from parsers.fields import merge_leads
from parsers.labels import is_field_line
from parsers.lead import ExtractedLead, Extraction, ExtractionError, FieldValue, RawMessage, RoleValue
from parsers.mime import decode_bytes, relayed_name
from parsers.quotes import pasted_mail, pasted_recipient_domains
from parsers.structured import (
    complete_from_mail,
    is_automated,
    load_vendor_templates,
    loose_same_name,
    person_of,
    read_structured,
)
from parsers.templates import VendorTemplate
from parsers.verify import finalize, is_name_placeholder

#: free text beyond this many characters is not read by the NLP stage (leads are short; spaCy's own
#: limit is 1,000,000 characters and time grows with length)
FREE_TEXT_LIMIT = 50_000
#: free-text guesses below this confidence (a company guessed from a mail domain…) fill no gap
MIN_FREE_TEXT_CONFIDENCE = 0.5
#: the confidence of a message the nlp stage read under a "Message:" label (unlabelled text is lower)
_LABELLED_MESSAGE = 0.8
_NAME_FIELDS = frozenset({"first_name", "last_name", "full_name"})
_ADDRESS_FIELDS = frozenset({"street", "city", "region", "postal_code", "country"})
_NON_ALNUM = re.compile(r"[\W_]+")
#: a payload's message shorter than this holds no name or need worth reading ("ok", "call me")
_MIN_PROSE = 12
#: the fields a payload's free text may add to what its keys gave (its message stays the payload's own)
_PAYLOAD_GAPS = frozenset({*_NAME_FIELDS, "email", "phone", "company", "interest", "budget", "timeline"})

#: the fields an agent's note in a call record may add (the caller's name and number are the record's own)
_NOTE_GAPS = frozenset({"email", "interest", "budget", "timeline"})

NO_LEAD = "no lead found in the message"

#: how to read a message: a vendor mail / payload / form ("message") or a rep's chat note ("chat")
Kind = Literal["message", "chat"]


class Extractor:
    """Reads leads from raw messages. See the module docstring for the order of evidence."""

    def __init__(self, extraction: ExtractionSettings | None = None, nlp: NlpSettings | None = None) -> None:
        self._settings = extraction or ExtractionSettings()
        # raises parsers.templates.TemplateError naming the file and the problem
        self._templates = load_vendor_templates(self._settings.vendors_dir)
        self._nlp: Language = build_nlp(nlp or NlpSettings(), default_region=self._settings.default_region)

    @property
    def vendors(self) -> Sequence[VendorTemplate]:
        return self._templates

    def extract(self, message: RawMessage, kind: Kind | None = None) -> Extraction:
        """The leads in ``message`` (none, with a warning, when it holds no lead).

        ``kind="chat"`` reads the text as a rep's chat note (``nlp.chat``): Slack markup normalised, one lead
        per block of a note that lists several, people named by cue words, the rep's words not taken as the
        prospect's message. Without ``kind``, a message from Slack (channel "slack") or a ``.txt`` file is
        read as chat, so ``leadbot parse note.txt`` reads a note as chat intake does; ``kind="message"``
        forces the mail/payload reading.

        Raises only ``ExtractionError`` for input that cannot be read (binary, refused XML, invalid JSON…).
        """
        try:
            if kind is None and message.channel != "slack" and is_saved_mail(message.raw, message.name_hint):
                # a raw MIME mail saved as a .txt file: read as the mail it is (its parts decoded), not as a note
                return self._extract(replace(message, name_hint=None), "message")
            return self._extract(message, kind or _kind_of(message))
        except RecursionError as exc:
            raise ExtractionError("input nested too deeply to read") from exc

    def _extract(self, message: RawMessage, kind: Kind) -> Extraction:
        doc = load_document(message.raw, message.name_hint)
        if kind == "chat" and doc.kind in ("text", "html") and not doc.is_mail:
            # Slack markup first: "<!here> …" or "<mailto:…|…>" must not make the note look like HTML
            note = load_document(normalise_chat(decode_bytes(message.raw)).encode("utf-8"), ".txt")
            if note.kind == "text":
                return self._extract_chat(note)
        if kind == "chat" and not doc.is_mail:
            return self._note_or_payload(message)
        read = read_structured(doc, self._templates)
        if read.payload_prose:
            return self._extract_chat(Document("text", read.payload_prose), whole=True)
        leads: list[ExtractedLead] = list(read.leads)
        listed = listed_leads(read.free_text) if read.from_text and len(leads) <= 1 else []
        if len(listed) >= 2 and _only_from(leads, listed):
            # a mail listing several people ("1. Ingo Jung, ingo@…, 555-…"): each item read as a note's block
            return self._extract_chat(Document("text", "\n".join(listed)), blocks=listed)
        if read.from_text:
            structured = _without_numbers_for_names(leads[0] if leads else ExtractedLead())
            sender_name, sender_email = person_of(doc)
            if is_automated(sender_email):
                # "HomeFinder Alerts <alerts@…>" names a mailer, not a person (its address stays as the mailer's
                # evidence, never a candidate: ``nlp.contacts``); "Ana Lima via X" names whom it relays
                sender_name = None if doc.reply_to else relayed_name(doc.sender_name)
            relay = sender_email == doc.sender_email and relay_address(doc.sender_name, sender_email)
            if relay and not is_automated(sender_email):
                # "Victor H. via QuoteNest <biz@…>", "Website <web@…>": the mailer's own address is nobody's email
                sender_name, sender_email = relayed_name(doc.sender_name), None
            named = structured.value("full_name") or structured.value("first_name")
            if named and sender_name and not loose_same_name(named, sender_name):
                # a notification about someone else (the portal's From): the sender is not the lead
                sender_name, sender_email = None, None
            free = read_free_text(
                self._nlp,
                read.free_text[:FREE_TEXT_LIMIT],
                sender_name=sender_name,
                sender_email=sender_email,
                subject=doc.subject,
                recipients=doc.recipients,
            )
            usable = _usable(free, structured, sender_name, doc.subject)
            lead = _caller_id_order(complete_from_mail(_fuller_interest(merge_leads(structured, usable), usable),
                                                       doc, read))
            lead = with_signature_firm(without_mailer_from(lead) if relay else lead, doc.signature)
            lead = without_contact_only_message(lead)
            leads = [_without_recipients_firm(_without_others_contacts(lead), doc.recipients), *leads[1:]]
        else:
            leads = [self._with_payload_prose(_caller_id_order(lead)) for lead in leads]
        return self._finish(read.vendor, leads, doc, read.warnings)

    def _note_or_payload(self, message: RawMessage) -> Extraction:
        """A note that looks like markup or a payload ("<b>Ann Lee</b> …", "<Ann Lee> …", "[Lead] … [urgent]"):
        read as the payload or page it seems to be, and as a note when that gives no lead or does not parse."""
        try:
            found: Extraction | None = self._extract(message, "message")
        except ExtractionError:
            found = None
        if found is not None and found.leads:
            return found
        return self._extract_chat(Document("text", normalise_chat(decode_bytes(message.raw))))

    def _with_payload_prose(self, lead: ExtractedLead) -> ExtractedLead:
        """A payload lead's free text read for what the structured keys lack: the prospect's own words first,
        then a call record's agent notes."""
        return self._with_agent_notes(self._with_message_prose(lead))

    def _with_message_prose(self, lead: ExtractedLead) -> ExtractedLead:
        """A payload lead's free-text field (an SMS reply, a form's message) read by the free-text reader for
        what the structured keys lack: "Hi this is Gabriela Nunes, I need a cleaning …" under ``caller_name:
        Unknown`` names the lead and what they ask about. The message stays as the payload gave it."""
        message = lead.fields.get("message")
        if message is None or len(message.value) < _MIN_PROSE:
            return lead
        free = read_free_text(self._nlp, message.value[:FREE_TEXT_LIMIT])
        structured = lead
        if any((fv := lead.fields.get(n)) is not None and is_name_placeholder(fv.value) for n in _NAME_FIELDS):
            structured = lead.with_fields({k: v for k, v in lead.fields.items() if k not in _NAME_FIELDS})
        usable = _usable(free, structured, None)
        gaps = {k: v for k, v in usable.fields.items() if k in _PAYLOAD_GAPS and k not in structured.fields}
        if not gaps:
            return lead
        return ExtractedLead({**structured.fields, **gaps}, lead.others)

    def _with_agent_notes(self, lead: ExtractedLead) -> ExtractedLead:
        """A call record's notes (the agent's or a summariser's words, kept as ``others`` with role "agent")
        read as a rep's chat note for what the keys lack: "Wants cabinets + counters quote …", "Interesse an
        barrierefreiem Bad, Termin nächste Woche". Only the soft fields and an email come from them."""
        notes = " ".join(o.value for o in lead.others if o.field == "message" and o.role == "agent")
        if len(notes) < _MIN_PROSE:
            return lead
        free = read_free_text(self._nlp, notes[:FREE_TEXT_LIMIT], chat=True)
        usable = _usable(free, lead, None)
        gaps = {k: v for k, v in usable.fields.items() if k in _NOTE_GAPS and k not in lead.fields
                and DAY_LEVEL not in v.flags}
        return lead.with_fields({**lead.fields, **gaps}) if gaps else lead

    def _extract_chat(self, doc: Document, *, whole: bool = False, blocks: list[str] | None = None) -> Extraction:
        """A note read as chat intake reads it; ``whole``: as one lead, not split into blocks (a payload's
        strings, one a line); ``blocks``: one lead each, as given."""
        text = doc.text
        pasted = pasted_mail(text)
        mail: ExtractedLead | None = None
        if pasted is not None:
            # a mail pasted into the note: read as the mail it is too, for what the note's reading lacks; its
            # body, not the rep's lines around it, is the prospect's message
            found = self._extract(RawMessage(pasted.encode("utf-8"), "file", name_hint="pasted.eml"), "message")
            mail = found.leads[0] if len(found.leads) == 1 else None
        leads: list[ExtractedLead] = []
        warnings: list[str] = []
        vendor: str | None = None
        own = without_forward_author(text)  # our side
        for block in [own] if whole else blocks or split_chat(own):
            part = Document("text", block)
            read = read_structured(part, self._templates)
            vendor = vendor or read.vendor
            warnings.extend(read.warnings)
            if not read.from_text:
                leads.extend(read.leads)
                continue
            free = read_free_text(self._nlp, block[:FREE_TEXT_LIMIT], chat=True)
            structured = _without_run_on_values(read.leads[0] if read.leads else ExtractedLead(), free)
            lead = complete_from_mail(merge_leads(structured, _usable(free, structured, None)), part, read)
            leads.append(_without_rep_words(lead))
        if pasted is not None and len(leads) > 1:
            leads = _without_forwarding_staff(leads, pasted_recipient_domains(text))
        if mail is not None and len(leads) == 1:
            note = leads[0].with_fields({k: v for k, v in leads[0].fields.items() if k != "message"})
            leads = [merge_leads(forwarders_apart(note, mail, text), mail)]
        return self._finish(vendor, leads, Document("text", text), warnings)

    def _finish(self, vendor: str | None, leads: Sequence[ExtractedLead], doc: Document,
                notes: Sequence[str]) -> Extraction:
        region = self._settings.default_region
        verified = [
            finalize(org_under_person_label(_without_no_item(_without_stamp(lead))), default_region=region,
                     check_deliverability=self._settings.check_email_deliverability)
            for lead in leads
        ]
        kept = _without_passers_on(tuple(lead for lead in verified if not lead.is_empty()))
        warnings = list(notes)
        if not kept:
            warnings.append(NO_LEAD)
        return Extraction(vendor, kept, text=doc.text, subject=doc.subject, warnings=tuple(warnings))


def _without_passers_on(leads: tuple[ExtractedLead, ...]) -> tuple[ExtractedLead, ...]:
    """The leads without one that is the person another lead set aside as passing it on: a partner who
    introduces their client and signs the note ("unser Partner Matthias Greve … seine Kundin …" then
    "Matthias Greve, Greve Finanzplanung, 0521 …") is no second lead; nor is one that signs with the firm another
    lead set aside as someone else's (``company_evidence.firms_of_others``)."""
    if len(leads) < 2:
        return leads
    aside = [set(o.value.casefold().split()) for lead in leads for o in lead.others if o.field == "full_name"]
    # "Marisol from Keller Bay Homes … Her name is Wanjiru" above "Marisol Quintero | Keller Bay Homes | 813-…"
    firms = {o.value.casefold() for lead in leads for o in lead.others if o.field == "company" and o.role == "other"}
    if not aside and not firms:
        return leads

    def passer(lead: ExtractedLead) -> bool:
        name, firm = lead.value("full_name"), lead.value("company")
        words = set(name.casefold().split()) if name else set()
        signs = bool(firm and firm.casefold() in firms)
        return (len(words) >= 2 and any(words <= other for other in aside)) or signs
    kept = tuple(lead for lead in leads if not passer(lead))
    return kept or leads


def _only_from(leads: Sequence[ExtractedLead], listed: Sequence[str]) -> bool:
    """Whether the labelled reading's email and phone (if any) come from the listed items: no label outside
    the list names a contact of its own."""
    found = [fv.value for lead in leads for name in ("email", "phone") if (fv := lead.fields.get(name))]
    items = "\n".join(listed)
    return all(value in items for value in found)


def _without_recipients_firm(lead: ExtractedLead, recipients: Sequence[str]) -> ExtractedLead:
    """A lead whose company is the firm the mail was written to ("Business: Harborview Kitchens" in a portal's
    mail to sales@harborviewkitchens.com) without it: that firm is kept among the others as the recipient's."""
    company = lead.fields.get("company")
    if company is None or not recipients or not is_recipients_firm(company.value, recipients):
        return lead
    fields = {k: v for k, v in lead.fields.items() if k != "company"}
    if any(o.field == "company" and o.value.casefold() == company.value.casefold() for o in lead.others):
        return ExtractedLead(fields, lead.others)
    return ExtractedLead(fields, (*lead.others, RoleValue("company", company.value, "recipient", company.source)))


def _without_forwarding_staff(leads: list[ExtractedLead], ours: frozenset[str]) -> list[ExtractedLead]:
    """The leads of a note holding pasted mails, less those whose email is at a domain the mails were addressed
    to: a colleague forwarding the prospect's mail on is on our side (at least one lead is always kept)."""
    def ours_only(lead: ExtractedLead) -> bool:
        email = lead.fields.get("email")
        return email is not None and str(email.value).rpartition("@")[2].casefold() in ours
    kept = [lead for lead in leads if not ours_only(lead)]
    return kept or leads


def _caller_id_order(lead: ExtractedLead) -> ExtractedLead:
    """A caller-ID name the payload reader turned round ("ROSA GUTIERREZ" → "Gutierrez Rosa") turned back when
    the name gazetteers say the carrier wrote it first name first: the first word is a known first name and
    the second is not, or the second is a known surname and the first is not."""
    full = lead.fields.get("full_name")
    if full is None or not full.source.endswith(CALLER_ID_TURNED) or len(full.value.split()) not in (2, 3):
        return lead
    words = full.value.split()
    if len(words) == 3:
        # "Derek James Holloway" from "HOLLOWAY DEREK JAMES"; the carrier may have written the given name first
        # ("DEREK JAMES HOLLOWAY") or two surnames first ("SANZ PEREZ LUCIA")
        given, middle, last = words  # the carrier wrote "last given middle"
        if is_first_name(last) and is_surname(middle) and not is_first_name(middle):
            value = f"{last} {given} {middle}"
        elif is_first_name(middle) and not is_first_name(given) and is_surname(given):
            value = f"{middle} {last} {given}"
        else:
            return lead
    else:
        last, first = words  # as the carrier wrote them: ``first`` came first
        if (is_first_name(first) - is_first_name(last)) + (is_surname(last) - is_surname(first)) <= 0:
            return lead
        value = f"{first} {last}"
    turned = FieldValue(value, full.source, full.confidence, full.flags, (*full.alternatives, full.value))
    fields = {k: v for k, v in lead.fields.items() if k not in ("first_name", "last_name")}
    return lead.with_fields({**fields, "full_name": turned})


#: a label that asks the prospect for a date ("Preferred date", "Fecha preferida", "Wunschtermin"): its value is
#: their plan even when written as a full date and time
_WISHED = re.compile(r"(?i)prefer|desired|wish|wunsch|gewünscht|desead|preferid|souhait|préfér|desiderat|preferit|"
                     r"gewenst|voorkeur")


#: a fuller mention longer than this many words is a sentence, not an item
_MAX_INTEREST_WORDS = 16


_CATEGORY_PATH = re.compile(r"\s[>»›]\s")


def _fuller_interest(lead: ExtractedLead, free: ExtractedLead) -> ExtractedLead:
    """The lead with the text's own mention of its interest when that spells out the structured one in full:
    "Asunto: Software de gestión de almacén" and "Nos interesa su software de gestión de almacén (SGA) con lectores
    de radiofrecuencia" name the same item, the second with what the prospect wants of it."""
    chosen, found = lead.fields.get("interest"), free.fields.get("interest")
    if chosen is None or found is None or chosen is found or len(found.value.split()) > _MAX_INTEREST_WORDS:
        return lead
    inner, outer = _fold(chosen.value), _fold(found.value)
    path = bool(_CATEGORY_PATH.search(chosen.value)) and not _CATEGORY_PATH.search(found.value)
    if not path and (not inner or inner == outer or f" {inner} " not in f" {outer} "):
        return lead  # (a portal's category path, "Home Services > Heating & Cooling", yields to the text's item)
    fuller = FieldValue(found.value, found.source, max(found.confidence, chosen.confidence), found.flags,
                        (*found.alternatives, chosen.value))
    return lead.with_fields({**lead.fields, "interest": fuller})


def _without_stamp(lead: ExtractedLead) -> ExtractedLead:
    """A lead without a labelled timeline that is the record's own stamp: "When: 11/18/2026 14:14",
    "Zeitpunkt: 20.11.2026 16:05" (a full date with its clock time, ``nlp.timeline.is_plan``) under a label that
    does not ask the prospect for a date."""
    timeline = lead.fields.get("timeline")
    if timeline is None or not timeline.source.startswith("reader:") or _WISHED.search(timeline.source):
        return lead
    if is_plan(timeline.value, 0, len(timeline.value)) and not is_others_time(timeline.value, timeline.source):
        return lead
    fields = {k: v for k, v in lead.fields.items() if k != "timeline"}
    # the text's own plan, set aside for the label's value, takes its place ("Move-in date of listing: …" over
    # "Message: … need to buy within 2 months")
    plan = next((alt for alt in timeline.alternatives if is_own_plan(alt)), None)
    if plan is not None:
        fields["timeline"] = FieldValue(plan, f"{timeline.source}+alternative", timeline.confidence * 0.8)
    return lead.with_fields(fields)


def _without_no_item(lead: ExtractedLead) -> ExtractedLead:
    """A lead without an interest that names no item ("Service: Other", "Enquiry type: General enquiry"); a set-aside
    reading that names one takes its place."""
    interest = lead.fields.get("interest")
    if interest is None or not names_no_item(interest.value):
        return lead
    fields = {k: v for k, v in lead.fields.items() if k != "interest"}
    item = next((alt for alt in interest.alternatives if not names_no_item(alt)), None)
    if item is not None:
        fields["interest"] = FieldValue(item, f"{interest.source}+alternative", interest.confidence * 0.8)
    return lead.with_fields(fields)


def _kind_of(message: RawMessage) -> Kind:
    if message.channel == "slack" or (message.name_hint or "").lower().endswith(".txt"):
        return "chat"
    return "message"


#: a chat note's label over the rep's own words about the lead ("*Notes:* wants a quote …")
_NOTE_LABELS = frozenset({"notes", "note", "rep notes", "internal notes", "notizen", "notiz", "notas", "nota",
                          "notes internes", "notities", "notitie"})


def _without_rep_words(lead: ExtractedLead) -> ExtractedLead:
    """A chat note's lead without the rep's own lines as the prospect's message (see ``prospect_voice``)."""
    message = lead.fields.get("message")
    rep_label = message is not None and message.source.rpartition(":")[2].strip(" *_").casefold() in _NOTE_LABELS
    if message is None or not (message.source.startswith("reader:labels:prose") or rep_label) or prospect_voice(
            message.value):
        return lead
    return lead.with_fields({k: v for k, v in lead.fields.items() if k != "message"})


#: a phone value that is a sentence: "Rückruf: frau … in lübeck, 0451 7093318, will angebot …"
_NOT_A_NAME = re.compile(r"@|\d")
_WORDY = re.compile(r"[^\W\d_]{3,}(?:[ \t,]+[^\W\d_]{2,}){2,}")


def _without_numbers_for_names(structured: ExtractedLead) -> ExtractedLead:
    """A mail's "Caller: (303) 555-0157" read under a name label is no name: the prose may name the caller
    ("Caller ID: ROSALIND ADEYEMI-FOX")."""
    drop = {n for n in _NAME_FIELDS if (fv := structured.fields.get(n)) and "@" not in fv.value and any(
        c.isdigit() for c in fv.value)}  # an email typed as the name is the form's, and names no one either
    return structured.with_fields({k: v for k, v in structured.fields.items() if k not in drop}) if drop else structured


def _without_run_on_values(structured: ExtractedLead, free: ExtractedLead) -> ExtractedLead:
    """A note's "Rückruf: …" or "Call back: …" line read as a labelled phone holds the whole sentence; the
    free-text reader's number inside it is the phone, and the sentence is no field value. Likewise an email
    or a number under a name label ("Contact: d.achterberg@…"), or a sentence ("Caller: hi this is Norah …"), is
    no name: the note's prose names the lead. A labelled firm running on into the note is cut."""
    structured = labelled_firm_trimmed(structured)
    drop = {n for n in _NAME_FIELDS if (fv := structured.fields.get(n)) and (
        _NOT_A_NAME.search(fv.value) or not name_shaped(fv.value.replace(",", " ")))}
    message = structured.fields.get("message")
    if message is not None and message.source.startswith("reader:labels:prose") and "message" in free.fields:
        drop.add("message")  # the note's unlabelled lines; the prose reader knows the prospect's words in them
    phone, number = structured.fields.get("phone"), free.fields.get("phone")
    if phone is not None and number is not None and _WORDY.search(phone.value) and number.value in phone.value:
        drop.add("phone")
    if not drop:
        return structured
    return structured.with_fields({k: v for k, v in structured.fields.items() if k not in drop})


def _without_others_contacts(lead: ExtractedLead) -> ExtractedLead:
    """The mail's own From or signature filled a gap with a contact the reader gave to someone else ("on behalf
    of my mother, Elena Ruiz" from ana.ruiz@…: the writer's address is a partner's, not the lead's)."""
    others = {(o.field, o.value.casefold()) for o in lead.others if o.role in _NOT_LEADS}
    drop = [n for n, fv in lead.fields.items()
            if fv.source.startswith("reader:mime:") and (n, fv.value.casefold()) in others]
    message = lead.fields.get("message")
    if message is not None and message.source == "reader:labels:prose" and any(
            o.role in _NOT_LEADS and o.source.endswith(".sender") for o in lead.others):
        drop.append("message")  # the mail's writer passes the lead on: the body is their words, not the lead's
    if not drop:
        return lead
    return lead.with_fields({k: v for k, v in lead.fields.items() if k not in drop})


#: roles of the people around a lead whose contacts are never the lead's
_NOT_LEADS = frozenset({"partner", "agent", "staff"})


def _usable(free: ExtractedLead, structured: ExtractedLead, sender_name: str | None,
            subject: str | None = None) -> ExtractedLead:
    """The free-text fields that may fill gaps: confident enough, and names only as a whole.

    An address the text names that is also what the lead asks about (the listing in the subject or in the
    interest field) is the property, not where the lead lives.

    A name the structured readers found is completed by ``verify`` (split or joined), so free-text
    name parts must not mix with it. A "message" that is only a name (a sign-off) is no message.
    """
    has_name = any(n in structured.fields for n in _NAME_FIELDS)
    names = {fv.value.casefold() for lead in (free, structured) for n, fv in lead.fields.items() if n in _NAME_FIELDS}
    if sender_name:
        names.add(sender_name.casefold())
    kept: dict[str, FieldValue] = {}
    street = free.fields.get("street")
    about = " ".join(_fold(v) for v in (subject, structured.value("interest"), free.value("interest")) if v)
    own_address = " ".join(_fold(v) for v in (structured.value("street"), structured.value("address")) if v)
    form = sum(1 for n in ("full_name", "first_name", "email", "phone") if n in structured.fields) >= 2
    skip_address = street is not None and bool(_fold(street.value)) and f" {_fold(street.value)} " in f" {about} " \
        and OWN_PLACE not in street.flags  # "replacing the gutters on his house at 48 Linden Ave": his address
    for name, fv in free.fields.items():
        if fv.confidence < MIN_FREE_TEXT_CONFIDENCE:
            continue
        if skip_address and name in _ADDRESS_FIELDS:
            continue
        if name == "interest" and own_address and _fold(fv.value) in own_address:
            continue  # a piece of the lead's own address read as what they ask about
        if name == "message" and form and fv.confidence < _LABELLED_MESSAGE:
            continue  # a form's unlabelled lines are its own wording; the prose reader filters those
        if has_name and name in _NAME_FIELDS:
            continue
        if name == "company" and ":" in fv.value and is_field_line(fv.value):
            continue  # an empty "Company:" line read on into the next one ("Message: Looking for …")
        if name == "message" and fv.value.strip(" ,.!-").casefold() in names:
            continue
        kept[name] = fv
    return ExtractedLead(kept, free.others)


def _fold(text: str) -> str:
    return " ".join(_NON_ALNUM.sub(" ", text.casefold()).split())
