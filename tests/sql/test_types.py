"""Types: conversions both ways, DDL names, reprs and cache keys, against SQLAlchemy itself.

No database here: processors are called directly with the values a driver would send back
(tests/dialects/ round-trips through real tables). Each case builds the same type in both
libraries (`spec(types_module)`) and compares what they do.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import uuid
from typing import Any
from typing import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ormcore.types as ot
from ormcore import exc
from ormcore.dialects.postgresql import types as oc_pg_types
from ormcore.dialects.postgresql.psycopg2 import dialect as OcPG
from ormcore.dialects.sqlite.pysqlite import dialect as OcSQLite
from ormcore.sql import type_api

sa = pytest.importorskip("sqlalchemy")
sa_types = pytest.importorskip("sqlalchemy.types")
from sqlalchemy.dialects import postgresql as sa_pg  # noqa: E402
from sqlalchemy.dialects import sqlite as sa_sqlite  # noqa: E402


class Color(enum.Enum):
    red = 1
    green = 2
    crimson = 1  # an alias of red


class Mood(enum.Enum):
    happy = "HAPPY"
    sad = "SAD"


DIALECTS = {
    "sqlite": (OcSQLite, lambda: sa_sqlite.pysqlite.dialect()),
    "postgresql": (OcPG, lambda: sa_pg.psycopg2.dialect()),
}


def _outcome(fn: Callable[[], Any]) -> Any:
    """A value, or (exception class name, message) so failures compare too."""
    try:
        return ("ok", fn())
    except Exception as err:  # noqa: BLE001 - the exception is the result compared
        return ("raised", type(err).__name__, str(err))


def _apply(proc: Any, value: Any) -> Any:
    return _outcome(lambda: proc(value) if proc is not None else value)


def _both(spec: Callable[[Any], Any], dialect_name: str) -> tuple:
    oc_cls, sa_factory = DIALECTS[dialect_name]
    return (spec(ot), oc_cls()), (spec(sa_types), sa_factory())


SQLITE_BIND_CASES = [
    ("Integer", lambda T: T.Integer(), [1, None, 2**40]),
    ("String", lambda T: T.String(20), ["x", "it's", None]),
    ("Numeric", lambda T: T.Numeric(10, 2), [decimal.Decimal("3.10"), 4, None]),
    ("Numeric-float", lambda T: T.Numeric(asdecimal=False), [1.5, decimal.Decimal("2.5"), None]),
    ("Float", lambda T: T.Float(), [1.25, None]),
    ("Boolean", lambda T: T.Boolean(), [True, False, None, 1, 0, 2, "yes"]),
    ("DateTime", lambda T: T.DateTime(),
     [dt.datetime(2021, 3, 15, 12, 5, 57, 105542), dt.date(2021, 3, 15), None, "2021-01-01"]),
    ("Date", lambda T: T.Date(), [dt.date(2021, 3, 15), dt.datetime(2021, 3, 15, 1, 2), None, 5]),
    ("Time", lambda T: T.Time(), [dt.time(12, 5, 57, 105542), dt.time(1, 2), None, "x"]),
    ("Interval", lambda T: T.Interval(), [dt.timedelta(days=2, seconds=5, microseconds=7), None]),
    ("Enum-class", lambda T: T.Enum(Color),
     [Color.red, Color.crimson, "green", "crimson", "nope", None]),
    ("Enum-values", lambda T: T.Enum(Mood, values_callable=lambda c: [m.value for m in c]),
     [Mood.happy, "SAD", "happy", None]),
    ("Enum-strings", lambda T: T.Enum("a", "b", name="ab"), ["a", "zzz", None]),
    ("Enum-validated", lambda T: T.Enum("a", "b", name="ab", validate_strings=True),
     ["a", "zzz", None]),
    ("Uuid", lambda T: T.Uuid(), [uuid.UUID(int=12345), None]),
    ("Uuid-str", lambda T: T.Uuid(as_uuid=False), [str(uuid.UUID(int=7)), None]),
    ("JSON", lambda T: T.JSON(), [{"a": [1, 2]}, None, [1], "s", 5, ot.JSON.NULL]),
    ("JSON-none-as-null", lambda T: T.JSON(none_as_null=True), [{"a": 1}, None]),
]


def _json_null(T: Any) -> Any:
    return T.JSON.NULL


@pytest.mark.parametrize("name,spec,values", SQLITE_BIND_CASES, ids=[c[0] for c in SQLITE_BIND_CASES])
def test_sqlite_bind_processors_match_sqlalchemy(name: str, spec: Any, values: list) -> None:
    (oc_type, oc_dialect), (sa_type, sa_dialect) = _both(spec, "sqlite")
    oc_proc = oc_type._cached_bind_processor(oc_dialect)
    sa_proc = sa_type._cached_bind_processor(sa_dialect)
    for value in values:
        sa_value = sa_types.JSON.NULL if value is ot.JSON.NULL else value
        assert _apply(oc_proc, value) == _apply(sa_proc, sa_value), value


SQLITE_RESULT_CASES = [
    ("Numeric", lambda T: T.Numeric(10, 2), [3.1, 5, None, 2.675]),
    ("Numeric-noscale", lambda T: T.Numeric(), [3.1, 1 / 3, None]),
    ("Numeric-return-scale", lambda T: T.Numeric(10, 2, decimal_return_scale=4), [3.14159]),
    ("Numeric-float", lambda T: T.Numeric(asdecimal=False), [3.1, None]),
    ("Float", lambda T: T.Float(), [1.25, None]),
    ("Float-decimal", lambda T: T.Float(asdecimal=True), [1.25, 0.1, None]),
    ("Boolean", lambda T: T.Boolean(), [1, 0, None]),
    ("DateTime", lambda T: T.DateTime(),
     ["2021-03-15 12:05:57.105542", "2021-03-15 12:05:57", "2021-03-15", None, "garbage"]),
    ("Date", lambda T: T.Date(), ["2021-03-15", None, "2021-13-01"]),
    ("Time", lambda T: T.Time(), ["12:05:57.105542", "12:05", None]),
    ("Interval", lambda T: T.Interval(), ["1970-01-03 00:00:05.000007", None]),
    ("Enum-class", lambda T: T.Enum(Color), ["red", "green", "crimson", "nope", None]),
    ("Enum-values", lambda T: T.Enum(Mood, values_callable=lambda c: [m.value for m in c]),
     ["HAPPY", "happy", None]),
    ("Enum-strings", lambda T: T.Enum("a", "b"), ["a", "zzz", None]),
    ("Uuid", lambda T: T.Uuid(), [uuid.UUID(int=5).hex, str(uuid.UUID(int=5)), None]),
    ("Uuid-str", lambda T: T.Uuid(as_uuid=False), [uuid.UUID(int=5).hex, None]),
    ("JSON", lambda T: T.JSON(), ['{"a": [1, 2]}', "null", 5, 2.5, None, '"s"']),
    ("LargeBinary", lambda T: T.LargeBinary(), [b"\x00\x01", None]),
]


@pytest.mark.parametrize("name,spec,values", SQLITE_RESULT_CASES, ids=[c[0] for c in SQLITE_RESULT_CASES])
def test_sqlite_result_processors_match_sqlalchemy(name: str, spec: Any, values: list) -> None:
    (oc_type, oc_dialect), (sa_type, sa_dialect) = _both(spec, "sqlite")
    oc_proc = oc_type._cached_result_processor(oc_dialect, None)
    sa_proc = sa_type._cached_result_processor(sa_dialect, None)
    for value in values:
        assert _apply(oc_proc, value) == _apply(sa_proc, value), value


PG_RESULT_CASES = [
    # (spec, coltype OID, driver values): psycopg2 gives Decimal for NUMERIC, float for FLOAT8
    ("Numeric-numeric", lambda T: T.Numeric(10, 2), 1700, [decimal.Decimal("3.10"), None]),
    ("Numeric-float8", lambda T: T.Numeric(10, 2), 701, [3.1, None]),
    ("Numeric-int", lambda T: T.Numeric(), 23, [7, None]),
    ("Numeric-asfloat", lambda T: T.Numeric(asdecimal=False), 1700, [decimal.Decimal("3.5")]),
    ("Float-float8", lambda T: T.Float(), 701, [1.5, None]),
    ("Float-numeric", lambda T: T.Float(), 1700, [decimal.Decimal("1.5")]),
    ("Float-decimal", lambda T: T.Float(asdecimal=True), 701, [0.1]),
    ("Enum", lambda T: T.Enum(Color), 25, ["red", "crimson", None]),
    ("Uuid-str", lambda T: T.Uuid(as_uuid=False), 2950, [uuid.UUID(int=3)]),
    ("JSON", lambda T: T.JSON(), 114, [{"a": 1}, None]),
    ("Boolean", lambda T: T.Boolean(), 16, [True, None]),
    ("Interval", lambda T: T.Interval(), 1186, [dt.timedelta(seconds=3), None]),
]


@pytest.mark.parametrize(
    "name,spec,coltype,values", PG_RESULT_CASES, ids=[c[0] for c in PG_RESULT_CASES]
)
def test_postgresql_result_processors_match_sqlalchemy(
    name: str, spec: Any, coltype: int, values: list
) -> None:
    (oc_type, oc_dialect), (sa_type, sa_dialect) = _both(spec, "postgresql")
    oc_proc = oc_type._cached_result_processor(oc_dialect, coltype)
    sa_proc = sa_type._cached_result_processor(sa_dialect, coltype)
    for value in values:
        assert _apply(oc_proc, value) == _apply(sa_proc, value), value


def test_postgresql_uuid_accepts_str_or_uuid_from_the_driver() -> None:
    # psycopg2 returns str unless its UUID adapter is registered; both become uuid.UUID
    dialect = OcPG()
    proc = ot.Uuid()._cached_result_processor(dialect, 2950)
    value = uuid.uuid4()
    assert proc(str(value)) == value
    assert proc(value) is value
    assert ot.Uuid()._cached_bind_processor(dialect)(value) == str(value)


def test_postgresql_json_text_column_is_parsed() -> None:
    # a JSON type applied to a text result column: psycopg2 did not parse it
    proc = ot.JSON()._cached_result_processor(OcPG(), 25)
    assert proc('{"a": 1}') == {"a": 1}


def test_postgresql_numeric_unknown_column_type_converts_by_value() -> None:
    proc = ot.Numeric(10, 2)._cached_result_processor(OcPG(), None)
    assert proc(1.5) == decimal.Decimal("1.50")
    assert proc(decimal.Decimal("2.25")) == decimal.Decimal("2.25")


def test_json_serializer_of_the_dialect_is_used() -> None:
    dialect = OcSQLite(json_serializer=lambda v: "X", json_deserializer=lambda v: "Y")
    json_type = ot.JSON()
    assert json_type._cached_bind_processor(dialect)({"a": 1}) == "X"
    assert json_type._cached_result_processor(dialect, None)("{}") == "Y"


def test_processors_are_cached_per_dialect() -> None:
    type_ = ot.Numeric(10, 2)
    dialect = OcSQLite()
    first = type_._cached_result_processor(dialect, None)
    assert type_._cached_result_processor(dialect, None) is first
    assert type_._cached_bind_processor(dialect) is type_._cached_bind_processor(dialect)
    assert type_.dialect_impl(dialect) is type_.dialect_impl(dialect)
    datetime_type = ot.DateTime()
    other = OcSQLite()
    assert datetime_type.dialect_impl(other) is not datetime_type.dialect_impl(dialect)


def test_type_memos_do_not_keep_dialects_alive() -> None:
    import gc
    import weakref

    type_ = ot.DateTime()
    dialect = OcSQLite()
    type_._cached_bind_processor(dialect)
    ref = weakref.ref(dialect)
    del dialect
    gc.collect()
    assert ref() is None


# -- Enum --------------------------------------------------------------------------------------


def test_enum_class_stores_names_and_returns_members() -> None:
    dialect = OcSQLite()
    enum_type = ot.Enum(Color)
    assert enum_type.enums == ["red", "green"]
    assert enum_type.name == "color"
    assert enum_type.length == 5
    assert enum_type.python_type is Color
    bind = enum_type._cached_bind_processor(dialect)
    result = enum_type._cached_result_processor(dialect, None)
    assert bind(Color.crimson) == "red"
    assert result("red") is Color.red
    with pytest.raises(LookupError, match="'blue' is not among the defined enum values"):
        result("blue")


def test_enum_length_smaller_than_longest_value() -> None:
    with pytest.raises(ValueError, match="length must be larger or equal"):
        ot.Enum("abc", "abcdef", length=3)
    with pytest.raises(ValueError) as sa_err:
        sa_types.Enum("abc", "abcdef", length=3)
    with pytest.raises(ValueError) as oc_err:
        ot.Enum("abc", "abcdef", length=3)
    assert str(oc_err.value) == str(sa_err.value)


def test_enum_lookup_error_lists_values_as_sqlalchemy() -> None:
    values = [f"value{i}" for i in range(6)] + ["a_very_long_value_name"]
    oc_err = _outcome(lambda: ot.Enum(*values, name="e", validate_strings=True)
                      ._db_value_for_elem("x"))
    sa_err = _outcome(lambda: sa_types.Enum(*values, name="e", validate_strings=True)
                      ._db_value_for_elem("x"))
    assert oc_err == sa_err


# -- Boolean, JSON, pickle, interval -----------------------------------------------------------


def test_boolean_native_on_postgresql() -> None:
    proc = ot.Boolean()._cached_bind_processor(OcPG())
    assert proc(1) is True and proc(None) is None
    assert ot.Boolean()._cached_result_processor(OcPG(), 16) is None


def test_json_null_versus_sql_null() -> None:
    dialect = OcSQLite()
    assert ot.JSON()._cached_bind_processor(dialect)(None) == "null"
    assert ot.JSON()._cached_bind_processor(dialect)(ot.JSON.NULL) == "null"
    assert ot.JSON(none_as_null=True)._cached_bind_processor(dialect)(None) is None
    assert ot.JSON(none_as_null=True)._cached_bind_processor(dialect)(ot.JSON.NULL) == "null"
    assert ot.JSON().should_evaluate_none is True
    assert ot.JSON(none_as_null=True).should_evaluate_none is False
    assert ot.JSON(none_as_null=True).evaluates_none().should_evaluate_none is True


def test_pickle_type_round_trip_and_comparator() -> None:
    dialect = OcSQLite()
    pickled = ot.PickleType()
    data = {"a": [1, 2, {3}]}
    stored = pickled._cached_bind_processor(dialect)(data)
    assert isinstance(stored, bytes)
    assert pickled._cached_result_processor(dialect, None)(stored) == data
    assert ot.PickleType(comparator=lambda a, b: True).compare_values(1, 2) is True
    assert pickled.compare_values([1], [1]) is True


def test_interval_is_native_on_postgresql() -> None:
    impl = ot.Interval(second_precision=3).dialect_impl(OcPG())
    assert isinstance(impl, oc_pg_types.INTERVAL)
    assert impl.precision == 3
    assert impl._cached_bind_processor(OcPG()) is None


# -- TypeDecorator, variants, user-defined types -----------------------------------------------


class Upper(ot.TypeDecorator):
    impl = ot.String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return value.upper() if value is not None else None

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return value.lower() if value is not None else None


class StampedDate(ot.TypeDecorator):
    """Decorates a type that itself has processors on SQLite (stored as text)."""

    impl = ot.DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return value + dt.timedelta(days=1) if value is not None else None

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return value - dt.timedelta(days=1) if value is not None else None


def test_type_decorator_processors_chain_with_dialect_impl() -> None:
    dialect = OcSQLite()
    upper = Upper(30)
    assert upper.length == 30
    assert repr(upper) == "Upper(length=30)"
    assert upper._cached_bind_processor(dialect)("abc") == "ABC"
    assert upper._cached_result_processor(dialect, None)("ABC") == "abc"
    stamped = StampedDate()
    stored = stamped._cached_bind_processor(dialect)(dt.datetime(2020, 1, 1))
    assert stored == "2020-01-02 00:00:00.000000"
    assert stamped._cached_result_processor(dialect, None)(stored) == dt.datetime(2020, 1, 1)
    assert stamped.compile(dialect=dialect) == "DATETIME"
    assert stamped.compile(dialect=OcPG()) == "TIMESTAMP WITHOUT TIME ZONE"


def test_type_decorator_requires_impl() -> None:
    class NoImpl(ot.TypeDecorator):
        pass

    with pytest.raises(AssertionError):
        NoImpl()


def test_type_decorator_load_dialect_impl() -> None:
    class PerDialect(ot.TypeDecorator):
        impl = ot.String
        cache_ok = True

        def load_dialect_impl(self, dialect: Any) -> Any:
            if dialect.name == "postgresql":
                return oc_pg_types.UUID()
            return ot.CHAR(32)

    assert PerDialect().compile(dialect=OcPG()) == "UUID"
    assert PerDialect().compile(dialect=OcSQLite()) == "CHAR(32)"


def test_with_variant() -> None:
    type_ = ot.String(30).with_variant(ot.Text(), "sqlite").with_variant(oc_pg_types.JSONB(), "postgresql")
    assert type_.compile(dialect=OcSQLite()) == "TEXT"
    assert type_.compile(dialect=OcPG()) == "JSONB"
    assert isinstance(type_.dialect_impl(OcPG()), oc_pg_types.JSONB)
    assert repr(type_) == "String(length=30)"
    with pytest.raises(exc.ArgumentError):
        type_.with_variant(ot.Text(), "sqlite")


def test_user_defined_type() -> None:
    class Point(ot.UserDefinedType):
        cache_ok = True

        def get_col_spec(self, **kw: Any) -> str:
            return "POINT"

    assert Point().compile(dialect=OcPG()) == "POINT"


def test_null_type_has_no_ddl() -> None:
    with pytest.raises(exc.CompileError, match="Can't generate DDL for NullType"):
        ot.NullType().compile(dialect=OcSQLite())


# -- DDL names ---------------------------------------------------------------------------------

COMPILE_CASES = [
    lambda T: T.Integer(), lambda T: T.SmallInteger(), lambda T: T.BigInteger(),
    lambda T: T.String(), lambda T: T.String(30), lambda T: T.String(30, collation="C"),
    lambda T: T.String(30, collation="nocase"), lambda T: T.Text(), lambda T: T.Unicode(10),
    lambda T: T.UnicodeText(), lambda T: T.Boolean(), lambda T: T.Float(), lambda T: T.Float(10),
    lambda T: T.Double(), lambda T: T.Numeric(), lambda T: T.Numeric(10),
    lambda T: T.Numeric(10, 2), lambda T: T.Date(), lambda T: T.DateTime(),
    lambda T: T.DateTime(timezone=True), lambda T: T.Time(), lambda T: T.Time(timezone=True),
    lambda T: T.Interval(), lambda T: T.LargeBinary(), lambda T: T.Enum("a", "bb", name="e"),
    lambda T: T.Enum("a", "bb", name="e", native_enum=False), lambda T: T.Uuid(),
    lambda T: T.Uuid(native_uuid=False), lambda T: T.JSON(), lambda T: T.PickleType(),
    lambda T: T.INTEGER(), lambda T: T.BIGINT(), lambda T: T.SMALLINT(), lambda T: T.VARCHAR(5),
    lambda T: T.NVARCHAR(5), lambda T: T.CHAR(3), lambda T: T.NCHAR(3), lambda T: T.TEXT(),
    lambda T: T.CLOB(), lambda T: T.BOOLEAN(), lambda T: T.FLOAT(), lambda T: T.REAL(),
    lambda T: T.DOUBLE(), lambda T: T.DOUBLE_PRECISION(), lambda T: T.NUMERIC(5, 1),
    lambda T: T.DECIMAL(5, 1), lambda T: T.DATE(), lambda T: T.DATETIME(),
    lambda T: T.TIMESTAMP(), lambda T: T.TIMESTAMP(timezone=True), lambda T: T.TIME(),
    lambda T: T.BLOB(), lambda T: T.BINARY(4), lambda T: T.VARBINARY(4), lambda T: T.UUID(),
]


@pytest.mark.parametrize("dialect_name", ["sqlite", "postgresql"])
@pytest.mark.parametrize("spec", COMPILE_CASES, ids=[str(i) for i in range(len(COMPILE_CASES))])
def test_type_ddl_names_match_sqlalchemy(spec: Any, dialect_name: str) -> None:
    (oc_type, oc_dialect), (sa_type, sa_dialect) = _both(spec, dialect_name)
    assert _outcome(lambda: oc_type.compile(dialect=oc_dialect)) == _outcome(
        lambda: sa_type.compile(dialect=sa_dialect)
    )


def test_postgresql_specific_type_names() -> None:
    pg = OcPG()
    sa_dialect = sa_pg.psycopg2.dialect()
    pairs = [
        (oc_pg_types.ENUM("x", "y", name="my enum"), sa_pg.ENUM("x", "y", name="my enum")),
        (oc_pg_types.JSONB(), sa_pg.JSONB()),
        (oc_pg_types.BYTEA(), sa_pg.BYTEA()),
        (oc_pg_types.INTERVAL(precision=2, fields="DAY TO SECOND"),
         sa_pg.INTERVAL(precision=2, fields="DAY TO SECOND")),
        (oc_pg_types.TIMESTAMP(timezone=True, precision=3), sa_pg.TIMESTAMP(timezone=True, precision=3)),
        (oc_pg_types.ARRAY(ot.Integer()), sa_pg.ARRAY(sa.Integer())),
        (oc_pg_types.ARRAY(ot.String(30, collation="C"), dimensions=2),
         sa_pg.ARRAY(sa.String(30, collation="C"), dimensions=2)),
        (oc_pg_types.INET(), sa_pg.INET()),
        (oc_pg_types.CIDR(), sa_pg.CIDR()),
    ]
    for oc_type, sa_type in pairs:
        assert oc_type.compile(dialect=pg) == sa_type.compile(dialect=sa_dialect)


def test_postgresql_enum_without_name_cannot_render() -> None:
    with pytest.raises(exc.CompileError, match="PostgreSQL Enum type requires a name"):
        ot.Enum("a", "b").compile(dialect=OcPG())


# -- reprs, affinity, cache keys, value-to-type ------------------------------------------------

REPR_CASES = [
    lambda T: T.Integer(), lambda T: T.String(20, collation="C"), lambda T: T.Numeric(10, 2),
    lambda T: T.Numeric(asdecimal=False), lambda T: T.Float(precision=5),
    lambda T: T.Float(asdecimal=True), lambda T: T.DateTime(timezone=True),
    lambda T: T.Boolean(name="b"), lambda T: T.Boolean(create_constraint=True),
    lambda T: T.Enum(Color), lambda T: T.Enum("a", "b"),
    lambda T: T.Enum(Color, native_enum=False, length=10),
    lambda T: T.Enum("x", name="q", create_constraint=True), lambda T: T.Interval(),
    lambda T: T.Interval(second_precision=3), lambda T: T.PickleType(),
    lambda T: T.ARRAY(T.Integer), lambda T: T.Uuid(as_uuid=False), lambda T: T.JSON(),
    lambda T: T.JSON(none_as_null=True), lambda T: T.LargeBinary(10),
    lambda T: T.TIMESTAMP(timezone=True), lambda T: T.VARCHAR(5), lambda T: T.UUID(),
]


@pytest.mark.parametrize("spec", REPR_CASES, ids=[str(i) for i in range(len(REPR_CASES))])
def test_repr_matches_sqlalchemy(spec: Any) -> None:
    assert repr(spec(ot)) == repr(spec(sa_types))


def test_type_affinity_and_python_type() -> None:
    assert ot.VARCHAR(3)._type_affinity is ot.String
    assert ot.BigInteger()._type_affinity is ot.Integer
    assert ot.Float()._type_affinity is ot.Numeric
    assert ot.Enum("a")._type_affinity is ot.String
    assert ot.UUID()._type_affinity is ot.Uuid
    assert Upper()._type_affinity is ot.String
    assert ot.Interval()._type_affinity is ot.Interval
    assert ot.Numeric().python_type is decimal.Decimal
    assert ot.Numeric(asdecimal=False).python_type is float
    assert ot.Uuid().python_type is uuid.UUID
    assert ot.Interval().python_type is dt.timedelta


def test_cache_keys() -> None:
    assert ot.String(30)._cache_key == ot.String(30)._cache_key
    assert ot.String(30)._cache_key != ot.String(31)._cache_key
    assert ot.String(30)._cache_key != ot.VARCHAR(30)._cache_key
    assert ot.Enum("a", "b")._cache_key != ot.Enum("a", "c")._cache_key
    assert ot.Numeric(10, 2).with_variant(ot.Float(), "sqlite")._cache_key != ot.Numeric(10, 2)._cache_key
    assert Upper(10)._cache_key == Upper(10)._cache_key
    for type_ in (ot.JSON(), ot.ARRAY(ot.Integer()), ot.Enum(Color), ot.PickleType(), Upper()):
        hash(type_._cache_key)

    class NotCacheable(ot.TypeDecorator):
        impl = ot.String

    first, second = NotCacheable(), NotCacheable()
    assert first._cache_key != second._cache_key
    assert first._cache_key == first._cache_key


@pytest.mark.parametrize(
    "value",
    [1, 2**40, 1.5, True, "abc", "ünï", decimal.Decimal("1.5"), dt.date(2020, 1, 1),
     dt.datetime(2020, 1, 1), dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc), dt.time(1, 2),
     dt.timedelta(1), b"x", uuid.uuid4(), None, Color.red, object()],
    ids=repr,
)
def test_resolve_value_to_type_matches_sqlalchemy(value: Any) -> None:
    from sqlalchemy.sql import sqltypes as sa_sqltypes

    ours = type_api.resolve_value_to_type(value)
    theirs = sa_sqltypes._resolve_value_to_type(value)
    assert type(ours).__name__ == type(theirs).__name__
    assert repr(ours) == repr(theirs)


def test_to_instance() -> None:
    assert type_api.to_instance(None) is type_api.NULLTYPE
    assert isinstance(type_api.to_instance(ot.Integer), ot.Integer)
    instance = ot.String(3)
    assert type_api.to_instance(instance) is instance


# -- property tests: SQLite text storage agrees with SQLAlchemy --------------------------------


@given(st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)))
def test_sqlite_datetime_storage_round_trip(value: dt.datetime) -> None:
    oc_dialect, sa_dialect = OcSQLite(), sa_sqlite.pysqlite.dialect()
    stored = ot.DateTime()._cached_bind_processor(oc_dialect)(value)
    assert stored == sa_types.DateTime()._cached_bind_processor(sa_dialect)(value)
    assert ot.DateTime()._cached_result_processor(oc_dialect, None)(stored) == value


@given(st.times())
def test_sqlite_time_storage_round_trip(value: dt.time) -> None:
    oc_dialect, sa_dialect = OcSQLite(), sa_sqlite.pysqlite.dialect()
    stored = ot.Time()._cached_bind_processor(oc_dialect)(value)
    assert stored == sa_types.Time()._cached_bind_processor(sa_dialect)(value)
    assert ot.Time()._cached_result_processor(oc_dialect, None)(stored) == value.replace(tzinfo=None)


@given(
    st.one_of(st.floats(allow_nan=False, allow_infinity=False, width=32), st.integers(-10**9, 10**9)),
    st.integers(0, 8),
)
def test_sqlite_numeric_result_matches_sqlalchemy(value: Any, scale: int) -> None:
    oc_proc = ot.Numeric(18, scale)._cached_result_processor(OcSQLite(), None)
    sa_proc = sa_types.Numeric(18, scale)._cached_result_processor(sa_sqlite.pysqlite.dialect(), None)
    assert oc_proc(value) == sa_proc(value)
