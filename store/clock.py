"""The store's clock, in a module of its own: code that only needs the time (the assessor, an import worker
process) takes it without loading SQLAlchemy."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
