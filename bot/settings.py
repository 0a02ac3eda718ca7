"""Typed settings: a TOML file plus the environment, validated once at start-up.

The environment overrides the file, with ``LEADBOT_`` and ``__`` between levels:
``LEADBOT_SLACK__BOT_TOKEN=xoxb-…`` sets ``[slack] bot_token``. A wrong key or value stops the start
with a `ConfigError` naming the key. Each component is handed only its own section.
"""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from nlp.settings import ExtractionSettings, NlpSettings

SLACK_API = "https://slack.com/api/"


class ConfigError(Exception):
    """The configuration cannot be used; the message names the key and what is wrong."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SmtpSettings(Section):
    """`[smtp]`: the listener lead providers send mail to."""

    host: str = "127.0.0.1"
    port: int = Field(default=2525, ge=0, le=65535)
    #: larger messages are refused at DATA with 552 (RFC 5321 §4.5.3.1.10)
    max_message_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    #: shell-style address patterns ("leads@example.com", "*@leads.example.com"); others get 550 5.1.1
    accepted_recipients: tuple[str, ...] = ("*",)

    @field_validator("accepted_recipients")
    @classmethod
    def _patterns_look_like_addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("needs at least one pattern (use [\"*\"] to accept any recipient)")
        for pattern in value:
            if pattern != "*" and "@" not in pattern:
                raise ValueError(f"{pattern!r} is not an address pattern (expected local@domain, wildcards allowed)")
        return tuple(p.lower() for p in value)

    def accepts(self, address: str) -> bool:
        address = address.strip("<>").lower()
        return any(fnmatch.fnmatchcase(address, pattern) for pattern in self.accepted_recipients)


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


class SlackChannels(Section):
    """`[slack.channels]`: channel IDs (C…) the bot posts to and reads from."""

    sales: str | None = None
    nurture: str | None = None
    intake: str | None = None
    alerts: str | None = None


class SlackSettings(Section):
    """`[slack]`: the Slack app. Without a bot token, cards are printed to the console instead."""

    mode: Literal["socket", "http"] = "socket"
    bot_token: SecretStr | None = None
    app_token: SecretStr | None = None
    signing_secret: SecretStr | None = None
    api_base_url: str = SLACK_API
    http_host: str = "127.0.0.1"
    http_port: int = Field(default=3000, ge=0, le=65535)
    #: Slack allows about one message per second per channel (chat.postMessage rate limits)
    post_interval_seconds: float = Field(default=1.0, ge=0)
    channels: SlackChannels = SlackChannels()

    @field_validator("api_base_url")
    @classmethod
    def _trailing_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http(s) URL")
        return value if value.endswith("/") else value + "/"

    @property
    def enabled(self) -> bool:
        return self.bot_token is not None and bool(self.bot_token.get_secret_value())

    @model_validator(mode="after")
    def _mode_needs_its_secret(self) -> SlackSettings:
        if not self.enabled:
            return self
        if self.mode == "socket" and not self.app_token:
            raise ValueError("mode = \"socket\" needs app_token (an xapp- app-level token)")
        if self.mode == "http" and not self.signing_secret:
            raise ValueError("mode = \"http\" needs signing_secret, to verify Slack's requests")
        return self


class ScoringSettings(Section):
    """`[scoring]`: points per signal; the sum (clamped to 0–100) decides the grade."""

    grade_a: int = Field(default=60, ge=0, le=100)
    grade_b: int = Field(default=30, ge=0, le=100)
    #: points for a present (and, for email/phone, valid) field
    points: dict[str, int] = {
        "email": 20,
        "phone": 20,
        "name": 10,
        "company": 5,
        "address": 5,
        "interest": 15,
        "message": 10,
        "budget": 10,
        "timeline": 10,
    }
    #: penalties (negative points) for signals of scrap
    penalties: dict[str, int] = {
        "invalid_email": -25,
        "invalid_phone": -15,
        "test_lead": -60,
        "no_contact": -100,
    }
    #: extra points by vendor name (e.g. a provider whose leads close well)
    vendor_weights: dict[str, int] = {}

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> ScoringSettings:
        if self.grade_b > self.grade_a:
            raise ValueError(f"grade_b ({self.grade_b}) must not be above grade_a ({self.grade_a})")
        return self


class Settings(BaseSettings):
    """The whole configuration. Build it with `load_settings`."""

    model_config = SettingsConfigDict(
        env_prefix="LEADBOT_", env_nested_delimiter="__", extra="forbid", frozen=True
    )

    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    smtp: SmtpSettings = SmtpSettings()
    store: StoreSettings = StoreSettings()
    slack: SlackSettings = SlackSettings()
    scoring: ScoringSettings = ScoringSettings()
    nlp: NlpSettings = NlpSettings()
    extraction: ExtractionSettings = ExtractionSettings()

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment beats the file (the file's values arrive as init arguments).
        return env_settings, init_settings


def load_settings(path: Path | None = None, *, overrides: dict[str, Any] | None = None) -> Settings:
    """Read the TOML file (if any) and the environment into validated settings, or raise ConfigError."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {path} does not exist (copy config.example.toml to start)") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"config file {path} is not valid TOML: {exc}") from None
    for dotted, value in (overrides or {}).items():
        node = data
        *parents, leaf = dotted.split(".")
        for key in parents:
            node = node.setdefault(key, {})
        node[leaf] = value
    try:
        return Settings(**data)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, path)) from None


def _describe(exc: ValidationError, path: Path | None) -> str:
    where = f" in {path}" if path else ""
    lines = [f"invalid configuration{where}:"]
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"]) or "(top level)"
        message = "unknown key" if error["type"] == "extra_forbidden" else error["msg"]
        shown = "" if error["type"] == "extra_forbidden" else f" (got {error.get('input')!r})"
        if isinstance(error.get("input"), dict):
            shown = ""
        lines.append(f"  {key}: {message}{shown}")
    return "\n".join(lines)
