"""Every type round-trips through a real PostgreSQL table, agreeing with SQLAlchemy.

ormcore writes rows that SQLAlchemy then reads from the same table, and the reverse; both see
the same stored values. Runs when ORMCORE_TEST_PG_URL is set (always in CI).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import os
import uuid
from typing import Any

import pytest

import ormcore.schema as os_
import ormcore.types as ot
from ormcore import bindparam
from ormcore import text
from ormcore.dialects.postgresql import types as pg

sa = pytest.importorskip("sqlalchemy")
sa_types = pytest.importorskip("sqlalchemy.types")
from sqlalchemy.dialects import postgresql as sa_pg  # noqa: E402

if not os.environ.get("ORMCORE_TEST_PG_URL"):
    pytest.skip("ORMCORE_TEST_PG_URL is not set", allow_module_level=True)

pytestmark = pytest.mark.parametrize("backend", ["postgresql"])


class Shape(enum.Enum):
    circle = "c"
    square = "s"


UTC = dt.timezone.utc

# name -> (ormcore type, SQLAlchemy type, value)
COLUMNS: dict = {
    "i": (ot.Integer(), sa.Integer(), 7),
    "big": (ot.BigInteger(), sa.BigInteger(), 2**53),
    "s": (ot.String(30), sa.String(30), "it's 50% ünicode"),
    "flag": (ot.Boolean(), sa.Boolean(), False),
    "num": (ot.Numeric(10, 2), sa.Numeric(10, 2), decimal.Decimal("12.30")),
    "num_f": (ot.Numeric(10, 3, asdecimal=False), sa.Numeric(10, 3, asdecimal=False), 2.125),
    "flt": (ot.Float(), sa.Float(), 0.1),
    "flt_d": (ot.Float(asdecimal=True), sa.Float(asdecimal=True), 1.5),
    "dbl": (ot.Double(), sa.Double(), 1e100),
    "day": (ot.Date(), sa.Date(), dt.date(2021, 3, 15)),
    "stamp": (ot.DateTime(), sa.DateTime(), dt.datetime(2021, 3, 15, 12, 5, 57, 105542)),
    "stamp_tz": (ot.DateTime(timezone=True), sa.DateTime(timezone=True),
                 dt.datetime(2021, 3, 15, 12, 5, 57, tzinfo=UTC)),
    "clock": (ot.Time(), sa.Time(), dt.time(12, 5, 57, 105542)),
    "span": (ot.Interval(), sa.Interval(), dt.timedelta(days=3, seconds=7, microseconds=11)),
    "blob": (ot.LargeBinary(), sa.LargeBinary(), b"\x00\xffbytes"),
    "shape": (ot.Enum(Shape), sa.Enum(Shape), Shape.square),
    "word": (ot.Enum("alpha", "beta", name="word_enum"), sa.Enum("alpha", "beta", name="word_enum"), "beta"),
    "plain": (ot.Enum("x", "y", native_enum=False), sa.Enum("x", "y", native_enum=False), "y"),
    "uid": (ot.Uuid(), sa.Uuid(), uuid.UUID("12345678-1234-5678-1234-567812345678")),
    "uid_s": (ot.Uuid(as_uuid=False), sa.Uuid(as_uuid=False), "12345678-1234-5678-1234-567812345679"),
    "uid_c": (ot.Uuid(native_uuid=False), sa.Uuid(native_uuid=False), uuid.UUID(int=99)),
    "doc": (ot.JSON(), sa.JSON(), {"a": [1, 2.5, None, "x"], "b": {"c": True}}),
    "doc_none": (ot.JSON(), sa.JSON(), None),
    "docb": (pg.JSONB(), sa_pg.JSONB(), ["a", {"b": 1}]),
    "arr": (pg.ARRAY(ot.Integer()), sa_pg.ARRAY(sa.Integer()), [1, 2, 3]),
    "arr2": (pg.ARRAY(ot.Numeric(5, 1), dimensions=2), sa_pg.ARRAY(sa.Numeric(5, 1), dimensions=2),
             [[decimal.Decimal("1.5")], [decimal.Decimal("2.0")]]),
    "pick": (ot.PickleType(), sa.PickleType(), {"k": (1, 2)}),
}

NAMES = list(COLUMNS)


def _metadata() -> Any:
    m = os_.MetaData()
    os_.Table("pg_round_trip", m, os_.Column("id", ot.Integer, primary_key=True),
              *[os_.Column(name, oc_type) for name, (oc_type, _s, _v) in COLUMNS.items()])
    return m


def _sa_table() -> Any:
    m = sa.MetaData()
    return sa.Table("pg_round_trip", m, sa.Column("id", sa.Integer, primary_key=True),
                    *[sa.Column(name, sa_type) for name, (_o, sa_type, _v) in COLUMNS.items()])


def _expected() -> dict:
    return {n: v for n, (_o, _s, v) in COLUMNS.items()}


def test_round_trip_both_ways(engine: Any, sa_engine: Any) -> None:
    m = _metadata()
    m.create_all(engine)
    sa_table = _sa_table()
    try:
        with engine.begin() as conn:
            insert = text(
                f"INSERT INTO pg_round_trip (id, {', '.join(NAMES)}) "
                f"VALUES (:id, {', '.join(':' + n for n in NAMES)})"
            ).bindparams(*[bindparam(n, type_=COLUMNS[n][0]) for n in NAMES])
            conn.execute(insert, {"id": 1, **_expected()})
        with sa_engine.begin() as conn:
            conn.execute(sa_table.insert(), {"id": 2, **_expected()})
        with sa_engine.connect() as conn:
            read_by_sa = conn.execute(
                sa.select(*[sa_table.c[n] for n in NAMES]).where(sa_table.c.id == 1)
            ).one()
            raw = [
                conn.exec_driver_sql(
                    f"SELECT {', '.join(n + '::text' for n in NAMES)} FROM pg_round_trip WHERE id = {i}"
                ).one()
                for i in (1, 2)
            ]
        with engine.connect() as conn:
            select = text(f"SELECT {', '.join(NAMES)} FROM pg_round_trip ORDER BY id").columns(
                **{n: COLUMNS[n][0] for n in NAMES}
            )
            read_by_oc = [dict(zip(NAMES, row)) for row in conn.execute(select)]
    finally:
        m.drop_all(engine)
    expected = _expected()
    assert dict(zip(NAMES, read_by_sa)) == expected
    assert read_by_oc == [expected, expected]
    assert tuple(raw[0]) == tuple(raw[1])
    own = read_by_oc[0]
    assert isinstance(own["shape"], Shape) and isinstance(own["uid"], uuid.UUID)
    assert isinstance(own["num"], decimal.Decimal) and isinstance(own["num_f"], float)
    assert isinstance(own["flt_d"], decimal.Decimal) and isinstance(own["blob"], bytes)


def test_native_types_in_the_catalog(engine: Any) -> None:
    m = _metadata()
    m.create_all(engine)
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT column_name, data_type, udt_name FROM information_schema.columns "
                "WHERE table_name = 'pg_round_trip' AND table_schema = current_schema()"
            ).all()
    finally:
        m.drop_all(engine)
    kinds = {name: (data_type, udt) for name, data_type, udt in rows}
    assert kinds["id"] == ("integer", "int4")
    assert kinds["uid"] == ("uuid", "uuid")
    assert kinds["uid_c"] == ("character", "bpchar")
    assert kinds["shape"] == ("USER-DEFINED", "shape")
    assert kinds["plain"] == ("character varying", "varchar")
    assert kinds["stamp_tz"] == ("timestamp with time zone", "timestamptz")
    assert kinds["span"] == ("interval", "interval")
    assert kinds["blob"] == ("bytea", "bytea")
    assert kinds["docb"] == ("jsonb", "jsonb")
    assert kinds["arr"] == ("ARRAY", "_int4")


def test_serial_primary_keys(engine: Any) -> None:
    m = os_.MetaData()
    t = os_.Table("serials", m, os_.Column("id", ot.BigInteger, primary_key=True),
                  os_.Column("v", ot.Integer))
    m.create_all(engine)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO serials (v) VALUES (1), (2)")
            assert conn.exec_driver_sql("SELECT id FROM serials ORDER BY id").scalars().all() == [1, 2]
            default = conn.exec_driver_sql(
                "SELECT column_default FROM information_schema.columns "
                "WHERE table_name = 'serials' AND column_name = 'id' "
                "AND table_schema = current_schema()"
            ).scalar()
        assert default.startswith("nextval(")
    finally:
        t.drop(engine)
