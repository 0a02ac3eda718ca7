from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import BaseModel

from bot.settings import ConfigError, load_settings

EXAMPLE = Path(__file__).resolve().parents[2] / "config.example.toml"


def test_example_config_loads_with_documented_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("LEADBOT_")]:
        monkeypatch.delenv(name)
    settings = load_settings(EXAMPLE)
    assert settings.smtp.port == 2525
    assert settings.store.url == "sqlite+aiosqlite:///leadbot.db"
    assert settings.slack.mode == "socket" and not settings.slack.enabled
    assert settings.scoring.grade_a == 60


def test_every_key_of_the_settings_is_documented_in_the_example() -> None:
    text = EXAMPLE.read_text()
    settings = load_settings(None)
    for section, model in settings:
        if not isinstance(model, BaseModel):
            continue
        assert f"[{section}]" in text, section
        for key in type(model).model_fields:
            assert f"{key} =" in text or f"[{section}.{key}]" in text, f"{section}.{key} undocumented"


def test_unknown_key_names_the_key(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[smtp]\nprot = 25\n")
    with pytest.raises(ConfigError, match=r"smtp\.prot: unknown key"):
        load_settings(path)


def test_wrong_value_names_the_key_and_value(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[smtp]\nport = "twenty-five"\n[store]\nurl = "mysql://x"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert "smtp.port" in str(err.value) and "twenty-five" in str(err.value)
    assert "store.url" in str(err.value)


def test_broken_toml_and_missing_file_are_clear(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[smtp\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(path)
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "missing.toml")


def test_environment_beats_the_file_for_secrets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[slack]\nmode = "http"\nbot_token = "xoxb-file"\nsigning_secret = "from-file"\n')
    monkeypatch.setenv("LEADBOT_SLACK__BOT_TOKEN", "xoxb-env")
    settings = load_settings(path)
    assert settings.slack.bot_token is not None
    assert settings.slack.bot_token.get_secret_value() == "xoxb-env"
    assert settings.slack.signing_secret is not None
    assert settings.slack.signing_secret.get_secret_value() == "from-file"
    assert "xoxb-env" not in repr(settings)


def test_mode_needs_its_token(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[slack]\nmode = "socket"\nbot_token = "xoxb-1"\n')
    with pytest.raises(ConfigError, match="app_token"):
        load_settings(path)


def test_recipient_patterns() -> None:
    settings = load_settings(None, overrides={"smtp.accepted_recipients": ["leads@acme.test", "*@in.acme.test"]})
    assert settings.smtp.accepts("<Leads@Acme.test>")
    assert settings.smtp.accepts("toyota@in.acme.test")
    assert not settings.smtp.accepts("ceo@acme.test")
    with pytest.raises(ConfigError, match="accepted_recipients"):
        load_settings(None, overrides={"smtp.accepted_recipients": ["not-an-address"]})


def test_grade_thresholds_must_be_ordered() -> None:
    with pytest.raises(ConfigError, match="grade_b"):
        load_settings(None, overrides={"scoring.grade_a": 20, "scoring.grade_b": 50})
