"""Lead notices: the mails a portal, a form mailer or a relay sends about someone else.

Two readings live here. ``relay_address`` says whether a From address is the mailer's own ("Victor H. via
QuoteNest <biz@…>", "Website <web@…>", "Preventivi Casa <richieste@…>") and so never the lead's email.
``notice_people`` finds the person a notice is about where no label names them: in the subject ("New inquiry
from Dana Whit", "Anfrage von Svenja Brückner") or at the start of a sentence ("Good news! Halvard Lindqvist is
interested in …", "Cornelius Blackwood messaged you about …"). The cue words are data, seven languages
(``patterns/notice_cues.txt``, ``patterns/notice_mailboxes.txt``).
"""

from __future__ import annotations

import dataclasses
import functools
import re

from spacy.tokens import Doc

from nlp.candidates import PERSON, Candidate, add, candidates_of, layout_of, meta_of
from nlp.email_names import agrees_with_email
from nlp.lexicon import is_first_name, is_free_mail, is_surname, read_lines, trie_alternation
from nlp.names import NAME, clean_display_name, clean_name, name_from_email
from nlp.our_side import alternation
from nlp.prose import org_words
from parsers.boilerplate import is_portal_wording
from parsers.labels import heading_kind
from parsers.lead import ExtractedLead
from parsers.mime import relayed_name
from parsers.structured import is_relay_name

#: what may follow the person a subject's "… from" names: its end, punctuation, or what the notice is about
_AFTER_FROM = (r"(?=[ \t]*(?:\Z|[\n.,:;!?(|–—-]|(?i:about|re|for|regarding|on|zu|zum|zur|über|para|sobre|pour|per|"
               r"voor|over)\b))")


#: how far into the text a notice names its person: its opening lines (a long mail is not scanned whole)
_OPENING = 800


@functools.cache
def _cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    lines = read_lines("notice_cues.txt")
    before = [s.partition(":")[2].strip() for s in lines if s.startswith("from:")]
    after = [s.partition(":")[2].strip() for s in lines if s.startswith("says:")]
    named_after = re.compile(rf"(?i:(?<![\w])(?:{trie_alternation(before)}))[ \t]+(?P<name>{NAME}){_AFTER_FROM}")
    # the person opens a line or a sentence: "Good news! Rutger Haverkamp is interested in your services."
    named_before = re.compile(rf"(?m)(?:^|(?<=[.!?:])[ \t]+)[ \t\"“]*(?P<name>{NAME})[ \t]+"
                              rf"(?i:{trie_alternation(after)})(?![\w])")
    return named_after, named_before


@functools.cache
def _mailbox() -> re.Pattern[str]:
    return re.compile(rf"(?i)^(?:{alternation(read_lines('notice_mailboxes.txt'))})(?:$|[._+-])")


def relay_address(display: str | None, address: str | None) -> bool:
    """Whether a From address is a relay's or a notice mailer's own rather than a person's: the display name
    is a relay's ("X via Portal", "Website", "… Leads") or the mailbox is a notice mailbox whose display name is
    no person's. An address at a free-mail provider or one whose local part spells a name is a person's."""
    if not address or "@" not in address:
        return False
    local, _, domain = address.partition("@")
    if display and (relayed_name(display) or is_relay_name(display)):
        relay = True
    elif _mailbox().match(local):
        shaped = clean_display_name(display) if display else None
        relay = not (shaped and is_first_name(shaped.split()[0]))
    else:
        return False
    return relay and not (is_free_mail(domain) or name_from_email(address))


def without_mailer_from(lead: ExtractedLead) -> ExtractedLead:
    """The lead without what was read from a relay's From header (its address and display name are the mailer's,
    see ``relay_address``)."""
    return lead.with_fields({k: v for k, v in lead.fields.items() if not v.source.startswith("reader:mime:from")})


#: the lead's own values a message made of contact lines repeats ("Mevrouw A. van den Heuvel" / "Keizersgracht 318")
_OWN_VALUES = ("full_name", "first_name", "last_name", "street", "postal_code", "city", "region", "phone", "email")
_LETTER_WORD = re.compile(r"[^\W\d_]{3,}")


def without_contact_only_message(lead: ExtractedLead) -> ExtractedLead:
    """The lead without an unlabelled "message" that is only its own contact lines (a block's name, street and
    place read as words) or a short portal sentence about it ("You have a new lead! Alasdair McCorquodale …"):
    ``message`` is the prospect's own words. A labelled message stays as it is."""
    message = lead.fields.get("message")
    if message is None or message.source not in ("nlp:message", "reader:labels:prose"):
        return lead
    rest = message.value
    for name in _OWN_VALUES:
        if value := lead.value(name):
            rest = rest.replace(value, " ")
    words = rest.split()
    # a heading over the block ("Dati del cliente", "Customer details") is the form's wording, not the prospect's
    opened = next((n for n in range(min(4, len(words)), 0, -1) if heading_kind(" ".join(words[:n])) == "lead"), 0)
    rest = " ".join(words[opened:])
    if len(_LETTER_WORD.findall(rest)) > 1 and not (len(rest) <= 80 and is_portal_wording(rest)):
        return lead
    return lead.with_fields({k: v for k, v in lead.fields.items() if k != "message"})


def _person(raw: str, emails: list[str]) -> tuple[str, float] | None:
    """The matched words as a person's name and how sure the reading is, or None: a firm's or a brand's words,
    a lone word the gazetteers do not know. A known first name or an email that spells the name is evidence."""
    name = clean_name(raw)
    if not name or any(w.casefold() in org_words() for w in name.split()):
        return None
    words = name.split()
    if any(agrees_with_email(name, e) for e in emails):
        return name, 0.85
    known = is_first_name(words[0])
    if len(words) == 1:
        return (name, 0.55) if known else None
    return name, 0.8 if known or is_surname(words[-1]) else 0.6


def notice_people(doc: Doc) -> None:
    """Add the person a lead notice names in its subject or at the head of a sentence (mails only)."""
    meta = meta_of(doc)
    if meta.chat:
        return
    named_after, named_before = _cues()
    found = candidates_of(doc)
    emails = [c.value for c in found if c.field == "email" and not c.flags]
    people: list[str] = []
    subject = meta.subject or ""
    for pattern in (named_after, named_before):
        for m in pattern.finditer(subject):
            if person := _person(m["name"], emails):
                people.append(person[0])
                add(doc, Candidate(PERSON, person[0], person[1] - 0.05, "nlp:notices.subject"))
    layout = layout_of(doc)
    text, (r0, r1) = layout.text, layout.region
    r1 = min(r1, r0 + _OPENING)
    for pattern in (named_after, named_before):
        for m in pattern.finditer(text, r0, r1):
            if layout.in_greeting(m.start("name"), m.end("name")) or not (person := _person(m["name"], emails)):
                continue
            people.append(person[0])
            add(doc, Candidate(PERSON, person[0], person[1], "nlp:notices", m.start("name")))
    for i, c in enumerate(found):
        if people and c.field == "email" and c.component.endswith(".sender") and not any(
                agrees_with_email(p, c.value) for p in people):
            # a notice about someone the From address does not spell: the address is the mailer's
            found[i] = dataclasses.replace(c, confidence=0.2, flags=(*c.flags, "role:sender"))
