"""The unit of work through the Session, differential against SQLAlchemy: the same model and
steps through sqlalchemy.orm and ormcore.orm on the same database (SQLite and PostgreSQL,
both cores), comparing the rows after each flush / commit / rollback, object states and
errors."""

from __future__ import annotations

from typing import Any

from tests.conftest import make_engine
from tests.orm._mapping_helpers import run_script

MODEL = """
from typing import Optional
import LIB as lib
from LIB import orm

class Base(orm.DeclarativeBase):
    pass

class Parent(Base):
    __tablename__ = "uow_parent"
    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(lib.String(30))
    count: orm.Mapped[int] = orm.mapped_column(default=5)
    note: orm.Mapped[Optional[str]] = orm.mapped_column(lib.String(10), server_default="srv")

class Child(Base):
    __tablename__ = "uow_child"
    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    parent_id: orm.Mapped[int] = orm.mapped_column(lib.ForeignKey("uow_parent.id"))
    label: orm.Mapped[Optional[str]] = orm.mapped_column(lib.String(20))

class Versioned(Base):
    __tablename__ = "uow_versioned"
    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    value: orm.Mapped[str] = orm.mapped_column(lib.String(20))
    version: orm.Mapped[int] = orm.mapped_column()
    __mapper_args__ = {"version_id_col": version}

class Tagged(Base):
    __tablename__ = "uow_tagged"
    id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
    name: orm.Mapped[str] = orm.mapped_column(lib.String(20), unique=True)
"""


def lifecycle(obj: Any, lib: Any) -> str:
    st = lib.inspect(obj)
    for name in ("transient", "pending", "persistent", "deleted", "detached"):
        if getattr(st, name):
            return name
    return "?"


def rows(engine: Any, lib: Any) -> dict:
    with engine.connect() as conn:
        return {t: [tuple(r) for r in conn.execute(lib.text(f"SELECT * FROM {t} ORDER BY id"))]
                for t in ("uow_parent", "uow_child", "uow_versioned")}


def scenario(lib_name: str, engine: Any) -> list:
    """One script, many steps; what a user observes after each."""
    import importlib

    lib = importlib.import_module(lib_name)
    m = run_script(lib_name, MODEL)
    m.Base.metadata.drop_all(engine)
    m.Base.metadata.create_all(engine)
    out: list = []
    seen = lambda *objs: [lifecycle(o, lib) for o in objs]  # noqa: E731
    s = lib.orm.Session(engine, expire_on_commit=False)
    p1 = m.Parent(name="a")
    p2 = m.Parent(id=10, name="b")
    c1 = m.Child(parent_id=10, label="x")
    c2 = m.Child(parent_id=10)
    s.add_all([p1, p2])
    out.append(("added", seen(p1, c1), len(s.new), p1 in s))
    s.flush()  # SQLAlchemy orders mappers by relationships only: parents in their own flush
    s.add_all([c1, c2])
    s.flush()
    out.append(("flushed", seen(p1, c1), p1.id, p2.id, p1.count, p1.note, c1.id, c2.id,
                c2.label, len(s.new), rows(engine, lib)))
    p1.name = "a2"
    p2.count = m.Parent.count + 10
    c1.label = "x"  # same value: dirty but not modified
    out.append(("dirty", len(s.dirty), s.is_modified(p1), s.is_modified(c1)))
    s.flush()
    out.append(("updated", rows(engine, lib), "count" in p2.__dict__, len(s.dirty)))
    s.delete(c2)
    out.append(("marked", seen(c2), len(s.deleted)))
    s.commit()
    out.append(("committed", seen(c2, c1), rows(engine, lib)))
    v = m.Versioned(value="v1")
    s.add(v)
    s.commit()
    out.append(("versioned", v.version, rows(engine, lib)["uow_versioned"]))
    v.value = "v2"
    s.commit()
    out.append(("version2", v.version))
    with engine.begin() as conn:
        conn.execute(lib.text("UPDATE uow_versioned SET version = 99"))
    v.value = "v3"
    try:
        s.flush()
    except Exception as err:  # noqa: BLE001
        out.append(("stale", type(err).__name__, str(err)))
    s.rollback()
    # a failed flush: IntegrityError, PendingRollbackError until rollback
    bad = m.Parent(id=77, name=None)
    s.add(bad)
    try:
        s.flush()
    except Exception as err:  # noqa: BLE001
        out.append(("integrity", type(err).__name__, getattr(err, "orig", None) is not None,
                    seen(bad), bad.name))
    try:
        s.execute(lib.text("SELECT 1"))
    except Exception as err:  # noqa: BLE001
        out.append(("pending-rollback", type(err).__name__))
    s.rollback()
    out.append(("rolled-back", seen(bad), rows(engine, lib)))
    # rollback of an un-committed flush: pending -> transient, deleted -> persistent
    p3 = m.Parent(name="c")
    s.add(p3)
    s.delete(c1)
    s.flush()
    out.append(("before-rollback", seen(p3, c1)))
    s.rollback()
    out.append(("after-rollback", seen(p3, c1), rows(engine, lib), p3.id is not None))
    # errors
    other = lib.orm.Session(engine)
    try:
        other.add(p1)
    except Exception as err:  # noqa: BLE001
        out.append(("other-session", type(err).__name__))
    try:
        s.delete(m.Parent(name="t"))
    except Exception as err:  # noqa: BLE001
        out.append(("delete-transient", type(err).__name__, str(err).split("'")[0]))
    try:
        s.add(object())
    except Exception as err:  # noqa: BLE001
        out.append(("unmapped", type(err).__name__))
    other.close()
    # expunge, make_transient, make_transient_to_detached, identity_key
    s.expunge(p1)
    out.append(("expunged", seen(p1), p1 in s))
    lib.orm.make_transient(p1)
    out.append(("transient", seen(p1)))
    d = m.Parent(id=500, name="d")
    lib.orm.make_transient_to_detached(d)
    out.append(("to-detached", seen(d), s.identity_key(m.Parent, 5)[1:],
                s.identity_key(instance=d)[1:]))
    s.close()
    out.append(("closed", seen(p2)))
    return out


def test_scenario_matches_sqlalchemy(backend: str, tmp_path: Any, request: Any) -> None:
    import ormcore
    import sqlalchemy

    sa_eng = make_engine(backend, tmp_path, request, lib=sqlalchemy)
    oc_eng = make_engine(backend, tmp_path, request, lib=ormcore)
    try:
        expected = scenario("sqlalchemy", sa_eng)
        got = scenario("ormcore", oc_eng)
    finally:
        sa_eng.dispose()
        oc_eng.dispose()
    for e, g in zip(expected, got):
        assert g == e
    assert len(got) == len(expected)


def test_flush_inserts_parents_first(engine: Any) -> None:
    """Children added before their parents: the flush still INSERTs the parent rows first
    (PostgreSQL checks the foreign key at once). SQLAlchemy orders by relationships only."""
    import ormcore

    m = run_script("ormcore", MODEL)
    m.Base.metadata.drop_all(engine)
    m.Base.metadata.create_all(engine)
    with ormcore.orm.Session(engine) as s:
        objs = [m.Child(parent_id=3, label="c"), m.Child(parent_id=3), m.Parent(id=3, name="p")]
        s.add_all(objs)
        s.commit()
        for obj in reversed(objs):  # the parent marked first
            s.delete(obj)
        s.commit()  # children deleted before the parent
    assert rows(engine, ormcore) == {"uow_parent": [], "uow_child": [], "uow_versioned": []}


def test_plan_orders_tables_by_foreign_key() -> None:
    import ormcore
    from ormcore.orm.unitofwork import _sort_tables

    md = ormcore.MetaData()
    a = ormcore.Table("a", md, ormcore.Column("id", ormcore.Integer, primary_key=True))
    b = ormcore.Table("b", md, ormcore.Column("id", ormcore.Integer, primary_key=True),
                      ormcore.Column("a_id", ormcore.ForeignKey("a.id")),
                      ormcore.Column("b_id", ormcore.ForeignKey("b.id")))
    c = ormcore.Table("c", md, ormcore.Column("id", ormcore.Integer, primary_key=True),
                      ormcore.Column("b_id", ormcore.ForeignKey("b.id")))
    assert _sort_tables({c, b, a}) == [a, b, c]
    assert _sort_tables({c, a}) == [a, c]


def added_order_scenario(lib_name: str, engine: Any) -> list:
    """New objects whose parameter keys alternate (a default used by some rows, not others,
    one with a SQL expression) get their generated keys in the order they were added."""
    import importlib

    lib = importlib.import_module(lib_name)
    m = run_script(lib_name, MODEL)
    m.Base.metadata.drop_all(engine)
    m.Base.metadata.create_all(engine)
    with lib.orm.Session(engine) as s:
        objs = [m.Parent(name="a", count=1), m.Parent(name="b"), m.Parent(name="c", count=3),
                m.Parent(name="d"), m.Parent(name="e", count=lib.literal(4) + 1),
                m.Parent(name="f"), m.Parent(name="g", note="n")]
        s.add_all(objs)
        s.flush()
        out = [(o.name, o.id, o.count) for o in objs]
        s.commit()
    return out + [rows(engine, lib)["uow_parent"]]


def test_generated_keys_follow_the_order_objects_were_added(
        backend: str, tmp_path: Any, request: Any) -> None:
    import ormcore
    import sqlalchemy

    sa_eng = make_engine(backend, tmp_path, request, lib=sqlalchemy)
    oc_eng = make_engine(backend, tmp_path, request, lib=ormcore)
    try:
        expected = added_order_scenario("sqlalchemy", sa_eng)
        got = added_order_scenario("ormcore", oc_eng)
    finally:
        sa_eng.dispose()
        oc_eng.dispose()
    assert got == expected
    assert [name for name, _id, _count in got[:-1]] == list("abcdefg")
    assert [id_ for _name, id_, _count in got[:-1]] == sorted(id_ for _n, id_, _c in got[:-1])


def _record_statements(lib: Any, engine: Any) -> list:
    """What the database is sent, comparable between the libraries: each UPDATE with its
    parameter sets (values only, in a neutral order: the two name their parameters
    differently), and every other statement by its verb, a run of INSERTs as one (the
    libraries batch INSERTs differently)."""
    seen: list = []

    @lib.event.listens_for(engine, "before_cursor_execute")
    def before(conn: Any, cursor: Any, statement: str, params: Any, context: Any,
               many: bool) -> None:
        verb = statement.split()[0].upper()
        if verb != "UPDATE":
            if verb != "INSERT" or seen[-1:] != ["INSERT"]:
                seen.append(verb)
            return
        columns = sorted(part.split("=")[0].strip()
                         for part in statement.split(" SET ")[1].split(" WHERE ")[0].split(","))
        sets = params if many else [params]
        seen.append((verb, columns, [sorted(map(repr, p.values() if isinstance(p, dict) else p))
                                     for p in sets]))

    return seen


def update_order_scenario(lib_name: str, engine: Any) -> list:
    """Rows changed in a scrambled order, with runs of the same changed columns, a SQL
    expression, a row switch, inserts beside updates and a unique value passed on."""
    import importlib

    lib = importlib.import_module(lib_name)
    m = run_script(lib_name, MODEL)
    m.Base.metadata.drop_all(engine)
    m.Base.metadata.create_all(engine)
    with lib.orm.Session(engine) as s, s.begin():
        s.add_all([m.Parent(id=100 + i, name=f"p{i}", count=i) for i in range(1, 13)])
        s.add(m.Tagged(id=50, name="a"))
    statements = _record_statements(lib, engine)
    s = lib.orm.Session(engine)
    parents = {p.id - 100: p for p in s.scalars(lib.select(m.Parent))}
    tagged = s.get(m.Tagged, 50)
    changes = {1: "name", 2: "name", 3: "count", 4: "name", 6: "count", 7: "count",
               8: "both", 9: "name", 10: "name", 11: "count", 12: "name"}
    for pk in (7, 2, 11, 4, 9, 1, 12, 3, 10, 8, 6):
        parent = parents[pk]
        if changes[pk] in ("name", "both"):
            parent.name = f"n{pk}"
        if changes[pk] in ("count", "both"):
            parent.count = pk * 100
    parents[5].count = m.Parent.count + 1
    s.delete(parents[12])
    s.add(m.Parent(id=112, name="switched"))
    s.add(m.Parent(name="new"))
    tagged.name = "b"
    s.add(m.Tagged(name="a"))  # the UPDATE frees "a" before the INSERT takes it
    n = len(statements)
    s.flush()
    out: list = [statements[n:]]
    s.commit()
    with engine.connect() as conn:
        out.append(conn.execute(lib.text("SELECT * FROM uow_tagged ORDER BY id")).all())
    out.append(rows(engine, lib)["uow_parent"])
    s.close()
    return out


def test_update_order_matches_sqlalchemy(backend: str, tmp_path: Any, request: Any) -> None:
    """UPDATEs in primary key order, consecutive rows with the same changed columns batched
    (SQLAlchemy's order), each table's UPDATEs before its INSERTs."""
    import ormcore
    import sqlalchemy

    sa_eng = make_engine(backend, tmp_path, request, lib=sqlalchemy)
    oc_eng = make_engine(backend, tmp_path, request, lib=ormcore)
    try:
        expected = update_order_scenario("sqlalchemy", sa_eng)
        got = update_order_scenario("ormcore", oc_eng)
    finally:
        sa_eng.dispose()
        oc_eng.dispose()
    assert got[0] == expected[0]
    assert [tuple(r) for r in got[1]] == [tuple(r) for r in expected[1]]
    assert got[2] == expected[2]
