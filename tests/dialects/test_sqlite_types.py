"""Every type round-trips through a real SQLite table, stored exactly as SQLAlchemy stores it.

ormcore writes rows that SQLAlchemy then reads from the same database file, and the reverse;
the raw stored values (what a third program would see) must be identical either way.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from typing import Any

import pytest

import ormcore.schema as os_
import ormcore.types as ot
from ormcore import bindparam
from ormcore import text

sa = pytest.importorskip("sqlalchemy")
sa_types = pytest.importorskip("sqlalchemy.types")

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])


class Shape(enum.Enum):
    circle = "c"
    square = "s"


# name -> (type spec taking a types module, a value to store)
COLUMNS: dict = {
    "i": (lambda T: T.Integer(), 7),
    "big": (lambda T: T.BigInteger(), 2**53),
    "small": (lambda T: T.SmallInteger(), -3),
    "s": (lambda T: T.String(30), "it's ünicode"),
    "txt": (lambda T: T.Text(), "long\ntext"),
    "flag": (lambda T: T.Boolean(), True),
    "flag_off": (lambda T: T.Boolean(create_constraint=True), False),
    "num": (lambda T: T.Numeric(10, 2), decimal.Decimal("12.30")),
    "num_f": (lambda T: T.Numeric(10, 3, asdecimal=False), 2.125),
    "flt": (lambda T: T.Float(), 0.1),
    "flt_d": (lambda T: T.Float(asdecimal=True), 1.5),
    "dbl": (lambda T: T.Double(), 1e100),
    "day": (lambda T: T.Date(), dt.date(2021, 3, 15)),
    "stamp": (lambda T: T.DateTime(), dt.datetime(2021, 3, 15, 12, 5, 57, 105542)),
    "clock": (lambda T: T.Time(), dt.time(12, 5, 57, 105542)),
    "span": (lambda T: T.Interval(), dt.timedelta(days=3, seconds=7, microseconds=11)),
    "blob": (lambda T: T.LargeBinary(), b"\x00\xffbytes"),
    "shape": (lambda T: T.Enum(Shape), Shape.square),
    "word": (lambda T: T.Enum("alpha", "beta", name="word", create_constraint=True), "beta"),
    "uid": (lambda T: T.Uuid(), uuid.UUID("12345678-1234-5678-1234-567812345678")),
    "uid_s": (lambda T: T.Uuid(as_uuid=False), "12345678-1234-5678-1234-567812345679"),
    "doc": (lambda T: T.JSON(), {"a": [1, 2.5, None, "x"], "b": {"c": True}}),
    "doc_num": (lambda T: T.JSON(), 5),
    "doc_none": (lambda T: T.JSON(), None),
    "doc_null": (lambda T: T.JSON(none_as_null=True), None),
    "pick": (lambda T: T.PickleType(), {"k": (1, 2)}),
}

NAMES = list(COLUMNS)


def _metadata() -> Any:
    m = os_.MetaData()
    os_.Table("round_trip", m, os_.Column("id", ot.Integer, primary_key=True),
              *[os_.Column(name, spec(ot)) for name, (spec, _v) in COLUMNS.items()])
    return m


def _sa_table() -> Any:
    m = sa.MetaData()
    return sa.Table("round_trip", m, sa.Column("id", sa.Integer, primary_key=True),
                    *[sa.Column(name, spec(sa_types)) for name, (spec, _v) in COLUMNS.items()])


def _oc_insert(conn: Any, row_id: int) -> None:
    stmt = text(
        f"INSERT INTO round_trip (id, {', '.join(NAMES)}) VALUES (:id, {', '.join(':' + n for n in NAMES)})"
    ).bindparams(*[bindparam(n, type_=COLUMNS[n][0](ot)) for n in NAMES])
    conn.execute(stmt, {"id": row_id, **{n: v for n, (_s, v) in COLUMNS.items()}})


def _oc_select(conn: Any, row_id: int) -> dict:
    stmt = text(f"SELECT {', '.join(NAMES)} FROM round_trip WHERE id = :id").columns(
        **{n: COLUMNS[n][0](ot) for n in NAMES}
    )
    row = conn.execute(stmt, {"id": row_id}).one()
    return dict(zip(NAMES, row))


def _expected() -> dict:
    return {n: v for n, (_s, v) in COLUMNS.items()}


def _raw(conn: Any, row_id: int) -> tuple:
    return tuple(conn.exec_driver_sql(
        f"SELECT {', '.join(NAMES)} FROM round_trip WHERE id = {row_id}"
    ).one())


def test_round_trip_both_ways(engine: Any, sa_engine: Any) -> None:
    m = _metadata()
    m.create_all(engine)
    sa_table = _sa_table()
    try:
        with engine.begin() as conn:
            _oc_insert(conn, 1)
        with sa_engine.begin() as conn:
            conn.execute(sa_table.insert(), {"id": 2, **_expected()})
        with sa_engine.connect() as conn:
            read_by_sa = conn.execute(sa.select(*[sa_table.c[n] for n in NAMES])
                                      .where(sa_table.c.id == 1)).one()
            raw_oc, raw_sa = (
                tuple(conn.exec_driver_sql(f"SELECT {', '.join(NAMES)} FROM round_trip WHERE id = {i}").one())
                for i in (1, 2)
            )
        with engine.connect() as conn:
            read_by_oc = _oc_select(conn, 2)
            read_own = _oc_select(conn, 1)
    finally:
        m.drop_all(engine)
    expected = _expected()
    assert dict(zip(NAMES, read_by_sa)) == expected
    assert read_by_oc == expected
    assert read_own == expected
    assert raw_oc == raw_sa
    assert isinstance(read_own["shape"], Shape) and isinstance(read_own["uid"], uuid.UUID)
    assert isinstance(read_own["num"], decimal.Decimal) and isinstance(read_own["num_f"], float)


def test_storage_formats(engine: Any) -> None:
    m = _metadata()
    m.create_all(engine)
    try:
        with engine.begin() as conn:
            _oc_insert(conn, 1)
            raw = dict(zip(NAMES, _raw(conn, 1)))
    finally:
        m.drop_all(engine)
    assert raw["stamp"] == "2021-03-15 12:05:57.105542"
    assert raw["day"] == "2021-03-15"
    assert raw["clock"] == "12:05:57.105542"
    assert raw["span"] == "1970-01-04 00:00:07.000011"
    assert raw["flag"] == 1 and raw["flag_off"] == 0
    assert raw["uid"] == "12345678123456781234567812345678"
    assert raw["uid_s"] == "12345678123456781234567812345679"
    assert raw["shape"] == "square"
    assert raw["doc_none"] == "null" and raw["doc_null"] is None
    assert raw["doc_num"] == 5  # JSON has NUMERIC affinity on SQLite


def test_check_constraints_enforced(engine: Any) -> None:
    m = _metadata()
    m.create_all(engine)
    try:
        from ormcore import exc

        with pytest.raises(exc.IntegrityError):
            with engine.begin() as conn:
                conn.exec_driver_sql("INSERT INTO round_trip (id, word) VALUES (9, 'gamma')")
        with pytest.raises(exc.IntegrityError):
            with engine.begin() as conn:
                conn.exec_driver_sql("INSERT INTO round_trip (id, flag_off) VALUES (9, 2)")
    finally:
        m.drop_all(engine)


def test_bad_values_raise_statement_errors(engine: Any) -> None:
    from ormcore import exc

    m = _metadata()
    m.create_all(engine)
    try:
        with engine.begin() as conn:
            stmt = text("INSERT INTO round_trip (id, stamp) VALUES (1, :v)").bindparams(
                bindparam("v", type_=ot.DateTime())
            )
            with pytest.raises(exc.StatementError, match="SQLite DateTime type only accepts"):
                conn.execute(stmt, {"v": "2021-01-01"})
    finally:
        m.drop_all(engine)
