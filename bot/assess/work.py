"""Who may act on a lead (issue 4): pure policy. The store applies the check to the row it holds locked.

    release     the owner, or a manager; never a closed lead or one nobody holds
    reassign    managers only (the caller checks the role); never a closed lead
    log         the owner, or a manager
    outcome     the owner, or a manager
    reopen      the owner, or a manager; only a closed lead

A refusal is one of "not_yours" (someone else holds it), "not_claimed" (nobody does), "closed", or
"open" (reopening a lead that is not closed).
"""

from __future__ import annotations

from enum import StrEnum

from store.records import LeadRecord, LeadStatus, WorkCheck


class Work(StrEnum):
    RELEASE = "release"
    REASSIGN = "reassign"
    LOG = "log_activity"
    OUTCOME = "set_outcome"
    REOPEN = "reopen"


NOT_YOURS, NOT_CLAIMED, CLOSED, OPEN = "not_yours", "not_claimed", "closed", "open"


def refusal(action: Work | str, lead: LeadRecord, actor: str, *, manager: bool) -> str | None:
    """None if ``actor`` may do ``action`` to ``lead``, else why not."""
    if not manager and lead.owner != actor:
        return NOT_YOURS if lead.owner else NOT_CLAIMED
    if action == Work.REOPEN:
        return None if lead.status == LeadStatus.CLOSED else OPEN
    if action in (Work.RELEASE, Work.REASSIGN) and lead.status == LeadStatus.CLOSED:
        return CLOSED
    if action == Work.RELEASE and lead.owner is None:
        return NOT_CLAIMED
    return None


def work_check(action: Work | str, *, manager: bool) -> WorkCheck:
    """The check the store applies to the locked lead: `refusal` for this action and role."""
    action = Work(action)

    def check(lead: LeadRecord, actor: str) -> str | None:
        return refusal(action, lead, actor, manager=manager)

    return check
