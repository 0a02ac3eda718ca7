"""Block Kit renderers: pure functions from a stored lead to the card a rep sees.

The card is a function of the lead alone (house style 8), so posting and every later update render the
same way. Vendor text is untrusted: every value passes `bot.slack.safe.inert` (the one escaping rule) and is sent
with ``verbatim: true`` so Slack does not auto-parse it, so a lead cannot ping a channel, mention a user,
open a link or reorder text. Lengths respect Slack's Block Kit limits.

Masked (``[privacy] mask_unclaimed``), the card shows what a rep needs to decide to claim — first name,
city or region, interest, budget, timeline, score and reasons — and none of email, phone, street,
surname or company; reasons that quote one of those values have it blanked.
"""

from __future__ import annotations

import functools
import re
from datetime import datetime
from typing import Any

from bot.settings import ScoringSettings
from bot.slack import messages, trust
from bot.slack.safe import cleaned, inert
from store.records import LeadRecord

#: action_id of the card's Claim button (the claim listener matches on it)
CLAIM_ACTION = "claim"
#: the card's other buttons (the card listener matches on them); each carries the lead id as its value
VIEW_ORIGINAL_ACTION = "view_original"
LOG_ACTIVITY_ACTION = "log_activity"
SET_OUTCOME_ACTION = "set_outcome"
RELEASE_ACTION = "release"
REASSIGN_ACTION = "reassign"
#: a masked card's "Show details": the full card, ephemerally, for the owner and managers only
SHOW_DETAILS_ACTION = "show_details"
#: "How was this read?": where each field came from, ephemerally (masked values stay hidden)
HOW_READ_ACTION = "how_read"
#: follow-up (issue 14): a claimed card's "Remind me" (a modal), a closed card's "Re-open"
REMIND_ACTION = "remind"
REOPEN_ACTION = "reopen"

# Slack limits (https://api.slack.com/reference/block-kit/blocks, …/block-elements#button).
MAX_BLOCKS = 50
SECTION_TEXT_MAX = 3000
FIELD_TEXT_MAX = 2000
MAX_FIELDS = 10
CONTEXT_TEXT_MAX = 3000
BUTTON_TEXT_MAX = 75
#: Slack truncates a message's top-level text at 40,000 characters; it is only a notification and
#: screen-reader fallback here, so keep it short.
FALLBACK_TEXT_MAX = 300

#: the fields shown in the card's grid, in order, with their labels
CARD_FIELDS: tuple[tuple[str, str], ...] = (
    ("email", "Email"),
    ("phone", "Phone"),
    ("interest", "Interest"),
    ("budget", "Budget"),
    ("timeline", "Timeline"),
)
#: a masked card's grid ("where" is city and region together)
MASKED_CARD_FIELDS: tuple[tuple[str, str], ...] = (
    ("where", "Where"),
    ("interest", "Interest"),
    ("budget", "Budget"),
    ("timeline", "Timeline"),
)
TOP_REASONS = 3

_GRADE_BADGES = {"A": ":large_green_circle:", "B": ":large_yellow_circle:", "C": ":white_circle:"}
_OUTCOME_BADGES = {"won": ":trophy:", "lost": ":x:", "nurture": ":seedling:", "disqualified": ":no_entry_sign:"}
_SLACK_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_POINTS = re.compile(r"^\s*([+-]?\d+)")


def lead_card(
    lead: LeadRecord,
    *,
    masked: bool = False,
    now: datetime | None = None,
    grades: tuple[int, int] | None = None,
) -> tuple[list[dict[str, Any]], str]:
    """The lead's Slack card: (blocks, fallback text).

    Unclaimed and claimable, the card ends with a primary "Claim" button (action_id ``claim``, value the
    lead id); claimed, it names the owner instead, with the work buttons (and "Remind me"); closed, with
    "Re-open". ``masked``: without contact details (module docstring),
    with a "Show details" button that answers only those allowed to see them.

    Each field carries its trust mark (`bot.slack.trust.mark`); the phone is shown in international
    format with its region and the lead's local time at ``now`` (default: when the lead arrived); learned
    reasons are shown when they moved the score visibly or changed the grade (``grades``: the configured
    ``(grade_a, grade_b)`` thresholds, default the settings' defaults).
    """
    at = now or lead.created_at
    blocks: list[dict[str, Any]] = [_section(_title(lead, masked=masked), block_id="lead")]
    fields = _fields(lead, masked=masked)
    if fields:
        blocks.append({"type": "section", "block_id": "fields", "fields": fields[:MAX_FIELDS]})
    if phone := _phone_line(lead, at, masked=masked):
        blocks.append({"type": "context", "block_id": "phone", "elements": [_mrkdwn(phone)]})
    if address := address_line(lead, masked=masked):
        blocks.append({"type": "context", "block_id": "address", "elements": [_mrkdwn(address)]})
    score = _section(_score_line(lead, masked=masked, grades=grades), block_id="score")
    score["accessory"] = _button(HOW_READ_ACTION, messages.HOW_READ_BUTTON, lead)
    blocks.append(score)
    source = [_mrkdwn(_source_line(lead))]
    if masked:
        source.append(_mrkdwn(messages.MASKED_NOTE))
    blocks.append({"type": "context", "block_id": "source", "elements": source})
    view = _button(VIEW_ORIGINAL_ACTION, messages.VIEW_ORIGINAL_BUTTON, lead)
    more = [_button(SHOW_DETAILS_ACTION, messages.SHOW_DETAILS_BUTTON, lead)] if masked else []
    if _claimable(lead):
        claim = _button(CLAIM_ACTION, messages.CLAIM_BUTTON, lead, style="primary")
        blocks.append({"type": "actions", "block_id": "claim", "elements": [claim, view, *more]})
    else:
        blocks.append(_section(_owner_line(lead), block_id="owner"))
        if lead.status == "claimed":
            work = [
                _button(LOG_ACTIVITY_ACTION, messages.LOG_ACTIVITY_BUTTON, lead, style="primary"),
                _button(SET_OUTCOME_ACTION, messages.SET_OUTCOME_BUTTON, lead),
                _button(REMIND_ACTION, messages.REMIND_BUTTON, lead),
                _button(RELEASE_ACTION, messages.RELEASE_BUTTON, lead),
                _button(REASSIGN_ACTION, messages.REASSIGN_BUTTON, lead),
                view,
                *more,
            ]
            blocks.append({"type": "actions", "block_id": "work", "elements": work})
        else:
            reopen = [_button(REOPEN_ACTION, messages.REOPEN_BUTTON, lead)] if lead.status == "closed" else []
            blocks.append({"type": "actions", "block_id": "view", "elements": [*reopen, view, *more]})
    return blocks[:MAX_BLOCKS], _fallback(lead, masked=masked)


def first_name(lead: LeadRecord) -> str:
    """The name a masked card shows: the first name (or the first word of the full name), else the lead
    number — never the email or phone that ``display_name`` falls back to."""
    name = lead.value("first_name") or (lead.value("full_name") or "").strip()
    words = name.split()
    return words[0] if words else f"Lead #{lead.id}"


def where(lead: LeadRecord) -> str | None:
    """City and region, as a masked card shows them (never the street or postal code)."""
    parts = [p for p in (lead.value("city"), lead.value("region")) if p]
    return ", ".join(dict.fromkeys(parts)) or None


def private_values(lead: LeadRecord) -> list[str]:
    """The values a masked rendering must not show (longest first, so a full name goes before a surname)."""
    names = ("email", "phone", "street", "last_name", "full_name", "company", "postal_code")
    values = {v.strip() for n in names if (v := lead.value(n)) and len(v.strip()) >= 2}
    full = (lead.value("full_name") or "").split()
    values.update(w for w in full[1:] if len(w) >= 2)
    return sorted(values, key=len, reverse=True)


def redacted(text: str, lead: LeadRecord) -> str:
    """``text`` (a score reason) with the lead's private values blanked out."""
    for value in private_values(lead):
        text = re.sub(re.escape(value), messages.HIDDEN, text, flags=re.IGNORECASE)
    return text


def console_card(lead: LeadRecord, *, now: datetime | None = None, grades: tuple[int, int] | None = None) -> str:
    """The same card as plain text, for when Slack is off (control characters removed): the marks, the
    phone's region and local time at ``now`` and the learned reasons as on the Slack card."""
    title = f"[{_plain(lead.grade)}] {_plain(lead.display_name)}"
    if company := lead.value("company"):
        title += f" — {_plain(company)}"
    lines = [f"{title}   (lead #{lead.id}, score {lead.score})"]
    for name, label in CARD_FIELDS:
        if value := lead.value(name):
            marked = f" [{m}]" if (m := trust.mark(lead, name)) else ""
            kind = f" ({k})" if name == "email" and (k := trust.email_kind(lead)) else ""
            lines.append(f"  {label + ':':<10}{_plain(value)}{marked}{kind}")
    if facts := trust.phone_facts(lead, now or lead.created_at):
        where_ = [facts.international, *([facts.region] if facts.region else [])]
        if local := trust.local_time_text(facts):
            where_.append(local)
        lines.append(f"  {'Reach:':<10}" + _plain(" · ".join(where_)))
    if check := trust.address_check(lead):
        mark_ = trust.VERIFIED if check.matches else trust.UNVERIFIED
        lines.append(f"  {'Address:':<10}{_plain(check.reason)} [{mark_}]")
    reasons = _top_reasons(lead.reasons)
    learned = learned_of(lead, grades)
    if learned.visible:
        reasons += [r for r in learned.reasons if r not in reasons]
    if reasons:
        lines.append(f"  {'Why:':<10}" + "; ".join(_plain(r) for r in reasons))
    source = (lead.vendor or "unknown vendor") + _for(lead)
    lines.append(f"  {'Source:':<10}{_plain(source)} via {_plain(lead.channel)}")
    if lead.owner:
        lines.append(f"  {'Owner:':<10}{_plain(lead.owner)}")
    elif not _claimable(lead):
        lines.append(f"  {'Status:':<10}{_plain(lead.status)}")
    else:
        lines.append(f"  {'Status:':<10}unclaimed")
    return "\n".join(lines)


def escape(text: str) -> str:
    """Vendor text made safe for mrkdwn: entities escaped, special mentions and code fences defused."""
    return _escape(text, None)


def mention(user_id: str) -> str:
    """``<@U…>`` for a real Slack user id; anything else (a CLI-entered name) is shown escaped."""
    return f"<@{user_id}>" if _SLACK_USER_ID.fullmatch(user_id) else escape(user_id)


# ---- pieces -------------------------------------------------------------------------------------------


def claimable(lead: LeadRecord) -> bool:
    return _claimable(lead)


def top_reasons(reasons: tuple[str, ...]) -> list[str]:
    return _top_reasons(reasons)


def escape_trimmed(text: str, limit: int) -> str:
    """`escape`, trimmed so the escaped result fits ``limit`` (ending in an ellipsis, never mid-entity)."""
    return _escape(text, limit)


def one_line(text: str) -> str:
    return _one_line(text)


def _claimable(lead: LeadRecord) -> bool:
    return lead.owner is None and lead.status in ("new", "posted")


def _title(lead: LeadRecord, *, masked: bool) -> str:
    badge = _GRADE_BADGES.get(lead.grade, ":black_circle:")
    grade = messages.GRADE_LABEL.format(grade=_escape(lead.grade, 8))
    name = _escape(_one_line(first_name(lead) if masked else lead.display_name), 500)
    title = f"{badge} *{grade}* · *{name}*"
    if not masked and (company := lead.value("company")):
        title += " — " + _escape(_one_line(company), 500)
    return title


def _fields(lead: LeadRecord, *, masked: bool) -> list[dict[str, Any]]:
    """The grid: each value with its trust mark, the email's kind; masked, the contact's marks alone."""
    out = []
    for name, label in MASKED_CARD_FIELDS if masked else CARD_FIELDS:
        value = where(lead) if name == "where" else lead.value(name)
        if not value:
            continue
        head = f"*{label}*" + (f" {messages.TRUST_BADGES[m]}" if (m := trust.mark(lead, name)) else "")
        text = _escape(_one_line(value), FIELD_TEXT_MAX - len(head) - 40)
        if name == "email" and (kind := trust.email_kind(lead)):
            text += f" · _{kind}_"
        out.append(_mrkdwn(f"{head}\n{text}"))
    if masked and (contact := contact_marks(lead)):
        out.insert(0, _mrkdwn(f"*Contact*\n{contact}"))
    return out


def contact_marks(lead: LeadRecord) -> str:
    """How far the hidden email and phone can be trusted, without their values (a masked card's "Contact")."""
    parts = []
    for name in trust.VERIFIABLE:
        if lead.value(name):
            m = trust.mark(lead, name)
            parts.append(f"{name} " + (messages.TRUST_BADGES[m] if m else ""))
    if kind := trust.email_kind(lead):
        parts.append(f"_{kind}_")
    return " · ".join(p.strip() for p in parts)


def _phone_line(lead: LeadRecord, now: datetime, *, masked: bool) -> str | None:
    """":telephone_receiver: +1 617-555-0134 · Massachusetts · :clock3: 10:30 Wed there (America/New_York,
    UTC-04:00)"; masked, without the number."""
    facts = trust.phone_facts(lead, now)
    if facts is None:
        return None
    parts = [] if masked else [_escape(facts.international, 100)]
    if facts.region:
        parts.append(_escape(facts.region, 200))
    if local := trust.local_time_text(facts):
        parts.append(":clock3: " + _escape(local, 200))
    return ":telephone_receiver: " + " · ".join(parts) if parts else None


def address_line(lead: LeadRecord, *, masked: bool) -> str | None:
    """":round_pushpin: :warning: unverified · ZIP 10001 is in NY, not CA" (`trust.address_check`); masked,
    without the postal code. None when the address cannot be checked."""
    check = trust.address_check(lead)
    if check is None:
        return None
    badge = messages.TRUST_BADGES[trust.VERIFIED if check.matches else trust.UNVERIFIED]
    reason = redacted(check.reason, lead) if masked else check.reason
    return f":round_pushpin: {badge} · " + _escape(_one_line(reason), 300)


def _score_line(lead: LeadRecord, *, masked: bool, grades: tuple[int, int] | None) -> str:
    line = f"*Score {lead.score}/100*"
    top = _top_reasons(lead.reasons)
    learned = learned_of(lead, grades)
    shown = list(top)
    if learned.visible:
        shown += [r for r in learned.reasons if r not in top]
    reasons = [redacted(r, lead) if masked else r for r in shown]
    if reasons:
        line += "\n" + "\n".join(
            "• " + _escape(_one_line(r), 600) + (f" ({messages.LEARNED_LABEL})" if learned.visible and
                                                 raw in learned.reasons else "")
            for r, raw in zip(reasons, shown, strict=True)
        )
    if learned.visible and learned.changed_grade:
        line += "\n" + messages.LEARNED_GRADE.format(before=learned.grade_without, after=_escape(lead.grade, 8))
    return line


def learned_of(lead: LeadRecord, grades: tuple[int, int] | None = None) -> trust.Learned:
    """`trust.learned` with the configured grade thresholds (default: the settings' defaults)."""
    grade_a, grade_b = grades or _default_grades()
    return trust.learned(lead, grade_a=grade_a, grade_b=grade_b)


@functools.cache
def _default_grades() -> tuple[int, int]:
    defaults = ScoringSettings()
    return defaults.grade_a, defaults.grade_b


def _source_line(lead: LeadRecord) -> str:
    vendor = _escape(_one_line(lead.vendor or "unknown vendor") + _for(lead), 500)
    return f"{vendor} via {_escape(lead.channel, 50)} · lead #{lead.id} · {received(lead)}"


def _for(lead: LeadRecord) -> str:
    """" for Valley Toyota (dealer)": whom a portal's lead is for, when the message named it."""
    side = trust.stored_other_side(lead)
    return "".join(f" for {name} ({role})" for role, name in list(side.items())[:1])


def received(lead: LeadRecord) -> str:
    """When the lead arrived, as a Slack date token: every client shows it in its own time zone, with the
    age ("3 hours ago") kept current by Slack, so the card never needs an update to stay true."""
    epoch = int(lead.created_at.timestamp())
    fallback = lead.created_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"received <!date^{epoch}^{{date_short_pretty}} {{time}} ({{ago}})|{fallback}>"


def _button(action_id: str, label: str, lead: LeadRecord, *, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label[:BUTTON_TEXT_MAX]},
        "value": str(lead.id),
    }
    if style:
        button["style"] = style
    return button


def _owner_line(lead: LeadRecord) -> str:
    if lead.status == "closed" and lead.outcome:
        line = messages.CARD_OUTCOME.format(
            badge=_OUTCOME_BADGES.get(lead.outcome, ":black_circle:"),
            outcome=_escape(messages.OUTCOMES.get(lead.outcome, lead.outcome), 40),
        )
        if lead.outcome == "won" and lead.outcome_amount is not None:
            line += f" · {money(lead.outcome_amount)}"
        if lead.owner:
            line += " · " + messages.CLAIMED_BY.format(owner=mention(lead.owner)[:200])
        return line
    if lead.owner:
        return ":white_check_mark: " + messages.CLAIMED_BY.format(owner=mention(lead.owner)[:200])
    return messages.CARD_STATUS.format(status=_escape(lead.status, 50))


def money(amount: float) -> str:
    return f"{amount:,.2f}".removesuffix(".00")


def _fallback(lead: LeadRecord, *, masked: bool) -> str:
    name = first_name(lead) if masked else lead.display_name
    text = messages.FALLBACK_TEXT.format(grade=lead.grade, name=_one_line(name))
    if not masked and (company := lead.value("company")):
        text += f" ({_one_line(company)})"
    return _escape(text, FALLBACK_TEXT_MAX)


def _top_reasons(reasons: tuple[str, ...]) -> list[str]:
    """The reasons that moved the score most ("+20 phone verified" beats "+5 company given")."""

    def weight(reason: str) -> int:
        found = _POINTS.match(reason)
        return abs(int(found.group(1))) if found else 0

    return sorted(reasons, key=weight, reverse=True)[:TOP_REASONS]


def _section(text: str, *, block_id: str) -> dict[str, Any]:
    return {"type": "section", "block_id": block_id, "text": _mrkdwn(text[:SECTION_TEXT_MAX])}


def _mrkdwn(text: str) -> dict[str, Any]:
    # verbatim: Slack must not auto-link or auto-mention anything in vendor text.
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _plain(text: str) -> str:
    return cleaned(text)


def _escape(text: str, limit: int | None) -> str:
    """`bot.slack.safe.inert`: escaped, defused, cleaned, cut so the *escaped* result fits ``limit``."""
    return inert(text, limit)
