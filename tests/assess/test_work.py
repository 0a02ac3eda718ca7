"""bot/assess/work.py: who may act on a lead, as a table of cases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.assess.work import Work, refusal, work_check
from store.records import LeadRecord

OWNER, OTHER = "U_OWNER", "U_OTHER"


def lead(owner: str | None, status: str) -> LeadRecord:
    return LeadRecord(id=7, message_id=None, contact_id=None, vendor="Portal", channel="smtp", fields={},
                      provenance={}, score=50, grade="B", reasons=(), status=status, owner=owner,
                      created_at=datetime(2026, 3, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("action", "owner", "status", "actor", "manager", "expected"),
    [
        (Work.RELEASE, OWNER, "claimed", OWNER, False, None),
        (Work.RELEASE, OWNER, "claimed", OTHER, False, "not_yours"),
        (Work.RELEASE, OWNER, "claimed", OTHER, True, None),
        (Work.RELEASE, None, "posted", OTHER, False, "not_claimed"),
        (Work.RELEASE, None, "posted", OTHER, True, "not_claimed"),
        (Work.RELEASE, OWNER, "closed", OWNER, False, "closed"),
        (Work.REASSIGN, None, "posted", OTHER, True, None),
        (Work.REASSIGN, OWNER, "closed", OTHER, True, "closed"),
        (Work.LOG, OWNER, "claimed", OWNER, False, None),
        (Work.LOG, None, "posted", OTHER, False, "not_claimed"),
        (Work.LOG, OWNER, "closed", OWNER, False, None),
        (Work.OUTCOME, OWNER, "claimed", OTHER, False, "not_yours"),
        (Work.OUTCOME, None, "new", OTHER, True, None),
    ],
)
def test_who_may_act(action: Work, owner: str | None, status: str, actor: str, manager: bool,
                     expected: str | None) -> None:
    assert refusal(action, lead(owner, status), actor, manager=manager) == expected
    assert work_check(action.value, manager=manager)(lead(owner, status), actor) == expected


def test_an_unknown_action_is_refused_at_once() -> None:
    with pytest.raises(ValueError):
        work_check("delete", manager=True)
