"""ormcore.pool: checkout and return, overflow and timeouts, reset on return, recycling,
invalidation, pre-ping, events, the pool classes, and thread safety.

Real connections come from sqlite3 (a file per test) and, when ORMCORE_TEST_PG_URL is set,
psycopg2; failures are injected with a mock DBAPI connection. Where SQLAlchemy's pool gives
numbers a user can see (status(), event order), the same scenario runs through it as oracle.
"""

from __future__ import annotations

import functools
import gc
import itertools
import logging
import os
import sqlite3
import threading
import weakref
from typing import Any
from typing import Callable
from typing import Iterator

import pytest

from ormcore import event
from ormcore import exc
from ormcore import pool as ormcore_pool
from ormcore.engine.url import make_url
from ormcore.pool import AssertionPool
from ormcore.pool import NullPool
from ormcore.pool import Pool
from ormcore.pool import PoolResetState
from ormcore.pool import QueuePool
from ormcore.pool import SingletonThreadPool
from ormcore.pool import StaticPool

POOL_EVENTS = [
    "connect", "first_connect", "checkout", "checkin", "reset", "invalidate",
    "soft_invalidate", "close", "detach", "close_detached",
]


# --- helpers ---------------------------------------------------------------------------------


def pg_url_or_skip() -> str:
    """The PostgreSQL URL; without one the test skips, except under CI=true, where it fails."""
    url = os.environ.get("ORMCORE_TEST_PG_URL")
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but ORMCORE_TEST_PG_URL is not set: PostgreSQL tests must run")
        pytest.skip("ORMCORE_TEST_PG_URL is not set")
    return url


class MockError(Exception):
    """What the mock driver raises."""


class MockCursor:
    def __init__(self, conn: "MockConnection"):
        self.conn = conn

    def execute(self, sql: str, *args: Any) -> None:
        if self.conn.closed or self.conn.dead:
            raise MockError("server closed the connection unexpectedly")
        self.conn.calls.append(("execute", sql))

    def close(self) -> None:
        pass


class MockConnection:
    """A DBAPI connection that logs its calls and can be made to die."""

    def __init__(self, ident: int):
        self.ident = ident
        self.calls: list[Any] = []
        self.closed = False
        self.dead = False

    def cursor(self) -> MockCursor:
        if self.closed:
            raise MockError("connection already closed")
        return MockCursor(self)

    def rollback(self) -> None:
        self.calls.append("rollback")
        if self.dead:
            raise MockError("server closed the connection unexpectedly")

    def commit(self) -> None:
        self.calls.append("commit")

    def close(self) -> None:
        self.calls.append("close")
        self.closed = True

    def __repr__(self) -> str:
        return f"<MockConnection {self.ident}>"


class MockDBAPI:
    """A connect() that makes MockConnections and remembers them; `down` makes it fail."""

    def __init__(self) -> None:
        self.connections: list[MockConnection] = []
        self.down = False
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def connect(self) -> MockConnection:
        if self.down:
            raise MockError("could not connect to server")
        with self._lock:
            conn = MockConnection(next(self._ids))
            self.connections.append(conn)
        return conn

    @property
    def open_count(self) -> int:
        return sum(1 for c in self.connections if not c.closed)


@pytest.fixture
def dbapi() -> MockDBAPI:
    return MockDBAPI()


@pytest.fixture
def db_path(tmp_path: Any) -> str:
    path = str(tmp_path / "pool.db")
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.commit()
    conn.close()
    return path


@pytest.fixture
def sqlite_creator(db_path: str) -> Callable[[], sqlite3.Connection]:
    def creator() -> sqlite3.Connection:
        return sqlite3.connect(db_path, check_same_thread=False)

    return creator


def _count_rows(db_path: str) -> int:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM t").fetchone()[0]
    finally:
        conn.close()


def _recorder(pool: Pool, names: list[str] = POOL_EVENTS) -> list[tuple]:
    """Listen for every pool event; returns the list the calls are appended to."""
    calls: list[tuple] = []
    for name in names:
        event.listen(pool, name, lambda *args, _name=name: calls.append((_name,) + args))
    return calls


# --- checkout, return, overflow, timeout -----------------------------------------------------


def test_checkout_and_checkin_counts(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=2, max_overflow=1, timeout=0.1)
    assert (p.size(), p.checkedin(), p.overflow(), p.checkedout()) == (2, 0, -2, 0)
    c1 = p.connect()
    assert (p.checkedin(), p.overflow(), p.checkedout()) == (0, -1, 1)
    c2 = p.connect()
    c3 = p.connect()  # the overflow connection
    assert (p.checkedin(), p.overflow(), p.checkedout()) == (0, 1, 3)
    c1.close()
    assert (p.checkedin(), p.overflow(), p.checkedout()) == (1, 1, 2)
    c2.close()
    c3.close()  # the pool keeps pool_size idle: the third is closed
    assert (p.checkedin(), p.overflow(), p.checkedout()) == (2, 0, 0)
    assert dbapi.open_count == 2
    assert p.timeout() == 0.1
    assert p.status() == (
        "Pool size: 2  Connections in pool: 2 Current Overflow: 0 Current Checked out connections: 0"
    )


def _status_script(module: Any, connect: Callable) -> list[str]:
    p = module.QueuePool(connect, pool_size=2, max_overflow=1, timeout=0.05)
    seen = [p.status()]
    held = [p.connect() for _ in range(3)]
    seen.append(p.status())
    with pytest.raises(module.exc.TimeoutError):
        p.connect()
    held.pop().close()
    seen.append(p.status())
    held[0].invalidate()
    seen.append(p.status())
    c = p.connect()
    c.detach()
    seen.append(p.status())
    c.close()
    for h in held[1:]:
        h.close()
    seen.append(p.status())
    p.dispose()
    seen.append(p.status())
    return seen


def test_status_sequence_matches_sqlalchemy(dbapi: MockDBAPI) -> None:
    import sqlalchemy.exc
    import sqlalchemy.pool

    class SAModule:
        QueuePool = sqlalchemy.pool.QueuePool
        exc = sqlalchemy.exc

    class OurModule:
        QueuePool = QueuePool
        exc = exc

    assert _status_script(OurModule, dbapi.connect) == _status_script(SAModule, MockDBAPI().connect)


def test_timeout_when_exhausted(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1, max_overflow=1, timeout=0.1)
    held = [p.connect(), p.connect()]
    errors: list[BaseException] = []

    def other_thread() -> None:
        try:
            p.connect()
        except BaseException as e:
            errors.append(e)

    t = threading.Thread(target=other_thread)
    t.start()
    t.join(10)
    assert len(errors) == 1 and type(errors[0]) is exc.TimeoutError
    assert str(errors[0]) == (
        "QueuePool limit of size 1 overflow 1 reached, connection timed out, timeout 0.10"
    )
    for c in held:
        c.close()
    assert p.checkedout() == 0


def test_waiting_checkout_gets_the_returned_connection(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1, max_overflow=0, timeout=30)
    held = p.connect()
    got: list[Any] = []
    t = threading.Thread(target=lambda: got.append(p.connect()))
    t.start()
    # wait until the other thread is really waiting (a private counter; no sleeps)
    for _ in range(10_000):
        if p._waiting:
            break
        t.join(0.001)
    assert p._waiting == 1
    conn = held.dbapi_connection
    held.close()
    t.join(10)
    assert got and got[0].dbapi_connection is conn
    got[0].close()
    assert len(dbapi.connections) == 1


def test_waiting_checkout_takes_a_slot_freed_by_a_failed_connect(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1, max_overflow=0, timeout=30)
    held = p.connect()
    held.invalidate()  # slot stays counted: the record waits in the pool without a connection
    dbapi.down = True
    with pytest.raises(MockError):
        p.connect()  # the record's reconnect fails; it goes back to the pool
    assert (p.checkedin(), p.checkedout()) == (1, 0)
    dbapi.down = False
    c = p.connect()
    assert c.is_valid and p.checkedout() == 1
    c.close()


def test_unlimited_overflow_and_pool_size_zero(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=2, max_overflow=-1)
    held = [p.connect() for _ in range(20)]
    assert p.checkedout() == 20
    for c in held:
        c.close()
    assert dbapi.open_count == 2
    p0 = QueuePool(dbapi.connect, pool_size=0)
    held = [p0.connect() for _ in range(5)]
    for c in held:
        c.close()
    assert p0.checkedin() == 5 and p0.overflow() == 0


@pytest.mark.parametrize("use_lifo", [False, True])
def test_fifo_and_lifo(dbapi: MockDBAPI, use_lifo: bool) -> None:
    p = QueuePool(dbapi.connect, pool_size=3, max_overflow=0, use_lifo=use_lifo)
    a, b, c = p.connect(), p.connect(), p.connect()
    order = [a.dbapi_connection, b.dbapi_connection, c.dbapi_connection]
    for proxy in (a, b, c):
        proxy.close()
    got = p.connect()
    assert got.dbapi_connection is (order[-1] if use_lifo else order[0])
    got.close()
    assert p.recreate()._use_lifo is use_lifo


def test_connect_failure_frees_the_slot(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1, max_overflow=0, timeout=0.1)
    dbapi.down = True
    for _ in range(3):
        with pytest.raises(MockError):
            p.connect()
    assert (p.checkedin(), p.overflow(), p.checkedout()) == (0, -1, 0)
    dbapi.down = False
    p.connect().close()


# --- reset on return -------------------------------------------------------------------------


def test_uncommitted_insert_is_rolled_back_on_return(sqlite_creator: Callable, db_path: str) -> None:
    p = QueuePool(sqlite_creator, pool_size=1)
    c = p.connect()
    c.cursor().execute("INSERT INTO t VALUES (1)")
    assert c.in_transaction  # attribute passthrough to sqlite3.Connection
    c.close()
    assert _count_rows(db_path) == 0
    c = p.connect()
    assert not c.in_transaction
    c.close()


def test_reset_on_return_commit(sqlite_creator: Callable, db_path: str) -> None:
    p = QueuePool(sqlite_creator, pool_size=1, reset_on_return="commit")
    c = p.connect()
    c.cursor().execute("INSERT INTO t VALUES (1)")
    c.close()
    assert _count_rows(db_path) == 1


@pytest.mark.parametrize("value", [None, False, "none"])
def test_reset_on_return_none_leaves_the_transaction(sqlite_creator: Callable, db_path: str, value: Any) -> None:
    p = QueuePool(sqlite_creator, pool_size=1, reset_on_return=value)
    c = p.connect()
    c.cursor().execute("INSERT INTO t VALUES (1)")
    c.close()
    c = p.connect()
    assert c.in_transaction  # the same connection, its transaction still open
    c.rollback()
    c.close()
    assert _count_rows(db_path) == 0


def test_reset_on_return_values(dbapi: MockDBAPI) -> None:
    assert QueuePool(dbapi.connect)._reset_on_return is ormcore_pool.reset_rollback
    assert QueuePool(dbapi.connect, reset_on_return="rollback")._reset_on_return is ormcore_pool.reset_rollback
    assert QueuePool(dbapi.connect, reset_on_return="commit")._reset_on_return is ormcore_pool.reset_commit
    assert QueuePool(dbapi.connect, reset_on_return=None)._reset_on_return is ormcore_pool.reset_none
    with pytest.raises(exc.ArgumentError, match="Invalid value for 'reset_on_return': 'x'"):
        QueuePool(dbapi.connect, reset_on_return="x")


def test_transaction_already_reset_skips_the_rollback(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect)
    calls = _recorder(p, ["reset"])
    c = p.connect()
    conn = c.dbapi_connection
    c._close_special(transaction_reset=True)
    assert "rollback" not in conn.calls
    assert calls[0][3] == PoolResetState(transaction_was_reset=True, terminate_only=False, asyncio_safe=True)


def test_reset_goes_through_the_pool_dialect(dbapi: MockDBAPI) -> None:
    seen: list[Any] = []

    class Dialect(ormcore_pool.base._ConnDialect):
        def do_rollback(self, dbapi_connection: Any) -> None:
            seen.append(("rollback", dbapi_connection))
            dbapi_connection.rollback()

    p = QueuePool(dbapi.connect, dialect=Dialect())
    c = p.connect()
    conn = c.dbapi_connection
    c.close()
    assert seen[0][0] == "rollback" and seen[0][1].dbapi_connection is None  # the spent proxy
    assert conn.calls == ["rollback"]


def test_a_failing_reset_invalidates_the_connection(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1)
    c = p.connect()
    conn = c.dbapi_connection
    conn.dead = True
    c.close()  # rollback raises: logged, connection invalidated, record still returned
    assert conn.closed and p.checkedin() == 1
    c = p.connect()
    assert c.dbapi_connection is not conn
    c.close()


# --- recycle, invalidation, pre-ping ---------------------------------------------------------


def test_recycle_replaces_old_connections(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1, recycle=3600)
    c = p.connect()
    first = c.dbapi_connection
    c.close()
    c = p.connect()
    assert c.dbapi_connection is first  # younger than an hour: kept
    c._connection_record.starttime -= 7200  # as if opened two hours ago
    c.close()
    c = p.connect()
    assert c.dbapi_connection is not first and first.closed
    c.close()


def test_invalidate_reconnects_lazily(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1)
    c = p.connect()
    record = c._connection_record
    conn = c.dbapi_connection
    c.info["k"] = "per connection"
    c.record_info["k"] = "per record"
    error = MockError("boom")
    c.invalidate(error)
    assert conn.closed and not c.is_valid
    assert p.checkedin() == 1 and record.dbapi_connection is None
    assert len(dbapi.connections) == 1  # no reconnect yet
    c.close()  # harmless after invalidate
    c2 = p.connect()
    assert len(dbapi.connections) == 2
    assert c2._connection_record is record and c2.dbapi_connection is dbapi.connections[1]
    assert c2.info == {} and c2.record_info == {"k": "per record"}
    c2.close()
    with pytest.warns(exc.SAWarning, match="Can't invalidate an already-closed connection"):
        c2.invalidate()


def test_soft_invalidate_keeps_the_connection_until_returned(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1)
    calls = _recorder(p, ["soft_invalidate", "invalidate"])
    c = p.connect()
    conn = c.dbapi_connection
    c.invalidate(soft=True)
    assert c.is_valid and not conn.closed
    c.cursor().execute("SELECT 1")
    c.close()
    assert calls == [("soft_invalidate", conn, calls[0][2], None)]
    c = p.connect()
    assert c.dbapi_connection is not conn and conn.closed
    c.close()


def test_pool_wide_invalidation(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=3)
    a, b = p.connect(), p.connect()
    old = [a.dbapi_connection, b.dbapi_connection]
    for proxy in (a, b):
        proxy._connection_record.starttime -= 10  # strictly before the invalidation
    b.close()
    error = MockError("disconnect")
    p._invalidate(a, error)  # what the engine does on a disconnect error
    assert old[0].closed and not a.is_valid
    assert not old[1].closed  # idle: replaced at its next checkout
    fresh = p.connect()
    assert fresh.dbapi_connection not in old
    again = p.connect()
    assert again.dbapi_connection not in old and old[1].closed
    # connections made after the invalidation are left alone
    kept = {fresh.dbapi_connection, again.dbapi_connection}
    fresh.close()
    again.close()
    c, d = p.connect(), p.connect()
    assert {c.dbapi_connection, d.dbapi_connection} == kept
    c.close()
    d.close()


def test_pre_ping_reconnects_a_dead_connection(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=2, pre_ping=True)
    a, b = p.connect(), p.connect()
    conn_a, conn_b = a.dbapi_connection, b.dbapi_connection
    assert conn_a.calls == []  # fresh connections are not pinged
    a._connection_record.starttime -= 10
    b._connection_record.starttime -= 10
    a.close()
    b.close()
    conn_a.dead = True
    c = p.connect()  # FIFO: gets conn_a, whose ping fails
    assert c.dbapi_connection not in (conn_a, conn_b)
    assert conn_a.closed
    c.close()
    # a failed ping invalidates the whole pool: conn_b is replaced too
    d = p.connect()
    assert d.dbapi_connection is not conn_b and conn_b.closed
    d.close()
    e = p.connect()  # a healthy, not fresh connection: pinged and kept
    assert ("execute", "SELECT 1") in e.dbapi_connection.calls
    e.close()


def test_pre_ping_failure_with_the_server_down_raises(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1, max_overflow=0, pre_ping=True)
    c = p.connect()
    c.close()
    dbapi.connections[0].dead = True
    dbapi.down = True
    with pytest.raises(MockError, match="could not connect"):
        p.connect()
    assert (p.checkedin(), p.checkedout()) == (1, 0)
    dbapi.down = False
    c = p.connect()
    assert c.is_valid
    c.close()


def test_pre_ping_uses_the_dialect(dbapi: MockDBAPI) -> None:
    pings: list[Any] = []

    class Dialect(ormcore_pool.base._ConnDialect):
        def do_ping(self, dbapi_connection: Any) -> bool:
            pings.append(dbapi_connection)
            if dbapi_connection.dead:
                raise MockError("gone")
            return True

        def is_disconnect(self, e: BaseException, dbapi_connection: Any, cursor: Any) -> bool:
            return "gone" in str(e)

    p = QueuePool(dbapi.connect, pool_size=1, pre_ping=True)
    p._dialect = Dialect()  # as the engine sets it
    c = p.connect()
    c.close()
    dbapi.connections[0].dead = True
    c = p.connect()
    assert pings == [dbapi.connections[0]] and c.dbapi_connection is dbapi.connections[1]
    c.close()

    class Strict(Dialect):
        def is_disconnect(self, e: BaseException, dbapi_connection: Any, cursor: Any) -> bool:
            return False

    p._dialect = Strict()
    dbapi.connections[1].dead = True
    with pytest.raises(MockError, match="gone"):  # not a disconnect: the error propagates
        p.connect()
    assert p.checkedout() == 0


# --- events ----------------------------------------------------------------------------------


def test_events_fire_with_their_arguments(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1, max_overflow=0)
    calls = _recorder(p)
    c = p.connect()
    conn, record = c.dbapi_connection, c._connection_record
    assert calls == [
        ("first_connect", conn, record),
        ("connect", conn, record),
        ("checkout", conn, record, c),
    ]
    del calls[:]
    c.close()
    assert calls == [
        ("reset", conn, record, PoolResetState(False, False, True)),
        ("checkin", conn, record),
    ]
    del calls[:]
    c = p.connect()
    error = MockError("x")
    c.invalidate(error)
    assert calls == [
        ("checkout", conn, record, c),
        ("invalidate", conn, record, error),
        ("close", conn, record),
        ("checkin", None, record),
    ]
    del calls[:]
    c = p.connect()
    conn2 = c.dbapi_connection
    assert calls == [("connect", conn2, record), ("checkout", conn2, record, c)]  # no first_connect
    del calls[:]
    c.detach()
    assert calls == [("detach", conn2, record)]
    del calls[:]
    c.close()
    assert calls == [("reset", conn2, None, PoolResetState(False, True, True)), ("close_detached", conn2)]
    assert conn2.closed


def test_event_order_matches_sqlalchemy() -> None:
    import sqlalchemy
    import sqlalchemy.pool

    def script(pool_module: Any, event_module: Any) -> list[str]:
        dbapi = MockDBAPI()
        p = pool_module.QueuePool(dbapi.connect, pool_size=1, max_overflow=1)
        names: list[str] = []
        for name in POOL_EVENTS:
            event_module.listen(p, name, lambda *a, _n=name: names.append(_n))
        a = p.connect()
        b = p.connect()
        a.invalidate(soft=True)
        a.close()
        b.close()
        c = p.connect()
        c.invalidate()
        c = p.connect()
        c.detach()
        c.close()
        p.dispose()
        return names

    assert script(ormcore_pool, event) == script(sqlalchemy.pool, sqlalchemy.event)


def test_named_and_once_listeners(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect)
    seen: list[Any] = []
    event.listen(p, "checkout", lambda **kw: seen.append(sorted(kw)), named=True)
    event.listen(p, "checkin", lambda *a: seen.append("checkin"), once=True)
    for _ in range(2):
        p.connect().close()
    assert seen == [["connection_proxy", "connection_record", "dbapi_connection"], "checkin",
                    ["connection_proxy", "connection_record", "dbapi_connection"]]


def test_events_argument_of_the_constructor(dbapi: MockDBAPI) -> None:
    seen: list[str] = []
    p = QueuePool(dbapi.connect, events=[(lambda *a: seen.append("connect"), "connect"),
                                         (lambda *a: seen.append("checkout"), "checkout")])
    p.connect().close()
    assert seen == ["connect", "checkout"]


def test_class_level_listener_applies_to_every_pool(dbapi: MockDBAPI) -> None:
    seen: list[Any] = []

    def on_connect(dbapi_connection: Any, record: Any) -> None:
        seen.append(dbapi_connection)

    event.listen(Pool, "connect", on_connect)
    try:
        QueuePool(dbapi.connect).connect().close()
        NullPool(dbapi.connect).connect().close()
        assert seen == dbapi.connections
    finally:
        event.remove(Pool, "connect", on_connect)
    QueuePool(dbapi.connect).connect().close()
    assert len(seen) == 2


def test_engine_targets_route_to_pools(dbapi: MockDBAPI) -> None:
    engine_cls = type("Engine", (), {"__module__": "ormcore.engine.base"})
    engine = engine_cls()
    engine.pool = QueuePool(dbapi.connect)
    seen: list[str] = []
    event.listen(engine, "checkout", lambda *a: seen.append("instance"))
    engine.pool.connect().close()
    assert seen == ["instance"]

    def on_checkout(*a: Any) -> None:
        seen.append("class")

    event.listen(engine_cls, "checkout", on_checkout)
    try:
        QueuePool(dbapi.connect).connect().close()
        assert seen == ["instance", "class"]
    finally:
        event.remove(engine_cls, "checkout", on_checkout)
    with pytest.raises(exc.InvalidRequestError):
        event.listen(object(), "checkout", on_checkout)


def test_disconnection_error_from_checkout_listener_reconnects(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1)
    c = p.connect()
    first = c.dbapi_connection
    c.close()
    raised: list[Any] = []

    def checkout(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        if dbapi_connection is first:
            raised.append(exc.DisconnectionError("stale"))
            raise raised[-1]

    event.listen(p, "checkout", checkout)
    invalidated = _recorder(p, ["invalidate"])
    c = p.connect()
    assert c.dbapi_connection is dbapi.connections[1] and first.closed
    assert invalidated == [("invalidate", first, c._connection_record, raised[0])]
    c.close()


def test_checkout_listener_that_always_disconnects_gives_up(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1, max_overflow=0)
    attempts: list[Any] = []

    def checkout(*args: Any) -> None:
        attempts.append(args[0])
        raise exc.DisconnectionError()

    event.listen(p, "checkout", checkout)
    with pytest.raises(exc.InvalidRequestError, match="This connection is closed"):
        p.connect()
    assert len(attempts) == 2  # as SQLAlchemy 2.1: two tries, then give up
    assert all(c.closed for c in dbapi.connections)
    assert (p.checkedin(), p.checkedout()) == (1, 0)


def test_invalidate_pool_error_from_checkout_listener(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=2)
    a, b = p.connect(), p.connect()
    for proxy in (a, b):
        proxy._connection_record.starttime -= 10
    old_a, old_b = a.dbapi_connection, b.dbapi_connection
    a.close()
    b.close()

    def checkout(dbapi_connection: Any, *args: Any) -> None:
        if dbapi_connection is old_a:
            raise exc.InvalidatePoolError()

    event.listen(p, "checkout", checkout)
    c = p.connect()
    assert c.dbapi_connection not in (old_a, old_b)
    d = p.connect()
    assert d.dbapi_connection is not old_b and old_b.closed
    c.close()
    d.close()


def test_first_connect_once_and_connect_synchronized(dbapi: MockDBAPI) -> None:
    p = NullPool(dbapi.connect)
    first: list[Any] = []
    connects: list[Any] = []
    gate = threading.Event()

    def on_first_connect(conn: Any, record: Any) -> None:
        first.append(conn)

    def on_connect(conn: Any, record: Any) -> None:
        if not connects:
            gate.wait(5)  # the other threads must queue behind this first run
        connects.append(conn)

    event.listen(p, "first_connect", on_first_connect)
    event.listen(p, "connect", on_connect)
    threads = [threading.Thread(target=lambda: p.connect().close()) for _ in range(4)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join(10)
    assert len(first) == 1 and len(connects) == 4
    assert connects[0] is first[0]


def test_failing_first_connect_runs_again() -> None:
    dbapi = MockDBAPI()
    p = QueuePool(dbapi.connect)
    attempts: list[Any] = []

    def first_connect(conn: Any, record: Any) -> None:
        attempts.append(conn)
        if len(attempts) == 1:
            raise MockError("init failed")

    event.listen(p, "first_connect", first_connect)
    with pytest.raises(MockError):
        p.connect()
    p.connect().close()
    p.connect().close()
    assert len(attempts) == 2


# --- dispose, recreate -----------------------------------------------------------------------


def test_dispose_and_recreate_keep_listeners(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=2, max_overflow=3, timeout=7, recycle=99,
                  echo=False, logging_name="named", reset_on_return="commit", pre_ping=True)
    seen: list[str] = []
    event.listen(p, "checkout", lambda *a: seen.append("checkout"))
    event.listen(p, "first_connect", lambda *a: seen.append("first_connect"))
    a, b = p.connect(), p.connect()
    a.close()
    p.dispose()
    assert dbapi.connections[0].closed and not dbapi.connections[1].closed
    assert p.checkedout() == 1
    b.close()
    new = p.recreate()
    assert type(new) is QueuePool and new is not p
    assert (new.size(), new._max_overflow, new.timeout(), new._recycle, new._pre_ping) == (2, 3, 7, 99, True)
    assert new._reset_on_return is ormcore_pool.reset_commit
    assert new.logger.name == "ormcore.pool.impl.QueuePool.named"
    assert new._dialect is p._dialect
    del seen[:]
    new.connect().close()
    assert seen == ["first_connect", "checkout"]  # first_connect fires once per pool
    assert new.checkedin() == 1 and p.checkedin() == 1
    # listeners added later to one pool do not leak into the other
    event.listen(new, "checkin", lambda *a: seen.append("checkin"))
    del seen[:]
    p.connect().close()
    assert seen == ["checkout"]


@pytest.mark.parametrize("cls,kw", [
    (NullPool, {}), (SingletonThreadPool, {"pool_size": 3}), (StaticPool, {}), (AssertionPool, {}),
])
def test_recreate_other_pools(dbapi: MockDBAPI, cls: type, kw: dict) -> None:
    p = cls(dbapi.connect, pre_ping=True, **kw)
    seen: list[str] = []
    event.listen(p, "connect", lambda *a: seen.append("connect"))
    p.connect().close()
    p.dispose()
    new = p.recreate()
    assert type(new) is cls and new._pre_ping
    if cls is SingletonThreadPool:
        assert new.size == 3
    new.connect().close()
    assert seen == ["connect", "connect"]


# --- the other pool classes ------------------------------------------------------------------


def test_null_pool_closes_on_return(dbapi: MockDBAPI) -> None:
    p = NullPool(dbapi.connect)
    a = p.connect()
    b = p.connect()
    assert a.dbapi_connection is not b.dbapi_connection
    a.close()
    assert dbapi.connections[0].calls == ["rollback", "close"]
    b.close()
    assert dbapi.open_count == 0
    assert p.status() == "NullPool"


def test_singleton_thread_pool(sqlite_creator: Callable) -> None:
    p = SingletonThreadPool(sqlite_creator, pool_size=5)
    a = p.connect()
    b = p.connect()
    assert a is b  # the same proxy, counted
    b.close()
    assert a.is_valid
    mine = a.dbapi_connection
    a.close()
    assert a.dbapi_connection is None
    c = p.connect()
    assert c.dbapi_connection is mine  # the thread's connection, kept after the return
    c.close()
    others: list[Any] = []
    barrier = threading.Barrier(3)

    def work() -> None:
        proxy = p.connect()
        others.append(proxy.dbapi_connection)
        barrier.wait(10)
        proxy.close()

    threads = [threading.Thread(target=work) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert len({id(x) for x in others}) == 3 and mine not in others
    assert p.status().startswith("SingletonThreadPool id:")
    p.dispose()


def test_singleton_thread_pool_keeps_at_most_pool_size(dbapi: MockDBAPI) -> None:
    p = SingletonThreadPool(dbapi.connect, pool_size=2)

    def work() -> None:
        p.connect().close()

    for _ in range(4):
        t = threading.Thread(target=work)
        t.start()
        t.join(10)
    assert len(p._all_conns) <= 2
    assert dbapi.open_count <= 2


def test_static_pool_shares_one_connection(sqlite_creator: Callable) -> None:
    p = StaticPool(sqlite_creator)
    a = p.connect()
    got: list[Any] = []
    t = threading.Thread(target=lambda: got.append(p.connect()))
    t.start()
    t.join(10)
    assert got[0].dbapi_connection is a.dbapi_connection
    conn = a.dbapi_connection
    got[0].close()
    a.close()
    p.connect().invalidate()
    b = p.connect()
    assert b.dbapi_connection is not conn  # invalidated: a new single connection
    b.close()
    assert p.status() == "StaticPool"
    p.dispose()


def test_assertion_pool_rejects_a_second_checkout(dbapi: MockDBAPI) -> None:
    p = AssertionPool(dbapi.connect)
    a = p.connect()
    with pytest.raises(AssertionError, match="connection is already checked out"):
        p.connect()
    a.close()
    b = p.connect()
    assert b.dbapi_connection is dbapi.connections[0]
    b.close()
    assert p.status() == "AssertionPool"


# --- proxies, detach, garbage collection -----------------------------------------------------


def test_proxy_passes_attributes_through(sqlite_creator: Callable) -> None:
    p = QueuePool(sqlite_creator)
    c = p.connect()
    assert c.execute("SELECT 1").fetchone() == (1,)  # sqlite3.Connection.execute
    assert c.driver_connection is c.dbapi_connection
    assert c._connection_record.driver_connection is c.dbapi_connection
    assert not c.is_detached and c.is_valid
    with pytest.warns(exc.SADeprecationWarning):
        assert c.connection is c.dbapi_connection
    c.close()


def test_detach_removes_the_connection_from_the_pool(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1, max_overflow=0)
    c = p.connect()
    c.info["k"] = 1
    conn = c.dbapi_connection
    c.detach()
    assert c.is_detached and c.info == {"k": 1} and c.record_info is None
    assert p.checkedout() == 0
    other = p.connect()  # the slot reconnects; the detached connection is not shared
    assert other.dbapi_connection is not conn and other.info == {}
    other.close()
    c.close()
    assert conn.closed and conn.calls == ["rollback", "close"]


def test_garbage_collected_proxy_returns_its_connection(dbapi: MockDBAPI) -> None:
    p = QueuePool(dbapi.connect, pool_size=1, max_overflow=0, timeout=0.1)
    c = p.connect()
    conn = c.dbapi_connection
    ref = weakref.ref(c)
    del c
    gc.collect()
    assert ref() is None
    assert p.checkedin() == 1 and conn.calls == ["rollback"]
    again = p.connect()
    assert again.dbapi_connection is conn
    again.close()


def test_creator_may_take_the_connection_record(dbapi: MockDBAPI) -> None:
    records: list[Any] = []

    def creator(connection_record: Any) -> MockConnection:
        records.append(connection_record)
        return dbapi.connect()

    p = QueuePool(creator)
    c = p.connect()
    assert records == [c._connection_record]
    c.close()
    p2 = QueuePool(lambda: dbapi.connect())
    p2.connect().close()
    # builtins and partials are called without the record, as SQLAlchemy does
    p3 = QueuePool(functools.partial(sqlite3.connect, ":memory:"))
    c = p3.connect()
    assert isinstance(c.dbapi_connection, sqlite3.Connection)
    c.close()


# --- logging ---------------------------------------------------------------------------------


@pytest.fixture
def clean_pool_loggers() -> Iterator[None]:
    yield
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("ormcore.pool.impl"):
            logger = logging.getLogger(name)
            for handler in list(logger.handlers):
                logger.removeHandler(handler)


def test_echo_logs_under_the_class_logger(dbapi: MockDBAPI, caplog: Any, clean_pool_loggers: None) -> None:
    caplog.set_level(logging.DEBUG, logger="ormcore.pool.impl.QueuePool")
    quiet = QueuePool(dbapi.connect)
    assert quiet.logger.name == "ormcore.pool.impl.QueuePool"
    p = QueuePool(dbapi.connect, echo="debug")
    p.connect().close()
    messages = [r.getMessage() for r in caplog.records if r.name == "ormcore.pool.impl.QueuePool"]
    assert "Created new connection <MockConnection 1>" in messages
    assert "Connection <MockConnection 1> checked out from pool" in messages
    assert "Connection <MockConnection 1> rollback-on-return" in messages
    caplog.clear()
    info = QueuePool(dbapi.connect, echo=True, logging_name="mine")
    assert info.logger.name == "ormcore.pool.impl.QueuePool.mine"
    info.connect().invalidate()
    messages = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert ("INFO", "Invalidate connection <MockConnection 2>") in messages
    assert not any(level == "DEBUG" for level, _ in messages)


# --- thread safety ---------------------------------------------------------------------------


@pytest.mark.parametrize("use_lifo", [False, True])
def test_many_threads_lose_no_connections(sqlite_creator: Callable, use_lifo: bool) -> None:
    created: list[Any] = []
    closed: list[Any] = []

    def creator() -> sqlite3.Connection:
        conn = sqlite_creator()
        created.append(conn)
        return conn

    p = QueuePool(creator, pool_size=3, max_overflow=2, timeout=30, use_lifo=use_lifo)
    event.listen(p, "close", lambda conn, rec: closed.append(conn))
    in_use: set = set()
    peak = [0]
    lock = threading.Lock()
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(200):
                c = p.connect()
                with lock:
                    assert id(c.dbapi_connection) not in in_use  # never handed out twice
                    in_use.add(id(c.dbapi_connection))
                    peak[0] = max(peak[0], len(in_use))
                c.cursor().execute("SELECT 1")
                with lock:
                    in_use.discard(id(c.dbapi_connection))
                c.close()
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert p.checkedout() == 0
    assert peak[0] <= 5
    assert p.checkedin() == len(created) - len(closed) <= 3
    assert p.overflow() == p.checkedin() - 3
    p.dispose()
    assert len(closed) == len(created)


# --- PostgreSQL ------------------------------------------------------------------------------


@pytest.fixture
def pg_connect() -> Callable[[], Any]:
    url = make_url(pg_url_or_skip())
    import psycopg2

    args = url.translate_connect_args(username="user", database="dbname")
    args.update(url.query)

    def connect() -> Any:
        return psycopg2.connect(**args)

    return connect


def _terminate(pg_connect: Callable[[], Any], pid: int) -> None:
    admin = pg_connect()
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
            assert cur.fetchone()[0] is True
    finally:
        admin.close()


def test_pg_pre_ping_reconnects_transparently(pg_connect: Callable[[], Any]) -> None:
    p = QueuePool(pg_connect, pool_size=2, pre_ping=True)
    c = p.connect()
    pid = c.get_backend_pid()
    c.close()
    _terminate(pg_connect, pid)
    c = p.connect()
    cur = c.cursor()
    cur.execute("SELECT 1")
    assert cur.fetchone() == (1,)
    assert c.get_backend_pid() != pid
    c.close()
    p.dispose()


def test_pg_invalidation_after_a_disconnect(pg_connect: Callable[[], Any]) -> None:
    import psycopg2

    p = QueuePool(pg_connect, pool_size=2)
    a, b = p.connect(), p.connect()
    pids = {a.get_backend_pid(), b.get_backend_pid()}
    for proxy in (a, b):
        proxy._connection_record.starttime -= 10
    b.close()
    _terminate(pg_connect, a.get_backend_pid())
    with pytest.raises(psycopg2.OperationalError) as info:
        a.cursor().execute("SELECT 1")
    p._invalidate(a, info.value)  # as the engine does on a disconnect error
    assert not a.is_valid
    for _ in range(2):  # both slots reconnect, the idle one too
        c = p.connect()
        assert c.get_backend_pid() not in pids
        cur = c.cursor()
        cur.execute("SELECT 1")
        c.close()
    p.dispose()


def test_pg_reconnect_to_a_server_that_is_down_raises(pg_connect: Callable[[], Any]) -> None:
    import psycopg2

    down = [False]

    def creator() -> Any:
        if down[0]:
            return psycopg2.connect(host="127.0.0.1", port=1, user="nobody", connect_timeout=2)
        return pg_connect()

    p = QueuePool(creator, pool_size=1, max_overflow=0, pre_ping=True)
    c = p.connect()
    pid = c.get_backend_pid()
    c._connection_record.starttime -= 10
    c.close()
    _terminate(pg_connect, pid)
    down[0] = True
    with pytest.raises(psycopg2.OperationalError):
        p.connect()
    assert (p.checkedin(), p.checkedout()) == (1, 0)
    down[0] = False
    c = p.connect()
    assert c.get_backend_pid() != pid
    c.close()
    p.dispose()
