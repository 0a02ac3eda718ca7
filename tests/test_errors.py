"""One error tree: every exception Leadbot defines has the common base, a fault family, and is drawn."""

from __future__ import annotations

import ast
from pathlib import Path

import bot.errors
from parsers.errors import InputError, LeadbotError, OutageError, RequestRefused, StartupError

ROOT = Path(__file__).resolve().parents[1]
FAMILIES = (StartupError, InputError, RequestRefused, OutageError)


def _defined_exceptions() -> dict[str, str]:
    """Every class in our packages whose name says it is an error (module → class)."""
    found = {}
    for package in ("bot", "parsers", "nlp", "store"):
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef) and any(
                    isinstance(b, ast.Name) and (b.id.endswith(("Error", "Exception", "Refused", "Problem"))
                                                  or b.id in {"LookupError", "InputError", "LeadbotError"})
                    for b in node.bases
                ):
                    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                    found[node.name] = module
    return found


def test_every_exception_has_the_common_base_and_is_drawn() -> None:
    classes = _defined_exceptions()
    assert len(classes) >= 13, classes
    for name, module in classes.items():
        cls = getattr(__import__(module, fromlist=[name]), name)
        assert issubclass(cls, LeadbotError), f"{module}.{name} is outside the tree"
        if name.startswith("_") or cls in FAMILIES or cls is LeadbotError:
            continue
        assert issubclass(cls, FAMILIES), f"{module}.{name} says nothing of whose fault it is"
        assert name in (bot.errors.__doc__ or ""), f"{name} is not drawn in bot.errors"
