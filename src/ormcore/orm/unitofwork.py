"""Plan a flush: which states to insert, update and delete, table by table, in dependency order.

Called only by Session._flush(); persistence.py emits the SQL planned here. The plan reads
the three places where changes live -- `session._new` (pending), `identity_map._modified`
(persistent states with attribute writes) and `session._deleted` -- and never walks clean
objects. Tables are ordered by their foreign keys with graphlib.TopologicalSorter, so parent
rows are inserted before their children and deleted after them; rows of one table are then
emitted in batches (persistence.py). Relationships and cascades add edges to the same sort
later: the unit of ordering is the table a mapper persists to.

As SQLAlchemy does, the rows to UPDATE are sorted by primary key, and a pending object whose
primary key is that of an object in the identity map is checked against it: against one
deleted in this flush it becomes a "row switch" (an UPDATE of that row instead of a DELETE
and an INSERT); against any other it is warned about (its INSERT then fails on the key).
"""

from __future__ import annotations

import graphlib
import operator
import warnings
import weakref
from typing import TYPE_CHECKING
from typing import Any
from typing import Iterable
from typing import Optional

from .. import exc as sa_exc
from . import exc
from .base import gc_paused
from .base import state_str

if TYPE_CHECKING:
    from .session import Session

__all__ = ["UOWTransaction"]

class UOWTransaction:
    """One flush: the states to save and delete, grouped per table, and what happened to them.

    `inserts`, `updates` and `deletes` map a table to its (state, mapper) pairs (inserts in
    the order they were added, updates by primary key); `row_switches` maps a table to its
    (pending state, mapper, deleted state it replaces) triples, UPDATEd before `updates`;
    `table_order` is the foreign-key order of every table involved. After persistence.py
    has run, `finalize()` moves the states to their new lifecycle state in the Session. A
    flush of many rows runs both with the cyclic GC paused (`gc_paused`)."""

    __slots__ = (
        "session", "inserts", "updates", "deletes", "row_switches", "table_order",
        "expire_after", "_located",
    )

    def __init__(self, session: "Session", objects: Optional[Iterable[Any]] = None) -> None:
        self.session = session
        # table -> [(state, mapper)]
        self.inserts: dict = {}
        self.updates: dict = {}
        self.deletes: dict = {}
        self.row_switches: dict = {}
        self.table_order: list = []
        # filled by persistence.py: state -> attribute names to expire once committed
        self.expire_after: dict = {}
        self._located: dict = {}  # class -> (mapper, table)
        self._plan(objects)

    @property
    def has_work(self) -> bool:
        return bool(self.inserts or self.updates or self.deletes or self.row_switches)

    def gc_paused(self) -> Any:
        """The cyclic GC paused while a large flush runs (orm/base.py gc_paused): its rows'
        parameter dicts and records stay alive until their batch has run (measured: GC
        passes were a quarter of a 50,000 row flush)."""
        rows = sum(map(len, self.inserts.values())) + sum(map(len, self.updates.values()))
        return gc_paused(rows)

    # -- planning ---------------------------------------------------------------------------

    def _locate(self, state: Any) -> tuple:
        """(mapper, table) of the state's class, looked up once per class and flush."""
        cls = state.class_
        found = self._located.get(cls)
        if found is None:
            manager = state.manager
            if manager is None or getattr(manager, "mapper", None) is None:
                raise exc.UnmappedInstanceError(state())
            mapper = manager.mapper
            mapper._check_configure()
            found = self._located[cls] = (mapper, self._table_of(mapper))
        return found

    def _table_of(self, mapper: Any) -> Any:
        table = mapper.persist_selectable
        if getattr(table, "onclause", None) is not None:
            raise sa_exc.InvalidRequestError(
                f"Flushing objects of joined-table inheritance mapper {mapper} is not "
                "supported by this version of ormcore"
            )
        return table

    def _plan(self, objects: Optional[Iterable[Any]]) -> None:
        session = self.session
        deleted = session._deleted
        new = session._new
        identity_map = session.identity_map
        modified = identity_map._modified
        only: Optional[set] = None
        if objects is not None:
            from .base import object_state

            only = {object_state(obj) for obj in objects}

        located = self._located
        inserts = self.inserts
        for state in sorted(new, key=_insert_order):
            if (only is not None and state not in only) or state in deleted:
                continue
            mapper, table = located.get(state.class_) or self._locate(state)
            planned = inserts.get(table)
            if planned is None:
                planned = inserts[table] = []
            planned.append((state, mapper))
        # a pending key can only clash with a state in the identity map: none, no probes
        switched_out: set = set()
        if inserts and identity_map:
            switched_out = self._find_clashes(only)
        updates = self.updates
        for state in list(modified):
            if state in deleted or (only is not None and state not in only):
                continue
            if state() is None:
                continue
            mapper, table = located.get(state.class_) or self._locate(state)
            planned = updates.get(table)
            if planned is None:
                planned = updates[table] = []
            planned.append((state, mapper))
        for table, planned in updates.items():
            if len(planned) > 1:
                _sort_by_key(planned)
        deletes = self.deletes
        for state in deleted:
            if (only is not None and state not in only) or state in switched_out:
                continue
            if state.key is None:
                raise sa_exc.InvalidRequestError(f"Instance '{state_str(state)}' is not persisted")
            mapper, table = self._locate(state)
            deletes.setdefault(table, []).append((state, mapper))
        self.table_order = _sort_tables(
            set(inserts) | set(updates) | set(deletes) | set(self.row_switches))

    def _find_clashes(self, only: Optional[set]) -> set:
        """Pending states whose primary key is already in the identity map. Against a state
        deleted in this flush the pending one takes over its row (moved from `inserts` to
        `row_switches`); against a persistent one SQLAlchemy's warning (the INSERT fails
        later). Returns the deleted states taken over, whose DELETE is not emitted."""
        identity_map = self.session.identity_map
        deleted = self.session._deleted
        switched_out: set = set()
        for table, planned in list(self.inserts.items()):
            switched = []
            seen = None
            for state, mapper in planned:
                if mapper is not seen:
                    seen = mapper
                    pk_keys, single = _pk_keys(mapper)
                obj = state()
                if obj is None:
                    continue
                if single is not None:
                    # most new objects leave their key to the database: no probe at all
                    pk = obj.__dict__.get(single)
                    if pk is None:
                        continue
                    pk = (pk,)
                else:
                    pk = tuple(obj.__dict__.get(key) if key is not None else None
                               for key in pk_keys)
                    if None in pk:
                        continue
                existing = identity_map.fast_get_state(
                    (mapper._identity_class, pk, state.identity_token))
                if existing is None or existing is state or existing() is None or \
                        self._already_gone(existing):
                    continue
                if existing in deleted and (only is None or existing in only):
                    switched_out.add(existing)
                    switched.append((state, mapper, existing))
                else:
                    warnings.warn(
                        f"New instance {state_str(state)} with identity key {existing.key} "
                        f"conflicts with persistent instance {state_str(existing)}",
                        sa_exc.SAWarning, stacklevel=5,
                    )
            if switched:
                self.row_switches[table] = switched
                moved = {state for state, _mapper, _existing in switched}
                planned[:] = [pair for pair in planned if pair[0] not in moved]
                if not planned:
                    del self.inserts[table]
        return switched_out

    def _already_gone(self, state: Any) -> bool:
        """An expired state whose row another transaction deleted (found by loading it, as
        SQLAlchemy does): it leaves the session as deleted, and does not clash."""
        if not state.expired:
            return False
        try:
            state._load_expired_keys(set(state._expired_attributes or ()))
        except exc.ObjectDeletedError:
            self.session._remove_newly_deleted([state])
            return True
        return False

    # -- after the SQL ----------------------------------------------------------------------

    def finalize(self) -> None:
        """States inserted become persistent (identity key, identity map), updated ones are
        committed, deleted ones leave the identity map marked deleted; the transaction
        records all three for rollback."""
        with self.gc_paused():
            self._finalize()

    def _finalize(self) -> None:
        inserted = [self.inserts[table] for table in self.table_order if table in self.inserts]
        if self.row_switches:
            for table in self.table_order:
                switches = self.row_switches.get(table)
                if switches:
                    # the deleted states first: their key passes to the pending ones
                    self._finalize_deleted([(existing, mapper)
                                            for _state, mapper, existing in switches])
                    inserted.append([(state, mapper) for state, mapper, _existing in switches])
        for states in inserted:
            self._finalize_inserted(states)
        new = self.session._new
        for states in inserted:
            for state, _mapper in states:
                new.pop(state, None)
        for table in self.table_order:
            states = self.updates.get(table)
            if states:
                self._finalize_updated(states)
        for states in self.deletes.values():
            self._finalize_deleted(states)

    def _finalize_inserted(self, states: list) -> None:
        session = self.session
        replace = session.identity_map.replace
        transaction = session._transaction
        recorded = transaction._new if transaction is not None else None
        expire_after = self.expire_after
        seen = None
        for state, mapper in states:
            if mapper is not seen:
                seen = mapper
                key_class = mapper._identity_class
                pk_keys, single = _pk_keys(mapper)
                readonly = _readonly_props(mapper)
            obj = state()
            if obj is None:
                continue
            values = obj.__dict__
            if single is not None:
                value = values.get(single)
                if value is None:
                    raise _null_identity(state)
                pk: tuple = (value,)
            else:
                pk = tuple(values.get(key) if key is not None else None for key in pk_keys)
                if all(v is None for v in pk) or (None in pk and not mapper.allow_partial_pks):
                    raise _null_identity(state)
            if readonly:
                _expire_readonly(state, values, readonly)
            state.key = (key_class, pk, None)
            replace(state)
            state._commit_all()
            if expire_after:
                names = expire_after.get(state)
                if names:
                    state._expire(names)
            if recorded is not None:
                recorded[state] = True

    def _finalize_updated(self, states: list) -> None:
        session = self.session
        transaction = session._transaction
        recorded = transaction._dirty if transaction is not None else None
        expire_after = self.expire_after
        seen = None
        for state, mapper in states:
            if mapper is not seen:
                seen = mapper
                pk_keys, single = _pk_keys(mapper)
                readonly = _readonly_props(mapper)
            obj = state()
            if obj is None:
                continue
            values = obj.__dict__
            if readonly:
                _expire_readonly(state, values, readonly)
            if single is not None:
                # a one-column key compared with the state's key value, no key tuples built
                if single in values:
                    new_pk = values[single]
                    old_pk = state._key_pk
                    if old_pk is not None and new_pk is not None and not (
                        new_pk is old_pk or new_pk == old_pk
                    ):
                        self._switch_key(state, (new_pk,))
            elif any(key is not None and key in values for key in pk_keys):
                pk = tuple(values.get(key) if key is not None else None for key in pk_keys)
                old_key = state.key
                if old_key is not None and pk != old_key[1] and None not in pk:
                    self._switch_key(state, pk)
            state._commit_all()
            if expire_after:
                names = expire_after.get(state)
                if names:
                    state._expire(names)
            if recorded is not None:
                recorded[state] = True

    def _switch_key(self, state: Any, pk: tuple) -> None:
        """A primary key changed by an UPDATE: the state moves to its new identity key, and
        the transaction remembers the old one so that a rollback restores it."""
        session = self.session
        identity_map = session.identity_map
        transaction = session._transaction
        old_key = state.key
        identity_map.discard(state)
        new_key = (old_key[0], pk, old_key[2])
        if transaction is not None:
            previous = transaction._key_switches.get(state)
            orig = previous[0] if previous is not None else old_key
            transaction._key_switches[state] = (orig, new_key)
        state.key = new_key
        identity_map.replace(state)

    def _finalize_deleted(self, states: list) -> None:
        session = self.session
        identity_map = session.identity_map
        transaction = session._transaction
        deleted = session._deleted
        for state, _mapper in states:
            if transaction is not None:
                transaction._deleted[state] = True
            identity_map.discard(state)
            deleted.pop(state, None)
            state._deleted = True


def _pk_keys(mapper: Any) -> tuple:
    """(attribute keys of the primary key columns, None for an unmapped column; the only
    key when there is one)."""
    keys = tuple(prop.key if prop is not None else None for prop in mapper._pk_props)
    return keys, keys[0] if len(keys) == 1 else None


def _null_identity(state: Any) -> exc.FlushError:
    return exc.FlushError(
        f"Instance {state_str(state)} has a NULL identity key.  If this is an "
        "auto-generated value, check that the database table allows generation of "
        "new primary key values, and that the mapped Column object is configured "
        "to expect these generated values.  Ensure also that this flush() is not "
        "occurring at an inappropriate time, such as within a load() event."
    )


# mapper -> (number of its properties, what _readonly_props found then)
_readonly_cache: "weakref.WeakKeyDictionary[Any, tuple]" = weakref.WeakKeyDictionary()


def _readonly_props(mapper: Any) -> tuple:
    """(key, deferred, expire_on_flush) of each column_property() of a SQL expression (no
    column of the mapper's tables): a flush writes no value for it, so the value may be
    stale once its row is written."""
    nprops = len(mapper._props)
    cached = _readonly_cache.get(mapper)
    if cached is not None and cached[0] == nprops:
        return cached[1]
    tables = set(mapper.tables)
    pk_props = set(mapper._pk_props)
    found = tuple(
        (key, prop.deferred, prop.expire_on_flush)
        for key, prop in mapper._props.items()
        if prop._is_column_property and prop not in pk_props
        and not any(getattr(column, "table", None) in tables for column in prop.columns)
    )
    _readonly_cache[mapper] = (nprops, found)
    return found


def _expire_readonly(state: Any, values: dict, readonly: tuple) -> None:
    """After its row was written, as SQLAlchemy does: the unchanged SQL-expression attributes
    are expired (loaded, or not deferred, with expire_on_flush), or marked to load on next
    access (not loaded and not deferred, without expire_on_flush)."""
    committed = state._committed_state or ()
    names = [key for key, deferred, on_flush in readonly if key not in committed and (
        (on_flush and (not deferred or key in values))
        or (not on_flush and not deferred and key not in values))]
    if names:
        state._expire(names)


def _sort_by_key(planned: list) -> None:
    """(state, mapper) pairs of persistent states in primary key order, as SQLAlchemy emits
    their UPDATEs (a type's sort_key_function orders its values)."""
    mapper = planned[0][1]
    key_fns = [getattr(column.type, "sort_key_function", None) for column in mapper.primary_key]
    if any(fn is not None for fn in key_fns):
        def sort_key(pair: tuple) -> tuple:
            return tuple(fn(value) if fn is not None else value
                         for fn, value in zip(key_fns, pair[0].key[1]))
    else:
        sort_key = _state_pk
    try:
        planned.sort(key=sort_key)
    except TypeError as err:
        raise sa_exc.InvalidRequestError(
            "Could not sort objects by primary key; primary key values must be sortable in "
            f"Python (was: {err})"
        ) from err


def _state_pk(pair: tuple) -> Any:
    # the key's value (the tuple of a composite key): orders as the key tuples do
    return pair[0]._key_pk


# Session._save_impl numbers every state it makes pending, and only it fills session._new
_insert_order = operator.attrgetter("insert_order")


def _sort_tables(tables: set) -> list:
    """`tables` ordered so that a table comes after every table its foreign keys refer to
    (self references and references to tables outside the set do not count)."""
    sorter: graphlib.TopologicalSorter = graphlib.TopologicalSorter()
    # sort by name first so the order is stable from run to run
    for table in sorted(tables, key=lambda t: getattr(t, "fullname", None) or t.name):
        depends = []
        for fk in getattr(table, "foreign_keys", ()):
            try:
                target = fk.column.table
            except Exception:  # an unresolvable foreign key names no table here
                continue
            if target is not table and target in tables:
                depends.append(target)
        sorter.add(table, *depends)
    try:
        return list(sorter.static_order())
    except graphlib.CycleError as err:
        raise exc.FlushError(
            f"Circular dependency between tables {', '.join(t.name for t in err.args[1])}; "
            "flush them in separate flushes"
        ) from None
