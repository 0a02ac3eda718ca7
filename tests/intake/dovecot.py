"""A real Dovecot IMAP server for the tests: throwaway config, passwd-file user, free loopback ports.

Started in the foreground (``dovecot -F -c FILE``) from Debian's ``dovecot-imapd``; plain IMAP on one port
and implicit TLS (a self-signed certificate made with openssl) on another. As root, Dovecot's own options
drop privileges (``default_internal_user``/``default_login_user`` = dovecot/dovenull, mail as nobody); as
another user, everything runs as that user.
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

USER = "leads@acme.test"
PASSWORD = "imap-pass-7731"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def dovecot_binary() -> str | None:
    return shutil.which("dovecot") or next((p for p in ("/usr/sbin/dovecot",) if Path(p).exists()), None)


@dataclass
class Dovecot:
    dir: Path
    port: int
    tls_port: int
    ca_file: Path
    user: str = USER
    password: str = PASSWORD


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot exited: {log.read_text() if log.exists() else ''}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.05)
    raise RuntimeError("dovecot did not start listening in 15 s")


@contextlib.contextmanager
def running_dovecot(binary: str) -> Iterator[Dovecot]:
    base = Path(tempfile.mkdtemp(prefix="leadbot-dovecot-"))
    base.chmod(0o755)
    if os.geteuid() == 0:
        internal, login, mail_user, mail_group = "dovecot", "dovenull", "nobody", grp.getgrgid(
            pwd.getpwnam("nobody").pw_gid).gr_name
    else:
        me = pwd.getpwuid(os.geteuid()).pw_name
        internal = login = mail_user = me
        mail_group = grp.getgrgid(os.getegid()).gr_name
    for sub in ("run", "state", "mail", "home"):
        (base / sub).mkdir()
    for sub in ("mail", "home"):
        (base / sub).chmod(0o777)
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(base / "key.pem"), "-out", str(base / "cert.pem")],
        check=True, capture_output=True, timeout=60,
    )
    (base / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
    port, tls_port = free_port(), free_port()
    log = base / "dovecot.log"
    (base / "dovecot.conf").write_text(f"""
protocols = imap
listen = 127.0.0.1
base_dir = {base}/run
state_dir = {base}/state
log_path = {log}
ssl = yes
ssl_cert = <{base}/cert.pem
ssl_key = <{base}/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{base}/mail/%n
default_internal_user = {internal}
default_internal_group = {grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name}
default_login_user = {login}
first_valid_uid = 0
first_valid_gid = 0
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {base}/passwd
}}
userdb {{
  driver = static
  args = uid={mail_user} gid={mail_group} home={base}/home/%n
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""")
    process = subprocess.Popen([binary, "-F", "-c", str(base / "dovecot.conf")],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        _wait_for_port(port, process, log)
        yield Dovecot(base, port, tls_port, base / "cert.pem")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)
        shutil.rmtree(base, ignore_errors=True)
