"""py/ is layered by where the code runs: each level imports only from its
own and the levels before it (nn -> io -> page -> drawings -> cli -> the
commands), and no module imports itself back through others (no cycles)."""

import ast
from pathlib import Path

from conftest import REPO

# The levels in order; a module's level is its subpackage's, the commands' otherwise.
LEVELS = ["nn", "io", "page", "drawings", "cli", "commands"]


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def level(module: str) -> int:
    """py/__init__.py (it imports nothing) comes first; py.nn.model is at nn's level."""
    if module == "py":
        return -1
    part = module.split(".")[1]
    return LEVELS.index(part) if part in LEVELS else LEVELS.index("commands")


def imports() -> dict[str, set[str]]:
    """Each module of py/ -> the modules of py/ it imports: `from .x import y`
    imports x, `from . import x` the module x (its package only when x is no module)."""
    paths = {module_name(p): p for p in sorted((REPO / "py").rglob("*.py"))}
    found = {}
    for name, path in paths.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[:len(package.split(".")) - node.level + 1]
                    base = ".".join(parts + ([base] if base else []))
                names |= {f"{base}.{a.name}" if f"{base}.{a.name}" in paths else base for a in node.names}
        found[name] = {n for n in names if n in paths and n != name}
    return found


def test_every_module_imports_only_from_its_level_and_those_before_it():
    upward = [(m, n) for m, targets in imports().items() for n in targets if level(n) > level(m)]
    assert upward == []
    assert level("py.nn.model") < level("py.io.weights") < level("py.page.app") < level("py.drawings.shapes") \
        < level("py.cli.checkout") < level("py.train") == level("py.sweep.workers")


def test_no_module_imports_itself_through_others():
    graph = imports()
    cycles = []

    def visit(module: str, path: list[str]) -> None:
        for n in graph[module]:
            if n in path:
                cycles.append(path[path.index(n):] + [n])
            elif n not in done:
                visit(n, path + [n])
        done.add(module)

    done: set[str] = set()
    for m in graph:
        if m not in done:
            visit(m, [m])
    assert cycles == []
