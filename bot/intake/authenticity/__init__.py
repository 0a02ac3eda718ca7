"""Sender authentication for vendor mail: SPF, DKIM and DMARC of one inbound message, and whose word to take.

What the check needs beyond the stored bytes, all from the SMTP session that delivered them (`SmtpOrigin`):

- ``client_ip``: the peer address of the connection (aiosmtpd ``session.peer[0]``),
- ``helo``: the name the client gave in HELO/EHLO (``session.host_name``),
- ``mail_from``: the envelope sender (``envelope.mail_from``; ``RawMessage.sender`` for SMTP).

The libraries do the protocol work through their public API: pyspf evaluates SPF (RFC 7208: mechanisms,
macros, lookup and void-lookup limits), dkimpy verifies each DKIM-Signature (RFC 6376), the ``dmarc``
package parses the policy record and decides alignment (RFC 7489), ``publicsuffixlist`` (the list ships
inside the package, nothing is fetched) finds the organisational domain, and ``authres`` reads and writes
``Authentication-Results`` (RFC 8601). Every DNS question goes through one injectable `Resolver`:
dnspython with a timeout in production (`DnsPythonResolver`), a table of records in tests.

pyspf asks DNS through its module-level ``DNSLookup``; instead of patching that process-wide, a subclass
of its per-query class ``spf.query`` answers the one method every lookup goes through (``query.dns``)
from the resolver. dkimpy takes the resolver as its documented ``dnsfunc``.

``Authentication-Results`` already in the message are believed only when the connection came from one of
our own relays (``trusted_relays``) and the header carries one of ``trusted_authserv_ids``; the topmost
such header is the relay's verdict, used instead of an SPF check against the relay's own address. Any
other such header (a forged one, an earlier hop's) is ignored and listed in `AuthVerdict.ignored`. The
relay must strip incoming headers that carry its id (RFC 8601 §5), as OpenDKIM/OpenDMARC and rspamd do.

Everything here is synchronous (so are pyspf and dkimpy): call `check_sender` from the event loop, which
runs `verify_sender` in a worker thread.

The modules, by role: ``resolver`` (the DNS door), ``settings``, ``verdict`` (the types and the one-word
summary), ``headers`` (From identity, Authentication-Results in and out), ``spf``, ``dkim``, ``dmarc``,
``check`` (`verify_sender`, `check_sender`) and ``trust`` (`vendor_trust`).
"""

from __future__ import annotations

from bot.intake.authenticity.check import check_sender, verify_sender
from bot.intake.authenticity.resolver import DnsPythonResolver, DnsTempError, RecordType, Resolver
from bot.intake.authenticity.trust import VendorTrust, vendor_trust
from bot.intake.authenticity.verdict import AuthVerdict, DkimResult, SmtpOrigin, Summary
from bot.settings.authentication import AuthenticationSettings

__all__ = [
    "AuthVerdict",
    "AuthenticationSettings",
    "DkimResult",
    "DnsPythonResolver",
    "DnsTempError",
    "RecordType",
    "Resolver",
    "SmtpOrigin",
    "Summary",
    "VendorTrust",
    "check_sender",
    "vendor_trust",
    "verify_sender",
]
