"""The identity map's tables against a dict model, on both cores: random sequences of
add / replace / discard / lookups, instances dropped (evicted at once by their weakref
callback, or by the collector when they sit in a cycle), modified instances held strongly
until committed, and keys whose hashes collide with each other and with ints'."""

from __future__ import annotations

import gc
import types
from typing import Any

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from .orm_helpers import mapped_class


class _Colliding:
    """A key of hash `value`, as the int `value`, but equal only to a _Colliding of the same
    value: it shares probe sequences with the int keys and with every other one."""

    def __init__(self, value: int) -> None:
        self.value = value

    def __hash__(self) -> int:
        return self.value % 3

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Colliding) and other.value == self.value

    def __repr__(self) -> str:
        return f"_Colliding({self.value})"


KEYS = [*range(6), *map(_Colliding, range(6)), "a", (1, "b")]
OPS = ["add", "replace", "discard", "drop", "cycle", "modify", "commit", "gc", "clear"]


class _World:
    """One core's identity map beside the model of what it must hold."""

    def __init__(self, core: types.ModuleType) -> None:
        self.core = core
        self.cls = mapped_class(core)
        self.identity_map = core.IdentityMap()
        self.model: dict = {}    # key -> the instance the map must hold (insertion order)
        self.held: dict = {}     # key -> the instance the test keeps alive
        self.pending: set = set()  # keys of unreferenced instances in cycles, until collected

    def new(self, key: Any) -> Any:
        obj = self.cls()
        state = self.core.InstanceState(obj)
        obj._sa_instance_state = state
        state.key = (self.cls, key if isinstance(key, tuple) else (key,), None)
        return obj

    def apply(self, op: str, index: int) -> Any:
        key = KEYS[index]
        identity_map, model = self.identity_map, self.model
        if op in ("add", "replace"):
            obj = self.new(key)
            state = obj._sa_instance_state
            if op == "add":
                try:
                    result = identity_map.add(state)
                except AssertionError:
                    # the model keeps a dropped instance in a cycle alive until "gc": it conflicts
                    assert key in model
                    return "conflict"
                assert result is True
            else:
                result = identity_map.replace(state)
                old = model.get(key)
                assert result is (None if old is None else old._sa_instance_state)
                self.pending.discard(key)
            model[key] = self.held[key] = obj
            return "ok"
        if op == "discard" and key in model:
            identity_map.discard(model.pop(key)._sa_instance_state)
            self.pending.discard(key)
        elif op == "drop" and key in self.held:
            obj = self.held.pop(key)
            if model.get(key) is obj:
                if vars(obj).get("me") is obj:
                    self.pending.add(key)
                elif not obj._sa_instance_state.modified:
                    del model[key]
            del obj
        elif op == "cycle" and key in self.held:
            self.held[key].me = self.held[key]  # an unmapped name: a plain store
        elif op == "modify" and key in model and key not in self.pending:
            model[key].name = "changed"
        elif op == "commit" and key in model and key not in self.pending:
            obj = model[key]
            obj._sa_instance_state._commit_all()
            if key not in self.held:
                del model[key]  # unreferenced now: evicted
            del obj
        elif op == "gc":
            # the model's own references go first, or they would keep the cycles alive
            for key in self.pending:
                del model[key]
            self.pending.clear()
            gc.collect()
        elif op == "clear":
            identity_map.clear()
            model.clear()
            self.pending.clear()
        return None

    def check(self) -> None:
        identity_map, model = self.identity_map, self.model
        assert [s._key_pk for s in identity_map.all_states()] == list(model)
        assert len(identity_map) == len(model) and bool(identity_map) == bool(model)
        for key in KEYS:
            if key not in self.pending:
                assert identity_map.get_by_pk(self.cls, key) is model.get(key), key
                full = (self.cls, key if isinstance(key, tuple) else (key,), None)
                assert (full in identity_map) == (key in model), key


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, len(KEYS) - 1)), max_size=80))
def test_identity_map_matches_a_dict(core: types.ModuleType, ops: list) -> None:
    world = _World(core)
    for op, index in ops:
        world.apply(op, index)
        world.check()


def test_many_keys_through_resizes_and_removals(core: types.ModuleType) -> None:
    # the table grows, and its holes (removed entries) are squeezed out when it regrows
    world = _World(core)
    keys = [_Colliding(v) if v % 5 == 0 else v for v in range(2000)]
    for key in keys:
        obj = world.new(key)
        world.identity_map.add(obj._sa_instance_state)
        world.model[key] = world.held[key] = obj
    for key in keys[::2]:
        del world.held[key], world.model[key]  # evicted at once: nothing else holds them
    for key in keys[:500]:
        if key not in world.model:
            obj = world.new(key)
            world.identity_map.add(obj._sa_instance_state)
            world.model[key] = world.held[key] = obj
    identity_map, model = world.identity_map, world.model
    assert [s._key_pk for s in identity_map.all_states()] == list(model)
    assert len(identity_map) == len(model)
    assert all(identity_map.get_by_pk(world.cls, key) is obj for key, obj in model.items())
