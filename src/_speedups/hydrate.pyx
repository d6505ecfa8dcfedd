# Hydration: the compiled twin of src/ormcore/_core_py/hydrate.py (the specification; this
# file mirrors it name for name). Included by core.pyx.
#
# Shape of the loop (CPython 3.11, measured on this machine; see benchmarks/orm_core.py):
# - Per row: the pk value read at its position (no key tuple for a one-column key), its
#   hash, one probe of the loader's identity table (kept from __init__: no per-row lookup of
#   the (class, token) table), and for a new identity: the class's tp_new (no __init__), the
#   state (which is also the instance's weak reference) from its tp_new, sharing the
#   loader's _StateCommon (so a state costs four fields: see state.pyx), and every value
#   stored with PyObject_GenericSetAttr. Storing through the generic setter keeps CPython's
#   inline values: no per-instance __dict__ is ever materialized (a dict per row is one more
#   GC-tracked allocation and ~100 more bytes).
# - Bytes per new row beyond the instance itself (tracemalloc, 200k rows): the state 112,
#   the table ~19, the instance's slot for the state 8.
# - GC-tracked allocations per new row: 2 (the instance and its state), plus the pk tuple
#   for composite keys. The cyclic GC is left running: see benchmarks/orm_core.py for the
#   measurement of pausing it.
# - Positions are resolved once, in __init__, into C arrays.

from cpython.mem cimport PyMem_Free
from cpython.mem cimport PyMem_Malloc
from cpython.sequence cimport PySequence_GetItem

import sys as _hy_sys


cdef inline object _hy_item(object row, Py_ssize_t i):
    if PyTuple_CheckExact(row) and i < PyTuple_GET_SIZE(row):
        return <object>PyTuple_GET_ITEM(row, i)
    # not row[i]: with boundscheck off (release builds) Cython would index a tuple unchecked
    return PySequence_GetItem(row, i)


@cython.auto_pickle(False)
cdef class RowLoader:
    """Rows -> instances of `class_` for one result shape."""

    cdef readonly object class_
    cdef readonly object manager
    cdef readonly IdentityMap identity_map
    cdef readonly tuple pk_positions
    cdef readonly tuple attr_positions
    cdef readonly object identity_token
    cdef readonly bint populate_existing
    cdef readonly object new_instance_hook
    cdef readonly object identity_class
    cdef readonly object session_id
    cdef readonly object state_class
    cdef tuple _names
    cdef _StateCommon _common  # what every state this loader makes shares
    cdef _StateTable _table  # the identity map's table for (identity_class, identity_token)
    cdef Py_ssize_t _n_pk
    cdef Py_ssize_t _n_attrs
    cdef Py_ssize_t* _pk_index
    cdef Py_ssize_t* _attr_index

    def __cinit__(self, *args, **kwargs):
        self._pk_index = NULL
        self._attr_index = NULL

    def __dealloc__(self):
        PyMem_Free(self._pk_index)
        PyMem_Free(self._attr_index)

    def __init__(
        self,
        class_,
        manager,
        IdentityMap identity_map not None,
        pk_positions,
        attr_positions,
        identity_token=None,
        populate_existing=False,
        new_instance_hook=None,
        identity_class=None,
        session_id=None,
        state_class=None,
    ):
        cdef Py_ssize_t i
        if not isinstance(class_, type):
            raise TypeError(f"class_ must be a class, not {class_!r}")
        if state_class is None:
            state_class = InstanceState
        elif not issubclass(state_class, InstanceState):
            raise TypeError("state_class must be a subclass of InstanceState")
        self.class_ = class_
        self.manager = manager
        self.identity_map = identity_map
        self.pk_positions = tuple([_hy_position(p) for p in pk_positions])
        if not self.pk_positions:
            raise ValueError("a RowLoader needs at least one primary-key position")
        self.attr_positions = tuple(
            [(_hy_sys.intern(str(name)), _hy_position(index)) for name, index in attr_positions])
        self.identity_token = identity_token
        self.populate_existing = bool(populate_existing)
        self.new_instance_hook = new_instance_hook
        self.identity_class = class_ if identity_class is None else identity_class
        self.session_id = session_id
        self.state_class = state_class

        self._n_pk = len(self.pk_positions)
        self._n_attrs = len(self.attr_positions)
        PyMem_Free(self._pk_index)
        PyMem_Free(self._attr_index)
        self._pk_index = <Py_ssize_t*>PyMem_Malloc(self._n_pk * sizeof(Py_ssize_t))
        self._attr_index = <Py_ssize_t*>PyMem_Malloc((self._n_attrs + 1) * sizeof(Py_ssize_t))
        if self._pk_index is NULL or self._attr_index is NULL:
            raise MemoryError()
        for i in range(self._n_pk):
            self._pk_index[i] = self.pk_positions[i]
        for i in range(self._n_attrs):
            self._attr_index[i] = self.attr_positions[i][1]
        self._names = tuple([name for name, _ in self.attr_positions])
        self._common = _co_new(class_, manager, self.identity_class, identity_token,
                               identity_map)
        self._table = identity_map._table_for_c(self.identity_class, identity_token, True)

    def load(self, rows):
        """One instance (or None, for a row whose primary key is all NULL) per row."""
        cdef list result
        cdef Py_ssize_t i
        if self._pk_index is NULL:
            raise RuntimeError("RowLoader.__init__ was not called")
        if PyList_CheckExact(rows):
            result = []
            i = 0
            while i < PyList_GET_SIZE(rows):  # re-read: a hook may resize the list
                result.append(self._load_row(<object>PyList_GET_ITEM(rows, i)))
                i += 1
            return result
        return [self._load_row(row) for row in rows]

    def load_one(self, row):
        if self._pk_index is NULL:
            raise RuntimeError("RowLoader.__init__ was not called")
        return self._load_row(row)

    cdef object _pk_of_row(self, object row):
        cdef Py_ssize_t i
        cdef bint all_none = True
        if self._n_pk == 1:
            return _hy_item(row, self._pk_index[0])
        pk = PyTuple_New(self._n_pk)
        for i in range(self._n_pk):
            value = _hy_item(row, self._pk_index[i])
            if value is not None:
                all_none = False
            Py_INCREF(value)
            PyTuple_SET_ITEM(pk, i, value)
        return None if all_none else pk

    cdef object _load_row(self, object row):
        cdef InstanceState state
        cdef InstanceState old = None
        cdef Py_ssize_t i, ix, slot
        cdef Py_hash_t h
        cdef size_t version
        cdef PyTypeObject* cls = <PyTypeObject*>self.class_
        cdef _StateTable table = self._table
        pk = self._pk_of_row(row)
        if pk is None:
            return None
        h = _im_hash(pk)
        ix = _tb_find(table, pk, h, &slot)
        if ix >= 0:
            old = _tb_state_at(table, ix)
            obj = <object>PyWeakref_GET_OBJECT(old)
            if obj is not None:
                self._populate_existing(old, obj, row)
                return obj
        version = table._version

        obj = cls.tp_new(<type>self.class_, <PyObject*>_ROW_NO_ARGS, NULL)
        args = (obj, self._common)  # __cinit__ adopts the common given in the manager's place
        state = <InstanceState>(<PyTypeObject*>self.state_class).tp_new(
            <type>self.state_class, <PyObject*>args, NULL)
        state._key_pk = pk
        if self.session_id is not None:
            _st_set_session(state, self.session_id)
        _st_generic_setattr(obj, STATE_KEY, <PyObject*>state)
        for i in range(self._n_attrs):
            value = _hy_item(row, self._attr_index[i])
            _st_generic_setattr(obj, <object>PyTuple_GET_ITEM(self._names, i), <PyObject*>value)
        if old is not None:  # a collected instance whose eviction has not run yet
            self.identity_map._manage_removed(old)
        if table._version != version:  # a GC pass evicted something meanwhile: find again
            _tb_put(table, pk, h, state)
        elif old is not None:
            _tb_replace_at(table, ix, state, h)
        else:
            _tb_insert(table, state, h, slot)
        if self.new_instance_hook is not None:
            self.new_instance_hook(state)
        if ORMCORE_DEBUG:
            assert <object>PyWeakref_GET_OBJECT(state) is obj, "state lost its instance"
        return obj

    cpdef int _populate_existing(self, InstanceState state, object obj, object row) except -1:
        cdef Py_ssize_t i
        cdef list loaded = None
        cdef _StateExtra extra = state._extra
        if self.populate_existing:
            for i in range(self._n_attrs):
                value = _hy_item(row, self._attr_index[i])
                _st_generic_setattr(obj, <object>PyTuple_GET_ITEM(self._names, i),
                                    <PyObject*>value)
            _st_commit_all(state)
            return 0
        # Fill what the instance has not loaded and has not changed.
        for i in range(self._n_attrs):
            name = <object>PyTuple_GET_ITEM(self._names, i)
            if _st_instance_value(obj, name) is _NO_VALUE and (
                extra is None or not _ex_has_committed(extra, name)
            ):
                value = _hy_item(row, self._attr_index[i])
                _st_generic_setattr(obj, name, <PyObject*>value)
                if loaded is None:
                    loaded = []
                loaded.append(name)
        if loaded is not None:
            _st_commit(state, loaded)
        return 0


cdef object _hy_position(object position):
    index = int(position)
    if index < 0:
        raise ValueError(f"row positions must not be negative: {position!r}")
    return index
