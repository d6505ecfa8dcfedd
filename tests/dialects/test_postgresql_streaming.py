"""stream_results and yield_per on PostgreSQL read rows through a server-side cursor.

psycopg2 otherwise buffers a whole result in the client. Each test checks that a cursor is
open on the server while rows are being read (pg_cursors, asked on the same connection) and
that what is read is what a buffered execution reads.
"""

from __future__ import annotations

from typing import Any

import pytest

import ormcore
from ormcore import orm

ROWS = 1000


@pytest.fixture
def numbers(pg_engine: Any) -> Any:
    metadata = ormcore.MetaData()
    table = ormcore.Table(
        "stream_numbers", metadata,
        ormcore.Column("id", ormcore.Integer, primary_key=True),
        ormcore.Column("v", ormcore.Integer),
    )
    metadata.drop_all(pg_engine)
    metadata.create_all(pg_engine)
    with pg_engine.begin() as conn:
        conn.execute(ormcore.insert(table), [{"id": i, "v": i * 2} for i in range(1, ROWS + 1)])
    yield table
    metadata.drop_all(pg_engine)


def _open_cursors(conn: Any) -> int:
    # (buffered itself: Connection.execution_options() sets options on the connection)
    return conn.execute(ormcore.text("SELECT count(*) FROM pg_cursors"),
                        execution_options={"stream_results": False}).scalar()


def test_core_stream_results_fetches_from_a_server_cursor(pg_engine: Any, numbers: Any) -> None:
    stmt = ormcore.select(numbers.c.id, numbers.c.v).order_by(numbers.c.id)
    with pg_engine.connect() as conn:
        buffered = conn.execute(stmt).all()
        result = conn.execution_options(stream_results=True).execute(stmt)
        assert list(result.keys()) == ["id", "v"]
        first = result.fetchone()
        assert _open_cursors(conn) == 1
        rest = result.fetchmany(10) + result.all()
        assert [first, *rest] == buffered
        assert _open_cursors(conn) == 0


def test_text_and_empty_results_stream(pg_engine: Any, numbers: Any) -> None:
    with pg_engine.connect() as conn:
        streaming = conn.execution_options(stream_results=True)
        rows = streaming.execute(ormcore.text("SELECT id FROM stream_numbers WHERE id < 4 ORDER BY id"))
        assert [tuple(r) for r in rows] == [(1,), (2,), (3,)]
        empty = streaming.execute(ormcore.text("SELECT id FROM stream_numbers WHERE id < 0"))
        assert list(empty.keys()) == ["id"] and empty.all() == []


def test_errors_raised_by_the_first_fetch_are_wrapped(pg_engine: Any, numbers: Any) -> None:
    with pg_engine.connect() as conn:
        with pytest.raises(ormcore.exc.DataError):
            conn.execution_options(stream_results=True).execute(
                ormcore.text("SELECT 1 / (id - 1) FROM stream_numbers ORDER BY id")).all()


def test_dml_returning_is_not_streamed(pg_engine: Any, numbers: Any) -> None:
    with pg_engine.begin() as conn:
        result = conn.execution_options(stream_results=True).execute(
            ormcore.update(numbers).where(numbers.c.id <= 3).values(v=0).returning(numbers.c.id))
        assert sorted(r.id for r in result) == [1, 2, 3]


def test_orm_yield_per_streams_batches(pg_engine: Any, numbers: Any) -> None:
    class Base(orm.DeclarativeBase):
        pass

    class Number(Base):
        __table__ = numbers

    with orm.Session(pg_engine) as session:
        stmt = ormcore.select(Number).order_by(Number.id).execution_options(yield_per=100)
        seen = []
        for n, obj in enumerate(session.scalars(stmt)):
            if n == 150:
                seen.append(_open_cursors(session.connection()))
            assert obj.v == obj.id * 2
        assert seen == [1] and n == ROWS - 1
        parts = session.execute(ormcore.select(Number).order_by(Number.id),
                                execution_options={"yield_per": 300}).partitions()
        assert [len(p) for p in parts] == [300, 300, 300, 100]
