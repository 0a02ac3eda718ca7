"""Reading processes never outlive a service that was SIGKILLed (no orphans holding memory and a core)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import unavailable

ROOT = Path(__file__).resolve().parents[2]


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for a reaper that never comes counts as gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def wait_gone(pid: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        time.sleep(0.05)  # polling /proc: the only way to see a process that is not our child end
    return not alive(pid)


# reaped: the service's pid is gone at once; not reaped: it stays a zombie (its parent busy elsewhere)
@pytest.mark.parametrize(("kind", "reaped"), [("reader", True), ("watcher", False)])
def test_a_reading_process_ends_when_its_service_is_killed(kind: str, reaped: bool) -> None:
    if not Path("/proc/self/status").exists():
        unavailable("no /proc here to see other processes", "the orphaned-reader tests")
    service = subprocess.Popen(
        [sys.executable, "-m", "tests.intake.orphans", kind], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert service.stdout is not None
        workers = [int(pid) for pid in service.stdout.readline().split()]
        assert workers and all(alive(pid) for pid in workers)
        os.kill(service.pid, signal.SIGKILL)
        if reaped:
            service.wait(timeout=10)
        assert all(wait_gone(pid, timeout=20) for pid in workers), f"orphaned: {[p for p in workers if alive(p)]}"
    finally:
        service.kill()
        service.wait(timeout=10)
