"""Column operators: the SQL each builds, per dialect, against SQLAlchemy's for the same code.

Every case is one expression written once against a library namespace (`L`, tables `T`);
the test builds it with SQLAlchemy and with ormcore and compares str(), the SQL and
parameters on SQLite and PostgreSQL, and the literal_binds rendering, or the errors raised.
Row-level checks (the same expressions filtering real rows) are in test_elements.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.sql._differential import both

CASES: dict = {
    # comparisons and NULL
    "eq": lambda L, T: T.c.x == 5,
    "ne": lambda L, T: T.c.x != 5,
    "lt_le_gt_ge": lambda L, T: L.and_(T.c.x < 1, T.c.x <= 2, T.c.x > 3, T.c.x >= 4),
    "reversed_literal": lambda L, T: 5 == T.c.x,
    "reversed_lt": lambda L, T: 5 < T.c.x,
    "eq_none": lambda L, T: T.c.x == None,  # noqa: E711
    "ne_none": lambda L, T: T.c.x != None,  # noqa: E711
    "eq_null": lambda L, T: T.c.x == L.null(),
    "lt_none": lambda L, T: T.c.x < None,
    "is_none": lambda L, T: T.c.x.is_(None),
    "is_not_none": lambda L, T: T.c.x.is_not(None),
    "isnot_legacy": lambda L, T: T.c.x.isnot(None),
    "is_value": lambda L, T: T.c.x.is_(5),
    "eq_true": lambda L, T: T.c.flag == True,  # noqa: E712
    "ne_false": lambda L, T: T.c.flag != False,  # noqa: E712
    "is_true": lambda L, T: T.c.flag.is_(True),
    "eq_true_const": lambda L, T: T.c.x == L.true(),
    "col_eq_col": lambda L, T: T.c.x == T.c.id,
    "distinct_from": lambda L, T: T.c.name.is_distinct_from("a"),
    "not_distinct_from": lambda L, T: T.c.name.is_not_distinct_from("a"),
    "distinct_from_none": lambda L, T: T.c.x.is_distinct_from(None),
    "bind_typed_by_column": lambda L, T: T.c.d == "2020-01-01",
    "quoted_column": lambda L, T: T.c.weird == "x",
    "schema_column": lambda L, T: T.s.c.id == 1,
    "literal_eq_none": lambda L, T: L.literal(5) == None,  # noqa: E711
    "label_eq": lambda L, T: T.c.x.label("foo") == 7,
    "cast_eq": lambda L, T: L.cast(T.c.x, L.String) == "a",
    # arithmetic and precedence
    "add_chain": lambda L, T: T.c.x + T.c.x + 5,
    "sub_chain": lambda L, T: T.c.x - T.c.x - T.c.x,
    "sub_right": lambda L, T: T.c.x - (T.c.x - T.c.x),
    "mul_of_add": lambda L, T: (T.c.x + 5) * 3,
    "add_of_mul": lambda L, T: T.c.x * 3 + 5,
    "truediv_int": lambda L, T: T.c.x / T.c.x,
    "truediv_literal": lambda L, T: T.c.x / 5,
    "truediv_numeric": lambda L, T: T.c.n / T.c.x,
    "truediv_float": lambda L, T: T.c.x / T.c.f,
    "floordiv_int": lambda L, T: T.c.x // 5,
    "floordiv_numeric": lambda L, T: T.c.n // T.c.x,
    "mod": lambda L, T: T.c.x % 5,
    "neg": lambda L, T: -T.c.x,
    "neg_group": lambda L, T: -(T.c.x + 1),
    "sub_neg": lambda L, T: T.c.x - -T.c.x,
    "radd": lambda L, T: 5 + T.c.x,
    "rsub": lambda L, T: 5 - T.c.x,
    "rmul_float": lambda L, T: 2.5 * T.c.x,
    "compare_arith": lambda L, T: (T.c.x + 5) == 7,
    "string_add": lambda L, T: T.c.name + "x",
    "string_radd": lambda L, T: "x" + T.c.name,
    "concat": lambda L, T: T.c.name.concat("x"),
    "concat_op_on_int": lambda L, T: T.c.x.concat(5),
    "literal_add": lambda L, T: L.literal(5) + L.literal(6),
    "literal_column_add": lambda L, T: L.literal_column("y") + T.c.x,
    "date_add_int": lambda L, T: T.c.day + 1,
    "bitwise": lambda L, T: L.and_(T.c.x.bitwise_and(3) == 1, T.c.x.bitwise_or(4) > 0,
                                   T.c.x.bitwise_xor(5) < 9),
    "bitwise_not": lambda L, T: L.bitwise_not(T.c.x) == 3,
    # boolean logic
    "and": lambda L, T: L.and_(T.c.x == 1, T.c.name == "a"),
    "or": lambda L, T: L.or_(T.c.x == 1, T.c.name == "a"),
    "and_of_or": lambda L, T: L.and_(T.c.x == 1, L.or_(T.c.x == 2, T.c.x == 3)),
    "or_of_and": lambda L, T: L.or_(T.c.x == 1, L.and_(T.c.x == 2, T.c.x == 3)),
    "and_single": lambda L, T: L.and_(T.c.x == 1),
    "and_flattens": lambda L, T: L.and_(L.and_(T.c.x == 1, T.c.x == 2), T.c.x == 3),
    "amp_pipe": lambda L, T: ((T.c.x == 1) | (T.c.x == 2)) & (T.c.x == 3),
    "and_true": lambda L, T: L.and_(L.true(), T.c.x == 1),
    "and_false": lambda L, T: L.and_(L.false(), T.c.x == 1),
    "or_true": lambda L, T: L.or_(L.true(), T.c.x == 1),
    "or_false": lambda L, T: L.or_(L.false(), T.c.x == 1),
    "and_python_bool": lambda L, T: L.and_(True, T.c.x == 1),
    "and_bool_column": lambda L, T: L.and_(T.c.flag, T.c.x == 5),
    "or_bool_columns": lambda L, T: L.or_(T.c.flag, ~T.c.flag),
    "not_eq": lambda L, T: ~(T.c.x == 5),
    "not_lt": lambda L, T: ~(T.c.x < 5),
    "not_gt": lambda L, T: L.not_(T.c.x > 5),
    "not_and": lambda L, T: ~L.and_(T.c.x == 1, T.c.x == 2),
    "not_or": lambda L, T: L.not_(L.or_(T.c.x == 1, T.c.x == 2)),
    "not_bool_column": lambda L, T: ~T.c.flag,
    "not_not": lambda L, T: ~~(T.c.x == 5),
    "not_is_null": lambda L, T: L.not_(T.c.x == None),  # noqa: E711
    "not_true": lambda L, T: L.not_(L.true()),
    "not_like": lambda L, T: ~T.c.name.like("a"),
    "not_in": lambda L, T: ~T.c.x.in_([1, 2]),
    "not_between": lambda L, T: ~T.c.x.between(1, 2),
    "not_int_column": lambda L, T: ~T.c.x,
    "true_false": lambda L, T: L.or_(L.and_(T.c.x == 1, L.true()), L.false()),
    # LIKE family
    "like": lambda L, T: T.c.name.like("a%"),
    "like_escape": lambda L, T: T.c.name.like("a/%", escape="/"),
    "not_like_method": lambda L, T: T.c.name.not_like("a"),
    "notlike_legacy": lambda L, T: T.c.name.notlike("a"),
    "ilike": lambda L, T: T.c.name.ilike("%a"),
    "not_ilike": lambda L, T: T.c.name.not_ilike("a", escape="/"),
    "startswith": lambda L, T: T.c.name.startswith("a"),
    "endswith": lambda L, T: T.c.name.endswith("a"),
    "contains": lambda L, T: T.c.name.contains("a"),
    "contains_column": lambda L, T: T.c.name.contains(T.c.name),
    "startswith_autoescape": lambda L, T: T.c.name.startswith("a%_/b", autoescape=True),
    "endswith_autoescape": lambda L, T: T.c.name.endswith("a_b", autoescape=True),
    "contains_autoescape": lambda L, T: T.c.name.contains("a%b", autoescape=True),
    "contains_autoescape_escape": lambda L, T: T.c.name.contains("a%b^", autoescape=True, escape="^"),
    "startswith_escape": lambda L, T: T.c.name.startswith("a", escape="^"),
    "autoescape_non_string": lambda L, T: T.c.name.contains(5, autoescape=True),
    "istartswith": lambda L, T: T.c.name.istartswith("a"),
    "iendswith": lambda L, T: T.c.name.iendswith("a"),
    "icontains": lambda L, T: T.c.name.icontains("a"),
    "not_startswith": lambda L, T: ~T.c.name.startswith("a"),
    "not_icontains": lambda L, T: ~T.c.name.icontains("a"),
    "regexp": lambda L, T: T.c.name.regexp_match("a.*"),
    "regexp_flags_i": lambda L, T: T.c.name.regexp_match("a", flags="i"),
    "regexp_flags": lambda L, T: T.c.name.regexp_match("a", flags="ig"),
    "not_regexp": lambda L, T: ~T.c.name.regexp_match("a"),
    "regexp_replace": lambda L, T: T.c.name.regexp_replace("a", "b"),
    "match": lambda L, T: T.c.name.match("x"),
    # IN
    "in_list": lambda L, T: T.c.x.in_([1, 2, 3]),
    "in_tuple_arg": lambda L, T: T.c.x.in_((1, 2)),
    "in_empty": lambda L, T: T.c.x.in_([]),
    "not_in_empty": lambda L, T: T.c.x.not_in([]),
    "notin_legacy": lambda L, T: T.c.x.notin_([1]),
    "in_mixed": lambda L, T: T.c.x.in_([1, T.c.id]),
    "in_none_value": lambda L, T: T.c.x.in_([None, 1]),
    "in_expanding_bind": lambda L, T: T.c.x.in_(L.bindparam("ids", expanding=True)),
    "in_plain_bind": lambda L, T: T.c.x.in_(L.bindparam("ids", [1, 2])),
    "in_strings": lambda L, T: T.c.name.in_(["a", "b"]),
    "in_string_arg": lambda L, T: T.c.name.in_("abc"),
    "in_none_arg": lambda L, T: T.c.name.in_(None),
    "in_select": lambda L, T: T.c.x.in_(L.select(T.u.c.t_id)),
    "not_in_select": lambda L, T: T.c.x.not_in(L.select(T.u.c.t_id).where(T.u.c.id > 2)),
    "tuple_in": lambda L, T: L.tuple_(T.c.x, T.c.id).in_([(1, 2), (3, 4)]),
    "tuple_in_empty": lambda L, T: L.tuple_(T.c.x, T.c.id).in_([]),
    "tuple_in_mixed": lambda L, T: L.tuple_(T.c.x, T.c.id).in_([(1, 2), L.tuple_(T.c.id, 4)]),
    "tuple_eq": lambda L, T: L.tuple_(T.c.x, T.c.id) == L.tuple_(1, 2),
    "tuple_typed": lambda L, T: L.tuple_(1, "a", types=[L.Integer, L.String]),
    # BETWEEN, ordering, misc
    "between": lambda L, T: T.c.x.between(1, 5),
    "between_symmetric": lambda L, T: T.c.x.between(1, 5, symmetric=True),
    "between_fn": lambda L, T: L.between(T.c.x, T.c.id, 9),
    "desc": lambda L, T: T.c.x.desc(),
    "asc_fn": lambda L, T: L.asc(T.c.x),
    "desc_nulls_first": lambda L, T: T.c.x.desc().nulls_first(),
    "nulls_last_fn": lambda L, T: L.nulls_last(L.desc(T.c.x)),
    "nullsfirst_legacy": lambda L, T: L.nullsfirst(T.c.x),
    "collate": lambda L, T: T.c.name.collate("NOCASE") == "a",
    "collate_fn": lambda L, T: L.collate(T.c.name, "de_DE"),
    "distinct": lambda L, T: L.func.count(L.distinct(T.c.x)),
    "distinct_method": lambda L, T: L.func.count(T.c.x.distinct()),
    "op": lambda L, T: T.c.x.op("&")(5),
    "op_precedence": lambda L, T: T.c.x.op("->", precedence=15)(5) == 3,
    "op_low_precedence": lambda L, T: T.c.x.op("?")(5) + 1,
    "op_return_type": lambda L, T: T.c.x.op("@", return_type=L.String)(5) + "a",
    "bool_op": lambda L, T: T.c.x.bool_op("@>")(5),
    "op_percent": lambda L, T: T.c.name.op("%")("a"),
    "any_": lambda L, T: 5 == L.any_(T.u.c.a),
    "all_": lambda L, T: 5 > L.all_(T.u.c.a),
    "any_method": lambda L, T: T.u.c.a.any_() == 5,
    "array_index": lambda L, T: T.u.c.a[1] == 5,
    "array_slice": lambda L, T: T.u.c.a[1:3],
    "array_contains": lambda L, T: T.u.c.a.contains([1, 2]),
    "label": lambda L, T: T.c.x.label("foo"),
    "label_fn": lambda L, T: L.label("foo", T.c.x + 1),
    "lshift_unsupported": lambda L, T: T.c.x << 5,
    "getitem_unsupported": lambda L, T: T.c.x[5],
}


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_sql_matches_sqlalchemy(case: Any) -> None:
    expected, got = both(case)
    assert got == expected


LITERAL = {
    name: CASES[name] for name in (
        "eq", "eq_none", "string_add", "like_escape", "contains_autoescape", "in_list",
        "in_empty", "not_in", "between", "and_of_or", "and_bool_column", "eq_true",
        "truediv_literal", "mod", "tuple_in", "bind_typed_by_column",
    )
}
LITERAL["quote_in_string"] = lambda L, T: T.c.name == "it's 100% 'quoted'"
LITERAL["float"] = lambda L, T: T.c.f == 1.5
LITERAL["bool_literal"] = lambda L, T: T.c.flag == L.literal(True)


@pytest.mark.parametrize("case", list(LITERAL.values()), ids=list(LITERAL))
def test_literal_binds_match_sqlalchemy(case: Any) -> None:
    expected, got = both(case, compile_kwargs={"literal_binds": True})
    assert got == expected
