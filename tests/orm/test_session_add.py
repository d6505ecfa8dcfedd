"""Session.add_all() against SQLAlchemy: it inlines add() for transient objects no session has
seen and hands every other object to add(), so each kind is mixed into one call here.

No `from __future__ import annotations`: SQLAlchemy resolves the Mapped[] annotations of the
model defined inside a function at class creation."""

from typing import Any
from typing import Optional

import pytest

from tests.orm._scenario_helpers import first_difference
from tests.orm._scenario_helpers import run_both
from tests.orm._scenario_helpers import scenario
from tests.conftest import BACKENDS
from tests.conftest import PG_URL


def _model(sa: Any, orm: Any, rec: Any) -> Any:
    class Base(orm.DeclarativeBase):
        pass

    class Item(Base):
        __tablename__ = "add_items"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        name: orm.Mapped[str] = orm.mapped_column(sa.String(30))
        note: orm.Mapped[Optional[str]] = orm.mapped_column(sa.String(30))

    rec.schema(Base)
    return Item


@scenario
def add_all_mixed(sa, orm, exc, engine, rec):
    Item = _model(sa, orm, rec)
    with orm.Session(engine) as s:
        s.add_all([Item(name="detached"), Item(name="kept")])
        s.commit()
    session = orm.Session(engine)
    rec("no transaction before", session.in_transaction())
    session.add_all([])
    rec("no transaction after an empty add_all", session.in_transaction())
    early = Item(name="early")
    session.add_all([early])
    rec("a transaction after adding a transient object", session.in_transaction())
    kept = session.get(Item, 2)
    with orm.Session(engine) as other:
        old = other.get(Item, 1)
    fresh = Item(name="fresh")
    bare = Item()  # nothing set: not modified, so held only by the session's new set
    twice = Item(name="twice")
    session.add_all(iter([fresh, twice, old, kept, twice, bare]))
    rec.state("after add_all", early, fresh, twice, old, kept, bare)
    rec.session("after add_all", session)
    rec("in transaction", session.in_transaction())
    bare.name = "bare"
    session.commit()
    rec.rows("rows", "SELECT id, name, note FROM add_items ORDER BY id")
    rec.state("after commit", early, fresh, twice, old, kept, bare)

    owned = orm.Session(engine)
    theirs = Item(name="theirs")
    owned.add(theirs)
    ours = Item(name="ours")
    rec.attempt("another session's object", lambda: session.add_all([ours, theirs]))
    rec.state("after the failed add_all", ours, theirs)
    rec.attempt("unmapped", lambda: session.add_all([Item(name="x"), object()]))
    rec.session("after the unmapped one", session)
    owned.close()
    session.close()


@pytest.mark.parametrize("backend", BACKENDS)
def test_add_all_mixed(backend: str, tmp_path: Any) -> None:
    expected, got, crash = run_both(add_all_mixed, backend, tmp_path, PG_URL)
    assert got == expected, first_difference(expected, got) + (f"\n\n{crash}" if crash else "")
