"""create_engine(): URLs, dialect and pool choice, arguments, and dead connections."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
import sqlalchemy

import ormcore
from ormcore import create_engine
from ormcore import exc
from ormcore import pool as pool_module
from ormcore import text
from tests.conftest import PG_URL


def test_sqlite_pools_by_url(tmp_path: Any) -> None:
    assert isinstance(create_engine("sqlite://").pool, pool_module.SingletonThreadPool)
    assert isinstance(create_engine("sqlite:///:memory:").pool, pool_module.SingletonThreadPool)
    file_engine = create_engine(f"sqlite:///{tmp_path / 'a.db'}")
    assert isinstance(file_engine.pool, pool_module.QueuePool)
    assert create_engine("sqlite://", poolclass=pool_module.StaticPool).pool.__class__ is pool_module.StaticPool


def test_sqlite_relative_and_absolute_paths(tmp_path: Any, monkeypatch: Any) -> None:
    monkeypatch.chdir(tmp_path)
    with create_engine("sqlite:///rel.db").begin() as c:
        c.execute(text("CREATE TABLE x (a INTEGER)"))
    assert (tmp_path / "rel.db").exists()
    absolute = tmp_path / "abs.db"
    with create_engine(f"sqlite:///{absolute}").begin() as c:
        c.execute(text("CREATE TABLE x (a INTEGER)"))
    assert absolute.exists()


def test_sqlite_uri_and_driver_options(tmp_path: Any) -> None:
    path = tmp_path / "ro.db"
    sqlite3.connect(path).close()
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true&timeout=3")
    with engine.connect() as c:
        with pytest.raises(exc.OperationalError):
            c.execute(text("CREATE TABLE x (a INTEGER)"))


def test_file_database_connections_cross_threads(tmp_path: Any) -> None:
    import threading

    engine = create_engine(f"sqlite:///{tmp_path / 't.db'}", pool_size=1, max_overflow=0)
    with engine.connect() as c:
        c.execute(text("SELECT 1"))
    out: list = []
    thread = threading.Thread(target=lambda: out.append(engine.connect().execute(text("SELECT 2")).scalar()))
    thread.start()
    thread.join()
    assert out == [2]


def test_pool_arguments_reach_the_pool(tmp_path: Any) -> None:
    engine = create_engine(
        f"sqlite:///{tmp_path / 'p.db'}", pool_size=2, max_overflow=1, pool_timeout=0.2,
        pool_recycle=3600, pool_pre_ping=True,
    )
    held = [engine.connect() for _ in range(3)]
    with pytest.raises(exc.TimeoutError):
        engine.connect()
    for c in held:
        c.close()


def test_invalid_arguments() -> None:
    with pytest.raises(TypeError, match="Invalid argument"):
        create_engine("sqlite://", not_an_argument=1)
    with pytest.raises(TypeError):
        create_engine("sqlite://", max_overflow=3)  # SingletonThreadPool has no overflow


def test_bad_urls() -> None:
    with pytest.raises(exc.ArgumentError):
        create_engine("not a url")
    with pytest.raises(exc.NoSuchModuleError):
        create_engine("nosuchdb://user@host/db")
    with pytest.raises(exc.NoSuchModuleError):
        create_engine("postgresql+nosuchdriver://user@host/db")
    with pytest.raises(exc.ArgumentError):
        create_engine("sqlite://user:pw@host/file.db")


def test_creator_and_connect_args(tmp_path: Any) -> None:
    path = tmp_path / "c.db"
    engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(path))
    with engine.begin() as c:
        c.execute(text("CREATE TABLE x (a INTEGER)"))
    assert path.exists()
    engine = create_engine(f"sqlite:///{path}", connect_args={"timeout": 1.5})
    with engine.connect() as c:
        assert c.execute(text("SELECT 1")).scalar() == 1


def test_nullpool_closes_on_return(tmp_path: Any) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'n.db'}", poolclass=pool_module.NullPool)
    with engine.connect() as c:
        raw = c.connection.dbapi_connection
    with pytest.raises(sqlite3.ProgrammingError):
        raw.execute("SELECT 1")


def test_engine_repr_and_properties() -> None:
    engine = create_engine("sqlite://")
    assert repr(engine) == "Engine(sqlite://)"
    assert engine.name == "sqlite"
    assert engine.driver == "pysqlite"
    assert engine.url.get_backend_name() == "sqlite"


def test_dispose_replaces_the_pool(tmp_path: Any) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'd.db'}")
    old = engine.pool
    with engine.connect() as c:
        c.execute(text("SELECT 1"))
    engine.dispose()
    assert engine.pool is not old
    with engine.connect() as c:
        assert c.execute(text("SELECT 1")).scalar() == 1


def test_raw_connection(tmp_path: Any) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'r.db'}")
    raw = engine.raw_connection()
    cursor = raw.cursor()
    cursor.execute("SELECT 41 + 1")
    assert cursor.fetchone() == (42,)
    raw.close()


def test_execution_options_engine(tmp_path: Any) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'o.db'}", execution_options={"foo": 1})
    assert engine.get_execution_options() == {"foo": 1}
    other = engine.execution_options(bar=2)
    assert other.get_execution_options() == {"foo": 1, "bar": 2}
    assert other.pool is engine.pool
    with other.connect() as c:
        assert c.get_execution_options() == {"foo": 1, "bar": 2}


# -- dead connections (PostgreSQL: kill the backend from outside) ----------------------------


def _kill_backends_of(engine: Any) -> None:
    import psycopg2

    from ormcore.engine.url import make_url

    url = make_url(PG_URL)
    admin = psycopg2.connect(**url.translate_connect_args(username="user", database="dbname"))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE pid <> pg_backend_pid() AND application_name = %s",
            (engine.url.query.get("application_name"),),
        )
    admin.close()


def _pg_engine_named(name: str, **kw: Any) -> Any:
    from ormcore.engine.url import make_url

    url = make_url(PG_URL).update_query_dict({"application_name": name})
    return create_engine(url, **kw)


def test_disconnect_invalidates_and_next_connection_works(pg_engine: Any) -> None:
    engine = _pg_engine_named("ormcore_disconnect_test")
    try:
        with engine.connect() as c:
            c.execute(text("SELECT 1"))
            c.commit()
            _kill_backends_of(engine)
            with pytest.raises(exc.OperationalError) as info:
                c.execute(text("SELECT 1"))
            assert info.value.connection_invalidated
            assert c.invalidated
            c.rollback()
            assert c.execute(text("SELECT 2")).scalar() == 2
    finally:
        engine.dispose()


def test_pre_ping_reconnects_transparently(pg_engine: Any) -> None:
    engine = _pg_engine_named("ormcore_preping_test", pool_pre_ping=True)
    try:
        with engine.connect() as c:
            c.execute(text("SELECT 1"))
        _kill_backends_of(engine)
        with engine.connect() as c:
            assert c.execute(text("SELECT 3")).scalar() == 3
    finally:
        engine.dispose()


def _insert_batches(lib: Any, **engine_kw: Any) -> list:
    # the number of rows in each multi-row INSERT ... RETURNING the driver receives
    engine = lib.create_engine("sqlite://", **engine_kw)
    metadata = lib.MetaData()
    table = lib.Table("t", metadata, lib.Column("id", lib.Integer, primary_key=True),
                      lib.Column("x", lib.Integer))
    metadata.create_all(engine)
    sizes: list = []
    lib.event.listen(engine, "before_cursor_execute",
                     lambda conn, cur, sql, params, ctx, many: sizes.append(len(params)))
    with engine.begin() as conn:
        ids = conn.execute(lib.insert(table).returning(table.c.id),
                           [{"x": i} for i in range(250)]).scalars().all()
    assert ids == list(range(1, 251))
    return sizes


def test_insertmanyvalues_page_size_as_sqlalchemy() -> None:
    for kw in ({}, {"insertmanyvalues_page_size": 100}):
        assert _insert_batches(ormcore, **kw) == _insert_batches(sqlalchemy, **kw)
    assert _insert_batches(ormcore, insertmanyvalues_page_size=100) == [100, 100, 50]
