"""filter_by() keys are looked up among the mapped attribute names of the ORM entities a
SELECT names: whole (`select(Book)`), through a column attribute (`select(Book.id)`), as a
FROM item or a join target. Compared with SQLAlchemy: the criterion built, or the error class.
"""

from typing import Any

import pytest
import sqlalchemy
import sqlalchemy.orm

import ormcore
import ormcore.orm


def _model(sa: Any, orm: Any) -> Any:
    class Base(orm.DeclarativeBase):
        pass

    class Book(Base):
        __tablename__ = "fb_books"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        title: orm.Mapped[str] = orm.mapped_column("book_title", sa.String(30))
        name = orm.synonym("title")

    class Review(Base):
        __tablename__ = "fb_reviews"
        id: orm.Mapped[int] = orm.mapped_column(primary_key=True)
        book_id: orm.Mapped[int] = orm.mapped_column(sa.ForeignKey("fb_books.id"))

    return Book, Review


STATEMENTS = {
    "column": lambda sa, B, R: sa.select(B.id),
    "entity": lambda sa, B, R: sa.select(B),
    "two_columns": lambda sa, B, R: sa.select(B.id, B.title),
    "added_column": lambda sa, B, R: sa.select(B.id).add_columns(R.book_id),
    "replaced_columns": lambda sa, B, R: sa.select(B.id).with_only_columns(B.__table__.c.id),
    "select_from": lambda sa, B, R: sa.select(B.id).select_from(B),
    "join_target": lambda sa, B, R: sa.select(R.id).join(B),
    "plain_table": lambda sa, B, R: sa.select(B.__table__.c.id),
}
KEYS = ["title", "name", "book_title", "book_id", "nope"]


def _outcome(sa: Any, orm: Any, case: str, key: str) -> Any:
    book, review = _model(sa, orm)
    stmt = STATEMENTS[case](sa, book, review)
    try:
        return str(stmt.filter_by(**{key: 1}).whereclause)
    except Exception as err:  # the class is what must agree; the entity list's order varies
        return type(err).__name__


@pytest.mark.parametrize("key", KEYS)
@pytest.mark.parametrize("case", sorted(STATEMENTS))
def test_filter_by_keys_as_sqlalchemy(case: str, key: str) -> None:
    want = _outcome(sqlalchemy, sqlalchemy.orm, case, key)
    assert _outcome(ormcore, ormcore.orm, case, key) == want
