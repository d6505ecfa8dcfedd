"""Expressions against a real database, cache keys, and Python-level behaviour of elements.

Row-level differential tests: one table, created and filled through SQLAlchemy, read through
both libraries with the same expressions (as WHERE criteria and as selected values) on SQLite
and PostgreSQL; the rows must be the same. Hypothesis feeds hostile strings (quotes,
semicolons, comment markers, NUL where the database allows it, unicode, LIKE wildcards) as
values and checks they are stored and matched literally. Cache keys: equal for equal shapes
whatever the values, different for different shapes, and a cached compilation used by an
equal-shaped statement takes that statement's values.
"""

from __future__ import annotations

import datetime as dt
import decimal
from types import SimpleNamespace
from typing import Any
from typing import Iterator

import pytest
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

import ormcore
from ormcore import exc
from tests.sql._differential import lib

sa = pytest.importorskip("sqlalchemy")


def build(L: SimpleNamespace) -> SimpleNamespace:
    m = L.MetaData()
    t = L.Table(
        "expr_t", m,
        L.Column("id", L.Integer, primary_key=True, autoincrement=False),
        L.Column("name", L.String(200)),
        L.Column("x", L.Integer),
        L.Column("n", L.Numeric(10, 2)),
        L.Column("f", L.Float),
        L.Column("flag", L.Boolean),
        L.Column("d", L.DateTime),
        L.Column("day", L.Date),
        L.Column("j", L.JSON),
    )
    return SimpleNamespace(m=m, t=t, c=t.c, L=L)


ROWS = [
    dict(id=1, name="alpha", x=1, n=decimal.Decimal("1.50"), f=0.5, flag=True,
         d=dt.datetime(2020, 1, 2, 3, 4, 5), day=dt.date(2020, 1, 2), j={"a": 1, "b": "x"}),
    dict(id=2, name="Beta", x=2, n=decimal.Decimal("-2.25"), f=2.0, flag=False,
         d=dt.datetime(2021, 6, 7, 8, 9, 10), day=dt.date(2021, 6, 7), j={"a": 2, "b": "y"}),
    dict(id=3, name="50% off_sale", x=3, n=decimal.Decimal("0"), f=-1.25, flag=True,
         d=dt.datetime(2019, 12, 31, 23, 59, 59), day=dt.date(2019, 12, 31), j={"a": 3, "c": [1, 2]}),
    dict(id=4, name="it's; -- a /* test */", x=None, n=None, f=None, flag=None,
         d=None, day=None, j=None),
    dict(id=5, name=None, x=5, n=decimal.Decimal("10.00"), f=10.0, flag=False,
         d=dt.datetime(2022, 2, 28, 0, 0, 0), day=dt.date(2022, 2, 28), j={"a": None}),
    dict(id=6, name="ünïcödé ✓", x=-6, n=decimal.Decimal("6.60"), f=6.5, flag=True,
         d=dt.datetime(2020, 7, 1, 12, 0, 0), day=dt.date(2020, 7, 1), j={"b": "z"}),
]


@pytest.fixture
def db(engine: Any, sa_engine: Any) -> Iterator[SimpleNamespace]:
    """The table in both libraries, created and filled through SQLAlchemy."""
    sa_side = build(lib("sa"))
    oc_side = build(lib("oc"))
    sa_side.collation = oc_side.collation = "BINARY" if engine.dialect.name == "sqlite" else "C"
    sa_side.m.drop_all(sa_engine)
    sa_side.m.create_all(sa_engine)
    with sa_engine.begin() as conn:
        conn.execute(sa.insert(sa_side.t), ROWS)
    try:
        yield SimpleNamespace(sa=sa_side, oc=oc_side, engine=engine, sa_engine=sa_engine,
                              backend=engine.dialect.name)
    finally:
        sa_side.m.drop_all(sa_engine)


def ids_where(side: SimpleNamespace, engine: Any, case: Any) -> Any:
    L, t = side.L, side.t
    with engine.connect() as conn:
        stmt = L.select(t.c.id).where(case(L, side)).order_by(t.c.id)
        return conn.execute(stmt).scalars().all()


def values_of(side: SimpleNamespace, engine: Any, case: Any) -> Any:
    L, t = side.L, side.t
    with engine.connect() as conn:
        stmt = L.select(t.c.id, case(L, side).label("v")).order_by(t.c.id)
        return [tuple(r) for r in conn.execute(stmt)]


WHERE: dict = {
    "eq": lambda L, T: T.c.x == 2,
    "ne": lambda L, T: T.c.x != 2,
    "lt_and_ge": lambda L, T: L.and_(T.c.x < 5, T.c.x >= 1),
    "is_null": lambda L, T: T.c.x == None,  # noqa: E711
    "is_not_null": lambda L, T: T.c.name.is_not(None),
    "or_not": lambda L, T: L.or_(T.c.x == 1, L.not_(T.c.x > 2)),
    "bool_column": lambda L, T: T.c.flag,
    "not_bool_column": lambda L, T: ~T.c.flag,
    "bool_eq_true": lambda L, T: T.c.flag == True,  # noqa: E712
    "bool_is_false": lambda L, T: T.c.flag.is_(False),
    "and_true": lambda L, T: L.and_(L.true(), T.c.x > 1),
    "or_false": lambda L, T: L.or_(L.false(), T.c.x > 1),
    "and_false": lambda L, T: L.and_(L.false(), T.c.x > 1),
    "arith": lambda L, T: (T.c.x * 2 + 1) > 4,
    "truediv": lambda L, T: T.c.x / 2 == 1.5,
    "floordiv": lambda L, T: T.c.x // 2 == 1,
    "mod": lambda L, T: T.c.x % 2 == 1,
    "neg": lambda L, T: -T.c.x < 0,
    "numeric_compare": lambda L, T: T.c.n > decimal.Decimal("1.00"),
    "float_compare": lambda L, T: T.c.f <= 2.0,
    "concat": lambda L, T: T.c.name + "!" == "alpha!",
    "like": lambda L, T: T.c.name.like("%a%"),
    "not_like": lambda L, T: T.c.name.not_like("%a%"),
    "ilike": lambda L, T: T.c.name.ilike("beta"),
    "not_ilike": lambda L, T: T.c.name.not_ilike("BETA"),
    "startswith": lambda L, T: T.c.name.startswith("al"),
    "endswith": lambda L, T: T.c.name.endswith("ta"),
    "contains": lambda L, T: T.c.name.contains("ph"),
    "contains_percent_autoescape": lambda L, T: T.c.name.contains("% o", autoescape=True),
    "contains_underscore_autoescape": lambda L, T: T.c.name.contains("f_s", autoescape=True),
    "contains_underscore_plain": lambda L, T: T.c.name.contains("f_s"),
    "istartswith": lambda L, T: T.c.name.istartswith("BE"),
    "icontains": lambda L, T: T.c.name.icontains("ALP"),
    "like_escape": lambda L, T: T.c.name.like("50/%%", escape="/"),
    "in": lambda L, T: T.c.x.in_([1, 3, 5]),
    "in_empty": lambda L, T: T.c.x.in_([]),
    "not_in": lambda L, T: T.c.x.not_in([1, 3]),
    "not_in_empty": lambda L, T: T.c.x.not_in([]),
    "in_strings": lambda L, T: T.c.name.in_(["alpha", "Beta", "nope"]),
    "in_mixed": lambda L, T: T.c.x.in_([1, T.c.id + 1]),
    "in_select": lambda L, T: T.c.id.in_(L.select(T.c.x).where(T.c.x > 1)),
    "tuple_in": lambda L, T: L.tuple_(T.c.x, T.c.name).in_([(1, "alpha"), (2, "Beta"), (2, "x")]),
    "tuple_in_empty": lambda L, T: L.tuple_(T.c.x, T.c.name).in_([]),
    "tuple_eq": lambda L, T: L.tuple_(T.c.x, T.c.id) == L.tuple_(2, 2),
    "between": lambda L, T: T.c.x.between(2, 5),
    "not_between": lambda L, T: ~T.c.x.between(2, 5),
    "distinct_from": lambda L, T: T.c.x.is_distinct_from(2),
    "not_distinct_from_none": lambda L, T: T.c.x.is_not_distinct_from(None),
    "date_compare": lambda L, T: T.c.day > dt.date(2020, 1, 1),
    "datetime_between": lambda L, T: T.c.d.between(dt.datetime(2020, 1, 1), dt.datetime(2021, 1, 1)),
    "func_lower": lambda L, T: L.func.lower(T.c.name) == "beta",
    "func_length": lambda L, T: L.func.length(T.c.name) > 5,
    "func_coalesce": lambda L, T: L.func.coalesce(T.c.x, 0) == 0,
    "case": lambda L, T: L.case((T.c.x > 2, "big"), else_="small") == "big",
    "cast": lambda L, T: L.cast(T.c.x, L.String) == "2",
    "extract_year": lambda L, T: L.extract("year", T.c.d) == 2020,
    "extract_month": lambda L, T: L.extract("month", T.c.d) >= 6,
    "collate": lambda L, T: T.c.name.collate(T.collation) == "alpha",
    "op": lambda L, T: T.c.x.op("+")(1) == 3,
    "exists_like_literal": lambda L, T: L.literal(1) == 1,
    "text_fragment": lambda L, T: L.and_(L.text("x > 1"), T.c.id < 5),
    "json_index_as_integer": lambda L, T: T.c.j["a"].as_integer() == 2,
    "json_index_as_string": lambda L, T: T.c.j["b"].as_string() == "y",
    "json_path_as_integer": lambda L, T: T.c.j[("c", 1)].as_integer() == 2,
}


@pytest.mark.parametrize("case", list(WHERE.values()), ids=list(WHERE))
def test_where_rows_match_sqlalchemy(db: SimpleNamespace, case: Any) -> None:
    expected = ids_where(db.sa, db.sa_engine, case)
    got = ids_where(db.oc, db.engine, case)
    assert got == expected


SELECTED: dict = {
    "arith": lambda L, T: T.c.x * 2 + 1,
    "truediv": lambda L, T: T.c.x / 4,
    "floordiv": lambda L, T: T.c.x // 2,
    "numeric_mul": lambda L, T: T.c.n * 2,
    "concat": lambda L, T: T.c.name + "-" + T.c.name,
    "case_value": lambda L, T: L.case({1: "one", 2: "two"}, value=T.c.x, else_="many"),
    "coalesce": lambda L, T: L.func.coalesce(T.c.x, -1),
    "count_over": lambda L, T: L.func.count().over(),
    "row_number": lambda L, T: L.func.row_number().over(order_by=T.c.x.desc().nulls_last()),
    "sum_window": lambda L, T: L.func.sum(T.c.x).over(order_by=T.c.id, rows=(-1, 0)),
    "upper": lambda L, T: L.func.upper(T.c.name),
    "char_length": lambda L, T: L.func.char_length(T.c.name),
    "cast_string": lambda L, T: L.cast(T.c.x, L.String),
    "comparison_value": lambda L, T: L.case((T.c.x > 2, True), else_=False),
    "literal": lambda L, T: L.literal("it's 100%"),
    "type_coerce": lambda L, T: L.type_coerce(T.c.n, L.Numeric(10, 2)),
    "json_index": lambda L, T: T.c.j["a"],
    "json_as_string": lambda L, T: T.c.j["b"].as_string(),
    "extract_day": lambda L, T: L.extract("day", T.c.d),
}


@pytest.mark.parametrize("case", list(SELECTED.values()), ids=list(SELECTED))
def test_selected_values_match_sqlalchemy(db: SimpleNamespace, case: Any) -> None:
    expected = values_of(db.sa, db.sa_engine, case)
    got = values_of(db.oc, db.engine, case)
    assert got == expected


def test_aggregates_match_sqlalchemy(db: SimpleNamespace) -> None:
    def run(side: SimpleNamespace, engine: Any) -> Any:
        L, t = side.L, side.t
        stmt = L.select(
            L.func.count(), L.func.count(t.c.x), L.func.sum(t.c.x), L.func.min(t.c.n),
            L.func.max(t.c.name), L.func.count(L.distinct(t.c.flag)),
            L.func.count().filter(t.c.x > 1) if engine.dialect.name != "sqlite" or True else None,
        )
        with engine.connect() as conn:
            return tuple(conn.execute(stmt).one())

    assert run(db.oc, db.engine) == run(db.sa, db.sa_engine)


def test_regexp_match(db: SimpleNamespace) -> None:
    # on SQLite both libraries register a Python REGEXP function on each connection
    for case in (
        lambda L, T: T.c.name.regexp_match("^[a-z]+$"),
        lambda L, T: T.c.name.regexp_match("^b", flags="i"),
        lambda L, T: ~T.c.name.regexp_match("a"),
    ):
        assert ids_where(db.oc, db.engine, case) == ids_where(db.sa, db.sa_engine, case)


# -- hostile values ------------------------------------------------------------------------------

_hostile = st.one_of(
    st.sampled_from([
        "'", "''", "\"", "';--", "'); DROP TABLE expr_t; --", "/* x */", "-- x", "%", "_", "%_",
        "\\", "\\%", "/", "//%", "a%b_c", ":name", "%(x)s", "?", "$1", "::int", "ü✓", "\t\n",
    ]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
            max_size=20),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=_hostile)
def test_hostile_strings_are_stored_and_matched_literally(engine: Any, value: str) -> None:
    side = build(ormcore)
    L, t = ormcore, side.t
    side.m.create_all(engine)
    try:
        with engine.begin() as conn:
            conn.execute(L.insert(t), [{"id": 1, "name": value}, {"id": 2, "name": "x" + value + "y"},
                                       {"id": 3, "name": "unrelated"}])
            select = ormcore.sql.expression.select

            def ids(criterion: Any) -> list:
                return conn.execute(select(t.c.id).where(criterion).order_by(t.c.id)).scalars().all()

            assert conn.execute(select(t.c.name).where(t.c.id == 1)).scalar() == value
            names = {1: value, 2: "x" + value + "y", 3: "unrelated"}

            if engine.dialect.name == "sqlite":  # SQLite's LIKE ignores ASCII case
                def fold(text: str) -> str:
                    return "".join(ch.lower() if ch.isascii() else ch for ch in text)
            else:
                def fold(text: str) -> str:
                    return text

            def expected(test: Any) -> list:
                return [i for i, name in names.items() if test(name)]

            assert ids(t.c.name == value) == expected(lambda n: n == value)
            assert ids(t.c.name.in_([value])) == expected(lambda n: n == value)
            assert ids(t.c.name.startswith(value, autoescape=True)) == expected(
                lambda n: fold(n).startswith(fold(value)))
            assert ids(t.c.name.endswith(value, autoescape=True)) == expected(
                lambda n: fold(n).endswith(fold(value)))
            assert ids(t.c.name.contains(value, autoescape=True)) == expected(
                lambda n: fold(value) in fold(n))
            assert ids(L.literal(value) == t.c.name) == ids(t.c.name == value)
            assert conn.execute(select(L.literal(value))).scalar() == value
            assert conn.execute(select(L.literal(value) + t.c.name).where(t.c.id == 3)).scalar() == value + "unrelated"
            assert conn.execute(select(t.c.id).where(t.c.name == value, t.c.id == 1),
                                ).scalar() == 1
            if engine.dialect.name == "sqlite":  # the literal form runs as written
                literal_sql = str(select(t.c.id).where(t.c.name == value).compile(
                    dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
                assert conn.exec_driver_sql(literal_sql).scalars().all() == ids(t.c.name == value)
    finally:
        side.m.drop_all(engine)


def test_nul_character_where_allowed(engine: Any) -> None:
    if engine.dialect.name == "postgresql":
        pytest.skip("PostgreSQL text cannot hold NUL")
    side = build(ormcore)
    t = side.t
    side.m.create_all(engine)
    try:
        with engine.begin() as conn:
            value = "a\x00b'"
            conn.execute(ormcore.insert(t), [{"id": 1, "name": value}, {"id": 2, "name": "a"}])
            select = ormcore.sql.expression.select
            assert conn.execute(select(t.c.id).where(t.c.name == value)).scalars().all() == [1]
            assert conn.execute(select(t.c.name).where(t.c.id == 1)).scalar() == value
    finally:
        side.m.drop_all(engine)


# -- cached compilations take each statement's own values -----------------------------------------


def test_equal_shapes_share_one_compilation_and_use_their_own_values(db: SimpleNamespace) -> None:
    t = db.oc.t
    select = ormcore.sql.expression.select
    engine = db.engine
    engine.clear_compiled_cache()
    with engine.connect() as conn:
        for lo, hi, names in ((1, 3, ["alpha"]), (2, 5, ["Beta", "x"]), (0, 9, [])):
            stmt = select(t.c.id).where(t.c.x.between(lo, hi), ~t.c.name.in_(names),
                                        t.c.name.contains("a", autoescape=True)).order_by(t.c.id)
            expected = [r["id"] for r in ROWS if r["x"] is not None and lo <= r["x"] <= hi
                        and r["name"] is not None and r["name"] not in names and "a" in r["name"]]
            assert conn.execute(stmt).scalars().all() == expected
        size = len(engine._compiled_cache)
        for n in range(4):
            stmt = select(t.c.id).where(t.c.x == n + 1)
            assert conn.execute(stmt).scalars().all() == ([n + 1] if n + 1 in (1, 2, 3) else [])
        assert len(engine._compiled_cache) == size + 1


def test_reused_bind_object_is_keyed_apart_from_two_binds(db: SimpleNamespace) -> None:
    t = db.oc.t
    select = ormcore.sql.expression.select
    one = ormcore.literal(2)
    same_twice = select(t.c.id).where(t.c.x == one, t.c.id == one)
    two_binds = select(t.c.id).where(t.c.x == ormcore.literal(2), t.c.id == ormcore.literal(3))
    assert same_twice._cache_key()[0] != two_binds._cache_key()[0]
    with db.engine.connect() as conn:
        assert conn.execute(same_twice).scalars().all() == [2]
        assert conn.execute(two_binds).scalars().all() == []


# -- cache keys ------------------------------------------------------------------------------------


def _key(expr: Any) -> Any:
    return expr._cache_key()[0]


def _binds(expr: Any) -> list:
    return [b.value for b in expr._cache_key()[1]]


def test_cache_keys_ignore_values_and_list_binds_in_order() -> None:
    t = build(ormcore).t
    assert _key(t.c.x == 5) == _key(t.c.x == 6)
    assert _binds(ormcore.and_(t.c.x == 5, t.c.name.like("a%"), t.c.x.in_([1, 2]))) == [5, "a%", [1, 2]]
    assert _key(t.c.x.in_([1, 2])) == _key(t.c.x.in_([1, 2, 3, 4]))
    assert _key(t.c.name.contains("a%", autoescape=True)) == _key(t.c.name.contains("b", autoescape=True))
    assert _binds(t.c.name.contains("a%", autoescape=True)) == ["a/%"]
    assert _key(ormcore.case((t.c.x > 1, "a"), else_="b")) == _key(ormcore.case((t.c.x > 7, "z"), else_="q"))


@pytest.mark.parametrize("a, b", [
    (lambda t: t.c.x == 5, lambda t: t.c.x != 5),
    (lambda t: t.c.x == 5, lambda t: t.c.id == 5),
    (lambda t: t.c.x == 5, lambda t: t.c.x == None),  # noqa: E711
    (lambda t: t.c.x + 1, lambda t: t.c.x - 1),
    (lambda t: ormcore.and_(t.c.x == 1, t.c.x == 2), lambda t: ormcore.or_(t.c.x == 1, t.c.x == 2)),
    (lambda t: t.c.x.in_([1]), lambda t: t.c.x.not_in([1])),
    (lambda t: t.c.name.like("a"), lambda t: t.c.name.like("a", escape="/")),
    (lambda t: t.c.x.between(1, 2), lambda t: t.c.x.between(1, 2, symmetric=True)),
    (lambda t: ormcore.cast(t.c.x, ormcore.String), lambda t: ormcore.cast(t.c.x, ormcore.String(5))),
    (lambda t: t.c.x.label("a"), lambda t: t.c.x.label("b")),
    (lambda t: t.c.x.desc(), lambda t: t.c.x.asc()),
    (lambda t: t.c.x.op("&")(1), lambda t: t.c.x.op("|")(1)),
    (lambda t: ormcore.func.count(), lambda t: ormcore.func.count(t.c.x)),
    (lambda t: ormcore.literal(1), lambda t: ormcore.literal("1")),
    (lambda t: ormcore.column("a"), lambda t: ormcore.column("b")),
    (lambda t: ormcore.extract("year", t.c.d), lambda t: ormcore.extract("month", t.c.d)),
])
def test_cache_keys_see_shapes(a: Any, b: Any) -> None:
    t = build(ormcore).t
    assert _key(a(t)) != _key(b(t))
    assert _key(a(t)) == _key(a(t))
    hash(_key(a(t)))


def test_anonymous_labels_repeated_or_distinct_key_apart() -> None:
    t = build(ormcore).t
    label = t.c.x.label(None)
    assert _key(ormcore.and_(label == 1, label == 2)) != _key(
        ormcore.and_(t.c.x.label(None) == 1, t.c.x.label(None) == 2)
    )


# -- Python-level behaviour -------------------------------------------------------------------------


def test_truth_values_follow_sqlalchemy() -> None:
    t = build(ormcore).t
    assert bool(t.c.x == t.c.x) is True
    assert bool(t.c.x != t.c.x) is False
    assert bool(t.c.x == t.c.id) is False
    assert bool(t.c.x != t.c.id) is True
    assert bool(t.c.x == 5) is False
    for expr in (t.c.x, t.c.x > 5, ormcore.and_(t.c.x == 1, t.c.x == 2), ormcore.literal(1)):
        with pytest.raises(TypeError, match="Boolean value of this clause is not defined"):
            bool(expr)
    # columns work as dict keys and in membership tests, by identity
    assert t.c.x in [t.c.id, t.c.x]
    assert t.c.name not in [t.c.id, t.c.x]
    assert {t.c.x: 1}[t.c.x] == 1


def test_operator_errors_match_sqlalchemy() -> None:
    from tests.sql._differential import both

    cases = [
        lambda L, T: T.c.x < None,
        lambda L, T: T.c.x.in_(5),
        lambda L, T: L.tuple_(T.c.x, T.c.id).in_([(1, 2, 3)]),
        lambda L, T: T.c.name.contains(5, autoescape=True),
        lambda L, T: T.c.x.any_() + 1,
        lambda L, T: L.func.count().over(rows=(1, 2), range_=(1, 2)),
        lambda L, T: L.func.count().over(rows=("a", 2)),
        lambda L, T: T.c.j.as_string(),
        lambda L, T: L.and_("x = 1"),
        lambda L, T: L.case([(T.c.x == 1, "a")]),
        lambda L, T: T.c.flag.nope,
    ]
    for case in cases:
        expected, got = both(case)
        assert got == expected


def test_and_without_arguments_is_deprecated_and_empty() -> None:
    with pytest.warns(exc.SADeprecationWarning, match="Invoking and_\\(\\) without arguments"):
        empty = ormcore.and_()
    assert str(empty) == ""
    t = build(ormcore).t
    assert str(ormcore.and_(ormcore.true(), *[])) == "true"
    assert str(ormcore.and_(ormcore.true(), *[t.c.x == 1])) == "expr_t.x = :x_1"


def test_expressions_pickle() -> None:
    import pickle

    t = build(ormcore).t
    expr = ormcore.and_(t.c.x == 5, t.c.name.like("a%"))
    clone = pickle.loads(pickle.dumps(ormcore.literal(5) + 1))
    assert str(clone) == ":param_1 + :param_2"
    assert str(expr) == "expr_t.x = :x_1 AND expr_t.name LIKE :name_1"
