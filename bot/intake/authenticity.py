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
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
import email.utils
import fnmatch
import ipaddress
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from email.message import Message
from typing import Any, Literal, Protocol

import authres
import authres.dmarc
import dkim
import dmarc
import dns.exception
import dns.rdatatype
import dns.resolver
import spf
from publicsuffixlist import PublicSuffixList
from pydantic import BaseModel, ConfigDict, Field, field_validator

from parsers.errors import LeadbotError, OutageError

log = logging.getLogger(__name__)

RecordType = Literal["TXT", "A", "AAAA", "MX", "PTR"]
Summary = Literal["pass", "fail", "none", "temperror"]


class DnsTempError(OutageError):
    """A lookup that may answer later (timeout, SERVFAIL, no server reachable): a temperror, not a fail."""


class Resolver(Protocol):
    """Answers one DNS question. Synchronous: pyspf and dkimpy call it from inside their checks."""

    def lookup(self, name: str, rdtype: RecordType) -> list[str]:
        """The records of ``rdtype`` at ``name`` (no trailing dot), in presentation form.

        TXT: the character-strings of each record joined; A/AAAA: the address; MX: ``"<preference> <host>"``;
        PTR: the host. An empty list when the name does not exist or has no such record; `DnsTempError`
        when the answer could not be had.
        """
        ...


class DnsPythonResolver:
    """The production `Resolver`: dnspython with the system's name servers (or given ones) and a time limit."""

    def __init__(self, timeout: float, nameservers: Sequence[str] | None = None, port: int = 53) -> None:
        self._resolver = dns.resolver.Resolver(configure=nameservers is None)
        if nameservers is not None:
            self._resolver.nameservers = list(nameservers)
        self._resolver.port = port
        self._resolver.lifetime = timeout

    def lookup(self, name: str, rdtype: RecordType) -> list[str]:
        try:
            answer = self._resolver.resolve(name, rdtype, raise_on_no_answer=False, search=False)
        except dns.resolver.NXDOMAIN:
            return []
        except dns.exception.DNSException as exc:  # Timeout, NoNameservers, NoResolverConfiguration …
            raise DnsTempError(f"{rdtype} {name}: {exc.__class__.__name__}") from exc
        if answer.rrset is None:
            return []
        out: list[str] = []
        for rdata in answer.rrset:
            if rdata.rdtype == dns.rdatatype.TXT:
                out.append(b"".join(rdata.strings).decode("utf-8", "replace"))
            elif rdata.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA):
                out.append(str(rdata.address))
            elif rdata.rdtype == dns.rdatatype.MX:
                out.append(f"{rdata.preference} {rdata.exchange.to_text(omit_final_dot=True)}")
            elif rdata.rdtype == dns.rdatatype.PTR:
                out.append(rdata.target.to_text(omit_final_dot=True))
        return out


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


@dataclass(frozen=True, slots=True)
class DkimResult:
    """One DKIM-Signature's outcome: pass, fail, neutral, temperror or permerror (RFC 8601 §2.7.1)."""

    result: str
    domain: str | None = None
    selector: str | None = None


@dataclass(frozen=True, slots=True)
class AuthVerdict:
    """What the message's authentication says about its From domain."""

    #: pass: an identifier aligned with the From domain passed (DMARC pass, or its rule without a record);
    #: temperror: nothing passed and a DNS answer was missing; fail: something failed; none: nothing to check
    summary: Summary
    from_address: str | None
    from_domain: str | None
    #: RFC 7208 result of the MAIL FROM (or HELO) identity, and that identity's domain
    spf: str
    spf_domain: str | None
    dkim: tuple[DkimResult, ...]
    #: pass | fail | none (no policy published) | temperror | permerror
    dmarc: str
    #: the published disposition that applies: none | quarantine | reject; None without a policy
    dmarc_policy: str | None
    #: an identifier that passed is aligned with the From domain
    aligned: bool
    #: "checked" (by us) or "relay:<authserv-id>" (a trusted upstream's Authentication-Results)
    source: str
    #: authserv-ids of Authentication-Results headers found in the message and not believed
    ignored: tuple[str, ...] = ()
    #: our Authentication-Results header for this verdict (provenance), as one unfolded line
    header: str = ""
    #: why, in words, for the review queue
    reasons: tuple[str, ...] = field(default=())

    @property
    def dkim_summary(self) -> str:
        """The best DKIM result, for a one-word column: pass > fail > temperror > permerror > neutral > none."""
        results = {d.result for d in self.dkim}
        for word in ("pass", "fail", "temperror", "permerror", "neutral"):
            if word in results:
                return word
        return "none"

    def vouches_for(self, sender_patterns: Sequence[str]) -> bool:
        """True when the message is authenticated and its From address is one of the vendor's senders.

        ``sender_patterns`` are a vendor template's ``[match] senders`` (shell patterns on the address).
        Authentication alone says only who sent it: a message that passes for ``attacker.example`` is not
        the vendor's.
        """
        if self.summary != "pass" or not self.from_address:
            return False
        address = self.from_address.casefold()
        return any(fnmatch.fnmatchcase(address, pattern.casefold()) for pattern in sender_patterns)

    def as_provenance(self) -> dict[str, Any]:
        """The verdict as JSON-ready data, for a lead's provenance and an event's details."""
        return {
            "summary": self.summary,
            "from_domain": self.from_domain,
            "spf": self.spf,
            "spf_domain": self.spf_domain,
            "dkim": [{"result": d.result, "domain": d.domain, "selector": d.selector} for d in self.dkim],
            "dmarc": self.dmarc,
            "dmarc_policy": self.dmarc_policy,
            "aligned": self.aligned,
            "source": self.source,
            "ignored": list(self.ignored),
            "authentication_results": self.header,
            "reasons": list(self.reasons),
        }


@dataclass(frozen=True, slots=True)
class SmtpOrigin:
    """What the SMTP session knew of a message's delivery, which its bytes do not say."""

    #: the connection's peer address (aiosmtpd ``session.peer[0]``)
    client_ip: str | None
    #: the HELO/EHLO name (``session.host_name``)
    helo: str | None
    #: the envelope sender (``envelope.mail_from``; empty for a bounce)
    mail_from: str | None


async def check_sender(
    raw: bytes, origin: SmtpOrigin, resolver: Resolver, settings: AuthenticationSettings
) -> AuthVerdict:
    """`verify_sender` off the event loop (its DNS questions block)."""
    return await asyncio.to_thread(verify_sender, raw, origin, resolver, settings)


def verify_sender(raw: bytes, origin: SmtpOrigin, resolver: Resolver, settings: AuthenticationSettings) -> AuthVerdict:
    """SPF, DKIM and DMARC of one message as received; never raises for anything the message holds."""
    client_ip, helo, mail_from = origin.client_ip, origin.helo, origin.mail_from
    headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
    reasons: list[str] = []
    from_address, from_domain = _from_identity(headers, reasons)
    relay_header, ignored = _believed_header(headers, client_ip, settings)

    if relay_header is not None:
        source = f"relay:{relay_header.authserv_id}"
        spf_result, spf_domain = _relay_spf(relay_header)
        dkim_results = _relay_dkim(relay_header)
        relay_dmarc = next((r for r in relay_header.results if r.method == "dmarc"), None)
    else:
        source = "checked"
        relay_dmarc = None
        if settings.is_trusted_relay(client_ip):
            # Our relay's address says nothing about the sender's SPF, and it gave no verdict to read.
            spf_result, spf_domain = "none", _domain_of(mail_from) or helo
            reasons.append("relayed without a trusted Authentication-Results: SPF not checked")
        else:
            spf_result, spf_domain = _check_spf(client_ip, helo, mail_from, resolver, settings)
        dkim_results = _check_dkim(raw, headers, resolver, settings)

    dmarc_result, dmarc_policy, aligned = _evaluate_dmarc(from_domain, spf_result, spf_domain, dkim_results, resolver)
    if relay_dmarc is not None and relay_dmarc.result:
        dmarc_result = str(relay_dmarc.result).lower()  # the relay's word on DMARC stands
        aligned = dmarc_result == "pass"

    summary = _summary(from_domain, spf_result, dkim_results, dmarc_result, aligned, reasons)
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
    return _with_header(verdict, settings.authserv_id, helo, mail_from)


# --- the From identity ------------------------------------------------------------------------------------


def _from_identity(headers: Message, reasons: list[str]) -> tuple[str | None, str | None]:
    """The one RFC 5322.From address and its domain; None when there is not exactly one (RFC 7489 §6.6.1)."""
    values = headers.get_all("From") or []
    addresses = [addr for _, addr in email.utils.getaddresses([str(v) for v in values]) if addr]
    if len(values) != 1 or len(addresses) != 1:
        reasons.append(f"{len(addresses)} From addresses in {len(values)} From headers")
        return None, None
    address = addresses[0].strip()
    domain = _domain_of(address)
    if domain is None:
        reasons.append("From address without a domain")
        return None, None
    return address, domain


def _domain_of(address: str | None) -> str | None:
    if not address or "@" not in address:
        return None
    domain = address.strip().strip("<>").rpartition("@")[2].strip().rstrip(".").lower()
    return domain or None


# --- Authentication-Results already in the message --------------------------------------------------------

_FEATURES = authres.FeatureContext(authres.dmarc)
_FOLD = re.compile(r"\r?\n[ \t]+")


def _believed_header(
    headers: Message, client_ip: str | None, settings: AuthenticationSettings
) -> tuple[Any, list[str]]:
    """The trusted relay's topmost Authentication-Results (or None) and the authserv-ids of all others."""
    trusted_peer = settings.is_trusted_relay(client_ip)
    believed: Any = None
    ignored: list[str] = []
    for value in headers.get_all("Authentication-Results") or []:
        text = _FOLD.sub(" ", str(value)).strip()
        try:
            parsed = _FEATURES.parse_value(text)
        except authres.AuthResError:
            ignored.append("(unreadable)")
            continue
        authserv_id = str(parsed.authserv_id or "").lower()
        if believed is None and trusted_peer and authserv_id in settings.trusted_authserv_ids:
            believed = parsed
        else:
            ignored.append(authserv_id or "(none)")
    return believed, ignored


def _relay_spf(header: Any) -> tuple[str, str | None]:
    for result in header.results:
        if result.method == "spf":
            identity = result.smtp_mailfrom or result.smtp_helo
            domain = _domain_of(identity) if identity and "@" in identity else (identity or None)
            return str(result.result or "none").lower(), domain.lower() if domain else None
    return "none", None


def _relay_dkim(header: Any) -> list[DkimResult]:
    out = []
    for result in header.results:
        if result.method == "dkim":
            domain = result.header_d or _domain_of(result.header_i)
            out.append(
                DkimResult(str(result.result or "none").lower(), domain.lower() if domain else None, result.header_s)
            )
    return out


# --- SPF (pyspf) ------------------------------------------------------------------------------------------


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


def _check_spf(
    client_ip: str | None, helo: str | None, mail_from: str | None, resolver: Resolver, settings: AuthenticationSettings
) -> tuple[str, str | None]:
    """RFC 7208 result for MAIL FROM (or, for the null sender, the HELO name) and that identity's domain."""
    sender = (mail_from or "").strip().strip("<>")
    domain = _domain_of(sender) or ((helo or "").strip().lower() or None)
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


# --- DKIM (dkimpy) ----------------------------------------------------------------------------------------


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


def _check_dkim(raw: bytes, headers: Message, resolver: Resolver, settings: AuthenticationSettings) -> list[DkimResult]:
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


# --- DMARC (dmarc, publicsuffixlist) ----------------------------------------------------------------------


class _OrgDomains:
    """The Public Suffix List in the shape the ``dmarc`` package asks for (``get_public_suffix``)."""

    def __init__(self) -> None:
        self._list = PublicSuffixList()

    def get_public_suffix(self, domain: str) -> str:
        """The organisational domain (RFC 7489 §3.2); the name itself when it is a public suffix."""
        return self._list.privatesuffix(domain.lower()) or domain.lower()


_ORG_DOMAINS = _OrgDomains()
_SPF_RESULTS = {r.value for r in dmarc.SPFResult}
_DKIM_RESULTS = {r.value for r in dmarc.DKIMResult}


class _NoPolicy(LeadbotError):
    pass


def _policy_record(from_domain: str, resolver: Resolver) -> tuple[str, str | None]:
    """The DMARC record for ``from_domain`` and, when it came from there, the organisational domain."""
    record = _one_dmarc_record(from_domain, resolver)
    if record is not None:
        return record, None
    org_domain = _ORG_DOMAINS.get_public_suffix(from_domain)
    if org_domain != from_domain:
        record = _one_dmarc_record(org_domain, resolver)
        if record is not None:
            return record, org_domain
    raise _NoPolicy


def _one_dmarc_record(domain: str, resolver: Resolver) -> str | None:
    records = [r.strip() for r in resolver.lookup(f"_dmarc.{domain}", "TXT") if r.strip().startswith("v=DMARC1")]
    return records[0] if len(records) == 1 else None  # RFC 7489 §6.6.3: more than one is no policy


def _evaluate_dmarc(
    from_domain: str | None,
    spf_result: str,
    spf_domain: str | None,
    dkim_results: Sequence[DkimResult],
    resolver: Resolver,
) -> tuple[str, str | None, bool]:
    """(dmarc result, applicable disposition, aligned). Without a policy, alignment is judged relaxed."""
    if from_domain is None:
        return "none", None, False
    identifiers: list[Any] = []
    if spf_domain and spf_result in _SPF_RESULTS:
        identifiers.append(dmarc.SPFAuthResult(spf_domain, dmarc.SPFResult(spf_result)))
    for signature in dkim_results:
        if signature.domain and signature.result in _DKIM_RESULTS:
            identifiers.append(dmarc.DKIMAuthResult(signature.domain, dmarc.DKIMResult(signature.result)))
    try:
        record, org_domain = _policy_record(from_domain, resolver)
    except _NoPolicy:
        checker = dmarc.DMARC(publicsuffix=_ORG_DOMAINS)
        aligned = any(
            i.result.value == "pass"
            and checker.check_alignment(from_domain, i.domain, dmarc.DMARCAlignment.RELAXED, _ORG_DOMAINS)
            for i in identifiers
        )
        return "none", None, aligned
    except DnsTempError:
        return "temperror", None, False
    try:
        policy = dmarc.DMARCPolicy(record=record, domain=from_domain, org_domain=org_domain, publicsuffix=_ORG_DOMAINS)
    except dmarc.RecordSyntaxError:
        return "permerror", None, False
    with contextlib.suppress(dmarc.PolicyError):  # raised for a failing policy; the result says which
        policy.verify(auth_results=identifiers)
    result = policy.result
    passed = result.result is dmarc.DMARCResult.PASS
    applies = policy.policy.sp if org_domain and policy.policy.sp.value else policy.policy.p
    return ("pass" if passed else "fail"), applies.value, passed


def _summary(
    from_domain: str | None,
    spf_result: str,
    dkim_results: Sequence[DkimResult],
    dmarc_result: str,
    aligned: bool,
    reasons: list[str],
) -> Summary:
    if aligned and from_domain is not None:
        reasons.append(f"{from_domain} authenticated")
        return "pass"
    temporary = (
        spf_result == "temperror" or dmarc_result == "temperror" or any(d.result == "temperror" for d in dkim_results)
    )
    if temporary:
        reasons.append("a DNS answer was missing; check again later")
        return "temperror"
    failed = []
    if spf_result in ("fail", "softfail", "permerror"):
        failed.append(f"spf={spf_result}")
    failed += [f"dkim={d.result} ({d.domain})" for d in dkim_results if d.result in ("fail", "permerror")]
    if dmarc_result in ("fail", "permerror"):
        failed.append(f"dmarc={dmarc_result}")
    if from_domain is None:
        failed.append("no single From domain")
    if failed:
        reasons.append("failed: " + ", ".join(failed))
        return "fail"
    reasons.append("nothing authenticates the From domain")
    return "none"


# --- our Authentication-Results (authres) -----------------------------------------------------------------


def _with_header(verdict: AuthVerdict, authserv_id: str, helo: str | None, mail_from: str | None) -> AuthVerdict:
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
    header = _FEATURES.header(authserv_id=authserv_id, results=results)
    return replace(verdict, header=str(header))


def _token(value: str) -> str:
    """A value fit for a header property: printable ASCII without spaces, quotes or separators."""
    return re.sub(r"[^\x21-\x7e]|[\"();\\]", "", value)[:255]


# --- what the verdict means for a vendor ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class VendorTrust:
    """Whether a message recognised as a vendor's may be credited to it."""

    #: attribute the lead to the vendor (its template's name, its stats, its routing rules)
    credit_vendor: bool
    #: keep it, grade it for review, list it in ``leadbot messages --suspicious``
    suspicious: bool
    #: why, for the card's reasons and the review queue; None when nothing is wrong
    reason: str | None = None


def vendor_trust(verdict: AuthVerdict | None, *, require_auth: bool, sender_patterns: Sequence[str]) -> VendorTrust:
    """The rule for a message a vendor template matched.

    A template with ``require_auth = true`` is credited only when the verdict passes for an address its
    ``[match] senders`` name. Whatever the template says, a From domain whose DMARC policy asks to reject
    or quarantine failing mail is never credited (its owner has said such mail is not theirs).
    """
    if verdict is not None and verdict.dmarc == "fail" and verdict.dmarc_policy in ("reject", "quarantine"):
        return VendorTrust(False, True, f"forged sender: dmarc=fail for {verdict.from_domain} ({verdict.dmarc_policy})")
    if not require_auth:
        return VendorTrust(True, False)
    if verdict is None:
        return VendorTrust(False, True, "the vendor requires authentication and the message was not checked")
    if verdict.vouches_for(sender_patterns):
        return VendorTrust(True, False)
    if verdict.summary == "pass":
        why = f"authenticated as {verdict.from_domain}, not one of the vendor's senders"
    else:
        checks = f"spf={verdict.spf}, dkim={verdict.dkim_summary}, dmarc={verdict.dmarc}"
        why = f"sender authentication {verdict.summary} ({checks})"
    return VendorTrust(False, True, f"the vendor requires authentication: {why}")
