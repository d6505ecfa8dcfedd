"""The pool classes users choose between, as sqlalchemy.pool.impl: QueuePool (the default),
NullPool, SingletonThreadPool, StaticPool and AssertionPool.

Each decides only where idle connection records wait and when new ones are made; checkout,
reset, events and invalidation are base.py's. QueuePool's get and put are on every
Engine.connect() and Connection.close(), so they take one lock and touch one deque.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
import weakref
from collections import deque
from typing import Any
from typing import Callable
from typing import Optional

from .. import exc
from .base import Pool
from .base import PoolProxiedConnection
from .base import _ConnectionFairy
from .base import _ConnectionRecord

__all__ = ["AssertionPool", "NullPool", "QueuePool", "SingletonThreadPool", "StaticPool"]


class QueuePool(Pool):
    """Keeps up to `pool_size` idle connections and allows `max_overflow` more at once;
    a checkout beyond that waits up to `timeout` seconds for one to be returned."""

    def __init__(
        self,
        creator: Callable[..., Any],
        pool_size: int = 5,
        max_overflow: int = 10,
        timeout: Optional[float] = 30.0,
        use_lifo: bool = False,
        **kw: Any,
    ):
        Pool.__init__(self, creator, **kw)
        # The idle records and the count of open ones share one Condition. Its lock is an
        # RLock because a proxy garbage-collected while this thread holds the lock returns
        # its record from inside the collector, re-entering _do_return_conn().
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._waiting = 0  # threads in _wait_for_slot()
        self._idle: deque = deque()
        self._maxsize = pool_size
        self._use_lifo = use_lifo
        # open records minus pool_size: negative while the pool is not yet full
        self._overflow = 0 - pool_size
        self._max_overflow = -1 if pool_size == 0 else max_overflow
        self._timeout = timeout

    def _reserve(self) -> bool:
        # under self._lock: claim the right to open one more connection
        if self._max_overflow <= -1 or self._overflow < self._max_overflow:
            self._overflow += 1
            return True
        return False

    def _do_get(self) -> _ConnectionRecord:
        # `with self._lock` rather than `with self._cond`: the same lock, without the
        # Python-level Condition.__enter__ on every checkout
        with self._lock:
            idle = self._idle
            if idle:
                return idle.pop() if self._use_lifo else idle.popleft()
            if not self._reserve():
                self._waiting += 1
                try:
                    self._wait_for_slot()
                finally:
                    self._waiting -= 1
                if idle:
                    return idle.pop() if self._use_lifo else idle.popleft()
        # connect outside the lock, so that one slow connect does not stall other checkouts
        try:
            return self._create_connection()
        except BaseException:
            with self._lock:
                self._overflow -= 1
                if self._waiting:
                    self._cond.notify()
            raise

    def _wait_for_slot(self) -> None:
        # under self._lock, pool exhausted: wait until a record is returned (left in
        # self._idle for the caller) or a slot is reserved, or time out
        cond = self._cond
        timeout = self._timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            if deadline is None:
                cond.wait()
            else:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise exc.TimeoutError(
                        f"QueuePool limit of size {self.size()} overflow {self.overflow()} "
                        f"reached, connection timed out, timeout {timeout:0.2f}"
                    )
                cond.wait(remaining)
            if self._idle:
                return
            # a failed connect or a closed overflow connection freed a slot
            if self._reserve():
                return

    def _do_return_conn(self, record: _ConnectionRecord) -> None:
        with self._lock:
            if self._maxsize <= 0 or len(self._idle) < self._maxsize:
                self._idle.append(record)
                # Condition.notify() is Python code; skip it when nobody waits
                if self._waiting:
                    self._cond.notify()
                return
        # more are open than the pool keeps idle: this one is overflow, so close it
        try:
            record.close()
        finally:
            with self._lock:
                self._overflow -= 1
                if self._waiting:
                    self._cond.notify()

    def recreate(self) -> "QueuePool":
        self.logger.info("Pool recreating")
        return self.__class__(
            self._creator,
            pool_size=self._maxsize,
            max_overflow=self._max_overflow,
            timeout=self._timeout,
            use_lifo=self._use_lifo,
            **self._recreate_kw(),
        )

    def dispose(self) -> None:
        with self._lock:
            records = list(self._idle)
            self._idle.clear()
        for record in records:
            record.close()
        with self._lock:
            # only the closed idle records stop counting; checked-out ones still exist
            self._overflow -= len(records)
            self._cond.notify_all()
        self.logger.info("Pool disposed. %s", self.status())

    def status(self) -> str:
        return (
            f"Pool size: {self.size()}  Connections in pool: {self.checkedin()} "
            f"Current Overflow: {self.overflow()} "
            f"Current Checked out connections: {self.checkedout()}"
        )

    def size(self) -> int:
        return self._maxsize

    def timeout(self) -> Optional[float]:
        return self._timeout

    def checkedin(self) -> int:
        return len(self._idle)

    def overflow(self) -> int:
        return self._overflow if self._maxsize else 0

    def checkedout(self) -> int:
        return self._maxsize - len(self._idle) + self._overflow


class NullPool(Pool):
    """No pooling: every checkout opens a connection and every return closes it."""

    def status(self) -> str:
        return "NullPool"

    def _do_return_conn(self, record: _ConnectionRecord) -> None:
        record.close()

    def _do_get(self) -> _ConnectionRecord:
        return self._create_connection()

    def recreate(self) -> "NullPool":
        self.logger.info("Pool recreating")
        return self.__class__(self._creator, **self._recreate_kw())

    def dispose(self) -> None:
        pass


class SingletonThreadPool(Pool):
    """One connection per thread, reused by every checkout in that thread (SQLite :memory:
    databases, which exist per connection). At most `pool_size` are kept; beyond that the
    oldest are closed."""

    def __init__(self, creator: Callable[..., Any], pool_size: int = 5, **kw: Any):
        Pool.__init__(self, creator, **kw)
        self._conn = threading.local()
        self._fairy = threading.local()
        self._all_conns: set = set()
        self.size = pool_size

    def recreate(self) -> "SingletonThreadPool":
        self.logger.info("Pool recreating")
        return self.__class__(self._creator, pool_size=self.size, **self._recreate_kw())

    def dispose(self) -> None:
        for record in list(self._all_conns):
            try:
                record.close()
            except Exception:
                # sqlite3 refuses to close a connection from a thread that did not open it
                pass
        self._all_conns.clear()

    def _cleanup(self) -> None:
        while len(self._all_conns) >= self.size:
            self._all_conns.pop().close()

    def status(self) -> str:
        return f"SingletonThreadPool id:{id(self)} size: {len(self._all_conns)}"

    def _do_return_conn(self, record: _ConnectionRecord) -> None:
        try:
            del self._fairy.current
        except AttributeError:
            pass

    def _do_get(self) -> _ConnectionRecord:
        try:
            record = self._conn.current()
        except AttributeError:
            pass
        else:
            if record is not None:
                return record
        record = self._create_connection()
        self._conn.current = weakref.ref(record)
        if len(self._all_conns) >= self.size:
            self._cleanup()
        self._all_conns.add(record)
        return record

    def connect(self) -> PoolProxiedConnection:
        # a second checkout in the same thread gets the same proxy, counted, until the
        # last close() returns it
        try:
            fairy = self._fairy.current()
        except AttributeError:
            pass
        else:
            if fairy is not None:
                return fairy._checkout_existing()
        return _ConnectionFairy._checkout(self, self._fairy)


class StaticPool(Pool):
    """Exactly one connection, handed to every checkout in every thread."""

    def __init__(self, creator: Callable[..., Any], **kw: Any):
        Pool.__init__(self, creator, **kw)
        self._record: Optional[_ConnectionRecord] = None
        # two threads' first checkouts must not open two connections
        self._record_lock = threading.Lock()

    @property
    def connection(self) -> _ConnectionRecord:
        record = self._record
        if record is None:
            with self._record_lock:
                record = self._record
                if record is None:
                    record = self._record = _ConnectionRecord(self)
        return record

    def status(self) -> str:
        return "StaticPool"

    def dispose(self) -> None:
        record = self._record
        if record is not None and record.dbapi_connection is not None:
            record.close()
            self._record = None

    def recreate(self) -> "StaticPool":
        self.logger.info("Pool recreating")
        return self.__class__(creator=self._creator, **self._recreate_kw())

    def _transfer_from(self, other_static_pool: "StaticPool") -> None:
        # share another StaticPool's connection (and so its SQLite :memory: database)
        def creator(record: Any) -> Any:
            return other_static_pool.connection.dbapi_connection

        self._invoke_creator = creator

    def _create_connection(self) -> _ConnectionRecord:
        raise NotImplementedError()

    def _do_return_conn(self, record: _ConnectionRecord) -> None:
        pass

    def _do_get(self) -> _ConnectionRecord:
        record = self.connection
        if record._is_hard_or_soft_invalidated():
            self._record = None
            record = self.connection
        return record


class AssertionPool(Pool):
    """One connection, and an AssertionError if it is checked out while already out: for
    tests that must never hold two connections at once."""

    def __init__(self, *args: Any, **kw: Any):
        self._conn: Optional[_ConnectionRecord] = None
        self._checked_out = False
        self._store_traceback = kw.pop("store_traceback", True)
        self._checkout_traceback: Optional[list[str]] = None
        Pool.__init__(self, *args, **kw)

    def status(self) -> str:
        return "AssertionPool"

    def _do_return_conn(self, record: _ConnectionRecord) -> None:
        if not self._checked_out:
            raise AssertionError("connection is not checked out")
        self._checked_out = False
        assert record is self._conn, "connection record does not belong to this pool"

    def dispose(self) -> None:
        self._checked_out = False
        if self._conn is not None:
            self._conn.close()

    def recreate(self) -> "AssertionPool":
        self.logger.info("Pool recreating")
        return self.__class__(
            self._creator, store_traceback=self._store_traceback, **self._recreate_kw()
        )

    def _do_get(self) -> _ConnectionRecord:
        if self._checked_out:
            suffix = ""
            if self._checkout_traceback:
                suffix = " at:\n" + "".join(_chop_traceback(self._checkout_traceback))
            raise AssertionError("connection is already checked out" + suffix)
        if self._conn is None:
            self._conn = self._create_connection()
        self._checked_out = True
        if self._store_traceback:
            self._checkout_traceback = traceback.format_stack()
        return self._conn


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _chop_traceback(frames: list[str]) -> list[str]:
    """The stack without ormcore's own frames at its end, so it ends in the caller's code."""
    end = len(frames)
    while end and _PACKAGE_DIR in frames[end - 1].split("\n", 1)[0]:
        end -= 1
    return frames[:end]
