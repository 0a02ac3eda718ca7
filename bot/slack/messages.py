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
