"""Class instrumentation: the ClassManager a mapped class carries, and what mapping installs
on the class (the attribute-write hook, the state-creating __init__).

The compiled core knows a class's manager only as `state.manager`, from which it needs two
things: `_attribute_names` (every mapped attribute, for expire-all) and
`_load_missing(state, key)` (called when a mapped attribute with no value is read). Both are
here; the rest is the Mapper's.
"""

from __future__ import annotations

import functools
from typing import Any
from typing import Callable

from .._core import InstrumentedBase
from .._core import instrumented_delattr
from .._core import instrumented_setattr
from .base import MANAGER_KEY
from .base import STATE_KEY
from .state import InstanceState


class ClassManager:
    """Per mapped class: its mapper, its state class, and the core's two hooks."""

    __slots__ = ("class_", "mapper", "_attribute_names", "state_class", "_original_init",
                 "__weakref__")

    def __init__(self, class_: type, mapper: Any) -> None:
        self.class_ = class_
        self.mapper = mapper
        self._attribute_names: tuple = ()
        self.state_class = InstanceState
        self._original_init: Any = None

    @property
    def is_mapped(self) -> bool:
        return True

    def _new_state_if_none(self, instance: Any) -> Any:
        """The instance's state, created and attached when it has none."""
        state = instance.__dict__.get(STATE_KEY)
        if state is None:
            state = self.state_class(instance, self)
            instance.__dict__[STATE_KEY] = state
        return state

    def new_instance(self, state: Any = None) -> Any:
        """An instance made without __init__, with a state."""
        instance = self.class_.__new__(self.class_)
        self._new_state_if_none(instance)
        return instance

    def _load_missing(self, state: Any, key: str) -> Any:
        """A mapped attribute with no value was read (the core's __get__ calls this).

        Transient and pending instances read None, without storing it, as SQLAlchemy.
        Persistent ones load it (with the other expired attributes) through the Session;
        detached ones raise DetachedInstanceError."""
        values = state.dict
        if state.key is None:
            return None
        keys = {key}
        expired = state._expired_attributes
        # a deferred column loads alone (with its group); others with every expired one
        if expired and key in expired and not getattr(self.mapper._props.get(key), "deferred", False):
            keys.update(expired)
        state._load_expired_keys(keys)
        if key in values:
            return values[key]
        prop = self.mapper._props.get(key)
        if prop is not None and prop._is_synonym:
            return getattr(state(), prop.name)
        return None

    def __repr__(self) -> str:
        return f"<ClassManager of {self.class_.__name__}>"


def register_class(class_: type, mapper: Any) -> ClassManager:
    """Give `class_` its ClassManager and install the write hook and the state-creating
    __init__ wrapper."""
    manager = ClassManager(class_, mapper)
    type.__setattr__(class_, MANAGER_KEY, manager)
    if not issubclass(class_, InstrumentedBase):
        # imperative mapping: the class has no compiled base; install the same hooks
        if class_.__setattr__ is not instrumented_setattr:
            type.__setattr__(class_, "__setattr__", instrumented_setattr)
        if class_.__delattr__ is not instrumented_delattr:
            type.__setattr__(class_, "__delattr__", instrumented_delattr)
    _instrument_init(class_, manager)
    return manager


def _instrument_init(class_: type, manager: ClassManager) -> None:
    original = class_.__dict__.get("__init__")
    if original is None:
        # inherited: wrap what the class would call, in the class itself
        original = class_.__init__
    if getattr(original, "_sa_original_init", None) is not None:
        original = original._sa_original_init
    manager._original_init = original
    type.__setattr__(class_, "__init__", _make_init(original, manager))


def _make_init(original: Callable, manager: ClassManager) -> Callable:
    # The state exists before the user's __init__ body runs, so its writes record history
    # as SQLAlchemy's do (pending changes of a transient instance).
    state_class = manager.state_class

    @functools.wraps(original)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if STATE_KEY not in self.__dict__:
            klass = type(self).__dict__.get(MANAGER_KEY) or manager
            self.__dict__[STATE_KEY] = klass.state_class(self, klass)
        if original is object.__init__:
            if args or kwargs:
                raise TypeError(f"{type(self).__name__}() takes no arguments")
            return
        original(self, *args, **kwargs)

    __init__._sa_original_init = original  # type: ignore[attr-defined]
    del state_class
    return __init__


def unregister_class(class_: type) -> None:
    """Undo register_class (registry.dispose / clear_mappers)."""
    manager = class_.__dict__.get(MANAGER_KEY)
    if manager is None:
        return
    if manager._original_init is not None and "__init__" in class_.__dict__:
        type.__setattr__(class_, "__init__", manager._original_init)
    type.__delattr__(class_, MANAGER_KEY)


def is_instrumented(instance: Any, key: str) -> bool:
    """True when `key` is a mapped attribute of the instance's class."""
    manager = type(instance).__dict__.get(MANAGER_KEY)
    return manager is not None and key in manager._attribute_names


__all__ = ["ClassManager", "is_instrumented", "register_class", "unregister_class"]
