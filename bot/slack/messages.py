"""Every string a Slack user reads, in one place, so the wording stays consistent.

Values that come from outside (lead ids from a button, Slack user ids) are formatted in by the callers;
vendor text is never put in here unescaped (see ``bot.slack.blocks``).
"""

from __future__ import annotations

CLAIM_BUTTON = "Claim"
CLAIMED_BY = "Claimed by {owner}"
CARD_STATUS = "Status: {status}"

LEAD_GONE = "That lead no longer exists."
ALREADY_CLAIMED = "Already claimed by {owner}."
ALREADY_YOURS = "You already have this lead."
NOT_CLAIMABLE = "This lead can no longer be claimed (it is {status})."
CLAIM_FAILED = "Something went wrong claiming lead #{lead_id}; please try again in a moment."

GRADE_LABEL = "{grade} lead"
FALLBACK_TEXT = "{grade} lead: {name}"

# ---- card buttons and lead work -------------------------------------------------------------------------
VIEW_ORIGINAL_BUTTON = "View original"
LOG_ACTIVITY_BUTTON = "Log activity"
SET_OUTCOME_BUTTON = "Set outcome"
RELEASE_BUTTON = "Release"
REASSIGN_BUTTON = "Reassign"

NOT_A_REP = "Sorry, only reps can claim leads here. Ask a manager to add you to the reps."
NOT_YOURS = "Sorry, lead #{lead_id} belongs to {owner}; only they or a manager can do that."
NOT_CLAIMED = "Lead #{lead_id} is not claimed yet; claim it first."
LEAD_CLOSED = "Lead #{lead_id} is already closed ({outcome})."
MANAGERS_ONLY = "Sorry, only managers can {what}."
WORK_FAILED = "Something went wrong with lead #{lead_id}; please try again in a moment."

RELEASED = "You released lead #{lead_id}; it is back up for grabs."
REASSIGNED = "Lead #{lead_id} now belongs to {owner}."
ACTIVITY_LOGGED = "Logged {activity} on lead #{lead_id}."
OUTCOME_SET = "Lead #{lead_id} closed as {outcome}."

ORIGINAL_TITLE = "Original message"
ORIGINAL_NONE = "This lead was not read from a stored message (it was entered by hand)."
ORIGINAL_GONE = "The stored message is no longer available."
ORIGINAL_TRIMMED = "… trimmed: {more} more characters (see `leadbot messages --show {message_id}`)."
ACTIVITY_TITLE = "Log activity"
OUTCOME_TITLE = "Set outcome"
REASSIGN_TITLE = "Reassign lead"
SAVE = "Save"
CANCEL = "Cancel"

ACTIVITIES = {"call": "Call", "email": "Email", "meeting": "Meeting", "note": "Note"}
OUTCOMES = {"won": "Won", "lost": "Lost", "nurture": "Nurture", "disqualified": "Disqualified"}
NEED_AMOUNT = "A won deal needs its amount (a number, e.g. 12500)."
BAD_AMOUNT = "Write the amount as a number, e.g. 12500 or 12,500.50."
NEED_REASON = "Say why (a short reason)."
NEED_TEXT = "Write what happened."

# ---- chat intake ------------------------------------------------------------------------------------------
DRAFT_INTRO = "I read this lead from the message. Confirm to score it and post its card:"
DRAFT_EMPTY = "I could not find a lead in that message (no name, email or phone). Edit to fill it in, or discard."
DRAFT_CONFIRMED = ":white_check_mark: Confirmed by {user}: lead #{lead_id} ({grade}, score {score}){where}."
DRAFT_CONFIRMED_WHERE = ", card posted to <#{channel}>"
DRAFT_DISCARDED = ":wastebasket: Discarded by {user}."
DRAFT_GONE = "That draft was already confirmed or discarded."
DRAFT_UNREADABLE = "I could not read that message: {error}"
CONFIRM_BUTTON = "Confirm"
EDIT_BUTTON = "Edit"
DISCARD_BUTTON = "Discard"
EDIT_TITLE = "Edit lead"
NOTHING_TO_READ = "There is no text in that message to read a lead from."

# ---- /leads -----------------------------------------------------------------------------------------------
USAGE = (
    "Usage: `/leads help` · `stats [7d|30d|90d|all]` · `mine` · `unclaimed` · `show <id|email>` · "
    "`outcome <id> won|lost|nurture|disqualified [amount] [reason]` · `note <id> <text>` · `search <text>` · "
    "`reopen <id>` · `remind <id> <when>` · `new <text>` · `away on|off` · `credit <id> requested|granted` — "
    "add `share` to post the answer to the channel."
)
HELP = "\n".join(
    [
        "*Leadbot* — your leads, without leaving Slack.",
        "• `/leads stats [7d|30d|90d|all]` — the pipeline: leads by source and grade, claim times, outcomes",
        "• `/leads mine` — your open leads",
        "• `/leads unclaimed` — cards nobody has claimed yet",
        "• `/leads show <id|email>` — a contact: every lead, every event, the score",
        "• `/leads outcome <id> won|lost|nurture|disqualified [amount] [reason]` — close a lead",
        "• `/leads note <id> <text>` — log a note on a lead (it shows in the card's thread too)",
        "• `/leads reopen <id>` — re-open a closed lead (its owner or a manager)",
        "• `/leads remind <id> <when>` — a DM from me then: `tomorrow 9am`, `friday`, `in 2h`, `2026-12-03 14:00`",
        "• `/leads search <text>` — find leads by name, email, company…",
        "• `/leads new <text>` — read a lead from text you paste",
        "• `/leads away on|off` — pause or resume automatic assignment to you",
        "• `/leads erase <contact id|email|phone>` — managers: erase a person everywhere, Slack included",
        "• `/leads credit <id> requested|granted` — managers: the vendor credit asked or granted for a lead",
        "Answers are only for you; add `share` (e.g. `/leads stats 30d share`) to post one to the channel.",
    ]
)
NOTHING_MINE = "You have no open leads. `/leads unclaimed` shows the ones waiting."
NOTHING_UNCLAIMED = "Every card is claimed. :tada:"
NOTHING_FOUND = "No lead matches “{query}”."
NO_SUCH_LEAD = "No lead or contact matches “{ref}”."
AWAY_ON = "You are away: no leads will be assigned to you automatically. `/leads away off` when you are back."
AWAY_OFF = "Welcome back: automatic assignment includes you again."
NOTE_SAVED = "Noted on lead #{lead_id}."
COMMAND_FAILED = "Sorry, that did not work ({what}); please try again in a moment."
HOME_TITLE = "Your leads"
HOME_UNCLAIMED = "*{count}* unclaimed card(s) waiting in the channels."
HOME_NONE = "You have no open leads."
CARD_OUTCOME = "{badge} Closed: *{outcome}*"

# ---- privacy: masked cards, reading rights ----------------------------------------------------------------
SHOW_DETAILS_BUTTON = "Show details"
MASKED_NOTE = ":lock: Contact details go to whoever claims this lead."
HIDDEN = "[hidden]"
DETAILS_FOR_OWNER = "Lead #{lead_id} is yours: here are its details."
NOT_ALLOWED_DETAILS = "Sorry, only the lead's owner and managers can see its contact details."
NOT_ALLOWED_ORIGINAL = "Sorry, only the lead's owner and managers can open the original message."
NOT_ALLOWED_READ = "Sorry, only reps and managers can look up leads here. Ask a manager to add you to the reps."
MASKED_CONTACT = "Contact details are shown to the owner of one of this person's leads and to managers."
ASSIGNED_YOU = "{by} assigned you lead #{lead_id}."

# ---- trust and verification (issue 14) -------------------------------------------------------------------
HOW_READ_BUTTON = "How was this read?"
HOW_READ_TITLE = "*How lead #{lead_id} was read*"
HOW_READ_NOTHING = "No field of this lead records where it came from."
TRUST_BADGES = {
    "verified": ":white_check_mark: verified",
    "unverified": ":warning: unverified",
    "low confidence": ":grey_question: low confidence",
}
SET_ASIDE = "set aside: {values}"
SET_ASIDE_HIDDEN = "{count} other value(s) set aside (shown once claimed)"
LEARNED_LABEL = ":bulb: learned"
LEARNED_GRADE = ":bulb: learning moved this lead from {before} to {after}"
CREDIT_MARKED = "Lead #{lead_id}: vendor credit {state}."

# ---- follow-up in the conversation (issue 14) --------------------------------------------------------------
ACTIVITY_IN_THREAD = "{badge} *{activity}* logged by {user}"
ACTIVITY_HIDDEN = "(the text is in `/leads show {lead_id}` for its owner and managers)."
REOPEN_BUTTON = "Re-open"
REMIND_BUTTON = "Remind me"
REOPENED = "Lead #{lead_id} is open again."
REOPENED_IN_THREAD = ":arrows_counterclockwise: Re-opened by {user} (it was {outcome})."
NOT_CLOSED = "Lead #{lead_id} is not closed; there is nothing to re-open."
REASSIGNED_AWAY = "{by} reassigned {lead}, which you had, to {owner}."
REMIND_TITLE = "Remind me"
REMIND_WHEN_LABEL = "Or when"
REMIND_QUICK_LABEL = "When"
#: the modal's quick choices: the phrase (read like a typed one) and its label
REMIND_QUICK = {"in 1 hour": "In an hour", "in 3 hours": "In 3 hours", "tomorrow": "Tomorrow morning",
                "monday": "Monday morning"}
REMIND_NEED_WHEN = "Choose when, or write it."
REMIND_WHEN_HINT = "e.g. tomorrow 9am · friday · in 2h · 2026-12-03 14:00"
REMIND_NOTE_LABEL = "Note to yourself"
REMIND_SET = ":alarm_clock: I will remind you about lead #{lead_id} {when}."
REMIND_MOVED = " (moved into business hours)"
REMIND_UNREADABLE = "I could not read “{text}” as a time. Try: tomorrow 9am, friday, in 2h, 2026-12-03 14:00."
REMIND_PAST = "That time has passed already; say a time to come."
REMIND_TOO_FAR = "That is more than a year away; say a nearer time."
REMINDER_DM = ":alarm_clock: Reminder: {lead}."
REMINDER_CLOSED = "It is closed now ({outcome})."
REMINDER_NOTE = "Your note: {note}"
DM_UNKNOWN = "I did not understand that. Here is what I can do (no `/leads` needed in here):"
ESCALATION_CLAIMED = ":white_check_mark: Lead #{lead_id} was claimed by {owner}."

# ---- stats by source and by rep (issue 14) ---------------------------------------------------------------
STATS_MORE = "_More: `/leads stats 30d by source` · `/leads stats 30d by rep`_"
STATS_NOTHING = "No leads in this period."
STATS_MEANS = (
    "_To claim: created → claimed; to first touch: claimed → first logged activity (means). "
    "Win rate: won / (won + lost + disqualified). Refunds: leads credited back / leads._"
)
