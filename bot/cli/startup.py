"""`leadbot serve`, and one clear line for each way a start can fail.

The service raises what its libraries raise (SQLAlchemy's OperationalError for a SQLite file that
cannot be opened, ConnectionRefusedError for a PostgreSQL server that is not there, OSError EADDRINUSE
for a port in use, ssl.SSLError for a bad certificate). `describe_startup_failure` turns each into one
line naming the setting and what to do; anything it does not recognise is a bug and keeps its traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import re
import ssl
import threading
import traceback
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.settings import Settings

#: packages whose frames in a traceback mean "this happened while talking to the database"
_DATABASE_PACKAGES = frozenset({"store", "sqlalchemy", "asyncpg", "aiosqlite", "alembic", "sqlite3"})
_BIND_ADDRESS = re.compile(r"\('?([^',()]*)'?,\s*(\d+)\)")


def run_service(settings: Settings, *, hold: bool) -> int:
    """Run the service until SIGINT/SIGTERM; a failed start releases what had started and re-raises."""
    from bot.service import Service, serve

    service = Service(settings, hold=hold)
    started = False

    def ready() -> None:
        nonlocal started
        started = True

    async def run() -> None:
        try:
            await serve(service, on_ready=ready)
        except BaseException:
            if not started:  # serve() stops a started service itself; a half-started one is ours to close
                with contextlib.suppress(Exception):
                    await service.stop()
                await asyncio.to_thread(let_sqlite_threads_finish)
            raise

    asyncio.run(run())
    return 0


def let_sqlite_threads_finish(timeout: float = 2.0) -> None:
    # aiosqlite answers a failed connect's clean-up on a worker thread through the event loop; if the loop
    # closes first, that thread prints a "loop is closed" traceback under our one line. Let it finish.
    for thread in threading.enumerate():
        if "_connection_worker_thread" in thread.name and thread is not threading.current_thread():
            thread.join(timeout)


def describe_startup_failure(exc: BaseException, settings: Settings | None) -> str | None:
    """One line for a failure caused by the environment or the configuration, or None (a bug)."""
    if isinstance(exc, BaseExceptionGroup) and len(exc.exceptions) == 1:
        return describe_startup_failure(exc.exceptions[0], settings)
    if settings is not None and _from_database(exc):
        return _database_line(exc, settings)
    if isinstance(exc, ssl.SSLError):
        return (f"cannot load a TLS certificate or key ({exc.reason or exc}){_tls_files(settings)}: "
                "give PEM files, the key matching the certificate")
    if isinstance(exc, OSError) and exc.errno in (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL) and (
        "bind" in str(exc) or "address" in str(exc)
    ):
        return _bind_line(exc, settings)
    if isinstance(exc, OSError) and exc.errno in (errno.ENOENT, errno.EACCES, errno.EISDIR, errno.ENOTDIR):
        what = exc.strerror or str(exc)
        if exc.filename:
            return f"cannot read {exc.filename} ({what}): check that path in the configuration"
        tls = _tls_files(settings)
        if tls:
            return f"cannot read a TLS file ({what}){tls}: check those paths"
    return None


def _from_database(exc: BaseException) -> bool:
    if type(exc).__module__.split(".")[0] in ("sqlalchemy", "asyncpg", "sqlite3", "aiosqlite"):
        return True
    if isinstance(exc, (OSError, TimeoutError)):
        return bool(_frame_packages(exc) & _DATABASE_PACKAGES)
    return False


def _frame_packages(exc: BaseException) -> set[str]:
    found: set[str] = set()
    for frame, _ in traceback.walk_tb(exc.__traceback__):
        found.add(str(frame.f_globals.get("__name__", "")).split(".")[0])
    return found


def _reason(exc: BaseException) -> str:
    inner = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's exception
    if isinstance(inner, OSError) and inner.strerror:
        return inner.strerror.lower()
    text = str(inner).strip().splitlines()
    line = text[0] if text else type(inner).__name__
    # SQLAlchemy's adapted asyncpg errors read "<class 'asyncpg…Error'>: the message"
    return re.sub(r"^<class '[\w.]+'>:\s*", "", line)


def _database_line(exc: BaseException, settings: Settings) -> str:
    from sqlalchemy.engine import make_url

    url = make_url(settings.store.url)
    reason = _reason(exc)
    if url.get_backend_name() == "sqlite":
        path = url.database or ":memory:"
        if "not a database" in reason:
            return f"{path} is not a SQLite database ({reason}): point [store] url at another file"
        if "locked" in reason:
            return f"the SQLite database {path} is locked ({reason}): another process is writing; try again"
        return (f"cannot open the SQLite database {path} ({reason}): make sure its folder exists and this user "
                "may write there, or set [store] url")
    where = f"{url.host or 'localhost'}:{url.port or 5432}/{url.database or ''}"
    low = reason.lower()
    if "password" in low or "authentication" in low or "role" in low:
        hint = "check the user and password in [store] url (or LEADBOT_STORE__URL)"
    elif "does not exist" in low and "database" in low:
        hint = f"create the database (createdb {url.database}) or fix [store] url"
    else:
        hint = "start the server or fix [store] url"
    return f"cannot use PostgreSQL at {where} ({reason}): {hint}"


def _bind_line(exc: OSError, settings: Settings | None) -> str:
    match = _BIND_ADDRESS.search(str(exc))
    host, port = (match.group(1), int(match.group(2))) if match else ("", 0)
    keys: list[str] = []
    if settings is not None:
        for key, value in (("[smtp] port", settings.smtp.port), ("[http] port", settings.http.port),
                           ("[slack] http_port", settings.slack.http_port)):
            if value == port:
                keys.append(key)
    where = f"{host}:{port}" if match else "a configured address"
    setting = f" ({' or '.join(keys)})" if keys else ""
    if exc.errno == errno.EADDRINUSE:
        return (f"cannot listen on {where}{setting}: the port is in use by another program; stop it or choose "
                "another port")
    if exc.errno == errno.EACCES:
        return f"cannot listen on {where}{setting}: permission denied (ports below 1024 need privileges)"
    return f"cannot listen on {where}{setting}: the address is not one of this machine's; fix the host setting"


def _tls_files(settings: Settings | None) -> str:
    if settings is None:
        return ""
    # [smtp] tls_cert / tls_key arrive with the SMTP TLS work; read them by name so this stays valid either way
    files = [f"[smtp] {key} = {value}" for key in ("tls_cert", "tls_key")
             if (value := getattr(settings.smtp, key, None)) is not None]
    return f" ({', '.join(files)})" if files else ""
