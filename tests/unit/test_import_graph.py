"""The core and its Streamlit layer import each other in one direction: no module waits on itself."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def _import_graph() -> dict[str, set[str]]:
    """explorer module -> the explorer modules it imports anywhere in its body (lazy imports count)."""
    paths = {_module_name(p): p for p in (ROOT / "explorer").rglob("*.py")}
    graph = {}
    for name, path in paths.items():
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.level == 0
                and (node.module or "").startswith("explorer")
            ):
                found |= {
                    f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in paths else node.module
                    for a in node.names
                }
            elif isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
        graph[name] = {m for m in found if m in paths and m != name}
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle, as the modules along it, or None."""
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> list[str] | None:
        for dep in sorted(graph[name]):
            if dep in path:
                return path[path.index(dep) :] + [dep]
            if dep not in done and (found := visit(dep, [*path, dep])):
                return found
        done.add(name)
        return None

    return next((c for name in sorted(graph) if name not in done and (c := visit(name, [name]))), None)


def test_no_module_of_explorer_imports_itself_through_others():
    assert _cycle(_import_graph()) is None, " -> ".join(_cycle(_import_graph()) or [])


def test_the_cycle_finder_finds_a_circle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_a_mechanic_never_imports_a_family():
    """A room stands above what it uses: what several families share (mechanics) imports none of them;
    a module that measures across families (explorer/measure) sits above them."""
    upward = {
        (name, dep)
        for name, deps in _import_graph().items()
        if name.startswith("explorer.mechanics")
        for dep in deps
        if dep.startswith(("explorer.families", "explorer.training", "explorer.ui", "explorer.measure"))
    }
    assert not upward, sorted(upward)
