"""The event API itself (src/ormcore/event/): listen, listens_for, remove, contains.

Each test runs against SQLAlchemy and ormcore (`lib`) on an in-memory SQLite engine; the
two must behave the same.
"""

from __future__ import annotations

import importlib
from typing import Any
from typing import Iterator

import pytest

LIBS = ["sqlalchemy", "ormcore"]


@pytest.fixture(params=LIBS)
def lib(request: Any) -> Any:
    return importlib.import_module(request.param)


@pytest.fixture
def eng(lib: Any) -> Iterator[Any]:
    engine = lib.create_engine("sqlite://")
    try:
        yield engine
    finally:
        engine.dispose()


def run(lib: Any, eng: Any, sql: str = "SELECT 1") -> Any:
    with eng.connect() as conn:
        return conn.exec_driver_sql(sql).scalar()


def test_listens_for_returns_the_function(lib: Any, eng: Any) -> None:
    def before(conn, cursor, statement, parameters, context, executemany):
        calls.append(statement)

    calls: list = []
    decorated = lib.event.listens_for(eng, "before_cursor_execute")(before)
    assert decorated is before
    run(lib, eng)
    assert calls == ["SELECT 1"]
    lib.event.remove(eng, "before_cursor_execute", before)


def test_listens_for_passes_options(lib: Any, eng: Any) -> None:
    @lib.event.listens_for(eng, "before_cursor_execute", retval=True)
    def rewrite(conn, cursor, statement, parameters, context, executemany):
        return "SELECT 2", parameters

    assert run(lib, eng) == 2
    lib.event.remove(eng, "before_cursor_execute", rewrite)
    assert run(lib, eng) == 1


def test_contains_and_remove(lib: Any, eng: Any) -> None:
    def fn(*args):
        pass

    assert not lib.event.contains(eng, "before_cursor_execute", fn)
    lib.event.listen(eng, "before_cursor_execute", fn)
    assert lib.event.contains(eng, "before_cursor_execute", fn)
    assert not lib.event.contains(eng, "after_cursor_execute", fn)
    lib.event.remove(eng, "before_cursor_execute", fn)
    assert not lib.event.contains(eng, "before_cursor_execute", fn)
    with pytest.raises(lib.exc.InvalidRequestError, match="^No listeners found for event "):
        lib.event.remove(eng, "before_cursor_execute", fn)


def test_contains_is_per_target(lib: Any) -> None:
    e1 = lib.create_engine("sqlite://")
    e2 = lib.create_engine("sqlite://")

    def fn(*args):
        pass

    lib.event.listen(e1, "before_cursor_execute", fn)
    try:
        assert lib.event.contains(e1, "before_cursor_execute", fn)
        assert not lib.event.contains(e2, "before_cursor_execute", fn)
        assert not lib.event.contains(lib.engine.Engine, "before_cursor_execute", fn)
    finally:
        lib.event.remove(e1, "before_cursor_execute", fn)


def test_remove_once_listener_before_it_fires(lib: Any, eng: Any) -> None:
    calls: list = []

    def fn(conn, *args):
        calls.append(1)

    lib.event.listen(eng, "before_cursor_execute", fn, once=True)
    assert lib.event.contains(eng, "before_cursor_execute", fn)
    lib.event.remove(eng, "before_cursor_execute", fn)
    run(lib, eng)
    assert calls == []


def test_once_per_listener(lib: Any, eng: Any) -> None:
    calls: list = []

    def a(conn, *args):
        calls.append("a")

    def b(conn, *args):
        calls.append("b")

    lib.event.listen(eng, "before_cursor_execute", a, once=True)
    lib.event.listen(eng, "before_cursor_execute", b, once=True)
    run(lib, eng)
    run(lib, eng)
    assert calls == ["a", "b"]
    lib.event.remove(eng, "before_cursor_execute", a)
    lib.event.remove(eng, "before_cursor_execute", b)


def test_listener_exception_propagates(lib: Any, eng: Any) -> None:
    class Boom(Exception):
        pass

    def fail(conn, *args):
        raise Boom()

    lib.event.listen(eng, "before_cursor_execute", fail)
    try:
        with pytest.raises(Boom):
            run(lib, eng)
    finally:
        lib.event.remove(eng, "before_cursor_execute", fail)
    assert run(lib, eng) == 1


def test_unknown_event_and_target(lib: Any, eng: Any) -> None:
    with pytest.raises(lib.exc.InvalidRequestError, match="^No such event 'nope' for target "):
        lib.event.listen(eng, "nope", lambda: None)
    with pytest.raises(lib.exc.InvalidRequestError, match="^No such event 'before_cursor_execute' for target "):
        lib.event.listen(object(), "before_cursor_execute", lambda: None)
    with pytest.raises(lib.exc.InvalidRequestError, match="^No such event 'nope' for target "):
        lib.event.contains(eng, "nope", lambda: None)
    with pytest.raises(lib.exc.InvalidRequestError, match="^No such event 'nope' for target "):
        lib.event.remove(eng, "nope", lambda: None)


def test_pool_event_on_the_engines_pool(lib: Any, eng: Any) -> None:
    seen: list = []

    def checkout(dbapi_conn, record, proxy):
        seen.append("checkout")

    lib.event.listen(eng.pool, "checkout", checkout)
    assert lib.event.contains(eng.pool, "checkout", checkout)
    # registrations are keyed by the target named in listen(), as in SQLAlchemy
    assert not lib.event.contains(eng, "checkout", checkout)
    run(lib, eng)
    assert seen == ["checkout"]
    with pytest.raises(lib.exc.InvalidRequestError):
        lib.event.remove(eng, "checkout", checkout)
    lib.event.remove(eng.pool, "checkout", checkout)
    run(lib, eng)
    assert seen == ["checkout"]


def test_bound_methods_are_identified_by_function_and_instance(lib: Any, eng: Any) -> None:
    class Listener:
        def __init__(self) -> None:
            self.calls = 0

        def before(self, conn, *args):
            self.calls += 1

    listener = Listener()
    lib.event.listen(eng, "before_cursor_execute", listener.before)
    lib.event.listen(eng, "before_cursor_execute", listener.before)  # a new method object
    assert lib.event.contains(eng, "before_cursor_execute", listener.before)
    assert not lib.event.contains(eng, "before_cursor_execute", Listener().before)
    run(lib, eng)
    assert listener.calls == 1
    lib.event.remove(eng, "before_cursor_execute", listener.before)
    run(lib, eng)
    assert listener.calls == 1


def test_pool_class_listener(lib: Any, eng: Any) -> None:
    seen: list = []

    def checkin(dbapi_conn, record):
        seen.append("checkin")

    pool = importlib.import_module(f"{lib.__name__}.pool")
    lib.event.listen(pool.Pool, "checkin", checkin)
    try:
        run(lib, eng)
    finally:
        lib.event.remove(pool.Pool, "checkin", checkin)
    run(lib, eng)
    assert seen == ["checkin"]


def test_event_module_surface(lib: Any) -> None:
    for name in ("listen", "listens_for", "remove", "contains"):
        assert callable(getattr(lib.event, name))


def test_same_behaviour_listing() -> None:
    """One scenario, both libraries, compared as a whole."""
    logs = {}
    for name in LIBS:
        lib = importlib.import_module(name)
        eng = lib.create_engine("sqlite://")
        log: list = []

        def first(conn, cursor, statement, *args, _log=log):
            _log.append(("first", statement))

        def second(conn, cursor, statement, *args, _log=log):
            _log.append(("second", statement))

        def third(**kw):
            log.append(("third", kw["statement"]))

        lib.event.listen(eng, "before_cursor_execute", first)
        lib.event.listen(eng, "before_cursor_execute", second, insert=True)
        lib.event.listen(eng, "before_cursor_execute", third, named=True, once=True)
        run(lib, eng, "SELECT 1")
        lib.event.remove(eng, "before_cursor_execute", second)
        run(lib, eng, "SELECT 2")
        lib.event.remove(eng, "before_cursor_execute", first)
        lib.event.remove(eng, "before_cursor_execute", third)
        run(lib, eng, "SELECT 3")
        eng.dispose()
        logs[name] = log
    assert logs["ormcore"] == logs["sqlalchemy"]
