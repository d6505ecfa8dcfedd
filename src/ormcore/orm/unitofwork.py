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
from typing import TYPE_CHECKING
from typing import Any
from typing import Iterable
from typing import Optional

from .. import exc as sa_exc
from . import exc
from .base import state_str

if TYPE_CHECKING:
    from .session import Session

__all__ = ["UOWTransaction"]


class UOWTransaction:
    """One flush: the states to save and delete, grouped per table, and what happened to them.

    `saves` and `deletes` map a table to its states (inserts in the order they were added);
    `table_order` is the foreign-key order of every table involved. After persistence.py
    has run, `finalize()` moves the states to their new lifecycle state in the Session."""

    __slots__ = (
        "session", "inserts", "updates", "deletes", "table_order", "inserted", "updated",
        "expire_after", "_mappers",
    )

    def __init__(self, session: "Session", objects: Optional[Iterable[Any]] = None) -> None:
        self.session = session
        # table -> [(state, mapper)]
        self.inserts: dict = {}
        self.updates: dict = {}
        self.deletes: dict = {}
        self.table_order: list = []
        # filled by persistence.py: the states it inserted / updated (for finalize), and
        # state -> attribute names to expire once the states are committed
        self.inserted: list = []
        self.updated: list = []
        self.expire_after: dict = {}
        self._mappers: dict = {}
        self._plan(objects)

    @property
    def has_work(self) -> bool:
        return bool(self.inserts or self.updates or self.deletes)

    # -- planning ---------------------------------------------------------------------------

    def _mapper_of(self, state: Any) -> Any:
        cls = state.class_
        mapper = self._mappers.get(cls)
        if mapper is None:
            manager = state.manager
            if manager is None or getattr(manager, "mapper", None) is None:
                raise exc.UnmappedInstanceError(state())
            mapper = self._mappers[cls] = manager.mapper
            mapper._check_configure()
        return mapper

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

        inserts = self.inserts
        for state in sorted(new, key=_insert_order):
            if only is not None and state not in only:
                continue
            if state in deleted:
                continue
            mapper = self._mapper_of(state)
            inserts.setdefault(self._table_of(mapper), []).append((state, mapper))
        updates = self.updates
        for state in list(modified):
            if state in deleted or (only is not None and state not in only):
                continue
            if state() is None:
                continue
            mapper = self._mapper_of(state)
            updates.setdefault(self._table_of(mapper), []).append((state, mapper))
        deletes = self.deletes
        for state in deleted:
            if only is not None and state not in only:
                continue
            if state.key is None:
                raise sa_exc.InvalidRequestError(f"Instance '{state_str(state)}' is not persisted")
            mapper = self._mapper_of(state)
            deletes.setdefault(self._table_of(mapper), []).append((state, mapper))
        self.table_order = _sort_tables(set(inserts) | set(updates) | set(deletes))

    # -- after the SQL ----------------------------------------------------------------------

    def finalize(self) -> None:
        """States inserted become persistent (identity key, identity map), updated ones are
        committed, deleted ones leave the identity map marked deleted; the transaction
        records all three for rollback."""
        session = self.session
        identity_map = session.identity_map
        transaction = session._transaction
        expire_after = self.expire_after
        new = session._new
        for state, mapper in self.inserted:
            obj = state()
            if obj is None:
                continue
            values = obj.__dict__
            pk = tuple(values.get(prop.key) if prop is not None else None
                       for prop in mapper._pk_props)
            if all(v is None for v in pk) or (None in pk and not mapper.allow_partial_pks):
                raise exc.FlushError(
                    f"Instance {state_str(state)} has a NULL identity key.  If this is an "
                    "auto-generated value, check that the database table allows generation of "
                    "new primary key values, and that the mapped Column object is configured "
                    "to expect these generated values.  Ensure also that this flush() is not "
                    "occurring at an inappropriate time, such as within a load() event."
                )
            state.key = (mapper._identity_class, pk, None)
            identity_map.replace(state)
            state._commit_all()
            names = expire_after.get(state)
            if names:
                state._expire(names)
            if transaction is not None:
                transaction._new[state] = True
        for state, mapper in self.inserted:
            new.pop(state, None)
        for state, mapper in self.updated:
            obj = state()
            if obj is None:
                continue
            values = obj.__dict__
            old_key = state.key
            if any(prop is not None and prop.key in values for prop in mapper._pk_props):
                pk = tuple(values.get(prop.key) if prop is not None else None
                           for prop in mapper._pk_props)
                if old_key is not None and pk != old_key[1] and None not in pk:
                    # a primary key switch: remembered so a rollback restores the old key
                    identity_map.discard(state)
                    if transaction is not None:
                        previous = transaction._key_switches.get(state)
                        orig = previous[0] if previous is not None else old_key
                        new_key = (old_key[0], pk, old_key[2])
                        transaction._key_switches[state] = (orig, new_key)
                    state.key = (old_key[0], pk, old_key[2])
                    identity_map.replace(state)
            state._commit_all()
            names = expire_after.get(state)
            if names:
                state._expire(names)
            if transaction is not None:
                transaction._dirty[state] = True
        deleted = session._deleted
        for states in self.deletes.values():
            for state, _mapper in states:
                if transaction is not None:
                    transaction._deleted[state] = True
                identity_map.discard(state)
                deleted.pop(state, None)
                state._deleted = True


def _insert_order(state: Any) -> int:
    order = state.insert_order
    return 0 if order is None else order


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
