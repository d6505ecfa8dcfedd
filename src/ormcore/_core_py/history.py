"""Attribute instrumentation: reads at plain-attribute speed, writes that record history.

Loaded values live in the instance's own __dict__, and a mapped attribute's class attribute
is an AttributeDescriptor: a NON-data descriptor, so an ordinary attribute read finds the
instance value first and the descriptor runs only when the value is missing (unloaded or
expired), where it asks the ORM's manager to load it. Writes go through
`instrumented_setattr`: the __setattr__ of InstrumentedBase, and the function the ORM installs
as `cls.__setattr__` on classes mapped imperatively. It records the committed value the first
time an attribute changes, flags the state modified and enters it in its identity map's
modified set. get_history() answers (added, unchanged, deleted) as SQLAlchemy's History does.

This is the specification of src/_speedups/history.pyx.
"""

from __future__ import annotations

import collections
from typing import Any

from .state import NO_VALUE
from .state import STATE_KEY
from .state import InstanceState


class AttributeDescriptor:
    """The class attribute of one mapped attribute; subclass it to add SQL operators.

    `__get__` runs only when the instance has no value for `key`: on the class it returns
    the descriptor itself; on an instance it calls `state.manager._load_missing(state, key)`
    and returns what that returns (the loader is expected to have stored the value).
    Subclasses must not override __get__ (the compiled core relies on its own).
    """

    __slots__ = ("key",)

    def __init__(self, key: str) -> None:
        self.key = key

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        if obj is None:
            return self
        state = obj.__dict__.get(STATE_KEY)
        if not isinstance(state, InstanceState) or state.manager is None:
            raise AttributeError(
                f"{type(obj).__name__!r} object has no attribute {self.key!r}")
        return state.manager._load_missing(state, self.key)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.key!r}>"


def _class_attribute(cls: type, name: str) -> Any:
    for klass in cls.__mro__:
        found = klass.__dict__.get(name, NO_VALUE)
        if found is not NO_VALUE:
            return found
    return None


def instrumented_setattr(obj: Any, name: str, value: Any) -> None:
    """`obj.name = value`, recording history when `name` is a mapped attribute of a known
    instance (one with a state); otherwise object.__setattr__'s behaviour."""
    if isinstance(_class_attribute(type(obj), name), AttributeDescriptor):
        values = obj.__dict__
        state = values.get(STATE_KEY)
        if isinstance(state, InstanceState):
            state._modified_event(name, values.get(name, NO_VALUE))
    object.__setattr__(obj, name, value)


def instrumented_delattr(obj: Any, name: str) -> None:
    """`del obj.name`: history as for a write of 'no value'; AttributeError when there is
    no value to delete (and the attribute is not expired)."""
    if isinstance(_class_attribute(type(obj), name), AttributeDescriptor):
        values = obj.__dict__
        state = values.get(STATE_KEY)
        old = values.get(name, NO_VALUE)
        if isinstance(state, InstanceState):
            if old is NO_VALUE and (
                state._expired_attributes is None or name not in state._expired_attributes
            ):
                raise AttributeError(f"{type(obj).__name__!r} object has no value for {name!r}")
            state._modified_event(name, old)
            if old is NO_VALUE:
                return
    object.__delattr__(obj, name)


class InstrumentedBase:
    """A base for mapped classes whose attribute writes record history."""

    __slots__ = ()

    def __setattr__(self, name: str, value: Any) -> None:
        instrumented_setattr(self, name, value)

    def __delattr__(self, name: str) -> None:
        instrumented_delattr(self, name)


def set_committed_value(obj: Any, key: str, value: Any) -> None:
    """Store `value` as loaded from the database: no history, not expired."""
    values = obj.__dict__
    values[key] = value
    state = values.get(STATE_KEY)
    if isinstance(state, InstanceState):
        state._commit((key,))


class History(collections.namedtuple("History", ["added", "unchanged", "deleted"])):
    """(added, unchanged, deleted) of one attribute, as SQLAlchemy's History."""

    __slots__ = ()

    def __bool__(self) -> bool:
        return self != ((), (), ())

    def empty(self) -> bool:
        return not bool((self.added or self.deleted) or self.unchanged)

    def has_changes(self) -> bool:
        return bool(self.added or self.deleted)

    def non_deleted(self) -> list:
        return list(self.added or ()) + list(self.unchanged or ())


def get_history(state: InstanceState, key: str) -> History:
    """The scalar history of `key`: SQLAlchemy's History.from_scalar_attribute."""
    obj = state()
    current = NO_VALUE if obj is None else obj.__dict__.get(key, NO_VALUE)
    committed = state._committed_state
    if committed is None or key not in committed:
        if current is NO_VALUE:
            return History((), (), ())
        return History((), [current], ())
    original = committed[key]
    if current is not NO_VALUE and (current is original or _equal(current, original)):
        return History((), [current], ())
    deleted = () if original is NO_VALUE else [original]
    if current is NO_VALUE:
        return History((), (), deleted)
    return History([current], (), deleted)


def _equal(a: Any, b: Any) -> bool:
    try:
        return (a == b) is True
    except Exception:
        return False
