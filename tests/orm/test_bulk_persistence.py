"""ORM-enabled insert() / update() / delete() through Session.execute, against SQLAlchemy.

The mapped attribute `title` writes the column `book_title`, so records and values() keyed
by attribute names must reach the right column; loaded objects must follow the changes.
"""

from __future__ import annotations

import sqlalchemy
import sqlalchemy.orm

import ormcore
import ormcore.orm

from tests.orm._loading_helpers import error
from tests.orm._mapping_helpers import run_script

MODEL = """
from LIB import Integer, String
from LIB.orm import DeclarativeBase, mapped_column

class Base(DeclarativeBase):
    pass

class Book(Base):
    __tablename__ = "bulk_books"
    id = mapped_column(Integer, primary_key=True)
    title = mapped_column("book_title", String(20))
    copies = mapped_column(Integer, default=7)
"""


def _scenario(lib, orm, m, engine):
    Book = m.Book
    out = []
    with orm.Session(engine) as s:
        s.execute(lib.insert(Book), [{"id": 1, "title": "a"}, {"id": 2, "title": "b"},
                                     {"id": 3, "title": "c"}])
        a, b = s.get(Book, 1), s.get(Book, 2)
        s.execute(lib.update(Book), [{"id": 1, "title": "A"}, {"id": 2, "copies": 1}])
        out.append(("by primary key", a.title, a.copies, b.title, b.copies))
        out.append(("no key", error(lambda: s.execute(lib.update(Book), [{"title": "x"}]))))
        out.append(("where + many", error(lambda: s.execute(
            lib.update(Book).where(Book.id > 0), [{"id": 1, "title": "x"}]))))
        result = s.execute(lib.update(Book).where(Book.id == 1).values(title="AA"))
        out.append(("criteria", a.title, result.rowcount))
        result = s.execute(lib.update(Book).where(Book.title == "b").values(copies=Book.copies + 1),
                           execution_options={"synchronize_session": "fetch"})
        out.append(("fetch", b.copies, result.rowcount))
        s.execute(lib.delete(Book).where(Book.id == 2))
        out.append(("deleted", lib.inspect(b).deleted))
        out.append(("returning", s.execute(lib.update(Book).where(Book.id == 3)
                                           .values(title="C").returning(Book.id, Book.title)).all()))
        s.commit()
        out.append(("table", s.execute(lib.select(Book.id, Book.title, Book.copies)
                                       .order_by(Book.id)).all()))
    return out


def test_orm_enabled_dml_matches_sqlalchemy(engine, sa_engine):
    results = []
    for lib, orm, eng in ((sqlalchemy, sqlalchemy.orm, sa_engine), (ormcore, ormcore.orm, engine)):
        m = run_script(lib.__name__, MODEL)
        m.Base.metadata.drop_all(eng)
        m.Base.metadata.create_all(eng)
        try:
            results.append(_scenario(lib, orm, m, eng))
        finally:
            m.Base.metadata.drop_all(eng)
    assert results[1] == results[0]
    assert results[1][0] == ("by primary key", "A", 7, "b", 1)
