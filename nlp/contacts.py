"""Component ``leadbot_contacts``: email addresses, phone numbers and web addresses in the prospect's text.

Phones: the text is handed to ``phonenumbers.PhoneNumberMatcher`` (strict ``VALID`` leniency) once per
candidate region: the configured default region first, then the regions the message's language and
country mentions suggest (German → DE, Spanish → ES, AR, MX), so "030 1234567" in a German mail and
"011 15-2345-6789" in an Argentine one are found although the bot's default region is US. A number on a
"Phone:" line that is not valid is kept with the flag ``invalid_phone``; a number on a fax line is skipped.
"""

from __future__ import annotations

import re

import phonenumbers
from spacy.language import Language
from spacy.tokens import Doc

from nlp.candidates import Candidate, add, effective_sender, layout_of, meta_of
from nlp.chat import prospect_words_at
from nlp.layout import Layout
from nlp.notices import notice_people
from parsers.patterns import EMAIL, MAILER_LOCAL_PART, PHONE_RUN, PHONE_SHAPED, looks_like_date_or_time
from parsers.regex_start import guard_start
from parsers.structured import is_automated

EMAIL_RE = EMAIL  # the one email pattern (parsers.patterns)
URL_RE = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"')\]]+")
_EMAIL_LABEL = re.compile(r"(?i)^\s*(?:e-?mail|correo(?: electr[óo]nico)?|mail|email address)\s*[:=-]")
#: an email label run into the address at a line's start by HTML flattening ("Emailtbright@…", "E-Mailadresseanna@…"):
#: capitalised as labels are, which the addresses people type are not
_GLUED_EMAIL_LABEL = re.compile(
    r"(?:E-?[Mm]ail(?:-?[Aa]dres(?:se|s)?|[Aa]ddress)?|Correo|Courriel|Mail)(?=[a-z0-9][\w.+-]*@)")
_PHONE_LABEL = re.compile(
    r"(?i)^\s*(?:phone|tel(?:ephone|efon|éfono|efono)?\.?|cell(?:phone)?|mobile|mobil|handy|celular|m[óo]vil|"
    r"whats ?app|contact number|phone number|n[úu]mero|tlf\.?)\b[^:\n]{0,20}[:=-]"
)
_FAX = re.compile(r"(?i)\bfax\b")
#: digits glued to a code's letters: "DV-2026-118734", "AB12345678", "PO/88812345"
_GLUED_CODE = re.compile(r"(?:[^\W\d_][-/]?|[^\W\d_]{2}[-/])\Z")
#: an order, invoice, ticket or stock number right before a digit run (in our languages): not a phone
_REFERENCE = guard_start(re.compile(
    r"(?i)(?:(?<![\w#])#|\b(?:order|r[ée]f(?:erence)?|invoice|ticket|case|stock|vin|po|account|acct|pedido|referencia|"
    r"factura|expediente|bestellung|bestellnummer|auftrag|rechnung|kundennummer|aktenzeichen|encomenda|fatura|"
    r"refer[êe]ncia|protocolo|commande|facture|dossier|ordine|fattura|pratica|bestelling|factuur|klantnummer|"
    r"policy|p[óo]liza|ap[óo]lice|polizza|polis|claim|siniestro|sinistro|schadennummer|tracking|sendungsnummer|"
    r"confirmation|booking|reservation|buchung|serial|mls|permit|nif|cpf|cnpj|dni|contract|contrato|vertrag|"
    r"vertragsnummer|contrat|contratto|quote[ \t]+id|offertenummer|angebotsnummer)\b"
    r"[ \t]*(?:no\.?|nr\.?|n[º°o]\.?|num(?:ber|ero|éro)?\.?|#)?)[ \t]*[:.]?[ \t]*\Z"
))
#: a rep pointing at their own address in a note: "cc me at", "copy me", "my email is", "mir in cc"
_REP_OWN = re.compile(
    r"(?i)(?:\bcc:?[ \t]+me\b|\bcopy[ \t]+me\b|\bloop[ \t]+me[ \t]+in\b|\bmy[ \t]+(?:e-?mail|address)\b|"
    r"\bmich[ \t]+in[ \t]+cc\b|\bmir[ \t]+in[ \t]+kopie\b|\bcópiame\b|\bmi[ \t]+correo\b|"
    r"\bmets-moi[ \t]+en[ \t]+copie\b)"
    r"[^@\n]{0,20}$"
)
#: an address spelled out so that harvesters miss it: "tobias dot wrenfield at gmail dot com",
#: "colm.bv [at] protonmail.com", "lucia.ferrer arroba gmail punto com", "mk AT hotmail DOT com"
_AT_WORDS = r"at|arroba|ät|chez|presso|apenstaart"
_DOT_NAMES = r"dot|punto|punkt|point|ponto|punt"
_SPELLED_AT = (rf"(?:[ \t]*[\[({{<][ \t]*(?:{_AT_WORDS})[ \t]*[\])}}>][ \t]*"
               r"|[ \t]+(?:at|AT|arroba|ARROBA)[ \t]+)")
_SPELLED_DOT = (rf"(?:[ \t]*[\[({{<][ \t]*(?:{_DOT_NAMES})[ \t]*[\])}}>][ \t]*"
                rf"|[ \t]+(?i:{_DOT_NAMES})[ \t]+|\.)")
_SPELLED_PART = r"[\w+-]+"
_SPELLED_EMAIL = re.compile(
    rf"(?<![\w@.+-])(?P<local>{_SPELLED_PART}(?:{_SPELLED_DOT}{_SPELLED_PART})*){_SPELLED_AT}"
    rf"(?P<domain>{_SPELLED_PART}(?:{_SPELLED_DOT}{_SPELLED_PART})*{_SPELLED_DOT}(?P<tld>[a-zA-Z]{{2,10}}))(?![\w@-])"
)
_DOT_WORDS = re.compile(_SPELLED_DOT)
#: a cheap test before the spelled-address pattern runs at all
_SPELLED_HINT = re.compile(
    rf"(?i)[\[({{<][ \t]*(?:{_AT_WORDS})[ \t]*[\])}}>]|[ \t](?:{_DOT_NAMES}|arroba)[ \t]|[ \t]at[ \t]+[\w-]+\.[a-z]")
_VENDORISH_LOCAL = re.compile(r"(?i)^(?:leads?|sales|info|support|service|contact|office|hello|team|admin)$")
_LANG_REGIONS = {"en": ("GB", "IE", "AU"),
                 "de": ("DE", "AT", "CH"), "es": ("ES", "AR", "MX"), "pt": ("BR", "PT"), "fr": ("FR", "BE", "CH"),
                 "it": ("IT", "CH"), "nl": ("NL", "BE")}
#: a chat note has no labels and often no country: numbers valid in these regions are tried last
_CHAT_REGIONS = ("ES", "FR", "IT", "NL", "DE", "BR", "PT", "GB", "MX", "AR")
#: country mentions that add a region to try, one pass over the text ("+1" and "UK" are case-sensitive anyway)
_COUNTRY_REGIONS = re.compile(
    r"(?P<AR>argentin|buenos aires|\+54)|(?P<MX>m[ée]xico|\+52)|(?P<ES>espa[ñn]a|spain|madrid|barcelona|\+34)"
    r"|(?P<DE>deutschland|germany|\+49)|(?P<CA>canada|ontario|qu[ée]bec|\+1)|(?P<GB>united kingdom|\buk\b|london|\+44)"
)

_COUNTRY_KEYS = ("argentin", "buenos aires", "xico", "espa", "spain", "madrid", "barcelona", "deutschland", "germany",
                 "canada", "ontario", "bec", "united kingdom", "uk", "london", "+")


class Contacts:
    def __init__(self, name: str, default_region: str) -> None:
        self.source = f"nlp:{name}"
        self.default_region = default_region.upper()

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        text = layout.text
        self._emails(doc, layout, text)
        self._phones(doc, layout, text)
        for m in URL_RE.finditer(text, *layout.region):
            add(doc, Candidate("website", m.group().rstrip(".,;:!?"), 0.6, self.source, m.start()))
        notice_people(doc)
        return doc

    def _emails(self, doc: Doc, layout: Layout, text: str) -> None:
        signature_start = layout.signature[0].start if layout.signature else layout.region[1]
        for line in layout.lines:
            if "@" not in line.text:
                continue
            for m in EMAIL_RE.finditer(line.text):
                start = line.start + m.start()
                if not layout.in_region(start, line.start + m.end()):
                    continue
                address = m.group().strip(".")
                if (glued := _GLUED_EMAIL_LABEL.match(address)) and not line.text[: m.start()].strip():
                    address = address[glued.end():]  # "Emailtbright@…": a flattened label run into the address
                local = address.split("@", 1)[0]
                if MAILER_LOCAL_PART.search(local):
                    continue
                if _EMAIL_LABEL.match(line.text):
                    confidence = 0.9
                elif start >= signature_start:
                    confidence = 0.75
                else:
                    confidence = 0.7
                if _VENDORISH_LOCAL.match(local):
                    confidence = 0.4
                flags: tuple[str, ...] = ()
                quoted = text[text.rfind("\n", 0, line.start) + 1 : line.start].lstrip().startswith(">")
                if (meta_of(doc).chat and not quoted and _REP_OWN.search(line.text, 0, m.start())
                        and not prospect_words_at(text, start)):
                    # a quoted mail ("> … my email is …") is the prospect speaking, not the rep
                    confidence, flags = 0.2, ("role:staff",)  # "cc me at dan@…": the rep's own address
                add(doc, Candidate("email", address, confidence, self.source, start, flags=flags))
        self._spelled_emails(doc, layout, text)
        _name, sender_email, _subject = effective_sender(doc)
        if sender_email and EMAIL_RE.fullmatch(sender_email):
            local = sender_email.split("@", 1)[0]
            if not MAILER_LOCAL_PART.search(local) and not is_automated(sender_email):  # "forms@…": the mailer's
                confidence = 0.4 if _VENDORISH_LOCAL.match(local) else 0.65
                add(doc, Candidate("email", sender_email, confidence, f"{self.source}.sender"))

    def _spelled_emails(self, doc: Doc, layout: Layout, text: str) -> None:
        """An address written with "at"/"dot" words or brackets ("tobias dot wrenfield at gmail dot com"). A bare
        " at " counts only when something else is spelled or the local part is not a plain word ("Priya at
        acme.com" is a person at a firm); the address is written back with "@" and "."."""
        r0, r1 = layout.region
        if not _SPELLED_HINT.search(text, r0, r1):
            return
        pos = r0
        while (m := _SPELLED_EMAIL.search(text, pos, r1)) is not None:
            pos = m.start("domain")  # "reach me at colm.bv [at] proton…": the domain may be the next local part
            whole = m.group()
            if m["tld"].casefold() in {"at", "dot"}:
                continue
            bracketed = any(c in whole for c in "[({<")
            spelled_dot = bool(re.search(rf"(?i)[ \t](?:{_DOT_NAMES})[ \t]", whole))
            local = _DOT_WORDS.sub(".", m["local"])
            if not (bracketed or spelled_dot or any(c in local for c in "._+-") or any(c.isdigit() for c in local)):
                continue
            pos = m.end()
            address = f"{local}@{_DOT_WORDS.sub('.', m['domain'])}".casefold()
            if not EMAIL_RE.fullmatch(address) or MAILER_LOCAL_PART.search(local):
                continue
            line_start = text.rfind("\n", 0, m.start()) + 1
            confidence = 0.9 if _EMAIL_LABEL.match(text, line_start) else 0.7
            add(doc, Candidate("email", address, confidence, f"{self.source}.spelled", m.start()))

    def _regions(self, layout: Layout, text: str, chat: bool = False) -> list[str]:
        regions = [self.default_region]
        extra: list[str] = list(_LANG_REGIONS.get(layout.lang, ()))
        low = text.lower()
        if any(key in low for key in _COUNTRY_KEYS):  # a word or code each country's branch spells: most texts none
            extra.extend(dict.fromkeys(m.lastgroup for m in _COUNTRY_REGIONS.finditer(low) if m.lastgroup))
        if chat:
            extra.extend(_CHAT_REGIONS)
        for region in extra:
            if region not in regions:
                regions.append(region)
        return regions

    def _phones(self, doc: Doc, layout: Layout, text: str) -> None:
        r0, r1 = layout.region
        taken: list[tuple[int, int]] = []
        regions: list[str] | None = None
        # PhoneNumberMatcher is thorough but slow over prose: give it only digit runs that could be numbers
        for run in _runs(text, r0, r1):
            if sum(c.isdigit() for c in run.group()) < 7 or looks_like_date_or_time(run.group()):
                continue
            if _REFERENCE.search(text, max(r0, run.start() - 30), run.start()) or _GLUED_CODE.search(
                    text, max(r0, run.start() - 3), run.start()):
                continue  # "Order #5035550144", "Referencia: 61234567", "DV-2026-118734": a reference, not a line
            if regions is None:
                regions = self._regions(layout, text[r0:r1], meta_of(doc).chat)
            for region in regions:
                found = list(phonenumbers.PhoneNumberMatcher(run.group(), region,
                                                             leniency=phonenumbers.Leniency.VALID))
                for m in found:
                    start = run.start() + m.start
                    taken.append((start, start + len(m.raw_string)))
                    self._add_phone(doc, layout, text, m.raw_string, start, start + len(m.raw_string), ())
                if found:
                    break
        if (meta_of(doc).chat or not taken) and self.default_region in _NANP:
            # a mail without any full number: a partner's prose says the local one ("call Raj at 555-0186")
            self._local_numbers(doc, layout, text, taken, prose_only=not meta_of(doc).chat)
        # labelled lines whose number did not validate: kept, flagged; so is a line of a contact block that is
        # nothing but a number ("07700 900461" below a name and an address: a range kept for fiction or new)
        for line in layout.lines:
            if any(line.start <= s < line.end for s, _ in taken):
                continue
            if not _PHONE_LABEL.match(line.text):
                if PHONE_SHAPED.match(line.text) and not looks_like_date_or_time(line.text):
                    self._lone_number(doc, layout, text, line.start, line.text, regions)
                continue
            for m in phonenumbers.PhoneNumberMatcher(line.text, self.default_region,
                                                     leniency=phonenumbers.Leniency.POSSIBLE):
                start = line.start + m.start
                self._add_phone(doc, layout, text, m.raw_string, start, start + len(m.raw_string),
                                ("invalid_phone",))
                break

    def _lone_number(self, doc: Doc, layout: Layout, text: str, start: int, line: str,
                     regions: list[str] | None) -> None:
        """A line that is only a number, possible (not valid) where the message may be from: kept, flagged."""
        number = line.strip()
        if sum(ch.isdigit() for ch in number) < 9:
            return
        for region in regions or self._regions(layout, text[layout.region[0]:layout.region[1]]):
            if phonenumbers.is_possible_number_string(number, region):
                at = start + line.index(number)
                self._add_phone(doc, layout, text, number, at, at + len(number), ("invalid_phone",))
                return

    def _local_numbers(self, doc: Doc, layout: Layout, text: str, taken: list[tuple[int, int]], *,
                       prose_only: bool = False) -> None:
        """ "555-0148" in a rep's note: a seven-digit local number (the area code left out, as people say a
        number in North America) is the lead's phone, weaker than any full number; never part of a longer run,
        a date, or a reference ("order 555-0148")."""
        r0, r1 = layout.region
        for m in _LOCAL_NUMBER.finditer(text, r0, r1):
            if any(s <= m.start() < e for s, e in taken) or _REFERENCE.search(
                    text, max(r0, m.start() - 30), m.start()) or _GLUED_CODE.search(text, max(r0, m.start() - 3),
                                                                                    m.start()):
                continue
            if not phonenumbers.is_possible_number_string(m.group(), self.default_region):
                continue
            if prose_only and _PHONE_LABEL.match(text, text.rfind("\n", 0, m.start()) + 1):
                continue  # a mail's labelled line keeps its own reading (kept, flagged invalid)
            self._add_phone(doc, layout, text, m.group(), m.start(), m.end(), ("local_number",))

    def _add_phone(self, doc: Doc, layout: Layout, text: str, raw: str, start: int, end: int,
                   flags: tuple[str, ...]) -> None:
        if not layout.in_region(start, end) or _inside_email(start, text, layout):
            return
        line_start = text.rfind("\n", 0, start) + 1
        before = text[line_start:start]
        if _FAX.search(before[-25:]):
            return
        labelled = bool(_PHONE_LABEL.match(text[line_start:end]))
        confidence = 0.9 if labelled else 0.75
        if "local_number" in flags:
            confidence = 0.7 if labelled else 0.6
        elif flags:
            confidence = 0.5
        value = raw.strip()
        if value.count("(") != value.count(")"):
            value = value.strip("()")  # "(480-555-0163) …" cut inside the brackets
        add(doc, Candidate("phone", value, confidence, self.source, start, flags=flags))


#: North American regions, where a number said without its area code is seven digits ("555-0148")
_NANP = frozenset({"US", "CA"})
#: (also in brackets of its own after a word: "via text (555-0128)")
_LOCAL_NUMBER = guard_start(re.compile(
    r"(?:(?<![\w+(./-])|(?<=[\s:,]\()(?=[\d. -]{8}\)))(?<!\d[ \t])[2-9]\d\d[-. ]\d{4}(?![\w/-]|[.,]\d|[ \t]\d)"))
#: a sentence end inside a digit run ("the F-250. 405-555-0181"): no number goes on past it
_SENTENCE_END = re.compile(r"\.[ \t]+")


def _runs(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The digit runs that may hold a phone number, cut at sentence ends."""
    out: list[re.Match[str]] = []
    for run in PHONE_RUN.finditer(text, start, end):
        cut = _SENTENCE_END.search(run.group())
        if cut is None:
            out.append(run)
            continue
        pos = run.start()
        for piece in _SENTENCE_END.split(run.group()):
            m = PHONE_RUN.match(text, pos, pos + len(piece))
            if m is not None:
                out.append(m)
            pos += len(piece)
            gap = _SENTENCE_END.match(text, pos)
            pos = gap.end() if gap else pos
    return out


def _inside_email(pos: int, text: str, layout: Layout) -> bool:
    """Whether ``pos`` is inside an email address (digits of "jamie1985@…" are no phone)."""
    at = text.find("@", max(layout.region[0], pos - 80), min(layout.region[1], pos + 80))
    if at < 0:
        return False
    return any(m.start() <= pos < m.end() for m in EMAIL_RE.finditer(text, max(0, pos - 80), pos + 80))


@Language.factory("leadbot_contacts", default_config={"default_region": "US"})
def make_contacts(nlp: Language, name: str, default_region: str) -> Contacts:
    return Contacts(name, default_region)
