"""Shared test fixtures: the backends every engine-level test runs on.

SQLite always (a file database, so the pool behaves as in production); PostgreSQL whenever
ORMCORE_TEST_PG_URL is set. Under CI=true the PostgreSQL URL is required: a run that would
silently skip PostgreSQL fails instead. Each test run gets its own PostgreSQL schema, set as
the search_path of every connection, and drops it at the end.
"""

from __future__ import annotations

import os
import uuid
from typing import Any
from typing import Iterator

import pytest

PG_URL = os.environ.get("ORMCORE_TEST_PG_URL")
IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_configure(config: Any) -> None:
    if IN_CI and not PG_URL:
        raise pytest.UsageError("CI=true requires ORMCORE_TEST_PG_URL: PostgreSQL tests must run")


BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session")
def pg_schema() -> Iterator[str]:
    """A schema private to this test run."""
    import psycopg2

    from ormcore.engine.url import make_url

    url = make_url(PG_URL)
    name = f"ormcore_test_{uuid.uuid4().hex[:10]}"
    args = url.translate_connect_args(username="user", database="dbname")
    conn = psycopg2.connect(**args)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(f'CREATE SCHEMA "{name}"')
    try:
        yield name
    finally:
        with conn.cursor() as cur:
            cur.execute(f'DROP SCHEMA "{name}" CASCADE')
        conn.close()


def make_engine(backend: str, tmp_path: Any, request: Any, lib: Any = None, **kw: Any) -> Any:
    """An engine of ormcore (or of `lib`, e.g. sqlalchemy as the oracle) on `backend`."""
    if lib is None:
        import ormcore as lib
    if backend == "sqlite":
        return lib.create_engine(f"sqlite:///{tmp_path / 'test.db'}", **kw)
    schema = request.getfixturevalue("pg_schema")
    engine = lib.create_engine(PG_URL, **kw)

    @lib.event.listens_for(engine, "connect")
    def set_search_path(dbapi_conn: Any, record: Any) -> None:
        with dbapi_conn.cursor() as cur:
            cur.execute(f'SET search_path TO "{schema}"')
        dbapi_conn.commit()

    return engine


@pytest.fixture(params=BACKENDS)
def backend(request: Any) -> str:
    return request.param


@pytest.fixture
def engine(backend: str, tmp_path: Any, request: Any) -> Iterator[Any]:
    eng = make_engine(backend, tmp_path, request)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def sa_engine(backend: str, tmp_path: Any, request: Any) -> Iterator[Any]:
    """SQLAlchemy itself on the same database: the oracle for differential tests."""
    sqlalchemy = pytest.importorskip("sqlalchemy")
    eng = make_engine(backend, tmp_path, request, lib=sqlalchemy)
    try:
        yield eng
    finally:
        eng.dispose()


@pytest.fixture
def pg_engine(tmp_path: Any, request: Any) -> Iterator[Any]:
    """A PostgreSQL engine; fails under CI when PostgreSQL is not configured, else skips."""
    if not PG_URL:
        pytest.skip("ORMCORE_TEST_PG_URL is not set")
    eng = make_engine("postgresql", tmp_path, request)
    try:
        yield eng
    finally:
        eng.dispose()
