"""insert() / update() / delete() executed: the same scenario run through SQLAlchemy and
ormcore on the same database (SQLite file; PostgreSQL when ORMCORE_TEST_PG_URL is set).

Each scenario creates its tables, runs, reports what a user can observe (rows in the table,
rowcount, inserted_primary_key, RETURNING rows, returned defaults, errors) and drops the
tables; SQLAlchemy's report is the expected one.
"""

from __future__ import annotations

import datetime
import itertools
from types import SimpleNamespace
from typing import Any
from typing import Callable

import pytest

import ormcore
import ormcore.dialects.postgresql
import ormcore.dialects.sqlite

from .test_dml import outcome

sa = pytest.importorskip("sqlalchemy")
hypothesis = pytest.importorskip("hypothesis")
st = pytest.importorskip("hypothesis.strategies")


def lib(mod: Any) -> SimpleNamespace:
    names = {n: getattr(mod, n) for n in dir(mod) if not n.startswith("_")}
    ns = SimpleNamespace(**names)
    ns.mod = mod
    ns.pg_insert = mod.dialects.postgresql.insert if mod is ormcore else _sa_dialect("postgresql").insert
    ns.sqlite_insert = mod.dialects.sqlite.insert if mod is ormcore else _sa_dialect("sqlite").insert
    return ns


def _sa_dialect(name: str) -> Any:
    import importlib

    return importlib.import_module(f"sqlalchemy.dialects.{name}")


def _counter() -> Callable[[], int]:
    numbers = itertools.count(100)
    return lambda: next(numbers)


def make_tables(L: SimpleNamespace, backend: str) -> SimpleNamespace:
    m = L.MetaData()
    next_number = _counter()

    def from_name(context: Any) -> str:
        return "d-" + str(context.get_current_parameters().get("name"))

    users = L.Table(
        "dml_users", m,
        L.Column("id", L.Integer, primary_key=True),
        L.Column("name", L.String(200)),
        L.Column("nick", L.String(50), default="nick"),
        L.Column("number", L.Integer, default=next_number, onupdate=next_number),
        L.Column("derived", L.String(250), default=from_name),
        L.Column("stamp", L.Integer, onupdate=L.literal_column("42")),
        L.Column("lowered", L.String(50), default=L.literal_column("'sql-default'")),
        L.Column("version", L.Integer, server_default=L.text("7")),
        L.Column("sqlfunc", L.String(20), default=L.func.lower("ABC"),
                 onupdate=L.func.upper(L.literal("xyz"))),
    )
    addresses = L.Table(
        "dml_addresses", m,
        L.Column("id", L.Integer, primary_key=True),
        L.Column("user_id", L.Integer),
        L.Column("email", L.String(100)),
    )
    comp = L.Table(
        "dml_comp", m,
        L.Column("a", L.Integer, primary_key=True, autoincrement=False),
        L.Column("b", L.String(10), primary_key=True),
        L.Column("data", L.String(20)),
    )
    uniq = L.Table(
        "dml_uniq", m,
        L.Column("id", L.Integer, primary_key=True),
        L.Column("code", L.String(20), unique=True),
        L.Column("hits", L.Integer),
    )
    strpk = L.Table(
        "dml_strpk", m,
        L.Column("key", L.String(20), primary_key=True, default=lambda: "made"),
        L.Column("data", L.String(20)),
    )
    tables = SimpleNamespace(m=m, users=users, addresses=addresses, comp=comp, uniq=uniq,
                             strpk=strpk)
    if backend == "postgresql":
        tables.seq = L.Table(
            "dml_seq", m,
            L.Column("id", L.Integer, L.Sequence("dml_seq_id_seq", start=50), primary_key=True),
            L.Column("data", L.String(20)),
        )
        tables.noret = L.Table(
            "dml_noret", m,
            L.Column("id", L.Integer, primary_key=True),
            L.Column("data", L.String(20)),
            implicit_returning=False,
        )
    return tables


def rows(conn: Any, table: Any) -> list:
    return [tuple(r) for r in conn.execute(table.select().order_by(*table.primary_key)).all()]


def run_both(engine: Any, sa_engine: Any, backend: str, scenario: Callable) -> Any:
    """Run `scenario(L, conn, T)` with each library on its own fresh tables; compare reports."""
    reports = {}
    for name, mod, eng in (("sa", sa, sa_engine), ("oc", ormcore, engine)):
        L = lib(mod)
        T = make_tables(L, backend)
        T.m.drop_all(eng)
        T.m.create_all(eng)
        try:
            with eng.begin() as conn:
                reports[name] = scenario(L, conn, T)
        finally:
            T.m.drop_all(eng)
    assert reports["oc"] == reports["sa"]
    return reports["oc"]


def _tuple(row: Any) -> Any:
    return None if row is None else tuple(row)


def _result(result: Any) -> dict:
    """What a user sees of a result that may not return rows."""
    report = {"rowcount": result.rowcount, "returns_rows": result.returns_rows}
    if result.returns_rows:
        report["rows"] = [tuple(r) for r in result.all()]
    return report


# -- INSERT ------------------------------------------------------------------------------------


def test_single_insert_defaults_and_primary_key(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        out = []
        r = conn.execute(L.insert(T.users).values(name="jack"))
        out.append((_result(r), _tuple(r.inserted_primary_key), r.is_insert))
        r = conn.execute(L.insert(T.users), {"name": "ed", "nick": "eddie"})
        out.append((_result(r), _tuple(r.inserted_primary_key),
                    [_tuple(x) for x in r.inserted_primary_key_rows]))
        r = conn.execute(L.insert(T.users).values(id=40, name="given"))
        out.append(_tuple(r.inserted_primary_key))
        r = conn.execute(L.insert(T.users).values(name="over"), {"name": "param wins"})
        out.append(_tuple(r.inserted_primary_key))
        r = conn.execute(L.insert(T.users))
        out.append(_tuple(r.inserted_primary_key))
        out.append(rows(conn, T.users))
        r = conn.execute(L.insert(T.comp).values(a=1, b="x", data="d"))
        out.append(_tuple(r.inserted_primary_key))
        r = conn.execute(L.insert(T.strpk).values(data="d"))
        out.append((_tuple(r.inserted_primary_key), rows(conn, T.strpk)))
        return out

    run_both(engine, sa_engine, backend, scenario)


def test_executemany_1000_rows_compiles_once(engine: Any, sa_engine: Any, backend: str) -> None:
    data = [{"name": f"user {i}"} for i in range(1000)]

    def scenario(L: Any, conn: Any, T: Any) -> Any:
        r = conn.execute(L.insert(T.users), data)
        out = [r.rowcount, r.returns_rows, len(r.inserted_primary_key_rows)]
        r = conn.execute(L.insert(T.users), [{"name": "a", "nick": "x"}, {"name": "b", "nick": "y"}])
        out.append(r.rowcount)
        got = rows(conn, T.users)
        out.extend([len(got), got[0], got[999], got[-1]])
        r = conn.execute(L.update(T.users).where(T.users.c.name == L.bindparam("old")).values(
            nick=L.bindparam("new")), [{"old": "user 1", "new": "one"}, {"old": "user 2", "new": "two"}])
        out.append(r.rowcount)
        out.append(rows(conn, T.users)[1:3])
        return out

    run_both(engine, sa_engine, backend, scenario)

    # the compiled form is cached per (shape, parameter keys, executemany)
    L = lib(ormcore)
    T = make_tables(L, backend)
    T.m.drop_all(engine)
    T.m.create_all(engine)
    try:
        engine.clear_compiled_cache()
        with engine.begin() as conn:
            for start in range(0, 50, 10):
                conn.execute(L.insert(T.addresses), [{"email": f"e{i}"} for i in range(start, start + 10)])
            assert len(engine._compiled_cache) == 1
            for i in range(5):
                conn.execute(L.insert(T.addresses).values(email=f"single {i}"))
            assert len(engine._compiled_cache) == 2
            for i in range(5):
                conn.execute(L.update(T.addresses).values(email=f"u{i}").where(T.addresses.c.id == i))
            assert len(engine._compiled_cache) == 3
            assert conn.execute(L.select(L.func.count()).select_from(T.addresses)).scalar() == 55
            assert conn.execute(
                L.select(T.addresses.c.email).where(T.addresses.c.id == 3)
            ).scalar() == "u3"
    finally:
        T.m.drop_all(engine)


def test_multi_row_values(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        r = conn.execute(L.insert(T.users).values([{"name": "a"}, {"name": "b", "nick": "n"},
                                                   {"name": "c"}]))
        return _result(r), rows(conn, T.users)

    run_both(engine, sa_engine, backend, scenario)


def test_insert_returning(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        out = []
        r = conn.execute(L.insert(T.users).values(name="x").returning(
            T.users.c.id, T.users.c.nick, T.users.c.version, T.users.c.derived))
        out.append(_result(r))
        r = conn.execute(L.insert(T.users).returning(T.users.c.id, T.users.c.name.label("n")),
                         {"name": "y"})
        row = r.one()
        out.append((tuple(row), row.id, row.n, row._mapping[T.users.c.id], list(r.keys())))
        r = conn.execute(L.insert(T.users).values([{"name": "m1"}, {"name": "m2"}]).returning(
            T.users.c.name, T.users.c.id))
        out.append(_result(r))
        r = conn.execute(L.insert(T.users).values(name="e").returning(T.users.c.id))
        out.append(outcome(lambda: r.inserted_primary_key))
        return out

    run_both(engine, sa_engine, backend, scenario)


def test_return_defaults(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        r = conn.execute(L.insert(T.users).values(name="x").return_defaults())
        out = [_tuple(r.returned_defaults), _tuple(r.inserted_primary_key), r.returns_rows,
               r.rowcount]
        r = conn.execute(L.update(T.users).values(name="z").return_defaults(T.users.c.version))
        out.append((_tuple(r.returned_defaults), r.rowcount))
        r = conn.execute(L.insert(T.users).values(name="plain"))
        out.append(r.returned_defaults)
        return out

    run_both(engine, sa_engine, backend, scenario)


def test_insert_from_select(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        conn.execute(L.insert(T.addresses), [{"user_id": i, "email": f"e{i}"} for i in range(5)])
        r = conn.execute(L.insert(T.users).from_select(
            ["id", "name"], L.select(T.addresses.c.id + 10, T.addresses.c.email).where(
                T.addresses.c.user_id > 1)))
        return r.rowcount, rows(conn, T.users)

    run_both(engine, sa_engine, backend, scenario)


def test_sequence_and_no_implicit_returning(engine: Any, sa_engine: Any, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("sequences are PostgreSQL's")

    def scenario(L: Any, conn: Any, T: Any) -> Any:
        out = []
        for data in ("a", "b"):
            r = conn.execute(L.insert(T.seq).values(data=data))
            out.append((_tuple(r.inserted_primary_key), r.returns_rows))
        r = conn.execute(L.insert(T.seq), [{"data": "c"}, {"data": "d"}])
        out.append(rows(conn, T.seq))
        r = conn.execute(L.insert(T.noret).values(data="x"))
        out.append((_tuple(r.inserted_primary_key), r.returns_rows, rows(conn, T.noret)))
        out.append(conn.execute(L.select(T.seq.c.id).where(T.seq.c.id == L.Sequence(
            "dml_seq_id_seq").next_value() - 1)).all())
        return out

    run_both(engine, sa_engine, backend, scenario)


def test_executemany_with_returning(engine: Any, sa_engine: Any, backend: str) -> None:
    """An executemany INSERT with RETURNING returns every row (batched multi-row VALUES)."""
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        out = []
        r = conn.execute(L.insert(T.users).returning(T.users.c.id, T.users.c.name, T.users.c.derived),
                         [{"name": f"n{i}"} for i in range(2500)])
        got = [tuple(x) for x in r.all()]
        out.append((len(got), got[:3], got[-1], r.rowcount))
        r = conn.execute(L.insert(T.users).return_defaults(), [{"name": "d1"}, {"name": "d2"}])
        out.append(([tuple(x) for x in r.inserted_primary_key_rows],
                    [tuple(x) for x in r.returned_defaults_rows], r.returns_rows))
        r = conn.execute(L.insert(T.comp).returning(T.comp.c.a, T.comp.c.b),
                         [{"a": i, "b": str(i), "data": "x"} for i in range(3)])
        out.append([tuple(x) for x in r.all()])
        r = conn.execute(L.insert(T.users).values(nick="shared").returning(T.users.c.nick, T.users.c.name),
                         [{"name": "s1"}, {"name": "s2"}])
        out.append([tuple(x) for x in r.all()])
        error = outcome(lambda: conn.execute(
            L.update(T.users).where(T.users.c.id == L.bindparam("b_id")).values(nick=L.bindparam("v"))
            .returning(T.users.c.id), [{"b_id": 1, "v": "a"}, {"b_id": 2, "v": "b"}]))
        out.append((error[1], error[2].splitlines()[0]))  # (the SQL differs by paramstyle)
        out.append(len(rows(conn, T.users)))
        return out

    run_both(engine, sa_engine, backend, scenario)


@pytest.mark.parametrize("paramstyle", ["positional", "named"])
def test_other_paramstyles(backend: str, tmp_path: Any, request: Any, paramstyle: str) -> None:
    """The DML paths with a positional paramstyle (qmark / format) give the same results."""
    from tests.conftest import make_engine

    style = {"sqlite": {"positional": "qmark", "named": "named"},
             "postgresql": {"positional": "format", "named": "pyformat"}}[backend][paramstyle]
    engine = make_engine(backend, tmp_path, request, paramstyle=style)
    sa_engine = make_engine(backend, tmp_path, request, lib=sa, paramstyle=style)
    try:
        def scenario(L: Any, conn: Any, T: Any) -> Any:
            out = []
            r = conn.execute(L.insert(T.users).returning(T.users.c.id, T.users.c.derived),
                             [{"name": f"n{i}"} for i in range(5)])
            out.append([tuple(x) for x in r.all()])
            r = conn.execute(L.insert(T.users).values(nick="v"), [{"name": "a"}, {"name": "b"}])
            out.append(r.rowcount)
            r = conn.execute(L.insert(T.users).values(name="one"))
            out.append(_tuple(r.inserted_primary_key))
            r = conn.execute(L.update(T.users).values(nick=T.users.c.name + "?").where(
                T.users.c.id > 3).returning(T.users.c.id, T.users.c.nick))
            out.append(sorted(tuple(x) for x in r.all()))
            conn.execute(L.delete(T.users).where(T.users.c.name.in_(["n1", "n2"])))
            out.append(rows(conn, T.users))
            return out

        run_both(engine, sa_engine, backend, scenario)
    finally:
        engine.dispose()
        sa_engine.dispose()


# -- UPDATE / DELETE ---------------------------------------------------------------------------


def _seed(L: Any, conn: Any, T: Any) -> None:
    conn.execute(L.insert(T.users), [{"name": n} for n in ("ann", "bob", "cid", "dee")])
    conn.execute(L.insert(T.addresses), [
        {"user_id": 1, "email": "ann@x"}, {"user_id": 2, "email": "bob@x"},
        {"user_id": 2, "email": "bob@y"}, {"user_id": 4, "email": "dee@x"},
    ])


def test_update(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        _seed(L, conn, T)
        out = []
        r = conn.execute(L.update(T.users).where(T.users.c.id > 1).where(T.users.c.id < 4)
                         .values(nick="mid"))
        out.append(_result(r))
        r = conn.execute(L.update(T.users).values(name=T.users.c.name + "!").where(
            L.or_(T.users.c.id == 1, T.users.c.name == "dee")))
        out.append(_result(r))
        r = conn.execute(L.update(T.users).where(T.users.c.id == 99).values(nick="none"))
        out.append(_result(r))
        r = conn.execute(L.update(T.users).ordered_values((T.users.c.nick, "o"), (T.users.c.name, "n"))
                         .where(T.users.c.id == 2))
        out.append(r.rowcount)
        r = conn.execute(L.update(T.users).values(nick=L.select(T.addresses.c.email).where(
            T.addresses.c.user_id == T.users.c.id).order_by(T.addresses.c.email).limit(1)
            .scalar_subquery()))
        out.append(r.rowcount)
        r = conn.execute(L.update(T.users).values(nick="r").where(T.users.c.id <= 2).returning(
            T.users.c.id, T.users.c.nick, T.users.c.number))
        out.append(sorted(tuple(x) for x in r.all()))
        out.append(rows(conn, T.users))
        return out

    run_both(engine, sa_engine, backend, scenario)


def test_update_from(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        _seed(L, conn, T)
        r = conn.execute(L.update(T.users).values(nick=T.addresses.c.email).where(
            T.users.c.id == T.addresses.c.user_id).where(T.addresses.c.email.like("%@x")))
        return r.rowcount, rows(conn, T.users)

    run_both(engine, sa_engine, backend, scenario)


def test_delete(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        _seed(L, conn, T)
        out = []
        r = conn.execute(L.delete(T.addresses).where(T.addresses.c.user_id == 2))
        out.append(_result(r))
        r = conn.execute(L.delete(T.addresses).where(T.addresses.c.id == 99))
        out.append(_result(r))
        r = conn.execute(L.delete(T.users).where(T.users.c.id.in_(
            L.select(T.addresses.c.user_id))).returning(T.users.c.id, T.users.c.name))
        out.append(sorted(tuple(x) for x in r.all()))
        out.append((rows(conn, T.users), rows(conn, T.addresses)))
        r = conn.execute(L.delete(T.users))
        out.append(r.rowcount)
        return out

    run_both(engine, sa_engine, backend, scenario)


def test_delete_using(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        _seed(L, conn, T)
        stmt = L.delete(T.addresses).where(T.addresses.c.user_id == T.users.c.id).where(
            T.users.c.name == "bob")
        r = outcome(lambda: conn.execute(stmt).rowcount)
        return r, rows(conn, T.addresses)

    if backend == "sqlite":
        # neither library can render DELETE .. USING for SQLite
        with pytest.raises(NotImplementedError):
            run_both(engine, sa_engine, backend, lambda L, conn, T: conn.execute(
                L.delete(T.addresses).where(T.addresses.c.user_id == T.users.c.id)))
        return
    run_both(engine, sa_engine, backend, scenario)


# -- ON CONFLICT --------------------------------------------------------------------------------


def test_on_conflict(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        insert = L.pg_insert if backend == "postgresql" else L.sqlite_insert
        out = []
        conn.execute(L.insert(T.uniq), [{"code": "a", "hits": 1}, {"code": "b", "hits": 1}])
        r = conn.execute(insert(T.uniq).values(code="a", hits=5).on_conflict_do_nothing())
        out.append(r.rowcount)
        r = conn.execute(insert(T.uniq).values(code="c", hits=5).on_conflict_do_nothing(
            index_elements=["code"]))
        out.append(r.rowcount)
        stmt = insert(T.uniq).values(code="a", hits=10)
        r = conn.execute(stmt.on_conflict_do_update(
            index_elements=[T.uniq.c.code], set_={"hits": T.uniq.c.hits + stmt.excluded.hits}))
        out.append(r.rowcount)
        stmt = insert(T.uniq).values(code="b", hits=3)
        r = conn.execute(stmt.on_conflict_do_update(
            index_elements=["code"], set_={"hits": stmt.excluded.hits},
            where=T.uniq.c.hits > 100))
        out.append(r.rowcount)
        stmt = insert(T.uniq)
        r = conn.execute(stmt.on_conflict_do_update(index_elements=["code"],
                                                    set_=dict(hits=stmt.excluded.hits)),
                         [{"code": "a", "hits": 1000}, {"code": "z", "hits": 1}])
        stmt = insert(T.uniq).values(code="c", hits=77)
        r = conn.execute(stmt.on_conflict_do_update(
            index_elements=["code"], set_={"hits": stmt.excluded.hits}).returning(T.uniq.c.code,
                                                                                T.uniq.c.hits))
        out.append([tuple(x) for x in r.all()])
        out.append(rows(conn, T.uniq))
        return out

    run_both(engine, sa_engine, backend, scenario)


# -- Python defaults that look at the row ------------------------------------------------------


def test_context_sensitive_defaults_per_row(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        conn.execute(L.insert(T.users), [{"name": "a"}, {"name": "b"}])
        conn.execute(L.insert(T.users).values(name="c"))
        conn.execute(L.insert(T.users).values([{"name": "d"}, {"name": "e"}]))
        conn.execute(L.update(T.users).values(name=T.users.c.name + "2").where(T.users.c.id > 3))
        return rows(conn, T.users)

    run_both(engine, sa_engine, backend, scenario)


def test_prefetched_values_reach_last_params(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        r = conn.execute(L.insert(T.users).values(name="q"))
        inserted = r.last_inserted_params()
        r = conn.execute(L.update(T.users).values(nick="w").where(T.users.c.id == 1))
        updated = r.last_updated_params()
        keys = ("name", "nick", "number", "derived")
        return ({k: inserted.get(k) for k in keys}, {k: updated.get(k) for k in ("nick", "number")},
                outcome(lambda: r.last_inserted_params()))

    run_both(engine, sa_engine, backend, scenario)


# -- errors --------------------------------------------------------------------------------------


def test_execution_errors(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        out = []
        out.append(outcome(lambda: conn.execute(L.insert(T.users).values(nosuch=1))))
        r = conn.execute(L.update(T.users).values(nick="x"))
        out.append(outcome(lambda: r.inserted_primary_key))
        r = conn.execute(L.insert(T.users), [{"name": "a"}, {"name": "b"}])
        out.append(outcome(lambda: r.inserted_primary_key))
        with conn.begin_nested():
            out.append(outcome(lambda: conn.execute(
                L.insert(T.users), [{"name": "a", "nick": "n"}, {"name": "b"}]).rowcount)[0])

        def boom() -> Any:
            raise ValueError("boom")

        m = L.MetaData()
        t = L.Table("dml_boom", m, L.Column("id", L.Integer, primary_key=True),
                    L.Column("x", L.Integer, default=boom))
        error = outcome(lambda: conn.execute(L.insert(t)))
        out.append((error[1], error[2].splitlines()[0]))
        out.append(outcome(lambda: conn.execute(L.insert(T.users).values(nosuch=1)))[1:])
        return out

    run_both(engine, sa_engine, backend, scenario)


# -- hostile values ------------------------------------------------------------------------------

HOSTILE = st.lists(
    st.sampled_from(list("'\";-/*%_\\:?$()é中\U0001f600 \t\nxX0") + [
        "%(x)s", ":x", "--", "/*", "*/", "'; DROP TABLE dml_users; --", "\x00",
    ]),
    max_size=12,
).map("".join)


@hypothesis.settings(max_examples=40, deadline=None,
                     suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture])
@hypothesis.given(values=st.lists(HOSTILE, min_size=1, max_size=5))
def test_hostile_strings_stored_literally(engine: Any, backend: str, values: list) -> None:
    if backend == "postgresql":
        hypothesis.assume(not any("\x00" in v for v in values))  # PostgreSQL text has no NUL
    L = lib(ormcore)
    T = make_tables(L, backend)
    T.m.create_all(engine)
    try:
        with engine.begin() as conn:
            conn.execute(L.insert(T.users), [{"name": v} for v in values])
            conn.execute(L.insert(T.users).values(name=values[0], nick=values[-1][:50]))
            stored = [r.name for r in conn.execute(
                L.select(T.users.c.name).order_by(T.users.c.id)).all()]
            assert stored == values + [values[0]]
            for v in values:
                r = conn.execute(L.update(T.users).values(nick="hit").where(T.users.c.name == v))
                assert r.rowcount == values.count(v) + (v == values[0])
            r = conn.execute(L.delete(T.users).where(T.users.c.name == values[0]).returning(
                T.users.c.name))
            assert [x.name for x in r.all()] == [values[0]] * (values.count(values[0]) + 1)
            derived = [r.derived for r in conn.execute(L.select(T.users.c.derived)).all()]
            assert all(d.startswith("d-") for d in derived)
    finally:
        T.m.drop_all(engine)


def test_hostile_identifiers(engine: Any, sa_engine: Any, backend: str) -> None:
    """Table and column names that need quoting, and keys that are not valid bind names."""
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        m = L.MetaData()
        t = L.Table('we"ird t%', m, L.Column("select", L.Integer, primary_key=True),
                    L.Column("a b:c%(x)s", L.String(30), default="d"),
                    L.Column("Mixed Case", L.String(30), key="mixed"))
        m.create_all(conn)
        out = []
        r = conn.execute(L.insert(t).values(mixed="x"))
        out.append(_tuple(r.inserted_primary_key))
        conn.execute(L.insert(t), [{"mixed": "m1", "a b:c%(x)s": "v1"}, {"mixed": "m2", "a b:c%(x)s": "v2"}])
        r = conn.execute(L.insert(t).returning(t.c.select, t.c["a b:c%(x)s"]),
                         [{"mixed": "r1"}, {"mixed": "r2"}])
        out.append([tuple(x) for x in r.all()])
        r = conn.execute(L.update(t).values({"a b:c%(x)s": "u"}).where(t.c.mixed.like("m%")))
        out.append(r.rowcount)
        r = conn.execute(L.delete(t).where(t.c.select == 1).returning(t.c.mixed))
        out.append([tuple(x) for x in r.all()])
        out.append(rows(conn, t))
        m.drop_all(conn)
        return out

    run_both(engine, sa_engine, backend, scenario)


def test_datetime_values_round_trip(engine: Any, sa_engine: Any, backend: str) -> None:
    def scenario(L: Any, conn: Any, T: Any) -> Any:
        m = L.MetaData()
        t = L.Table("dml_dates", m, L.Column("id", L.Integer, primary_key=True),
                    L.Column("at", L.DateTime, default=lambda: datetime.datetime(2020, 1, 2, 3, 4, 5)))
        m.create_all(conn)
        conn.execute(L.insert(t).values(id=1))
        conn.execute(L.insert(t), [{"id": 2, "at": datetime.datetime(2021, 5, 6)}, {"id": 3, "at": None}])
        conn.execute(L.insert(t), [{"id": 4}, {"id": 5}])
        got = rows(conn, t)
        m.drop_all(conn)
        return got

    run_both(engine, sa_engine, backend, scenario)
