"""Component ``leadbot_names``: the prospect's name.

Readings, strongest first: a "Name:" line; a self-introduction ("my name is X", "I'm X", "ich heiße X",
"me llamo X"); the signature below a sign-off ("Thanks,\\nJamie Driver", "Mit freundlichen Grüßen",
"Saludos"); the From display name; the email's local part ("jamie.driver@" → Jamie Driver when "jamie" is
a known first name). Weak triggers ("I'm", "this is", "soy", "ich bin") and lone lines count only when the
first word is in the first-name gazetteer (``nlp.lexicon.first_names``).

Never the lead: a name in the greeting (that is the recipient), and in a forward the forwarder (the outer
From and everything above the marker are outside the layout's region).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from nlp.candidates import PERSON, Candidate, add, candidates_of, effective_sender, layout_of, meta_of
from nlp.chat import prospect_voice
from nlp.email_names import agrees_with_email, fold, spelled_by_email
from nlp.handed_on import referred_names
from nlp.layout import Layout, Line
from nlp.lexicon import is_first_name, is_free_mail, is_surname, legal_suffix_re, not_names, stop_words
from nlp.name_parts import (
    bracketed,
    caller_id_order,
    completed_surname,
    given_first_names,
    initial_before,
    inverted_at,
    inverted_names,
    lower_after_cue,
)
from nlp.note_people import (
    after_place,
    contact_follows,
    couple_head,
    first_names_of_firms,
    gazetteer_order,
    nickname_surname,
    place_not_person,
    possessor,
    without_shouted_head,
)
from nlp.our_side import role_after, works_on_lead
from nlp.prose import (
    NOTE_WORDS,
    PARTICLES,
    ProseName,
    confidence_of,
    first_after_comma,
    org_word,
    org_words,
    prose_names,
    role_before,
    title_re,
    written,
)
from nlp.referrals import passed_on
from parsers.keywords import may_match
from parsers.patterns import EMAIL
from parsers.regex_start import guard_start

_UP = "A-ZÄÖÜÁÉÍÓÚÑÇÀÈÌÒÙÂÊÎÔÛËÏØÅ"
_WORD = rf"[{_UP}][\w'’-]*\.?"
_PARTICLE = r"(?:von|van|de|del|della|der|den|la|le|da|di|dos|das|du|y|zu|ter|ten|vom|['’]t)"
NAME = rf"{_WORD}(?:[ \t]+(?:{_PARTICLE}[ \t]+)*{_WORD}){{0,3}}"
_TITLE = r"(?:Dr|Mr|Mrs|Ms|Miss|Prof|Herr|Frau|Sr|Sra|Srta|Don|Doña|Ing|Lic)\.?"
#: the salutations a contact block's name line may open with besides the titles ("Mevrouw", "De heer", "Sig.ra", "Mme")
_LINE_TITLE = (rf"(?:{_TITLE}|(?i:mevrouw|mevr\.|meneer|de heer|dhr\.|sig\.ra|sig\.|signora|signor|dott\.(?:ssa)?|"
               r"mme|mlle|m\.))")
_NAME_LINE = re.compile(rf"^\s*(?:{_LINE_TITLE}\s+)?(?P<name>{NAME})\s*[,.]?\s*$")
_LABEL = re.compile(
    r"(?im)(?:^\s*|(?<=[.!?][ \t]))(?P<key>name|full name|your name|contact name|customer name|contact|kunde|"
    r"kundenname|ihr name|vor- und nachname|nombre(?: completo)?|nombre y apellidos?|su nombre|first name|"
    r"given name|vorname|last name|surname|family name|nachname|apellidos?|who|caller(?: id)?(?: name)?|cnam|"
    r"client|customer|prospect|lead|cliente|kundin|interessent(?:in)?|nome(?: completo)?|nom(?: complet)?|naam|"
    r"nominativo|klant|contacto|contato|"
    r"prénom|voornaam|cognome|achternaam|sobrenome)\s*[:=]\s*(?P<value>[^\n]{1,60}?)(?:$|(?=[,(|–—]|\s-\s))"
)
_FIRST_KEYS = frozenset({"first name", "given name", "vorname", "prénom", "voornaam"})
_LAST_KEYS = frozenset({"last name", "surname", "family name", "nachname", "apellido", "apellidos", "cognome",
                        "achternaam", "sobrenome"})
#: "Desmond Achterberg, IT manager @ Fennwick": the name ends where the role or firm begins
_VALUE_TAIL = re.compile(r"\s*(?:[,(|–—]|\s-\s|\s@\s|\s/\s).*$")
_STRONG_INTRO = guard_start(re.compile(
    rf"(?:(?i:my name is|my name's|mein name ist|ich heiße|ich heisse|me llamo|mi nombre es)\s+)"
    rf"(?:{_TITLE}\s+)?(?P<name>{NAME})"
))
_WEAK_INTRO = guard_start(re.compile(
    rf"(?:\b(?i:i'm|i’m|i am|this is|ich bin|hier ist|hier spricht|soy|les escribe|le escribe)\s+)"
    rf"(?:{_TITLE}\s+)?(?P<name>{NAME})"
))
#: words one of which each match of the intro patterns spells (``parsers.keywords.may_match`` looks first)
_INTRO_KEYS = {True: ("my name", "mein name", "ich hei", "me llamo", "mi nombre"),
               False: ("i'm", "i’m", "i am", "this is", "ich bin", "hier ist", "hier spricht", "soy", "escribe")}
#: a portal's line about the lead: "Dana Whitfield says:", "Raúl Benítez sent you a new request"
_NOTIFICATION = re.compile(
    rf"(?m)^[ \t\"“]*(?P<name>{NAME})[ \t]+(?i:says:|said:|wrote:|writes:|sent you|has sent you|is requesting|"
    rf"requested|wants|is looking for|is interested in|would like|has a question|asked|has asked|"
    rf"hat (?:eine|ihnen|dir)|interessiert sich|ha enviado|te ha enviado|le ha enviado|est[aá] interesad[oa]|"
    rf"quiere|pregunta)"
)
_STOP_WORDS = frozenset(
    [
        "from", "at", "with", "and", "und", "y", "de", "of", "for", "in", "the", "i", "my", "ich", "and",
        "bei", "von", "der", "die", "das", "aus", "für", "para", "con", "en", "el", "la", "looking",
        "interested", "interesado", "interesada"
    ]
)
_VIA = re.compile(r"\s+(?:via|through|über|por medio de)\s+.*$|\s*[(\[].*?[)\]]\s*", re.IGNORECASE)
_LOCAL_SPLIT = re.compile(r"[._-]")
_DIGIT_RUNS = re.compile(r"\+?\(?\d[\d \t().\-/]{5,}\d")


class Names:
    def __init__(self, name: str) -> None:
        self.source = f"nlp:{name}"

    def __call__(self, doc: Doc) -> Doc:
        layout = layout_of(doc)
        text = layout.text
        self._labels(doc, layout, text)
        self._introductions(doc, layout, text)
        self._signature(doc, layout)
        self._contact_block(doc, layout)
        chat = meta_of(doc).chat
        if chat:
            _routed_to_staff(doc, text)
        emails = [c.value for c in candidates_of(doc) if c.field == "email"]
        if chat:
            self._prose(doc, layout, text, emails)
        referred = sorted({*referred_names(text, *layout.body), *passed_on(text, *layout.body)}, key=lambda r: r[1])
        if chat and referred:
            self._referrer_is_partner(doc, text, referred[0][1])
        for referred_name, start, _end in referred:
            # "referral from our customer Dale Pickett: …": the one who refers is a partner, not the lead
            role = role_before(text, start)
            flags = (f"role:{role}",) if role else ()
            add(doc, Candidate(PERSON, referred_name, 0.9, f"{self.source}.referred", start, flags=flags))
        sender_name, sender_email, _subject = effective_sender(doc)
        if sender_name and (name := clean_display_name(sender_name)) and not relay_sender(name, sender_email):
            confidence = 0.7 if is_first_name(name.split()[0]) else 0.5
            if len(name.split()) == 1:
                confidence -= 0.15
            add(doc, Candidate(PERSON, name, confidence, f"{self.source}.sender"))
        for candidate in list(candidates_of(doc)):
            if candidate.field != "email" or any(f.startswith("role:") for f in candidate.flags):
                continue
            if name := name_from_email(candidate.value):
                if chat and " " in name:  # "Fitzgerald, Orla … orla.fitz@": the note writes the surname out
                    name = f"{name.split()[0]} {written_out(name.split()[1], layout.text)}"
                confidence = 0.45 if " " in name else 0.3
                if chat and " " in name:
                    confidence = 0.55  # a note that names nobody: "priya.raman@…" spells the lead's name
                add(doc, Candidate(PERSON, name, confidence, f"{self.source}.email", candidate.start))
            elif chat and (name := name_from_private_email(candidate.value)):
                # "obadiah.kettleworth@gmail.com asked about …": a private address spells a name the
                # gazetteers do not know; the weakest reading, for a note that names nobody else
                add(doc, Candidate(PERSON, name, 0.5, f"{self.source}.email", candidate.start))
        if referred and not chat:
            self._writer_is_partner(doc, layout, {r[0].casefold() for r in referred})
        return doc

    def _referrer_is_partner(self, doc: Doc, text: str, referred_at: int) -> None:
        """ "Sheila at Brightpath Realty, her buyer Tomasz Nowicki …": a person named just before the one they
        pass on, in the same sentence, is the partner (their firm and phone follow them, see ``others_apart``)."""
        sentence = max(text.rfind(". ", 0, referred_at), text.rfind("\n", 0, referred_at), referred_at - 120)
        found = candidates_of(doc)
        for i, c in enumerate(found):
            if c.field == PERSON and sentence < c.start < referred_at and not any(
                    f.startswith("role:") for f in c.flags):
                found[i] = dataclasses.replace(c, flags=(*c.flags, "role:partner"))

    def _writer_is_partner(self, doc: Doc, layout: Layout, leads: set[str]) -> None:
        """The writer passed a client's lead on: their From, sign-off, signature phone and email are a
        partner's (kept with ``role:partner``, too weak to be chosen)."""
        doc._.leadbot_meta = dataclasses.replace(meta_of(doc), referred=True)
        signature = layout.signoff[0] if layout.signoff else (
            layout.signature[0].start if layout.signature else layout.region[1])
        found = candidates_of(doc)
        for i, c in enumerate(found):
            if c.field not in {PERSON, "email", "phone"} or c.value.casefold() in leads:
                continue
            if c.start < 0 or c.start >= signature:
                found[i] = dataclasses.replace(c, confidence=0.2, flags=(*c.flags, "role:partner"))

    def _prose(self, doc: Doc, layout: Layout, text: str, emails: list[str]) -> None:
        """A chat note's people: after cue words, titles, at a list item's head, or shaped like a name;
        agreement with an email's local part is evidence, a role cue ("our partner Jake") says not the lead.
        Two words that an email's local part spells ("jen kowalczyk" for jkowalczyk@) name a person even
        without a cue or capitals."""
        agreed = False
        people = [_second_look(text, found) for found in prose_names(text, *layout.region)
                  if not place_not_person(text, found.name, found.start, found.end)
                  and not legal_suffix_re().search(text, found.start, found.end + 1)]  # "Ortiz S.L.": a firm
        read_at = {found.start for found in people}
        for first, start, end in first_names_of_firms(text, *layout.region):
            if start not in read_at:  # "Mateo from Blue Heron (the cafe on 5th) wants …"
                role = role_before(text, start) or role_after(text, start, end)
                people.append(ProseName(first, start, end, ("cue",), role))
        for found in people:
            if layout.in_greeting(found.start, found.end) and "cue" not in found.evidence:
                continue  # "hey can someone grab this? guy's name is …": a cue's name is no one greeted
            confidence = confidence_of(found)
            if _completes(text, found, people):
                # "Mrs Holloway … Denise Holloway": the full name of someone a title names by surname alone
                surname = found.name.split()[-1].casefold()
                confidence = max(confidence, *(confidence_of(p) + 0.05 for p in people
                                               if p.name.casefold() == surname))
            flags: tuple[str, ...] = ()
            if any(agrees_with_email(found.name, e) for e in emails):
                confidence = min(0.95, confidence + 0.2)
                flags = ("agrees_email",)
                agreed = agreed or not found.role
            if found.role:
                flags = (*flags, f"role:{found.role}")
            elif works_on_lead(text, found.end):
                confidence = min(confidence, 0.2)  # "Greg Lin to call", "Tom took the call: 555-…": a colleague
            add(doc, Candidate(PERSON, found.name, confidence, f"{self.source}.prose", found.start, flags=flags))
            if nicknamed := nickname_surname(text, found.end):
                # 'Robert "Bobby" Kowalski': the reading stopped at the quote; the surname after it completes it
                add(doc, Candidate(PERSON, f"{found.name} {nicknamed[0]}", min(0.95, confidence + 0.1),
                                   f"{self.source}.prose", found.start, flags=flags))
                continue
            if " " not in found.name and not found.role and (full := completed_by_email(found.name, emails, text)):
                # "a chat w/ Beverly … bev.lindholm@…": the email gives the surname the note left out
                agreed = True
                add(doc, Candidate(PERSON, full, min(0.9, confidence + 0.1), f"{self.source}.prose", found.start,
                                   flags=("agrees_email",)))
        agreed = self._parts(doc, layout, people, emails) or agreed
        if not agreed:
            for name, start in spelled_by_email(text, *layout.region, emails):
                if not layout.in_greeting(start, start + len(name)):
                    add(doc, Candidate(PERSON, name, 0.7, f"{self.source}.prose", start, flags=("agrees_email",)))

    def _parts(self, doc: Doc, layout: Layout, people: list[ProseName], emails: list[str]) -> bool:
        """A person the note writes in parts: a titled surname with the first name given apart or spelled by the
        email ("Herr Lindemann (Vorname Tobias)"), a surname before the first name ("Haverbrook, Imogen – …").
        Whether any of them agrees with an email."""
        text, (r0, r1) = layout.text, layout.region
        agreed = False
        given = given_first_names(text, r0, r1)
        for found in people:
            if " " in found.name or found.role or layout.in_greeting(found.start, found.end):
                continue
            surname = "title" in found.evidence or not is_first_name(found.name) or is_surname(found.name)
            full = bracketed(text, found.name, found.end, "title" in found.evidence) or (surname and (
                completed_surname(found.name, found.start, given, emails) or inverted_at(text, found.start) or
                initial_before(text, found.start, found.name)))
            if full:
                # "Herr Lindemann (Vorname Tobias)", "it was Fitzgerald, Orla", "J. Whitcombe rang"
                agrees = any(agrees_with_email(full, e) for e in emails)
                agreed = agreed or agrees
                add(doc, Candidate(PERSON, full, 0.97, f"{self.source}.prose", found.start,
                                   flags=("agrees_email",) if agrees else ()))
        lower_note = not any(c.isupper() for c in text[r0:r1])
        # a capitalised note whose cue already gave a full name needs no lower-case reading (and its pass)
        cued = not lower_note and any("cue" in p.evidence and " " in p.name and not p.role for p in people)
        for full, start in () if cued else lower_after_cue(text, r0, r1):
            if not lower_note and not (text[start : start + len(full)].islower() and is_first_name(full.split()[0])):
                continue  # a capitalised note: only a known first name typed in lower case ("spoke to margaret …")
            # the weakest reading: only a note that names nobody the gazetteers know falls back on it
            agrees = any(agrees_with_email(full, e) for e in emails)
            agreed = agreed or agrees
            add(doc, Candidate(PERSON, full, 0.7 if agrees else 0.5 if lower_note else 0.55, f"{self.source}.prose",
                               start, flags=("agrees_email",) if agrees else ()))
        for full, start in inverted_names(text, r0, r1):
            if layout.in_greeting(start, start + len(full)):
                continue
            agrees = any(agrees_with_email(full, e) for e in emails)
            agreed = agreed or agrees
            add(doc, Candidate(PERSON, full, 0.95 if agrees else 0.85, f"{self.source}.prose", start,
                               flags=("agrees_email",) if agrees else ()))
        return agreed

    def _labels(self, doc: Doc, layout: Layout, text: str) -> None:
        first: tuple[str, int] | None = None
        last: tuple[str, int] | None = None
        for m in _LABEL.finditer(text, *layout.body):
            key, value = m["key"].lower(), _VALUE_TAIL.sub("", m["value"]).strip()
            if title := title_re().match(value):
                value = value[title.end() :]  # "Cliente: D. José Luis Carrasco", "Kunde: Hr. Oliver Brückner"
            name = clean_name(value)
            if not name or not name_shaped(name):
                continue  # "Caller: hi this is Norah …": a transcript line, not a name
            if " " not in name and (inverted := first_after_comma(text, m.end("value"), m["value"].strip())):
                name = f"{inverted[0].capitalize()} {name}"  # "Caller: MCALLISTER, DEREK - 614-…"
            elif " " not in name and (turned := inverted_at(text, m.start("value"))):
                # "Cliente: D'Angelo, Vittoria - 333 …"; the surname alone stays a weaker reading (a firm that
                # repeats it is hers: "Haverbrook, Imogen … imogen@haverbrookstudio…")
                add(doc, Candidate(PERSON, name, 0.7, self.source, m.start("value")))
                name = turned
            if name.islower():  # "Prospect: aurelio santangelo, …"
                name = " ".join(w if w in PARTICLES else w.capitalize() for w in name.split())
            if key.startswith(("caller", "cnam")) and m["value"].strip().isupper() and len(name.split()) == 2:
                name = caller_id_order(name)  # "Caller ID: WALSH BRENDAN": a carrier may write the surname first
            if key in _FIRST_KEYS:
                first = (name, m.start("value"))
            elif key in _LAST_KEYS:
                last = (name, m.start("value"))
            elif key != "nombre" or " " in name or is_first_name(name):
                add(doc, Candidate(PERSON, name, 0.9, self.source, m.start("value")))
        if first or last:
            full = " ".join(p[0] for p in (first, last) if p)
            start = min(p[1] for p in (first, last) if p)
            add(doc, Candidate(PERSON, full, 0.9, self.source, start))

    def _introductions(self, doc: Doc, layout: Layout, text: str) -> None:
        r0, r1 = layout.region
        for m in _NOTIFICATION.finditer(text, r0, r1):
            name = clean_name(m["name"])
            if not name or len(name.split()) < 2 or layout.in_greeting(m.start("name"), m.end("name")):
                continue
            known = is_first_name(name.split()[0])
            add(doc, Candidate(PERSON, name, 0.8 if known else 0.7, self.source, m.start("name")))
        for pattern, strong in ((_STRONG_INTRO, True), (_WEAK_INTRO, False)):
            if not may_match(text, _INTRO_KEYS[strong]):
                continue
            for m in pattern.finditer(text, r0, r1):
                if layout.in_greeting(m.start("name"), m.end("name")):
                    continue
                name = clean_name(m["name"])
                if not name:
                    continue
                known = is_first_name(name.split()[0])
                if not strong and not known:
                    continue
                add(doc, Candidate(PERSON, name, 0.85 if strong else 0.8, self.source, m.start("name")))

    def _contact_block(self, doc: Doc, layout: Layout) -> None:
        """A line that is only a name, right above a line with an email or a phone ("Ignatius Oyelaran" /
        "ignatius.o@…" / "(404) 555-0162"): the name of whoever those are; an email that spells it agrees."""
        lines = layout.lines
        for i, (line, below) in enumerate(itertools.pairwise(lines)):
            if below.start - line.end > 2 or layout.in_greeting(line.start, line.end):
                continue  # a blank line between: no longer one block
            m = _NAME_LINE.match(line.text)
            if not m or not (name := clean_name(m["name"])) or len(name.split()) < 2 or not name_shaped(name):
                continue
            if any(org_word(w.casefold()) for w in name.split()):
                continue  # "Tolliver Farms" above the farm's number: the firm's line of a signature
            # "Herr Felix Ramadani" / "Bonner Straße 12a" / "53173 Bonn" / "Telefon: …": up to two address lines
            # (each with a number) may stand between the name and its phone or email, in one block
            email = _contact_below(lines, i + 1)
            if email is None:
                continue
            confidence = 0.6 if is_first_name(name.split()[0]) else 0.5
            flags: tuple[str, ...] = ()
            if email and agrees_with_email(name, email):
                confidence, flags = confidence + 0.2, ("agrees_email",)
            add(doc, Candidate(PERSON, name, confidence, f"{self.source}.block", line.start, flags=flags))

    def _signature(self, doc: Doc, layout: Layout) -> None:
        # a chat note written about the lead ("New lead … wants a quote. Thanks, Dana") is signed by the rep
        flags = ("role:staff",) if _rep_signs(doc, layout) else ()
        if layout.signoff_name and (name := clean_name(layout.signoff_name)):
            known = is_first_name(name.split()[0])
            start = layout.signoff[0] if layout.signoff else -1
            add(doc, Candidate(PERSON, name, 0.8 if known else 0.55, self.source, start, flags=flags))
            return
        lines = list(layout.signature)
        lone = False
        if not lines and not layout.signoff and len(layout.lines) > 1:
            # no sign-off phrase: a last line that is only a known first name (+ surname) still signs
            lines, lone = [layout.lines[-1]], True
        for line in lines[:2]:
            m = _NAME_LINE.match(line.text)
            if not m or not (name := clean_name(m["name"])):
                continue
            known = is_first_name(name.split()[0])
            if lone and not known:
                return
            words = len(name.split())
            confidence = 0.8 if known else (0.6 if words >= 2 else 0.45)
            add(doc, Candidate(PERSON, name, confidence - (0.25 if lone else 0), self.source, line.start,
                               flags=flags))
            return


def _rep_signs(doc: Doc, layout: Layout) -> bool:
    """Whether a chat note's sign-off is the rep's: a note written about the lead ("New lead … wants a quote.
    Thanks, Dana"), not a mail or a quote block of the prospect's pasted into it."""
    if not meta_of(doc).chat or layout.forwarded:
        return False
    text = layout.text
    end = layout.signoff[0] if layout.signoff else (layout.signature[0].start if layout.signature else -1)
    if end < 0 or text[text.rfind("\n", 0, end) + 1 : end].lstrip().startswith(">"):
        return False  # "> Best,\n> Haruto Sato": the quoted prospect signs
    return not prospect_voice(text[layout.body[0] : layout.body[1]])


def _routed_to_staff(doc: Doc, text: str) -> None:
    """An email a note routes the lead to ("Routing to stu.marsh@…", "Questions to me: dana@…", "assigned:
    sara.k@…"; the staff cues of ``patterns/role_cues.txt``) is a colleague's, never the lead's."""
    found = candidates_of(doc)
    for i, c in enumerate(found):
        if c.field == "email" and c.start > 0 and not any(f.startswith("role:") for f in c.flags) and (
                role_before(text, c.start) == "staff"):
            found[i] = dataclasses.replace(c, confidence=0.2, flags=(*c.flags, "role:staff"))


def _second_look(text: str, found: ProseName) -> ProseName:
    """The reading without a city and region run into it ("Savannah GA Cordelia Banks"), and in the gazetteers'
    order when a caller-ID wrote it surname first ("WALSH BRENDAN")."""
    if person := after_place(text, found.name, found.start, found.end) or without_shouted_head(
            text, found.name, found.start, found.end) or couple_head(text, found.name, found.start):
        found = dataclasses.replace(found, name=person[0], start=person[1])
    if found.evidence == ("shape",) and " " in found.name and is_surname(found.name.split()[-1]) and contact_follows(
            text, found.start, found.end):
        found = dataclasses.replace(found, evidence=("list_item",))  # "- Priyanka Sethi 555-0127 wants …"
    if owner := possessor(text, found.name, found.end):
        # "Jill Moore's house": Jill Moore; "(Greg Lin's territory)": a colleague's
        found = dataclasses.replace(found, name=owner[0], end=owner[1], role=found.role or owner[2])
    turned = gazetteer_order(found.name, text, found.start, found.end)
    return dataclasses.replace(found, name=turned) if turned else found


def _completes(text: str, found: ProseName, people: list[ProseName]) -> bool:
    """Whether ``found`` is a full name whose surname another reading gave alone, after a title."""
    words = found.name.split()
    if text[found.start - 1 : found.start] == "(" and not is_first_name(words[0]):
        return False  # "Herr Yilmaz (Autohaus Yilmaz)": a firm named after him, not his full name
    return 2 <= len(words) <= 4 and not found.role and any(
        p.name.casefold() == words[-1].casefold() and "title" in p.evidence and not p.role for p in people)


def name_shaped(name: str) -> bool:
    """At most four words besides particles, none of them a function or note word ("hi", "this", "wants")."""
    words = [w for w in name.split() if w.casefold() not in PARTICLES]
    return 0 < len(words) <= 4 and not any(
        (w.casefold() in NOTE_WORDS or w.casefold() in stop_words()) and not (is_first_name(w) or is_surname(w))
        for w in words)


def clean_name(raw: str) -> str | None:
    """A person's name from a matched phrase, or None when it is not one (team, company, sentence)."""
    raw = raw.strip(" \t,.;:!\"'")
    if not raw or any(c.isdigit() for c in raw) or "@" in raw or legal_suffix_re().search(raw):
        return None
    words: list[str] = []
    tokens = raw.split()
    for i, word in enumerate(tokens):
        bare = word if word in {"'t", "’t"} else word.strip(".,'’")  # "van 't Hoff" keeps its particle
        if bare.lower() in _STOP_WORDS and words and not (
                bare.lower() in PARTICLES and i + 1 < len(tokens) and tokens[-1][:1].isupper()):
            break  # "Jörg van der Heyden": a particle before a capitalised surname is part of the name
        if bare.lower() in not_names():
            return None
        words.append(bare.title() if bare.isupper() and len(bare) > 2 else bare)  # "ADEYEMI-FOX": "Adeyemi-Fox"
    if not words or sum(w.lower() not in PARTICLES for w in words) > 4 or words[0].lower() in _STOP_WORDS:
        return None
    return " ".join(words)


def clean_display_name(display: str) -> str | None:
    """A From display name as a person's name: "Driver, Jamie" → "Jamie Driver"; "Cars.com Leads" → None."""
    display = _VIA.sub("", display.strip(" \"'")).strip()
    if "," in display:
        last, _, first = display.partition(",")
        display = f"{first.strip()} {last.strip()}"
    if not display or "." in display.replace(". ", " ").rstrip("."):
        return None  # "Cars.com" is a site
    if display.islower() or display.isupper():
        display = display.title()
    if not re.fullmatch(rf"(?:{_TITLE}\s+)?{NAME}", display):
        return None
    return clean_name(re.sub(rf"^{_TITLE}\s+", "", display))


_BRAND = re.compile(r"[A-Z][a-z]{3,}[A-Z][a-z]")  # "AutoBrasil", "ImmoFinder" (not "McDonald", "MacArthur")
_ROLE_MAILBOX = re.compile(
    r"(?i)^(?:no-?reply|do-?not-?reply|leads?|sales|info|support|service|contact|kontakt|contato|contacto|office|"
    r"hello|team|admin|avisos?|alerts?|notifications?|notificaciones|anfragen?|mailer|system|portal|webmaster|"
    r"inquiries|enquiries|requests?|mail|news|bounce)\b"
)


def relay_sender(display: str, address: str | None) -> bool:
    """Whether a From display name is a mailer's or portal's ("Portal AutoBrasil", "ImmoFinder Kontakt" from
    kontakt@…) rather than a person's: a brand-shaped word, or a role mailbox whose local part it does not spell."""
    if _BRAND.search(display) or any(w.casefold() in org_words() for w in display.split()):
        return True
    if address and _ROLE_MAILBOX.match(address.split("@", 1)[0]):
        return not agrees_with_email(display, address)
    return False


def written_out(part: str, text: str) -> str:
    """The capitalised word of ``text`` that an email's local part shortens ("Fitzgerald" for "fitz"), else the
    part capitalised."""
    longer = re.search(rf"(?<![\w@.]){re.escape(part)}[^\W\d_]+(?![\w@.])", text, re.IGNORECASE) if text else None
    return longer.group() if longer and longer.group()[0].isupper() else written(part)


def completed_by_email(first: str, emails: list[str], text: str = "") -> str | None:
    """ "Beverly" + bev.lindholm@ → "Beverly Lindholm": a first name the local part starts with (or its initial),
    then a surname-shaped second part; a capitalised word of ``text`` that the part shortens ("Fitzgerald" for
    orla.fitz@) is the surname written out."""
    for address in emails:
        parts = _local_parts(address.split("@", 1)[0])
        if len(parts) != 2 or not all(p.replace("-", "").isalpha() for p in parts) or len(parts[1]) < 3:
            continue
        head, surname = fold(parts[0]), parts[1]
        if fold(surname) == fold(first) or surname.casefold() in not_names():
            continue
        if (len(head) >= 2 and fold(first).startswith(head)) or head == fold(first)[:1]:
            return f"{first} {written_out(surname, text)}"
    return None


_TRAILING_DIGITS = re.compile(r"[._-]?\d+$")


def _local_parts(local: str) -> list[str]:
    """The words of an email's local part, a hyphenated surname after a dot kept whole: "kwabena.owusu-ansah"
    → ["kwabena", "owusu-ansah"]."""
    head, dot, rest = local.partition(".")
    if dot and "-" in rest and rest.count("-") == 1 and all(len(p) >= 3 and p.isalpha() for p in rest.split("-")):
        return [head, rest]
    return [p for p in _LOCAL_SPLIT.split(local) if p]


def name_from_email(address: str) -> str | None:
    """ "jamie.driver@x" → "Jamie Driver", "jamie@x" → "Jamie", when the first part is a known first name."""
    local = _TRAILING_DIGITS.sub("", address.split("@", 1)[0])  # "priya.raman84@": a year or a number added
    parts = _local_parts(local)
    if len(parts) == 3 and len(parts[1]) == 1:
        parts = [parts[0], parts[2]]  # "jamie.l.driver@": a middle initial
    elif len(parts) == 3 and is_first_name(parts[0]) and is_surname(parts[1]) and not (
            is_first_name(parts[2]) or is_surname(parts[2])):
        parts = parts[:2]  # "tara.nguyen.design@", "omar.haddad.home@": a word after the name
    if not parts or not all(p.replace("-", "").isalpha() for p in parts) or any(
            p.casefold() in not_names() for p in parts):
        return None
    if len(parts) == 1:
        if is_first_name(parts[0]):
            return parts[0].capitalize()
        # "priyaraman@": a known first name run into a known surname (the longest first name that leaves one)
        split = next((k for k in range(len(parts[0]) - 3, 2, -1) if is_first_name(parts[0][:k]) and is_surname(
            parts[0][k:])), None)
        return f"{parts[0][:split].capitalize()} {parts[0][split:].capitalize()}" if split else None
    if len(parts) == 2 and not is_first_name(parts[0]) and is_surname(parts[0]) and is_first_name(parts[1]) and (
            not is_surname(parts[1])):
        return f"{parts[1].capitalize()} {written(parts[0])}"  # "raman.priya@": the surname first
    if len(parts) == 2 and len(parts[0]) >= 2 and len(parts[1]) >= 2 and (
        is_first_name(parts[0]) and (is_surname(parts[1]) or not is_first_name(parts[1]) or len(parts[1]) >= 3)
    ):
        return f"{parts[0].capitalize()} {written(parts[1])}"
    return None


def name_from_private_email(address: str) -> str | None:
    """ "obadiah.kettleworth@gmail.com" → "Obadiah Kettleworth": first.last at a free-mail domain, both parts
    words of three letters or more that are no function, note or organisation word."""
    local, _, domain = address.partition("@")
    parts = local.split(".")
    if len(parts) != 2 or not is_free_mail(domain.casefold()):
        return None
    if is_surname(parts[0][1:]) or is_first_name(parts[0][1:]):
        return None  # "mreyes.builds@": an initial and a surname, then a word that is no name
    for part in parts:
        folded = part.casefold()
        if len(part) < 3 or not part.isalpha() or folded in not_names() or folded in stop_words() or (
                folded in NOTE_WORDS or folded in org_words()):
            return None
    return f"{parts[0].capitalize()} {parts[1].capitalize()}"


@Language.factory("leadbot_names", default_config={})
def make_names(nlp: Language, name: str) -> Names:
    return Names(name)


def _contact_below(lines: Sequence[Line], first: int) -> str | None:
    """The email ("" for a phone) on the line ``first`` or, past at most three address lines of one block, below
    it; None when the block has neither."""
    town = False
    for k in range(first, min(first + 4, len(lines))):
        line = lines[k]
        if k > first and line.start - lines[k - 1].end > 2:
            return None
        if email := EMAIL.search(line.text):
            return email.group()
        if any(sum(c.isdigit() for c in run) >= 7 for run in _DIGIT_RUNS.findall(line.text)):
            return ""
        if not any(c.isdigit() for c in line.text):
            if k == first or town or k + 1 >= len(lines) or not any(c.isdigit() for c in lines[k + 1].text):
                return None  # not an address line: the block's contact ends here
            town = True  # a UK town on its own line between the street and the postcode
    return None
