"""Renderers for the plain texts the bot posts outside cards: thread notes, channel posts and DMs.

Each takes values and returns finished mrkdwn, every outside value through `bot.slack.safe.inert`, so
whoever queues the text (the SLA plan, the pipeline, the store's repeat-inquiry notice, a listener)
never formats a lead's value itself. Texts seen by a channel name a lead by its first name only
(`bot.slack.blocks.first_name`); its owner is told everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from bot.slack import messages
from bot.slack.blocks import CLAIM_ACTION, first_name, mention, redacted
from bot.slack.safe import guard, inert, inert_line
from store.records import LeadRecord

#: how much of what a person wants a one-line note quotes
WANTS_MAX = 140
NAME_MAX = 120
VENDOR_MAX = 80
DIGEST_SHOWN = 15

REPEAT_IN_THREAD = "Repeat inquiry (lead #{lead_id}): {notice}"
REPEAT_DM = "A lead you are working (#{original_id}) asked again (lead #{lead_id}): {notice}"
DIGEST_TITLE = "Grade C in the last {hours} h: {count} lead(s), kept, no rep pinged."
DIGEST_MORE = "… and {more} more: `leadbot leads --grade C`"


class Inquiry(Protocol):
    """What a repeat-inquiry notice reads: a lead's values (an extracted or a stored lead)."""

    def value(self, name: str) -> str | None: ...


def lead_ref(lead: LeadRecord, *, masked: bool = True) -> str:
    """``lead #42 (Dana, grade A, AutoLeads, SUV lease)``: a lead named in a reminder, an escalation or a DM.

    ``masked`` (the default, for channel posts and anyone but the owner): the first name only.
    """
    name = first_name(lead) if masked else lead.display_name
    parts = [inert_line(name, NAME_MAX), f"grade {inert(lead.grade, 8)}"]
    if lead.vendor:
        parts.append(inert_line(lead.vendor, VENDOR_MAX))
    if interest := lead.value("interest"):
        parts.append(inert_line(interest, 60))
    return f"lead #{lead.id} ({', '.join(parts)})"


def repeat_notice(inquiry: Inquiry, vendor: str | None) -> str:
    """One line about a person's new inquiry, for the thread of the card already posted about them:
    ``Dana via AutoLeads — wants a quote``. The first name only (the thread is the channel's), never the
    email or phone."""
    name = inquiry.value("first_name") or (inquiry.value("full_name") or "").strip()
    who = inert_line(name.split()[0], NAME_MAX) if name.split() else "someone"
    parts = [who, f"via {inert_line(vendor, VENDOR_MAX)}" if vendor else "again"]
    wants = inquiry.value("interest") or inquiry.value("message")
    if wants:
        parts.append("— " + inert_line(wants, WANTS_MAX))
    return " ".join(parts)


def repeat_in_thread(lead_id: int, notice: str) -> str:
    """The thread note on the original card; ``notice`` is `repeat_notice`'s (already safe)."""
    return REPEAT_IN_THREAD.format(lead_id=lead_id, notice=notice)


def repeat_dm(original_id: int, lead_id: int, notice: str) -> str:
    """The owner's DM about a repeat inquiry; ``notice`` is `repeat_notice`'s (already safe)."""
    return REPEAT_DM.format(original_id=original_id, lead_id=lead_id, notice=notice)


def assigned_you(by: str, lead_id: int) -> str:
    return messages.ASSIGNED_YOU.format(by=mention(by), lead_id=lead_id)


def grade_c_digest(leads: Sequence[LeadRecord], hours: int) -> str:
    """The alerts channel's digest of grade C leads (first names only: the channel sees it)."""
    lines = [DIGEST_TITLE.format(hours=hours, count=len(leads))]
    for lead in leads[:DIGEST_SHOWN]:
        why = inert_line(redacted(lead.reasons[0], lead), 200) if lead.reasons else ""
        source = inert_line(lead.vendor or lead.channel, VENDOR_MAX)
        name = inert_line(first_name(lead), NAME_MAX)
        lines.append(f"• #{lead.id} {name} ({source}) score {lead.score} {why}".rstrip())
    if len(leads) > DIGEST_SHOWN:
        lines.append(DIGEST_MORE.format(more=len(leads) - DIGEST_SHOWN))
    return "\n".join(lines)


# ---- follow-up in the conversation (issue 14) ---------------------------------------------------------------

#: how much of a logged activity's text its thread note quotes
ACTIVITY_MAX = 1500
_ACTIVITY_BADGES = {"call": ":telephone_receiver:", "email": ":email:", "meeting": ":handshake:", "note": ":memo:"}


def activity_in_thread(lead_id: int, user: str, activity: str, text: str, *, masked: bool) -> str:
    """The card thread's note about a logged call, email, meeting or note. ``masked`` (channel cards are
    masked): who and what kind only — the text can quote a phone number or an address, so it stays in
    `/leads show` for those who may read it (the privacy rule of the contact history)."""
    badge = _ACTIVITY_BADGES.get(activity, ":memo:")
    label = messages.ACTIVITIES.get(activity, "Note")
    head = messages.ACTIVITY_IN_THREAD.format(badge=badge, activity=label, user=mention(user))
    if masked:
        return head + " " + messages.ACTIVITY_HIDDEN.format(lead_id=lead_id)
    # no ">" quote: `guard` escapes every ">" that is not our markup, so the text goes on its own lines
    return f"{head}:\n{inert(text.strip(), ACTIVITY_MAX)}"


def reopened_in_thread(user: str, outcome: str | None) -> str:
    """The card thread's note when a closed lead is re-opened."""
    was = messages.OUTCOMES.get(outcome or "", "closed")
    return messages.REOPENED_IN_THREAD.format(user=mention(user), outcome=was)


def reassigned_away(by: str, lead: LeadRecord, to_user: str) -> str:
    """The DM telling the previous owner that a lead went to someone else (they knew all its details)."""
    return messages.REASSIGNED_AWAY.format(by=mention(by), lead=lead_ref(lead, masked=False), owner=mention(to_user))


def slack_date(moment: datetime) -> str:
    """A Slack date token: every reader sees ``moment`` in their own time zone."""
    epoch = int(moment.timestamp())
    return f"<!date^{epoch}^{{date_short_pretty}} {{time}}|{moment.strftime('%Y-%m-%d %H:%M UTC')}>"


def reminder_dm(lead: LeadRecord | None, lead_id: int, note: str | None, *, masked: bool) -> str:
    """The reminder a rep asked for. ``masked``: the lead's first name only (the rep is not its owner)."""
    what = lead_ref(lead, masked=masked) if lead is not None else f"lead #{lead_id} (no longer stored)"
    text = messages.REMINDER_DM.format(lead=what)
    if lead is not None and lead.status == "closed":
        text += " " + messages.REMINDER_CLOSED.format(outcome=messages.OUTCOMES.get(lead.outcome or "", "closed"))
    if note:
        text += "\n" + messages.REMINDER_NOTE.format(note=inert_line(note, 500))
    return text


def with_claim_button(text: str, lead_id: int) -> list[dict[str, Any]]:
    """A note (an escalation to a wider channel) with the card's Claim button under it."""
    button = {
        "type": "button",
        "action_id": CLAIM_ACTION,
        "style": "primary",
        "text": {"type": "plain_text", "text": messages.CLAIM_BUTTON},
        "value": str(lead_id),
    }
    # `guard`, as the poster guards every note's text: blocks do not pass through it there
    section = {"type": "mrkdwn", "text": guard(text, 3000), "verbatim": True}
    return [
        {"type": "section", "block_id": "note", "text": section},
        {"type": "actions", "block_id": "claim", "elements": [button]},
    ]
