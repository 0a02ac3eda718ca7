"""Message-state queries the intake pipeline needs beyond the repository (issue 12).

Functions taking the Store, so that they can move into the messages repository when it is split out.
"""

from __future__ import annotations

from sqlalchemy import update

from store.repository import Store, utcnow
from store.tables import InboundMessage


async def mark_failed_if_received(store: Store, message_id: int, error: str) -> bool:
    """Mark a message failed only if it is still "received". False: someone else finished it meanwhile.

    The compare-and-set twin of ``Store.complete_message``: a reader that lost the race (a second
    instance, a sweep) must not turn a processed message into a failed one, which a replay would then
    turn into leads a second time.
    """
    async with store.engine.begin() as conn:
        done = await conn.execute(
            update(InboundMessage)
            .where(InboundMessage.id == message_id, InboundMessage.status == "received")
            .values(
                status="failed", error=error[:20000], attempts=InboundMessage.attempts + 1, processed_at=utcnow()
            )
        )
    return bool(done.rowcount == 1)
