"""Schema objects: MetaData registry, Table/Column construction, keys, defaults, constraints.

Where SQLAlchemy's behaviour is the question, the same schema is built with both libraries
(`build(S, T)` takes the schema and types modules) and the observable results compared.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import ormcore.schema as os_
import ormcore.types as ot
from ormcore import exc
from ormcore import text

sa = pytest.importorskip("sqlalchemy")
sa_schema = pytest.importorskip("sqlalchemy.schema")
sa_types = pytest.importorskip("sqlalchemy.types")
sa_exc = pytest.importorskip("sqlalchemy.exc")

LIBS = [(os_, ot), (sa_schema, sa_types)]


def _outcome(fn: Any) -> Any:
    try:
        return ("ok", fn())
    except Exception as err:  # noqa: BLE001 - compared across libraries
        return ("raised", type(err).__name__, str(err))


# -- MetaData ----------------------------------------------------------------------------------


def test_metadata_tables_keyed_by_schema_and_name() -> None:
    m = os_.MetaData()
    t1 = os_.Table("t", m, os_.Column("id", ot.Integer, primary_key=True))
    t2 = os_.Table("t", m, os_.Column("id", ot.Integer, primary_key=True), schema="s")
    assert list(m.tables) == ["t", "s.t"]
    assert m.tables["s.t"] is t2 and m.tables["t"] is t1
    assert "s.t" in m and t1 in m and "x" not in m
    assert t2.fullname == "s.t" and t2.key == "s.t" and str(t2) == "s.t"
    with pytest.raises(TypeError, match="FacadeDict object is immutable"):
        m.tables["x"] = t1  # type: ignore[index]
    m.remove(t1)
    assert list(m.tables) == ["s.t"]
    m.clear()
    assert not m.tables


def test_metadata_schema_is_default_for_tables() -> None:
    m = os_.MetaData(schema="app")
    t = os_.Table("t", m, os_.Column("id", ot.Integer))
    blank = os_.Table("b", m, os_.Column("id", ot.Integer), schema=os_.BLANK_SCHEMA)
    assert t.schema == "app" and m.tables["app.t"] is t
    assert blank.schema is None and m.tables["b"] is blank
    with pytest.raises(exc.ArgumentError, match="expected schema argument to be a string"):
        os_.MetaData(schema=5)  # type: ignore[arg-type]


def test_same_table_twice() -> None:
    for S, T in LIBS:
        m = S.MetaData()
        t = S.Table("t", m, S.Column("id", T.Integer))
        assert S.Table("t", m) is t
    oc = _outcome(lambda: os_.Table("t", os_.MetaData(), os_.Column("a", ot.Integer)) and None)
    assert oc[0] == "ok"
    m = os_.MetaData()
    os_.Table("t", m, os_.Column("a", ot.Integer))
    with pytest.raises(exc.InvalidRequestError) as err:
        os_.Table("t", m, os_.Column("a", ot.Integer))
    sa_m = sa_schema.MetaData()
    sa_schema.Table("t", sa_m, sa_schema.Column("a", sa_types.Integer))
    with pytest.raises(sa_exc.InvalidRequestError) as sa_err:
        sa_schema.Table("t", sa_m, sa_schema.Column("a", sa_types.Integer))
    assert str(err.value) == str(sa_err.value)


def test_extend_and_keep_existing() -> None:
    results = []
    for S, T in LIBS:
        m = S.MetaData()
        t = S.Table("t", m, S.Column("a", T.Integer), S.Column("b", T.Integer))
        again = S.Table("t", m, S.Column("b", T.String), S.Column("c", T.Integer), extend_existing=True)
        kept = S.Table("t", m, S.Column("d", T.String), keep_existing=True)
        results.append(
            (t is again is kept, [(c.name, repr(c.type)) for c in t.c])
        )
    assert results[0] == results[1]
    with pytest.raises(exc.ArgumentError, match="Can't define both"):
        os_.Table("t", os_.MetaData(), keep_existing=True, extend_existing=True)


def test_failed_table_is_not_registered() -> None:
    m = os_.MetaData()
    with pytest.raises(exc.ArgumentError, match="no column named 'zz'"):
        os_.Table("bad", m, os_.Column("a", ot.Integer), os_.UniqueConstraint("zz"))
    assert "bad" not in m


def test_duplicate_column() -> None:
    m = os_.MetaData()
    with pytest.raises(exc.ArgumentError, match="A column with name 'a' is already present in table 't'."):
        os_.Table("t", m, os_.Column("a", ot.Integer), os_.Column("a", ot.Integer))
    t = os_.Table("u", m, os_.Column("a", ot.Integer), os_.Column("b", ot.Integer))
    with pytest.raises(exc.ArgumentError, match="Specify replace_existing=True"):
        t.append_column(os_.Column("a", ot.String))
    t.append_column(os_.Column("a", ot.String), replace_existing=True)
    assert [c.name for c in t.c] == ["a", "b"] and isinstance(t.c.a.type, ot.String)
    t.insert_column(os_.Column("z", ot.Integer), 0)
    assert [c.name for c in t.c] == ["z", "a", "b"]


def test_columns_collection() -> None:
    m = os_.MetaData()
    t = os_.Table("t", m, os_.Column("id", ot.Integer, primary_key=True),
                  os_.Column("x", ot.Integer, key="xk"))
    assert t.c.xk.name == "x" and t.c["xk"] is t.columns.xk
    assert t.c.keys() == ["id", "xk"]
    assert "xk" in t.c and "x" not in t.c
    with pytest.raises(AttributeError):
        t.c.x  # noqa: B018
    col = os_.Column("y", ot.Integer)
    t.append_column(col)
    assert t.c.y is col and col.table is t


# -- Column ------------------------------------------------------------------------------------


def test_column_defaults_and_flags_match_sqlalchemy() -> None:
    def build(S: Any, T: Any) -> list:
        cols = [
            S.Column("a", T.Integer, primary_key=True),
            S.Column("b", T.Integer),
            S.Column("c", T.Integer, nullable=True, primary_key=True),
            S.Column("d", T.String(5), default="x", onupdate="y"),
            S.Column("e", T.Integer, S.Identity()),
            S.Column("f", T.Integer, server_default="5"),
            S.Column("g", T.Integer, key="gee", unique=True, index=True, doc="doc", comment="c"),
            S.Column("h", T.Integer, insert_default=3),
        ]
        return [
            (c.name, c.key, c.primary_key, c.nullable, c.unique, c.index, c.doc, c.comment,
             c.autoincrement, repr(c.default), repr(c.onupdate),
             type(c.server_default).__name__, c.system)
            for c in cols
        ]

    assert build(os_, ot) == build(sa_schema, sa_types)


def test_column_repr_matches_sqlalchemy() -> None:
    def build(S: Any, T: Any) -> str:
        m = S.MetaData()
        S.Table("p", m, S.Column("id", T.Integer, primary_key=True))
        t = S.Table(
            "t", m,
            S.Column("id", T.Integer, primary_key=True),
            S.Column("x", T.Integer, key="xk", default=5, nullable=False),
            S.Column("pid", T.Integer, S.ForeignKey("p.id")),
            S.Column("s", T.String(5), server_default="a", comment="hi"),
        )
        return repr(t)

    assert build(os_, ot) == build(sa_schema, sa_types)


def test_callable_defaults_take_zero_or_one_argument() -> None:
    assert os_.Column("x", default=lambda: 5).default.arg(None) == 5
    assert os_.Column("x", default=lambda ctx: ctx).default.arg(7) == 7
    assert os_.Column("x", default=dict).default.arg(None) == {}
    with pytest.raises(exc.ArgumentError, match="takes zero or one positional arguments"):
        os_.Column("x", default=lambda a, b: 1)
    with pytest.raises(exc.ArgumentError, match="ColumnDefault may not be a server-side default"):
        os_.ColumnDefault(os_.FetchedValue())


def test_server_default_must_be_text_or_expression() -> None:
    oc = _outcome(lambda: os_.Column("x", ot.Integer, server_default=5))
    sa_outcome = _outcome(lambda: sa_schema.Column("x", sa_types.Integer, server_default=5))
    assert oc == sa_outcome
    col = os_.Column("x", ot.Integer, server_default=text("now()"), server_onupdate=os_.FetchedValue())
    assert isinstance(col.server_default, os_.DefaultClause)
    assert col.server_onupdate.for_update is True


def test_column_name_and_type_positional_rules() -> None:
    assert os_.Column(ot.Integer).name is None
    with pytest.raises(exc.ArgumentError, match="May not pass name positionally and as a keyword"):
        os_.Column("a", name="b")
    with pytest.raises(exc.ArgumentError, match="May not pass type_ positionally and as a keyword"):
        os_.Column("a", ot.Integer, type_=ot.String)
    with pytest.raises(exc.ArgumentError, match="non-blank name"):
        os_.Table("t", os_.MetaData(), os_.Column(ot.Integer))


def test_column_copy_is_unattached_and_equivalent() -> None:
    m = os_.MetaData()
    orig = os_.Column("x", ot.Enum("a", "b", name="e"), os_.ForeignKey("o.id"),
                      os_.CheckConstraint("x > 0"), default=5, info={"k": 1}, unique=True)
    copy = orig._copy()
    assert copy is not orig and copy.table is None
    assert copy.name == "x" and copy.unique and copy.info == {"k": 1}
    assert repr(copy.default) == repr(orig.default)
    assert copy.type is not orig.type and copy.type.enums == ["a", "b"]
    assert [fk.target_fullname for fk in copy.foreign_keys] == ["o.id"]
    assert len(copy.constraints) == 1
    os_.Table("t", m, copy)
    assert orig.table is None


# -- foreign keys ------------------------------------------------------------------------------


def test_foreign_key_resolves_in_any_order_and_types_the_column() -> None:
    m = os_.MetaData()
    child = os_.Table("child", m, os_.Column("pid", os_.ForeignKey("parent.id")))
    (fk,) = child.c.pid.foreign_keys
    assert isinstance(child.c.pid.type, ot.NullType)
    parent = os_.Table("parent", m, os_.Column("id", ot.BigInteger, primary_key=True))
    assert fk.column is parent.c.id
    assert isinstance(child.c.pid.type, ot.BigInteger)
    assert fk.references(parent) and not fk.references(child)
    assert fk.get_referent(parent) is parent.c.id
    assert child.c.pid.references(parent.c.id)
    assert fk.constraint.referred_table is parent
    assert child.foreign_key_constraints == {fk.constraint}
    assert fk.target_fullname == "parent.id"


def test_foreign_key_to_column_object_and_schema() -> None:
    m = os_.MetaData()
    parent = os_.Table("p", m, os_.Column("id", ot.Integer, primary_key=True), schema="s")
    child = os_.Table("c", m, os_.Column("pid", os_.ForeignKey(parent.c.id)),
                      os_.Column("pid2", os_.ForeignKey("s.p.id")))
    assert child.c.pid.type._type_affinity is ot.Integer
    assert [fk.column for fk in child.c.pid2.foreign_keys] == [parent.c.id]
    assert [fk.target_fullname for fk in child.c.pid.foreign_keys] == ["s.p.id"]


@pytest.mark.parametrize("target", ["nope.id", "v.nope"])
def test_foreign_key_errors_match_sqlalchemy(target: str) -> None:
    def build(S: Any, T: Any, E: Any) -> Any:
        m = S.MetaData()
        S.Table("v", m, S.Column("id", T.Integer, primary_key=True))
        w = S.Table("w", m, S.Column("a", S.ForeignKey(target)))
        (fk,) = w.c.a.foreign_keys
        try:
            fk.column  # noqa: B018
        except E.NoReferenceError as err:
            return type(err).__name__, str(err), getattr(err, "table_name", None)
        return None

    assert build(os_, ot, exc) == build(sa_schema, sa_types, sa_exc)


def test_composite_foreign_key_constraint() -> None:
    m = os_.MetaData()
    os_.Table("p", m, os_.Column("a", ot.Integer, primary_key=True),
              os_.Column("b", ot.String(3), primary_key=True))
    c = os_.Table("c", m, os_.Column("x", ot.Integer), os_.Column("y", ot.String(3)),
                  os_.ForeignKeyConstraint(["x", "y"], ["p.a", "p.b"], name="fk_xy", ondelete="CASCADE"))
    (fkc,) = c.foreign_key_constraints
    assert fkc.column_keys == ["x", "y"] and fkc.name == "fk_xy"
    assert [fk.column.name for fk in fkc.elements] == ["a", "b"]
    assert {fk.parent.name for fk in c.foreign_keys} == {"x", "y"}
    with pytest.raises(exc.ArgumentError, match="must match the number of referenced columns"):
        os_.ForeignKeyConstraint(["x", "y"], ["p.a"])


# -- primary keys and autoincrement ------------------------------------------------------------


def test_explicit_primary_key_constraint() -> None:
    m = os_.MetaData()
    t = os_.Table("t", m, os_.Column("a", ot.Integer), os_.Column("b", ot.Integer),
                  os_.PrimaryKeyConstraint("a", "b", name="pk_t"))
    assert [c.name for c in t.primary_key.columns] == ["a", "b"]
    assert t.c.a.primary_key and not t.c.a.nullable and t.primary_key.name == "pk_t"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(exc.SAWarning, match="specifies columns 'a' as primary_key=True"):
            os_.Table("u", m, os_.Column("a", ot.Integer, primary_key=True),
                      os_.Column("b", ot.Integer), os_.PrimaryKeyConstraint("b"))


AUTOINC_CASES = {
    "int-pk": lambda S, T: [S.Column("id", T.Integer, primary_key=True)],
    "bigint-pk": lambda S, T: [S.Column("id", T.BigInteger, primary_key=True)],
    "string-pk": lambda S, T: [S.Column("id", T.String(5), primary_key=True)],
    "composite": lambda S, T: [S.Column("a", T.Integer, primary_key=True),
                               S.Column("b", T.Integer, primary_key=True)],
    "composite-marked": lambda S, T: [S.Column("a", T.Integer, primary_key=True),
                                      S.Column("b", T.Integer, primary_key=True, autoincrement=True)],
    "fk": lambda S, T: [S.Column("id", T.Integer, S.ForeignKey("o.id"), primary_key=True)],
    "fk-ignore": lambda S, T: [S.Column("id", T.Integer, S.ForeignKey("o.id"), primary_key=True,
                                        autoincrement="ignore_fk")],
    "default": lambda S, T: [S.Column("id", T.Integer, primary_key=True, default=5)],
    "sequence": lambda S, T: [S.Column("id", T.Integer, S.Sequence("s"), primary_key=True)],
    "server-default": lambda S, T: [S.Column("id", T.Integer, primary_key=True, server_default="1")],
    "identity": lambda S, T: [S.Column("id", T.Integer, S.Identity(), primary_key=True)],
    "false": lambda S, T: [S.Column("id", T.Integer, primary_key=True, autoincrement=False)],
    "numeric": lambda S, T: [S.Column("id", T.Numeric(10, 0), primary_key=True)],
    "string-true": lambda S, T: [S.Column("id", T.String(5), primary_key=True, autoincrement=True)],
    "no-pk": lambda S, T: [S.Column("id", T.Integer)],
}


@pytest.mark.parametrize("case", list(AUTOINC_CASES))
def test_autoincrement_column_matches_sqlalchemy(case: str) -> None:
    def build(S: Any, T: Any) -> Any:
        m = S.MetaData()
        S.Table("o", m, S.Column("id", T.Integer, primary_key=True))
        t = S.Table("t", m, *AUTOINC_CASES[case](S, T))
        return _outcome(lambda: getattr(t.autoincrement_column, "name", None))

    assert build(os_, ot) == build(sa_schema, sa_types)


# -- indexes and constraints -------------------------------------------------------------------


def test_index_attaches_to_the_table_of_its_columns() -> None:
    m = os_.MetaData()
    t = os_.Table("t", m, os_.Column("a", ot.Integer), os_.Column("b", ot.Integer))
    ix = os_.Index("ix_ab", t.c.a, t.c.b, unique=True)
    assert ix.table is t and ix in t.indexes
    assert [c.name for c in ix.columns] == ["a", "b"]
    by_name = os_.Index("ix_b", "b")
    t.append_constraint(by_name)
    assert by_name.table is t and by_name.expressions == [t.c.b]
    other = os_.Table("o", m, os_.Column("a", ot.Integer))
    with pytest.raises(exc.ArgumentError, match="cannot be associated with table 'o'"):
        other.append_constraint(ix)


def test_column_flags_create_index_and_unique_constraint() -> None:
    def build(S: Any, T: Any) -> Any:
        m = S.MetaData()
        t = S.Table("t", m, S.Column("a", T.Integer, index=True), S.Column("b", T.Integer, unique=True),
                    S.Column("c", T.Integer, index=True, unique=True), schema="s")
        return (
            sorted((i.name, i.unique, [c.name for c in i.columns]) for i in t.indexes),
            sorted(type(c).__name__ for c in t.constraints),
        )

    assert build(os_, ot) == build(sa_schema, sa_types)
    with pytest.raises(exc.ArgumentError, match="'index' keyword argument on Column is boolean only"):
        os_.Table("t", os_.MetaData(), os_.Column("a", ot.Integer, index="ix_a"))


def test_constraint_needs_a_table() -> None:
    with pytest.raises(exc.InvalidRequestError, match="This constraint is not bound to a table"):
        os_.UniqueConstraint("a").table  # noqa: B018


def test_column_level_check_constraint() -> None:
    m = os_.MetaData()
    t = os_.Table("t", m, os_.Column("x", ot.Integer, os_.CheckConstraint("x > 0", name="xpos")))
    (ck,) = t.c.x.constraints
    assert ck.is_column_level and ck.table is t
    assert ck not in t.constraints


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def test_naming_convention_names_match_sqlalchemy() -> None:
    def build(S: Any, T: Any) -> Any:
        m = S.MetaData(naming_convention=NAMING)
        S.Table("p", m, S.Column("id", T.Integer, primary_key=True), schema="s")
        t = S.Table(
            "t", m,
            S.Column("id", T.Integer, primary_key=True),
            S.Column("x", T.Integer, S.CheckConstraint("x > 0", name="xpos"), index=True),
            S.Column("y", T.Integer, S.ForeignKey("s.p.id"), unique=True),
            S.UniqueConstraint("x", "y"),
            S.CheckConstraint("x < 100", name="small"),
            schema="s",
        )
        return (
            sorted((type(c).__name__, str(c.name)) for c in t.constraints),
            sorted(str(i.name) for i in t.indexes),
            [str(c.name) for c in t.c.x.constraints],
        )

    assert build(os_, ot) == build(sa_schema, sa_types)


def test_naming_convention_requires_constraint_name() -> None:
    m = os_.MetaData(naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"})
    with pytest.raises(exc.InvalidRequestError, match="requires that constraint is explicitly named"):
        os_.Table("t", m, os_.Column("x", ot.Integer), os_.CheckConstraint("x > 0"))


def test_naming_convention_callable_token() -> None:
    m = os_.MetaData(naming_convention={
        "custom": lambda const, table: "zz",
        "uq": "uq_%(custom)s_%(column_0_name)s",
    })
    t = os_.Table("t", m, os_.Column("a", ot.Integer), os_.UniqueConstraint("a"))
    assert [c.name for c in t.constraints if isinstance(c, os_.UniqueConstraint)] == ["uq_zz_a"]


# -- sorting -----------------------------------------------------------------------------------


def _sorting_schema(S: Any, T: Any, cycle: bool) -> Any:
    m = S.MetaData()
    S.Table("d", m, S.Column("id", T.Integer, primary_key=True),
            S.Column("cid", T.Integer, S.ForeignKey("c.id")))
    S.Table("c", m, S.Column("id", T.Integer, primary_key=True),
            S.Column("aid", T.Integer, S.ForeignKey("a.id")),
            S.Column("bid", T.Integer, S.ForeignKey("b.id")))
    S.Table("b", m, S.Column("id", T.Integer, primary_key=True),
            S.Column("parent", T.Integer, S.ForeignKey("b.id")))
    S.Table("a", m, S.Column("id", T.Integer, primary_key=True),
            *([S.Column("did", T.Integer, S.ForeignKey("d.id"))] if cycle else []))
    S.Table("e", m, S.Column("id", T.Integer, primary_key=True))
    return m


def test_sorted_tables_match_sqlalchemy() -> None:
    ours = [t.name for t in _sorting_schema(os_, ot, False).sorted_tables]
    theirs = [t.name for t in _sorting_schema(sa_schema, sa_types, False).sorted_tables]
    assert ours == theirs


def test_sorted_tables_with_cycle_warns_as_sqlalchemy() -> None:
    with pytest.warns(exc.SAWarning) as ours_warned:
        ours = [t.name for t in _sorting_schema(os_, ot, True).sorted_tables]
    with pytest.warns(sa_exc.SAWarning) as theirs_warned:
        theirs = [t.name for t in _sorting_schema(sa_schema, sa_types, True).sorted_tables]
    assert ours == theirs
    assert str(ours_warned[0].message) == str(theirs_warned[0].message)


def test_sort_tables_and_constraints_moves_cycle_fks_last() -> None:
    m = _sorting_schema(os_, ot, True)
    result = os_.sort_tables_and_constraints(m.tables.values())
    assert result[-1][0] is None
    moved = {fkc.elements[0].parent.table.name for fkc in result[-1][1]}
    theirs = sa_schema.sort_tables_and_constraints(
        _sorting_schema(sa_schema, sa_types, True).tables.values()
    )
    assert moved == {fkc.elements[0].parent.table.name for fkc in theirs[-1][1]}
    assert [t.name for t, _ in result[:-1]] == [t.name for t, _ in theirs[:-1]]


# -- to_metadata -------------------------------------------------------------------------------


def test_to_metadata_copies_everything() -> None:
    from ormcore.dialects.sqlite.pysqlite import dialect as OcSQLite

    m = os_.MetaData()
    parent = os_.Table("p", m, os_.Column("id", ot.Integer, primary_key=True))
    t = os_.Table(
        "t", m,
        os_.Column("id", ot.Integer, primary_key=True),
        os_.Column("pid", ot.Integer, os_.ForeignKey("p.id", ondelete="CASCADE")),
        os_.Column("x", ot.String(10), index=True, unique=True, server_default="a"),
        os_.Column("b", ot.Boolean(create_constraint=True)),
        os_.UniqueConstraint("pid", "x", name="uq_px"),
        os_.CheckConstraint("id > 0", name="ck_id"),
        os_.Index("ix_px", "pid", "x"),
        sqlite_autoincrement=True,
        comment="table",
    )
    m2 = os_.MetaData()
    parent.to_metadata(m2)
    copy = t.to_metadata(m2)
    assert m2.tables["t"] is copy and copy is not t
    dialect = OcSQLite()

    def ddl_lines(table: Any) -> list:
        # constraints of a copy may come in another order (SQLAlchemy copies them from a set)
        text = str(os_.CreateTable(table).compile(dialect=dialect))
        return sorted(line.strip().rstrip(",") for line in text.splitlines())

    assert ddl_lines(copy) == ddl_lines(t)
    assert sorted(i.name for i in copy.indexes) == sorted(i.name for i in t.indexes)
    assert copy.comment == "table" and copy.kwargs == {"sqlite_autoincrement": True}
    with pytest.warns(exc.SAWarning, match="already exists within the given MetaData"):
        assert t.to_metadata(m2) is copy
    in_schema = t.to_metadata(os_.MetaData(), schema="other")
    assert in_schema.fullname == "other.t"
    assert [fk.target_fullname for fk in in_schema.foreign_keys] == ["other.p.id"]


def test_tometadata_is_deprecated() -> None:
    m = os_.MetaData()
    t = os_.Table("t", m, os_.Column("id", ot.Integer))
    with pytest.warns(exc.SADeprecationWarning):
        t.tometadata(os_.MetaData())


# -- sequences, identity, computed -------------------------------------------------------------


def test_sequence_as_column_default() -> None:
    m = os_.MetaData()
    seq = os_.Sequence("t_id_seq", start=5, increment=2)
    t = os_.Table("t", m, os_.Column("id", ot.Integer, seq, primary_key=True))
    assert t.c.id.default is seq and seq.column is t.c.id
    assert m._sequences == {"t_id_seq": seq}
    assert repr(seq) == repr(sa_schema.Sequence("t_id_seq", start=5, increment=2))
    assert seq.next_value().type._type_affinity is ot.Integer


def test_identity_and_computed() -> None:
    t = os_.Table("t", os_.MetaData(), os_.Column("id", ot.Integer, os_.Identity(start=3)),
                  os_.Column("c", ot.Integer, os_.Computed("id + 1")))
    assert t.c.id.identity.start == 3 and not t.c.id.nullable
    assert t.c.id.server_default is t.c.id.identity
    assert t.c.c.computed is t.c.c.server_default
    with pytest.raises(exc.ArgumentError, match="cannot specify a server_default"):
        os_.Column("x", ot.Integer, os_.Identity(), server_default="1")


def test_info_dictionaries() -> None:
    m = os_.MetaData(info={"m": 1})
    t = os_.Table("t", m, os_.Column("a", ot.Integer, info={"c": 2}), info={"t": 3})
    assert m.info == {"m": 1} and t.c.a.info == {"c": 2} and t.info == {"t": 3}
    assert os_.Index("ix", t.c.a).info == {}


def test_dialect_kwargs() -> None:
    t = os_.Table("t", os_.MetaData(), os_.Column("a", ot.Integer), sqlite_autoincrement=True)
    assert t.dialect_kwargs == {"sqlite_autoincrement": True}
    assert t.dialect_options["sqlite"]["autoincrement"] is True
    with pytest.raises(TypeError, match="Additional arguments should be named"):
        os_.Table("u", os_.MetaData(), os_.Column("a", ot.Integer), bogus=1)


def test_dialect_adaptation_does_not_register_types_in_metadata() -> None:
    from ormcore.dialects.postgresql.psycopg2 import dialect as OcPG

    m = os_.MetaData()
    status = ot.Enum("a", "b", name="status")
    t = os_.Table("t", m, os_.Column("s", status))
    os_.CreateTable(t).compile(dialect=OcPG())
    status.dialect_impl(OcPG())
    assert m._objects == [status]
    copy = t.c.s._copy()
    assert copy.type is not status and copy.type.name == "status"


def test_facades_export_sqlalchemy_names() -> None:
    for name in os_.__all__:
        assert hasattr(sa_schema, name), name
    for name in ot.__all__:
        assert hasattr(sa_types, name), name
    for name in ("Table", "Column", "MetaData", "ForeignKey", "Index", "UniqueConstraint",
                 "CheckConstraint", "PrimaryKeyConstraint", "ForeignKeyConstraint", "Sequence",
                 "DDL", "CreateTable", "DropTable", "BLANK_SCHEMA"):
        assert name in os_.__all__
