"""Who a lead is credited to: the vendor or source the vendor ledger and the stats group it under.

What the message itself names wins: a vendor template (mail), a top-level ``vendor`` key of a payload, an
ADF document's ``<provider>``. When it names none, the way the lead came in names its source (pure):

    webhook  /intake/<source>   the source's configured ``vendor``, else the source's name
    web form /form/<name>       the form's name
    mail (SMTP, IMAP)           the organisational domain of the one From address (Public Suffix List,
                                shipped with ``publicsuffixlist``); "direct email" when the From address
                                is the prospect's own or a free-mail one (a person wrote, not a platform);
                                the From display name when the domain is our own (a recipient's): our
                                website's form mailer relaying ("Website Forms"); "forwarded mail" when
                                a colleague forwarded it
    chat note (Slack)           "chat"
    file import                 ``--source`` or a vendor column of the file (bot.intake.spreadsheet)

Mail whose template demands an authenticated sender and did not get one is kept uncredited
(bot.intake.pipeline): it gets no source either, so nobody is charged for a lead a forger sent.
"""

from __future__ import annotations

import email.utils
from collections.abc import Mapping, Sequence
from email.message import Message
from functools import cache, lru_cache

from publicsuffixlist import PublicSuffixList

from bot.intake.authenticity.headers import domain_of, from_identity, header_block
from nlp.lexicon import is_free_mail
from parsers.lead import MAX_VENDOR_NAME, ExtractedLead, RawMessage
from parsers.quotes import FORWARD_MARKER, OUTLOOK_HEADER

#: the source of a lead a rep typed into chat
CHAT = "chat"
#: the source of mail a person wrote themselves (not a lead platform)
DIRECT_EMAIL = "direct email"
#: the source of mail a colleague forwarded (from our own domain, with a forwarded part)
FORWARDED = "forwarded mail"
#: the source of a file import without ``--source`` nor a vendor column
IMPORT = "Import"
#: longest source name kept (a vendor name longer than this is not a name)
MAX_NAME = MAX_VENDOR_NAME


@cache
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()


@lru_cache(maxsize=4096)  # mail comes from a handful of domains (issue 11: half the cost of `mail_source`)
def organisational_domain(domain: str) -> str:
    """``leads.mail.example.co.uk`` → ``example.co.uk`` (RFC 7489 §3.2); the name itself if it is a suffix."""
    domain = domain.lower().rstrip(".")
    return _suffixes().privatesuffix(domain) or domain


def mail_source(
    raw: bytes,
    leads: Sequence[ExtractedLead] = (),
    recipients: Sequence[str] = (),
    headers: Message | None = None,
) -> str | None:
    """The source of a mail no template recognised (module docstring); None without exactly one From
    address. ``recipients``: the envelope's, which with the To header tell our own domain. ``headers``: the
    message's header block (`header_block`) when it was read already (the sender check's): not read again."""
    try:
        if headers is None:
            headers = header_block(raw)
        address, domain = from_identity(headers, [])
        if address is None or domain is None:
            return None
        to = tuple(str(v) for v in headers.get_all("To") or ())
    except Exception:  # a header block too broken to parse names no one
        return None
    own = {(lead.value("email") or "").strip().casefold() for lead in leads}
    if address.strip().casefold() in own or is_free_mail(domain):
        return DIRECT_EMAIL
    org = organisational_domain(domain)
    try:
        ours = _own_domains(tuple(recipients), to)
    except Exception:
        return None
    if org in ours:
        body = raw.partition(b"\r\n\r\n")[2] if b"\r\n\r\n" in raw else raw.partition(b"\n\n")[2]
        text = body[:200_000].decode("utf-8", "replace")
        if FORWARD_MARKER.search(text) or OUTLOOK_HEADER.search(text):
            return FORWARDED
        # our own mail system relaying (the website's form mailer): its name says which, not our domain
        display = email.utils.parseaddr(str(headers.get("From", "")))[0]
        name = " ".join(display.split())
        return (name or address.partition("@")[0])[:MAX_NAME]
    return org


@lru_cache(maxsize=1024)  # the same intake address and To header on every mail (issue 11: ~30 us a mail)
def _own_domains(recipients: tuple[str, ...], to: tuple[str, ...]) -> frozenset[str]:
    """The organisational domains of the envelope's recipients and the To header's addresses: our own."""
    addresses = [a for _, a in email.utils.getaddresses([*recipients, *to])]
    return frozenset(organisational_domain(d) for a in addresses if (d := domain_of(a)))


class Attribution:
    """Names the vendor a message's leads are credited to. ``sources``: webhook source name → the vendor
    configured for it (``[intake.sources.<name>] vendor``)."""

    def __init__(self, sources: Mapping[str, str | None] | None = None) -> None:
        self._sources = dict(sources or {})

    def vendor(
        self,
        named: str | None,
        message: RawMessage,
        leads: Sequence[ExtractedLead] = (),
        headers: Message | None = None,
    ) -> str | None:
        """``named`` (what the message names) if any, else the source of the way in (module docstring).
        ``headers``: a mail's header block read already (`mail_source`)."""
        if named and named.strip():
            return named.strip()[:MAX_NAME]
        sender = message.sender or ""
        if message.channel == "http" and sender.startswith("http:"):
            name = sender.removeprefix("http:")
            return (self._sources.get(name) or name)[:MAX_NAME] or None
        if message.channel == "http" and sender.startswith("form:"):
            return sender.removeprefix("form:")[:MAX_NAME] or None
        if message.channel == "smtp":
            return mail_source(message.raw, leads, message.recipients, headers)
        if message.channel == "slack":
            return CHAT
        return None


__all__ = ["CHAT", "DIRECT_EMAIL", "FORWARDED", "IMPORT", "Attribution", "mail_source", "organisational_domain"]
