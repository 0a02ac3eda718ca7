"""Typed settings: a TOML file plus the environment, validated once at start-up.

The environment overrides the file, with ``LEADBOT_`` and ``__`` between levels:
``LEADBOT_SLACK__BOT_TOKEN=xoxb-…`` sets ``[slack] bot_token``. A wrong key or value stops the start
with a `ConfigError` naming the key. Each component is handed only its own section.

One model per feature, in the modules beside this one; `Settings` holds them all and `load_settings`
reads TOML + environment into it once, in the composition root."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from bot.settings.acknowledgement import AcknowledgementSettings, AcknowledgementTemplate, RelaySettings
from bot.settings.authentication import AuthenticationSettings
from bot.settings.base import ConfigError, Section
from bot.settings.intake import FormField, FormSettings, HttpSettings, ImapSettings, IntakeSettings, IntakeSource
from bot.settings.privacy import PrivacySettings
from bot.settings.routing import LANGUAGES, EscalationStep, RoutingRule, RoutingSettings
from bot.settings.scoring import SCORING_PENALTY_KEYS, SCORING_POINT_KEYS, LearningSettings, ScoringSettings
from bot.settings.slack import CHANNEL_ID, SLACK_API, SlackChannels, SlackIntakeSettings, SlackRoles, SlackSettings
from bot.settings.smtp import SmtpSettings, SmtpUser
from bot.settings.store import StoreSettings
from bot.settings.webhooks import OutboundWebhook, WebhooksSettings
from nlp.settings import ExtractionSettings, NlpSettings


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
    routing: RoutingSettings = RoutingSettings()
    nlp: NlpSettings = NlpSettings()
    extraction: ExtractionSettings = ExtractionSettings()
    http: HttpSettings = HttpSettings()
    intake: IntakeSettings = IntakeSettings()
    forms: dict[str, FormSettings] = {}
    imap: ImapSettings = ImapSettings()
    privacy: PrivacySettings = PrivacySettings()
    authentication: AuthenticationSettings = AuthenticationSettings()
    acknowledgement: AcknowledgementSettings = AcknowledgementSettings()
    webhooks: WebhooksSettings = WebhooksSettings()

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


__all__ = [
    "CHANNEL_ID",
    "LANGUAGES",
    "SCORING_PENALTY_KEYS",
    "SCORING_POINT_KEYS",
    "SLACK_API",
    "AcknowledgementSettings",
    "AcknowledgementTemplate",
    "AuthenticationSettings",
    "ConfigError",
    "EscalationStep",
    "FormField",
    "FormSettings",
    "HttpSettings",
    "ImapSettings",
    "IntakeSettings",
    "IntakeSource",
    "LearningSettings",
    "OutboundWebhook",
    "PrivacySettings",
    "RelaySettings",
    "RoutingRule",
    "RoutingSettings",
    "ScoringSettings",
    "Section",
    "Settings",
    "SlackChannels",
    "SlackIntakeSettings",
    "SlackRoles",
    "SlackSettings",
    "SmtpSettings",
    "SmtpUser",
    "StoreSettings",
    "WebhooksSettings",
    "load_settings",
]
