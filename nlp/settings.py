"""Settings sections owned by the extraction stage (`[nlp]` and `[extraction]` in the config file)."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from parsers.errors import StartupError


class ModelNotInstalledError(StartupError, RuntimeError):
    """``[nlp] model`` names a spaCy pipeline that is not installed here."""


class NlpSettings(BaseModel):
    """`[nlp]`: the spaCy pipeline."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: an installed spaCy package with a statistical NER (e.g. "en_core_web_sm"); None = rules only
    model: str | None = None
    #: texts per `nlp.pipe` batch; above ~32 a statistical model's memory climbs steeply
    batch_size: int = Field(default=32, ge=1, le=1024)


class ExtractionSettings(BaseModel):
    """`[extraction]`: reading and verifying lead fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: region assumed for phone numbers written without a country code (ISO 3166 alpha-2)
    default_region: str = Field(default="US", min_length=2, max_length=2)
    #: ask DNS whether an email's domain accepts mail (slow; off by default)
    check_email_deliverability: bool = False
    #: a directory of extra vendor templates (*.toml) added to the built-in ones
    vendors_dir: Path | None = None
