"""A model and data shared by the loading, query and get tests, and the differential runner.

`differential(scenario, engine, sa_engine)` maps MODEL with sqlalchemy and with ormcore (the
same source), creates and fills the tables (Core insert through ormcore) before each library's run, then runs
`scenario(lib, orm, models, engine)` for each library on the same database, and returns both
observation lists for the test to compare.
"""

from __future__ import annotations

from typing import Any
from typing import Callable

import sqlalchemy
import sqlalchemy.orm

import ormcore
import ormcore.orm

from tests.orm._mapping_helpers import run_script

MODEL = """
from LIB import ForeignKey, String, Integer, Float
from LIB.orm import DeclarativeBase, Mapped, mapped_column
from typing import Optional

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "lu_users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    age: Mapped[int]
    score: Mapped[float]
    nickname: Mapped[Optional[str]]

class Address(Base):
    __tablename__ = "lu_addresses"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("lu_users.id"))
    email: Mapped[str] = mapped_column(String(100))

class Pair(Base):
    __tablename__ = "lu_pairs"
    a: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    b: Mapped[str] = mapped_column(String(10), primary_key=True)
    label: Mapped[Optional[str]]
"""

USERS = [
    {"id": 1, "name": "ada", "age": 36, "score": 9.5, "nickname": None},
    {"id": 2, "name": "alan", "age": 41, "score": 8.25, "nickname": "al"},
    {"id": 3, "name": "grace", "age": 85, "score": 9.75, "nickname": "amazing"},
    {"id": 4, "name": "edsger", "age": 72, "score": 7.0, "nickname": None},
    {"id": 5, "name": "barbara", "age": 50, "score": 8.0, "nickname": "b"},
]
ADDRESSES = [
    {"id": 10, "user_id": 1, "email": "ada@a.org"},
    {"id": 11, "user_id": 1, "email": "ada@b.org"},
    {"id": 12, "user_id": 3, "email": "grace@navy.mil"},
]
PAIRS = [
    {"a": 1, "b": "x", "label": "one-x"},
    {"a": 1, "b": "y", "label": "one-y"},
    {"a": 2, "b": "x", "label": None},
]


class Models:
    def __init__(self, module: Any) -> None:
        self.User = module.User
        self.Address = module.Address
        self.Pair = module.Pair
        self.Base = module.Base


def setup(engine: Any) -> None:
    models = Models(run_script("ormcore", MODEL))
    models.Base.metadata.drop_all(engine)
    models.Base.metadata.create_all(engine)
    with engine.begin() as conn:
        conn.execute(ormcore.insert(models.User), USERS)
        conn.execute(ormcore.insert(models.Address), ADDRESSES)
        conn.execute(ormcore.insert(models.Pair), PAIRS)


def differential(scenario: Callable[..., list], engine: Any, sa_engine: Any) -> tuple:
    out = []
    for lib, orm, eng in ((sqlalchemy, sqlalchemy.orm, sa_engine), (ormcore, ormcore.orm, engine)):
        setup(engine)  # each library starts from the same rows
        models = Models(run_script(lib.__name__, MODEL))
        out.append(scenario(lib, orm, models, eng))
    return out[0], out[1]


def values(obj: Any, *names: str) -> Any:
    if obj is None:
        return None
    names = names or ("id", "name", "age", "score", "nickname")
    return tuple(getattr(obj, n) for n in names)


def error(fn: Callable[[], Any]) -> Any:
    """The class name of the exception fn() raises, or ("ok", its result)."""
    try:
        return ("ok", fn())
    except Exception as err:  # noqa: BLE001 - the class is what is compared
        return type(err).__name__
