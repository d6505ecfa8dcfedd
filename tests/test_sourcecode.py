"""Guards on the source itself, read as text and syntax trees, never imported.

- nothing under src/ imports sqlalchemy (it is a test-only oracle);
- every module of ormcore opens with a docstring;
- the pure twin exports exactly the public names the Cython files define, and the chooser
  (ormcore._core) takes exactly those names from either core;
- imports point one way, sql <- engine <- orm <- ext, at import time (imports inside functions
  and under `if TYPE_CHECKING:` do not count); the pure twin and the Cython files import
  nothing else from ormcore; only the chooser imports ormcore._core_c or ormcore._core_py.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path
from typing import Iterator
from typing import Optional

import pytest

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
PACKAGE = SRC / "ormcore"
SPEEDUPS = SRC / "_speedups"

PY_MODULES = sorted(PACKAGE.rglob("*.py"))
PYX_FILES = sorted(SPEEDUPS.glob("*.pyx"))
ALL_SOURCES = sorted([*SRC.rglob("*.py"), *SRC.rglob("*.pyx"), *SRC.rglob("*.pxd"),
                      *SRC.rglob("*.pxi")])


def _rel(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


# -- sqlalchemy is for tests only --------------------------------------------------------------

_SQLALCHEMY_IMPORT = re.compile(r"^\s*(import|from|cimport)\s+sqlalchemy\b", re.MULTILINE)


def test_sources_found() -> None:
    assert (PACKAGE / "_core_py" / "__init__.py") in PY_MODULES
    assert PYX_FILES, "no Cython sources under src/_speedups"


@pytest.mark.parametrize("path", ALL_SOURCES, ids=_rel)
def test_no_sqlalchemy_import(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [
        f"{_rel(path)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0).strip()}"
        for m in _SQLALCHEMY_IMPORT.finditer(text)
    ]
    assert not found, "ormcore's own code must not import sqlalchemy:\n" + "\n".join(found)


# -- every module says what it is for ----------------------------------------------------------


@pytest.mark.parametrize("path", PY_MODULES, ids=_rel)
def test_module_docstring(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docstring = ast.get_docstring(tree)
    assert docstring and docstring.strip(), f"{_rel(path)} must open with a docstring"


# -- the twin, the Cython files and the chooser name the same things ---------------------------

_PYX_CLASS = re.compile(r"^(?:cdef\s+)?class\s+(\w+)", re.MULTILINE)
_PYX_DEF = re.compile(r"^(?:def|cpdef(?:\s+[\w.]+)*?)\s+(\w+)\s*\(", re.MULTILINE)
_PYX_CONSTANT = re.compile(r"^([A-Z][A-Z0-9_]*)\s*=", re.MULTILINE)  # a module-level Python name


def _pyx_public_names() -> set:
    names = set()
    for path in PYX_FILES:
        text = path.read_text(encoding="utf-8")
        names.update(_PYX_CLASS.findall(text))
        names.update(_PYX_DEF.findall(text))
        names.update(_PYX_CONSTANT.findall(text))
    return {name for name in names if not name.startswith("_")}


def _literal_all(path: Path) -> list:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            return list(ast.literal_eval(node.value))
    raise AssertionError(f"{_rel(path)} has no __all__")


def test_twin_exports_what_the_cython_files_define() -> None:
    exported = _literal_all(PACKAGE / "_core_py" / "__init__.py")
    assert len(exported) == len(set(exported)), "duplicates in ormcore._core_py.__all__"
    assert set(exported) == _pyx_public_names()


def test_chooser_takes_every_core_name_from_either_core() -> None:
    """_core.py binds each name of the twin's __all__ from the chosen module (`_impl.X`), and
    imports the same names from the twin for type checkers."""
    exported = set(_literal_all(PACKAGE / "_core_py" / "__init__.py"))
    tree = ast.parse((PACKAGE / "_core.py").read_text(encoding="utf-8"))
    for_checkers: list = []
    bound: list = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module == "_core_py":
            for_checkers.extend(alias.name for alias in node.names)
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Attribute)
            and isinstance(node.value.value, ast.Name)
            and node.value.value.id == "_impl"
        ):
            assert [t.id for t in node.targets] == [node.value.attr]
            bound.append(node.value.attr)
    assert sorted(bound) == sorted(exported)
    assert sorted(for_checkers) == sorted(exported)
    assert exported <= set(_literal_all(PACKAGE / "_core.py"))


def test_compiled_core_has_every_name_of_the_twin() -> None:
    try:
        import ormcore._core_c as core_c
    except ImportError:
        if os.environ.get("ORMCORE_REQUIRE_SPEEDUPS") == "1":
            raise
        pytest.skip("the compiled core is not built here")
    exported = set(_literal_all(PACKAGE / "_core_py" / "__init__.py"))
    assert exported <= set(dir(core_c))


# -- layering ----------------------------------------------------------------------------------

# module prefix -> what it must not import at import time
_LAYER_RULES = {
    "ormcore.sql": ("ormcore.engine", "ormcore.orm", "ormcore.ext"),
    "ormcore.engine": ("ormcore.orm", "ormcore.ext"),
    "ormcore.orm": ("ormcore.ext",),
}
_CHOOSER = "ormcore._core"
_CORES = ("ormcore._core_py", "ormcore._core_c")


def _within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_time_nodes(body: list) -> Iterator[ast.stmt]:
    """Import statements that run when the module is imported."""
    for node in body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from _import_time_nodes(node.body)
            yield from _import_time_nodes(node.orelse)
        elif isinstance(node, ast.Try):
            for part in (node.body, node.orelse, node.finalbody):
                yield from _import_time_nodes(part)
            for handler in node.handlers:
                yield from _import_time_nodes(handler.body)
        elif isinstance(node, (ast.With, ast.ClassDef, ast.For, ast.While)):
            yield from _import_time_nodes(node.body)


def _all_import_nodes(tree: ast.Module) -> Iterator[ast.stmt]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node


def _imported_names(node: ast.stmt, path: Path) -> list:
    """Absolute names an import statement may bring in: modules, and module.attribute for
    `from package import name` (name may be a submodule)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    assert isinstance(node, ast.ImportFrom)
    if node.level:
        package = _module_name(path).split(".")
        if not _is_package(path):
            package = package[:-1]
        package = package[: len(package) - (node.level - 1)]
        base = ".".join(package + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    return [base] + [f"{base}.{alias.name}" for alias in node.names]


def _violations(path: Path, nodes: Iterator[ast.stmt], forbidden: tuple,
                allowed: Optional[tuple] = None) -> list:
    found = []
    for node in nodes:
        for name in _imported_names(node, path):
            if allowed is not None and any(_within(name, ok) for ok in allowed):
                continue
            if any(_within(name, bad) for bad in forbidden):
                found.append(f"{_rel(path)}:{node.lineno}: imports {name}")
                break
    return found


@pytest.mark.parametrize("path", PY_MODULES, ids=_rel)
def test_layering(path: Path) -> None:
    module = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for layer, forbidden in _LAYER_RULES.items():
        if _within(module, layer):
            found += _violations(path, _import_time_nodes(tree.body), forbidden)
    if _within(module, "ormcore._core_py"):
        found += _violations(path, _import_time_nodes(tree.body), ("ormcore",),
                             allowed=("ormcore._core_py",))
    elif module != _CHOOSER:
        # One chooser: nothing else imports the cores directly, at any time.
        found += _violations(path, _all_import_nodes(tree), _CORES)
    assert not found, "imports against the layering:\n" + "\n".join(found)


_PYX_IMPORT = re.compile(r"^\s*(?:from|import|cimport)\s+(\.|ormcore\b)", re.MULTILINE)


@pytest.mark.parametrize("path", PYX_FILES, ids=_rel)
def test_cython_core_imports_nothing_from_ormcore(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = [
        f"{_rel(path)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0).strip()}"
        for m in _PYX_IMPORT.finditer(text)
    ]
    assert not found, "_speedups depends on nothing in ormcore:\n" + "\n".join(found)
