"""The message's headers: its one From identity, Authentication-Results read from a trusted relay, and ours.

``authres`` reads and writes ``Authentication-Results`` (RFC 8601). A header already in the message is
believed only on a connection from one of ``trusted_relays`` and with one of ``trusted_authserv_ids``.
"""

from __future__ import annotations

import email.utils
import re
from dataclasses import replace
from email.message import Message
from email.parser import BytesHeaderParser
from email.policy import compat32
from typing import Any

import authres
import authres.dmarc

from bot.intake.authenticity.verdict import AuthVerdict, DkimResult
from bot.settings.authentication import AuthenticationSettings

FEATURES = authres.FeatureContext(authres.dmarc)
_FOLD = re.compile(r"\r?\n[ \t]+")
_HEADERS = BytesHeaderParser(policy=compat32)


def header_block(raw: bytes) -> Message:
    """The message's header fields (compat32: lenient, and no RFC 5322 parse of every value), read from its
    header block alone: the same fields as from the whole message, whose body the parser would read through."""
    head, _, _ = raw.partition(b"\r\n\r\n") if b"\r\n\r\n" in raw else raw.partition(b"\n\n")
    return _HEADERS.parsebytes(head + b"\n\n")


# --- the From identity ------------------------------------------------------------------------------------


def from_identity(headers: Message, reasons: list[str]) -> tuple[str | None, str | None]:
    """The one RFC 5322.From address and its domain; None when there is not exactly one (RFC 7489 §6.6.1)."""
    values = headers.get_all("From") or []
    addresses = [addr for _, addr in email.utils.getaddresses([str(v) for v in values]) if addr]
    if len(values) != 1 or len(addresses) != 1:
        reasons.append(f"{len(addresses)} From addresses in {len(values)} From headers")
        return None, None
    address = addresses[0].strip()
    domain = domain_of(address)
    if domain is None:
        reasons.append("From address without a domain")
        return None, None
    return address, domain


def domain_of(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    domain = address.strip().strip("<>").rpartition("@")[2].strip().rstrip(".").lower()
    return domain or None


# --- Authentication-Results already in the message --------------------------------------------------------


def believed_header(
    headers: Message, trusted_peer: bool, settings: AuthenticationSettings
) -> tuple[Any, list[str]]:
    """The trusted relay's topmost Authentication-Results (or None) and the authserv-ids of all others.
    ``trusted_peer``: the connection came from one of ``settings.trusted_relays``."""
    believed: Any = None
    ignored: list[str] = []
    for value in headers.get_all("Authentication-Results") or []:
        text = _FOLD.sub(" ", str(value)).strip()
        try:
            parsed = FEATURES.parse_value(text)
        except authres.AuthResError:
            ignored.append("(unreadable)")
            continue
        authserv_id = str(parsed.authserv_id or "").lower()
        if believed is None and trusted_peer and authserv_id in settings.trusted_authserv_ids:
            believed = parsed
        else:
            ignored.append(authserv_id or "(none)")
    return believed, ignored


def relay_spf(header: Any) -> tuple[str, str | None]:
    for result in header.results:
        if result.method == "spf":
            identity = result.smtp_mailfrom or result.smtp_helo
            domain = domain_of(identity) if identity and "@" in identity else (identity or None)
            return str(result.result or "none").lower(), domain.lower() if domain else None
    return "none", None


def relay_dkim(header: Any) -> list[DkimResult]:
    out = []
    for result in header.results:
        if result.method == "dkim":
            domain = result.header_d or domain_of(result.header_i)
            out.append(
                DkimResult(str(result.result or "none").lower(), domain.lower() if domain else None, result.header_s)
            )
    return out


# --- our Authentication-Results ---------------------------------------------------------------------------


def with_header(verdict: AuthVerdict, authserv_id: str, helo: str | None, mail_from: str | None) -> AuthVerdict:
    comment = verdict.source.removeprefix("relay:") if verdict.source != "checked" else None
    results: list[Any] = [
        authres.SPFAuthenticationResult(
            result=verdict.spf,
            result_comment=comment,
            smtp_mailfrom=_token((mail_from or "").strip("<>")) or None,
            smtp_helo=_token(helo or "") or None,
        )
    ]
    for signature in verdict.dkim:
        results.append(
            authres.DKIMAuthenticationResult(
                result=signature.result,
                result_comment=comment,
                header_d=signature.domain,
                header_s=_token(signature.selector or "") or None,
            )
        )
    if not verdict.dkim:
        results.append(authres.DKIMAuthenticationResult(result="none"))
    results.append(
        authres.dmarc.DMARCAuthenticationResult(
            result=verdict.dmarc, header_from=verdict.from_domain, policy=verdict.dmarc_policy
        )
    )
    header = FEATURES.header(authserv_id=authserv_id, results=results)
    return replace(verdict, header=str(header))


def _token(value: str) -> str:
    """A value fit for a header property: printable ASCII without spaces, quotes or separators."""
    return re.sub(r"[^\x21-\x7e]|[\"();\\]", "", value)[:255]
