"""Quote, forward and signature markers of mail text in the supported languages: the one implementation.

A forward ("---------- Forwarded message ----------", "Begin forwarded message:", an Outlook
``From:/Sent:`` header block), a reply ("On … wrote:", "Am … schrieb …:", "Em … escreveu:"), quoted
lines (``> …``) and a signature (RFC 3676 ``-- `` or a mobile client's "Sent from my …") are found here;
``parsers.mime`` splits mail with them and the free-text reader of ``nlp`` uses the same patterns.
"""

from __future__ import annotations

import re

FORWARD_MARKER = re.compile(
    r"^[ >]*(?:-{2,}|_{2,})?\s*(?:forwarded message|original message|weitergeleitete nachricht|"
    r"urspr[üu]ngliche nachricht|mensaje reenviado|mensaje original|message transf[ée]r[ée]|message d'origine|"
    r"mensagem encaminhada|mensagem original|messaggio inoltrato|messaggio originale|doorgestuurd bericht|"
    r"oorspronkelijk bericht)\s*(?:-{2,}|_{2,})?\s*$"
    r"|^[ >]*(?:begin forwarded message|início da mensagem encaminhada|inizio messaggio inoltrato|"
    r"d[ée]but du message r[ée]exp[ée]di[ée]):?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
#: an Outlook header block: a From line followed by Sent/Date/To in one of the languages
OUTLOOK_HEADER = re.compile(
    r"^[ >]*(?:from|von|de|da|van|envoy[ée] par|remetente):[^\n]*\n[ >]*(?:sent|date|gesendet|datum|enviado|"
    r"fecha|to|an|para|envoy[ée]|[àa]|data|inviato|verzonden|aan|enviada):",
    re.IGNORECASE | re.MULTILINE,
)
#: a subject that says the mail forwards another ("FW:", "Fwd:", "WG:", "TR:", "RV:", "I:", "Enc:", "Doorst:")
FORWARD_SUBJECT = re.compile(r"^\s*(?:(?:fwd?|fw|wg|rv|tr|enc|i|doorst|reenviar)\s*:\s*)+", re.IGNORECASE)
REPLY_MARKER = re.compile(
    r"^[ >]*(?:on\s.{0,200}?\swrote:|am\s.{0,200}?\sschrieb.{0,80}?:|el\s.{0,200}?\sescribi[óo]:|"
    r"le\s.{0,200}?\sa [ée]crit\s?:|em\s.{0,200}?\sescreveu:|il\s.{0,200}?\sha scritto:|"
    r"op\s.{0,200}?\sschreef.{0,80}?:)\s*$",
    re.IGNORECASE | re.MULTILINE | re.DOTALL,
)
SIGNATURE = re.compile(
    r"^(?:-- ?|--|sent from my [^\n]{1,40}|von meinem [^\n]{1,40} gesendet|enviado desde mi [^\n]{1,40}|"
    r"enviado do meu [^\n]{1,40}|envoy[ée] de mon [^\n]{1,40}|inviato da [^\n]{1,40}|verzonden vanaf [^\n]{1,40}|"
    r"verstuurd vanaf [^\n]{1,40}|get outlook for [^\n]{1,20})\s*$",
    re.IGNORECASE | re.MULTILINE,
)
#: one line of a forwarded header block ("From: …", "Betreff: …")
HEADER_LINE = re.compile(r"^[ >]*(?P<name>[A-Za-zÀ-ÿ-]{2,20}):\s*(?P<value>.*)$")
FROM_NAMES = frozenset({"from", "von", "de", "absender", "remitente", "da", "van", "remetente", "expéditeur",
                        "mittente", "afzender"})
SUBJECT_NAMES = frozenset({"subject", "betreff", "asunto", "objet", "assunto", "oggetto", "onderwerp"})
OTHER_HEADER_NAMES = frozenset({
    "sent", "date", "to", "cc", "bcc", "reply-to", "gesendet", "datum", "an", "kopie", "enviado", "fecha", "para",
    "envoyé", "envoye", "à", "a", "data", "inviato", "verzonden", "aan", "enviada", "cci", "ccn",
})
#: a forwarded header block's To line ("To:", "An:", "Para:", "À:", "A:", "Aan:")
TO_NAMES = frozenset({"to", "an", "para", "à", "a", "aan"})
QUOTE_PREFIX = re.compile(r"^ ?>+ ?", re.MULTILINE)
#: Outlook's own way of writing a sender in a quoted header: "Rosa Delgado [mailto:rosa@example.com]"
_MAILTO_BRACKETS = re.compile(r"\[mailto:(?P<address>[^\]\s]+)\]", re.IGNORECASE)


def split_signature(text: str) -> tuple[str, str]:
    """(body, signature): the signature starts at ``-- `` or a "Sent from my …" line."""
    m = SIGNATURE.search(text)
    if not m:
        return text.strip(), ""
    return text[: m.start()].strip(), text[m.end():].strip()


def unquote(text: str) -> str:
    """Text without its ``>`` quote prefixes."""
    return QUOTE_PREFIX.sub("", text)


def read_header_block(text: str) -> tuple[dict[str, str], str]:
    """The header block at the top of a forwarded message ({"from": …, "subject": …, "to": …}) and the text below
    it."""
    lines = text.lstrip("\n").split("\n")
    headers: dict[str, str] = {}
    i = 0
    while i < len(lines) and i < 15:
        line = lines[i]
        if not line.strip():
            if headers:
                i += 1
                break
            i += 1
            continue
        m = HEADER_LINE.match(line)
        if not m:
            break
        name = m.group("name").lower()
        if name in FROM_NAMES:
            # "Rosa Delgado [mailto:rosa@…]" as "Rosa Delgado <rosa@…>", the form a mail header reader knows
            headers["from"] = _MAILTO_BRACKETS.sub(r"<\g<address>>", m.group("value")).strip()
        elif name in SUBJECT_NAMES:
            headers["subject"] = m.group("value").strip()
        elif name in TO_NAMES:
            headers.setdefault("to", m.group("value").strip())
        elif name not in OTHER_HEADER_NAMES:
            break  # a form field, not a forwarded header
        i += 1
    if not headers:
        return {}, text
    return headers, "\n".join(lines[i:])


#: a pasted header block's From value: "Ann Holm <ann@example.com>" or a bare address
_ADDRESS_IN = re.compile(r"[\w.+'-]+@([\w-]+(?:\.[\w-]+)+)")


def pasted_mail(text: str) -> str | None:
    """A mail pasted into a note (a From/Sent/To/Subject block and the body below it, ``>``-quoted or not)
    as the text of a mail (its headers, a blank line, its body), or None when the note holds none.

    The note's own lines around it (the rep's "found this in the shared inbox", "I'll call him") are left out:
    a quoted paste ends where the quote ends. A From that shares the To's domain is a colleague's internal
    forward, not the prospect's: it is left out, so the body speaks for itself."""
    m = OUTLOOK_HEADER.search(text)
    if m is None:
        return None
    start = text.rfind("\n", 0, m.start()) + 1
    lines = text[start:].split("\n")
    if lines[0].lstrip().startswith(">"):
        end = next((k for k, line in enumerate(lines) if not line.lstrip().startswith(">")), len(lines))
        lines = lines[:end]
    headers, body = read_header_block(unquote("\n".join(lines)))
    sender = headers.get("from", "")
    to = next((HEADER_LINE.match(line) for line in lines[:8] if (h := HEADER_LINE.match(line))
               and h.group("name").lower() in TO_NAMES), None)
    own = _ADDRESS_IN.search(sender)
    theirs = _ADDRESS_IN.search(to.group("value")) if to else None
    if own and theirs and own.group(1).casefold() == theirs.group(1).casefold():
        sender = ""
    if not body.strip():
        return None
    head = "".join(f"{name}: {value}\n" for name, value in (("From", sender), ("Subject", headers.get("subject", "")))
                   if value)
    return f"{head}Content-Type: text/plain; charset=utf-8\n\n{body.strip()}\n"


def pasted_recipient_domains(text: str) -> frozenset[str]:
    """The domains the mails pasted into a note were addressed to (their To lines): the firm's own side, whose
    staff forwarded them on (a wrapper "From: colleague@ourfirm / To: sales@ourfirm" is no prospect)."""
    if OUTLOOK_HEADER.search(text) is None:
        return frozenset()
    return frozenset(
        found.group(1).casefold()
        for line in text.split("\n")
        if (h := HEADER_LINE.match(line)) and h.group("name").lower() in TO_NAMES
        for found in _ADDRESS_IN.finditer(h.group("value"))
    )


def pasted_header(text: str) -> tuple[int, str, str] | None:
    """Where a mail pasted into a note starts (its From line), what its To line says and what its From line
    says, or None: what the note says above it and whom the mail was written to are the firm's own side."""
    m = OUTLOOK_HEADER.search(text)
    if m is None:
        return None
    start = text.rfind("\n", 0, m.start()) + 1
    headers, _body = read_header_block(unquote(text[start:]))
    return start, headers.get("to", ""), headers.get("from", "")
