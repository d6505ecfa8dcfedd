"""insert() / update() / delete(): the SQL they compile to, against SQLAlchemy's.

Every case builds the same statement with `sqlalchemy` and with `ormcore` (the same code, the
module swapped) and compares str(stmt), the SQL and parameters per dialect (PostgreSQL on
psycopg2, SQLite with the named paramstyle ormcore's pysqlite uses), and errors (class and
message). Execution against real databases is in test_dml_exec.py.
"""

from __future__ import annotations

import re
import sqlite3
import warnings
from types import SimpleNamespace
from typing import Any
from typing import Callable

import pytest

import ormcore
import ormcore.dialects.postgresql as oc_pg
import ormcore.dialects.postgresql.psycopg2 as oc_psycopg2
import ormcore.dialects.sqlite as oc_sqlite
import ormcore.dialects.sqlite.pysqlite as oc_pysqlite
from ormcore import exc

sa = pytest.importorskip("sqlalchemy")
sa_pg = pytest.importorskip("sqlalchemy.dialects.postgresql")
sa_psycopg2 = pytest.importorskip("sqlalchemy.dialects.postgresql.psycopg2")
sa_sqlite = pytest.importorskip("sqlalchemy.dialects.sqlite")
sa_pysqlite = pytest.importorskip("sqlalchemy.dialects.sqlite.pysqlite")


# -- the two libraries, side by side ------------------------------------------------------------


def lib(name: str) -> SimpleNamespace:
    """What the cases need from one library, by the names SQLAlchemy users import."""
    if name == "sa":
        mod, pg, lite = sa, sa_pg, sa_sqlite
        dialects = {"postgresql": sa_psycopg2.dialect(),
                    "sqlite": sa_pysqlite.dialect()}
    else:
        mod, pg, lite = ormcore, oc_pg, oc_sqlite
        dialects = {"postgresql": oc_psycopg2.dialect(),
                    "sqlite": oc_pysqlite.dialect(dbapi=sqlite3)}
    names = {
        n: getattr(mod, n) for n in (
            "insert", "update", "delete", "select", "func", "and_", "or_", "text", "bindparam",
            "literal_column", "null", "Table", "Column", "MetaData", "Integer", "String",
            "DateTime", "Sequence", "ForeignKey", "column", "table", "exc", "Insert", "Update",
            "Delete",
        ) if hasattr(mod, n)
    }
    return SimpleNamespace(name=name, pg_insert=pg.insert, sqlite_insert=lite.insert,
                           dialects=dialects, **names)


def tables(L: SimpleNamespace) -> SimpleNamespace:
    """The same schema in either library."""
    m = L.MetaData()
    users = L.Table(
        "users", m,
        L.Column("id", L.Integer, primary_key=True),
        L.Column("name", L.String(50)),
        L.Column("nick", L.String(50), default="nick"),
        L.Column("counter", L.Integer, default=lambda: 1, onupdate=lambda: 2),
        L.Column("stamp", L.Integer, onupdate=L.literal_column("42")),
        L.Column("created", L.DateTime, server_default=L.text("CURRENT_TIMESTAMP")),
        L.Column("lowered", L.String(50), default=L.literal_column("'x'")),
    )
    addresses = L.Table(
        "addresses", m,
        L.Column("id", L.Integer, primary_key=True),
        L.Column("user_id", L.Integer, L.ForeignKey("users.id")),
        L.Column("email", L.String(50)),
    )
    seq = L.Table(
        "seq_t", m,
        L.Column("id", L.Integer, L.Sequence("seq_t_id_seq"), primary_key=True),
        L.Column("data", L.String(20)),
    )
    comp = L.Table(
        "comp", m,
        L.Column("a", L.Integer, primary_key=True),
        L.Column("b", L.String(10), primary_key=True),
        L.Column("data", L.String(20)),
    )
    plain = L.Table("plain", m, L.Column("id", L.Integer, primary_key=True),
                    L.Column("x", L.String(20)), L.Column("y", L.Integer))
    keyed = L.Table("keyed", m, L.Column("id", L.Integer, primary_key=True),
                    L.Column("the name", L.String(20), key="name"))
    return SimpleNamespace(m=m, users=users, addresses=addresses, seq=seq, comp=comp,
                           plain=plain, keyed=keyed)


_BACKGROUND = re.compile(r" \(Background on this error at: [^)]*\)")


def outcome(fn: Callable[[], Any]) -> Any:
    """What `fn` gave, comparable across libraries: a value, or (error class name, message)."""
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = fn()
        return ("ok", value, [(w.category.__name__, str(w.message)) for w in caught])
    except Exception as err:  # noqa: BLE001 - compared across libraries
        # SQLAlchemy raises NotImplementedError for what a dialect can't render; ormcore's
        # error is also a CompileError
        name = "NotImplementedError" if isinstance(err, NotImplementedError) else type(err).__name__
        message = _BACKGROUND.sub("", str(err)).replace("sqlalchemy.exc.", "ormcore.exc.")
        return ("raised", name, message)


def compiled_forms(L: SimpleNamespace, stmt: Any, dialects: tuple = ("postgresql", "sqlite"),
                   **kw: Any) -> dict:
    """str(stmt), and (SQL, params) on each dialect."""
    forms = {}
    if "str" in dialects or len(dialects) > 1:
        forms["str"] = outcome(lambda: str(stmt.compile(**kw)) if kw else str(stmt))
    for name, dialect in L.dialects.items():
        if name not in dialects:
            continue
        def compile_on(dialect: Any = dialect) -> tuple:
            c = stmt.compile(dialect=dialect, **kw)
            # SQLAlchemy shows a parameter the execution must supply as symbol('REQUIRED')
            params = {k: None if repr(v) == "symbol('REQUIRED')" else v for k, v in c.params.items()}
            return str(c), params
        forms[name] = outcome(compile_on)
    return forms


def compare(case: Callable, dialects: tuple = ("postgresql", "sqlite"), **kw: Any) -> dict:
    results = {}
    for name in ("sa", "oc"):
        L = lib(name)
        T = tables(L)
        made = outcome(lambda: case(L, T))
        if made[0] == "raised":
            results[name] = made
        else:
            results[name] = compiled_forms(L, made[1], dialects, **kw)
    assert results["oc"] == results["sa"]
    return results["oc"]


# -- INSERT ------------------------------------------------------------------------------------

INSERT_CASES = {
    "all_columns": lambda L, T: L.insert(T.users),
    "kwargs": lambda L, T: L.insert(T.users).values(name="jack"),
    "dict": lambda L, T: L.insert(T.users).values({"name": "jack", "id": 5}),
    "column_keyed_dict": lambda L, T: L.insert(T.plain).values({T.plain.c.x: "a"}),
    "tuple": lambda L, T: L.insert(T.plain).values((1, "a", 2)),
    "values_twice_merges": lambda L, T: L.insert(T.plain).values(x="a").values(y=2, x="b"),
    "multi_dicts": lambda L, T: L.insert(T.plain).values([{"x": "a", "y": 1}, {"x": "b", "y": 2}]),
    "multi_tuples": lambda L, T: L.insert(T.plain).values([(1, "a", 2), (2, "b", 3)]),
    "multi_with_defaults": lambda L, T: L.insert(T.users).values([{"name": "a"}, {"name": "b"}]),
    "multi_first_row_decides": lambda L, T: L.insert(T.plain).values([{"x": "a"}, {"x": "b", "y": 5}]),
    "multi_extended": lambda L, T: L.insert(T.plain).values([{"x": "a"}]).values([{"x": "b"}]),
    "multi_missing_pk": lambda L, T: L.insert(T.plain).values([{"x": "a", "id": 1}, {"x": "b"}]),
    "returning": lambda L, T: L.insert(T.users).values(name="x").returning(T.users.c.id, T.users.c.created),
    "returning_table": lambda L, T: L.insert(T.plain).values(x="a").returning(T.plain),
    "returning_label_expr": lambda L, T: L.insert(T.plain).values(x="a").returning(
        T.plain.c.x.label("foo"), T.plain.c.id + 5, L.func.lower(T.plain.c.x), L.literal_column("1")),
    "returning_repeated": lambda L, T: L.insert(T.plain).values(x="a").returning(T.plain.c.id, T.plain.c.id),
    "inline": lambda L, T: L.insert(T.users).values(name="x").inline(),
    "sequence": lambda L, T: L.insert(T.seq).values(data="x"),
    "composite_pk": lambda L, T: L.insert(T.comp).values(a=1, b="x"),
    "sql_expression_value": lambda L, T: L.insert(T.plain).values(x=L.func.lower("ABC"), y=T.plain.c.id + 1),
    "none_value": lambda L, T: L.insert(T.plain).values(x=None, id=None),
    "bindparam_value": lambda L, T: L.insert(T.plain).values(x=L.bindparam("xval")),
    "quoted_key": lambda L, T: L.insert(T.keyed).values(name="x"),
    "prefix": lambda L, T: L.insert(T.plain).prefix_with("OR IGNORE").values(x="a"),
    "prefix_other_dialect": lambda L, T: L.insert(T.plain).prefix_with("LOW_PRIORITY", dialect="mysql").values(x="a"),
    "return_defaults": lambda L, T: L.insert(T.users).values(name="x").return_defaults(),
    "return_defaults_cols": lambda L, T: L.insert(T.users).values(name="x").return_defaults(T.users.c.created),
    "table_method": lambda L, T: T.plain.insert().values(x="a"),
    "lightweight_table": lambda L, T: L.insert(L.table("lt", L.column("a"), L.column("b"))).values(a=1),
    "from_select": lambda L, T: L.insert(T.plain).from_select(
        ["x", "y"], L.select(T.users.c.name, T.users.c.id).where(T.users.c.id > 5)),
    "from_select_defaults": lambda L, T: L.insert(T.users).from_select(
        [T.users.c.name], L.select(T.plain.c.x)),
    "from_select_no_defaults": lambda L, T: L.insert(T.users).from_select(
        ["name"], L.select(T.plain.c.x), include_defaults=False),
    "schema_table": lambda L, T: L.insert(L.Table("st", L.MetaData(), L.Column("id", L.Integer),
                                                  schema="other")).values(id=1),
    "correlated_value": lambda L, T: L.insert(T.addresses).values(
        user_id=L.select(T.users.c.id).where(T.users.c.name == "x").scalar_subquery(), email="e"),
}


@pytest.mark.parametrize("name", sorted(INSERT_CASES))
def test_insert_sql_matches_sqlalchemy(name: str) -> None:
    compare(INSERT_CASES[name])


@pytest.mark.parametrize("keys", [[], ["name"], ["id", "name"], ["name", "unknown"], ["counter"]])
@pytest.mark.parametrize("many", [False, True])
def test_insert_compiled_for_parameter_keys(keys: list, many: bool) -> None:
    """What the engine compiles for execute(insert(t), params): the columns of the keys."""
    compare(lambda L, T: L.insert(T.users), column_keys=keys, for_executemany=many)


@pytest.mark.parametrize("keys", [[], ["x"], ["x", "id"]])
def test_insert_with_values_and_parameter_keys(keys: list) -> None:
    compare(lambda L, T: L.insert(T.plain).values(y=5), column_keys=keys)


def test_insert_empty_on_each_dialect() -> None:
    compare(lambda L, T: L.insert(T.plain), column_keys=[])
    compare(lambda L, T: L.insert(T.plain), column_keys=[], for_executemany=True)


def test_literal_binds() -> None:
    compare(lambda L, T: L.insert(T.plain).values(x="it's", y=5),
            compile_kwargs={"literal_binds": True})
    compare(lambda L, T: L.update(T.plain).values(x="a").where(T.plain.c.id == 7),
            compile_kwargs={"literal_binds": True})


# -- UPDATE ------------------------------------------------------------------------------------

UPDATE_CASES = {
    "all_columns": lambda L, T: L.update(T.plain),
    "values": lambda L, T: L.update(T.plain).values(x="a"),
    "onupdate": lambda L, T: L.update(T.users).values(name="a"),
    "where_chained": lambda L, T: L.update(T.plain).where(T.plain.c.id == 5).values(x="b").where(T.plain.c.y == 3),
    "where_or": lambda L, T: L.update(T.plain).values(x="b").where(L.or_(T.plain.c.id == 1, T.plain.c.id == 2)).where(T.plain.c.y > 1),
    "where_same_column_as_value": lambda L, T: L.update(T.plain).values(x="b").where(T.plain.c.x == "a"),
    "expression_value": lambda L, T: L.update(T.plain).values(x=T.plain.c.x + "b", y=T.plain.c.y * 2),
    "correlated_subquery": lambda L, T: L.update(T.users).values(
        name=L.select(T.addresses.c.email).where(T.addresses.c.user_id == T.users.c.id).scalar_subquery()),
    "ordered_values": lambda L, T: L.update(T.plain).ordered_values((T.plain.c.y, 1), ("x", "a")),
    "update_from": lambda L, T: L.update(T.users).values(name=T.addresses.c.email).where(
        T.users.c.id == T.addresses.c.user_id).where(T.addresses.c.email == "e"),
    "returning": lambda L, T: L.update(T.plain).values(x="a").where(T.plain.c.id == 1).returning(T.plain.c.id, T.plain.c.x),
    "return_defaults": lambda L, T: L.update(T.users).values(name="a").return_defaults(),
    "inline": lambda L, T: L.update(T.users).values(name="a").inline(),
    "filter_by": lambda L, T: L.update(T.plain).filter_by(x="a").values(y=1),
    "bindparam": lambda L, T: L.update(T.plain).values(x=L.bindparam("newx")).where(T.plain.c.id == L.bindparam("oldid")),
    "null_value": lambda L, T: L.update(T.plain).values(x=None).where(T.plain.c.y == None),  # noqa: E711
    "table_method": lambda L, T: T.plain.update().values(x="q"),
    "alias_target": lambda L, T: (lambda p: L.update(p).values(x="a").where(p.c.id == 1))(
        T.plain.alias("p")),
    "schema_table": lambda L, T: L.update(L.Table("st", L.MetaData(), L.Column("id", L.Integer),
                                                  schema="other")).values(id=1),
    "values_subquery_from": lambda L, T: (lambda sq: L.update(T.plain).values(x=sq.c.email).where(
        T.plain.c.id == sq.c.user_id))(L.select(T.addresses).where(T.addresses.c.id > 1).subquery()),
}


@pytest.mark.parametrize("name", sorted(UPDATE_CASES))
def test_update_sql_matches_sqlalchemy(name: str) -> None:
    compare(UPDATE_CASES[name])


@pytest.mark.parametrize("keys", [[], ["x"], ["y", "x"], ["unknown"]])
def test_update_compiled_for_parameter_keys(keys: list) -> None:
    compare(lambda L, T: L.update(T.users).where(T.users.c.id == 5), column_keys=keys)


# -- DELETE ------------------------------------------------------------------------------------

DELETE_CASES = {
    "all": lambda L, T: L.delete(T.plain),
    "where": lambda L, T: L.delete(T.plain).where(T.plain.c.id == 5),
    "where_and_or": lambda L, T: L.delete(T.plain).where(T.plain.c.id == 1).where(
        L.or_(T.plain.c.x == "a", T.plain.c.x == "b")),
    "returning": lambda L, T: L.delete(T.plain).where(T.plain.c.id > 5).returning(T.plain.c.id),
    "using": lambda L, T: L.delete(T.addresses).where(T.addresses.c.user_id == T.users.c.id).where(
        T.users.c.name == "x"),
    "in_subquery": lambda L, T: L.delete(T.addresses).where(
        T.addresses.c.user_id.in_(L.select(T.users.c.id).where(T.users.c.name == "x"))),
    "table_method": lambda L, T: T.plain.delete().where(T.plain.c.id == 1),
    "filter": lambda L, T: L.delete(T.plain).filter(T.plain.c.id == 1),
    "alias_target": lambda L, T: (lambda p: L.delete(p).where(p.c.id == 1))(T.plain.alias("p")),
    "exists": lambda L, T: L.delete(T.users).where(~L.select(T.addresses.c.id).where(
        T.addresses.c.user_id == T.users.c.id).exists()),
}


@pytest.mark.parametrize("name", sorted(DELETE_CASES))
def test_delete_sql_matches_sqlalchemy(name: str) -> None:
    compare(DELETE_CASES[name])


# -- ON CONFLICT --------------------------------------------------------------------------------


def _pg_upsert(L: Any, T: Any) -> Any:
    stmt = L.pg_insert(T.plain).values(id=1, x="a")
    return stmt.on_conflict_do_update(
        index_elements=[T.plain.c.id], set_={"x": stmt.excluded.x, T.plain.c.y: 5},
        where=T.plain.c.y > 2,
    )


def _sqlite_upsert(L: Any, T: Any) -> Any:
    stmt = L.sqlite_insert(T.plain).values(id=1, x="a")
    return stmt.on_conflict_do_update(index_elements=["id"], set_=dict(x=stmt.excluded.x, y=7),
                                      where=T.plain.c.y > 2)


ON_CONFLICT_CASES = {
    "pg_nothing": lambda L, T: L.pg_insert(T.plain).values(id=1, x="a").on_conflict_do_nothing(),
    "pg_nothing_index": lambda L, T: L.pg_insert(T.plain).values(id=1).on_conflict_do_nothing(index_elements=["id"]),
    "pg_nothing_constraint": lambda L, T: L.pg_insert(T.plain).values(id=1).on_conflict_do_nothing(constraint="plain_pkey"),
    "pg_nothing_pk_object": lambda L, T: L.pg_insert(T.plain).values(id=1).on_conflict_do_nothing(constraint=T.plain.primary_key),
    "pg_update": _pg_upsert,
    "pg_update_index_where": lambda L, T: L.pg_insert(T.plain).values(id=1).on_conflict_do_update(
        index_elements=[T.plain.c.id], index_where=T.plain.c.y > 1, set_=dict(x="q")),
    "pg_update_returning": lambda L, T: _pg_upsert(L, T).returning(T.plain.c.id),
    "sqlite_nothing": lambda L, T: L.sqlite_insert(T.plain).values(id=1).on_conflict_do_nothing(),
    "sqlite_update": _sqlite_upsert,
    "sqlite_two_targets": lambda L, T: L.sqlite_insert(T.plain).values(id=1).on_conflict_do_nothing(
        index_elements=["id"]).on_conflict_do_nothing(),
    "sqlite_after_targetless": lambda L, T: L.sqlite_insert(T.plain).values(id=1).on_conflict_do_nothing(
        ).on_conflict_do_nothing(index_elements=["id"]),
    "pg_twice": lambda L, T: L.pg_insert(T.plain).values(id=1).on_conflict_do_nothing().on_conflict_do_nothing(),
    "pg_no_target_update": lambda L, T: L.pg_insert(T.plain).on_conflict_do_update(set_={"x": 1}),
    "pg_empty_set": lambda L, T: L.pg_insert(T.plain).on_conflict_do_update(index_elements=["id"], set_={}),
    "pg_bad_set": lambda L, T: L.pg_insert(T.plain).on_conflict_do_update(index_elements=["id"], set_=5),
    "pg_both_targets": lambda L, T: L.pg_insert(T.plain).on_conflict_do_nothing(constraint="c", index_elements=["id"]),
    "pg_unknown_set_key": lambda L, T: L.pg_insert(T.plain).values(id=1).on_conflict_do_update(
        index_elements=["id"], set_={"zz": 5}),
    "set_from_column_collection": lambda L, T: L.pg_insert(T.plain).values(id=1, x="a", y=1).on_conflict_do_update(
        index_elements=["id"], set_=L.pg_insert(T.plain).excluded),
}


@pytest.mark.parametrize("name", sorted(ON_CONFLICT_CASES))
def test_on_conflict_sql_matches_sqlalchemy(name: str) -> None:
    dialect = "sqlite" if name.startswith("sqlite") else "postgresql"
    compare(ON_CONFLICT_CASES[name], dialects=(dialect,))


@pytest.mark.parametrize("name", ["pg_update", "sqlite_update", "pg_nothing_constraint"])
def test_dialect_insert_prints_with_its_dialect(name: str) -> None:
    """str() of a dialect's insert uses that dialect (SQLAlchemy's stringify_dialect)."""
    L = lib("oc")
    stmt = ON_CONFLICT_CASES[name](L, tables(L))
    dialect = L.dialects["sqlite" if name.startswith("sqlite") else "postgresql"]
    assert str(stmt) == str(stmt.compile(dialect=dialect))


def test_sqlite_partial_index_target_is_literal() -> None:
    """SQLite needs the conflict target's WHERE as written: rendered at execution
    (literal_execute), as SQLAlchemy; test_literal_execute.py runs it."""
    L = lib("oc")
    T = tables(L)
    stmt = L.sqlite_insert(T.plain).values(id=1).on_conflict_do_update(
        index_elements=[T.plain.c.id], index_where=T.plain.c.y > 1, set_=dict(x="q"))
    compiled = stmt.compile(dialect=L.dialects["sqlite"])
    assert str(compiled) == (
        "INSERT INTO plain (id) VALUES (?) ON CONFLICT (id) WHERE y > __[POSTCOMPILE_y_1] "
        "DO UPDATE SET x = ?"
    )
    assert compiled.params == {"id": 1, "y_1": 1, "param_1": "q"}


def test_on_conflict_unsupported_on_generic_dialect() -> None:
    from ormcore.engine.default import DefaultDialect

    m = ormcore.MetaData()
    t = ormcore.Table("t", m, ormcore.Column("id", ormcore.Integer, primary_key=True))
    stmt = oc_pg.insert(t).values(id=1).on_conflict_do_nothing()
    with pytest.raises(exc.UnsupportedCompilationError, match="OnConflictDoNothing"):
        stmt.compile(dialect=DefaultDialect())


# -- errors --------------------------------------------------------------------------------------

ERROR_CASES = {
    "unconsumed_insert": lambda L, T: L.insert(T.plain).values(foo=1, x="a"),
    "unconsumed_update": lambda L, T: L.update(T.plain).values(foo=1),
    "bad_table_str": lambda L, T: L.insert("plain"),
    "bad_table_none": lambda L, T: L.update(None),
    "bad_table_column": lambda L, T: L.delete(T.plain.c.id),
    "textual_where": lambda L, T: L.update(T.plain).where("x=1"),
    "two_positional": lambda L, T: L.insert(T.plain).values({"x": 1}, {"x": 2}),
    "positional_and_kw": lambda L, T: L.insert(T.plain).values({"x": 1}, x=2),
    "mix_single_then_multi": lambda L, T: L.insert(T.plain).values(x=1).values([{"x": 2}]),
    "mix_multi_then_single": lambda L, T: L.insert(T.plain).values([{"x": 2}]).values(x=1),
    "update_multi": lambda L, T: L.update(T.plain).values([{"x": 2}]),
    "ordered_after_values": lambda L, T: L.update(T.plain).values(x=1).ordered_values(("x", 2)),
    "values_after_ordered": lambda L, T: L.update(T.plain).ordered_values(("x", 2)).values(x=1),
    "from_select_after_values": lambda L, T: L.insert(T.plain).values(x=1).from_select(["x"], L.select(T.plain.c.x)),
    "values_after_from_select": lambda L, T: L.insert(T.plain).from_select(["x"], L.select(T.plain.c.x)).values(x=1),
    "returning_and_return_defaults": lambda L, T: L.insert(T.plain).returning(T.plain.c.id).return_defaults(),
    "return_defaults_then_returning": lambda L, T: L.insert(T.plain).return_defaults().returning(T.plain.c.id),
    "returning_string": lambda L, T: L.insert(T.plain).returning("id"),
    "sort_by_parameter_order_update": lambda L, T: L.update(T.plain).returning(T.plain.c.id, sort_by_parameter_order=True),
    "params": lambda L, T: L.insert(T.plain).params(x=1),
    "other_table_in_set": lambda L, T: L.update(T.users).values({T.addresses.c.email: "x"}),
    "multi_row_missing_no_default": lambda L, T: L.insert(T.plain).values([{"x": "a", "id": 1}, {"x": "b"}]),
    "delete_using_sqlite": lambda L, T: L.delete(T.addresses).where(T.addresses.c.user_id == T.users.c.id),
    "sequence_on_sqlite": lambda L, T: L.insert(T.plain).values(id=L.Sequence("s").next_value()),
    "filter_by_unknown": lambda L, T: L.update(T.plain).filter_by(nope=1),
}


@pytest.mark.parametrize("name", sorted(ERROR_CASES))
def test_errors_match_sqlalchemy(name: str) -> None:
    compare(ERROR_CASES[name])


def test_pk_without_value_warns_as_sqlalchemy() -> None:
    def case(L: Any, T: Any) -> Any:
        m = L.MetaData()
        t = L.Table("nopk", m, L.Column("a", L.String(10), primary_key=True), L.Column("b", L.Integer))
        return L.insert(t).values(b=1)

    compare(case)


# -- the statements themselves ----------------------------------------------------------------


def test_constructs_are_generative_and_exported() -> None:
    m = ormcore.MetaData()
    t = ormcore.Table("t", m, ormcore.Column("id", ormcore.Integer, primary_key=True),
                      ormcore.Column("x", ormcore.String))
    base = ormcore.insert(t)
    assert isinstance(base, ormcore.Insert)
    assert isinstance(ormcore.update(t), ormcore.Update)
    assert isinstance(ormcore.delete(t), ormcore.Delete)
    with_values = base.values(x="a")
    assert with_values is not base and base._values is None
    assert str(base.values(x="b")) == str(with_values)
    assert base.is_insert and base.is_dml and not base.is_select
    assert ormcore.delete(t).whereclause is None
    assert str(ormcore.update(t).where(t.c.id == 1).where(t.c.x == "a").whereclause) == \
        "t.id = :id_1 AND t.x = :x_1"
    returning = base.returning(t.c.id, t.c.x)
    assert list(returning.exported_columns) == [t.c.id, t.c.x]
    assert isinstance(oc_pg.insert(t), oc_pg.Insert)
    assert isinstance(oc_sqlite.insert(t), oc_sqlite.Insert)


def test_cache_key_ignores_values_but_not_shape() -> None:
    m = ormcore.MetaData()
    t = ormcore.Table("t", m, ormcore.Column("id", ormcore.Integer, primary_key=True),
                      ormcore.Column("x", ormcore.String))
    k1, b1 = ormcore.insert(t).values(x="a")._cache_key()
    k2, b2 = ormcore.insert(t).values(x="b")._cache_key()
    k3, _ = ormcore.insert(t).values(id=1)._cache_key()
    assert k1 == k2 and k1 != k3
    assert [b.value for b in b1] == ["a"] and [b.value for b in b2] == ["b"]
    u1, ub1 = ormcore.update(t).values(x="a").where(t.c.id == 1)._cache_key()
    u2, ub2 = ormcore.update(t).values(x="z").where(t.c.id == 9)._cache_key()
    assert u1 == u2 and [b.value for b in ub2] == ["z", 9]
    d1, _ = ormcore.delete(t).where(t.c.id == 1)._cache_key()
    d2, _ = ormcore.delete(t).where(t.c.x == "1")._cache_key()
    assert d1 != d2
    m1, mb1 = ormcore.insert(t).values([{"x": "a"}, {"x": "b"}])._cache_key()
    m2, _ = ormcore.insert(t).values([{"x": "c"}, {"x": "d"}])._cache_key()
    m3, _ = ormcore.insert(t).values([{"x": "c"}])._cache_key()
    assert m1 == m2 and m1 != m3 and [b.value for b in mb1] == ["a", "b"]
    s1 = oc_pg.insert(t).values(id=1).on_conflict_do_update(index_elements=["id"], set_={"x": "a"})
    s2 = oc_pg.insert(t).values(id=2).on_conflict_do_update(index_elements=["id"], set_={"x": "b"})
    s3 = oc_pg.insert(t).values(id=2).on_conflict_do_nothing(index_elements=["id"])
    assert s1._cache_key()[0] == s2._cache_key()[0] != s3._cache_key()[0]
    assert [b.value for b in s2._cache_key()[1]] == [2, "b"]


def test_cached_compilation_serves_new_values() -> None:
    """A compilation made from one statement gives another of the same shape its values."""
    m = ormcore.MetaData()
    t = ormcore.Table("t", m, ormcore.Column("id", ormcore.Integer, primary_key=True),
                      ormcore.Column("x", ormcore.String))
    first = ormcore.update(t).values(x="a").where(t.c.id == 1)
    second = ormcore.update(t).values(x="b").where(t.c.id == 2)
    compiled = first.compile(dialect=oc_pysqlite.dialect(dbapi=sqlite3))
    assert compiled.construct_params(None, second._cache_key()[1]) == ("b", 2)
    assert compiled.construct_params({"x": "c"}, second._cache_key()[1]) == ("c", 2)
