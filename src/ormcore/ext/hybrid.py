"""hybrid_property and hybrid_method: Python-level attributes whose class-level access gives
a SQL expression (`User.full_name == "x"` in a query, `user.full_name` on an instance), as
sqlalchemy.ext.hybrid. Plain data descriptors: the core's write hook passes them through."""

from __future__ import annotations

import enum
from typing import Any
from typing import Callable
from typing import Optional


class HybridExtensionType(enum.Enum):
    HYBRID_METHOD = "HYBRID_METHOD"
    HYBRID_PROPERTY = "HYBRID_PROPERTY"


HYBRID_METHOD = HybridExtensionType.HYBRID_METHOD
HYBRID_PROPERTY = HybridExtensionType.HYBRID_PROPERTY


class hybrid_method:
    """A method callable on instances (Python) and on the class (SQL expression)."""

    is_attribute = True
    extension_type = HYBRID_METHOD

    def __init__(self, func: Callable[..., Any], expr: Optional[Callable[..., Any]] = None
                 ) -> None:
        self.func = func
        self.expr = expr if expr is not None else func
        self.__doc__ = func.__doc__

    def __get__(self, instance: Any, owner: Any) -> Any:
        if instance is None:
            return self.expr.__get__(owner, type(owner))
        return self.func.__get__(instance, owner)

    def expression(self, expr: Callable[..., Any]) -> "hybrid_method":
        self.expr = expr
        return self

    @property
    def inplace(self) -> "hybrid_method":
        return self


class hybrid_property:
    """A property whose class-level access builds a SQL expression."""

    is_attribute = True
    extension_type = HYBRID_PROPERTY

    def __init__(
        self,
        fget: Callable[[Any], Any],
        fset: Optional[Callable[[Any, Any], None]] = None,
        fdel: Optional[Callable[[Any], None]] = None,
        expr: Optional[Callable[[Any], Any]] = None,
        custom_comparator: Any = None,
        update_expr: Any = None,
    ) -> None:
        self.fget = fget
        self.fset = fset
        self.fdel = fdel
        self.expr = expr
        self.custom_comparator = custom_comparator
        self.update_expr = update_expr
        self.__doc__ = fget.__doc__
        self.__name__ = getattr(fget, "__name__", None)

    def __set_name__(self, owner: type, name: str) -> None:
        self.__name__ = name

    def __get__(self, instance: Any, owner: Any) -> Any:
        if owner is None:
            owner = type(instance)
        if instance is None:
            if self.custom_comparator is not None:
                return self.custom_comparator(owner)
            return (self.expr or self.fget)(owner)
        return self.fget(instance)

    def __set__(self, instance: Any, value: Any) -> None:
        if self.fset is None:
            raise AttributeError("can't set attribute")
        self.fset(instance, value)

    def __delete__(self, instance: Any) -> None:
        if self.fdel is None:
            raise AttributeError("can't delete attribute")
        self.fdel(instance)

    def _copy(self, **kw: Any) -> "hybrid_property":
        values = dict(fget=self.fget, fset=self.fset, fdel=self.fdel, expr=self.expr,
                      custom_comparator=self.custom_comparator, update_expr=self.update_expr)
        values.update(kw)
        return type(self)(**values)

    def getter(self, fget: Callable[[Any], Any]) -> "hybrid_property":
        return self._copy(fget=fget)

    def setter(self, fset: Callable[[Any, Any], None]) -> "hybrid_property":
        return self._copy(fset=fset)

    def deleter(self, fdel: Callable[[Any], None]) -> "hybrid_property":
        return self._copy(fdel=fdel)

    def expression(self, expr: Callable[[Any], Any]) -> "hybrid_property":
        return self._copy(expr=expr)

    def comparator(self, comparator: Any) -> "hybrid_property":
        return self._copy(custom_comparator=comparator)

    def update_expression(self, meth: Any) -> "hybrid_property":
        return self._copy(update_expr=meth)

    @property
    def overrides(self) -> "hybrid_property":
        return self

    @property
    def inplace(self) -> "_InPlace":
        return _InPlace(self)


class _InPlace:
    """`@name.inplace.setter`: modify the hybrid itself instead of copying it."""

    __slots__ = ("attr",)

    def __init__(self, attr: hybrid_property) -> None:
        self.attr = attr

    def _set(self, **kw: Any) -> hybrid_property:
        for key, value in kw.items():
            setattr(self.attr, key, value)
        return self.attr

    def getter(self, fget: Callable) -> hybrid_property:
        return self._set(fget=fget)

    def setter(self, fset: Callable) -> hybrid_property:
        return self._set(fset=fset)

    def deleter(self, fdel: Callable) -> hybrid_property:
        return self._set(fdel=fdel)

    def expression(self, expr: Callable) -> hybrid_property:
        return self._set(expr=getattr(expr, "__func__", expr))

    def comparator(self, comparator: Any) -> hybrid_property:
        return self._set(custom_comparator=getattr(comparator, "__func__", comparator))

    def update_expression(self, meth: Any) -> hybrid_property:
        return self._set(update_expr=meth)


__all__ = ["HYBRID_METHOD", "HYBRID_PROPERTY", "HybridExtensionType", "hybrid_method",
           "hybrid_property"]
