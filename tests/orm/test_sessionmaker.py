"""sessionmaker: defaults, per-call overrides, configure(), begin(), class_, kw, events."""

from __future__ import annotations

from typing import Any

import pytest

import ormcore
from ormcore.orm import Session
from ormcore.orm import sessionmaker


def test_defaults_and_overrides(engine: Any) -> None:
    Maker = sessionmaker(engine)
    assert Maker.kw == {"bind": engine, "autoflush": True, "expire_on_commit": True}
    s = Maker()
    assert isinstance(s, Session) and type(s) is not Session and type(s).__name__ == "Session"
    assert s.bind is engine and s.autoflush and s.expire_on_commit and s.autobegin
    assert not s.twophase and s.join_transaction_mode == "conditional_savepoint"
    s2 = Maker(autoflush=False, expire_on_commit=False, autobegin=False)
    assert not s2.autoflush and not s2.expire_on_commit and not s2.autobegin
    assert Maker().bind is engine  # overrides are per call


def test_info_is_copied_and_merged(engine: Any) -> None:
    Maker = sessionmaker(engine, info={"a": 1})
    s1 = Maker()
    s1.info["x"] = 2
    assert Maker().info == {"a": 1}
    assert Maker(info={"b": 2}).info == {"a": 1, "b": 2}
    assert Maker.kw["info"] == {"a": 1}
    assert Session().info == {}


def test_configure_and_repr(engine: Any) -> None:
    Maker = sessionmaker()
    assert Maker().bind is None
    Maker.configure(bind=engine, twophase=False)
    assert Maker().bind is engine
    assert repr(Maker).startswith("sessionmaker(class_='Session', bind=Engine(")


def test_class_option(engine: Any) -> None:
    class MySession(Session):
        pass

    Maker = sessionmaker(engine, class_=MySession)
    s = Maker()
    assert isinstance(s, MySession) and type(s).__name__ == "MySession"
    assert Maker.class_ is not MySession and issubclass(Maker.class_, MySession)


def test_begin_commits_and_closes(engine: Any) -> None:
    meta = ormcore.MetaData()
    t = ormcore.Table("t", meta, ormcore.Column("id", ormcore.Integer, primary_key=True))
    meta.drop_all(engine)
    meta.create_all(engine)
    Maker = sessionmaker(engine)
    with Maker.begin() as s:
        assert s.in_transaction()
        s.execute(ormcore.insert(t), [{"id": 1}])
    assert not s.in_transaction()
    with pytest.raises(RuntimeError):
        with Maker.begin() as s:
            s.execute(ormcore.insert(t), [{"id": 2}])
            raise RuntimeError
    with Maker() as s:
        assert s.scalars(ormcore.select(t.c.id)).all() == [1]


def test_differential_with_sqlalchemy(engine: Any) -> None:
    sqlalchemy_orm = pytest.importorskip("sqlalchemy.orm")

    def observe(lib_orm: Any) -> list:
        Maker = lib_orm.sessionmaker(None, info={"k": 1}, autoflush=False)
        s = Maker(info={"j": 2}, expire_on_commit=False)
        return [sorted(Maker.kw), Maker.class_.__name__, s.info, s.autoflush,
                s.expire_on_commit, s.autobegin, s.twophase, s.join_transaction_mode]

    assert observe(__import__("ormcore.orm", fromlist=["x"])) == observe(sqlalchemy_orm)
