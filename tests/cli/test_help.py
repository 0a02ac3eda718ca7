"""`leadbot --help` and every command's help answer without loading the heavy libraries, and `--config`
is accepted before the command and after it, by every command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import build_parser
from tests.cli.helpers import leadbot

COMMANDS = ["serve", "parse", "vendors", "messages", "replay", "leads", "stats", "migrate", "import", "contacts",
            "rescore", "demo"]
HEAVY = ["spacy", "sqlalchemy", "slack_bolt", "slack_sdk", "aiohttp", "pydantic", "lxml", "rich", "alembic"]

PROBE = """
import json, sys
from bot.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "loaded": sorted({m.split('.')[0] for m in sys.modules})}))
"""


@pytest.mark.parametrize("command", ["", *COMMANDS, "contacts show"])
def test_help_loads_no_heavy_library(command: str) -> None:
    args = [*command.split(), "--help"]
    result = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    heavy = set(HEAVY) & set(report["loaded"])
    assert not heavy, f"leadbot {command} --help imported {heavy}"


def test_the_installed_script_prints_help_and_lists_every_command() -> None:
    result = leadbot("--help")
    assert result.returncode == 0 and result.stderr == ""
    for command in COMMANDS:
        assert command in result.stdout
    assert "exit status" in result.stdout


@pytest.mark.parametrize("command", [["serve"], ["vendors"], ["leads"], ["stats"], ["migrate"], ["demo"],
                                     ["messages"], ["rescore"], ["replay", "1"], ["parse", "a.eml"],
                                     ["import", "a.csv"], ["contacts", "show", "1"]])
def test_config_goes_before_or_after_the_command(command: list[str]) -> None:
    parser = build_parser()
    after = parser.parse_args([*command, "--config", "after.toml"])
    before = parser.parse_args(["--config", "before.toml", *command])
    neither = parser.parse_args(command)
    assert after.config == Path("after.toml") and before.config == Path("before.toml") and neither.config is None
    # the one after the command wins when both are given
    assert parser.parse_args(["--config", "before.toml", *command, "--config", "after.toml"]).config == Path(
        "after.toml")


def test_serve_reads_the_config_given_after_the_command(tmp_path: Path) -> None:
    # The README's form: a wrong key in that file must be what stops it (so the file was read).
    config = tmp_path / "leadbot.toml"
    config.write_text('[smtp]\nport = "lots"\n', encoding="utf-8")
    for args in (["serve", "--config", str(config)], ["--config", str(config), "serve"]):
        result = leadbot(*args)
        assert result.returncode == 2, result.stderr
        assert "smtp.port" in result.stderr and "Traceback" not in result.stderr


def test_usage_mistakes_exit_2_on_stderr() -> None:
    result = leadbot("leads", "--grade", "Z")
    assert result.returncode == 2 and result.stdout == "" and "invalid choice" in result.stderr
    assert leadbot("nonsense").returncode == 2
    assert leadbot().returncode == 2
