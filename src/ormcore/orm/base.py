"""Small shared pieces of the ORM: the `Mapped[...]` annotation type, lookups from a class or
an instance to its mapper / state, how states are named in messages, and pausing the
cyclic GC around work on many objects.

Imported by every other ORM module; imports none of them at module level.
"""

from __future__ import annotations

import contextlib
import gc
from typing import Any
from typing import Generic
from typing import Iterator
from typing import Optional
from typing import TypeVar

from .._core import LoaderCallableStatus
from . import exc

_T = TypeVar("_T")

# work on at least this many objects runs with the cyclic GC paused (gc_paused)
GC_PAUSE_OBJECTS = 1000


@contextlib.contextmanager
def gc_paused(count: int) -> Iterator[None]:
    """The cyclic GC paused while `count` (>= GC_PAUSE_OBJECTS) objects are worked on.

    Loading, flushing or expiring many objects allocates a few GC-tracked objects for each
    and keeps them alive until the batch is done: the young generation overflows again and
    again, and each pass walks them all and frees nothing (DESIGN.md, "Measured facts").
    Paused, the GC runs once afterwards. Left alone when the program disabled it."""
    if count < GC_PAUSE_OBJECTS or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()

STATE_KEY = "_sa_instance_state"
MANAGER_KEY = "_sa_class_manager"
NO_VALUE = LoaderCallableStatus.NO_VALUE
NEVER_SET = LoaderCallableStatus.NEVER_SET
PASSIVE_NO_RESULT = LoaderCallableStatus.PASSIVE_NO_RESULT
ATTR_WAS_SET = LoaderCallableStatus.ATTR_WAS_SET
ATTR_EMPTY = LoaderCallableStatus.ATTR_EMPTY


class _MappedAnnotationBase(Generic[_T]):
    """What `Mapped[...]`, `WriteOnlyMapped[...]` and `DynamicMapped[...]` share: only the
    type argument matters, to declarative, which reads it from the class annotations."""

    __slots__ = ()


class Mapped(_MappedAnnotationBase[_T]):
    """The annotation of a mapped attribute: `name: Mapped[str]`, `note: Mapped[Optional[str]]`.

    At runtime the class attribute is an InstrumentedAttribute; `Mapped` is read from the
    annotations by declarative mapping only."""

    __slots__ = ()


class WriteOnlyMapped(_MappedAnnotationBase[_T]):
    """The annotation of a write-only relationship collection (relationships come later)."""

    __slots__ = ()


class DynamicMapped(_MappedAnnotationBase[_T]):
    """The annotation of a dynamic relationship collection (relationships come later)."""

    __slots__ = ()


def manager_of_class(cls: Any) -> Any:
    """The ClassManager of a mapped class; UnmappedClassError otherwise."""
    manager = opt_manager_of_class(cls)
    if manager is None:
        raise exc.UnmappedClassError(
            cls, f"Can't locate an instrumentation manager for class {cls}")
    return manager


def opt_manager_of_class(cls: Any) -> Any:
    """The ClassManager of a mapped class (its own, not an ancestor's), or None."""
    try:
        return cls.__dict__.get(MANAGER_KEY)
    except AttributeError:
        return None


def instance_state(obj: Any) -> Any:
    """The InstanceState of a mapped instance; AttributeError/KeyError (NO_STATE) if none."""
    return obj.__dict__[STATE_KEY]


def instance_dict(obj: Any) -> dict:
    """The instance's __dict__, where loaded attribute values live."""
    return obj.__dict__


def _state_or_none(obj: Any) -> Any:
    try:
        state = obj.__dict__.get(STATE_KEY)
    except AttributeError:
        return None
    if state is None or not hasattr(state, "_key_pk"):
        return None
    return state


def object_state(instance: Any) -> Any:
    """The InstanceState of a mapped instance; UnmappedInstanceError for anything else."""
    state = _state_or_none(instance)
    if state is None:
        raise exc.UnmappedInstanceError(instance)
    return state


def _inspect_mapped_class(class_: Any, configure: bool = False) -> Any:
    manager = opt_manager_of_class(class_)
    if manager is None:
        return None
    mapper = manager.mapper
    if configure:
        mapper._check_configure()
    return mapper


def class_mapper(class_: type, configure: bool = True) -> Any:
    """The Mapper of a mapped class; UnmappedClassError (ArgumentError for a non-class)."""
    mapper = _inspect_mapped_class(class_, configure=configure)
    if mapper is None:
        if not isinstance(class_, type):
            from .. import exc as sa_exc

            raise sa_exc.ArgumentError(f"Class object expected, got '{class_!r}'.")
        raise exc.UnmappedClassError(class_)
    return mapper


def object_mapper(instance: Any) -> Any:
    """The Mapper of a mapped instance; UnmappedInstanceError otherwise."""
    return object_state(instance).mapper


def _is_mapped_class(entity: Any) -> bool:
    return isinstance(entity, type) and opt_manager_of_class(entity) is not None


def state_str(state: Optional[Any]) -> str:
    """`<User at 0x...>` for a state, as SQLAlchemy words it in messages."""
    if state is None:
        return "None"
    obj = state()
    return "<%s at 0x%x>" % (state.class_.__name__, id(obj))


def instance_str(instance: Any) -> str:
    return state_str(instance_state(instance))


def state_class_str(state: Optional[Any]) -> str:
    if state is None:
        return "None"
    return "<%s>" % (state.class_.__name__,)


__all__ = [
    "DynamicMapped",
    "Mapped",
    "NO_VALUE",
    "WriteOnlyMapped",
    "class_mapper",
    "instance_dict",
    "instance_state",
    "manager_of_class",
    "object_mapper",
    "object_state",
    "state_str",
]
