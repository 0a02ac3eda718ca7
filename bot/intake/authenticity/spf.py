"""SPF of the MAIL FROM (or HELO) identity, by pyspf (RFC 7208), asking our resolver.

pyspf asks DNS through its module-level ``DNSLookup``; instead of patching that process-wide, a subclass
of its per-query class ``spf.query`` answers the one method every lookup goes through (``query.dns``).
"""

from __future__ import annotations

import ipaddress
from typing import Any

import spf

from bot.intake.authenticity.headers import domain_of
from bot.intake.authenticity.resolver import DnsTempError, RecordType, Resolver
from bot.settings.authentication import AuthenticationSettings

_SPF_TYPES: dict[str, RecordType] = {"TXT": "TXT", "A": "A", "AAAA": "AAAA", "MX": "MX", "PTR": "PTR"}


class _SpfQuery(spf.query):  # type: ignore[misc]  # pyspf ships no type information
    """pyspf's query, asking our resolver: ``dns()`` is the one method its lookups go through.

    The answers take the shapes pyspf's own DNS adapters give it: TXT as lists of byte strings, A/AAAA as
    address text, MX as (preference, host) pairs, PTR as host names. The void-lookup limit (RFC 7208
    §4.6.4) is counted here, as pyspf's ``dns()`` does.
    """

    def __init__(self, resolver: Resolver, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._resolver = resolver

    def dns(self, name: str, qtype: str, cnames: object = None, ignore_void: bool = False) -> list[Any]:
        name = str(name).rstrip(".").lower()
        if not name or not all(0 < len(label) < 64 for label in name.split(".")):
            return []
        if qtype not in _SPF_TYPES:  # type 99 "SPF" records: obsolete (RFC 7208 §3.1)
            return []
        try:
            records = self._resolver.lookup(name, _SPF_TYPES[qtype])
        except DnsTempError as exc:
            raise spf.TempError(f"DNS {exc}") from exc
        result: list[Any]
        if qtype == "TXT":
            result = [[text.encode("utf-8")] for text in records]
        elif qtype == "MX":
            result = []
            for mx in records:
                preference, _, host = mx.partition(" ")
                result.append((int(preference), host.strip().rstrip(".")))
        else:
            result = list(records)
        if not result and not ignore_void:
            self.void_lookups += 1
            if self.void_lookups > spf.MAX_VOID_LOOKUPS:
                raise spf.PermError(f"Void lookup limit of {spf.MAX_VOID_LOOKUPS} exceeded")
        return result


def check_spf(
    client_ip: str | None, helo: str | None, mail_from: str | None, resolver: Resolver, settings: AuthenticationSettings
) -> tuple[str, str | None]:
    """RFC 7208 result for MAIL FROM (or, for the null sender, the HELO name) and that identity's domain."""
    sender = (mail_from or "").strip().strip("<>")
    domain = domain_of(sender) or ((helo or "").strip().lower() or None)
    if not client_ip:
        return "none", domain
    try:
        ipaddress.ip_address(client_ip)
    except ValueError:
        return "none", domain
    query = _SpfQuery(
        resolver,
        i=client_ip,
        s=sender,
        h=(helo or "").strip(),
        timeout=settings.dns_timeout_seconds,
        querytime=settings.spf_time_limit_seconds,
    )
    result, _code, _explanation = query.check()
    return str(result), domain
