"""Engine and connection events, as sqlalchemy.events.ConnectionEvents, and ExceptionContext.

Listeners go on an Engine (all its connections), on the Engine class (every engine), or on one
Connection. Pool events given an Engine are routed to its pool by ormcore.pool.events.
"""

from __future__ import annotations

from typing import Any
from typing import Callable
from typing import Optional

from .. import exc
from ..event import Events


class ConnectionEvents(Events):
    """Events of statement execution and transactions."""

    # what a before_* listener without retval=True returns: its arguments, unchanged
    _retval_events = {
        "before_execute": (1, 2, 3),  # (clauseelement, multiparams, params)
        "before_cursor_execute": (2, 3),  # (statement, parameters)
    }
    # SQLAlchemy drops listen(insert=True) for engine and connection events (its
    # ConnectionEvents._listen does not pass the flag on): listeners run in the order added.
    _honors_insert = False

    @classmethod
    def _accept_with(cls, target: Any, identifier: str) -> Any:
        from .base import Connection
        from .base import Engine

        if isinstance(target, type):
            if issubclass(target, Engine):
                return target
            if issubclass(target, Connection):
                # every Connection fires its Engine's listeners: the Engine class covers them all
                return Engine
            return None
        if isinstance(target, Connection) and identifier == "handle_error":
            raise exc.InvalidRequestError(
                "The handle_error() event hook as of SQLAlchemy 2.0 is established on the "
                "Dialect, and may only be applied to the Engine as a whole or to a specific "
                "Dialect as a whole, not on a per-Connection basis."
            )
        if isinstance(target, (Engine, Connection)):
            return target
        return None

    @classmethod
    def _wrap(cls, identifier: str, fn: Callable, retval: bool, named: bool, once: bool) -> Callable:
        if retval and identifier not in ("before_execute", "before_cursor_execute", "handle_error"):
            raise exc.ArgumentError(
                "Only the 'before_execute', 'before_cursor_execute' and 'handle_error' engine "
                "event listeners accept the 'retval=True' argument."
            )
        return super()._wrap(identifier, fn, retval, named, once)

    @classmethod
    def _dispatch_of(cls, target: Any) -> Any:
        from .base import Connection

        if isinstance(target, Connection) and target.dispatch is target.engine.dispatch:
            # the engine's listeners are shared; this connection gets its own on top
            target.dispatch = target.engine.dispatch._child()
        return target.dispatch

    def before_execute(self, conn, clauseelement, multiparams, params, execution_options):
        """Before a statement is executed (DDL elements included)."""

    def after_execute(self, conn, clauseelement, multiparams, params, execution_options, result):
        """After a statement was executed."""

    def before_cursor_execute(self, conn, cursor, statement, parameters, context, executemany):
        """Before the driver runs SQL; with retval=True return (statement, parameters)."""

    def after_cursor_execute(self, conn, cursor, statement, parameters, context, executemany):
        """After the driver ran SQL."""

    def handle_error(self, exception_context):
        """A statement or connection attempt raised; may return a replacement exception."""

    def engine_connect(self, conn):
        """A Connection was made from the engine."""

    def set_connection_execution_options(self, conn, opts):
        """Connection.execution_options() was called."""

    def set_engine_execution_options(self, engine, opts):
        """Engine.execution_options() made a new option engine."""

    def engine_disposed(self, engine):
        """Engine.dispose() replaced the pool."""

    def begin(self, conn):
        """A transaction began."""

    def rollback(self, conn):
        """A transaction is about to roll back."""

    def commit(self, conn):
        """A transaction is about to commit."""

    def savepoint(self, conn, name):
        """A SAVEPOINT is about to be taken."""

    def rollback_savepoint(self, conn, name, context):
        """About to roll back to a SAVEPOINT."""

    def release_savepoint(self, conn, name, context):
        """About to release a SAVEPOINT."""

    def begin_twophase(self, conn, xid):
        """A two-phase transaction began."""

    def prepare_twophase(self, conn, xid):
        """A two-phase transaction is about to prepare."""

    def rollback_twophase(self, conn, xid, is_prepared):
        """A two-phase transaction is about to roll back."""

    def commit_twophase(self, conn, xid, is_prepared):
        """A two-phase transaction is about to commit."""


class ExceptionContextImpl:
    """What a handle_error listener learns about a failure, and may change."""

    def __init__(
        self,
        exception: BaseException,
        sqlalchemy_exception: Optional[BaseException],
        chained_exception: Optional[BaseException],
        engine: Any,
        dialect: Any,
        connection: Any,
        cursor: Any,
        statement: Optional[str],
        parameters: Any,
        is_disconnect: bool,
        invalidate_pool_on_disconnect: bool,
        is_pre_ping: bool,
        execution_context: Any = None,
    ) -> None:
        self.original_exception = exception
        self.sqlalchemy_exception = sqlalchemy_exception
        self.chained_exception = chained_exception
        self.engine = engine
        self.dialect = dialect
        self.connection = connection
        self.cursor = cursor
        self.statement = statement
        self.parameters = parameters
        self.is_disconnect = is_disconnect
        self.invalidate_pool_on_disconnect = invalidate_pool_on_disconnect
        self.is_pre_ping = is_pre_ping
        self.execution_context = execution_context
