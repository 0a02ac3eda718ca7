"""SPF, DKIM and DMARC of vendor mail, with keys made here and DNS records served from a table."""

from __future__ import annotations

import base64
import socket
import threading
from collections.abc import Iterator
from functools import cache

import dkim
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bot.intake.authenticity import (
    AuthenticationSettings,
    AuthVerdict,
    DnsPythonResolver,
    DnsTempError,
    RecordType,
    SmtpOrigin,
    VendorTrust,
    check_sender,
    vendor_trust,
    verify_sender,
)

VENDOR = "vendor.example"
VENDOR_IP = "192.0.2.10"
STRANGER_IP = "198.51.100.7"
RELAY_IP = "203.0.113.5"


class TableResolver:
    """DNS answers from a dict; names in ``failing`` time out. Counts the questions asked."""

    def __init__(self, records: dict[tuple[str, str], list[str]], failing: frozenset[str] = frozenset()) -> None:
        self.records = records
        self.failing = failing
        self.asked: list[tuple[str, str]] = []

    def lookup(self, name: str, rdtype: RecordType) -> list[str]:
        self.asked.append((name, rdtype))
        if name in self.failing:
            raise DnsTempError(f"{rdtype} {name}: Timeout")
        return list(self.records.get((name, rdtype), []))


@cache
def dkim_key() -> tuple[bytes, str]:
    """A 2048-bit RSA key: the private key as PKCS#1 PEM (what dkimpy signs with) and the DNS public key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return private, base64.b64encode(public).decode()


def vendor_dns(*, dmarc: str | None = "v=DMARC1; p=reject; adkim=r; aspf=r") -> dict[tuple[str, str], list[str]]:
    records = {
        (VENDOR, "TXT"): ["v=spf1 ip4:192.0.2.0/28 include:_spf.mailer.example -all"],
        ("_spf.mailer.example", "TXT"): ["v=spf1 ip6:2001:db8::/32 a:out.mailer.example ~all"],
        ("out.mailer.example", "A"): ["192.0.2.200"],
        (f"sel1._domainkey.{VENDOR}", "TXT"): [f"v=DKIM1; k=rsa; p={dkim_key()[1]}"],
    }
    if dmarc is not None:
        records[(f"_dmarc.{VENDOR}", "TXT")] = [dmarc]
    return records


def message(sender: str = f"Leads <leads@{VENDOR}>", body: str = "First Name: Ana\r\nPhone: 555-0100\r\n") -> bytes:
    return (
        f"From: {sender}\r\n"
        "To: intake@dealer.example\r\n"
        "Subject: New lead\r\n"
        "Message-ID: <lead-1@vendor.example>\r\n"
        "Date: Mon, 30 Nov 2026 06:00:00 +0000\r\n"
        "\r\n"
        f"{body}"
    ).encode()


def signed(raw: bytes, domain: str = VENDOR) -> bytes:
    signature = dkim.sign(raw, b"sel1", domain.encode(), dkim_key()[0], include_headers=[b"from", b"subject", b"to"])
    return bytes(signature) + raw


def check(
    raw: bytes,
    resolver: TableResolver,
    *,
    client_ip: str | None = VENDOR_IP,
    mail_from: str | None = f"bounce@{VENDOR}",
    settings: AuthenticationSettings | None = None,
) -> AuthVerdict:
    origin = SmtpOrigin(client_ip=client_ip, helo="mail.vendor.example", mail_from=mail_from)
    return verify_sender(raw, origin, resolver, settings or AuthenticationSettings())


@pytest.fixture
def resolver() -> Iterator[TableResolver]:
    yield TableResolver(vendor_dns())


def test_signed_mail_from_the_vendors_network_passes(resolver: TableResolver) -> None:
    verdict = check(signed(message()), resolver)
    assert (verdict.summary, verdict.spf, verdict.dkim_summary, verdict.dmarc) == ("pass", "pass", "pass", "pass")
    assert verdict.aligned and verdict.from_domain == VENDOR and verdict.dmarc_policy == "reject"
    assert verdict.dkim[0].domain == VENDOR and verdict.dkim[0].selector == "sel1"
    assert verdict.header.startswith("Authentication-Results: leadbot; spf=pass")
    assert "dkim=pass header.d=vendor.example header.s=sel1" in verdict.header
    assert "dmarc=pass header.from=vendor.example policy.dmarc=reject" in verdict.header
    assert verdict.vouches_for(["*@vendor.example"]) and not verdict.vouches_for(["*@other.example"])


def test_spf_through_include_and_a_mechanisms(resolver: TableResolver) -> None:
    verdict = check(message(), resolver, client_ip="192.0.2.200")
    assert (verdict.spf, verdict.dkim_summary, verdict.summary) == ("pass", "none", "pass")
    softfail = check(message(), resolver, client_ip="192.0.2.201")
    assert softfail.spf == "fail"  # the include's ~all does not match; the vendor's own -all decides
    assert ("out.mailer.example", "A") in resolver.asked


def test_altered_body_fails_dkim(resolver: TableResolver) -> None:
    raw = signed(message()).replace(b"Phone: 555-0100", b"Phone: 555-0199")
    verdict = check(raw, resolver, client_ip=STRANGER_IP)
    assert verdict.dkim_summary == "fail"
    assert (verdict.spf, verdict.dmarc, verdict.summary) == ("fail", "fail", "fail")
    assert not verdict.vouches_for(["*@vendor.example"])


def test_wrong_ip_fails_spf_but_an_aligned_signature_still_passes(resolver: TableResolver) -> None:
    unsigned = check(message(), resolver, client_ip=STRANGER_IP)
    assert (unsigned.spf, unsigned.dkim_summary, unsigned.dmarc, unsigned.summary) == ("fail", "none", "fail", "fail")
    assert unsigned.dmarc_policy == "reject" and "spf=fail" in unsigned.header
    forwarded = check(signed(message()), resolver, client_ip=STRANGER_IP)
    assert (forwarded.spf, forwarded.dmarc, forwarded.summary) == ("fail", "pass", "pass")


def test_no_records_and_no_signature_is_none() -> None:
    empty = TableResolver({})
    verdict = check(message(), empty)
    assert (verdict.summary, verdict.spf, verdict.dkim, verdict.dmarc, verdict.dmarc_policy) == (
        "none",
        "none",
        (),
        "none",
        None,
    )
    assert (f"_dmarc.{VENDOR}", "TXT") in empty.asked
    assert not verdict.vouches_for(["*@vendor.example"])


def test_signature_whose_key_is_not_published_is_a_permerror() -> None:
    records = vendor_dns(dmarc=None)
    del records[(f"sel1._domainkey.{VENDOR}", "TXT")]
    verdict = check(signed(message()), TableResolver(records), client_ip=STRANGER_IP)
    assert verdict.dkim_summary == "permerror" and verdict.summary == "fail"


def test_dmarc_reject_for_a_forged_vendor_address(resolver: TableResolver) -> None:
    # The forger's own domain passes SPF and DKIM, but the From domain is the vendor's: nothing aligns.
    resolver.records[("forger.example", "TXT")] = [f"v=spf1 ip4:{STRANGER_IP} -all"]
    resolver.records[("sel1._domainkey.forger.example", "TXT")] = [f"v=DKIM1; k=rsa; p={dkim_key()[1]}"]
    raw = signed(message(), domain="forger.example")
    verdict = check(raw, resolver, client_ip=STRANGER_IP, mail_from="x@forger.example")
    assert (verdict.spf, verdict.dkim_summary) == ("pass", "pass")
    assert (verdict.aligned, verdict.dmarc, verdict.dmarc_policy, verdict.summary) == (False, "fail", "reject", "fail")


def test_subdomain_sender_uses_the_organisational_policy_and_relaxed_alignment(resolver: TableResolver) -> None:
    resolver.records[(VENDOR, "TXT")] = ["v=spf1 -all"]
    resolver.records[(f"_dmarc.{VENDOR}", "TXT")] = ["v=DMARC1; p=none; sp=quarantine"]
    raw = signed(message(sender=f"leads@mail.{VENDOR}"))
    verdict = check(raw, resolver, mail_from=f"b@{VENDOR}")
    assert (verdict.from_domain, verdict.dmarc, verdict.aligned, verdict.summary) == (
        f"mail.{VENDOR}",
        "pass",
        True,
        "pass",
    )
    strict = TableResolver(vendor_dns(dmarc="v=DMARC1; p=reject; adkim=s; aspf=s"))
    strict.records[(f"_dmarc.mail.{VENDOR}", "TXT")] = ["v=DMARC1; p=reject; adkim=s; aspf=s"]
    assert check(raw, strict, mail_from=f"b@{VENDOR}").summary == "fail"
    unaligned = TableResolver(vendor_dns(dmarc="v=DMARC1; p=none; sp=quarantine"))
    unaligned.records[(VENDOR, "TXT")] = ["v=spf1 -all"]
    bad = check(raw.replace(b"Ana", b"Bob"), unaligned, mail_from=f"b@{VENDOR}")
    assert (bad.dmarc, bad.dmarc_policy) == ("fail", "quarantine")


def test_dns_timeout_is_a_temperror_not_a_fail() -> None:
    verdict = check(signed(message()), TableResolver({}, failing=frozenset({VENDOR, f"sel1._domainkey.{VENDOR}"})))
    assert (verdict.spf, verdict.dkim_summary, verdict.summary) == ("temperror", "temperror", "temperror")


FORGED = (
    f"Authentication-Results: mx.dealer.example; spf=pass smtp.mailfrom={VENDOR};"
    f" dkim=pass header.d={VENDOR}; dmarc=pass header.from={VENDOR}\r\n"
)
TRUSTING = AuthenticationSettings(
    trusted_authserv_ids=("MX.dealer.example",), trusted_relays=(RELAY_IP, "2001:db8:1::/48")
)


def test_forged_authentication_results_from_an_untrusted_hop_are_ignored(resolver: TableResolver) -> None:
    raw = FORGED.encode() + message()
    verdict = check(raw, resolver, client_ip=STRANGER_IP, settings=TRUSTING)
    assert (verdict.source, verdict.spf, verdict.dmarc, verdict.summary) == ("checked", "fail", "fail", "fail")
    assert verdict.ignored == ("mx.dealer.example",)
    assert any("ignored Authentication-Results from mx.dealer.example" in r for r in verdict.reasons)
    # The same header with an untrusted id is no better on a connection from our relay.
    other = FORGED.replace("mx.dealer.example", "mx.elsewhere.example").encode() + message()
    relayed = check(other, resolver, client_ip=RELAY_IP, settings=TRUSTING)
    assert relayed.ignored == ("mx.elsewhere.example",) and relayed.summary == "fail"
    assert relayed.spf == "none"  # the relay's address says nothing of the vendor's SPF


def test_trusted_relays_verdict_is_honoured_and_older_copies_ignored(resolver: TableResolver) -> None:
    relay = (
        "Authentication-Results: mx.dealer.example;\r\n\tspf=pass smtp.mailfrom=bounce@vendor.example;\r\n"
        "\tdkim=pass header.d=vendor.example header.s=sel9\r\n"
    )
    raw = relay.encode() + FORGED.replace("pass", "fail").encode() + message()
    verdict = check(raw, resolver, client_ip=RELAY_IP, settings=TRUSTING)
    assert (verdict.source, verdict.spf, verdict.dkim_summary, verdict.dmarc, verdict.summary) == (
        "relay:mx.dealer.example",
        "pass",
        "pass",
        "pass",
        "pass",
    )
    assert verdict.ignored == ("mx.dealer.example",)  # the second one came from before our relay
    assert (VENDOR, "TXT") not in resolver.asked and (f"sel1._domainkey.{VENDOR}", "TXT") not in resolver.asked
    assert "spf=pass (mx.dealer.example)" in verdict.header
    # The relay's failing verdict is believed as well.
    failing = "Authentication-Results: mx.dealer.example; spf=fail smtp.mailfrom=vendor.example; dkim=none\r\n"
    assert (
        check(failing.encode() + message(), resolver, client_ip="2001:db8:1::25", settings=TRUSTING).summary == "fail"
    )


def test_message_without_a_single_from_fails() -> None:
    raw = b"From: a@vendor.example\r\nFrom: b@forger.example\r\nSubject: x\r\n\r\nbody\r\n"
    verdict = check(raw, TableResolver(vendor_dns()))
    assert verdict.from_domain is None and verdict.summary == "fail"


def test_settings_validate_relays() -> None:
    with pytest.raises(ValueError, match="not an IP address"):
        AuthenticationSettings(trusted_relays=("mx.dealer.example",))
    assert TRUSTING.trusted_authserv_ids == ("mx.dealer.example",)
    assert TRUSTING.is_trusted_relay("2001:db8:1::9") and not TRUSTING.is_trusted_relay("192.0.2.1")


async def test_check_sender_runs_off_the_loop(resolver: TableResolver) -> None:
    origin = SmtpOrigin(VENDOR_IP, "mail.vendor.example", f"bounce@{VENDOR}")
    verdict = await check_sender(signed(message()), origin, resolver, AuthenticationSettings())
    assert verdict.summary == "pass"
    assert verdict.as_provenance()["dkim"] == [{"result": "pass", "domain": VENDOR, "selector": "sel1"}]


class LocalDnsServer:
    """A DNS server on 127.0.0.1 answering from a table (dnspython's wire format); ``silent`` names get no reply."""

    def __init__(
        self, records: dict[tuple[str, str], list[str]], silent: frozenset[str] = frozenset(), ttl: int = 60
    ) -> None:
        self.records = records
        self.silent = silent
        self.ttl = ttl
        #: the names asked, in order (every question that reached the server)
        self.asked: list[str] = []
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.settimeout(0.05)
        self.port = int(self.socket.getsockname()[1])
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> LocalDnsServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.socket.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                wire, client = self.socket.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(wire)
            question = query.question[0]
            name = question.name.to_text(omit_final_dot=True).lower()
            rdtype = dns.rdatatype.to_text(question.rdtype)
            self.asked.append(name)
            if name in self.silent:
                continue
            response = dns.message.make_response(query)
            values = self.records.get((name, rdtype))
            if values:
                if rdtype == "TXT":
                    values = [" ".join(_quoted_chunks(v)) for v in values]
                response.answer.append(dns.rrset.from_text(question.name, self.ttl, "IN", rdtype, *values))
            elif not any(key[0] == name for key in self.records):
                response.set_rcode(dns.rcode.NXDOMAIN)
            self.socket.sendto(response.to_wire(), client)


def _quoted_chunks(text: str) -> list[str]:
    """TXT presentation form: character-strings of at most 255 octets (RFC 1035 §3.3.14), quoted."""
    return ['"' + text[i : i + 255].replace("\\", "\\\\").replace('"', '\\"') + '"' for i in range(0, len(text), 255)]


def test_dnspython_resolver_against_a_local_server() -> None:
    records = vendor_dns()
    records[(VENDOR, "MX")] = ["10 mx1.vendor.example.", "20 mx2.vendor.example."]
    records[(VENDOR, "AAAA")] = ["2001:db8::25"]
    records[("10.2.0.192.in-addr.arpa", "PTR")] = ["mail.vendor.example."]
    with LocalDnsServer(records, silent=frozenset({"slow.example"})) as server:
        resolver = DnsPythonResolver(timeout=2.0, nameservers=["127.0.0.1"], port=server.port)
        key = resolver.lookup(f"sel1._domainkey.{VENDOR}", "TXT")
        assert key == [f"v=DKIM1; k=rsa; p={dkim_key()[1]}"] and len(key[0]) > 255  # chunks joined again
        assert sorted(resolver.lookup(VENDOR, "MX")) == ["10 mx1.vendor.example", "20 mx2.vendor.example"]
        assert resolver.lookup(VENDOR, "AAAA") == ["2001:db8::25"]
        assert resolver.lookup("out.mailer.example", "A") == ["192.0.2.200"]
        assert resolver.lookup("10.2.0.192.in-addr.arpa", "PTR") == ["mail.vendor.example"]
        assert resolver.lookup(VENDOR, "PTR") == []  # the name exists, no such record
        assert resolver.lookup("nowhere.example", "TXT") == []  # NXDOMAIN

        origin = SmtpOrigin(VENDOR_IP, "mail.vendor.example", f"bounce@{VENDOR}")
        verdict = verify_sender(signed(message()), origin, resolver, AuthenticationSettings())
        assert (verdict.spf, verdict.dkim_summary, verdict.dmarc, verdict.summary) == ("pass", "pass", "pass", "pass")

        impatient = DnsPythonResolver(timeout=0.3, nameservers=["127.0.0.1"], port=server.port)
        with pytest.raises(DnsTempError, match=r"^TXT slow\.example: "):
            impatient.lookup("slow.example", "TXT")


def test_dnspython_resolver_remembers_failures_for_their_ttl() -> None:
    """A failed lookup is answered from memory (a temperror again) until its TTL runs out: a burst from a sender
    whose DNS is down asks once; a lookup that failed is asked again once the TTL has passed."""
    with LocalDnsServer(vendor_dns(), silent=frozenset({"slow.example"})) as server:
        remembering = DnsPythonResolver(timeout=0.3, nameservers=["127.0.0.1"], port=server.port)
        with pytest.raises(DnsTempError, match=r"^TXT slow\.example: "):
            remembering.lookup("slow.example", "TXT")
        asked = server.asked.count("slow.example")
        assert asked >= 1
        for _ in range(5):
            with pytest.raises(DnsTempError, match=r"^TXT slow\.example: "):
                remembering.lookup("slow.example", "TXT")
        assert server.asked.count("slow.example") == asked  # not asked again
        assert remembering.lookup("out.mailer.example", "A") == ["192.0.2.200"]  # other names unaffected

        forgetful = DnsPythonResolver(timeout=0.3, nameservers=["127.0.0.1"], port=server.port, failure_ttl=0.0)
        for _ in range(2):
            with pytest.raises(DnsTempError):
                forgetful.lookup("slow.example", "TXT")
        assert server.asked.count("slow.example") >= asked + 2  # expired at once: asked every time


def test_dnspython_resolver_keeps_answers_for_their_ttl() -> None:
    """Records, a name without the record asked and a name that does not exist are each asked once while their TTL
    runs (an NXDOMAIN without SOA for dnspython's 300 s); records with a TTL of 0 are asked every time."""
    questions: list[tuple[str, RecordType]] = [
        ("sel1._domainkey.vendor.example", "TXT"), ("out.mailer.example", "A"), (VENDOR, "PTR"),
        ("nowhere.example", "TXT"),
    ]
    with LocalDnsServer(vendor_dns()) as server:
        resolver = DnsPythonResolver(timeout=2.0, nameservers=["127.0.0.1"], port=server.port)
        first = [resolver.lookup(name, rdtype) for name, rdtype in questions]
        assert first[1] == ["192.0.2.200"] and first[2] == [] and first[3] == []
        first[1].append("203.0.113.9")  # the caller's list is its own: the kept answer does not change
        asked = len(server.asked)
        for _ in range(3):
            again = [resolver.lookup(name.upper(), rdtype) for name, rdtype in questions]
            assert again[1] == ["192.0.2.200"] and again[0] == first[0] and again[2:] == [[], []]
        assert len(server.asked) == asked  # all from memory
    with LocalDnsServer(vendor_dns(), ttl=0) as server:
        resolver = DnsPythonResolver(timeout=2.0, nameservers=["127.0.0.1"], port=server.port)
        for _ in range(3):
            assert resolver.lookup("out.mailer.example", "A") == ["192.0.2.200"]
        assert server.asked.count("out.mailer.example") == 3  # expired at once: asked every time


def test_vendor_trust_rule(resolver: TableResolver) -> None:
    senders = ["*@vendor.example"]
    genuine = check(signed(message()), resolver)
    assert vendor_trust(genuine, require_auth=True, sender_patterns=senders) == VendorTrust(True, False)

    forged = check(message(), resolver, client_ip=STRANGER_IP)  # dmarc=fail, p=reject
    for require_auth in (True, False):
        trust = vendor_trust(forged, require_auth=require_auth, sender_patterns=senders)
        assert (trust.credit_vendor, trust.suspicious) == (False, True)
        assert trust.reason == "forged sender: dmarc=fail for vendor.example (reject)"

    unsigned = check(message(), TableResolver({}))  # nothing published: none
    assert vendor_trust(unsigned, require_auth=False, sender_patterns=senders) == VendorTrust(True, False)
    demanded = vendor_trust(unsigned, require_auth=True, sender_patterns=senders)
    assert (demanded.credit_vendor, demanded.suspicious) == (False, True)
    assert demanded.reason is not None and "sender authentication none" in demanded.reason

    elsewhere = vendor_trust(genuine, require_auth=True, sender_patterns=["*@other.example"])
    assert elsewhere.reason is not None and "not one of the vendor's senders" in elsewhere.reason
    unchecked = vendor_trust(None, require_auth=True, sender_patterns=senders)
    assert (unchecked.credit_vendor, unchecked.suspicious) == (False, True)


@pytest.mark.parametrize(
    ("raw", "summary", "dkim_results"),
    [
        (b"", "fail", []),
        (b"\x00\xff\xfe", "fail", []),
        (b"DKIM-Signature: garbage\r\nFrom: a@vendor.example\r\n\r\nhi\r\n", "fail", ["permerror"]),
        (b"Authentication-Results: ;;;\r\nFrom: a@vendor.example\r\n\r\nhi\r\n", "none", []),
    ],
)
def test_malformed_messages_get_a_verdict_not_an_exception(raw: bytes, summary: str, dkim_results: list[str]) -> None:
    verdict = check(raw, TableResolver({}))
    assert verdict.summary == summary and [d.result for d in verdict.dkim] == dkim_results
