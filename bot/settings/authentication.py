"""`[authentication]`: what to check and whose Authentication-Results to believe."""

from __future__ import annotations

import ipaddress

from pydantic import BaseModel, ConfigDict, Field, field_validator


class AuthenticationSettings(BaseModel):
    """`[authentication]`: SPF/DKIM/DMARC of inbound mail, and which upstream verdicts to believe."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: check every message that came in by SMTP; off: no verdict is recorded and no template may require one
    enabled: bool = True
    #: the name written in our own Authentication-Results (RFC 8601 authserv-id)
    authserv_id: str = Field(default="leadbot", min_length=1, pattern=r"^[A-Za-z0-9.-]+$")
    #: authserv-ids of our upstream relays whose Authentication-Results we believe (e.g. "mx.example.com")
    trusted_authserv_ids: tuple[str, ...] = ()
    #: client addresses or networks of those relays ("192.0.2.25", "2001:db8::/64"); a header from a trusted
    #: authserv-id counts only on a connection from one of these, since anyone can write the header
    trusted_relays: tuple[str, ...] = ()
    #: per DNS question
    dns_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    #: for all of one message's SPF evaluation (RFC 7208 §4.6.4 suggests at least 20 seconds)
    spf_time_limit_seconds: float = Field(default=20.0, gt=0, le=120)
    #: shorter RSA keys are a DKIM fail (RFC 8301 §3.2: verifiers must not accept fewer than 1024 bits)
    min_key_bits: int = Field(default=1024, ge=512)

    @field_validator("trusted_authserv_ids")
    @classmethod
    def _lower(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v.strip().lower() for v in value if v.strip())

    @field_validator("trusted_relays")
    @classmethod
    def _networks(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for relay in value:
            try:
                ipaddress.ip_network(relay, strict=False)
            except ValueError as exc:
                raise ValueError(f"{relay!r} is not an IP address or network") from exc
        return value

    def is_trusted_relay(self, client_ip: str | None) -> bool:
        if not client_ip:
            return False
        try:
            address = ipaddress.ip_address(client_ip)
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(relay, strict=False) for relay in self.trusted_relays)
