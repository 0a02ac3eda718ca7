"""Attachments that carry a lead in a shape of their own, brought to a JSON payload the one JSON reader reads:
a contact card (vCard, read with ``vobject``) and a sheet exported as CSV (a header row, then one lead per row)."""

from __future__ import annotations

import csv
import io
import json
import logging
from typing import Any

import vobject

# vobject logs each unreadable line of a card at ERROR on its own handler: a sender's broken card is not our error
logging.getLogger("vobject").setLevel(logging.CRITICAL)

#: an export longer than this is an import job (``leadbot import``), not a mail's lead
MAX_CSV_ROWS = 200
_VCARD_TYPES = ("vcard", "x-vcard", "directory")
_CSV_TYPES = ("csv", "comma-separated-values")


def is_card(content_type: str, filename: str) -> bool:
    return any(t in content_type for t in _VCARD_TYPES) or filename.lower().endswith((".vcf", ".vcard"))


def is_sheet(content_type: str, filename: str) -> bool:
    return any(t in content_type for t in _CSV_TYPES) or filename.lower().endswith(".csv")


def card_payload(text: str) -> str | None:
    """The people of a vCard file as a JSON list of label/value objects; None when it holds no card."""
    try:
        cards = list(vobject.readComponents(text, ignoreUnreadable=True))
    except Exception:  # vobject raises its own and stdlib errors for broken cards: not a lead then
        return None
    people = [fields for card in cards if (fields := _card_fields(card))]
    return json.dumps(people, ensure_ascii=False) if people else None


def _card_fields(card: Any) -> dict[str, str]:
    contents: dict[str, list[Any]] = getattr(card, "contents", {})
    fields: dict[str, str] = {}

    def first(key: str) -> Any:
        values = contents.get(key) or []
        return values[0].value if values else None

    if (name := first("fn")) and str(name).strip():
        fields["full_name"] = str(name).strip()
    elif (parts := first("n")) is not None:
        fields["first_name"], fields["last_name"] = str(parts.given or ""), str(parts.family or "")
    if email := first("email"):
        fields["email"] = str(email)
    if phone := first("tel"):
        fields["phone"] = str(phone)
    if (org := first("org")) is not None:
        fields["company"] = " ".join(str(o) for o in org) if isinstance(org, list) else str(org)
    if (title := first("title")) is not None:
        fields["job_title"] = str(title)
    if (adr := first("adr")) is not None:
        for key, value in (("street", adr.street), ("city", adr.city), ("region", adr.region),
                           ("postal_code", adr.code), ("country", adr.country)):
            if value:
                fields[key] = " ".join(value) if isinstance(value, list) else str(value)
    if note := first("note"):
        fields["message"] = str(note)
    return {k: v for k, v in fields.items() if v.strip()}


def sheet_payload(text: str) -> str | None:
    """A CSV export's rows (header first) as a JSON array of arrays; None when it is not a table."""
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [row for row in csv.reader(io.StringIO(text), dialect) if any(cell.strip() for cell in row)]
    if len(rows) < 2:
        return None
    return json.dumps(rows[: MAX_CSV_ROWS + 1], ensure_ascii=False)


_CALENDAR_TYPES = ("calendar",)
#: the parts of a booked event that carry the person who booked: what the event is, its notes, who attends
_EVENT_TEXT = ("summary", "description", "comment", "location")


def is_calendar(content_type: str, filename: str) -> bool:
    return any(t in content_type for t in _CALENDAR_TYPES) or filename.lower().endswith((".ics", ".ical"))


def calendar_text(text: str) -> str | None:
    """A booked event (iCalendar, read with ``vobject``) as text: its summary and notes, then the guest who booked
    it as "Name:"/"Email:" lines; None when it holds no event. The organiser is the calendar's owner, not a guest."""
    try:
        calendars = list(vobject.readComponents(text, ignoreUnreadable=True))
    except Exception:  # vobject raises its own and stdlib errors for broken files: not a lead then
        return None
    lines: list[str] = []
    for calendar in calendars[:5]:
        for event in calendar.contents.get("vevent", [])[:5]:
            for name in _EVENT_TEXT:
                values = (str(item.value).strip() for item in event.contents.get(name, []))
                lines.extend(v for v in values if v)
            organizer = {_address(item) for item in event.contents.get("organizer", [])}
            guests = [item for item in event.contents.get("attendee", [])[:20] if _address(item) not in organizer]
            if guests:  # the first guest who is not the organiser booked it
                cn = (guests[0].params.get("CN") or [""])[0].strip(' "')
                lines.extend([f"Name: {cn}"] if cn else [])
                lines.append(f"Email: {_address(guests[0])}")
    return "\n".join(lines) or None


def _address(item: Any) -> str:
    value = str(item.value).strip()
    return value[7:].strip() if value.lower().startswith("mailto:") else value
