"""`[store]`: the database."""

from __future__ import annotations

import re

from pydantic import field_validator

from bot.settings.base import Section


class StoreSettings(Section):
    """`[store]`: where leads live."""

    url: str = "sqlite+aiosqlite:///leadbot.db"

    @field_validator("url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        if not re.match(r"^(sqlite\+aiosqlite|postgresql\+asyncpg)://", value):
            raise ValueError(
                "must start with sqlite+aiosqlite:// or postgresql+asyncpg:// (the async drivers Leadbot ships)"
            )
        return value
