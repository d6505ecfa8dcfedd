"""SQLite runs in the qmark paramstyle, as SQLAlchemy's pysqlite dialect: the SQL and the
parameters the driver receives (seen by before_cursor_execute) must be SQLAlchemy's, for
text() binds, expanding IN, LIMIT/OFFSET, executemany and batched multi-row INSERTs; and a
parameter set lacking a value fails before anything runs, naming its group. A Float column
gives the parameter sets a converter (to_float on SQLite): the driver sees floats, never the
Decimals given, which sqlite3 can't bind.
"""

from __future__ import annotations

import decimal
from typing import Any

import sqlalchemy

import ormcore
from tests.sql._differential import outcome


def _session(L: Any) -> list:
    engine = L.create_engine("sqlite://")
    m = L.MetaData()
    t = L.Table("q", m, L.Column("id", L.Integer, primary_key=True), L.Column("name", L.String(10)),
                L.Column("price", L.Float))
    m.create_all(engine)
    log: list = []
    L.event.listen(engine, "before_cursor_execute",
                   lambda conn, cur, sql, params, ctx, many: log.append((sql, params, many)))
    with engine.begin() as conn:
        conn.execute(L.insert(t), [{"id": i, "name": f"n{i}", "price": decimal.Decimal(i) / 2}
                            for i in range(1, 5)])
        conn.execute(L.insert(t).returning(t.c.id), [{"id": i, "name": "r", "price": 0.5} for i in (7, 8, 9)])
        conn.execute(L.update(t).where(t.c.id == L.bindparam("k")).values(name=L.bindparam("v")),
                     [{"k": 1, "v": "a"}, {"k": 2, "v": "b"}])
        conn.execute(L.text("SELECT :a + :b, :a"), {"a": 1, "b": 2}).all()
        conn.execute(L.select(t.c.id).where(t.c.id.in_([1, 3]), t.c.name != "z")
                     .order_by(t.c.id).limit(2).offset(1)).all()
        conn.execute(L.select(t.c.id).where(t.c.id.in_([]))).all()
        conn.execute(L.select(t.c.id).where(t.c.id.in_(L.bindparam("ids", expanding=True))),
                     {"ids": [2, 4]}).all()
        conn.execute(L.select(t.c.id).offset(3)).all()
        log.append(outcome(lambda: conn.execute(L.text("SELECT :a, :b"), [{"a": 1, "b": 2}, {"a": 1}])))
        log.append(outcome(lambda: conn.execute(L.insert(t), [{"id": 20, "name": "x", "price": 1}, {"id": 21, "price": 2}])))
        log.append(conn.execute(L.text("SELECT count(*) FROM q")).scalar())
    return log


def _comparable(entry: Any) -> Any:
    if not isinstance(entry, tuple):
        return entry
    if entry[0] == "raised":
        message = entry[2].split("\n(Background")[0].replace("sqlalchemy.exc", "ormcore.exc")
        return entry[0], entry[1], message
    return entry


def test_driver_sees_what_sqlalchemy_sends() -> None:
    assert [_comparable(e) for e in _session(ormcore)] == [
        _comparable(e) for e in _session(sqlalchemy)
    ]


def test_compiled_string_on_the_sqlite_dialect() -> None:
    assert sqlalchemy.dialects.sqlite.dialect().paramstyle == "qmark"
    assert ormcore.dialects.sqlite.dialect().paramstyle == "qmark"
    stmt = ormcore.text("SELECT :x, :y, :x")
    compiled = stmt.compile(dialect=ormcore.dialects.sqlite.dialect())
    assert str(compiled) == "SELECT ?, ?, ?"
    assert compiled.construct_params({"x": 1, "y": 2}) == (1, 2, 1)
