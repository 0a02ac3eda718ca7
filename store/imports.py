"""More ways in (issue 6): webhook Idempotency-Keys, and spreadsheet imports with their row keys."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update

from store.db import Db, core_table
from store.leads import file_leads
from store.records import ImportCandidate, ImportOutcome, IntakeKeyClaim
from store.tables import ImportBatch, ImportRow, IntakeKey

#: the reason kept with an imported row whose key an earlier row holds
DUPLICATE_ROW = "already imported (same contact and request)"


class Imports:
    def __init__(self, db: Db) -> None:
        self._db = db

    @functools.cached_property
    def _row_statements(self) -> tuple[Any, Any, Any]:
        """Core statements for a batch of rows, built once (the ORM's bulk paths cost more than they run):
        claim the new keys (``INSERT … ON CONFLICT DO NOTHING RETURNING``), link rows to their leads, keep
        the rest."""
        table = core_table(ImportRow)
        claim = (self._db.insert(table).on_conflict_do_nothing(index_elements=["row_key"])
                 .returning(table.c.id, table.c.row_key))
        link = update(table).where(table.c.id == bindparam("row_id")).values(lead_id=bindparam("lead"))
        return claim, link, insert(table)

    # ---- webhook intake keys -------------------------------------------------------------------------

    async def claim_key(self, source: str, key: str) -> IntakeKeyClaim:
        """Record a webhook's Idempotency-Key before its body is stored; a key seen before is not new."""
        statement = (
            self._db.insert(IntakeKey)
            .values(source=source, key=key, created_at=self._db.clock())
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(IntakeKey.id)
        )
        async with self._db.write() as session:
            if await session.scalar(statement) is not None:
                return IntakeKeyClaim(new=True, message_id=None)
            earlier = await session.scalar(select(IntakeKey.message_id).where(IntakeKey.key == key))
            return IntakeKeyClaim(new=False, message_id=earlier)

    async def link_key(self, key: str, message_id: int) -> None:
        async with self._db.write() as session:
            await session.execute(update(IntakeKey).where(IntakeKey.key == key).values(message_id=message_id))

    async def release_key(self, key: str) -> None:
        """Forget a key whose request could not be stored, so the provider's retry is taken."""
        async with self._db.write() as session:
            await session.execute(delete(IntakeKey).where(IntakeKey.key == key, IntakeKey.message_id.is_(None)))

    # ---- spreadsheet imports -------------------------------------------------------------------------

    async def start(self, file_name: str, source: str | None) -> int:
        async with self._db.write() as session:
            batch = ImportBatch(file_name=file_name[-500:], source=source, started_at=self._db.clock(),
                                rows=0, imported=0, duplicates=0, invalid=0)
            session.add(batch)
            await session.flush()
            return batch.id

    async def add_rows(
        self, batch_id: int, rows: Sequence[ImportCandidate], *, actor: str = "leadbot import"
    ) -> list[ImportOutcome]:
        """Store a batch of imported rows and make leads of the valid, new ones, in one transaction.

        Every row is kept as read. A valid row whose key an earlier row (this file or an earlier import)
        already holds is a duplicate and makes no lead; the others go through the same lead insertion as
        mail (contact matching, intake event, card in the outbox).
        """
        now = self._db.clock()
        outcomes: dict[int, ImportOutcome] = {}
        kept: list[dict[str, Any]] = []
        fresh: list[tuple[int, ImportCandidate]] = []
        keys: set[str] = set()

        def keep(index: int, row: ImportCandidate, status: str, reason: str | None) -> None:
            kept.append({"batch_id": batch_id, "row_number": row.row_number, "data": row.data, "lead_id": None,
                         "row_key": None, "status": status, "reason": reason})
            outcomes[index] = ImportOutcome(row.row_number, status, reason)

        for index, row in enumerate(rows):
            if row.lead is None or row.key is None:
                keep(index, row, "invalid", row.reason)
            elif row.key in keys:
                keep(index, row, "duplicate", DUPLICATE_ROW)
            else:
                keys.add(row.key)
                fresh.append((index, row))
        claim, link, keep_rows = self._row_statements
        async with self._db.write() as session:
            taken: dict[str, int] = {}
            if fresh:
                # One statement claims every new key; keys an earlier import holds are not returned. (An
                # executemany, so its compiled form is cached: a multi-row VALUES compiles anew per batch.)
                result = await session.execute(
                    claim,
                    [{"batch_id": batch_id, "row_number": row.row_number, "data": row.data, "lead_id": None,
                      "row_key": row.key, "status": "imported", "reason": None} for _, row in fresh],
                )
                taken = {str(key): int(row_id) for row_id, key in result.all()}
            links: list[dict[str, Any]] = []
            taken_rows: list[tuple[int, ImportCandidate, int]] = []
            for index, row in fresh:
                row_id = taken.get(row.key or "")
                if row_id is None:
                    keep(index, row, "duplicate", DUPLICATE_ROW)
                else:
                    taken_rows.append((index, row, row_id))
            filed = await session.run_sync(
                file_leads, [(row.lead, None) for _, row, _ in taken_rows if row.lead], actor, now)
            for (index, row, row_id), lead in zip(taken_rows, filed, strict=True):
                links.append({"row_id": row_id, "lead": lead.id})
                outcomes[index] = ImportOutcome(row.row_number, "imported", lead_id=lead.id, grade=lead.grade)
            if links:
                await session.execute(link, links)
            if kept:
                await session.execute(keep_rows, kept)
        return [outcomes[i] for i in range(len(rows))]

    async def known_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of these row keys earlier imports already hold (for a dry run)."""
        if not keys:
            return set()
        async with self._db.read() as session:
            found = await session.scalars(select(ImportRow.row_key).where(ImportRow.row_key.in_(list(keys))))
            return {k for k in found if k is not None}

    async def finish(self, batch_id: int, *, rows: int, imported: int, duplicates: int, invalid: int) -> None:
        async with self._db.write() as session:
            await session.execute(
                update(ImportBatch)
                .where(ImportBatch.id == batch_id)
                .values(finished_at=self._db.clock(), rows=rows, imported=imported, duplicates=duplicates,
                        invalid=invalid)
            )
