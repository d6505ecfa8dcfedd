"""The Session's transaction and connection layer, and the factories that make Sessions.

A Session holds at most one stack of `SessionTransaction` objects: a root (begun by
`begin()` or by autobegin on first use), SAVEPOINTs above it (`begin_nested()`) and short
internal "subtransactions" that a flush runs in. The root owns one Connection and one
engine-level transaction per bind it has used; a SAVEPOINT begins a SAVEPOINT on every one
of them it touches. Commit flushes, (with `twophase=True`) prepares every connection, then
commits each; a failure inside a flush deactivates the whole stack, and the Session raises
`PendingRollbackError` until `rollback()`.

Semantics, names and messages are SQLAlchemy 2.x's (`sqlalchemy.orm.session`). The object
bookkeeping (identity map, new / deleted collections, snapshots restored on rollback and
expired on commit) is laid out here so that the mapping layer's add / get / flush / merge /
expunge / refresh / expire slot into it: see `Session._flush` and `_execute_internal`,
the two extension points the unit of work and ORM-enabled statements fill in.
"""

from __future__ import annotations

import contextlib
import enum
import itertools
import sys
import types
import warnings
import weakref
from typing import TYPE_CHECKING
from typing import Any
from typing import Iterable
from typing import Iterator
from typing import Literal
from typing import Optional
from typing import Union

from .. import exc
from .._core import IdentityMap
from ..engine.base import Connection
from ..engine.base import Engine
from ..event import Events
from ..event.base import Dispatch
from ..sql.selectable import TableClause
from .base import class_mapper
from .base import gc_paused
from .base import object_mapper
from .base import _state_or_none
from .base import object_state
from .base import state_str
from .bulk_persistence import execute_dml
from .loading import execute_orm
from .loading import load_on_pk_identity

if TYPE_CHECKING:
    from ..engine.base import Transaction

__all__ = [
    "ACTIVE",
    "CLOSED",
    "COMMITTED",
    "DEACTIVE",
    "JoinTransactionMode",
    "PREPARED",
    "Session",
    "SessionEvents",
    "SessionTransaction",
    "SessionTransactionOrigin",
    "SessionTransactionState",
    "close_all_sessions",
    "make_transient",
    "make_transient_to_detached",
    "object_session",
    "sessionmaker",
]

JoinTransactionMode = Literal[
    "conditional_savepoint", "create_savepoint", "control_fully", "rollback_only"
]
_JOIN_MODES = ("conditional_savepoint", "create_savepoint", "control_fully", "rollback_only")

# every open Session by its hash_key, for object_session() and close_all_sessions()
_sessions: "weakref.WeakValueDictionary[int, Session]" = weakref.WeakValueDictionary()
_new_sessionid = itertools.count(1).__next__


def _with_code(err: exc.SQLAlchemyError, code: str) -> exc.SQLAlchemyError:
    """`err` carrying SQLAlchemy's error code (sqlalche.me/e/<code>), as SQLAlchemy's does."""
    err.code = code
    return err


class SessionTransactionState(enum.Enum):
    """The states of a SessionTransaction, as SQLAlchemy names them."""

    ACTIVE = 1
    PREPARED = 2
    COMMITTED = 3
    DEACTIVE = 4
    CLOSED = 5
    PROVISIONING_CONNECTION = 6


# the module-level names SQLAlchemy keeps for backwards compatibility
ACTIVE, PREPARED, COMMITTED, DEACTIVE, CLOSED, PROVISIONING_CONNECTION = tuple(SessionTransactionState)


class SessionTransactionOrigin(enum.Enum):
    """What started a SessionTransaction (its `.origin`)."""

    AUTOBEGIN = 0
    BEGIN = 1
    BEGIN_NESTED = 2
    SUBTRANSACTION = 3


class _SessionCloseState(enum.Enum):
    ACTIVE = 1
    CLOSED = 2
    CLOSE_IS_RESET = 3


class SessionEvents(Events):
    """Transaction events of a Session, as sqlalchemy.orm.SessionEvents.

    Listeners go on a Session, a Session class (every instance of it and its subclasses), a
    sessionmaker (the sessions it makes) or a scoped_session (its factory's sessions). Flush,
    object-state and execute events arrive with the unit of work."""

    @classmethod
    def _accept_with(cls, target: Any, identifier: str) -> Any:
        from .scoping import scoped_session

        if isinstance(target, scoped_session):
            target = target.session_factory
            if not isinstance(target, sessionmaker):
                raise exc.ArgumentError(
                    "Session event listen on a scoped_session requires that its creation "
                    "callable is associated with the Session class."
                )
        if isinstance(target, sessionmaker):
            return target.class_
        if isinstance(target, type):
            return target if issubclass(target, Session) else None
        return target if isinstance(target, Session) else None

    def after_transaction_create(self, session, transaction):
        """A SessionTransaction (root, savepoint or subtransaction) was created."""

    def after_transaction_end(self, session, transaction):
        """A SessionTransaction ended (committed, rolled back or closed)."""

    def after_begin(self, session, transaction, connection):
        """A transaction began on a connection the session procured."""

    def before_commit(self, session):
        """Before a commit (before its final flush)."""

    def after_commit(self, session):
        """After the database transactions committed."""

    def after_rollback(self, session):
        """After a real database rollback."""

    def after_soft_rollback(self, session, previous_transaction):
        """After any rollback() of a SessionTransaction, database rollback or not."""


class SessionTransaction:
    """One level of a Session's transaction stack: the root, a SAVEPOINT, or a subtransaction.

    Used as a context manager (`with session.begin():`), it commits at the end of the block,
    or rolls back when the block raised."""

    nested: bool = False
    _rollback_exception: Optional[BaseException] = None

    def __init__(
        self,
        session: "Session",
        origin: SessionTransactionOrigin,
        parent: Optional["SessionTransaction"] = None,
    ) -> None:
        session._trans_ctx_check()
        self.session = session
        # bind (Engine or Connection) and its Connection ->
        #     (connection, engine transaction, should_commit, autoclose)
        self._connections: dict = {}
        self._parent = parent
        self.nested = nested = origin is SessionTransactionOrigin.BEGIN_NESTED
        self.origin = origin
        self._outer_trans_ctx: Optional[SessionTransaction] = None
        self._in_context = False
        if session._close_state is _SessionCloseState.CLOSED:
            raise exc.InvalidRequestError(
                "This Session has been permanently closed and is unable to handle any more "
                "transaction requests."
            )
        if nested:
            if parent is None:
                raise exc.InvalidRequestError(
                    "Can't start a SAVEPOINT transaction when no existing transaction is in "
                    "progress"
                )
            self._previous_nested_transaction = session._nested_transaction
        self._state = SessionTransactionState.ACTIVE
        self._take_snapshot()
        session._transaction = self
        for fn in session.dispatch.after_transaction_create:
            fn(session, self)

    # -- state --------------------------------------------------------------------------------

    @property
    def parent(self) -> Optional["SessionTransaction"]:
        """The enclosing transaction; None for the root (the real COMMIT / ROLLBACK)."""
        return self._parent

    @property
    def is_active(self) -> bool:
        return self.session is not None and self._state is SessionTransactionState.ACTIVE

    @property
    def _is_transaction_boundary(self) -> bool:
        return self.nested or self._parent is None

    @property
    def _connections_boundary(self) -> "SessionTransaction":
        trans = self
        while not trans._is_transaction_boundary:
            trans = trans._parent  # type: ignore[assignment]
        return trans

    @property
    def connections(self) -> frozenset:
        """The Connections acquired so far (a savepoint: those it used itself)."""
        return frozenset(entry[0] for entry in self._connections_boundary._connections.values())

    def bound_connection(self, bindkey: Any = None, **kw: Any) -> Connection:
        """The Connection already acquired for `bindkey`, without acquiring one."""
        bind = self.session.get_bind(bindkey, **kw)
        entry = self._connections_boundary._connections.get(bind)
        if entry is None:
            raise exc.InvalidRequestError(
                f"This transaction has not acquired a connection for bind {bind!r}"
            )
        return entry[0]

    def _require_state(self, operation: str, *allowed: SessionTransactionState) -> None:
        state = self._state
        if state in allowed:
            return
        if state is SessionTransactionState.DEACTIVE:
            if self._rollback_exception is not None:
                raise _with_code(exc.PendingRollbackError(
                    "This Session's transaction has been rolled back due to a previous "
                    "exception during flush. To begin a new transaction with this Session, "
                    "first issue Session.rollback(). Original exception was: "
                    f"{self._rollback_exception}"
                ), "7s2a")
            raise exc.InvalidRequestError(
                "This session is in 'inactive' state, due to the SQL transaction being "
                "rolled back; no further SQL can be emitted within this transaction."
            )
        if state is SessionTransactionState.CLOSED:
            raise exc.ResourceClosedError("This transaction is closed")
        if state is SessionTransactionState.PROVISIONING_CONNECTION:
            raise _with_code(exc.InvalidRequestError(
                "This session is provisioning a new connection; concurrent operations are "
                "not permitted"
            ), "isce")
        raise exc.InvalidRequestError(
            f"This session is in '{state.name.lower()}' state; no further SQL can be emitted "
            "within this transaction."
        )

    def _iterate_self_and_parents(self, upto: Optional["SessionTransaction"] = None) -> tuple:
        current: Optional[SessionTransaction] = self
        result: tuple = ()
        while current is not None:
            result += (current,)
            if current._parent is upto:
                break
            if current._parent is None:
                raise exc.InvalidRequestError(
                    f"Transaction {upto} is not on the active transaction list"
                )
            current = current._parent
        return result

    # -- beginning ----------------------------------------------------------------------------

    def _begin(self, nested: bool = False) -> "SessionTransaction":
        self._require_state("_begin", SessionTransactionState.ACTIVE)
        origin = (SessionTransactionOrigin.BEGIN_NESTED if nested
                  else SessionTransactionOrigin.SUBTRANSACTION)
        return SessionTransaction(self.session, origin, self)

    # -- the object snapshot: what a rollback restores and a commit expires -------------------

    def _take_snapshot(self) -> None:
        if not self._is_transaction_boundary:
            parent = self._parent
            self._new = parent._new  # type: ignore[union-attr]
            self._deleted = parent._deleted  # type: ignore[union-attr]
            self._dirty = parent._dirty  # type: ignore[union-attr]
            self._key_switches = parent._key_switches  # type: ignore[union-attr]
            return
        if self.nested and not self.session._flushing:
            # a SAVEPOINT starts from a flushed state, so rolling it back undoes only what
            # happened inside it
            self.session.flush()
        # keyed by InstanceState, which is itself the weak reference to its instance (and
        # cannot be weakly referenced): these hold states, never instances
        self._new: dict = {}
        self._deleted: dict = {}
        self._dirty: dict = {}
        self._key_switches: dict = {}

    def _restore_snapshot(self, dirty_only: bool = False) -> None:
        """After a rollback: pending objects become transient again, deletions are undone,
        and loaded state (of a savepoint: only what changed inside it) is expired."""
        session = self.session
        to_expunge = set(self._new).union(session._new)
        session._expunge_states(to_expunge, to_transient=True)
        identity_map = session.identity_map
        for state, (old_key, _new_key) in self._key_switches.items():
            identity_map.discard(state)
            state.key = old_key
            if state not in to_expunge:
                identity_map.replace(state)
        for state in set(self._deleted).union(session._deleted):
            session._revert_deletion(state)
        for state in identity_map.all_states():
            if not dirty_only or state.modified or state in self._dirty:
                state._expire()

    def _remove_snapshot(self) -> None:
        """After a commit: everything loaded is expired (expire_on_commit), deleted objects
        are detached; a released SAVEPOINT hands its records to its parent."""
        session = self.session
        if not self.nested and session.expire_on_commit:
            states = session.identity_map.all_states()
            with gc_paused(len(states)):
                for state in states:
                    state._expire()
            session._detach_states(list(self._deleted))
            self._deleted.clear()
        elif self.nested:
            parent = self._parent
            parent._new.update(self._new)  # type: ignore[union-attr]
            parent._dirty.update(self._dirty)  # type: ignore[union-attr]
            parent._deleted.update(self._deleted)  # type: ignore[union-attr]
            parent._key_switches.update(self._key_switches)  # type: ignore[union-attr]

    # -- connections --------------------------------------------------------------------------

    def connection(self, bindkey: Any, execution_options: Optional[dict] = None, **kw: Any) -> Connection:
        self._require_state("connection", SessionTransactionState.ACTIVE)
        bind = self.session.get_bind(bindkey, **kw)
        return self._connection_for_bind(bind, execution_options)

    def _connection_for_bind(self, bind: Union[Engine, Connection], execution_options: Optional[dict]) -> Connection:
        # every statement of the session passes here: the connection already in use first
        found = self._connections.get(bind)
        if (found is not None and not execution_options
                and self._state is SessionTransactionState.ACTIVE):
            return found[0]
        self._require_state("_connection_for_bind", SessionTransactionState.ACTIVE)
        if bind in self._connections:
            if execution_options:
                warnings.warn(
                    "Connection is already established for the given bind; execution_options "
                    "ignored", exc.SAWarning, stacklevel=3,
                )
            return self._connections[bind][0]
        self._state = SessionTransactionState.PROVISIONING_CONNECTION
        local_connect = False
        should_commit = True
        try:
            if self._parent is not None:
                conn = self._parent._connection_for_bind(bind, execution_options)
                if not self.nested:
                    return conn
            elif isinstance(bind, Connection):
                conn = bind
                if conn.engine in self._connections:
                    raise exc.InvalidRequestError(
                        "Session already has a Connection associated for the given "
                        "Connection's Engine"
                    )
            else:
                conn = bind.connect()
                local_connect = True
            try:
                if self._parent is None:
                    options = dict(self.session.execution_options)
                    if execution_options:
                        options.update(execution_options)
                    if options:
                        conn = conn.execution_options(**options)
                transaction: Transaction
                if self.session.twophase and self._parent is None:
                    transaction = conn.begin_twophase()
                elif self.nested:
                    transaction = conn.begin_nested()
                elif conn.in_transaction():
                    if local_connect:
                        transaction = conn.get_transaction()  # type: ignore[assignment]
                    else:
                        transaction, should_commit = self._join_external(conn)
                else:
                    transaction = conn.begin()
            except BaseException:
                # not kept by this Session: close it now, not when it is collected
                if local_connect:
                    conn.close()
                raise
            autoclose = not isinstance(bind, Connection)
            self._connections[conn] = self._connections[conn.engine] = (
                conn, transaction, should_commit, autoclose,
            )
            for fn in self.session.dispatch.after_begin:
                fn(self.session, self, conn)
            return conn
        finally:
            self._state = SessionTransactionState.ACTIVE

    def _join_external(self, conn: Connection) -> tuple:
        """The engine transaction this Session uses on a Connection that arrived already in
        a transaction, per join_transaction_mode; and whether commit() reaches it."""
        mode = self.session.join_transaction_mode
        if mode == "conditional_savepoint":
            mode = "create_savepoint" if conn.in_nested_transaction() else "rollback_only"
        if mode == "create_savepoint":
            return conn.begin_nested(), True
        # control_fully / rollback_only: the innermost transaction in progress becomes ours
        trans = conn.get_nested_transaction() if conn.in_nested_transaction() else conn.get_transaction()
        return trans, mode == "control_fully"

    # -- ending -------------------------------------------------------------------------------

    def prepare(self) -> None:
        """The first phase of a two-phase commit: flush, then PREPARE on every connection."""
        if self._parent is not None or not self.session.twophase:
            raise exc.InvalidRequestError(
                "'twophase' mode not enabled, or not root transaction; can't prepare."
            )
        self._prepare_impl()

    def _prepare_impl(self) -> None:
        self._require_state("_prepare_impl", SessionTransactionState.ACTIVE)
        session = self.session
        if self._parent is None or self.nested:
            for fn in session.dispatch.before_commit:
                fn(session)
        current = session._transaction
        if current is not self:
            for subtransaction in current._iterate_self_and_parents(upto=self):  # type: ignore[union-attr]
                subtransaction.commit()
        if not session._flushing:
            for _guard in range(100):
                if session._is_clean():
                    break
                session.flush()
            else:
                from .exc import FlushError  # the mapping layer's; only it can get here

                raise FlushError(
                    "Over 100 subsequent flushes have occurred within session.commit() - is "
                    "an after_flush() hook creating new objects?"
                )
        if self._parent is None and session.twophase:
            try:
                for entry in set(self._connections.values()):
                    entry[1].prepare()
            except BaseException:
                with contextlib.suppress(Exception):
                    self.rollback()
                raise
        self._state = SessionTransactionState.PREPARED

    def commit(self, _to_root: bool = False) -> None:
        self._require_state("commit", SessionTransactionState.ACTIVE, SessionTransactionState.PREPARED)
        if self._state is not SessionTransactionState.PREPARED:
            self._prepare_impl()
        session = self.session
        if self._parent is None or self.nested:
            for _conn, trans, should_commit, _autoclose in set(self._connections.values()):
                if should_commit:
                    trans.commit()
            self._state = SessionTransactionState.COMMITTED
            for fn in session.dispatch.after_commit:
                fn(session)
            self._remove_snapshot()
        self.close()
        if _to_root and self._parent is not None:
            self._parent.commit(_to_root=True)

    def rollback(self, _capture_exception: bool = False, _to_root: bool = False) -> None:
        self._require_state(
            "rollback", SessionTransactionState.ACTIVE, SessionTransactionState.DEACTIVE,
            SessionTransactionState.PREPARED,
        )
        session = self.session
        current = session._transaction
        if current is not self:
            for subtransaction in current._iterate_self_and_parents(upto=self):  # type: ignore[union-attr]
                subtransaction.close()
        boundary = self
        rollback_err = None
        if self._state in (SessionTransactionState.ACTIVE, SessionTransactionState.PREPARED):
            for transaction in self._iterate_self_and_parents():
                if transaction._parent is None or transaction.nested:
                    try:
                        for entry in set(transaction._connections.values()):
                            entry[1].rollback()
                        transaction._state = SessionTransactionState.DEACTIVE
                        for fn in session.dispatch.after_rollback:
                            fn(session)
                    except BaseException:
                        rollback_err = sys.exc_info()
                    finally:
                        transaction._state = SessionTransactionState.DEACTIVE
                        transaction._restore_snapshot(dirty_only=transaction.nested)
                    boundary = transaction
                    break
                # a subtransaction: deactivated, the rollback goes on to its parent
                transaction._state = SessionTransactionState.DEACTIVE
        if rollback_err is None and not session._is_clean():
            warnings.warn(
                "Session's state has been changed on a non-active transaction - this state "
                "will be discarded.", exc.SAWarning, stacklevel=3,
            )
            boundary._restore_snapshot(dirty_only=boundary.nested)
        self.close()
        if self._parent is not None and _capture_exception:
            self._parent._rollback_exception = sys.exc_info()[1]
        if rollback_err is not None and rollback_err[1] is not None:
            raise rollback_err[1].with_traceback(rollback_err[2])
        for fn in session.dispatch.after_soft_rollback:
            fn(session, self)
        if _to_root and self._parent is not None:
            self._parent.rollback(_to_root=True)

    def close(self, invalidate: bool = False) -> None:
        session = self.session
        if self.nested:
            session._nested_transaction = self._previous_nested_transaction
        session._transaction = self._parent
        for connection, transaction, should_commit, autoclose in set(self._connections.values()):
            if invalidate and self._parent is None:
                connection.invalidate()
            if should_commit and transaction.is_active:
                transaction.close()
            if autoclose and self._parent is None:
                connection.close()
        self._state = SessionTransactionState.CLOSED
        for fn in session.dispatch.after_transaction_end:
            fn(session, self)

    # -- context manager (SQLAlchemy's TransactionalContext) ----------------------------------

    def __enter__(self) -> "SessionTransaction":
        session = self.session
        self._outer_trans_ctx = session._trans_context_manager
        self._in_context = True
        session._trans_context_manager = self
        return self

    def __exit__(self, type_: Any, value: Any, traceback: Any) -> None:
        session = self.session
        out_of_band = not self._in_context or session._trans_context_manager is not self
        try:
            if type_ is None and self._state is SessionTransactionState.ACTIVE:
                try:
                    self.commit()
                except BaseException:
                    if self._state not in (SessionTransactionState.COMMITTED, SessionTransactionState.CLOSED):
                        with contextlib.suppress(Exception):
                            self.rollback()
                    raise
            elif self._state is not SessionTransactionState.ACTIVE:
                if self._state is not SessionTransactionState.CLOSED:
                    self.close()
            elif self._state not in (SessionTransactionState.COMMITTED, SessionTransactionState.CLOSED):
                self.rollback()
        finally:
            if not out_of_band:
                session._trans_context_manager = self._outer_trans_ctx
            self._in_context = False
            self._outer_trans_ctx = None

    def __repr__(self) -> str:
        return (f"<{type(self).__name__} at {id(self):#x}; {self._state.name}, "
                f"origin={self.origin.name}, nested={self.nested}>")


class Session:
    """Manages persistence of ORM-mapped objects, and the transactions it runs them in.

    Not safe for concurrent use by several threads: give each thread its own (see
    scoped_session)."""

    _trans_context_manager: Optional[SessionTransaction] = None
    execution_options: Any = types.MappingProxyType({})

    def __init__(
        self,
        bind: Optional[Union[Engine, Connection]] = None,
        *,
        autoflush: bool = True,
        future: Literal[True] = True,
        expire_on_commit: bool = True,
        autobegin: bool = True,
        twophase: bool = False,
        binds: Optional[dict] = None,
        enable_baked_queries: bool = True,
        info: Optional[dict] = None,
        query_cls: Optional[type] = None,
        autocommit: Literal[False] = False,
        join_transaction_mode: JoinTransactionMode = "conditional_savepoint",
        close_resets_only: Optional[bool] = None,
        execution_options: Optional[dict] = None,
    ) -> None:
        if autocommit:
            raise exc.ArgumentError("autocommit=True is no longer supported")
        if not future:
            raise exc.ArgumentError(
                "The 'future' parameter passed to Session() may only be set to True."
            )
        self.identity_map = IdentityMap()
        # pending and deleted objects: state -> instance (held strongly until flushed)
        self._new: dict = {}
        self._deleted: dict = {}
        self.bind = bind
        self.binds: Any = types.MappingProxyType({})
        self._flushing = False
        self._transaction: Optional[SessionTransaction] = None
        self._nested_transaction: Optional[SessionTransaction] = None
        self.hash_key = _new_sessionid()
        self.autobegin = autobegin
        self.autoflush = autoflush
        self.expire_on_commit = expire_on_commit
        self.enable_baked_queries = enable_baked_queries
        if execution_options:
            self.execution_options = types.MappingProxyType(dict(execution_options))
        if close_resets_only is None or close_resets_only is True:
            self._close_state = _SessionCloseState.CLOSE_IS_RESET
        else:
            self._close_state = _SessionCloseState.ACTIVE
        if join_transaction_mode and join_transaction_mode not in _JOIN_MODES:
            raise exc.ArgumentError(
                f'invalid selection for join_transaction_mode: "{join_transaction_mode}"'
            )
        self.join_transaction_mode = join_transaction_mode
        self.twophase = twophase
        self._query_cls = query_cls
        self.dispatch = Dispatch(type(self))
        if info:
            self.info.update(info)
        if binds is not None:
            for key, value in binds.items():
                self._add_bind(key, value)
        _sessions[self.hash_key] = self

    # -- context manager ----------------------------------------------------------------------

    def __enter__(self) -> "Session":
        return self

    def __exit__(self, type_: Any, value: Any, traceback: Any) -> None:
        self.close()

    @contextlib.contextmanager
    def _maker_context_manager(self) -> Iterator["Session"]:
        with self:
            with self.begin():
                yield self

    def _trans_ctx_check(self) -> None:
        ctx = self._trans_context_manager
        if ctx is not None and ctx._state is not SessionTransactionState.ACTIVE:
            rollback_exc = ctx._rollback_exception
            raise exc.InvalidRequestError(
                "Can't operate on closed transaction inside context manager.  "
                + (f"The transaction was rolled back due to an exception: {rollback_exc}.  "
                   if rollback_exc is not None else "")
                + "Please complete the context manager before emitting further commands."
            )

    # -- info and state -----------------------------------------------------------------------

    @property
    def info(self) -> dict:
        """A user dictionary local to this Session (sessionmaker's `info` is copied in)."""
        try:
            return self.__dict__["info"]
        except KeyError:
            info = self.__dict__["info"] = {}
            return info

    @property
    def is_active(self) -> bool:
        """False only while a failed transaction awaits rollback()."""
        return self._transaction is None or self._transaction.is_active

    def in_transaction(self) -> bool:
        return self._transaction is not None

    def in_nested_transaction(self) -> bool:
        return self._nested_transaction is not None

    def get_transaction(self) -> Optional[SessionTransaction]:
        """The root transaction in progress, if any."""
        trans = self._transaction
        while trans is not None and trans._parent is not None:
            trans = trans._parent
        return trans

    def get_nested_transaction(self) -> Optional[SessionTransaction]:
        """The innermost SAVEPOINT transaction in progress, if any."""
        return self._nested_transaction

    # -- transactions -------------------------------------------------------------------------

    def _autobegin_t(self, begin: bool = False) -> SessionTransaction:
        if self._transaction is None:
            if not begin and not self.autobegin:
                raise exc.InvalidRequestError(
                    "Autobegin is disabled on this Session; please call session.begin() to "
                    "start a new transaction"
                )
            origin = SessionTransactionOrigin.BEGIN if begin else SessionTransactionOrigin.AUTOBEGIN
            return SessionTransaction(self, origin)
        return self._transaction

    def begin(self, nested: bool = False) -> SessionTransaction:
        """Begin the transaction (an error if one is in progress), or with nested=True a
        SAVEPOINT; usable as a context manager that commits at its end."""
        trans = self._transaction
        if trans is None:
            trans = self._autobegin_t(begin=True)
            if not nested:
                return trans
        if not nested:
            raise exc.InvalidRequestError("A transaction is already begun on this Session.")
        trans = trans._begin(nested=True)
        self._nested_transaction = trans
        return trans

    def begin_nested(self) -> SessionTransaction:
        """A SAVEPOINT on every connection the session uses within it."""
        return self.begin(nested=True)

    def commit(self) -> None:
        """Flush, then commit the root transaction (and every SAVEPOINT inside it)."""
        trans = self._transaction
        if trans is None:
            trans = self._autobegin_t()
        trans.commit(_to_root=True)

    def rollback(self) -> None:
        """Roll back the root transaction, discarding SAVEPOINTs; a no-op when none."""
        if self._transaction is not None:
            self._transaction.rollback(_to_root=True)

    def prepare(self) -> None:
        """Prepare the two-phase transaction (twophase=True only)."""
        trans = self._transaction
        if trans is None:
            trans = self._autobegin_t()
        trans.prepare()

    def close(self) -> None:
        """Expunge every object and end the transaction, releasing the connections. The
        Session may be used again unless close_resets_only=False."""
        self._close_impl(invalidate=False)

    def reset(self) -> None:
        """As close(), but the Session is always usable afterwards."""
        self._close_impl(invalidate=False, is_reset=True)

    def invalidate(self) -> None:
        """As close(), invalidating the connections instead of returning them to the pool."""
        self._close_impl(invalidate=True)

    def _close_impl(self, invalidate: bool, is_reset: bool = False) -> None:
        if not is_reset and self._close_state is _SessionCloseState.ACTIVE:
            self._close_state = _SessionCloseState.CLOSED
        self.expunge_all()
        if self._transaction is not None:
            for transaction in self._transaction._iterate_self_and_parents():
                transaction.close(invalidate)

    @classmethod
    def close_all(cls) -> None:
        """Close every Session in memory (deprecated in SQLAlchemy: use close_all_sessions)."""
        close_all_sessions()

    @classmethod
    def object_session(cls, instance: object) -> Optional["Session"]:
        return object_session(instance)

    # -- connections and binds ----------------------------------------------------------------

    def connection(
        self, bind_arguments: Optional[dict] = None, execution_options: Optional[dict] = None
    ) -> Connection:
        """The Connection of this session's transaction for the bind chosen by get_bind()."""
        if bind_arguments:
            bind_arguments = dict(bind_arguments)
            bind = bind_arguments.pop("bind", None)
            if bind is None:
                bind = self.get_bind(**bind_arguments)
        else:
            bind = self.get_bind()
        return self._connection_for_bind(bind, execution_options=execution_options)

    def _connection_for_bind(self, bind: Any, execution_options: Optional[dict] = None) -> Connection:
        if self._trans_context_manager is not None:
            self._trans_ctx_check()
        trans = self._transaction
        if trans is None:
            trans = self._autobegin_t()
        return trans._connection_for_bind(bind, execution_options)

    def _add_bind(self, key: Any, bind: Any) -> None:
        new_binds = dict(self.binds)
        if isinstance(key, TableClause):
            new_binds[key] = bind
        else:
            mapper = _inspect_mapper(key)
            if mapper is not None:
                # the mapping layer's Mapper: the class and every table it persists to
                new_binds[mapper.class_] = bind
                for table in getattr(mapper, "_all_tables", None) or getattr(mapper, "tables", ()):
                    new_binds[table] = bind
            elif isinstance(key, type):
                new_binds[key] = bind
            else:
                raise exc.ArgumentError(f"Not an acceptable bind target: {key}")
        self.binds = types.MappingProxyType(new_binds)

    def bind_mapper(self, mapper: Any, bind: Any) -> None:
        self._add_bind(mapper, bind)

    def bind_table(self, table: Any, bind: Any) -> None:
        self._add_bind(table, bind)

    def get_bind(
        self,
        mapper: Any = None,
        *,
        clause: Any = None,
        bind: Any = None,
        _sa_skip_events: Any = None,
        _sa_skip_for_implicit_returning: bool = False,
        **kw: Any,
    ) -> Union[Engine, Connection]:
        """The Engine or Connection to use, resolved as SQLAlchemy does: an explicit `bind`;
        the session's bind when there are no `binds`; the first class in the mapper's MRO
        found in `binds`; a table of `clause` (else the mapper's table) found in `binds`;
        the session's bind; else UnboundExecutionError.

        `mapper` may be a mapped class or mapper (resolved through the mapping layer's
        inspect(), when it provides one) or any class; a class the mapping layer does not
        know is looked up along its MRO and, failing that, by its `__table__`."""
        if bind:
            return bind
        if not self.binds and self.bind:
            return self.bind
        if mapper is None and clause is None:
            if self.bind:
                return self.bind
            raise exc.UnboundExecutionError(
                "This session is not bound to a single Engine or Connection, and no context "
                "was provided to locate a binding."
            )
        inspected = None
        mapper_class = None
        if mapper is not None:
            inspected = _inspect_mapper(mapper)
            if inspected is not None:
                mapper_class = inspected.class_
            elif isinstance(mapper, type):
                mapper_class = mapper
            else:
                raise exc.NoInspectionAvailable(
                    f"No inspection system is available for object of type {type(mapper)}"
                )
        if self.binds:
            if mapper_class is not None:
                for cls in mapper_class.__mro__:
                    if cls in self.binds:
                        return self.binds[cls]
                if clause is None:
                    clause = (getattr(inspected, "persist_selectable", None) if inspected is not None
                              else getattr(mapper_class, "__table__", None))
            if clause is not None:
                for table in _tables_of(clause):
                    if table in self.binds:
                        return self.binds[table]
        if self.bind:
            return self.bind
        context = []
        if mapper is not None:
            context.append(f"mapper {inspected if inspected is not None else mapper}")
        if clause is not None:
            context.append("SQL expression")
        raise exc.UnboundExecutionError(
            f"Could not locate a bind configured on {', '.join(context)} or this Session."
        )

    # -- execution ----------------------------------------------------------------------------

    def execute(
        self,
        statement: Any,
        params: Any = None,
        *,
        execution_options: Optional[dict] = None,
        bind_arguments: Optional[dict] = None,
        _parent_execute_state: Any = None,
        _add_event: Any = None,
    ) -> Any:
        """Execute a statement in this session's transaction; a Result."""
        return self._execute_internal(statement, params, execution_options, bind_arguments, False)

    def scalar(
        self,
        statement: Any,
        params: Any = None,
        *,
        execution_options: Optional[dict] = None,
        bind_arguments: Optional[dict] = None,
        **kw: Any,
    ) -> Any:
        """The first column of the first row, or None."""
        return self._execute_internal(statement, params, execution_options, bind_arguments, True)

    def scalars(
        self,
        statement: Any,
        params: Any = None,
        *,
        execution_options: Optional[dict] = None,
        bind_arguments: Optional[dict] = None,
        **kw: Any,
    ) -> Any:
        """The first column of every row, as a ScalarResult."""
        return self._execute_internal(statement, params, execution_options, bind_arguments, False).scalars()

    def _execute_internal(
        self,
        statement: Any,
        params: Any,
        execution_options: Optional[dict],
        bind_arguments: Optional[dict],
        scalar: bool,
    ) -> Any:
        if not hasattr(statement, "_execute_on_connection"):
            if isinstance(statement, str):
                raise exc.ArgumentError(
                    "Textual SQL expression "
                    f"{statement[:50]!r}{'...' if len(statement) > 50 else ''} should be "
                    "explicitly declared as text("
                    f"{statement[:50]!r}{'...' if len(statement) > 50 else ''})"
                )
            raise exc.ArgumentError(
                f"Executable SQL or text() construct expected, got {statement!r}."
            )
        bind_arguments = dict(bind_arguments) if bind_arguments else {}
        options = execution_options or {}
        if self.execution_options:
            element_options = getattr(statement, "_execution_options", None) or {}
            session_options = {k: v for k, v in self.execution_options.items() if k not in element_options}
            options = {**session_options, **options}
        if _is_orm_statement(statement):
            # select(Entity), from_statement: rows -> objects through the identity map
            result = execute_orm(self, statement, params, options, bind_arguments)
            return result.scalar() if scalar else result
        if statement.is_dml and statement._orm_entity is not None:
            # insert / update / delete(Entity): keyed by attributes, objects synchronized
            result = execute_dml(self, statement, params, options)
            return result.scalar() if scalar else result
        bind_arguments.setdefault("clause", statement)
        self._autoflush()
        conn = self._connection_for_bind(self.get_bind(**bind_arguments))
        if scalar:
            return conn.scalar(statement, params or {}, execution_options=options)
        return conn.execute(statement, params, execution_options=options)

    # -- loading: get, refresh, expire, merge, query (ormcore.orm.loading) ----------------------

    def get(
        self,
        entity: Any,
        ident: Any,
        *,
        options: Any = None,
        populate_existing: bool = False,
        with_for_update: Any = None,
        identity_token: Any = None,
        execution_options: Optional[dict] = None,
        bind_arguments: Optional[dict] = None,
    ) -> Any:
        """The instance with primary key `ident`, from the identity map when present (one
        key build, one probe), else loaded with a SELECT; None when there is no such row."""
        # the identity-map hit is the hot path: one cached lookup of the entity, one probe
        try:
            mapper, npk, identity_class, class_ = _get_entities[entity]
        except (KeyError, TypeError):
            mapper, npk, identity_class, class_ = _get_entity(entity)
        pk = ident
        if npk != 1 or type(pk) is tuple or type(pk) is list or type(pk) is dict:
            pk = _normalize_ident(mapper, ident)
        if not populate_existing and with_for_update is None:
            obj = self.identity_map.get_by_pk(identity_class, pk, identity_token)
            if obj is not None:
                if type(obj) is not class_ and not isinstance(obj, class_):
                    return None
                state = obj.__dict__[_STATE_KEY]
                if state._expired_attributes and _fully_expired(state, obj.__dict__):
                    # expired as a whole (as by commit): make sure the row still exists; if
                    # not, the object is deleted in this session, as SQLAlchemy's
                    from .exc import ObjectDeletedError

                    try:
                        state._load_expired_keys(set(state._expired_attributes))
                    except ObjectDeletedError:
                        self._remove_newly_deleted([state])
                        return None
                return obj
        if pk is None or (npk > 1 and all(value is None for value in pk)):
            warnings.warn(
                "fully NULL primary key identity cannot load any object.  This condition may "
                "raise an error in a future release.", exc.SAWarning, stacklevel=2)
        return load_on_pk_identity(
            self, mapper, pk if npk > 1 else (pk,), populate_existing=populate_existing,
            with_for_update=with_for_update, execution_options=execution_options)

    def get_one(self, entity: Any, ident: Any, **kw: Any) -> Any:
        """As get(), but NoResultFound when there is no such row."""
        instance = self.get(entity, ident, **kw)
        if instance is None:
            raise exc.NoResultFound("No row was found when one was required")
        return instance

    def refresh(self, instance: Any, attribute_names: Optional[Iterable[str]] = None,
                with_for_update: Any = None) -> None:
        """Reload the instance's attributes (all, or `attribute_names`) from the database."""
        from . import loading

        state = object_state(instance)
        self._expire_state_check(state, "refresh")
        if attribute_names is not None:
            attribute_names = _attribute_names(state, attribute_names)
        loading.refresh_state(self, state, attribute_names, with_for_update)

    def expire(self, instance: Any, attribute_names: Optional[Iterable[str]] = None) -> None:
        """Mark the instance's attributes (all, or `attribute_names`) to load on next access."""

        state = object_state(instance)
        self._expire_state_check(state, "expire")
        if attribute_names is not None:
            attribute_names = _attribute_names(state, attribute_names)
        state._expire(attribute_names)

    def expire_all(self) -> None:
        """Expire every persistent instance of the session."""
        for state in self.identity_map.all_states():
            state._expire()

    def _expire_state_check(self, state: Any, verb: str) -> None:
        if state.session_id != self.hash_key or (
            state.key is not None and not self.identity_map.contains_state(state)
            and state not in self._deleted
        ) or state.key is None:

            raise exc.InvalidRequestError(
                f"Instance '{state_str(state)}' is not persistent within this Session")

    def merge(self, instance: Any, load: bool = True, options: Any = None) -> Any:
        """The persistent instance with the same primary key as `instance` (from the
        identity map, loaded, or a new pending one), with `instance`'s loaded column
        attributes copied onto it. With load=True the session autoflushes first and the
        copies record history; with load=False nothing is loaded and the result's history
        is discarded (`instance` must be detached and unmodified)."""

        if load:
            self._autoflush()
        state = object_state(instance)
        autoflush = self.autoflush
        self.autoflush = False
        try:
            return self._merge(state, instance, load)
        finally:
            self.autoflush = autoflush

    def _merge(self, state: Any, instance: Any, load: bool) -> Any:
        from .exc import StaleDataError

        mapper = state.manager.mapper
        values = instance.__dict__
        if state.key is None:
            if state in self._new:
                warnings.warn(
                    f"Instance {_state_str(state)} is already pending in this Session yet is "
                    "being merged again; this is probably not what you want to do",
                    exc.SAWarning, stacklevel=3)
            if not load:
                raise exc.InvalidRequestError(
                    "merge() with load=False option does not support objects transient (i.e. "
                    "unpersisted) objects.  flush() all changes on mapped instances before "
                    "merging with load=False.")
            pk = tuple(values.get(prop.key) if prop is not None else None
                       for prop in mapper._pk_props)
            nones = sum(v is None for v in pk)
            persistent_key = nones == 0 or (mapper.allow_partial_pks and nones < len(pk))
            token = state.identity_token
        else:
            pk = state.key[1]
            persistent_key = True
            token = state.key[2]
        merged = None
        if persistent_key:
            merged = self.identity_map.get_by_pk(
                mapper._identity_class, pk[0] if len(pk) == 1 else pk, token)
        new_instance = False
        if merged is None:
            if not load:
                if state.modified:
                    raise exc.InvalidRequestError(
                        "merge() with load=False option does not support objects marked as "
                        "'dirty'.  flush() all changes on mapped instances before merging "
                        "with load=False.")
                merged = mapper.class_manager.new_instance()
                merged_state = merged.__dict__[_STATE_KEY]
                merged_state.key = state.key
                self._update_impl(merged_state)
                new_instance = True
            elif persistent_key:
                merged = self.get(mapper.class_, pk, identity_token=token)
        if merged is None:
            merged = mapper.class_manager.new_instance()
            self.add(merged)
            new_instance = True
        merged_state = merged.__dict__[_STATE_KEY]
        if merged_state is state:
            return merged
        version_col = mapper.version_id_col
        if version_col is not None and not new_instance:
            prop = mapper._columntoproperty.get(version_col)
            if prop is not None and prop.key in values and prop.key in merged.__dict__:
                existing, current = values[prop.key], merged.__dict__[prop.key]
                if existing != current:
                    raise StaleDataError(
                        f"Version id '{existing}' on merged state {_state_str(merged_state)} "
                        f"does not match existing version '{current}'. Leave the version "
                        "attribute unset when merging to update the most recent version.")
        merged_values = merged.__dict__
        for key, prop in mapper._props.items():
            if not getattr(prop, "_is_column_property", False) or key not in values:
                continue
            if load:
                setattr(merged, key, values[key])
            else:
                merged_values[key] = values[key]
        if not load:
            merged_state._commit_all()
        return merged

    def query(self, *entities: Any, **kwargs: Any) -> Any:
        """A legacy Query over `entities` in this session."""
        from .query import Query

        cls = self._query_cls or Query
        return cls(entities, self, **kwargs)

    # -- objects: the identity map, the unit of work and autoflush ----------------------------

    @property
    def no_autoflush(self) -> Any:
        """`with session.no_autoflush:` suspends autoflush inside the block."""
        return self._no_autoflush()

    @contextlib.contextmanager
    def _no_autoflush(self) -> Iterator["Session"]:
        autoflush = self.autoflush
        self.autoflush = False
        try:
            yield self
        finally:
            self.autoflush = autoflush

    def _autoflush(self) -> None:
        if self.autoflush and not self._flushing and not self._is_clean():
            try:
                self.flush()
            except exc.StatementError as err:
                err.add_detail(
                    "raised as a result of Query-invoked autoflush; consider using a "
                    "session.no_autoflush block if this flush is occurring prematurely"
                )
                raise err.with_traceback(sys.exc_info()[2])

    def _is_clean(self) -> bool:
        return not self.identity_map.check_modified() and not self._deleted and not self._new

    def flush(self, objects: Optional[Iterable[Any]] = None) -> None:
        """Write pending changes to the database in the current transaction."""
        if self._flushing:
            raise exc.InvalidRequestError("Session is already flushing")
        if self._is_clean():
            return
        try:
            self._flushing = True
            self._flush(objects)
        finally:
            self._flushing = False

    def _flush(self, objects: Optional[Iterable[Any]] = None) -> None:
        """The unit of work: unitofwork.py plans the flush from the pending, modified and
        deleted states, persistence.py emits its SQL, inside `with self._flush_transaction():`;
        only when every statement succeeded do the states change (keys, identity map,
        committed values), so a failed flush leaves them as they were."""
        from . import persistence
        from .unitofwork import UOWTransaction

        uow = UOWTransaction(self, objects)
        if not uow.has_work:
            return
        with self._flush_transaction():
            persistence.execute(uow)
            uow.finalize()
        if objects is None and self.identity_map._modified:
            # writes made by flush-time code after the plan was made: committed, as
            # SQLAlchemy does, so that the session is clean
            for state in list(self.identity_map._modified):
                state._commit_all()

    # -- objects in the session: add, delete, expunge, and what is pending -------------------

    def add(self, instance: object, _warn: bool = True) -> None:
        """Place an object in the Session: a transient one becomes pending (INSERTed at the
        next flush), a detached one persistent again."""
        state = _object_state(instance)
        if state.key is None:
            self._save_impl(state)
        else:
            self._update_impl(state)

    def add_all(self, instances: Iterable[object]) -> None:
        """add() each of `instances`."""
        # add() inlined for the common case, a transient object no session has seen (its
        # session_id is None, so it can't be in _new either); the rest go through add()
        new = self._new
        hash_key = self.hash_key
        begun = False
        for instance in instances:
            state = _state_or_none(instance)
            if state is None or state.key is not None or state.session_id is not None:
                self.add(instance)
                continue
            if not begun:
                self._autobegin_t()
                begun = True
            new[state] = instance
            state.insert_order = len(new)
            state.session_id = hash_key
            if state.modified and state._strong_obj is None:
                state._strong_obj = instance

    def _before_attach(self, state: Any, obj: Any) -> bool:
        self._autobegin_t()
        session_id = state.session_id
        if session_id == self.hash_key:
            return False
        if session_id is not None and session_id in _sessions:
            raise exc.InvalidRequestError(
                f"Object '{_state_str(state)}' is already attached to session "
                f"'{session_id}' (this is '{self.hash_key}')"
            )
        return True

    def _after_attach(self, state: Any, obj: Any) -> None:
        state.session_id = self.hash_key
        if state.modified and state._strong_obj is None:
            state._strong_obj = obj

    def _save_impl(self, state: Any) -> None:
        obj = state()
        to_attach = self._before_attach(state, obj)
        if state not in self._new:
            self._new[state] = obj
            state.insert_order = len(self._new)
        if to_attach:
            self._after_attach(state, obj)

    def _update_impl(self, state: Any) -> None:
        if state._deleted:
            raise exc.InvalidRequestError(
                f"Instance '{_state_str(state)}' has been deleted.  Use the make_transient() "
                "function to send this object back to the transient state."
            )
        obj = state()
        if obj is None:
            return
        to_attach = self._before_attach(state, obj)
        self._deleted.pop(state, None)
        self._identity_map_add(state)
        if to_attach:
            self._after_attach(state, obj)

    def _identity_map_add(self, state: Any) -> None:
        existing = self.identity_map.fast_get_state(state.key)
        if existing is not None and existing is not state and existing() is not None:
            raise exc.InvalidRequestError(
                f"Can't attach instance {_state_str(state)}; another instance with key "
                f"{state.key} is already present in this session."
            )
        self.identity_map.add(state)

    def delete(self, instance: object) -> None:
        """Mark a persistent object deleted: DELETEd at the next flush."""
        state = _object_state(instance)
        if state.key is None:
            raise exc.InvalidRequestError(f"Instance '{_state_str(state)}' is not persisted")
        to_attach = self._before_attach(state, instance)
        if state in self._deleted:
            return
        self._identity_map_add(state)
        if to_attach:
            self._after_attach(state, instance)
        self._deleted[state] = instance

    def expunge(self, instance: object) -> None:
        """Remove an object from the Session (it becomes detached, or transient if pending)."""
        state = _object_state(instance)
        if state.session_id != self.hash_key:
            raise exc.InvalidRequestError(
                f"Instance {_state_str(state)} is not present in this Session")
        self._expunge_states([state])

    @property
    def new(self) -> "_IdentitySet":
        """The pending objects (added, not yet flushed)."""
        return _IdentitySet(self._new.values())

    @property
    def dirty(self) -> "_IdentitySet":
        """Persistent objects with attribute writes since their last flush or load (also
        those whose writes left the value unchanged: see is_modified())."""
        deleted = self._deleted
        return _IdentitySet(
            obj for obj in (state() for state in self.identity_map._modified
                            if state not in deleted) if obj is not None)

    @property
    def deleted(self) -> "_IdentitySet":
        """The objects marked deleted and not yet flushed."""
        return _IdentitySet(self._deleted.values())

    def is_modified(self, instance: object, include_collections: bool = True) -> bool:
        """Whether the object has net changes to a mapped attribute (no SQL is emitted)."""
        from .._core import get_history

        state = _object_state(instance)
        if not state.modified:
            return False
        for key in state.committed_state:
            added, _unchanged, deleted = get_history(state, key)
            if added or deleted:
                return True
        return False

    @classmethod
    def identity_key(cls, class_: Any = None, ident: Any = None, *, instance: Any = None,
                     row: Any = None, identity_token: Any = None) -> tuple:
        """An identity key `(class, pk_tuple, identity_token)`, from a class and primary
        key (or a row), or from an instance."""

        if class_ is not None:
            mapper = class_mapper(class_)
            if row is None:
                if ident is None:
                    raise exc.ArgumentError("ident or row is required")
                if not isinstance(ident, (list, tuple)):
                    ident = [ident]
                return mapper.identity_key_from_primary_key(tuple(ident),
                                                            identity_token=identity_token)
            return mapper.identity_key_from_row(row, identity_token=identity_token)
        if instance is not None:
            return object_mapper(instance).identity_key_from_instance(instance)
        raise exc.ArgumentError("class or instance is required")

    def __contains__(self, instance: object) -> bool:
        state = _object_state(instance)
        return state in self._new or self.identity_map.contains_state(state)

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._new.values()) + list(self.identity_map.values()))

    @contextlib.contextmanager
    def _flush_transaction(self) -> Iterator[SessionTransaction]:
        """The subtransaction a flush runs in. When the flush fails, the transaction stack is
        rolled back (pending objects expunged, changes expired) and the root remembers why, so
        that every use of the Session raises PendingRollbackError until rollback()."""
        transaction = self._autobegin_t()._begin()
        try:
            yield transaction
        except BaseException:
            err = sys.exc_info()
            with contextlib.suppress(Exception):
                transaction.rollback(_capture_exception=True)
            raise err[1].with_traceback(err[2])  # type: ignore[union-attr]
        transaction.commit()

    def _expunge_states(self, states: Iterable[Any], to_transient: bool = False) -> None:
        """Forget `states`: out of the identity map and the pending collection, detached
        from this Session (`to_transient`: their identity keys dropped too, as a pending
        object rolled back becomes transient again)."""
        for state in states:
            self._new.pop(state, None)
            self._deleted.pop(state, None)
            self.identity_map.discard(state)
            if to_transient and state.key is not None:
                state.key = None
        self._detach_states(states)

    def _remove_newly_deleted(self, states: Iterable[Any]) -> None:
        """Rows deleted in this transaction (a flush, or a synchronized bulk DELETE): their
        objects leave the identity map and are `deleted` until the transaction ends."""
        transaction = self._transaction
        for state in states:
            if transaction is not None:
                transaction._deleted[state] = True
            self.identity_map.discard(state)
            self._deleted.pop(state, None)
            state._deleted = True

    def _register_altered(self, states: Iterable[Any]) -> None:
        """Objects changed in the database outside a flush (a synchronized bulk UPDATE): a
        rollback of the transaction expires them."""
        transaction = self._transaction
        if transaction is not None:
            for state in states:
                transaction._dirty[state] = True

    def _revert_deletion(self, state: Any) -> None:
        """A rollback: a deleted object is persistent in this Session again."""
        self._deleted.pop(state, None)
        state.deleted = False
        if state.key is not None and state() is not None:
            self.identity_map.replace(state)

    def _detach_states(self, states: Iterable[Any]) -> None:
        for state in states:
            if state.session_id == self.hash_key:
                state.session_id = None
            state._strong_obj = None

    def expunge_all(self) -> None:
        """Detach every object of the Session (close() and reset() do this)."""
        all_states = self.identity_map.all_states() + list(self._new)
        self.identity_map = IdentityMap()
        self._new = {}
        self._deleted = {}
        for state in all_states:
            state.identity_map = None
        self._detach_states(all_states)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__} object at {id(self):#x}>"


def _is_orm_statement(statement: Any) -> bool:
    """Whether the mapping layer must run `statement` (SQLAlchemy's compile_state_plugin):
    a SELECT of a mapped entity, or a statement marked "orm" (from_statement)."""
    attrs = getattr(statement, "_propagate_attrs", None)
    if attrs and attrs.get("compile_state_plugin") == "orm":
        return True
    raws = getattr(statement, "_raw_columns", None)
    if raws:
        for raw in raws:
            if getattr(raw, "_is_orm_entity", False):
                return True
    return False


_STATE_KEY = "_sa_instance_state"
# entity (mapped class or mapper) -> (mapper, number of primary-key columns), for get()
# (a plain dict: a WeakKeyDictionary lookup costs more than the whole identity-map hit)
_get_entities: dict = {}


def _get_entity(entity: Any) -> tuple:
    from ..inspection import inspect

    insp = inspect(entity)
    mapper = getattr(insp, "mapper", None) if insp is not None else None
    if mapper is None or not getattr(mapper, "is_mapper", False):
        from .exc import UnmappedClassError

        raise UnmappedClassError(entity) if isinstance(entity, type) else exc.ArgumentError(
            f"Expected mapped class or mapper, got: {entity!r}")
    found = (mapper, len(mapper.primary_key), mapper._identity_class, mapper.class_)
    try:
        _get_entities[entity] = found
    except TypeError:
        pass
    return found


def _fully_expired(state: Any, values: dict) -> bool:
    """Whether no mapped attribute of the instance is loaded (it was expired as a whole),
    what SQLAlchemy's `InstanceState.expired` flag tells."""
    for key in state.manager._attribute_names:
        if key in values:
            return False
    return True


def _attribute_names(state: Any, names: Iterable[str]) -> list:
    """The attribute names given to expire() / refresh(), as a list. As SQLAlchemy, a name
    that is no mapped attribute raises KeyError, after the names before it were expired."""
    names = list(names)
    props = state.manager.mapper._props
    for i, name in enumerate(names):
        if name not in props:
            if i:
                state._expire(names[:i])
            raise KeyError(name)
    return names


def _normalize_ident(mapper: Any, ident: Any) -> Any:
    """The identity-map key of a get() primary key: the value, or a tuple (composite)."""
    pk_columns = mapper.primary_key
    if isinstance(ident, dict):
        values = []
        for column, prop in zip(pk_columns, mapper._pk_props):
            key = prop.key if prop is not None else column.key
            if key in ident:
                values.append(ident[key])
            elif column.key in ident:
                values.append(ident[column.key])
            else:
                raise exc.InvalidRequestError(
                    "Incorrect names of values in identifier to formulate primary key for "
                    f"session.get(); primary key attribute names are {', '.join(repr(p.key) for p in mapper._pk_props)}")
        ident = tuple(values)
    elif isinstance(ident, (tuple, list)):
        ident = tuple(ident)
    else:
        ident = (ident,)
    if len(ident) != len(pk_columns):
        raise exc.InvalidRequestError(
            "Incorrect number of values in identifier to formulate primary key for "
            f"session.get(); primary key columns are {', '.join(repr(str(c)) for c in pk_columns)}")
    return ident[0] if len(ident) == 1 else ident


def _inspect_mapper(key: Any) -> Any:
    """The mapper for `key` when the mapping layer knows it (a mapped class or a mapper),
    else None. The mapping layer plugs in by giving mapped classes and mappers a
    `__ormcore_mapper__` (the Mapper), or through `ormcore.inspect` once it exists."""
    mapper = getattr(key, "__ormcore_mapper__", None)
    if mapper is not None:
        return mapper
    try:
        from .. import inspection  # type: ignore[attr-defined]
    except ImportError:
        return None
    try:
        insp = inspection.inspect(key, raiseerr=False)
    except exc.NoInspectionAvailable:
        return None
    return insp if insp is not None and hasattr(insp, "class_") and hasattr(insp, "persist_selectable") else None


def _tables_of(clause: Any) -> Iterator[Any]:
    """The tables a Core statement reads or writes: the DML target, every FROM (through
    joins, aliases, subqueries, CTEs and compound selects), in order, each once."""
    seen: set = set()
    queue = [clause]
    while queue:
        element = queue.pop(0)
        if id(element) in seen:
            continue
        seen.add(id(element))
        if isinstance(element, TableClause):
            yield element
            continue
        table = getattr(element, "table", None)
        if isinstance(table, TableClause):
            queue.append(table)
        for name in ("left", "right", "element", "original"):
            child = getattr(element, name, None)
            if child is not None and hasattr(child, "_from_objects"):
                queue.append(child)
        selects = getattr(element, "selects", None)
        if selects:
            queue.extend(selects)
        get_froms = getattr(element, "get_final_froms", None)
        if get_froms is not None:
            try:
                queue.extend(get_froms())
            except Exception:  # a statement that cannot list its FROMs yet
                pass
        get_children = getattr(element, "get_children", None)
        if get_children is not None:
            queue.extend(get_children())


def close_all_sessions() -> None:
    """close() every Session in memory."""
    for session in list(_sessions.values()):
        session.close()


def _state_session(state: Any) -> Optional[Session]:
    """The Session a state belongs to, if it is still open."""
    session_id = state.session_id
    if session_id is None:
        return None
    return _sessions.get(session_id)


def object_session(instance: object) -> Optional[Session]:
    """The Session `instance` belongs to, or None.

    HOOK: the mapping layer replaces the state lookup with its instance_state() (raising
    UnmappedInstanceError for unmapped objects); here an instance's state is the one stored
    under "_sa_instance_state", as hydration attaches it."""
    state = getattr(instance, "_sa_instance_state", None)
    if state is None:
        try:
            from .exc import UnmappedInstanceError  # type: ignore[import-not-found]
        except ImportError:
            raise exc.NoInspectionAvailable(
                f"No inspection system is available for object of type {type(instance)}"
            ) from None
        raise UnmappedInstanceError(instance)
    return _state_session(state)


def _object_state(instance: object) -> Any:
    """The InstanceState of a mapped instance; UnmappedInstanceError otherwise."""

    return object_state(instance)


def _state_str(state: Any) -> str:

    return state_str(state)


class _IdentitySet:
    """A set of objects by identity (what Session.new / dirty / deleted return, as
    SQLAlchemy's IdentitySet): mapped objects may define __eq__ / __hash__ however they like."""

    __slots__ = ("_members",)

    def __init__(self, iterable: Iterable[Any] = ()) -> None:
        self._members = {id(obj): obj for obj in iterable}

    def __contains__(self, obj: object) -> bool:
        return id(obj) in self._members

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._members.values()))

    def __len__(self) -> int:
        return len(self._members)

    def __bool__(self) -> bool:
        return bool(self._members)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _IdentitySet):
            return self._members.keys() == other._members.keys()
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def issubset(self, other: Iterable[Any]) -> bool:
        ids = {id(obj) for obj in other}
        return all(key in ids for key in self._members)

    def union(self, other: Iterable[Any]) -> "_IdentitySet":
        return _IdentitySet(list(self._members.values()) + list(other))

    def __repr__(self) -> str:
        return f"IdentitySet({list(self._members.values())!r})"


def make_transient(instance: object) -> None:
    """Make a persistent or detached object transient: out of its Session, without an
    identity key, its expired attributes forgotten (they read as None)."""
    state = _object_state(instance)
    session = _state_session(state)
    if session is not None:
        session._expunge_states([state])
    if state._expired_attributes:
        state._expired_attributes.clear()
    if state.callables:
        state.callables = None
    if state.key is not None:
        state.key = None
    if state._deleted:
        state._deleted = False


def make_transient_to_detached(instance: object) -> None:
    """Make a transient object detached: give it the identity key of its primary key
    attributes and commit its attribute values, as if loaded and then expunged."""
    state = _object_state(instance)
    if state.session_id or state.key:
        raise exc.InvalidRequestError("Given object must be transient")
    mapper = state.manager.mapper
    values = state.dict
    state.key = (mapper._identity_class,
                 tuple(values.get(prop.key) if prop is not None else None
                       for prop in mapper._pk_props), None)
    if state._deleted:
        state._deleted = False
    state._commit_all()
    unloaded = [key for key in state.manager._attribute_names if key not in values]
    if unloaded:
        state._expire(unloaded)


class sessionmaker:
    """A configurable Session factory: `Session = sessionmaker(engine)`, then `Session()`."""

    def __init__(
        self,
        bind: Optional[Union[Engine, Connection]] = None,
        *,
        class_: type = Session,
        autoflush: bool = True,
        expire_on_commit: bool = True,
        info: Optional[dict] = None,
        **kw: Any,
    ) -> None:
        kw["bind"] = bind
        kw["autoflush"] = autoflush
        kw["expire_on_commit"] = expire_on_commit
        if info is not None:
            kw["info"] = info
        self.kw = kw
        # a subclass per factory, so that events listened for on this factory reach only
        # its own sessions
        self.class_ = type(class_.__name__, (class_,), {})

    def begin(self) -> Any:
        """`with Session.begin() as session:` a new Session in a transaction, committed
        at the end of the block (rolled back on error), then closed."""
        return self()._maker_context_manager()

    def __call__(self, **local_kw: Any) -> Session:
        for key, value in self.kw.items():
            if key == "info" and "info" in local_kw:
                merged = dict(value)
                merged.update(local_kw["info"])
                local_kw["info"] = merged
            else:
                local_kw.setdefault(key, value)
        return self.class_(**local_kw)

    def configure(self, **new_kw: Any) -> None:
        """Change the arguments of sessions made from now on."""
        self.kw.update(new_kw)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.kw.items())
        return f"{type(self).__name__}(class_={self.class_.__name__!r}, {args})"


def _load_attributes(state: Any, keys: Any, session: Any) -> None:
    """The attribute loader of ormcore.orm.state: expired / unloaded attributes of a
    persistent instance, loaded with one SELECT by primary key (ormcore.orm.loading)."""
    from .loading import load_attributes

    load_attributes(state, keys, session)


def _install_loader() -> None:
    from . import state as state_module

    state_module._attribute_loader = _load_attributes


_install_loader()
