"""The ORM's InstanceState: the compiled core's per-instance state plus what users inspect.

The core (ormcore._core.InstanceState) holds the data and the hot operations; this subclass
adds SQLAlchemy's public view of it: the lifecycle states (transient, pending, persistent,
deleted, detached), `session`, `attrs[...]` with history / value / loaded_value, `unloaded`,
`identity`. It adds no fields (hydration creates it without calling __init__), only
properties over the core's.

The Session registers itself in `_sessions` under its `hash_key` and sets `state.session_id`;
a state is attached when its session_id names a live session. The Session also installs
`_attribute_loader`, which loads expired / unloaded attributes of persistent instances.
"""

from __future__ import annotations

import weakref
from typing import Any
from typing import Callable
from typing import Iterator
from typing import Optional

from .._core import InstanceState as _CoreInstanceState
from .._core import get_history
from .base import NO_VALUE

# session hash_key -> Session: the Session module's registry (sqlalchemy.orm.session._sessions),
# found on first use (session.py imports this module, so not at import time)
_sessions: Any = None


def _session_registry() -> Any:
    global _sessions
    if _sessions is None:
        try:
            from .session import _sessions as registry
        except ImportError:
            registry = weakref.WeakValueDictionary()
        _sessions = registry
    return _sessions

# (state, attribute names, session) -> None: loads the named attributes of a persistent
# instance from the database into its __dict__. Installed by the Session's loading code.
_attribute_loader: Optional[Callable[[Any, Any, Any], None]] = None

# the core's own `deleted` flag (the lifecycle property below takes the public name)
_core_deleted = _CoreInstanceState.__dict__["deleted"]


class InstanceState(_CoreInstanceState):
    """Tracks state information at the instance level (what `inspect(obj)` returns)."""

    __slots__ = ()

    is_instance = True
    is_mapper = False

    # -- the core's flag under SQLAlchemy's private name ------------------------------------

    @property
    def _deleted(self) -> bool:
        """Marked deleted by a flush (the lifecycle `deleted` also needs a session)."""
        return _core_deleted.__get__(self)

    @_deleted.setter
    def _deleted(self, value: bool) -> None:
        _core_deleted.__set__(self, bool(value))

    # -- lifecycle ---------------------------------------------------------------------------

    # (the lifecycle properties ask has_identity, not key: the key is a tuple built per read)

    @property
    def _attached(self) -> bool:
        session_id = self.session_id
        return session_id is not None and session_id in (_sessions or _session_registry())

    @property
    def transient(self) -> bool:
        """Not in a session and without a database identity."""
        return not self.has_identity and not self._attached

    @property
    def pending(self) -> bool:
        """Added to a session, not yet flushed."""
        return not self.has_identity and self._attached

    @property
    def persistent(self) -> bool:
        """In a session, with a database identity, not deleted."""
        return self.has_identity and self._attached and not self._deleted

    @property
    def deleted(self) -> bool:
        """Deleted in a flush whose transaction has not ended."""
        return self.has_identity and self._attached and self._deleted

    @deleted.setter
    def deleted(self, value: bool) -> None:
        # the core's own writes of its flag (the pure twin sets it through the attribute)
        _core_deleted.__set__(self, bool(value))

    @property
    def was_deleted(self) -> bool:
        """Deleted by a flush, and not restored by a rollback (stays True once detached)."""
        return _core_deleted.__get__(self)

    @property
    def detached(self) -> bool:
        """With a database identity, in no session."""
        return self.has_identity and not self._attached

    @property
    def session(self) -> Any:
        """The Session this instance is in, or None."""
        session_id = self.session_id
        if session_id is None:
            return None
        session = (_sessions or _session_registry()).get(session_id)
        if session is None:
            return None
        return session

    @property
    def async_session(self) -> Any:
        return None

    # -- identity ----------------------------------------------------------------------------

    @property
    def identity(self) -> Optional[tuple]:
        """The primary key tuple, or None without an identity."""
        key = self.key
        return None if key is None else key[1]

    @property
    def identity_key(self) -> Optional[tuple]:
        """`(class, pk_tuple, identity_token)`, or None."""
        return self.key

    @property
    def object(self) -> Any:
        """The instance, or None once it has been garbage collected."""
        return self()

    @property
    def mapper(self) -> Any:
        return self.manager.mapper

    # -- attributes --------------------------------------------------------------------------

    @property
    def attrs(self) -> "_AttributeStates":
        """`attrs.name` / `attrs["name"]`: an AttributeState per mapped attribute."""
        return _AttributeStates(self)

    @property
    def unloaded(self) -> set:
        """Mapped attribute keys with no loaded value."""
        values = self.dict
        return {key for key in self.manager.mapper.attrs.keys() if key not in values}

    @property
    def unloaded_expirable(self) -> set:
        return self.unloaded

    # (these read _committed_state / _expired_attributes, which are None when empty: the
    # public committed_state / expired_attributes would create them for every inspection)

    @property
    def unmodified(self) -> set:
        """Mapped attribute keys with no uncommitted change."""
        committed = self._committed_state or ()
        return {key for key in self.manager.mapper.attrs.keys() if key not in committed}

    def unmodified_intersection(self, keys: Any) -> set:
        committed = self._committed_state or ()
        return {key for key in keys if key not in committed}

    @property
    def _instance_dict(self) -> Any:
        return weakref.ref(self.dict)

    def _load_expired_keys(self, keys: Any) -> None:
        """Load `keys` (expired or unloaded) through the session; the Session provides the
        loader."""
        from . import exc

        session = self.session
        if session is None:
            from .base import state_str

            raise exc.DetachedInstanceError(
                f"Instance {state_str(self)} is not bound to a Session; attribute refresh "
                "operation cannot proceed"
            )
        if _attribute_loader is None:
            from .. import exc as sa_exc

            raise sa_exc.InvalidRequestError("no attribute loader is installed")
        _attribute_loader(self, keys, session)


class AttributeState:
    """The state of one mapped attribute of one instance (`inspect(obj).attrs.name`)."""

    __slots__ = ("state", "key")

    def __init__(self, state: InstanceState, key: str) -> None:
        self.state = state
        self.key = key

    @property
    def loaded_value(self) -> Any:
        """The value in the instance, NO_VALUE when not loaded; never loads."""
        return self.state.dict.get(self.key, NO_VALUE)

    @property
    def value(self) -> Any:
        """The value, loading it when needed (as getattr)."""
        return getattr(self.state(), self.key)

    @property
    def history(self) -> Any:
        """History(added, unchanged, deleted) of the attribute, without loading."""
        return get_history(self.state, self.key)

    def load_history(self) -> Any:
        """As `history`, loading the value first when it is unloaded."""
        self.value
        return get_history(self.state, self.key)


class _AttributeStates:
    """The `attrs` collection of an InstanceState, keyed as the mapper's attributes."""

    __slots__ = ("_state", "_keys")

    def __init__(self, state: InstanceState) -> None:
        self._state = state
        self._keys = state.manager.mapper.attrs.keys()

    def __getitem__(self, key: str) -> AttributeState:
        if key not in self._keys:
            raise KeyError(key)
        return AttributeState(self._state, key)

    def __getattr__(self, key: str) -> AttributeState:
        if key.startswith("__") or key not in self._keys:
            raise AttributeError(key)
        return AttributeState(self._state, key)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[AttributeState]:
        return (AttributeState(self._state, key) for key in self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def keys(self) -> list:
        return list(self._keys)

    def values(self) -> list:
        return list(self)

    def items(self) -> list:
        return [(key, AttributeState(self._state, key)) for key in self._keys]


__all__ = ["AttributeState", "InstanceState"]
