"""What every command shares: its failures (one line on stderr, an exit status) and opening the store.

No command but `migrate`, `serve` and `import` creates a database file. A read-only command (`leads`,
`stats`, `messages`, `contacts show`, `rescore --dry-run`) never migrates one either: it says what to
run instead.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console

from parsers.errors import RequestRefused

if TYPE_CHECKING:
    from bot.settings import Settings
    from store.store import Store

EXIT_FAILED, EXIT_USAGE = 1, 2

#: where commands print their errors (one line each; results go to stdout)
errors = Console(stderr=True, highlight=False, soft_wrap=True)


class CommandFailed(RequestRefused):
    """The work failed; the message is the one line shown on stderr (exit status 1)."""

    status = EXIT_FAILED


class UsageError(CommandFailed):
    """The command was given something it cannot use: a missing file, a bad --map (exit status 2)."""

    status = EXIT_USAGE


def explain_failure(exc: BaseException, settings: Settings | None) -> tuple[int, str] | None:
    """(exit status, one line) for a failure the user can act on; None for a bug (keep its traceback)."""
    from bot.cli.startup import describe_startup_failure
    from bot.errors import STARTUP_ERRORS

    if isinstance(exc, CommandFailed):
        return exc.status, str(exc)
    if isinstance(exc, STARTUP_ERRORS):
        return EXIT_USAGE, str(exc)
    line = describe_startup_failure(exc, settings)
    return None if line is None else (EXIT_USAGE, line)


async def open_existing(settings: Settings, *, migrate: bool = False) -> Store:
    """The store, for a command about what is stored: no database file is ever created.

    A command that only reads (``migrate=False``) runs no migration either; it raises CommandFailed when
    the schema is not this version's. A command that changes stored things (replay, merge, rescore)
    brings the schema up to date first, as the service does.
    """
    from sqlalchemy.engine import make_url

    from store.cli_queries import schema_state
    from store.store import Store

    url = make_url(settings.store.url)
    shown = url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        on_disk = database and database != ":memory:" and not database.startswith("file:")
        if on_disk and not await asyncio.to_thread(Path(database).exists):
            raise CommandFailed(f"no database at {database}: nothing is stored yet (`leadbot serve` or "
                                "`leadbot migrate` creates it; is [store] url the service's?)")
    store = Store.open(settings.store.url)
    try:
        if migrate:
            await store.migrate()
            return store
        state = await schema_state(store)
    except BaseException:
        await store.close()
        raise
    if state.current == state.heads:
        return store
    await store.close()
    if not state.current:
        raise CommandFailed(f"the database at {shown} holds no Leadbot schema: run `leadbot migrate` first")
    if state.unknown:
        raise CommandFailed(f"the database at {shown} was migrated by a newer Leadbot (revision "
                            f"{', '.join(sorted(state.unknown))}): upgrade this installation")
    raise CommandFailed(f"the database at {shown} needs `leadbot migrate` (its schema is older than this Leadbot)")
