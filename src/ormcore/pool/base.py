"""The connection pool's moving parts, as sqlalchemy.pool.base: Pool, the connection record
that owns one DBAPI connection for its whole life, and the proxy ("fairy") handed out by
Pool.connect().

Every Engine.connect() checks a connection out through _ConnectionFairy._checkout() and
returns it through _finalize_fairy(), so both paths do as little as possible when no
listener, pre-ping or echo is configured: one _do_get(), one proxy object, one weak
reference, and one attribute read per event that might fire. The pool reaches the database
only through `pool._dialect` (rollback, commit, close, ping), which the engine replaces with
its dialect. The queueing policies (QueuePool, NullPool, ...) live in impl.py.
"""

from __future__ import annotations

import dataclasses
import enum
import inspect
import logging
import sys
import threading
import time
import warnings
import weakref
from collections import deque
from typing import Any
from typing import Callable
from typing import Optional
from typing import Union

from .. import event
from .. import exc
from ..event.base import Dispatch

__all__ = [
    "ConnectionPoolEntry",
    "ManagesConnection",
    "Pool",
    "PoolProxiedConnection",
    "PoolResetState",
    "ResetStyle",
    "reset_commit",
    "reset_none",
    "reset_rollback",
]


# --- logging ---------------------------------------------------------------------------------
# `echo` makes one object log at a level chosen by the flag, whatever logging's own
# configuration says; without echo the object logs through the plain logger named for its
# class, so ordinary logging configuration applies. The package logger starts at WARNING so
# that a root logger configured for DEBUG does not make every checkout log.

_ECHO_LEVELS = {
    None: logging.NOTSET, False: logging.NOTSET, True: logging.INFO, "debug": logging.DEBUG
}

_package_logger = logging.getLogger("ormcore")
if _package_logger.level == logging.NOTSET:
    _package_logger.setLevel(logging.WARNING)


class _EchoLogger:
    """Logger adapter whose threshold is the echo flag's level (INFO, or DEBUG for 'debug')."""

    __slots__ = ("echo", "logger", "_level")

    def __init__(self, echo: Union[bool, str], name: str):
        self.echo = echo
        self._level = _ECHO_LEVELS[echo]
        self.logger = logging.getLogger(name)
        if not self.logger.handlers:
            handler = logging.StreamHandler(sys.stdout)
            handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
            )
            self.logger.addHandler(handler)

    @property
    def name(self) -> str:
        return self.logger.name

    def getEffectiveLevel(self) -> int:
        return self._level or self.logger.getEffectiveLevel()

    def isEnabledFor(self, level: int) -> bool:
        if self.logger.manager.disable >= level:
            return False
        return level >= self.getEffectiveLevel()

    def log(self, level: int, msg: str, *args: Any, **kw: Any) -> None:
        if self.isEnabledFor(level):
            kw.setdefault("stacklevel", 3)
            self.logger._log(level, msg, args, **kw)

    def debug(self, msg: str, *args: Any, **kw: Any) -> None:
        self.log(logging.DEBUG, msg, *args, **kw)

    def info(self, msg: str, *args: Any, **kw: Any) -> None:
        self.log(logging.INFO, msg, *args, **kw)

    def warning(self, msg: str, *args: Any, **kw: Any) -> None:
        self.log(logging.WARNING, msg, *args, **kw)

    warn = warning

    def error(self, msg: str, *args: Any, **kw: Any) -> None:
        self.log(logging.ERROR, msg, *args, **kw)

    def exception(self, msg: str, *args: Any, **kw: Any) -> None:
        kw["exc_info"] = True
        self.log(logging.ERROR, msg, *args, **kw)

    def critical(self, msg: str, *args: Any, **kw: Any) -> None:
        self.log(logging.CRITICAL, msg, *args, **kw)


def _instance_logger(instance: Any, echo: Any) -> Any:
    """The logger for `instance`: named '<module>.<Class>[.<logging_name>]', as SQLAlchemy
    names 'sqlalchemy.pool.impl.QueuePool'."""
    cls = type(instance)
    name = f"{cls.__module__}.{cls.__name__}"
    if instance.logging_name:
        name = f"{name}.{instance.logging_name}"
    if echo in (False, None):
        return logging.getLogger(name)
    return _EchoLogger(echo, name)


# --- reset on return -------------------------------------------------------------------------


class ResetStyle(enum.Enum):
    """What a connection returned to the pool does to end its transaction."""

    reset_rollback = 0
    reset_commit = 1
    reset_none = 2


reset_rollback = ResetStyle.reset_rollback
reset_commit = ResetStyle.reset_commit
reset_none = ResetStyle.reset_none


def _reset_style(value: Any) -> ResetStyle:
    if value in ("rollback", True, reset_rollback):
        return reset_rollback
    if value in ("none", None, False, reset_none):
        return reset_none
    if value in ("commit", reset_commit):
        return reset_commit
    raise exc.ArgumentError(f"Invalid value for 'reset_on_return': {value!r}")


@dataclasses.dataclass(frozen=True, slots=True)
class PoolResetState:
    """Passed to the pool's `reset` event: how the returned connection is being reset."""

    #: the Connection already ended the transaction, so the pool will not roll back
    transaction_was_reset: bool
    #: the connection is being closed (detached or garbage collected), not pooled again
    terminate_only: bool
    #: the connection may be used here (always True without asyncio)
    asyncio_safe: bool


# --- the pool's view of a dialect ------------------------------------------------------------


class _ConnDialect:
    """What a pool uses when no engine gave it a dialect: the plain DBAPI calls."""

    is_async = False
    has_terminate = False

    def do_rollback(self, dbapi_connection: Any) -> None:
        dbapi_connection.rollback()

    def do_commit(self, dbapi_connection: Any) -> None:
        dbapi_connection.commit()

    def do_terminate(self, dbapi_connection: Any) -> None:
        dbapi_connection.close()

    def do_close(self, dbapi_connection: Any) -> None:
        dbapi_connection.close()

    def do_ping(self, dbapi_connection: Any) -> bool:
        # without a dialect nothing tells a dead connection from a bad query, so any failure
        # counts as dead: the reconnect that follows shows whether the server is there
        try:
            cursor = dbapi_connection.cursor()
            try:
                cursor.execute("SELECT 1")
            finally:
                cursor.close()
        except Exception:
            return False
        return True

    def is_disconnect(self, e: BaseException, dbapi_connection: Any, cursor: Any) -> bool:
        return False

    def get_driver_connection(self, dbapi_connection: Any) -> Any:
        return dbapi_connection


def _ping(dialect: Any, dbapi_connection: Any) -> bool:
    """True if the connection answers; False if the dialect says it is dead."""
    with_event = getattr(dialect, "_do_ping_w_event", None)
    if with_event is not None:
        return with_event(dbapi_connection)
    try:
        return dialect.do_ping(dbapi_connection)
    except Exception as err:
        if dialect.is_disconnect(err, dbapi_connection, None):
            return False
        raise


def _creator_takes_record(creator: Callable) -> bool:
    """Whether `creator` wants the connection record: a Python function (or method, class, or
    callable object written in Python) with exactly one positional parameter without a
    default, or the signature `(connection_record=None)`. Builtins and partials do not."""
    fn: Any = creator
    bound = False
    if inspect.isclass(fn):
        fn, bound = fn.__init__, True
    elif not (inspect.isfunction(fn) or inspect.ismethod(fn)):
        fn, bound = getattr(type(fn), "__call__", None), True
    if inspect.ismethod(fn):
        fn, bound = fn.__func__, True
    if not inspect.isfunction(fn):
        return False
    code = fn.__code__
    params = list(code.co_varnames[: code.co_argcount])
    if bound:
        params = params[1:]
    defaults = fn.__defaults__ or ()
    if params == ["connection_record"] and defaults == (None,):
        return True
    return len(params) - len(defaults) == 1


# --- Pool ------------------------------------------------------------------------------------


class Pool:
    """Base of the connection pools: creates, checks out, resets and invalidates connections.

    Subclasses (impl.py) decide how idle connections are kept, by implementing _do_get(),
    _do_return_conn(), dispose(), recreate() and status().
    """

    _dialect: Any = _ConnDialect()
    logging_name: Optional[str] = None
    _is_asyncio = False

    def __init__(
        self,
        creator: Callable[..., Any],
        recycle: int = -1,
        echo: Union[None, bool, str] = None,
        logging_name: Optional[str] = None,
        reset_on_return: Any = True,
        events: Optional[list[tuple[Callable, str]]] = None,
        dialect: Any = None,
        pre_ping: bool = False,
        _dispatch: Optional[Dispatch] = None,
    ):
        if logging_name:
            self.logging_name = self._orig_logging_name = logging_name
        else:
            self._orig_logging_name = None
        self.echo = echo
        self._creator = creator
        self._recycle = recycle
        self._invalidate_time = 0.0
        self._pre_ping = pre_ping
        self._reset_on_return = _reset_style(reset_on_return)
        # first_connect fires once per pool; the first run of `connect` holds this lock so
        # that other threads' connections wait for it (the engine initializes its dialect there)
        self._first_connect_lock = threading.RLock()
        self._first_connect_done = False
        self._connect_synced = False
        self.dispatch = Dispatch(type(self))
        if _dispatch is not None:
            # recreate(): carry the old pool's own listeners over
            own = self.dispatch._own
            for identifier, entries in _dispatch._own.items():
                own[identifier] = list(entries)
            self.dispatch._clear_cache()
        if dialect:
            self._dialect = dialect
        if events:
            for fn, identifier in events:
                event.listen(self, identifier, fn)

    @property
    def echo(self) -> Union[None, bool, str]:
        return self._echo

    @echo.setter
    def echo(self, value: Union[None, bool, str]) -> None:
        self._echo = value
        self.logger = _instance_logger(self, value)

    @property
    def _creator(self) -> Callable[..., Any]:
        return self.__dict__["_creator"]

    @_creator.setter
    def _creator(self, creator: Callable[..., Any]) -> None:
        self.__dict__["_creator"] = creator
        if _creator_takes_record(creator):
            self._invoke_creator = creator
        else:
            self._invoke_creator = lambda record: creator()

    def _should_log_debug(self) -> bool:
        return self.logger.isEnabledFor(logging.DEBUG)

    def _should_log_info(self) -> bool:
        return self.logger.isEnabledFor(logging.INFO)

    def _close_connection(self, connection: Any, *, terminate: bool = False) -> None:
        self.logger.debug(
            "%s connection %r", "Hard-closing" if terminate else "Closing", connection
        )
        try:
            if terminate:
                self._dialect.do_terminate(connection)
            else:
                self._dialect.do_close(connection)
        except BaseException as e:
            # a connection that will not close is dropped all the same; only say so
            self.logger.error(
                "Exception %s connection %r", "terminating" if terminate else "closing",
                connection, exc_info=True,
            )
            if not isinstance(e, Exception):
                raise

    def _create_connection(self) -> "_ConnectionRecord":
        return _ConnectionRecord(self)

    def _invalidate(
        self, connection: Any, exception: Optional[BaseException] = None, _checkin: bool = True
    ) -> None:
        """Mark every connection made before now as invalid (they reconnect at their next
        checkout), and invalidate `connection` itself; called on a disconnect error."""
        record = getattr(connection, "_connection_record", None)
        if record is None or self._invalidate_time < record.starttime:
            self._invalidate_time = time.time()
        if _checkin and getattr(connection, "is_valid", False):
            connection.invalidate(exception)

    def _recreate_kw(self) -> dict[str, Any]:
        """The Pool-level constructor arguments of this pool, for recreate()."""
        return dict(
            recycle=self._recycle,
            echo=self.echo,
            logging_name=self._orig_logging_name,
            reset_on_return=self._reset_on_return,
            pre_ping=self._pre_ping,
            _dispatch=self.dispatch,
            dialect=self._dialect,
        )

    def recreate(self) -> "Pool":
        """A new, empty pool of the same class and configuration, with the same listeners."""
        raise NotImplementedError()

    def dispose(self) -> None:
        """Close the idle connections; checked-out ones are closed when returned."""
        raise NotImplementedError()

    def connect(self) -> "PoolProxiedConnection":
        """Check out a connection."""
        return _ConnectionFairy._checkout(self)

    def _return_conn(self, record: "_ConnectionRecord") -> None:
        self._do_return_conn(record)

    def _do_get(self) -> "_ConnectionRecord":
        raise NotImplementedError()

    def _do_return_conn(self, record: "_ConnectionRecord") -> None:
        raise NotImplementedError()

    def status(self) -> str:
        raise NotImplementedError()

    def _fire_connect(self, dbapi_connection: Any, record: "_ConnectionRecord") -> None:
        if self.dispatch.first_connect and not self._first_connect_done:
            with self._first_connect_lock:
                if not self._first_connect_done:
                    for fn in self.dispatch.first_connect:
                        fn(dbapi_connection, record)
                    # set only on success, so a failing first_connect runs again next time
                    self._first_connect_done = True
        if not self._connect_synced:
            with self._first_connect_lock:
                if not self._connect_synced:
                    for fn in self.dispatch.connect:
                        fn(dbapi_connection, record)
                    self._connect_synced = True
                    return
        for fn in self.dispatch.connect:
            fn(dbapi_connection, record)


# --- the interfaces seen by event listeners --------------------------------------------------


class ManagesConnection:
    """Common interface of the pool's connection record and its checked-out proxy."""

    __slots__ = ()

    dbapi_connection: Any

    @property
    def driver_connection(self) -> Any:
        """The driver's own connection object (the DBAPI connection for sync drivers)."""
        raise NotImplementedError()

    @property
    def info(self) -> dict:
        """A dict kept for the life of the DBAPI connection; cleared when it reconnects."""
        raise NotImplementedError()

    @property
    def record_info(self) -> Optional[dict]:
        """A dict kept for the life of the pool's record, across reconnections."""
        raise NotImplementedError()

    def invalidate(self, e: Optional[BaseException] = None, soft: bool = False) -> None:
        """Close the DBAPI connection (or with soft=True, recycle it at next checkout)."""
        raise NotImplementedError()


class ConnectionPoolEntry(ManagesConnection):
    """One pool slot: owns a DBAPI connection and reconnects it when invalidated."""

    __slots__ = ()

    @property
    def in_use(self) -> bool:
        raise NotImplementedError()

    def close(self) -> None:
        raise NotImplementedError()


class PoolProxiedConnection(ManagesConnection):
    """A checked-out connection: the DBAPI connection plus return-to-pool on close()."""

    __slots__ = ()

    @property
    def is_valid(self) -> bool:
        raise NotImplementedError()

    @property
    def is_detached(self) -> bool:
        raise NotImplementedError()

    def detach(self) -> None:
        raise NotImplementedError()

    def close(self) -> None:
        raise NotImplementedError()


# The records of checked-out proxies, keyed by the weak reference to the proxy. A proxy refers
# to its record but a record only weakly to its proxy, so without this map a proxy dropped
# without close() could take its record with it before the callback returned the record to
# the pool. One module-level callback looks the record up here, so a checkout allocates no
# closure and leaves no reference cycle behind.
_checked_out: dict = {}


def _on_fairy_gone(ref: weakref.ref) -> None:
    """Weak-reference callback: a proxy was garbage collected without close()."""
    if _finalize_fairy is None:
        return  # interpreter shutdown has already torn this module down
    record = _checked_out.pop(ref, None)
    if record is not None:
        pool = record._pool
        _finalize_fairy(None, record, pool, ref, pool.logger.isEnabledFor(logging.DEBUG))


class _ConnectionRecord(ConnectionPoolEntry):
    """A pool slot holding one DBAPI connection, reconnected lazily after invalidation."""

    __slots__ = (
        "_pool", "fairy_ref", "finalize_callback", "fresh", "starttime", "dbapi_connection",
        "_info", "_record_info", "_soft_invalidate_time", "__weakref__",
    )

    def __init__(self, pool: Pool, connect: bool = True):
        self._pool = pool
        self.fresh = False
        self.fairy_ref: Optional[weakref.ref] = None
        self.starttime = 0.0
        self.dbapi_connection: Any = None
        self._info: Optional[dict] = None
        self._record_info: Optional[dict] = None
        self._soft_invalidate_time = 0.0
        self.finalize_callback: deque = deque()
        if connect:
            self._connect()

    @property
    def info(self) -> dict:
        info = self._info
        if info is None:
            info = self._info = {}
        return info

    @property
    def record_info(self) -> dict:
        info = self._record_info
        if info is None:
            info = self._record_info = {}
        return info

    @property
    def driver_connection(self) -> Any:
        if self.dbapi_connection is None:
            return None
        return self._pool._dialect.get_driver_connection(self.dbapi_connection)

    @property
    def connection(self) -> Any:
        warnings.warn(
            "The _ConnectionRecord.connection attribute is deprecated; please use "
            "'driver_connection'",
            exc.SADeprecationWarning,
            stacklevel=2,
        )
        return self.dbapi_connection

    @property
    def in_use(self) -> bool:
        return self.fairy_ref is not None

    @property
    def needs_gc(self) -> bool:
        ref = self.fairy_ref
        return ref is not None and ref() is None

    @property
    def last_connect_time(self) -> float:
        return self.starttime

    @classmethod
    def checkout(cls, pool: Pool) -> "_ConnectionFairy":
        record = pool._do_get()
        try:
            dbapi_connection = record.get_connection()
        except BaseException as err:
            record._checkin_failed(err, _fairy_was_created=False)
            raise
        echo = pool.logger.isEnabledFor(logging.DEBUG)
        fairy = _ConnectionFairy(pool, dbapi_connection, record, echo)
        record.fairy_ref = ref = weakref.ref(fairy, _on_fairy_gone)
        _checked_out[ref] = record
        if echo:
            pool.logger.debug("Connection %r checked out from pool", dbapi_connection)
        return fairy

    def _checkin_failed(self, err: BaseException, _fairy_was_created: bool = True) -> None:
        self.invalidate(e=err)
        self.checkin(_fairy_was_created=_fairy_was_created)

    def checkin(self, _fairy_was_created: bool = True) -> None:
        if self.fairy_ref is None and _fairy_was_created:
            warnings.warn(f"Double checkin attempted on {self}", exc.SAWarning, stacklevel=2)
            return
        _checked_out.pop(self.fairy_ref, None)
        self.fairy_ref = None
        connection = self.dbapi_connection
        pool = self._pool
        callbacks = self.finalize_callback
        while callbacks:
            finalizer = callbacks.pop()
            if connection is not None:
                finalizer(connection)
        for fn in pool.dispatch.checkin:
            fn(connection, self)
        pool._do_return_conn(self)

    def close(self) -> None:
        if self.dbapi_connection is not None:
            self._close()

    def invalidate(self, e: Optional[BaseException] = None, soft: bool = False) -> None:
        if self.dbapi_connection is None:
            return  # already invalidated
        pool = self._pool
        if soft:
            for fn in pool.dispatch.soft_invalidate:
                fn(self.dbapi_connection, self, e)
            self._log_invalidate(e, soft)
            self._soft_invalidate_time = time.time()
            return
        try:
            for fn in pool.dispatch.invalidate:
                fn(self.dbapi_connection, self, e)
            self._log_invalidate(e, soft)
            self._close(terminate=True)
        finally:
            if self.dbapi_connection is not None:
                # a listener raised before the close: never hand this connection out again
                self._soft_invalidate_time = time.time()

    def _log_invalidate(self, e: Optional[BaseException], soft: bool) -> None:
        prefix = "Soft " if soft else ""
        if e is not None:
            self._pool.logger.info(
                "%sInvalidate connection %r (reason: %s:%s)",
                prefix, self.dbapi_connection, e.__class__.__name__, e,
            )
        else:
            self._pool.logger.info("%sInvalidate connection %r", prefix, self.dbapi_connection)

    def get_connection(self) -> Any:
        """The DBAPI connection, first (re)connecting if it is missing, too old, or older than
        an invalidation. Timestamps compare with '>' so that a connection made in the same
        clock tick as an invalidation is kept rather than reconnected forever."""
        pool = self._pool
        if self.dbapi_connection is None:
            self.info.clear()
            self._connect()
            return self.dbapi_connection
        if pool._recycle > -1 and time.time() - self.starttime > pool._recycle:
            pool.logger.info("Connection %r exceeded timeout; recycling", self.dbapi_connection)
        elif pool._invalidate_time > self.starttime:
            pool.logger.info(
                "Connection %r invalidated due to pool invalidation; recycling",
                self.dbapi_connection,
            )
        elif self._soft_invalidate_time > self.starttime:
            pool.logger.info(
                "Connection %r invalidated due to local soft invalidation; recycling",
                self.dbapi_connection,
            )
        else:
            return self.dbapi_connection
        self._close(terminate=True)
        self.info.clear()
        self._connect()
        return self.dbapi_connection

    def _is_hard_or_soft_invalidated(self) -> bool:
        return (
            self.dbapi_connection is None
            or self._pool._invalidate_time > self.starttime
            or self._soft_invalidate_time > self.starttime
        )

    def _close(self, *, terminate: bool = False) -> None:
        self.finalize_callback.clear()
        pool = self._pool
        for fn in pool.dispatch.close:
            fn(self.dbapi_connection, self)
        try:
            pool._close_connection(self.dbapi_connection, terminate=terminate)
        finally:
            self.dbapi_connection = None

    def _connect(self) -> None:
        pool = self._pool
        # None until the creator succeeds, so a failed connect leaves the record empty
        self.dbapi_connection = None
        try:
            self.starttime = time.time()
            self.dbapi_connection = connection = pool._invoke_creator(self)
            pool.logger.debug("Created new connection %r", connection)
            self.fresh = True
        except BaseException as e:
            pool.logger.debug("Error on connect(): %s", e)
            raise
        pool._fire_connect(connection, self)


class _AdhocProxiedConnection(PoolProxiedConnection):
    """The proxied-connection interface around a DBAPI connection that is not checked out,
    for engine internals that run inside pool events (the first connect)."""

    __slots__ = ("dbapi_connection", "_connection_record", "_is_valid")

    def __init__(self, dbapi_connection: Any, connection_record: ConnectionPoolEntry):
        self.dbapi_connection = dbapi_connection
        self._connection_record = connection_record
        self._is_valid = True

    @property
    def driver_connection(self) -> Any:
        return self._connection_record.driver_connection

    @property
    def connection(self) -> Any:
        return self.dbapi_connection

    @property
    def is_valid(self) -> bool:
        return self._is_valid

    @property
    def is_detached(self) -> bool:
        return False

    @property
    def info(self) -> dict:
        return self._connection_record.info

    @property
    def record_info(self) -> Optional[dict]:
        return self._connection_record.record_info

    def invalidate(self, e: Optional[BaseException] = None, soft: bool = False) -> None:
        self._is_valid = False

    def cursor(self, *args: Any, **kw: Any) -> Any:
        return self.dbapi_connection.cursor(*args, **kw)

    def __getattr__(self, key: str) -> Any:
        return getattr(self.dbapi_connection, key)


class _ConnectionFairy(PoolProxiedConnection):
    """A checked-out connection. close() returns it to the pool (after the reset); other
    attributes pass through to the DBAPI connection."""

    __slots__ = (
        "dbapi_connection", "_connection_record", "_echo", "_pool", "_counter",
        "_detached_info", "__weakref__",
    )

    def __init__(
        self,
        pool: Pool,
        dbapi_connection: Any,
        connection_record: Optional[_ConnectionRecord],
        echo: bool,
    ):
        self._pool = pool
        self._counter = 0
        self.dbapi_connection = dbapi_connection
        self._connection_record = connection_record
        self._echo = echo
        self._detached_info: Optional[dict] = None

    @classmethod
    def _checkout(
        cls, pool: Pool, threadconns: Any = None, fairy: Optional["_ConnectionFairy"] = None
    ) -> "_ConnectionFairy":
        if fairy is None:
            fairy = _ConnectionRecord.checkout(pool)
            if threadconns is not None:
                threadconns.current = weakref.ref(fairy)
        fairy._counter += 1
        if (not pool.dispatch.checkout and not pool._pre_ping) or fairy._counter != 1:
            return fairy

        # Pre-ping and checkout listeners may find the connection dead: invalidate it (with
        # InvalidatePoolError, every connection made before now), reconnect, try again.
        # A reconnect that fails raises the driver's error, so a server that is down shows.
        attempts = 2
        while attempts > 0:
            record = fairy._connection_record
            was_fresh = record.fresh
            record.fresh = False
            try:
                if pool._pre_ping:
                    if not was_fresh:
                        if fairy._echo:
                            pool.logger.debug(
                                "Pool pre-ping on connection %s", fairy.dbapi_connection
                            )
                        if not _ping(pool._dialect, fairy.dbapi_connection):
                            if fairy._echo:
                                pool.logger.debug(
                                    "Pool pre-ping on connection %s failed, will invalidate pool",
                                    fairy.dbapi_connection,
                                )
                            raise exc.InvalidatePoolError()
                    elif fairy._echo:
                        pool.logger.debug(
                            "Connection %s is fresh, skipping pre-ping", fairy.dbapi_connection
                        )
                for fn in pool.dispatch.checkout:
                    fn(fairy.dbapi_connection, record, fairy)
                return fairy
            except exc.DisconnectionError as e:
                if e.invalidate_pool:
                    pool.logger.info(
                        "Disconnection detected on checkout, invalidating all pooled connections "
                        "prior to current timestamp (reason: %r)", e,
                    )
                    record.invalidate(e)
                    pool._invalidate(fairy, e, _checkin=False)
                else:
                    pool.logger.info(
                        "Disconnection detected on checkout, invalidating individual connection "
                        "%s (reason: %r)", fairy.dbapi_connection, e,
                    )
                    record.invalidate(e)
                try:
                    fairy.dbapi_connection = record.get_connection()
                except BaseException as err:
                    record._checkin_failed(err, _fairy_was_created=True)
                    raise
                attempts -= 1
            except BaseException as err:
                record._checkin_failed(err, _fairy_was_created=True)
                raise
        pool.logger.info("Reconnection attempts exhausted on checkout")
        fairy.invalidate()
        raise exc.InvalidRequestError("This connection is closed")

    def _checkout_existing(self) -> "_ConnectionFairy":
        return _ConnectionFairy._checkout(self._pool, fairy=self)

    def _checkin(self, transaction_was_reset: bool = False) -> None:
        _finalize_fairy(
            self.dbapi_connection, self._connection_record, self._pool, None, self._echo,
            transaction_was_reset=transaction_was_reset, fairy=self,
        )

    _close = _checkin

    def _reset(
        self, pool: Pool, transaction_was_reset: bool, terminate_only: bool, asyncio_safe: bool
    ) -> None:
        if pool.dispatch.reset:
            state = PoolResetState(transaction_was_reset, terminate_only, asyncio_safe)
            for fn in pool.dispatch.reset:
                fn(self.dbapi_connection, self._connection_record, state)
        if not asyncio_safe:
            return
        style = pool._reset_on_return
        if style is reset_rollback:
            if transaction_was_reset:
                if self._echo:
                    pool.logger.debug(
                        "Connection %s reset, transaction already reset", self.dbapi_connection
                    )
            else:
                if self._echo:
                    pool.logger.debug("Connection %s rollback-on-return", self.dbapi_connection)
                # the proxy, not the raw connection, is what dialects receive here (as in
                # SQLAlchemy); it forwards rollback() to the DBAPI connection
                pool._dialect.do_rollback(self)
        elif style is reset_commit:
            if self._echo:
                pool.logger.debug("Connection %s commit-on-return", self.dbapi_connection)
            pool._dialect.do_commit(self)

    @property
    def _logger(self) -> Any:
        return self._pool.logger

    @property
    def is_valid(self) -> bool:
        return self.dbapi_connection is not None

    @property
    def is_detached(self) -> bool:
        return self._connection_record is None

    @property
    def driver_connection(self) -> Any:
        if self._connection_record is None:
            return None
        return self._connection_record.driver_connection

    @property
    def connection(self) -> Any:
        warnings.warn(
            "The _ConnectionFairy.connection attribute is deprecated; please use "
            "'driver_connection'",
            exc.SADeprecationWarning,
            stacklevel=2,
        )
        return self.dbapi_connection

    @property
    def info(self) -> dict:
        record = self._connection_record
        if record is not None:
            return record.info
        info = self._detached_info
        if info is None:
            info = self._detached_info = {}
        return info

    @property
    def record_info(self) -> Optional[dict]:
        record = self._connection_record
        return record.record_info if record is not None else None

    def invalidate(self, e: Optional[BaseException] = None, soft: bool = False) -> None:
        """Close the DBAPI connection and return the record to the pool, which reconnects it
        at its next checkout; soft=True keeps using it until it is returned instead."""
        if self.dbapi_connection is None:
            warnings.warn(
                "Can't invalidate an already-closed connection.", exc.SAWarning, stacklevel=2
            )
            return
        record = self._connection_record
        if record is not None:
            record.invalidate(e=e, soft=soft)
        elif not soft:
            # detached: no record will close it, so close it here rather than leave it to GC
            self._pool._close_connection(self.dbapi_connection, terminate=True)
        if not soft:
            self.dbapi_connection = None
            self._checkin()

    def cursor(self, *args: Any, **kw: Any) -> Any:
        return self.dbapi_connection.cursor(*args, **kw)

    def __getattr__(self, key: str) -> Any:
        return getattr(self.dbapi_connection, key)

    def detach(self) -> None:
        """Take the DBAPI connection out of the pool: the pool forgets it (its slot reconnects)
        and close() will really close it."""
        record = self._connection_record
        if record is None:
            return
        # copy the info first: once the record is back in the pool a reconnect clears it
        self._detached_info = dict(record.info)
        _checked_out.pop(record.fairy_ref, None)
        record.fairy_ref = None
        record.dbapi_connection = None
        self._pool._do_return_conn(record)
        self._connection_record = None
        for fn in self._pool.dispatch.detach:
            fn(self.dbapi_connection, record)

    def close(self) -> None:
        self._counter -= 1
        if self._counter == 0:
            self._checkin()

    def _close_special(self, transaction_reset: bool = False) -> None:
        self._counter -= 1
        if self._counter == 0:
            self._checkin(transaction_was_reset=transaction_reset)


def _finalize_fairy(
    dbapi_connection: Any,
    connection_record: Optional[_ConnectionRecord],
    pool: Pool,
    ref: Optional[weakref.ref],
    echo: bool,
    transaction_was_reset: bool = False,
    fairy: Optional[_ConnectionFairy] = None,
) -> None:
    """Return a proxy's connection: reset it, then check its record in (or, if detached,
    close it). `ref` is given when the proxy was garbage collected instead of closed."""
    if ref is not None:
        if connection_record is None or connection_record.fairy_ref is not ref:
            return  # closed properly already, or the record has moved on to a new proxy
        dbapi_connection = connection_record.dbapi_connection
    detach = connection_record is None
    if dbapi_connection is not None:
        if connection_record is not None and echo:
            pool.logger.debug("Connection %r being returned to pool", dbapi_connection)
        try:
            if fairy is None:
                fairy = _ConnectionFairy(pool, dbapi_connection, connection_record, echo)
            fairy._reset(pool, transaction_was_reset, detach, True)
            if detach:
                for fn in pool.dispatch.close_detached:
                    fn(dbapi_connection)
                pool._close_connection(dbapi_connection)
        except BaseException as e:
            pool.logger.error("Exception during reset or similar", exc_info=True)
            if connection_record is not None:
                connection_record.invalidate(e=e)
            if not isinstance(e, Exception):
                raise
    if connection_record is not None and connection_record.fairy_ref is not None:
        connection_record.checkin()
    if fairy is not None:
        fairy.dbapi_connection = None
        fairy._connection_record = None
