"""Hydration on both cores (RowLoader): new instances without __init__, identity-map reuse,
the fill-unloaded / populate_existing rules, NULL keys; a hypothesis differential test that
runs random sequences of loads, writes, expiry, commits and dropped references on both twins
and compares everything observable; reference counts, memory and inline values of the
compiled loop."""

from __future__ import annotations

import gc
import sys
import tracemalloc
import types
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from ormcore import _core_py

from .conftest import load_core
from .orm_helpers import COLUMNS
from .orm_helpers import Manager
from .orm_helpers import has_materialized_dict
from .orm_helpers import mapped_class
from .orm_helpers import observe_state
from .orm_helpers import refs_unchanged
from .orm_helpers import values_of

POSITIONS = [(name, i) for i, name in enumerate(COLUMNS)]


def _rows(n: int, start: int = 1) -> list:
    return [(i, f"name {i}", f"e{i}@example.com", i * 2) for i in range(start, start + n)]


def _loader(core: types.ModuleType, **kw: Any) -> tuple:
    cls = kw.pop("cls", None) or mapped_class(core)
    identity_map = kw.pop("identity_map", None) or core.IdentityMap()
    manager = kw.pop("manager", None)
    return cls, identity_map, core.RowLoader(cls, manager, identity_map, [0], POSITIONS, **kw)


def test_new_instances(core: types.ModuleType) -> None:
    inits = []

    class Item(core.InstrumentedBase):
        def __init__(self) -> None:
            inits.append(self)

    for name in COLUMNS:
        setattr(Item, name, core.AttributeDescriptor(name))
    manager = object()
    identity_map = core.IdentityMap()
    loader = core.RowLoader(Item, manager, identity_map, [0], POSITIONS, session_id=9)
    objs = loader.load(_rows(3))
    assert inits == [] and [type(o) for o in objs] == [Item] * 3
    assert values_of(objs[1]) == dict(zip(COLUMNS, _rows(3)[1]))
    state = objs[1]._sa_instance_state
    assert isinstance(state, core.InstanceState) and state() is objs[1]
    assert state.key == (Item, (2,), None) and state.manager is manager
    assert state.session_id == 9 and state.identity_map is identity_map
    assert not state.modified and state.committed_state == {}
    assert identity_map.get_by_pk(Item, 2) is objs[1] and len(identity_map) == 3
    assert (loader.class_, loader.manager, loader.identity_map) == (Item, manager, identity_map)
    assert loader.pk_positions == (0,) and loader.attr_positions == tuple(POSITIONS)
    assert loader.identity_class is Item and not loader.populate_existing


def test_null_primary_keys(core: types.ModuleType) -> None:
    cls, identity_map, loader = _loader(core)
    assert loader.load([(None, "a", "b", 1)]) == [None] and len(identity_map) == 0
    composite = core.RowLoader(cls, None, identity_map, [0, 3], POSITIONS)
    assert composite.load_one((None, "a", "b", None)) is None
    partial = composite.load_one((None, "a", "b", 4))
    assert partial._sa_instance_state.key == (cls, (None, 4), None)
    assert identity_map.get_by_pk(cls, (None, 4)) is partial


def test_same_identity_twice_in_a_batch(core: types.ModuleType) -> None:
    _, identity_map, loader = _loader(core)
    a, b = loader.load([(1, "x", "e", 1), (1, "y", "f", 2)])
    assert a is b and a.name == "x" and len(identity_map) == 1


def test_existing_identity_is_not_overwritten(core: types.ModuleType) -> None:
    cls, identity_map, loader = _loader(core)
    obj = loader.load_one((1, "a", "e", 1))
    state = obj._sa_instance_state
    obj.name = "changed"
    assert loader.load_one((1, "db", "db-e", 99)) is obj
    assert values_of(obj) == {"id": 1, "name": "changed", "email": "e", "qty": 1}
    assert state.modified and state.committed_state == {"name": "a"}


def test_existing_identity_gets_unloaded_attributes(core: types.ModuleType) -> None:
    cls, identity_map, loader = _loader(core)
    obj = loader.load_one((1, "a", "e", 1))
    state = obj._sa_instance_state
    state._expire(["email", "qty"])
    obj.qty = 7  # changed while expired: a query must not overwrite it
    assert loader.load_one((1, "db", "db-e", 99)) is obj
    assert values_of(obj) == {"id": 1, "name": "a", "email": "db-e", "qty": 7}
    assert state.expired_attributes == {"qty"}
    assert state.modified and identity_map._modified == {state}


def test_populate_existing(core: types.ModuleType) -> None:
    cls, identity_map, loader = _loader(core)
    obj = loader.load_one((1, "a", "e", 1))
    state = obj._sa_instance_state
    obj.name = "changed"
    state._expire(["qty"])
    refresher = core.RowLoader(cls, None, identity_map, [0], POSITIONS, populate_existing=True)
    assert refresher.load_one((1, "db", "db-e", 99)) is obj
    assert values_of(obj) == {"id": 1, "name": "db", "email": "db-e", "qty": 99}
    assert not state.modified and state.committed_state == {} and not identity_map._modified
    assert state.expired_attributes == set() and state._strong_obj is None


def test_collected_identity_is_loaded_again(core: types.ModuleType) -> None:
    cls, identity_map, loader = _loader(core)
    first = loader.load_one((1, "a", "e", 1))
    first_state = first._sa_instance_state
    del first
    gc.collect()
    second = loader.load_one((1, "b", "e", 1))
    assert second.name == "b" and identity_map.get_by_pk(cls, 1) is second
    assert first_state() is None


def test_hook_tokens_classes_and_state_class(core: types.ModuleType) -> None:
    seen = []

    class State(core.InstanceState):
        pass

    class Base(core.InstrumentedBase):
        pass

    cls = mapped_class(core, base=Base)
    identity_map = core.IdentityMap()
    loader = core.RowLoader(cls, None, identity_map, [0], POSITIONS, identity_token="t",
                            new_instance_hook=seen.append, identity_class=Base,
                            state_class=State)
    objs = loader.load(iter(_rows(2)))
    assert [s() for s in seen] == objs and all(type(s) is State for s in seen)
    assert seen[0].key == (Base, (1,), "t") and identity_map.get_by_pk(Base, 1, "t") is objs[0]
    loader.load(_rows(2))
    assert len(seen) == 2  # hooks only for new instances
    with pytest.raises(TypeError):
        core.RowLoader(cls, None, identity_map, [0], POSITIONS, state_class=dict)


def test_rows_of_any_sequence(core: types.ModuleType) -> None:
    _, identity_map, loader = _loader(core)
    objs = loader.load(tuple([list(r) for r in _rows(2)]))
    assert [o.name for o in objs] == ["name 1", "name 2"]
    assert loader.load([]) == [] and loader.load(x for x in []) == []


def test_bad_input(core: types.ModuleType) -> None:
    cls, identity_map, loader = _loader(core)
    with pytest.raises(IndexError):
        loader.load([(1, "a")])
    with pytest.raises(ValueError):
        core.RowLoader(cls, None, identity_map, [], POSITIONS)
    with pytest.raises(ValueError):
        core.RowLoader(cls, None, identity_map, [-1], POSITIONS)
    with pytest.raises(TypeError):
        core.RowLoader("not a class", None, identity_map, [0], POSITIONS)
    with pytest.raises(TypeError):
        loader.load([(["unhashable"], "a", "b", 1)])


def test_hook_error_propagates(core: types.ModuleType) -> None:
    def hook(state: Any) -> None:
        raise LookupError("hook")

    cls, identity_map, loader = _loader(core, new_instance_hook=hook)
    with pytest.raises(LookupError):
        loader.load(_rows(3))
    assert len(identity_map) <= 1


def test_imperative_class(core: types.ModuleType) -> None:
    class Plain:
        def __init__(self) -> None:
            raise AssertionError("hydration must not call __init__")

    for name in COLUMNS:
        setattr(Plain, name, core.AttributeDescriptor(name))
    Plain.__setattr__ = core.instrumented_setattr
    identity_map = core.IdentityMap()
    obj = core.RowLoader(Plain, None, identity_map, [0], POSITIONS).load_one(_rows(1)[0])
    obj.name = "x"
    assert obj._sa_instance_state.committed_state == {"name": "name 1"}


def test_loaded_instances_keep_inline_values(core_c: types.ModuleType) -> None:
    _, _, loader = _loader(core_c)
    objs = loader.load(_rows(5))
    assert not any(has_materialized_dict(o) for o in objs)
    loader.load(_rows(5))  # the existing-identity path reads values without a dict too
    assert not any(has_materialized_dict(o) for o in objs)


def test_load_refcounts(core_c: types.ModuleType) -> None:
    manager = object()
    cls = mapped_class(core_c)
    identity_map = core_c.IdentityMap()
    name, big, token = "a name", 10 ** 30, ("tok",)
    rows = [(big, name, "e", 1), (big + 1, name, "e", 2), (None, name, "e", 3)]
    loader = core_c.RowLoader(cls, manager, identity_map, [0], POSITIONS, identity_token=token)
    refresher = core_c.RowLoader(cls, manager, identity_map, [0], POSITIONS,
                                 identity_token=token, populate_existing=True)
    composite = core_c.RowLoader(cls, manager, identity_map, [0, 3], POSITIONS)

    def body() -> None:
        objs = loader.load(rows)
        loader.load(rows)
        objs[0]._sa_instance_state._expire(["name"])
        loader.load_one(rows[0])
        objs[1].name = name
        refresher.load(rows)
        composite.load(rows)
        del objs  # evicted

    refs_unchanged([manager, cls, identity_map, name, big, token, rows[0]], body)
    assert len(identity_map) == 0


def test_no_memory_growth(core_c: types.ModuleType) -> None:
    cls, identity_map, loader = _loader(core_c)
    rows = _rows(500)

    def cycle() -> None:
        objs = loader.load(rows)
        for obj in objs[::7]:
            obj.name = "x"
            obj._sa_instance_state._commit_all()
        del objs

    for _ in range(3):
        cycle()
    gc.collect()
    tracemalloc.start()
    try:
        cycle()
        gc.collect()
        first = tracemalloc.get_traced_memory()[0]
        for _ in range(30):
            cycle()
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - first
    finally:
        tracemalloc.stop()
    assert growth < 20_000, growth
    assert len(identity_map) == 0


# -- the twins agree on random sequences of operations --------------------------------------

_pks = st.integers(min_value=1, max_value=6)
_names = st.sampled_from(COLUMNS[1:])
_values = st.one_of(st.none(), st.integers(-3, 3), st.text(max_size=3))
_ops = st.one_of(
    st.tuples(st.just("load"), st.lists(st.tuples(_pks, _values), max_size=5), st.booleans()),
    st.tuples(st.just("set"), _pks, _names, _values),
    st.tuples(st.just("del"), _pks, _names),
    st.tuples(st.just("read"), _pks, _names),
    st.tuples(st.just("expire"), _pks, st.one_of(st.none(), st.lists(_names, max_size=2))),
    st.tuples(st.just("commit"), _pks),
    st.tuples(st.just("drop"), _pks),
    st.tuples(st.just("get"), _pks),
)


class _World:
    """One twin's world: a map, loaders, a fake database, and the user's references."""

    def __init__(self, core: types.ModuleType) -> None:
        self.core = core
        self.manager = Manager(core)
        self.cls = mapped_class(core)
        self.map = core.IdentityMap()
        self.loaders = [core.RowLoader(self.cls, self.manager, self.map, [0], POSITIONS,
                                       populate_existing=flag) for flag in (False, True)]
        self.held: dict = {}

    def apply(self, op: tuple) -> Any:
        kind = op[0]
        if kind == "load":
            rows = [(pk, f"n{v}", v, pk * 10) for pk, v in op[1]]
            for pk, v in op[1]:
                self.manager.db[pk] = dict(zip(COLUMNS, (pk, f"n{v}", v, pk * 10)))
            objs = self.loaders[op[2]].load(rows)
            for obj in objs:
                self.held[obj.id] = obj
            return [obj.id for obj in objs]
        obj = self.held.get(op[1])
        if obj is None:
            return "absent"
        try:
            if kind == "set":
                setattr(obj, op[2], op[3])
            elif kind == "del":
                delattr(obj, op[2])
            elif kind == "read":
                return getattr(obj, op[2])
            elif kind == "expire":
                obj._sa_instance_state._expire(op[2])
            elif kind == "commit":
                obj._sa_instance_state._commit_all()
            elif kind == "drop":
                del self.held[op[1]]
                del obj
                gc.collect()
            elif kind == "get":
                return self.map.get_by_pk(self.cls, op[1]) is not None
        except AttributeError as err:
            return ("AttributeError", type(err).__name__)
        return None

    def observe(self) -> Any:
        states = {}
        for key, obj in self.map.items():
            state = obj._sa_instance_state
            history = {n: tuple(map(tuple, self.core.get_history(state, n)))
                       for n in COLUMNS}
            observed = list(observe_state(state)[1:])
            no_value = self.core.LoaderCallableStatus.NO_VALUE  # each core has its own
            observed[1] = {k: "NO_VALUE" if v is no_value else v for k, v in observed[1].items()}
            states[key[1]] = (observed, values_of(obj), history)
        return (
            sorted(k[1] for k in self.map.keys()),
            sorted(s.key[1] for s in self.map._modified),
            states,
            sorted(self.held),
            list(self.manager.calls),
        )


@settings(max_examples=150, deadline=None)
@given(ops=st.lists(_ops, max_size=25))
def test_twins_agree(ops: list) -> None:
    cores = [_core_py, load_core("c")]
    worlds = [_World(core) for core in cores]
    for op in ops:
        results = [world.apply(op) for world in worlds]
        assert results[0] == results[1], op
        # the map holds every instance the user still references
        for world in worlds:
            assert all(world.map.get_by_pk(world.cls, pk) is obj
                       for pk, obj in world.held.items())
    observed = [world.observe() for world in worlds]
    assert observed[0] == observed[1]


def _traced(func: Any) -> tuple:
    """(result, blocks, bytes) that func() allocated and kept."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        result = func()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    stats = after.compare_to(before, "filename")
    return result, sum(s.count_diff for s in stats), sum(s.size_diff for s in stats)


def test_memory_per_loaded_row(core_c: types.ModuleType) -> None:
    # Per new row: the instance, its inline values (one more slot than a plain object's)
    # and its state, plus a share of the identity map's table (~17 bytes here: 4-byte
    # slots and a list entry; a dict would take ~37); no key tuple, dict or weakref.
    cls, identity_map, loader = _loader(core_c)
    rows = _rows(4000)
    loader.load(rows[:10])  # the class's shared keys settle

    class Plain:
        pass

    def plain() -> list:
        objs = []
        for row in rows[10:]:
            obj = Plain()
            for name, value in zip(COLUMNS, row):
                setattr(obj, name, value)
            objs.append(obj)
        return objs

    plain()
    objs, blocks, size = _traced(lambda: loader.load(rows[10:]))
    _, plain_blocks, plain_size = _traced(plain)
    n = len(objs)
    assert blocks - plain_blocks <= n + 40, (blocks - plain_blocks) / n
    state_size = sys.getsizeof(objs[0]._sa_instance_state)
    assert (size - plain_size) / n <= state_size + 40, ((size - plain_size) / n, state_size)
