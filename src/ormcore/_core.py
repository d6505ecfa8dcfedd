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
    from ._core_py import BaseRow
    from ._core_py import RowIterator
    from ._core_py import make_rows
elif os.environ.get("ORMCORE_PURE_PYTHON", "") not in ("", "0"):
    from ._core_py import BaseRow
    from ._core_py import RowIterator
    from ._core_py import make_rows

    _why_pure = "ORMCORE_PURE_PYTHON is set"
elif platform.python_implementation() != "CPython":
    from ._core_py import BaseRow
    from ._core_py import RowIterator
    from ._core_py import make_rows

    _why_pure = f"the compiled core needs CPython, not {platform.python_implementation()}"
else:
    try:
        from ._core_c import BaseRow
        from ._core_c import RowIterator
        from ._core_c import make_rows
    except ImportError as err:
        from ._core_py import BaseRow
        from ._core_py import RowIterator
        from ._core_py import make_rows

        _why_pure = f"the compiled core did not import: {err}"

__all__ = ["BaseRow", "RowIterator", "make_rows", "has_speedups", "speedups_unavailable_reason"]


def has_speedups() -> bool:
    """True when the compiled core is in use."""
    return _why_pure is None


def speedups_unavailable_reason() -> Optional[str]:
    """Why the pure-Python core is in use, or None when the compiled one is."""
    return _why_pure
