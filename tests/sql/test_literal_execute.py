"""literal_execute binds, as SQLAlchemy renders them: the compiled (and cached) SQL keeps a
`__[POSTCOMPILE_name]` placeholder, and each execution renders the effective value (the
statement's own, a value given to execute(), or an equal-shaped statement's from the cache)
as a literal; compile_kwargs={"literal_binds": True} still renders literals at once.

Differential: the same script through SQLAlchemy and ormcore, on SQLite and PostgreSQL,
comparing compiled strings, what the driver received and the rows.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from tests.conftest import make_engine
from tests.sql._differential import outcome


def _script(L: Any, engine: Any) -> list:
    m = L.MetaData()
    t = L.Table("lit_exec", m, L.Column("id", L.Integer, primary_key=True),
                L.Column("name", L.String(20)))
    log: list = []
    m.create_all(engine)

    @L.event.listens_for(engine, "before_cursor_execute")
    def record(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        log.append(("sql", sql, params, many))

    def under(limit: Any) -> Any:
        return L.bindparam("lim", limit, literal_execute=True)

    stmt = (L.select(t.c.id, L.literal("it's 5%", literal_execute=True).label("lit"))
            .where(t.c.id < under(5), t.c.name != "q").order_by(t.c.id))
    ids = L.select(t.c.id).where(t.c.id.in_(L.bindparam("ids", [1, 2], expanding=True,
                                                          literal_execute=True)))
    log.append(str(stmt))
    log.append(str(stmt.compile(compile_kwargs={"literal_binds": True})))
    log.append(str(ids))
    compiled = stmt.compile(dialect=engine.dialect)
    log.append((str(compiled), compiled.params))
    try:
        with engine.begin() as conn:
            conn.execute(L.insert(t), [{"id": i, "name": f"n{i}%"} for i in range(1, 8)])
            log.append(conn.execute(stmt).all())
            log.append(conn.execute(stmt, {"lim": 3}).all())
            # an equal-shaped statement: compiled once, rendered with its own value
            log.append(conn.execute(L.select(t.c.id).where(t.c.id < under(2))).all())
            log.append(conn.execute(L.select(t.c.id).where(t.c.id < under(4))).all())
            log.append(conn.execute(ids).all())
            log.append(conn.execute(ids, {"ids": [3, 4]}).all())
            log.append(conn.execute(ids, {"ids": []}).all())
            log.append(conn.execute(L.select(t.c.id).where(
                t.c.name == L.bindparam("nm", "n6%", literal_execute=True))).all())
            log.append(conn.execute(L.select(t.c.id).where(
                t.c.id == L.bindparam("nothing", None, literal_execute=True))).all())
            log.append(conn.execute(L.select(L.func.aggregate_strings(t.c.name, "|"))
                                    .where(t.c.id < 3)).all())
            log.append(outcome(lambda: conn.execute(
                L.select(t.c.id).where(t.c.id == L.bindparam("req", literal_execute=True))).all()))
            log.append(outcome(lambda: conn.execute(
                L.update(t).where(t.c.id == under(1)).values(name=L.bindparam("nm")),
                [{"nm": "a"}, {"nm": "b"}])))
    finally:
        L.event.remove(engine, "before_cursor_execute", record)
        m.drop_all(engine)
    return log


def _comparable(entry: Any) -> Any:
    if isinstance(entry, tuple) and entry and entry[0] == "raised":
        message = entry[2].split("\n(Background")[0]
        return entry[0], entry[1], message.replace("sqlalchemy.exc", "ormcore.exc")
    return entry


def test_literal_execute_rendered_per_execution(backend: str, tmp_path: Any, request: Any) -> None:
    logs = []
    for name in ("sqlalchemy", "ormcore"):
        L = importlib.import_module(name)
        engine = make_engine(backend, tmp_path, request, lib=L)
        try:
            logs.append([_comparable(e) for e in _script(L, engine)])
        finally:
            engine.dispose()
    assert logs[1] == logs[0]
    assert "__[POSTCOMPILE_lim]" in logs[1][0]


@pytest.mark.parametrize("lib_name", ["sqlalchemy", "ormcore"])
def test_sqlite_partial_index_target_rendered_at_execution(lib_name: str) -> None:
    """SQLite wants an ON CONFLICT target's WHERE without parameters: its values are
    rendered as literals at execution."""
    L = importlib.import_module(lib_name)
    sqlite = importlib.import_module(f"{lib_name}.dialects.sqlite")
    engine = L.create_engine("sqlite://")
    m = L.MetaData()
    t = L.Table("p", m, L.Column("id", L.Integer, primary_key=True), L.Column("y", L.Integer),
                L.Column("x", L.String(5)))
    m.create_all(engine)
    seen: list = []
    L.event.listen(engine, "before_cursor_execute",
                   lambda conn, cur, sql, params, ctx, many: seen.append((sql, params)))
    stmt = sqlite.insert(t).values(id=1, y=2, x="a").on_conflict_do_update(
        index_elements=[t.c.id], index_where=t.c.y > 1, set_=dict(x="b"))
    assert str(stmt.compile(dialect=engine.dialect)) == (
        "INSERT INTO p (id, y, x) VALUES (?, ?, ?) ON CONFLICT (id) "
        "WHERE y > __[POSTCOMPILE_y_1] DO UPDATE SET x = ?"
    )
    with engine.begin() as conn:
        conn.execute(stmt)
        conn.execute(stmt)
        assert conn.execute(L.select(t.c.x)).scalar() == "b"
    assert seen[-2] == (
        "INSERT INTO p (id, y, x) VALUES (?, ?, ?) ON CONFLICT (id) WHERE y > 1 DO UPDATE SET x = ?",
        (1, 2, "a", "b"),
    )
