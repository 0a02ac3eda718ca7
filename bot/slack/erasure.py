"""What an erased person's Slack messages become (issue 13): one neutral message, no value of theirs.

The outbox's ``erase_message`` items (queued by ``store.privacy``) edit each card, thread reply, DM and
chat-draft reply about the person into this message with chat.update; the edit keeps the thread and
the counts in place while nothing of the person remains.
"""

from __future__ import annotations

from typing import Any

#: the text every erased message is edited to
ERASED_TEXT = "This message was removed: the person's data was erased at their request."
#: answers of `/leads erase`
ERASE_USAGE = "Usage: `/leads erase <contact id|email|phone>` (managers only)"
ERASE_DONE = "Erased contact {contact_id}: {leads} lead(s) anonymised, {slack} Slack message(s) being cleared."
ERASE_ALREADY = "Nothing left to erase for that person: it was erased already."
ERASE_NOT_FOUND = "No contact matches that; nothing was erased."


def erased_blocks() -> list[dict[str, Any]]:
    """The neutral card: one context line, nothing from the lead."""
    return [{"type": "context", "elements": [{"type": "mrkdwn", "text": f"_{ERASED_TEXT}_"}]}]
