"""Per-instance ORM state: the InstanceState every mapped instance carries in its __dict__.

The state is the data the identity map, attribute history and hydration share: the identity
key, the committed (pre-change) values, the expired attributes, the modified flag and the
strong reference that keeps a modified instance alive. The Session, mapper and unit of work
(ormcore.orm) drive it through the small API below; this module is the specification that
the compiled core (src/_speedups/state.pyx) mirrors name for name.

The state IS the weak reference to its instance (a weakref.ref subclass): `state()` and
`state.obj()` return the instance, or None once it is gone. One object per instance instead
of two (state + weakref) halves the GC-tracked allocations hydration makes per row.
"""

from __future__ import annotations

import enum
import weakref
from typing import Any
from typing import Iterable
from typing import Optional

STATE_KEY = "_sa_instance_state"


class LoaderCallableStatus(enum.Enum):
    """Symbols of attribute loading, named as SQLAlchemy's (sqlalchemy.orm.base)."""

    PASSIVE_NO_RESULT = 0
    PASSIVE_CLASS_MISMATCH = 1
    ATTR_WAS_SET = 2
    ATTR_EMPTY = 3
    NO_VALUE = 4
    NEVER_SET = 4  # an alias of NO_VALUE, as in SQLAlchemy


NO_VALUE = LoaderCallableStatus.NO_VALUE


def _state_gone(state: "InstanceState") -> None:
    # The weak reference's callback: the instance was garbage collected.
    identity_map = state.identity_map
    if identity_map is not None:
        identity_map._state_gone(state)


class InstanceState(weakref.ref):
    """The ORM's bookkeeping for one mapped instance; a weak reference to it.

    `InstanceState(obj, manager)` does not attach itself: the caller stores it in the
    instance's __dict__ under "_sa_instance_state" (hydration does so itself).

    `expired` is SQLAlchemy's flag: True from an expiry of the whole instance until loaded
    values are next committed; expiring some attributes only lists them in
    `_expired_attributes`.
    """

    __slots__ = (
        "class_",
        "manager",
        "_key_class",
        "_key_pk",
        "identity_token",
        "session_id",
        "_committed_state",
        "_expired_attributes",
        "modified",
        "deleted",
        "expired",
        "_strong_obj",
        "identity_map",
        "callables",
        "load_options",
        "insert_order",
    )

    def __new__(cls, obj: Any, manager: Any = None) -> "InstanceState":
        self = weakref.ref.__new__(cls, obj, _state_gone)
        self.class_ = type(obj)
        self.manager = manager
        self._key_class = None
        self._key_pk = None
        self.identity_token = None
        self.session_id = None
        self._committed_state = None
        self._expired_attributes = None
        self.modified = False
        self.deleted = False
        self.expired = False
        self._strong_obj = None
        self.identity_map = None
        self.callables = None
        self.load_options = None
        self.insert_order = None
        return self

    def __init__(self, obj: Any, manager: Any = None) -> None:
        super().__init__(obj, _state_gone)

    # A state is equal only to itself (weakref.ref compares referents).
    __hash__ = object.__hash__

    def __eq__(self, other: object) -> bool:
        return self is other

    def __ne__(self, other: object) -> bool:
        return self is not other

    def __repr__(self) -> str:
        return f"<InstanceState of {self.class_.__name__} at {id(self):#x}>"

    # -- fields built on demand --------------------------------------------------------------

    @property
    def obj(self) -> "InstanceState":
        """The weak reference to the instance (the state itself): `state.obj()`."""
        return self

    @property
    def key(self) -> Optional[tuple]:
        """The identity key `(class, pk_tuple, identity_token)`, or None (built on demand)."""
        if self._key_class is None:
            return None
        pk = self._key_pk
        return (self._key_class, pk if type(pk) is tuple else (pk,), self.identity_token)

    @key.setter
    def key(self, key: Optional[tuple]) -> None:
        if key is None:
            self._key_class = None
            self._key_pk = None
            self.identity_token = None
            return
        cls, pk, token = key
        pk = tuple(pk)
        self._key_pk = pk[0] if len(pk) == 1 else pk
        self._key_class = cls
        self.identity_token = token

    @property
    def has_identity(self) -> bool:
        return self._key_class is not None

    @property
    def committed_state(self) -> dict:
        """Attribute name -> value before the first change since load/flush (NO_VALUE:
        the attribute was not loaded). `_committed_state` is the same dict, or None while
        no value is recorded: a commit, or committing the last recorded key, drops it."""
        if self._committed_state is None:
            self._committed_state = {}
        return self._committed_state

    @property
    def expired_attributes(self) -> set:
        if self._expired_attributes is None:
            self._expired_attributes = set()
        return self._expired_attributes

    @property
    def dict(self) -> dict:
        """The instance's __dict__ (an empty dict once the instance is gone)."""
        obj = self()
        return {} if obj is None else obj.__dict__

    # -- the hot operations ------------------------------------------------------------------

    def _modified_event(self, key: str, previous: Any) -> None:
        """Record that attribute `key` is about to change from `previous` (NO_VALUE when it
        was not loaded): keep the committed value once, flag the state modified, enter the
        modified set and hold the instance strongly."""
        committed = self._committed_state
        if committed is None:
            self._committed_state = committed = {}
        if key not in committed:
            committed[key] = previous
        if not self.modified:
            self.modified = True
            if self.identity_map is not None:
                self.identity_map._modified.add(self)
        if self._strong_obj is None and (
            self.session_id is not None or self.identity_map is not None
        ):
            self._strong_obj = self()

    def _commit_all(self) -> None:
        """After a flush or refresh: everything loaded is now the committed state."""
        _drop_committed(self)
        self.expired = False
        if self._expired_attributes:
            obj = self()
            if obj is not None:
                self._expired_attributes.difference_update(obj.__dict__)
        if self.modified and self.identity_map is not None:
            self.identity_map._modified.discard(self)
        self.modified = False
        self._strong_obj = None

    def _commit(self, keys: Iterable[str]) -> None:
        """Commit only `keys` (loaded into an existing instance, or refreshed)."""
        keys = list(keys)
        self.expired = False
        committed = self._committed_state
        if committed:
            for key in keys:
                committed.pop(key, None)
            if not committed:
                self._committed_state = None
        if self._expired_attributes:
            obj = self()
            if obj is not None:
                values = obj.__dict__
                self._expired_attributes.difference_update(
                    [key for key in keys if key in values])

    def _expire(self, attribute_names: Optional[Iterable[str]] = None) -> None:
        """Remove values from the instance and mark them expired: all mapped attributes
        (which also discards the pending changes) or only `attribute_names`."""
        obj = self()
        if attribute_names is None:
            names = _mapped_names(self.class_, self.manager)
            self.expired = True
            _drop_committed(self)
            if self.modified and self.identity_map is not None:
                self.identity_map._modified.discard(self)
            self.modified = False
            self._strong_obj = None
        else:
            names = list(attribute_names)
            committed = self._committed_state
            if committed:
                for key in names:
                    committed.pop(key, None)
                if not committed:
                    self._committed_state = None
        if obj is not None:
            values = obj.__dict__
            for key in names:
                values.pop(key, None)
        if self._expired_attributes is None:
            self._expired_attributes = set(names)
        else:
            self._expired_attributes.update(names)


def _drop_committed(state: InstanceState) -> None:
    # No committed values: _committed_state is None again (the dict is cleared first, so
    # that a reader still holding it sees it empty).
    if state._committed_state:
        state._committed_state.clear()
    state._committed_state = None


def _mapped_names(cls: type, manager: Any) -> tuple:
    # The manager's own list when it offers one (set at mapping time); else the class's
    # AttributeDescriptor attributes, through the MRO.
    names = getattr(manager, "_attribute_names", None) if manager is not None else None
    if names is not None:
        return tuple(names)
    from .history import AttributeDescriptor

    found = []
    seen = set()
    for klass in cls.__mro__:
        for name, value in vars(klass).items():
            if name not in seen:
                seen.add(name)
                if isinstance(value, AttributeDescriptor):
                    found.append(name)
    return tuple(found)
