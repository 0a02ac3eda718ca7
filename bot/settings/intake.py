"""`[http]`, `[intake]`, `[forms]`, `[imap]`: the ways in beyond SMTP."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator

from bot.settings.base import Section


class HttpSettings(Section):
    """`[http]`: the web server for lead webhooks (`/intake/<source>`) and web forms (`/form/<name>`)."""

    #: serve the HTTP intake at all (it only answers for sources and forms that are configured)
    enabled: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=8080, ge=0, le=65535)
    #: larger request bodies are refused with 413 before anything is stored
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    #: how long a webhook waits for its leads to be read before it is answered with the message id only
    process_timeout_seconds: float = Field(default=10.0, ge=0)
    #: addresses of reverse proxies whose X-Forwarded-For is believed (for forms' per-address rate limit)
    trusted_proxies: tuple[str, ...] = ()
    #: how long the signed status URL a webhook is answered with keeps working
    status_url_ttl_seconds: int = Field(default=7 * 24 * 3600, ge=60)


class IntakeSource(Section):
    """`[intake.sources.<name>]`: one provider allowed to POST leads to `/intake/<name>`."""

    #: bearer: `Authorization: Bearer <token>`; hmac: a hex HMAC-SHA256 of the body in `signature_header`;
    #: facebook: Meta's webhook (verify_token handshake, X-Hub-Signature-256 with app_secret);
    #: google: Google Ads lead form webhook (`google_key` in the body); none: no check (loopback tests only)
    auth: Literal["bearer", "hmac", "facebook", "google", "none"] = "bearer"
    token: SecretStr | None = None
    secret: SecretStr | None = None
    signature_header: str = "X-Leadbot-Signature"
    #: facebook: the string typed into the app dashboard's "Verify token"
    verify_token: SecretStr | None = None
    #: facebook: a page access token (leads_retrieval) to fetch each lead the webhook announces
    page_access_token: SecretStr | None = None
    graph_api_url: str = "https://graph.facebook.com/v19.0/"
    #: google: the key entered in the lead form's webhook settings
    google_key: SecretStr | None = None
    #: the vendor name leads from this source are credited to when the payload names none
    vendor: str | None = None

    @model_validator(mode="after")
    def _auth_has_its_secret(self) -> IntakeSource:
        needs = {"bearer": ("token",), "hmac": ("secret",), "facebook": ("secret", "verify_token"),
                 "google": ("google_key",)}
        for key in needs.get(self.auth, ()):
            if getattr(self, key) is None:
                env = f"LEADBOT_INTAKE__SOURCES__<NAME>__{key.upper()}"
                raise ValueError(f"auth = \"{self.auth}\" needs {key} (or {env})")
        return self


class IntakeSettings(Section):
    """`[intake]`: who may POST leads over HTTP; how accepted messages are read."""

    sources: dict[str, IntakeSource] = {}
    #: CPU seconds one message may take to read (wall-clock seconds when read in a thread, read_processes = 0);
    #: past it the message is kept as failed, for `leadbot replay`
    read_budget_seconds: float = Field(default=5.0, gt=0)
    #: worker processes that read messages (0: a thread of the service process, no hard stop)
    read_processes: int = Field(default=1, ge=0, le=64)
    #: seconds between sweeps for accepted messages not processed yet (e.g. after a database outage)
    sweep_seconds: float = Field(default=30.0, gt=0)

    @field_validator("sources")
    @classmethod
    def _names_are_url_safe(cls, value: dict[str, IntakeSource]) -> dict[str, IntakeSource]:
        for name in value:
            if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", name):
                raise ValueError(f"source name {name!r}: use lower-case letters, digits, - and _")
        return value


class FormField(Section):
    """One input of a web form. `name` is the lead field it fills (email, phone, full_name, message…)."""

    name: str
    label: str
    type: Literal["text", "email", "tel", "textarea"] = "text"
    required: bool = False
    #: the HTML autocomplete token (name, email, tel, organization, postal-code…), for browsers and
    #: assistive technology
    autocomplete: str | None = None


class FormSettings(Section):
    """`[forms.<name>]`: a lead form served at `/form/<name>`."""

    title: str
    intro: str = ""
    fields: tuple[FormField, ...]
    submit_label: str = "Send"
    thank_you: str = "Thank you, we will be in touch shortly."
    #: submissions allowed per client address per hour (more get 429)
    rate_limit_per_hour: int = Field(default=5, ge=1)

    @field_validator("fields")
    @classmethod
    def _fields_unique(cls, value: tuple[FormField, ...]) -> tuple[FormField, ...]:
        names = [f.name for f in value]
        if not names:
            raise ValueError("a form needs at least one field")
        if len(set(names)) != len(names):
            raise ValueError("field names must be unique")
        return value


class ImapSettings(Section):
    """`[imap]`: a mailbox the service reads leads from (when `host` is set)."""

    host: str | None = None
    #: 993 for tls = "ssl", 143 for "none"
    port: int = Field(default=993, ge=0, le=65535)
    #: "ssl": implicit TLS (RFC 8314, recommended); "none": plain text (loopback or a trusted network only)
    tls: Literal["ssl", "none"] = "ssl"
    #: a PEM file of CA certificates to trust instead of the system's (a private mail server)
    ca_file: Path | None = None
    username: str = ""
    password: SecretStr = SecretStr("")
    folder: str = "INBOX"
    #: where a message is moved once stored; "" keeps it in place, flagged \Seen
    processed_folder: str = "Leadbot-Processed"
    #: seconds between checks when the server cannot IDLE, and the longest IDLE before re-issuing it
    poll_seconds: float = Field(default=60.0, gt=0)
    #: use IDLE (RFC 2177) when the server offers it
    idle: bool = True

    @property
    def enabled(self) -> bool:
        return bool(self.host)
