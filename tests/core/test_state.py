"""InstanceState on both cores: the weak reference it is, its identity key, and the hot
operations the Session drives (modified event, commit, expire), plus reference counts of the
compiled paths."""

from __future__ import annotations

import gc
import os
import sys
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
    assert not state.modified and not state.deleted and not state.expired
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


@pytest.mark.parametrize("materialized", [False, True])
def test_expire_all_keeps_unmapped_values(core: types.ModuleType, materialized: bool) -> None:
    # CPython keeps attributes in inline values until __dict__ is read: both layouts
    obj, state = _attached(core, Manager(core))
    obj.id, obj.name, obj.other = 1, "a", "unmapped"
    if materialized:
        vars(obj)
    state._expire()
    assert vars(obj) == {STATE_KEY: state, "other": "unmapped"}
    state._expire()  # nothing left to remove
    assert vars(obj) == {STATE_KEY: state, "other": "unmapped"}


def test_expired_names_of_whole_expiries_are_each_states_own(core: types.ModuleType) -> None:
    manager = Manager(core)
    (one, first), (two, second) = _attached(core, manager), _attached(core, manager)
    first._expire()
    second._expire()
    expired = first._expired_attributes
    assert expired == set(manager._attribute_names) and type(expired) is set
    assert first._expired_attributes is expired and first.expired_attributes is expired
    expired.discard("name")
    first.expired_attributes.add("extra")
    assert first._expired_attributes == set(manager._attribute_names) - {"name"} | {"extra"}
    assert second._expired_attributes == set(manager._attribute_names)
    first._expire()  # the state's own set, updated in place (as SQLAlchemy's)
    assert first._expired_attributes is expired
    assert expired == set(manager._attribute_names) | {"extra"}


def test_loading_after_expire_all_leaves_the_rest_expired(core: types.ModuleType) -> None:
    manager = Manager(core)
    obj, state = _attached(core, manager)
    state._expire()
    obj.name, obj.qty = "b", 2  # qty set by the user: stays expired until committed
    state._commit(["name", "email"])
    assert state.expired_attributes == set(manager._attribute_names) - {"name"}
    obj.id = 1
    state._commit_all()
    assert state.expired_attributes == {"email"}
    state._expire()
    obj.id, obj.name, obj.email, obj.qty = 1, "a", "e", 3
    state._commit_all()
    assert not state._expired_attributes and state.expired_attributes == set()
    state._expire()
    obj.id, obj.name, obj.email, obj.qty = 1, "a", "e", 3
    state._commit(manager._attribute_names)
    assert not state._expired_attributes and not state.expired


def test_expire_all_joins_an_earlier_partial_expiry(core: types.ModuleType) -> None:
    manager = Manager(core)
    obj, state = _attached(core, manager)
    state._expire(["name", "unmapped"])
    state._expire()
    assert state.expired_attributes == set(manager._attribute_names) | {"unmapped"}


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


def test_expired_flag_is_for_whole_instance_expiry(core: types.ModuleType) -> None:
    # SQLAlchemy's InstanceState.expired: set by expiring the whole instance, not some
    # attributes; cleared when loaded values are committed (a load, a flush)
    obj, state = _attached(core, Manager(core))
    obj.id, obj.name = 1, "a"
    assert not state.expired
    state._expire(["name"])
    assert not state.expired
    state._expire()
    assert state.expired
    state._expire(["name"])
    assert state.expired
    obj.name = "b"
    state._commit(["name"])
    assert not state.expired
    state._expire()
    state._commit_all()
    assert not state.expired


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
        vars(obj)  # a materialized __dict__: expiring the whole instance pops from it
        state._expire()
        state.expired_attributes.discard(name)
        identity_map.discard(state)

    refs_unchanged([manager, cls, identity_map, name, value], body)


# -- storage: what a loaded state costs, and what it shares -----------------------------------

def test_loaded_state_is_four_fields_over_its_weak_reference(core_c: types.ModuleType) -> None:
    # The layout documented in state.pyx: every loaded row pays for this object.
    cls = mapped_class(core_c)
    loader = core_c.RowLoader(cls, None, core_c.IdentityMap(), [0], [("id", 0)])
    obj = loader.load_one((1,))
    plain_ref = weakref.ref(obj)
    assert sys.getsizeof(obj._sa_instance_state) - sys.getsizeof(plain_ref) == 4 * 8


def test_committed_state_lifecycle(core: types.ModuleType) -> None:
    obj, state = _attached(core)
    assert state._committed_state is None
    state._modified_event("name", "a")
    assert state._committed_state == {"name": "a"}
    state._modified_event("qty", 1)
    held = state._committed_state
    assert held == {"name": "a", "qty": 1} and state._committed_state is held
    state._commit(["name"])
    assert held == {"qty": 1}
    state._commit(["qty"])
    assert state._committed_state is None  # nothing recorded: no dict
    state._modified_event("name", "b")
    held = state.committed_state
    held["email"] = "e"  # the public dict is the live one
    assert state._committed_state == {"name": "b", "email": "e"}
    state._commit_all()
    assert state._committed_state is None and held == {}  # a reader's dict reads empty


def test_flags_and_rare_fields_read_back(core: types.ModuleType) -> None:
    obj, state = _attached(core)
    state.callables, state.load_options, state.insert_order = {"a": 1}, ("opt",), 4
    state.deleted, state.expired, state.modified = True, True, True
    assert (state.callables, state.load_options, state.insert_order) == ({"a": 1}, ("opt",), 4)
    assert state.deleted and state.expired and state.modified
    state.callables = state.load_options = state.insert_order = None
    state.deleted = state.expired = state.modified = False
    assert (state.callables, state.load_options, state.insert_order) == (None, None, None)
    assert not (state.deleted or state.expired or state.modified)
    state._expired_attributes = {"name"}
    assert state._expired_attributes == {"name"} and state.expired_attributes == {"name"}
    state._expired_attributes = None
    assert state._expired_attributes is None


def test_shared_fields_follow_each_state(core: types.ModuleType) -> None:
    # States loaded together share their class / session / map fields in the compiled
    # core; setting one state's field must not touch the others.
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    loader = core.RowLoader(cls, "manager", identity_map, [0], [("id", 0)], session_id=3)
    a, b = loader.load([(1,), (2,)])
    sa, sb = a._sa_instance_state, b._sa_instance_state
    sa.session_id = 4
    assert (sa.session_id, sb.session_id) == (4, 3)
    sb.session_id = 4
    sb.manager = "other"
    assert (sa.manager, sb.manager) == ("manager", "other")
    assert sa.class_ is cls and sa._key_class is cls and sa.identity_token is None
    sb.key = (cls, (2,), "shard")
    assert sb.key == (cls, (2,), "shard") and sa.key == (cls, (1,), None)
    identity_map.clear()
    assert sa.identity_map is None and sb.identity_map is None
    assert sa.session_id == 4 and sa.manager == "manager"


def test_detached_states_do_not_keep_their_map_alive(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    loader = core.RowLoader(cls, None, identity_map, [0], [("id", 0)], session_id=1)
    objs = loader.load([(1,), (2,)])
    other = core.IdentityMap()
    other.add(objs[0]._sa_instance_state)  # a map taken and dropped again
    other.discard(objs[0]._sa_instance_state)
    probes = [weakref.ref(identity_map), weakref.ref(other)]
    identity_map.clear()
    del identity_map, other, loader
    gc.collect()
    assert [probe() for probe in probes] == [None, None]
    assert all(o._sa_instance_state.identity_map is None for o in objs)


def _extra_of(state: object) -> object:
    extra, = [r for r in gc.get_referents(state) if type(r).__name__ == "_StateExtra"]
    return extra


def test_first_change_of_atoms_is_not_tracked_by_the_gc(core_c: types.ModuleType) -> None:
    # The compiled core keeps a state's changes in an object the cyclic GC does not track
    # while it holds only atoms (state.pyx): a loop of first writes must not feed the
    # collector one survivor per write.
    cls = mapped_class(core_c)
    positions = [("id", 0), ("name", 1), ("email", 2)]
    loader = core_c.RowLoader(cls, None, core_c.IdentityMap(), [0], positions)
    obj, other = loader.load([(1, "a", ["a list"]), (2, "b", None)])
    tracked_before = len(gc.get_objects())
    obj.name = "b"
    assert len(gc.get_objects()) == tracked_before
    extra = _extra_of(obj._sa_instance_state)
    assert not gc.is_tracked(extra)
    obj.name = ["a new list"]  # the new value is the instance's, not the changes'
    assert not gc.is_tracked(extra)
    obj.email = "e"  # a committed value that is a list
    assert gc.is_tracked(extra)
    other.qty = 5  # not loaded: the NO_VALUE symbol counts as an atom
    assert not gc.is_tracked(_extra_of(other._sa_instance_state))


def test_cycles_through_committed_values_are_collected(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    loader = core.RowLoader(cls, None, identity_map, [0], [("id", 0), ("name", 1)])
    obj = loader.load_one((1, "a"))
    obj.name = [obj]  # the first change keeps "a"
    state = obj._sa_instance_state
    state._commit_all()
    obj.name = "b"  # now the committed value is a list holding the instance
    probe = weakref.ref(obj)
    del obj, state, identity_map, loader
    gc.collect()
    assert probe() is None


def test_modified_instances_of_a_dropped_map_are_collected(core: types.ModuleType) -> None:
    # The state holds a modified instance strongly (the compiled core: through its extra,
    # reported by the state's traverse): instance, state and map dropped together are a
    # cycle the collector must be able to free.
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    loader = core.RowLoader(cls, None, identity_map, [0], [("id", 0), ("name", 1)],
                            session_id=7)
    obj = loader.load_one((1, "a"))
    obj.name = "b"
    assert obj._sa_instance_state._strong_obj is obj
    probe = weakref.ref(obj)
    del obj, identity_map, loader
    gc.collect()
    assert probe() is None


def test_session_id_is_a_plain_slot(core: types.ModuleType) -> None:
    # a __slots__-like member on both cores (CPython specializes its reads and writes)
    assert type(core.InstanceState.__dict__["session_id"]).__name__ == "member_descriptor"
    obj, state = _attached(core)
    assert state.session_id is None
    state.session_id = 5
    assert state.session_id == 5
    del state.session_id
    with pytest.raises(AttributeError):
        state.session_id


def test_a_deleted_session_id_reads_as_none_in_c(core_c: types.ModuleType) -> None:
    obj, state = _attached(core_c)
    del state.session_id
    obj.name = "b"  # the modified event reads the session: absent is None, no crash
    assert state.modified and state._strong_obj is None
    state.session_id = 1
    assert state.session_id == 1


def test_committed_values_keep_their_order(core: types.ModuleType) -> None:
    # (the compiled core keeps the first two in fields, then a dict: same order as a dict)
    obj, state = _attached(core)
    state._modified_event("a", 1)
    state._modified_event("b", 2)
    state._commit(["a"])
    state._modified_event("c", 3)
    assert list(state._committed_state.items()) == [("b", 2), ("c", 3)]
    state._modified_event("d", 4)
    state._modified_event("b", 5)
    assert list(state._committed_state.items()) == [("b", 2), ("c", 3), ("d", 4)]
    state._commit(["b", "c", "d"])
    assert state._committed_state is None
    state._modified_event("e", 5)
    state._modified_event("f", 6)
    state._commit(["e", "f"])
    assert state._committed_state is None and state.modified
    state._modified_event("g", 7)
    assert core.get_history(state, "g") == ((), (), [7])
