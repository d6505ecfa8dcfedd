"""The pure-Python twin of the compiled core (src/_speedups -> ormcore._core_c).

This is the readable specification: the Cython files mirror it name for name, and the
parity tests run both. It imports nothing else from ormcore. Only ormcore._core imports it.
"""

from .history import AttributeDescriptor
from .history import History
from .history import InstrumentedBase
from .history import get_history
from .history import instrumented_delattr
from .history import instrumented_setattr
from .history import set_committed_value
from .dehydrate import PLAIN_TYPES
from .dehydrate import insert_params
from .hydrate import RowLoader
from .identity import IdentityMap
from .row import BaseRow
from .row import RowIterator
from .row import make_rows
from .state import InstanceState
from .state import LoaderCallableStatus

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
]
