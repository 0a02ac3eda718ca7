"""Benchmark the command line's first answer: `.venv/bin/python bench/cli_help.py [--runs N]`.

Runs the installed `leadbot --help` and `leadbot COMMAND --help` for every command N times (default 7)
as a person would (a fresh process each time) and prints the median and worst wall time of each beside
the goal (0.3 s), then the modules a `--help` imports that it should not. Prints numbers only.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

GOAL_SECONDS = 0.3
LEADBOT = Path(sys.executable).with_name("leadbot")
COMMANDS = ["", "serve", "parse", "vendors", "messages", "replay", "leads", "stats", "migrate", "import",
            "contacts", "contacts show", "rescore", "demo"]
HEAVY = ("spacy", "sqlalchemy", "slack_bolt", "slack_sdk", "aiohttp", "pydantic", "lxml", "rich", "alembic")


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(LEADBOT), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def heavy_imports(args: list[str]) -> list[str]:
    """Top-level packages from HEAVY that `python -X importtime` shows `leadbot ARGS` importing."""
    result = subprocess.run([sys.executable, "-X", "importtime", str(LEADBOT), *args], capture_output=True,
                            text=True, check=True)
    names = {line.rsplit("|", 1)[-1].strip().split(".")[0] for line in result.stderr.splitlines()
             if line.startswith("import time:")}
    return sorted(names & set(HEAVY))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    print(f"{'command':<30}{'median':>9}{'worst':>9}{'goal':>8}  heavy imports")
    worst_median = 0.0
    for command in COMMANDS:
        args = [*command.split(), "--help"]
        times = [timed(args) for _ in range(runs)]
        median = statistics.median(times)
        worst_median = max(worst_median, median)
        heavy = ", ".join(heavy_imports(args)) or "none"
        mark = "ok" if median <= GOAL_SECONDS else "SLOW"
        print(f"{('leadbot ' + command).strip() + ' --help':<30}{median:>8.3f}s{max(times):>8.3f}s"
              f"{GOAL_SECONDS:>7.1f}s  {heavy}  {mark}")
    print(f"slowest median {worst_median:.3f}s (goal ≤ {GOAL_SECONDS}s)")


if __name__ == "__main__":
    main()
