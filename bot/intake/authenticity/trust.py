"""What a verdict means for a message a vendor template matched: credit the vendor, or hold it as suspicious."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.intake.authenticity.verdict import AuthVerdict


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
