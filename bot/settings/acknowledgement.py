"""`[acknowledgement]`: answering the prospect by email (issue 14), off by default.

Templates are checked when the settings load: a placeholder we cannot fill (a typo such as
``{frist_name}``, or ``{rep_name}`` before anyone claimed the lead) stops the start with the key named.
"""

from __future__ import annotations

import string
from typing import Literal

from email_validator import EmailNotValidError, validate_email
from pydantic import Field, SecretStr, field_validator, model_validator

from bot.settings.base import Section

#: what an acknowledgement's subject and body may name
PLACEHOLDERS = frozenset({"first_name", "last_name", "full_name", "company_name", "source", "interest", "lead_id"})
#: the claim note may also name the rep
CLAIM_PLACEHOLDERS = PLACEHOLDERS | {"rep_name"}


def check_placeholders(text: str, known: frozenset[str]) -> str:
    """``text`` if each ``{placeholder}`` in it is one of ``known`` (plain names, no ``!r`` or ``:spec``)."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:  # "Single '}' encountered …": write {{ and }} for literal braces
        raise ValueError(f"{exc} (write {{{{ or }}}} for a literal brace)") from None
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if name not in known:
            hint = " ({rep_name} is known only in claim_subject and claim_body)" if name == "rep_name" else ""
            raise ValueError(f"unknown placeholder {{{name}}}{hint}; known: {', '.join(sorted(known))}")
        if spec or conversion:
            raise ValueError(f"placeholder {{{name}}} takes no conversion or format")
    return text


class AcknowledgementTemplate(Section):
    """The company's wording for one source; a piece left out is taken from the default template."""

    subject: str | None = None
    body: str | None = None
    #: the note sent after a claim ("Anna will call you"); may name {rep_name}
    claim_subject: str | None = None
    claim_body: str | None = None

    @field_validator("subject", "body")
    @classmethod
    def _acknowledgement(cls, value: str | None) -> str | None:
        return None if value is None else check_placeholders(value, PLACEHOLDERS)

    @field_validator("claim_subject", "claim_body")
    @classmethod
    def _claim(cls, value: str | None) -> str | None:
        return None if value is None else check_placeholders(value, CLAIM_PLACEHOLDERS)


DEFAULT_TEMPLATE = AcknowledgementTemplate(
    subject="We have your request - {company_name}",
    body=(
        "Hello {first_name},\n\n"
        "thank you for contacting {company_name}. We have your request, and one of our team will get in "
        "touch with you shortly.\n\n"
        "Kind regards,\n{company_name}\n"
    ),
    claim_subject="{rep_name} from {company_name} will contact you",
    claim_body=(
        "Hello {first_name},\n\n"
        "{rep_name} from {company_name} is looking after your request and will call you soon.\n\n"
        "Kind regards,\n{company_name}\n"
    ),
)


class RelaySettings(Section):
    """`[acknowledgement.relay]`: the SMTP server (submission) acknowledgements are sent through."""

    host: str = "localhost"
    #: 587 for submission with STARTTLS (RFC 6409), 465 with implicit TLS (RFC 8314), 25 on a trusted network
    port: int = Field(default=587, ge=1, le=65535)
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str = ""
    password: SecretStr | None = None
    #: a PEM file of CA certificates to trust instead of the system's (a relay with a private certificate)
    ca_file: str = ""
    #: seconds for connecting and for each answer of the relay
    timeout_seconds: float = Field(default=30.0, gt=0)


class AcknowledgementSettings(Section):
    """`[acknowledgement]`: an instant email to the prospect, and optionally a note naming the rep."""

    enabled: bool = False
    #: the sender the prospect sees (an address of the company; the relay must accept it)
    from_address: str = ""
    #: the name shown with it (default: company_name)
    from_name: str = ""
    reply_to: str = ""
    #: {company_name} in the templates
    company_name: str = ""
    #: the ways in whose leads are answered: smtp (mail, IMAP too), http (webhooks, forms), slack (leads
    #: typed into chat), file (`leadbot import`)
    channels: tuple[Literal["smtp", "http", "slack", "file"], ...] = ("smtp", "http")
    #: after a claim, a second email naming the rep ("Anna will call you")
    claim_note: bool = False
    #: {first_name} when the lead has none (or it does not look like a name)
    fallback_name: str = "there"
    #: an acknowledgement that could not go out within this many hours of the lead (or of its claim) is dropped
    max_age_hours: float = Field(default=24.0, gt=0)
    #: waits before the 2nd, 3rd … try of a failed send; after the last the email is given up
    retry_seconds: tuple[float, ...] = (60.0, 300.0, 900.0, 3600.0, 14400.0)
    #: how often the worker looks for new leads and claims
    check_seconds: float = Field(default=5.0, gt=0)
    #: Slack user ID -> the name the prospect is told; else the Slack profile's first name (users:read)
    rep_names: dict[str, str] = {}
    relay: RelaySettings = RelaySettings()
    template: AcknowledgementTemplate = DEFAULT_TEMPLATE
    #: per source: its vendor or source name as on the card (or a channel: "smtp", "http" …), case-insensitive
    sources: dict[str, AcknowledgementTemplate] = {}

    @field_validator("retry_seconds")
    @classmethod
    def _positive(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        if any(delay <= 0 for delay in value):
            raise ValueError("every wait must be more than 0 seconds")
        return value

    @field_validator("from_address", "reply_to")
    @classmethod
    def _address(cls, value: str) -> str:
        if not value:
            return value
        try:
            return validate_email(value, check_deliverability=False).normalized
        except EmailNotValidError as exc:
            raise ValueError(f"not an email address: {exc}") from None

    @model_validator(mode="after")
    def _complete(self) -> AcknowledgementSettings:
        if self.enabled:
            missing = [key for key in ("from_address", "company_name") if not getattr(self, key)]
            if missing:
                raise ValueError(f"enabled = true needs {' and '.join(missing)}")
        return self

    def template_for(self, source: str | None, channel: str) -> tuple[str, AcknowledgementTemplate]:
        """The template's name ("default" or the key that matched) and the full wording for a lead from
        ``source`` (its vendor or source name) over ``channel``: the source's pieces, then [template]'s,
        then the built-in wording."""
        keys = {key.casefold(): key for key in self.sources}
        name = next((keys[n.casefold()] for n in (source, channel) if n and n.casefold() in keys), None)
        chain = [self.sources[name]] if name is not None else []
        chain += [self.template, DEFAULT_TEMPLATE]
        pieces = {
            piece: next(value for t in chain if (value := getattr(t, piece)) is not None)
            for piece in ("subject", "body", "claim_subject", "claim_body")
        }
        return name or "default", AcknowledgementTemplate(**pieces)
