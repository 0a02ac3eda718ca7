"""PostgreSQL: a completion group's messages marked processed and taken in one statement (issue 11).

Elsewhere (store/messages.py) a group first locks its messages still "received" (``SELECT … FOR UPDATE``) and then
marks them (an UPDATE per message, sent as one batch): two round trips in every completion transaction. Here one
``UPDATE … FROM unnest(…) … WHERE status = 'received' RETURNING id`` does both: a message another instance holds
locked is waited for and then re-checked, as ``FOR UPDATE`` would, and only the messages it marked come back (the
ones the group has taken, their rows locked to the end of the transaction). A message's sender check is written
only if it was checked, as the batch's two statements did.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, Text, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from store.records import MessageStatus
from store.tables import UTCDateTime

#: a message to mark: its new status, its vendor, and its sender check (verdict, Authentication-Results,
#: suspicious) or None when it was not checked
Marked = tuple[str, str | None, tuple[str, str, bool] | None]

_MARK_SQL = """
UPDATE inbound_messages AS m
SET status = u.status, vendor = u.vendor, processed_at = :at, attempts = m.attempts + 1, error = NULL,
    auth_verdict = CASE WHEN u.checked THEN u.verdict ELSE m.auth_verdict END,
    auth_results = CASE WHEN u.checked THEN u.results ELSE m.auth_results END,
    suspicious = CASE WHEN u.checked THEN u.suspicious ELSE m.suspicious END
FROM unnest(CAST(:ids AS bigint[]), CAST(:statuses AS text[]), CAST(:vendors AS text[]),
            CAST(:checked AS boolean[]), CAST(:verdicts AS text[]), CAST(:results AS text[]),
            CAST(:suspicious AS boolean[])) AS u(id, status, vendor, checked, verdict, results, suspicious)
WHERE m.id = u.id AND m.status = :received
RETURNING m.id
"""


@functools.cache
def _mark_statement() -> Any:
    return text(_MARK_SQL).bindparams(
        bindparam("at", type_=UTCDateTime()), bindparam("checked", type_=ARRAY(Boolean())),
        bindparam("suspicious", type_=ARRAY(Boolean())), bindparam("results", type_=ARRAY(Text())),
    )


def mark_processed(session: Session, messages: Mapping[int, Marked], now: datetime) -> set[int]:
    """Mark ``messages`` (by id) processed, those still "received"; the ids marked (see the module's docstring)."""
    if not messages:
        return set()
    checks = [check for _, _, check in messages.values()]
    parameters = {
        "ids": list(messages), "statuses": [str(status) for status, _, _ in messages.values()],
        "vendors": [vendor for _, vendor, _ in messages.values()],
        "checked": [check is not None for check in checks],
        "verdicts": [check[0][:16] if check is not None else None for check in checks],
        "results": [check[1] if check is not None else None for check in checks],
        "suspicious": [check[2] if check is not None else None for check in checks],
        "at": now, "received": str(MessageStatus.RECEIVED),
    }
    return {int(message_id) for message_id in session.scalars(_mark_statement(), parameters)}
