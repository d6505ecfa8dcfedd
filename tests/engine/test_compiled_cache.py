"""The compiled cache: least recently used statements go first; a user's dict is used as is."""

from __future__ import annotations

import ormcore
from ormcore.engine.compiled_cache import LRUCache
from ormcore.engine.compiled_cache import next_tick


class _Compiled:
    pass


def test_prune_keeps_the_most_recently_used():
    cache = LRUCache(6)
    for k in "abcdef":
        cache[k] = _Compiled()
    # a hit stamps the entry found, as the engine does
    for k in "ab":
        cache[k]._last_used = next_tick()
    for k in "ghi":
        cache[k] = _Compiled()
    assert len(cache) == 9  # pruning waits for half again the capacity
    cache["j"] = _Compiled()
    assert sorted(cache) == ["a", "b", "g", "h", "i", "j"]


def test_engine_cache_reuses_and_bounds(tmp_path):
    engine = ormcore.create_engine(f"sqlite:///{tmp_path / 'c.db'}", query_cache_size=10)
    t = ormcore.table("t", ormcore.column("x"))
    with engine.connect() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        hot = ormcore.select(t.c.x).where(t.c.x == 1)
        for n in range(40):
            conn.execute(hot)
            conn.execute(ormcore.select(t.c.x).where(t.c.x == 1).limit(n + 1).offset(n))
            assert len(engine._compiled_cache) <= 15
        hot_key = hot._cache_key()[0]
        assert hot_key in engine._compiled_cache


def test_compiled_cache_option_takes_a_plain_dict_or_none(tmp_path):
    engine = ormcore.create_engine(f"sqlite:///{tmp_path / 'c.db'}")
    mine: dict = {}
    with engine.connect() as conn:
        stmt = ormcore.select(ormcore.literal(1))
        assert conn.execution_options(compiled_cache=mine).execute(stmt).scalar() == 1
        assert conn.execution_options(compiled_cache=mine).execute(stmt).scalar() == 1
        assert len(mine) == 1
        before = len(engine._compiled_cache)
        assert conn.execution_options(compiled_cache=None).execute(stmt).scalar() == 1
        assert len(engine._compiled_cache) == before
