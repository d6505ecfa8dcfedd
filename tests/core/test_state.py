"""InstanceState on both cores: the weak reference it is, its identity key, and the hot
operations the Session drives (modified event, commit, expire), plus reference counts of the
compiled paths."""

from __future__ import annotations

import gc
import os
import types
import weakref

import pytest

from ormcore import _core
from ormcore import _core_py

from .conftest import REQUIRE_SPEEDUPS
from .orm_helpers import STATE_KEY
from .orm_helpers import Manager
from .orm_helpers import mapped_class
from .orm_helpers import refs_unchanged

NEW_NAMES = ("AttributeDescriptor", "History", "IdentityMap", "InstanceState",
             "InstrumentedBase", "LoaderCallableStatus", "RowLoader", "get_history",
             "instrumented_delattr", "instrumented_setattr", "set_committed_value")


def test_chooser_takes_the_orm_core_from_one_core() -> None:
    pure = os.environ.get("ORMCORE_PURE_PYTHON", "") not in ("", "0")
    source = _core_py if pure or not _core.has_speedups() else None
    if source is None:
        from ormcore import _core_c as source
    elif REQUIRE_SPEEDUPS and not pure:
        pytest.fail(_core.speedups_unavailable_reason() or "compiled core not in use")
    for name in NEW_NAMES:
        assert getattr(_core, name) is getattr(source, name), name


def test_twins_define_the_same_public_names(core_c: types.ModuleType) -> None:
    for name in ("InstanceState", "IdentityMap", "RowLoader", "AttributeDescriptor",
                 "InstrumentedBase"):
        public_py = {n for n in dir(getattr(_core_py, name)) if not n.startswith("__")}
        public_c = {n for n in dir(getattr(core_c, name)) if not n.startswith("__")}
        assert public_c == public_py, (name, public_c ^ public_py)


def _attached(core: types.ModuleType, manager: object = None) -> tuple:
    cls = mapped_class(core)
    obj = cls()
    state = core.InstanceState(obj, manager)
    obj._sa_instance_state = state  # an unmapped name: a plain store
    return obj, state


def test_state_is_a_weak_reference(core: types.ModuleType) -> None:
    obj, state = _attached(core)
    assert state() is obj and state.obj() is obj and state.obj is state
    assert isinstance(state, weakref.ref)
    assert state.class_ is type(obj)
    assert vars(obj)[STATE_KEY] is state
    del obj
    gc.collect()
    assert state() is None and state.dict == {}


def test_fields_and_defaults(core: types.ModuleType) -> None:
    manager = object()
    cls = mapped_class(core)
    obj = cls()
    state = core.InstanceState(obj, manager=manager)
    assert state.manager is manager
    assert state.key is None and not state.has_identity
    assert state.session_id is None and state.identity_map is None
    assert not state.modified and not state.deleted and not state.was_deleted
    assert state._committed_state is None and state._expired_attributes is None
    assert state.committed_state == {} and state.expired_attributes == set()
    assert state.callables is None and state.load_options is None and state.insert_order is None
    state.session_id, state.insert_order, state.deleted = 7, 3, True
    assert (state.session_id, state.insert_order, state.deleted) == (7, 3, True)


def test_identity_key(core: types.ModuleType) -> None:
    obj, state = _attached(core)
    cls = type(obj)
    state.key = (cls, (5,), None)
    assert state.key == (cls, (5,), None) and state._key_pk == 5 and state.has_identity
    state.key = (cls, [1, "a"], "shard")
    assert state.key == (cls, (1, "a"), "shard") and state._key_pk == (1, "a")
    assert state.identity_token == "shard"
    state.key = None
    assert state.key is None and not state.has_identity


class _AllEqual:
    """Instances equal to everything and unhashable: states must not care."""

    __hash__ = None  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        return True


def test_states_compare_by_identity(core: types.ModuleType) -> None:
    a, b = _AllEqual(), _AllEqual()
    sa, sb = core.InstanceState(a), core.InstanceState(b)
    assert sa != sb and not (sa == sb) and sa == sa
    assert len({sa, sb}) == 2 and hash(sa) == hash(sa)


def test_modified_event(core: types.ModuleType) -> None:
    obj, state = _attached(core)
    state._modified_event("name", "old")
    state._modified_event("name", "newer")
    assert state.committed_state == {"name": "old"} and state.modified
    assert state._strong_obj is None  # neither in a map nor in a session
    state.session_id = 1
    state._modified_event("qty", core.LoaderCallableStatus.NO_VALUE)
    assert state._strong_obj is obj
    assert state.committed_state["qty"] is core.LoaderCallableStatus.NO_VALUE


def test_modified_event_enters_the_modified_set(core: types.ModuleType) -> None:
    obj, state = _attached(core)
    state.key = (type(obj), (1,), None)
    identity_map = core.IdentityMap()
    identity_map.add(state)
    state._modified_event("name", None)
    assert identity_map._modified == {state} and identity_map.check_modified()
    assert state._strong_obj is obj


def test_commit_all(core: types.ModuleType) -> None:
    obj, state = _attached(core)
    state.key = (type(obj), (1,), None)
    identity_map = core.IdentityMap()
    identity_map.add(state)
    obj.name = "a"
    obj.qty = 1
    state._modified_event("name", "x")
    state.expired_attributes.update({"name", "email"})
    state._commit_all()
    assert not state.modified and state.committed_state == {}
    assert state._strong_obj is None and not identity_map._modified
    assert state.expired_attributes == {"email"}  # name is loaded now


def test_commit_keys(core: types.ModuleType) -> None:
    obj, state = _attached(core)
    obj.name = "a"
    state._modified_event("name", "x")
    state._modified_event("qty", 1)
    state.expired_attributes.update({"name", "email"})
    state._commit(["name", "email"])
    assert state.committed_state == {"qty": 1}
    assert state.expired_attributes == {"email"}  # email has no value yet
    assert state.modified


def test_expire_all(core: types.ModuleType) -> None:
    manager = Manager(core)
    obj, state = _attached(core, manager)
    state.key = (type(obj), (1,), None)
    identity_map = core.IdentityMap()
    identity_map.add(state)
    obj.id, obj.name, obj.other = 1, "a", "unmapped"
    state._modified_event("name", "x")
    state._expire()
    assert vars(obj) == {STATE_KEY: state, "other": "unmapped"}
    assert state.expired_attributes == set(manager._attribute_names)
    assert not state.modified and not identity_map._modified and state.committed_state == {}
    assert state._strong_obj is None


def test_expire_all_without_a_manager_uses_the_class(core: types.ModuleType) -> None:
    obj, state = _attached(core)
    obj.id, obj.name = 1, "a"
    state._expire()
    assert vars(obj) == {STATE_KEY: state}
    assert state.expired_attributes == {"id", "name", "email", "qty"}


def test_expire_some(core: types.ModuleType) -> None:
    obj, state = _attached(core)
    obj.id, obj.name = 1, "a"
    state._commit_all()
    state._modified_event("name", "x")
    state._modified_event("id", 0)
    state._expire(["name", "email"])
    assert vars(obj) == {STATE_KEY: state, "id": 1}
    assert state.expired_attributes == {"name", "email"}
    assert state.committed_state == {"id": 0} and state.modified


def test_no_value_symbol(core: types.ModuleType) -> None:
    status = core.LoaderCallableStatus
    assert status.NEVER_SET is status.NO_VALUE
    assert status.NO_VALUE is not status.PASSIVE_NO_RESULT


def test_state_subclass(core: types.ModuleType) -> None:
    class State(core.InstanceState):
        @property
        def transient(self) -> bool:
            return self.key is None

    obj = mapped_class(core)()
    state = State(obj)
    assert state.transient and state() is obj


def test_state_refcounts(core_c: types.ModuleType) -> None:
    manager = Manager(core_c)
    cls = mapped_class(core_c)
    identity_map = core_c.IdentityMap()
    name, value = "name", "some value"

    def body() -> None:
        obj = cls()
        state = core_c.InstanceState(obj, manager)
        obj._sa_instance_state = state
        state.key = (cls, (1,), None)
        identity_map.replace(state)
        obj.name = value
        state._modified_event(name, value)
        state._commit_all()
        state._expire([name])
        obj.name = value
        state._expire()
        identity_map.discard(state)

    refs_unchanged([manager, cls, identity_map, name, value], body)
