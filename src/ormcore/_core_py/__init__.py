"""The pure-Python twin of the compiled core (src/_speedups -> ormcore._core_c).

This is the readable specification: the Cython files mirror it name for name, and the
parity tests run both. It imports nothing else from ormcore. Only ormcore._core imports it.
"""

from .row import BaseRow
from .row import RowIterator
from .row import make_rows

__all__ = ["BaseRow", "RowIterator", "make_rows"]
