"""Hydration: turn a batch of DBAPI rows into mapped instances, through the identity map.

One RowLoader is prepared per (mapper, result columns) and loads whole batches: primary key
from its row position(s), identity-map probe by the pk value, and for a new identity an
instance made with `class_.__new__(class_)` (no __init__), its attributes set, an
InstanceState attached and entered in the map. An identity already in the map is returned
as it is, except that attributes it has not loaded (expired or never loaded, and not
changed) are filled from the row; with populate_existing every attribute is overwritten,
pending changes included, and the state committed, as SQLAlchemy does.

This is the specification of src/_speedups/hydrate.pyx.
"""

from __future__ import annotations

import sys
from typing import Any
from typing import Callable
from typing import Iterable
from typing import Optional
from typing import Sequence

from .identity import IdentityMap
from .state import STATE_KEY
from .state import InstanceState


class RowLoader:
    """Rows -> instances of `class_` for one result shape."""

    __slots__ = (
        "class_",
        "manager",
        "identity_map",
        "pk_positions",
        "attr_positions",
        "identity_token",
        "populate_existing",
        "new_instance_hook",
        "identity_class",
        "session_id",
        "state_class",
    )

    def __init__(
        self,
        class_: type,
        manager: Any,
        identity_map: IdentityMap,
        pk_positions: Sequence[int],
        attr_positions: Iterable[tuple],
        identity_token: Any = None,
        populate_existing: bool = False,
        new_instance_hook: Optional[Callable[[InstanceState], Any]] = None,
        identity_class: Optional[type] = None,
        session_id: Any = None,
        state_class: Optional[type] = None,
    ) -> None:
        if not isinstance(class_, type):
            raise TypeError(f"class_ must be a class, not {class_!r}")
        if state_class is None:
            state_class = InstanceState
        elif not issubclass(state_class, InstanceState):
            raise TypeError("state_class must be a subclass of InstanceState")
        self.class_ = class_
        self.manager = manager
        self.identity_map = identity_map
        self.pk_positions = tuple([_position(p) for p in pk_positions])
        if not self.pk_positions:
            raise ValueError("a RowLoader needs at least one primary-key position")
        self.attr_positions = tuple(
            [(sys.intern(str(name)), _position(index)) for name, index in attr_positions])
        self.identity_token = identity_token
        self.populate_existing = bool(populate_existing)
        self.new_instance_hook = new_instance_hook
        self.identity_class = class_ if identity_class is None else identity_class
        self.session_id = session_id
        self.state_class = state_class

    def load(self, rows: Iterable[Sequence[Any]]) -> list:
        """One instance (or None, for a row whose primary key is all NULL) per row."""
        return [self.load_one(row) for row in rows]

    def load_one(self, row: Sequence[Any]) -> Any:
        positions = self.pk_positions
        if len(positions) == 1:
            pk = row[positions[0]]
            if pk is None:
                return None
        else:
            pk = tuple([row[p] for p in positions])
            if all(value is None for value in pk):
                return None
        identity_map = self.identity_map
        states = identity_map._table_for(self.identity_class, self.identity_token, True)
        old = states.get(pk)
        if old is not None:
            obj = old()
            if obj is not None:
                self._populate_existing(old, obj, row)
                return obj
        cls = self.class_
        obj = cls.__new__(cls)
        state = self.state_class(obj, self.manager)
        state._key_class = self.identity_class
        state._key_pk = pk
        state.identity_token = self.identity_token
        state.session_id = self.session_id
        state.identity_map = identity_map
        setter = object.__setattr__
        setter(obj, STATE_KEY, state)
        for name, index in self.attr_positions:
            setter(obj, name, row[index])
        if old is not None:  # a collected instance whose eviction has not run yet
            identity_map._manage_removed(old)
        states[pk] = state
        if self.new_instance_hook is not None:
            self.new_instance_hook(state)
        return obj

    def _populate_existing(self, state: InstanceState, obj: Any, row: Sequence[Any]) -> None:
        values = obj.__dict__
        if self.populate_existing:
            for name, index in self.attr_positions:
                values[name] = row[index]
            state._commit_all()
            return
        # Fill what the instance has not loaded and has not changed.
        committed = state._committed_state or ()
        loaded = []
        for name, index in self.attr_positions:
            if name not in values and name not in committed:
                values[name] = row[index]
                loaded.append(name)
        if loaded:
            state._commit(loaded)


def _position(position: Any) -> int:
    index = int(position)
    if index < 0:
        raise ValueError(f"row positions must not be negative: {position!r}")
    return index
