# The identity map: the compiled twin of src/ormcore/_core_py/identity.py (the
# specification; this file mirrors its names and behaviour). Included by core.pyx.
#
# Shape: one table per (class, token) keyed by the primary-key VALUE (the tuple for a
# composite key), so session.get() and hydration probe without building a key tuple; the
# public (class, pk_tuple, token) keys are built on demand. The tables hold states, and a
# state is the weak reference to its instance: eviction is the state's weakref callback
# (_state_gone in state.pyx), which removes the entry only if it still holds that state.
#
# The table (_StateTable) is where the twin has a dict {pk: state}, laid out as CPython's
# compact dict minus what a state already holds: a list of the states in insertion order
# and an array of int32 positions into it, probed as a dict probes its indices; no key
# and no hash per entry, since the key is the state's _key_pk and its hash is kept in the
# state's weakref `hash` field. At 200k rows that is 3.6 MB where a dict takes 10.5 MB
# (~19 bytes per loaded row instead of ~52). Same semantics as the dict: insertion order,
# a replaced entry keeps its place, keys compared by hash then identity then ==, and a
# lookup whose == changed the table starts again.

from cpython.list cimport PyList_GET_ITEM
from cpython.list cimport PyList_GET_SIZE
from cpython.list cimport PyList_SET_ITEM
from cpython.mem cimport PyMem_Free
from cpython.mem cimport PyMem_Malloc
from cpython.object cimport Py_EQ
from cpython.ref cimport Py_DECREF
from cpython.ref cimport Py_INCREF
from libc.stdint cimport int32_t

cdef extern from "Python.h":
    Py_hash_t _im_hash "PyObject_Hash" (object obj) except -1
    int _im_equal "PyObject_RichCompareBool" (object a, object b, int op) except -1

cdef enum:
    _TB_EMPTY = -1
    _TB_DUMMY = -2
    _TB_MIN_SIZE = 8
    _TB_MAX_LOG2 = 30  # int32 positions


cdef inline Py_hash_t _st_hash(InstanceState state):
    return (<_st_weakref*><PyObject*>state).hash


cdef inline void _st_set_hash(InstanceState state, Py_hash_t h):
    (<_st_weakref*><PyObject*>state).hash = h


@cython.final
@cython.auto_pickle(False)
@cython.no_gc_clear  # _entries stays a list while the table lives (cycles break elsewhere)
cdef class _StateTable:
    """pk value -> state, for one (class, identity token) of one IdentityMap.

    The collector may still empty _entries (a list in a garbage cycle), so probes treat a
    position past its end as an empty slot, and one holding None as a removed one."""

    cdef list _entries    # the states in insertion order; None where one was removed
    cdef int32_t* _index  # per hash slot: a position in _entries, _TB_EMPTY or _TB_DUMMY
    cdef Py_ssize_t _mask  # hash slots - 1 (a power of two, minus one)
    cdef Py_ssize_t _used  # states held
    cdef size_t _version   # changed by every change of the table

    def __cinit__(self):
        self._entries = []
        self._index = NULL
        _tb_allocate(self, _TB_MIN_SIZE)

    def __dealloc__(self):
        PyMem_Free(self._index)


cdef int _tb_allocate(_StateTable table, Py_ssize_t size) except -1:
    cdef Py_ssize_t i
    cdef int32_t* index = <int32_t*>PyMem_Malloc(size * sizeof(int32_t))
    if index is NULL:
        raise MemoryError()
    for i in range(size):
        index[i] = _TB_EMPTY
    PyMem_Free(table._index)
    table._index = index
    table._mask = size - 1
    return 0


cdef inline Py_ssize_t _tb_usable(_StateTable table):
    # at most 2/3 of the slots in use, as a dict
    return ((table._mask + 1) << 1) // 3


cdef Py_ssize_t _tb_find(_StateTable table, object pk, Py_hash_t h,
                         Py_ssize_t* slot_out) except -2:
    """The position in _entries of the state whose key is `pk`, with *slot_out its hash
    slot; or -1, with *slot_out the slot an insertion of `pk` would take."""
    cdef size_t perturb
    cdef Py_ssize_t i, ix, free
    cdef size_t version
    cdef int equal
    cdef InstanceState state
    while True:  # once, unless a comparison changed the table
        perturb = <size_t>h
        i = <Py_ssize_t>(<size_t>h & <size_t>table._mask)
        free = -1
        version = table._version
        while True:
            ix = table._index[i]
            if ix == _TB_EMPTY:
                slot_out[0] = i if free < 0 else free
                return -1
            if ix == _TB_DUMMY:
                if free < 0:
                    free = i
            elif ix >= PyList_GET_SIZE(table._entries):
                slot_out[0] = i if free < 0 else free
                return -1
            elif PyList_GET_ITEM(table._entries, ix) is <PyObject*>None:
                # only after the collector emptied _entries and it filled again: a stale
                # position, as good as a removed one
                if free < 0:
                    free = i
            else:
                state = <InstanceState>PyList_GET_ITEM(table._entries, ix)
                if _st_hash(state) == h:
                    key = state._key_pk
                    if key is pk:
                        slot_out[0] = i
                        return ix
                    equal = _im_equal(key, pk, Py_EQ)
                    if table._version != version:
                        break
                    if equal:
                        slot_out[0] = i
                        return ix
            perturb >>= 5
            i = <Py_ssize_t>((<size_t>i * 5 + perturb + 1) & <size_t>table._mask)


cdef Py_ssize_t _tb_find_state(_StateTable table, InstanceState state,
                               Py_ssize_t* slot_out):
    """As _tb_find, for this very state: by identity, under the hash it was last filed
    with (the ORM re-keys a state only out of its map, so that is its key's hash)."""
    cdef Py_hash_t h = _st_hash(state)
    cdef size_t perturb = <size_t>h
    cdef Py_ssize_t i = <Py_ssize_t>(<size_t>h & <size_t>table._mask)
    cdef Py_ssize_t ix
    if h == -1:  # never filed
        return -1
    while True:
        ix = table._index[i]
        if ix == _TB_EMPTY:
            return -1
        if (ix >= 0 and ix < PyList_GET_SIZE(table._entries)
                and PyList_GET_ITEM(table._entries, ix) is <PyObject*>state):
            slot_out[0] = i
            return ix
        perturb >>= 5
        i = <Py_ssize_t>((<size_t>i * 5 + perturb + 1) & <size_t>table._mask)


cdef Py_ssize_t _tb_free_slot(_StateTable table, Py_hash_t h):
    # the first empty or dummy slot of h's probe sequence
    cdef size_t perturb = <size_t>h
    cdef Py_ssize_t i = <Py_ssize_t>(<size_t>h & <size_t>table._mask)
    while table._index[i] >= 0:
        perturb >>= 5
        i = <Py_ssize_t>((<size_t>i * 5 + perturb + 1) & <size_t>table._mask)
    return i


cdef int _tb_resize(_StateTable table) except -1:
    # Room for one more state: as a dict grows, to the power of two above 3x the states
    # held; holes left by removals are squeezed out (so a table that lost most of its
    # states shrinks).
    cdef Py_ssize_t size = _TB_MIN_SIZE
    cdef Py_ssize_t want
    cdef int log2 = 3
    cdef list entries = []  # may run the collector, and weakref callbacks may change the table
    cdef Py_ssize_t ix
    for state in table._entries:
        if state is not None:
            entries.append(state)
    # sized for the states gathered (not for _used as it was before the list above existed)
    want = (PyList_GET_SIZE(entries) + 1) * 3
    while size <= want:
        size <<= 1
        log2 += 1
        if log2 > _TB_MAX_LOG2:
            raise MemoryError("an identity map holds at most ~700 million instances of one "
                              "class (its table's positions are 32-bit)")
    _tb_allocate(table, size)
    table._entries = entries
    table._used = PyList_GET_SIZE(entries)
    for ix in range(PyList_GET_SIZE(entries)):
        table._index[_tb_free_slot(table, _st_hash(<InstanceState>PyList_GET_ITEM(entries, ix)))] = <int32_t>ix
    table._version += 1
    return 0


cdef int _tb_insert(_StateTable table, InstanceState state, Py_hash_t h,
                    Py_ssize_t slot) except -1:
    """File `state` under hash `h`; its key must not be in the table. `slot` is the one
    _tb_find gave (valid only while the table has not changed since), or -1."""
    if PyList_GET_SIZE(table._entries) >= _tb_usable(table):
        _tb_resize(table)
        slot = -1
    if slot < 0:
        slot = _tb_free_slot(table, h)
    _st_set_hash(state, h)
    table._index[slot] = <int32_t>PyList_GET_SIZE(table._entries)
    table._entries.append(state)
    table._used += 1
    table._version += 1
    return 0


cdef int _tb_replace_at(_StateTable table, Py_ssize_t ix, InstanceState state,
                        Py_hash_t h) except -1:
    # the entry at `ix` becomes `state`, keeping its place (as a dict keeps a key's)
    old = <object>PyList_GET_ITEM(table._entries, ix)  # released after the table is whole
    _st_set_hash(state, h)
    Py_INCREF(state)
    PyList_SET_ITEM(table._entries, ix, state)
    Py_DECREF(old)
    table._version += 1
    return 0


cdef int _tb_put(_StateTable table, object pk, Py_hash_t h, InstanceState state) except -1:
    """table[pk] = state."""
    cdef Py_ssize_t slot
    cdef Py_ssize_t ix = _tb_find(table, pk, h, &slot)
    if ix >= 0:
        return _tb_replace_at(table, ix, state, h)
    return _tb_insert(table, state, h, slot)


cdef int _tb_delete(_StateTable table, Py_ssize_t slot, Py_ssize_t ix) except -1:
    old = <object>PyList_GET_ITEM(table._entries, ix)  # released after the table is whole
    table._index[slot] = _TB_DUMMY
    Py_INCREF(None)
    PyList_SET_ITEM(table._entries, ix, None)
    Py_DECREF(old)
    table._used -= 1
    table._version += 1
    return 0


cdef int _tb_clear(_StateTable table) except -1:
    states = table._entries  # released after the table is whole
    table._entries = []
    _tb_allocate(table, _TB_MIN_SIZE)
    table._used = 0
    table._version += 1
    return 0


cdef InstanceState _tb_state_at(_StateTable table, Py_ssize_t ix):
    return <InstanceState>PyList_GET_ITEM(table._entries, ix)


@cython.auto_pickle(False)
cdef class IdentityMap:
    """Identity key -> instance, with the set of modified states."""

    cdef readonly dict _tables
    cdef public set _modified
    cdef object __weakref__

    def __init__(self):
        # class (identity_token None) or (class, token) -> its table; a table, once made,
        # stays (emptied by clear()), so a RowLoader may keep the one it fills
        self._tables = {}
        self._modified = set()

    # -- internals ---------------------------------------------------------------------------

    cdef _StateTable _table_for_c(self, object cls, object token, bint create):
        cdef PyObject* found
        where = cls if token is None else (cls, token)
        found = _row_dict_lookup(self._tables, where)
        if found is not NULL:
            return <_StateTable>found
        if PyErr_Occurred() is not NULL:
            return ormcore_st_propagate()
        if not create:
            return None
        table = _StateTable.__new__(_StateTable)
        self._tables[where] = table
        return table

    def _table_for(self, cls, token, create):
        return self._table_for_c(cls, token, create)

    cdef InstanceState _state_at_c(self, object key):
        cdef Py_ssize_t slot, ix
        cdef _StateTable table
        cls, pk_tuple, token = key
        table = self._table_for_c(cls, token, False)
        if table is None:
            return None
        pk = _im_pk_of(pk_tuple)
        ix = _tb_find(table, pk, _im_hash(pk), &slot)
        return None if ix < 0 else _tb_state_at(table, ix)

    def _state_at(self, key):
        return self._state_at_c(key)

    cpdef int _state_gone(self, InstanceState state) except -1:
        # A state's instance was collected: forget the state, unless its key now belongs to
        # another state.
        cdef Py_ssize_t slot, ix
        cdef _StateTable table = self._filed_table(state)
        if table is not None:
            ix = _tb_find_state(table, state, &slot)
            if ix >= 0:
                _tb_delete(table, slot, ix)
                self._modified.discard(state)
                _st_set_common(state, _CO_MAP, None)
        return 0

    cpdef int _manage_incoming(self, InstanceState state) except -1:
        _st_set_common(state, _CO_MAP, self)
        if _st_flag(state, _EX_MODIFIED):
            self._modified.add(state)
        return 0

    cpdef int _manage_removed(self, InstanceState state) except -1:
        _st_set_common(state, _CO_MAP, None)
        self._modified.discard(state)
        return 0

    cdef _StateTable _keyed_table(self, InstanceState state, bint create):
        if state._common.key_class is None:
            raise ValueError("the state has no identity key")
        return self._table_for_c(state._common.key_class, state._common.identity_token, create)

    cdef _StateTable _filed_table(self, InstanceState state):
        # the table `state` would be filed in, if it has a key and the table exists
        if state._common.key_class is None:
            return None
        return self._table_for_c(state._common.key_class, state._common.identity_token, False)

    # -- lookups -----------------------------------------------------------------------------

    def get_by_pk(self, mapped_class, pk, identity_token=None):
        """The instance for a primary-key value (a tuple for a composite key), or None."""
        cdef PyObject* found
        cdef Py_ssize_t slot, ix
        cdef _StateTable table
        if identity_token is None:
            found = _row_dict_lookup(self._tables, mapped_class)
        else:
            found = _row_dict_lookup(self._tables, (mapped_class, identity_token))
        if found is NULL:
            if PyErr_Occurred() is not NULL:
                return ormcore_st_propagate()
            return None
        table = <_StateTable>found
        ix = _tb_find(table, pk, _im_hash(pk), &slot)
        if ix < 0:
            return None
        return <object>PyWeakref_GET_OBJECT(_tb_state_at(table, ix))

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
        cdef Py_ssize_t slot
        cdef _StateTable table = self._filed_table(state)
        return table is not None and _tb_find_state(table, state, &slot) >= 0

    # -- changes -----------------------------------------------------------------------------

    def add(self, InstanceState state):
        """Enter `state` under its key. False when it is there already; AssertionError when
        another live instance holds the key (a dead one is replaced)."""
        cdef Py_ssize_t slot, ix
        cdef Py_hash_t h
        cdef _StateTable table = self._keyed_table(state, True)
        pk = state._key_pk
        h = _im_hash(pk)
        ix = _tb_find(table, pk, h, &slot)
        if ix >= 0:
            existing = _tb_state_at(table, ix)
            if existing is state:
                return False
            if <object>PyWeakref_GET_OBJECT(existing) is not None:
                raise AssertionError(
                    "A conflicting state is already present in the identity map for key "
                    f"{state.key!r}")
            self._manage_removed(existing)
        _tb_put(table, pk, h, state)  # finds again: the map may have changed meanwhile
        self._manage_incoming(state)
        return True

    def replace(self, InstanceState state):
        """Enter `state` under its key, displacing any other state; returns the displaced."""
        cdef Py_ssize_t slot, ix
        cdef Py_hash_t h
        cdef _StateTable table = self._keyed_table(state, True)
        pk = state._key_pk
        h = _im_hash(pk)
        ix = _tb_find(table, pk, h, &slot)
        existing = None if ix < 0 else _tb_state_at(table, ix)
        if existing is state:
            return None
        if existing is not None:
            self._manage_removed(existing)
        _tb_put(table, pk, h, state)
        self._manage_incoming(state)
        return existing

    def discard(self, InstanceState state):
        """Remove `state` if it is the one under its key."""
        cdef Py_ssize_t slot, ix = -1
        cdef _StateTable table = self._filed_table(state)
        if table is not None:
            ix = _tb_find_state(table, state, &slot)
        if ix >= 0:
            _tb_delete(table, slot, ix)
            self._manage_removed(state)

    def remove(self, InstanceState state):
        """Remove `state`; KeyError when it is not the one under its key."""
        cdef Py_ssize_t slot, ix = -1
        cdef _StateTable table = self._filed_table(state)
        if table is not None:
            ix = _tb_find_state(table, state, &slot)
        if ix < 0:
            raise KeyError(state.key)
        _tb_delete(table, slot, ix)
        self._manage_removed(state)

    def check_modified(self):
        """True when some state in the map has changes."""
        return bool(self._modified)

    # -- whole-map views ---------------------------------------------------------------------

    def all_states(self):
        result = []
        for table in self._tables.values():
            for state in (<_StateTable>table)._entries:
                if state is not None:
                    result.append(state)
        return result

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
        for table in self._tables.values():
            n += (<_StateTable>table)._used
        return n

    def __bool__(self):
        for table in self._tables.values():
            if (<_StateTable>table)._used:
                return True
        return False

    def clear(self):
        """Forget every state (the session's expunge_all)."""
        for state in self.all_states():
            _st_set_common(<InstanceState>state, _CO_MAP, None)
        for table in self._tables.values():
            _tb_clear(<_StateTable>table)
        self._modified.clear()


cdef inline object _im_pk_of(object pk_tuple):
    pk_tuple = tuple(pk_tuple)
    return pk_tuple[0] if len(<tuple>pk_tuple) == 1 else pk_tuple
