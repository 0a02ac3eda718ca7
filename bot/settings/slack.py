"""`[slack]`: the Slack app, its channels, roles and chat intake."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from bot.settings.base import Section

SLACK_API = "https://slack.com/api/"


class SlackChannels(Section):
    """`[slack.channels]`: channel IDs (C…) the bot posts to and reads from."""

    sales: str | None = None
    nurture: str | None = None
    intake: str | None = None
    alerts: str | None = None

    @field_validator("sales", "nurture", "intake", "alerts")
    @classmethod
    def _channel_id(cls, value: str | None) -> str | None:
        # chat.update needs the channel's ID; a name ("#sales") posts but can never be edited (issue 4).
        if value is not None and not CHANNEL_ID.fullmatch(value):
            raise ValueError(f"{value!r} is not a channel ID (C… or G…; channel details > the ID at the bottom)")
        return value


#: a public (C…) or private (G…) channel ID
CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,}")


#: a user (U…/W…) or a user group (S…)
MEMBER_ID = re.compile(r"[UWS][A-Z0-9]{2,}")


class SlackRoles(Section):
    """`[slack.roles]`: who may claim and who manages (user IDs U…/W… or user-group IDs S…) (issue 4)."""

    #: who may claim leads; empty: any member of the channel where the card is
    reps: tuple[str, ...] = ()
    #: who may reassign, see per-rep stats and act on any lead
    managers: tuple[str, ...] = ()

    @field_validator("reps", "managers")
    @classmethod
    def _member_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for member in value:
            if not MEMBER_ID.fullmatch(member):
                raise ValueError(f"{member!r} is not a user ID (U…, W…) or user-group ID (S…)")
        return value


class SlackIntakeSettings(Section):
    """`[slack.intake]`: leads typed or pasted into Slack (issue 4)."""

    #: read messages posted in the intake channels ([slack.channels] intake plus `channels`)
    enabled: bool = True
    #: more intake channel IDs, besides [slack.channels] intake
    channels: tuple[str, ...] = ()
    #: bot IDs (B…) of vendor apps whose messages are leads too; the bot's own messages never are
    bot_ids: tuple[str, ...] = ()
    #: read a message that mentions the bot, in any channel it is in
    mentions: bool = True

    @field_validator("channels")
    @classmethod
    def _channel_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for channel in value:
            if not CHANNEL_ID.fullmatch(channel):
                raise ValueError(f"{channel!r} is not a channel ID (C… or G…)")
        return value

    @field_validator("bot_ids")
    @classmethod
    def _bot_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for bot in value:
            if not re.fullmatch(r"B[A-Z0-9]{2,}", bot):
                raise ValueError(f"{bot!r} is not a bot ID (B…, from the bot's profile or a message's bot_id)")
        return value


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
    roles: SlackRoles = SlackRoles()
    intake: SlackIntakeSettings = SlackIntakeSettings()

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
