"""The Mapper: how one class maps to a table, as an ordered registry of properties.

A Mapper is built by declarative mapping or `registry.map_imperatively()`. It owns the
class's properties (`_props`, key -> MapperProperty: columns, SQL expressions, synonyms; later
relationships), the column -> property index the unit of work and loading need, the primary
key and identity helpers, single-table inheritance (polymorphic_on / polymorphic_identity),
and `__clause_element__()`: what `select(User)` selects (see _MapperEntity).
"""

from __future__ import annotations

import weakref
from typing import Any
from typing import Iterator
from typing import Optional

from .. import exc as sa_exc
from .. import inspection
from ..sql.base import ColumnCollection
from ..sql.schema import Column
from ..sql.selectable import FromClause
from . import exc
from .base import _state_or_none
from .base import opt_manager_of_class
from .instrumentation import register_class
from .properties import ColumnProperty
from .properties import MappedColumn
from .properties import MapperProperty

# every Mapper, for configure_mappers() (weak: a class and its mapper may be discarded)
_mapper_registry: "weakref.WeakKeyDictionary[Mapper, bool]" = weakref.WeakKeyDictionary()


class Mapper:
    """Defines the association of a class with a table (`inspect(User)`)."""

    is_mapper = True
    is_aliased_class = False
    is_instance = False
    is_property = False
    is_selectable = False
    is_clause_element = False
    is_bundle = False

    def __init__(
        self,
        class_: type,
        local_table: Any = None,
        properties: Optional[dict] = None,
        primary_key: Any = None,
        inherits: Any = None,
        inherit_condition: Any = None,
        inherit_foreign_keys: Any = None,
        always_refresh: bool = False,
        version_id_col: Any = None,
        version_id_generator: Any = None,
        polymorphic_on: Any = None,
        _polymorphic_map: Optional[dict] = None,
        polymorphic_identity: Any = None,
        concrete: bool = False,
        with_polymorphic: Any = None,
        polymorphic_abstract: bool = False,
        polymorphic_load: Any = None,
        allow_partial_pks: bool = True,
        batch: bool = True,
        column_prefix: Optional[str] = None,
        include_properties: Any = None,
        exclude_properties: Any = None,
        passive_updates: bool = True,
        passive_deletes: bool = False,
        confirm_deleted_rows: bool = True,
        eager_defaults: Any = "auto",
        legacy_is_orphan: bool = False,
        _compiled_cache_size: int = 100,
        registry: Any = None,
    ) -> None:
        if opt_manager_of_class(class_) is not None:
            raise sa_exc.ArgumentError(
                f"Class '{class_}' already has a primary mapper defined. ")
        self.class_ = class_
        self.registry = registry
        self.always_refresh = always_refresh
        self.allow_partial_pks = allow_partial_pks
        self.batch = batch
        self.column_prefix = column_prefix
        self.include_properties = include_properties
        self.exclude_properties = exclude_properties
        self.passive_updates = passive_updates
        self.passive_deletes = passive_deletes
        self.confirm_deleted_rows = confirm_deleted_rows
        self.eager_defaults = eager_defaults
        self.concrete = concrete
        self.with_polymorphic = with_polymorphic
        self.polymorphic_abstract = polymorphic_abstract
        self.polymorphic_load = polymorphic_load
        self.polymorphic_identity = polymorphic_identity
        self.validators: dict = {}
        self.configured = False
        self._dispose_called = False
        self._init_properties = dict(properties or {})
        self._props: dict = {}
        self._columntoproperty: dict = {}
        self._inheriting_mappers: list = []

        # -- inheritance and tables ----------------------------------------------------------
        if inherits is not None and not isinstance(inherits, Mapper):
            inherits = _class_to_mapper(inherits)
        self.inherits: Optional[Mapper] = inherits
        if local_table is not None and not isinstance(local_table, FromClause):
            ce = getattr(local_table, "__clause_element__", None)
            local_table = ce() if ce is not None else local_table
        if inherits is not None:
            if local_table is None:
                local_table = inherits.local_table
                self.single = True
                self.persist_selectable = inherits.persist_selectable
            elif local_table is inherits.local_table:
                self.single = True
                self.persist_selectable = inherits.persist_selectable
            elif concrete:
                self.single = False
                self.persist_selectable = local_table
            else:
                self.single = False
                condition = inherit_condition
                self.persist_selectable = inherits.persist_selectable.join(
                    local_table, condition)
            self.base_mapper: Mapper = inherits.base_mapper if not concrete else self
            self._identity_class = inherits._identity_class if not concrete else class_
            inherits._inheriting_mappers.append(self)
            if polymorphic_on is None and not concrete:
                polymorphic_on = inherits.polymorphic_on
            if _polymorphic_map is None and not concrete:
                _polymorphic_map = inherits.polymorphic_map
            if version_id_col is None and not concrete:
                version_id_col = inherits.version_id_col
                version_id_generator = inherits.version_id_generator
        else:
            if local_table is None:
                raise sa_exc.ArgumentError(
                    f"Mapper Mapper[{class_.__name__}(None)] has no local table "
                    "and does not inherit from a mapped class")
            self.single = False
            self.persist_selectable = local_table
            self.base_mapper = self
            self._identity_class = class_
        self.local_table = local_table
        self.polymorphic_map: dict = {} if _polymorphic_map is None else _polymorphic_map

        # -- properties ----------------------------------------------------------------------
        self.class_manager = register_class(class_, self)
        try:
            self._configure_properties()
            self.polymorphic_on = self._resolve_column(polymorphic_on, "polymorphic_on")
            if polymorphic_identity is not None:
                self.polymorphic_map[polymorphic_identity] = self
            self.version_id_col = self._resolve_column(version_id_col, "version_id_col")
            if self.version_id_col is not None and version_id_generator is None:
                version_id_generator = _next_version
            self.version_id_generator = version_id_generator
            self._configure_pks(primary_key)
        except BaseException:
            from .instrumentation import unregister_class

            unregister_class(class_)
            raise
        _mapper_registry[self] = True

    # -- building ----------------------------------------------------------------------------

    def _configure_properties(self) -> None:
        if self.inherits is not None and not self.concrete:
            for key, prop in self.inherits._props.items():
                self._install_property(key, prop, inherited=True)
        # explicit properties of table columns take the column's place (as SQLAlchemy
        # orders them); the others (SQL expressions, synonyms, ...) come first
        table_columns = set(self.persist_selectable.columns)
        at_column: dict = {}
        for key, prop in self._init_properties.items():
            column = _plain_table_column(prop, table_columns)
            if column is not None and column not in at_column:
                at_column[column] = (key, prop)
            else:
                self._configure_property(key, prop)
        prefix = self.column_prefix or ""
        for column in self.persist_selectable.columns:
            explicit = at_column.get(column)
            if explicit is not None:
                self._configure_property(*explicit)
                continue
            if column in self._columntoproperty:
                continue
            key = prefix + column.key
            if not self._should_map(key, column):
                continue
            if key in self._props:
                existing = self._props[key]
                if existing._is_column_property and self.single:
                    continue
            self._configure_property(key, ColumnProperty(column))

    def _should_map(self, key: str, column: Any) -> bool:
        include = self.include_properties
        exclude = self.exclude_properties
        if include is not None and key not in include and column not in include:
            return False
        if exclude is not None and (key in exclude or column in exclude):
            return False
        return True

    def _configure_property(self, key: str, prop: Any) -> MapperProperty:
        if isinstance(prop, MappedColumn):
            prop = prop._to_property()
        elif isinstance(prop, Column) or not isinstance(prop, MapperProperty):
            columns = list(prop) if isinstance(prop, (list, tuple)) else [prop]
            prop = ColumnProperty(*columns)
        if isinstance(prop, ColumnProperty):
            resolved = []
            for column in prop.columns:
                # a column of the mapped table given by name or as a copy: use the table's
                if isinstance(column, Column) and column.table is None:
                    found = self.persist_selectable.c.get(column.key)
                    if found is not None:
                        column = found
                resolved.append(column)
            prop.columns = resolved
        self._install_property(key, prop)
        return prop

    def _install_property(self, key: str, prop: MapperProperty, inherited: bool = False) -> None:
        if prop.parent is None or not inherited:
            prop.set_parent(self, key)
        self._props[key] = prop
        if prop._is_column_property:
            for column in prop.columns:
                self._columntoproperty.setdefault(column, prop)
        prop.instrument_class(self) if not inherited else self._instrument_inherited(key, prop)
        self._refresh_attribute_names()
        # properties added later (add_property) reach mappers already inheriting this one
        if not inherited:
            for sub in self._inheriting_mappers:
                if key not in sub._props:
                    sub._install_property(key, prop, inherited=True)

    def _instrument_inherited(self, key: str, prop: MapperProperty) -> None:
        # the subclass gets its own class attribute (`Sub.id.class_ is Sub`)
        if isinstance(prop, ColumnProperty):
            if not prop.instrument:
                return
            from .attributes import InstrumentedAttribute

            type.__setattr__(self.class_, key, InstrumentedAttribute(self.class_, key, prop, self))
        else:
            prop.instrument_class(self)

    def _refresh_attribute_names(self) -> None:
        self.class_manager._attribute_names = tuple(
            key for key, prop in self._props.items() if prop._is_column_property and prop.instrument
        )

    def _resolve_column(self, value: Any, argname: str) -> Any:
        if value is None:
            return None
        if isinstance(value, str):
            prop = self._props.get(value)
            if prop is None or not prop._is_column_property:
                raise sa_exc.ArgumentError(
                    f"Can't determine {argname} column '{value}' - no attribute is mapped "
                    "to this name.")
            return prop.columns[0]
        if isinstance(value, MappedColumn):
            value = value.column
        elif not isinstance(value, Column):
            ce = getattr(value, "__clause_element__", None)
            if ce is not None:
                value = ce()
        if isinstance(value, Column) and value.table is None:
            found = self.persist_selectable.c.get(value.key)
            if found is not None:
                value = found
        if not getattr(value, "_is_column_element", False):
            # e.g. the builtin `type` where a class body only annotated a `type` column
            raise sa_exc.ArgumentError(
                f"Column expression or string key expected for argument '{argname}'; "
                f"got {value!r}.")
        return value

    def _configure_pks(self, primary_key: Any) -> None:
        if primary_key is not None:
            pk = tuple(self._resolve_column(c, "primary_key") for c in primary_key)
        elif self.inherits is not None and not self.concrete:
            pk = self.inherits.primary_key
        else:
            pk = tuple(self.persist_selectable.primary_key)
        if not pk:
            raise sa_exc.ArgumentError(
                f"Mapper {self} could not assemble any primary key columns for mapped table "
                f"'{getattr(self.persist_selectable, 'description', self.persist_selectable)}'"
            )
        self.primary_key = pk
        self._pk_props = tuple(self._columntoproperty.get(c) for c in pk)

    def add_property(self, key: str, prop: Any) -> None:
        """Add a property to this mapper after it is built."""
        self._init_properties[key] = prop
        self._configure_property(key, prop)

    # -- configuration -----------------------------------------------------------------------

    def _check_configure(self) -> None:
        if not self.configured:
            configure_mappers()

    def _post_configure(self) -> None:
        for prop in self._props.values():
            if prop._is_synonym and prop.name not in self._props and not hasattr(
                self.class_, prop.name
            ):
                raise sa_exc.ArgumentError(
                    f"Can't compile synonym '{prop.key}': no column on table "
                    f"'{self.local_table.description}' named '{prop.name}'")
        self.configured = True

    def dispose(self) -> None:
        from .instrumentation import unregister_class

        self._dispose_called = True
        for key in self._props:
            if key in self.class_.__dict__:
                type.__delattr__(self.class_, key)
        unregister_class(self.class_)
        _mapper_registry.pop(self, None)

    # -- what users inspect ------------------------------------------------------------------

    @property
    def mapper(self) -> "Mapper":
        return self

    @property
    def entity(self) -> type:
        return self.class_

    @property
    def selectable(self) -> Any:
        return self.persist_selectable

    @property
    def tables(self) -> list:
        """The tables this mapper maps (its selectable's tables, in FROM order)."""
        return _tables_of(self.persist_selectable)

    @property
    def columns(self) -> Any:
        """The mapped columns and SQL expressions, keyed by attribute name."""
        collection = ColumnCollection()
        for key, prop in self._props.items():
            if prop._is_column_property:
                collection.add(prop.columns[0], key)
        return collection.as_readonly()

    c = columns

    @property
    def attrs(self) -> "_Properties":
        """Every MapperProperty, keyed by attribute name."""
        return _Properties(self._props)

    @property
    def column_attrs(self) -> "_Properties":
        return _Properties({k: p for k, p in self._props.items() if p._is_column_property})

    @property
    def synonyms(self) -> "_Properties":
        return _Properties({k: p for k, p in self._props.items() if p._is_synonym})

    @property
    def relationships(self) -> "_Properties":
        return _Properties({k: p for k, p in self._props.items() if p._is_relationship})

    @property
    def composites(self) -> "_Properties":
        return _Properties({})

    @property
    def all_orm_descriptors(self) -> "_Properties":
        """Mapped attributes and the class's hybrids, keyed by name."""
        found = {key: getattr(self.class_, key) for key in self._props}
        for klass in self.class_.__mro__:
            for key, value in vars(klass).items():
                if key not in found and getattr(value, "is_attribute", False) and getattr(
                    value, "extension_type", None
                ) is not None:
                    found[key] = value
        return _Properties(found)

    @property
    def iterate_properties(self) -> Iterator[MapperProperty]:
        return iter(self._props.values())

    def get_property(self, key: str, _configure_mappers: bool = False) -> MapperProperty:
        """The property named `key`; InvalidRequestError when there is none."""
        try:
            return self._props[key]
        except KeyError:
            raise sa_exc.InvalidRequestError(
                f"Mapper '{self}' has no property '{key}'.  If this property was indicated "
                "from other mappers or configure events, ensure registry.configure() has "
                "been called."
            ) from None

    def has_property(self, key: str) -> bool:
        return key in self._props

    def get_property_by_column(self, column: Any) -> MapperProperty:
        return self._columntoproperty[column]

    @property
    def self_and_descendants(self) -> list:
        out = [self]
        stack = list(self._inheriting_mappers)
        while stack:
            mapper = stack.pop(0)
            out.append(mapper)
            stack.extend(mapper._inheriting_mappers)
        return out

    def polymorphic_iterator(self) -> Iterator["Mapper"]:
        return iter(self.self_and_descendants)

    def iterate_to_root(self) -> Iterator["Mapper"]:
        mapper: Optional[Mapper] = self
        while mapper is not None:
            yield mapper
            mapper = mapper.inherits

    def isa(self, other: "Mapper") -> bool:
        return any(m is other for m in self.iterate_to_root())

    def common_parent(self, other: "Mapper") -> bool:
        return self.base_mapper is other.base_mapper

    @property
    def _single_table_criterion(self) -> Any:
        if self.single and self.inherits is not None and self.polymorphic_on is not None:
            identities = [m.polymorphic_identity for m in self.self_and_descendants
                          if m.polymorphic_identity is not None]
            return self.polymorphic_on.in_(identities)
        return None

    # -- identity ----------------------------------------------------------------------------

    def identity_key_from_primary_key(self, primary_key: Any, identity_token: Any = None) -> tuple:
        return (self._identity_class, tuple(primary_key), identity_token)

    def identity_key_from_row(self, row: Any, identity_token: Any = None, adapter: Any = None
                              ) -> tuple:
        mapping = getattr(row, "_mapping", row)
        return (self._identity_class, tuple(mapping[c] for c in self.primary_key),
                identity_token)

    def identity_key_from_instance(self, instance: Any) -> tuple:
        """`(class, pk_tuple, token)` from the instance's current primary-key values."""
        state = _state_or_none(instance)
        if state is None:
            raise exc.UnmappedInstanceError(instance)
        return (self._identity_class, self.primary_key_from_instance(instance),
                state.identity_token)

    def primary_key_from_instance(self, instance: Any) -> tuple:
        """The instance's primary-key values (loading expired ones), as a tuple."""
        if _state_or_none(instance) is None:
            raise exc.UnmappedInstanceError(instance)
        return tuple(getattr(instance, prop.key) if prop is not None else None
                     for prop in self._pk_props)

    # -- as a SQL element --------------------------------------------------------------------

    def __clause_element__(self) -> "_MapperEntity":
        return _MapperEntity(self)

    def _column_key_for(self, key: str) -> str:
        """The key of the table column that the mapped attribute `key` writes (ORM-enabled
        INSERT / UPDATE values); `key` itself when it is no column attribute."""
        columns = getattr(self._props.get(key), "columns", None)
        if columns and getattr(columns[0], "table", None) is not None:
            return columns[0].key
        return key

    def _attribute_key_for(self, column_key: str) -> str:
        """The mapped attribute that writes the table column `column_key`, else the key."""
        prop = self._columntoproperty.get(self.local_table.c.get(column_key))
        return prop.key if prop is not None else column_key

    def _entity_columns(self) -> list:
        """What select(Entity) selects: the non-deferred column properties, in order."""
        return [(key, prop.columns[0]) for key, prop in self._props.items()
                if prop._is_column_property and not prop.deferred]

    def __str__(self) -> str:
        return "Mapper[%s(%s)]" % (
            self.class_.__name__,
            getattr(self.local_table, "description", None) if self.local_table is not None
            else None,
        )

    def __repr__(self) -> str:
        return "<Mapper at 0x%x; %s>" % (id(self), self.class_.__name__)


def _plain_table_column(prop: Any, table_columns: set) -> Any:
    """The table column an explicit property maps, when it maps exactly one."""
    if isinstance(prop, MappedColumn):
        prop = prop.column
    if isinstance(prop, ColumnProperty):
        if len(prop.columns) != 1:
            return None
        prop = prop.columns[0]
    if isinstance(prop, Column) and prop in table_columns:
        return prop
    return None


def _next_version(value: Any) -> int:
    return (value or 0) + 1


def _tables_of(selectable: Any) -> list:
    left = getattr(selectable, "left", None)
    if left is not None and hasattr(selectable, "onclause"):
        return _tables_of(left) + _tables_of(selectable.right)
    return [selectable]


def _class_to_mapper(class_: Any) -> Mapper:
    from .base import class_mapper

    return class_mapper(class_, configure=False)


class _Properties:
    """A read-only, ordered, attribute-accessible view of properties (`mapper.attrs`)."""

    __slots__ = ("_data",)

    def __init__(self, data: dict) -> None:
        object.__setattr__(self, "_data", data)

    def __getattr__(self, key: str) -> Any:
        try:
            return self._data[key]
        except KeyError:
            raise AttributeError(key) from None

    def __getitem__(self, key: str) -> Any:
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._data.values()))

    def __len__(self) -> int:
        return len(self._data)

    def __setattr__(self, key: str, value: Any) -> None:
        raise TypeError("object does not support item assignment")

    def get(self, key: str, default: Any = None) -> Any:
        return self._data.get(key, default)

    def keys(self) -> list:
        return list(self._data)

    def values(self) -> list:
        return list(self._data.values())

    def items(self) -> list:
        return list(self._data.items())

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"


class _MapperEntity(FromClause):
    """What a mapped class is inside a SELECT's columns clause: the mapper's columns (as a
    FROM clause whose `.c` the SELECT expands), drawn from its table, plus its own WHERE
    criteria (a single-table-inheritance subclass's discriminator). As a FROM item
    (`select_from(User)`, joins, DML) it stands for the mapper's selectable."""

    __visit_name__ = "orm_entity"
    _is_orm_entity = True

    def __init__(self, mapper: Mapper) -> None:
        self.mapper = mapper
        self.entity = mapper.class_
        self.name = mapper.class_.__name__
        self._entity_from_clause = mapper.persist_selectable

    @property
    def c(self) -> Any:  # type: ignore[override]
        collection = ColumnCollection()
        for key, column in self.mapper._entity_columns():
            collection.add(column, key)
        return collection.as_readonly()

    columns = c

    @property
    def _from_objects(self) -> list:
        return [self.mapper.persist_selectable]

    @property
    def _entity_criteria(self) -> tuple:
        criterion = self.mapper._single_table_criterion
        return () if criterion is None else (criterion,)

    def _column_key_for(self, key: str) -> str:
        """The key of the table column that the mapped attribute `key` writes (ORM-enabled
        INSERT / UPDATE values; see Mapper._column_key_for)."""
        return self.mapper._column_key_for(key)

    @property
    def entity_namespace(self) -> Any:
        """filter_by() keys: the class's mapped attributes."""
        return _EntityNamespace(self.mapper)

    @property
    def primary_key(self) -> Any:
        return self.mapper.primary_key

    @property
    def foreign_keys(self) -> Any:
        return self.mapper.persist_selectable.foreign_keys

    def is_derived_from(self, fromclause: Any) -> bool:
        return self.mapper.persist_selectable.is_derived_from(fromclause)

    def _gen_cache_key(self, binds: list) -> tuple:
        # the compiled-cache key of select(Entity): the mapper (its columns are fixed once
        # mapped), so repeated ORM statements reuse their compiled form
        return (self.__visit_name__, self.mapper)

    def __repr__(self) -> str:
        return f"<ORM entity {self.mapper.class_.__name__}>"

    def __str__(self) -> str:  # as messages name an entity: its mapper
        return str(self.mapper)


class _EntityNamespace:
    __slots__ = ("mapper",)

    def __init__(self, mapper: Mapper) -> None:
        self.mapper = mapper

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self.mapper._props

    def __getitem__(self, key: str) -> Any:
        return getattr(self.mapper.class_, key)


def configure_mappers() -> None:
    """Finish every mapper built so far (synonym targets; relationships later)."""
    for mapper in list(_mapper_registry):
        if not mapper.configured and not mapper._dispose_called:
            mapper._post_configure()


@inspection._inspects(type)
def _inspect_class(class_: type) -> Any:
    manager = opt_manager_of_class(class_)
    return None if manager is None else manager.mapper


@inspection._inspects(object)
def _inspect_instance(instance: Any) -> Any:
    state = _state_or_none(instance)
    if state is None or state.manager is None:
        return None
    return state


inspection._self_inspects(Mapper)


__all__ = ["Mapper", "configure_mappers"]
