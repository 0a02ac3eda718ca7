"""The verdict on one message's sender, and the SMTP facts its bytes do not carry."""

from __future__ import annotations

import fnmatch
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Summary = Literal["pass", "fail", "none", "temperror"]


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


def summarise(
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
