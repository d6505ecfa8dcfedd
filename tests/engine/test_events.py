"""Engine, connection and pool events (src/ormcore/engine/events.py, fired by base.py and
the pool).

Differential: each scenario registers the same listeners through SQLAlchemy and through
ormcore, runs the same statements on the same database, and compares what the listeners saw.
"""

from __future__ import annotations

import importlib
from typing import Any
from typing import Callable

import pytest

from .test_result import norm


def differential(sa_engine: Any, engine: Any, scenario: Callable[[Any, Any, list], None]) -> list:
    """Run `scenario(lib, engine, log)` for SQLAlchemy, then ormcore; assert equal logs."""
    logs = {}
    for lib_name, eng in (("sqlalchemy", sa_engine), ("ormcore", engine)):
        lib = importlib.import_module(lib_name)
        log: list = []
        scenario(lib, eng, log)
        eng.dispose()
        logs[lib_name] = log
    assert logs["ormcore"] == logs["sqlalchemy"]
    return logs["ormcore"]


def outcome(fn: Callable[[], Any]) -> tuple:
    try:
        return ("ok", norm(fn()))
    except Exception as err:
        return ("raises", type(err).__name__, str(err))


@pytest.fixture
def check(sa_engine: Any, engine: Any) -> Callable:
    def run(scenario: Callable[[Any, Any, list], None]) -> list:
        return differential(sa_engine, engine, scenario)

    return run


def _values(parameters: Any) -> Any:
    """The values of a parameter set, whatever the dialect's paramstyle (dict or tuple);
    test_cursor_events_see_the_dialects_paramstyle checks the form itself."""
    if parameters is None:
        return norm([])
    if isinstance(parameters, dict):
        return norm(list(parameters.values()))
    return norm(list(parameters))


def _rewrite_param(parameters: Any, value: Any) -> Any:
    """The same parameter set with its one value replaced, whatever the paramstyle."""
    if isinstance(parameters, dict):
        return {key: value for key in parameters}
    return type(parameters)([value] * len(parameters))


# -- before_cursor_execute / after_cursor_execute -------------------------------------------------------


def test_before_cursor_execute_retval_rewrites_statement_and_parameters(check: Callable) -> None:
    def scenario(lib, eng, log):
        def rewrite(conn, cursor, statement, parameters, context, executemany):
            log.append(("saw", "AS v" in statement, _values(parameters), executemany))
            return statement.replace("AS v", "AS w"), _rewrite_param(parameters, 42)

        lib.event.listen(eng, "before_cursor_execute", rewrite, retval=True)
        try:
            with eng.connect() as conn:
                result = conn.execute(lib.text("SELECT :p AS v"), {"p": 1})
                log.append(("keys", list(result.keys())))
                log.append(("value", result.scalar()))
        finally:
            lib.event.remove(eng, "before_cursor_execute", rewrite)
        with eng.connect() as conn:
            log.append(("after remove", conn.execute(lib.text("SELECT :p AS v"), {"p": 1}).one()))

    check(scenario)


def test_before_cursor_execute_without_retval_cannot_change_anything(check: Callable) -> None:
    def scenario(lib, eng, log):
        def observe(conn, cursor, statement, parameters, context, executemany):
            log.append(("saw", statement.startswith("SELECT "), _values(parameters)))
            return "SELECT 'garbage'", None

        lib.event.listen(eng, "before_cursor_execute", observe)
        try:
            with eng.connect() as conn:
                log.append(("value", conn.execute(lib.text("SELECT :p AS v"), {"p": 7}).scalar()))
        finally:
            lib.event.remove(eng, "before_cursor_execute", observe)

    check(scenario)


def test_after_cursor_execute_arguments(check: Callable) -> None:
    def scenario(lib, eng, log):
        seen = []

        def after(conn, cursor, statement, parameters, context, executemany):
            seen.append((conn, cursor, statement, parameters, context, executemany))

        lib.event.listen(eng, "after_cursor_execute", after)
        try:
            with eng.connect() as conn:
                conn.exec_driver_sql("CREATE TEMPORARY TABLE ev_after (id INTEGER)")
                conn.execute(lib.text("INSERT INTO ev_after (id) VALUES (:id)"), [{"id": 1}, {"id": 2}])
                conn.execute(lib.text("SELECT id FROM ev_after WHERE id = :id"), {"id": 1}).all()
                for c, cursor, statement, parameters, context, executemany in seen:
                    log.append((
                        c is conn,
                        hasattr(cursor, "execute") and hasattr(cursor, "fetchall"),
                        " ".join(statement.split()[:3]),
                        [_values(p) for p in parameters] if executemany else _values(parameters),
                        executemany,
                        hasattr(context, "cursor") and context.cursor is cursor,
                    ))
                conn.rollback()
        finally:
            lib.event.remove(eng, "after_cursor_execute", after)

    log = check(scenario)
    assert [entry[4] for entry in log] == [False, True, False]


def test_cursor_events_see_driver_sql_too(check: Callable) -> None:
    def scenario(lib, eng, log):
        @lib.event.listens_for(eng, "before_cursor_execute")
        def before(conn, cursor, statement, parameters, context, executemany):
            log.append(("before", statement, executemany))

        try:
            with eng.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        finally:
            lib.event.remove(eng, "before_cursor_execute", before)

    check(scenario)


def test_cursor_events_see_the_dialects_paramstyle(engine: Any) -> None:
    """What the driver is sent: SQL in the dialect's paramstyle (SQLite: qmark with a tuple, as
    SQLAlchemy's pysqlite; PostgreSQL: pyformat with a dict), and an empty parameter set (not
    None) when there are none."""
    import ormcore

    log: list = []

    def before(conn, cursor, statement, parameters, context, executemany):
        log.append((statement, parameters, executemany))

    ormcore.event.listen(engine, "before_cursor_execute", before)
    with engine.connect() as conn:
        conn.execute(ormcore.text("SELECT :p AS v, :q AS w"), {"p": 1, "q": "x"})
        conn.execute(ormcore.text("SELECT 1"))
        conn.exec_driver_sql("SELECT 2")
    if engine.dialect.paramstyle == "qmark":
        assert log == [
            ("SELECT ? AS v, ? AS w", (1, "x"), False),
            ("SELECT 1", (), False),
            ("SELECT 2", (), False),
        ]
    else:
        assert log == [
            ("SELECT %(p)s AS v, %(q)s AS w", {"p": 1, "q": "x"}, False),
            ("SELECT 1", {}, False),
            ("SELECT 2", {}, False),
        ]


def test_cursor_events_of_insertmanyvalues_batches(check: Callable) -> None:
    """An executemany INSERT .. RETURNING runs as batches of multi-row VALUES: each batch is
    one cursor execution, reported with executemany=True on one context and one cursor, whose
    statement and parameters are the single-row statement's and every parameter set."""
    def scenario(lib, eng, log):
        cursors: list = []

        def before(conn, cursor, statement, parameters, context, executemany):
            cursors.append(cursor)
            log.append(("before", statement.count("(?") + statement.count("(%("), executemany,
                        context.executemany, context.cursor is cursor,
                        context.statement.count("VALUES ("), len(context.parameters)))

        def after(conn, cursor, statement, parameters, context, executemany):
            shape = sorted(parameters) if isinstance(parameters, dict) else len(parameters)
            log.append(("after", shape, executemany, context.executemany))

        m = lib.MetaData()
        t = lib.Table("ev_imv", m, lib.Column("id", lib.Integer, primary_key=True),
                      lib.Column("name", lib.String(10)))
        try:
            with eng.connect() as conn:
                m.create_all(conn)
                lib.event.listen(eng, "before_cursor_execute", before)
                lib.event.listen(eng, "after_cursor_execute", after)
                stmt = lib.insert(t).returning(t.c.id)
                result = conn.execute(stmt.execution_options(insertmanyvalues_page_size=2),
                                      [{"id": i, "name": f"n{i}"} for i in (3, 1, 2)])
                log.append((sorted(result.all()), result.rowcount, len(set(map(id, cursors)))))
                conn.rollback()
        finally:
            lib.event.remove(eng, "before_cursor_execute", before)
            lib.event.remove(eng, "after_cursor_execute", after)

    log = check(scenario)
    assert [entry[2] for entry in log[:-1]] == [True] * 4


def test_before_and_after_execute(check: Callable) -> None:
    def scenario(lib, eng, log):
        def before(conn, clauseelement, multiparams, params, execution_options):
            log.append(("before", type(clauseelement).__name__, str(clauseelement),
                        norm(multiparams), norm(params), norm(dict(execution_options))))

        def after(conn, clauseelement, multiparams, params, execution_options, result):
            log.append(("after", type(clauseelement).__name__, type(result).__name__))

        lib.event.listen(eng, "before_execute", before)
        lib.event.listen(eng, "after_execute", after)
        try:
            with eng.connect() as conn:
                conn.execute(lib.text("SELECT :p AS v"), {"p": 1})
                conn.execute(lib.text("SELECT 2"), execution_options={"yield_per": 5})
        finally:
            lib.event.remove(eng, "before_execute", before)
            lib.event.remove(eng, "after_execute", after)

    check(scenario)


def test_before_execute_retval_replaces_the_statement(check: Callable) -> None:
    def scenario(lib, eng, log):
        def swap(conn, clauseelement, multiparams, params, execution_options):
            return lib.text("SELECT 99 AS v"), multiparams, params

        lib.event.listen(eng, "before_execute", swap, retval=True)
        try:
            with eng.connect() as conn:
                log.append(outcome(lambda: conn.execute(lib.text("SELECT 1 AS v")).scalar()))
        finally:
            lib.event.remove(eng, "before_execute", swap)

    check(scenario)


# -- transactions ------------------------------------------------------------------------------------------

TRANSACTION_EVENTS = ["engine_connect", "begin", "commit", "rollback", "savepoint",
                      "rollback_savepoint", "release_savepoint"]


def _record_transaction_events(lib: Any, eng: Any, log: list) -> list:
    listeners = []
    for name in TRANSACTION_EVENTS:
        def listener(conn, *args, _name=name):
            log.append((_name, type(conn).__name__, [a if isinstance(a, (str, type(None))) else "?"
                                                     for a in args]))

        lib.event.listen(eng, name, listener)
        listeners.append((name, listener))
    return listeners


def test_transaction_events(check: Callable) -> None:
    def scenario(lib, eng, log):
        listeners = _record_transaction_events(lib, eng, log)
        try:
            with eng.connect() as conn:
                log.append("autobegin")
                conn.execute(lib.text("SELECT 1"))
                log.append("commit")
                conn.commit()
                log.append("explicit begin")
                with conn.begin():
                    conn.execute(lib.text("SELECT 1"))
                log.append("rollback")
                conn.begin()
                conn.rollback()
                log.append("close with open transaction")
                conn.execute(lib.text("SELECT 1"))
            log.append("engine.begin")
            with eng.begin() as conn:
                conn.execute(lib.text("SELECT 1"))
            log.append("error in block")
            try:
                with eng.begin() as conn:
                    raise ValueError("boom")
            except ValueError:
                pass
        finally:
            for name, fn in listeners:
                lib.event.remove(eng, name, fn)

    check(scenario)


def test_savepoint_events(check: Callable) -> None:
    def scenario(lib, eng, log):
        listeners = _record_transaction_events(lib, eng, log)
        try:
            with eng.connect() as conn:
                conn.execute(lib.text("SELECT 1"))
                log.append("nested rollback")
                sp = conn.begin_nested()
                sp.rollback()
                log.append("nested commit")
                sp = conn.begin_nested()
                sp.commit()
                log.append("nested in with")
                with conn.begin_nested():
                    with conn.begin_nested():
                        pass
                log.append("nested error")
                try:
                    with conn.begin_nested():
                        raise ValueError("boom")
                except ValueError:
                    pass
                conn.commit()
        finally:
            for name, fn in listeners:
                lib.event.remove(eng, name, fn)

    check(scenario)


def test_savepoint_listeners_learn_the_savepoint_names(engine: Any) -> None:
    import ormcore

    seen = []
    for name in ("rollback_savepoint", "release_savepoint"):
        ormcore.event.listen(engine, name, lambda conn, sp, ctx, _n=name: seen.append((_n, sp, ctx)))
    with engine.connect() as conn:
        conn.begin_nested().rollback()
        conn.begin_nested().commit()
    assert seen == [("rollback_savepoint", "sa_savepoint_1", None),
                    ("release_savepoint", "sa_savepoint_2", None)]


def test_engine_connect(check: Callable) -> None:
    def scenario(lib, eng, log):
        conns = []

        def engine_connect(conn):
            conns.append(conn)

        lib.event.listen(eng, "engine_connect", engine_connect)
        try:
            with eng.connect() as c1:
                log.append(("fired", len(conns), conns[-1] is c1, c1.closed))
            with eng.connect() as c2:
                log.append(("fired", len(conns), conns[-1] is c2))
        finally:
            lib.event.remove(eng, "engine_connect", engine_connect)

    check(scenario)


# -- handle_error -------------------------------------------------------------------------------------------


class Replacement(Exception):
    pass


def test_handle_error_sees_the_failure(check: Callable) -> None:
    def scenario(lib, eng, log):
        def handler(ctx):
            log.append((
                "ctx",
                type(ctx.sqlalchemy_exception).__name__,
                isinstance(ctx.sqlalchemy_exception, lib.exc.DBAPIError),
                ctx.sqlalchemy_exception.orig is ctx.original_exception,
                type(ctx.original_exception).__module__.split(".")[0],
                "no_such_table" in ctx.statement,
                _values(ctx.parameters),
                ctx.is_disconnect,
                ctx.engine is eng,
                ctx.connection is not None,
                ctx.execution_context is not None,
                ctx.is_pre_ping,
                ctx.invalidate_pool_on_disconnect,
            ))

        lib.event.listen(eng, "handle_error", handler)
        try:
            with eng.connect() as conn:
                try:
                    conn.execute(lib.text("SELECT * FROM no_such_table WHERE x = :x"), {"x": 5})
                except lib.exc.DBAPIError as err:
                    log.append(("raised", type(err).__name__, "no_such_table" in err.statement,
                                _values(err.params), type(err.orig).__module__.split(".")[0]))
                log.append(("connection still usable", conn.invalidated))
        finally:
            lib.event.remove(eng, "handle_error", handler)

    check(scenario)


def test_handle_error_can_return_a_replacement(check: Callable) -> None:
    def scenario(lib, eng, log):
        def handler(ctx):
            return Replacement(f"replaced {type(ctx.sqlalchemy_exception).__name__}")

        lib.event.listen(eng, "handle_error", handler)
        try:
            with eng.connect() as conn:
                log.append(outcome(lambda: conn.execute(lib.text("SELECT * FROM no_such_table"))))
                conn.rollback()
                log.append(outcome(lambda: conn.exec_driver_sql("SELECT * FROM no_such_table")))
        finally:
            lib.event.remove(eng, "handle_error", handler)

    log = check(scenario)
    assert log[0][:2] == ("raises", "Replacement")


def test_handle_error_can_raise_a_replacement(check: Callable) -> None:
    def scenario(lib, eng, log):
        def raising(ctx):
            raise Replacement("raised in handler")

        def never(ctx):
            log.append("second handler ran")

        lib.event.listen(eng, "handle_error", raising)
        lib.event.listen(eng, "handle_error", never)
        try:
            with eng.connect() as conn:
                log.append(outcome(lambda: conn.execute(lib.text("SELECT * FROM no_such_table"))))
        finally:
            lib.event.remove(eng, "handle_error", raising)
            lib.event.remove(eng, "handle_error", never)

    check(scenario)


def test_handle_error_returning_none_keeps_the_error(check: Callable) -> None:
    def scenario(lib, eng, log):
        calls = []

        def handler(ctx):
            calls.append(ctx)

        lib.event.listen(eng, "handle_error", handler)
        try:
            with eng.connect() as conn:
                result = outcome(lambda: conn.execute(lib.text("SELECT * FROM no_such_table")))
                log.append(result[:2])
            log.append(("calls", len(calls)))
        finally:
            lib.event.remove(eng, "handle_error", handler)

    check(scenario)


def test_handle_error_is_disconnect_is_writable(check: Callable) -> None:
    def scenario(lib, eng, log):
        def handler(ctx):
            ctx.is_disconnect = True

        lib.event.listen(eng, "handle_error", handler)
        try:
            with eng.connect() as conn:
                try:
                    conn.execute(lib.text("SELECT * FROM no_such_table"))
                except lib.exc.DBAPIError as err:
                    log.append(("invalidated", err.connection_invalidated, conn.invalidated))
                log.append(("pending rollback", outcome(lambda: conn.execute(lib.text("SELECT 1")))[:2]))
                conn.rollback()
                log.append(("reconnects", conn.execute(lib.text("SELECT 1")).scalar(), conn.invalidated))
        finally:
            lib.event.remove(eng, "handle_error", handler)

    check(scenario)


def test_handle_error_only_on_engines(check: Callable) -> None:
    def scenario(lib, eng, log):
        with eng.connect() as conn:
            log.append(outcome(lambda: lib.event.listen(conn, "handle_error", lambda ctx: None)))

    log = check(scenario)
    assert log[0][:2] == ("raises", "InvalidRequestError")


# -- where listeners apply ------------------------------------------------------------------------------------


def test_listen_on_engine_class_applies_to_every_engine(check: Callable, tmp_path: Any) -> None:
    def scenario(lib, eng, log):
        seen = []

        def before(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        lib.event.listen(lib.engine.Engine, "before_cursor_execute", before)
        try:
            log.append(("contains", lib.event.contains(lib.engine.Engine, "before_cursor_execute", before)))
            other = lib.create_engine(f"sqlite:///{tmp_path / ('other_' + lib.__name__ + '.db')}")
            try:
                with eng.connect() as conn:
                    conn.exec_driver_sql("SELECT 1")
                with other.connect() as conn:
                    conn.exec_driver_sql("SELECT 2")
            finally:
                other.dispose()
        finally:
            lib.event.remove(lib.engine.Engine, "before_cursor_execute", before)
        log.append(("seen", [s for s in seen if s in ("SELECT 1", "SELECT 2")]))
        seen.clear()
        with eng.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        log.append(("after remove", seen))

    check(scenario)


def test_listen_on_connection_class(check: Callable) -> None:
    def scenario(lib, eng, log):
        seen = []

        def before(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        lib.event.listen(lib.engine.Connection, "before_cursor_execute", before)
        try:
            with eng.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        finally:
            lib.event.remove(lib.engine.Connection, "before_cursor_execute", before)
        with eng.connect() as conn:
            conn.exec_driver_sql("SELECT 2")
        log.append(("seen", [s for s in seen if s in ("SELECT 1", "SELECT 2")]))

    check(scenario)


def test_listen_on_one_connection_applies_only_to_it(check: Callable) -> None:
    def scenario(lib, eng, log):
        seen = []

        def before(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        with eng.connect() as c1, eng.connect() as c2:
            lib.event.listen(c1, "before_cursor_execute", before)
            log.append(("contains", lib.event.contains(c1, "before_cursor_execute", before),
                        lib.event.contains(c2, "before_cursor_execute", before),
                        lib.event.contains(eng, "before_cursor_execute", before)))
            c1.exec_driver_sql("SELECT 1")
            c2.exec_driver_sql("SELECT 2")
            lib.event.remove(c1, "before_cursor_execute", before)
            c1.exec_driver_sql("SELECT 3")
        with eng.connect() as c3:
            c3.exec_driver_sql("SELECT 4")
        log.append(("seen", seen))

    check(scenario)


def test_engine_listener_added_after_connect_reaches_open_connection(check: Callable) -> None:
    def scenario(lib, eng, log):
        seen = []

        def before(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        with eng.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
            lib.event.listen(eng, "before_cursor_execute", before)
            conn.exec_driver_sql("SELECT 2")
            lib.event.remove(eng, "before_cursor_execute", before)
            conn.exec_driver_sql("SELECT 3")
        log.append(seen)

    check(scenario)


def test_engine_and_connection_listeners_both_fire(check: Callable) -> None:
    def scenario(lib, eng, log):
        def on_engine(conn, cursor, statement, *args):
            log.append(("engine", statement))

        def on_connection(conn, cursor, statement, *args):
            log.append(("connection", statement))

        lib.event.listen(eng, "before_cursor_execute", on_engine)
        try:
            with eng.connect() as conn:
                lib.event.listen(conn, "before_cursor_execute", on_connection)
                conn.exec_driver_sql("SELECT 1")
        finally:
            lib.event.remove(eng, "before_cursor_execute", on_engine)

    check(scenario)


def test_execution_options_engine_shares_listeners(check: Callable) -> None:
    def scenario(lib, eng, log):
        def on_parent(conn, cursor, statement, *args):
            log.append(("parent", statement))

        lib.event.listen(eng, "before_cursor_execute", on_parent)
        try:
            child = eng.execution_options(foo="bar")
            with child.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        finally:
            lib.event.remove(eng, "before_cursor_execute", on_parent)

    check(scenario)


# -- listener options ------------------------------------------------------------------------------------------


def test_once(check: Callable) -> None:
    def scenario(lib, eng, log):
        def once(conn, cursor, statement, *args):
            log.append(("once", statement))

        lib.event.listen(eng, "before_cursor_execute", once, once=True)
        try:
            with eng.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
                conn.exec_driver_sql("SELECT 2")
                log.append(("still works", conn.exec_driver_sql("SELECT 3").scalar()))
        finally:
            lib.event.remove(eng, "before_cursor_execute", once)

    check(scenario)


@pytest.mark.parametrize("name", ["before_cursor_execute", "commit", "handle_error", "checkout"])
def test_insert(check: Callable, name: str) -> None:
    """insert=True puts a pool listener first; SQLAlchemy ignores it for engine events."""

    def scenario(lib, eng, log):
        def first(*args):
            log.append("appended")

        def second(*args):
            log.append("inserted")

        lib.event.listen(eng, name, first)
        lib.event.listen(eng, name, second, insert=True)
        try:
            with eng.connect() as conn:
                try:
                    conn.exec_driver_sql("SELECT * FROM no_such_table")
                except lib.exc.DBAPIError:
                    conn.rollback()
                conn.exec_driver_sql("SELECT 1")
                conn.commit()
        finally:
            lib.event.remove(eng, name, first)
            lib.event.remove(eng, name, second)

    log = check(scenario)
    assert log[:2] == (["inserted", "appended"] if name == "checkout" else ["appended", "inserted"])


def test_named_arguments(check: Callable) -> None:
    def scenario(lib, eng, log):
        def named(**kw):
            log.append(sorted(kw))
            log.append((kw["statement"], kw["executemany"]))

        def named_commit(**kw):
            log.append(("commit", sorted(kw)))

        lib.event.listen(eng, "before_cursor_execute", named, named=True)
        lib.event.listen(eng, "commit", named_commit, named=True)
        try:
            with eng.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
                conn.commit()
        finally:
            lib.event.remove(eng, "before_cursor_execute", named)
            lib.event.remove(eng, "commit", named_commit)

    check(scenario)


def test_named_with_retval(check: Callable) -> None:
    def scenario(lib, eng, log):
        def rewrite(statement, parameters, **kw):
            return statement.replace("1", "2"), parameters

        lib.event.listen(eng, "before_cursor_execute", rewrite, named=True, retval=True)
        try:
            with eng.connect() as conn:
                log.append(conn.exec_driver_sql("SELECT 1").scalar())
        finally:
            lib.event.remove(eng, "before_cursor_execute", rewrite)

    check(scenario)


def test_listening_twice_is_a_no_op(check: Callable) -> None:
    def scenario(lib, eng, log):
        def before(conn, cursor, statement, *args):
            log.append(statement)

        lib.event.listen(eng, "before_cursor_execute", before)
        lib.event.listen(eng, "before_cursor_execute", before)
        with eng.connect() as conn:
            conn.exec_driver_sql("SELECT 1")
        lib.event.remove(eng, "before_cursor_execute", before)
        log.append(("contains", lib.event.contains(eng, "before_cursor_execute", before)))
        with eng.connect() as conn:
            conn.exec_driver_sql("SELECT 2")

    check(scenario)


def test_retval_only_for_some_events(check: Callable) -> None:
    def scenario(lib, eng, log):
        for name in ("after_cursor_execute", "commit", "begin", "engine_connect"):
            log.append((name, outcome(lambda: lib.event.listen(eng, name, lambda *a: None, retval=True))))

    log = check(scenario)
    assert log[0][1][1] == "ArgumentError"


def test_unknown_event_name(check: Callable) -> None:
    def scenario(lib, eng, log):
        log.append(outcome(lambda: lib.event.listen(eng, "no_such_event", lambda *a: None)))
        with eng.connect() as conn:
            log.append(outcome(lambda: lib.event.listen(conn, "no_such_event", lambda *a: None))[:2])

    log = check(scenario)
    assert log[0][:2] == ("raises", "InvalidRequestError")
    assert log[0][2].startswith("No such event 'no_such_event' for target 'Engine(")


def test_remove_unregistered_listener(check: Callable) -> None:
    def scenario(lib, eng, log):
        def never(*args):
            pass

        log.append(outcome(lambda: lib.event.remove(eng, "before_cursor_execute", never))[:2])
        log.append(outcome(lambda: lib.event.contains(eng, "before_cursor_execute", never)))

    check(scenario)


# -- pool events through the engine ----------------------------------------------------------------------------


def test_pool_events_via_engine(check: Callable) -> None:
    def scenario(lib, eng, log):
        def on(name):
            def listener(dbapi_conn, record, *proxy):
                log.append((name, type(record).__name__, [type(p).__name__ for p in proxy],
                            dbapi_conn is not None))

            return listener

        listeners = [(name, on(name)) for name in ("connect", "checkout", "checkin")]
        for name, fn in listeners:
            lib.event.listen(eng, name, fn)
        try:
            log.append("first connect")
            with eng.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            log.append("second connect")
            with eng.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            log.append("two at once")
            with eng.connect(), eng.connect():
                pass
            log.append("raw connection")
            raw = eng.raw_connection()
            raw.close()
            log.append(("contains", [lib.event.contains(eng, name, fn) for name, fn in listeners]))
        finally:
            for name, fn in listeners:
                lib.event.remove(eng, name, fn)
        log.append("removed")
        with eng.connect():
            pass

    check(scenario)


def test_pool_events_survive_dispose(check: Callable) -> None:
    def scenario(lib, eng, log):
        def connect(dbapi_conn, record):
            log.append("connect")

        lib.event.listen(eng, "connect", connect)
        try:
            with eng.connect():
                pass
            eng.dispose()
            log.append("disposed")
            with eng.connect():
                pass
        finally:
            lib.event.remove(eng, "connect", connect)

    check(scenario)


def test_pool_events_on_engine_class(check: Callable) -> None:
    def scenario(lib, eng, log):
        def checkout(dbapi_conn, record, proxy):
            log.append("checkout")

        lib.event.listen(lib.engine.Engine, "checkout", checkout)
        try:
            with eng.connect():
                pass
        finally:
            lib.event.remove(lib.engine.Engine, "checkout", checkout)
        with eng.connect():
            pass

    check(scenario)
