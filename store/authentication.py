"""Sender authentication on stored messages: the SMTP origin, the verdict, the review queue of suspicious mail.

The verdict itself is
computed in ``bot.intake.authenticity``; the store keeps its one-word summary, its Authentication-Results
header and whether the message is suspicious (its vendor requires authentication and it did not pass).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update

from store.db import Db
from store.tables import InboundMessage


@dataclass(frozen=True, slots=True)
class MessageAuthentication:
    """What is stored about one message's sender authentication."""

    message_id: int
    client_ip: str | None
    helo: str | None
    #: pass | fail | none | temperror; None: not checked yet
    verdict: str | None
    auth_results: str | None
    suspicious: bool


@dataclass(frozen=True, slots=True)
class SuspiciousMessage:
    """One line of ``leadbot messages --suspicious``."""

    message_id: int
    received_at: datetime
    sender: str | None
    subject: str | None
    status: str
    verdict: str | None
    auth_results: str | None


class Authentications:
    """The repository of sender-authentication facts kept with inbound messages (``store.authentication``)."""

    def __init__(self, db: Db) -> None:
        self._db = db

    async def record_origin(self, message_id: int, *, client_ip: str | None, helo: str | None) -> None:
        """The SMTP session's peer address and HELO name, which the message's bytes do not hold."""
        statement = (
            update(InboundMessage)
            .where(InboundMessage.id == message_id)
            .values(client_ip=client_ip[:45] if client_ip else None, helo=helo[:255] if helo else None)
        )
        async with self._db.write() as session:
            await session.execute(statement)


    async def record_authentication(
        self, message_id: int, *, verdict: str, auth_results: str, suspicious: bool
    ) -> None:
        """The verdict (summary word and Authentication-Results header) and whether the message is suspicious."""
        statement = (
            update(InboundMessage)
            .where(InboundMessage.id == message_id)
            .values(auth_verdict=verdict[:16], auth_results=auth_results, suspicious=suspicious)
        )
        async with self._db.write() as session:
            await session.execute(statement)


    async def of_message(self, message_id: int) -> MessageAuthentication | None:
        async with self._db.read() as session:
            row = await session.get(InboundMessage, message_id)
            if row is None:
                return None
            return MessageAuthentication(
                message_id=row.id,
                client_ip=row.client_ip,
                helo=row.helo,
                verdict=row.auth_verdict,
                auth_results=row.auth_results,
                suspicious=row.suspicious,
            )


    async def suspicious(self, *, limit: int = 100) -> list[SuspiciousMessage]:
        """Messages marked suspicious, newest first (the review queue)."""
        query = (
            select(InboundMessage)
            .where(InboundMessage.suspicious.is_(True))
            .order_by(InboundMessage.id.desc())
            .limit(limit)
        )
        async with self._db.read() as session:
            return [
                SuspiciousMessage(
                    message_id=row.id,
                    received_at=row.received_at,
                    sender=row.sender,
                    subject=row.subject,
                    status=row.status,
                    verdict=row.auth_verdict,
                    auth_results=row.auth_results,
                )
                for row in await session.scalars(query)
            ]
