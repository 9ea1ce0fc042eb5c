"""The house's rules, checked on the code itself: stages in order, no cycles, small modules, deferred imports said."""

from __future__ import annotations

import ast
import importlib
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import ROOT

GENERATOR = ROOT / "generator"
# The stages in the order a plan goes through them: a package imports only from those before it.
STAGES = ("plan", "files", "workbook", "checks", "versions", "template", "document", "delivery", "flows",
          "importing", "web", "cli")
MAX_TOP_MODULES = 8
MAX_LINES = 400


def _modules() -> list[Path]:
    return sorted(GENERATOR.rglob("*.py"))


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_blocks(tree: ast.Module) -> set[int]:
    """The ids of import nodes under `if TYPE_CHECKING:` (typing only, never run)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside.update(id(child) for child in ast.walk(node))
    return inside


def _imports(path: Path) -> list[tuple[str, ast.stmt]]:
    """(imported generator module, the import statement) for every import the module runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = _type_checking_blocks(tree)
    found: list[tuple[str, ast.stmt]] = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found += [(alias.name, node) for alias in node.names if alias.name.startswith("generator")]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("generator"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                is_module = (ROOT / Path(*full.split("."))).with_suffix(".py").exists() or \
                    (ROOT / Path(*full.split(".")) / "__init__.py").exists()
                found.append((full if is_module else node.module, node))
    return found


def _stage(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in STAGES) else None


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in _modules():
        for target, _ in _imports(path):
            graph[_name(path)].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph, or None (depth-first search with colours)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if state.get(nxt) is None and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if state.get(node) is None and (found := visit(node)):
            return found
    return None


def test_no_import_cycle_between_modules():
    graph = _graph()
    # A package's __init__ re-exports its modules: it is the package's face, not a module of its own.
    modules = {m: {t for t in targets if not (GENERATOR / Path(*t.split(".")[1:]) / "__init__.py").exists()}
               for m, targets in graph.items() if not (GENERATOR / Path(*m.split(".")[1:]) / "__init__.py").exists()}
    assert _cycle(modules) is None


def test_no_import_cycle_between_packages_and_nothing_imports_a_later_stage():
    upward = []
    for path in _modules():
        own = _stage(_name(path))
        if own is None:
            continue
        for target, node in _imports(path):
            theirs = _stage(target)
            if theirs is None or theirs == own:
                continue
            if STAGES.index(theirs) > STAGES.index(own):
                upward.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {target}")
    assert upward == []


def test_the_library_never_imports_its_faces():
    faces = {"web", "cli"}
    library = [path for path in _modules() if _stage(_name(path)) not in (*faces, None)]
    reaching = [f"{path.relative_to(ROOT)} imports {target}" for path in library
                for target, _ in _imports(path) if _stage(target) in faces]
    assert library
    assert reaching == []


def test_generator_lists_its_stages_and_few_modules():
    top = [p.name for p in GENERATOR.glob("*.py")]
    packages = sorted(p.name for p in GENERATOR.iterdir() if (p / "__init__.py").exists() and p.name != "templates")
    assert len(top) <= MAX_TOP_MODULES, top
    assert sorted(STAGES) == packages


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(GENERATOR)))
def test_each_module_is_short_and_opens_with_a_one_line_docstring(path):
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_LINES
    docstring = ast.get_docstring(ast.parse(text))
    assert docstring and docstring.splitlines()[0].strip().endswith((".", ")")), "a one-line summary first"


def test_an_import_inside_a_function_says_why_it_is_deferred():
    silent = []
    for path in _modules():
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        tree = ast.parse(text)
        typing_only = _type_checking_blocks(tree)
        for function in ast.walk(tree):
            if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            block_said = False
            for node in function.body:
                if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in typing_only:
                    said = "deferred" in lines[node.lineno - 1] or "deferred" in lines[node.lineno - 2]
                    block_said = block_said or said
                    if not block_said:
                        silent.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                else:
                    block_said = False
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)) and node not in function.body \
                        and id(node) not in typing_only and "deferred" not in lines[node.lineno - 1]:
                    silent.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert silent == []


@pytest.mark.parametrize("package", STAGES)
def test_each_package_names_its_public_api(package):
    module = importlib.import_module(f"generator.{package}")
    assert module.__doc__
    assert module.__all__, f"generator/{package}/__init__.py re-exports its public names with __all__"
    assert len(set(module.__all__)) == len(module.__all__)
    for name in module.__all__:
        assert hasattr(module, name), name
    # A re-exported name that is also a module's name would hide the module (generator.flows.generate).
    submodules = {p.stem for p in (GENERATOR / package).glob("*.py")}
    assert not submodules & set(module.__all__)
