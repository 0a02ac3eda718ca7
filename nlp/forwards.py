"""A mail pasted into a note under the lines of the colleague who forwards it: whose contact is whose.

"Kannst du das übernehmen? … Anja Weber, Innendienst, Tel. 0711 …" above "Von: Holger Brandt <…> / An: Anja
Weber / Betreff: …" and the prospect's own mail: the note read as a whole takes the forwarder's signed phone
(a labelled line) or the name the mail greets ("Mike - yes please …", the To line's Mike Torres) over what the
pasted mail, read as the mail it is, says of its writer. A note's value that only the forwarder's lines above
the pasted header or its To line spell is theirs, and gives way to the pasted mail's own.
"""

from __future__ import annotations

import re
from email.utils import parseaddr

from nlp.notices import relay_address
from parsers.lead import ExtractedLead, RoleValue
from parsers.quotes import pasted_header

#: the fields a forwarder's own lines may give: their name, number, address and firm
_THEIRS = ("full_name", "first_name", "last_name", "email", "phone", "company")
_NON_DIGIT = re.compile(r"\D")


def forwarders_apart(note: ExtractedLead, mail: ExtractedLead, text: str) -> ExtractedLead:
    """``note`` without the values the forwarding colleague's lines give (set aside as ``staff``) where
    ``mail``, the pasted mail's own reading, has a value of its own for that field, and without a notice
    mailer's From address and display name."""
    found = pasted_header(text)
    if found is None:
        return note
    start, to, sender = found
    display, address = parseaddr(sender)
    # "From: Website <noreply@acmehvac.com>" over a form's fields: the mailer's address, no one's own
    mailer = {display.casefold(), address.casefold()} - {""} if relay_address(display, address) else set()
    ours = f"{text[:start]}\n{to}"
    ours_folded, ours_digits = ours.casefold(), _NON_DIGIT.sub("", ours)
    kept = dict(note.fields)
    set_aside: list[RoleValue] = []
    for name in _THEIRS:
        own, theirs = note.fields.get(name), mail.fields.get(name)
        role = "staff"
        if own is not None and own.value.casefold() in mailer:
            staff, role = True, "sender"
        elif own is None or theirs is None or own.value.casefold() == theirs.value.casefold():
            continue
        elif name == "phone":
            digits = _NON_DIGIT.sub("", own.value)
            staff = len(digits) >= 6 and digits in ours_digits and digits not in _NON_DIGIT.sub("", text[start:])
        else:
            staff = all(re.search(rf"(?<!\w){re.escape(word)}(?!\w)", ours_folded)
                        for word in own.value.casefold().split())
        if staff:
            del kept[name]
            set_aside.append(RoleValue(name, own.value, role, own.source))
    if not set_aside:
        return note
    return ExtractedLead(kept, note.others + tuple(set_aside))
