"""DDL: the SQL text of CREATE/DROP statements, and create_all/drop_all against real databases.

Compile tests build the same schema with both libraries and compare the DDL strings for the
SQLite and PostgreSQL dialects. Engine tests run on every configured backend (the `engine`
fixture of tests/conftest.py) and, where SQLAlchemy's statements are the reference, run
SQLAlchemy's create_all on the same database and compare the statements each emitted.
"""

from __future__ import annotations

import enum
import warnings
from typing import Any
from typing import Callable

import pytest

import ormcore.schema as os_
import ormcore.types as ot
from ormcore import event
from ormcore import exc
from ormcore import text
from ormcore.dialects.postgresql import types as oc_pg_types
from ormcore.dialects.postgresql.psycopg2 import dialect as OcPG
from ormcore.dialects.sqlite.pysqlite import dialect as OcSQLite

sa = pytest.importorskip("sqlalchemy")
sa_schema = pytest.importorskip("sqlalchemy.schema")
sa_types = pytest.importorskip("sqlalchemy.types")
sa_exc = pytest.importorskip("sqlalchemy.exc")
from sqlalchemy.dialects import postgresql as sa_pg  # noqa: E402
from sqlalchemy.dialects import sqlite as sa_sqlite  # noqa: E402


class Status(enum.Enum):
    draft = 1
    published = 2


def _full_schema(S: Any, T: Any, PG: Any, with_pg_types: bool) -> Any:
    """Many kinds of columns, constraints and hostile names in one MetaData."""
    m = S.MetaData()
    S.Table(
        "a", m,
        S.Column("id", T.Integer, primary_key=True),
        S.Column("name", T.String(50), nullable=False, server_default="it's 50%"),
        S.Column("status", T.Enum(Status)),
        S.Column("kind", T.Enum("x", "yy", name="kind_enum", create_constraint=True)),
        S.Column("flag", T.Boolean(create_constraint=True, name="flag_ck")),
        S.Column("u", T.Uuid),
        S.Column("doc", T.JSON),
        S.Column("amount", T.Numeric(10, 2), index=True, unique=True),
        S.Column("ratio", T.Float(5)),
        S.Column("at", T.DateTime(timezone=True), server_default=text_of(S, "CURRENT_TIMESTAMP")),
        S.Column("span", T.Interval),
        S.Column("blob", T.LargeBinary),
        S.Column("body", T.Text, unique=True),
        S.Column("d", T.Double),
        S.Column("coll", T.String(20, collation="C")),
        S.UniqueConstraint("name", "status"),
        S.CheckConstraint("id > 5", name="ck1"),
        comment="the a table",
    )
    S.Table(
        "select", m,
        S.Column("id", T.BigInteger, primary_key=True),
        S.Column('weird "name"; drop', T.Integer, S.ForeignKey("a.id", ondelete="CASCADE")),
        S.Column("x", T.SmallInteger, primary_key=True),
        S.Column("Mixed", T.Integer, S.CheckConstraint('"Mixed" > 0', name="Mixed Check")),
        schema="Sch",
    )
    S.Table(
        "c", m,
        S.Column("id", T.Integer, primary_key=True),
        S.Column("aid", S.ForeignKey("a.id", onupdate="SET NULL", deferrable=True, initially="DEFERRED")),
        S.Column("seq", T.Integer, S.Sequence("c_seq", start=3, increment=2)),
        S.Column("ident", T.Integer, S.Identity(always=True, start=10)),
        S.Column("comp", T.Integer, S.Computed("id + 1", persisted=True)),
        S.Index("ix_c_multi", "aid", "seq", unique=True),
        sqlite_autoincrement=True,
    )
    S.Table(
        "d", m,
        S.Column("a", T.Integer, primary_key=True),
        S.Column("b", T.String(3), primary_key=True),
        S.Column("small", T.SmallInteger),
        S.ForeignKeyConstraint(["small", "b"], ["c.id", "c.seq"], name="fk_d_c", use_alter=True),
        S.PrimaryKeyConstraint("b", "a", name="pk_d"),
        schema="s",
    )
    if with_pg_types:
        S.Table("e", m, S.Column("id", T.SmallInteger, primary_key=True),
                S.Column("p", PG.ARRAY(T.Integer)), S.Column("j", PG.JSONB))
    return m


def text_of(S: Any, sql: str) -> Any:
    return text(sql) if S is os_ else sa.text(sql)


def _compile_all(S: Any, T: Any, PG: Any, dialect: Any) -> list:
    m = _full_schema(S, T, PG, dialect.name == "postgresql")
    out = []
    for table in m.sorted_tables:
        out.append(str(S.CreateTable(table).compile(dialect=dialect)))
        out.append(str(S.CreateTable(table, if_not_exists=True).compile(dialect=dialect)))
        for index in sorted(table.indexes, key=lambda i: i.name):
            out.append(str(S.CreateIndex(index).compile(dialect=dialect)))
            out.append(str(S.DropIndex(index, if_exists=True).compile(dialect=dialect)))
        for const in sorted(table.foreign_key_constraints, key=lambda c: str(c.name)):
            if const.name is not None:
                out.append(str(S.AddConstraint(const).compile(dialect=dialect)))
                out.append(str(S.DropConstraint(const, cascade=True).compile(dialect=dialect)))
        out.append(str(S.DropTable(table, if_exists=True).compile(dialect=dialect)))
    return out


@pytest.mark.parametrize("dialect_name", ["sqlite", "postgresql"])
def test_ddl_text_matches_sqlalchemy(dialect_name: str) -> None:
    if dialect_name == "sqlite":
        ours = _compile_all(os_, ot, oc_pg_types, OcSQLite())
        theirs = _compile_all(sa_schema, sa_types, sa_pg, sa_sqlite.pysqlite.dialect())
    else:
        dialect = OcPG()
        dialect.server_version_info = (18, 0)  # PG 18 renders generated columns without STORED
        sa_dialect = sa_pg.psycopg2.dialect()
        ours = _compile_all(os_, ot, oc_pg_types, dialect)
        theirs = _compile_all(sa_schema, sa_types, sa_pg, sa_dialect)
    assert ours == theirs


def test_hostile_identifiers_are_quoted_not_pasted() -> None:
    m = os_.MetaData()
    t = os_.Table('weird "name"; drop', m, os_.Column("select", ot.Integer, primary_key=True),
                  os_.Column("2col", ot.Integer), os_.Column("$x", ot.Integer),
                  os_.Column("Upper", ot.Integer), schema="my schema")
    sql = str(os_.CreateTable(t).compile(dialect=OcSQLite()))
    assert 'CREATE TABLE "my schema"."weird ""name""; drop" (' in sql
    for name in ('"select"', '"2col"', '"$x"', '"Upper"'):
        assert name in sql
    pg_sql = str(os_.CreateTable(t).compile(dialect=OcPG()))
    assert '"select" SERIAL NOT NULL' in pg_sql


@pytest.mark.parametrize("words", ["generic", "sqlite", "postgresql"])
def test_reserved_words_match_sqlalchemy(words: str) -> None:
    from sqlalchemy.dialects.postgresql import base as sa_pg_base
    from sqlalchemy.dialects.sqlite import base as sa_sqlite_base
    from sqlalchemy.sql import compiler as sa_compiler

    from ormcore.dialects.postgresql.ddl import PGIdentifierPreparer
    from ormcore.dialects.sqlite.ddl import SQLiteIdentifierPreparer
    from ormcore.sql import identifiers

    ours, theirs = {
        "generic": (identifiers.RESERVED_WORDS, sa_compiler.RESERVED_WORDS),
        "sqlite": (SQLiteIdentifierPreparer.reserved_words,
                   sa_sqlite_base.SQLiteIdentifierPreparer.reserved_words),
        "postgresql": (PGIdentifierPreparer.reserved_words, sa_pg_base.RESERVED_WORDS),
    }[words]
    assert set(ours) == set(theirs)


def test_quoting_rules() -> None:
    preparer = OcSQLite().identifier_preparer
    assert preparer.quote("plain_name") == "plain_name"
    assert preparer.quote("table") == '"table"'
    assert preparer.quote("CamelCase") == '"CamelCase"'
    assert preparer.quote("9lives") == '"9lives"'
    assert preparer.quote('a"b') == '"a""b"'
    assert preparer.quote("with space") == '"with space"'
    assert preparer.quote("") == '""'
    assert OcPG().identifier_preparer.quote("50%") == '"50%%"'  # pyformat doubles percents
    from ormcore.sql.identifiers import quoted_name

    assert preparer.quote(quoted_name("lower", True)) == '"lower"'
    assert preparer.quote(quoted_name("Upper", False)) == "Upper"


def test_raw_ddl_and_schemas() -> None:
    sqlite_dialect, pg_dialect = OcSQLite(), OcPG()
    sa_sqlite_dialect, sa_pg_dialect = sa_sqlite.pysqlite.dialect(), sa_pg.psycopg2.dialect()
    pairs: list[tuple[Callable[[Any], Any], ...]] = [
        (lambda S: S.DDL("select 5 %% 2"),),
        (lambda S: S.CreateSchema("my schema", if_not_exists=True),),
        (lambda S: S.DropSchema("Sch", cascade=True, if_exists=True),),
        (lambda S: S.CreateSequence(S.Sequence("s", start=1, increment=5, minvalue=1, maxvalue=100,
                                               cycle=True, cache=3, schema="x")),),
        (lambda S: S.DropSequence(S.Sequence("s", schema="x")),),
    ]
    for (build,) in pairs:
        assert str(build(os_).compile(dialect=sqlite_dialect)) == str(
            build(sa_schema).compile(dialect=sa_sqlite_dialect)
        )
        assert str(build(os_).compile(dialect=pg_dialect)) == str(
            build(sa_schema).compile(dialect=sa_pg_dialect)
        )


def test_raw_ddl_against_a_table() -> None:
    m = os_.MetaData()
    t = os_.Table("order", m, os_.Column("id", ot.Integer), schema="app")
    ddl = os_.DDL("ALTER TABLE %(fullname)s ADD x INT -- %(table)s in %(schema)s").against(t)
    assert str(ddl.compile(dialect=OcSQLite())) == (
        'ALTER TABLE app."order" ADD x INT -- "order" in app'
    )


def test_comments_on_postgresql() -> None:
    def build(S: Any, T: Any) -> Any:
        m = S.MetaData()
        return S.Table("t", m, S.Column("a", T.Integer, comment="it's a"), comment="tbl")

    ours, theirs = build(os_, ot), build(sa_schema, sa_types)
    dialect, sa_dialect = OcPG(), sa_pg.psycopg2.dialect()
    assert str(os_.SetTableComment(ours).compile(dialect=dialect)) == str(
        sa_schema.SetTableComment(theirs).compile(dialect=sa_dialect)
    )
    assert str(os_.SetColumnComment(ours.c.a).compile(dialect=dialect)) == str(
        sa_schema.SetColumnComment(theirs.c.a).compile(dialect=sa_dialect)
    )


def test_enum_type_ddl_on_postgresql() -> None:
    from ormcore.dialects.postgresql.ddl import CreateEnumType
    from ormcore.dialects.postgresql.ddl import DropEnumType
    from sqlalchemy.dialects.postgresql.named_types import CreateEnumType as SACreateEnumType
    from sqlalchemy.dialects.postgresql.named_types import DropEnumType as SADropEnumType

    ours = oc_pg_types.ENUM("a", "it's", "50%", name="My Enum", schema="s")
    theirs = sa_pg.ENUM("a", "it's", "50%", name="My Enum", schema="s")
    dialect, sa_dialect = OcPG(), sa_pg.psycopg2.dialect()
    assert str(CreateEnumType(ours).compile(dialect=dialect)) == str(
        SACreateEnumType(theirs).compile(dialect=sa_dialect)
    )
    assert str(DropEnumType(ours).compile(dialect=dialect)) == str(
        SADropEnumType(theirs).compile(dialect=sa_dialect)
    )


def test_index_where_clauses() -> None:
    def build(S: Any, T: Any) -> Any:
        m = S.MetaData()
        t = S.Table("t", m, S.Column("a", T.Integer), S.Column("b", T.Integer))
        return [
            S.Index("ix_w", t.c.a, sqlite_where=text_of(S, "b > 0"), postgresql_where=text_of(S, "b > 0")),
            S.Index("ix_u", t.c.a, t.c.b, postgresql_using="gin", postgresql_ops={"a": "int4_ops"}),
            S.Index("ix_c", t.c.a, postgresql_concurrently=True),
            S.Index("ix_e", text_of(S, "lower(b)"), _table=t) if S is os_
            else S.Index("ix_e", sa.text("lower(b)"), _table=t),
        ]

    for dialect, sa_dialect in ((OcSQLite(), sa_sqlite.pysqlite.dialect()),
                                (OcPG(), sa_pg.psycopg2.dialect())):
        for ours, theirs in zip(build(os_, ot), build(sa_schema, sa_types)):
            for kind, sa_kind in ((os_.CreateIndex, sa_schema.CreateIndex),
                                  (os_.DropIndex, sa_schema.DropIndex)):
                assert str(kind(ours).compile(dialect=dialect)) == str(
                    sa_kind(theirs).compile(dialect=sa_dialect)
                )


def test_compile_errors() -> None:
    m = os_.MetaData()
    t = os_.Table("t", m, os_.Column("a"), os_.Column("b", ot.Integer))
    with pytest.raises(exc.CompileError, match=r"\(in table 't', column 'a'\): Can't generate DDL"):
        os_.CreateTable(t).compile(dialect=OcSQLite())
    no_ix_convention = os_.MetaData(naming_convention={"pk": "pk_%(table_name)s"})
    other = os_.Table("o", no_ix_convention, os_.Column("b", ot.Integer))
    with pytest.raises(exc.CompileError, match="CREATE INDEX requires that the index have a name"):
        os_.CreateIndex(os_.Index(None, other.c.b)).compile(dialect=OcSQLite())
    unnamed = os_.UniqueConstraint(t.c.b)
    with pytest.raises(exc.CompileError, match="it has no name"):
        os_.DropConstraint(unnamed).compile(dialect=OcPG())
    bad = os_.Table("u", m, os_.Column("a", ot.Integer, os_.ForeignKey("t.b", ondelete="CASCADE; DROP TABLE x")))
    with pytest.raises(exc.CompileError, match="Unexpected SQL phrase"):
        os_.CreateTable(bad).compile(dialect=OcSQLite())


def test_identifier_too_long_for_postgresql() -> None:
    m = os_.MetaData()
    long_name = "c" * 70
    t = os_.Table("t", m, os_.Column("a", ot.Integer), os_.UniqueConstraint("a", name=long_name))
    with pytest.raises(exc.IdentifierError, match="exceeds maximum length of 63 characters"):
        os_.CreateTable(t).compile(dialect=OcPG())
    conv_m = os_.MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"})
    long_t = os_.Table("t" * 40, conv_m, os_.Column("a" * 40, ot.Integer), os_.UniqueConstraint("a" * 40))
    sql = str(os_.CreateTable(long_t).compile(dialect=OcPG()))
    sa_m = sa_schema.MetaData(naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"})
    sa_t = sa_schema.Table("t" * 40, sa_m, sa_schema.Column("a" * 40, sa_types.Integer),
                           sa_schema.UniqueConstraint("a" * 40))
    assert sql == str(sa_schema.CreateTable(sa_t).compile(dialect=sa_pg.psycopg2.dialect()))


# -- against real databases --------------------------------------------------------------------


def _capture(engine: Any) -> list:
    """The DDL statements an engine runs (existence checks excluded)."""
    seen: list = []

    def record(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: Any) -> None:
        head = statement.lstrip().split(None, 1)[0].upper()
        if head in ("CREATE", "DROP", "ALTER", "COMMENT"):
            seen.append(statement.strip())

    event.listen(engine, "before_cursor_execute", record)
    return seen


def _sa_capture(engine: Any) -> list:
    seen: list = []

    def record(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: Any) -> None:
        head = statement.lstrip().split(None, 1)[0].upper()
        if head in ("CREATE", "DROP", "ALTER", "COMMENT"):
            seen.append(statement.strip())

    sa.event.listen(engine, "before_cursor_execute", record)
    return seen


def _app_schema(S: Any, T: Any) -> Any:
    m = S.MetaData()
    S.Table("users", m, S.Column("id", T.Integer, primary_key=True),
            S.Column("name", T.String(40), nullable=False, index=True),
            S.Column("status", T.Enum(Status)),
            S.Column("email", T.String(100), unique=True))
    S.Table("posts", m, S.Column("id", T.Integer, primary_key=True),
            S.Column("user_id", T.Integer, S.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
            S.Column("title", T.String(200), server_default="untitled"),
            S.Column("parent_id", T.Integer, S.ForeignKey("posts.id")))
    S.Table("tags", m, S.Column("id", T.Integer, primary_key=True), S.Column("label", T.Text))
    S.Table("post_tags", m,
            S.Column("post_id", T.Integer, S.ForeignKey("posts.id"), primary_key=True),
            S.Column("tag_id", T.Integer, S.ForeignKey("tags.id"), primary_key=True))
    S.Table("select", m, S.Column("id", T.Integer, primary_key=True),
            S.Column('weird "name"; drop', T.Integer, S.ForeignKey("users.id")))
    return m


def _statement_shape(statements: list) -> list:
    # index statements follow their table in both, but SQLAlchemy orders a table's indexes by
    # set iteration; compare each table's group sorted
    groups: list = []
    for stmt in statements:
        if stmt.startswith("CREATE INDEX") or stmt.startswith("CREATE UNIQUE INDEX"):
            groups[-1].append(stmt)
        else:
            groups.append([stmt])
    return [g[:1] + sorted(g[1:]) for g in groups]


def test_create_all_and_drop_all_emit_what_sqlalchemy_emits(engine: Any, sa_engine: Any) -> None:
    sa_seen = _sa_capture(sa_engine)
    sa_m = _app_schema(sa_schema, sa_types)
    sa_m.create_all(sa_engine)
    sa_m.drop_all(sa_engine)

    seen = _capture(engine)
    m = _app_schema(os_, ot)
    m.create_all(engine)
    try:
        with engine.connect() as conn:
            for name in ("users", "posts", "tags", "post_tags", "select"):
                assert engine.dialect.has_table(conn, name)
            assert engine.dialect.has_index(conn, "users", "ix_users_name")
    finally:
        m.drop_all(engine)
    assert _statement_shape(seen) == _statement_shape(sa_seen)
    with engine.connect() as conn:
        assert not engine.dialect.has_table(conn, "users")


def test_checkfirst(engine: Any) -> None:
    m = _app_schema(os_, ot)
    seen = _capture(engine)
    m.create_all(engine)
    try:
        count = len(seen)
        m.create_all(engine)  # checkfirst=True by default: nothing to do
        assert len(seen) == count
        with pytest.raises(exc.DBAPIError):
            m.tables["tags"].create(engine)  # checkfirst=False: the database refuses
        m.tables["tags"].create(engine, checkfirst=True)
    finally:
        m.drop_all(engine)
    count = len(seen)
    m.drop_all(engine)
    assert len(seen) == count
    m.tables["tags"].drop(engine, checkfirst=True)


def test_create_all_subset_and_single_table(engine: Any) -> None:
    m = _app_schema(os_, ot)
    users, posts = m.tables["users"], m.tables["posts"]
    m.create_all(engine, tables=[posts, users])
    try:
        with engine.connect() as conn:
            assert engine.dialect.has_table(conn, "posts")
            assert not engine.dialect.has_table(conn, "tags")
        index = os_.Index("ix_posts_title", posts.c.title)
        index.create(engine)
        with engine.connect() as conn:
            assert engine.dialect.has_index(conn, "posts", "ix_posts_title")
        index.drop(engine)
        with engine.connect() as conn:
            assert not engine.dialect.has_index(conn, "posts", "ix_posts_title")
    finally:
        m.drop_all(engine, tables=[posts, users])


def test_create_all_on_a_connection_is_in_its_transaction(pg_engine: Any) -> None:
    # PostgreSQL only: sqlite3's legacy mode runs DDL outside the transaction, as with SQLAlchemy
    engine = pg_engine
    m = os_.MetaData()
    os_.Table("in_tx", m, os_.Column("id", ot.Integer, primary_key=True))
    with engine.connect() as conn:
        m.create_all(conn)
        assert engine.dialect.has_table(conn, "in_tx")
        conn.rollback()
        assert not engine.dialect.has_table(conn, "in_tx")


def _cycle_schema(named: bool) -> Any:
    m = os_.MetaData()
    os_.Table("ca", m, os_.Column("id", ot.Integer, primary_key=True),
              os_.Column("bid", ot.Integer, os_.ForeignKey("cb.id", name="fk_ca_cb" if named else None)))
    os_.Table("cb", m, os_.Column("id", ot.Integer, primary_key=True),
              os_.Column("aid", ot.Integer, os_.ForeignKey("ca.id", name="fk_cb_ca" if named else None)))
    return m


def test_foreign_key_cycle(engine: Any) -> None:
    m = _cycle_schema(named=True)
    seen = _capture(engine)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m.create_all(engine)  # no warning: cycles are expected here, as in SQLAlchemy
    try:
        if engine.dialect.name == "postgresql":
            assert seen[-2:] == [
                "ALTER TABLE cb ADD CONSTRAINT fk_cb_ca FOREIGN KEY(aid) REFERENCES ca (id)",
                "ALTER TABLE ca ADD CONSTRAINT fk_ca_cb FOREIGN KEY(bid) REFERENCES cb (id)",
            ] or set(seen[-2:]) == {
                "ALTER TABLE cb ADD CONSTRAINT fk_cb_ca FOREIGN KEY(aid) REFERENCES ca (id)",
                "ALTER TABLE ca ADD CONSTRAINT fk_ca_cb FOREIGN KEY(bid) REFERENCES cb (id)",
            }
        else:
            assert all("FOREIGN KEY" in s for s in seen if s.startswith("CREATE TABLE"))
    finally:
        if engine.dialect.name == "sqlite":
            with pytest.warns(exc.SAWarning, match="Can't sort tables for DROP"):
                m.drop_all(engine)
        else:
            m.drop_all(engine)
            assert any(s.startswith("ALTER TABLE") and "DROP CONSTRAINT" in s for s in seen)
    with engine.connect() as conn:
        assert not engine.dialect.has_table(conn, "ca")


def test_unnamed_foreign_key_cycle_cannot_be_dropped_on_postgresql(pg_engine: Any) -> None:
    m = _cycle_schema(named=False)
    m.create_all(pg_engine)
    try:
        with pytest.raises(exc.CircularDependencyError, match="Can't sort tables for DROP"):
            m.drop_all(pg_engine)
    finally:
        with pg_engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE ca, cb CASCADE")


def test_enum_types_on_postgresql(pg_engine: Any) -> None:
    m = os_.MetaData()
    shared = ot.Enum(Status)
    t1 = os_.Table("e1", m, os_.Column("id", ot.Integer, primary_key=True), os_.Column("s", shared))
    os_.Table("e2", m, os_.Column("id", ot.Integer, primary_key=True), os_.Column("s", ot.Enum(Status)),
              os_.Column("k", ot.Enum("a", "b", name="kind")))
    dialect = pg_engine.dialect
    seen = _capture(pg_engine)
    m.create_all(pg_engine)
    try:
        creates = [s for s in seen if s.startswith("CREATE TYPE")]
        assert creates == ["CREATE TYPE status AS ENUM ('draft', 'published')",
                           "CREATE TYPE kind AS ENUM ('a', 'b')"]
        m.create_all(pg_engine)  # checkfirst: the types exist, nothing is created again
        assert len([s for s in seen if s.startswith("CREATE TYPE")]) == 2
        t1.drop(pg_engine)  # a table's drop leaves its named type (shared)
        with pg_engine.connect() as conn:
            assert dialect.has_type(conn, "status")
        t1.create(pg_engine, checkfirst=True)
    finally:
        m.drop_all(pg_engine)
    with pg_engine.connect() as conn:
        assert not dialect.has_type(conn, "status") and not dialect.has_type(conn, "kind")
    assert seen[-2:] == ["DROP TYPE status", "DROP TYPE kind"]


def test_explicit_enum_create_and_drop(pg_engine: Any) -> None:
    enum_type = oc_pg_types.ENUM("x", "y", name="explicit_enum")
    enum_type.create(pg_engine)
    enum_type.create(pg_engine)  # checkfirst=True by default
    with pg_engine.connect() as conn:
        assert pg_engine.dialect.has_type(conn, "explicit_enum")
    enum_type.drop(pg_engine)
    enum_type.drop(pg_engine)
    with pg_engine.connect() as conn:
        assert not pg_engine.dialect.has_type(conn, "explicit_enum")


def test_sequences_on_postgresql(pg_engine: Any) -> None:
    m = os_.MetaData()
    standalone = os_.Sequence("standalone_seq", start=5, metadata=m)
    os_.Table("seq_t", m, os_.Column("id", ot.Integer, os_.Sequence("seq_t_id_seq"), primary_key=True),
              os_.Column("o", ot.Integer, os_.Sequence("opt_seq", optional=True)))
    m.create_all(pg_engine)
    try:
        with pg_engine.connect() as conn:
            assert pg_engine.dialect.has_sequence(conn, "standalone_seq")
            assert pg_engine.dialect.has_sequence(conn, "seq_t_id_seq")
            assert not pg_engine.dialect.has_sequence(conn, "opt_seq")  # optional: not created
            assert conn.exec_driver_sql("SELECT nextval('standalone_seq')").scalar() == 5
    finally:
        m.drop_all(pg_engine)
    with pg_engine.connect() as conn:
        assert not pg_engine.dialect.has_sequence(conn, "standalone_seq")
        assert not pg_engine.dialect.has_sequence(conn, "seq_t_id_seq")
    standalone.create(pg_engine)
    standalone.drop(pg_engine)


def test_explicit_schema_on_postgresql(pg_engine: Any) -> None:
    with pg_engine.begin() as conn:
        conn.execute(os_.CreateSchema("Other Schema"))
    try:
        m = os_.MetaData()
        parent = os_.Table("p", m, os_.Column("id", ot.Integer, primary_key=True),
                           os_.Column("s", ot.Enum("a", "b", name="sch_enum", schema="Other Schema")),
                           schema="Other Schema")
        os_.Table("c", m, os_.Column("id", ot.Integer, primary_key=True),
                  os_.Column("pid", ot.Integer, os_.ForeignKey(parent.c.id), index=True))
        m.create_all(pg_engine)
        with pg_engine.connect() as conn:
            assert pg_engine.dialect.has_table(conn, "p", schema="Other Schema")
            assert not pg_engine.dialect.has_table(conn, "p")
            assert pg_engine.dialect.has_type(conn, "sch_enum", schema="Other Schema")
        m.drop_all(pg_engine)
        with pg_engine.connect() as conn:
            assert not pg_engine.dialect.has_table(conn, "p", schema="Other Schema")
    finally:
        with pg_engine.begin() as conn:
            conn.execute(os_.DropSchema("Other Schema", cascade=True))


def test_percent_signs_in_ddl(engine: Any, request: Any) -> None:
    # DDL text for pyformat drivers has % doubled (as SQLAlchemy's); the engine hands the
    # driver an empty parameter dict, so it reads %% back as %
    m = os_.MetaData()
    t = os_.Table("pct%", m, os_.Column("id", ot.Integer, primary_key=True),
                  os_.Column("rate%", ot.String(10), server_default="5%"))
    m.create_all(engine)
    try:
        with engine.connect() as conn:
            assert engine.dialect.has_table(conn, "pct%")
            conn.exec_driver_sql(
                'INSERT INTO "pct%%" (id) VALUES (1)' if engine.dialect.name == "postgresql"
                else 'INSERT INTO "pct%" (id) VALUES (1)'
            )
            assert conn.execute(text('SELECT "rate%" FROM "pct%"')).scalar() == "5%"
            conn.rollback()
    finally:
        t.drop(engine)


def test_sqlite_autoincrement_and_rowid(tmp_path: Any) -> None:
    from ormcore import create_engine

    engine = create_engine(f"sqlite:///{tmp_path / 'rowid.db'}")
    m = os_.MetaData()
    t = os_.Table("auto", m, os_.Column("id", ot.Integer, primary_key=True),
                  os_.Column("v", ot.Integer), sqlite_autoincrement=True)
    m.create_all(engine)
    try:
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO auto (v) VALUES (1)")
            conn.exec_driver_sql("INSERT INTO auto (v) VALUES (2)")
            assert conn.exec_driver_sql("SELECT id FROM auto ORDER BY id").scalars().all() == [1, 2]
            conn.exec_driver_sql("DELETE FROM auto WHERE id = 2")
            conn.exec_driver_sql("INSERT INTO auto (v) VALUES (3)")
            # AUTOINCREMENT never reuses a deleted key
            assert conn.exec_driver_sql("SELECT max(id) FROM auto").scalar() == 3
    finally:
        t.drop(engine)


def test_naming_convention_ddl_matches_sqlalchemy() -> None:
    convention = {
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }

    def build(S: Any, T: Any) -> Any:
        m = S.MetaData(naming_convention=convention)
        S.Table("p", m, S.Column("id", T.Integer, primary_key=True))
        return S.Table(
            "t", m,
            S.Column("id", T.Integer, primary_key=True),
            S.Column("e", T.Enum("a", "b", name="named_e", create_constraint=True)),
            S.Column("f", T.Enum("a", "b", create_constraint=True, native_enum=False)),
            S.Column("b", T.Boolean(create_constraint=True)),
            S.Column("pid", T.Integer, S.ForeignKey("p.id"), unique=True),
            S.UniqueConstraint("e", "f"),
            S.CheckConstraint("id > 0"),
        )

    for dialect, sa_dialect in ((OcSQLite(), sa_sqlite.pysqlite.dialect()),
                                (OcPG(), sa_pg.psycopg2.dialect())):
        ours = build(os_, ot)
        theirs = build(sa_schema, sa_types)
        assert str(os_.CreateTable(ours).compile(dialect=dialect)) == str(
            sa_schema.CreateTable(theirs).compile(dialect=sa_dialect)
        )


def test_create_table_without_some_foreign_keys() -> None:
    def build(S: Any, T: Any) -> Any:
        m = S.MetaData()
        S.Table("p", m, S.Column("id", T.Integer, primary_key=True))
        return S.Table("t", m, S.Column("id", T.Integer, primary_key=True),
                       S.Column("a", S.ForeignKey("p.id")), S.Column("b", S.ForeignKey("p.id")),
                       S.Column("hidden", T.Integer, system=True))

    ours, theirs = build(os_, ot), build(sa_schema, sa_types)
    keep = [c for c in ours.foreign_key_constraints if c.column_keys == ["a"]]
    sa_keep = [c for c in theirs.foreign_key_constraints if c.column_keys == ["a"]]
    assert str(os_.CreateTable(ours, include_foreign_key_constraints=keep).compile(dialect=OcPG())) == str(
        sa_schema.CreateTable(theirs, include_foreign_key_constraints=sa_keep).compile(
            dialect=sa_pg.psycopg2.dialect()
        )
    )
