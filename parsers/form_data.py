"""A ``multipart/form-data`` body saved or relayed as text (an inbound-parse webhook's POST, a form plugin's
raw request): its fields as a JSON object, so the one JSON reader (and its email-as-JSON path) reads them."""

from __future__ import annotations

import json
import re

#: the first boundary line and the first part's header, as a form post opens
_OPENING = re.compile(r"\A\s*(--[^\r\n]{1,200})\r?\n[Cc]ontent-[Dd]isposition:[ \t]*form-data;")
_NAME = re.compile(r'[Cc]ontent-[Dd]isposition:[ \t]*form-data;[^\r\n]*?\bname="(?P<name>[^"\r\n]{1,200})"'
                   r'(?P<file>[^\r\n]*\bfilename=)?')
#: a body bigger than this is no form post of a lead
MAX_FORM_DATA = 2_000_000


def form_data(text: str) -> str | None:
    """The fields of a ``multipart/form-data`` body as a JSON object's text (files left out; the first value of
    a repeated name), or None when ``text`` is no such body."""
    m = _OPENING.match(text[:4096])
    if m is None or len(text) > MAX_FORM_DATA:
        return None
    fields: dict[str, str] = {}
    for part in text.split(m[1])[1:]:
        if part.startswith("--"):
            break  # the closing boundary
        head, sep, body = part.partition("\r\n\r\n") if "\r\n\r\n" in part else part.partition("\n\n")
        named = _NAME.search(head)
        if not sep or named is None or named["file"]:
            continue
        fields.setdefault(named["name"], body.removesuffix("\n").removesuffix("\r"))
    return json.dumps(fields, ensure_ascii=False) if fields else None
