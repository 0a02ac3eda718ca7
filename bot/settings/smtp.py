"""`[smtp]`: the mail listener."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, field_validator, model_validator

from bot.settings.base import Section


class SmtpUser(Section):
    """`[[smtp.users]]`: one vendor that logs in with SMTP AUTH (PLAIN or LOGIN, over TLS only)."""

    login: str = Field(min_length=1, max_length=256)
    #: the environment variable holding the password (never the password itself in the file)
    password_env: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    #: read from `password_env` when the settings load
    password: SecretStr = SecretStr("")

    @model_validator(mode="before")
    @classmethod
    def _password_from_the_environment(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("password_env") and not data.get("password"):
            value = os.environ.get(str(data["password_env"]), "")
            if not value:
                raise ValueError(f"login {data.get('login')!r}: the environment variable {data['password_env']} "
                                 "(password_env) is not set")
            data = {**data, "password": value}
        return data


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

    #: PEM certificate chain and private key offered with STARTTLS (both or neither)
    tls_cert: Path | None = None
    tls_key: Path | None = None
    #: refuse MAIL (530 5.7.0) until the client has said STARTTLS; needs tls_cert and tls_key
    require_tls: bool = False
    #: vendors that log in with SMTP AUTH (offered only over TLS), each `[[smtp.users]]`
    users: tuple[SmtpUser, ...] = ()
    #: refuse MAIL (530 5.7.0) from a client that has not logged in as one of `users`
    auth_required: bool = False
    #: connections served at once; one more is answered "421 4.7.0" and closed
    max_connections: int = Field(default=200, ge=1)
    #: connections served at once from one client address
    max_connections_per_client: int = Field(default=10, ge=1)
    #: seconds without a command (or without DATA bytes) before a connection is closed (RFC 5321 asks for
    #: 5 minutes; a listener facing the internet cannot hold that many idle sockets)
    idle_timeout_seconds: float = Field(default=60.0, gt=0)

    @model_validator(mode="after")
    def _tls_and_auth_fit_together(self) -> SmtpSettings:
        if (self.tls_cert is None) != (self.tls_key is None):
            raise ValueError("tls_cert and tls_key go together: set both or neither")
        if self.require_tls and self.tls_cert is None:
            raise ValueError("require_tls = true needs tls_cert and tls_key")
        if self.users and self.tls_cert is None:
            raise ValueError("[[smtp.users]] need tls_cert and tls_key: AUTH is offered only over TLS")
        if self.auth_required and not self.users:
            raise ValueError("auth_required = true needs at least one [[smtp.users]]")
        if len({u.login for u in self.users}) != len(self.users):
            raise ValueError("[[smtp.users]]: each login may appear once")
        return self

    def accepts(self, address: str) -> bool:
        address = address.strip("<>").lower()
        return any(fnmatch.fnmatchcase(address, pattern) for pattern in self.accepted_recipients)

    @property
    def accepts_every_domain(self) -> bool:
        """True when some pattern takes mail for any domain ("*", "*@*", "leads@*" …)."""
        return any(fnmatch.fnmatchcase("unrelated.invalid", p.rpartition("@")[2]) for p in self.accepted_recipients)
