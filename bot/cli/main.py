"""`leadbot`: the command line, and the composition root for every command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import Settings, load_settings

DEFAULT_CONFIG = Path("leadbot.toml")


def _settings(args: argparse.Namespace) -> Settings:
    path: Path | None = args.config
    if path is None:
        env = os.environ.get("LEADBOT_CONFIG")
        if env:
            path = Path(env)
        elif DEFAULT_CONFIG.exists():
            path = DEFAULT_CONFIG
    return load_settings(path)


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level),
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # mail.log and Bolt are chatty at INFO about every session and request.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def cmd_serve(args: argparse.Namespace) -> int:
    from bot.service import Service, serve

    settings = _settings(args)
    _setup_logging(settings.log_level)
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    asyncio.run(serve(Service(settings, hold=args.hold)))
    return 0


def _extractor(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from nlp.extractor import Extractor

    settings = _settings(args)
    return Extractor(settings.extraction, settings.nlp)


def cmd_parse(args: argparse.Namespace) -> int:
    from bot.cli.parse import run_parse

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    return run_parse(args.files, as_json=args.json, explain=args.explain, extractor=_extractor(args))


def cmd_vendors(args: argparse.Namespace) -> int:
    from bot.cli.parse import run_vendors

    return run_vendors(_extractor(args))


def cmd_messages(args: argparse.Namespace) -> int:
    from bot.cli.admin import list_messages

    return asyncio.run(list_messages(_settings(args), failed=args.failed, limit=args.limit, show=args.show))


def cmd_replay(args: argparse.Namespace) -> int:
    from bot.cli.admin import replay

    settings = _settings(args)
    _setup_logging("WARNING")
    return asyncio.run(replay(settings, args.ids, force=args.force))


def cmd_leads(args: argparse.Namespace) -> int:
    from bot.cli.admin import list_leads

    return asyncio.run(list_leads(_settings(args), grade=args.grade, status=args.status, limit=args.limit))


def cmd_stats(args: argparse.Namespace) -> int:
    from bot.cli.stats import run_stats

    return asyncio.run(run_stats(_settings(args), args.period))


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.cli.admin import migrate

    return asyncio.run(migrate(_settings(args)))


def cmd_import(args: argparse.Namespace) -> int:
    from bot.cli.imports import import_file

    _setup_logging("WARNING")
    return asyncio.run(
        import_file(_settings(args), args.file, source=args.source, mappings=args.map or [], dry_run=args.dry_run,
                    no_post=args.no_post, errors=args.errors)
    )


def cmd_contacts(args: argparse.Namespace) -> int:
    from bot.cli.contacts import contacts_merge, contacts_show, contacts_unmerge

    settings = _settings(args)
    _setup_logging("WARNING")
    actor = os.environ.get("USER") or "cli"
    if args.action == "show":
        return asyncio.run(contacts_show(settings, args.ref))
    if args.action == "merge":
        return asyncio.run(contacts_merge(settings, args.into, args.other, actor=actor))
    return asyncio.run(contacts_unmerge(settings, args.event_id, actor=actor))


def cmd_rescore(args: argparse.Namespace) -> int:
    from bot.cli.contacts import run_rescore

    settings = _settings(args)
    _setup_logging("WARNING")
    return asyncio.run(
        run_rescore(settings, dry_run=args.dry_run, limit=args.limit, show_all=args.all,
                    actor=os.environ.get("USER") or "cli")
    )


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.cli.demo import run_demo

    _setup_logging("WARNING")
    return asyncio.run(run_demo())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="leadbot",
        description="Lead intake bot: vendor email and chat in, scored lead cards with a Claim button in Slack out.",
    )
    parser.add_argument(
        "--config", type=Path, default=None, help="TOML settings file (default: $LEADBOT_CONFIG or ./leadbot.toml)"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = sub.add_parser("serve", help="run the SMTP listener, pipeline and Slack bot until SIGINT/SIGTERM")
    serve.add_argument(
        "--hold", action="store_true", help="accept and store mail but process none (until restarted without it)"
    )
    serve.set_defaults(func=cmd_serve)

    parse = sub.add_parser("parse", help="extract leads from files without storing anything")
    parse.add_argument("files", nargs="+", help=".eml files or bare bodies (text, HTML, XML/ADF, JSON)")
    parse.add_argument("--json", action="store_true", help="one JSON line per input")
    parse.add_argument("--explain", action="store_true", help="show where every field came from")
    parse.set_defaults(func=cmd_parse)

    vendors = sub.add_parser("vendors", help="list the vendor templates")
    vendors.set_defaults(func=cmd_vendors)

    messages = sub.add_parser("messages", help="list inbound messages")
    messages.add_argument("--failed", action="store_true", help="only messages whose processing failed")
    messages.add_argument("--limit", type=int, default=50)
    messages.add_argument("--show", type=int, metavar="ID", help="print one message's error and raw text")
    messages.set_defaults(func=cmd_messages)

    replay = sub.add_parser("replay", help="process stored messages again (after a fix)")
    replay.add_argument("ids", nargs="+", type=int, metavar="ID")
    replay.add_argument("--force", action="store_true", help="also re-run messages that already made leads")
    replay.set_defaults(func=cmd_replay)

    leads = sub.add_parser("leads", help="list stored leads")
    leads.add_argument("--grade", choices=["A", "B", "C"])
    leads.add_argument("--status", choices=["new", "posted", "claimed", "closed"])
    leads.add_argument("--limit", type=int, default=50)
    leads.set_defaults(func=cmd_leads)

    stats = sub.add_parser("stats", help="pipeline statistics: sources, grades, claim times, outcomes, reps")
    stats.add_argument("period", nargs="?", default="30d", choices=["7d", "30d", "90d", "all"])
    stats.set_defaults(func=cmd_stats)

    migrate = sub.add_parser("migrate", help="create or upgrade the database schema")
    migrate.set_defaults(func=cmd_migrate)

    imp = sub.add_parser("import", help="import leads from a CSV or Excel (.xlsx) file: scored, routed, deduplicated")
    imp.add_argument("file", type=Path, help="a .csv or .xlsx file with a header row")
    imp.add_argument("--source", help="the vendor the leads are credited to (default: Import)")
    imp.add_argument("--map", action="append", metavar="COLUMN=FIELD",
                     help="map a column to a lead field (email, phone, full_name…; - ignores it); repeatable")
    imp.add_argument("--dry-run", action="store_true", help="check and count every row, store nothing")
    imp.add_argument("--no-post", action="store_true", help="store the leads without posting cards to reps")
    imp.add_argument("--errors", type=Path, metavar="FILE", help="the error report (default: FILE.errors.csv)")
    imp.set_defaults(func=cmd_import)

    contacts = sub.add_parser("contacts", help="one contact per person: the 360° view, merge, unmerge")
    csub = contacts.add_subparsers(dest="action", required=True, metavar="ACTION")
    show = csub.add_parser("show", help="a contact with every lead and every event, newest first")
    show.add_argument("ref", help="contact id, email or phone (any format)")
    merge = csub.add_parser("merge", help="make contact OTHER part of INTO (undo with unmerge)")
    merge.add_argument("into", help="contact id, email or phone")
    merge.add_argument("other", help="contact id, email or phone")
    unmerge = csub.add_parser("unmerge", help="undo a merge (the id of its \"merged\" event)")
    unmerge.add_argument("event_id", type=int, metavar="EVENT_ID")
    contacts.set_defaults(func=cmd_contacts)

    rescore = sub.add_parser("rescore", help="replay today's scoring and routing rules over past leads")
    rescore.add_argument("--dry-run", action="store_true",
                         help="show how grades and routing would change, store nothing")
    rescore.add_argument("--limit", type=int, default=1000, help="the newest N leads (default 1000)")
    rescore.add_argument("--all", action="store_true", help="list every lead, not only those that change")
    rescore.set_defaults(func=cmd_rescore)

    demo = sub.add_parser("demo", help="a tour on loopback: sample mail in over SMTP, cards out, one claimed")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from bot.errors import STARTUP_ERRORS

    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except STARTUP_ERRORS as exc:
        print(f"leadbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `leadbot leads | head`: the reader left, nothing more to say
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
