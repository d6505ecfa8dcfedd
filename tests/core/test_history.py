"""Attribute instrumentation on both cores: reads of loaded values are plain attribute reads,
reads of missing values go to the manager's loader, writes and deletes record history once,
get_history() answers as SQLAlchemy's History, and the compiled write path keeps CPython's
inline values and its reference counts."""

from __future__ import annotations

import gc
import types
import weakref
from typing import Any

import pytest

from .orm_helpers import Manager
from .orm_helpers import has_materialized_dict
from .orm_helpers import mapped_class
from .orm_helpers import refs_unchanged


def _persistent(core: types.ModuleType, manager: Any = None, **values: Any) -> tuple:
    """An instance as hydration leaves it: loaded values, a state with a key, in a map."""
    cls = mapped_class(core)
    identity_map = core.IdentityMap()
    loader = core.RowLoader(cls, manager, identity_map, [0],
                            [(name, i) for i, name in enumerate(values)])
    obj = loader.load_one(tuple(values.values()))
    return obj, obj._sa_instance_state, identity_map


def test_loaded_read_is_the_instance_value(core: types.ModuleType) -> None:
    manager = Manager(core)
    obj, state, _ = _persistent(core, manager, id=1, name="a")
    assert obj.name == "a" and obj.id == 1
    assert manager.calls == []


def test_class_access_returns_the_descriptor(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    assert isinstance(cls.name, core.AttributeDescriptor) and cls.name.key == "name"
    assert repr(cls.name) == "<AttributeDescriptor 'name'>"


def test_descriptor_subclass_adds_operators(core: types.ModuleType) -> None:
    class Column(core.AttributeDescriptor):
        def __eq__(self, other: Any) -> Any:  # as the ORM will build SQL expressions
            return ("eq", self.key, other)

        __hash__ = core.AttributeDescriptor.__hash__

    cls = type("C", (core.InstrumentedBase,), {"name": Column("name")})
    assert (cls.name == 5) == ("eq", "name", 5)
    obj = cls()
    obj.name = "x"
    assert obj.name == "x"
    assert {cls.name: 1}[cls.name] == 1


def test_missing_value_is_loaded_through_the_manager(core: types.ModuleType) -> None:
    manager = Manager(core)
    obj, state, _ = _persistent(core, manager, id=1)
    manager.db[1] = {"name": "from db"}
    assert obj.name == "from db" and obj.name == "from db"
    assert manager.calls == ["name"]
    assert vars(obj)["name"] == "from db" and not state.modified


def test_missing_value_without_a_loader(core: types.ModuleType) -> None:
    cls = mapped_class(core)
    with pytest.raises(AttributeError, match="name"):
        cls().name  # no state
    obj, state, _ = _persistent(core, None, id=1)
    with pytest.raises(AttributeError, match="name"):
        obj.name  # a state, no manager


def test_loader_errors_propagate(core: types.ModuleType) -> None:
    class Failing:
        def _load_missing(self, state: Any, key: str) -> Any:
            raise LookupError(key)

    obj, _, _ = _persistent(core, Failing(), id=1)
    with pytest.raises(LookupError):
        obj.name


def test_transient_writes_record_nothing(core: types.ModuleType) -> None:
    obj = mapped_class(core)()
    obj.name = "a"
    obj.name = "b"
    del obj.name
    obj.qty = 3
    assert vars(obj) == {"qty": 3}


def test_write_records_the_committed_value_once(core: types.ModuleType) -> None:
    obj, state, identity_map = _persistent(core, None, id=1, name="a")
    obj.name = "b"
    obj.name = "c"
    assert obj.name == "c"
    assert state.committed_state == {"name": "a"} and state.modified
    assert identity_map._modified == {state} and state._strong_obj is obj
    obj.qty = 5  # not loaded before
    assert state.committed_state["qty"] is core.LoaderCallableStatus.NO_VALUE


def test_write_after_commit_records_again(core: types.ModuleType) -> None:
    obj, state, identity_map = _persistent(core, None, id=1, name="a")
    obj.name = "b"
    state._commit_all()
    assert not identity_map._modified
    obj.name = "c"
    assert state.committed_state == {"name": "b"} and identity_map._modified == {state}


def test_unmapped_names_behave_as_on_object(core: types.ModuleType) -> None:
    seen = []

    class Cls(core.InstrumentedBase):
        name = core.AttributeDescriptor("name")

        @property
        def upper(self) -> str:
            return self.name.upper()

        @upper.setter
        def upper(self, value: str) -> None:
            seen.append(value)
            self.name = value.lower()

    obj = Cls()
    obj.extra = 1
    obj.upper = "ABC"
    assert seen == ["ABC"] and obj.name == "abc" and obj.upper == "ABC" and obj.extra == 1
    with pytest.raises(AttributeError):
        del obj.missing
    with pytest.raises(TypeError):
        setattr(obj, 5, 1)  # type: ignore[arg-type]


def test_slots_and_subclass_setattr(core: types.ModuleType) -> None:
    class Cls(core.InstrumentedBase):
        name = core.AttributeDescriptor("name")

        def __setattr__(self, key: str, value: Any) -> None:
            super().__setattr__(key, value.strip() if isinstance(value, str) else value)

    obj, state, _ = _persistent(core, None, id=1)
    obj.__class__  # noqa: B018
    other = Cls()
    other.name = "  x "
    assert other.name == "x"


def test_delete_records_history(core: types.ModuleType) -> None:
    obj, state, _ = _persistent(core, None, id=1, name="a")
    del obj.name
    assert "name" not in vars(obj) and state.committed_state == {"name": "a"}
    with pytest.raises(AttributeError):
        del obj.email  # no value, not expired
    assert core.get_history(state, "name") == ((), (), ["a"])


def test_delete_of_an_expired_attribute(core: types.ModuleType) -> None:
    obj, state, _ = _persistent(core, None, id=1, name="a")
    state._expire(["name"])
    del obj.name
    assert state.committed_state["name"] is core.LoaderCallableStatus.NO_VALUE
    assert state.modified


def test_get_history(core: types.ModuleType) -> None:
    obj, state, _ = _persistent(core, None, id=1, name="a")
    history = core.get_history
    assert history(state, "name") == ((), ["a"], ())
    assert history(state, "email") == ((), (), ())
    assert not history(state, "email") and history(state, "email").empty()
    obj.name = "b"
    h = history(state, "name")
    assert h == (["b"], (), ["a"]) and h.added == ["b"] and h.deleted == ["a"]
    assert h.has_changes() and h.non_deleted() == ["b"] and isinstance(h, core.History)
    obj.name = "a"
    assert history(state, "name") == ((), ["a"], ())  # back to the committed value
    obj.email = "e"
    assert history(state, "email") == (["e"], (), ())  # nothing was loaded before


def test_imperative_class(core: types.ModuleType) -> None:
    class Plain:
        pass

    Plain.name = core.AttributeDescriptor("name")
    Plain.id = core.AttributeDescriptor("id")
    Plain.__setattr__ = core.instrumented_setattr
    Plain.__delattr__ = core.instrumented_delattr
    identity_map = core.IdentityMap()
    loader = core.RowLoader(Plain, None, identity_map, [0], [("id", 0), ("name", 1)])
    obj = loader.load_one((1, "a"))
    state = obj._sa_instance_state
    obj.name = "b"
    assert state.committed_state == {"name": "a"} and identity_map._modified == {state}
    del obj.name
    assert "name" not in vars(obj)
    object.__setattr__(obj, "name", "raw")  # no C slot on a plain class: still allowed
    assert obj.name == "raw"


def test_object_setattr_on_the_compiled_base(core: types.ModuleType) -> None:
    # A documented difference: CPython refuses object.__setattr__ on instances of a class
    # with a C-level __setattr__ (its "hackcheck"); set_committed_value is the way around.
    obj = mapped_class(core)()
    if core.__name__.endswith("_core_c"):
        with pytest.raises(TypeError):
            object.__setattr__(obj, "name", "x")
    else:
        object.__setattr__(obj, "name", "x")
    core.set_committed_value(obj, "name", "y")
    assert obj.name == "y"


def test_set_committed_value(core: types.ModuleType) -> None:
    obj, state, identity_map = _persistent(core, None, id=1, name="a")
    state._expire(["email"])
    core.set_committed_value(obj, "email", "e")
    assert obj.email == "e" and "email" not in state.expired_attributes
    assert not state.modified and not identity_map._modified


def test_expired_attribute_loads_on_read(core: types.ModuleType) -> None:
    manager = Manager(core)
    obj, state, _ = _persistent(core, manager, id=1, name="a")
    manager.db[1] = {"name": "fresh"}
    state._expire(["name"])
    assert obj.name == "fresh" and manager.calls == ["name"]
    assert "name" not in state.expired_attributes


def test_writes_keep_inline_values(core_c: types.ModuleType) -> None:
    obj, state, _ = _persistent(core_c, None, id=1, name="a")
    obj.name = "b"
    del obj.name
    obj.email = "e"
    state._expire(["email"])
    state._commit_all()
    core_c.get_history(state, "name")
    assert not has_materialized_dict(obj)
    fresh = mapped_class(core_c)()
    fresh.name = "x"
    assert not has_materialized_dict(fresh)


def test_write_refcounts(core_c: types.ModuleType) -> None:
    obj, state, _ = _persistent(core_c, None, id=1, name="a")
    value, other, key = "some value", "other value", "name"

    def body() -> None:
        obj.name = value
        obj.name = other
        del obj.name
        obj.name = value
        state._commit_all()
        core_c.get_history(state, key)
        core_c.instrumented_setattr(obj, key, other)
        core_c.instrumented_delattr(obj, key)
        core_c.set_committed_value(obj, key, value)

    refs_unchanged([value, other, key, state, obj], body)


def test_modified_instances_are_collected_with_their_map(core: types.ModuleType) -> None:
    obj, state, identity_map = _persistent(core, None, id=1, name="a")
    obj.name = "b"  # a cycle: obj -> state -> obj (strong), map -> state -> map
    probe = weakref.ref(obj)
    del obj, state, identity_map
    gc.collect()
    assert probe() is None


def test_writes_after_the_class_changes(core: types.ModuleType) -> None:
    # The compiled write path remembers that a class has no "_sa_instance_state" attribute
    # of its own; a change to the class must be seen.
    obj, state, identity_map = _persistent(core, None, id=1, name="a")
    cls = type(obj)
    obj.name = "x"
    cls._sa_instance_state = property(lambda self: None)  # a data descriptor shadowing it
    try:
        obj.id = 2  # the state is still the one in the instance's values
        assert state.committed_state == {"name": "a", "id": 1}
    finally:
        del cls._sa_instance_state
    obj.email = "e"
    no_value = core.LoaderCallableStatus.NO_VALUE
    assert state.committed_state == {"name": "a", "id": 1, "email": no_value}


def test_second_write_keeps_the_first_committed_value(core: types.ModuleType) -> None:
    obj, state, identity_map = _persistent(core, None, id=1, name="a", email="e")
    for value in ("b", "c", "a", "d"):
        obj.name = value
    obj.email = "f"
    obj.email = "g"
    assert state.committed_state == {"name": "a", "email": "e"}
    assert core.get_history(state, "name") == (["d"], (), ["a"])
    state._commit(["name"])
    obj.email = "h"
    assert state.committed_state == {"email": "e"} and state.modified
