"""Alembic, driven from code: `Store.migrate()` runs this on a live connection at start-up."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(connection: Connection, revision: str = "heads") -> None:
    # "heads": every branch. Features may add a revision branching from the same parent; a merge
    # revision joins them later.
    command.upgrade(alembic_config(connection), revision)
