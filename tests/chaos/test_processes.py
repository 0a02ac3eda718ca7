"""The process scenarios of the chaos suite (bench/chaos), at their quick sizes: real `leadbot serve` processes,
mail over SMTP, cards to the Slack stand-in. Each must lose nothing, duplicate nothing and meet its own goal
(451 while PostgreSQL is down, no stall beside hostile mail, 250s beside hundreds of idle and slow
connections). The full sizes: `python -m bench.chaos`. ``socket-start`` is left to the bench: it starts the
service twice and waits out two backoffs (about two minutes); tests/e2e/test_slack_unreachable.py and
tests/slack/test_socket_stop.py cover its mechanisms.
"""

from __future__ import annotations

import re
from pathlib import Path

from bench.chaos.clients import crowd, hostile
from bench.chaos.common import Result, pg_ctl
from bench.chaos.processes import pg_restart
from tests.conftest import unavailable


def _held(result: Result, mails: int) -> None:
    assert result.ok, result.line()
    assert (result.accepted, result.lost, result.duplicated) == (mails, 0, 0), result.line()
    assert result.cards >= mails, result.line()


async def test_postgres_restarted_mid_burst_is_refused_with_451_and_loses_nothing(tmp_path: Path) -> None:
    if pg_ctl() is None:
        unavailable("PostgreSQL is not installed (apt-get install postgresql)", "the PostgreSQL chaos scenario")
    result = await pg_restart(30, tmp_path, down=4, sweep=2)
    _held(result, 30)
    assert "451×" in result.note and "same process: yes" in result.note, result.line()


async def test_hostile_mail_does_not_stall_other_senders(tmp_path: Path) -> None:
    """Nothing lost and every crafted mail stored; a stall (the issue saw 36 s and 173 s) shows as a NOOP round
    trip of many seconds. The 1 s goal itself is the bench's (`python -m bench.chaos --scenario hostile`): on a
    machine busy with other work a round trip can take a little over a second without anything stalling."""
    result = await hostile(20, tmp_path)
    result.failed = "; ".join(m for m in result.failed.split("; ") if m and not m.startswith("NOOP round trip"))
    _held(result, 20)
    assert "crafted 4/4 accepted" in result.note, result.line()
    slowest = re.search(r"NOOP max ([\d.]+) s", result.note)
    assert slowest is not None and float(slowest.group(1)) < 10.0, result.line()


async def test_idle_and_slow_line_clients_leave_room_for_senders(tmp_path: Path) -> None:
    result = await crowd(20, tmp_path, idle=60, slow=6, seconds=5)
    _held(result, 20)
