"""Connection pooling, at the path SQLAlchemy users import it from (sqlalchemy.pool).

The engine creates one of these pools per Engine; users pick the class with
create_engine(poolclass=...) or build one with a creator function.
"""

from __future__ import annotations

from .base import ConnectionPoolEntry
from .base import ManagesConnection
from .base import Pool
from .base import PoolProxiedConnection
from .base import PoolResetState
from .base import ResetStyle
from .base import _AdhocProxiedConnection
from .base import _ConnectionFairy
from .base import _ConnectionRecord
from .base import _finalize_fairy
from .base import reset_commit
from .base import reset_none
from .base import reset_rollback
from .events import PoolEvents
from .impl import AssertionPool
from .impl import NullPool
from .impl import QueuePool
from .impl import SingletonThreadPool
from .impl import StaticPool

__all__ = [
    "AssertionPool",
    "ConnectionPoolEntry",
    "ManagesConnection",
    "NullPool",
    "Pool",
    "PoolEvents",
    "PoolProxiedConnection",
    "PoolResetState",
    "QueuePool",
    "ResetStyle",
    "SingletonThreadPool",
    "StaticPool",
    "_AdhocProxiedConnection",
    "_ConnectionFairy",
    "_ConnectionRecord",
    "_finalize_fairy",
    "reset_commit",
    "reset_none",
    "reset_rollback",
]
