"""Row and RowMapping (src/ormcore/engine/row.py, storage in the core's BaseRow).

Rows are fetched through SQLAlchemy and through ormcore from the same database; every
observation (values, types, exception classes and messages) must agree.
"""

from __future__ import annotations

import collections.abc
import pickle
import warnings
from typing import Any
from typing import Callable

import pytest

from .test_result import Probe
from .test_result import differential

SQL = "SELECT 1 AS id, 'a' AS name, 11 AS x"


@pytest.fixture
def check(sa_engine: Any, engine: Any) -> Callable:
    def run(scenario: Callable[[Any, Any, Probe], None]) -> list:
        return differential(sa_engine, engine, scenario)

    return run


def one_row(lib: Any, conn: Any, sql: str = SQL) -> Any:
    return conn.execute(lib.text(sql)).one()


# -- the tuple protocol ---------------------------------------------------------------------------------


def test_tuple_equality_and_hash(check: Callable) -> None:
    def scenario(lib, conn, p):
        row = one_row(lib, conn)
        p("eq tuple", lambda: row == (1, "a", 11))
        p("tuple eq", lambda: (1, "a", 11) == row)
        p("ne tuple", lambda: (row != (1, "a", 11), row != (1, "a", 12)))
        p("eq list", lambda: row == [1, "a", 11])
        p("eq other row", lambda: row == one_row(lib, conn))
        p("eq string", lambda: one_row(lib, conn, "SELECT 'a' AS p, 'b' AS q") == "ab")
        p("eq None", lambda: row == None)  # noqa: E711
        p("hash", lambda: hash(row) == hash((1, "a", 11)))
        p("in set of tuples", lambda: row in {(1, "a", 11)})
        p("tuple in set of rows", lambda: (1, "a", 11) in {row})
        p("dict key", lambda: {row: "v"}[(1, "a", 11)])

    check(scenario)


def test_ordering(check: Callable) -> None:
    def scenario(lib, conn, p):
        row = one_row(lib, conn)
        p("lt", lambda: (row < (2,), row < (1, "a", 11), row < (1, "b")))
        p("le", lambda: (row <= (1, "a", 11), row <= (0,)))
        p("gt", lambda: (row > (0,), row > (1, "a", 11)))
        p("ge", lambda: (row >= (1, "a", 11), row >= (2,)))
        p("reflected", lambda: ((0,) < row, (2,) > row))
        p("sorted", lambda: sorted([row, (0, "z", 0), (5,)]))
        p("rows sorted", lambda: sorted(conn.execute(lib.text("SELECT 2 AS v UNION ALL SELECT 1")).all()))
        p("lt list", lambda: row < [2], message=False)
        p("lt int", lambda: row < 2, message=False)

    check(scenario)


def test_sequence_protocol(check: Callable) -> None:
    def scenario(lib, conn, p):
        row = one_row(lib, conn)
        p("len", lambda: len(row))
        p("index", lambda: (row[0], row[1], row[-1]))
        p("slice", lambda: row[0:2])
        p("slice step", lambda: row[::-1])
        p("out of range", lambda: row[5])
        p("string index", lambda: row["id"])
        p("iterate", lambda: list(row))
        p("unpack", lambda: tuple(a for a in row))
        p("contains", lambda: ("a" in row, "z" in row))
        p("count", lambda: row.count(1))
        p("index of", lambda: row.index("a"))
        p("reversed", lambda: list(reversed(row)))
        p("tuple()", lambda: tuple(row))
        p("repr", lambda: repr(row))
        p("str", lambda: str(row))
        p("is a Sequence", lambda: isinstance(row, collections.abc.Sequence))
        p("is not a tuple", lambda: isinstance(row, tuple))
        p("setitem", lambda: row.__setitem__(0, 5), message=False)

    check(scenario)


# -- named access -----------------------------------------------------------------------------------------


def test_attribute_access(check: Callable) -> None:
    def scenario(lib, conn, p):
        row = one_row(lib, conn)
        p("attributes", lambda: (row.id, row.name, row.x))
        p("unknown attribute", lambda: row.nope)
        p("hasattr", lambda: (hasattr(row, "name"), hasattr(row, "nope")))
        p("getattr default", lambda: getattr(row, "nope", "dflt"))
        p("fields", lambda: row._fields)
        p("asdict", lambda: row._asdict())
        p("mapping", lambda: row._mapping)
        p("mapping key", lambda: row._mapping["name"])
        p("mapping unknown key", lambda: row._mapping["nope"])
        p("mapping int key", lambda: row._mapping[0])
        p("setattr", lambda: setattr(row, "name", "b"), message=False)

    log = check(scenario)
    assert ("unknown attribute", "raises", "AttributeError",
            "Could not locate column in row for column 'nope'") in log
    assert ("mapping unknown key", "raises", "NoSuchColumnError",
            "Could not locate column in row for column 'nope'") in log


def test_column_named_like_a_method(check: Callable) -> None:
    def scenario(lib, conn, p):
        row = one_row(lib, conn, 'SELECT 1 AS count, 2 AS "index", 3 AS keys')
        p("count is the tuple method", lambda: row.count(1))
        p("mapping reaches the column", lambda: (row._mapping["count"], row._mapping["index"]))
        p("keys attribute", lambda: row.keys)

    check(scenario)


def test_tuple_shorthands(check: Callable) -> None:
    def scenario(lib, conn, p):
        row = one_row(lib, conn)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # deprecated in SQLAlchemy 2.1
            p("_t", lambda: row._t)
            p("_tuple()", lambda: row._tuple())
            p("t", lambda: row.t)
            p("tuple()", lambda: row.tuple())

    check(scenario)


def test_duplicate_column_names_last_wins(check: Callable) -> None:
    def scenario(lib, conn, p):
        row = one_row(lib, conn, "SELECT 1 AS a, 2 AS a, 3 AS b")
        p("attribute", lambda: row.a)
        p("mapping", lambda: row._mapping["a"])
        p("fields", lambda: row._fields)
        p("asdict", lambda: row._asdict())
        p("dict of mapping", lambda: dict(row._mapping))

    check(scenario)


# -- pickling -----------------------------------------------------------------------------------------------


def test_pickle(check: Callable) -> None:
    def scenario(lib, conn, p):
        row = one_row(lib, conn)
        for protocol in (2, pickle.HIGHEST_PROTOCOL):
            copy = pickle.loads(pickle.dumps(row, protocol))
            p("equal", lambda: copy == row)
            p("type", lambda: type(copy).__name__)
            p("attribute", lambda: copy.name)
            p("mapping", lambda: copy._mapping["x"])
            p("fields", lambda: copy._fields)
            p("unknown", lambda: copy.nope)
        rows = conn.execute(lib.text("SELECT 1 AS a UNION ALL SELECT 2")).all()
        p("list of rows", lambda: [r.a for r in pickle.loads(pickle.dumps(rows))])
        m = row._mapping
        p("mapping pickles", lambda: dict(pickle.loads(pickle.dumps(m))))

    check(scenario)


def test_pickle_keeps_the_row_class(engine: Any) -> None:
    import ormcore

    with engine.connect() as conn:
        row = conn.execute(ormcore.text(SQL)).one()
    copy = pickle.loads(pickle.dumps(row))
    assert type(copy) is ormcore.Row
    assert copy == row and copy.x == 11


# -- RowMapping: the Mapping protocol ---------------------------------------------------------------------


def test_row_mapping_protocol(check: Callable) -> None:
    def scenario(lib, conn, p):
        m = one_row(lib, conn)._mapping
        p("is a Mapping", lambda: isinstance(m, collections.abc.Mapping))
        p("getitem", lambda: m["name"])
        p("get", lambda: (m.get("name"), m.get("nope"), m.get("nope", 5)))
        p("contains", lambda: ("name" in m, "nope" in m, 0 in m))
        p("len", lambda: len(m))
        p("iterate", lambda: list(m))
        p("keys", lambda: m.keys())
        p("values", lambda: m.values())
        p("items", lambda: m.items())
        p("views eq lists", lambda: (m.keys() == ["id", "name", "x"], m.values() == [1, "a", 11],
                                     m.items() == [("id", 1), ("name", "a"), ("x", 11)]))
        p("views contain", lambda: ("id" in m.keys(), "a" in m.values(), ("x", 11) in m.items()))
        p("views are sets", lambda: [isinstance(v, collections.abc.Set)
                                     for v in (m.keys(), m.values(), m.items())])
        p("views len", lambda: [len(v) for v in (m.keys(), m.values(), m.items())])
        p("view reprs", lambda: (repr(m.values()), repr(m.items())))
        p("eq dict", lambda: (m == {"id": 1, "name": "a", "x": 11}, m == {"id": 1}))
        p("dict", lambda: dict(m))
        p("repr", lambda: repr(m))
        p("hashable", lambda: hash(m) == hash(one_row(lib, conn)._mapping))
        p("setitem", lambda: m.__setitem__("id", 2), message=False)
        p("unknown", lambda: m["nope"])
        p("unhashable key", lambda: m[["id"]], message=False)

    check(scenario)


def test_mappings_result_rows(check: Callable) -> None:
    def scenario(lib, conn, p):
        sql = lib.text("SELECT 1 AS a, 'x' AS b UNION ALL SELECT 1, 'x' UNION ALL SELECT 2, 'y'")
        ms = conn.execute(sql).mappings().all()
        p("types", lambda: [type(m).__name__ for m in ms])
        p("values", lambda: [dict(m) for m in ms])
        p("unique", lambda: conn.execute(sql).mappings().unique().all())

    check(scenario)
