"""The pool's events, as sqlalchemy.pool.events.PoolEvents: connect, first_connect, checkout,
checkin, reset, invalidate, soft_invalidate, close, detach, close_detached.

Listeners may be registered on a pool, on a pool class (all its pools), on an Engine (its
current pool, and the pools its dispose() recreates) or on the Engine class (every pool).
base.py and impl.py fire them; this module only declares them and routes targets.
"""

from __future__ import annotations

from typing import Any
from typing import Optional

from ..event.base import Events
from .base import ConnectionPoolEntry
from .base import Pool
from .base import PoolProxiedConnection
from .base import PoolResetState

__all__ = ["PoolEvents"]


def _is_engine_class(cls: type) -> bool:
    # by name, so that the pool need not import the engine that sits above it
    return any(
        klass.__name__ == "Engine" and klass.__module__.startswith("ormcore.engine")
        for klass in cls.__mro__
    )


class PoolEvents(Events):
    """Events of a connection pool; see each method for its listener's arguments."""

    _target_class = Pool

    @classmethod
    def _accept_with(cls, target: Any, identifier: str) -> Any:
        if isinstance(target, type):
            if issubclass(target, Pool):
                return target
            if _is_engine_class(target):
                return Pool
            return None
        if isinstance(target, Pool):
            return target
        try:
            pool = target.pool  # an Engine: listen on its pool
        except Exception:
            return None
        return pool if isinstance(pool, Pool) else None

    def connect(self, dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
        """A DBAPI connection was just created for `connection_record`."""

    def first_connect(self, dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
        """The pool created its first DBAPI connection (fires once per pool, before connect)."""

    def checkout(
        self,
        dbapi_connection: Any,
        connection_record: ConnectionPoolEntry,
        connection_proxy: PoolProxiedConnection,
    ) -> None:
        """A connection is being checked out. Raise DisconnectionError to have the pool discard
        it and try a fresh connection instead."""

    def checkin(
        self, dbapi_connection: Optional[Any], connection_record: ConnectionPoolEntry
    ) -> None:
        """A connection came back to the pool (`dbapi_connection` is None if it was
        invalidated)."""

    def reset(
        self,
        dbapi_connection: Any,
        connection_record: Optional[ConnectionPoolEntry],
        reset_state: PoolResetState,
    ) -> None:
        """A returned connection is about to be reset (rolled back or committed, per the pool's
        reset_on_return)."""

    def invalidate(
        self,
        dbapi_connection: Any,
        connection_record: ConnectionPoolEntry,
        exception: Optional[BaseException],
    ) -> None:
        """A DBAPI connection is about to be closed because it was invalidated."""

    def soft_invalidate(
        self,
        dbapi_connection: Any,
        connection_record: ConnectionPoolEntry,
        exception: Optional[BaseException],
    ) -> None:
        """A DBAPI connection was soft-invalidated: it is replaced at its next checkout."""

    def close(self, dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
        """A pooled DBAPI connection is about to be closed."""

    def detach(self, dbapi_connection: Any, connection_record: ConnectionPoolEntry) -> None:
        """A DBAPI connection was detached from its pool record."""

    def close_detached(self, dbapi_connection: Any) -> None:
        """A detached DBAPI connection is about to be closed."""
