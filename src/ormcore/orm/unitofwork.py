"""Plan a flush: which states to insert, update and delete, table by table, in dependency order.

Called only by Session._flush(); persistence.py emits the SQL planned here. The plan reads
the three places where changes live -- `session._new` (pending), `identity_map._modified`
(persistent states with attribute writes) and `session._deleted` -- and never walks clean
objects. Tables are ordered by their foreign keys with graphlib.TopologicalSorter, so parent
rows are inserted before their children and deleted after them; rows of one table are then
emitted in batches (persistence.py). Relationships and cascades add edges to the same sort
later: the unit of ordering is the table a mapper persists to.
"""

from __future__ import annotations

import graphlib
import operator
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
    the order they were added); `table_order` is the foreign-key order of every table
    involved. After persistence.py has run, `finalize()` moves the states to their new
    lifecycle state in the Session. A flush of many rows runs both with the cyclic GC paused
    (`gc_paused`)."""

    __slots__ = (
        "session", "inserts", "updates", "deletes", "table_order", "expire_after", "_located",
    )

    def __init__(self, session: "Session", objects: Optional[Iterable[Any]] = None) -> None:
        self.session = session
        # table -> [(state, mapper)]
        self.inserts: dict = {}
        self.updates: dict = {}
        self.deletes: dict = {}
        self.table_order: list = []
        # filled by persistence.py: state -> attribute names to expire once committed
        self.expire_after: dict = {}
        self._located: dict = {}  # class -> (mapper, table)
        self._plan(objects)

    @property
    def has_work(self) -> bool:
        return bool(self.inserts or self.updates or self.deletes)

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
        modified = session.identity_map._modified
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
        deletes = self.deletes
        for state in deleted:
            if only is not None and state not in only:
                continue
            if state.key is None:
                raise sa_exc.InvalidRequestError(f"Instance '{state_str(state)}' is not persisted")
            mapper, table = self._locate(state)
            deletes.setdefault(table, []).append((state, mapper))
        self.table_order = _sort_tables(set(inserts) | set(updates) | set(deletes))

    # -- after the SQL ----------------------------------------------------------------------

    def finalize(self) -> None:
        """States inserted become persistent (identity key, identity map), updated ones are
        committed, deleted ones leave the identity map marked deleted; the transaction
        records all three for rollback."""
        with self.gc_paused():
            self._finalize()

    def _finalize(self) -> None:
        inserted = [self.inserts[table] for table in self.table_order if table in self.inserts]
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
        self._finalize_deleted()

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
            obj = state()
            if obj is None:
                continue
            values = obj.__dict__
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

    def _finalize_deleted(self) -> None:
        session = self.session
        identity_map = session.identity_map
        transaction = session._transaction
        deleted = session._deleted
        for states in self.deletes.values():
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
