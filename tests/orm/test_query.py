"""The legacy Query (`session.query(...)`), differential against SQLAlchemy."""

from __future__ import annotations

import pytest
import sqlalchemy
import sqlalchemy.orm

import ormcore
import ormcore.orm

from tests.orm._loading_helpers import differential
from tests.orm._loading_helpers import error
from tests.orm._loading_helpers import values
from tests.orm._mapping_helpers import run_script


def _legacy(fn, *args):
    """Query.get() warns as a legacy API (in both libraries)."""
    with pytest.warns(DeprecationWarning, match="Query.get"):
        return fn(*args)


def test_query_building_and_fetching(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        User, Address = m.User, m.Address
        with orm.Session(eng) as s:
            q = s.query(User)
            ordered = q.order_by(User.id)
            out = [
                [values(u) for u in ordered.all()],
                [values(u) for u in q.filter(User.age > 40).filter(User.score < 9)
                 .order_by(User.name.desc())],
                values(q.filter_by(name="grace").one()),
                values(ordered.first()),
                q.filter(User.id == 99).first(),
                q.filter(User.id == 99).one_or_none(),
                error(lambda: q.filter(User.id == 99).one()),
                error(lambda: q.one()),
                error(lambda: q.one_or_none()),
                [values(u) for u in ordered.limit(2).offset(1)],
                [values(u) for u in ordered[1:3]],
                values(ordered[2]),
                error(lambda: ordered[10]),
                error(lambda: ordered[-2:]),
                error(lambda: ordered[-1]),
                q.count(),
                q.filter(User.age > 45).count(),
                values(_legacy(q.get, 3)),
                _legacy(q.get, 42),
                [tuple(r) for r in s.query(User.id, User.name).order_by(User.id)],
                [tuple(r) for r in ordered.with_entities(User.name, User.age)],
                ordered.with_entities(User.name).scalar() if False else None,
                s.query(User.name).filter(User.id == 2).scalar(),
                s.query(User.name).filter(User.id == 99).scalar(),
                s.query(q.filter(User.age > 80).exists()).scalar(),
                s.query(q.filter(User.age > 100).exists()).scalar(),
                sorted(tuple(r) for r in s.query(User.nickname).distinct()
                       .filter(User.nickname.is_not(None))),
                [tuple(r) for r in s.query(Address.user_id, lib.func.count(Address.id))
                 .group_by(Address.user_id).having(lib.func.count(Address.id) > 1)],
                [(values(u), values(a, "email")) for u, a in
                 s.query(User, Address).join(Address, User.id == Address.user_id)
                 .order_by(Address.id)],
                [values(u) for u in q.join(Address, User.id == Address.user_id)
                 .filter(Address.email.like("%navy%"))],
            ]
            sub = s.query(Address.user_id).filter(Address.email.like("ada%")).subquery()
            out.append([values(u) for u in q.filter(User.id.in_(lib.select(sub.c.user_id)))])
            out.append(q.filter(User.id == 1).first() is _legacy(q.get, 1))
            return out
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


def test_query_update_and_delete(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        User = m.User
        out = []
        with orm.Session(eng) as s:
            users = s.query(User).order_by(User.id).all()
            out.append(s.query(User).filter(User.age > 50).update({"nickname": "old"}))
            out.append([values(u) for u in users])
            out.append(s.query(User).filter(User.id == 1).update(
                {User.age: User.age + 1}, synchronize_session="fetch"))
            out.append(values(users[0]))
            out.append(s.query(User).filter(User.id == 2).update(
                {"name": "x"}, synchronize_session=False))
            out.append(values(users[1]))
            out.append(s.query(m.Address).filter(m.Address.user_id == 3).delete())
            out.append(s.query(User).filter(User.id == 3).delete())
            out.append((lib.inspect(users[2]).persistent, users[2] in s))
            out.append(sorted(u.id for u in s.query(User)))
            s.rollback()
        return out
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


FILTER_BY_MODEL = """
from LIB import Integer, String
from LIB.orm import DeclarativeBase, mapped_column, synonym

class Base(DeclarativeBase):
    pass

class Book(Base):
    __tablename__ = "fb_books"
    id = mapped_column(Integer, primary_key=True)
    title = mapped_column("book_title", String(30))
    name = synonym("title")
"""


def test_filter_by_names_mapped_attributes_not_columns(engine, sa_engine):
    """filter_by() of an entity takes its attribute names (synonyms too), not column names."""
    seen = []
    for lib, orm, eng in ((sqlalchemy, sqlalchemy.orm, sa_engine), (ormcore, ormcore.orm, engine)):
        m = run_script(lib.__name__, FILTER_BY_MODEL)
        m.Base.metadata.drop_all(eng)
        m.Base.metadata.create_all(eng)
        try:
            with orm.Session(eng) as s:
                s.add_all([m.Book(id=1, title="Emma"), m.Book(id=2, title="Ulysses")])
                s.flush()
                seen.append([
                    error(lambda: [b.id for b in s.scalars(lib.select(m.Book).filter_by(**kw))])
                    for kw in ({"title": "Emma"}, {"name": "Ulysses"}, {"book_title": "Emma"})
                ] + [error(lambda: [b.id for b in s.query(m.Book).filter_by(name="Emma")])])
        finally:
            m.Base.metadata.drop_all(eng)
    assert seen[1] == seen[0]
    assert seen[1][2] == "InvalidRequestError"
