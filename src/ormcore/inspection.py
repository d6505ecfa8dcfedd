"""`inspect()`: the one entry point from a user object to its runtime description.

As sqlalchemy.inspection: a registry of inspector functions per type, filled by the modules
that own the types (the ORM registers mapped classes and instances; an Engine or Connection
would register its Inspector). It imports nothing from ormcore but `exc`, so the SQL layer can
ask it to coerce a mapped class (`select(User)`) without importing the ORM.
"""

from __future__ import annotations

from typing import Any
from typing import Callable

from . import exc

# type -> inspector function, or True when instances inspect to themselves
_registrars: dict = {}


def inspect(subject: Any, raiseerr: bool = True) -> Any:
    """The inspection object of `subject` (a Mapper for a mapped class, an InstanceState for
    a mapped instance, ...); NoInspectionAvailable when there is none (None with
    raiseerr=False)."""
    type_ = type(subject)
    for klass in type_.__mro__:
        registrar = _registrars.get(klass)
        if registrar is None:
            continue
        if registrar is True:
            return subject
        result = registrar(subject)
        if result is not None:
            return result
        break
    if raiseerr:
        raise exc.NoInspectionAvailable(
            f"No inspection system is available for object of type {type_}")
    return None


def _inspects(*types: type) -> Callable[[Callable], Callable]:
    """Register the decorated function as the inspector of `types`."""

    def decorate(fn: Callable) -> Callable:
        for type_ in types:
            if type_ in _registrars and _registrars[type_] is not fn:
                raise AssertionError(f"Type {type_} is already registered")
            _registrars[type_] = fn
        return fn

    return decorate


def _self_inspects(cls: type) -> type:
    """A class whose instances are their own inspection objects."""
    _registrars[cls] = True
    return cls


def _clause_element_of(subject: Any) -> Any:
    """For the SQL layer: what an inspectable non-element (a mapped class) coerces to, or
    None. Only classes and objects with `_sa_instance_state`/mappers reach here."""
    found = inspect(subject, raiseerr=False)
    if found is None:
        return None
    ce = getattr(found, "__clause_element__", None)
    return None if ce is None else ce()


__all__ = ["inspect"]
