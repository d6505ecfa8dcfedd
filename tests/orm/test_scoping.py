"""scoped_session: a Session per thread (or per scopefunc scope), proxies, remove(),
configure(), query_property()."""

from __future__ import annotations

import threading
from typing import Any

import pytest

import ormcore
from ormcore import exc
from ormcore.orm import Session
from ormcore.orm import scoped_session
from ormcore.orm import sessionmaker


def test_same_session_per_thread(engine: Any) -> None:
    registry = scoped_session(sessionmaker(engine))
    assert not registry.registry.has()
    s = registry()
    assert registry.registry.has() and registry() is s
    found: list = []

    def other() -> None:
        found.append(registry())
        found.append(registry())
        registry.remove()

    t = threading.Thread(target=other)
    t.start()
    t.join()
    assert found[0] is found[1] and found[0] is not s
    assert registry() is s  # the other thread's remove() left ours alone
    registry.remove()
    assert not registry.registry.has()
    assert registry() is not s


def test_threads_write_in_their_own_sessions(engine: Any) -> None:
    meta = ormcore.MetaData()
    t = ormcore.Table("t", meta, ormcore.Column("id", ormcore.Integer, primary_key=True))
    meta.drop_all(engine)
    meta.create_all(engine)
    registry = scoped_session(sessionmaker(engine))
    sessions: list = []
    errors: list = []

    def work(i: int) -> None:
        try:
            registry.execute(ormcore.insert(t), [{"id": i}])
            sessions.append(registry())
            registry.commit()
        except Exception as err:  # pragma: no cover - reported below
            errors.append(err)
        finally:
            registry.remove()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(1, 6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors and len({id(s) for s in sessions}) == 5
    assert registry.scalars(ormcore.select(t.c.id).order_by(t.c.id)).all() == [1, 2, 3, 4, 5]
    registry.remove()


def test_scopefunc(engine: Any) -> None:
    scope = ["a"]
    registry = scoped_session(sessionmaker(engine), scopefunc=lambda: scope[0])
    a = registry()
    scope[0] = "b"
    assert not registry.registry.has()
    b = registry()
    assert a is not b
    scope[0] = "a"
    assert registry() is a
    registry.remove()
    assert registry() is not a
    assert set(registry.registry.registry) == {"a", "b"}


def test_call_with_arguments(engine: Any) -> None:
    registry = scoped_session(sessionmaker(engine))
    s = registry(autoflush=False)
    assert not s.autoflush and registry() is s
    with pytest.raises(exc.InvalidRequestError,
                       match="^Scoped session is already present; no new arguments may be specified.$"):
        registry(autoflush=True)
    registry.remove()


def test_configure_warns_when_a_session_exists(engine: Any) -> None:
    registry = scoped_session(sessionmaker())
    registry.configure(bind=engine)
    assert registry().bind is engine
    with pytest.warns(exc.SAWarning, match="At least one scoped session is already present"):
        registry.configure(autoflush=False)
    registry.remove()
    assert not registry().autoflush


def test_proxies(engine: Any) -> None:
    registry = scoped_session(sessionmaker(engine, info={"x": 1}))
    s = registry()
    assert registry.bind is engine and registry.info == {"x": 1}
    assert registry.identity_map is s.identity_map and registry.is_active
    registry.autoflush = False
    assert not s.autoflush
    with registry.no_autoflush:
        pass
    registry.begin()
    assert s.in_transaction()
    sp = registry.begin_nested()
    assert s.get_nested_transaction() is sp
    assert registry.scalar(ormcore.select(ormcore.literal(3))) == 3
    assert registry.connection() is s.connection()
    assert registry.get_bind() is engine
    registry.rollback()
    assert not s.in_transaction()
    registry.commit()
    registry.close()
    registry.reset()
    assert registry() is s
    registry.remove()


def test_proxied_names_match_sqlalchemy() -> None:
    sa_scoping = pytest.importorskip("sqlalchemy.orm.scoping")
    names = ["add", "add_all", "begin", "begin_nested", "close", "reset", "commit",
             "connection", "delete", "execute", "expire", "expire_all", "expunge",
             "expunge_all", "flush", "get", "get_one", "get_bind", "is_modified", "merge",
             "query", "refresh", "rollback", "scalar", "scalars", "bind", "dirty", "deleted",
             "new", "identity_map", "is_active", "autoflush", "no_autoflush", "info",
             "remove", "configure", "query_property", "registry", "session_factory"]
    for name in names:
        assert hasattr(sa_scoping.scoped_session, name) or name in ("registry", "session_factory")
        assert hasattr(scoped_session, name) or name in ("registry", "session_factory")


def test_query_property_calls_the_current_session(engine: Any) -> None:
    registry = scoped_session(sessionmaker(engine))
    calls: list = []

    class QuerySession(Session):
        def query(self, *entities: Any) -> Any:
            calls.append((self, entities))
            return "query"

    class Thing:
        query = registry.query_property()

    registry2 = scoped_session(sessionmaker(engine, class_=QuerySession))

    class Other:
        query = registry2.query_property()

    assert Other.query == "query" and calls == [(registry2(), (Other,))]

    class Custom:
        query = registry2.query_property(query_cls=lambda cls, session: (cls, session))

    assert Custom.query == (Custom, registry2())
    if not hasattr(Session, "query"):
        with pytest.raises(AttributeError, match="'Session' object has no attribute 'query'"):
            Thing.query
    registry.remove()
    registry2.remove()


def test_session_events_on_scoped_session(engine: Any) -> None:
    registry = scoped_session(sessionmaker(engine))
    seen: list = []
    ormcore.event.listen(registry, "after_begin", lambda s, t, c: seen.append(s))
    registry.connection()
    assert seen == [registry()]
    Session(engine).connection()
    assert len(seen) == 1
    registry.remove()
