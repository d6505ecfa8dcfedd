"""Loading expired attributes (orm/loading.py's load_attributes), as SQLAlchemy: reading one
expired attribute SELECTs the expired attributes that hold no change of the user's, and
nothing else; an attribute that is missing without being expired (one a new object never
set, after its flush) reads None without any SQL; refresh(obj, names) SELECTs those names.

Differential: each scenario runs through SQLAlchemy and ormcore and records the statements the
engine sent (through before_cursor_execute), values and histories.

(No `from __future__ import annotations`: the scenarios' annotations are evaluated with the
library under test.)
"""

import re
from typing import Any
from typing import Optional

import pytest

from tests.conftest import BACKENDS
from tests.conftest import PG_URL
from tests.orm._scenario_helpers import first_difference
from tests.orm._scenario_helpers import run_both
from tests.orm._scenario_helpers import scenario


def _model(sa: Any, orm: Any, rec: Any) -> Any:
    class Base(orm.DeclarativeBase):
        pass

    class Doc(Base):
        __tablename__ = "exl_docs"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        title: orm.Mapped[str] = orm.mapped_column(sa.String(30))
        body: orm.Mapped[Optional[str]] = orm.mapped_column(sa.String(50))
        rank: orm.Mapped[int] = orm.mapped_column(default=0)
        stamp: orm.Mapped[Optional[str]] = orm.mapped_column(sa.String(20),
                                                              server_default="srv")
        notes: orm.Mapped[Optional[str]] = orm.mapped_column(sa.String(50), deferred=True)

    rec.schema(Base)
    with orm.Session(rec.engine) as s, s.begin():
        s.add_all([Doc(id=1, title="one", body="b1", rank=1, notes="n1"),
                   Doc(id=2, title="two", body="b2", rank=2, notes="n2")])
    return Doc


_SPACES = re.compile(r"\s+")


def _statements(sa: Any, engine: Any) -> list:
    """The SQL the engine sends, whitespace folded and SQLite's / PostgreSQL's placeholders
    made alike; SELECTs and DML only."""
    seen: list = []

    @sa.event.listens_for(engine, "before_cursor_execute")
    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        text = _SPACES.sub(" ", statement).strip()
        if text.split()[0].upper() in ("SELECT", "INSERT", "UPDATE", "DELETE"):
            seen.append(re.sub(r"%\(\w+\)s", "?", text))

    return seen


def _vals(obj: Any) -> tuple:
    return tuple(getattr(obj, key) for key in ("id", "title", "body", "rank", "stamp"))


@scenario
def expired_attributes_the_user_set_are_not_selected(sa, orm, exc, engine, rec):
    Doc = _model(sa, orm, rec)
    sql = _statements(sa, engine)
    session = orm.Session(engine)
    doc = session.get(Doc, 1)
    session.expire(doc)
    doc.title = "changed"
    n = len(sql)
    rec("body", doc.body)
    rec("select", sql[n:])
    rec.history("history", doc, "title", "body", "rank")
    rec.loaded("loaded", doc)
    rec("values", _vals(doc))
    session.flush()
    rec("after flush", _vals(doc))
    session.rollback()

    # expire some: only those load, whichever is read first
    doc = session.get(Doc, 2)
    session.expire(doc, ["rank", "title"])
    n = len(sql)
    rec("rank", doc.rank)
    rec("select some", sql[n:])
    rec.loaded("loaded some", doc)

    # expired by commit, two set before a read
    doc.rank = 20
    session.commit()
    doc.body = "new body"
    doc.rank = 21
    n = len(sql)
    rec("title", doc.title)
    rec("select after commit", sql[n:])
    rec.history("history after commit", doc, "title", "body", "rank")
    session.commit()
    rec.rows("table", "SELECT id, title, body, rank, stamp, notes FROM exl_docs ORDER BY id")

    # a deferred column stays unloaded by the expired load, and loads alone
    doc = session.get(Doc, 1)
    session.expire(doc)
    n = len(sql)
    rec("title of expired", doc.title)
    rec("notes", doc.notes)
    rec("select deferred", sql[n:])
    session.close()


@scenario
def server_default_after_insert(sa, orm, exc, engine, rec):
    Doc = _model(sa, orm, rec)
    sql = _statements(sa, engine)
    session = orm.Session(engine)
    doc = Doc(id=3, title="three")
    session.add(doc)
    session.flush()
    rec.loaded("loaded after flush", doc)
    n = len(sql)
    rec("values", _vals(doc))
    rec("body unset", doc.body)
    rec("select", sql[n:])
    session.commit()
    session.close()


@scenario
def row_switch_leaves_unset_attributes_none(sa, orm, exc, engine, rec):
    Doc = _model(sa, orm, rec)
    sql = _statements(sa, engine)
    session = orm.Session(engine)
    old = session.get(Doc, 1)
    session.delete(old)
    new = Doc(id=1, title="replaced")
    session.add(new)
    n = len(sql)
    session.flush()
    rec("flush", sql[n:])
    rec.loaded("loaded after flush", new)
    n = len(sql)
    rec("values", _vals(new))
    rec("notes", new.notes)
    rec("reads", sql[n:])
    rec.history("history", new, "title", "body", "rank")
    session.commit()
    rec("values after commit", _vals(new))
    rec.rows("table", "SELECT id, title, body, rank, stamp, notes FROM exl_docs ORDER BY id")
    session.close()


@scenario
def partial_rows_expire_what_they_lack(sa, orm, exc, engine, rec):
    """Rows without some of the entity's columns (a textual statement's; a single-table
    subclass's row selected through its base) leave those attributes expired: reading one
    loads the missing ones, with the subclass's criterion."""

    class Base(orm.DeclarativeBase):
        pass

    class Emp(Base):
        __tablename__ = "exl_emps"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        name: orm.Mapped[Optional[str]] = orm.mapped_column(sa.String(30))
        kind: orm.Mapped[str] = orm.mapped_column(sa.String(10))
        __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "emp"}

    class Mgr(Emp):
        budget: orm.Mapped[Optional[int]] = orm.mapped_column(nullable=True)
        __mapper_args__ = {"polymorphic_identity": "mgr"}

    rec.schema(Base)
    with orm.Session(engine) as s, s.begin():
        s.add_all([Emp(id=1, name="e"), Mgr(id=2, name="m", budget=5)])
    sql = _statements(sa, engine)
    session = orm.Session(engine)
    emps = session.scalars(sa.select(Emp).order_by(Emp.id)).all()
    rec.loaded("manager through its base", emps[1])
    n = len(sql)
    rec("budget", emps[1].budget)
    rec("select budget", sql[n:])
    session.expire(emps[1], ["kind", "name"])
    emps[1].name = "set"
    n = len(sql)
    rec("kind", emps[1].kind)
    rec("select kind", sql[n:])
    session.close()

    session = orm.Session(engine)
    mgr = session.scalars(sa.select(Mgr).from_statement(
        sa.text("SELECT id, kind FROM exl_emps WHERE id = 2"))).one()
    rec.loaded("from a textual statement", mgr)
    n = len(sql)
    rec("values", (mgr.budget, mgr.name))
    rec("select the rest", sql[n:])
    session.close()


@scenario
def refresh_of_named_attributes(sa, orm, exc, engine, rec):
    """refresh(obj, names) SELECTs the named columns only, deferred ones included, after
    autoflushing the user's changes; refresh(obj) discards the object's pending changes."""
    Doc = _model(sa, orm, rec)
    sql = _statements(sa, engine)
    session = orm.Session(engine)
    doc = session.get(Doc, 1)
    doc.title = "changed"
    for names in (["body"], ["title", "rank"], ["notes"], ["notes", "body"], None):
        n = len(sql)
        session.refresh(doc, names)
        rec(f"refresh {names}", sql[n:])
        rec.loaded("loaded", doc)
    rec("values", _vals(doc) + (doc.notes,))
    doc.title = "pending"
    n = len(sql)
    session.refresh(doc)
    rec("a whole refresh discards pending changes", (doc.title, sql[n:], len(session.dirty)))
    session.delete(doc)
    session.flush()
    rec.attempt_message("refresh a deleted row", lambda: session.refresh(doc, ["body"]))
    session.close()


SCENARIOS = [
    expired_attributes_the_user_set_are_not_selected,
    server_default_after_insert,
    row_switch_leaves_unset_attributes_none,
    partial_rows_expire_what_they_lack,
    refresh_of_named_attributes,
]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("fn", SCENARIOS, ids=[fn.__name__ for fn in SCENARIOS])
def test_expired_loading(fn: Any, backend: str, tmp_path: Any) -> None:
    expected, got, crash = run_both(fn, backend, tmp_path, PG_URL)
    assert got == expected, first_difference(expected, got) + (f"\n\n{crash}" if crash else "")
