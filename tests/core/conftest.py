"""Fixtures for the hot-core tests: the `core` fixture runs each test on both twins.

`core` is ormcore._core_py (id "py") or ormcore._core_c (id "c"). The compiled core is
skipped when it is not built, unless ORMCORE_REQUIRE_SPEEDUPS=1 (set by CI), which turns
that skip into a failure: a broken build must not pass by testing the twin twice.
"""

from __future__ import annotations

import importlib
import os
from types import ModuleType

import pytest

REQUIRE_SPEEDUPS = os.environ.get("ORMCORE_REQUIRE_SPEEDUPS") == "1"


def load_core(name: str) -> ModuleType:
    """ormcore._core_py for "py"; ormcore._core_c for "c", or skip / fail when it is not built."""
    if name == "py":
        return importlib.import_module("ormcore._core_py")
    try:
        return importlib.import_module("ormcore._core_c")
    except ImportError as err:
        if REQUIRE_SPEEDUPS:
            pytest.fail(f"ORMCORE_REQUIRE_SPEEDUPS=1 but ormcore._core_c did not import: {err}")
        pytest.skip(f"the compiled core is not built: {err}")


@pytest.fixture(params=["py", "c"], scope="session")
def core(request: pytest.FixtureRequest) -> ModuleType:
    """Each twin in turn: the pure-Python specification, then the compiled core."""
    return load_core(request.param)


@pytest.fixture(scope="session")
def core_c() -> ModuleType:
    """The compiled core alone, for checks of its C paths (reference counts, GC tracking)."""
    return load_core("c")


@pytest.fixture(scope="session")
def core_py() -> ModuleType:
    """The pure-Python twin: the specification the compiled core is compared with."""
    return load_core("py")
