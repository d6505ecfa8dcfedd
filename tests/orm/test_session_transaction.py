"""Session transactions: autobegin, begin / begin_nested / commit / rollback / close / reset,
join_transaction_mode, binds, two-phase, PendingRollbackError, session events.

Differential tests run one script of Core statements through sqlalchemy.orm.Session and
ormcore.orm.Session against the same database and compare what each observed.
"""

from __future__ import annotations

import re
import threading
from typing import Any
from typing import Callable

import pytest

import ormcore
from ormcore import exc
from ormcore.orm import Session
from ormcore.orm import SessionTransactionOrigin
from ormcore.orm import SessionTransactionState
from ormcore.orm import close_all_sessions
from ormcore.orm import sessionmaker
from tests.conftest import make_engine


def _sqlite_savepoint_recipe(lib: Any, engine: Any) -> None:
    """SQLAlchemy's documented pysqlite recipe, so that its SAVEPOINTs work as ormcore's do."""

    @lib.event.listens_for(engine, "connect")
    def no_pysqlite_begin(dbapi_conn: Any, record: Any) -> None:
        dbapi_conn.isolation_level = None

    @lib.event.listens_for(engine, "begin")
    def emit_begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def _setup(lib: Any, engine: Any) -> Any:
    if engine.dialect.name == "postgresql":
        with engine.begin() as c:
            c.exec_driver_sql("DROP TABLE IF EXISTS child")
    meta = lib.MetaData()
    table = lib.Table("items", meta, lib.Column("id", lib.Integer, primary_key=True),
                      lib.Column("name", lib.String(30)))
    meta.drop_all(engine)
    meta.create_all(engine)
    return table


def _error(err: BaseException) -> tuple:
    text = re.sub(r" \(Background on this error at: \S+\)", "", str(err))
    return type(err).__name__, text.split("\n")[0]


def _run(lib: Any, engine: Any, script: Callable) -> list:
    table = _setup(lib, engine)
    log: list = []

    def outside() -> list:
        with engine.connect() as c:
            return sorted(r[0] for r in c.execute(lib.select(table.c.id)))

    script(lib, engine, table, log, outside)
    return log


@pytest.fixture
def both(backend: str, engine: Any, sa_engine: Any) -> Callable:
    if backend == "sqlite":
        _sqlite_savepoint_recipe(__import__("sqlalchemy"), sa_engine)

    def compare(script: Callable) -> list:
        import sqlalchemy
        import sqlalchemy.orm

        expected = _run(sqlalchemy, sa_engine, script)
        sa_engine.dispose()
        got = _run(ormcore, engine, script)
        assert got == expected
        return got

    return compare


def _orm(lib: Any) -> Any:
    return __import__(f"{lib.__name__}.orm", fromlist=["Session"])


def _ins(lib: Any, table: Any, *ids: int) -> Any:
    return lib.insert(table), [{"id": i, "name": f"n{i}"} for i in ids]


def test_autobegin_commit_rollback_differential(both: Callable) -> None:
    def script(lib: Any, engine: Any, table: Any, log: list, outside: Callable) -> None:
        orm = _orm(lib)
        session = orm.Session(engine)
        log.append(("fresh", session.in_transaction(), session.is_active, session.get_transaction()))
        session.execute(*_ins(lib, table, 1, 2))
        trans = session.get_transaction()
        log.append(("autobegun", session.in_transaction(), trans.origin.name, trans.nested,
                    trans.parent, trans.is_active))
        log.append(("inside", session.scalars(lib.select(table.c.id).order_by(table.c.id)).all()))
        session.rollback()
        log.append(("rolled back", outside(), session.in_transaction(), trans.is_active))
        session.execute(*_ins(lib, table, 3))
        session.commit()
        log.append(("committed", outside(), session.in_transaction()))
        log.append(("scalar", session.scalar(lib.select(lib.func.count()).select_from(table))))
        session.close()
        log.append(("closed", session.in_transaction()))
        session.execute(*_ins(lib, table, 4))  # close() resets: the session is usable again
        session.commit()
        log.append(("reused", outside()))

    both(script)


def test_savepoints_differential(both: Callable) -> None:
    def script(lib: Any, engine: Any, table: Any, log: list, outside: Callable) -> None:
        orm = _orm(lib)
        with orm.Session(engine) as session:
            session.execute(*_ins(lib, table, 1))
            sp = session.begin_nested()
            log.append(("nested", session.in_nested_transaction(), sp.nested, sp.origin.name,
                        sp.parent is session.get_transaction(),
                        session.get_nested_transaction() is sp))
            session.execute(*_ins(lib, table, 2))
            sp.rollback()
            log.append(("after sp rollback", session.in_nested_transaction(),
                        session.scalars(lib.select(table.c.id).order_by(table.c.id)).all()))
            with session.begin_nested():
                session.execute(*_ins(lib, table, 3))
                with session.begin_nested():
                    session.execute(*_ins(lib, table, 4))
            try:
                with session.begin_nested():
                    session.execute(*_ins(lib, table, 5))
                    session.execute(*_ins(lib, table, 1))  # duplicate key
            except lib.exc.IntegrityError as err:
                log.append(("integrity", type(err).__name__))
            log.append(("still active", session.is_active, session.in_nested_transaction()))
            session.commit()
            log.append(("committed", outside()))
            # begin_nested() with no transaction autobegins the outer one
            sp = session.begin_nested()
            session.execute(*_ins(lib, table, 6))
            log.append(("outer", session.get_transaction().origin.name,
                        session.get_transaction().is_active))
            session.rollback()  # the whole stack
            log.append(("stack rolled back", outside(), sp.is_active, session.in_transaction()))

    both(script)


def test_context_managers_differential(both: Callable) -> None:
    def script(lib: Any, engine: Any, table: Any, log: list, outside: Callable) -> None:
        orm = _orm(lib)
        session = orm.Session(engine)
        with session.begin():
            session.execute(*_ins(lib, table, 1))
        log.append(("begin block", outside(), session.in_transaction()))
        try:
            with session.begin():
                session.execute(*_ins(lib, table, 2))
                raise ValueError("boom")
        except ValueError:
            pass
        log.append(("failed block", outside(), session.in_transaction()))
        with session.begin() as trans:
            log.append(("origin", trans.origin.name))
            session.execute(*_ins(lib, table, 3))
            trans.rollback()
            try:
                session.execute(*_ins(lib, table, 4))
            except Exception as err:
                log.append(("inside closed block", _error(err)))
        log.append(("after", outside()))
        Maker = orm.sessionmaker(engine)
        with Maker.begin() as s2:
            s2.execute(*_ins(lib, table, 5))
        log.append(("maker begin", outside(), s2.in_transaction()))
        try:
            with Maker.begin() as s3:
                s3.execute(*_ins(lib, table, 6))
                raise KeyError("x")
        except KeyError:
            pass
        log.append(("maker failed", outside()))
        with Maker() as s4:
            s4.execute(*_ins(lib, table, 7))
        log.append(("with session, no commit", outside()))

    both(script)


def test_error_messages_differential(both: Callable) -> None:
    def script(lib: Any, engine: Any, table: Any, log: list, outside: Callable) -> None:
        orm = _orm(lib)

        def attempt(label: str, fn: Callable) -> None:
            try:
                fn()
                log.append((label, "ok"))
            except Exception as err:
                log.append((label, _error(err)))

        session = orm.Session(engine)
        session.begin()
        attempt("begin twice", session.begin)
        session.rollback()
        no_auto = orm.Session(engine, autobegin=False)
        attempt("autobegin off", lambda: no_auto.execute(lib.select(table.c.id)))
        attempt("autobegin off commit", no_auto.commit)
        with no_auto.begin():
            attempt("explicit begin ok", lambda: no_auto.execute(lib.select(table.c.id)).all())
        attempt("autobegin off again", lambda: no_auto.connection())
        unbound = orm.Session()
        attempt("unbound", lambda: unbound.execute(lib.select(table.c.id)))
        attempt("unbound get_bind", unbound.get_bind)
        attempt("text string", lambda: session.execute("select 1"))
        attempt("bad join mode", lambda: orm.Session(engine, join_transaction_mode="x"))
        attempt("autocommit", lambda: orm.Session(engine, autocommit=True))
        attempt("prepare no twophase", lambda: session.prepare())
        session.rollback()
        final = orm.Session(engine, close_resets_only=False)
        final.execute(*_ins(lib, table, 1))
        final.close()
        attempt("closed for good", lambda: final.execute(lib.select(table.c.id)))
        attempt("closed begin", final.begin)
        final.reset()
        attempt("reset revives", lambda: final.execute(lib.select(table.c.id)).all())
        final.close()
        s = orm.Session(engine)
        sp = s.begin_nested()
        sp.commit()
        attempt("commit closed savepoint", sp.commit)
        attempt("rollback closed savepoint", sp.rollback)
        s.close()
        log.append(("outside", outside()))

    both(script)


def test_join_external_transaction_differential(both: Callable) -> None:
    def script(lib: Any, engine: Any, table: Any, log: list, outside: Callable) -> None:
        orm = _orm(lib)
        n = 10
        for mode in ("conditional_savepoint", "create_savepoint", "control_fully", "rollback_only"):
            for with_savepoint in (False, True):
                n += 10
                with engine.connect() as conn:
                    trans = conn.begin()
                    if with_savepoint:
                        conn.begin_nested()
                    session = orm.Session(bind=conn, join_transaction_mode=mode)
                    session.execute(*_ins(lib, table, n))
                    session.commit()
                    state = ("commit", mode, with_savepoint, conn.in_transaction(),
                             conn.in_nested_transaction(), trans.is_active)
                    session.execute(*_ins(lib, table, n + 1))
                    session.rollback()
                    state += (conn.in_transaction(), conn.in_nested_transaction())
                    session.close()
                    state += (conn.in_transaction(), conn.closed)
                    try:
                        state += (sorted(r[0] for r in conn.execute(lib.select(table.c.id))),)
                    except Exception as err:
                        state += (_error(err),)
                    conn.rollback()
                    log.append(state)
                log.append(("outside", mode, with_savepoint, outside()))
        # an external connection not in a transaction: the session begins and ends it
        with engine.connect() as conn:
            session = orm.Session(bind=conn)
            session.execute(*_ins(lib, table, 3))
            session.commit()
            log.append(("plain conn", conn.in_transaction(), outside(), conn.closed))
            session.close()
            log.append(("plain conn closed", conn.closed))

    both(script)


def test_binds_route_statements_by_table(tmp_path: Any) -> None:
    one = ormcore.create_engine(f"sqlite:///{tmp_path / 'one.db'}")
    two = ormcore.create_engine(f"sqlite:///{tmp_path / 'two.db'}")
    meta = ormcore.MetaData()
    a = ormcore.Table("a", meta, ormcore.Column("id", ormcore.Integer, primary_key=True))
    b = ormcore.Table("b", meta, ormcore.Column("id", ormcore.Integer, primary_key=True))
    meta.create_all(one)
    meta.create_all(two)

    class Mapped:
        __table__ = b

    class Sub(Mapped):
        pass

    session = Session(binds={a: one, Mapped: two})
    assert dict(session.binds) == {a: one, Mapped: two}
    assert session.get_bind(clause=ormcore.select(a.c.id)) is one
    assert session.get_bind(clause=ormcore.select(a.c.id).join(b, a.c.id == b.c.id)) is one
    assert session.get_bind(Sub) is two
    assert session.get_bind(clause=ormcore.insert(a)) is one
    with pytest.raises(exc.UnboundExecutionError, match="Could not locate a bind configured on SQL expression or this Session"):
        session.get_bind(clause=ormcore.select(b.c.id))
    session.execute(ormcore.insert(a), [{"id": 1}])
    session.execute(ormcore.insert(b), [{"id": 2}], bind_arguments={"mapper": Mapped})
    assert session.connection(bind_arguments={"clause": a}) is not session.connection(bind_arguments={"bind": two})
    assert len(session.get_transaction().connections) == 2
    session.commit()
    with one.connect() as c:
        assert c.execute(ormcore.select(a.c.id)).all() == [(1,)]
    with two.connect() as c:
        assert c.execute(ormcore.select(b.c.id)).all() == [(2,)]
    default = Session(one, binds={b: two})
    assert default.get_bind(clause=ormcore.select(a.c.id)) is one
    assert default.get_bind() is one
    with pytest.raises(exc.ArgumentError, match="Not an acceptable bind target"):
        Session(binds={"nope": one})
    one.dispose()
    two.dispose()


def test_savepoint_spans_every_engine(tmp_path: Any) -> None:
    one = ormcore.create_engine(f"sqlite:///{tmp_path / 'one.db'}")
    two = ormcore.create_engine(f"sqlite:///{tmp_path / 'two.db'}")
    meta = ormcore.MetaData()
    a = ormcore.Table("a", meta, ormcore.Column("id", ormcore.Integer, primary_key=True))
    b = ormcore.Table("b", meta, ormcore.Column("id", ormcore.Integer, primary_key=True))
    meta.create_all(one)
    meta.create_all(two)
    seen: list = []
    for eng in (one, two):
        ormcore.event.listen(eng, "savepoint", lambda conn, name: seen.append(conn.engine))
    session = Session(binds={a: one, b: two})
    session.execute(ormcore.insert(a), [{"id": 1}])
    session.execute(ormcore.insert(b), [{"id": 1}])
    with session.begin_nested() as sp:
        session.execute(ormcore.insert(a), [{"id": 2}])
        session.execute(ormcore.insert(b), [{"id": 2}])
        assert len(sp.connections) == 2
        sp.rollback()
    assert sorted(map(id, seen)) == sorted([id(one), id(two)])
    session.commit()
    for eng, t in ((one, a), (two, b)):
        with eng.connect() as c:
            assert c.execute(ormcore.select(t.c.id)).all() == [(1,)]
        eng.dispose()


def test_states_and_connection_reuse(engine: Any) -> None:
    _setup(ormcore, engine)
    session = Session(engine)
    conn = session.connection()
    trans = session.get_transaction()
    assert trans._state is SessionTransactionState.ACTIVE
    assert session.connection() is conn
    assert trans.bound_connection() is conn
    with pytest.warns(exc.SAWarning, match="execution_options ignored"):
        session.connection(execution_options={"stream_results": False})
    session.commit()
    assert trans._state is SessionTransactionState.CLOSED and not trans.is_active
    assert conn.closed
    with pytest.raises(exc.ResourceClosedError, match="This transaction is closed"):
        trans.commit()
    opts = Session(engine).connection(execution_options={"isolation_level": "SERIALIZABLE"})
    assert opts.get_execution_options()["isolation_level"] == "SERIALIZABLE"
    assert SessionTransactionOrigin.SUBTRANSACTION.value == 3


def test_flush_failure_raises_pending_rollback_until_rollback(engine: Any) -> None:
    """The subtransaction a flush runs in (Session._flush_transaction): a failure inside it
    deactivates the stack, and the Session refuses work until rollback()."""
    table = _setup(ormcore, engine)
    session = Session(engine)
    session.execute(*_ins(ormcore, table, 1))
    with pytest.raises(exc.IntegrityError):
        with session._flush_transaction() as sub:
            assert sub.origin is SessionTransactionOrigin.SUBTRANSACTION
            assert sub.parent is session.get_transaction()
            session.execute(*_ins(ormcore, table, 1))
    assert not session.is_active
    assert session.in_transaction()
    for attempt in (lambda: session.execute(ormcore.select(table.c.id)), session.commit,
                    session.connection):
        with pytest.raises(exc.PendingRollbackError, match="due to a previous exception during flush") as info:
            attempt()
        assert info.value.code == "7s2a"
        assert "UNIQUE constraint failed" in str(info.value) or "duplicate key" in str(info.value)
    with pytest.raises(exc.PendingRollbackError):
        session.begin_nested()
    session.rollback()
    assert session.is_active
    session.execute(*_ins(ormcore, table, 2))
    session.commit()
    with engine.connect() as c:
        assert c.execute(ormcore.select(table.c.id)).all() == [(2,)]


def test_flush_failure_inside_begin_block(engine: Any) -> None:
    table = _setup(ormcore, engine)
    session = Session(engine)
    with pytest.raises(exc.IntegrityError):
        with session.begin():
            session.execute(*_ins(ormcore, table, 1))
            try:
                with session._flush_transaction():
                    session.execute(*_ins(ormcore, table, 1))
            except exc.IntegrityError:
                with pytest.raises(exc.InvalidRequestError, match="Can't operate on closed transaction inside context manager"):
                    session.execute(ormcore.select(table.c.id))
                raise
    assert not session.in_transaction()
    session.execute(*_ins(ormcore, table, 3))
    session.commit()


def test_commit_failure_deferred_constraint_differential(backend: str, both: Callable) -> None:
    if backend != "postgresql":
        pytest.skip("deferred constraints: PostgreSQL")

    def script(lib: Any, engine: Any, table: Any, log: list, outside: Callable) -> None:
        orm = _orm(lib)
        with engine.begin() as c:
            c.exec_driver_sql("DROP TABLE IF EXISTS child")
            c.exec_driver_sql(
                "CREATE TABLE child (id int primary key, item_id int REFERENCES items (id) "
                "DEFERRABLE INITIALLY DEFERRED)")
        session = orm.Session(engine)
        session.execute(lib.text("INSERT INTO child VALUES (1, 99)"))
        try:
            session.commit()
        except Exception as err:
            log.append(("commit failed", type(err).__name__))
        log.append(("state", session.in_transaction(), session.is_active))
        try:
            session.execute(lib.select(table.c.id))
        except Exception as err:
            log.append(("use", _error(err)))
        session.rollback()
        log.append(("after rollback", session.in_transaction(), session.is_active,
                    session.execute(lib.select(table.c.id)).all()))
        session.close()
        with engine.begin() as c:
            c.exec_driver_sql("DROP TABLE child")

    both(script)


def test_twophase_commit_on_two_engines(pg_engine: Any, tmp_path: Any, request: Any) -> None:
    other = make_engine("postgresql", tmp_path, request)
    table = _setup(ormcore, pg_engine)
    meta = ormcore.MetaData()
    other_table = ormcore.Table("others", meta, ormcore.Column("id", ormcore.Integer, primary_key=True))
    meta.create_all(other)
    prepared: list = []
    for eng in (pg_engine, other):
        ormcore.event.listen(eng, "prepare_twophase", lambda conn, xid: prepared.append(xid))
    session = Session(binds={table: pg_engine, other_table: other}, twophase=True)
    session.execute(*_ins(ormcore, table, 1))
    session.execute(ormcore.insert(other_table), [{"id": 1}])
    session.commit()
    assert len(prepared) == 2 and prepared[0] != prepared[1]
    with pg_engine.connect() as c:
        assert c.execute(ormcore.select(table.c.id)).all() == [(1,)]
    with other.connect() as c:
        assert c.execute(ormcore.select(other_table.c.id)).all() == [(1,)]

    # explicit prepare(), then commit()
    session.execute(*_ins(ormcore, table, 2))
    session.prepare()
    assert session.get_transaction()._state is SessionTransactionState.PREPARED
    session.commit()

    # a failure while preparing one engine rolls back both
    with pg_engine.begin() as c:
        c.exec_driver_sql("CREATE TABLE child (id int primary key, item_id int REFERENCES items (id) "
                          "DEFERRABLE INITIALLY DEFERRED)")
    session.execute(ormcore.insert(other_table), [{"id": 2}])
    session.execute(ormcore.text("INSERT INTO child VALUES (1, 99)"), bind_arguments={"bind": pg_engine})
    with pytest.raises(exc.IntegrityError):
        session.commit()
    assert not session.in_transaction()
    with other.connect() as c:
        assert c.execute(ormcore.select(other_table.c.id)).all() == [(1,)]
        assert c.exec_driver_sql("SELECT count(*) FROM pg_prepared_xacts").scalar() == 0
    with pg_engine.connect() as c:
        assert c.execute(ormcore.select(table.c.id).order_by(table.c.id)).all() == [(1,), (2,)]
    session.close()
    other.dispose()


def test_session_events(engine: Any) -> None:
    table = _setup(ormcore, engine)
    seen: list = []
    Maker = sessionmaker(engine)
    ormcore.event.listen(Maker, "after_begin", lambda s, t, c: seen.append(("begin", t.origin.name)))
    ormcore.event.listen(Maker, "after_commit", lambda s: seen.append("commit"))
    ormcore.event.listen(Maker, "before_commit", lambda s: seen.append("before_commit"))
    ormcore.event.listen(Maker, "after_rollback", lambda s: seen.append("rollback"))
    ormcore.event.listen(Maker, "after_soft_rollback", lambda s, t: seen.append(("soft", t.nested)))
    session = Maker()
    session.execute(*_ins(ormcore, table, 1))
    sp = session.begin_nested()
    sp.rollback()
    session.commit()
    session.rollback()  # nothing to roll back: no events
    Session(engine).execute(ormcore.select(table.c.id))  # another class: not listened
    # as SQLAlchemy: the savepoint never used a connection, so it emitted no SAVEPOINT, yet
    # its rollback() fires after_rollback
    assert seen == [("begin", "AUTOBEGIN"), "rollback", ("soft", True), "before_commit", "commit"]
    created: list = []
    one = Session(engine)
    ormcore.event.listen(one, "after_transaction_create", lambda s, t: created.append(t.origin.name))
    ormcore.event.listen(one, "after_transaction_end", lambda s, t: created.append("end"))
    one.begin()
    one.begin_nested()
    one.commit()
    assert created == ["BEGIN", "BEGIN_NESTED", "end", "end"]


def test_close_all_sessions_and_invalidate(engine: Any) -> None:
    table = _setup(ormcore, engine)
    sessions = [Session(engine) for _ in range(3)]
    for s in sessions:
        s.execute(ormcore.select(table.c.id))
    close_all_sessions()
    assert not any(s.in_transaction() for s in sessions)
    s = Session(engine)
    conn = s.connection()
    s.invalidate()
    assert conn.closed and not s.in_transaction()


def test_sessions_in_threads(engine: Any) -> None:
    table = _setup(ormcore, engine)
    Maker = sessionmaker(engine)
    errors: list = []

    def work(start: int) -> None:
        try:
            with Maker.begin() as s:
                s.execute(*_ins(ormcore, table, start))
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(1, 6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with Maker() as s:
        assert s.scalars(ormcore.select(table.c.id).order_by(table.c.id)).all() == [1, 2, 3, 4, 5]


def test_no_autoflush_and_flush_entry_points(engine: Any) -> None:
    session = Session(engine)
    assert session.autoflush
    with session.no_autoflush as s:
        assert s is session and not session.autoflush
    assert session.autoflush
    session.flush()  # nothing pending: nothing to do, no transaction begun
    assert not session.in_transaction()
    assert len(session.identity_map) == 0 and session._is_clean()
