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
``--profile FILE``: the service under py-spy (the ``bench`` extra), as bench/intake.py does. Prints numbers only;
asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
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

GOAL = 200.0
#: bench/intake.py's function that writes `leadbot serve`'s environment (when the service runs apart)
SERVE_ENV = "_serve_env"


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

    run = f"{time.time_ns():x}"
    warmup = intake.generate(900_000, 6, run)
    messages = intake.generate(0, args.messages, run)
    one_by_one = intake.generate(800_000, 5, run)
    paced = intake.generate(700_000, int(args.rate * args.paced_seconds), run)
    load_before = os.getloadavg()
    print(f"whole path on PostgreSQL: {len(messages)} emails over {args.connections} connections, pacing off; "
          f"load average {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}")
    bot.settings.load_settings = on_postgres
    if real_env is not None:
        setattr(intake, SERVE_ENV, env_on_postgres)
    try:
        with tempfile.TemporaryDirectory(prefix="leadbot-bench-pg-") as tmp:
            async with intake.Clients(args.connections) as clients:
                own, server = _own_cpu_s(), _server_cpu_s(data_dir)
                result = await intake.whole_path(clients, Path(tmp), warmup, messages, one_by_one, paced, args.rate,
                                                 args.profile, args.count_statements)
                own, server = _own_cpu_s() - own, _server_cpu_s(data_dir) - server
    finally:
        bot.settings.load_settings = real_load
        if real_env is not None:
            setattr(intake, SERVE_ENV, real_env)
    mails = len(warmup) + len(messages) + len(paced) + len(one_by_one)
    load_after = os.getloadavg()
    print(f"{result.label:<52} {result.rate:8.1f} emails/s  ({result.note})")
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
    print(f"{f'whole path on PostgreSQL, {len(messages)} mails / {args.connections} conns':<58} "
          f"{result.rate:>9.1f} cards/s   >= {GOAL:.0f} cards/s")
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} (1 min), {load_after[1]:.2f} (5 min)")
    print(f"pg_whole_path_cards_per_s={result.rate:.1f}")
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
            # each statement is one round trip (prepared statements cached); each write transaction two more, its
            # BEGIN (asyncpg sends it apart) and COMMIT; reads run in autocommit (store.db.Db.read)
            print(f"pg_round_trips_per_mail_{phase}={counted['statements'] + 2 * counted['commits']:.2f}")


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
