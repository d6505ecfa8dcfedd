"""The public declarative API: registry, DeclarativeBase, declarative_base(), DeclarativeMeta,
declared_attr, as_declarative, has_inherited_table, synonym_for.

A registry owns a MetaData, the type annotation map and its mappers; it maps classes
declaratively (decl_base.py reads the class body) or imperatively (`map_imperatively`). Both
paths end in the same Mapper.
"""

from __future__ import annotations

import weakref
from typing import Any
from typing import Callable
from typing import Optional

from .. import exc as sa_exc
from .._core import InstrumentedBase
from ..sql.schema import Column
from ..sql.schema import MetaData
from . import decl_base
from .base import opt_manager_of_class
from .mapper import Mapper
from .mapper import configure_mappers
from .properties import MappedColumn
from .properties import MapperProperty
from .properties import synonym


def __init__(self: Any, **kwargs: Any) -> None:
    """A simple constructor that allows initialization from kwargs.

    Sets attributes on the constructed instance using the names and values in ``kwargs``.
    Only keys that are present as attributes of the instance's class are allowed."""
    cls_ = type(self)
    for k in kwargs:
        if not hasattr(cls_, k):
            raise TypeError("%r is an invalid keyword argument for %s" % (k, cls_.__name__))
        setattr(self, k, kwargs[k])


_declarative_constructor = __init__
del __init__


class registry:
    """A collection of mappings: a MetaData, a type annotation map, mapped classes."""

    def __init__(
        self,
        *,
        metadata: Optional[MetaData] = None,
        class_registry: Optional[dict] = None,
        type_annotation_map: Optional[dict] = None,
        constructor: Callable[..., None] = _declarative_constructor,
    ) -> None:
        self.metadata = metadata if metadata is not None else MetaData()
        self._class_registry = class_registry if class_registry is not None else (
            weakref.WeakValueDictionary())
        self.type_annotation_map: dict = {}
        if type_annotation_map:
            self.update_type_annotation_map(type_annotation_map)
        self.constructor = constructor
        self._managers: "weakref.WeakKeyDictionary[Any, bool]" = weakref.WeakKeyDictionary()

    def update_type_annotation_map(self, type_annotation_map: dict) -> None:
        """Add Python type -> column type entries used for `Mapped[...]` annotations."""
        self.type_annotation_map.update(type_annotation_map)

    @property
    def mappers(self) -> frozenset:
        """All Mappers of this registry."""
        return frozenset(manager.mapper for manager in self._managers)

    def _add_mapper(self, mapper: Mapper) -> None:
        self._managers[mapper.class_manager] = True
        self._class_registry[mapper.class_.__name__] = mapper.class_

    def configure(self, cascade: bool = False) -> None:
        configure_mappers()

    def dispose(self, cascade: bool = False) -> None:
        """Unmap every class of this registry."""
        for mapper in list(self.mappers):
            mapper.dispose()
        self._managers.clear()
        self._class_registry.clear()

    def map_declaratively(self, cls: type) -> Optional[Mapper]:
        """Map `cls` from its class body (what DeclarativeBase does on subclassing)."""
        return decl_base.map_declaratively(self, cls)

    def mapped(self, cls: type) -> type:
        """Class decorator: map the decorated class declaratively."""
        _as_declarative_class(self, cls)
        return cls

    def map_imperatively(self, class_: type, local_table: Any = None, **kw: Any) -> Mapper:
        """Map `class_` to `local_table` (a Table), with `properties={...}` and the other
        Mapper arguments."""
        mapper = Mapper(class_, local_table, registry=self, **kw)
        self._add_mapper(mapper)
        return mapper

    def generate_base(
        self,
        mapper: Optional[Callable[..., Mapper]] = None,
        cls: type = object,
        name: str = "Base",
        metaclass: type = None,  # type: ignore[assignment]
    ) -> Any:
        """A declarative base class (a DeclarativeMeta class) using this registry."""
        metaclass = DeclarativeMeta if metaclass is None else metaclass
        bases = cls if isinstance(cls, tuple) else (cls,)
        if not any(issubclass(b, InstrumentedBase) for b in bases):
            bases = tuple(b for b in bases if b is not object) + (InstrumentedBase,)
        class_dict: dict = {
            "registry": self,
            "_sa_registry": self,
            "metadata": self.metadata,
            "_sa_is_declarative_base": True,
        }
        if isinstance(cls, type):
            class_dict["__doc__"] = cls.__doc__
        if self.constructor is not None and "__init__" not in vars(cls if isinstance(
                cls, type) else object):
            class_dict["__init__"] = self.constructor
        if mapper is not None:
            class_dict["__mapper_cls__"] = mapper
        return metaclass(name, bases, class_dict)

    def as_declarative_base(self, **kw: Any) -> Callable[[type], Any]:
        def decorate(cls: type) -> Any:
            kw["cls"] = cls
            kw["name"] = cls.__name__
            return self.generate_base(**kw)

        return decorate

    def __repr__(self) -> str:
        return "<%s.registry object at 0x%x>" % (__name__.rsplit(".", 1)[0], id(self))


def _as_declarative_class(reg: registry, cls: type) -> None:
    if "__init__" not in cls.__dict__ and cls.__init__ is object.__init__:
        type.__setattr__(cls, "__init__", reg.constructor)
    type.__setattr__(cls, "_sa_registry", reg)
    if getattr(cls, "metadata", None) is None:
        type.__setattr__(cls, "metadata", reg.metadata)
    reg.map_declaratively(cls)


class DeclarativeMeta(type):
    """The metaclass of declarative_base() classes: maps each subclass as it is created,
    and maps columns / properties assigned to a mapped class afterwards."""

    def __init__(cls, classname: str, bases: tuple, dict_: dict, **kw: Any) -> None:
        if "_sa_is_declarative_base" not in dict_:
            reg = getattr(cls, "_sa_registry", None)
            if reg is None:
                reg = registry()
                type.__setattr__(cls, "_sa_registry", reg)
            reg.map_declaratively(cls)
        type.__init__(cls, classname, bases, dict_)

    def __setattr__(cls, key: str, value: Any) -> None:
        _add_attribute(cls, key, value)

    def __delattr__(cls, key: str) -> None:
        type.__delattr__(cls, key)


def _add_attribute(cls: type, key: str, value: Any) -> None:
    manager = opt_manager_of_class(cls)
    if manager is None or key.startswith("__"):
        type.__setattr__(cls, key, value)
        return
    mapper = manager.mapper
    if isinstance(value, MappedColumn):
        value = value.column
    if isinstance(value, Column):
        if value.name is None:
            value.name = key
            value.key = key
        if value.table is None:
            mapper.local_table.append_column(value)
        mapper.add_property(key, value)
    elif isinstance(value, MapperProperty):
        mapper.add_property(key, value)
    else:
        type.__setattr__(cls, key, value)


class DeclarativeBase(InstrumentedBase):
    """The base class of declarative mappings: `class Base(DeclarativeBase): pass`, then
    `class User(Base): ...`. A direct subclass becomes the base (its own registry and
    MetaData, or those it declares as `registry` / `metadata` / `type_annotation_map`);
    each further subclass is mapped as it is created."""

    _sa_is_declarative_base = True

    if False:  # for type checkers: what a Base and its mapped classes carry
        registry: registry
        metadata: MetaData
        __mapper__: Mapper
        __table__: Any

    def __init_subclass__(cls, **kw: Any) -> None:
        if DeclarativeBase in cls.__bases__ or DeclarativeBaseNoMeta in cls.__bases__:
            _setup_declarative_base(cls)
        else:
            cls._sa_registry.map_declaratively(cls)
        super().__init_subclass__(**kw)


class DeclarativeBaseNoMeta(InstrumentedBase):
    """DeclarativeBase without a metaclass (here neither has one)."""

    _sa_is_declarative_base = True

    def __init_subclass__(cls, **kw: Any) -> None:
        if DeclarativeBaseNoMeta in cls.__bases__:
            _setup_declarative_base(cls)
        else:
            cls._sa_registry.map_declaratively(cls)
        super().__init_subclass__(**kw)


def _setup_declarative_base(cls: type) -> None:
    own = cls.__dict__
    metadata = own.get("metadata")
    type_annotation_map = own.get("type_annotation_map")
    reg = own.get("registry")
    if reg is not None:
        if not isinstance(reg, registry):
            raise sa_exc.InvalidRequestError(
                "Declarative base class has a 'registry' attribute that is not an instance "
                f"of sqlalchemy.orm.registry(); got {reg!r}")
        if type_annotation_map is not None:
            raise sa_exc.InvalidRequestError(
                "Declarative base class has both a 'registry' attribute and a "
                "type_annotation_map entry.  Per-base type_annotation_maps are not supported. "
                "Please apply the type_annotation_map to this registry directly.")
    else:
        reg = registry(metadata=metadata, type_annotation_map=type_annotation_map)
    type.__setattr__(cls, "registry", reg)
    type.__setattr__(cls, "_sa_registry", reg)
    type.__setattr__(cls, "metadata", reg.metadata)
    if "__init__" not in own:
        type.__setattr__(cls, "__init__", reg.constructor)


def declarative_base(
    *,
    metadata: Optional[MetaData] = None,
    mapper: Optional[Callable[..., Mapper]] = None,
    cls: type = object,
    name: str = "Base",
    class_registry: Optional[dict] = None,
    type_annotation_map: Optional[dict] = None,
    constructor: Callable[..., None] = _declarative_constructor,
    metaclass: type = DeclarativeMeta,
) -> Any:
    """A base class for declarative class definitions (a DeclarativeMeta class)."""
    return registry(
        metadata=metadata,
        class_registry=class_registry,
        constructor=constructor,
        type_annotation_map=type_annotation_map,
    ).generate_base(mapper=mapper, cls=cls, name=name, metaclass=metaclass)


def as_declarative(**kw: Any) -> Callable[[type], Any]:
    """Class decorator: the decorated class becomes a declarative base."""
    bind, metadata, class_registry = (kw.pop("bind", None), kw.pop("metadata", None),
                                      kw.pop("class_registry", None))
    return registry(metadata=metadata, class_registry=class_registry).as_declarative_base(**kw)


class declared_attr:
    """A class-body attribute computed per mapped class: `@declared_attr` on a mixin's
    `__tablename__`, columns with foreign keys, or properties."""

    _is_declared_attr = True

    def __init__(self, fn: Callable[[Any], Any], cascading: bool = False) -> None:
        self.fget = fn
        self._cascading = cascading
        self.__doc__ = fn.__doc__

    def __get__(self, obj: Any, cls: Any = None) -> Any:
        if cls is None:
            cls = type(obj)
        manager = opt_manager_of_class(cls)
        if manager is not None and self.fget.__name__ in cls.__dict__:
            return cls.__dict__[self.fget.__name__]
        return self.fget(cls)

    @classmethod
    def _directive(cls, fn: Callable[[Any], Any]) -> "declared_attr":
        return cls(fn)

    class _cascading_factory:
        def __get__(self, obj: Any, cls: Any) -> Callable[[Callable], "declared_attr"]:
            return lambda fn: cls(fn, cascading=True)

    cascading = _cascading_factory()
    directive = _directive


def has_inherited_table(cls: type) -> bool:
    """True when a class in cls's MRO (not cls) has a mapped table."""
    for klass in cls.__mro__[1:]:
        if getattr(klass, "__table__", None) is not None and opt_manager_of_class(klass):
            return True
    return False


def synonym_for(name: str, map_column: bool = False) -> Callable[[Any], Any]:
    """Decorator: a synonym for `name` with the decorated Python descriptor."""

    def decorate(fn: Any) -> Any:
        return synonym(name, map_column=map_column, descriptor=fn)

    return decorate


__all__ = [
    "DeclarativeBase",
    "DeclarativeBaseNoMeta",
    "DeclarativeMeta",
    "as_declarative",
    "declarative_base",
    "declared_attr",
    "has_inherited_table",
    "registry",
    "synonym_for",
]
