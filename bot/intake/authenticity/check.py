"""One message's SPF, DKIM and DMARC as received, from our checks or a trusted relay's word.

Everything here is synchronous (so are pyspf and dkimpy): call `check_sender` from the event loop, which
runs `verify_sender` in a worker thread.
"""

from __future__ import annotations

import asyncio
from email.message import Message

from bot.intake.authenticity.dkim import check_dkim
from bot.intake.authenticity.dmarc import evaluate_dmarc
from bot.intake.authenticity.headers import (
    believed_header,
    domain_of,
    from_identity,
    header_block,
    relay_dkim,
    relay_spf,
    with_header,
)
from bot.intake.authenticity.resolver import Resolver
from bot.intake.authenticity.spf import check_spf
from bot.intake.authenticity.verdict import AuthVerdict, SmtpOrigin, summarise
from bot.settings.authentication import AuthenticationSettings


async def check_sender(
    raw: bytes, origin: SmtpOrigin, resolver: Resolver, settings: AuthenticationSettings, headers: Message | None = None
) -> AuthVerdict:
    """`verify_sender` off the event loop (its DNS questions block)."""
    return await asyncio.to_thread(verify_sender, raw, origin, resolver, settings, headers)


def verify_sender(
    raw: bytes,
    origin: SmtpOrigin,
    resolver: Resolver,
    settings: AuthenticationSettings,
    headers: Message | None = None,
) -> AuthVerdict:
    """SPF, DKIM and DMARC of one message as received; never raises for anything the message holds.
    ``headers``: its header block (`header_block`) when the caller read it already (only read here)."""
    client_ip, helo, mail_from = origin.client_ip, origin.helo, origin.mail_from
    if headers is None:
        headers = header_block(raw)
    reasons: list[str] = []
    from_address, from_domain = from_identity(headers, reasons)
    trusted_peer = settings.is_trusted_relay(client_ip)
    relay_header, ignored = believed_header(headers, trusted_peer, settings)

    if relay_header is not None:
        source = f"relay:{relay_header.authserv_id}"
        spf_result, spf_domain = relay_spf(relay_header)
        dkim_results = relay_dkim(relay_header)
        relay_dmarc = next((r for r in relay_header.results if r.method == "dmarc"), None)
    else:
        source = "checked"
        relay_dmarc = None
        if trusted_peer:
            # Our relay's address says nothing about the sender's SPF, and it gave no verdict to read.
            spf_result, spf_domain = "none", domain_of(mail_from) or helo
            reasons.append("relayed without a trusted Authentication-Results: SPF not checked")
        else:
            spf_result, spf_domain = check_spf(client_ip, helo, mail_from, resolver, settings)
        dkim_results = check_dkim(raw, headers, resolver, settings)

    dmarc_result, dmarc_policy, aligned = evaluate_dmarc(from_domain, spf_result, spf_domain, dkim_results, resolver)
    if relay_dmarc is not None and relay_dmarc.result:
        dmarc_result = str(relay_dmarc.result).lower()  # the relay's word on DMARC stands
        aligned = dmarc_result == "pass"

    summary = summarise(from_domain, spf_result, dkim_results, dmarc_result, aligned, reasons)
    if ignored:
        reasons.append("ignored Authentication-Results from " + ", ".join(ignored))
    verdict = AuthVerdict(
        summary=summary,
        from_address=from_address,
        from_domain=from_domain,
        spf=spf_result,
        spf_domain=spf_domain,
        dkim=tuple(dkim_results),
        dmarc=dmarc_result,
        dmarc_policy=dmarc_policy,
        aligned=aligned,
        source=source,
        ignored=tuple(ignored),
        reasons=tuple(reasons),
    )
    return with_header(verdict, settings.authserv_id, helo, mail_from)
