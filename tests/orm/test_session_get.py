"""Session.get / get_one / merge / expire: identity-map hits, misses and errors."""

from __future__ import annotations

from tests.orm._loading_helpers import differential
from tests.orm._loading_helpers import error
from tests.orm._loading_helpers import values


def test_get_hits_misses_and_identity(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        User = m.User
        with orm.Session(eng) as s:
            u = s.get(User, 1)
            out = [values(u), s.get(User, 1) is u, s.get(User, (1,)) is u,
                   s.get(User, {"id": 1}) is u, s.get(User, 99),
                   lib.inspect(u).persistent, lib.inspect(u).identity_key[1:]]
            out.append(error(lambda: s.get_one(User, 99)))
            out.append(values(s.get_one(User, 2)))
            out.append(error(lambda: s.get(User, (1, 2))))
            out.append(error(lambda: s.get(User, {"nope": 1})))
            out.append(error(lambda: s.get(int, 1)))
            u.__dict__["name"] = "stale"
            out.append(values(s.get(User, 1)))
            out.append(values(s.get(User, 1, populate_existing=True)))
            s.expire(u)
            out.append(values(s.get(User, 1)))
            out.append(values(s.get(User, 3, with_for_update=eng.dialect.name == "postgresql"
                                    or None)))
            return out
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


def test_get_of_expired_deleted_row_is_none(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        User = m.User
        with orm.Session(eng) as s:
            u = s.get(User, 4)
            s.commit()
            with eng.begin() as conn:
                conn.execute(lib.delete(User.__table__).where(User.__table__.c.id == 4))
            return [s.get(User, 4), error(lambda: u.name)]
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


def test_expire_errors_and_merge(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        User = m.User
        out = []
        with orm.Session(eng) as s:
            out.append(error(lambda: s.expire(User(id=50, name="t", age=1, score=1.0))))
            out.append(error(lambda: s.refresh(User(id=50, name="t", age=1, score=1.0))))
            out.append(error(lambda: s.expire(object())))
            loaded = s.get(User, 2)
            with orm.Session(eng) as other:
                detached = other.get(User, 2)
            merged = s.merge(detached)
            out.append((merged is loaded, values(merged)))
            out.append(s.merge(loaded) is loaded)
            with orm.Session(eng) as other:
                d3 = other.get(User, 3)
            m3 = s.merge(d3)
            out.append((m3 is d3, values(m3), lib.inspect(m3).persistent))
            with orm.Session(eng) as other:
                d5 = other.get(User, 5)
            m5 = s.merge(d5, load=False)
            out.append((m5 is d5, values(m5), lib.inspect(m5).persistent))
        return out
    a, b = differential(scenario, engine, sa_engine)
    assert a == b
