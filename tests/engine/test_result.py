"""Result, ScalarResult and MappingResult (src/ormcore/engine/result.py and cursor.py).

Differential: every scenario runs once through SQLAlchemy and once through ormcore, on the
same database, and the two logs of observations (values, value types, exception classes and
messages) must be equal. Scenarios are written exactly as a SQLAlchemy user writes them, with
`lib` standing for the imported package.
"""

from __future__ import annotations

import datetime
import decimal
import importlib
from typing import Any
from typing import Callable

import pytest

ROWS = [(1, "a", 10), (2, "b", 20), (3, "a", 30), (4, "c", 30), (5, "a", 10)]
SELECT = "SELECT id, name, x FROM result_t ORDER BY id"

_PLAIN = (int, float, str, bytes, bool, decimal.Decimal, datetime.date, datetime.datetime,
          datetime.time, datetime.timedelta, type(None))


def norm(value: Any) -> Any:
    """A library-neutral picture of a value: class names instead of library classes."""
    name = type(value).__name__
    if name == "Row":
        return ("Row", tuple(norm(v) for v in value))
    if name == "RowMapping":
        return ("RowMapping", [(k, norm(v)) for k, v in value.items()])
    if name in ("RMKeyView", "ROMappingKeysValuesView", "ROMappingItemsView"):
        return (name, [norm(v) for v in value])
    if isinstance(value, (list, tuple)):
        return (name, [norm(v) for v in value])
    if isinstance(value, dict):
        return (name, sorted((repr(k), norm(v)) for k, v in value.items()))
    if isinstance(value, _PLAIN):
        return (name, value)
    module = type(value).__module__ or ""
    if module.startswith(("sqlalchemy", "ormcore")):
        return ("<lib object>", name)
    return (name, repr(value))


class Probe:
    """Records the outcome of each step of a scenario."""

    def __init__(self) -> None:
        self.log: list = []

    def __call__(self, label: str, fn: Callable[[], Any], message: bool = True) -> Any:
        try:
            value = fn()
        except Exception as err:
            self.log.append((label, "raises", type(err).__name__, str(err) if message else ""))
            return None
        self.log.append((label, norm(value)))
        return value


def differential(sa_engine: Any, engine: Any, scenario: Callable[[Any, Any, Probe], None]) -> list:
    """Run `scenario(lib, conn, probe)` with SQLAlchemy, then ormcore; assert equal logs."""
    logs = {}
    for lib_name, eng in (("sqlalchemy", sa_engine), ("ormcore", engine)):
        lib = importlib.import_module(lib_name)
        probe = Probe()
        with eng.connect() as conn:
            scenario(lib, conn, probe)
        eng.dispose()  # drop pooled connections, and with them any half-read cursor
        logs[lib_name] = probe.log
    assert logs["ormcore"] == logs["sqlalchemy"]
    return logs["ormcore"]


@pytest.fixture
def data(sa_engine: Any) -> Any:
    """Table result_t with ROWS, made through the oracle so that setup never hides a bug."""
    import sqlalchemy

    with sa_engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS result_t")
        conn.exec_driver_sql(
            "CREATE TABLE result_t (id INTEGER PRIMARY KEY, name VARCHAR(20), x INTEGER)"
        )
        conn.execute(
            sqlalchemy.text("INSERT INTO result_t (id, name, x) VALUES (:id, :name, :x)"),
            [{"id": i, "name": n, "x": x} for i, n, x in ROWS],
        )
    yield
    with sa_engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE IF EXISTS result_t")


@pytest.fixture
def check(sa_engine: Any, engine: Any, data: Any) -> Callable:
    def run(scenario: Callable[[Any, Any, Probe], None]) -> list:
        return differential(sa_engine, engine, scenario)

    return run


# -- all / first / close: closed and soft-closed states ------------------------------------------


def test_all_then_soft_closed(check: Callable) -> None:
    def scenario(lib, conn, p):
        r = conn.execute(lib.text(SELECT))
        p("all", r.all)
        p("closed", lambda: r.closed)
        p("fetchone", r.fetchone)
        p("fetchmany", r.fetchmany)
        p("all again", r.all)
        p("fetchall", r.fetchall)
        p("first", r.first)
        p("iterate", lambda: list(r))
        p("next", lambda: next(r))

    log = check(scenario)
    assert log[0] == ("all", ("list", [("Row", tuple(norm(v) for v in row)) for row in ROWS]))


def test_first_closes_the_result(check: Callable) -> None:
    def scenario(lib, conn, p):
        r = conn.execute(lib.text(SELECT))
        p("first", r.first)
        p("closed", lambda: r.closed)
        p("fetchone", r.fetchone)
        p("all", r.all)
        p("first again", r.first)
        p("scalar", r.scalar)
        p("iterate", lambda: list(r))
        p("scalars", lambda: r.scalars().all())
        p("mappings", lambda: r.mappings().all())

    log = check(scenario)
    assert log[2] == ("fetchone", "raises", "ResourceClosedError", "This result object is closed.")


def test_first_of_empty_result(check: Callable) -> None:
    def scenario(lib, conn, p):
        r = conn.execute(lib.text("SELECT id FROM result_t WHERE id > 100"))
        p("first", r.first)
        p("closed", lambda: r.closed)
        p("scalars first", lambda: conn.execute(lib.text("SELECT id FROM result_t WHERE id < 0")).scalars().first())

    check(scenario)


def test_close(check: Callable) -> None:
    def scenario(lib, conn, p):
        r = conn.execute(lib.text(SELECT))
        p("fetchone", r.fetchone)
        p("closed before", lambda: r.closed)
        r.close()
        p("closed after", lambda: r.closed)
        p("fetchone", r.fetchone)
        p("fetchmany", lambda: r.fetchmany(2))
        p("all", r.all)
        p("next", lambda: next(iter(r)))
        p("close again", r.close)
        s = conn.execute(lib.text(SELECT)).scalars()
        p("scalars close", s.close)
        p("scalars closed", lambda: s.closed)
        p("scalars all", s.all)
        m = conn.execute(lib.text(SELECT)).mappings()
        p("mappings close", m.close)
        p("mappings closed", lambda: m.closed)
        p("mappings fetchone", m.fetchone)

    check(scenario)


def test_context_manager_closes(check: Callable) -> None:
    def scenario(lib, conn, p):
        with conn.execute(lib.text(SELECT)) as r:
            p("inside", r.fetchone)
        p("closed", lambda: r.closed)
        p("after", r.fetchone)
        with conn.execute(lib.text(SELECT)).scalars() as s:
            p("scalars inside", s.first)
        with conn.execute(lib.text(SELECT)).mappings() as m:
            p("mappings inside", m.fetchone)
        p("mappings closed", lambda: m.closed)

    check(scenario)


# -- one / one_or_none / scalar_one / scalar_one_or_none / scalar ----------------------------------

ZERO = "SELECT id, name FROM result_t WHERE id > 100"
ONE = "SELECT id, name FROM result_t WHERE id = 2"
MANY = "SELECT id, name FROM result_t ORDER BY id"


@pytest.mark.parametrize("sql", [ZERO, ONE, MANY], ids=["zero", "one", "many"])
@pytest.mark.parametrize(
    "method", ["one", "one_or_none", "scalar_one", "scalar_one_or_none", "scalar", "first"]
)
def test_single_row_methods(check: Callable, sql: str, method: str) -> None:
    def scenario(lib, conn, p):
        r = conn.execute(lib.text(sql))
        p(method, getattr(r, method))
        p("closed", lambda: r.closed)
        p("fetchone after", r.fetchone)

    check(scenario)


@pytest.mark.parametrize("sql", [ZERO, ONE, MANY], ids=["zero", "one", "many"])
@pytest.mark.parametrize("method", ["one", "one_or_none", "first"])
@pytest.mark.parametrize("kind", ["scalars", "mappings"])
def test_single_row_methods_of_filters(check: Callable, sql: str, method: str, kind: str) -> None:
    def scenario(lib, conn, p):
        r = conn.execute(lib.text(sql))
        p(method, getattr(getattr(r, kind)(), method))
        p("closed", lambda: r.closed)

    check(scenario)


def test_one_messages(engine: Any, data: Any) -> None:
    import ormcore

    with engine.connect() as conn:
        with pytest.raises(ormcore.exc.NoResultFound, match="^No row was found when one was required$"):
            conn.execute(ormcore.text(ZERO)).one()
        with pytest.raises(
            ormcore.exc.MultipleResultsFound,
            match="^Multiple rows were found when exactly one was required$",
        ):
            conn.execute(ormcore.text(MANY)).one()
        with pytest.raises(
            ormcore.exc.MultipleResultsFound,
            match="^Multiple rows were found when one or none was required$",
        ):
            conn.execute(ormcore.text(MANY)).one_or_none()
        assert conn.execute(ormcore.text(ZERO)).scalar_one_or_none() is None
        assert conn.execute(ormcore.text(ONE)).scalar_one() == 2
        assert conn.execute(ormcore.text(ZERO)).scalar() is None


def test_one_with_unique_rows(check: Callable) -> None:
    def scenario(lib, conn, p):
        sql = lib.text("SELECT name FROM result_t WHERE name = 'a'")
        p("one without unique", lambda: conn.execute(sql).one())
        p("one with unique", lambda: conn.execute(sql).unique().one())
        p("scalar_one with unique", lambda: conn.execute(sql).unique().scalar_one())
        p("scalars one with unique", lambda: conn.execute(sql).scalars().unique().one())

    check(scenario)


# -- scalars / mappings ------------------------------------------------------------------------------


def test_scalars(check: Callable) -> None:
    def scenario(lib, conn, p):
        sql = lib.text(SELECT)
        p("default", lambda: conn.execute(sql).scalars().all())
        p("by int", lambda: conn.execute(sql).scalars(1).all())
        p("by negative int", lambda: conn.execute(sql).scalars(-1).all())
        p("by name", lambda: conn.execute(sql).scalars("x").all())
        p("fetchall", lambda: conn.execute(sql).scalars("name").fetchall())
        p("fetchmany", lambda: conn.execute(sql).scalars().fetchmany(2))
        p("first", lambda: conn.execute(sql).scalars("name").first())
        p("iterate", lambda: list(conn.execute(sql).scalars("x")))
        p("next", lambda: next(conn.execute(sql).scalars("x")))
        p("partitions", lambda: list(conn.execute(sql).scalars().partitions(2)))
        p("unknown name", lambda: conn.execute(sql).scalars("nope"))
        p("out of range", lambda: conn.execute(sql).scalars(7), message=False)
        r = conn.execute(sql)
        s = r.scalars()
        p("two fetchmany", lambda: (s.fetchmany(2), s.fetchmany(2), s.fetchmany(2)))
        p("source after", r.fetchall)
        p("scalars of connection", lambda: conn.scalars(sql).all())
        p("scalar of connection", lambda: conn.scalar(sql))

    check(scenario)


def test_mappings(check: Callable) -> None:
    def scenario(lib, conn, p):
        sql = lib.text(SELECT)
        p("all", lambda: conn.execute(sql).mappings().all())
        p("first", lambda: conn.execute(sql).mappings().first())
        p("fetchone", lambda: conn.execute(sql).mappings().fetchone())
        p("fetchmany", lambda: conn.execute(sql).mappings().fetchmany(2))
        p("keys", lambda: conn.execute(sql).mappings().keys())
        p("iterate", lambda: list(conn.execute(sql).mappings()))
        p("partitions", lambda: list(conn.execute(sql).mappings().partitions(3)))
        p("columns", lambda: conn.execute(sql).mappings().columns("x", "id").all())
        p("columns keys", lambda: conn.execute(sql).mappings().columns("x").keys())
        p("unique columns", lambda: conn.execute(sql).mappings().unique().columns("name").all())
        p("unique", lambda: conn.execute(sql).mappings().unique().all())
        p("value", lambda: conn.execute(sql).mappings().first()["name"])
        p("dict", lambda: dict(conn.execute(sql).mappings().first()))
        p("from columns", lambda: conn.execute(sql).columns("x", "id").mappings().first())

    check(scenario)


# -- fetchone / fetchmany / fetchall -----------------------------------------------------------------


def test_fetch_methods(check: Callable) -> None:
    def scenario(lib, conn, p):
        r = conn.execute(lib.text(SELECT))
        p("fetchone", r.fetchone)
        p("fetchmany default", r.fetchmany)
        p("fetchmany 2", lambda: r.fetchmany(2))
        p("fetchmany 10", lambda: r.fetchmany(10))
        p("fetchmany exhausted", r.fetchmany)
        p("fetchone exhausted", r.fetchone)
        p("fetchall exhausted", r.fetchall)
        r = conn.execute(lib.text(SELECT))
        p("fetchmany then fetchall", lambda: (r.fetchmany(3), r.fetchall()))
        p("closed", lambda: r.closed)

    check(scenario)


# -- keys ----------------------------------------------------------------------------------------------


def test_keys(check: Callable) -> None:
    def scenario(lib, conn, p):
        r = conn.execute(lib.text(SELECT))
        keys = r.keys()
        p("keys", lambda: keys)
        p("type", lambda: type(keys).__name__)
        p("repr", lambda: repr(keys))
        p("in", lambda: ("id" in keys, "name" in keys, "nope" in keys, 0 in keys))
        p("eq list", lambda: (keys == ["id", "name", "x"], keys == ["id"], keys != ["id"]))
        p("eq tuple", lambda: keys == ("id", "name", "x"))
        p("len", lambda: len(keys))
        p("list", lambda: list(keys))
        p("set ops", lambda: sorted(keys & {"id", "zz"}))
        r.all()
        p("keys after all", lambda: list(r.keys()))
        r.close()
        p("keys after close", lambda: list(r.keys()))
        p("columns keys", lambda: list(conn.execute(lib.text(SELECT)).columns("x", "id").keys()))

    check(scenario)


# -- unique ----------------------------------------------------------------------------------------------


def test_unique(check: Callable) -> None:
    def scenario(lib, conn, p):
        sql = lib.text(SELECT)
        p("rows", lambda: conn.execute(sql).unique().all())
        p("columns", lambda: conn.execute(sql).columns("name", "x").unique().all())
        p("strategy", lambda: conn.execute(sql).unique(lambda row: row.name).all())
        p("strategy x", lambda: conn.execute(sql).unique(lambda row: row[2]).fetchall())
        p("scalars", lambda: conn.execute(sql).scalars("name").unique().all())
        p("unique then scalars", lambda: conn.execute(sql).columns("name").unique().scalars().all())
        p("scalars strategy", lambda: conn.execute(sql).scalars("x").unique(lambda v: v // 20).all())
        p("iterate", lambda: list(conn.execute(sql).scalars("name").unique()))
        p("partitions", lambda: list(conn.execute(sql).scalars("name").unique().partitions(2)))
        p("row partitions", lambda: list(conn.execute(sql).columns("x").unique().partitions(2)))
        p("first", lambda: conn.execute(sql).columns("name").unique().first())
        r = conn.execute(sql)
        s = r.scalars(1).unique()
        p("fetchmany", lambda: (s.fetchmany(2), s.fetchmany(2), s.fetchmany(2)))
        r = conn.execute(sql)
        p("scalars fetchmany, then rows", lambda: (r.scalars(1).unique().fetchmany(2), r.fetchall()))
        r = conn.execute(sql)
        p("fetchmany default", lambda: r.unique().fetchmany())

    check(scenario)


def test_unique_and_columns_change_the_result_in_place(check: Callable) -> None:
    def scenario(lib, conn, p):
        sql = lib.text(SELECT)
        r = conn.execute(sql)
        p("unique is self", lambda: r.unique() is r)
        p("columns is self", lambda: r.columns("name") is r)
        p("yield_per is self", lambda: r.yield_per(2) is r)
        p("fetchmany", lambda: r.fetchmany(2))
        p("fetchmany again", lambda: r.fetchmany(5))
        r = conn.execute(sql)
        p("filtered fetchmany", lambda: r.columns("x").unique().fetchmany(2))
        p("result fetchmany", lambda: r.fetchmany(2))
        r = conn.execute(sql)
        s = r.scalars(1)
        p("scalars unique is self", lambda: s.unique() is s)
        m = r.mappings()
        p("mappings columns is self", lambda: m.columns("x") is m)
        p("mappings unique is self", lambda: m.unique() is m)
        p("mappings yield_per is self", lambda: m.yield_per(3) is m)

    check(scenario)


# -- partitions / yield_per ----------------------------------------------------------------------------


def test_partitions_and_yield_per(check: Callable) -> None:
    def scenario(lib, conn, p):
        sql = lib.text(SELECT)
        p("size 2", lambda: list(conn.execute(sql).partitions(2)))
        p("size 10", lambda: list(conn.execute(sql).partitions(10)))
        p("default size", lambda: list(conn.execute(sql).partitions()))
        p("yield_per", lambda: list(conn.execute(sql).yield_per(2).partitions()))
        p("yield_per iterate", lambda: list(conn.execute(sql).yield_per(2)))
        p("yield_per fetchmany", lambda: conn.execute(sql).yield_per(2).fetchmany())
        p("scalars", lambda: list(conn.execute(sql).scalars().partitions(3)))
        p(
            "execution option",
            lambda: list(conn.execute(sql, execution_options={"yield_per": 3}).partitions(2)),
        )
        r = conn.execute(sql)
        parts = r.partitions(2)
        p("one partition then rest", lambda: (next(parts), r.fetchall()))
        p("empty", lambda: list(conn.execute(lib.text(ZERO)).partitions(2)))
        p(
            "connection option iterate",
            lambda: list(conn.execution_options(yield_per=2).execute(sql)),
        )

    check(scenario)


# -- columns ---------------------------------------------------------------------------------------------


def test_columns(check: Callable) -> None:
    def scenario(lib, conn, p):
        sql = lib.text(SELECT)
        p("by name", lambda: conn.execute(sql).columns("name").all())
        p("by int", lambda: conn.execute(sql).columns(2, 0).all())
        p("reorder", lambda: conn.execute(sql).columns("x", "id").all())
        p("fields", lambda: conn.execute(sql).columns("x", "id").first()._fields)
        p("attribute", lambda: conn.execute(sql).columns("x", "id").first().x)
        p("repeat", lambda: conn.execute(sql).columns("id", "id").first())
        p("chained", lambda: conn.execute(sql).columns("x", "name", "id").columns(2, 1).all())
        p("then scalars", lambda: conn.execute(sql).columns("x", "name").scalars(1).all())
        p("then scalars default", lambda: conn.execute(sql).columns("x", "name").scalars().all())
        p("iterate", lambda: list(conn.execute(sql).columns("name")))
        p("unknown", lambda: conn.execute(sql).columns("nope"))
        p("out of range", lambda: conn.execute(sql).columns(7), message=False)
        p("single column stays Row", lambda: type(conn.execute(sql).columns(0).first()).__name__)

    check(scenario)


# -- iteration ---------------------------------------------------------------------------------------------


def test_iteration(check: Callable) -> None:
    def scenario(lib, conn, p):
        sql = lib.text(SELECT)
        p("full", lambda: list(conn.execute(sql)))
        p("for loop", lambda: [tuple(row) for row in conn.execute(sql)])
        p("unpack", lambda: [(i, n) for i, n, _x in conn.execute(sql)])
        r = conn.execute(sql)
        it = iter(r)
        p("partial", lambda: (next(it), next(it)))
        p("then fetchall", r.fetchall)
        r = conn.execute(sql)
        p("next on result", lambda: (next(r), next(r)))
        p("then fetchone", r.fetchone)
        r = conn.execute(sql)
        it = iter(r.scalars("name"))
        p("scalars partial", lambda: (next(it), next(it)))
        p("scalars then rows", r.fetchall)
        r = conn.execute(sql)
        it = iter(r.mappings())
        p("mappings partial", lambda: next(it))
        p("mappings then fetchone", r.fetchone)
        r = conn.execute(sql)
        it = iter(r.columns("x").unique())
        p("unique partial", lambda: next(it))
        p("unique then scalars", lambda: r.scalars().fetchmany(2))
        r = conn.execute(sql)
        r.all()
        p("next after all", lambda: next(r), message=False)

    check(scenario)


# -- statements that return no rows ---------------------------------------------------------------------

NO_ROWS = "This result object does not return rows. It has been closed automatically."


def test_update_result(check: Callable) -> None:
    def scenario(lib, conn, p):
        r = conn.execute(lib.text("UPDATE result_t SET x = x + 1 WHERE name = 'a'"))
        p("rowcount", lambda: r.rowcount)
        p("returns_rows", lambda: r.returns_rows)
        p("closed", lambda: r.closed)
        for method in ("fetchone", "fetchmany", "fetchall", "all", "first", "scalar", "one",
                       "one_or_none", "scalar_one", "scalar_one_or_none"):
            p(method, getattr(r, method))
        p("iterate", lambda: list(r))
        p("keys", r.keys)
        p("scalars", r.scalars)
        p("columns", lambda: r.columns("x"))
        p("mappings all", lambda: r.mappings().all())
        p("inserted_primary_key", lambda: r.inserted_primary_key)
        r.close()
        p("closed after close", lambda: r.closed)
        p("fetchone after close", r.fetchone)
        d = conn.execute(lib.text("DELETE FROM result_t WHERE x = :x"), {"x": 30})
        p("delete rowcount", lambda: d.rowcount)
        p("delete nothing", lambda: conn.execute(lib.text("DELETE FROM result_t WHERE id > 100")).rowcount)
        p("update many rowcount", lambda: conn.execute(lib.text("UPDATE result_t SET x = 0")).rowcount)

    log = check(scenario)
    assert ("fetchone", "raises", "ResourceClosedError", NO_ROWS) in log


def test_select_result_attributes(check: Callable) -> None:
    def scenario(lib, conn, p):
        r = conn.execute(lib.text(SELECT))
        p("returns_rows", lambda: r.returns_rows)
        p("closed", lambda: r.closed)
        p("inserted_primary_key", lambda: r.inserted_primary_key)

    check(scenario)


def test_text_insert_has_no_inserted_primary_key(check: Callable) -> None:
    def scenario(lib, conn, p):
        r = conn.execute(lib.text("INSERT INTO result_t (id, name, x) VALUES (9, 'z', 0)"))
        p("returns_rows", lambda: r.returns_rows)
        p("rowcount", lambda: r.rowcount)
        p("inserted_primary_key", lambda: r.inserted_primary_key)
        p("inserted_primary_key_rows", lambda: r.inserted_primary_key_rows)

    log = check(scenario)
    assert log[2] == ("inserted_primary_key", "raises", "InvalidRequestError",
                      "Statement is not an insert() expression construct.")


def test_executemany_rowcount(check: Callable) -> None:
    def scenario(lib, conn, p):
        r = conn.execute(
            lib.text("UPDATE result_t SET x = :x WHERE id = :id"),
            [{"x": 1, "id": 1}, {"x": 2, "id": 2}, {"x": 3, "id": 3}],
        )
        p("returns_rows", lambda: r.returns_rows)
        p("fetchall", r.fetchall)

    check(scenario)


# -- freeze -----------------------------------------------------------------------------------------------


def test_freeze(check: Callable) -> None:
    def scenario(lib, conn, p):
        r = conn.execute(lib.text(SELECT))
        frozen = r.freeze()
        p("original closed", lambda: r.closed)
        p("original all", r.all)
        p("replay all", lambda: frozen().all())
        p("replay again", lambda: frozen().all())
        p("replay scalars", lambda: frozen().scalars("name").all())
        p("replay mappings", lambda: frozen().mappings().first())
        p("replay attribute", lambda: frozen().first().name)
        p("replay keys", lambda: frozen().keys())
        p("replay fetchmany", lambda: frozen().fetchmany(2))
        p("replay unique", lambda: frozen().columns("name").unique().all())
        partly = conn.execute(lib.text(SELECT))
        partly.fetchone()
        p("rest only", lambda: partly.freeze()().all())

    check(scenario)


# -- text().columns(): typed columns and column-object keys ------------------------------------------


def test_textual_columns_give_typed_values(check: Callable) -> None:
    def scenario(lib, conn, p):
        stmt = lib.text("SELECT id, name, x FROM result_t ORDER BY id").columns(
            lib.column("id", lib.Integer), lib.column("name", lib.String), lib.column("x", lib.Boolean)
        )
        p("all", lambda: conn.execute(stmt).all())
        if conn.dialect.name == "sqlite":  # stored as text: the types' processors convert
            sql = "SELECT '2024-02-29' AS d, '1.50' AS n"
        else:
            sql = "SELECT CAST('2024-02-29' AS DATE) AS d, CAST('1.50' AS NUMERIC(10, 2)) AS n"
        typed = lib.text(sql).columns(
            lib.column("d", lib.Date), lib.column("n", lib.Numeric(10, 2))
        )
        p("date and numeric", lambda: conn.execute(typed).one())
        keyword = lib.text("SELECT id, name FROM result_t ORDER BY id").columns(id=lib.Integer, name=lib.String)
        p("keyword form", lambda: conn.execute(keyword).all())
        p("keyword form keys", lambda: conn.execute(keyword).keys())

    check(scenario)


def test_textual_columns_key_rows_by_column_object(check: Callable) -> None:
    def scenario(lib, conn, p):
        cid = lib.column("id", lib.Integer)
        cname = lib.column("name", lib.String)
        stmt = lib.text("SELECT id, name FROM result_t ORDER BY id").columns(cid, cname)
        row = conn.execute(stmt).first()
        p("by object", lambda: (row._mapping[cid], row._mapping[cname]))
        p("by name", lambda: row._mapping["name"])
        p("object in mapping", lambda: (cid in row._mapping, "id" in row._mapping))
        p("other object of same name", lambda: row._mapping[lib.column("id")])
        p("object in keys", lambda: cid in conn.execute(stmt).keys())
        p("scalars by object", lambda: conn.execute(stmt).scalars(cname).all())
        p("columns by object", lambda: conn.execute(stmt).columns(cname, cid).all())
        p("mappings by object", lambda: conn.execute(stmt).mappings().first()[cid])
        p("frozen by object", lambda: conn.execute(stmt).freeze()().first()._mapping[cid])

    check(scenario)


# -- duplicate column names ---------------------------------------------------------------------------


def test_duplicate_names_in_text(check: Callable) -> None:
    def scenario(lib, conn, p):
        sql = lib.text("SELECT 1 AS a, 2 AS a, 3 AS b")
        row = conn.execute(sql).one()
        p("row", lambda: row)
        p("attribute", lambda: row.a)
        p("mapping", lambda: row._mapping["a"])
        p("fields", lambda: row._fields)
        p("asdict", lambda: row._asdict())
        p("keys", lambda: conn.execute(sql).keys())
        p("items", lambda: list(row._mapping.items()))
        p("values", lambda: list(row._mapping.values()))
        p("len", lambda: len(row._mapping))
        p("scalars by name", lambda: conn.execute(sql).scalars("a").all())

    check(scenario)


# -- bound parameters reach the result ------------------------------------------------------------------


def test_bound_parameters(check: Callable) -> None:
    def scenario(lib, conn, p):
        sql = lib.text("SELECT id, name FROM result_t WHERE x = :x ORDER BY id")
        p("dict", lambda: conn.execute(sql, {"x": 10}).all())
        p("bindparams", lambda: conn.execute(sql.bindparams(x=30)).all())
        p(
            "typed bindparam",
            lambda: conn.execute(sql.bindparams(lib.bindparam("x", type_=lib.Integer)), {"x": 20}).all(),
        )

    check(scenario)


# -- in-memory results ----------------------------------------------------------------------------------


def test_result_tuple_rows() -> None:
    import ormcore.engine
    import sqlalchemy.engine

    for lib in (sqlalchemy.engine, ormcore.engine):
        make = lib.result_tuple(["a", "b"])
        row = make((1, 2))
        assert row == (1, 2)
        assert (row.a, row.b, row._fields, row._asdict()) == (1, 2, ("a", "b"), {"a": 1, "b": 2})
