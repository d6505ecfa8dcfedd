# Result rows: the compiled twin of src/ormcore/_core_py/row.py. That file is the
# specification; this one mirrors it name for name. Included by core.pyx.
#
# Shape of the hot paths (CPython 3.11, measured on this machine):
# - make_rows and RowIterator build each row with the row class's own tp_new and fill the
#   three fields in C: no argument tuple, no __init__ call. They do so only when the class
#   inherits BaseRow's __new__ and __init__; any other class is called as the twin calls it.
# - With no processors the driver's tuple becomes the row's data (the twin's tuple(data)
#   returns that same tuple). Processors run in one C loop over a tuple of callables-or-None.
# - Attribute access (row.name): CPython gives a Python subclass that inherits a __getattr__
#   a generic slot that first runs the normal lookup, which builds an AttributeError with a
#   formatted message (~550 ns) before __getattr__ is tried. _row_getattro asks the type
#   first: a slots-only row whose class defines no such name cannot have it, so it goes
#   straight to the keys (~50 ns). Subclasses adopt it when they are safe to (see
#   _row_adopt_fast_getattr); the lookup order stays the twin's.
# - Cyclic GC: every row is a GC-tracked object, and with 200k rows kept in a list the
#   collector's passes over them cost 5-10x the loop itself (make_rows of 200k rows: 400-700
#   ns/row with the GC on, the more so the more objects are alive; ~70 with it off). Pausing
#   the GC for the batch only moves that cost to the allocations that follow. So a
#   row whose values are all atomic (none is a tracked container: ints, strs, floats, None,
#   Decimals, datetimes, ...) and whose class adds no slots and no __dict__ is untracked, as
#   CPython untracks such a tuple: it cannot be part of a reference cycle PROVIDED that its
#   parent and key_to_index never reach a row. That is the contract for callers: a parent
#   (result metadata) must not reference its result or its rows. See _row_settle_gc.

cimport cython
from cpython.dict cimport PyDict_CheckExact
from cpython.dict cimport PyDict_DelItem
from cpython.exc cimport PyErr_Clear
from cpython.exc cimport PyErr_ExceptionMatches
from cpython.exc cimport PyErr_Occurred
from cpython.list cimport PyList_CheckExact
from cpython.list cimport PyList_GET_ITEM
from cpython.list cimport PyList_GET_SIZE
from cpython.list cimport PyList_New
from cpython.list cimport PyList_SET_ITEM
from cpython.long cimport PyLong_CheckExact
from cpython.object cimport PyObject
from cpython.object cimport PyTypeObject
from cpython.object cimport Py_TYPE
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_CheckExact
from cpython.tuple cimport PyTuple_GET_ITEM
from cpython.tuple cimport PyTuple_GET_SIZE
from cpython.tuple cimport PyTuple_New
from cpython.tuple cimport PyTuple_SET_ITEM
from cpython.type cimport PyType_Check
from cpython.type cimport PyType_IsSubtype
from cpython.type cimport PyType_Modified
from cpython.unicode cimport PyUnicode_CheckExact


cdef extern from "Python.h":
    # Declared here without an exception clause: the callers check for NULL themselves.
    PyObject* _PyType_Lookup(PyTypeObject* type, object name)
    PyObject* _row_dict_lookup "PyDict_GetItemWithError" (object mapping, object key)
    PyObject* _row_generic_getattr "PyObject_GenericGetAttr" (object obj, object name)
    Py_ssize_t _row_as_ssize "PyLong_AsSsize_t" (object value)
    ctypedef object (*getattrofunc)(object, object)
    bint PyObject_IS_GC(PyObject* obj)
    bint PyObject_GC_IsTracked(PyObject* obj)
    void PyObject_GC_Track(PyObject* obj)
    void PyObject_GC_UnTrack(PyObject* obj)

cdef extern from *:
    """
    /* Return NULL to Cython code with the current exception left set: it propagates it. */
    static PyObject *ormcore_row_propagate(void) { return NULL; }
    /* Hand an owned reference to Cython code. */
    static PyObject *ormcore_row_steal(PyObject *obj) { return obj; }

    static int ormcore_row_plain_slots(PyTypeObject *cls, PyTypeObject *base) {
        return cls->tp_new == base->tp_new && cls->tp_init == base->tp_init;
    }
    /* Instances hold nothing but BaseRow's fields: no added slots, no __dict__. */
    static int ormcore_row_fields_only(PyTypeObject *cls, PyTypeObject *base) {
        return cls->tp_basicsize == base->tp_basicsize && cls->tp_itemsize == 0
            && cls->tp_dictoffset == 0;
    }
    static int ormcore_row_getattro_is(PyTypeObject *cls, getattrofunc func) {
        return cls->tp_getattro == func;
    }
    static void ormcore_row_set_getattro(PyTypeObject *cls, getattrofunc func) {
        cls->tp_getattro = func;
    }
    /* del list[start:], NULL slots included (PyList_SetSlice uses Py_XDECREF). */
    static int ormcore_row_truncate(PyObject *list, Py_ssize_t start) {
        return PyList_SetSlice(list, start, PyList_GET_SIZE(list), NULL);
    }
    """
    object ormcore_row_propagate()
    object ormcore_row_steal(PyObject* obj)
    bint ormcore_row_plain_slots(PyTypeObject* cls, PyTypeObject* base)
    bint ormcore_row_fields_only(PyTypeObject* cls, PyTypeObject* base)
    bint ormcore_row_getattro_is(PyTypeObject* cls, getattrofunc func)
    void ormcore_row_set_getattro(PyTypeObject* cls, getattrofunc func)
    int ormcore_row_truncate(object lst, Py_ssize_t start) except -1


cdef object _ROW_MISSING = object()
cdef tuple _ROW_NO_ARGS = ()


cdef class BaseRow:
    """Values of one result row, plus the parent metadata that names them.

    `_key_to_index` maps every key the row answers to (column names, column objects)
    to a position, or to None where the key is ambiguous; the parent reports
    unknown and ambiguous keys.
    """

    cdef readonly object _parent
    cdef readonly tuple _data
    cdef readonly object _key_to_index

    def __init__(self, parent, processors, key_to_index, data):
        self._parent = parent
        self._key_to_index = key_to_index
        if processors:
            self._data = _row_apply_processors(_row_processor_tuple(processors), data)
        else:
            self._data = data if PyTuple_CheckExact(data) else tuple(data)
        _row_resettle_gc(self)

    def __reduce__(self):
        return _rebuild_row, (self.__class__, self._parent, self._data)

    def __getstate__(self):
        return {"_parent": self._parent, "_data": self._data}

    def __setstate__(self, state):
        parent = state["_parent"]
        self._parent = parent
        self._data = state["_data"]
        self._key_to_index = parent._key_to_index
        _row_resettle_gc(self)

    def _values_impl(self):
        return list(self._data)

    def __iter__(self):
        return iter(self._data)

    def __len__(self):
        return len(self._data)

    def __hash__(self):
        return hash(self._data)

    def __getitem__(self, key):
        return _row_item(self._data, key)

    def _get_by_key_impl_mapping(self, key):
        index = _row_index_of(self._key_to_index, key, True)
        if index is _ROW_MISSING:
            return self._parent._key_not_found(key, False)
        if index is None:
            return self._parent._raise_for_ambiguous_column_name(key)
        return _row_item(self._data, index)

    def __getattr__(self, name):
        # Reached through CPython's generic slot (a subclass not yet on _row_getattro) or
        # called by name; either way the class can now take the fast slot.
        _row_adopt_fast_getattr(Py_TYPE(self))
        return self._getattr(name)

    cdef object _getattr(self, object name):
        index = _row_index_of(self._key_to_index, name, False)
        if index is _ROW_MISSING:
            return self._parent._key_not_found(name, True)
        if index is None:
            return self._parent._raise_for_ambiguous_column_name(name)
        return _row_item(self._data, index)


def _rebuild_row(cls, parent, data):
    return cls(parent, None, parent._key_to_index, data)


cdef inline object _row_item(tuple data, object index):
    """data[index], with a direct path for an in-range int."""
    cdef Py_ssize_t i
    if data is not None and PyLong_CheckExact(index):
        i = _row_as_ssize(index)
        if 0 <= i < PyTuple_GET_SIZE(data):
            return <object>PyTuple_GET_ITEM(data, i)
        if i == -1 and PyErr_Occurred() is not NULL:
            PyErr_Clear()  # too big for a C index: let the tuple say so
    return data[index]


cdef inline object _row_index_of(object key_to_index, object key, bint unhashable_is_missing):
    """key_to_index[key], or _ROW_MISSING where the twin catches KeyError (and TypeError)."""
    cdef PyObject* found
    if PyDict_CheckExact(key_to_index):
        found = _row_dict_lookup(key_to_index, key)
        if found is not NULL:
            return <object>found
        if PyErr_Occurred() is NULL:
            return _ROW_MISSING
        return _row_lookup_failed(unhashable_is_missing)
    try:
        return key_to_index[key]
    except KeyError:
        return _ROW_MISSING
    except TypeError:
        if unhashable_is_missing:
            return _ROW_MISSING
        raise


cdef object _row_lookup_failed(bint unhashable_is_missing):
    # The dict lookup raised (unhashable key, or a key's __eq__ failed).
    if PyErr_ExceptionMatches(KeyError) or (
        unhashable_is_missing and PyErr_ExceptionMatches(TypeError)
    ):
        PyErr_Clear()
        return _ROW_MISSING
    return ormcore_row_propagate()


cdef object _row_getattro(object self, object name):
    # The twin's order: normal lookup, then BaseRow.__getattr__ on AttributeError.
    cdef PyTypeObject* cls = Py_TYPE(self)
    cdef PyObject* found
    if (
        cls.tp_dictoffset == 0
        and PyUnicode_CheckExact(name)
        and _PyType_Lookup(cls, name) is NULL
    ):
        # No instance dict and no class attribute: normal lookup can only fail.
        return (<BaseRow>self)._getattr(name)
    found = _row_generic_getattr(self, name)
    if found is not NULL:
        return ormcore_row_steal(found)
    if not PyErr_ExceptionMatches(AttributeError):
        return ormcore_row_propagate()
    PyErr_Clear()
    return (<BaseRow>self)._getattr(name)


# Set once BaseRow exists (module init, below).
cdef object _ROW_BASE_GETATTR = None
cdef object _ROW_OBJECT_GETATTRIBUTE = object.__dict__["__getattribute__"]


cdef int _row_adopt_fast_getattr(PyTypeObject* cls) except -1:
    # CPython gives a subclass whose MRO holds a __getattr__ method the generic slot, which
    # calls __getattribute__ and then __getattr__. When those two resolve to object's and
    # BaseRow's, _row_getattro does exactly that, faster. A later assignment of either name
    # on the class or a base makes CPython recompute the slot, undoing this.
    if ormcore_row_getattro_is(cls, _row_getattro):
        return 0
    if (
        _PyType_Lookup(cls, "__getattr__") is <PyObject*>_ROW_BASE_GETATTR
        and _PyType_Lookup(cls, "__getattribute__") is <PyObject*>_ROW_OBJECT_GETATTRIBUTE
    ):
        ormcore_row_set_getattro(cls, _row_getattro)
    return 0


cdef inline bint _row_atomic(tuple data):
    """True when no value in `data` is a tracked container (CPython's test for a tuple)."""
    cdef Py_ssize_t i
    cdef PyObject* item
    for i in range(PyTuple_GET_SIZE(data)):
        item = PyTuple_GET_ITEM(data, i)
        if PyObject_IS_GC(item) and PyObject_GC_IsTracked(item):
            return False
    return True


cdef inline void _row_settle_gc(BaseRow row, bint fields_only):
    # A new row is tracked. Untrack it when it cannot be in a cycle (see the top of this
    # file); its atomic data tuple too, as the collector would on its first pass.
    if fields_only and _row_atomic(row._data):
        PyObject_GC_UnTrack(<PyObject*>row._data)
        PyObject_GC_UnTrack(<PyObject*>row)


cdef void _row_resettle_gc(BaseRow row):
    # __init__ and __setstate__ may run again on a live row: track it again if needs be.
    if row._data is not None and ormcore_row_fields_only(Py_TYPE(row), <PyTypeObject*>BaseRow):
        _row_settle_gc(row, True)
        if not PyObject_GC_IsTracked(<PyObject*>row) and not _row_atomic(row._data):
            PyObject_GC_Track(<PyObject*>row)
    elif not PyObject_GC_IsTracked(<PyObject*>row):
        PyObject_GC_Track(<PyObject*>row)


cdef bint _row_class_is_plain(object row_class):
    """True when `row_class(...)` would run exactly BaseRow's __new__ and __init__."""
    return (
        PyType_Check(row_class)
        and PyType_IsSubtype(<type>row_class, BaseRow)
        and ormcore_row_plain_slots(<PyTypeObject*>row_class, <PyTypeObject*>BaseRow)
    )


cdef inline tuple _row_processor_tuple(object processors):
    return processors if PyTuple_CheckExact(processors) else tuple(processors)


cdef bint _row_all_none(tuple procs):
    for proc in procs:
        if proc is not None:
            return False
    return True


cdef tuple _row_apply_processors(tuple procs, object raw):
    """The twin's tuple([proc(v) if proc is not None else v for proc, v in zip(...)])."""
    cdef tuple data = raw if PyTuple_CheckExact(raw) else tuple(raw)
    cdef Py_ssize_t n = PyTuple_GET_SIZE(data)
    cdef Py_ssize_t i
    cdef tuple values
    if PyTuple_GET_SIZE(procs) < n:
        n = PyTuple_GET_SIZE(procs)
    values = PyTuple_New(n)
    for i in range(n):
        value = <object>PyTuple_GET_ITEM(data, i)
        proc = <object>PyTuple_GET_ITEM(procs, i)
        if proc is not None:
            value = proc(value)
        Py_INCREF(value)
        PyTuple_SET_ITEM(values, i, value)
    return values


cdef inline tuple _row_data(tuple procs, bint passthrough, object raw):
    # procs is None when there are no processors; passthrough when all of them are None,
    # in which case a tuple no longer than procs is its own result.
    if procs is None:
        return raw if PyTuple_CheckExact(raw) else tuple(raw)
    if passthrough and PyTuple_CheckExact(raw) and PyTuple_GET_SIZE(raw) <= PyTuple_GET_SIZE(procs):
        return raw
    return _row_apply_processors(procs, raw)


cdef inline object _row_build(
    object row_class,
    bint plain,
    bint fields_only,
    object parent,
    object processors,
    tuple procs,
    bint passthrough,
    object key_to_index,
    object raw,
):
    cdef BaseRow row
    if not plain:
        return row_class(parent, processors, key_to_index, raw)
    row = <BaseRow>(<PyTypeObject*>row_class).tp_new(<type>row_class, <PyObject*>_ROW_NO_ARGS, NULL)
    row._parent = parent
    row._key_to_index = key_to_index
    row._data = _row_data(procs, passthrough, raw)
    _row_settle_gc(row, fields_only)
    if ORMCORE_DEBUG:
        assert PyTuple_CheckExact(row._data), "row data must be an exact tuple"
        assert PyObject_GC_IsTracked(<PyObject*>row) or _row_atomic(row._data), "untracked row"
    return row


def make_rows(row_class, parent, processors, key_to_index, raw_rows):
    """Build one `row_class` per DBAPI row: the loop behind fetchall() and all()."""
    cdef bint plain = _row_class_is_plain(row_class)
    cdef bint fields_only = False
    cdef tuple procs = None
    cdef bint passthrough = False
    cdef Py_ssize_t i
    cdef Py_ssize_t n
    cdef list result
    if plain:
        _row_adopt_fast_getattr(<PyTypeObject*>row_class)
        fields_only = ormcore_row_fields_only(<PyTypeObject*>row_class, <PyTypeObject*>BaseRow)
        if processors:
            procs = _row_processor_tuple(processors)
            passthrough = _row_all_none(procs)

    if PyTuple_CheckExact(raw_rows):
        n = PyTuple_GET_SIZE(raw_rows)
        result = PyList_New(n)
        for i in range(n):
            row = _row_build(
                row_class, plain, fields_only, parent, processors, procs, passthrough, key_to_index,
                <object>PyTuple_GET_ITEM(raw_rows, i),
            )
            Py_INCREF(row)
            PyList_SET_ITEM(result, i, row)
        return result

    if PyList_CheckExact(raw_rows):
        # Fill a list of the right size; re-read the length each time, as a list
        # iterator does, should a processor or __init__ resize raw_rows.
        n = PyList_GET_SIZE(raw_rows)
        result = PyList_New(n)
        i = 0
        while i < PyList_GET_SIZE(raw_rows):
            row = _row_build(
                row_class, plain, fields_only, parent, processors, procs, passthrough, key_to_index,
                <object>PyList_GET_ITEM(raw_rows, i),
            )
            if i < n:
                Py_INCREF(row)
                PyList_SET_ITEM(result, i, row)
            else:
                result.append(row)
            i += 1
        if i < n:
            ormcore_row_truncate(result, i)
        if ORMCORE_DEBUG:
            assert PyList_GET_SIZE(result) == i, "make_rows lost rows"
        return result

    return [
        _row_build(
            row_class, plain, fields_only, parent, processors, procs, passthrough, key_to_index, raw
        )
        for raw in raw_rows
    ]


@cython.auto_pickle(False)  # as the twin's, not meant to be pickled; no extra names
cdef class RowIterator:
    """Iterates DBAPI rows as `row_class` rows: the loop behind iterating a result."""

    cdef readonly object _row_class
    cdef readonly object _parent
    cdef readonly object _processors
    cdef readonly object _key_to_index
    cdef readonly object _raw
    cdef tuple _procs
    cdef bint _plain
    cdef bint _fields_only
    cdef bint _passthrough

    def __init__(self, row_class, parent, processors, key_to_index, raw_rows):
        self._row_class = row_class
        self._parent = parent
        self._processors = processors
        self._key_to_index = key_to_index
        self._raw = iter(raw_rows)
        self._plain = _row_class_is_plain(row_class)
        self._procs = None
        self._passthrough = False
        self._fields_only = False
        if self._plain:
            _row_adopt_fast_getattr(<PyTypeObject*>row_class)
            self._fields_only = ormcore_row_fields_only(
                <PyTypeObject*>row_class, <PyTypeObject*>BaseRow
            )
            if processors:
                self._procs = _row_processor_tuple(processors)
                self._passthrough = _row_all_none(self._procs)

    def __iter__(self):
        return self

    def __next__(self):
        raw = next(self._raw)
        return _row_build(
            self._row_class,
            self._plain,
            self._fields_only,
            self._parent,
            self._processors,
            self._procs,
            self._passthrough,
            self._key_to_index,
            raw,
        )


# BaseRow's own attribute slot. PyType_Ready also wrapped Cython's slot as
# BaseRow.__getattribute__; drop that wrapper so that, as in the twin, __getattribute__
# is object's, and CPython's generic slot on subclasses calls the plain lookup.
_ROW_BASE_GETATTR = BaseRow.__dict__["__getattr__"]
ormcore_row_set_getattro(<PyTypeObject*>BaseRow, _row_getattro)
if "__getattribute__" in BaseRow.__dict__:
    PyDict_DelItem(<object>(<PyTypeObject*>BaseRow).tp_dict, "__getattribute__")
    PyType_Modified(BaseRow)
