"""Transactions as SQLAlchemy 2.x has them: autobegin, begin(), savepoints, two-phase, isolation."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from ormcore import exc
from ormcore import text


@pytest.fixture
def table(engine: Any) -> Any:
    with engine.begin() as c:
        c.execute(text("CREATE TABLE tx (id INTEGER PRIMARY KEY, v VARCHAR(20))"))
    yield engine
    with engine.begin() as c:
        c.execute(text("DROP TABLE tx"))


def _ids(engine: Any) -> list:
    with engine.connect() as c:
        return c.execute(text("SELECT id FROM tx ORDER BY id")).scalars().all()


def _insert(conn: Any, *ids: int) -> None:
    for i in ids:
        conn.execute(text("INSERT INTO tx (id, v) VALUES (:id, 'x')"), {"id": i})


def test_autobegin_commit_as_you_go(table: Any) -> None:
    with table.connect() as c:
        assert not c.in_transaction()
        _insert(c, 1)
        assert c.in_transaction()
        c.commit()
        assert not c.in_transaction()
        _insert(c, 2)
        c.commit()
    assert _ids(table) == [1, 2]


def test_close_rolls_back(table: Any) -> None:
    with table.connect() as c:
        _insert(c, 1)
    assert _ids(table) == []


def test_engine_begin_commits_or_rolls_back(table: Any) -> None:
    with table.begin() as c:
        _insert(c, 1)
    with pytest.raises(ZeroDivisionError):
        with table.begin() as c:
            _insert(c, 2)
            1 / 0
    assert _ids(table) == [1]


def test_explicit_begin(table: Any) -> None:
    with table.connect() as c:
        with c.begin() as trans:
            assert c.get_transaction() is trans
            _insert(c, 1)
        assert not trans.is_active
        trans2 = c.begin()
        _insert(c, 2)
        trans2.rollback()
    assert _ids(table) == [1]


def test_begin_after_autobegin_is_an_error(table: Any) -> None:
    with table.connect() as c:
        c.execute(text("SELECT 1"))
        with pytest.raises(exc.InvalidRequestError, match="already initialized"):
            c.begin()


def test_commit_inside_begin_block(table: Any) -> None:
    with table.connect() as c:
        with pytest.raises(exc.InvalidRequestError, match="inside context manager"):
            with c.begin():
                _insert(c, 1)
                c.commit()
                _insert(c, 2)
    assert _ids(table) == [1]


def test_savepoints(table: Any) -> None:
    with table.connect() as c:
        _insert(c, 1)
        sp = c.begin_nested()
        assert c.in_nested_transaction()
        _insert(c, 2)
        sp.rollback()
        assert not c.in_nested_transaction()
        with c.begin_nested():
            _insert(c, 3)
        c.commit()
    assert _ids(table) == [1, 3]


def test_begin_nested_autobegins_and_release_keeps_outer_open(table: Any) -> None:
    with table.connect() as c:
        sp = c.begin_nested()
        assert c.in_transaction()
        _insert(c, 1)
        sp.commit()
        assert c.in_transaction()
        c.rollback()
    # RELEASE must not have committed the outer transaction (SQLite's pysqlite pitfall)
    assert _ids(table) == []


def test_nested_savepoints_and_failure_inside(table: Any) -> None:
    with table.connect() as c:
        with c.begin():
            _insert(c, 1)
            outer = c.begin_nested()
            _insert(c, 2)
            with pytest.raises(exc.IntegrityError):
                with c.begin_nested():
                    _insert(c, 1)  # duplicate key: only this savepoint is rolled back
            assert outer.is_active
            _insert(c, 3)
            outer.commit()
    assert _ids(table) == [1, 2, 3]


def test_root_rollback_ends_savepoints(table: Any) -> None:
    with table.connect() as c:
        sp = c.begin_nested()
        _insert(c, 1)
        c.rollback()
        assert not sp.is_active
        assert c.get_nested_transaction() is None
    assert _ids(table) == []


def test_isolation_level_option(table: Any, backend: str) -> None:
    with table.connect() as c:
        assert c.get_isolation_level() == c.default_isolation_level
        c.execution_options(isolation_level="AUTOCOMMIT")
        assert c.get_isolation_level() == "AUTOCOMMIT"
        _insert(c, 1)
        c.rollback()  # nothing to roll back: autocommit
    assert _ids(table) == [1]
    with table.connect() as c:  # the pooled connection was reset
        assert c.get_isolation_level() == c.default_isolation_level


def test_invalid_isolation_level(table: Any) -> None:
    with table.connect() as c:
        with pytest.raises(exc.ArgumentError):
            c.execution_options(isolation_level="NOT A LEVEL")


def test_engine_wide_isolation_level(backend: str, tmp_path: Any, request: Any) -> None:
    from tests.conftest import make_engine

    level = "READ UNCOMMITTED" if backend == "sqlite" else "REPEATABLE READ"
    eng = make_engine(backend, tmp_path, request, isolation_level=level)
    try:
        with eng.connect() as c:
            assert c.get_isolation_level() == level
        with eng.execution_options(isolation_level="SERIALIZABLE").connect() as c:
            assert c.get_isolation_level() == "SERIALIZABLE"
    finally:
        eng.dispose()


def test_invalidate_then_reconnect(table: Any) -> None:
    with table.connect() as c:
        c.execute(text("SELECT 1"))
        c.invalidate()
        assert c.invalidated
        with pytest.raises(exc.PendingRollbackError):
            c.execute(text("SELECT 1"))
        c.rollback()
        assert c.execute(text("SELECT 1")).scalar() == 1
        assert not c.invalidated


def test_events_for_transactions(table: Any) -> None:
    from ormcore import event

    seen: list = []
    for name in ("begin", "commit", "rollback"):
        event.listen(table, name, lambda conn, name=name: seen.append(name))
    event.listen(table, "savepoint", lambda conn, n: seen.append(("savepoint", n)))
    event.listen(table, "release_savepoint", lambda conn, n, ctx: seen.append(("release", n)))
    with table.connect() as c:
        _insert(c, 1)
        with c.begin_nested():
            _insert(c, 2)
        c.commit()
        _insert(c, 3)
    assert seen == ["begin", ("savepoint", None), ("release", "sa_savepoint_1"),
                    "commit", "begin", "rollback"]


def test_connections_in_threads(table: Any) -> None:
    errors: list = []

    def work(start: int) -> None:
        try:
            for i in range(start, start + 20):
                with table.begin() as c:
                    _insert(c, i)
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(n * 100,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(_ids(table)) == 80


# -- two-phase commit (PostgreSQL) -------------------------------------------------------------


@pytest.fixture
def pg_table(pg_engine: Any) -> Any:
    with pg_engine.begin() as c:
        c.execute(text("CREATE TABLE tx (id INTEGER PRIMARY KEY, v VARCHAR(20))"))
    yield pg_engine
    with pg_engine.begin() as c:
        c.execute(text("DROP TABLE tx"))


def test_twophase_prepare_commit(pg_table: Any) -> None:
    with pg_table.connect() as c:
        tp = c.begin_twophase()
        _insert(c, 1)
        tp.prepare()
        assert tp.xid in c.recover_twophase()
        tp.commit()
        assert tp.xid not in c.recover_twophase()
    assert _ids(pg_table) == [1]


def test_twophase_rollback_prepared(pg_table: Any) -> None:
    with pg_table.connect() as c:
        tp = c.begin_twophase()
        _insert(c, 1)
        tp.prepare()
        tp.rollback()
    assert _ids(pg_table) == []


def test_twophase_recovery_from_another_connection(pg_table: Any) -> None:
    with pg_table.connect() as c:
        tp = c.begin_twophase("ormcore-recover-test")
        _insert(c, 7)
        tp.prepare()
        c.invalidate()  # the session that prepared it is gone
    with pg_table.connect() as c:
        assert "ormcore-recover-test" in c.recover_twophase()
        c.commit_prepared("ormcore-recover-test", recover=True)
        assert "ormcore-recover-test" not in c.recover_twophase()
    assert _ids(pg_table) == [7]
    with pg_table.connect() as c:
        tp = c.begin_twophase("ormcore-recover-rollback")
        _insert(c, 8)
        tp.prepare()
        c.invalidate()
    with pg_table.connect() as c:
        c.rollback_prepared("ormcore-recover-rollback", recover=True)
    assert _ids(pg_table) == [7]


def test_twophase_errors(pg_table: Any) -> None:
    with pg_table.connect() as c:
        c.execute(text("SELECT 1"))
        with pytest.raises(exc.InvalidRequestError):
            c.begin_twophase()


def test_twophase_unsupported_on_sqlite() -> None:
    from ormcore import create_engine

    with create_engine("sqlite://").connect() as c:
        with pytest.raises(NotImplementedError):
            c.begin_twophase()
        assert not c.in_transaction()
