"""Loading: turn the result of an ORM-enabled statement into mapped objects.

Session._execute_internal (and so Query, session.get, refresh and the expired-attribute
loader) call `execute_orm()`. A statement's shape is planned once per compiled statement
(`_Plan`: per selected entity its mapper, primary-key and attribute positions; per plain
column its position) and cached on the compiled object; the RowLoaders of the core are made
from the plan once per (plan, identity map, populate_existing) and reused while the session's
identity map stays the same, so a repeated statement costs its fetch plus one compiled loop.
Rows stream through the loaders in batches (all at once, or `yield_per` rows at a time).
"""

from __future__ import annotations

import weakref
from typing import Any
from typing import Iterator
from typing import Optional

from .. import exc as sa_exc
from .._core import RowLoader
from ..engine.result import Result
from ..engine.result import ResultMetaData
from ..engine.result import ScalarResult
from ..sql.elements import TextClause
from ..sql.elements import bindparam
from ..sql.selectable import Select
from ..sql.selectable import select
from . import exc
from .base import GC_PAUSE_OBJECTS
from .base import gc_paused
from .base import STATE_KEY
from .state import InstanceState

_NO_UNIQUE = None


class _EntityPlan:
    """Where one selected entity's primary key and attributes are in the row.

    `polymorphic`, for an entity whose rows may belong to its subclasses (single-table
    inheritance), is (discriminator position, {identity: (mapper, attr_positions)})."""

    __slots__ = ("mapper", "pk_positions", "attr_positions", "polymorphic")

    def __init__(self, mapper: Any, pk_positions: tuple, attr_positions: tuple,
                 polymorphic: Optional[tuple] = None) -> None:
        self.mapper = mapper
        self.pk_positions = pk_positions
        self.attr_positions = attr_positions
        self.polymorphic = polymorphic


class _Plan:
    """What each element of an ORM result row is: an _EntityPlan or a column position."""

    __slots__ = ("items", "meta", "single", "_loaders", "__weakref__")

    def __init__(self, items: list, keys: list, objects: list) -> None:
        self.items = items
        self.meta = ResultMetaData(keys, None, objects)
        self.single = len(items) == 1 and isinstance(items[0], _EntityPlan)
        # (weakref to identity map, populate_existing) -> loaders, for the last session
        self._loaders: Optional[tuple] = None

    def loaders(self, session: Any, populate_existing: bool) -> list:
        identity_map = session.identity_map
        cached = self._loaders
        if (cached is not None and cached[0]() is identity_map
                and cached[1] == populate_existing and cached[2] == session.hash_key):
            return cached[3]
        loaders = [
            _entity_loader(item, session, populate_existing)
            if isinstance(item, _EntityPlan) else item
            for item in self.items
        ]
        self._loaders = (weakref.ref(identity_map), populate_existing, session.hash_key, loaders)
        return loaders


def _make_loader(mapper: Any, pk_positions: tuple, attr_positions: tuple, session: Any,
                 populate_existing: bool) -> Any:
    manager = mapper.class_manager
    return RowLoader(
        mapper.class_, manager, session.identity_map, pk_positions, attr_positions,
        None, populate_existing, _expire_missing_hook(mapper, attr_positions),
        mapper._identity_class, session.hash_key,
        getattr(manager, "state_class", None) or InstanceState,
    )


def _expire_missing_hook(mapper: Any, attr_positions: tuple) -> Any:
    """For rows lacking some of the entity's columns (a textual statement's, a subclass's
    row selected through its base): a hook expiring those attributes of each new instance,
    so that reading one loads it, as SQLAlchemy does; None when the rows hold them all."""
    present = {key for key, _ in attr_positions}
    missing = [key for key, _ in mapper._entity_columns() if key not in present]
    if not missing:
        return None

    def expire_missing(state: Any) -> None:
        state._expire(missing)

    return expire_missing


def _entity_loader(item: _EntityPlan, session: Any, populate_existing: bool) -> Any:
    loader = _make_loader(item.mapper, item.pk_positions, item.attr_positions, session,
                          populate_existing)
    if item.polymorphic is None:
        return loader
    position, subclasses = item.polymorphic
    by_identity = {
        identity: _make_loader(mapper, item.pk_positions, attr_positions, session,
                               populate_existing)
        for identity, (mapper, attr_positions) in subclasses.items()
    }
    return _PolymorphicLoader(item.mapper, loader, position, by_identity)


class _PolymorphicLoader:
    """Rows of an entity with subclasses in its table: each row is loaded by the RowLoader
    of the class its discriminator value names, in row order."""

    __slots__ = ("mapper", "default", "position", "by_identity", "attr_positions")

    def __init__(self, mapper: Any, default: Any, position: int, by_identity: dict) -> None:
        self.mapper = mapper
        self.default = default
        self.position = position
        self.by_identity = by_identity
        self.attr_positions = default.attr_positions

    def _loader_for(self, identity: Any, raw: tuple) -> Any:
        loader = self.by_identity.get(identity)
        if loader is not None:
            return loader
        if identity is None:
            mapper = self.mapper
            key = (mapper._identity_class, tuple(raw[p] for p in self.default.pk_positions), None)
            raise sa_exc.InvalidRequestError(
                f"Row with identity key {key} can't be loaded into an object; the polymorphic "
                f"discriminator column '{mapper.polymorphic_on}' is NULL")
        raise AssertionError(f"No such polymorphic_identity {identity!r} is defined")

    def load(self, raws: list) -> list:
        position = self.position
        groups: dict = {}
        for index, raw in enumerate(raws):
            groups.setdefault(raw[position], []).append(index)
        if len(groups) == 1:
            (identity,) = groups
            return self._loader_for(identity, raws[0]).load(raws)
        objs: list = [None] * len(raws)
        for identity, indexes in groups.items():
            loaded = self._loader_for(identity, raws[indexes[0]]).load([raws[i] for i in indexes])
            for index, obj in zip(indexes, loaded):
                objs[index] = obj
        return objs


def _entity_of(raw: Any) -> Any:
    return raw.mapper if getattr(raw, "_is_orm_entity", False) else None


def _is_orm_select(statement: Any) -> bool:
    raws = getattr(statement, "_raw_columns", None)
    if not raws:
        return False
    for raw in raws:
        if getattr(raw, "_is_orm_entity", False):
            return True
    return False


def _entity_plan(mapper: Any, start: int, names_at: Optional[dict] = None) -> _EntityPlan:
    columns = mapper._entity_columns()
    attr_positions = []
    by_column = {}
    for offset, (key, column) in enumerate(columns):
        if names_at is not None:
            position = names_at.get(column.key, names_at.get(column.name))
            if position is None:
                continue
        else:
            position = start + offset
        attr_positions.append((key, position))
        by_column[column] = position
    pk_positions = []
    for column in mapper.primary_key:
        position = by_column.get(column)
        if position is None:
            raise sa_exc.InvalidRequestError(
                f"The result does not include primary key column {column} of {mapper}")
        pk_positions.append(position)
    return _EntityPlan(mapper, tuple(pk_positions), tuple(attr_positions),
                       _polymorphic_plan(mapper, by_column))


def _polymorphic_plan(mapper: Any, by_column: dict) -> Optional[tuple]:
    """The discriminator's position and, per polymorphic identity, the mapper and the
    positions of its attributes that the row holds; None when rows are all `mapper`'s."""
    position = by_column.get(mapper.polymorphic_on) if mapper.polymorphic_on is not None else None
    descendants = mapper.self_and_descendants
    if position is None or len(descendants) == 1:
        return None
    subclasses = {}
    for identity, sub in mapper.polymorphic_map.items():
        if not sub.isa(mapper):
            continue
        subclasses[identity] = (sub, tuple(
            (key, by_column[column]) for key, column in sub._entity_columns()
            if column in by_column))
    return position, subclasses


def _plan_select(statement: Any, compiled: Any) -> _Plan:
    items: list = []
    keys: list = []
    objects: list = []
    result_columns = compiled._result_columns if compiled is not None else None
    position = 0
    for raw in statement._raw_columns:
        mapper = _entity_of(raw)
        if mapper is not None:
            plan = _entity_plan(mapper, position)
            position += len(mapper._entity_columns())
            items.append(plan)
            keys.append(mapper.class_.__name__)
            objects.append((mapper.class_, mapper))
        else:
            if isinstance(raw, TextClause):
                continue
            items.append(position)
            if result_columns and position < len(result_columns):
                entry = result_columns[position]
                keys.append(entry[0])
                objects.append(tuple(o for o in entry[2] if o is not None))
            else:
                keys.append(getattr(raw, "key", None) or str(position))
                objects.append((raw,))
            position += 1
    return _Plan(items, keys, objects)


def _plan_from_statement(entities: list, names: list) -> _Plan:
    names_at: dict = {}
    for index, name in enumerate(names):
        names_at.setdefault(name, index)
        names_at.setdefault(name.lower(), index)
    items = []
    keys = []
    objects = []
    for entity in entities:
        mapper = _entity_of(entity)
        if mapper is not None:
            items.append(_entity_plan(mapper, 0, names_at))
            keys.append(mapper.class_.__name__)
            objects.append((mapper.class_, mapper))
        else:
            key = getattr(entity, "key", None) or getattr(entity, "name", None)
            items.append(names_at[key])
            keys.append(key)
            objects.append((entity,))
    return _Plan(items, keys, objects)


class FromStatement:
    """`select(User).from_statement(text(...))`: the entities of a SELECT loaded from the
    rows of another statement, matched by column name."""

    _is_from_statement = True
    _propagate_attrs = {"compile_state_plugin": "orm"}

    def __init__(self, entities: list, element: Any, execution_options: Any = None) -> None:
        self._entities = list(entities)
        self.element = element
        self._execution_options = dict(execution_options or {})

    def _execute_on_connection(self, connection: Any, distilled: list, options: dict) -> Any:
        return self.element._execute_on_connection(connection, distilled, options)

    def execution_options(self, **kw: Any) -> "FromStatement":
        new = FromStatement(self._entities, self.element, {**self._execution_options, **kw})
        return new

    def get_execution_options(self) -> dict:
        return dict(self._execution_options)

    def __str__(self) -> str:
        return str(self.element)


def from_statement(self: Any, statement: Any) -> FromStatement:
    """Select.from_statement: load this SELECT's entities from `statement`'s rows."""
    if isinstance(statement, str):
        raise sa_exc.ArgumentError("from_statement() needs text() or a select()")
    return FromStatement(self._raw_columns, statement, getattr(self, "_execution_options", None))


def execute_orm(session: Any, statement: Any, params: Any, execution_options: dict,
                bind_arguments: dict) -> "ORMResult":
    """Run an ORM-enabled statement in `session`; an ORMResult of objects / rows."""
    element_options = statement._execution_options
    options = {**element_options, **execution_options} if element_options else execution_options
    if options.get("autoflush", True):
        session._autoflush()
    from_stmt = getattr(statement, "_is_from_statement", False)
    entities = statement._entities if from_stmt else statement._raw_columns
    if "bind" in bind_arguments:
        bind = bind_arguments["bind"]
    else:
        mapper = None
        for raw in entities:
            if getattr(raw, "_is_orm_entity", False):
                mapper = raw.mapper
                break
        bind = session.get_bind(mapper, clause=statement.element if from_stmt else statement)
    conn = session._connection_for_bind(bind)
    cursor_result = conn.execute(statement, params, execution_options=execution_options)
    if from_stmt:
        plan = _plan_from_statement(entities, list(cursor_result.keys()))
    else:
        compiled = cursor_result.context.compiled
        # one plan per compiled statement: the compiled cache key covers the entities
        plan = compiled._orm_plan
        if plan is None:
            plan = compiled._orm_plan = _plan_select(statement, compiled)
    result = ORMResult(cursor_result, plan,
                       plan.loaders(session, options.get("populate_existing", False)))
    yield_per = options.get("yield_per")
    if yield_per:
        result._yield_per = yield_per
    return result


class ORMResult(Result):
    """The Result of an ORM statement: Rows whose elements are objects (for entities) or
    column values; `scalars()` of a single-entity statement hands the objects themselves."""

    def __init__(self, cursor_result: Any, plan: _Plan, loaders: list) -> None:
        self._cursor_result = cursor_result
        self._meta = plan.meta
        self._plan = plan
        self._loaders = loaders
        self._single = plan.single
        self._source_supports_scalars = plan.single
        procs = cursor_result._meta._processors
        self._procs = procs

    # -- raw rows from the cursor, processed --------------------------------------------------

    def _process(self, raws: list) -> list:
        procs = self._procs
        if procs is None or not raws:
            return raws
        return [tuple([v if p is None else p(v) for p, v in zip(procs, raw)]) for raw in raws]

    def _cursor_all(self) -> list:
        return self._process(self._cursor_result._raw_all())

    def _cursor_many(self, size: int) -> list:
        return self._process(self._cursor_result._raw_many(size))

    def _cursor_few_and_close(self, size: int) -> list:
        """Up to `size` processed rows, then the result closed (one(), loads by key)."""
        try:
            raws = self._cursor_result._raw_few_and_close(size)
        finally:
            self._closed = True
        return raws if self._procs is None else self._process(raws)

    def _batches(self) -> Iterator[list]:
        size = self._yield_per
        if not size:
            rows = self._cursor_all()
            if rows:
                yield rows
            return
        while True:
            rows = self._cursor_many(size)
            if not rows:
                return
            yield rows

    # -- objects -----------------------------------------------------------------------------

    def _objects(self, raws: list) -> list:
        """Single-entity result: the objects of `raws`."""
        if not raws:
            return []
        if len(raws) < GC_PAUSE_OBJECTS:  # (the single-row lookups: no context manager)
            return self._loaders[0].load(raws)
        # hydration keeps every object it allocates: see gc_paused
        with gc_paused(len(raws)):
            return self._loaders[0].load(raws)

    def _transform(self, raws: list) -> list:
        if not raws:
            return []
        with gc_paused(len(raws)):
            if self._single:
                return [(obj,) for obj in self._loaders[0].load(raws)]
            columns = []
            for loader in self._loaders:
                if type(loader) is int:
                    columns.append([raw[loader] for raw in raws])
                else:
                    columns.append(loader.load(raws))
            return list(zip(*columns))

    # -- the Result source API ---------------------------------------------------------------

    def _raw_all(self) -> list:
        return self._transform(self._cursor_all())

    def _raw_many(self, size: int) -> list:
        return self._transform(self._cursor_many(size))

    def _raw_iter(self) -> Iterator[Any]:
        for batch in self._batches():
            yield from self._transform(batch)

    def _default_fetchmany_size(self) -> int:
        return self._cursor_result._default_fetchmany_size()

    def _hard_close(self) -> None:
        self._closed = True
        self._cursor_result._hard_close()

    def _closes_after_use(self) -> bool:
        return self._cursor_result._closes_after_use()

    def scalars(self, index: Any = 0) -> ScalarResult:
        if self._single and index in (0, self._meta.keys[0]) and self._indexes is None:
            return _ORMScalarResult(self, 0)
        return ScalarResult(self, index)

    def _only_one(self, raise_on_none: bool, scalar: bool, or_none_message: bool) -> Any:
        # one() / scalar_one() of a plain single-entity result: fetch two rows, load them
        if not (self._single and self._indexes is None and self._unique is _NO_UNIQUE):
            return super()._only_one(raise_on_none, scalar, or_none_message)
        raws = self._cursor_few_and_close(2)
        if not raws:
            if raise_on_none:
                raise sa_exc.NoResultFound("No row was found when one was required")
            return None
        if len(raws) > 1:
            raise sa_exc.MultipleResultsFound(
                "Multiple rows were found when one or none was required" if or_none_message
                else "Multiple rows were found when exactly one was required")
        if scalar:
            return self._loaders[0].load(raws)[0]
        return self._outputs(self._transform(raws))[0]

    def scalar(self) -> Any:
        if self._single and self._indexes is None and self._unique is _NO_UNIQUE:
            objs = self._objects(self._cursor_few_and_close(1))
            return objs[0] if objs else None
        return super().scalar()

    @property
    def context(self) -> Any:
        return self._cursor_result.context

    @property
    def rowcount(self) -> int:
        return self._cursor_result.rowcount


class _ORMScalarResult(ScalarResult):
    """scalars() of a single-entity ORM result: the RowLoader's objects, without Rows."""

    def all(self) -> list:
        source = self._source
        objs = source._objects(source._cursor_all())
        if self._unique is not _NO_UNIQUE:
            objs = self._dedupe(objs)
        return objs

    def __iter__(self) -> Iterator[Any]:
        return self._iter_objects()

    def _iter_objects(self) -> Iterator[Any]:
        source = self._source
        unique = self._unique is not _NO_UNIQUE
        for batch in source._batches():
            objs = source._objects(batch)
            if unique:
                objs = self._dedupe(objs)
            yield from objs

    def _fetch_outputs(self, size: int) -> list:
        source = self._source
        outs = source._objects(source._cursor_many(size))
        if self._unique is _NO_UNIQUE or not outs:
            return outs
        outs = self._dedupe(outs)
        while len(outs) < size:
            more = source._objects(source._cursor_many(size - len(outs)))
            if not more:
                break
            outs.extend(self._dedupe(more))
        return outs


# -- loading by primary key: session.get, refresh and expired attributes ---------------------

def _pk_where(mapper: Any, pk: tuple) -> list:
    return [column == value for column, value in zip(mapper.primary_key, pk)]


def load_on_pk_identity(session: Any, mapper: Any, pk: tuple, *, populate_existing: bool = False,
                        with_for_update: Any = None, execution_options: Optional[dict] = None,
                        ) -> Any:
    """SELECT the entity by primary key; the object (from the identity map) or None."""
    stmt, names = _get_statement(mapper)
    params = dict(zip(names, pk))
    options = execution_options or {}
    if populate_existing:
        options = {**options, "populate_existing": True}
    if with_for_update is not None and with_for_update is not False:
        stmt = Select.with_for_update(stmt, **(with_for_update if isinstance(with_for_update, dict) else {}))
    result = execute_orm(session, stmt, params, options, {})
    objs = result._objects(result._cursor_few_and_close(2))
    if not objs:
        return None
    if len(objs) > 1:
        raise sa_exc.MultipleResultsFound(
            "Multiple rows were found when one or none was required")
    return objs[0]


def _get_statement(mapper: Any) -> tuple:
    """(SELECT <entity> WHERE pk = :pk_0 ..., the bind names in primary-key order), built
    once per mapper."""
    found = mapper.__dict__.get("_ormcore_get_stmt")
    if found is None:
        names = tuple(f"pk_{i}" for i in range(len(mapper.primary_key)))
        stmt = select(mapper).where(*[
            column == bindparam(name, type_=column.type)
            for name, column in zip(names, mapper.primary_key)])
        found = mapper.__dict__["_ormcore_get_stmt"] = (stmt, names)
    return found


def load_attributes(state: Any, keys: Any, session: Any) -> None:
    """The `_attribute_loader` hook: load expired / unloaded attributes of a persistent
    instance with one SELECT by its primary key; ObjectDeletedError when the row is gone.

    As SQLAlchemy: of the keys asked for, the expired ones that hold no change of the user's
    load (all the entity's columns when it was expired as a whole and nothing was changed
    since); deferred columns stay unloaded then. A deferred column read loads alone, with
    its group. An attribute neither expired nor deferred has nothing to load: one a new
    object never set reads None after its flush (a row switch's UPDATE included)."""
    obj = state()
    if obj is None:
        return
    mapper = state.manager.mapper
    props = mapper._props
    deferred = [key for key in keys if getattr(props.get(key), "deferred", False)]
    if len(deferred) == len(keys):
        _load_deferred(state, obj, mapper, deferred, session)
        return
    expired = state._expired_attributes or ()
    changed = state._committed_state or ()
    values = obj.__dict__
    columns = mapper._entity_columns()
    wanted = {key for key, _ in columns
              if key in keys and key in expired and key not in changed and key not in values}
    if len(wanted) == len(columns) or (state.expired and not wanted):
        _load_entity_columns(state, obj, mapper, session)
    elif wanted:
        _load_some_columns(state, obj, mapper, wanted, session)


def _load_some_columns(state: Any, obj: Any, mapper: Any, keys: set, session: Any) -> None:
    """SELECT by primary key the columns of the attributes `keys`, in the mapper's order (as
    SQLAlchemy's load of expired attributes), into the instance."""
    stmt, names, loaded = _some_columns_statement(mapper, frozenset(keys))
    params = dict(zip(names, state.key[1]))
    result = execute_orm(session, stmt, params, {"autoflush": session.autoflush}, {})
    raws = result._cursor_few_and_close(2)
    if not raws:
        raise exc.ObjectDeletedError(state)
    values = obj.__dict__
    changed = state._committed_state or ()
    filled = []
    for key, value in zip(loaded, raws[0]):
        if key not in values and key not in changed:
            values[key] = value
            filled.append(key)
    state._commit(filled)


def _some_columns_statement(mapper: Any, keys: frozenset) -> tuple:
    """(SELECT <the columns of `keys`> WHERE pk = :pk_0 ..., the bind names, the attribute
    key of each selected column); kept per mapper and key set, a few sets per mapper in
    practice (what one commit expires minus what was set since)."""
    cache = mapper.__dict__.get("_ormcore_some_columns")
    if cache is None:
        cache = mapper.__dict__["_ormcore_some_columns"] = {}
    found = cache.get(keys)
    if found is None:
        selected = [(key, prop.columns[0]) for key, prop in mapper._props.items()
                    if key in keys and prop._is_column_property]
        names = tuple(f"pk_{i}" for i in range(len(mapper.primary_key)))
        criteria = [column == bindparam(name, type_=column.type)
                    for name, column in zip(names, mapper.primary_key)]
        single = mapper._single_table_criterion
        if single is not None:
            criteria.append(single)
        stmt = (select(*[column for _, column in selected])
                .select_from(mapper.persist_selectable).where(*criteria))
        if len(cache) >= 32:
            cache.clear()
        found = cache[keys] = (stmt, names, tuple(key for key, _ in selected))
    return found


def _load_entity_columns(state: Any, obj: Any, mapper: Any, session: Any) -> None:
    """SELECT the entity's (undeferred) columns by primary key into the instance."""
    stmt, names = _get_statement(mapper)
    params = dict(zip(names, state.key[1]))
    result = execute_orm(session, stmt, params, {"autoflush": session.autoflush}, {})
    raws = result._cursor_few_and_close(2)
    if not raws:
        raise exc.ObjectDeletedError(state)
    loaded = result._objects(raws)
    if loaded and loaded[0] is not obj:
        # the identity map held another instance: copy the requested values in
        values = obj.__dict__
        for key, pos in result._loaders[0].attr_positions:
            if key not in values:
                values[key] = raws[0][pos]
        state._commit([k for k, _ in result._loaders[0].attr_positions])


def _load_deferred(state: Any, obj: Any, mapper: Any, keys: list, session: Any) -> None:
    """Deferred columns, loaded on first access with one SELECT by primary key: the keys
    asked for and the rest of their deferred groups (raiseload ones refuse)."""
    props = mapper._props
    for key in keys:
        if props[key].raiseload:
            raise sa_exc.InvalidRequestError(
                f"'{mapper.class_.__name__}.{key}' is not available due to raiseload=True")
    groups = {props[key].group for key in keys} - {None}
    wanted = [key for key, prop in props.items()
              if key not in obj.__dict__ and getattr(prop, "deferred", False)
              and (key in keys or (prop.group is not None and prop.group in groups))]
    stmt = select(*[props[key].columns[0] for key in wanted]).where(*[
        column == value for column, value in zip(mapper.primary_key, state.key[1])])
    session._autoflush()
    bind = session.get_bind(mapper)
    row = session._connection_for_bind(bind).execute(stmt).first()
    if row is None:
        raise exc.ObjectDeletedError(state)
    obj.__dict__.update(zip(wanted, row))
    state._commit(wanted)


def refresh_state(session: Any, state: Any, attribute_names: Any = None,
                  with_for_update: Any = None) -> None:
    """session.refresh(): reload the object's attributes (all, or the named ones)."""
    obj = state()
    mapper = state.manager.mapper
    pk = state.key[1]
    if attribute_names is not None:
        names = list(attribute_names)
        for name in names:
            if name not in mapper._props:
                raise sa_exc.InvalidRequestError(
                    f"Mapper '{mapper}' has no property '{name}'.  If this property was "
                    "indicated from other mappers or configure events, ensure registry."
                    "configure() has been called.")
        state._expire(names)
        columns = frozenset(name for name in names if mapper._props[name]._is_column_property)
        if columns:
            # as SQLAlchemy: the named columns only, deferred ones included, in one SELECT
            stmt, pk_names, loaded = _some_columns_statement(mapper, columns)
            _refresh_some(session, state, obj, stmt, dict(zip(pk_names, pk)), loaded,
                          with_for_update)
            return
    else:
        # as SQLAlchemy: every attribute expired first, so pending changes are discarded (not
        # flushed) and deferred columns unloaded again
        state._expire()
    stmt, names = _get_statement(mapper)
    if with_for_update is not None and with_for_update is not False:
        stmt = stmt.with_for_update(**(with_for_update if isinstance(with_for_update, dict) else {}))
    params = dict(zip(names, pk))
    if attribute_names is None:
        # populate_existing overwrites every attribute and commits the state
        # (as SQLAlchemy's refresh, the SELECT autoflushes first)
        result = execute_orm(session, stmt, params, {"populate_existing": True}, {})
    else:
        result = execute_orm(session, stmt, params, {}, {})
    raws = result._cursor_few_and_close(2)
    if not raws:
        raise sa_exc.InvalidRequestError(
            f"Could not refresh instance '{_state_str(state)}'")
    objs = result._objects(raws)
    if objs[0] is not obj:
        values = obj.__dict__
        keys = []
        for key, pos in result._loaders[0].attr_positions:
            if attribute_names is None or key in attribute_names:
                values[key] = raws[0][pos]
                keys.append(key)
        state._commit(keys)


def _refresh_some(session: Any, state: Any, obj: Any, stmt: Any, params: dict, loaded: tuple,
                  with_for_update: Any) -> None:
    """Overwrite the attributes `loaded` with what `stmt` selects, and commit them."""
    if with_for_update is not None and with_for_update is not False:
        stmt = stmt.with_for_update(**(with_for_update if isinstance(with_for_update, dict) else {}))
    result = execute_orm(session, stmt, params, {}, {})
    raws = result._cursor_few_and_close(2)
    if not raws:
        raise sa_exc.InvalidRequestError(
            f"Could not refresh instance '{_state_str(state)}'")
    obj.__dict__.update(zip(loaded, raws[0]))
    state._commit(loaded)


def _state_str(state: Any) -> str:
    obj = state()
    return "<%s at 0x%x>" % (state.class_.__name__, id(obj))


def instance_state_of(obj: Any) -> Any:
    state = obj.__dict__.get(STATE_KEY) if hasattr(obj, "__dict__") else None
    if state is None:
        raise exc.UnmappedInstanceError(obj)
    return state


__all__ = ["FromStatement", "ORMResult", "execute_orm", "load_attributes",
           "load_on_pk_identity", "refresh_state"]


def _install_from_statement() -> None:
    # Select.from_statement is ORM-only, as in SQLAlchemy (where the ORM plugin provides it)
    from ..sql.selectable import Select

    if not hasattr(Select, "from_statement"):
        Select.from_statement = from_statement  # type: ignore[attr-defined]


_install_from_statement()
