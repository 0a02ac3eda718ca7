"""The base of every settings section, and the error a bad configuration raises."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from parsers.errors import StartupError


class ConfigError(StartupError):
    """The configuration cannot be used; the message names the key and what is wrong."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
