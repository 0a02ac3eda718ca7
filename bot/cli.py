"""`leadbot`: the command line, and the composition root for every command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.settings import ConfigError, Settings, load_settings

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
    from bot.parse_command import run_parse

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    return run_parse(args.files, as_json=args.json, explain=args.explain, extractor=_extractor(args))


def cmd_vendors(args: argparse.Namespace) -> int:
    from bot.parse_command import run_vendors

    return run_vendors(_extractor(args))


def cmd_messages(args: argparse.Namespace) -> int:
    from bot.admin import list_messages

    return asyncio.run(list_messages(_settings(args), failed=args.failed, limit=args.limit, show=args.show))


def cmd_replay(args: argparse.Namespace) -> int:
    from bot.admin import replay

    settings = _settings(args)
    _setup_logging("WARNING")
    return asyncio.run(replay(settings, args.ids, force=args.force))


def cmd_leads(args: argparse.Namespace) -> int:
    from bot.admin import list_leads

    return asyncio.run(list_leads(_settings(args), grade=args.grade, status=args.status, limit=args.limit))


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.admin import migrate

    return asyncio.run(migrate(_settings(args)))


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

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

    migrate = sub.add_parser("migrate", help="create or upgrade the database schema")
    migrate.set_defaults(func=cmd_migrate)

    demo = sub.add_parser("demo", help="a tour on loopback: sample mail in over SMTP, cards out, one claimed")
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"leadbot: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `leadbot leads | head`: the reader left, nothing more to say
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
