"""`leadbot`: the command line, and the composition root for every command.

Exit status, the same for every command: 0 the work is done; 1 the work failed (a message that
still fails, a contact that is not there, no database yet); 2 a usage or configuration mistake, or a
start-up failure (a port in use, a database that cannot be opened or reached, a TLS file that cannot
be loaded). Results go to stdout; every error is one line on stderr, saying what to do.

This module imports only the standard library: `leadbot --help` and every `leadbot COMMAND --help`
answer before spaCy, SQLAlchemy, Slack or pydantic are loaded (bench/cli_help.py measures it). Each
command imports what it needs when it runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.settings import Settings

DEFAULT_CONFIG = Path("leadbot.toml")
#: a lead's status (store.tables.Lead.status); spelled out here so `--help` loads no database code
LEAD_STATUSES = ("new", "posted", "claimed", "closed", "duplicate")

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _settings(args: argparse.Namespace) -> Settings:
    from bot.settings import load_settings

    path: Path | None = getattr(args, "config", None)
    if path is None:
        env = os.environ.get("LEADBOT_CONFIG")
        if env:
            path = Path(env)
        elif DEFAULT_CONFIG.exists():
            path = DEFAULT_CONFIG
    settings = load_settings(path)
    args.settings = settings  # for the error handler: it names the setting behind a start-up failure
    return settings


def _run(work: Coroutine[Any, Any, int]) -> int:
    import asyncio

    async def guarded() -> int:
        try:
            return await work
        except BaseException:
            from bot.cli.startup import let_sqlite_threads_finish

            await asyncio.to_thread(let_sqlite_threads_finish)
            raise

    return asyncio.run(guarded())


def _workers(text: str) -> int:
    """``--workers N``: a count of processes, 0 or more."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if count < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return count


def _setup_logging(level: str) -> None:
    import logging

    logging.basicConfig(
        level=getattr(logging, level),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # mail.log and Bolt are chatty at INFO about every session and request.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.cli.startup import run_service

    settings = _settings(args)
    _setup_logging(settings.log_level)
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    return run_service(settings, hold=args.hold)


def cmd_parse(args: argparse.Namespace) -> int:
    from bot.cli.parse import make_extractor, run_parse

    _setup_logging("WARNING")
    return run_parse(args.files, as_json=args.json, explain=args.explain, extractor=make_extractor(_settings(args)),
                     errors=sys.stderr)


def cmd_vendors(args: argparse.Namespace) -> int:
    if getattr(args, "action", None) == "ledger":
        from bot.cli.ledger import run_ledger

        return _run(run_ledger(_settings(args), args.vendor, since=args.since, until=args.until, out=args.out))
    from bot.cli.parse import make_extractor, run_vendors

    return run_vendors(make_extractor(_settings(args)))


def cmd_messages(args: argparse.Namespace) -> int:
    from bot.cli.admin import list_messages

    return _run(list_messages(
        _settings(args), failed=args.failed, limit=args.limit, show=args.show, suspicious=args.suspicious
    ))


def cmd_replay(args: argparse.Namespace) -> int:
    from bot.cli.admin import replay

    settings = _settings(args)
    _setup_logging("WARNING")
    return _run(replay(settings, args.ids, force=args.force))


def cmd_leads(args: argparse.Namespace) -> int:
    from bot.cli.admin import list_leads

    return _run(list_leads(_settings(args), grade=args.grade, status=args.status, limit=args.limit,
                           output=args.format))


def cmd_outbox(args: argparse.Namespace) -> int:
    from bot.cli.outbox import list_dead, retry_dead

    if args.retry:
        return _run(retry_dead(_settings(args), args.retry))
    return _run(list_dead(_settings(args), limit=args.limit))


def cmd_stats(args: argparse.Namespace) -> int:
    from bot.cli.stats import run_stats

    return _run(run_stats(_settings(args), args.period, args.by))


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.cli.admin import migrate

    return _run(migrate(_settings(args)))


def cmd_import(args: argparse.Namespace) -> int:
    from bot.cli.imports import import_file

    settings = _settings(args)
    _setup_logging("WARNING")
    return _run(
        import_file(settings, args.file, source=args.source, mappings=args.map or [], dry_run=args.dry_run,
                    no_post=args.no_post, errors=args.errors, workers=args.workers)
    )


def cmd_contacts(args: argparse.Namespace) -> int:
    from bot.cli.contacts import contacts_merge, contacts_show, contacts_unmerge

    settings = _settings(args)
    _setup_logging("WARNING")
    actor = os.environ.get("USER") or "cli"
    if args.action == "show":
        return _run(contacts_show(settings, args.ref))
    if args.action == "merge":
        return _run(contacts_merge(settings, args.into, args.other, actor=actor))
    return _run(contacts_unmerge(settings, args.event_id, actor=actor))


def cmd_rescore(args: argparse.Namespace) -> int:
    from bot.cli.contacts import run_rescore

    settings = _settings(args)
    _setup_logging("WARNING")
    return _run(
        run_rescore(settings, dry_run=args.dry_run, limit=args.limit, show_all=args.all,
                    actor=os.environ.get("USER") or "cli")
    )


def cmd_erase(args: argparse.Namespace) -> int:
    from bot.cli.privacy import erase_person

    settings = _settings(args)
    _setup_logging("WARNING")
    return _run(erase_person(settings, args.ref, actor=os.environ.get("USER") or "cli"))


def cmd_export(args: argparse.Namespace) -> int:
    from bot.cli.privacy import export_person

    settings = _settings(args)
    _setup_logging("WARNING")
    return _run(export_person(settings, args.ref, args.out))


def cmd_privacy(args: argparse.Namespace) -> int:
    from bot.cli.privacy import run_retention

    settings = _settings(args)
    _setup_logging("WARNING")
    return _run(run_retention(settings, dry_run=args.dry_run))


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.cli.demo import run_demo

    _setup_logging("WARNING")
    return _run(run_demo())


def build_parser() -> argparse.ArgumentParser:
    config_help = "TOML settings file (default: $LEADBOT_CONFIG or ./leadbot.toml)"
    # `--config` is accepted before the command (`leadbot --config F serve`) and after it (`leadbot serve
    # --config F`); SUPPRESS keeps a subcommand that was not given it from clearing the global one.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=argparse.SUPPRESS, metavar="FILE", help=config_help)

    parser = argparse.ArgumentParser(
        prog="leadbot",
        description="Lead intake bot: vendor email and chat in, scored lead cards with a Claim button in Slack out.",
        epilog="exit status: 0 done, 1 the work failed, 2 a usage, configuration or start-up problem",
    )
    parser.add_argument("--config", type=Path, default=None, metavar="FILE", help=config_help)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_text, description=help_text, parents=[common])

    serve = command("serve", "run the SMTP listener, pipeline and Slack bot until SIGINT/SIGTERM")
    serve.add_argument(
        "--hold", action="store_true", help="accept and store mail but process none (until restarted without it)"
    )
    serve.set_defaults(func=cmd_serve)

    parse = command("parse", "extract leads from files without storing anything")
    parse.add_argument("files", nargs="+", help=".eml files or bare bodies (text, HTML, XML/ADF, JSON)")
    parse.add_argument("--json", action="store_true", help="one JSON line per input")
    parse.add_argument("--explain", action="store_true", help="show where every field came from")
    parse.set_defaults(func=cmd_parse)

    vendors = command("vendors", "list the vendor templates; `vendors ledger` the leads to ask a vendor credit for")
    vsub = vendors.add_subparsers(dest="action", required=False, metavar="ACTION")
    ledger = vsub.add_parser(
        "ledger", parents=[common],
        help="write a CSV of a vendor's duplicate, invalid and test leads, with reasons and credit asked",
    )  # fmt: skip
    ledger.add_argument("vendor", metavar="VENDOR", help="the vendor's name as stored ((no vendor) for none)")
    ledger.add_argument("--since", required=True, metavar="DATE", help="first day included (YYYY-MM-DD, UTC)")
    ledger.add_argument("--until", metavar="DATE", help="last day included (default: up to now)")
    ledger.add_argument("--out", type=Path, metavar="FILE.csv", help="write here instead of stdout")
    vendors.set_defaults(func=cmd_vendors)

    messages = command("messages", "list inbound messages")
    messages.add_argument("--failed", action="store_true", help="only messages whose processing failed")
    messages.add_argument("--suspicious", action="store_true",
                          help="only mail whose sender failed authentication (kept for review, issue 13)")
    messages.add_argument("--limit", type=int, default=50)
    messages.add_argument("--show", type=int, metavar="ID", help="print one message's error and raw text")
    messages.set_defaults(func=cmd_messages)

    replay = command("replay", "process stored messages again (after a fix)")
    replay.add_argument("ids", nargs="+", type=int, metavar="ID")
    replay.add_argument("--force", action="store_true", help="also re-run messages that already made leads")
    replay.set_defaults(func=cmd_replay)

    leads = command("leads", "list stored leads")
    leads.add_argument("--grade", choices=["A", "B", "C"])
    leads.add_argument("--status", choices=LEAD_STATUSES,
                       help="duplicate: a repeat inquiry from a person whose earlier lead is still open")
    leads.add_argument("--limit", type=int, default=50)
    leads.add_argument("--format", choices=["table", "csv", "json"], default="table",
                       help="csv or json: every field, for another system (default: a table)")
    leads.set_defaults(func=cmd_leads)

    outbox = command("outbox", "Slack posts that cannot be delivered (dead items) and trying them again")
    what = outbox.add_mutually_exclusive_group()
    what.add_argument("--dead", action="store_true", help="list the dead items with their reason (the default)")
    what.add_argument("--retry", type=int, nargs="+", metavar="ID", help="queue these dead items again")
    outbox.add_argument("--limit", type=int, default=200)
    outbox.set_defaults(func=cmd_outbox)

    stats = command("stats", "pipeline statistics: sources, grades, claim times, outcomes, reps")
    stats.add_argument("period", nargs="?", default="30d", choices=["7d", "30d", "90d", "all"])
    stats.add_argument("--by", choices=["source", "rep"], help="one line per source or per rep, in detail")
    stats.set_defaults(func=cmd_stats)

    migrate = command("migrate", "create or upgrade the database schema")
    migrate.set_defaults(func=cmd_migrate)

    imp = command("import", "import leads from a CSV or Excel (.xlsx) file: scored, routed, deduplicated")
    imp.add_argument("file", type=Path, help="a .csv or .xlsx file with a header row")
    imp.add_argument("--source", help="the vendor the leads are credited to when the row names none in a vendor "
                                      "column (Vendor, Lead Source, Provider …) (default: Import)")
    imp.add_argument("--map", action="append", metavar="COLUMN=FIELD",
                     help="map a column to a lead field (email, phone, full_name…; vendor: the row's vendor; "
                          "- ignores it); repeatable")
    imp.add_argument("--dry-run", action="store_true", help="check and count every row, store nothing")
    imp.add_argument("--no-post", action="store_true", help="store the leads without posting cards to reps")
    imp.add_argument("--errors", type=Path, metavar="FILE", help="the error report (default: FILE.errors.csv)")
    imp.add_argument("--workers", type=_workers, metavar="N",
                     help="processes reading and scoring rows beside the one storing them (0: none, a thread; "
                          "default: one per core beyond the first, none for a file under 5,000 rows)")
    imp.set_defaults(func=cmd_import)

    contacts = command("contacts", "one contact per person: the 360° view, merge, unmerge")
    csub = contacts.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = csub.add_parser("show", help="a contact with every lead and every event, newest first", parents=[common])
    show.add_argument("ref", help="contact id, email or phone (any format)")
    merge = csub.add_parser("merge", help="make contact OTHER part of INTO (undo with unmerge)", parents=[common])
    merge.add_argument("into", help="contact id, email or phone")
    merge.add_argument("other", help="contact id, email or phone")
    unmerge = csub.add_parser("unmerge", help="undo a merge (the id of its \"merged\" event)", parents=[common])
    unmerge.add_argument("event_id", type=int, metavar="EVENT_ID")
    contacts.set_defaults(func=cmd_contacts)

    rescore = command("rescore", "replay today's scoring and routing rules over past leads")
    rescore.add_argument("--dry-run", action="store_true",
                         help="show how grades and routing would change, store nothing")
    rescore.add_argument("--limit", type=int, default=1000, help="the newest N leads (default 1000)")
    rescore.add_argument("--all", action="store_true", help="list every lead, not only those that change")
    rescore.set_defaults(func=cmd_rescore)

    # privacy (issue 13): erasure, subject access export, retention
    erase = command("erase", "erase a person everywhere: contact, leads, raw mail, events, and their Slack messages")
    erase.add_argument("ref", help="contact id, email or phone (any format)")
    erase.set_defaults(func=cmd_erase)
    export = command("export", "write everything held about a person to one JSON file (subject access request)")
    export.add_argument("ref", help="contact id, email or phone (any format)")
    export.add_argument("--out", type=Path, metavar="FILE", help="where to write (default: contact-ID-export.json)")
    export.set_defaults(func=cmd_export)
    privacy = command("privacy", "apply the [privacy] retention rules now")
    privacy.add_argument("--dry-run", action="store_true", help="show what would be deleted, change nothing")
    privacy.set_defaults(func=cmd_privacy)

    demo = command("demo", "a tour on loopback: sample mail in over SMTP, cards out, one claimed")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)  # --help and usage errors exit here, before any heavy import
    name = f"leadbot {args.command}"
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `leadbot leads | head`: the reader left, nothing more to say
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:
        from bot.cli.common import explain_failure

        found = explain_failure(exc, getattr(args, "settings", None))
        if found is None:
            raise  # ours: a bug, with its traceback
        status, line = found
        print(f"{name}: {line}", file=sys.stderr)
        return status


if __name__ == "__main__":
    sys.exit(main())
