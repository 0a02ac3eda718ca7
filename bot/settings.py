"""Typed settings: a TOML file plus the environment, validated once at start-up.

The environment overrides the file, with ``LEADBOT_`` and ``__`` between levels:
``LEADBOT_SLACK__BOT_TOKEN=xoxb-…`` sets ``[slack] bot_token``. A wrong key or value stops the start
with a `ConfigError` naming the key. Each component is handed only its own section.
"""

from __future__ import annotations

import fnmatch
import os
import re
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from nlp.settings import ExtractionSettings, NlpSettings
from parsers.errors import StartupError

SLACK_API = "https://slack.com/api/"


class ConfigError(StartupError):
    """The configuration cannot be used; the message names the key and what is wrong."""


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


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
_MEMBER_ID = re.compile(r"[UWS][A-Z0-9]{2,}")


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
            if not _MEMBER_ID.fullmatch(member):
                raise ValueError(f"{member!r} is not a user ID (U…, W…) or user-group ID (S…)")
        return value


class PrivacySettings(Section):
    """`[privacy]`: who sees a lead's personal data in Slack (issue 13)."""

    #: cards show first name, city or region, interest, score and reasons, but no email, phone, street or
    #: surname; the owner gets the full card by DM, managers unmask with "Show details"
    mask_unclaimed: bool = True
    #: besides the owner and managers, who may open "View original" and see contact details
    #: (user IDs U…/W… or user-group IDs S…)
    original_roles: tuple[str, ...] = ()
    #: retention (0 = keep for ever): raw messages are deleted this many days after processing (their leads stay)
    raw_message_days: int = Field(default=0, ge=0)
    #: closed-lost and disqualified leads are anonymised this many days after closing
    closed_lead_days: int = Field(default=0, ge=0)
    #: grade C leads (not claimed) are anonymised this many days after arriving
    grade_c_days: int = Field(default=0, ge=0)

    @field_validator("original_roles")
    @classmethod
    def _member_ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [member for member in value if not _MEMBER_ID.fullmatch(member)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not a user ID (U…, W…) or user-group ID (S…)")
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


#: the point and penalty keys `[scoring.points]` / `[scoring.penalties]` understand (a typo stops the start)
SCORING_POINT_KEYS = frozenset({
    "email", "business_email", "phone", "name", "company", "address", "interest", "message", "intent",
    "budget", "timeline", "near_timeline", "recent",
})
SCORING_PENALTY_KEYS = frozenset({
    "invalid_email", "disposable_email", "invalid_phone", "test_lead", "gibberish_name", "placeholder", "spam",
    "no_contact",
})


class LearningSettings(Section):
    """`[scoring.learning]`: win rates learned from recorded outcomes become a score component."""

    enabled: bool = True
    #: strength of the Beta prior, in pseudo-outcomes centred on the overall win rate (more: slower to move)
    prior_strength: float = Field(default=10.0, gt=0)
    #: a source or feature needs this many closed leads before its rate counts
    min_outcomes: int = Field(default=5, ge=1)
    #: points per unit of win-rate difference from the overall rate (100: +1 point per percentage point)
    weight: float = Field(default=100.0, ge=0)
    #: the learned component never moves a score by more than this, either way
    max_points: int = Field(default=15, ge=0, le=100)
    #: how often the running service re-reads outcomes from the store
    refresh_seconds: float = Field(default=300.0, ge=0)


class ScoringSettings(Section):
    """`[scoring]`: points per signal; the sum (clamped to 0–100) decides the grade."""

    grade_a: int = Field(default=60, ge=0, le=100)
    grade_b: int = Field(default=30, ge=0, le=100)
    #: points for a present (and, for email/phone, valid) field
    points: dict[str, int] = {
        "email": 20,
        "business_email": 5,
        "phone": 20,
        "name": 10,
        "company": 5,
        "address": 5,
        "interest": 15,
        "message": 10,
        "intent": 10,
        "budget": 10,
        "timeline": 10,
        "near_timeline": 5,
        "recent": 5,
    }
    #: penalties (negative points) for signals of scrap
    penalties: dict[str, int] = {
        "invalid_email": -25,
        "disposable_email": -40,
        "invalid_phone": -15,
        "test_lead": -60,
        "gibberish_name": -40,
        "placeholder": -30,
        "spam": -80,
        "no_contact": -100,
    }
    #: extra points by vendor name (e.g. a provider whose leads close well)
    vendor_weights: dict[str, int] = {}
    #: words and phrases that ask for the next step (a quote, a demo, a test drive, a showing)
    intent_phrases: tuple[str, ...] = (
        "quote", "price", "pricing", "estimate", "demo", "test drive", "test-drive", "showing", "viewing",
        "tour", "appointment", "book", "schedule", "available", "availability", "call me", "probefahrt",
        "besichtigung", "angebot", "termin", "presupuesto", "prueba", "visita", "cita",
    )
    #: timeline words that mean soon
    near_timeline_phrases: tuple[str, ...] = (
        "today", "tomorrow", "asap", "as soon as possible", "this week", "next week", "this weekend", "now",
        "urgent", "immediately", "within days", "heute", "morgen", "sofort", "diese woche", "hoy", "mañana",
        "esta semana", "urgente",
    )
    #: a lead scored within this many minutes of arriving earns the "recent" points
    recent_minutes: int = Field(default=60, ge=0)
    #: values vendors put where the prospect left a field empty (compared case-insensitively, digits-only
    #: for phones)
    placeholder_values: tuple[str, ...] = (
        "noemail@noemail.com", "none@none.com", "no@email.com", "noreply@noreply.com", "na@na.com",
        "email@email.com", "0000000000", "1111111111", "1234567890", "5555555555", "9999999999",
    )
    #: phrases of obvious spam (SEO offers, crypto, pharmacy) in the message
    spam_phrases: tuple[str, ...] = (
        "seo services", "backlinks", "rank your website", "first page of google", "guest post", "crypto",
        "bitcoin", "casino", "viagra", "cialis", "web design services", "increase your traffic", "loan offer",
    )
    #: a message with at least this many links is spam
    spam_links: int = Field(default=3, ge=1)
    learning: LearningSettings = LearningSettings()

    @field_validator("points", "penalties")
    @classmethod
    def _known_keys(cls, value: dict[str, int], info: Any) -> dict[str, int]:
        known = SCORING_POINT_KEYS if info.field_name == "points" else SCORING_PENALTY_KEYS
        unknown = sorted(set(value) - known)
        if unknown:
            raise ValueError(f"unknown {info.field_name} key(s) {unknown}; known: {sorted(known)}")
        if info.field_name == "penalties" and any(v > 0 for v in value.values()):
            raise ValueError("penalties must be zero or negative")
        return value

    @model_validator(mode="after")
    def _thresholds_ordered(self) -> ScoringSettings:
        if self.grade_b > self.grade_a:
            raise ValueError(f"grade_b ({self.grade_b}) must not be above grade_a ({self.grade_a})")
        return self


_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$")


#: languages the routing rules can recognise in a message
LANGUAGES = ("en", "de", "es", "fr", "it", "pt", "nl")


class RoutingRule(Section):
    """One `[[routing.rules]]` entry: leads matching every condition given go to ``channel``."""

    name: str
    channel: str
    #: vendor names, shell-style patterns ("Cars.com", "AutoMarket*"), case-insensitive
    vendor: tuple[str, ...] = ()
    #: a regular expression searched (case-insensitively) in the interest, else the message
    interest: str | None = None
    #: region/state or country codes ("CA", "DE") or postal-code prefixes ("94*")
    region: tuple[str, ...] = ()
    #: language codes of the prospect's message ("en", "de", "es", "fr", "it", "pt", "nl")
    language: tuple[str, ...] = ()
    #: the grades the rule applies to (C never pings reps, so it cannot be routed)
    grades: tuple[Literal["A", "B"], ...] = ("A", "B")

    @model_validator(mode="after")
    def _usable(self) -> RoutingRule:
        if not (self.vendor or self.interest or self.region or self.language):
            raise ValueError(f"rule {self.name!r} has no condition (vendor, interest, region or language)")
        if self.interest is not None:
            try:
                re.compile(self.interest)
            except re.error as exc:
                problem = f"rule {self.name!r}: interest {self.interest!r} is not a valid regex: {exc}"
                raise ValueError(problem) from None
        unknown = sorted(set(self.language) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"rule {self.name!r}: unknown language(s) {unknown}; known: {list(LANGUAGES)}")
        if not self.grades:
            raise ValueError(f"rule {self.name!r}: grades must not be empty")
        if not CHANNEL_ID.fullmatch(self.channel):
            raise ValueError(f"rule {self.name!r}: channel {self.channel!r} is not a channel ID (C… or G…)")
        return self


class EscalationStep(Section):
    """One `[[routing.escalation]]` step for a lead still unclaimed ``after_minutes`` after it arrived."""

    after_minutes: int = Field(ge=1)
    #: a wider channel to post the lead to
    channel: str | None = None
    #: users to message directly
    dm: tuple[str, ...] = ()
    #: also message every user in `routing.managers`
    managers: bool = False

    @field_validator("channel")
    @classmethod
    def _channel_id(cls, value: str | None) -> str | None:
        if value is not None and not CHANNEL_ID.fullmatch(value):
            raise ValueError(f"{value!r} is not a channel ID (C… or G…)")
        return value


class RoutingSettings(Section):
    """`[routing]`: where cards go beyond grade, and the clocks that keep a lead from waiting."""

    rules: tuple[RoutingRule, ...] = ()
    #: unclaimed this long (business minutes) → a reminder in the card's thread, and an SLA breach
    claim_sla_minutes: int = Field(default=15, ge=1)
    #: claimed but no activity logged this long (business minutes) → a nudge to the owner
    first_touch_minutes: int = Field(default=60, ge=1)
    escalation: tuple[EscalationStep, ...] = ()
    #: Slack user IDs of the sales managers (escalation steps with managers = true message them)
    managers: tuple[str, ...] = ()
    #: push as the fallback of pull: "off", "round_robin" or "least_loaded"
    auto_assign: Literal["off", "round_robin", "least_loaded"] = "off"
    #: minutes after arrival (business minutes) at which a still-unclaimed lead is assigned
    auto_assign_after_minutes: int = Field(default=120, ge=1)
    #: Slack user IDs of the reps auto-assignment chooses among (away reps are skipped)
    reps: tuple[str, ...] = ()
    #: IANA time zone of the business hours
    timezone: str = "UTC"
    business_days: tuple[str, ...] = _DAYS
    business_open: str = "00:00"
    business_close: str = "24:00"
    #: post a digest of new grade C leads to the alerts channel every this many hours (0: never)
    c_digest_hours: int = Field(default=0, ge=0)
    #: how often the SLA worker looks for due timers
    check_seconds: float = Field(default=30.0, gt=0)

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (an IANA name such as \"America/Chicago\")") from None
        return value

    @field_validator("business_days")
    @classmethod
    def _days(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        days = tuple(d.strip().lower()[:3] for d in value)
        bad = [d for d in days if d not in _DAYS]
        if bad or not days:
            raise ValueError(f"days must be among {list(_DAYS)} and not empty (got {list(value)})")
        return days

    @field_validator("business_open", "business_close")
    @classmethod
    def _hhmm(cls, value: str) -> str:
        if not _HHMM.match(value):
            raise ValueError("must be HH:MM (24-hour clock)")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> RoutingSettings:
        if self.business_open >= self.business_close:
            raise ValueError(
                f"business_open ({self.business_open}) must be before business_close ({self.business_close})"
            )
        names = [rule.name for rule in self.rules]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"rule names must be unique: {repeated}")
        last = self.claim_sla_minutes
        for number, step in enumerate(self.escalation, 1):
            if step.after_minutes <= last:
                raise ValueError(
                    f"escalation step {number}: after_minutes ({step.after_minutes}) must be later than the "
                    f"previous step or claim_sla_minutes ({last})"
                )
            if not (step.channel or step.dm or step.managers):
                raise ValueError(f"escalation step {number} notifies nobody (set channel, dm or managers = true)")
            if step.managers and not self.managers:
                raise ValueError(f"escalation step {number} has managers = true but routing.managers is empty")
            last = step.after_minutes
        if self.auto_assign != "off":
            if not self.reps:
                raise ValueError(f"auto_assign = {self.auto_assign!r} needs routing.reps (Slack user IDs)")
            if self.auto_assign_after_minutes <= last:
                raise ValueError(
                    f"auto_assign_after_minutes ({self.auto_assign_after_minutes}) must come after the last "
                    f"reminder or escalation step ({last})"
                )
        return self


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
    #: seconds one message may take to read; past it the message is kept as failed, for `leadbot replay`
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
