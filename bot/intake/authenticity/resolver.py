"""The one door every DNS question of the sender checks goes through: dnspython in production, a table in tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from typing import Literal, Protocol

import dns.exception
import dns.name
import dns.rdataclass
import dns.rdatatype
import dns.resolver
from cachetools import TLRUCache, TTLCache

from parsers.errors import OutageError

#: seconds a failed lookup (timeout, SERVFAIL, no server reachable) is answered from memory before DNS is asked
#: again: a burst from one sender with its DNS down pays the failure once, not per message (issue 11)
FAILURE_TTL = 30.0
#: failed lookups remembered at most (the oldest go first)
FAILURE_CACHE_SIZE = 1024
#: answers (records, no such record, no such name) remembered at most, each until its DNS TTL runs out
ANSWER_CACHE_SIZE = 4096

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
        self._cache = self._resolver.cache = dns.resolver.LRUCache()
        # dnspython caches answers, not failures: those are kept here, bounded, for ``failure_ttl`` seconds (the
        # checks run in worker threads, hence the lock; cachetools' caches are not thread-safe)
        self._failures: TTLCache[tuple[str, str], str] = TTLCache(maxsize=failure_cache_size, ttl=failure_ttl)
        # The answers in presentation form, each until the expiry dnspython gives it (its TTL; an NXDOMAIN's from
        # the SOA): dnspython's own cache, asked again per message, built a name and a query state and raised an
        # NXDOMAIN for every lookup (issue 11: over half of the sender check's CPU in a burst)
        self._answers: TLRUCache[tuple[str, str], tuple[float, tuple[str, ...]]] = TLRUCache(
            maxsize=ANSWER_CACHE_SIZE, ttu=_expiry, timer=time.time
        )
        self._lock = threading.Lock()

    def lookup(self, name: str, rdtype: RecordType) -> list[str]:
        key = (name.lower(), rdtype)
        with self._lock:
            known = self._answers.get(key)
            failed = self._failures.get(key) if known is None else None
        if known is not None:
            return list(known[1])
        if failed is not None:
            raise DnsTempError(f"{rdtype} {name}: {failed}")
        try:
            answer = self._resolver.resolve(name, rdtype, raise_on_no_answer=False, search=False)
        except dns.resolver.NXDOMAIN:
            self._remember(key, _nxdomain_expiry(self._cache, name), [])
            return []
        except dns.exception.DNSException as exc:  # Timeout, NoNameservers, NoResolverConfiguration …
            with self._lock:
                self._failures[key] = exc.__class__.__name__
            raise DnsTempError(f"{rdtype} {name}: {exc.__class__.__name__}") from exc
        out = _presented(answer)
        self._remember(key, answer.expiration, out)
        return out

    def _remember(self, key: tuple[str, str], expiration: float | None, records: list[str]) -> None:
        if expiration is not None:
            with self._lock:
                self._answers[key] = (expiration, tuple(records))


def _expiry(_key: object, value: tuple[float, tuple[str, ...]], _now: float) -> float:
    return value[0]


def _nxdomain_expiry(cache: dns.resolver.LRUCache, name: str) -> float | None:
    """When dnspython's cache lets the NXDOMAIN it just cached for ``name`` go (the SOA's negative TTL, RFC 2308);
    None: it kept none (ask again next time)."""
    try:
        kept = cache.get((dns.name.from_text(name), dns.rdatatype.ANY, dns.rdataclass.IN))
    except dns.exception.DNSException:
        return None
    return kept.expiration if kept is not None else None


def _presented(answer: dns.resolver.Answer) -> list[str]:
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
