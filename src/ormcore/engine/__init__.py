"""The engine layer, at the path SQLAlchemy users import it from (sqlalchemy.engine).

Engine and Connection execute statements over pooled DBAPI connections; results come back as
Result objects of Rows. Depends on ormcore.sql, never on ormcore.orm.
"""

from __future__ import annotations

from .base import Connection
from .base import Engine
from .base import NestedTransaction
from .base import OptionEngine
from .base import RootTransaction
from .base import Transaction
from .base import TwoPhaseTransaction
from .create import create_engine
from .cursor import CursorResult
from .default import DefaultDialect
from .default import DefaultExecutionContext
from .events import ConnectionEvents
from .events import ExceptionContextImpl as ExceptionContext
from .result import FrozenResult
from .result import IteratorResult
from .result import MappingResult
from .result import Result
from .result import ScalarResult
from .result import result_tuple
from .row import Row
from .row import RowMapping
from .url import URL
from .url import make_url

__all__ = [
    "Connection", "ConnectionEvents", "CursorResult", "DefaultDialect",
    "DefaultExecutionContext", "Engine", "ExceptionContext", "FrozenResult", "IteratorResult",
    "MappingResult", "NestedTransaction", "OptionEngine", "Result", "RootTransaction", "Row",
    "RowMapping", "ScalarResult", "Transaction", "TwoPhaseTransaction", "URL", "create_engine",
    "make_url", "result_tuple",
]
