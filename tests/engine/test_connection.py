"""Connection.execute, exec_driver_sql, parameters and errors, on every backend."""

from __future__ import annotations

import logging
from typing import Any

import pytest

import ormcore
from ormcore import bindparam
from ormcore import exc
from ormcore import text


@pytest.fixture
def conn(engine: Any) -> Any:
    with engine.connect() as c:
        c.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, name VARCHAR(50), score FLOAT)"))
        c.commit()
        yield c
        c.rollback()
        c.execute(text("DROP TABLE t"))
        c.commit()


def _fill(conn: Any, n: int = 5) -> None:
    conn.execute(
        text("INSERT INTO t (id, name, score) VALUES (:id, :name, :score)"),
        [{"id": i, "name": f"n{i}", "score": i / 2} for i in range(1, n + 1)],
    )


def test_execute_single_and_many(conn: Any) -> None:
    result = conn.execute(text("INSERT INTO t (id, name) VALUES (:id, :name)"), {"id": 1, "name": "a"})
    assert result.rowcount == 1
    assert not result.returns_rows
    result = conn.execute(
        text("INSERT INTO t (id, name) VALUES (:id, :name)"),
        [{"id": 2, "name": "b"}, {"id": 3, "name": "c"}],
    )
    assert result.rowcount == 2
    assert conn.execute(text("SELECT id, name FROM t ORDER BY id")).all() == [(1, "a"), (2, "b"), (3, "c")]


def test_list_of_one_dict_is_a_single_execution(conn: Any) -> None:
    assert conn.execute(text("SELECT :a AS a"), [{"a": 5}]).scalar() == 5


def test_values_are_bound_not_pasted(conn: Any) -> None:
    hostile = "x'); DROP TABLE t; --"
    conn.execute(text("INSERT INTO t (id, name) VALUES (:id, :name)"), {"id": 1, "name": hostile})
    assert conn.execute(text("SELECT name FROM t WHERE name = :n"), {"n": hostile}).scalar() == hostile
    assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 1


def test_percent_signs_in_text(conn: Any) -> None:
    conn.execute(text("INSERT INTO t (id, name) VALUES (1, '100%'), (2, 'abc')"))
    rows = conn.execute(text("SELECT name FROM t WHERE name LIKE '%\\%%' ESCAPE '\\' ORDER BY id")).all()
    assert rows == [("100%",)]
    assert conn.execute(text("SELECT 7 % 3")).scalar() == 1


def test_escaped_colon_and_casts(conn: Any, backend: str) -> None:
    assert conn.execute(text("SELECT 'a\\:b'")).scalar() == "a:b"
    if backend == "postgresql":
        # a `::` cast is SQL, not a bind parameter
        assert conn.execute(text("SELECT CAST(:v AS TEXT)::integer + 1"), {"v": "41"}).scalar() == 42


def test_missing_parameter(conn: Any) -> None:
    with pytest.raises(exc.StatementError) as info:
        conn.execute(text("SELECT * FROM t WHERE id = :id"))
    assert "A value is required for bind parameter 'id'" in str(info.value)
    assert isinstance(info.value.orig, exc.InvalidRequestError)
    conn.rollback()
    with pytest.raises(exc.StatementError):
        conn.execute(text("INSERT INTO t (id, name) VALUES (:id, :name)"), [{"id": 1, "name": "a"}, {"id": 2}])


def test_bindparams_values_and_types(conn: Any) -> None:
    _fill(conn)
    stmt = text("SELECT name FROM t WHERE id = :id").bindparams(id=3)
    assert conn.execute(stmt).scalar() == "n3"
    # a new statement of the same shape hits the compiled cache but uses its own value
    assert conn.execute(text("SELECT name FROM t WHERE id = :id").bindparams(id=4)).scalar() == "n4"
    # an explicit parameter overrides the bound value
    assert conn.execute(stmt, {"id": 2}).scalar() == "n2"
    with pytest.raises(exc.ArgumentError):
        text("SELECT :a").bindparams(b=1)


def test_expanding_in(conn: Any) -> None:
    _fill(conn)
    stmt = text("SELECT id FROM t WHERE id IN :ids ORDER BY id").bindparams(bindparam("ids", expanding=True))
    assert conn.execute(stmt, {"ids": [1, 3, 5]}).scalars().all() == [1, 3, 5]
    assert conn.execute(stmt, {"ids": (2,)}).scalars().all() == [2]
    assert conn.execute(stmt, {"ids": []}).scalars().all() == []
    not_in = text("SELECT count(*) FROM t WHERE id NOT IN :ids").bindparams(bindparam("ids", expanding=True))
    assert conn.execute(not_in, {"ids": []}).scalar() == 5
    with pytest.raises(exc.StatementError):
        conn.execute(stmt, {"ids": 3})


def test_compiled_cache_reuses_compilation(engine: Any) -> None:
    engine.clear_compiled_cache()
    with engine.connect() as c:
        for i in range(5):
            assert c.execute(text("SELECT :x AS x"), {"x": i}).scalar() == i
    assert len(engine._compiled_cache) == 1
    with engine.connect() as c:
        c.execute(text("SELECT 1"), execution_options={"compiled_cache": None})
    assert len(engine._compiled_cache) == 1


def test_query_cache_size_bounds_the_cache(engine: Any, backend: str, tmp_path: Any, request: Any) -> None:
    from tests.conftest import make_engine

    small = make_engine(backend, tmp_path, request, query_cache_size=3)
    with small.connect() as c:
        for i in range(10):
            c.execute(text(f"SELECT {i}"))
    # pruned back to the 3 most recent whenever it grows past half again its capacity
    assert len(small._compiled_cache) <= 3 + 3 // 2
    assert text("SELECT 9")._cache_key()[0] in small._compiled_cache
    small.dispose()


def test_exec_driver_sql(conn: Any, engine: Any) -> None:
    insert = (
        "INSERT INTO t (id, name) VALUES (:id, :name)"
        if engine.dialect.name == "sqlite"  # sqlite3 takes :name with a dict in any style
        else "INSERT INTO t (id, name) VALUES (%(id)s, %(name)s)"
    )
    conn.exec_driver_sql(insert, {"id": 1, "name": "a"})
    conn.exec_driver_sql(insert, [{"id": 2, "name": "b"}, {"id": 3, "name": "c"}])
    assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 3


def test_string_is_not_executable(conn: Any) -> None:
    with pytest.raises(exc.ObjectNotExecutableError):
        conn.execute("SELECT 1")


def test_bad_parameter_argument(conn: Any) -> None:
    with pytest.raises(exc.ArgumentError):
        conn.execute(text("SELECT 1"), 5)


def test_integrity_error_is_wrapped(conn: Any, engine: Any) -> None:
    _fill(conn, 1)
    with pytest.raises(exc.IntegrityError) as info:
        conn.execute(text("INSERT INTO t (id, name) VALUES (:id, :name)"), {"id": 1, "name": "dup"})
    err = info.value
    assert isinstance(err.orig, engine.dialect.loaded_dbapi.IntegrityError)
    assert "INSERT INTO t" in err.statement
    # what the driver was given: SQLite's qmark tuple, PostgreSQL's pyformat dict
    assert err.params in ((1, "dup"), {"id": 1, "name": "dup"})
    assert isinstance(err, exc.DBAPIError)


def test_programming_error_is_wrapped(conn: Any) -> None:
    with pytest.raises((exc.ProgrammingError, exc.OperationalError)) as info:
        conn.execute(text("SELECT nope FROM t"))
    assert info.value.statement == "SELECT nope FROM t"


def test_failed_transaction_on_postgresql(pg_engine: Any) -> None:
    with pg_engine.connect() as c:
        with pytest.raises(exc.ProgrammingError):
            c.execute(text("SELECT nope"))
        # the server refuses everything until the transaction is rolled back
        with pytest.raises(exc.InternalError):
            c.execute(text("SELECT 1"))
        c.rollback()
        assert c.execute(text("SELECT 1")).scalar() == 1


def test_closed_connection(engine: Any) -> None:
    c = engine.connect()
    c.close()
    assert c.closed
    with pytest.raises(exc.ResourceClosedError, match="This Connection is closed"):
        c.execute(text("SELECT 1"))
    c.close()  # closing twice is harmless


def test_echo_logs_statements_and_parameters(backend: str, tmp_path: Any, request: Any, caplog: Any) -> None:
    from tests.conftest import make_engine

    eng = make_engine(backend, tmp_path, request, echo=True)
    try:
        with caplog.at_level(logging.INFO, logger="ormcore.engine"):
            with eng.connect() as c:
                c.execute(text("SELECT :x AS x"), {"x": 42}).all()
                c.commit()
        messages = [r.getMessage() for r in caplog.records if r.name.startswith("ormcore.engine")]
        assert "BEGIN (implicit)" in messages
        assert any("SELECT" in m for m in messages)
        assert any("42" in m for m in messages)
        assert "COMMIT" in messages
    finally:
        eng.echo = False
        eng.dispose()


def test_hide_parameters(backend: str, tmp_path: Any, request: Any) -> None:
    from tests.conftest import make_engine

    eng = make_engine(backend, tmp_path, request, hide_parameters=True)
    try:
        with eng.connect() as c, pytest.raises(exc.DBAPIError) as info:
            c.execute(text("SELECT * FROM no_such_table WHERE x = :secret"), {"secret": "hunter2"})
        # (PostgreSQL's own message may quote the statement with the value in it)
        assert "[parameters:" not in str(info.value)
        assert "hidden due to hide_parameters=True" in str(info.value)
    finally:
        eng.dispose()


def test_differential_rows_against_sqlalchemy(engine: Any, sa_engine: Any) -> None:
    import sqlalchemy

    with engine.begin() as c:
        c.execute(text("CREATE TABLE d (id INTEGER PRIMARY KEY, s VARCHAR(20), f FLOAT)"))
        c.execute(text("INSERT INTO d VALUES (:id, :s, :f)"),
                  [{"id": i, "s": f"s{i}" if i % 3 else None, "f": i * 1.5} for i in range(50)])
    try:
        query = "SELECT id, s, f FROM d WHERE id >= :lo ORDER BY id"
        with engine.connect() as c, sa_engine.connect() as sc:
            ours = c.execute(text(query), {"lo": 10}).all()
            theirs = sc.execute(sqlalchemy.text(query), {"lo": 10}).all()
            assert [tuple(r) for r in ours] == [tuple(r) for r in theirs]
            assert list(c.execute(text(query), {"lo": 45}).keys()) == list(
                sc.execute(sqlalchemy.text(query), {"lo": 45}).keys()
            )
    finally:
        with engine.begin() as c:
            c.execute(text("DROP TABLE d"))


def test_top_level_names() -> None:
    assert ormcore.create_engine is ormcore.engine.create_engine
    assert isinstance(ormcore.has_speedups(), bool)


def test_dropped_result_releases_its_cursor(tmp_path: Any) -> None:
    # a result nobody references must free its cursor at once (no reference cycle), or
    # SQLite keeps the statement open and refuses DDL on the table it read
    engine = ormcore.create_engine(f"sqlite:///{tmp_path / 'free.db'}")
    with engine.begin() as c:
        c.execute(text("CREATE TABLE d (id INTEGER PRIMARY KEY)"))
        c.execute(text("INSERT INTO d VALUES (:id)"), [{"id": i} for i in range(50)])
    with engine.connect() as c:
        c.execute(text("SELECT id FROM d")).keys()
        c.execute(text("SELECT id FROM d")).columns("id").keys()
        c.exec_driver_sql("DROP TABLE d")
