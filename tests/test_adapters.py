"""Each foreign library's private internals are reached from its one adapter module, nowhere else.

A scan of generator/**/*.py (ast only, nothing imported) finds:
- X._name and getattr/hasattr/setattr(X, "_name") where _name is not the project's own: the
  libraries whose source holds the name are whose internal it may be;
- in a class derived from a library's class: its private names overridden, and self._name,
  cls._name, super()._name where the library's source holds the name;
- imports of a library's private modules (a _part of the path, or one of INTERNAL_MODULES)
  and of its _names.
Each must lie in the adapter (ADAPTERS) of a library it may belong to.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from conftest import ROOT

ADAPTERS = {
    "openpyxl": "generator/workbook/xlsxbook.py",
    "docx": "generator/document/engine.py",
    "docxtpl": "generator/document/engine.py",
    "jinja2": "generator/template/jinja.py",
    "click": "generator/cli/texts.py",
    "python_multipart": "generator/web/uploads.py",
}
# Modules without a leading underscore that are a library's internals all the same.
INTERNAL_MODULES = (
    "jinja2.compiler",
    "openpyxl.reader",
    "openpyxl.packaging",
    "openpyxl.xml",
    "openpyxl.styles.stylesheet",
    "docx.oxml.parser",
    "docxtpl.template",
)
# Public despite the underscore: namedtuple's methods and fields.
PUBLIC = frozenset({"_replace", "_asdict", "_fields", "_make", "_field_defaults"})
_MANGLED = re.compile(r"_[A-Za-z][A-Za-z0-9]*(__\w+)")  # _Class__name, written __name in Class
_ATTRIBUTE_FUNCTIONS = frozenset({"getattr", "hasattr", "setattr", "delattr"})
NOTHING: frozenset[str] = frozenset()


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__")) and name not in PUBLIC


@functools.cache
def _library_source(library: str) -> str:
    """All the Python source of an installed library as one text (the library is not imported)."""
    spec = importlib.util.find_spec(library)
    assert spec is not None and spec.submodule_search_locations, library
    folder = Path(next(iter(spec.submodule_search_locations)))
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.rglob("*.py")))


@functools.cache
def _holders(name: str) -> frozenset[str]:
    """The adapted libraries whose source holds name as a word (a mangled _Class__name as __name)."""
    mangled = _MANGLED.fullmatch(name)
    text = mangled.group(1) if mangled else name
    word = re.compile(rf"(?<!\w){re.escape(text)}(?!\w)")
    return frozenset(lib for lib in ADAPTERS if text in _library_source(lib) and word.search(_library_source(lib)))


@functools.cache
def _is_submodule(module: str) -> bool:
    library, _, rest = module.partition(".")
    spec = importlib.util.find_spec(library)
    if spec is None or not spec.submodule_search_locations or not rest:
        return False
    path = Path(next(iter(spec.submodule_search_locations)), *rest.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _internal_module(module: str) -> bool:
    return any(_private(part) for part in module.split(".")) or any(
        module == m or module.startswith(m + ".") for m in INTERNAL_MODULES)


@dataclass(frozen=True)
class Use:
    """One use of a library's internals: where, as written, and whose it may be."""

    path: str  # relative to the project root
    line: int
    what: str
    libraries: frozenset[str]  # the adapter of any of these may hold it

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what} ({', '.join(sorted(self.libraries)) or 'no known library'})"


@dataclass
class _Module:
    path: str  # generator/x/y.py
    name: str  # generator.x.y
    tree: ast.Module
    imports: list[ast.Import | ast.ImportFrom] = field(default_factory=list)
    classes: list[ast.ClassDef] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)  # local name -> dotted origin ("jinja2.nodes.Template")


def _parse(path: str, source: str) -> _Module:
    tree = ast.parse(source, path)
    module = _Module(path, path.removesuffix(".py").replace("/", "."), tree)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            module.imports.append(node)
        elif isinstance(node, ast.ClassDef):
            module.classes.append(node)
    origins = module.origins
    origins.update({n.name: f"{module.name}.{n.name}" for n in tree.body if isinstance(n, ast.ClassDef)})
    for node in module.imports:
        for alias in node.names:
            if isinstance(node, ast.Import):
                origins[alias.asname or alias.name.partition(".")[0]] = (
                    alias.name if alias.asname else alias.name.partition(".")[0])
            elif node.module and not node.level:
                origins[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in tree.body:  # module-level aliases: ReadOnlyWorksheet: Any = _read_only.ReadOnlyWorksheet
        target = (node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1
                  else node.target if isinstance(node, ast.AnnAssign) else None)
        origin = _dotted(node.value, origins) if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value else None
        if isinstance(target, ast.Name) and origin:
            origins[target.id] = origin
    return module


def _dotted(node: ast.expr, origins: dict[str, str]) -> str | None:
    """The dotted origin of a name or attribute chain rooted at an imported name."""
    if isinstance(node, ast.Name):
        return origins.get(node.id)
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value, origins)
        return f"{base}.{node.attr}" if base else None
    return None


@functools.cache
def _sources() -> tuple[tuple[str, str], ...]:
    return tuple((p.relative_to(ROOT).as_posix(), p.read_text(encoding="utf-8"))
                 for p in sorted((ROOT / "generator").rglob("*.py")))


@functools.cache
def _project() -> tuple[_Module, ...]:
    return tuple(_parse(path, source) for path, source in _sources())


def _with(path: str, code: str) -> list[_Module]:
    """The project's modules with code added at the end of the one at path."""
    return [_parse(p, source + "\n" + code) if p == path else m for (p, source), m in zip(_sources(), _project())]


def _class_libraries(modules: list[_Module]) -> dict[tuple[str, str], frozenset[str]]:
    """The adapted libraries each project class derives from, through project classes too."""
    by_name = {m.name: m for m in modules}
    bases = {(m.path, c.name): [o for b in c.bases if (o := _dotted(b, m.origins))] for m in modules for c in m.classes}
    found: dict[tuple[str, str], frozenset[str]] = {}

    def libraries(key: tuple[str, str], seen: frozenset[tuple[str, str]]) -> frozenset[str]:
        if key not in found:
            result: set[str] = set()
            for origin in bases.get(key, ()):
                top = origin.partition(".")[0]
                module_name, _, class_name = origin.rpartition(".")
                if top in ADAPTERS:
                    result.add(top)
                elif module_name in by_name and (by_name[module_name].path, class_name) not in seen:
                    result |= libraries((by_name[module_name].path, class_name), seen | {key})
            found[key] = frozenset(result)
        return found[key]

    for key in bases:
        libraries(key, frozenset({key}))
    return found


def _is_owner(node: ast.expr) -> bool:
    """self, cls or super(): how a method reaches its own class's attributes."""
    if isinstance(node, ast.Name):
        return node.id in ("self", "cls")
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super"


class _Scan(ast.NodeVisitor):
    """One module's private names: those it defines, and those it reaches."""

    def __init__(self, module: _Module, classes: dict[tuple[str, str], frozenset[str]]) -> None:
        self.module, self.classes = module, classes
        self.within = [NOTHING]  # the adapted libraries the enclosing class derives from
        # (line, what, name, libraries): defined in, or reached through self/cls/super() in, a class
        # derived from those libraries; libraries None: reached on another object, on_module: a project module.
        self.found: list[tuple[int, str, str, frozenset[str] | None, bool]] = []
        self.members: list[tuple[str, frozenset[str]]] = []  # methods, class and instance attributes
        self.globals: set[str] = set()  # private module-level names

    def _member(self, line: int, what: str, name: str, libraries: frozenset[str]) -> None:
        self.members.append((name, libraries))
        if libraries:
            self.found.append((line, what, name, libraries, False))  # overrides the library's, if it has the name

    def visit_Module(self, node: ast.Module) -> None:
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                self.globals.add(item.name)
            elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                for target in item.targets if isinstance(item, ast.Assign) else [item.target]:
                    self.globals.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))
            elif isinstance(item, (ast.Import, ast.ImportFrom)):
                self.globals.update(a.asname for a in item.names if a.asname)
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        libraries = self.classes.get((self.module.path, node.name), NOTHING)
        for item in node.body:
            if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and _private(item.name):
                self._member(item.lineno, f"def {item.name}", item.name, libraries)
            targets = item.targets if isinstance(item, ast.Assign) else [getattr(item, "target", None)]
            for target in targets:
                if isinstance(target, ast.Name) and _private(target.id):
                    self._member(item.lineno, f"{node.name}.{target.id} =", target.id, libraries)
        self.within.append(libraries)
        self.generic_visit(node)
        self.within.pop()

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if _private(node.attr):
            what = f"{ast.unparse(node.value)}.{node.attr}"
            if not _is_owner(node.value):
                origin = _dotted(node.value, self.module.origins) if isinstance(node.value, ast.Name) else None
                on_module = bool(origin and origin.startswith("generator."))
                self.found.append((node.lineno, what, node.attr, None, on_module))
            elif isinstance(node.ctx, ast.Store):
                self._member(node.lineno, what, node.attr, self.within[-1])
            elif self.within[-1]:
                self.found.append((node.lineno, what, node.attr, self.within[-1], False))
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        if (isinstance(node.func, ast.Name) and node.func.id in _ATTRIBUTE_FUNCTIONS and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)
                and _private(node.args[1].value)):
            libraries = self.within[-1] if _is_owner(node.args[0]) else None
            if libraries is None or libraries:
                self.found.append((node.lineno, ast.unparse(node), node.args[1].value, libraries, False))
        self.generic_visit(node)


def _imports(module: _Module) -> Iterator[Use]:
    """Imports of a library's private modules or names."""
    for node in module.imports:
        for alias in node.names:
            if isinstance(node, ast.Import):
                imported, what = alias.name, f"import {alias.name}"
            elif node.module and not node.level:
                full = f"{node.module}.{alias.name}"
                imported = full if _is_submodule(full) else node.module
                what = f"from {node.module} import {alias.name}"
            else:
                continue
            library = imported.partition(".")[0]
            if library in ADAPTERS and (_internal_module(imported) or _private(alias.name.rpartition(".")[2])):
                yield Use(module.path, node.lineno, what, frozenset({library}))


def internal_uses(modules: list[_Module]) -> list[Use]:
    """Every use of an adapted library's internals in modules, wherever it lies."""
    classes = _class_libraries(modules)
    scans = []
    for module in modules:
        scan = _Scan(module, classes)
        scan.visit(module.tree)
        scans.append((module, scan))
    # The project's own members: defined outside a library's class, or a name the library does not have.
    members = {name for _, scan in scans for name, libraries in scan.members
               if not libraries or not _holders(name) & libraries}
    module_names = members.union(*(scan.globals for _, scan in scans))
    uses: list[Use] = []
    for module, scan in scans:
        uses.extend(_imports(module))
        for line, what, name, libraries, on_module in scan.found:
            if libraries is None:  # reached on another object: the project's own, or whose?
                if name not in (module_names if on_module else members):
                    uses.append(Use(module.path, line, what, _holders(name)))
            elif _holders(name) & libraries:  # in a class derived from the library's: the library's name
                uses.append(Use(module.path, line, what, _holders(name) & libraries))
    return uses


def _misplaced(uses: list[Use]) -> list[str]:
    return [str(use) for use in uses if not any(ADAPTERS.get(lib) == use.path for lib in use.libraries)]


@functools.cache
def _project_uses() -> tuple[Use, ...]:
    return tuple(internal_uses(list(_project())))


def test_library_internals_are_used_only_in_their_adapters():
    assert _misplaced(list(_project_uses())) == []


def test_each_adapter_holds_its_library_internals():
    """The map is not stale: each adapter does reach into its library (python-multipart's only uses it)."""
    for library in ("openpyxl", "docx", "docxtpl", "jinja2", "click"):
        assert any(use.path == ADAPTERS[library] and library in use.libraries for use in _project_uses()), library


def test_the_scan_catches_a_private_worksheet_call_outside_the_adapter():
    modules = _with("generator/workbook/sheetreader.py",
                    "def probe(ws, book):\n    with ws._get_source() as s:\n        return s, book._archive\n")
    misplaced = _misplaced(internal_uses(modules))
    assert any(re.fullmatch(r"generator/workbook/sheetreader\.py:\d+: ws\._get_source \(openpyxl\)", m)
               for m in misplaced)
    assert any(re.fullmatch(r"generator/workbook/sheetreader\.py:\d+: book\._archive \(.*openpyxl.*\)", m)
               for m in misplaced)


def test_the_scan_catches_a_jinja_hook_and_import_outside_the_adapter():
    modules = _with("generator/template/sandbox.py",
                    "from jinja2.compiler import CodeGenerator\n"
                    "class Probe(BoundedEnvironment):\n"
                    "    def _generate(self, *args):\n"
                    "        return super()._generate(*args)\n")
    misplaced = "\n".join(_misplaced(internal_uses(modules)))
    assert "from jinja2.compiler import CodeGenerator (jinja2)" in misplaced
    assert "def _generate (jinja2)" in misplaced
    assert "super()._generate (jinja2)" in misplaced
    assert "sandbox.py" in misplaced and "jinja.py" not in misplaced


def test_the_scan_leaves_the_projects_own_private_names_alone():
    modules = _with("generator/workbook/sheetreader.py",
                    "def probe(reader, t):\n    return reader._visible_sheets(), t._replace(a=1)\n")
    assert _misplaced(internal_uses(modules)) == []
