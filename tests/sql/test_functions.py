"""SQL functions, CASE, CAST, EXTRACT and windows: the SQL and the result types SQLAlchemy
gives the same code, per dialect; and user-defined GenericFunction subclasses."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sql._differential import both
from tests.sql._differential import lib
from tests.sql._differential import outcome
from tests.sql._differential import tables

CASES: dict = {
    "count_star": lambda L, T: L.func.count(),
    "count_col": lambda L, T: L.func.count(T.c.x),
    "count_distinct": lambda L, T: L.func.count(L.distinct(T.c.x)),
    "count_upper": lambda L, T: L.func.COUNT(T.c.x),
    "sum": lambda L, T: L.func.sum(T.c.x),
    "min_max": lambda L, T: L.func.min(T.c.n) + L.func.max(T.c.n),
    "avg": lambda L, T: L.func.avg(T.c.x),
    "coalesce": lambda L, T: L.func.coalesce(T.c.x, 5),
    "coalesce_none_first": lambda L, T: L.func.coalesce(None, T.c.x),
    "lower_literal": lambda L, T: L.func.lower("A"),
    "lower_compare": lambda L, T: L.func.lower(T.c.name) == "a",
    "upper": lambda L, T: L.func.upper(T.c.name),
    "length": lambda L, T: L.func.length(T.c.name) > 3,
    "char_length": lambda L, T: L.func.char_length(T.c.name),
    "now": lambda L, T: L.func.now(),
    "now_title": lambda L, T: L.func.Now(),
    "current_timestamp": lambda L, T: L.func.current_timestamp(),
    "current_date": lambda L, T: L.func.current_date(),
    "current_time": lambda L, T: L.func.current_time(),
    "localtimestamp": lambda L, T: L.func.localtimestamp(),
    "current_user": lambda L, T: L.func.current_user(),
    "random": lambda L, T: L.func.random(),
    "concat": lambda L, T: L.func.concat(T.c.name, "a"),
    "package": lambda L, T: L.func.myschema.foo(1),
    "mixed_case": lambda L, T: L.func.Foo(),
    "quoted_name": lambda L, T: L.func.__getattr__("my fn")(1),
    "nested": lambda L, T: L.func.lower(L.func.upper(L.func.trim(T.c.name))),
    "func_arith": lambda L, T: L.func.count(T.c.x) * 2 + 1,
    "func_in_binary_name": lambda L, T: L.func.abs(T.c.x) > L.func.abs(-5),
    "type_kw": lambda L, T: L.func.foo(T.c.x, type_=L.String) + "a",
    "rank": lambda L, T: L.func.rank().over(order_by=T.c.x),
    "dense_rank": lambda L, T: L.func.dense_rank().over(order_by=T.c.x.desc()),
    "percent_rank": lambda L, T: L.func.percent_rank().over(order_by=T.c.x),
    "cume_dist": lambda L, T: L.func.cume_dist().over(order_by=T.c.x),
    "row_number": lambda L, T: L.func.row_number().over(partition_by=T.c.name, order_by=T.c.x),
    "over_partition_list": lambda L, T: L.func.sum(T.c.x).over(partition_by=[T.c.name, T.c.flag]),
    "over_empty": lambda L, T: L.func.count().over(),
    "over_rows": lambda L, T: L.func.sum(T.c.x).over(order_by=T.c.x, rows=(None, 0)),
    "over_rows_bounded": lambda L, T: L.func.sum(T.c.x).over(order_by=T.c.x, rows=(-2, 3)),
    "over_range": lambda L, T: L.func.sum(T.c.x).over(order_by=T.c.x, range_=(0, None)),
    "over_both": lambda L, T: L.func.sum(T.c.x).over(rows=(1, 2), range_=(0, 1)),
    "over_fn": lambda L, T: L.over(L.func.row_number(), order_by=T.c.id),
    "filter": lambda L, T: L.func.count().filter(T.c.x > 1),
    "filter_two": lambda L, T: L.func.count(T.c.x).filter(T.c.x > 1, T.c.flag),
    "funcfilter": lambda L, T: L.funcfilter(L.func.count(), T.c.x > 1),
    "filter_over": lambda L, T: L.func.sum(T.c.x).filter(T.c.x > 1).over(partition_by=T.c.name),
    "within_group": lambda L, T: L.func.percentile_cont(0.5).within_group(T.c.n),
    "within_group_fn": lambda L, T: L.within_group(L.func.mode(), T.c.x.desc()),
    "percentile_multi": lambda L, T: L.func.percentile_disc(0.25, 0.5).within_group(T.c.x),
    "array_agg": lambda L, T: L.func.array_agg(T.c.x),
    "distinct_outside_aggregate": lambda L, T: L.distinct(T.c.x),
    # CASE
    "case_searched": lambda L, T: L.case((T.c.x == 1, "a"), else_="b"),
    "case_two_whens": lambda L, T: L.case((T.c.x > 5, T.c.x), (T.c.x < 0, None)),
    "case_value": lambda L, T: L.case({1: "a", 2: "b"}, value=T.c.x),
    "case_value_else": lambda L, T: L.case({1: T.c.name}, value=T.c.x, else_=L.null()),
    "case_bool_column": lambda L, T: L.case((T.c.flag, 1), else_=0),
    "case_in_compare": lambda L, T: L.case((T.c.x > 1, T.c.x), else_=0) + 1 == 3,
    "case_list_error": lambda L, T: L.case([(T.c.x == 1, "a")]),
    # CAST and friends
    "cast": lambda L, T: L.cast(T.c.x, L.String),
    "cast_numeric": lambda L, T: L.cast(T.c.name, L.Numeric(10, 2)),
    "cast_literal": lambda L, T: L.cast("5", L.Integer),
    "cast_method": lambda L, T: T.c.name.cast(L.Integer) + 1,
    "cast_of_binary": lambda L, T: L.cast(T.c.x + 1, L.String),
    "type_coerce": lambda L, T: L.type_coerce(T.c.x, L.String) + "a",
    "type_coerce_literal": lambda L, T: L.type_coerce("x", L.String),
    "type_coerce_binary": lambda L, T: L.type_coerce(T.c.x + 1, L.Numeric) * 2,
    "extract_year": lambda L, T: L.extract("year", T.c.d),
    "extract_epoch": lambda L, T: L.extract("epoch", T.c.d) > 0,
    "extract_dow": lambda L, T: L.extract("dow", T.c.d),
    "extract_bad_field": lambda L, T: L.extract("fortnight", T.c.d),
    "literal": lambda L, T: L.literal(5),
    "literal_typed": lambda L, T: L.literal("5", L.Integer),
    "literal_column": lambda L, T: L.literal_column("foo") + 1,
    "literal_column_percent": lambda L, T: L.literal_column("'%'") + T.c.name,
    "column": lambda L, T: L.column("q") == 1,
    "column_typed": lambda L, T: L.column("q", L.String) + "x",
    "label": lambda L, T: L.label("l", L.func.count()),
    "bindparam_named": lambda L, T: T.c.x == L.bindparam("p"),
    "bindparam_twice": lambda L, T: L.and_(T.c.x == L.bindparam("p"), T.c.id == L.bindparam("p")),
    "bindparam_value": lambda L, T: T.c.x > L.bindparam("p", 5),
    "bindparam_unique": lambda L, T: T.c.x > L.bindparam("p", 5, unique=True),
    "bindparam_none_key": lambda L, T: T.c.x > L.bindparam(None, 5),
    "bindparam_odd_name": lambda L, T: T.c.x > L.bindparam("my param", 5),
    "text_in_and": lambda L, T: L.and_(L.text("a = 1"), T.c.x == 2),
    "json_index": lambda L, T: T.c.j["a"],
    "json_index_int": lambda L, T: T.c.j[1],
    "json_nested": lambda L, T: T.c.j["a"]["b"],
    "json_path": lambda L, T: T.c.j[("a", 1)],
    "json_as_string": lambda L, T: T.c.j["a"].as_string() == "x",
    "json_as_integer": lambda L, T: T.c.j["a"].as_integer() + 1,
    "json_as_float": lambda L, T: T.c.j["a"].as_float(),
    "json_as_boolean": lambda L, T: T.c.j["a"].as_boolean(),
    "json_as_numeric": lambda L, T: T.c.j["a"].as_numeric(10, 2),
    "json_path_as_string": lambda L, T: T.c.j[("a", "b")].as_string(),
    "json_compare": lambda L, T: T.c.j["a"] == "x",
    "json_as_string_bad": lambda L, T: T.c.j.as_string(),
}


def _forms_with_type(L: Any, T: Any, case: Any) -> Any:
    made = case(L, T)
    return made


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_sql_matches_sqlalchemy(case: Any) -> None:
    expected, got = both(case)
    assert got == expected


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_result_type_matches_sqlalchemy(case: Any) -> None:
    def type_of(name: str) -> Any:
        L = lib(name)
        return outcome(lambda: repr(case(L, tables(L)).type))

    assert type_of("oc") == type_of("sa")


LITERAL = {name: CASES[name] for name in (
    "coalesce", "lower_literal", "concat", "case_searched", "case_value", "cast_literal",
    "extract_year", "literal_typed", "filter", "over_rows_bounded", "json_index", "json_path",
    "json_as_string",
)}


@pytest.mark.parametrize("case", list(LITERAL.values()), ids=list(LITERAL))
def test_literal_binds_match_sqlalchemy(case: Any) -> None:
    expected, got = both(case, compile_kwargs={"literal_binds": True})
    assert got == expected


def test_generic_function_subclass_registers_a_name_and_type() -> None:
    import ormcore
    from ormcore.sql.functions import GenericFunction

    class geo_distance(GenericFunction):
        type = ormcore.Float()
        inherit_cache = True

    expr = ormcore.func.geo_distance(1, 2)
    assert isinstance(expr, geo_distance)
    assert isinstance(expr.type, ormcore.Float)
    assert str(expr) == "geo_distance(:geo_distance_1, :geo_distance_2)"

    class MyFn(GenericFunction):
        name = "my_fn"
        identifier = "my_identifier"
        package = "mypkg"
        type = ormcore.Integer

    assert isinstance(ormcore.func.mypkg.my_identifier(1), MyFn)
    assert str(ormcore.func.mypkg.my_identifier(1)) == "my_fn(:my_fn_1)"
    assert isinstance(ormcore.func.mypkg.my_identifier().type, ormcore.Integer)


def test_function_cache_keys_ignore_values_and_see_shapes() -> None:
    import ormcore

    t = tables(lib("oc")).t
    f = ormcore.func
    assert f.lower(t.c.name)._cache_key()[0] == f.lower(t.c.name)._cache_key()[0]
    assert f.coalesce(t.c.x, 1)._cache_key()[0] == f.coalesce(t.c.x, 2)._cache_key()[0]
    assert f.lower(t.c.name)._cache_key()[0] != f.upper(t.c.name)._cache_key()[0]
    assert f.count(t.c.x)._cache_key()[0] != f.count(t.c.id)._cache_key()[0]
    over1 = f.sum(t.c.x).over(order_by=t.c.x)
    over2 = f.sum(t.c.x).over(order_by=t.c.x, rows=(None, 0))
    assert over1._cache_key()[0] != over2._cache_key()[0]
    assert [b.value for b in f.coalesce(t.c.x, 7)._cache_key()[1]] == [7]
