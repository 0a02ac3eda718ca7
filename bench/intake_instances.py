"""The whole path through several `leadbot serve` instances sharing one PostgreSQL database (bench/intake_pg.py
``--instances N``), and what PostgreSQL saw meanwhile (lock waits, deadlocks).

Each instance is started as a user starts it (bench/intake.py's environment, the store URL replaced), all at once on
an empty database (their migrations meet under the store's advisory lock). The burst's mails are dealt round-robin
to the instances, each over its share of the SMTP connections from a client process of its own; every card goes to
one fake Slack Web API in this process, where each mail's token is looked for: the cards per second from the first
mail sent to the last card posted, and how many mails got no card or more than one. Prints nothing; the caller
does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sys
import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import intake

#: how often `lock_waits` looks at pg_stat_activity (seconds)
SAMPLE_EVERY = 0.02


@dataclass
class LockWaits:
    """What `lock_waits` saw: samples of pg_stat_activity, those with a backend waiting for a lock (a row or a
    transaction another holds), the most such backends at once, and deadlocks PostgreSQL broke."""

    samples: int = 0
    waiting_samples: int = 0
    most_waiting: int = 0
    deadlocks: int = 0
    #: lock waits seen (the lock's kind and the waiting statement's start) and in how many samples
    events: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        share = self.waiting_samples / self.samples if self.samples else float("nan")
        events = ", ".join(f"{name} {count}" for name, count in sorted(self.events.items(), key=lambda e: -e[1]))
        return (f"{self.waiting_samples} of {self.samples} samples ({share:.1%}) saw a backend waiting for a lock "
                f"(at most {self.most_waiting} at once{'; ' + events if events else ''}); deadlocks {self.deadlocks}")


@contextlib.asynccontextmanager
async def lock_waits(url: str) -> AsyncIterator[LockWaits]:
    """Sample pg_stat_activity of ``url``'s database every `SAMPLE_EVERY` s while the block runs; and count the
    deadlocks pg_stat_database reports meanwhile."""
    import asyncpg

    seen = LockWaits()
    conn = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    deadlocks = "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
    waiting = ("SELECT wait_event || ' in ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 32) FROM pg_stat_activity "
               "WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()")
    first = int(await conn.fetchval(deadlocks) or 0)

    async def sample() -> None:
        while True:
            events = [str(row[0]) for row in await conn.fetch(waiting)]
            seen.samples += 1
            if events:
                seen.waiting_samples += 1
                seen.most_waiting = max(seen.most_waiting, len(events))
                for event in set(events):
                    seen.events[event] = seen.events.get(event, 0) + 1
            await asyncio.sleep(SAMPLE_EVERY)

    sampler = asyncio.create_task(sample())
    try:
        yield seen
    finally:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
        with contextlib.suppress(Exception):
            await asyncio.sleep(1.2)  # the statistics collector's reports are flushed at most once a second
            seen.deadlocks = int(await conn.fetchval(deadlocks) or 0) - first
        await conn.close()


@dataclass(frozen=True)
class InstancesResult:
    instances: int
    #: cards of the burst posted, and seconds from its first mail sent to its last card
    cards: int
    seconds: float
    #: the burst's 250s per second (all instances)
    accept_rate: float
    #: 250 → card posted, milliseconds, in the burst
    latencies: tuple[float, ...]
    #: every mail sent (warm-up and burst): how many got no card, how many more than one
    lost: int
    twice: int
    #: CPU of every instance (their processes and their readers) in the burst
    cpu: intake.Cpu
    #: the instances' counters per mail in the burst, summed (``--count-statements``)
    counts: dict[str, float] | None
    note: str = ""

    @property
    def rate(self) -> float:
        return self.cards / self.seconds if self.seconds > 0 else float("nan")


class _Cards:
    """The cards the fake Slack was asked to post, by the mail token each carries: every post's time (a token
    posted twice has two), read from the calls not seen yet at each call of the object (the first post's time
    by token)."""

    def __init__(self, slack: Any) -> None:
        self._slack = slack
        self._seen = 0
        self.posts: dict[int, list[float]] = {}

    def __call__(self) -> dict[int, float]:
        self.count()
        return {token: times[0] for token, times in self.posts.items()}

    def count(self) -> int:
        """Tokens posted so far (called after every fake Slack call: scans only the calls not seen yet)."""
        calls = self._slack.calls
        for call in calls[self._seen:]:
            token = intake.TOKEN.search(json.dumps(call.params, ensure_ascii=False)) if call.ok else None
            if token is not None and call.method == "chat.postMessage":
                self.posts.setdefault(int(token.group(1)), []).append(call.at)
        self._seen = len(calls)
        return len(self.posts)


def _deal(messages: Sequence[bytes], instances: int) -> list[list[bytes]]:
    """Round-robin: instance i gets mails i, i + n, i + 2n …"""
    return [list(messages[i::instances]) for i in range(instances)]


async def instances_path(
    clients: Sequence[intake.Clients], workdir: Path, url: str, warmup: list[bytes], messages: list[bytes],
    count: bool = False,
) -> InstancesResult:
    """The burst through ``len(clients)`` instances on the database at ``url`` (see the module's docstring)."""
    from tests.fakes.slack_api import FakeSlackApi

    slack = FakeSlackApi()
    await slack.start()
    n = len(clients)
    ports = [intake._free_port() for _ in range(n)]
    counts_files: list[Path | None] = [workdir / f"sql-counts-{i}.json" if count else None for i in range(n)]
    processes: list[asyncio.subprocess.Process] = []
    pids: list[int] = []
    try:
        started = time.monotonic()
        for i, port in enumerate(ports):
            env = intake._serve_env(slack.base_url, slack.bot_token, port, workdir / "unused.db")
            env["LEADBOT_STORE__URL"] = url
            command = [str(Path(sys.executable).with_name("leadbot")), "serve"]
            counts_file = counts_files[i]
            if counts_file is not None:
                command = [sys.executable, "-c", intake.COUNTING_SERVE, "serve"]
                env["BENCH_SQL_COUNTS"] = str(counts_file)
            processes.append(await asyncio.create_subprocess_exec(
                *command, env=env, cwd=workdir,
                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL))
        await asyncio.gather(*(intake._greeting(port, started + 120) for port in ports))
        pids = [intake._serve_pid(process.pid) for process in processes]

        cards = _Cards(slack)

        await asyncio.gather(*(c.send(port, share) for c, port, share in zip(clients, ports, _deal(warmup, n),
                                                                                strict=True)))
        await slack.wait_for(lambda: cards.count() >= len(warmup), timeout=120, what="the warm-up cards")
        before = set(cards())
        counts_before = [await intake._settled_counts(f) for f in counts_files]
        cpu_before = [intake._cpu(pid) for pid in pids]
        shares = _deal(messages, n)
        sent = await asyncio.gather(*(c.send(port, share) for c, port, share in zip(clients, ports, shares,
                                                                                       strict=True)))
        accepted = sum(intake._accepted(s) for s in sent)
        note = ""
        try:
            await slack.wait_for(lambda: cards.count() >= accepted + len(before), timeout=600, what="every card")
        except AssertionError as timed_out:
            note = str(timed_out)
        cpu = [intake._cpu(pid) - earlier for pid, earlier in zip(pids, cpu_before, strict=True)]
        counts: dict[str, float] = {}
        for f, earlier in zip(counts_files, counts_before, strict=True):
            for key, value in intake._per_mail(earlier, await intake._settled_counts(f), len(messages)).items():
                counts[key] = counts.get(key, 0.0) + value
        measured = {token: at for token, at in cards().items() if token not in before}
        expected = [intake._token_of(raw) for raw in (*warmup, *messages)]
        lost = sum(1 for token in expected if token not in cards.posts)
        twice = sum(1 for times in cards.posts.values() if len(times) > 1)
    finally:
        for process, pid in zip(processes, pids or [p.pid for p in processes], strict=True):
            await intake._stop_service(process, pid)
        await slack.close()

    first_sent = min(s.started for s in sent)
    replied: dict[int, float] = {}
    for share, s in zip(shares, sent, strict=True):
        for raw, at in zip(share, s.replied, strict=True):
            if at is not None:
                replied[intake._token_of(raw)] = at
    latencies = tuple((measured[token] - at) * 1000 for token, at in replied.items() if token in measured)
    last_card = max(measured.values(), default=max(s.finished for s in sent))
    accept_seconds = max(s.finished for s in sent) - first_sent
    each = ", ".join(f"{intake._accepted(s) / (s.finished - s.started):.0f}/s" for s in sent)
    note = f"each instance's 250s {each}" + (f"; {note}" if note else "")
    total = intake.Cpu(sum(c.main for c in cpu), sum(c.children for c in cpu), sum(c.loop for c in cpu))
    return InstancesResult(n, len(measured), last_card - first_sent, accepted / accept_seconds, latencies, lost,
                           twice, total, counts or None, note)


def split_connections(connections: int, instances: int) -> list[int]:
    """SMTP connections per instance: ``connections`` shared out, at least one each."""
    return [max(1, connections // instances + (1 if i < connections % instances else 0)) for i in range(instances)]


def as_result(result: InstancesResult) -> Any:
    """An `intake.Result` of the burst, for the printing bench/intake_pg.py shares with one instance."""
    note = f"its SMTP 250s came at {result.accept_rate:.1f}/s; cards lost {result.lost}, posted twice {result.twice}"
    return intake.Result(
        f"(b)  {result.instances} × `leadbot serve`, SMTP → card posted", result.cards, result.seconds,
        note + (f"; {result.note}" if result.note else ""), result.latencies, accept_rate=result.accept_rate,
        cpu=result.cpu, counts=result.counts,
    )
