"""Mapped attributes at class level: `User.name` as a SQL expression, and the attribute
functions of sqlalchemy.orm.attributes (set_committed_value, get_history, flag_modified, ...).

Every mapped attribute's class attribute is an InstrumentedAttribute: a subclass of the
core's AttributeDescriptor, so instance reads stay plain __dict__ reads and unloaded reads
route to the ClassManager, adding the SQL operators at class level (`User.name == "x"`,
`User.id.in_(...)`, `User.name.desc()`), each applied to the property's column expression.
It must not override __get__ (the compiled core relies on its own).
"""

from __future__ import annotations

from typing import Any

from .._core import AttributeDescriptor
from .._core import History
from .._core import get_history as _core_get_history
from .._core import set_committed_value as _core_set_committed_value
from ..sql import operators
from .base import NO_VALUE
from .base import STATE_KEY
from .base import instance_dict
from .base import instance_state
from .base import object_state


class QueryableAttribute(AttributeDescriptor, operators.ColumnOperators):
    """A mapped attribute at class level: a descriptor and a SQL column expression."""

    __slots__ = ("class_", "prop", "parent")

    is_attribute = True

    def __init__(self, class_: type, key: str, prop: Any, parent: Any) -> None:
        AttributeDescriptor.__init__(self, key)
        self.class_ = class_
        self.prop = prop
        self.parent = parent

    # -- as an expression --------------------------------------------------------------------

    def __clause_element__(self) -> Any:
        return self.prop._expression_for(self)

    @property
    def expression(self) -> Any:
        """The SQL expression of the attribute (the mapped column)."""
        return self.__clause_element__()

    @property
    def mapper(self) -> Any:
        return self.parent

    @property
    def _parententity(self) -> Any:
        return self.parent

    @property
    def info(self) -> dict:
        return self.prop.info

    @property
    def comparator(self) -> Any:
        return self.__clause_element__().comparator

    def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
        return op(self.__clause_element__(), *other, **kwargs)

    def __eq__(self, other: Any) -> Any:  # type: ignore[override]
        # the most common criterion (`User.id == 5`), one call away from the column's
        return self.__clause_element__() == other

    def reverse_operate(self, op: Any, other: Any, **kwargs: Any) -> Any:
        return op(other, self.__clause_element__(), **kwargs)

    def label(self, name: Any) -> Any:
        return self.__clause_element__().label(name)

    def __getattr__(self, key: str) -> Any:
        # what a column offers that is not an operator: .type, .name, .table, ...; private
        # names are never forwarded (the SQL layer tests `_is_*` flags on this object)
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return getattr(self.__clause_element__(), key)
        except AttributeError:
            raise AttributeError(
                f"Neither {type(self).__name__!r} object nor 'Comparator' object associated "
                f"with {self} has an attribute {key!r}"
            ) from None

    __hash__ = object.__hash__

    def __str__(self) -> str:
        return f"{self.class_.__name__}.{self.key}"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self}>"

    def __reduce__(self) -> Any:
        return (getattr, (self.class_, self.key))

    # last in the class body: the name shadows the builtin `property` from here on
    property = property(lambda self: self.prop, doc="The MapperProperty behind the attribute.")


class InstrumentedAttribute(QueryableAttribute):
    """The class attribute of a mapped attribute (what `User.name` is)."""

    __slots__ = ()


# -- the functions of sqlalchemy.orm.attributes ---------------------------------------------


def set_committed_value(instance: Any, key: str, value: Any) -> None:
    """Set `key` as if loaded from the database: no history, not expired."""
    _core_set_committed_value(instance, key, value)


def _check_key(state: Any, key: str) -> None:
    """KeyError for a name that is no instrumented attribute, as SQLAlchemy's
    `manager[key]` lookup raises."""
    if key not in state.manager._attribute_names:
        raise KeyError(key)


def get_history(obj: Any, key: str, passive: Any = None) -> History:
    """History(added, unchanged, deleted) of `key` on a mapped instance."""
    state = object_state(obj)
    _check_key(state, key)
    return _core_get_history(state, key)


def set_attribute(instance: Any, key: str, value: Any, initiator: Any = None) -> None:
    """Set an attribute with history, as a plain `setattr` on the instance does."""
    setattr(instance, key, value)


def get_attribute(instance: Any, key: str) -> Any:
    """Get an attribute, loading it when needed, as `getattr`."""
    return getattr(instance, key)


def del_attribute(instance: Any, key: str) -> None:
    delattr(instance, key)


def flag_modified(instance: Any, key: str) -> None:
    """Mark `key` modified (its value to be written by the next flush) without changing it;
    InvalidRequestError when it is not loaded, as SQLAlchemy."""
    from .. import exc as sa_exc

    state = object_state(instance)
    _check_key(state, key)
    values = instance.__dict__
    if key not in values:
        raise sa_exc.InvalidRequestError(
            f"Can't flag attribute '{key}' modified; it's not present in the object state")
    state._modified_event(key, values[key])


def flag_dirty(instance: Any) -> None:
    """Mark the instance modified without any attribute change."""
    state = object_state(instance)
    if not state.modified:
        state.modified = True
        if state.identity_map is not None:
            state.identity_map._modified.add(state)


__all__ = [
    "History",
    "InstrumentedAttribute",
    "NO_VALUE",
    "QueryableAttribute",
    "STATE_KEY",
    "del_attribute",
    "flag_dirty",
    "flag_modified",
    "get_attribute",
    "get_history",
    "instance_dict",
    "instance_state",
    "set_attribute",
    "set_committed_value",
]
