"""DMARC (RFC 7489): the ``dmarc`` package parses the policy and decides alignment; ``publicsuffixlist``
(the list ships inside the package, nothing is fetched) finds the organisational domain.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

import dmarc
from publicsuffixlist import PublicSuffixList

from bot.intake.authenticity.resolver import DnsTempError, Resolver
from bot.intake.authenticity.verdict import DkimResult
from parsers.errors import LeadbotError


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


def evaluate_dmarc(
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
