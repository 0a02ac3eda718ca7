"""Modals, chat-intake drafts and the App Home tab: pure renderers, and readers of what a modal submitted.

Like the card, each view is a function of values (a lead, a stored message, a draft), so a table of cases
tests it. Vendor and chat text is escaped with the card's rules; lengths respect Slack's limits (a modal
title ≤ 24 characters, ≤ 100 blocks, a section ≤ 3000 characters, an input's initial value ≤ its max).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.slack import messages, trust
from bot.slack.blocks import (
    CARD_FIELDS,
    address_line,
    contact_marks,
    escape,
    escape_trimmed,
    first_name,
    learned_of,
    mention,
    one_line,
    private_values,
    received,
    redacted,
    top_reasons,
    where,
)
from bot.slack.safe import cleaned, plain
from parsers.mime import parse_mail
from store.records import DraftRecord, LeadRecord, MessageRecord

#: callback_ids of the modals (the listeners match on them)
ORIGINAL_VIEW = "view_original"
ACTIVITY_VIEW = "log_activity"
OUTCOME_VIEW = "set_outcome"
REASSIGN_VIEW = "reassign"
REMIND_VIEW = "remind"
DRAFT_EDIT_VIEW = "draft_edit"
#: action_ids of the draft's buttons
DRAFT_CONFIRM_ACTION = "draft_confirm"
DRAFT_EDIT_ACTION = "draft_edit"
DRAFT_DISCARD_ACTION = "draft_discard"

MODAL_MAX_BLOCKS = 100
SECTION_MAX = 3000
#: the original message shown in a modal: at most this much of its text (the rest is named, not shown)
ORIGINAL_TEXT_MAX = 12000
_CHUNK = 2900
INPUT_MAX = 3000
#: the fields a draft shows and its Edit modal offers, in order, with their labels
DRAFT_FIELDS: tuple[tuple[str, str], ...] = (
    ("full_name", "Name"),
    ("email", "Email"),
    ("phone", "Phone"),
    ("company", "Company"),
    ("interest", "Interest"),
    ("budget", "Budget"),
    ("timeline", "Timeline"),
    ("message", "Message"),
)
_AMOUNT = re.compile(r"^\$?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": plain(text, limit)}


def _section(text: str, block_id: str | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {
        "type": "section",
        "text": {"type": "mrkdwn", "text": text[:SECTION_MAX], "verbatim": True},
    }
    if block_id:
        block["block_id"] = block_id
    return block


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:SECTION_MAX], "verbatim": True}]}


def _modal(
    callback_id: str, title: str, blocks: list[dict[str, Any]], *, metadata: str = "", submit: bool
) -> dict[str, Any]:
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": _plain(title, 24),
        "close": _plain(messages.CANCEL, 24),
        "private_metadata": metadata[:3000],
        "blocks": blocks[:MODAL_MAX_BLOCKS],
    }
    if submit:
        view["submit"] = _plain(messages.SAVE, 24)
    return view


def lead_title(lead: LeadRecord) -> str:
    """``*Dana Whitaker* — Whitaker Logistics (lead #42)``, escaped."""
    title = f"*{escape_trimmed(one_line(lead.display_name), 300)}*"
    if company := lead.value("company"):
        title += " — " + escape_trimmed(one_line(company), 300)
    return f"{title} (lead #{lead.id})"


def age(delta: timedelta) -> str:
    """A short human age: "45 s", "12 min", "3 h 20 min", "2 d 4 h"."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if hours else f"{days} d"


# ---- View original ------------------------------------------------------------------------------------


def original_text(message: MessageRecord) -> tuple[str | None, str]:
    """(subject, text part) of a stored message: an email's readable body, anything else decoded as text."""
    if message.channel == "smtp":
        doc = parse_mail(message.raw)
        return doc.subject, doc.text
    return message.subject, message.raw.decode("utf-8", errors="replace")


def _chunks(text: str, size: int) -> list[str]:
    """Escaped text cut into pieces of at most ``size`` characters, never inside an entity."""
    out: list[str] = []
    while text:
        piece = text[:size]
        if len(text) > size:
            amp = piece.rfind("&")
            if amp != -1 and ";" not in piece[amp:]:
                piece = piece[:amp]
            newline = piece.rfind("\n")
            if newline > size // 2:
                piece = piece[: newline + 1]
        out.append(piece)
        text = text[len(piece) :]
    return out


def original_view(lead: LeadRecord, message: MessageRecord | None, *, now: datetime) -> dict[str, Any]:
    """The modal behind "View original": the message as received (text part, trimmed), age, top reasons."""
    blocks: list[dict[str, Any]] = [_section(lead_title(lead))]
    vendor = escape_trimmed(one_line(lead.vendor or "unknown vendor"), 200)
    blocks.append(
        _context(f"{vendor} via {escape(lead.channel)} · {received(lead)} · {age(now - lead.created_at)} old")
    )
    reasons = top_reasons(lead.reasons)
    score = f"*{messages.GRADE_LABEL.format(grade=escape(lead.grade))}, score {lead.score}/100*"
    if reasons:
        score += "\n" + "\n".join("• " + escape_trimmed(one_line(r), 500) for r in reasons)
    blocks.append(_section(score))
    blocks.append({"type": "divider"})
    if message is None:
        blocks.append(_section(messages.ORIGINAL_GONE if lead.message_id else messages.ORIGINAL_NONE))
        return _modal(ORIGINAL_VIEW, messages.ORIGINAL_TITLE, blocks, metadata=str(lead.id), submit=False)
    subject, text = original_text(message)
    if subject:
        blocks.append(_section("*Subject:* " + escape_trimmed(one_line(subject), 900)))
    text = text.strip() or "(empty)"
    shown = text[:ORIGINAL_TEXT_MAX]
    room = MODAL_MAX_BLOCKS - len(blocks) - 1
    pieces = _chunks(escape(shown), _CHUNK)[:room]
    blocks += [_section(piece) for piece in pieces]
    shown_chars = sum(len(p) for p in pieces)
    if len(text) > len(shown) or shown_chars < len(escape(shown)):
        more = len(text) - len(shown) + (len(escape(shown)) - shown_chars)
        blocks.append(_context(messages.ORIGINAL_TRIMMED.format(more=more, message_id=message.id)))
    return _modal(ORIGINAL_VIEW, messages.ORIGINAL_TITLE, blocks, metadata=str(lead.id), submit=False)


# ---- Log activity, Set outcome, Reassign ---------------------------------------------------------------


def _option(value: str, label: str) -> dict[str, Any]:
    return {"text": _plain(label, 75), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], *, optional: bool = False) -> dict[str, Any]:
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label, 2000),
        "optional": optional,
        "element": element,
    }


def _text_input(*, multiline: bool = False, initial: str | None = None, max_length: int = INPUT_MAX) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": "value", "multiline": multiline}
    element["max_length"] = max_length
    if initial:
        element["initial_value"] = cleaned(initial, max_length)
    return element


def activity_view(lead: LeadRecord) -> dict[str, Any]:
    options = [_option(k, v) for k, v in messages.ACTIVITIES.items()]
    blocks = [
        _section(lead_title(lead)),
        _input(
            "activity",
            "What did you do?",
            {"type": "static_select", "action_id": "value", "options": options, "initial_option": options[0]},
        ),
        _input("text", "Notes", _text_input(multiline=True)),
    ]
    return _modal(ACTIVITY_VIEW, messages.ACTIVITY_TITLE, blocks, metadata=str(lead.id), submit=True)


def outcome_view(lead: LeadRecord) -> dict[str, Any]:
    options = [_option(k, v) for k, v in messages.OUTCOMES.items()]
    blocks = [
        _section(lead_title(lead)),
        _input("outcome", "Outcome", {"type": "radio_buttons", "action_id": "value", "options": options}),
        _input("amount", "Amount (won)", _text_input(max_length=20), optional=True),
        _input("reason", "Reason (lost, disqualified)", _text_input(multiline=True, max_length=1000), optional=True),
    ]
    return _modal(OUTCOME_VIEW, messages.OUTCOME_TITLE, blocks, metadata=str(lead.id), submit=True)


def reassign_view(lead: LeadRecord) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "users_select", "action_id": "value"}
    if lead.owner:
        element["initial_user"] = lead.owner
    blocks = [_section(lead_title(lead)), _input("user", "New owner", element)]
    return _modal(REASSIGN_VIEW, messages.REASSIGN_TITLE, blocks, metadata=str(lead.id), submit=True)


def remind_view(lead: LeadRecord, *, masked: bool, channel: str | None = None) -> dict[str, Any]:
    """"Remind me": a quick choice or a phrase of one's own (`bot.slack.reminders.when` reads both; the
    phrase wins), and a note to oneself. ``masked``: the
    lead's first name only (the clicker may not see its details). ``channel``: where the button was (the
    confirmation goes there); the metadata is ``"<lead id>:<channel>"``."""
    title = f"*{escape_trimmed(one_line(first_name(lead)), 300)}* (lead #{lead.id})" if masked else lead_title(lead)
    when = _text_input(max_length=100)
    when["placeholder"] = _plain(messages.REMIND_WHEN_HINT, 150)
    quick = {"type": "static_select", "action_id": "value",
             "options": [_option(phrase, label) for phrase, label in messages.REMIND_QUICK.items()]}
    blocks = [
        _section(title),
        _input("quick", messages.REMIND_QUICK_LABEL, quick, optional=True),
        _input("when", messages.REMIND_WHEN_LABEL, when, optional=True),
        _input("note", messages.REMIND_NOTE_LABEL, _text_input(multiline=True, max_length=500), optional=True),
    ]
    return _modal(REMIND_VIEW, messages.REMIND_TITLE, blocks, metadata=f"{lead.id}:{channel or ''}", submit=True)


def submitted(view: dict[str, Any], block_id: str) -> str | None:
    """The value a modal's input submitted (text, selected option, selected user), or None."""
    state = ((view.get("state") or {}).get("values") or {}).get(block_id) or {}
    element = state.get("value") or next(iter(state.values()), None)
    if not isinstance(element, dict):
        return None
    if element.get("selected_option"):
        return str(element["selected_option"].get("value") or "") or None
    if element.get("selected_user"):
        return str(element["selected_user"])
    value = element.get("value")
    return str(value).strip() or None if value is not None else None


@dataclass(frozen=True, slots=True)
class OutcomeInput:
    outcome: str
    amount: float | None
    reason: str | None


def parse_amount(text: str) -> float | None:
    """ "12,500.50" / "$12500" → 12500.5; None if it is not an amount."""
    text = text.strip()
    if not _AMOUNT.match(text):
        return None
    return float(text.lstrip("$").strip().replace(",", ""))


def check_outcome(outcome: str | None, amount_text: str | None, reason: str | None) -> OutcomeInput | dict[str, str]:
    """The outcome as submitted (modal or command), or {block_id: what is wrong}."""
    if outcome not in messages.OUTCOMES:
        return {"outcome": "Choose an outcome."}
    amount = None
    if outcome == "won":
        if not amount_text:
            return {"amount": messages.NEED_AMOUNT}
        amount = parse_amount(amount_text)
        if amount is None:
            return {"amount": messages.BAD_AMOUNT}
    if outcome in ("lost", "disqualified") and not reason:
        return {"reason": messages.NEED_REASON}
    return OutcomeInput(outcome, amount, reason)


# ---- chat intake drafts --------------------------------------------------------------------------------


def draft_blocks(draft: DraftRecord) -> tuple[list[dict[str, Any]], str]:
    """The bot's answer to a chat message: what it read, and Confirm / Edit / Discard."""
    lines = [
        f"*{label}:* " + escape_trimmed(one_line(value), 300)
        for name, label in DRAFT_FIELDS
        if (value := draft.fields.get(name))
    ]
    value = str(draft.id)
    edit = {"type": "button", "action_id": DRAFT_EDIT_ACTION, "text": _plain(messages.EDIT_BUTTON, 75), "value": value}
    discard = {
        "type": "button",
        "action_id": DRAFT_DISCARD_ACTION,
        "style": "danger",
        "text": _plain(messages.DISCARD_BUTTON, 75),
        "value": value,
    }
    if not lines:
        blocks = [
            _section(messages.DRAFT_EMPTY, "draft"),
            {"type": "actions", "block_id": "draft_actions", "elements": [edit, discard]},
        ]
        return blocks, messages.DRAFT_EMPTY
    confirm = {
        "type": "button",
        "action_id": DRAFT_CONFIRM_ACTION,
        "style": "primary",
        "text": _plain(messages.CONFIRM_BUTTON, 75),
        "value": value,
    }
    blocks = [
        _section(messages.DRAFT_INTRO, "draft"),
        _section("\n".join(lines), "draft_fields"),
    ]
    if draft.vendor:
        blocks.append(_context("Vendor: " + escape_trimmed(one_line(draft.vendor), 200)))
    blocks.append({"type": "actions", "block_id": "draft_actions", "elements": [confirm, edit, discard]})
    return blocks, messages.DRAFT_INTRO


def draft_done_blocks(text: str) -> tuple[list[dict[str, Any]], str]:
    return [_section(text, "draft")], text


def draft_edit_view(draft: DraftRecord, *, reply: dict[str, str]) -> dict[str, Any]:
    """The Edit modal, prefilled with the draft's fields; ``reply`` says where the draft message is."""
    blocks = [
        _input(
            f"f_{name}",
            label,
            _text_input(multiline=name == "message", initial=draft.fields.get(name), max_length=INPUT_MAX),
            optional=True,
        )
        for name, label in DRAFT_FIELDS
    ]
    metadata = json.dumps({"draft": draft.id, **reply})
    return _modal(DRAFT_EDIT_VIEW, messages.EDIT_TITLE, blocks, metadata=metadata, submit=True)


def edited_fields(view: dict[str, Any]) -> dict[str, str]:
    return {name: value for name, _ in DRAFT_FIELDS if (value := submitted(view, f"f_{name}"))}


# ---- App Home -------------------------------------------------------------------------------------------


def lead_line(lead: LeadRecord, *, now: datetime | None = None, masked: bool = False) -> str:
    """One lead in a list: ``• #42 *Dana Whitaker* — Whitaker Logistics · A 72 · AutoLeads · 3 h``;
    ``masked``: ``• #42 *Dana* · Leeds · A 72 · AutoLeads · 3 h`` (no surname, company or contact)."""
    name = first_name(lead) if masked else lead.display_name
    line = f"• #{lead.id} *{escape_trimmed(one_line(name), 120)}*"
    if masked:
        if place := where(lead):
            line += " · " + escape_trimmed(one_line(place), 120)
    elif company := lead.value("company"):
        line += " — " + escape_trimmed(one_line(company), 120)
    line += f" · {escape(lead.grade)} {lead.score}"
    if lead.vendor:
        line += " · " + escape_trimmed(one_line(lead.vendor), 80)
    if lead.owner and lead.status == "claimed":
        line += " · " + mention(lead.owner)
    if lead.outcome:
        line += " · " + escape(messages.OUTCOMES.get(lead.outcome, lead.outcome))
    if now is not None:
        line += f" · {age(now - lead.created_at)}"
    return line


def home_view(leads: list[LeadRecord], unclaimed: int, *, now: datetime) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": _plain(messages.HOME_TITLE, 150)},
        _section(messages.HOME_UNCLAIMED.format(count=unclaimed), "unclaimed"),
        {"type": "divider"},
    ]
    if not leads:
        blocks.append(_section(messages.HOME_NONE, "mine"))
    for lead in leads[:80]:
        blocks.append(_section(lead_line(lead, now=now)))
    return {"type": "home", "blocks": blocks[:MODAL_MAX_BLOCKS]}


# ---- trust: "How was this read?" and `/leads show` (issue 14) -------------------------------------------

#: fields a masked answer names without their values or alternatives
_PRIVATE_FIELDS = frozenset({"email", "phone", "street", "last_name", "full_name", "company", "postal_code"})
_LABELS = {**dict(CARD_FIELDS), **dict(DRAFT_FIELDS)}


def _field_label(name: str) -> str:
    return _LABELS.get(name, name.replace("_", " ").capitalize())


def provenance_lines(lead: LeadRecord, *, masked: bool) -> list[str]:
    """One line per field: its trust mark, the rule that read it, the reader's confidence and the values
    set aside. ``masked``: private fields are named with their mark only, their alternatives counted, not
    shown, and any private value quoted elsewhere is blanked."""
    lines = []
    hidden = private_values(lead) if masked else []
    for name in [n for n in lead.fields if lead.value(n)]:
        info = trust.provenance_of(lead, name)
        mark = trust.mark(lead, name)
        line = f"*{escape(_field_label(name))}*" + (f" {messages.TRUST_BADGES[mark]}" if mark else "")
        if info:
            source = str(info.get("source") or "unknown")
            source = redacted(source, lead) if hidden else source
            line += f" — `{escape_trimmed(one_line(source), 120)}`, {trust.confidence(info):.0%} sure"
            flags = [str(f) for f in info.get("flags") or [] if isinstance(f, str)]
            if flags and not (masked and name in _PRIVATE_FIELDS):
                line += " · " + escape_trimmed(", ".join(flags), 200)
            others = [str(a) for a in info.get("alternatives") or []]
            if others and masked and name in _PRIVATE_FIELDS:
                line += " · " + messages.SET_ASIDE_HIDDEN.format(count=len(others))
            elif others:
                shown = [redacted(a, lead) if hidden else a for a in others]
                quoted = ", ".join(f"“{escape_trimmed(one_line(a), 120)}”" for a in shown)
                line += " · " + messages.SET_ASIDE.format(values=quoted)
        lines.append(line)
    return lines


def verification_lines(lead: LeadRecord, *, now: datetime, masked: bool) -> list[str]:
    """What the phone says (international form unless masked, region, local time) and the email's kind."""
    lines = []
    if facts := trust.phone_facts(lead, now):
        parts = [] if masked else [escape(facts.international)]
        if facts.region:
            parts.append(escape(facts.region))
        if local := trust.local_time_text(facts):
            parts.append(":clock3: " + escape(local))
        if parts:
            lines.append(":telephone_receiver: " + " · ".join(parts))
    if kind := trust.email_kind(lead):
        lines.append(f":envelope: {kind}")
    if address := address_line(lead, masked=masked):
        lines.append(address)
    return lines


def learned_lines(lead: LeadRecord, *, masked: bool, grades: tuple[int, int] | None = None) -> list[str]:
    """Every learned reason (`/leads show` shows them always), and the grade they changed, if they did."""
    learned = learned_of(lead, grades)
    lines = [
        f"{messages.LEARNED_LABEL}: " + escape_trimmed(one_line(redacted(r, lead) if masked else r), 200)
        for r in learned.reasons
    ]
    if learned.changed_grade:
        lines.append(messages.LEARNED_GRADE.format(before=learned.grade_without, after=escape(lead.grade)))
    return lines


def how_read_blocks(lead: LeadRecord, *, masked: bool, now: datetime) -> tuple[list[dict[str, Any]], str]:
    """The ephemeral answer to "How was this read?": where each field came from, how sure we are, the
    alternatives set aside, and what verification found — masked values never shown."""
    title = messages.HOW_READ_TITLE.format(lead_id=lead.id)
    lines = provenance_lines(lead, masked=masked) or [messages.HOW_READ_NOTHING]
    if masked and (contact := contact_marks(lead)):
        lines.append(f"*Contact* {contact}")
    lines += verification_lines(lead, now=now, masked=masked)
    blocks = [_section(title)] + [_section(chunk) for chunk in _chunks("\n".join(lines), _CHUNK)]
    return blocks[:MODAL_MAX_BLOCKS], f"How lead #{lead.id} was read"
