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


def column(table: str, header: str, next_header: str | None = None) -> str:
    """The text of one column of a printed table (the last one without ``next_header``), its folded
    pieces joined, spaces dropped."""
    lines = table.splitlines()
    top = next(line for line in lines if f" {header} " in line or line.rstrip().endswith(f" {header}"))
    start = top.index(f" {header}")
    end = top.index(f" {next_header} ") if next_header else None
    body = [line for line in lines[lines.index(top) + 1:] if not line.strip().startswith("─")]
    return "".join("".join(line[start:end].split()) for line in body)
