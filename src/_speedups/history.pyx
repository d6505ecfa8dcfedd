# Attribute instrumentation: the compiled twin of src/ormcore/_core_py/history.py (the
# specification; this file mirrors it name for name). Included by core.pyx.
#
# Shape (CPython 3.11, measured on this machine; see benchmarks/orm_core.py):
# - Reads of loaded values never reach this file: AttributeDescriptor is a NON-data
#   descriptor (no __set__), so CPython's own attribute lookup (specialized by the 3.11
#   interpreter for inline values) finds the instance value first. A Cython data descriptor
#   made every read ~2.7x slower (DESIGN.md).
# - Writes: InstrumentedBase's tp_setattro is _hi_setattr, called by CPython directly (no
#   Python frame, no argument tuple). Per first write to a loaded instance: one type
#   lookup answers both "is the name mapped" and "may its old value be peeked"; the state
#   is read from the instance's inline values, skipping its own type lookup while the
#   class's version tag is the one seen last (_st_state_of); the old value is peeked; the
#   change is recorded in one new, GC-untracked _StateExtra (state.pyx); the state enters
#   its map's modified set; PyObject_GenericSetAttr stores the value, keeping inline values.
#   Callgrind, 20k loaded instances, one write each: ~1420 instructions per write (~1260
#   without the modified set's resizes, whose memset valgrind counts per byte), of which
#   ~600 are CPython's three generic attribute operations and ~150 the set; a plain
#   object's write is ~137. It was ~1770 with a committed dict per state. A second write
#   to the same attribute skips the peek and the recording: ~700 (was ~830).
# - Caveat of any C-level tp_setattro: CPython's "hackcheck" then refuses
#   object.__setattr__(instance, ...) on InstrumentedBase subclasses (TypeError). The ORM
#   uses set_committed_value() or the state's methods instead. Classes mapped imperatively
#   get `cls.__setattr__ = instrumented_setattr` (a Python-level slot: slower, no caveat).

import collections


@cython.auto_pickle(False)
cdef class AttributeDescriptor:
    """The class attribute of one mapped attribute; subclass it to add SQL operators.

    `__get__` runs only when the instance has no value for `key`: on the class it returns
    the descriptor itself; on an instance it calls `state.manager._load_missing(state, key)`
    and returns what that returns (the loader is expected to have stored the value).
    Subclasses must not override __get__ (the compiled core relies on its own).
    """

    cdef public object key

    def __init__(self, key):
        self.key = key

    def __get__(self, obj, cls):
        if obj is None:
            return self
        if _ST_PEEKING:
            return _NO_VALUE  # _st_instance_value is asking: the instance has no value
        state = _st_instance_value(obj, STATE_KEY)
        if not isinstance(state, InstanceState) or (<InstanceState>state)._common.manager is None:
            raise AttributeError(
                f"{type(obj).__name__!r} object has no attribute {self.key!r}")
        return (<InstanceState>state)._common.manager._load_missing(state, self.key)

    def __repr__(self):
        return f"<{type(self).__name__} {self.key!r}>"


_ST_ATTR_DESCR_GET = ormcore_st_descr_get(<PyTypeObject*>AttributeDescriptor)


cdef object _hi_class_attribute(object cls, object name):
    for klass in cls.__mro__:
        found = klass.__dict__.get(name, _NO_VALUE)
        if found is not _NO_VALUE:
            return found
    return None


cdef int _hi_setattr(object obj, object name, PyObject* value) except -1:
    # The write path (its costs: the file's comment). One type lookup answers both "is it
    # mapped" and "may the old value be peeked"; a state that keeps a committed value for
    # `name` already skips reading the old value.
    cdef PyTypeObject* tp = Py_TYPE(obj)
    cdef PyObject* descr
    cdef InstanceState state
    cdef _StateExtra extra
    if PyUnicode_CheckExact(name):
        descr = _st_type_lookup(tp, name)
        if descr is NULL or not PyObject_TypeCheck(<object>descr,
                                                   <PyTypeObject*>AttributeDescriptor):
            return _st_generic_setattr(obj, name, value)
    elif not isinstance(_hi_class_attribute(<object>tp, name), AttributeDescriptor):
        return _st_generic_setattr(obj, name, value)
    else:
        descr = NULL
    found = _st_state_of(obj, tp)
    if isinstance(found, InstanceState):
        state = <InstanceState>found
        extra = state._extra
        if extra is not None and _ex_has_committed(extra, name):
            _st_flag_modified(state, extra)  # the committed value is kept: no need to read it
        elif (descr is not NULL and ormcore_st_generic_getattro(tp)
              and _st_peekable(tp, descr)):
            _st_modified(state, name, _st_peek(obj, name))
        else:
            _st_modified(state, name, _st_instance_value(obj, name))
    return _st_generic_setattr(obj, name, value)


cdef int _hi_delattr(object obj, object name) except -1:
    cdef InstanceState state
    if PyUnicode_CheckExact(name):
        descr = _st_type_lookup(Py_TYPE(obj), name)
        mapped = descr is not NULL and PyObject_TypeCheck(<object>descr,
                                                          <PyTypeObject*>AttributeDescriptor)
    else:
        mapped = isinstance(_hi_class_attribute(<object>Py_TYPE(obj), name), AttributeDescriptor)
    if mapped:
        found = _st_instance_value(obj, STATE_KEY)
        old = _st_instance_value(obj, name)
        if isinstance(found, InstanceState):
            state = <InstanceState>found
            if old is _NO_VALUE and (
                state._extra is None or state._extra.expired is None
                or name not in state._extra.expired
            ):
                raise AttributeError(f"{type(obj).__name__!r} object has no value for {name!r}")
            _st_modified(state, name, old)
            if old is _NO_VALUE:
                return 0
    return _st_generic_setattr(obj, name, NULL)


def instrumented_setattr(obj, name, value):
    """`obj.name = value`, recording history when `name` is a mapped attribute of a known
    instance (one with a state); otherwise object.__setattr__'s behaviour."""
    _hi_setattr(obj, name, <PyObject*>value)


def instrumented_delattr(obj, name):
    """`del obj.name`: history as for a write of 'no value'; AttributeError when there is
    no value to delete (and the attribute is not expired)."""
    _hi_delattr(obj, name)


@cython.auto_pickle(False)
cdef class InstrumentedBase:
    """A base for mapped classes whose attribute writes record history."""

    def __setattr__(self, name, value):
        _hi_setattr(self, name, <PyObject*>value)

    def __delattr__(self, name):
        _hi_delattr(self, name)


# CPython 3.11 sets up an instance's inline values in object.__new__ (object_new), not in
# the allocator: with Cython's own tp_new every instance of a subclass got a materialized
# __dict__ on its first attribute store (measured: +25% memory, reads 1.5-3x slower). The
# base has no C fields, so object's tp_new is exactly right; set it before any subclass
# inherits the slot.
(<PyTypeObject*>InstrumentedBase).tp_new = (<PyTypeObject*>object).tp_new


def set_committed_value(obj, key, value):
    """Store `value` as loaded from the database: no history, not expired."""
    _st_generic_setattr(obj, key, <PyObject*>value)
    state = _st_instance_value(obj, STATE_KEY)
    if isinstance(state, InstanceState):
        _st_commit(<InstanceState>state, (key,))


class History(collections.namedtuple("History", ["added", "unchanged", "deleted"])):
    """(added, unchanged, deleted) of one attribute, as SQLAlchemy's History."""

    __slots__ = ()

    def __bool__(self):
        return self != ((), (), ())

    def empty(self):
        return not bool((self.added or self.deleted) or self.unchanged)

    def has_changes(self):
        return bool(self.added or self.deleted)

    def non_deleted(self):
        return list(self.added or ()) + list(self.unchanged or ())


cdef extern from *:
    """
    /* A History (a tuple subclass) of three items, without calling the namedtuple's
       Python-level __new__ (a frame and an argument tuple per call: most of what
       get_history cost). */
    static PyObject *ormcore_hi_new(PyTypeObject *tp, PyObject *added, PyObject *unchanged,
                                    PyObject *deleted) {
        PyObject *history = tp->tp_alloc(tp, 3);
        if (history == NULL) return NULL;
        Py_INCREF(added);
        PyTuple_SET_ITEM(history, 0, added);
        Py_INCREF(unchanged);
        PyTuple_SET_ITEM(history, 1, unchanged);
        Py_INCREF(deleted);
        PyTuple_SET_ITEM(history, 2, deleted);
        return history;
    }
    """
    object ormcore_hi_new(PyTypeObject* tp, object added, object unchanged, object deleted)


cdef object _HI_UNRECORDED = object()  # get_history: no committed value for the key
cdef PyTypeObject* _HI_HISTORY = <PyTypeObject*>History
cdef object _HI_EMPTY = History((), (), ())  # immutable: one for every empty history


cdef inline object _hi_list1(object value):
    cdef list one = PyList_New(1)
    Py_INCREF(value)
    PyList_SET_ITEM(one, 0, value)
    return one


def get_history(InstanceState state, key):
    """The scalar history of `key`: SQLAlchemy's History.from_scalar_attribute."""
    obj = <object>PyWeakref_GET_OBJECT(state)
    current = _NO_VALUE if obj is None else _st_instance_value(obj, key)
    original = (_HI_UNRECORDED if state._extra is None
                else _ex_committed_get(state._extra, key, _HI_UNRECORDED))
    if original is _HI_UNRECORDED:
        if current is _NO_VALUE:
            return _HI_EMPTY
        return ormcore_hi_new(_HI_HISTORY, (), _hi_list1(current), ())
    if current is not _NO_VALUE and (current is original or _hi_equal(current, original)):
        return ormcore_hi_new(_HI_HISTORY, (), _hi_list1(current), ())
    deleted = () if original is _NO_VALUE else _hi_list1(original)
    if current is _NO_VALUE:
        return ormcore_hi_new(_HI_HISTORY, (), (), deleted)
    return ormcore_hi_new(_HI_HISTORY, _hi_list1(current), (), deleted)


cdef bint _hi_equal(object a, object b):
    try:
        return (a == b) is True
    except Exception:
        return False
