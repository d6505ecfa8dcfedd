"""The identity map on both cores: keys and the per-class pk fast path, conflicts, the weak
hold on clean instances and the strong one on modified ones (with gc.collect()), eviction
that never removes a newer state, and the compiled paths' reference counts."""

from __future__ import annotations

import gc
import types
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from ormcore import _core_py

from .conftest import load_core
from .orm_helpers import mapped_class
from .orm_helpers import refs_unchanged


def _state(core: types.ModuleType, cls: type, pk: Any, token: Any = None) -> tuple:
    obj = cls()
    state = core.InstanceState(obj)
    obj._sa_instance_state = state
    state.key = (cls, pk if isinstance(pk, tuple) else (pk,), token)
    return obj, state


def test_add_and_lookups(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    a, sa = _state(core, cls, 1)
    b, sb = _state(core, cls, 2)
    assert identity_map.add(sa) is True and identity_map.add(sb) is True
    assert identity_map.add(sa) is False
    key = (cls, (1,), None)
    assert identity_map[key] is a and identity_map.get(key) is a and key in identity_map
    assert identity_map.get_by_pk(cls, 1) is a and identity_map.get_by_pk(cls, 2) is b
    assert identity_map.get_by_pk(cls, 3) is None and identity_map.get_by_pk(int, 1) is None
    assert identity_map.get((cls, (3,), None), "dflt") == "dflt"
    assert (cls, (3,), None) not in identity_map and "junk" not in identity_map
    with pytest.raises(KeyError):
        identity_map[(cls, (3,), None)]
    assert len(identity_map) == 2 and bool(identity_map)
    assert sorted(identity_map.keys(), key=lambda k: k[1]) == [key, (cls, (2,), None)]
    assert sorted(list(identity_map), key=lambda k: k[1]) == sorted(identity_map.keys(),
                                                                    key=lambda k: k[1])
    assert {id(o) for o in identity_map.values()} == {id(a), id(b)}
    assert dict((k[1], o) for k, o in identity_map.items()) == {(1,): a, (2,): b}
    assert set(identity_map.all_states()) == {sa, sb}
    assert identity_map.fast_get_state(key) is sa and identity_map.contains_state(sa)
    assert sa.identity_map is identity_map


def test_composite_keys_and_tokens(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    a, sa = _state(core, cls, (1, "x"))
    b, sb = _state(core, cls, 1, token="shard2")
    c, sc = _state(core, cls, 1)
    for state in (sa, sb, sc):
        identity_map.add(state)
    assert identity_map.get_by_pk(cls, (1, "x")) is a
    assert identity_map.get_by_pk(cls, 1, "shard2") is b and identity_map.get_by_pk(cls, 1) is c
    assert identity_map[(cls, (1, "x"), None)] is a
    assert identity_map[(cls, [1], "shard2")] is b
    assert len(identity_map) == 3


def test_conflicts(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    a, sa = _state(core, cls, 1)
    b, sb = _state(core, cls, 1)
    identity_map.add(sa)
    with pytest.raises(AssertionError, match="conflicting state"):
        identity_map.add(sb)
    assert identity_map.replace(sb) is sa
    assert sa.identity_map is None and sb.identity_map is identity_map
    assert identity_map.replace(sb) is None
    with pytest.raises(KeyError):
        identity_map.remove(sa)
    identity_map.discard(sa)  # not the one under the key: nothing happens
    assert identity_map.get_by_pk(cls, 1) is b
    identity_map.remove(sb)
    assert len(identity_map) == 0 and sb.identity_map is None
    keyless = core.InstanceState(cls())
    with pytest.raises(ValueError):
        identity_map.add(keyless)
    with pytest.raises(KeyError):
        identity_map.remove(keyless)
    identity_map.discard(keyless)


def test_modified_set(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    a, sa = _state(core, cls, 1)
    a.name = "x"  # before the map: modified, no strong reference yet
    assert sa.modified and sa._strong_obj is None
    identity_map.add(sa)
    assert identity_map._modified == {sa} and identity_map.check_modified()
    identity_map.discard(sa)
    assert not identity_map._modified and not identity_map.check_modified()
    identity_map.add(sa)
    identity_map.clear()
    assert len(identity_map) == 0 and not identity_map._modified and sa.identity_map is None


def test_clean_instances_are_weak(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    a, sa = _state(core, cls, 1)
    identity_map.add(sa)
    del a
    gc.collect()
    assert len(identity_map) == 0 and identity_map.get_by_pk(cls, 1) is None
    assert sa() is None and sa.identity_map is None


def test_instances_in_cycles_are_evicted_by_gc(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    a, sa = _state(core, cls, 1)
    a.me = a
    identity_map.add(sa)
    del a, sa
    gc.collect()
    assert len(identity_map) == 0


def test_modified_instances_are_strong_until_committed(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    a, sa = _state(core, cls, 1)
    identity_map.add(sa)
    a.name = "changed"
    del a
    gc.collect()
    kept = identity_map.get_by_pk(cls, 1)
    assert kept is not None and kept.name == "changed"
    del kept
    sa._commit_all()
    gc.collect()
    assert identity_map.get_by_pk(cls, 1) is None and len(identity_map) == 0


def test_eviction_spares_a_newer_state(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    a, sa = _state(core, cls, 1)
    b, sb = _state(core, cls, 1)
    identity_map.add(sa)
    identity_map.replace(sb)
    sa.identity_map = identity_map  # as if the old state still believed it was in the map
    del a
    gc.collect()
    assert identity_map.get_by_pk(cls, 1) is b and len(identity_map) == 1


def test_add_after_a_collected_cycle(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    a, sa = _state(core, cls, 1)
    identity_map.add(sa)
    gc.disable()
    try:
        a.me = a  # a cycle: its collection (and eviction) waits for the collector
        del a
        gc.collect()
    finally:
        gc.enable()
    b, sb = _state(core, cls, 1)
    assert identity_map.add(sb) is True and identity_map.get_by_pk(cls, 1) is b


def test_identity_refcounts(core_c: types.ModuleType) -> None:
    cls = mapped_class(core_c)
    identity_map = core_c.IdentityMap()
    pk = 10 ** 30  # a heap object we can count
    token = ("token",)

    def body() -> None:
        obj = cls()
        state = core_c.InstanceState(obj)
        obj._sa_instance_state = state
        state.key = (cls, (pk,), token)
        identity_map.add(state)
        identity_map.get_by_pk(cls, pk, token)
        identity_map.get((cls, (pk,), token))
        identity_map.keys()
        identity_map.items()
        obj.name = "x"
        state._commit_all()
        del obj, state  # evicted by the callback

    refs_unchanged([cls, identity_map, pk, token], body)
    assert len(identity_map) == 0


# -- the table behind each (class, token): a dict's semantics ---------------------------------

def test_keys_compare_as_dict_keys(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    a, sa = _state(core, cls, 1)
    identity_map.add(sa)
    # equal and of equal hash: the same key, as in a dict
    assert identity_map.get_by_pk(cls, 1.0) is a and identity_map.get_by_pk(cls, True) is a
    b, sb = _state(core, cls, 1.0)
    with pytest.raises(AssertionError, match="conflicting state"):
        identity_map.add(sb)
    c, sc = _state(core, cls, "1")
    identity_map.add(sc)
    assert identity_map.get_by_pk(cls, "1") is c and len(identity_map) == 2
    with pytest.raises(TypeError):
        identity_map.get_by_pk(cls, ["unhashable"])


def test_many_keys_keep_insertion_order(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    held = {}
    for pk in range(3000):
        obj, state = _state(core, cls, pk * 7919 % 10007)
        identity_map.add(state)
        held[state._key_pk] = obj
    order = [s._key_pk for s in identity_map.all_states()]
    assert order == list(held)
    for pk in order[::3]:
        obj = held.pop(pk)
        identity_map.discard(obj._sa_instance_state)
    replaced = order[1]
    new_obj, new_state = _state(core, cls, replaced)
    identity_map.replace(new_state)  # keeps its place
    held[replaced] = new_obj
    assert [s._key_pk for s in identity_map.all_states()] == [pk for pk in order if pk in held]
    for pk, obj in held.items():
        assert identity_map.get_by_pk(cls, pk) is obj
    assert len(identity_map) == len(held)
    for pk in list(held)[:1000]:
        obj = held.pop(pk)  # alive until removed (a dropped instance is evicted at once)
        identity_map.remove(obj._sa_instance_state)
    assert sorted(s._key_pk for s in identity_map.all_states()) == sorted(held)
    assert all(identity_map.get_by_pk(cls, pk) is obj for pk, obj in held.items())


class _Meddler:
    """A key whose == changes the identity map it is compared in."""

    def __init__(self, value: int, on_eq: Any = None) -> None:
        self.value = value
        self.on_eq = on_eq

    def __hash__(self) -> int:
        return 42

    def __eq__(self, other: object) -> bool:
        on_eq, self.on_eq = self.on_eq, None
        if on_eq is not None:
            on_eq()
        return isinstance(other, _Meddler) and other.value == self.value


def test_a_comparison_that_changes_the_map(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    objs = []
    for value in range(4):
        obj, state = _state(core, cls, _Meddler(value))
        identity_map.add(state)
        objs.append(obj)

    # the stored key is compared first (key == probe): the first one met meddles
    def meddle() -> None:
        identity_map.discard(objs[0]._sa_instance_state)
        identity_map.discard(objs[1]._sa_instance_state)
        for value in range(10, 20):
            extra, state = _state(core, cls, _Meddler(value))
            objs.append(extra)
            identity_map.add(state)

    objs[0]._sa_instance_state._key_pk.on_eq = meddle
    assert identity_map.get_by_pk(cls, _Meddler(3)) is objs[3]
    assert identity_map.get_by_pk(cls, _Meddler(0)) is None
    assert len(identity_map) == 12


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["add", "replace", "discard", "drop", "clear"]),
                          st.integers(0, 40)), max_size=120))
def test_twins_keep_the_same_map(ops: list) -> None:
    worlds = []
    for core in (_core_py, load_core("c")):
        cls = mapped_class(core)
        worlds.append((core, cls, core.IdentityMap(), {}))
    for op, pk in ops:
        results = []
        for core, cls, identity_map, held in worlds:
            if op in ("add", "replace"):
                obj, state = _state(core, cls, pk)
                try:
                    result = getattr(identity_map, op)(state)
                except AssertionError:
                    result = "conflict"
                else:
                    held[pk] = obj
                del obj, state  # only `held` keeps instances alive
                results.append(result if type(result) in (bool, str) else result is None)
            elif op == "discard" and pk in held:
                identity_map.discard(held[pk]._sa_instance_state)
            elif op == "drop":
                held.pop(pk, None)
                gc.collect()
            elif op == "clear":
                identity_map.clear()
        assert len(set(map(repr, results))) <= 1, (op, pk, results)
        views = [([s._key_pk for s in identity_map.all_states()], len(identity_map),
                  sorted(pk for pk in range(41) if identity_map.get_by_pk(cls, pk) is not None))
                 for _, cls, identity_map, _ in worlds]
        assert views[0] == views[1], (op, pk)
