"""The core packages import each other in one direction only: no package imports one that
imports it back, directly or through others, counting the imports made inside functions
(those only put off the loop to run time).  Imports for type checking alone do not count."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "bpjs_field"
# The core packages, the branch server's included: it shares the wire protocol
# (bpjs_field/protocol.py) and the entity definitions (domain/entities.py) with the laptop;
# the event hub (sync/) runs the server's app, so `sync` may import `server`, never the
# other way round.
CORE = ("domain", "store", "security", "sync", "reporting", "printing", "server", "protocol")


def _unit(path: Path) -> str:
    """The package (or top-level module) a file belongs to."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return parts[0]


def _imports(tree: ast.AST) -> list[tuple[str, int]]:
    found: list[tuple[str, int]] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.extend((a.name, child.lineno) for a in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.append((child.module, child.lineno))
            visit(child)
    visit(tree)
    return found


def import_graph() -> dict[str, dict[str, list[str]]]:
    """unit -> imported unit -> where ("file:line")."""
    graph: dict[str, dict[str, list[str]]] = {}
    for path in sorted(ROOT.rglob("*.py")):
        source = _unit(path)
        for name, line in _imports(ast.parse(path.read_text("utf-8"))):
            parts = name.split(".")
            if parts[0] != "bpjs_field" or len(parts) < 2:
                continue
            target = parts[1]
            if target != source:
                graph.setdefault(source, {}).setdefault(target, []).append(
                    f"{path.relative_to(ROOT.parent)}:{line}")
    return graph


def cycles(graph: dict[str, dict[str, list[str]]], among: tuple[str, ...]) -> list[list[str]]:
    """Every elementary loop through the given units (depth-first, each reported once)."""
    found: list[list[str]] = []
    for start in among:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, {}):
                if nxt not in among:
                    continue
                if nxt == start:
                    if min(path) == start:  # each loop once, from its smallest unit
                        found.append(path + [start])
                elif nxt not in path:
                    stack.append((nxt, path + [nxt]))
    return found


def test_a_loop_is_found_when_there_is_one():
    graph = {"a": {"b": ["x:1"]}, "b": {"c": ["x:2"]}, "c": {"a": ["x:3"]}, "d": {"a": ["x:4"]}}
    assert cycles(graph, ("a", "b", "c", "d")) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b": ["x:1"]}, "b": {}}, ("a", "b")) == []


def test_imports_inside_functions_count_and_type_checking_ones_do_not():
    tree = ast.parse("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                     "    from bpjs_field.store import Store\n"
                     "def f():\n    from bpjs_field.security import session\n")
    names = [name for name, _ in _imports(tree)]
    assert "bpjs_field.security" in names and "bpjs_field.store" not in names


def test_core_packages_have_no_import_loop():
    graph = import_graph()
    loops = cycles(graph, CORE)
    detail = ["  " + " -> ".join(loop) + ": " + "; ".join(
        f"{a}->{b} at {graph[a][b][0]}" for a, b in zip(loop, loop[1:])) for loop in loops]
    assert not loops, "import loops between core packages:\n" + "\n".join(detail)


def test_the_store_imports_no_other_core_package_but_the_domain():
    """The store is the bottom layer over the domain rules: it owns the laptop's tables, and
    security, sync, reporting and printing call it, never the other way round."""
    graph = import_graph()
    above = {target: where for target, where in graph.get("store", {}).items()
             if target in CORE and target != "domain"}
    assert not above, above
