"""The one place that chooses between the compiled core (ormcore._core_c) and its pure twin.

Everything else imports the core's names from here. ORMCORE_PURE_PYTHON=1, or an interpreter
other than CPython, selects the twin; otherwise the compiled core is used when it imports.
"""

from __future__ import annotations

import os
import platform
from typing import TYPE_CHECKING
from typing import Optional

_why_pure: Optional[str] = None

if TYPE_CHECKING:
    from ._core_py import AttributeDescriptor
    from ._core_py import BaseRow
    from ._core_py import History
    from ._core_py import IdentityMap
    from ._core_py import InstanceState
    from ._core_py import InstrumentedBase
    from ._core_py import LoaderCallableStatus
    from ._core_py import RowIterator
    from ._core_py import RowLoader
    from ._core_py import get_history
    from ._core_py import instrumented_delattr
    from ._core_py import instrumented_setattr
    from ._core_py import make_rows
    from ._core_py import set_committed_value
elif os.environ.get("ORMCORE_PURE_PYTHON", "") not in ("", "0"):
    from ._core_py import AttributeDescriptor
    from ._core_py import BaseRow
    from ._core_py import History
    from ._core_py import IdentityMap
    from ._core_py import InstanceState
    from ._core_py import InstrumentedBase
    from ._core_py import LoaderCallableStatus
    from ._core_py import RowIterator
    from ._core_py import RowLoader
    from ._core_py import get_history
    from ._core_py import instrumented_delattr
    from ._core_py import instrumented_setattr
    from ._core_py import make_rows
    from ._core_py import set_committed_value

    _why_pure = "ORMCORE_PURE_PYTHON is set"
elif platform.python_implementation() != "CPython":
    from ._core_py import AttributeDescriptor
    from ._core_py import BaseRow
    from ._core_py import History
    from ._core_py import IdentityMap
    from ._core_py import InstanceState
    from ._core_py import InstrumentedBase
    from ._core_py import LoaderCallableStatus
    from ._core_py import RowIterator
    from ._core_py import RowLoader
    from ._core_py import get_history
    from ._core_py import instrumented_delattr
    from ._core_py import instrumented_setattr
    from ._core_py import make_rows
    from ._core_py import set_committed_value

    _why_pure = f"the compiled core needs CPython, not {platform.python_implementation()}"
else:
    try:
        from ._core_c import AttributeDescriptor
        from ._core_c import BaseRow
        from ._core_c import History
        from ._core_c import IdentityMap
        from ._core_c import InstanceState
        from ._core_c import InstrumentedBase
        from ._core_c import LoaderCallableStatus
        from ._core_c import RowIterator
        from ._core_c import RowLoader
        from ._core_c import get_history
        from ._core_c import instrumented_delattr
        from ._core_c import instrumented_setattr
        from ._core_c import make_rows
        from ._core_c import set_committed_value
    except ImportError as err:
        from ._core_py import AttributeDescriptor
        from ._core_py import BaseRow
        from ._core_py import History
        from ._core_py import IdentityMap
        from ._core_py import InstanceState
        from ._core_py import InstrumentedBase
        from ._core_py import LoaderCallableStatus
        from ._core_py import RowIterator
        from ._core_py import RowLoader
        from ._core_py import get_history
        from ._core_py import instrumented_delattr
        from ._core_py import instrumented_setattr
        from ._core_py import make_rows
        from ._core_py import set_committed_value

        _why_pure = f"the compiled core did not import: {err}"

__all__ = [
    "AttributeDescriptor",
    "BaseRow",
    "History",
    "IdentityMap",
    "InstanceState",
    "InstrumentedBase",
    "LoaderCallableStatus",
    "RowIterator",
    "RowLoader",
    "get_history",
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
