"""Declarative mapping: read a class body (annotations, mapped_column(), Column, properties,
__tablename__ / __table_args__ / __table__ / __mapper_args__, mixins) and build its Table and
Mapper.

Called by DeclarativeBase.__init_subclass__, DeclarativeMeta and registry.mapped (decl_api.py);
the result is an ordinary Mapper, exactly as map_imperatively builds.
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
import sys
import types
import typing
import uuid
from typing import Any
from typing import Optional

from .. import exc as sa_exc
from ..sql import sqltypes
from ..sql.schema import Column
from ..sql.schema import Table
from . import exc as orm_exc
from .base import _MappedAnnotationBase
from .base import opt_manager_of_class
from .mapper import Mapper
from .properties import ColumnProperty
from .properties import MappedColumn
from .properties import MapperProperty

# Python type -> column type, as SQLAlchemy's default type_annotation_map
_DEFAULT_TYPE_MAP: dict = {
    int: sqltypes.Integer,
    float: sqltypes.Double,
    bool: sqltypes.Boolean,
    decimal.Decimal: sqltypes.Numeric,
    dt.date: sqltypes.Date,
    dt.datetime: sqltypes.DateTime,
    dt.time: sqltypes.Time,
    dt.timedelta: sqltypes.Interval,
    bytes: sqltypes.LargeBinary,
    str: sqltypes.String,
    uuid.UUID: sqltypes.Uuid,
}

_DIRECTIVES = ("__tablename__", "__table_args__", "__mapper_args__", "__table__")


def _is_declared_attr(value: Any) -> bool:
    return getattr(value, "_is_declared_attr", False)


def map_declaratively(registry: Any, cls: type) -> Optional[Mapper]:
    """Map `cls` from its class body; None for an __abstract__ class."""
    if cls.__dict__.get("__abstract__", False):
        return None
    return _DeclarativeScan(registry, cls).map()


class _DeclarativeScan:
    """One class being mapped: what its body and its mixins declare."""

    def __init__(self, registry: Any, cls: type) -> None:
        self.registry = registry
        self.cls = cls
        self.inherits = _mapped_parent(cls)
        self.columns: list = []  # (attribute key, Column, MappedColumn or None), in order
        self.properties: dict = {}  # key -> non-column MapperProperty, in order
        self.column_props: dict = {}  # key -> ColumnProperty for columns needing one

    # -- reading the class -------------------------------------------------------------------

    def _directive(self, name: str) -> Any:
        # own or from a mixin/abstract base; from a mapped parent only as declared_attr
        cls = self.cls
        for klass in cls.__mro__:
            if name in klass.__dict__:
                value = klass.__dict__[name]
                if _is_declared_attr(value):
                    return value.fget(cls)
                if klass is cls or not _is_mapped(klass):
                    if isinstance(value, (classmethod, staticmethod)):
                        return value.__get__(None, cls)
                    return value
                return None
        return None

    def _scan(self) -> None:
        cls = self.cls
        seen: set = set()
        # a mapped parent, and everything it inherits, belongs to the parent's mapper
        inherited = set(self.inherits.class_.__mro__) if self.inherits is not None else set()
        for name in dir(self.inherits.class_) if self.inherits is not None else ():
            seen.add(name)
        for klass in cls.__mro__:
            if klass is object or klass in inherited:
                continue
            if klass is not cls and _is_declarative_base(klass):
                continue
            annotations = klass.__dict__.get("__annotations__", {})
            for name in _class_names(klass):
                if name in seen or name in _DIRECTIVES or (
                    name.startswith("__") and name.endswith("__")
                ):
                    continue
                value = klass.__dict__.get(name, _MISSING)
                annotation = annotations.get(name, _MISSING)
                own = klass is cls
                if _is_declared_attr(value):
                    value = value.fget(cls)  # computed for this class: nothing to copy
                    own = True
                elif value is _MISSING:
                    if annotation is _MISSING or not self._is_mapped_annotation(klass, annotation):
                        continue
                    value = MappedColumn()
                    own = True
                seen.add(name)
                self._collect(name, value, annotation, klass, own)

    def _collect(self, key: str, value: Any, annotation: Any, klass: type, own: bool) -> None:
        if isinstance(value, MappedColumn):
            if value._dataclass_args:
                raise sa_exc.ArgumentError(
                    f"Attribute '{key}' on class {self.cls} includes dataclasses argument(s): "
                    + ", ".join(repr(a) for a in value._dataclass_args)
                    + " but class does not specify SQLAlchemy native dataclass configuration."
                )
            if not own:
                value = value._copy()
            self._apply_annotation(key, value, annotation, klass)
            column = value.column
            self._name_column(key, column)
            self.columns.append((key, column, value))
            if value.deferred or value.deferred_group or value.active_history or (
                column.key != key
            ):
                self.column_props[key] = value._to_property()
        elif isinstance(value, Column):
            if not own:
                value = value._copy()
            self._name_column(key, value)
            self.columns.append((key, value, None))
            if value.key != key:
                self.column_props[key] = ColumnProperty(value)
        elif isinstance(value, MapperProperty):
            self.properties[key] = value
        elif isinstance(value, (list, tuple)) and value and all(
            isinstance(c, Column) for c in value
        ):
            self.properties[key] = ColumnProperty(*value)

    @staticmethod
    def _name_column(key: str, column: Column) -> None:
        if column.name is None:
            column.name = key
            column.key = key
        elif column.key is None:
            column.key = column.name

    def _is_mapped_annotation(self, klass: type, annotation: Any) -> bool:
        resolved = self._resolve(klass, annotation)
        if resolved is _MISSING:
            return isinstance(annotation, str) and annotation.strip().startswith("Mapped[")
        origin = typing.get_origin(resolved) or resolved
        return isinstance(origin, type) and issubclass(origin, _MappedAnnotationBase)

    def _resolve(self, klass: type, annotation: Any) -> Any:
        if not isinstance(annotation, str):
            return annotation
        module = sys.modules.get(klass.__module__)
        namespace = dict(vars(module)) if module is not None else {}
        namespace.update(vars(klass))
        namespace.setdefault("Mapped", _mapped_type())
        try:
            return eval(annotation, namespace)  # noqa: S307 - the class's own annotation
        except Exception:
            return _MISSING

    def _apply_annotation(self, key: str, mc: MappedColumn, annotation: Any, klass: type
                          ) -> None:
        if annotation is _MISSING:
            return
        resolved = self._resolve(klass, annotation)
        if resolved is _MISSING:
            if not mc._has_type:
                raise sa_exc.ArgumentError(
                    f"Could not interpret annotation {annotation} for attribute "
                    f"'{self.cls.__name__}.{key}'")
            return
        origin = typing.get_origin(resolved)
        if not (isinstance(origin, type) and issubclass(origin, _MappedAnnotationBase)):
            if isinstance(resolved, type) and issubclass(resolved, _MappedAnnotationBase):
                return
            raise sa_exc.ArgumentError(
                f'Type annotation for "{self.cls.__name__}.{key}" can\'t be correctly '
                "interpreted for Annotated Declarative Table form.  ORM annotations should "
                'normally make use of the ``Mapped[]`` generic type, or other ORM-compatible '
                "generic type, as a container for the actual type, which indicates the intent "
                "that the attribute is mapped."
            )
        args = typing.get_args(resolved)
        if not args:
            return
        inner, optional = _unwrap_optional(args[0])
        column = mc.column
        if not mc._has_nullable and not column.primary_key:
            column.nullable = optional
        if not mc._has_type and not column.foreign_keys:
            column.type = self._column_type(key, inner)
        elif not mc._has_type:
            column.type = self._column_type(key, inner, required=False) or column.type

    def _column_type(self, key: str, python_type: Any, required: bool = True) -> Any:
        type_map = getattr(self.registry, "type_annotation_map", None) or {}
        found = type_map.get(python_type)
        if found is None and isinstance(python_type, type):
            for klass in python_type.__mro__:
                if klass in type_map:
                    found = type_map[klass]
                    break
        if found is None:
            if isinstance(python_type, type) and issubclass(python_type, enum.Enum):
                found = type_map.get(enum.Enum)
                if found is None:
                    return sqltypes.Enum(python_type)
                found = _type_instance(found)
                if isinstance(found, sqltypes.Enum):
                    return sqltypes.Enum(python_type)
                return found
            found = _DEFAULT_TYPE_MAP.get(python_type)
            if found is None and isinstance(python_type, type):
                for klass in python_type.__mro__:
                    if klass in _DEFAULT_TYPE_MAP:
                        found = _DEFAULT_TYPE_MAP[klass]
                        break
        if found is None:
            if not required:
                return None
            raise orm_exc.MappedAnnotationError(
                f"Could not locate SQLAlchemy Core type for Python type {python_type!r} inside "
                f"the '{key}' attribute Mapped annotation"
            )
        return _type_instance(found)

    # -- building ----------------------------------------------------------------------------

    def map(self) -> Mapper:
        cls = self.cls
        self._scan()
        table = self._table()
        mapper_args = dict(self._directive("__mapper_args__") or {})
        if "inherits" in mapper_args:
            inherits = mapper_args.pop("inherits")
        else:
            inherits = self.inherits
        for name in ("version_id_col", "polymorphic_on"):
            value = mapper_args.get(name)
            if isinstance(value, MappedColumn):
                mapper_args[name] = value.column
        if "primary_key" in mapper_args:
            mapper_args["primary_key"] = [
                c.column if isinstance(c, MappedColumn) else c for c in mapper_args["primary_key"]
            ]
        if table is None and self.inherits is not None:
            # single-table inheritance: columns a sibling added to the shared table are not
            # this class's (SQLAlchemy excludes them the same way)
            parent = self.inherits
            own_columns = {column.key for _key, column, _mc in self.columns}
            excluded = {
                c.key for c in parent.local_table.c
                if c not in parent._columntoproperty and c.key not in own_columns
            }
            excluded.update(parent.exclude_properties or ())
            excluded.update(mapper_args.get("exclude_properties") or ())
            if excluded:
                mapper_args["exclude_properties"] = excluded
        properties: dict = dict(self.properties)
        properties.update(self.column_props)
        mapper = Mapper(cls, table, properties=properties, inherits=inherits,
                        registry=self.registry, **mapper_args)
        type.__setattr__(cls, "__mapper__", mapper)
        if table is not None and "__table__" not in cls.__dict__:
            type.__setattr__(cls, "__table__", table)
        self.registry._add_mapper(mapper)
        return mapper

    def _table(self) -> Any:
        cls = self.cls
        declared_table = cls.__dict__.get("__table__")
        if declared_table is not None:
            if _is_declared_attr(declared_table):
                declared_table = declared_table.fget(cls)
            for key, column, _mc in self.columns:
                if column.table is None:
                    raise sa_exc.ArgumentError(
                        "Can't add additional column %r when specifying __table__" % column.key)
            return declared_table
        tablename = self._directive("__tablename__")
        ordered = sorted(
            enumerate(self.columns),
            key=lambda item: ((item[1][2]._sort_order if item[1][2] is not None else 0), item[0]),
        )
        columns = [column for _i, (_key, column, _mc) in ordered]
        if tablename is not None:
            args: tuple = ()
            kwargs: dict = {}
            table_args = self._directive("__table_args__")
            if isinstance(table_args, dict):
                kwargs = dict(table_args)
            elif isinstance(table_args, tuple):
                if table_args and isinstance(table_args[-1], dict):
                    args, kwargs = table_args[0:-1], dict(table_args[-1])
                else:
                    args = table_args
            elif table_args is not None:
                raise sa_exc.ArgumentError(
                    "__table_args__ value must be a tuple, dict, or None")
            metadata = getattr(cls, "metadata", None) or self.registry.metadata
            return Table(tablename, metadata, *columns, *args, **kwargs)
        if self.inherits is None:
            raise sa_exc.InvalidRequestError(
                f"Class {cls} does not have a __table__ or __tablename__ specified and does "
                "not inherit from an existing table-mapped class."
            )
        # single-table inheritance: the subclass's columns join the parent's table
        parent_table = self.inherits.local_table
        if self._directive("__table_args__"):
            raise sa_exc.ArgumentError(
                "Can't place __table_args__ on an inherited class with no table.")
        for column in columns:
            existing = parent_table.c.get(column.key)
            if existing is not None and existing is not column:
                raise sa_exc.ArgumentError(
                    f"Column '{column}' on class {cls} conflicts with existing column "
                    f"'{existing}'.  If using Declarative, consider using the "
                    "use_existing_column parameter of mapped_column() to resolve conflicts."
                )
            parent_table.append_column(column)
        return None


_MISSING: Any = object()


def _class_names(klass: type) -> list:
    """The class's attribute names in declaration order, annotation-only ones merged in
    where they were declared."""
    names = list(klass.__dict__)
    annotations = list(klass.__dict__.get("__annotations__", {}))
    out: list = []
    placed: set = set()
    ann_index = 0
    for name in names:
        if name in annotations:
            stop = annotations.index(name)
            while ann_index <= stop:
                candidate = annotations[ann_index]
                if candidate not in placed:
                    out.append(candidate)
                    placed.add(candidate)
                ann_index += 1
        elif name not in placed:
            out.append(name)
            placed.add(name)
    for candidate in annotations[ann_index:]:
        if candidate not in placed:
            out.append(candidate)
            placed.add(candidate)
    return out


def _is_declarative_base(klass: type) -> bool:
    own = klass.__dict__
    return "_sa_is_declarative_base" in own or ("_sa_registry" in own and "registry" in own)


def _is_mapped(klass: type) -> bool:
    return opt_manager_of_class(klass) is not None


def _mapped_parent(cls: type) -> Optional[Mapper]:
    for klass in cls.__mro__[1:]:
        manager = opt_manager_of_class(klass)
        if manager is not None:
            return manager.mapper
    return None


def _mapped_type() -> Any:
    from .base import Mapped

    return Mapped


def _unwrap_optional(annotation: Any) -> tuple:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or (
        hasattr(types, "UnionType") and isinstance(annotation, types.UnionType)
    ):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) != len(typing.get_args(annotation))
        if len(args) == 1:
            return args[0], optional
        return typing.Union[tuple(args)], optional  # type: ignore[return-value]
    if origin is typing.Annotated:
        return _unwrap_optional(typing.get_args(annotation)[0])
    return annotation, False


def _type_instance(type_: Any) -> Any:
    return type_() if isinstance(type_, type) else type_


__all__ = ["map_declaratively"]
