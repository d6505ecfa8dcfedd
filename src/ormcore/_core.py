"""The one place that chooses between the compiled core (ormcore._core_c) and its pure twin.

Everything else imports the core's names from here. ORMCORE_PURE_PYTHON=1, or an interpreter
other than CPython, selects the twin; otherwise the compiled core is used when it imports.
Type checkers read the twin.
"""

from __future__ import annotations

import os
import platform
from types import ModuleType
from typing import TYPE_CHECKING
from typing import Optional


def _load() -> tuple[ModuleType, Optional[str]]:
    """The core module to use, and why it is the pure one (None when it is compiled)."""
    if os.environ.get("ORMCORE_PURE_PYTHON", "") not in ("", "0"):
        reason = "ORMCORE_PURE_PYTHON is set"
    elif platform.python_implementation() != "CPython":
        reason = f"the compiled core needs CPython, not {platform.python_implementation()}"
    else:
        try:
            from . import _core_c

            return _core_c, None
        except ImportError as err:
            reason = f"the compiled core did not import: {err}"
    from . import _core_py

    return _core_py, reason


_impl, _why_pure = _load()

if TYPE_CHECKING:
    from ._core_py import AttributeDescriptor
    from ._core_py import BaseRow
    from ._core_py import History
    from ._core_py import IdentityMap
    from ._core_py import InstanceState
    from ._core_py import InstrumentedBase
    from ._core_py import PLAIN_TYPES
    from ._core_py import LoaderCallableStatus
    from ._core_py import RowIterator
    from ._core_py import RowLoader
    from ._core_py import get_history
    from ._core_py import insert_params
    from ._core_py import instrumented_delattr
    from ._core_py import instrumented_setattr
    from ._core_py import make_rows
    from ._core_py import set_committed_value
else:
    AttributeDescriptor = _impl.AttributeDescriptor
    BaseRow = _impl.BaseRow
    History = _impl.History
    IdentityMap = _impl.IdentityMap
    InstanceState = _impl.InstanceState
    InstrumentedBase = _impl.InstrumentedBase
    LoaderCallableStatus = _impl.LoaderCallableStatus
    PLAIN_TYPES = _impl.PLAIN_TYPES
    RowIterator = _impl.RowIterator
    RowLoader = _impl.RowLoader
    get_history = _impl.get_history
    insert_params = _impl.insert_params
    instrumented_delattr = _impl.instrumented_delattr
    instrumented_setattr = _impl.instrumented_setattr
    make_rows = _impl.make_rows
    set_committed_value = _impl.set_committed_value

__all__ = [
    "AttributeDescriptor",
    "BaseRow",
    "History",
    "IdentityMap",
    "InstanceState",
    "InstrumentedBase",
    "LoaderCallableStatus",
    "PLAIN_TYPES",
    "RowIterator",
    "RowLoader",
    "get_history",
    "insert_params",
    "instrumented_delattr",
    "instrumented_setattr",
    "make_rows",
    "set_committed_value",
    "has_speedups",
    "speedups_unavailable_reason",
]


def has_speedups() -> bool:
    """True when the compiled core is in use."""
    return _why_pure is None


def speedups_unavailable_reason() -> Optional[str]:
    """Why the pure-Python core is in use, or None when the compiled one is."""
    return _why_pure
