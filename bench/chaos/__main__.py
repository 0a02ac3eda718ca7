"""`python -m bench.chaos`: run the scenarios (see bench/chaos/__init__.py) and print one line each."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from bench.chaos import __doc__ as overview
from bench.chaos.clients import crowd, hostile
from bench.chaos.common import Result
from bench.chaos.injected import flaky_plan, in_process, outage_plan
from bench.chaos.processes import pg_restart, sigkill, two_instances
from bench.chaos.socket_start import socket_start

Scenario = Callable[[argparse.Namespace, Path], Awaitable[Result]]

#: name -> how to run it from the arguments
SCENARIOS: dict[str, Scenario] = {
    "sigkill": lambda a, folder: sigkill(a.mails, folder),
    "outage": lambda a, folder: in_process("outage", a.cards, outage_plan(a.outage_hours), a.outage_hours * 3600,
                                           folder),
    "flaky": lambda a, folder: in_process("flaky", a.cards, flaky_plan, 60, folder),
    "two-instances": lambda a, folder: two_instances(a.mails, folder),
    "pg-restart": lambda a, folder: pg_restart(a.mails, folder, sweep=5 if a.quick else None),
    "hostile": lambda a, folder: hostile(min(a.mails, 100), folder),
    "crowd": lambda a, folder: crowd(min(a.mails, 100), folder, idle=100 if a.quick else 300,
                                     slow=10 if a.quick else 20, seconds=8 if a.quick else 30),
    "socket-start": lambda a, folder: socket_start(min(a.mails, 100), folder, down=20 if a.quick else 60),
}


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos", description=(overview or "").split("\n\n")[0])
    parser.add_argument("--scenario", action="append", choices=list(SCENARIOS), help="run only these (repeatable)")
    parser.add_argument("--quick", action="store_true", help="small sizes (CI): 40 mails, 30 cards")
    parser.add_argument("--mails", type=int, help="mails per process scenario (default 300; --quick 40)")
    parser.add_argument("--cards", type=int, help="cards per in-process scenario (default 200; --quick 30)")
    parser.add_argument("--outage-hours", type=float, default=2.0)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (the services' logs)")
    args = parser.parse_args(argv)
    args.mails = args.mails or (40 if args.quick else 300)
    args.cards = args.cards or (30 if args.quick else 200)
    logging.basicConfig(level=logging.CRITICAL)  # the faults are the point: their warnings are noise here
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="chaos-") as tmp:
        folder = Path(tmp) if args.keep is None else args.keep
        folder.mkdir(parents=True, exist_ok=True)
        for name in args.scenario or list(SCENARIOS):
            result = await SCENARIOS[name](args, folder)
            print(f"{result.line()}  [load {' '.join(f'{x:.1f}' for x in os.getloadavg())}]", flush=True)
            results.append(result)
    bad = [r.name for r in results if not r.ok]
    print("FAILED: " + ", ".join(bad) if bad else "all scenarios: 0 lost, 0 duplicated, every goal met")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
