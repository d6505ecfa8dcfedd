"""SELECT and FROM clauses: the SQL select() builds, per dialect, against SQLAlchemy's for the
same code, and the rows it returns from the same SQLite / PostgreSQL database.

Compile cases are written once against a library namespace (`L`, tables `T`) and built with
SQLAlchemy and with ormcore; str(), the SQL and parameters on SQLite and PostgreSQL, warnings
and errors must be identical. Execution cases run the same statement through both engines on
one database and compare rows and result keys. Cache cases check that statements of one shape
share a compiled form and that each execution still gets its own values.
"""

from __future__ import annotations

import re
import warnings
from types import SimpleNamespace
from typing import Any
from typing import Callable

import pytest
import sqlalchemy

import ormcore
from ormcore import exc
from tests.sql._differential import compiled_forms
from tests.sql._differential import lib
from tests.sql._differential import outcome


def select_tables(L: SimpleNamespace) -> SimpleNamespace:
    m = L.MetaData()
    a = L.Table("sel_a", m, L.Column("id", L.Integer, primary_key=True),
                L.Column("name", L.String(20)))
    b = L.Table("sel_b", m, L.Column("id", L.Integer, primary_key=True),
                L.Column("a_id", L.ForeignKey("sel_a.id")), L.Column("x", L.Integer))
    c = L.Table("sel_c", m, L.Column("id", L.Integer, primary_key=True),
                L.Column("b_id", L.ForeignKey("sel_b.id")), L.Column("a_id", L.ForeignKey("sel_a.id")))
    d = L.Table("sel_d", m, L.Column("id", L.Integer, primary_key=True),
                L.Column("a1", L.ForeignKey("sel_a.id")), L.Column("a2", L.ForeignKey("sel_a.id")))
    e = L.Table("sel_e", m, L.Column("id", L.Integer, primary_key=True))
    node = L.Table("sel_node", m, L.Column("id", L.Integer, primary_key=True),
                   L.Column("parent_id", L.ForeignKey("sel_node.id")), L.Column("name", L.String(20)))
    k = L.Table("sel_k", m, L.Column("id", L.Integer, primary_key=True),
                L.Column("user_name", L.String(20), key="uname"), L.Column("Mixed", L.Integer),
                schema=None)
    return SimpleNamespace(m=m, a=a, b=b, c=c, d=d, e=e, node=node, k=k)


def _rec_cte(L: SimpleNamespace, T: SimpleNamespace) -> Any:
    nums = L.select(L.literal(1).label("n")).cte("nums", recursive=True)
    nums = nums.union_all(L.select(nums.c.n + 1).where(nums.c.n < 5))
    return L.select(nums.c.n)


def _tree(L: SimpleNamespace, T: SimpleNamespace) -> Any:
    n = T.node
    tree = L.select(n.c.id, n.c.name).where(n.c.parent_id == None).cte("tree", recursive=True)  # noqa: E711
    tree = tree.union_all(L.select(n.c.id, n.c.name).join(tree, n.c.parent_id == tree.c.id))
    return L.select(tree).order_by(tree.c.id)


def _s1(L: SimpleNamespace, T: SimpleNamespace) -> Any:
    return L.select(T.a.c.id).where(T.a.c.id > 1)


def _s2(L: SimpleNamespace, T: SimpleNamespace) -> Any:
    return L.select(T.b.c.id).where(T.b.c.id < 5)


def _inner(L: SimpleNamespace, T: SimpleNamespace) -> Any:
    return L.select(T.b.c.id).where(T.b.c.a_id == T.a.c.id)


def _counts(L: SimpleNamespace, T: SimpleNamespace) -> Any:
    return L.select(T.b.c.a_id, L.func.count().label("cnt")).group_by(T.b.c.a_id).subquery()


def _textual(L: SimpleNamespace, T: SimpleNamespace) -> Any:
    return L.text("SELECT id, name FROM sel_a WHERE id > :lo").bindparams(lo=2).columns(
        T.a.c.id, T.a.c.name)


def _lateral(L: SimpleNamespace, T: SimpleNamespace) -> Any:
    return L.select(T.b.c.x).where(T.b.c.a_id == T.a.c.id).lateral("l")


COMPILE_CASES: dict = {
    # columns, labels and the columns clause
    "table": lambda L, T: L.select(T.a),
    "table_select": lambda L, T: T.a.select().where(T.a.c.id == 1),
    "columns": lambda L, T: L.select(T.a.c.id, T.a.c.name),
    "empty": lambda L, T: L.select(),
    "dupe_names": lambda L, T: L.select(T.a.c.id, T.b.c.id).where(T.a.c.id == T.b.c.a_id),
    "dupe_names_binds": lambda L, T: L.select(T.a.c.id, T.b.c.id, T.a.c.id + 2).where(T.a.c.id == 5, T.b.c.id == 6),
    "same_column_twice": lambda L, T: L.select(T.a.c.id, T.a.c.id),
    "anon_exprs": lambda L, T: L.select(T.a.c.id + 5, L.func.count(), T.a.c.name.label("x"), L.literal(3)),
    "two_anon": lambda L, T: L.select(T.a.c.id + 5, T.a.c.id + 6),
    "anon_labels": lambda L, T: L.select((T.a.c.id + 2).label(None), T.a.c.id.label(None), T.b.c.id).where(T.a.c.id == 5),
    "literals": lambda L, T: L.select(L.literal("x"), L.literal(3).label("q")),
    "cast_column": lambda L, T: L.select(L.cast(T.a.c.id, L.String)),
    "desc_column": lambda L, T: L.select(T.a.c.id.desc()),
    "text_columns": lambda L, T: L.select(L.literal_column("5"), L.text("7")),
    "keyed_quoted": lambda L, T: L.select(T.k),
    "keyed_subquery": lambda L, T: L.select(L.select(T.k).subquery()),
    "tablename_plus_col": lambda L, T: L.select(T.a).set_label_style(L.LABEL_STYLE_TABLENAME_PLUS_COL),
    "tablename_plus_col_two": lambda L, T: L.select(T.a.c.id, T.b.c.id).set_label_style(L.LABEL_STYLE_TABLENAME_PLUS_COL),
    "label_style_none": lambda L, T: L.select(T.a.c.id, T.b.c.id, L.func.count()).set_label_style(L.LABEL_STYLE_NONE),
    "with_only_columns": lambda L, T: L.select(T.a).with_only_columns(T.a.c.id),
    "with_only_maintain": lambda L, T: L.select(T.a).with_only_columns(T.b.c.id, maintain_column_froms=True),
    "add_columns": lambda L, T: L.select(T.a).add_columns(T.b.c.id),
    "scalar_subquery_column": lambda L, T: L.select(T.a.c.id, L.select(L.func.count(T.b.c.id)).where(T.b.c.a_id == T.a.c.id).scalar_subquery()),
    "scalar_subquery_label": lambda L, T: L.select(T.a.c.id, L.select(L.func.count(T.b.c.id)).where(T.b.c.a_id == T.a.c.id).scalar_subquery().label("cnt")),
    "scalar_subquery_alone": lambda L, T: L.select(_inner(L, T).scalar_subquery()),
    "exists_column": lambda L, T: L.select(L.exists().where(T.b.c.a_id == T.a.c.id)),
    "prefix": lambda L, T: L.select(T.a.c.id).prefix_with("SQL_NO_CACHE"),
    "suffix_pg_only": lambda L, T: L.select(T.a.c.id).suffix_with("FOR SHARE", dialect="postgresql"),
    # WHERE / GROUP BY / HAVING / ORDER BY
    "where_chained": lambda L, T: L.select(T.a).where(T.a.c.id == 5).where(T.a.c.name == "x"),
    "where_many": lambda L, T: L.select(T.a).where(T.a.c.id == 5, T.a.c.name == "x"),
    "where_or_and": lambda L, T: L.select(T.a).where(L.or_(T.a.c.id == 5, T.a.c.id == 6), T.a.c.name == "x"),
    "where_or": lambda L, T: L.select(T.a).where(L.or_(T.a.c.id == 5, T.a.c.id == 6)),
    "where_true": lambda L, T: L.select(T.a).where(L.true()),
    "filter": lambda L, T: L.select(T.a).filter(T.a.c.id == 3),
    "filter_by": lambda L, T: L.select(T.b).filter_by(id=1, x=2),
    "filter_by_joined": lambda L, T: L.select(T.a.c.name).join(T.b).filter_by(x=5),
    "where_adds_from": lambda L, T: L.select(T.a.c.id).where(T.b.c.id == 1),
    "group_having": lambda L, T: L.select(T.a.c.id).join(T.b).order_by(T.a.c.id.desc()).group_by(T.a.c.id).having(L.func.count() > 1),
    "count_label_having": lambda L, T: L.select(L.func.count(T.a.c.id)).group_by(T.a.c.name).having(L.func.count() > 1),
    "having_many": lambda L, T: L.select(T.b.c.a_id, L.func.sum(T.b.c.x)).group_by(T.b.c.a_id).having(L.func.sum(T.b.c.x) > 3, L.func.count() > 1),
    "order_by_reset": lambda L, T: L.select(T.b).order_by(T.b.c.id).order_by(None).order_by(T.b.c.x),
    "order_by_label": lambda L, T: (lambda lb: L.select(lb).order_by(lb))(T.a.c.name.label("nm")),
    "order_by_label_desc": lambda L, T: (lambda lb: L.select(lb).order_by(lb.desc()))(T.a.c.name.label("nm")),
    "order_by_label_name": lambda L, T: L.select(T.a.c.name.label("nm")).order_by("nm"),
    "order_by_column_name": lambda L, T: L.select(T.a.c.name).order_by("name"),
    "group_by_names": lambda L, T: L.select(T.a.c.name, L.func.count().label("c")).group_by("name").order_by(L.desc("c")),
    "order_by_unknown_name": lambda L, T: L.select(T.a.c.name).order_by("nope"),
    "distinct": lambda L, T: L.select(T.a).distinct(),
    "distinct_order_limit": lambda L, T: L.select(T.a.c.name).distinct().order_by(T.a.c.name).limit(3),
    "distinct_on": lambda L, T: L.select(T.a).distinct(T.a.c.name),
    # LIMIT / OFFSET
    "limit_offset": lambda L, T: L.select(T.a).where(T.a.c.id == 5).limit(3).offset(2),
    "offset_only": lambda L, T: L.select(T.a).offset(2),
    "limit_only": lambda L, T: L.select(T.a).limit(2),
    "limit_none": lambda L, T: L.select(T.a).limit(2).limit(None),
    "limit_bindparam": lambda L, T: L.select(T.a).limit(L.bindparam("lim")),
    "slice_2_5": lambda L, T: L.select(T.b).slice(2, 5),
    "slice_0_5": lambda L, T: L.select(T.b).slice(0, 5),
    "slice_2_none": lambda L, T: L.select(T.b).slice(2, None),
    "slice_on_offset": lambda L, T: L.select(T.b).offset(3).slice(2, 4),
    "limit_not_int": lambda L, T: L.select(T.b).limit("x"),
    # FOR UPDATE
    "for_update": lambda L, T: L.select(T.a).with_for_update(),
    "for_update_nowait_of": lambda L, T: L.select(T.a).with_for_update(nowait=True, of=T.a),
    "for_share_skip_locked": lambda L, T: L.select(T.a).with_for_update(read=True, skip_locked=True),
    "for_update_of_columns": lambda L, T: L.select(T.a).with_for_update(of=[T.a.c.id, T.a.c.name]),
    "for_no_key_update": lambda L, T: L.select(T.a).with_for_update(key_share=True),
    "for_key_share_nowait": lambda L, T: L.select(T.a).with_for_update(read=True, key_share=True, nowait=True),
    "for_update_of_alias": lambda L, T: L.select(T.a).with_for_update(skip_locked=True, of=T.a.alias("q")),
    # FROM and joins
    "select_from": lambda L, T: L.select(T.a).select_from(T.b),
    "select_from_join": lambda L, T: L.select(T.a).select_from(T.b).join(T.a),
    "join_implicit": lambda L, T: L.select(T.a.c.id).join(T.c),
    "join_reverse": lambda L, T: L.select(T.b).join(T.a),
    "join_three": lambda L, T: L.select(T.a.c.id, T.b.c.id, T.c.c.id).select_from(T.a.join(T.b).join(T.c, T.c.c.b_id == T.b.c.id)),
    "join_from_chain": lambda L, T: L.select(T.a).join_from(T.a, T.b).join(T.c),
    "select_from_chain": lambda L, T: L.select(T.a.c.id).select_from(T.a).join(T.b).join(T.c),
    "outer_and_full": lambda L, T: L.select(T.a).join(T.b, isouter=True).join(T.c, T.c.c.b_id == T.b.c.id, full=True),
    "outerjoin_method": lambda L, T: L.select(T.a).outerjoin(T.b),
    "outerjoin_from": lambda L, T: L.select(T.a.c.id).outerjoin_from(T.a, T.b),
    "join_on_true": lambda L, T: L.select(T.a.c.id).join(T.e, L.true()),
    "join_object": lambda L, T: L.select(T.a.join(T.b)),
    "join_function": lambda L, T: L.select(T.a).select_from(L.join(T.a, T.b)),
    "full_outerjoin_function": lambda L, T: L.select(T.a).select_from(L.outerjoin(T.a, T.b, full=True)),
    "join_right_nested": lambda L, T: L.select(T.a.c.id).select_from(T.a.join(T.b.join(T.c, T.c.c.b_id == T.b.c.id), T.a.c.id == T.b.c.a_id)),
    "join_no_fk": lambda L, T: L.select(T.a).join(T.e),
    "join_ambiguous_fk": lambda L, T: L.select(T.a).join(T.d),
    "join_ambiguous_left": lambda L, T: L.select(T.b.c.id, T.a.c.id).join(T.c),
    "self_join_alias": lambda L, T: (lambda al: L.select(T.a.c.id, al.c.id).where(T.a.c.id == al.c.id))(T.a.alias()),
    "alias_named": lambda L, T: L.select(T.a.alias("zz")).where(L.text("zz.id > 1")),
    "alias_quoted": lambda L, T: L.select(T.a.alias("z z")),
    "alias_of_alias": lambda L, T: L.select(T.a.alias().alias()),
    "alias_join_on": lambda L, T: (lambda al: L.select(T.a.c.id, al.c.id).join_from(T.a, al, T.a.c.id == al.c.a_id))(T.b.alias()),
    "alias_fk_join": lambda L, T: (lambda bl: L.select(T.a.c.id, bl.c.x).join(bl))(T.b.alias()),
    "alias_function": lambda L, T: L.select(L.alias(T.a, "q")),
    "two_anonymous_aliases": lambda L, T: (lambda x, y: L.select(x.c.id, y.c.id).where(x.c.id == y.c.id))(T.a.alias(), T.a.alias()),
    "table_clause": lambda L, T: L.select(L.table("t", L.column("x"), L.column("y"), schema="s")),
    "table_clause_where": lambda L, T: L.select(L.table("t", L.column("x"))).where(L.column("x") == 5),
    # subqueries
    "subquery": lambda L, T: L.select(L.select(T.a).subquery()),
    "subquery_two_tables": lambda L, T: L.select(L.select(T.a, T.b).subquery()),
    "subquery_anon_exprs": lambda L, T: L.select(T.a.c.id + 5, L.func.count(), T.a.c.name.label("x"), L.literal(3)).subquery().select(),
    "subquery_dupes": lambda L, T: L.select(L.select(T.a.c.id, T.b.c.id).subquery()),
    "subquery_where": lambda L, T: (lambda sq: L.select(sq).where(sq.c.cnt > 1))(_counts(L, T)),
    "subquery_joined": lambda L, T: (lambda sq: L.select(T.a.c.name, sq.c.cnt).join(sq, sq.c.a_id == T.a.c.id))(_counts(L, T)),
    "subquery_fk_join": lambda L, T: (lambda sq: L.select(sq.c.id, T.b.c.x).join(T.b))(L.select(T.a).subquery()),
    "subquery_named": lambda L, T: L.select(L.select(T.a.c.id).subquery("inner_q")),
    "subquery_no_correlation": lambda L, T: L.select(_inner(L, T).subquery()),
    "subquery_twice": lambda L, T: (lambda sq: L.select(sq.c.a_id, sq.c.cnt).where(sq.c.cnt > 1, sq.c.a_id < 9))(_counts(L, T)),
    # correlation
    "exists_method": lambda L, T: L.select(T.a.c.id).where(_inner(L, T).exists()),
    "exists_function": lambda L, T: L.select(T.a.c.id).where(L.exists(_inner(L, T))),
    "exists_where": lambda L, T: L.select(T.a).where(L.exists().where(T.b.c.a_id == T.a.c.id)),
    "not_exists": lambda L, T: L.select(T.a).where(~L.exists().where(T.b.c.a_id == T.a.c.id)),
    "exists_bare": lambda L, T: L.exists(),
    "exists_where_bare": lambda L, T: L.exists().where(T.a.c.id == 1),
    "exists_select": lambda L, T: L.exists(T.a.c.id).where(T.a.c.id == 1).select(),
    "correlated_scalar": lambda L, T: L.select(T.a.c.id, _inner(L, T).scalar_subquery()),
    "correlate_none": lambda L, T: L.select(T.a.c.id, _inner(L, T).correlate(None).scalar_subquery()),
    "correlate_explicit": lambda L, T: L.select(T.a.c.id, T.b.c.id).where(T.b.c.id == L.select(T.b.c.id).where(T.b.c.a_id == T.a.c.id).correlate(T.a).scalar_subquery()),
    "correlate_except": lambda L, T: L.select(T.a.c.id, T.b.c.id).where(T.b.c.id == L.select(T.b.c.id).where(T.b.c.a_id == T.a.c.id).correlate_except(T.b).scalar_subquery()),
    "scalar_single_from": lambda L, T: L.select(T.a.c.id).where(T.a.c.id == L.select(T.a.c.id).scalar_subquery()),
    "in_select": lambda L, T: L.select(T.a).where(T.a.c.id.in_(L.select(T.b.c.a_id))),
    "not_in_select": lambda L, T: L.select(T.a).where(~T.a.c.id.in_(L.select(T.b.c.a_id))),
    "in_scalar_subquery": lambda L, T: L.select(T.a).where(T.a.c.id.in_(L.select(T.b.c.a_id).scalar_subquery())),
    "lateral": lambda L, T: (lambda lat: L.select(T.a.c.id, lat.c.x).join(lat, L.true()))(_lateral(L, T)),
    "lateral_select_from": lambda L, T: (lambda lat: L.select(T.a.c.id, lat.c.x).select_from(T.a).join(lat, L.true()))(_lateral(L, T)),
    # compound selects
    "union": lambda L, T: L.union(_s1(L, T), _s2(L, T)),
    "union_method": lambda L, T: _s1(L, T).union(_s2(L, T)),
    "union_all_order_by": lambda L, T: L.union_all(_s1(L, T), _s2(L, T)).order_by(T.a.c.id),
    "union_order_limit_offset": lambda L, T: L.union(_s1(L, T), _s2(L, T)).order_by("id").limit(2).offset(1),
    "union_member_limited": lambda L, T: L.union(_s1(L, T).order_by(T.a.c.id).limit(1), _s2(L, T)),
    "except": lambda L, T: L.except_(_s1(L, T), _s2(L, T)),
    "except_all": lambda L, T: L.except_all(_s1(L, T), _s2(L, T)),
    "intersect": lambda L, T: L.intersect(_s1(L, T), _s2(L, T)),
    "intersect_all": lambda L, T: L.intersect_all(_s1(L, T), _s2(L, T)),
    "union_nested": lambda L, T: (lambda x: L.union(x, L.union(_s2(L, T), x)))(_s1(L, T)),
    "union_subquery": lambda L, T: L.union(_s1(L, T), _s2(L, T)).subquery().select(),
    "in_union": lambda L, T: L.select(T.a.c.id).where(T.a.c.id.in_(L.union(_s1(L, T), _s2(L, T)))),
    "union_column_count": lambda L, T: L.union(_s1(L, T), L.select(T.a.c.id, T.a.c.name)),
    # CTEs
    "recursive_cte": _rec_cte,
    "recursive_tree": _tree,
    "recursive_tree_limit": lambda L, T: _tree(L, T).limit(2),
    "cte_anonymous": lambda L, T: L.select(L.select(T.a.c.id).cte()),
    "cte_in_union": lambda L, T: (lambda x: L.select(x.c.id).where(x.c.id > 2).union(L.select(x.c.id)))(L.select(T.a.c.id).cte("x")),
    "two_ctes": lambda L, T: (lambda p, q: L.select(p.c.id, q.c.id))(L.select(T.a.c.id).cte(), L.select(T.a.c.id).cte("x")),
    "cte_of_cte": lambda L, T: (lambda x: L.select(L.select(x.c.id).cte("y")))(L.select(T.a.c.id).cte("x")),
    "recursive_flag_only": lambda L, T: L.select(T.a.c.id).cte("q", recursive=True).select(),
    "cte_alias": lambda L, T: (lambda ct: (lambda al: L.select(ct.c.id, al.c.id).where(ct.c.id == al.c.id))(ct.alias("z")))(L.select(T.a.c.id).cte("cc")),
    "cte_function": lambda L, T: L.select(L.cte(L.select(T.a.c.id), "f")),
    "cte_union_not_all": lambda L, T: (lambda q: L.select(q.union(L.select(T.b.c.id))))(L.select(T.a.c.id).cte("q", recursive=True)),
    "cte_in_where_subquery": lambda L, T: (lambda q: L.select(T.a).where(T.a.c.id.in_(L.select(q.c.id))))(L.select(T.b.c.id).cte("q")),
    "cte_joined": lambda L, T: (lambda q: L.select(T.a.c.name, q.c.n).join(q, q.c.a_id == T.a.c.id))(L.select(T.b.c.a_id, L.func.count().label("n")).group_by(T.b.c.a_id).cte("counts")),
    # more shapes
    "scalar_anon_label": lambda L, T: L.select(L.select(T.b.c.x).limit(1).scalar_subquery().label(None)),
    "select_label": lambda L, T: L.select(T.a.c.id, L.select(L.func.max(T.b.c.x)).label("mx")),
    "exists_of_scalar_compare": lambda L, T: L.select(T.a).where(T.a.c.id == L.select(T.b.c.a_id).limit(1).scalar_subquery()).exists(),
    "union_alias": lambda L, T: L.select(L.union(_s1(L, T), _s2(L, T)).alias("u")),
    "union_different_labels": lambda L, T: L.union(L.select(T.a.c.id.label("k")), L.select(T.b.c.x.label("q"))).subquery().select(),
    "union_all_three": lambda L, T: L.union_all(_s1(L, T), _s2(L, T), L.select(T.c.c.id)),
    "union_in_subquery_where": lambda L, T: (lambda u: L.select(u.c.id).where(u.c.id > 2))(L.union(_s1(L, T), _s2(L, T)).subquery()),
    "group_by_label_expression": lambda L, T: (lambda lb: L.select(lb, L.func.count()).group_by(lb))((T.b.c.x / 10).label("tens")),
    "order_by_function": lambda L, T: L.select(T.a.c.name).order_by(L.func.lower(T.a.c.name), T.a.c.id.desc()),
    "order_by_nulls": lambda L, T: L.select(T.b.c.x).order_by(T.b.c.x.desc().nulls_last()),
    "where_in_list": lambda L, T: L.select(T.a).where(T.a.c.id.in_([1, 2, 3])),
    "where_like_and_between": lambda L, T: L.select(T.a).where(T.a.c.name.like("n%"), T.a.c.id.between(2, 4)),
    "select_star_text": lambda L, T: L.select(L.text("*")).select_from(T.a),
    "select_from_text_where": lambda L, T: L.select(T.a.c.id).where(L.text("sel_a.id > :v").bindparams(v=3)),
    "literal_column_from": lambda L, T: L.select(L.literal_column("sel_a.id")).select_from(T.a),
    # text().columns() as something to select from
    "textual_subquery": lambda L, T: (lambda sq: L.select(sq.c.name).where(sq.c.id == 4).order_by(sq.c.id))(_textual(L, T).subquery()),
    "textual_alias": lambda L, T: L.select(_textual(L, T).alias("q")),
    "textual_cte": lambda L, T: (lambda ct: L.select(ct.c.id).join(T.b, T.b.c.a_id == ct.c.id))(_textual(L, T).cte("w")),
    "textual_keyed": lambda L, T: L.select(L.text("SELECT 1 AS p, 'x' AS q").columns(p=L.Integer, q=L.String).subquery("z")),
    "textual_in_exists_scalar": lambda L, T: L.select(L.select(T.a.c.id).where(T.a.c.id.in_(_textual(L, T))).exists(), _textual(L, T).exists(), L.text("SELECT 1 AS v").columns(v=L.Integer).scalar_subquery()),
    "textual_in_union": lambda L, T: L.union(L.select(T.b.c.id, L.literal("b")), _textual(L, T)),
}


@pytest.mark.parametrize("name", sorted(COMPILE_CASES))
def test_compiles_as_sqlalchemy(name: str) -> None:
    case = COMPILE_CASES[name]
    results = []
    for which in ("sa", "oc"):
        L = lib(which)
        T = select_tables(L)
        made = outcome(lambda: case(L, T))
        results.append(made if made[0] == "raised" else compiled_forms(L, made[1]))
    assert results[1] == results[0]


@pytest.mark.parametrize("name", ["limit_offset", "in_select", "recursive_cte", "dupe_names_binds",
                                  "subquery_where", "union_order_limit_offset"])
def test_literal_binds_as_sqlalchemy(name: str) -> None:
    case = COMPILE_CASES[name]
    results = []
    for which in ("sa", "oc"):
        L = lib(which)
        T = select_tables(L)
        results.append(compiled_forms(L, case(L, T), compile_kwargs={"literal_binds": True}))
    assert results[1] == results[0]


# -- structure: selected_columns, .c, froms ------------------------------------------------------


STRUCTURE_CASES: dict = {
    "selected_keys": lambda L, T: list(L.select(T.a, T.b).selected_columns.keys()),
    "selected_keys_tq": lambda L, T: list(L.select(T.a, T.b).set_label_style(L.LABEL_STYLE_TABLENAME_PLUS_COL).selected_columns.keys()),
    "selected_keys_exprs": lambda L, T: list(L.select(T.a.c.id + 1, L.func.count(), L.literal(2), T.k.c.uname).selected_columns.keys()),
    "subquery_keys": lambda L, T: list(L.select(T.a, T.b).subquery().c.keys()),
    "subquery_keys_exprs": lambda L, T: list(L.select(T.a.c.id + 5, L.func.count(), T.a.c.name.label("x"), L.literal(3)).subquery().c.keys()),
    "join_keys": lambda L, T: list(T.a.join(T.b).c.keys()),
    "alias_keys": lambda L, T: list(T.k.alias().c.keys()),
    "alias_pk": lambda L, T: [c.name for c in T.a.alias().primary_key],
    "subquery_pk": lambda L, T: [c.name for c in L.select(T.a).subquery().primary_key],
    "alias_fks": lambda L, T: sorted(fk.target_fullname for fk in T.c.alias().foreign_keys),
    "union_keys": lambda L, T: list(L.union(_s1(L, T), _s2(L, T)).selected_columns.keys()),
    "final_froms": lambda L, T: [f.name for f in L.select(T.a.c.id, T.b.c.id).get_final_froms()],
    "final_froms_join": lambda L, T: [type(f).__name__ for f in L.select(T.a).join(T.b).get_final_froms()],
    "columns_clause_froms": lambda L, T: [f.name for f in L.select(T.a.c.id).where(T.b.c.id == 1).columns_clause_froms],
    "corresponding_alias": lambda L, T: (lambda al: al.corresponding_column(T.a.c.name) is al.c.name)(T.a.alias()),
    "corresponding_subquery": lambda L, T: (lambda sq: sq.corresponding_column(T.a.c.name) is sq.c.name)(L.select(T.a).subquery()),
    "corresponding_join": lambda L, T: T.a.join(T.b).corresponding_column(T.b.c.x) is T.b.c.x,
    "corresponding_none": lambda L, T: T.a.alias().corresponding_column(T.b.c.x) is None,
    "column_descriptions": lambda L, T: [(d["name"], d["expr"] is T.a.c.id) for d in L.select(T.a.c.id, T.b.c.id).column_descriptions],
    "select_has_no_c": lambda L, T: hasattr(L.select(T.a), "c"),
    "limit_value": lambda L, T: (L.select(T.a).limit(5)._limit, L.select(T.a).offset(3)._offset),
    "label_style": lambda L, T: L.select(T.a).get_label_style().name,
    "whereclause": lambda L, T: str(L.select(T.a).where(T.a.c.id == 1, T.a.c.name == "x").whereclause),
    "scalar_type": lambda L, T: type(L.select(T.a.c.name).scalar_subquery().type).__name__,
    "exists_type": lambda L, T: type(L.exists().where(T.a.c.id == 1).type).__name__,
    "table_clause_c": lambda L, T: list(L.table("t", L.column("x"), L.column("y")).c.keys()),
    "table_clause_taken_column": lambda L, T: L.table("t2", T.a.c.id),
    "is_derived_from": lambda L, T: (T.a.alias().is_derived_from(T.a), T.a.join(T.b).is_derived_from(T.b), L.select(T.a).subquery().is_derived_from(T.a)),
    "froms_deprecated": lambda L, T: [f.name for f in L.select(T.a).froms],
    "filter_by_unknown": lambda L, T: L.select(T.b).filter_by(nope=1),
    "select_list_arg": lambda L, T: L.select([T.a.c.id]),
    "select_string": lambda L, T: L.select("id"),
    "select_select": lambda L, T: L.select(L.select(T.a)),
    "select_int": lambda L, T: L.select(5),
    "join_no_fk_direct": lambda L, T: T.a.join(T.e),
    "join_ambiguous_direct": lambda L, T: T.a.join(T.d),
    "join_select_arg": lambda L, T: T.a.join(L.select(T.b)),
    "union_non_select": lambda L, T: L.union(_s1(L, T), T.b),
    "self_referencing_subquery": lambda L, T: (lambda s: str(s.where(s.subquery().c.id == 1)))(L.select(T.a.c.id)),
}


# object reprs in messages name each library's classes: compare the rest
_REPR = re.compile(r"<[^<>]* at 0x[0-9a-f]+>|<class '[\w.]+'>")


@pytest.mark.parametrize("name", sorted(STRUCTURE_CASES))
def test_structure_as_sqlalchemy(name: str) -> None:
    case = STRUCTURE_CASES[name]
    results = []
    for which in ("sa", "oc"):
        L = lib(which)
        T = select_tables(L)
        result = outcome(lambda: case(L, T))
        if result[0] == "ok" and isinstance(result[1], (ormcore.ClauseElement, sqlalchemy.ClauseElement)):
            result = ("ok", type(result[1]).__name__, result[2])
        elif result[0] == "raised":
            result = ("raised", result[1], _REPR.sub("<obj>", result[2]))
        results.append(result)
    assert results[1] == results[0]


def test_cartesian_products_warn_when_linting() -> None:
    """The engine compiles with linting=True (SQLAlchemy's enable_from_linting); unconnected
    FROM items then warn as SQLAlchemy's from-linter does."""
    L = lib("oc")
    T = select_tables(L)
    dialect = L.dialects["sqlite"]
    with pytest.warns(exc.SAWarning, match='SELECT statement has a cartesian product between FROM '
                      r'element\(s\) "sel_b" and FROM element "sel_a"\.  Apply join condition'):
        L.select(T.a.c.id, T.b.c.id).compile(dialect=dialect, linting=True)
    with pytest.warns(exc.SAWarning, match='"sel_c"'):
        L.select(T.a.c.id, T.b.c.id, T.c.c.id).where(T.a.c.id == T.b.c.a_id).compile(
            dialect=dialect, linting=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        connected = [
            L.select(T.a.c.id, T.b.c.id).where(T.a.c.id == T.b.c.a_id),
            L.select(T.a.c.id, T.b.c.id).join_from(T.a, T.b),
            L.select(T.a.c.id, _inner(L, T).scalar_subquery()),
            L.select(T.a, T.b),  # no linting asked: no warning
        ]
        for i, stmt in enumerate(connected):
            stmt.compile(dialect=dialect, linting=i < 3)


def test_errors_have_sqlalchemy_classes() -> None:
    L = lib("oc")
    T = select_tables(L)
    with pytest.raises(exc.NoForeignKeysError):
        T.a.join(T.e)
    with pytest.raises(exc.AmbiguousForeignKeysError):
        T.a.join(T.d)
    with pytest.raises(exc.InvalidRequestError, match="Don't know how to join to"):
        str(L.select(T.a).join(T.e))
    with pytest.raises(exc.AmbiguousForeignKeysError):
        L.select(T.a).join(T.d).get_final_froms()
    with pytest.raises(exc.CompileError, match="identical numbers of columns"):
        str(L.union(_s1(L, T), L.select(T.a.c.id, T.a.c.name)))
    with pytest.raises(exc.ArgumentError):
        L.select("x")
    # (SQLAlchemy lists the entities in set order; ormcore in FROM order)
    with pytest.raises(exc.AmbiguousColumnError, match=r'Attribute name "id" is ambiguous; it exists '
                       r"in multiple FROM clause entities \(sel_c, sel_b\)\. Use filter\(\)"):
        L.select(T.b).join(T.c).filter_by(id=1)
    with pytest.raises(exc.CompileError, match="Multiple, unrelated CTEs"):
        str(L.select(L.select(T.a.c.id).cte("x").c.id, L.select(T.b.c.id).cte("x").c.id))


# -- execution against the same database ------------------------------------------------------


A_ROWS = [{"id": i, "name": f"n{i}"} for i in range(1, 7)]
B_ROWS = [{"id": i, "a_id": (i % 5) + 1, "x": i * 10} for i in range(1, 11)]
C_ROWS = [{"id": i, "b_id": i, "a_id": (i % 3) + 1} for i in range(1, 8)]
NODE_ROWS = [{"id": 1, "parent_id": None, "name": "root"}, {"id": 2, "parent_id": 1, "name": "a"},
             {"id": 3, "parent_id": 1, "name": "b"}, {"id": 4, "parent_id": 2, "name": "c"},
             {"id": 5, "parent_id": 4, "name": "d"}]


@pytest.fixture
def loaded(engine: Any, sa_engine: Any) -> Any:
    """The tables created and filled through ormcore; SQLAlchemy reads the same database."""
    T = select_tables(lib("oc"))
    T.m.create_all(engine)
    with engine.begin() as conn:
        for table, rows in ((T.a, A_ROWS), (T.b, B_ROWS), (T.c, C_ROWS), (T.node, NODE_ROWS)):
            cols = list(rows[0])
            conn.execute(
                ormcore.text(
                    f"INSERT INTO {table.name} ({', '.join(cols)}) "
                    f"VALUES ({', '.join(':' + c for c in cols)})"
                ),
                rows,
            )
    try:
        yield engine, sa_engine
    finally:
        T.m.drop_all(engine)


EXEC_CASES: dict = {
    "three_table_join": lambda L, T: L.select(T.a.c.name, T.b.c.x, T.c.c.id).join_from(T.a, T.b).join(T.c).where(T.a.c.id > 1).order_by(T.c.c.id),
    "explicit_on": lambda L, T: L.select(T.a.c.id, T.b.c.id).join(T.b, T.b.c.a_id == T.a.c.id).order_by(T.a.c.id, T.b.c.id),
    "left_outer": lambda L, T: L.select(T.a.c.id, T.b.c.id).outerjoin(T.b).order_by(T.a.c.id, T.b.c.id),
    "self_join": lambda L, T: (lambda al: L.select(T.a.c.id, al.c.name).join(al, al.c.id == T.a.c.id + 1).order_by(T.a.c.id))(T.a.alias()),
    "correlated_count": lambda L, T: L.select(T.a.c.id, L.select(L.func.count(T.b.c.id)).where(T.b.c.a_id == T.a.c.id).scalar_subquery().label("n")).order_by(T.a.c.id),
    "in_subquery": lambda L, T: L.select(T.a.c.id).where(T.a.c.id.in_(L.select(T.b.c.a_id).where(T.b.c.x > 50))).order_by(T.a.c.id),
    "not_exists": lambda L, T: L.select(T.a.c.id).where(~L.exists().where(T.b.c.a_id == T.a.c.id, T.b.c.x > 80)).order_by(T.a.c.id),
    "exists_value": lambda L, T: L.select(L.exists().where(T.b.c.x > 95)),
    "group_having": lambda L, T: L.select(T.b.c.a_id, L.func.count().label("n"), L.func.sum(T.b.c.x)).group_by(T.b.c.a_id).having(L.func.count() > 1).order_by(T.b.c.a_id),
    "subquery_join": lambda L, T: (lambda sq: L.select(T.a.c.name, sq.c.cnt).join(sq, sq.c.a_id == T.a.c.id).order_by(T.a.c.name))(_counts(L, T)),
    "recursive_numbers": _rec_cte,
    "recursive_tree": _tree,
    "union_order_limit": lambda L, T: L.union(L.select(T.a.c.id).where(T.a.c.id < 3), L.select(T.b.c.id).where(T.b.c.id > 8)).order_by("id").limit(3),
    "union_all_offset": lambda L, T: L.union_all(L.select(T.a.c.id), L.select(T.b.c.a_id)).order_by("id").offset(10),
    "except_": lambda L, T: L.except_(L.select(T.a.c.id), L.select(T.b.c.a_id)).order_by("id"),
    "intersect": lambda L, T: L.intersect(L.select(T.a.c.id), L.select(T.b.c.a_id)).order_by("id"),
    "limit_offset": lambda L, T: L.select(T.b).order_by(T.b.c.id).limit(3).offset(2),
    "offset_only": lambda L, T: L.select(T.b.c.id).order_by(T.b.c.id).offset(7),
    "slice": lambda L, T: L.select(T.b.c.id).order_by(T.b.c.id.desc()).slice(1, 4),
    "distinct": lambda L, T: L.select(T.b.c.a_id).distinct().order_by(T.b.c.a_id),
    "dupe_names": lambda L, T: L.select(T.a.c.id, T.b.c.id, T.b.c.x.label("xx")).join_from(T.a, T.b).where(T.a.c.id == 2).order_by(T.b.c.id),
    "tablename_plus_col": lambda L, T: L.select(T.a, T.b.c.id).join(T.b).order_by(T.b.c.id).set_label_style(L.LABEL_STYLE_TABLENAME_PLUS_COL),
    "anon_columns": lambda L, T: L.select(T.a.c.id, T.a.c.id + 1, L.func.count()).group_by(T.a.c.id).order_by(T.a.c.id),
    "lateral": lambda L, T: (lambda lat: L.select(T.a.c.id, lat.c.x).join(lat, L.true()).order_by(T.a.c.id, lat.c.x))(_lateral(L, T)),
    "filter_by": lambda L, T: L.select(T.b.c.id).join(T.a).filter_by(name="n3").order_by(T.b.c.id),
    "cte_twice": lambda L, T: (lambda x: L.select(x.c.id).where(x.c.id > 2).union(L.select(x.c.id).where(x.c.id < 2)).order_by("id"))(L.select(T.a.c.id).cte("x")),
    "for_update": lambda L, T: L.select(T.a.c.id).where(T.a.c.id == 1).with_for_update(),
    "distinct_on": lambda L, T: L.select(T.b.c.a_id, T.b.c.x).distinct(T.b.c.a_id).order_by(T.b.c.a_id, T.b.c.x.desc()),
    "textual_subquery": lambda L, T: (lambda sq: L.select(sq.c.name, sq.c.id).where(sq.c.id < 6).order_by(sq.c.id.desc()))(_textual(L, T).subquery()),
    "textual_cte_join": lambda L, T: (lambda ct: L.select(ct.c.name, T.b.c.x).join(T.b, T.b.c.a_id == ct.c.id).order_by(T.b.c.x))(_textual(L, T).cte()),
    "textual_union": lambda L, T: L.union(_textual(L, T), L.text("SELECT id, 'b' FROM sel_b").columns(T.b.c.id, L.column("tag"))).order_by("id"),
}

# not runnable on one of the databases
SKIP = {
    ("lateral", "sqlite"), ("union_all_offset", "none"),
    ("distinct_on", "sqlite"),
}


def _run(conn: Any, stmt: Any) -> tuple:
    with warnings.catch_warnings():
        # SQLAlchemy's deprecation of distinct(*expr); ormcore warns the same (compile tests)
        warnings.simplefilter("ignore", DeprecationWarning)
        result = conn.execute(stmt)
        keys = list(result.keys())
        rows = [tuple(r) for r in result.all()]
    return keys, rows


@pytest.mark.parametrize("name", sorted(EXEC_CASES))
def test_rows_as_sqlalchemy(name: str, loaded: Any, backend: str) -> None:
    if (name, backend) in SKIP:
        pytest.skip(f"{name} is not supported on {backend}")
    engine, sa_engine = loaded
    case = EXEC_CASES[name]
    oc_tables = select_tables(lib("oc"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        oc_stmt = case(lib("oc"), oc_tables)
        sa_stmt = case(lib("sa"), select_tables(lib("sa")))
    with sa_engine.connect() as conn:
        want = _run(conn, sa_stmt)
    with engine.connect() as conn:
        got = _run(conn, oc_stmt)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            rebuilt = case(lib("oc"), oc_tables)
        assert rebuilt._cache_key()[0] == oc_stmt._cache_key()[0]
        again = _run(conn, rebuilt)  # a cache hit: the compiled form of oc_stmt
    assert got == want
    assert again == want
    assert want[1], "the case should return rows"


def test_row_keys(loaded: Any) -> None:
    engine, _ = loaded
    L = lib("oc")
    T = select_tables(L)
    lb = T.b.c.x.label("xx")
    stmt = L.select(T.a.c.id, T.a.c.name, T.b.c.id, lb).join(T.b).where(T.b.c.id == 6)
    with engine.connect() as conn:
        row = conn.execute(stmt).one()
    assert row == (2, "n2", 6, 60)
    assert (row.id, row.name, row.id_1, row.xx) == (2, "n2", 6, 60)
    m = row._mapping
    assert (m[T.a.c.id], m[T.b.c.id], m[T.a.c.name], m[lb], m["xx"]) == (2, 6, "n2", 60, 60)
    assert m["id"] == 2 and m["id_1"] == 6
    with pytest.raises(exc.NoSuchColumnError):
        m[T.b.c.x]  # selected only under its label


def test_row_keys_of_subquery_and_alias(loaded: Any) -> None:
    engine, _ = loaded
    L = lib("oc")
    T = select_tables(L)
    sq = _counts(L, T)
    al = T.a.alias()
    stmt = L.select(al.c.name, sq.c.cnt).join(sq, sq.c.a_id == al.c.id).where(al.c.id == 3)
    with engine.connect() as conn:
        row = conn.execute(stmt).one()
    assert row._mapping[al.c.name] == "n3" and row._mapping[sq.c.cnt] == 2 and row.cnt == 2
    with engine.connect() as conn:
        assert conn.execute(L.select(sq.c.cnt).where(sq.c.a_id == 1)).scalar() == 2


# -- the compiled cache ---------------------------------------------------------------------


def _cache_key(stmt: Any) -> Any:
    return stmt._cache_key()[0]


def test_equal_shapes_share_a_key() -> None:
    L = lib("oc")
    T = select_tables(L)

    def build(v: int) -> Any:
        return (L.select(T.a.c.name, T.b.c.x, T.c.c.id).join_from(T.a, T.b).join(T.c)
                .where(T.a.c.id == v).order_by(T.c.c.id).limit(v))

    assert _cache_key(build(1)) == _cache_key(build(2))
    assert _cache_key(build(1)) != _cache_key(build(1).offset(3))
    assert _cache_key(L.select(T.a).limit(1)) != _cache_key(L.select(T.a).offset(1))
    assert _cache_key(L.select(T.a.alias("p"))) != _cache_key(L.select(T.a.alias("q")))
    # where criteria in another order are another shape (another SQL text)
    assert _cache_key(L.select(T.a).where(T.a.c.id == 1).where(T.a.c.name == "x")) != \
        _cache_key(L.select(T.a).where(T.a.c.name == "x").where(T.a.c.id == 1))


def test_anonymous_aliases_key_by_position() -> None:
    L = lib("oc")
    T = select_tables(L)

    def two() -> Any:
        x, y = T.a.alias(), T.a.alias()
        return L.select(x.c.id, y.c.id).where(x.c.id == y.c.id)

    def one() -> Any:
        x = T.a.alias()
        return L.select(x.c.id, x.c.id).where(x.c.id == x.c.id)

    assert _cache_key(two()) == _cache_key(two())
    assert _cache_key(one()) == _cache_key(one())
    assert _cache_key(two()) != _cache_key(one())
    assert str(two()) != str(one())


def test_subquery_binds_are_listed_once() -> None:
    L = lib("oc")
    T = select_tables(L)
    sq = L.select(T.b.c.a_id).where(T.b.c.x > 10).subquery()
    stmt = L.select(sq.c.a_id).where(sq.c.a_id < 4, sq.c.a_id > 1)
    key, binds = stmt._cache_key()
    assert [b.value for b in binds] == [10, 4, 1]


def test_cache_hits_use_each_statements_values(loaded: Any) -> None:
    engine, sa_engine = loaded

    tables = {"sa": select_tables(lib("sa")), "oc": select_tables(lib("oc"))}

    def build(L: SimpleNamespace, v: int) -> Any:
        T = tables[L.name]
        sq = L.select(T.b.c.a_id, T.b.c.x).where(T.b.c.x > v * 10).subquery()
        return (L.select(T.a.c.id, sq.c.x).join(sq, sq.c.a_id == T.a.c.id)
                .order_by(sq.c.x).limit(v).offset(1))

    with sa_engine.connect() as conn:
        want = [[tuple(r) for r in conn.execute(build(lib("sa"), v))] for v in (1, 2, 3)]
    with engine.connect() as conn:
        cache = engine._compiled_cache
        before = len(cache)
        got = [[tuple(r) for r in conn.execute(build(lib("oc"), v))] for v in (1, 2, 3)]
        assert len(cache) == before + 1
    assert got == want
    assert [len(rows) for rows in got] == [1, 2, 3]
