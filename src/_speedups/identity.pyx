# The identity map: the compiled twin of src/ormcore/_core_py/identity.py (the
# specification; this file mirrors it name for name). Included by core.pyx.
#
# Shape: one dict per (class, token) keyed by the primary-key VALUE (the tuple for a
# composite key), so session.get() and hydration probe without building a key tuple; the
# public (class, pk_tuple, token) keys are built on demand. The dicts hold states, and a
# state is the weak reference to its instance: eviction is the state's weakref callback
# (_state_gone in state.pyx), which removes the entry only if it still holds that state.


@cython.auto_pickle(False)
cdef class IdentityMap:
    """Identity key -> instance, with the set of modified states."""

    cdef public dict _dicts
    cdef public set _modified
    cdef object __weakref__

    def __init__(self):
        # class (identity_token None) or (class, token) -> {pk value: state}
        self._dicts = {}
        self._modified = set()

    # -- internals ---------------------------------------------------------------------------

    cdef dict _dict_for_c(self, object cls, object token, bint create):
        cdef PyObject* found
        where = cls if token is None else (cls, token)
        found = _row_dict_lookup(self._dicts, where)
        if found is not NULL:
            return <dict>found
        if PyErr_Occurred() is not NULL:
            return ormcore_st_propagate()
        if not create:
            return None
        states = {}
        self._dicts[where] = states
        return states

    def _dict_for(self, cls, token, create):
        return self._dict_for_c(cls, token, create)

    cdef object _state_at_c(self, object key):
        cls, pk_tuple, token = key
        states = self._dict_for_c(cls, token, False)
        if states is None:
            return None
        return (<dict>states).get(_im_pk_of(pk_tuple))

    def _state_at(self, key):
        return self._state_at_c(key)

    cpdef int _state_gone(self, InstanceState state) except -1:
        # A state's instance was collected: forget the state, unless its key now belongs to
        # another state.
        cdef PyObject* found
        states = self._dict_for_c(state._key_class, state.identity_token, False)
        if states is not None:
            found = _row_dict_lookup(states, state._key_pk)
            if found is <PyObject*>state:
                del (<dict>states)[state._key_pk]
                self._modified.discard(state)
                state.identity_map = None
            elif found is NULL and PyErr_Occurred() is not NULL:
                return -1
        return 0

    cpdef int _manage_incoming(self, InstanceState state) except -1:
        state.identity_map = self
        if state.modified:
            self._modified.add(state)
        return 0

    cpdef int _manage_removed(self, InstanceState state) except -1:
        state.identity_map = None
        self._modified.discard(state)
        return 0

    # -- lookups -----------------------------------------------------------------------------

    def get_by_pk(self, mapped_class, pk, identity_token=None):
        """The instance for a primary-key value (a tuple for a composite key), or None."""
        cdef PyObject* states
        cdef PyObject* state
        if identity_token is None:
            states = _row_dict_lookup(self._dicts, mapped_class)
        else:
            states = _row_dict_lookup(self._dicts, (mapped_class, identity_token))
        if states is NULL:
            if PyErr_Occurred() is not NULL:
                return ormcore_st_propagate()
            return None
        state = _row_dict_lookup(<object>states, pk)
        if state is NULL:
            if PyErr_Occurred() is not NULL:
                return ormcore_st_propagate()
            return None
        return <object>PyWeakref_GET_OBJECT(<object>state)

    def get(self, key, default=None):
        state = self._state_at_c(key)
        if state is None:
            return default
        obj = <object>PyWeakref_GET_OBJECT(state)
        return default if obj is None else obj

    def __getitem__(self, key):
        state = self._state_at_c(key)
        obj = None if state is None else <object>PyWeakref_GET_OBJECT(state)
        if obj is None:
            raise KeyError(key)
        return obj

    def __contains__(self, key):
        try:
            state = self._state_at_c(key)
        except (TypeError, ValueError):
            return False
        return state is not None and <object>PyWeakref_GET_OBJECT(state) is not None

    def fast_get_state(self, key):
        """The state stored under `key` (its instance may be gone), or None."""
        return self._state_at_c(key)

    def contains_state(self, InstanceState state):
        if state._key_class is None:
            return False
        states = self._dict_for_c(state._key_class, state.identity_token, False)
        return states is not None and (<dict>states).get(state._key_pk) is state

    # -- changes -----------------------------------------------------------------------------

    def add(self, InstanceState state):
        """Enter `state` under its key. False when it is there already; AssertionError when
        another live instance holds the key (a dead one is replaced)."""
        if state._key_class is None:
            raise ValueError("the state has no identity key")
        states = self._dict_for_c(state._key_class, state.identity_token, True)
        existing = (<dict>states).get(state._key_pk)
        if existing is not None:
            if existing is state:
                return False
            if <object>PyWeakref_GET_OBJECT(existing) is not None:
                raise AssertionError(
                    "A conflicting state is already present in the identity map for key "
                    f"{state.key!r}")
            self._manage_removed(<InstanceState>existing)
        (<dict>states)[state._key_pk] = state
        self._manage_incoming(state)
        return True

    def replace(self, InstanceState state):
        """Enter `state` under its key, displacing any other state; returns the displaced."""
        if state._key_class is None:
            raise ValueError("the state has no identity key")
        states = self._dict_for_c(state._key_class, state.identity_token, True)
        existing = (<dict>states).get(state._key_pk)
        if existing is state:
            return None
        if existing is not None:
            self._manage_removed(<InstanceState>existing)
        (<dict>states)[state._key_pk] = state
        self._manage_incoming(state)
        return existing

    def discard(self, InstanceState state):
        """Remove `state` if it is the one under its key."""
        if state._key_class is None:
            return
        states = self._dict_for_c(state._key_class, state.identity_token, False)
        if states is not None and (<dict>states).get(state._key_pk) is state:
            del (<dict>states)[state._key_pk]
            self._manage_removed(state)

    def remove(self, InstanceState state):
        """Remove `state`; KeyError when it is not the one under its key."""
        states = None
        if state._key_class is not None:
            states = self._dict_for_c(state._key_class, state.identity_token, False)
        if states is None or (<dict>states).get(state._key_pk) is not state:
            raise KeyError(state.key)
        del (<dict>states)[state._key_pk]
        self._manage_removed(state)

    def check_modified(self):
        """True when some state in the map has changes."""
        return bool(self._modified)

    # -- whole-map views ---------------------------------------------------------------------

    def all_states(self):
        return [state for states in self._dicts.values() for state in (<dict>states).values()]

    def keys(self):
        return [(<InstanceState>state).key for state in self.all_states()]

    def values(self):
        result = []
        for state in self.all_states():
            obj = <object>PyWeakref_GET_OBJECT(state)
            if obj is not None:
                result.append(obj)
        return result

    def items(self):
        result = []
        for state in self.all_states():
            obj = <object>PyWeakref_GET_OBJECT(state)
            if obj is not None:
                result.append(((<InstanceState>state).key, obj))
        return result

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        cdef Py_ssize_t n = 0
        for states in self._dicts.values():
            n += len(<dict>states)
        return n

    def __bool__(self):
        for states in self._dicts.values():
            if states:
                return True
        return False

    def clear(self):
        """Forget every state (the session's expunge_all)."""
        for state in self.all_states():
            (<InstanceState>state).identity_map = None
        self._dicts.clear()
        self._modified.clear()


cdef inline object _im_pk_of(object pk_tuple):
    pk_tuple = tuple(pk_tuple)
    return pk_tuple[0] if len(<tuple>pk_tuple) == 1 else pk_tuple
