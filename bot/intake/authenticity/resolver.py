"""The one door every DNS question of the sender checks goes through: dnspython in production, a table in tests."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Literal, Protocol

import dns.exception
import dns.rdatatype
import dns.resolver
from cachetools import TTLCache

from parsers.errors import OutageError

#: seconds a failed lookup (timeout, SERVFAIL, no server reachable) is answered from memory before DNS is asked
#: again: a burst from one sender with its DNS down pays the failure once, not per message (issue 11)
FAILURE_TTL = 30.0
#: failed lookups remembered at most (the oldest go first)
FAILURE_CACHE_SIZE = 1024

RecordType = Literal["TXT", "A", "AAAA", "MX", "PTR"]


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

    def __init__(
        self,
        timeout: float,
        nameservers: Sequence[str] | None = None,
        port: int = 53,
        *,
        failure_ttl: float = FAILURE_TTL,
        failure_cache_size: int = FAILURE_CACHE_SIZE,
    ) -> None:
        self._resolver = dns.resolver.Resolver(configure=nameservers is None)
        if nameservers is not None:
            self._resolver.nameservers = list(nameservers)
        self._resolver.port = port
        self._resolver.lifetime = timeout
        # Vendor mail comes from a handful of domains: their SPF, DKIM and DMARC records (and NXDOMAINs) are
        # kept for their TTL instead of asked again for every message (issue 11).
        self._resolver.cache = dns.resolver.LRUCache()
        # dnspython caches answers, not failures: those are kept here, bounded, for ``failure_ttl`` seconds (the
        # checks run in worker threads, hence the lock; cachetools' caches are not thread-safe)
        self._failures: TTLCache[tuple[str, str], str] = TTLCache(maxsize=failure_cache_size, ttl=failure_ttl)
        self._failures_lock = threading.Lock()

    def lookup(self, name: str, rdtype: RecordType) -> list[str]:
        key = (name.lower(), rdtype)
        with self._failures_lock:
            failed = self._failures.get(key)
        if failed is not None:
            raise DnsTempError(f"{rdtype} {name}: {failed}")
        try:
            answer = self._resolver.resolve(name, rdtype, raise_on_no_answer=False, search=False)
        except dns.resolver.NXDOMAIN:
            return []
        except dns.exception.DNSException as exc:  # Timeout, NoNameservers, NoResolverConfiguration …
            with self._failures_lock:
                self._failures[key] = exc.__class__.__name__
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
