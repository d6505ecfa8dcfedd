"""Many-step ORM scenarios, run with SQLAlchemy and with ormcore: the same observations.

Each scenario maps its own classes with the library it is handed, runs 10-40 steps of a user's
session work (adding, flushing, committing, rolling back, merging, expiring, querying...) and
records what a user can observe after each step: query results, lifecycle states, attribute
values and histories, the session's new / dirty / deleted and identity map, rowcounts, which
exception was raised where. The test runs the scenario through `sqlalchemy` and through
`ormcore`, each on a fresh database of the same backend, and compares the two recordings.
Shorter scenarios marked `known_bug` pin down reported ormcore bugs (strict xfail).

(No `from __future__ import annotations` here: the scenarios' `orm.Mapped[...]` annotations
must be evaluated in the scenario, where `orm` is the library under test.)
"""

import gc
import threading
from typing import Any
from typing import Optional

import pytest

from tests.conftest import BACKENDS
from tests.conftest import PG_URL
from tests.orm._scenario_helpers import first_difference
from tests.orm._scenario_helpers import run_both
from tests.orm._scenario_helpers import scenario


def known_bug(reason: str) -> Any:
    """Mark a scenario as failing for a reported ormcore bug (xfail, strict): remove the mark
    with the fix."""

    def mark(fn: Any) -> Any:
        fn.xfail_reason = reason
        return fn

    return mark


def _items(sa: Any, orm: Any, rec: Any) -> tuple:
    """A fresh declarative Base and a plain `Item` (id, name unique, qty, note) with its table
    created."""

    class Base(orm.DeclarativeBase):
        pass

    class Item(Base):
        __tablename__ = "scn_items"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        name: orm.Mapped[str] = orm.mapped_column(sa.String(30), unique=True)
        qty: orm.Mapped[int] = orm.mapped_column(default=0)
        note: orm.Mapped[Optional[str]] = orm.mapped_column(sa.String(50))

    rec.schema(Base)
    return Base, Item


def _fill(orm: Any, engine: Any, Item: Any, *names: str) -> None:
    with orm.Session(engine) as s, s.begin():
        s.add_all([Item(name=n, qty=i * 10) for i, n in enumerate(names, 1)])


def _vals(obj: Any, *keys: str) -> Any:
    if obj is None:
        return None
    return tuple(getattr(obj, k) for k in (keys or ("id", "name", "qty", "note")))


def _counting(sa: Any, engine: Any) -> list:
    """A list that grows by one for every statement the engine sends to the database."""
    statements: list = []

    @sa.event.listens_for(engine, "before_cursor_execute")
    def count(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement.split()[0].upper())

    return statements


# -- the session lifecycle -------------------------------------------------------------------


@scenario
def add_flush_commit(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    session = orm.Session(engine)
    a = Item(name="apple", qty=3)
    rec.state("new object", a)
    rec("transient id", a.id)
    session.add(a)
    rec.state("added", a)
    rec.session("after add", session)
    rec("pending in session", a in session)
    session.flush()
    rec.state("flushed", a)
    rec("id assigned", a.id)
    rec.session("after flush", session)
    rec("identity", sa.inspect(a).identity)
    a.qty = 4
    rec.session("after change", session)
    rec.history("qty history", a, "qty")
    rec("is_modified", session.is_modified(a))
    session.commit()
    rec.state("committed", a)
    rec.loaded("loaded after commit (expired)", a)
    rec.session("after commit", session)
    rec("reload qty", a.qty)
    rec.loaded("loaded after reading", a)
    b = Item(name="banana")
    session.add(b)
    session.commit()
    rec("python default after commit", _vals(b))
    rec.rows("table", "SELECT id, name, qty FROM scn_items ORDER BY id")
    keep = orm.Session(engine, expire_on_commit=False)
    c = keep.get(Item, 1)
    c.note = "kept"
    keep.commit()
    rec.loaded("expire_on_commit=False keeps", c)
    rec("value without reload", c.note)
    keep.close()
    rec.state("closed session", c)
    rec("detached read of loaded attribute", c.note)
    session.close()
    rec.state("after close", a, b)
    rec.attempt("detached read of expired attribute", lambda: a.name)
    rec("object_session after close", orm.object_session(a) is None)
    session2 = orm.Session(engine)
    session2.add(a)
    rec.state("re-added detached", a)
    rec("reload in new session", _vals(a))
    session2.close()


@scenario
def autoflush_and_no_autoflush(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    statements = _counting(sa, engine)
    session = orm.Session(engine)
    session.add(Item(id=1, name="a", qty=1))
    rec("count sees pending (autoflush)", session.scalar(sa.select(sa.func.count(Item.id))))
    rec.session("after autoflush", session)
    with session.no_autoflush:
        session.add(Item(id=2, name="b", qty=2))
        rec("count in no_autoflush", session.scalar(sa.select(sa.func.count(Item.id))))
        rec.session("pending inside no_autoflush", session)
        rec("autoflush flag inside", session.autoflush)
    rec("autoflush flag after", session.autoflush)
    rec("count after block", session.scalar(sa.select(sa.func.count(Item.id))))
    one = session.get(Item, 1)
    one.qty = 100
    found = session.scalars(sa.select(Item).where(Item.qty == 100)).all()
    rec("query by changed value", [_vals(i) for i in found])
    rec("same object from query", found == [one])
    rec.session("clean after autoflush", session)
    with session.no_autoflush:
        one.qty = 200
        rec("stale query without autoflush",
            session.scalars(sa.select(Item.id).where(Item.qty == 200)).all())
        rec("object keeps unflushed value", one.qty)
    rec("query after block", session.scalars(sa.select(Item.id).where(Item.qty == 200)).all())
    session.commit()
    manual = orm.Session(engine, autoflush=False)
    manual.add(Item(id=3, name="c"))
    rec("autoflush=False count", manual.scalar(sa.select(sa.func.count(Item.id))))
    rec("legacy query autoflush=False", manual.query(Item).count())
    manual.flush()
    rec("after explicit flush", manual.query(Item).count())
    manual.rollback()
    rec("after rollback", manual.query(Item).count())
    manual.close()
    session.close()
    rec("statement kinds", sorted(set(statements)))


@scenario
def rollback_restores(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b", "c")
    session = orm.Session(engine)
    a, b, c = (session.get(Item, i) for i in (1, 2, 3))
    a.name = "a2"
    a.qty = 99
    session.delete(b)
    d = Item(name="d")
    session.add(d)
    rec.session("before rollback", session)
    rec.state("before rollback", a, b, c, d)
    session.rollback()
    rec.state("after rollback", a, b, c, d)
    rec.session("after rollback", session)
    rec.loaded("a expired", a)
    rec("a restored", _vals(a))
    rec("b un-deleted", _vals(b))
    rec("d transient keeps values", (d.id, d.name))
    rec("d not in session", d in session)
    a.qty = 50
    session.flush()
    e = Item(name="e")
    session.add(e)
    session.flush()
    rec("e id", e.id)
    session.delete(c)
    session.flush()
    rec.state("flushed changes", a, c, e)
    rec.rows("other connection", "SELECT id, name, qty FROM scn_items ORDER BY id")
    session.rollback()
    rec.state("after second rollback", a, c, e)
    rec("e key dropped", (sa.inspect(e).key, e.id))
    rec("a from database", _vals(a))
    rec("c back", _vals(c))
    rec.session("final", session)
    session.add(e)
    rec.state("e re-added", e)
    session.commit()
    rec("e committed", _vals(e))
    rec.rows("table", "SELECT id, name FROM scn_items ORDER BY id")
    session.close()


@scenario
def savepoints(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b")
    session = orm.Session(engine)
    a, b = session.get(Item, 1), session.get(Item, 2)
    a.qty = 11  # flushed by begin_nested(): outside the savepoint
    nested = session.begin_nested()
    rec("in nested", (session.in_nested_transaction(), nested.nested))
    rec.session("savepoint start", session)
    a.qty = 12
    b.name = "b-inner"
    c = Item(name="c")
    session.add(c)
    session.flush()
    rec.state("inside savepoint", a, b, c)
    nested.rollback()
    rec("in nested after rollback", session.in_nested_transaction())
    rec.state("after savepoint rollback", a, b, c)
    rec("a back to the value before the savepoint", a.qty)
    rec("b restored", b.name)
    rec("c transient", (sa.inspect(c).key, c in session))
    with session.begin_nested():
        b.note = "kept"
        d = Item(name="d")
        session.add(d)
    rec.state("released savepoint", b, d)
    rec("values after release", (_vals(b), _vals(d)))
    try:
        with session.begin_nested():
            a.note = "lost"
            session.add(Item(name="e"))
            session.flush()
            raise ValueError("boom")
    except ValueError:
        rec("exception left the block", True)
    rec("a after failed block", a.note)
    rec.session("after failed block", session)
    outer = session.begin_nested()
    a.qty = 21
    inner = session.begin_nested()
    a.qty = 22
    inner.rollback()
    rec("after inner rollback", a.qty)
    outer.commit()
    rec("after outer release", a.qty)
    session.commit()
    rec.rows("table", "SELECT id, name, qty, note FROM scn_items ORDER BY id")
    session.close()


@scenario
def integrity_error_recovery(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b")
    session = orm.Session(engine)
    a = session.get(Item, 1)
    a.qty = 5
    session.commit()
    good = Item(name="good")
    dup = Item(name="a")
    session.add_all([good])
    session.flush()
    b = session.get(Item, 2)
    b.qty = 77
    session.add(dup)
    rec.attempt("flush duplicate", session.flush)
    rec("is_active after failure", session.is_active)
    rec.attempt("query before rollback", lambda: session.scalars(sa.select(Item)).all())
    rec.attempt("get before rollback", lambda: session.get(Item, 1))
    rec.attempt("flush again before rollback", session.flush)
    rec.attempt("commit before rollback", session.commit)
    rec.state("states before rollback", a, b, good, dup)
    session.rollback()
    rec("is_active after rollback", session.is_active)
    rec.state("states after rollback", a, b, good, dup)
    rec.session("after rollback", session)
    rec("committed values survive", (_vals(a), _vals(b)))
    dup.name = "dup-fixed"
    session.add_all([good, dup])
    session.commit()
    rec("recovered", sorted([_vals(good), _vals(dup)]))
    rec.rows("table", "SELECT id, name, qty FROM scn_items ORDER BY id")
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO scn_items (id, name, qty) VALUES (50, 'outside', 0)"))
    again = Item(id=50, name="pk-clash")
    session.add(again)
    err = rec.attempt("primary key clash", session.commit)
    rec("wrapped original", type(getattr(err, "orig", None)).__name__ != "NoneType")
    rec.attempt("before rollback", lambda: session.get(Item, 2))
    session.rollback()
    rec.state("after pk clash rollback", again)
    rec("works again", session.scalar(sa.select(sa.func.count()).select_from(Item)))
    session.close()


@scenario
def merging(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b", "c")
    statements = _counting(sa, engine)
    session = orm.Session(engine)
    fresh = Item(id=10, name="ten", qty=1)
    merged = session.merge(fresh)
    rec("new: copy, not the same object", merged is fresh)
    rec.state("new: states", fresh, merged)
    rec("new: values", _vals(merged))
    rec.session("new: session", session)
    existing = session.get(Item, 1)
    n = len(statements)
    incoming = Item(id=1, name="a-merged")
    m1 = session.merge(incoming)
    rec("existing: same as in map", m1 is existing)
    rec("existing: statements", len(statements) - n)
    rec("existing: values", _vals(m1))
    rec.history("existing: history", m1, "name", "qty")
    rec("existing: is_modified", session.is_modified(m1))
    n = len(statements)
    m2 = session.merge(Item(id=2, note="from outside"))
    rec("not in map: loaded", len(statements) - n)
    rec("not in map: values", _vals(m2))
    rec.state("not in map: state", m2)
    m3 = session.merge(Item(id=99, name="ninety-nine"))
    rec.state("missing row: pending", m3)
    session.commit()
    rec.rows("after commit", "SELECT id, name, qty, note FROM scn_items ORDER BY id")
    other = orm.Session(engine)
    detached = other.get(Item, 3)
    other.close()
    detached.note = "changed while detached"
    rec.attempt("load=False of a modified object", lambda: session.merge(detached, load=False))
    rec.history("unchanged by the failed merge", detached, "note")
    other = orm.Session(engine)
    detached = other.get(Item, 3)
    other.close()
    n = len(statements)
    m4 = session.merge(detached, load=False)
    rec("load=False: statements", len(statements) - n)
    rec.state("load=False: states", detached, m4)
    rec("load=False: values", _vals(m4))
    rec.history("load=False: no history", m4, "note")
    rec("load=False: is_modified", session.is_modified(m4))
    rec.attempt("load=False transient", lambda: session.merge(Item(id=50, name="x"), load=False))
    own = session.get(Item, 2)
    rec("merge of own object", session.merge(own) is own)
    session.commit()
    rec.rows("final", "SELECT id, name, qty, note FROM scn_items ORDER BY id")
    same = orm.Session(engine)
    copy = same.get(Item, 2)
    same.close()
    session.get(Item, 2).qty  # loaded in the map
    merged_same = session.merge(copy)
    rec.session("merge of equal values", session)
    rec("equal values: is_modified", session.is_modified(merged_same))
    pending = Item(name="pending")
    session.add(pending)
    session.merge(Item(id=3, note="autoflushed first"))
    rec.session("merge autoflushes", session)
    rec.state("pending flushed by merge", pending)
    late = Item(name="late")
    session.add(late)
    with session.no_autoflush:
        twin = session.merge(late)
    rec("merging own pending object: a copy", twin is late)
    rec.state("pending twin", late, twin)
    session.expunge(twin)
    session.commit()
    rec.rows("end", "SELECT id, name, qty, note FROM scn_items ORDER BY id")
    session.close()


@scenario
def expunge_and_transient(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b", "c")
    session = orm.Session(engine)
    a, b = session.get(Item, 1), session.get(Item, 2)
    p = Item(name="p")
    session.add(p)
    session.expunge(a)
    session.expunge(p)
    rec.state("expunged", a, p)
    rec.session("after expunge", session)
    rec("a still readable", _vals(a))
    rec.attempt("expunge again", lambda: session.expunge(a))
    session.expunge_all()
    rec.state("expunge_all", b)
    rec.session("empty", session)
    orm.make_transient(b)
    rec.state("make_transient", b)
    rec("transient keeps values", _vals(b))
    b.id = 20
    b.name = "b-copy"
    session.add(b)
    session.commit()
    rec.rows("copy inserted", "SELECT id, name FROM scn_items ORDER BY id")
    c = session.get(Item, 3)
    session.expire(c, ["note"])
    orm.make_transient(c)
    rec.state("transient from expired", c)
    rec("expired attribute of transient", c.note)
    ghost = Item(id=2, name="b", qty=20)
    orm.make_transient_to_detached(ghost)
    rec.state("make_transient_to_detached", ghost)
    rec("identity", sa.inspect(ghost).identity)
    rec.attempt("again", lambda: orm.make_transient_to_detached(ghost))
    session.add(ghost)
    rec.state("attached", ghost)
    rec.session("attached", session)
    rec("not modified", session.is_modified(ghost))
    ghost.qty = 21
    rec.history("qty", ghost, "qty")
    session.commit()
    rec.rows("update through detached", "SELECT id, qty FROM scn_items WHERE id = 2")
    partial = Item(id=1)
    orm.make_transient_to_detached(partial)
    session.add(partial)
    rec.loaded("unset attributes expired", partial)
    rec("loaded on access", _vals(partial))
    session.close()


@scenario
def refresh_and_expire(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b")
    session = orm.Session(engine)
    a = session.get(Item, 1)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE scn_items SET qty = 500, note = 'outside' WHERE id = 1"))
    rec("stale", _vals(a))
    session.commit()  # ends the snapshot (PostgreSQL / SQLite isolation)
    a.name = "pending"
    session.refresh(a, ["qty"])
    rec("refresh qty only", _vals(a))
    rec.history("name change survives", a, "name")
    session.refresh(a)
    rec("refresh all discards change", _vals(a))
    rec("not modified", session.is_modified(a))
    session.expire(a, ["qty", "note"])
    rec.loaded("expired two", a)
    a.qty = 7
    rec.loaded("write to expired", a)
    rec.history("history of write to expired", a, "qty")
    rec("read note", a.note)
    rec.loaded("after read", a)
    session.expire(a, ["qty"])
    rec("write flushed by the autoflush of the load", a.qty)
    a.qty = 8
    session.expire(a, ["qty"])
    rec.session("expired write is forgotten", session)
    rec("change discarded by expire", a.qty)
    a.note = "x"
    session.expire(a)
    rec.loaded("expire all", a)
    rec.session("expired is clean", session)
    rec("note back", a.note)
    b = session.get(Item, 2)
    b.qty = 1
    session.expire_all()
    rec.loaded("expire_all", b)
    rec("b back", _vals(b))
    rec.attempt("refresh transient", lambda: session.refresh(Item(name="t")))
    rec.attempt("expire transient", lambda: session.expire(Item(name="t")))
    p = Item(name="p")
    session.add(p)
    rec.attempt("refresh pending", lambda: session.refresh(p))
    session.expunge(p)
    session.expunge(b)
    rec.attempt("refresh detached", lambda: session.refresh(b))
    rec.attempt("refresh unknown attribute", lambda: session.refresh(a, ["nope"]))
    session.rollback()
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM scn_items WHERE id = 1"))
    session.commit()
    rec.attempt("refresh deleted row", lambda: session.refresh(a))
    session.close()


@scenario
def delete_then_rollback(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b", "c")
    session = orm.Session(engine)
    a, b = session.get(Item, 1), session.get(Item, 2)
    session.delete(a)
    rec.state("marked", a)
    rec("in deleted", a in session.deleted)
    rec.session("marked", session)
    session.delete(a)
    rec.session("deleted twice", session)
    session.flush()
    rec.state("flushed", a)
    rec.session("flushed", session)
    rec("in session", a in session)
    rec("get after delete", session.get(Item, 1))
    rec("query after delete", session.scalars(sa.select(Item.id).order_by(Item.id)).all())
    rec.attempt("add deleted", lambda: session.add(a))
    session.rollback()
    rec.state("rolled back", a)
    rec("values reload", _vals(a))
    rec("get finds it", session.get(Item, 1) is a)
    rec("b reloaded", _vals(b))
    session.delete(b)
    session.commit()
    rec.state("deleted and committed", b)
    rec("loaded values kept", b.__dict__.get("name"))
    rec.attempt("delete transient", lambda: session.delete(Item(name="x")))
    rec.attempt("delete unmapped", lambda: session.delete(object()))
    pend = Item(name="pend")
    session.add(pend)
    rec.attempt("delete pending", lambda: session.delete(pend))
    session.expunge(pend)
    other = orm.Session(engine)
    c = other.get(Item, 3)
    rec.attempt("delete object of another session", lambda: session.delete(c))
    other.close()
    session.delete(c)
    rec.state("detached deleted", c)
    session.flush()
    rec.state("flushed detached delete", c)
    session.commit()
    rec.rows("table", "SELECT id FROM scn_items ORDER BY id")
    orm.make_transient(b)
    rec.state("transient again", b)
    session.add(b)
    session.commit()
    rec.rows("re-inserted", "SELECT id, name FROM scn_items ORDER BY id")
    session.close()


@scenario
def get_and_populate_existing(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b")
    statements = _counting(sa, engine)
    session = orm.Session(engine)
    a = session.get(Item, 1)
    n = len(statements)
    rec("second get is the same object", session.get(Item, 1) is a)
    rec("no SQL for map hit", len(statements) - n)
    rec("get missing", session.get(Item, 42))
    rec("get by dict", _vals(session.get(Item, {"id": 2})))
    rec("get by tuple", _vals(session.get(Item, (2,))))
    rec.attempt("get wrong arity", lambda: session.get(Item, (1, 2)))
    rec.attempt("get wrong key name", lambda: session.get(Item, {"nope": 1}))
    rec.attempt("get_one missing", lambda: session.get_one(Item, 42))
    rec("get_one present", _vals(session.get_one(Item, 2)))
    rec.attempt("get unmapped", lambda: session.get(int, 1))
    session.commit()
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE scn_items SET qty = 1000 WHERE id = 2"))
    b = session.get(Item, 2)
    rec("expired object reloads on get", b.qty)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE scn_items SET qty = 2000 WHERE id = 2"))
    session.commit()
    session.get(Item, 2).qty
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE scn_items SET qty = 3000, note = 'n' WHERE id = 2"))
    rec("stale from map", session.get(Item, 2).qty)
    b.name = "pending change"
    fresh = session.get(Item, 2, populate_existing=True)
    rec("populate_existing same object", fresh is b)
    rec("populate_existing values", _vals(b))
    rec.history("pending change overwritten", b, "name")
    rec.session("after populate_existing", session)
    rec("get_one populate_existing", _vals(session.get_one(Item, 1, populate_existing=True)))
    session.commit()
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM scn_items WHERE id = 1"))
    rec("get of a row deleted elsewhere", session.get(Item, 1))
    rec("identity map after", sorted(k[1] for k in session.identity_map.keys()))
    rec.state("its object", a)
    rec.attempt("read it", lambda: a.name)
    b.note
    session.expire(b, ["qty"])
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM scn_items WHERE id = 2"))
    n = len(statements)
    rec("partially expired object from the map", session.get(Item, 2) is b)
    rec("without SQL", len(statements) - n)
    session.rollback()
    rec.state("after rollback", a, b)
    session.close()


@scenario
def version_counter(sa, orm, exc, engine, rec):
    class Base(orm.DeclarativeBase):
        pass

    class Doc(Base):
        __tablename__ = "scn_docs"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        body: orm.Mapped[str] = orm.mapped_column(sa.String(50))
        version: orm.Mapped[int] = orm.mapped_column(nullable=False)
        __mapper_args__ = {"version_id_col": version}

    rec.schema(Base)
    session = orm.Session(engine)
    d = Doc(id=1, body="v1")
    session.add(d)
    session.flush()
    rec("version after insert", d.version)
    d.body = "v2"
    session.flush()
    rec("version after update", d.version)
    session.commit()
    rec("version after commit", d.version)
    other = orm.Session(engine)
    od = other.get(Doc, 1)
    od.body = "other"
    other.commit()
    rec("other session's version", od.version)
    other.close()
    d.body = "mine"
    rec("stale version in memory", sa.inspect(d).attrs.version.loaded_value)
    rec.attempt("stale update", session.flush)
    rec.attempt("before rollback", lambda: d.body)
    session.rollback()
    rec("after rollback", (d.body, d.version))
    d.body = "mine again"
    session.commit()
    rec("version now", d.version)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE scn_docs SET version = 99 WHERE id = 1"))
    session.delete(d)
    rec.attempt("stale delete", session.flush)
    session.rollback()
    rec.state("after failed delete", d)
    session.refresh(d)
    rec("refreshed version", d.version)
    session.expunge(d)
    stale = Doc(id=1, body="stale", version=3)
    rec.attempt("merge of an older version", lambda: session.merge(stale))
    rec.state("after failed merge", stale)
    current = session.merge(Doc(id=1, body="merged"))
    rec("merge without version", (current.body, current.version))
    session.flush()
    rec("version after merged update", current.version)
    d = current
    session.delete(d)
    session.commit()
    rec.rows("table", "SELECT id, body, version FROM scn_docs")
    session.close()



# -- unit-of-work edge cases -------------------------------------------------------------------


@scenario
def delete_expired_object(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b")
    statements = _counting(sa, engine)
    session = orm.Session(engine)
    a, b = session.get(Item, 1), session.get(Item, 2)
    session.commit()
    rec.loaded("expired by commit", a)
    session.delete(a)
    n = len(statements)
    session.flush()
    rec("statements of the flush", statements[n:])
    rec.state("deleted", a)
    session.commit()
    rec.state("detached", a)
    rec("values of the deleted object", a.__dict__.get("name"))
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM scn_items WHERE id = 2"))
    session.delete(b)
    rec.attempt("flush delete of a vanished row", session.flush)
    rec.state("after the failed flush", b)
    session.rollback()
    rec.state("after rollback", b)
    rec.session("session", session)
    rec.rows("table", "SELECT id FROM scn_items")
    session.close()


@scenario
def update_expired_object(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b")
    statements = _counting(sa, engine)
    session = orm.Session(engine)
    a, b = session.get(Item, 1), session.get(Item, 2)
    session.commit()
    a.qty = 3
    rec.loaded("expired, one attribute set", a)
    n = len(statements)
    session.flush()
    rec("statements of the flush", statements[n:])
    rec.loaded("after the flush", a)
    session.commit()
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM scn_items WHERE id = 2"))
    b.qty = 4
    rec.attempt("flush an update of a vanished row", session.flush)
    rec.state("after the failed flush", b)
    session.rollback()
    rec.session("session", session)
    rec.rows("table", "SELECT id, qty FROM scn_items ORDER BY id")
    session.close()


@scenario
def conflicting_new_instance(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b")
    session = orm.Session(engine)
    a = session.get(Item, 1)
    clash = Item(id=1, name="clash")
    session.add(clash)
    rec.state("both", a, clash)
    rec.session("before flush", session)
    rec.attempt("flush", session.flush)
    session.rollback()
    rec.state("after rollback", a, clash)
    rec("a intact", _vals(a))
    rec.session("after rollback", session)
    session.close()


@scenario
def new_instance_with_key_of_vanished_row(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b")
    statements = _counting(sa, engine)
    session = orm.Session(engine)
    a, b = session.get(Item, 1), session.get(Item, 2)
    session.commit()
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM scn_items WHERE id = 1"))
    again = Item(id=1, name="again")
    session.add(again)
    b.qty = 5
    n = len(statements)
    rec.attempt("flush", session.flush)
    rec("statements", statements[n:])
    rec.state("after flush", a, again, b)
    rec.session("after flush", session)
    session.commit()
    rec.state("after commit", a, again)
    rec.rows("table", "SELECT id, name, qty FROM scn_items ORDER BY id")
    session.close()


@scenario
def row_switch(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b")
    statements = _counting(sa, engine)
    session = orm.Session(engine)
    b = session.get(Item, 2)
    session.delete(b)
    replacement = Item(id=2, name="b2", qty=7)
    session.add(replacement)
    rec.session("delete and add, same key", session)
    n = len(statements)
    rec.attempt("flush", session.flush)
    rec("statements", statements[n:])
    rec.state("after flush", b, replacement)
    rec.session("after flush", session)
    rec("get returns the replacement", session.get(Item, 2) is replacement)
    session.commit()
    rec.rows("table", "SELECT id, name, qty, note FROM scn_items ORDER BY id")
    rec("replacement values", _vals(replacement))
    session.close()


@scenario
def row_switch_of_fewer_columns(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    with orm.Session(engine) as s, s.begin():
        s.add(Item(id=1, name="a", qty=20, note="kept"))
    session = orm.Session(engine)
    old = session.get(Item, 1)
    session.delete(old)
    replacement = Item(id=1, name="a2")
    session.add(replacement)
    rec.attempt("flush", session.flush)
    rec.loaded("replacement after flush", replacement)
    rec.rows("table after flush", "SELECT id, name, qty, note FROM scn_items")
    session.delete(replacement)
    again = Item(id=1, name="a3", note=None)
    session.add(again)
    session.commit()
    rec("values after commit", _vals(again))
    rec.rows("table", "SELECT id, name, qty, note FROM scn_items")
    session.close()


# -- defaults and SQL expressions --------------------------------------------------------------


@scenario
def server_defaults_and_sql_expressions(sa, orm, exc, engine, rec):
    class Base(orm.DeclarativeBase):
        pass

    class Counter(Base):
        __tablename__ = "scn_counters"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        name: orm.Mapped[str] = orm.mapped_column(sa.String(20))
        count: orm.Mapped[int] = orm.mapped_column(server_default=sa.text("5"))
        label: orm.Mapped[Optional[str]] = orm.mapped_column(sa.String(20),
                                                              server_default="fresh")

    rec.schema(Base)
    session = orm.Session(engine)
    c = Counter(name="c")
    session.add(c)
    rec("pending reads", (c.count, c.label))
    rec.loaded("pending loaded", c)
    session.flush()
    rec.loaded("after insert", c)
    rec("server defaults", (c.count, c.label))
    c.count = Counter.count + 1
    rec.session("expression pending", session)
    rec("is_modified", session.is_modified(c))
    session.flush()
    rec.loaded("expression flushed", c)
    rec("read back", c.count)
    c.count = Counter.count * 2
    c.label = sa.func.upper(Counter.name)
    session.commit()
    rec("after commit", (c.count, c.label))
    d = Counter(name="d", count=1)
    e = Counter(name="e", label=None)
    session.add_all([d, e])
    session.flush()
    rec("explicit values and None", (_vals(d, "count", "label"), _vals(e, "count", "label")))
    d.count = Counter.count + 10
    c.count = Counter.count + 100
    e.count = 0
    session.flush()
    rec.loaded("mixed flush: c", c)
    rec.loaded("mixed flush: e", e)
    rec("values", [_vals(o, "id", "count", "label") for o in (c, d, e)])
    session.commit()
    rec.rows("table", "SELECT id, name, count, label FROM scn_counters ORDER BY id")
    session.close()


@scenario
def python_defaults(sa, orm, exc, engine, rec):
    numbers = iter(range(100, 200))

    class Base(orm.DeclarativeBase):
        pass

    class Event(Base):
        __tablename__ = "scn_events"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        kind: orm.Mapped[str] = orm.mapped_column(sa.String(20), default="misc")
        seq: orm.Mapped[int] = orm.mapped_column(default=lambda: next(numbers))
        doubled: orm.Mapped[int] = orm.mapped_column(
            default=lambda ctx: ctx.get_current_parameters()["seq"] * 2)
        touched: orm.Mapped[int] = orm.mapped_column(default=0, onupdate=lambda: next(numbers))

    rec.schema(Base)
    session = orm.Session(engine)
    e1 = Event()
    rec("transient reads None", (e1.kind, e1.seq, e1.touched))
    rec.loaded("nothing loaded", e1)
    rec.history("no history", e1, "kind")
    e2 = Event(kind="explicit", seq=7)
    session.add_all([e1, e2])
    session.flush()
    rec.loaded("after flush e1", e1)
    rec("e1 values", _vals(e1, "id", "kind", "seq", "doubled", "touched"))
    rec("e2 values", _vals(e2, "id", "kind", "seq", "doubled", "touched"))
    e1.kind = "changed"
    session.flush()
    rec.loaded("after update", e1)
    rec("onupdate", (e1.kind, e1.touched))
    e2.touched = 5
    session.flush()
    rec("explicit value beats onupdate", e2.touched)
    batch = [Event(kind=f"k{i}") for i in range(3)]
    session.add_all(batch)
    session.commit()
    rec("batch", [_vals(e, "kind", "seq", "doubled") for e in batch])
    rec.rows("table", "SELECT id, kind, seq, doubled, touched FROM scn_events ORDER BY id")
    session.close()



@scenario
def sql_expressions_in_inserts(sa, orm, exc, engine, rec):
    class Base(orm.DeclarativeBase):
        pass

    class Tag(Base):
        __tablename__ = "scn_tags"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        name: orm.Mapped[str] = orm.mapped_column(sa.String(20))
        count: orm.Mapped[int] = orm.mapped_column(server_default=sa.text("5"))
        lowered: orm.Mapped[str] = orm.mapped_column(sa.String(20),
                                                     default=sa.func.lower("ABC"))

    rec.schema(Base)
    statements = _counting(sa, engine)
    session = orm.Session(engine)
    plain = Tag(name="plain")
    session.add(plain)
    session.flush()
    rec.loaded("SQL default", plain)
    valued = Tag(name="valued", count=sa.literal(3) * 3)
    session.add(valued)
    session.flush()
    rec.loaded("SQL value beside a server default", valued)
    named = Tag(name=sa.literal("x") + "y")
    session.add(named)
    session.flush()
    rec.loaded("SQL value", named)
    n = len(statements)
    rec("values", [_vals(t, "id", "name", "count", "lowered") for t in (plain, valued, named)])
    rec("statements to read them", statements[n:])
    session.commit()
    rec.rows("table", "SELECT id, name, count, lowered FROM scn_tags ORDER BY id")
    session.close()

# -- the legacy Query ------------------------------------------------------------------------


def _league(sa: Any, orm: Any, rec: Any, engine: Any) -> tuple:
    class Base(orm.DeclarativeBase):
        pass

    class Team(Base):
        __tablename__ = "scn_teams"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        name: orm.Mapped[str] = orm.mapped_column(sa.String(20))

    class Player(Base):
        __tablename__ = "scn_players"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        name: orm.Mapped[str] = orm.mapped_column(sa.String(20))
        team_id: orm.Mapped[Optional[int]] = orm.mapped_column(sa.ForeignKey("scn_teams.id"))
        score: orm.Mapped[int] = orm.mapped_column(default=0)

    rec.schema(Base)
    with orm.Session(engine) as s, s.begin():
        s.add_all([Team(id=1, name="red"), Team(id=2, name="blue"), Team(id=3, name="empty")])
        s.flush()
        s.add_all([
            Player(id=1, name="ann", team_id=1, score=10),
            Player(id=2, name="bob", team_id=1, score=20),
            Player(id=3, name="cy", team_id=2, score=20),
            Player(id=4, name="dee", team_id=2, score=40),
            Player(id=5, name="eve", team_id=None, score=50),
        ])
    return Team, Player


def _p(player: Any) -> Any:
    return None if player is None else (player.id, player.name, player.team_id, player.score)


@scenario
def legacy_query_reads(sa, orm, exc, engine, rec):
    Team, Player = _league(sa, orm, rec, engine)
    session = orm.Session(engine)
    q = session.query(Player)
    ordered = q.order_by(Player.id)
    rec("all", [_p(p) for p in ordered.all()])
    rec("filter", [_p(p) for p in q.filter(Player.score >= 20, Player.team_id == 2)
                   .order_by(Player.name.desc())])
    rec("filter_by chained", [_p(p) for p in q.filter_by(team_id=1).filter_by(score=20)])
    rec("limit/offset", [p.id for p in ordered.limit(2).offset(1)])
    rec("slice", [p.id for p in ordered[1:4]])
    rec("slice from", [p.id for p in ordered[3:]])
    rec("index", _p(ordered[2]))
    rec.attempt("index past end", lambda: ordered[10])
    rec("first", _p(q.order_by(Player.score.desc(), Player.id).first()))
    rec("first of nothing", q.filter(Player.id > 100).first())
    rec("one", _p(q.filter_by(name="cy").one()))
    rec.attempt("one of none", lambda: q.filter_by(name="zed").one())
    rec.attempt("one of many", lambda: q.filter_by(team_id=1).one())
    rec("one_or_none of none", q.filter_by(name="zed").one_or_none())
    rec.attempt("one_or_none of many", lambda: q.filter_by(team_id=2).one_or_none())
    rec("count", q.count())
    rec("count filtered", q.filter(Player.score > 15).count())
    rec("count of columns", session.query(Player.team_id).distinct().count())
    rec("scalar", session.query(sa.func.max(Player.score)).scalar())
    rec("scalar of entity", _p(q.filter_by(id=4).scalar()))
    rec("scalar of nothing", session.query(Player.name).filter_by(id=99).scalar())
    rec.attempt("scalar of many", lambda: session.query(Player.name).scalar())
    rec("exists", session.query(q.filter(Player.score > 45).exists()).scalar())
    rec("not exists", session.query(q.filter(Player.score > 99).exists()).scalar())
    rec("with_entities", ordered.with_entities(Player.name, Player.score).all())
    rec("columns", session.query(Player.id, Player.name).order_by(Player.id.desc()).limit(2).all())
    rec("distinct", session.query(Player.score).distinct().order_by(Player.score).all())
    rec("group_by/having", session.query(Player.team_id, sa.func.count(Player.id),
                                         sa.func.sum(Player.score))
        .group_by(Player.team_id).having(sa.func.count(Player.id) > 1)
        .order_by(Player.team_id).all())
    joined = (session.query(Player, Team).join(Team, Player.team_id == Team.id)
              .order_by(Player.id))
    rec("join entity pairs", [(_p(p), t.name) for p, t in joined])
    rec("join filter", [p.name for p in q.join(Team, Player.team_id == Team.id)
                        .filter(Team.name == "blue").order_by(Player.id)])
    rec("outerjoin", session.query(Team.name, sa.func.count(Player.id))
        .outerjoin(Player, Player.team_id == Team.id).group_by(Team.name)
        .order_by(Team.name).all())
    rec("add_columns", [(p.id, name) for p, name in
                        q.add_columns(Team.name).join(Team, Player.team_id == Team.id)
                        .order_by(Player.id).limit(2)])
    session.add(Player(id=6, name="fay", team_id=3, score=5))
    rec("autoflush before count", q.count())
    rec("identity", ordered.first() is session.get(Player, 1))
    session.rollback()
    rec("after rollback", q.count())
    session.close()


@scenario
def legacy_query_update_delete(sa, orm, exc, engine, rec):
    Team, Player = _league(sa, orm, rec, engine)
    session = orm.Session(engine)
    ann, bob, cy, dee, eve = session.query(Player).order_by(Player.id).all()
    n = session.query(Player).filter(Player.team_id == 1).update(
        {Player.score: Player.score + 1}, synchronize_session="evaluate")
    rec("evaluate: rowcount", n)
    rec.loaded("evaluate: loaded", ann)
    rec("evaluate: values", (_p(ann), _p(bob), _p(cy)))
    rec.session("evaluate: session", session)
    n = session.query(Player).filter(Player.name == "cy").update(
        {"name": "cyd", "score": 21}, synchronize_session="fetch")
    rec("fetch: rowcount", n)
    rec.loaded("fetch: loaded", cy)
    rec("fetch: values", _p(cy))
    n = session.query(Player).filter(Player.score > 30).update(
        {Player.score: Player.score * 2}, synchronize_session="fetch")
    rec.loaded("fetch expression: loaded", dee)
    rec("fetch expression", (n, _p(dee), _p(eve)))
    n = session.query(Player).filter(Player.team_id == 2).update(
        {"team_id": 3}, synchronize_session=False)
    rec("False: rowcount", n)
    rec("False: stale values", (_p(cy), _p(dee)))
    session.expire_all()
    rec("False: after expire_all", (_p(cy), _p(dee)))
    n = session.query(Player).filter(Player.score >= 20).update({"score": 0})
    rec("auto: rowcount", n)
    rec("auto: values", [_p(p) for p in (ann, bob, cy, dee, eve)])
    bob.name = "bobby"
    n = session.query(Player).filter(Player.name == "bobby").update({"score": 7})
    rec("autoflushed before update", (n, _p(bob)))
    rec.attempt("bad strategy", lambda: session.query(Player).update(
        {"score": 1}, synchronize_session="nope"))
    n = session.query(Player).filter(Player.id == 1).delete(synchronize_session="evaluate")
    rec("delete evaluate", n)
    rec.state("deleted by evaluate", ann)
    rec("still in session", ann in session)
    n = session.query(Player).filter(Player.name.like("%yd")).delete(synchronize_session="fetch")
    rec("delete fetch", n)
    rec.state("deleted by fetch", cy)
    n = session.query(Player).filter(Player.id == 4).delete(synchronize_session=False)
    rec("delete False", n)
    rec.state("unsynchronized", dee)
    session.expire(dee)
    rec.attempt("read vanished row", lambda: dee.name)
    n = session.query(Player).filter(Player.team_id.is_(None)).delete()
    rec("delete auto", n)
    rec.state("deleted by auto", eve)
    rec.session("before commit", session)
    session.commit()
    rec.state("after commit", ann, bob, cy, dee, eve)
    rec.rows("table", "SELECT id, name, team_id, score FROM scn_players ORDER BY id")
    session.close()


@scenario
def legacy_query_update_sync_details(sa, orm, exc, engine, rec):
    Team, Player = _league(sa, orm, rec, engine)
    statements = _counting(sa, engine)
    session = orm.Session(engine)
    ann, bob, cy, dee, eve = session.query(Player).order_by(Player.id).all()
    n = len(statements)
    rec.attempt("evaluate, criteria not evaluable", lambda: session.query(Player).filter(
        sa.func.lower(Player.name) == "ann").update({"score": 1}, synchronize_session="evaluate"))
    rec("no SQL for the failed update", statements[n:])
    rec("auto falls back to fetch", session.query(Player).filter(
        sa.func.lower(Player.name) == "ann").update({"score": 1}))
    rec("ann", _p(ann))
    session.query(Player).filter(Player.team_id == 2).update(
        {Player.name: Player.name + "!"}, synchronize_session="evaluate")
    rec.loaded("concatenation evaluated", cy)
    rec("concatenated", (cy.name, dee.name))
    session.expire(bob, ["score"])
    session.query(Player).filter(Player.score > 100).update({"team_id": 2})
    rec.loaded("partially expired bob", bob)
    session.query(Player).filter(Player.id.in_([2, 5])).update(
        {"score": Player.score - 5}, synchronize_session="evaluate")
    rec.loaded("bob after update", bob)
    rec("in_ criteria", (_p(bob), _p(eve)))
    with session.no_autoflush:
        eve.score = 1000
        session.query(Player).filter(Player.id == 5).update(
            {"score": 1, "name": "eve2"}, synchronize_session="evaluate")
        rec.loaded("modified attribute expires", eve)
        rec.session("unflushed change", session)
    rec("eve", _p(eve))
    session.expire(dee)
    session.query(Player).filter(Player.team_id == 2).update({"score": 0})
    rec.loaded("fully expired dee untouched", dee)
    session.query(Player).filter(
        sa.or_(Player.score.is_(None), Player.team_id.is_not(None), Player.id == 5)).update(
        {"team_id": None}, synchronize_session="evaluate")
    rec("or_/is_/is_not", [_p(p) for p in (ann, bob, cy, eve)])
    session.rollback()
    rec.loaded("rollback expires", ann)
    rec("after rollback", [_p(p) for p in (ann, bob, cy, dee, eve)])
    session.expire(cy, ["name"])
    n = session.query(Player).filter(Player.name == "cy").delete(synchronize_session="evaluate")
    rec.state("delete evaluate of a partially expired object", cy)
    rec.loaded("expired instead", cy)
    rec.attempt("read it", lambda: cy.name)
    rec.state("then", cy)
    session.commit()
    rec.rows("table", "SELECT id, name, team_id, score FROM scn_players ORDER BY id")
    session.close()


# -- 2.0-style statements ----------------------------------------------------------------------


@scenario
def select_rows_and_text(sa, orm, exc, engine, rec):
    Team, Player = _league(sa, orm, rec, engine)
    session = orm.Session(engine)
    pairs = session.execute(sa.select(Player, Team).join(Team, Player.team_id == Team.id)
                            .order_by(Player.id)).all()
    rec("select(A, B) rows", [(type(p).__name__, type(t).__name__, p.name, t.name)
                              for p, t in pairs])
    rec("row keys", list(session.execute(sa.select(Player, Team).join(
        Team, Player.team_id == Team.id)).keys()))
    first = pairs[0]
    rec("row by name", (first.Player.name, first._mapping[Team].name, len(first)))
    rec("same identity", first.Player is session.get(Player, 1))
    rec("entity rows are 1-tuples", [len(r) for r in session.execute(
        sa.select(Player).order_by(Player.id).limit(2))])
    rec("columns", session.execute(sa.select(Player.name, Player.score)
                                   .where(Player.score > 15).order_by(Player.name)).all())
    rec("labels", list(session.execute(sa.select(Player.name.label("who"),
                                                 (Player.score * 2).label("double"))
                                       .order_by(Player.id).limit(1)).mappings()))
    rec("entity and column", [(p.id, n) for p, n in session.execute(
        sa.select(Player, Team.name).join(Team, Player.team_id == Team.id)
        .where(Team.id == 2).order_by(Player.id))])
    rec("scalars", [p.id for p in session.scalars(sa.select(Player).order_by(Player.id.desc()))])
    rec("scalar_one", session.scalars(sa.select(Player).where(Player.id == 3)).one().name)
    rec.attempt("scalar_one of many", lambda: session.scalars(sa.select(Player)).one())
    rec("scalar", session.scalar(sa.select(sa.func.count(Player.id))))
    rec("first", session.execute(sa.select(Player.id).order_by(Player.id)).first())
    rec("unique", sorted(session.scalars(sa.select(Team).join(
        Player, Player.team_id == Team.id)).unique().all(), key=lambda t: t.id) == [
        session.get(Team, 1), session.get(Team, 2)])
    stmt = sa.select(Player).from_statement(
        sa.text("SELECT * FROM scn_players WHERE score >= :low ORDER BY id"))
    found = session.scalars(stmt, {"low": 40}).all()
    rec("from_statement", [(type(p).__name__, p.name) for p in found])
    rec("from_statement identity", found[0] is session.get(Player, 4))
    table = Player.__table__.c
    cols = sa.text("SELECT id, name, team_id, score FROM scn_players ORDER BY id DESC").columns(
        table.id, table.name, table.team_id, table.score)
    rec("from_statement of textual columns",
        [p.id for p in session.scalars(sa.select(Player).from_statement(cols))])
    rec("text rows", session.execute(
        sa.text("SELECT name FROM scn_players WHERE id < :n ORDER BY id"), {"n": 3}).all())
    result = session.execute(sa.select(Player).order_by(Player.id)
                             .execution_options(yield_per=2))
    batches = [[p.id for (p,) in part] for part in result.partitions()]
    rec("yield_per partitions", batches)
    rec("yield_per scalars", [p.name for p in session.scalars(
        sa.select(Player).order_by(Player.id).execution_options(yield_per=3))])
    session.get(Player, 1).score = 999
    rec("autoflush then stale-free select",
        session.scalar(sa.select(Player.score).where(Player.id == 1)))
    red = session.get(Team, 1)
    session.commit()
    red.name
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE scn_teams SET name = 'RED' WHERE id = 1"))
    rec("stale", red.name)
    rec("populate_existing", session.scalars(
        sa.select(Team).where(Team.id == 1).execution_options(populate_existing=True)).one().name)
    rec("identity kept", session.get(Team, 1) is red)
    session.close()



@scenario
def textual_columns_of_attributes(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b", "c")
    session = orm.Session(engine)
    textual = sa.text("SELECT id, name, qty, note FROM scn_items ORDER BY id DESC").columns(
        Item.id, Item.name, Item.qty, Item.note)
    rec("core rows", session.execute(textual).all())
    found = session.scalars(sa.select(Item).from_statement(textual)).all()
    rec("entities", [_vals(i) for i in found])
    rec("identity", found[-1] is session.get(Item, 1))
    sub = textual.subquery()
    rec("as a subquery", session.execute(sa.select(sub.c.name).order_by(sub.c.id)).all())
    session.close()


@scenario
def orm_enabled_update_delete(sa, orm, exc, engine, rec):
    Team, Player = _league(sa, orm, rec, engine)
    session = orm.Session(engine)
    ann, bob, cy, dee, eve = session.scalars(sa.select(Player).order_by(Player.id)).all()
    result = session.execute(sa.update(Player).where(Player.team_id == 1)
                             .values(score=Player.score + 1))
    rec("update rowcount", result.rowcount)
    rec("synchronized (auto)", (_p(ann), _p(bob)))
    session.execute(sa.update(Player).where(Player.id == 3).values(name="cyd"),
                    execution_options={"synchronize_session": "fetch"})
    rec("synchronized (fetch)", _p(cy))
    rec.attempt("evaluate of unevaluable criteria", lambda: session.execute(
        sa.update(Player).where(sa.func.lower(Player.name) == "ann").values(score=0),
        execution_options={"synchronize_session": "evaluate"}))
    session.execute(sa.delete(Player).where(Player.id == 4))
    rec.state("deleted (auto)", dee)
    session.execute(sa.update(Player), [{"id": 1, "score": 100}, {"id": 2, "score": 200}])
    rec("bulk update by primary key", [_p(p) for p in (ann, bob, cy, eve)])
    session.commit()
    rec.rows("table", "SELECT id, name, team_id, score FROM scn_players ORDER BY id")
    session.close()

# -- inheritance -------------------------------------------------------------------------------


@scenario
def single_table_inheritance(sa, orm, exc, engine, rec):
    class Base(orm.DeclarativeBase):
        pass

    class Employee(Base):
        __tablename__ = "scn_employees"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        name: orm.Mapped[str] = orm.mapped_column(sa.String(20))
        type: orm.Mapped[str] = orm.mapped_column(sa.String(20))
        __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "employee"}

    class Manager(Employee):
        reports: orm.Mapped[Optional[int]] = orm.mapped_column(nullable=True)
        __mapper_args__ = {"polymorphic_identity": "manager"}

    class Engineer(Employee):
        language: orm.Mapped[Optional[str]] = orm.mapped_column(sa.String(20), nullable=True)
        __mapper_args__ = {"polymorphic_identity": "engineer"}

    rec.schema(Base)
    session = orm.Session(engine)
    session.add_all([Employee(name="e1"), Manager(name="m1", reports=3),
                     Engineer(name="g1", language="py"), Manager(name="m2", reports=1)])
    session.commit()
    rec.rows("discriminator written", "SELECT id, name, type FROM scn_employees ORDER BY id")
    session.close()
    session = orm.Session(engine)
    everyone = session.scalars(sa.select(Employee).order_by(Employee.id)).all()
    rec("base query classes", [(type(e).__name__, e.name) for e in everyone])
    rec("subclass attributes", [getattr(e, "reports", None) for e in everyone])
    rec("subclass query", [m.name for m in session.scalars(
        sa.select(Manager).order_by(Manager.id))])
    rec("legacy subclass count", session.query(Engineer).count())
    rec("get through base", type(session.get(Employee, 2)).__name__)
    rec("get wrong subclass", session.get(Engineer, 2))
    rec("get right subclass", session.get(Manager, 2) is everyone[1])
    rec("identity keys", sorted((k[0].__name__, k[1]) for k in session.identity_map.keys()))
    rec("filter on subclass column",
        [e.name for e in session.scalars(sa.select(Manager).where(Manager.reports > 1))])
    session.close()
    session = orm.Session(engine)
    rec("fresh get through base", type(session.get(Employee, 3)).__name__)
    rec("legacy base query", [type(e).__name__ for e in
                              session.query(Employee).order_by(Employee.id)])
    m = session.get(Manager, 4)
    m.reports = 10
    session.commit()
    rec("subclass update", (type(m).__name__, m.reports, m.type))
    batch = [Engineer(name="g2"), Employee(name="e2"), Manager(name="m3"), Engineer(name="g3")]
    session.add_all(batch)
    session.flush()
    rec("mixed batch: ids in add order", [(e.name, e.id, e.type) for e in batch])
    session.commit()
    rec("count by class", [(cls.__name__, session.query(cls).count())
                           for cls in (Employee, Manager, Engineer)])
    session.close()



# -- scoped sessions and sessionmaker ----------------------------------------------------------


@scenario
def scoped_session_threads(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    Session = orm.scoped_session(orm.sessionmaker(engine))
    rec("registry empty", Session.registry.has())
    main = Session()
    rec("same session in one thread", (Session() is main, Session.registry.has()))
    Session.add(Item(name="main"))
    rec("proxied new", len(Session.new))
    seen = {}

    def worker(tag: str) -> None:
        session = Session()
        seen[tag] = (session is main, len(session.new))
        Session.add(Item(name=tag))
        Session.commit()
        seen[tag + " count"] = Session.query(Item).count()
        Session.remove()

    for tag in ("t1", "t2"):
        thread = threading.Thread(target=worker, args=(tag,))
        thread.start()
        thread.join()
    rec("threads", sorted(seen.items()))
    rec("main still pending", len(Session.new))
    Session.commit()
    rec("main count", Session.query(Item).count())
    rec("query_property", [i.name for i in Item.query.order_by(Item.id)]
        if setattr(Item, "query", Session.query_property()) is None else None)
    Session.remove()
    rec("removed", Session.registry.has())
    fresh = Session()
    rec("new session after remove", fresh is main)
    item = Session.get(Item, 1)
    rec("proxied get", item.name)
    Session.expire(item)
    rec.loaded("proxied expire", item)
    rec("object_session", Session.object_session(item) is fresh)
    Session.delete(item)
    Session.flush()
    rec.state("proxied delete", item)
    Session.rollback()
    rec.state("proxied rollback", item)
    Session.configure(expire_on_commit=False)
    rec("configure on an active registry", Session.registry.has())
    Session.remove()
    kept = Session()
    kept_item = kept.get(Item, 2)
    kept.commit()
    rec.loaded("configured expire_on_commit", kept_item)
    counter = iter(range(10))
    keyed = orm.scoped_session(orm.sessionmaker(engine), scopefunc=lambda: next(counter) // 2)
    first, second, third = keyed(), keyed(), keyed()
    rec("scopefunc", (first is second, second is third))
    keyed.remove()
    Session.remove()


@scenario
def sessionmaker_usage(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    maker = orm.sessionmaker(engine, expire_on_commit=False, info={"app": 1})
    with maker() as session:
        rec("class", (type(session).__name__, isinstance(session, orm.Session)))
        rec("settings", (session.autoflush, session.expire_on_commit, session.info))
        item = Item(name="a")
        session.add(item)
        session.commit()
        rec.loaded("not expired", item)
    rec.state("closed by with", item)
    maker.configure(autoflush=False)
    with maker(info={"req": 2}) as session:
        rec("configured", (session.autoflush, session.expire_on_commit, session.info))
        session.add(Item(name="b"))
        rec("no autoflush", session.query(Item).count())
        session.rollback()
    with maker.begin() as session:
        session.add(Item(name="c"))
        rec("in transaction", session.in_transaction())
    rec("committed by begin()", session.in_transaction())
    rec.rows("after begin block", "SELECT name FROM scn_items ORDER BY id")
    try:
        with maker.begin() as session:
            session.add(Item(name="d"))
            session.flush()
            raise KeyError("boom")
    except KeyError:
        rec("error left the block", True)
    rec.rows("rolled back", "SELECT name FROM scn_items ORDER BY id")
    with maker() as session:
        with session.begin():
            session.add(Item(name="e"))
        rec("begin block committed", session.in_transaction())
        rec.attempt("begin twice", lambda: (session.begin(), session.begin()))
        session.rollback()
        session.begin()
        rec.attempt("begin_nested needs nothing", lambda: session.begin_nested().nested)
        session.rollback()
    local = orm.sessionmaker(bind=engine, autoflush=True)
    with local() as session:
        session.add(Item(name="f"))
        rec("autoflush restored", session.query(Item).count())
    closing = orm.Session(engine, close_resets_only=False)
    closing.add(Item(name="g"))
    closing.close()
    rec.attempt("use after close (close_resets_only=False)", lambda: closing.get(Item, 1))
    rec.rows("final", "SELECT name FROM scn_items ORDER BY id")


# -- mapped attributes beyond columns ----------------------------------------------------------


@scenario
def column_property_synonym_hybrid(sa, orm, exc, engine, rec):
    import importlib

    hybrid = importlib.import_module(sa.__name__ + ".ext.hybrid")

    class Base(orm.DeclarativeBase):
        pass

    class Person(Base):
        __tablename__ = "scn_people"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        first: orm.Mapped[str] = orm.mapped_column(sa.String(20))
        last: orm.Mapped[str] = orm.mapped_column(sa.String(20))
        born: orm.Mapped[int]
        full: orm.Mapped[str] = orm.column_property(first + " " + last)
        nickname = orm.synonym("first")

        @hybrid.hybrid_property
        def age(self) -> int:
            return 2000 - self.born

        @age.inplace.setter
        def _age_setter(self, value: int) -> None:
            self.born = 2000 - value

        @age.inplace.expression
        @classmethod
        def _age_expression(cls) -> Any:
            return 2000 - cls.born

        @hybrid.hybrid_method
        def older_than(self, years: int) -> bool:
            return self.age > years

    rec.schema(Base)
    session = orm.Session(engine)
    ada = Person(first="Ada", last="Lovelace", born=1815)
    session.add_all([ada, Person(first="Alan", last="Turing", born=1912),
                     Person(first="Grace", last="Hopper", born=1906)])
    rec("column_property before flush", ada.full)
    session.flush()
    rec.loaded("after flush", ada)
    rec("column_property loads", ada.full)
    rec("query by column_property", session.scalars(
        sa.select(Person.id).where(Person.full == "Alan Turing")).all())
    rec("select column_property", session.execute(
        sa.select(Person.full).order_by(Person.full)).all())
    ada.first = "Augusta"
    rec("stale column_property", ada.full)
    session.flush()  # (see column_property_expired_by_flush)
    session.expire(ada, ["full"])
    rec("column_property after flush", ada.full)
    rec("synonym read", ada.nickname)
    ada.nickname = "Ada"
    rec.history("synonym write", ada, "first")
    rec("filter on synonym", [p.last for p in session.query(Person).filter(
        Person.nickname == "Ada")])
    rec("synonym in select", session.execute(
        sa.select(Person.nickname).where(Person.id == 2)).all())
    rec("hybrid on instance", ada.age)
    rec("hybrid in filter", sorted(session.scalars(
        sa.select(Person.last).where(Person.age > 90)).all()))
    rec("hybrid order", [p.first for p in session.scalars(
        sa.select(Person).order_by(Person.age))])
    rec("hybrid in select", session.execute(
        sa.select(Person.last, Person.age).order_by(Person.id)).all())
    ada.age = 190
    rec.history("hybrid setter", ada, "born")
    rec("hybrid method", (ada.older_than(100), sorted(session.scalars(
        sa.select(Person.first).where(Person.older_than(89))).all())))
    session.commit()
    rec("legacy query of hybrid", session.query(Person.age).order_by(Person.age).all())
    rec("mapper attrs", sorted(sa.inspect(Person).attrs.keys()))
    rec("column_attrs", sorted(sa.inspect(Person).column_attrs.keys()))
    rec("synonyms", sorted(sa.inspect(Person).synonyms.keys()))
    rec("all_orm_descriptors", sorted(k for k in sa.inspect(Person).all_orm_descriptors.keys()
                                      if not k.startswith("_")))
    session.expire(ada, ["full"])
    rec("expired column_property reloads", ada.full)
    rec.rows("table", "SELECT id, first, last, born FROM scn_people ORDER BY id")
    session.close()



@scenario
def column_property_expired_by_flush(sa, orm, exc, engine, rec):
    class Base(orm.DeclarativeBase):
        pass

    class Box(Base):
        __tablename__ = "scn_boxes"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        w: orm.Mapped[int] = orm.mapped_column()
        h: orm.Mapped[int] = orm.mapped_column()
        area: orm.Mapped[int] = orm.column_property(w * h)

    rec.schema(Base)
    session = orm.Session(engine)
    box = Box(w=2, h=3)
    session.add(box)
    session.flush()
    rec.loaded("after insert", box)
    rec("area", box.area)
    box.w = 5
    rec("stale before flush", box.area)
    session.flush()
    rec.loaded("after update", box)
    rec("area after update", box.area)
    session.commit()
    rec("after commit", box.area)
    session.close()


@scenario
def filter_by_mapped_names(sa, orm, exc, engine, rec):
    class Base(orm.DeclarativeBase):
        pass

    class Book(Base):
        __tablename__ = "scn_books"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        title: orm.Mapped[str] = orm.mapped_column("book_title", sa.String(30))
        name = orm.synonym("title")

    rec.schema(Base)
    session = orm.Session(engine)
    session.add_all([Book(title="Emma"), Book(title="Ulysses")])
    session.commit()
    rec.attempt("select filter_by attribute", lambda: session.scalars(
        sa.select(Book.id).filter_by(title="Emma")).all())
    rec.attempt("query filter_by attribute", lambda: [
        b.id for b in session.query(Book).filter_by(title="Ulysses")])
    rec.attempt("filter_by synonym", lambda: [
        b.title for b in session.query(Book).filter_by(name="Emma")])
    rec.attempt("filter_by column name", lambda: [
        b.id for b in session.query(Book).filter_by(book_title="Emma")])
    session.close()


@scenario
def declarative_features(sa, orm, exc, engine, rec):
    class Base(orm.DeclarativeBase):
        pass

    class Timestamped:
        created: orm.Mapped[int] = orm.mapped_column(default=7)

        @orm.declared_attr.directive
        def __tablename__(cls) -> str:
            return "scn_" + cls.__name__.lower()

    class Note(Timestamped, Base):
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        title: orm.Mapped[str] = orm.mapped_column(sa.String(30))
        body: orm.Mapped[Optional[str]] = orm.mapped_column(sa.Text)
        words: orm.Mapped[int] = orm.mapped_column(default=0)

        def __init__(self, title: str, body: str = "") -> None:
            super().__init__(title=title.strip(), body=body)
            self.words = len(body.split())

    rec.schema(Base)
    rec("table name from the mixin", Note.__table__.name)
    rec("columns", [c.name for c in Note.__table__.columns])
    note = Note("  hello ", "a b c")
    rec("custom __init__", (note.title, note.body, note.words, note.created))
    rec.history("init records history", note, "title", "words")
    session = orm.Session(engine)
    session.add(note)
    session.commit()
    session.close()
    session = orm.Session(engine)
    loaded = session.scalars(sa.select(Note)).one()
    rec.loaded("loaded", loaded)
    rec("values", (loaded.title, loaded.body, loaded.words, loaded.created))
    rec.attempt("init with unknown keyword", lambda: Note(title="x", nope=1))
    loaded.body = "x y"
    session.commit()
    rec.rows("table", "SELECT id, title, body, words, created FROM scn_note")
    reg = orm.registry()

    class Plain:
        def __init__(self, label: str) -> None:
            self.label = label

    table = sa.Table("scn_plain", reg.metadata,
                     sa.Column("id", sa.Integer, primary_key=True),
                     sa.Column("label", sa.String(20)))
    reg.map_imperatively(Plain, table)
    reg.metadata.create_all(engine)
    rec._metadatas.append(reg.metadata)
    p = Plain("imperative")
    rec.state("imperative instance", p)
    session.add(p)
    session.flush()
    p.label = "changed"
    rec.history("imperative history", p, "label")
    session.commit()
    rec.rows("imperative table", "SELECT id, label FROM scn_plain")
    rec("mapped classes", sorted(m.class_.__name__ for m in Base.registry.mappers))
    session.close()


@scenario
def deferred_columns(sa, orm, exc, engine, rec):
    class Base(orm.DeclarativeBase):
        pass

    class Doc(Base):
        __tablename__ = "scn_deferred"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        title: orm.Mapped[str] = orm.mapped_column(sa.String(30))
        body: orm.Mapped[Optional[str]] = orm.mapped_column(sa.Text, deferred=True)
        summary: orm.Mapped[Optional[str]] = orm.mapped_column(sa.Text, deferred=True,
                                                                deferred_group="text")
        notes: orm.Mapped[Optional[str]] = orm.mapped_column(sa.Text, deferred=True,
                                                              deferred_group="text")

    rec.schema(Base)
    statements = _counting(sa, engine)
    session = orm.Session(engine)
    session.add(Doc(title="t", body="b", summary="s", notes="n"))
    session.commit()
    session.close()
    session = orm.Session(engine)
    doc = session.scalars(sa.select(Doc)).one()
    rec.loaded("deferred columns not loaded", doc)
    n = len(statements)
    rec("deferred loads on access", doc.body)
    rec.loaded("alone", doc)
    rec("group loads together", (doc.summary, len(statements) - n))
    rec.loaded("with its group", doc)
    doc.body = "b2"
    session.commit()
    rec.loaded("expired by commit", doc)
    rec("title reloads", doc.title)
    rec.loaded("deferred stay unloaded", doc)
    rec("explicit column select", session.execute(sa.select(Doc.body, Doc.notes)).one())
    session.refresh(doc, ["notes"])
    rec.loaded("refreshed by name", doc)
    session.close()

# -- errors: what raises, and when ------------------------------------------------------------


@scenario
def error_cases(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b", "c")
    session = orm.Session(engine)
    a = session.get(Item, 1)
    session.expire(a, ["note"])
    session.close()
    rec.attempt_message("detached, expired attribute", lambda: a.note)
    rec.attempt("detached, loaded attribute", lambda: a.name)
    rec.attempt("refresh detached", lambda: session.refresh(a))
    rec.attempt("expire detached", lambda: session.expire(a))
    rec.attempt("expunge detached", lambda: session.expunge(a))
    b = session.get(Item, 2)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM scn_items WHERE id = 2"))
    session.commit()
    rec.attempt("deleted row, expired object", lambda: b.name)
    rec.state("after ObjectDeletedError", b)
    rec.attempt("refresh it", lambda: session.refresh(b))
    rec.attempt_message("add unmapped", lambda: session.add(object()))
    rec.attempt("add a class", lambda: session.add(Item))
    rec.attempt("delete unmapped", lambda: session.delete("x"))
    rec.attempt("merge unmapped", lambda: session.merge(42))
    rec.attempt("object_session unmapped", lambda: orm.object_session(object()))
    rec.attempt("inspect unmapped", lambda: sa.inspect(object()))
    rec.attempt("inspect unmapped, raiseerr=False", lambda: sa.inspect(object(), raiseerr=False))
    rec.attempt("class_mapper unmapped", lambda: orm.class_mapper(int))
    rec.attempt("query unmapped", lambda: session.query(int).all())
    rec.attempt("select unmapped", lambda: sa.select(dict))
    other = orm.Session(engine)
    c = other.get(Item, 3)
    rec.attempt("add object of another session", lambda: session.add(c))
    other.close()
    session.add(c)
    rec.state("after the other closed", c)
    rec.attempt("constructor with unknown keyword", lambda: Item(nope=1))
    rec.attempt("textual SQL as a string", lambda: session.execute("SELECT 1"))
    rec.attempt("get with None", lambda: session.get(Item, None))
    rec.attempt("begin twice", lambda: (session.begin(), session.begin()))
    session.rollback()
    rec.attempt("begin_nested before begin", lambda: session.begin_nested().nested)
    session.rollback()
    with session.begin():
        rec.attempt("commit inside begin block", session.commit)
    rec.attempt("unique violation in a flush", lambda: (session.add(Item(name="c")),
                                                         session.flush()))
    rec.attempt("then anything", lambda: session.get(Item, 1))
    session.rollback()
    rec.attempt("scalars one of none",
                lambda: session.scalars(sa.select(Item).where(Item.id == 99)).one())
    rec.attempt("query one of many", lambda: session.query(Item).one())
    rec.attempt("flag_modified unloaded", lambda: orm.attributes.flag_modified(c, "nope"))
    rec.attempt("history of unknown", lambda: orm.attributes.get_history(c, "nope"))
    session.close()



# -- inspection of instances -------------------------------------------------------------------


def _insp(sa: Any, obj: Any) -> dict:
    insp = sa.inspect(obj)
    return {
        "has_identity": insp.has_identity,
        "identity": insp.identity,
        "key": None if insp.key is None else (insp.key[0].__name__, insp.key[1], insp.key[2]),
        "modified": insp.modified,
        # (was_deleted: see state_flags)
        "unloaded": sorted(insp.unloaded),
        "unmodified": sorted(insp.unmodified),
        "expired_attributes": sorted(insp.expired_attributes),
        "in session": insp.session is not None,
        "object": insp.object is obj,
    }


@scenario
def instance_inspection(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    session = orm.Session(engine)
    item = Item(name="a", qty=1)
    rec("transient", _insp(sa, item))
    rec("attrs", [(a.key, a.loaded_value is orm.NO_VALUE or a.loaded_value)
                  for a in sa.inspect(item).attrs])
    session.add(item)
    rec("pending", _insp(sa, item))
    session.flush()
    rec("persistent", _insp(sa, item))
    item.qty = 2
    rec("modified", _insp(sa, item))
    rec("attr value and history", (sa.inspect(item).attrs.qty.value,
                                   tuple(sa.inspect(item).attrs.qty.history)))
    session.commit()
    rec("expired by commit", _insp(sa, item))
    rec("loaded_value of expired", sa.inspect(item).attrs.qty.loaded_value is orm.NO_VALUE)
    rec("load_history", tuple(sa.inspect(item).attrs.qty.load_history()))
    session.expire(item, ["note"])
    rec("partially expired", _insp(sa, item))
    item.note = "x"
    rec("write to expired", _insp(sa, item))
    session.delete(item)
    rec("marked deleted", _insp(sa, item))
    session.flush()
    rec("deleted", _insp(sa, item))
    session.commit()
    rec("detached after delete", _insp(sa, item))
    orm.make_transient(item)
    rec("made transient", _insp(sa, item))
    rec("instance_state is inspect", orm.attributes.instance_state(item) is sa.inspect(item))
    rec("mapper of instance", sa.inspect(item).mapper is sa.inspect(Item))
    rec("object_mapper", orm.object_mapper(item) is sa.inspect(Item))
    session.close()


@scenario
def state_flags(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a")
    session = orm.Session(engine)
    item = session.get(Item, 1)
    rec("loaded", sa.inspect(item).expired)
    session.expire(item, ["qty"])
    rec("one attribute expired", sa.inspect(item).expired)
    item.qty
    session.expire(item)
    rec("all expired", sa.inspect(item).expired)
    item.name
    rec("loaded again", sa.inspect(item).expired)
    session.delete(item)
    rec("marked for deletion", sa.inspect(item).was_deleted)
    session.flush()
    rec("deleted", sa.inspect(item).was_deleted)
    session.rollback()
    rec("rolled back", (sa.inspect(item).was_deleted, sa.inspect(item).expired))
    session.delete(item)
    session.commit()
    rec("detached after delete", sa.inspect(item).was_deleted)
    session.close()

# -- the identity map holds objects weakly ------------------------------------------------------


@scenario
def identity_map_weakness(sa, orm, exc, engine, rec):
    Base, Item = _items(sa, orm, rec)
    _fill(orm, engine, Item, "a", "b", "c", "d")
    statements = _counting(sa, engine)
    session = orm.Session(engine)
    items = session.scalars(sa.select(Item).order_by(Item.id)).all()
    rec("loaded", len(session.identity_map))
    del items
    gc.collect()
    rec("unreferenced objects leave the map", len(session.identity_map))
    n = len(statements)
    a = session.get(Item, 1)
    rec("get loads again", len(statements) - n)
    a.qty = 111
    del a
    gc.collect()
    rec("modified object is held", sorted(k[1] for k in session.identity_map.keys()))
    n = len(statements)
    again = session.get(Item, 1)
    rec("get from the map, unflushed value", (again.qty, len(statements) - n))
    rec.session("dirty", session)
    del again
    session.flush()
    gc.collect()
    rec("flushed: weak again", len(session.identity_map))
    b = session.get(Item, 2)
    session.delete(b)
    del b
    gc.collect()
    rec("deleted object is held", len(session.deleted))
    session.add(Item(name="pending"))
    gc.collect()
    rec("pending object is held", [i.name for i in session.new])
    session.flush()
    gc.collect()
    rec("after flush", (len(session.identity_map), len(session.new), len(session.deleted)))
    c = session.get(Item, 3)
    session.expire(c)
    del c
    gc.collect()
    rec("expired object is weak", len(session.identity_map))
    d = session.get(Item, 4)
    d.note = "n"
    session.expunge(d)
    d_state = sa.inspect(d)
    del d
    gc.collect()
    rec("expunged object is gone", d_state.object is None)
    session.commit()
    rec.rows("table", "SELECT id, name, qty, note FROM scn_items ORDER BY id")
    e = session.get(Item, 1)
    e.qty = 5
    session.commit()
    gc.collect()
    rec("committed object still referenced", (len(session.identity_map), e.qty))
    session.close()

# -- the differential test -------------------------------------------------------------------

SCENARIOS = [
    add_flush_commit,
    autoflush_and_no_autoflush,
    rollback_restores,
    savepoints,
    integrity_error_recovery,
    merging,
    expunge_and_transient,
    refresh_and_expire,
    delete_then_rollback,
    get_and_populate_existing,
    version_counter,
    delete_expired_object,
    update_expired_object,
    conflicting_new_instance,
    new_instance_with_key_of_vanished_row,
    row_switch,
    row_switch_of_fewer_columns,
    server_defaults_and_sql_expressions,
    python_defaults,
    sql_expressions_in_inserts,
    legacy_query_reads,
    legacy_query_update_delete,
    legacy_query_update_sync_details,
    select_rows_and_text,
    textual_columns_of_attributes,
    orm_enabled_update_delete,
    single_table_inheritance,
    scoped_session_threads,
    sessionmaker_usage,
    column_property_synonym_hybrid,
    column_property_expired_by_flush,
    filter_by_mapped_names,
    declarative_features,
    deferred_columns,
    error_cases,
    instance_inspection,
    state_flags,
    identity_map_weakness,
]


def _param(fn: Any) -> Any:
    reason = getattr(fn, "xfail_reason", None)
    if reason:
        # only a difference from SQLAlchemy counts as the known failure, never a crash of
        # the scenario itself under SQLAlchemy
        mark = pytest.mark.xfail(strict=True, reason=reason, raises=AssertionError)
        return pytest.param(fn, id=fn.__name__, marks=mark)
    return pytest.param(fn, id=fn.__name__)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fn", [_param(fn) for fn in SCENARIOS])
def test_scenario(fn: Any, backend: str, tmp_path: Any) -> None:
    expected, got, crash = run_both(fn, backend, tmp_path, PG_URL)
    assert got == expected, first_difference(expected, got) + (f"\n\n{crash}" if crash else "")
