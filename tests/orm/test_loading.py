"""ORM-enabled select() through the Session: objects, rows, identity, streaming, refresh.

Each test runs one scenario through sqlalchemy.orm and ormcore.orm on the same database and
compares what a user observes (attribute values, identity, states, error classes).
"""

from __future__ import annotations

import gc

import pytest

from tests.orm._loading_helpers import differential
from tests.orm._loading_helpers import error
from tests.orm._loading_helpers import values


def test_select_entity_scalars(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        with orm.Session(eng) as s:
            users = s.scalars(lib.select(m.User).order_by(m.User.id)).all()
            again = s.scalars(lib.select(m.User).where(m.User.age > 40).order_by(m.User.id)).all()
            state = lib.inspect(users[0])
            return ([values(u) for u in users], [u is users[i] for i, u in
                    zip([1, 2, 3, 4], again)], state.persistent, state.identity,
                    type(users[0]).__name__)
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


def test_select_rows_pairs_and_columns(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        User, Address = m.User, m.Address
        with orm.Session(eng) as s:
            pairs = s.execute(lib.select(User, Address).join(Address, User.id == Address.user_id)
                              .order_by(Address.id)).all()
            cols = s.execute(lib.select(User.id, User.name).order_by(User.id)).all()
            mixed = s.execute(lib.select(User, Address.email)
                              .join(Address, User.id == Address.user_id)
                              .order_by(Address.id)).all()
            row = s.execute(lib.select(User).where(User.id == 2)).one()
            return (
                [(values(u), values(a, "id", "email")) for u, a in pairs],
                pairs[0][0] is pairs[1][0],
                [tuple(r) for r in cols],
                [(values(u), e) for u, e in mixed],
                values(row.User), values(row[0]), list(row._fields),
                list(s.execute(lib.select(User, Address).join(Address, User.id == Address.user_id)).keys()),
            )
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


def test_result_api_on_entities(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        User = m.User
        with orm.Session(eng) as s:
            stmt = lib.select(User).order_by(User.id)
            return (
                values(s.scalars(stmt).first()),
                values(s.execute(stmt).scalars().one_or_none() if False else None),
                error(lambda: s.execute(stmt).scalar_one()),
                error(lambda: s.execute(stmt.where(User.id == 99)).scalar_one()),
                values(s.execute(stmt.where(User.id == 3)).scalar_one()),
                s.execute(stmt.where(User.id == 99)).scalar_one_or_none(),
                values(s.scalar(stmt.where(User.id == 4))),
                [values(u) for u in s.scalars(stmt).fetchmany(2)],
                len(s.execute(stmt).all()),
                [values(u) for u in s.scalars(lib.select(User).order_by(User.id))],
                [values(r[0]) for r in s.execute(stmt)],
                len(s.scalars(lib.select(User).join(m.Address, User.id == m.Address.user_id))
                    .unique().all()),
            )
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


def test_identity_map_keeps_loaded_and_modified_state(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        User = m.User
        with orm.Session(eng, autoflush=False) as s:
            u = s.get(User, 1)
            u.name = "changed"
            with eng.begin() as conn:
                conn.execute(lib.update(User.__table__).where(User.__table__.c.id == 1)
                             .values(name="db", age=1))
            again = s.scalars(lib.select(User).where(User.id == 1)).one()
            out = [again is u, values(u), lib.inspect(u).modified]
            s.expire(u, ["age"])
            again = s.scalars(lib.select(User).where(User.id == 1)).one()
            out.append((values(u), sorted(lib.inspect(u).unloaded)))
            fresh = s.scalars(lib.select(User).where(User.id == 1)
                              .execution_options(populate_existing=True)).one()
            out.append((fresh is u, values(u), lib.inspect(u).modified))
            s.rollback()
            return out
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


def test_expire_refresh_and_deleted_row(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        User = m.User
        out = []
        with orm.Session(eng) as s:
            u = s.get(User, 2)
            s.expire(u)
            out.append(sorted(lib.inspect(u).expired_attributes))
            out.append(values(u))
            with eng.begin() as conn:
                conn.execute(lib.update(User.__table__).where(User.__table__.c.id == 2)
                             .values(nickname="z"))
            s.commit()
            s.refresh(u)
            out.append(values(u))
            u.__dict__["age"] = -1  # a stale loaded value (no pending change)
            s.refresh(u, ["age"])
            out.append((values(u), lib.inspect(u).modified))
            s.refresh(u)
            out.append((values(u), lib.inspect(u).modified))
            s.expire_all()
            out.append(sorted(lib.inspect(u).expired_attributes))
            s.rollback()
            v = s.get(User, 5)
            s.commit()
            with eng.begin() as conn:
                conn.execute(lib.delete(m.Address.__table__))
                conn.execute(lib.delete(User.__table__).where(User.__table__.c.id == 5))
            out.append(error(lambda: v.name))
            s.rollback()
        out.append(error(lambda: u.name))
        return out
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


def test_detached_expired_attribute_raises(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        s = orm.Session(eng)
        u = s.get(m.User, 1)
        s.commit()
        s.close()
        return [error(lambda: u.name), lib.inspect(u).detached]
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


def test_from_statement_text(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        with orm.Session(eng) as s:
            users = s.scalars(lib.select(m.User).from_statement(
                lib.text("SELECT * FROM lu_users WHERE age > :a ORDER BY id")), {"a": 45}).all()
            same = s.get(m.User, users[0].id)
            return [values(u) for u in users], same is users[0]
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


def test_yield_per_streams_batches(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        User = m.User
        with orm.Session(eng) as s:
            stmt = lib.select(User).order_by(User.id).execution_options(yield_per=2)
            parts = [[values(u) for u in p] for p in s.scalars(stmt).partitions()]
            it = [values(u) for u in s.scalars(stmt)]
            rows = [[values(r[0]) for r in p] for p in s.execute(stmt).partitions()]
            return parts, it, rows
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


def test_composite_primary_key(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        Pair = m.Pair
        with orm.Session(eng) as s:
            pairs = s.scalars(lib.select(Pair).order_by(Pair.a, Pair.b)).all()
            return ([values(p, "a", "b", "label") for p in pairs],
                    s.get(Pair, (1, "y")) is pairs[1], s.get(Pair, {"a": 2, "b": "x"}) is pairs[2],
                    s.get(Pair, (9, "q")), lib.inspect(pairs[0]).identity)
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


def test_weak_identity_map_and_reload(engine, sa_engine):
    def scenario(lib, orm, m, eng):
        with orm.Session(eng) as s:
            s.scalars(lib.select(m.User)).all()
            gc.collect()
            n_after = len(s.identity_map)
            u = s.get(m.User, 3)
            return n_after, values(u), len(s.identity_map)
    a, b = differential(scenario, engine, sa_engine)
    assert a == b


def test_load_many_objects_through_batches(engine):
    import ormcore
    import ormcore.orm

    from tests.orm._loading_helpers import Models
    from tests.orm._mapping_helpers import run_script

    m = Models(run_script("ormcore", __import__("tests.orm._loading_helpers",
                                                fromlist=["MODEL"]).MODEL))
    m.Base.metadata.drop_all(engine)
    m.Base.metadata.create_all(engine)
    rows = [{"id": i, "name": f"n{i}", "age": i % 90, "score": i / 4, "nickname": None}
            for i in range(1, 3001)]
    with engine.begin() as conn:
        conn.execute(ormcore.insert(m.User), rows)
    with ormcore.orm.Session(engine) as s:
        users = s.scalars(ormcore.select(m.User).order_by(m.User.id)).all()
        assert [(u.id, u.name, u.score) for u in users] == [
            (r["id"], r["name"], r["score"]) for r in rows]
        assert len(s.identity_map) == 3000
        again = s.scalars(ormcore.select(m.User).order_by(m.User.id)).all()
        assert all(x is y for x, y in zip(users, again))
        assert gc.isenabled()


@pytest.mark.parametrize("autoflush", [True, False])
def test_autoflush_before_query(engine, sa_engine, autoflush):
    def scenario(lib, orm, m, eng):
        with orm.Session(eng, autoflush=autoflush) as s:
            u = s.get(m.User, 1)
            u.age = 99
            found = s.scalars(lib.select(m.User).where(m.User.age == 99)).all()
            s.rollback()
            return [values(x) for x in found]
    a, b = differential(scenario, engine, sa_engine)
    assert a == b
