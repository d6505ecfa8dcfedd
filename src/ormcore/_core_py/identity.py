"""The identity map: identity key -> instance, weak for clean instances, plus the modified set.

Keys are SQLAlchemy identity keys `(mapped_class, pk_tuple, identity_token)`. Internally the
map keeps one dict per (class, token) keyed by the primary-key VALUE for a single-column key
(the tuple for a composite one): session.get() and hydration probe it with `get_by_pk`
without building a key tuple per row; the public keys are built on demand.

The map holds states; a state is a weak reference to its instance, so a clean instance the
user drops disappears (the state's weakref callback evicts it, unless a newer state has taken
its key meanwhile). A modified state holds its instance strongly (state._strong_obj) and sits
in `_modified`, the set a flush walks instead of scanning clean objects.

This is the specification of src/_speedups/identity.pyx.
"""

from __future__ import annotations

from typing import Any
from typing import Iterator
from typing import Optional

from .state import InstanceState


def _pk_of(pk_tuple: Any) -> Any:
    pk_tuple = tuple(pk_tuple)
    return pk_tuple[0] if len(pk_tuple) == 1 else pk_tuple


class IdentityMap:
    """Identity key -> instance, with the set of modified states."""

    __slots__ = ("_tables", "_modified", "__weakref__")

    def __init__(self) -> None:
        # class (identity_token None) or (class, token) -> {pk value: state}; a table, once
        # made, stays (emptied by clear()), so a RowLoader may keep the one it fills
        self._tables: dict = {}
        self._modified: set = set()

    # -- internals ---------------------------------------------------------------------------

    def _table_for(self, cls: type, token: Any, create: bool) -> Optional[dict]:
        where = cls if token is None else (cls, token)
        found = self._tables.get(where)
        if found is None and create:
            self._tables[where] = found = {}
        return found

    def _state_at(self, key: tuple) -> Optional[InstanceState]:
        cls, pk_tuple, token = key
        states = self._table_for(cls, token, False)
        if states is None:
            return None
        return states.get(_pk_of(pk_tuple))

    def _state_gone(self, state: InstanceState) -> None:
        # A state's instance was collected: forget the state, unless its key now belongs to
        # another state.
        states = self._table_for(state._key_class, state.identity_token, False)
        if states is not None and states.get(state._key_pk) is state:
            del states[state._key_pk]
            self._modified.discard(state)
            state.identity_map = None

    def _manage_incoming(self, state: InstanceState) -> None:
        state.identity_map = self
        if state.modified:
            self._modified.add(state)

    def _manage_removed(self, state: InstanceState) -> None:
        state.identity_map = None
        self._modified.discard(state)

    # -- lookups -----------------------------------------------------------------------------

    def get_by_pk(self, mapped_class: type, pk: Any, identity_token: Any = None) -> Any:
        """The instance for a primary-key value (a tuple for a composite key), or None."""
        states = self._tables.get(
            mapped_class if identity_token is None else (mapped_class, identity_token))
        if states is None:
            return None
        state = states.get(pk)
        if state is None:
            return None
        return state()

    def get(self, key: tuple, default: Any = None) -> Any:
        state = self._state_at(key)
        if state is None:
            return default
        obj = state()
        return default if obj is None else obj

    def __getitem__(self, key: tuple) -> Any:
        state = self._state_at(key)
        obj = None if state is None else state()
        if obj is None:
            raise KeyError(key)
        return obj

    def __contains__(self, key: object) -> bool:
        try:
            state = self._state_at(key)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return False
        return state is not None and state() is not None

    def fast_get_state(self, key: tuple) -> Optional[InstanceState]:
        """The state stored under `key` (its instance may be gone), or None."""
        return self._state_at(key)

    def contains_state(self, state: InstanceState) -> bool:
        if state._key_class is None:
            return False
        states = self._table_for(state._key_class, state.identity_token, False)
        return states is not None and states.get(state._key_pk) is state

    # -- changes -----------------------------------------------------------------------------

    def add(self, state: InstanceState) -> bool:
        """Enter `state` under its key. False when it is there already; AssertionError when
        another live instance holds the key (a dead one is replaced)."""
        if state._key_class is None:
            raise ValueError("the state has no identity key")
        states = self._table_for(state._key_class, state.identity_token, True)
        existing = states.get(state._key_pk)
        if existing is not None:
            if existing is state:
                return False
            if existing() is not None:
                raise AssertionError(
                    "A conflicting state is already present in the identity map for key "
                    f"{state.key!r}")
            self._manage_removed(existing)
        states[state._key_pk] = state
        self._manage_incoming(state)
        return True

    def replace(self, state: InstanceState) -> Optional[InstanceState]:
        """Enter `state` under its key, displacing any other state; returns the displaced."""
        if state._key_class is None:
            raise ValueError("the state has no identity key")
        states = self._table_for(state._key_class, state.identity_token, True)
        existing = states.get(state._key_pk)
        if existing is state:
            return None
        if existing is not None:
            self._manage_removed(existing)
        states[state._key_pk] = state
        self._manage_incoming(state)
        return existing

    def discard(self, state: InstanceState) -> None:
        """Remove `state` if it is the one under its key."""
        if state._key_class is None:
            return
        states = self._table_for(state._key_class, state.identity_token, False)
        if states is not None and states.get(state._key_pk) is state:
            del states[state._key_pk]
            self._manage_removed(state)

    def remove(self, state: InstanceState) -> None:
        """Remove `state`; KeyError when it is not the one under its key."""
        states = None
        if state._key_class is not None:
            states = self._table_for(state._key_class, state.identity_token, False)
        if states is None or states.get(state._key_pk) is not state:
            raise KeyError(state.key)
        del states[state._key_pk]
        self._manage_removed(state)

    def check_modified(self) -> bool:
        """True when some state in the map has changes."""
        return bool(self._modified)

    # -- whole-map views ---------------------------------------------------------------------

    def all_states(self) -> list:
        return [state for states in self._tables.values() for state in states.values()]

    def keys(self) -> list:
        return [state.key for state in self.all_states()]

    def values(self) -> list:
        return [obj for obj in (state() for state in self.all_states()) if obj is not None]

    def items(self) -> list:
        return [(state.key, obj) for state, obj in
                ((state, state()) for state in self.all_states()) if obj is not None]

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.keys())

    def __len__(self) -> int:
        return sum(len(states) for states in self._tables.values())

    def __bool__(self) -> bool:
        return any(self._tables.values())

    def clear(self) -> None:
        """Forget every state (the session's expunge_all)."""
        for state in self.all_states():
            state.identity_map = None
        for states in self._tables.values():
            states.clear()
        self._modified.clear()
