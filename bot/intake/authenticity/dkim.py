"""DKIM: each DKIM-Signature verified by dkimpy (RFC 6376), our resolver as its documented ``dnsfunc``."""

from __future__ import annotations

from email.message import Message
from typing import Any

import dkim

from bot.intake.authenticity.resolver import DnsTempError, Resolver
from bot.intake.authenticity.verdict import DkimResult
from bot.settings.authentication import AuthenticationSettings


class _DkimKeys:
    """dkimpy's ``dnsfunc``: the key record of a signature, noting why it is missing."""

    def __init__(self, resolver: Resolver) -> None:
        self._resolver = resolver
        self.unavailable = False
        self.missing = False

    def __call__(self, name: bytes, timeout: float = 5) -> bytes | None:
        try:
            records = self._resolver.lookup(name.decode("ascii", "replace").rstrip(".").lower(), "TXT")
        except DnsTempError as exc:
            self.unavailable = True
            raise dkim.DnsTimeoutError(str(exc)) from exc
        if not records:
            self.missing = True
            return None
        return records[0].encode("utf-8")


def check_dkim(raw: bytes, headers: Message, resolver: Resolver, settings: AuthenticationSettings) -> list[DkimResult]:
    out = []
    for index in range(len(headers.get_all("DKIM-Signature") or [])):
        keys = _DkimKeys(resolver)
        verifier: Any = None
        try:
            verifier = dkim.DKIM(raw, minkey=settings.min_key_bits, timeout=settings.dns_timeout_seconds)
            valid = verifier.verify(idx=index, dnsfunc=keys)
            result = "pass" if valid else "fail"
        except dkim.ValidationError:  # body hash mismatch, expired, d= and i= at odds …
            result = "fail"
        except dkim.DKIMException:  # malformed signature or key
            result = "permerror"
        if keys.unavailable:
            result = "temperror"
        elif keys.missing:
            result = "permerror"  # RFC 6376 §6.1.2: no key record is a permanent failure
        domain = getattr(verifier, "domain", None)
        selector = getattr(verifier, "selector", None)
        out.append(
            DkimResult(
                result,
                domain.decode("ascii", "replace").lower() if isinstance(domain, bytes) else None,
                selector.decode("ascii", "replace") if isinstance(selector, bytes) else None,
            )
        )
    return out
