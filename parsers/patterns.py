"""Text patterns every reader shares: the one email pattern, phone-shaped runs, and what is no phone.

A phone is taken only from a labelled value or a phone-shaped run, and then verified with ``phonenumbers``;
dates and times ("2018-02-19 08", "19.02.2018 08:15") and similar runs are refused before that.
"""

from __future__ import annotations

import re

from parsers.regex_start import guard_start

#: an email address as lead mails write them (the validator decides later whether it is deliverable)
#: (RFC 5321 bounds: a local part of at most 64 characters, domain labels of at most 63; a match starts only
#: where a local part can start, so a 300,000-character token without "@" costs one look, not a scan per
#: character)
EMAIL = re.compile(r"(?<![\w.!#$%&'*+/=?^`{|}~-])[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
#: a mailer's own address, also as one part of the local part ("noreply", "messages-noreply", "leads.no-reply"):
#: searched in the local part alone; never a prospect's
MAILER_LOCAL_PART = re.compile(
    r"(?i)(?:^|(?<=[._+-]))(?:no-?reply|do-?not-?reply|donotreply|mailer-daemon|postmaster|bounces?|notifications?|"
    r"alerts?)(?:$|(?=[._+-]))"
)
#: a run that may be a phone number: digits with the separators people type, and an extension
PHONE_RUN = guard_start(re.compile(
    r"(?:\+|00)?\(?\d[\d\s().\-/]{5,30}\d(?:\s*(?:x|ext\.?|extension|durchwahl|#)\s*\d{1,6})?",
    re.IGNORECASE,
))
#: a whole value that is a phone number as typed (no letters)
PHONE_SHAPED = re.compile(r"^\s*(?:\+|00)?[\d\s().\-/]{7,24}\s*$")
_YEAR = r"(?:19|20)\d\d"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_TIME = r"(?:[T ]+(?:[01]?\d|2[0-3])(?:[:h.]\d\d){0,2}(?:\s*[ap]\.?m\.?)?)?"
_DATE_OR_TIME = re.compile(
    rf"^\s*(?:{_YEAR}[-/.]{_MONTH}[-/.]{_DAY}{_TIME}|{_DAY}[-/.]{_MONTH}[-/.](?:{_YEAR}|\d\d){_TIME}|"
    rf"{_MONTH}[-/.]{_DAY}[-/.](?:{_YEAR}|\d\d){_TIME}|(?:[01]?\d|2[0-3]):\d\d(?::\d\d)?(?:\s*[ap]\.?m\.?)?)\s*$",
    re.IGNORECASE,
)


def looks_like_date_or_time(text: str) -> bool:
    """True for "2018-02-19 08", "19.02.2018", "02/19/18 8:15 pm", "14:30": dates and times, never phones."""
    return bool(_DATE_OR_TIME.match(text))


#: a form's or a call mail's flag where words may stand ("Voicemail: Yes (0:22)", "Kommentar: nein"): a yes or a
#: no in one of the seven languages, with at most a count or a duration after it; it says nothing of its own
YES_NO_ANSWER = re.compile(
    r"^\s*(?:yes|no|ja|nee|nein|s[ií]|sim|n[ãa]o|oui|non|true|false)\b[\s\d():.,/-]*$", re.IGNORECASE)
