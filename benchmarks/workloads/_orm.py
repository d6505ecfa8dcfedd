"""The mapped model and the plain class the ORM workloads share.

`model(lib)` maps `bench_item` with the library's declarative API (lib: sqlalchemy or
ormcore; the very same code for both), once per library per process. `PlainItem` is the
floor's object: a plain class whose `__init__` sets the six attributes.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from benchmarks.data import COLUMNS

_models: dict = {}


class PlainItem:
    """What the floor builds per row: a plain object with a plain __init__."""

    def __init__(self, id: int, name: str, email: str, qty: int, price: float, note: Any) -> None:
        self.id = id
        self.name = name
        self.email = email
        self.qty = qty
        self.price = price
        self.note = note


def orm(lib: ModuleType) -> ModuleType:
    """`lib.orm` (sqlalchemy.orm or ormcore.orm)."""
    return importlib.import_module(lib.__name__ + ".orm")


def model(lib: ModuleType) -> type:
    """The mapped class `Item` of `bench_item` for `lib`."""
    found = _models.get(lib.__name__)
    if found is not None:
        return found
    o = orm(lib)

    class Base(o.DeclarativeBase):
        pass

    class Item(Base):
        __tablename__ = "bench_item"
        id = o.mapped_column(lib.Integer, primary_key=True)
        name = o.mapped_column(lib.String(100), nullable=False)
        email = o.mapped_column(lib.String(200), nullable=False)
        qty = o.mapped_column(lib.Integer, nullable=False)
        price = o.mapped_column(lib.Float, nullable=False)
        note = o.mapped_column(lib.String(200), nullable=True)

    _models[lib.__name__] = Item
    return Item


def as_tuple(obj: Any) -> tuple:
    return tuple(getattr(obj, c) for c in COLUMNS)


def fetch_plain_items(connection: Any, sql: str, ids: list) -> list:
    """The floor of the single-object lookups: one execute + fetchone per id, one PlainItem
    built per row, on one cursor; then the cursor closed and the transaction rolled back."""
    cursor = connection.cursor()
    found = [_plain(cursor, sql, i) for i in ids]
    cursor.close()
    connection.rollback()
    return found


def _plain(cursor: Any, sql: str, ident: int) -> PlainItem:
    cursor.execute(sql, {"id": ident})
    return PlainItem(*cursor.fetchone())
