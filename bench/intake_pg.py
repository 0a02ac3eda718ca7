"""The whole path on PostgreSQL: `.venv/bin/python bench/intake_pg.py [--messages N] [--url URL]`.

Runs bench/intake.py's whole-path measurement (b) — SMTP → store → extraction → scoring → lead stored → card
posted to the fake Slack, pacing off — unchanged, with the store on PostgreSQL instead of SQLite: a throwaway
cluster on 127.0.0.1 in a temporary directory (initdb/pg_ctl, as the tests' ``postgres_url`` fixture starts
it; run as the ``postgres`` user when this runs as root), or ``--url`` (a database of its own: tables are
created in it; any store URL works, so ``--url sqlite+aiosqlite:///…`` gives the comparison in the same run
conditions). Prints cards per second beside the goal, the CPU per mail of this process (the service and
the fake Slack) and of PostgreSQL, the load average, and a machine-readable line
(``pg_whole_path_cards_per_s=``, ``pg_service_cpu_ms_per_mail=``, ``…_paced=`` at the steady rate; with
``--count-statements`` also statements, commits and round trips to PostgreSQL per mail).
``--profile FILE``: the service under py-spy (the ``bench`` extra), as bench/intake.py does. ``--instances N``: N
`leadbot serve` on the one database, the burst's mails dealt among them (bench/intake_instances.py). Every run
prints the mails that got no card or more than one (across every instance: ``pg_cards_lost=``,
``pg_cards_posted_twice=``) and, sampled from PostgreSQL, its lock waits by statement and its deadlocks
(``pg_deadlocks=``). Prints numbers only; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
for folder in (BENCH.parent, BENCH):  # tests/ (the fake Slack, the cluster helper) and bench/intake.py
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import intake  # noqa: E402
from intake_instances import as_result, instances_path, lock_waits, split_connections  # noqa: E402

GOAL = 200.0
#: bench/intake.py's check of every card, in its note
CHECKED = re.compile(r"cards lost (\d+), posted twice (\d+)")
#: bench/intake.py's function that writes `leadbot serve`'s environment (when the service runs apart)
SERVE_ENV = "_serve_env"
#: added to bench/intake.py's counting `leadbot serve` (``--count-statements``): the round trips SQLAlchemy's
#: statement counts do not show, asyncpg's statements prepared (a Parse on the server: SQLAlchemy's cache of
#: prepared statements missed) and the BEGINs it sends apart, with the prepared statements by kind
PG_COUNTERS = """
try:
    import asyncpg.connection
    from sqlalchemy.dialects.postgresql import asyncpg as _sa_asyncpg
    counts.update(prepares=0, begins=0)
    _prepare = asyncpg.connection.Connection.prepare
    async def _counted_prepare(self, query, *args, **kwargs):
        counts["prepares"] += 1
        kind = "prepare " + " ".join(query.split()[:3])[:40]
        kinds[kind] = kinds.get(kind, 0) + 1
        return await _prepare(self, query, *args, **kwargs)
    asyncpg.connection.Connection.prepare = _counted_prepare
    _begin = _sa_asyncpg.AsyncAdapt_asyncpg_connection._start_transaction
    async def _counted_begin(self):
        if self.isolation_level != "autocommit":
            counts["begins"] += 1
        return await _begin(self)
    _sa_asyncpg.AsyncAdapt_asyncpg_connection._start_transaction = _counted_begin
except ImportError:
    pass
"""
#: where `PG_COUNTERS` goes in bench/intake.py's counting script: before it starts the service
SERVE_LINE = 'sys.argv = ["leadbot", "serve"]'


def _own_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_cpu_s(data_dir: Path | None) -> float:
    """CPU of the PostgreSQL cluster: the postmaster and its live backends (0 when not ours to see)."""
    if data_dir is None:
        return 0.0
    with contextlib.suppress(OSError, ValueError, IndexError):
        postmaster = int((data_dir / "postmaster.pid").read_text().split()[0])
        total = 0.0
        for pid in (postmaster, *_children(postmaster)):
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                # own user+system time, plus that of backends that already ended (a connection closed)
                total += sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")
        return total
    return 0.0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


async def measure(args: argparse.Namespace, url: str, data_dir: Path | None) -> None:
    import bot.settings

    # bench/intake.py's whole path configures a SQLite store, in this process (load_settings) or, since it runs
    # `leadbot serve` in a process of its own, in that process's environment (_serve_env): only the URL changes.
    real_load = bot.settings.load_settings
    real_env = getattr(intake, SERVE_ENV, None)

    def on_postgres(*given: Any, **options: Any) -> Any:
        options["overrides"] = {**options.get("overrides", {}), "store.url": url}
        return real_load(*given, **options)

    def env_on_postgres(*given: Any, **options: Any) -> dict[str, str]:
        assert real_env is not None
        env: dict[str, str] = real_env(*given, **options)
        return {**env, "LEADBOT_STORE__URL": url}

    if PG_COUNTERS not in intake.COUNTING_SERVE:
        intake.COUNTING_SERVE = intake.COUNTING_SERVE.replace(SERVE_LINE, PG_COUNTERS + SERVE_LINE)
    run = f"{time.time_ns():x}"
    warmup = intake.generate(900_000, 6, run)
    messages = intake.generate(0, args.messages, run)
    one_by_one = intake.generate(800_000, 5, run)
    paced = intake.generate(700_000, int(args.rate * args.paced_seconds), run)
    load_before = os.getloadavg()
    print(f"whole path on PostgreSQL: {len(messages)} emails over {args.connections} connections to "
          f"{args.instances} instance{'s' if args.instances > 1 else ''}, pacing off; "
          f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    bot.settings.load_settings = on_postgres
    if real_env is not None:
        setattr(intake, SERVE_ENV, env_on_postgres)
    try:
        with tempfile.TemporaryDirectory(prefix="leadbot-bench-pg-") as tmp:
            async with contextlib.AsyncExitStack() as stack:
                shares = split_connections(args.connections, args.instances)
                clients = [await stack.enter_async_context(intake.Clients(c)) for c in shares]
                waits = (await stack.enter_async_context(lock_waits(url))
                         if url.startswith("postgresql") else None)
                own, server = _own_cpu_s(), _server_cpu_s(data_dir)
                if args.instances == 1:
                    result = await intake.whole_path(clients[0], Path(tmp), warmup, messages, one_by_one, paced,
                                                     args.rate, args.profile, args.count_statements)
                else:
                    result = as_result(await instances_path(clients, Path(tmp), url, warmup, messages,
                                                            args.count_statements))
                own, server = _own_cpu_s() - own, _server_cpu_s(data_dir) - server
    finally:
        bot.settings.load_settings = real_load
        if real_env is not None:
            setattr(intake, SERVE_ENV, real_env)
    mails = len(warmup) + len(messages) + (len(paced) + len(one_by_one) if args.instances == 1 else 0)
    load_after = os.getloadavg()
    print(f"{result.label:<52} {result.rate:8.1f} emails/s  ({result.note})")
    if waits is not None:
        print(f"     PostgreSQL, whole run: {waits.summary()}")
    if result.latencies:
        print(f"     250 → card posted, in the burst: p50 {intake._percentile(result.latencies, 0.5):.0f} ms, "
              f"p99 {intake._percentile(result.latencies, 0.99):.0f} ms")
    if result.paced_latencies:
        print(f"     250 → card posted, {args.rate:g}/s for {args.paced_seconds:g} s: "
              f"p99 {intake._percentile(result.paced_latencies, 0.99):.0f} ms "
              f"({len(result.paced_latencies)}/{result.paced_sent} cards)")
    service_cpu = getattr(result, "cpu", None)  # the service's own CPU in the burst, when it ran apart
    if service_cpu is not None and result.emails:
        print(f"CPU per mail in the burst: service {service_cpu.main * 1000 / result.emails:.1f} ms, its readers "
              f"{service_cpu.children * 1000 / result.emails:.1f} ms")
        steady, sent = result.paced_cpu, result.paced_sent
        if steady is not None and sent:
            print(f"CPU per mail at {args.rate:g}/s offered: service {steady.main * 1000 / sent:.1f} ms, its readers "
                  f"{steady.children * 1000 / sent:.1f} ms")
    else:
        print(f"CPU per mail, whole run ({mails} mails, start-up included): this process (service, fake Slack; "
              f"not the readers) {own * 1000 / mails:.1f} ms")
    intake.print_counts(result)
    if data_dir is not None:
        print(f"CPU per mail, whole run: PostgreSQL {server * 1000 / mails:.1f} ms (all its processes)")
    print()
    print(f"{'figure (issue 11)':<58} {'measured':>16}   goal")
    figure = f"whole path on PostgreSQL, {len(messages)} mails / {args.connections} conns / {args.instances} inst"
    print(f"{figure:<58} "
          f"{result.rate:>9.1f} cards/s   >= {GOAL:.0f} cards/s")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min), {load_after[1]:.2f} (5 min)")
    print(f"pg_whole_path_cards_per_s={result.rate:.1f}")
    checked = CHECKED.search(result.note)
    if checked:  # every mail of the run one card, across every instance
        print(f"pg_cards_lost={checked.group(1)} pg_cards_posted_twice={checked.group(2)}")
    if waits is not None:
        print(f"pg_deadlocks={waits.deadlocks} pg_lock_wait_samples={waits.waiting_samples}/{waits.samples}")
    if service_cpu is not None and result.emails:
        print(f"pg_service_cpu_ms_per_mail={service_cpu.main * 1000 / result.emails:.2f}")
    steady = getattr(result, "paced_cpu", None)
    if steady is not None and result.paced_sent:
        print(f"pg_service_cpu_ms_per_mail_paced={steady.main * 1000 / result.paced_sent:.2f}")
    for phase, counted in (("burst", result.counts), ("paced", result.paced_counts)):
        for key, value in (counted or {}).items():
            if key in ("statements", "commits"):
                print(f"pg_{key}_per_mail_{phase}={value:.2f}")
        if counted and "statements" in counted and "commits" in counted:
            # each statement is one round trip, and each statement prepared one more (SQLAlchemy's cache missed);
            # each write transaction its BEGIN (asyncpg sends it apart) and COMMIT; reads run in autocommit
            trips = counted["statements"] + counted.get("prepares", 0) + counted.get("begins", 0) + counted["commits"]
            print(f"pg_round_trips_per_mail_{phase}={trips:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--messages", type=int, default=600, help="emails in the burst (default 600)")
    parser.add_argument("--connections", type=int, default=8, help="parallel SMTP connections (default 8)")
    parser.add_argument("--rate", type=float, default=50.0, help="mails/s offered in the steady phase (default 50)")
    parser.add_argument("--paced-seconds", type=float, default=20.0, help="length of the steady phase (default 20)")
    parser.add_argument(
        "--profile", type=Path, default=None,
        help="run `leadbot serve` under `py-spy record --format raw` into this file (as bench/intake.py does)",
    )
    parser.add_argument(
        "--count-statements", action="store_true",
        help="count the service's SQL statements and commits per mail (as bench/intake.py does)",
    )
    parser.add_argument(
        "--instances", type=int, default=1,
        help="`leadbot serve` instances sharing the database, the mails dealt round-robin (default 1; above 1: the "
             "burst only, and every card checked once across them)",
    )
    parser.add_argument("--url", help="postgresql+asyncpg:// URL of an empty database (default: a throwaway cluster)")
    args = parser.parse_args()
    from tests.conftest import _Cluster, _create_database, _postgres_bin

    cluster = None
    url = args.url
    if url is None:
        bindir = _postgres_bin()
        if bindir is None:
            sys.exit("PostgreSQL is not installed (apt-get install postgresql); or pass --url")
        cluster = _Cluster(bindir)
        url = asyncio.run(_create_database(cluster.start()))
    try:
        runner: Any = asyncio.run
        with contextlib.suppress(ImportError):
            import uvloop  # as `leadbot serve` runs, when installed

            runner = uvloop.run
        runner(measure(args, url, cluster.dir / "data" if cluster is not None else None))
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
