"""`[http]`, `[intake.sources.*]`, `[forms.*]` and `[imap]`: validated at start-up, secrets from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.settings import ConfigError, load_settings

CONFIG = """
[intake.sources.portal]
auth = "bearer"

[intake.sources.facebook]
auth = "facebook"
verify_token = "vt-1"

[forms.contact]
title = "Ask for a quote"
[[forms.contact.fields]]
name = "email"
label = "Email"
type = "email"
required = true

[imap]
host = "imap.acme.test"
username = "leads@acme.test"
"""


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("LEADBOT_")]:
        monkeypatch.delenv(name)


def test_secrets_come_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "leadbot.toml"
    path.write_text(CONFIG)
    monkeypatch.setenv("LEADBOT_INTAKE__SOURCES__PORTAL__TOKEN", "from-env-token")
    monkeypatch.setenv("LEADBOT_INTAKE__SOURCES__FACEBOOK__SECRET", "from-env-secret")
    monkeypatch.setenv("LEADBOT_IMAP__PASSWORD", "from-env-password")
    settings = load_settings(path)
    portal = settings.intake.sources["portal"]
    assert portal.token is not None and portal.token.get_secret_value() == "from-env-token"
    facebook = settings.intake.sources["facebook"]
    assert facebook.secret is not None and facebook.secret.get_secret_value() == "from-env-secret"
    assert facebook.verify_token is not None and facebook.verify_token.get_secret_value() == "vt-1"
    assert settings.imap.enabled and settings.imap.password.get_secret_value() == "from-env-password"
    assert settings.forms["contact"].fields[0].required


def test_a_source_without_its_secret_stops_the_start(tmp_path: Path) -> None:
    path = tmp_path / "leadbot.toml"
    path.write_text(CONFIG)
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    message = str(err.value)
    assert "intake.sources.portal" in message and "needs token" in message
    assert "intake.sources.facebook" in message and "needs secret" in message


def test_bad_names_and_forms_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "leadbot.toml"
    path.write_text('[intake.sources."Big Portal"]\nauth = "none"\n')
    with pytest.raises(ConfigError, match="lower-case"):
        load_settings(path)
    path.write_text('[forms.contact]\ntitle = "x"\nfields = []\n')
    with pytest.raises(ConfigError, match="at least one field"):
        load_settings(path)
    path.write_text('[imap]\ntls = "starttls"\n')
    with pytest.raises(ConfigError, match=r"imap\.tls"):
        load_settings(path)
