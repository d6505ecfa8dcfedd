"""Mapper properties: what one mapped attribute is (a column, a SQL expression, a synonym),
and the declarative constructs that produce them (mapped_column, column_property, synonym,
deferred).

A Mapper keeps its properties in one ordered registry (`mapper._props`); each property
installs its own class attribute (`instrument_class`) and says which column expression it
maps. Relationships will be one more MapperProperty subclass in this registry.
"""

from __future__ import annotations

import itertools
from typing import Any
from typing import Optional

from .. import exc as sa_exc
from ..sql import operators
from ..sql.schema import Column
from ..sql.schema import _NULL_UNSPECIFIED
from .attributes import InstrumentedAttribute

_creation_order = itertools.count(1)
_UNSET: Any = object()


class MapperProperty:
    """One mapped attribute of a Mapper."""

    is_property = True
    _is_column_property = False
    _is_synonym = False
    _is_relationship = False

    key: str = None  # type: ignore[assignment]
    parent: Any = None

    def __init__(self, info: Optional[dict] = None, doc: Optional[str] = None) -> None:
        self._info = info
        self.doc = doc
        self._creation_order = next(_creation_order)

    @property
    def info(self) -> dict:
        if self._info is None:
            self._info = {}
        return self._info

    @property
    def class_attribute(self) -> Any:
        """The attribute on the mapped class (`User.name`)."""
        return getattr(self.parent.class_, self.key)

    def set_parent(self, parent: Any, key: str) -> None:
        self.parent = parent
        self.key = key

    def instrument_class(self, mapper: Any) -> None:
        """Install the class attribute on `mapper.class_`."""

    def _expression_for(self, attribute: Any) -> Any:
        raise sa_exc.InvalidRequestError(f"{self} has no SQL expression")

    def __str__(self) -> str:
        if self.parent is None:
            return object.__repr__(self)
        return f"{self.parent.class_.__name__}.{self.key}"

    def __repr__(self) -> str:
        return "<%s at 0x%x; %s>" % (type(self).__name__, id(self), self.key or "no key")


class ColumnProperty(MapperProperty):
    """An attribute mapped to a table column or a SQL expression (`column_property`)."""

    _is_column_property = True

    def __init__(
        self,
        column: Any,
        *additional_columns: Any,
        group: Optional[str] = None,
        deferred: bool = False,
        raiseload: bool = False,
        comparator_factory: Any = None,
        active_history: bool = False,
        expire_on_flush: bool = True,
        info: Optional[dict] = None,
        doc: Optional[str] = None,
        _instrument: bool = True,
        **kw: Any,
    ) -> None:
        super().__init__(info=info, doc=doc)
        from ..sql import coercions

        self.columns = [
            coercions.expect_expression(c) for c in (column,) + additional_columns
        ]
        self.group = group
        self.deferred = deferred
        self.raiseload = raiseload
        self.comparator_factory = comparator_factory
        self.active_history = active_history
        self.expire_on_flush = expire_on_flush
        self.instrument = _instrument

    @property
    def expression(self) -> Any:
        """The (first) column or SQL expression this attribute maps."""
        return self.columns[0]

    @property
    def _is_plain_column(self) -> bool:
        return isinstance(self.columns[0], Column)

    def instrument_class(self, mapper: Any) -> None:
        if not self.instrument:
            return
        attribute = InstrumentedAttribute(mapper.class_, self.key, self, mapper)
        type.__setattr__(mapper.class_, self.key, attribute)

    def _expression_for(self, attribute: Any) -> Any:
        return self.columns[0]


class MappedSQLExpression(ColumnProperty):
    """A column_property() of a SQL expression under declarative (SQLAlchemy's name)."""


class SynonymProperty(MapperProperty):
    """An attribute that is another name for a mapped attribute (`synonym("name")`)."""

    _is_synonym = True

    def __init__(
        self,
        name: str,
        map_column: Optional[bool] = None,
        descriptor: Any = None,
        comparator_factory: Any = None,
        info: Optional[dict] = None,
        doc: Optional[str] = None,
    ) -> None:
        super().__init__(info=info, doc=doc)
        self.name = name
        self.map_column = map_column
        self.descriptor = descriptor
        self.comparator_factory = comparator_factory

    def instrument_class(self, mapper: Any) -> None:
        type.__setattr__(mapper.class_, self.key, _SynonymDescriptor(self.name, self.descriptor))

    def _expression_for(self, attribute: Any) -> Any:
        return getattr(self.parent.class_, self.name).__clause_element__()


class _SynonymDescriptor:
    """The class attribute of a synonym: a data descriptor reading and writing the target
    attribute (or the user's own descriptor, when one is given)."""

    __slots__ = ("name", "descriptor")

    def __init__(self, name: str, descriptor: Any) -> None:
        self.name = name
        self.descriptor = descriptor

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        if self.descriptor is not None:
            if obj is None:
                return getattr(cls, self.name)
            return self.descriptor.__get__(obj, cls)
        if obj is None:
            return getattr(cls, self.name)
        return getattr(obj, self.name)

    def __set__(self, obj: Any, value: Any) -> None:
        if self.descriptor is not None and hasattr(self.descriptor, "__set__"):
            self.descriptor.__set__(obj, value)
        else:
            setattr(obj, self.name, value)

    def __delete__(self, obj: Any) -> None:
        delattr(obj, self.name)


class MappedColumn(operators.ColumnOperators):
    """What `mapped_column()` returns in a declarative class body: a Column waiting for its
    name (the attribute key) and its type and nullability (the `Mapped[...]` annotation)."""

    __slots__ = (
        "column",
        "deferred",
        "deferred_group",
        "deferred_raiseload",
        "active_history",
        "_sort_order",
        "_has_nullable",
        "_has_type",
        "_creation_order",
        "_use_existing_column",
        "_dataclass_args",
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        self.deferred = kw.pop("deferred", False)
        self.deferred_group = kw.pop("deferred_group", None)
        self.deferred_raiseload = kw.pop("deferred_raiseload", None)
        self.active_history = kw.pop("active_history", False)
        self._sort_order = kw.pop("sort_order", 0)
        self._use_existing_column = kw.pop("use_existing_column", False)
        # dataclass options: recorded, refused by declarative unless the class is a
        # dataclass mapping (as SQLAlchemy 2.1)
        self._dataclass_args = tuple(
            option for option in ("init", "repr", "default_factory", "compare", "kw_only",
                                  "hash", "dataclass_metadata")
            if kw.pop(option, _UNSET) is not _UNSET)
        if kw.get("default", None) is not None and kw.get("insert_default") is None:
            kw["insert_default"] = kw.pop("default")
        else:
            kw.pop("default", None)
        self._has_nullable = kw.get("nullable", _NULL_UNSPECIFIED) is not _NULL_UNSPECIFIED
        self.column = Column(*args, **kw)
        self._has_type = not _is_null_type(self.column.type)
        self._creation_order = next(_creation_order)

    def __clause_element__(self) -> Any:
        return self.column

    def operate(self, op: Any, *other: Any, **kwargs: Any) -> Any:
        return op(self.column, *other, **kwargs)

    def reverse_operate(self, op: Any, other: Any, **kwargs: Any) -> Any:
        return op(other, self.column, **kwargs)

    __hash__ = object.__hash__

    def _copy(self) -> "MappedColumn":
        new = MappedColumn.__new__(MappedColumn)
        for name in MappedColumn.__slots__:
            setattr(new, name, getattr(self, name))
        new.column = self.column._copy()
        return new

    def _to_property(self) -> ColumnProperty:
        return ColumnProperty(
            self.column,
            deferred=bool(self.deferred),
            group=self.deferred_group,
            raiseload=bool(self.deferred_raiseload),
            active_history=self.active_history,
        )

    def __repr__(self) -> str:
        return f"<MappedColumn {self.column!r}>"


def _is_null_type(type_: Any) -> bool:
    return type(type_).__name__ == "NullType"


def mapped_column(*args: Any, **kw: Any) -> MappedColumn:
    """A column of a declarative class: `id: Mapped[int] = mapped_column(primary_key=True)`.

    Takes Column()'s arguments (name and type positionally, ForeignKey / constraints after)
    plus `deferred`, `deferred_group`, `active_history`, `sort_order`, `use_existing_column`;
    dataclass options (`init`, `repr`, `default_factory`, ...) are accepted and ignored.
    Without a type, the type comes from the `Mapped[...]` annotation; without `nullable`,
    nullability does (`Optional[...]` -> NULL)."""
    return MappedColumn(*args, **kw)


def column_property(column: Any, *additional_columns: Any, **kw: Any) -> ColumnProperty:
    """An attribute mapped to a column or SQL expression: `column_property(func.upper(name))`."""
    cls = ColumnProperty
    if not isinstance(column, (Column, MappedColumn)):
        cls = MappedSQLExpression
    for dataclass_option in ("init", "repr", "default", "default_factory", "compare",
                             "kw_only", "hash", "dataclass_metadata"):
        kw.pop(dataclass_option, None)
    return cls(column, *additional_columns, **kw)


def deferred(column: Any, *additional_columns: Any, **kw: Any) -> ColumnProperty:
    """A column property not loaded until first accessed."""
    kw["deferred"] = True
    return ColumnProperty(column, *additional_columns, **kw)


def synonym(
    name: str,
    *,
    map_column: Optional[bool] = None,
    descriptor: Any = None,
    comparator_factory: Any = None,
    info: Optional[dict] = None,
    doc: Optional[str] = None,
    **kw: Any,
) -> SynonymProperty:
    """Another name for the mapped attribute `name`."""
    return SynonymProperty(name, map_column=map_column, descriptor=descriptor,
                           comparator_factory=comparator_factory, info=info, doc=doc)


__all__ = [
    "ColumnProperty",
    "MappedColumn",
    "MappedSQLExpression",
    "MapperProperty",
    "SynonymProperty",
    "column_property",
    "deferred",
    "mapped_column",
    "synonym",
]
