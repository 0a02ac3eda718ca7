"""The house's shape, as the README's layout section promises it: floors, no cycles, small rooms."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("parsers", "nlp", "store", "bot")
#: which of our packages each package may import
FLOORS = {"parsers": set(), "nlp": {"parsers"}, "store": {"parsers"}, "bot": {"parsers", "nlp", "store", "bot"}}


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Our modules that ``path`` imports at run time (imports under TYPE_CHECKING do not count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped.update(id(n) for n in ast.walk(node))
    out = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                out.add(name)
    return out


@functools.cache
def _import_graph() -> dict[str, frozenset[str]]:
    """Each of our modules -> our modules it imports at run time (every file parsed once for both tests)."""
    modules = _modules()
    return {name: frozenset(_imports(path, modules)) for name, path in modules.items()}


def test_floors_hold_and_nothing_imports_bot() -> None:
    for name, targets in _import_graph().items():
        package = name.split(".")[0]
        for target in targets:
            assert target.split(".")[0] in FLOORS[package] | {package}, f"{name} imports {target}"


def test_no_import_cycle_between_modules() -> None:
    graph = {name: set(targets) - {name} for name, targets in _import_graph().items()}
    # a package's __init__ re-exporting its modules is not a cycle of the design: leave those edges out
    graph = {n: {t for t in ts if not (t == n.rpartition(".")[0] or n.startswith(t + "."))} for n, ts in graph.items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            assert state.get(nxt) != 1, " -> ".join([*trail, node, nxt])
            if nxt not in state:
                visit(nxt, [*trail, node])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_small_rooms() -> None:
    root_modules = sorted(p.name for p in (ROOT / "bot").glob("*.py"))
    assert len(root_modules) <= 6, root_modules
    big = {str(p.relative_to(ROOT)): n for p in _modules().values()
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > 600}
    assert big == {}
