"""Running the installed `leadbot` script the way a person does: a subprocess, its stdout, stderr and status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

LEADBOT = str(Path(sys.executable).with_name("leadbot"))


def leadbot(*args: str, columns: int = 200, cwd: Path | None = None,
            timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [LEADBOT, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": str(columns), "LANG": "C.UTF-8"},
    )


def sqlite_config(folder: Path, database: Path, extra: str = "") -> Path:
    config = folder / "leadbot.toml"
    config.write_text(f'[store]\nurl = "sqlite+aiosqlite:///{database}"\n{extra}', encoding="utf-8")
    return config


def one_line(text: str) -> str:
    """The single line of ``text``; fails when there are more (a traceback, log noise) or none."""
    lines = text.strip("\n").splitlines()
    assert len(lines) == 1, f"expected one line, got {len(lines)}:\n{text}"
    return lines[0]
