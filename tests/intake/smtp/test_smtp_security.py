"""Encrypted and authenticated intake: STARTTLS with a certificate made here, AUTH per vendor, over TCP."""

from __future__ import annotations

import asyncio
import logging
import shutil
import smtplib
import ssl
import subprocess
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import SmtpSettings, SmtpUser
from store.store import Store
from tests.conftest import unavailable

from .conftest import LEADS, VENDOR, StartListener, transaction

MAIL = (f"From: <{VENDOR}>\r\nTo: <{LEADS}>\r\nSubject: New lead\r\nMessage-ID: <tls-1@vendor.example>\r\n\r\n"
        "Name: Ida Lund\r\nEmail: ida@lund.test\r\n").encode()
PASSWORD_ENV = "LEADBOT_TEST_SMTP_PASSWORD_PORTAL"
PASSWORD = "correct horse 7"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, made with the openssl command for this module only."""
    openssl = shutil.which("openssl")
    if openssl is None:
        unavailable("the openssl command is not installed (apt-get install openssl)", "the STARTTLS tests")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=mx.acme.test",
         "-addext", "subjectAltName=DNS:mx.acme.test,IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return cert, key


def trusting(cert: Path) -> ssl.SSLContext:
    """A client context that trusts only the test certificate (and checks the host name against it)."""
    return ssl.create_default_context(cafile=str(cert))


def tls_options(certificate: tuple[Path, Path], **more: object) -> dict[str, object]:
    return {"tls_cert": certificate[0], "tls_key": certificate[1], **more}


def converse(port: int, cert: Path | None, *, login: tuple[str, str] | None = None,
             starttls: bool = True) -> tuple[set[str], tuple[int, str], tuple[int, str] | None]:
    """EHLO, perhaps STARTTLS and AUTH, then one transaction: (features seen last, MAIL reply, DATA reply)."""
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
        client.ehlo("vendor.example")
        if starttls:
            assert cert is not None
            client.starttls(context=trusting(cert))
            client.ehlo("vendor.example")
        if login is not None:
            client.login(*login)
        features = set(client.esmtp_features)
        dialogue = transaction(client, MAIL)
        return features, dialogue.mail, dialogue.data


async def test_starttls_with_a_local_certificate_then_mail_is_stored(
    start_listener: StartListener, certificate: tuple[Path, Path], smtp_store: Store
) -> None:
    listener = await start_listener(**tls_options(certificate))

    def plain_features() -> set[str]:
        with smtplib.SMTP("127.0.0.1", listener.port, timeout=10) as client:
            client.ehlo("vendor.example")
            return set(client.esmtp_features)

    assert "starttls" in await asyncio.to_thread(plain_features)
    features, mail, data = await asyncio.to_thread(converse, listener.port, certificate[0])

    assert "starttls" not in features  # already encrypted
    assert "auth" not in features  # no [[smtp.users]]: nobody to log in
    assert mail[0] == 250
    assert data is not None and data[0] == 250, data
    (stored,) = await smtp_store.messages.recent()
    assert stored.raw == MAIL


async def test_require_tls_refuses_plain_mail_with_530_and_takes_it_after_starttls(
    start_listener: StartListener, certificate: tuple[Path, Path], smtp_store: Store
) -> None:
    listener = await start_listener(**tls_options(certificate, require_tls=True))

    _, plain_mail, plain_data = await asyncio.to_thread(converse, listener.port, None, starttls=False)
    assert plain_mail == (530, "5.7.0 must issue a STARTTLS command first")
    assert plain_data is None
    assert await smtp_store.messages.recent() == []

    _, mail, data = await asyncio.to_thread(converse, listener.port, certificate[0])
    assert mail[0] == 250 and data is not None and data[0] == 250
    assert len(await smtp_store.messages.recent()) == 1


async def test_auth_per_vendor_only_over_tls_wrong_password_refused_and_required_before_mail(
    start_listener: StartListener, certificate: tuple[Path, Path], smtp_store: Store,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    users = (SmtpUser(login="portal", password_env=PASSWORD_ENV),)
    listener = await start_listener(**tls_options(certificate, users=users, auth_required=True))

    def plain_ehlo() -> set[str]:
        with smtplib.SMTP("127.0.0.1", listener.port, timeout=10) as client:
            client.ehlo("vendor.example")
            return set(client.esmtp_features)

    assert "auth" not in await asyncio.to_thread(plain_ehlo)  # RFC 4954 §4: never a password in clear

    with pytest.raises(smtplib.SMTPAuthenticationError) as wrong:
        await asyncio.to_thread(converse, listener.port, certificate[0], login=("portal", "guess"))
    assert wrong.value.smtp_code == 535
    with pytest.raises(smtplib.SMTPAuthenticationError):
        await asyncio.to_thread(converse, listener.port, certificate[0], login=("nobody", PASSWORD))

    features, anonymous_mail, _ = await asyncio.to_thread(converse, listener.port, certificate[0])
    assert "auth" in features
    assert anonymous_mail == (530, "5.7.0 authentication required")
    assert await smtp_store.messages.recent() == []

    _, mail, data = await asyncio.to_thread(converse, listener.port, certificate[0], login=("portal", PASSWORD))
    assert mail[0] == 250 and data is not None and data[0] == 250
    assert len(await smtp_store.messages.recent()) == 1


def test_settings_keep_tls_and_auth_consistent(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    with pytest.raises(ValidationError, match=PASSWORD_ENV):
        SmtpUser(login="portal", password_env=PASSWORD_ENV)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    user = SmtpUser(login="portal", password_env=PASSWORD_ENV)
    assert user.password.get_secret_value() == PASSWORD
    assert PASSWORD not in repr(user)
    with pytest.raises(ValidationError, match="require_tls"):
        SmtpSettings(require_tls=True)
    with pytest.raises(ValidationError, match="only over TLS"):
        SmtpSettings(users=(user,))
    with pytest.raises(ValidationError, match="auth_required"):
        SmtpSettings(auth_required=True, tls_cert=tmp_path / "c", tls_key=tmp_path / "k")
    with pytest.raises(ValidationError, match="go together"):
        SmtpSettings(tls_cert=tmp_path / "c")


@pytest.mark.parametrize(
    ("patterns", "every"),
    [(("*",), True), (("*@*",), True), (("leads@*",), True), (("leads@acme.test",), False),
     (("*@leads.acme.test", "sales@acme.test"), False)],
)
def test_accepting_every_domain_is_recognised(patterns: tuple[str, ...], every: bool) -> None:
    assert SmtpSettings(accepted_recipients=patterns).accepts_every_domain is every


async def test_a_listener_for_every_domain_warns_at_start(
    start_listener: StartListener, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.intake.smtp"):
        await start_listener(accepted_recipients=("leads@acme.test",))
        assert not [r for r in caplog.records if "every domain" in r.getMessage()]
        await start_listener()
    assert [r for r in caplog.records if "every domain" in r.getMessage()]
